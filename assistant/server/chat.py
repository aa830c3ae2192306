"""The Gradio chat at /: questions and answers with a citations panel, examples, 👍/👎 and a 中文/English switch.

Its texts and example questions are ``assistant/data/ui.json`` (shared with the widget's ``/api/widget/config``);
``mount_chat`` puts it on the API's app. The switch sets the whole page's language: our texts, Gradio's own
(its locale, the chat's button labels) and ``<html lang>``; ``CHAT_JS`` does the browser's part.
"""
from __future__ import annotations

import html
import json
import logging
import os
import re
import unicodedata
from itertools import chain

# A portal's server has no business calling home; gradio reads this when it is imported.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from starlette.datastructures import MutableHeaders  # noqa: E402
from starlette.routing import Match, Mount, get_route_path  # noqa: E402

from ..pipeline import InputError  # noqa: E402
from ..settings import MAX_TURNS  # noqa: E402
from ..types import Answer  # noqa: E402
from . import errors  # noqa: E402
from .feedback import FeedbackError  # noqa: E402
from .service import Service, ui_texts  # noqa: E402

log = logging.getLogger("assistant.chat")

UI = ui_texts()
STRINGS, EXAMPLES, LANGS = UI["strings"], UI["examples"], UI["languages"]
LOCALES = {"zh": "zh-CN", "en": "en"}  # <html lang> and Gradio's locale for each interface language

FOCUS, FOCUS_DARK = "#1d4ed8", "#93c5fd"  # the focus ring: 3:1 or more against the light (dark) theme's backgrounds
ACCENT, ACCENT_DARK = "#c8161d", "#a31218"  # the portal red (the widget's); white on it is 5.9:1

CSS = f"""
.gradio-container {{ --east-lake-focus: {FOCUS}; }}
.dark .gradio-container, .dark.gradio-container {{ --east-lake-focus: {FOCUS_DARK}; }}
.gradio-container {{ max-width: 1180px !important; margin: 0 auto !important; }}
#masthead h1 {{ margin: 0 0 4px; font-size: 1.6rem; color: var(--color-accent); }}
#masthead p {{ margin: 0; color: var(--body-text-color-subdued); }}
#lang-switch {{ align-self: center; }}
#lang-switch .wrap {{ flex-wrap: nowrap; }}
.col-head {{ margin: 0 0 4px; font-size: 1.05rem; font-weight: 600; }}
#chat-head, #chat-head .prose {{ padding: 0 !important; min-height: 0 !important; }}
#cites-panel .cites {{ display: flex; flex-direction: column; gap: 12px; }}
#cites-panel .hint {{ color: var(--body-text-color-subdued); margin: 0; }}
.cite {{ border: 1px solid var(--border-color-primary); border-left: 4px solid var(--color-accent);
        border-radius: 8px; padding: 10px 12px; background: var(--block-background-fill); scroll-margin-top: 8px; }}
.cite:focus {{ outline: none; }}
.cite.flash {{ box-shadow: 0 0 0 3px var(--east-lake-focus); }}
.cite-path {{ font-size: .8rem; color: var(--body-text-color-subdued); overflow-wrap: anywhere; }}
.cite-title {{ font-weight: 600; margin: 4px 0 6px; font-size: 1rem; }}
.cite-id {{ font-size: .75rem; color: var(--body-text-color-subdued); font-weight: 400; margin-left: 6px; }}
.chips {{ display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 6px; }}
.chips-label {{ font-size: .8rem; color: var(--body-text-color-subdued); width: 100%; }}
.chip {{ display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: .85rem; line-height: 1.5;
        background: var(--color-accent-soft); color: var(--body-text-color);
        border: 1px solid var(--color-accent); }}
.chip small {{ margin-left: 4px; color: var(--body-text-color-subdued); }}
.cite blockquote {{ margin: 6px 0 0; padding: 6px 10px; border-left: 3px solid var(--border-color-primary);
                   background: var(--background-fill-secondary); font-size: .9rem; line-height: 1.6; }}
#chat .prose.chatbot.md {{ opacity: 1; }}  /* Gradio fades answers to .8, links below 4.5:1 with them */
#chat a[href^="#cite-"] {{ color: var(--link-text-color); font-size: .85em; text-decoration: underline; }}
#chat .writing {{ display: inline-block; color: var(--body-text-color-subdued); font-style: italic; }}
#chat .writing::after {{ content: ""; display: inline-block; width: .5em; height: .5em; margin-left: .4em;
                        border-radius: 50%; background: currentColor; animation: writing 1s ease-in-out infinite; }}
@keyframes writing {{ 50% {{ opacity: .2; }} }}
@media (prefers-reduced-motion: reduce) {{ #chat .writing::after {{ animation: none; }} }}
#chat .top-panel {{ display: none !important; }}  /* its 🗑 covered the first question; 新对话 clears */
#chat [data-testid=status-tracker] {{ display: none !important; }}  /* a timer: the pending bubble is the indicator */
#to-cites {{ display: none !important; }}
#to-cites a {{ font-weight: 600; color: var(--link-text-color); }}
#disclaimer {{ font-size: .8rem; color: var(--body-text-color-subdued); text-align: center; }}
#question {{ overflow: visible !important; }}
#question textarea:focus-visible, #send:focus-visible, #new-chat:focus-visible, #examples button:focus-visible,
#lang-switch input:focus-visible, #chat button:focus-visible, #chat [data-testid]:focus-visible, .gradio-container a:focus-visible,
#to-cites a:focus-visible {{ outline: 3px solid var(--east-lake-focus) !important; outline-offset: 2px;
  transition: none !important; /* the ring shows at once, not faded in from the button's colour */ }}
@media (max-width: 640px) {{
  .gradio-container {{ padding: 6px !important; }}
  #top-row {{ flex-wrap: wrap !important; }}
  #top-row > * {{ flex: 1 1 100% !important; min-width: 100% !important; }}
  #lang-switch {{ align-self: flex-start; }}
  #chat {{ height: min(440px, 56vh) !important; }}
  #masthead h1 {{ font-size: 1.25rem; }}
  #masthead p {{ font-size: .85rem; }}
  #to-cites {{ display: block !important; }}
}}
"""

THEME = gr.themes.Default(
    primary_hue="red", secondary_hue="slate", neutral_hue="slate",
    # System fonts only: a Google font would be fetched from the internet, which an intranet cannot reach.
    font=["system-ui", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"],
    font_mono=["ui-monospace", "Consolas", "monospace"],
).set(
    # WCAG AA: the default subdued grey (slate-400) is 2.56:1 on white and white on red-500 3.76:1.
    body_text_color_subdued="*neutral_600", body_text_color_subdued_dark="*neutral_300",
    input_placeholder_color="*neutral_500", input_placeholder_color_dark="*neutral_400",
    block_label_text_color="*neutral_600", block_label_text_color_dark="*neutral_300",
    block_info_text_color="*neutral_600", block_info_text_color_dark="*neutral_300",
    color_accent=ACCENT, color_accent_soft="*primary_50", color_accent_soft_dark="*neutral_700",
    link_text_color=FOCUS, link_text_color_visited=FOCUS, link_text_color_dark="*secondary_300",
    link_text_color_visited_dark="*secondary_300",
    button_primary_background_fill=ACCENT, button_primary_background_fill_hover=ACCENT_DARK,
    button_primary_background_fill_dark=ACCENT, button_primary_background_fill_hover_dark=ACCENT_DARK,
    button_primary_text_color="white", button_primary_text_color_dark="white",
    button_primary_border_color=ACCENT, button_primary_border_color_dark=ACCENT,
)

# The browser's part of the language switch, the chat's labels, citation links and the optimistic question.
# Gradio's own texts are rendered in its locale when a component appears and do not follow a later change, and
# some are English in every locale ("chatbot conversation", "Copy message"): the labels inside the chat are
# therefore ours, kept by an observer; Gradio's locale (the footer, toasts) follows through its changeLocale.
CHAT_JS = r"""
() => {
  if (window.eastLake) return;
  const T = __STRINGS__, LANGS = __LANGS__, LOCALES = __LOCALES__, EXAMPLES = __EXAMPLES__, MAX = __MAX__;
  const GRADIO = {like: ["Like", "赞"], dislike: ["Dislike", "踩"], copy: ["Copy message", "Copy"],
                  copied: ["Copied message", "Copied"], clear: ["Clear", "清空对话"], scroll_down: ["Scroll down"]};
  const known = {};
  for (const [key, texts] of Object.entries(GRADIO))
    for (const text of [...texts, T.zh[key], T.en[key]]) known[text] = key;
  const state = {lang: "zh", busy: 0};  // busy: when the question being answered was sent (a stale one expires)
  const set = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };

  function label() {
    const s = T[state.lang], colon = state.lang === "zh" ? "：" : ": ";
    const chat = document.getElementById("chat");
    if (chat) {
      chat.querySelectorAll("[role=log]").forEach(el => set(el, "aria-label", s.conversation));
      chat.querySelectorAll("[data-testid=user]").forEach(el => set(el, "aria-label", s.question_label + colon + el.innerText.trim()));
      chat.querySelectorAll("[data-testid=bot]").forEach(el => set(el, "aria-label", s.answer_label + colon + el.innerText.trim()));
      chat.querySelectorAll(".pending").forEach(el => { set(el, "role", "status"); set(el, "aria-label", s.answering); });
      chat.querySelectorAll("button").forEach(b => {
        for (const name of ["aria-label", "title"]) { const key = known[b.getAttribute(name)]; if (key) set(b, name, s[key]); }
      });
    }
    // Toasts: Gradio titles them with their kind in English ("Warning") and labels the close button "Close".
    document.querySelectorAll("[data-testid=toast-body]").forEach(toast => {
      const title = toast.querySelector(".toast-title-row span");
      const text = title && [...title.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.nodeValue.trim());
      if (text && text.nodeValue !== s.notice + " ") text.nodeValue = s.notice + " ";
      const close = toast.querySelector("[data-testid=toast-close]");
      if (close) set(close, "aria-label", s.close);
    });
    const group = document.getElementById("lang-switch");
    if (group) {
      set(group, "role", "radiogroup");
      set(group, "aria-label", s.language);
      group.querySelectorAll("input[type=radio]").forEach(r => set(r, "name", "ui-language"));
    }
  }

  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; label(); }); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: ["aria-label", "title", "name"]});

  async function setLang(choice) {
    state.lang = LANGS[choice] || choice;
    const locale = LOCALES[state.lang];
    const core = performance.getEntriesByType("resource").map(e => e.name).find(n => /\/assets\/core-[\w-]+\.js$/.test(n));
    try { if (core) await (await import(core)).changeLocale(locale); } catch (e) { console.warn("Gradio's locale", e); }
    document.documentElement.lang = locale;
    label();
  }

  // A citation marker in an answer links to its card in the panel; "引用条款 ↓" (phone) to the panel. The card
  // may appear a moment later (clicking an earlier answer brings its citations back), so wait for it.
  document.addEventListener("click", ev => {
    const a = ev.target.closest && ev.target.closest('a[href^="#cite-"], a[href="#cites-panel"]');
    if (!a) return;
    ev.preventDefault();
    const id = decodeURIComponent(a.getAttribute("href").slice(1)), until = Date.now() + 3000;
    const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
    (function go() {
      const target = document.getElementById(id);
      if (!target) { if (Date.now() < until) setTimeout(go, 100); return; }
      target.scrollIntoView({behavior: smooth ? "smooth" : "auto", block: "start"});
      target.focus({preventScroll: true});
      if (target.classList.contains("cite")) {
        target.classList.add("flash");
        setTimeout(() => target.classList.remove("flash"), 1600);
      }
    })();
  }, true);

  // The question shows in the chat at once; the server answers it (or words why not) right after.
  function ask(question, chat) {
    if (Date.now() - state.busy < 180000) return [chat, question, null];  // the question stays in the box
    const q = (question || "").trim();
    if (!q || [...question].length > MAX) return [chat, question, question];
    state.busy = Date.now();
    return [[...(chat || []), {role: "user", content: [{type: "text", text: q}]}], "", question];
  }
  const example = (index, chat) => ask(typeof index === "number" ? EXAMPLES[state.lang][index] : String(index), chat);
  window.eastLake = {ask, example, done: () => { state.busy = 0; }, setLang, label};
  setLang("zh");
}
"""


def chat_js(max_chars: int) -> str:
    """``CHAT_JS`` with the interface's strings and the question length limit filled in."""
    keys = ("conversation", "question_label", "answer_label", "language", "like", "dislike", "copy", "copied",
            "notice", "close", "clear", "answering", "scroll_down")
    strings = {lang: {k: STRINGS[lang][k] for k in keys} for lang in STRINGS}
    values = {"__STRINGS__": strings, "__LANGS__": LANGS, "__LOCALES__": LOCALES, "__EXAMPLES__": EXAMPLES,
              "__MAX__": max_chars}
    out = CHAT_JS
    for name, value in values.items():
        out = out.replace(name, json.dumps(value, ensure_ascii=False))
    return out


def preview_tags() -> str:
    """The page's own title, description and link-preview tags (Open Graph, Twitter), with no image."""
    title, description = html.escape(UI["page_title"]), html.escape(UI["description"])
    return "\n".join([
        f"<title>{title}</title>",
        f'<meta name="description" content="{description}">',
        '<meta property="og:type" content="website">',
        f'<meta property="og:site_name" content="{title}">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:description" content="{description}">',
        '<meta property="og:locale" content="zh_CN">',
        '<meta property="og:locale:alternate" content="en_US">',
        '<meta name="twitter:card" content="summary">',
        f'<meta name="twitter:title" content="{title}">',
        f'<meta name="twitter:description" content="{description}">',
    ])


_GRADIO_PREVIEW = re.compile(r'[ \t]*<meta\s+(?:property="og:[^"]*"|name="twitter:[^"]*")[^>]*>[ \t]*\n?', re.S)
_HTML_LANG = re.compile(r'(<html\b[^>]*?\blang=")[^"]*(")', re.S)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)


def page_html(page: str) -> str:
    """Gradio's page with our link-preview tags instead of its own ("Gradio", "Click to try out the app!", an
    image on GitHub) and ``<html lang>`` in the default interface language (the switch changes it in the page).

    Args:
        page: the HTML Gradio serves at ``/``.

    Returns:
        The page to send.
    """
    page = _GRADIO_PREVIEW.sub("", page)
    page = _HTML_LANG.sub(lambda m: m.group(1) + LOCALES["zh"] + m.group(2), page, count=1)
    m = _CHARSET.search(page) or re.search(r"<head[^>]*>", page)
    at = m.end() if m else 0
    return page[:at] + "\n" + preview_tags() + "\n" + page[at:]


def friendly(error: InputError, lang: str) -> str:
    """The chat's wording of an ``InputError``, by its code (the message itself is English, for API callers).

    Args:
        error: what the assistant refused.
        lang: the interface language, ``zh`` or ``en``.

    Returns:
        A short message for the user, in the interface language.
    """
    wording = UI["input_errors"][lang]
    return wording.get(error.code, wording["other"]).format(**error.params, message=str(error))


def masthead(lang: str) -> str:
    """The page's title and subtitle in ``lang`` (HTML).

    Args:
        lang: ``zh`` or ``en``.

    Returns:
        The masthead's HTML.
    """
    s = STRINGS[lang]
    return f'<div id="masthead"><h1>{s["title"]}</h1><p>{s["subtitle"]}</p></div>'


def render_citations(turn: dict | None, lang: str, gloss=None) -> str:
    """The citations panel for one answered turn (escaped HTML): an ``h2``, then a card per clause (``h3``
    title, ``id="cite-<clause id>"`` so that an answer's citation markers link to it).

    Args:
        turn: a turn's record (``refused`` and ``citations`` are read), or None before any answer.
        lang: the interface language.
        gloss: optional ``bureau -> English name`` function for the English interface.

    Returns:
        HTML for the panel.
    """
    s = STRINGS[lang]
    head = f'<h2 class="col-head">{s["cites"]}</h2>'
    if turn is None:
        return f'<div class="cites">{head}<p class="hint">{s["cites_empty"]}</p></div>'
    if turn["refused"] or not turn["citations"]:
        return f'<div class="cites">{head}<p class="hint">{s["cites_refused"]}</p></div>'
    cards = []
    for c in turn["citations"]:
        e = html.escape
        path = " › ".join(e(p) for p in c["path"].split(" > "))
        if c["bureaus"]:
            chips = "".join(
                f'<span class="chip" title="{e(gloss(b)) if gloss else e(b)}">{e(b)}'
                + (f"<small>{e(_english(gloss(b), b))}</small>" if gloss and lang == "en" else "")
                + "</span>" for b in c["bureaus"])
        else:
            chips = f'<span class="hint">{s["no_bureaus"]}</span>'
        cards.append(
            f'<article class="cite" id="cite-{e(c["id"])}" tabindex="-1" data-clause="{e(c["id"])}">'
            f'<div class="cite-path">{path}</div>'
            f'<h3 class="cite-title">{e(c["title"])}<span class="cite-id">#{e(c["id"])}</span></h3>'
            f'<div class="chips" aria-label="{s["bureaus"]}"><span class="chips-label">{s["bureaus"]}</span>{chips}</div>'
            f'<blockquote aria-label="{s["quote"]}">{e(c["quote"])}</blockquote></article>')
    return f'<div class="cites" id="cites">{head}{"".join(cards)}</div>'


def _english(gloss: str, bureau: str) -> str:
    # The lexicon's gloss reads "市法院 (Wuhan Intermediate People's Court)": keep the English part only.
    m = re.search(r"\((.+)\)\s*$", gloss)
    return m.group(1) if m and gloss.startswith(bureau) else ""


# A model's citation, as the guard reads it: [2.5.2], 【2.5.2】, [2.5.2, 2.5.3], [条款 2.5.2].
_CITATION = re.compile(r"[\[【]([^\[\]【】\n]{0,80})[\]】]")
_CLAUSE_ID = re.compile(r"\d+(?:\.\d+)*")


def render_answer(text: str, ids) -> str:
    """An answer as chat Markdown: each citation marker of a clause in ``ids`` becomes a link to its card.

    Args:
        text: the answer's text.
        ids: the clause ids that may be linked (those whose cards the panel shows or will show).

    Returns:
        The Markdown.
    """
    def link(m: re.Match) -> str:
        found = _CLAUSE_ID.findall(unicodedata.normalize("NFKC", m.group(1)))
        if not found or not all(i in ids for i in found):
            return m.group(0)
        return "".join(f"[\\[{i}\\]](#cite-{i})" for i in found)

    return _CITATION.sub(link, text)


def writing(draft: str, pieces: str, lang: str, ids) -> str:
    """The answer while the model writes: the extractive answer, then the model's text so far under one
    indicator (a piece that is only a citation marker waits for its sentence)."""
    so_far = pieces if _CITATION.sub("", pieces).strip() else ""
    return (f'{render_answer(draft, ids)}\n\n---\n\n<span class="writing" role="status">'
            f'{STRINGS[lang]["writing"]}</span>\n\n{render_answer(so_far, ids)}').rstrip()


def conversation(turns: list[dict]) -> list[dict]:
    """The chat's messages for the answered turns: one question and one answer each."""
    out = []
    for t in turns:
        out += [{"role": "user", "content": t["question"]},
                {"role": "assistant", "content": render_answer(t["answer"], {c["id"] for c in t["citations"]})}]
    return out


def build_chat(service: Service) -> gr.Blocks:
    """The Gradio chat: questions, answers with a citations panel, examples, 👍/👎, a 中文/English switch.

    Args:
        service: the shared assistant and feedback store.

    Returns:
        The Blocks, ready to mount.
    """

    def gloss_for(lang: str):
        if lang != "en" or service.state != "ready":
            return None
        return service.assistant().index.lexicon.bureau_gloss

    def notice(kind, lang: str, message: str) -> None:
        kind(message, title=STRINGS[lang]["notice"])

    def respond(question, turns, lang, request: gr.Request = None):
        """One question: the question is already in the chat (CHAT_JS); the answer follows. In a generative
        mode the extractive answer shows at once and the model's answer streams beneath it, replacing it
        when the guard accepts it (the final ``Answer``)."""
        turns = list(turns or [])
        if question is None:  # asked while an answer was still coming (CHAT_JS keeps the question in the box)
            yield (gr.update(),) * 5
            return
        # The earlier turns' records go along with their citations, so "它" and "第二条" refer to what the user saw.
        history = turns[-MAX_TURNS:]
        kept = (conversation(turns), question, turns, gr.update(), gr.update())  # the question back in the box
        try:
            draft = service.draft(question, history) if service.streaming else None
            items = service.stream(question, history)
            first = None if draft else next(items)  # the assistant validates before it yields anything
        except InputError as e:
            notice(gr.Warning, lang, friendly(e, lang))
            yield kept
            return
        except RuntimeError:
            log.exception("the assistant is unavailable")
            notice(gr.Warning, lang, STRINGS[lang]["unavailable"])
            yield kept
            return
        except Exception:  # noqa: BLE001 - the user gets a message in their language, the log the traceback
            log.exception("answering failed")
            notice(gr.Warning, lang, STRINGS[lang]["failed"])
            yield kept
            return
        asked = [{"role": "user", "content": question.strip()}]
        answer = first
        if draft is not None:
            ids = service.assistant().index.by_id
            shown = (writing(draft.answer.text, "", lang, ids) if draft.model_follows
                     else render_answer(draft.answer.text, ids))
            panel = render_citations(draft.answer.to_record(), lang, gloss_for(lang))
            yield conversation(turns) + asked + [{"role": "assistant", "content": shown}], gr.update(), turns, \
                panel, gr.update()
            text = ""
            try:
                for item in items:
                    if isinstance(item, Answer):
                        answer = item
                    elif draft.model_follows:
                        text += item
                        reply = {"role": "assistant", "content": writing(draft.answer.text, text, lang, ids)}
                        yield conversation(turns) + asked + [reply], gr.update(), turns, gr.update(), gr.update()
            except Exception:  # noqa: BLE001 - the model failing (or busy) leaves the extractive answer standing
                log.exception("the model's answer failed; the extractive answer stands")
                answer = None
            answer = answer or draft.answer
        client = request.client.host if request is not None and request.client else "unknown"
        service.log_answer(answer, client, "chat")
        turns.append(answer.to_record())
        yield conversation(turns), gr.update(), turns, render_citations(turns[-1], lang, gloss_for(lang)), \
            len(turns) - 1

    def on_like(turns, lang, data: gr.LikeData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        if data.liked not in (True, False) or not isinstance(index, int):
            return  # an un-like, or a kind of feedback this chat does not offer
        k = index // 2  # every answered turn adds exactly one user and one assistant message
        if not 0 <= k < len(turns or []):
            return
        t = turns[k]
        try:
            service.feedback.add(t["question"], t["answer"], t["citations"], "up" if data.liked else "down",
                                 source="chat")
        except FeedbackError as e:
            log.error("%s (database %s)", e, service.feedback.path)
            notice(gr.Warning, lang, STRINGS[lang]["feedback_failed"].format(reason=e.reason))
            return
        notice(gr.Info, lang, STRINGS[lang]["thanks_up" if data.liked else "thanks_down"])

    def on_select(turns, lang, data: gr.SelectData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        if not isinstance(index, int) or not 0 <= index // 2 < len(turns or []):
            return gr.update(), gr.update()
        return render_citations(turns[index // 2], lang, gloss_for(lang)), index // 2

    def switch_language(choice, turns, shown):
        lang = LANGS.get(choice, "zh")
        s = STRINGS[lang]
        turn = turns[shown] if turns and isinstance(shown, int) and 0 <= shown < len(turns) else None
        return (lang, masthead(lang), chat_head(lang), gr.update(label=s["chat"], placeholder=s["welcome"]),
                gr.update(label=s["question_label"], placeholder=s["placeholder"]), gr.update(value=s["send"]),
                to_cites(lang), gr.update(value=s["clear"]),
                gr.Dataset(samples=[[q] for q in EXAMPLES[lang]], label=s["examples"]),
                render_citations(turn, lang, gloss_for(lang)), disclaimer(lang))

    def new_chat(lang):
        return [], [], render_citations(None, lang), "", None

    def ask(question: str, history: list[str] | None = None) -> dict:
        """Answer one question; returns one results record (shared/EVAL-FORMAT.md)."""
        try:
            return service.ask(question, history or []).to_record()
        except InputError as e:
            raise gr.Error(str(e)) from None

    def clause(clause_id: str) -> dict:
        """One clause of the plan by id (e.g. 2.5.2)."""
        c = service.assistant().index.by_id.get(clause_id)
        if c is None:
            raise gr.Error(f"no clause with id {clause_id!r}")
        return c.to_dict()

    s = STRINGS["zh"]
    with gr.Blocks(title=UI["page_title"], analytics_enabled=False) as demo:
        lang = gr.State("zh")
        turns = gr.State([])  # the record of each answered turn (assistant.types.Record)
        shown = gr.State(None)  # which turn's citations the panel shows
        asked = gr.Textbox(visible=False)  # the question CHAT_JS put in the chat, for the server to answer
        with gr.Row(equal_height=False, elem_id="top-row"):
            header = gr.HTML(masthead("zh"), scale=5, min_width=260)
            lang_radio = gr.Radio(list(LANGS), value="中文", label=s["language"], show_label=False, container=False,
                                  scale=0, min_width=200, elem_id="lang-switch")
        # The questions and answers. Another view (a tab) goes beside this row: wrap it in gr.Tabs/gr.Tab; the
        # events below name components, not the layout, and the CSS names elements by id.
        with gr.Row(equal_height=False, elem_id="qa"):
            with gr.Column(scale=3, min_width=320):
                head = gr.HTML(chat_head("zh"), elem_id="chat-head", padding=False)
                chatbot = gr.Chatbot(label=s["chat"], show_label=False, placeholder=s["welcome"], height=480,
                                     elem_id="chat", feedback_options=("Like", "Dislike"), buttons=["copy"],
                                     autoscroll=True)
                with gr.Row(equal_height=True):
                    box = gr.Textbox(label=s["question_label"], show_label=False, placeholder=s["placeholder"],
                                     lines=1, max_lines=5, scale=5, min_width=180, container=False,
                                     elem_id="question", autofocus=True)
                    send = gr.Button(s["send"], variant="primary", scale=0, min_width=84, elem_id="send")
                jump = gr.HTML(to_cites("zh"), elem_id="to-cites", padding=False)
                examples = gr.Dataset(components=[box], samples=[[q] for q in EXAMPLES["zh"]],
                                      label=s["examples"], elem_id="examples", samples_per_page=8)
                clear = gr.Button(s["clear"], size="sm", variant="secondary", elem_id="new-chat")
            with gr.Column(scale=2, min_width=300, elem_id="cites-column"):
                cites = gr.HTML(render_citations(None, "zh"), elem_id="cites-panel")
        footer = gr.HTML(disclaimer("zh"))

        # Gradio runs one event at a time by default; answers run 8 at a time in one pool, and a question that
        # reaches the model waits in the model's own queue (assistant.generate.ModelQueue), so an extractive
        # answer is never stuck behind a generation. The chat is the one loading indicator (no progress
        # overlays on the box or the panel).
        answer_io = dict(fn=respond, inputs=[asked, turns, lang], outputs=[chatbot, box, turns, cites, shown],
                         api_visibility="private", concurrency_limit=8, concurrency_id="answer",
                         show_progress="minimal", show_progress_on=[chatbot])
        done = dict(fn=None, js="() => window.eastLake.done()", api_visibility="private")
        for trigger in (box.submit, send.click):
            trigger(None, [box, chatbot], [chatbot, box, asked], js="(q, chat) => window.eastLake.ask(q, chat)",
                    api_visibility="private").then(**answer_io).then(**done)
        examples.click(None, [examples, chatbot], [chatbot, box, asked], api_visibility="private",
                       js="(index, chat) => window.eastLake.example(index, chat)"
                       ).then(**answer_io).then(**done)
        chatbot.like(on_like, [turns, lang], None, api_visibility="private", show_progress="hidden")
        chatbot.select(on_select, [turns, lang], [cites, shown], api_visibility="private", show_progress="hidden")
        clear.click(new_chat, [lang], [chatbot, turns, cites, box, shown], api_visibility="private",
                    show_progress="hidden")
        lang_radio.change(switch_language, [lang_radio, turns, shown],
                          [lang, header, head, chatbot, box, send, jump, clear, examples, cites, footer],
                          api_visibility="private", show_progress="hidden")
        lang_radio.change(None, [lang_radio], None, js="(choice) => window.eastLake.setLang(choice)",
                          api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(clause, api_name="clause")
    return demo


def chat_head(lang: str) -> str:
    """The conversation's heading (``h2``, like the panel's)."""
    return f'<h2 class="col-head">{STRINGS[lang]["chat"]}</h2>'


def to_cites(lang: str) -> str:
    """The phone's link from the chat down to the citations panel (hidden where the panel sits beside)."""
    return f'<a href="#cites-panel">{STRINGS[lang]["to_cites"]}</a>'


def disclaimer(lang: str) -> str:
    return f'<p id="disclaimer">{STRINGS[lang]["disclaimer"]}</p>'


class ChatMount(Mount):
    """The chat's mount at ``/``, leaving the API's paths to the API: a wrong method or an unknown path under
    ``/api/`` is the API's JSON 405 or 404, not the chat's (a mount at ``/`` matches every path). The page
    itself gets our link-preview tags and ``<html lang>`` (:func:`page_html`)."""

    def matches(self, scope):
        if scope["type"] == "http" and get_route_path(scope).startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)

    async def handle(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and get_route_path(scope) in ("", "/"):
            send = _rewriting_page(send)
        await super().handle(scope, receive, send)


def _rewriting_page(send):
    """``send`` for Gradio's page: an HTML body (whole, not encoded) goes out through :func:`page_html`."""
    start: dict | None = None
    body: list[bytes] = []

    async def rewrite(message):
        nonlocal start
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            if headers.get("content-type", "").startswith("text/html") and "content-encoding" not in headers:
                start = message
                return
        elif message["type"] == "http.response.body" and start is not None:
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = page_html(b"".join(body).decode("utf-8")).encode("utf-8")
            headers = MutableHeaders(scope=start)
            if "content-length" in headers:
                headers["content-length"] = str(len(page))
            await send(start)
            await send({"type": "http.response.body", "body": page})
            return
        await send(message)

    return rewrite


def mount_chat(app: FastAPI, service: Service) -> FastAPI:
    """Mount the chat at ``/`` of the API's app (last: every path the app does not serve is the chat's).

    Args:
        app: the API's app (``assistant.server.api.create_api``).
        service: the same service the API uses.

    Returns:
        ``app``, with the chat mounted.
    """
    gr.mount_gradio_app(app, build_chat(service), path="/", theme=THEME, css=CSS,
                        js=chat_js(service.settings.max_question_chars), footer_links=["api"], run_history=False,
                        ssr_mode=False)
    plain = app.router.routes.pop()  # the Mount gradio added: the same chat app, mounted so that it leaves /api/
    mount = ChatMount("/", app=plain.app, name=plain.name)
    app.router.routes.append(mount)
    errors.install_for_mount(mount)
    return app
