"""The Gradio chat at /: questions and answers with a citations panel, examples, 👍/👎 and a 中文/English switch;
over a corpus of several documents, a document picker that limits the answers.

Its texts and example questions are ``assistant/data/ui.json`` (shared with the widget's ``/api/widget/config``);
``mount_chat`` puts it on the API's app. The switch sets the whole page's language: our texts, Gradio's own
(its locale, the chat's button labels) and ``<html lang>``; ``CHAT_JS`` does the browser's part.
"""
from __future__ import annotations

import logging
import os

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
from .chat_page import CSS, LANGS, STRINGS, THEME, UI, chat_js, chat_strings, page_html  # noqa: E402,F401
from .chat_render import (chat_head, conversation, disclaimer, friendly, masthead, render_answer,  # noqa: E402
                          render_citations, to_cites, writing)
from ..responsibility import render_map_html  # noqa: E402
from ..text import load_lexicon  # noqa: E402
from ..types import Document  # noqa: E402
from .service import Service  # noqa: E402

log = logging.getLogger("assistant.chat")


def build_chat(service: Service) -> gr.Blocks:
    """The Gradio chat: questions, answers with a citations panel, examples, 👍/👎, a 中文/English switch.

    Args:
        service: the shared assistant and feedback store.

    Returns:
        The Blocks, ready to mount.
    """

    texts = chat_strings(service.kind, len(service.documents))
    questions = service.examples
    with_map = service.kind == "plan"  # a corpus's documents mostly list no 责任单位: GET /api/map?document= has them

    def gloss_for(lang: str):
        return load_lexicon().bureau_gloss if lang == "en" else None

    def notice(kind, lang: str, message: str) -> None:
        kind(message, title=texts[lang]["notice"])

    def respond(question, turns, lang, chosen=None, request: gr.Request = None):
        """One question: the question is already in the chat (CHAT_JS); the answer follows, from the documents
        ``chosen`` in the picker (all when none). In a generative mode the extractive answer shows at once and
        the model's answer streams beneath it, replacing it when the guard accepts it (the final ``Answer``)."""
        turns = list(turns or [])
        if question is None:  # asked while an answer was still coming (CHAT_JS keeps the question in the box)
            yield (gr.update(),) * 5
            return
        # The earlier turns' records go along with their citations, so "它" and "第二条" refer to what the user saw.
        history = turns[-MAX_TURNS:]
        kept = (conversation(turns), question, turns, gr.update(), gr.update())  # the question back in the box
        try:
            draft = service.draft(question, history) if service.streaming else None
            items = service.stream(question, history, chosen or ())
            first = None if draft else next(items)  # the assistant validates before it yields anything
        except InputError as e:
            notice(gr.Warning, lang, friendly(e, lang))
            yield kept
            return
        except RuntimeError:
            log.exception("the assistant is unavailable")
            notice(gr.Warning, lang, texts[lang]["unavailable"])
            yield kept
            return
        except Exception:  # noqa: BLE001 - the user gets a message in their language, the log the traceback
            log.exception("answering failed")
            notice(gr.Warning, lang, texts[lang]["failed"])
            yield kept
            return
        asked = [{"role": "user", "content": question.strip()}]
        answer = first
        if draft is not None:
            ids = service.assistant().index.by_id
            shown = (writing(draft.answer.text, "", lang, ids) if draft.model_follows
                     else render_answer(draft.answer.text, ids))
            panel = render_citations(draft.answer.to_record(), lang, gloss_for(lang), texts)
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
        yield conversation(turns), gr.update(), turns, render_citations(turns[-1], lang, gloss_for(lang), texts), \
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
            log.error("%s (database %s)", e, service.feedback.where)
            notice(gr.Warning, lang, texts[lang]["feedback_failed"].format(reason=e.reason))
            return
        notice(gr.Info, lang, texts[lang]["thanks_up" if data.liked else "thanks_down"])

    def on_select(turns, lang, data: gr.SelectData):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        if not isinstance(index, int) or not 0 <= index // 2 < len(turns or []):
            return gr.update(), gr.update()
        return render_citations(turns[index // 2], lang, gloss_for(lang), texts), index // 2

    def switch_language(choice, turns, shown):
        lang = LANGS.get(choice, "zh")
        s = texts[lang]
        turn = turns[shown] if turns and isinstance(shown, int) and 0 <= shown < len(turns) else None
        out = (lang, masthead(lang, texts), chat_head(lang), gr.update(label=s["chat"], placeholder=s["welcome"]),
               gr.update(label=s["question_label"], placeholder=s["placeholder"]), gr.update(value=s["send"]),
               to_cites(lang), gr.update(value=s["clear"]),
               gr.Dataset(samples=[[q] for q in questions[lang]], label=s["examples"]),
               render_citations(turn, lang, gloss_for(lang), texts), disclaimer(lang, texts))
        if with_map:
            out += (gr.update(label=s["map"]), render_map_html(lang))
        if picker is not None:
            out += (gr.update(label=s["documents"], info=s["documents_hint"]),)
        return out

    def new_chat(lang):
        return [], [], render_citations(None, lang, texts=texts), "", None

    def ask(question: str, history: list[str] | None = None) -> dict:
        """Answer one question; returns one results record (shared/EVAL-FORMAT.md)."""
        try:
            return service.ask(question, history or []).to_record()
        except InputError as e:
            raise gr.Error(str(e)) from None

    def clause(clause_id: str) -> dict:
        """One clause by id (e.g. 2.5.2)."""
        c = service.answerer().clause(clause_id)
        if c is None:
            raise gr.Error(f"no clause with id {clause_id!r}")
        return c.to_dict()

    s = texts["zh"]
    with gr.Blocks(title=UI["page_title"], analytics_enabled=False) as demo:
        lang = gr.State("zh")
        turns = gr.State([])  # the record of each answered turn (assistant.types.Record)
        shown = gr.State(None)  # which turn's citations the panel shows
        asked = gr.Textbox(visible=False)  # the question CHAT_JS put in the chat, for the server to answer
        with gr.Row(equal_height=False, elem_id="top-row"):
            header = gr.HTML(masthead("zh", texts), scale=5, min_width=260)
            lang_radio = gr.Radio(list(LANGS), value="中文", label=s["language"], show_label=False, container=False,
                                  scale=0, min_width=200, elem_id="lang-switch")
        # The questions and answers; the responsibility map folds out below them. The events below name
        # components, not the layout, and the CSS names elements by id.
        with gr.Row(equal_height=False, elem_id="qa"):
            with gr.Column(scale=3, min_width=320):
                # the picker only when there is something to pick: the plan alone shows none
                picker = gr.Dropdown(choices=choices(service.documents), value=[], multiselect=True,
                                     label=s["documents"], info=s["documents_hint"], elem_id="documents",
                                     filterable=True) if len(service.documents) > 1 else None
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
                examples = gr.Dataset(components=[box], samples=[[q] for q in questions["zh"]],
                                      label=s["examples"], elem_id="examples", samples_per_page=8)
                clear = gr.Button(s["clear"], size="sm", variant="secondary", elem_id="new-chat")
            with gr.Column(scale=2, min_width=300, elem_id="cites-column"):
                cites = gr.HTML(render_citations(None, "zh", texts=texts), elem_id="cites-panel")
        if with_map:
            with gr.Accordion(s["map"], open=False, elem_id="map") as map_box:
                resp_map = gr.HTML(render_map_html("zh"), elem_id="map-panel")
        footer = gr.HTML(disclaimer("zh", texts))

        # Gradio runs one event at a time by default; answers run 8 at a time in one pool, and a question that
        # reaches the model waits in the model's own queue (assistant.generate.ModelQueue), so an extractive
        # answer is never stuck behind a generation. The chat is the one loading indicator (no progress
        # overlays on the box or the panel).
        answer_io = dict(fn=respond, inputs=[asked, turns, lang] + ([picker] if picker else []), outputs=[chatbot, box, turns, cites, shown],
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
                          [lang, header, head, chatbot, box, send, jump, clear, examples, cites, footer]
                          + ([map_box, resp_map] if with_map else []) + ([picker] if picker else []),
                          api_visibility="private", show_progress="hidden")
        lang_radio.change(None, [lang_radio], None, js="(choice) => window.eastLake.setLang(choice)",
                          api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(clause, api_name="clause")
    return demo


def choices(documents: list[Document]) -> list[tuple[str, str]]:
    """The picker's (label, id) pairs: the title, with the id after a title that two documents share."""
    titles = [d.title for d in documents]
    return [(d.title if titles.count(d.title) == 1 else f"{d.title} · {d.id}", d.id) for d in documents]


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
                        js=chat_js(service.settings.max_question_chars, chat_strings(service.kind, len(service.documents)),
                                   service.examples), footer_links=["api"], run_history=False,
                        ssr_mode=False)
    plain = app.router.routes.pop()  # the Mount gradio added: the same chat app, mounted so that it leaves /api/
    mount = ChatMount("/", app=plain.app, name=plain.name)
    app.router.routes.append(mount)
    errors.install_for_mount(mount)
    return app
