"""One settings object for the whole assistant; environment variables only for runtime switches."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DATA = Path(__file__).resolve().parent / "data"

MAX_QUESTION_CHARS = 500
MAX_TURNS = 20


@dataclass(frozen=True)
class Settings:
    """Where things are and how the assistant behaves.

    Attributes:
        source: the scraped page the plan is parsed from (the bundled copy by default).
        index_dir: where the built index and its manifest live.
        embedder: ``use-m3`` (default), ``e5-small`` or ``st:/path/to/sentence-transformers-model``.
        ranking_embedder: a second embedder of the plan's views (and of a corpus index's clauses, see
            ``corpus_ranking_max``) whose cosine joins the ranking, not the in-scope decision (``e5-small`` by
            default; ``ASSISTANT_RANKING_EMBEDDER=none`` turns it off).
        corpus_ranking_max: ``ingest`` embeds a corpus index's clauses with the ranking embedder too when the index
            holds up to this many clauses after the run (``ASSISTANT_CORPUS_RANKING_MAX``); a larger one has no
            ranking vectors: e5 embeds ~20 clauses a second on two cores, ~2 hours for the 151,184 of the whole
            laws corpus.
        corpus_passages_max: ``ingest`` embeds the rest of each clause its vector does not see (its unseen passages,
            read by the in-scope decision) when the index holds up to this many clauses after the run
            (``ASSISTANT_CORPUS_PASSAGES_MAX``); a larger one keeps none: they would add about half as many texts
            again to embed, and the whole laws corpus would pass 20 minutes on two cores.
        threads: CPU threads for embedding and generation (``ASSISTANT_THREADS``; ``python app.py --workers N``
            gives each worker the machine's cores divided by N).
        top_k: how many clauses an answer may cite.
        related_ratio: a further clause is cited when its score is at least this share of the best one.
        refusal_threshold: in-scope threshold; None takes the one calibrated for the embedder
            (calibrate another with ``python -m eval calibrate --embedder ...``).
        max_question_chars: longer questions are rejected.
        llm: ``none`` (grounded extractive answers), ``local`` or ``openai``.
        feedback_db: where 👍/👎 feedback goes: a SQLite file (a path), or a PostgreSQL database
            (``postgresql://…`` or ``postgres://…`` text; see docs/feedback.md).
        allowed_origins: origins allowed to embed the widget (besides same origin and localhost).
        rate_limit: questions per client (``/api/ask`` and the chat's events), e.g. ``60/minute``.
        feedback_rate_limit: feedback posts per client.
        trusted_proxies: proxy addresses whose ``X-Forwarded-For`` names the client.
        max_history_chars: the most characters the earlier turns of one request may hold, so that a request
            costs at most a few times a plain question.
        english_lexicon: use the hand-written English phrases of ``data/lexicon.json`` besides the CC-CEDICT
            dictionary and the English views (``ASSISTANT_ENGLISH_LEXICON=0`` turns them off).
        log_salt: hashed with a client's address in the answer log (``ASSISTANT_LOG_SALT``): the same on every
            replica links one client's requests whichever replica answered; empty: a random one per process
            (``python app.py`` sets one for all its workers).
        exact_search_max: a corpus index (``python -m assistant ingest``) of up to this many clauses is searched
            exactly (FAISS IndexFlatIP); a larger one approximately (HNSW; ``eval/bench_corpus.py`` measures recall).
        store: where a corpus index's clauses are searched (``ASSISTANT_STORE``): ``faiss`` (the index folder's
            FAISS and bm25s files), ``milvus-lite:PATH.db``, ``milvus://HOST:PORT`` or ``https://HOST:PORT``
            (``docs/store.md``).
    """

    source: Path = PACKAGE_DATA / "policy_page.txt"
    index_dir: Path = ROOT / "index"
    embedder: str = "use-m3"
    ranking_embedder: str = "e5-small"
    threads: int = 2
    top_k: int = 3
    related_ratio: float = 0.85
    refusal_threshold: float | None = None
    max_question_chars: int = MAX_QUESTION_CHARS
    llm: str = "none"
    llm_model_path: str = ""
    openai_base_url: str = ""
    openai_model: str = ""
    llm_cache_dir: Path = Path.home() / ".cache" / "east-lake-assistant"
    feedback_db: str | Path = ROOT / "feedback.sqlite3"
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    english_lexicon: bool = True
    rate_limit: str = "60/minute"
    feedback_rate_limit: str = "20/minute"
    trusted_proxies: tuple[str, ...] = field(default_factory=tuple)
    max_history_chars: int = 3000
    exact_search_max: int = 50_000
    corpus_ranking_max: int = 20_000
    corpus_passages_max: int = 50_000
    store: str = "faiss"
    log_salt: str = field(default="", repr=False)

    def with_(self, **changes) -> "Settings":
        """A copy with some fields changed (``None`` values are ignored, so argparse defaults pass through)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def from_env(base: Settings | None = None) -> Settings:
    """Settings with the runtime switches read from the environment.

    ``ASSISTANT_LLM`` (none/local/openai), ``ASSISTANT_EMBEDDER``, ``ASSISTANT_RANKING_EMBEDDER`` (or none),
    ``ASSISTANT_CORPUS_RANKING_MAX``, ``ASSISTANT_CORPUS_PASSAGES_MAX``, ``ASSISTANT_INDEX_DIR``,
    ``ASSISTANT_STORE`` (faiss, milvus-lite:PATH.db, milvus://HOST:PORT), ``ASSISTANT_FEEDBACK_DB`` (a SQLite
    file or a ``postgresql://`` URL), ``ASSISTANT_ALLOWED_ORIGINS`` (comma-separated), ``ASSISTANT_THRESHOLD``
    (in-scope threshold), ``ASSISTANT_LLM_MODEL_PATH`` (another GGUF), ``ASSISTANT_LLM_CACHE_DIR`` (where the
    bundled model is assembled), ``ASSISTANT_ENGLISH_LEXICON`` (1/0: the hand-written English phrases),
    ``ASSISTANT_RATE_LIMIT`` and ``ASSISTANT_FEEDBACK_RATE_LIMIT`` (e.g. 60/minute), ``ASSISTANT_TRUSTED_PROXIES``
    (comma-separated), ``ASSISTANT_LOG_SALT``, ``ASSISTANT_THREADS``, and for ``openai``: ``OPENAI_BASE_URL``,
    ``OPENAI_MODEL`` (the key stays in ``OPENAI_API_KEY``).
    """
    s = base or Settings()
    env = os.environ
    origins = tuple(o.strip() for o in env.get("ASSISTANT_ALLOWED_ORIGINS", "").split(",") if o.strip())
    return s.with_(
        llm=env.get("ASSISTANT_LLM"),
        embedder=env.get("ASSISTANT_EMBEDDER"),
        ranking_embedder=_ranking(env.get("ASSISTANT_RANKING_EMBEDDER")),
        corpus_ranking_max=_count("ASSISTANT_CORPUS_RANKING_MAX", env.get("ASSISTANT_CORPUS_RANKING_MAX")),
        corpus_passages_max=_count("ASSISTANT_CORPUS_PASSAGES_MAX", env.get("ASSISTANT_CORPUS_PASSAGES_MAX")),
        index_dir=Path(env["ASSISTANT_INDEX_DIR"]) if env.get("ASSISTANT_INDEX_DIR") else None,
        feedback_db=_feedback_db(env.get("ASSISTANT_FEEDBACK_DB")),
        allowed_origins=origins or None,
        openai_base_url=env.get("OPENAI_BASE_URL"),
        openai_model=env.get("OPENAI_MODEL"),
        llm_model_path=env.get("ASSISTANT_LLM_MODEL_PATH"),
        llm_cache_dir=Path(env["ASSISTANT_LLM_CACHE_DIR"]) if env.get("ASSISTANT_LLM_CACHE_DIR") else None,
        refusal_threshold=_number("ASSISTANT_THRESHOLD", env.get("ASSISTANT_THRESHOLD")),
        english_lexicon=_switch("ASSISTANT_ENGLISH_LEXICON", env.get("ASSISTANT_ENGLISH_LEXICON")),
        rate_limit=env.get("ASSISTANT_RATE_LIMIT") or None,
        feedback_rate_limit=env.get("ASSISTANT_FEEDBACK_RATE_LIMIT") or None,
        trusted_proxies=tuple(p.strip() for p in env.get("ASSISTANT_TRUSTED_PROXIES", "").split(",") if p.strip())
        or None,
        store=_store(env.get("ASSISTANT_STORE")),
        log_salt=env.get("ASSISTANT_LOG_SALT") or None,
        threads=_count("ASSISTANT_THREADS", env.get("ASSISTANT_THREADS")),
    )


def is_postgres_url(value: str | Path) -> bool:
    """Whether ``feedback_db`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return isinstance(value, str) and value.lower().startswith(("postgresql://", "postgres://"))


def _feedback_db(value: str | None) -> str | Path | None:
    # a URL stays text: Path() would fold its "//"
    if not value:
        return None
    return value if is_postgres_url(value) else Path(value)


def _store(value: str | None) -> str | None:
    """ASSISTANT_STORE as given, once it parses (a bad value fails at start, naming the setting)."""
    if not value:
        return None
    from .store.base import parse_store

    parse_store(value)
    return value.strip()


def _ranking(value: str | None) -> str | None:
    """ASSISTANT_RANKING_EMBEDDER as given; ``none`` (or ``0``/``off``) turns the second embedder off."""
    if value is None or not value.strip():
        return None
    return "" if value.strip().lower() in ("none", "0", "off") else value.strip()


def _switch(name: str, value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0, not {value!r}")


def _count(name: str, value: str | None) -> int | None:
    if not value:
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _number(name: str, value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value!r}") from None


@lru_cache(maxsize=1)
def ui_texts() -> dict:
    """``data/ui.json``: the interface's strings in each language (chat, responsibility map), its input-error
    wordings and the example questions (the widget gets the examples from ``/api/widget/config``)."""
    return json.loads((PACKAGE_DATA / "ui.json").read_text(encoding="utf-8"))
