"""The LangChain adapter: our Clause/Embedder types to LangChain Documents and Embeddings, and back; the
generative models as LangChain chat models (xllamacpp in-process, or any OpenAI-compatible endpoint).

Every LangChain import of the project lives in this module.
"""
from __future__ import annotations

import queue
import threading
from typing import Any, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field

from .embedders import Embedder
from .types import Clause


def clause_to_document(clause: Clause) -> Document:
    """A clause as a LangChain Document (text plus the citation fields as metadata)."""
    return Document(page_content=clause.text, metadata={
        "id": clause.id, "kind": clause.kind, "path": clause.path, "title": clause.title,
        "bureaus": list(clause.bureaus), "bureau_groups": [list(g) for g in clause.bureau_groups],
    })


def document_to_clause(doc: Document) -> Clause:
    """The inverse of :func:`clause_to_document`."""
    m = doc.metadata
    return Clause(m["id"], m["kind"], m["path"], m["title"], doc.page_content, tuple(m["bureaus"]),
                  tuple(tuple(g) for g in m["bureau_groups"]))


class EmbeddingsAdapter(Embeddings):
    """Any of our embedders as LangChain ``Embeddings``."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()


# --------------------------------------------------------------------------- chat models

_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}
_DONE = object()


def _openai_messages(messages: list[BaseMessage]) -> list[dict]:
    out = []
    for m in messages:
        role = _ROLES.get(m.type)
        if role is None:
            raise ValueError(f"cannot send a {m.type!r} message to the local model")
        out.append({"role": role, "content": m.content if isinstance(m.content, str) else str(m.content)})
    return out


def _error_of(reply: Any) -> str:
    """The error message of an xllamacpp reply ('' when it is a normal completion or chunk)."""
    if not isinstance(reply, dict):
        return f"unexpected reply {type(reply).__name__}"
    if "choices" in reply:
        return ""
    err = reply.get("error", reply)
    return str(err.get("message", err)) if isinstance(err, dict) else str(err)


def _usage(reply: dict) -> dict | None:
    u = reply.get("usage")
    if not u:
        return None
    return {"input_tokens": int(u.get("prompt_tokens", 0)), "output_tokens": int(u.get("completion_tokens", 0)),
            "total_tokens": int(u.get("total_tokens", 0))}


class XllamacppChatModel(BaseChatModel):
    """A llama.cpp server running in this process (``xllamacpp.Server``) as a LangChain chat model.

    ``server`` is anything with xllamacpp's ``handle_chat_completions(request[, on_chunk])``; build it with
    ``assistant.llm.load_local_chat_model``, which starts it once per process and locks its HTTP listener.
    Requests ask llama.cpp to reuse the KV cache of the common prompt prefix (``cache_prompt``), so the fixed
    system prompt is computed once. ``response_metadata["timings"]`` carries llama.cpp's timings
    (``cache_n`` = prompt tokens reused from the cache, ``prompt_n`` = tokens computed).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    server: Any = Field(exclude=True, repr=False)
    model_name: str = "qwen2.5-coder-1.5b-instruct-q4_k_m"
    max_tokens: int = 320
    temperature: float = 0.0

    @property
    def _llm_type(self) -> str:
        return "xllamacpp"

    @property
    def _identifying_params(self) -> dict:
        return {"model_name": self.model_name, "max_tokens": self.max_tokens, "temperature": self.temperature}

    def _request(self, messages: list[BaseMessage], stop: list[str] | None, stream: bool, **kwargs: Any) -> dict:
        req = {"messages": _openai_messages(messages),
               "max_tokens": int(kwargs.get("max_tokens", self.max_tokens)),
               "temperature": float(kwargs.get("temperature", self.temperature)),
               "cache_prompt": True}
        if stop:
            req["stop"] = list(stop)
        if stream:
            req["stream"] = True
            req["stream_options"] = {"include_usage": True}
        return req

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        reply = self.server.handle_chat_completions(self._request(messages, stop, False, **kwargs))
        if err := _error_of(reply):
            raise RuntimeError(f"the local model failed: {err}")
        choice = reply["choices"][0]
        meta = {"model_name": self.model_name, "finish_reason": choice.get("finish_reason"),
                "timings": reply.get("timings", {})}
        msg = AIMessage(content=choice.get("message", {}).get("content") or "", response_metadata=meta,
                        usage_metadata=_usage(reply))
        return ChatResult(generations=[ChatGeneration(message=msg, generation_info=meta)],
                          llm_output={"token_usage": reply.get("usage", {}), "model_name": self.model_name})

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        """Tokens as they come: the blocking native call runs in a thread and hands chunks over a queue.

        Closing the iterator early (e.g. a grounding check failed) makes the next callback return True,
        which tells llama.cpp to stop generating.
        """
        request = self._request(messages, stop, True, **kwargs)
        chunks: queue.Queue = queue.Queue()
        cancelled = threading.Event()

        def on_chunk(chunk: Any) -> bool:
            chunks.put(chunk)
            return cancelled.is_set()

        def run() -> None:
            try:
                self.server.handle_chat_completions(request, on_chunk)
            except BaseException as e:  # noqa: BLE001 - handed over to the consuming thread
                chunks.put(e)
            finally:
                chunks.put(_DONE)

        worker = threading.Thread(target=run, name="xllamacpp-stream", daemon=True)
        worker.start()
        try:
            while (item := chunks.get()) is not _DONE:
                if isinstance(item, BaseException):
                    raise RuntimeError(f"the local model failed: {item}") from item
                if err := _error_of(item):
                    raise RuntimeError(f"the local model failed: {err}")
                choices = item.get("choices") or []
                delta = (choices[0].get("delta") or {}) if choices else {}
                text = delta.get("content") or ""
                finish = choices[0].get("finish_reason") if choices else None
                usage = _usage(item)
                if not text and not finish and not usage:
                    continue
                meta = {}
                if finish:
                    meta["finish_reason"] = finish
                if "timings" in item and (finish or usage):
                    meta["timings"] = item["timings"]
                if meta:
                    meta["model_name"] = self.model_name
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=text, response_metadata=meta,
                                                                   usage_metadata=usage))
                if text and run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
        finally:
            cancelled.set()
            worker.join(timeout=60)


def openai_chat_model(base_url: str, model: str, *, api_key: str | None, max_tokens: int,
                      timeout: float = 60.0, temperature: float = 0.0) -> BaseChatModel:
    """An OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, DeepSeek, Qwen/DashScope...) as a chat model.

    Raises:
        ImportError: when langchain-openai is not installed.
    """
    from langchain_openai import ChatOpenAI

    kwargs: dict[str, Any] = {"model": model, "temperature": temperature, "max_tokens": max_tokens,
                              "timeout": timeout, "max_retries": 1, "stream_usage": True}
    if base_url:
        kwargs["base_url"] = base_url
    if api_key is not None:
        kwargs["api_key"] = api_key
    return ChatOpenAI(**kwargs)
