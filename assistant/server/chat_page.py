"""The chat page's look and its browser part: colours, CSS, the Gradio theme, the language-switch script and the
page's own link-preview tags and ``<html lang>``."""
from __future__ import annotations

import html
import json
import os
import re

# A portal's server has no business calling home; gradio reads this when it is imported.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from ..settings import ui_texts  # noqa: E402

UI = ui_texts()
STRINGS, EXAMPLES, LANGS = UI["strings"], UI["examples"], UI["languages"]
LOCALES = {"zh": "zh-CN", "en": "en"}  # <html lang> and Gradio's locale for each interface language


def chat_strings(kind: str, documents: int) -> dict[str, dict[str, str]]:
    """The interface's strings per language: ``ui.json``'s, and over a corpus its ``corpus`` wordings instead of
    those that name the plan."""
    if kind == "plan":
        return STRINGS
    override = UI["corpus"]["strings"]
    return {lang: {**STRINGS[lang], **{k: v.format(documents=documents) for k, v in override[lang].items()}}
            for lang in STRINGS}

FOCUS, FOCUS_DARK = "#1d4ed8", "#93c5fd"  # the focus ring: 3:1 or more against the light (dark) theme's backgrounds
ACCENT, ACCENT_DARK = "#c8161d", "#a31218"  # the portal red (the widget's); white on it is 5.9:1

CSS = f"""
.gradio-container {{ --east-lake-focus: {FOCUS}; }}
.dark .gradio-container, .dark.gradio-container {{ --east-lake-focus: {FOCUS_DARK}; }}
.gradio-container {{ max-width: 1180px !important; margin: 0 auto !important; }}
#masthead h1 {{ margin: 0 0 4px; font-size: 1.6rem; color: var(--color-accent); }}
#masthead p {{ margin: 0; color: var(--body-text-color-subdued); }}
.cite-doc {{ font-size: .85rem; font-weight: 600; overflow-wrap: anywhere; }}
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


def chat_js(max_chars: int, texts: dict | None = None, examples: dict | None = None) -> str:
    """``CHAT_JS`` with the interface's strings (:func:`chat_strings`), the example questions and the question
    length limit filled in."""
    texts = texts or STRINGS
    keys = ("conversation", "question_label", "answer_label", "language", "like", "dislike", "copy", "copied",
            "notice", "close", "clear", "answering", "scroll_down")
    strings = {lang: {k: texts[lang][k] for k in keys} for lang in texts}
    values = {"__STRINGS__": strings, "__LANGS__": LANGS, "__LOCALES__": LOCALES,
              "__EXAMPLES__": examples or EXAMPLES, "__MAX__": max_chars}
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
