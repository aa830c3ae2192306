"""The Gradio chat at /: questions and answers with a citations panel, examples, 👍/👎 and a 中文/English switch.

Its texts and example questions are ``assistant/data/ui.json`` (shared with the widget's ``/api/widget/config``);
``mount_chat`` puts it on the API's app.
"""
from __future__ import annotations

import html
import logging
import os
import re
from itertools import chain

# A portal's server has no business calling home; gradio reads this when it is imported.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402
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

CSS = """
.gradio-container { max-width: 1180px !important; margin: 0 auto !important; }
#masthead h1 { margin: 0 0 4px; font-size: 1.6rem; color: var(--color-accent); }
#masthead p { margin: 0; color: var(--body-text-color-subdued); }
#lang-switch { align-self: center; }
#lang-switch .wrap { flex-wrap: nowrap; }
#cites-panel .cites { display: flex; flex-direction: column; gap: 12px; }
#cites-panel h3 { margin: 0 0 4px; font-size: 1.05rem; }
#cites-panel .hint { color: var(--body-text-color-subdued); margin: 0; }
.cite { border: 1px solid var(--border-color-primary); border-left: 4px solid var(--color-accent);
        border-radius: 8px; padding: 10px 12px; background: var(--block-background-fill); }
.cite-path { font-size: .8rem; color: var(--body-text-color-subdued); overflow-wrap: anywhere; }
.cite-title { font-weight: 600; margin: 4px 0 6px; font-size: 1rem; }
.cite-id { font-size: .75rem; color: var(--body-text-color-subdued); font-weight: 400; margin-left: 6px; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 6px; }
.chips-label { font-size: .8rem; color: var(--body-text-color-subdued); width: 100%; }
.chip { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: .85rem; line-height: 1.5;
        background: var(--color-accent-soft); color: var(--body-text-color);
        border: 1px solid var(--color-accent); }
.chip small { opacity: .75; margin-left: 4px; }
.cite blockquote { margin: 6px 0 0; padding: 6px 10px; border-left: 3px solid var(--border-color-primary);
                   background: var(--background-fill-secondary); font-size: .9rem; line-height: 1.6; }
#disclaimer { font-size: .8rem; color: var(--body-text-color-subdued); text-align: center; }
@media (max-width: 640px) {
  .gradio-container { padding: 6px !important; }
  #top-row { flex-wrap: wrap !important; }
  #top-row > * { flex: 1 1 100% !important; min-width: 100% !important; }
  #lang-switch { align-self: flex-start; }
  #chat { height: min(480px, 62vh) !important; }
  #masthead h1 { font-size: 1.25rem; }
  #masthead p { font-size: .85rem; }
}
"""

THEME = gr.themes.Default(
    primary_hue="red", secondary_hue="slate", neutral_hue="slate",
    # System fonts only: a Google font would be fetched from the internet, which an intranet cannot reach.
    font=["system-ui", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"],
    font_mono=["ui-monospace", "Consolas", "monospace"],
)

HEAD = f'<meta name="description" content="{html.escape(UI["description"])}">'


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
    """The citations panel for one answered turn (escaped HTML).

    Args:
        turn: a turn's record (``refused`` and ``citations`` are read), ``{"pending": True}`` while it is being
            written, or None before any answer.
        lang: the interface language.
        gloss: optional ``bureau -> English name`` function for the English interface.

    Returns:
        HTML for the panel.
    """
    s = STRINGS[lang]
    head = f'<h3>{s["cites"]}</h3>'
    if turn is None:
        return f'<div class="cites">{head}<p class="hint">{s["cites_empty"]}</p></div>'
    if turn.get("pending"):
        return f'<div class="cites">{head}<p class="hint">{s["cites_pending"]}</p></div>'
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
            f'<article class="cite" data-clause="{e(c["id"])}">'
            f'<div class="cite-path">{path}</div>'
            f'<div class="cite-title">{e(c["title"])}<span class="cite-id">#{e(c["id"])}</span></div>'
            f'<div class="chips" aria-label="{s["bureaus"]}"><span class="chips-label">{s["bureaus"]}</span>{chips}</div>'
            f'<blockquote aria-label="{s["quote"]}">{e(c["quote"])}</blockquote></article>')
    return f'<div class="cites">{head}{"".join(cards)}</div>'


def _english(gloss: str, bureau: str) -> str:
    # The lexicon's gloss reads "市法院 (Wuhan Intermediate People's Court)": keep the English part only.
    m = re.search(r"\((.+)\)\s*$", gloss)
    return m.group(1) if m and gloss.startswith(bureau) else ""


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

    def respond(message, chat, turns, lang, request: gr.Request = None):
        chat, turns = list(chat or []), list(turns or [])
        # The earlier turns' records go along with their citations, so "它" and "第二条" refer to what the user saw.
        history = turns[-MAX_TURNS:]
        nothing = (gr.update(),) * 5
        try:
            items = service.stream(message, history)
            first = next(items)  # the assistant validates before it yields anything
        except InputError as e:
            gr.Warning(friendly(e, lang))
            yield nothing
            return
        except RuntimeError:
            log.exception("the assistant is unavailable")
            gr.Warning(STRINGS[lang]["unavailable"])
            yield nothing
            return
        except Exception:  # noqa: BLE001 - the user gets a message in their language, the log the traceback
            log.exception("answering failed")
            gr.Warning(STRINGS[lang]["failed"])
            yield nothing
            return
        chat += [{"role": "user", "content": message.strip()}, {"role": "assistant", "content": ""}]
        text, answer = "", None
        try:
            for item in chain([first], items):
                if isinstance(item, Answer):
                    answer = item
                elif isinstance(item, str):
                    text += item
                    chat[-1] = {"role": "assistant", "content": text}
                    yield list(chat), "", turns, render_citations({"pending": True}, lang), gr.update()
        except Exception:  # noqa: BLE001 - a generator failing mid-answer must not leave a half answer unexplained
            log.exception("answering failed")
            answer = None
        if answer is None:
            gr.Warning(STRINGS[lang]["failed"])
            yield (chat[:-2], message, turns, render_citations(turns[-1] if turns else None, lang, gloss_for(lang)),
                   len(turns) - 1 if turns else None)
            return
        client = request.client.host if request is not None and request.client else "unknown"
        service.log_answer(answer, client, "chat")
        chat[-1] = {"role": "assistant", "content": answer.text}
        turns.append(answer.to_record())
        yield chat, "", turns, render_citations(turns[-1], lang, gloss_for(lang)), len(turns) - 1

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
            gr.Warning(STRINGS[lang]["feedback_failed"].format(reason=e.reason))
            return
        gr.Info(STRINGS[lang]["thanks_up" if data.liked else "thanks_down"])

    def on_select(turns, lang, data: gr.SelectData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        if not isinstance(index, int) or not 0 <= index // 2 < len(turns or []):
            return gr.update(), gr.update()
        return render_citations(turns[index // 2], lang, gloss_for(lang)), index // 2

    def switch_language(choice, turns, shown):
        lang = LANGS.get(choice, "zh")
        s = STRINGS[lang]
        turn = turns[shown] if turns and isinstance(shown, int) and 0 <= shown < len(turns) else None
        return (lang, masthead(lang), gr.update(label=s["chat"], placeholder=s["welcome"]),
                gr.update(placeholder=s["placeholder"]), gr.update(value=s["send"]), gr.update(value=s["clear"]),
                gr.Dataset(samples=[[q] for q in EXAMPLES[lang]], label=s["examples"]),
                render_citations(turn, lang, gloss_for(lang)),
                f'<p id="disclaimer">{s["disclaimer"]}</p>')

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
        with gr.Row(equal_height=False, elem_id="top-row"):
            header = gr.HTML(masthead("zh"), scale=5, min_width=260)
            lang_radio = gr.Radio(list(LANGS), value="中文", show_label=False, container=False, scale=0,
                                  min_width=200, elem_id="lang-switch")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chatbot = gr.Chatbot(label=s["chat"], placeholder=s["welcome"], height=480, elem_id="chat",
                                     feedback_options=("Like", "Dislike"), buttons=["copy"], autoscroll=True)
                with gr.Row(equal_height=True):
                    box = gr.Textbox(show_label=False, placeholder=s["placeholder"], lines=1, max_lines=5,
                                     scale=5, min_width=180, container=False, elem_id="question", autofocus=True)
                    send = gr.Button(s["send"], variant="primary", scale=0, min_width=84, elem_id="send")
                examples = gr.Dataset(components=[box], samples=[[q] for q in EXAMPLES["zh"]],
                                      label=s["examples"], elem_id="examples", samples_per_page=8)
                clear = gr.Button(s["clear"], size="sm", variant="secondary", elem_id="new-chat")
            with gr.Column(scale=2, min_width=300, elem_id="cites-column"):
                cites = gr.HTML(render_citations(None, "zh"), elem_id="cites-panel")
        footer = gr.HTML(f'<p id="disclaimer">{s["disclaimer"]}</p>')

        # Gradio runs one event at a time by default; answers run 8 at a time in one pool, and a question that
        # reaches the model waits in the model's own queue (assistant.generate.ModelQueue), so an extractive
        # answer is never stuck behind a generation.
        answer_io = dict(fn=respond, inputs=[box, chatbot, turns, lang], outputs=[chatbot, box, turns, cites, shown],
                         api_visibility="private", concurrency_limit=8, concurrency_id="answer")
        box.submit(**answer_io)
        send.click(**answer_io)
        examples.click(lambda sample: sample[0], [examples], [box], api_visibility="private").then(**answer_io)
        chatbot.like(on_like, [turns, lang], None, api_visibility="private")
        chatbot.select(on_select, [turns, lang], [cites, shown], api_visibility="private")
        chatbot.clear(new_chat, [lang], [chatbot, turns, cites, box, shown], api_visibility="private")
        clear.click(new_chat, [lang], [chatbot, turns, cites, box, shown], api_visibility="private")
        lang_radio.change(switch_language, [lang_radio, turns, shown],
                          [lang, header, chatbot, box, send, clear, examples, cites, footer],
                          api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(clause, api_name="clause")
    return demo


class ChatMount(Mount):
    """The chat's mount at ``/``, leaving the API's paths to the API: a wrong method or an unknown path under
    ``/api/`` is the API's JSON 405 or 404, not the chat's (a mount at ``/`` matches every path)."""

    def matches(self, scope):
        if scope["type"] == "http" and get_route_path(scope).startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


def mount_chat(app: FastAPI, service: Service) -> FastAPI:
    """Mount the chat at ``/`` of the API's app (last: every path the app does not serve is the chat's).

    Args:
        app: the API's app (``assistant.server.api.create_api``).
        service: the same service the API uses.

    Returns:
        ``app``, with the chat mounted.
    """
    gr.mount_gradio_app(app, build_chat(service), path="/", theme=THEME, css=CSS, head=HEAD, footer_links=["api"],
                        run_history=False, ssr_mode=False)
    plain = app.router.routes.pop()  # the Mount gradio added: the same chat app, mounted so that it leaves /api/
    mount = ChatMount("/", app=plain.app, name=plain.name)
    app.router.routes.append(mount)
    errors.install_for_mount(mount)
    return app
