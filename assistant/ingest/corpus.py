"""Incremental ingest of files and folders into a corpus index: only new or changed documents are embedded."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from ..index import embed_texts, sha256_file
from ..store.corpus import (DOCS, EMBED_BATCH, FORMAT_VERSION, KIND, MANIFEST, PASSAGES_SUFFIX, RANKING_SUFFIX,
                            WINDOWS_SUFFIX, bm25_text, doc_key, embed_text, ranking_windows, read_clauses,
                            read_manifest, unseen_passages)
from ..store.faiss_store import BM25_DIR, VECTORS, build_bm25, build_faiss, faiss_kind
from ..text import content_tokens
from ..types import Clause, Document
from .documents import document_id, to_document
from .formats import READERS, IngestError, read_text
from .structure import parse_document

# Exit statuses of `python -m assistant ingest`.
EXIT_OK = 0
EXIT_SOME_FAILED = 1  # some files were not ingested (each named on an error line); the rest were


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)  # document ids
    replaced: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    files: int = 0  # files found in the paths given
    embedded: int = 0  # clauses embedded in this run
    passages: int = 0  # their unseen passages embedded in this run (store.corpus.PASSAGES_SUFFIX)
    ranking: str = ""  # the ranking embedder whose vectors the index holds ("" none)
    ranked: int = 0  # clauses the ranking embedder embedded in this run
    documents: int = 0  # in the index after the run
    clauses: int = 0
    seconds: float = 0.0
    written: bool = False

    @property
    def status(self) -> int:
        return EXIT_SOME_FAILED if self.errors else EXIT_OK


# What turns a file into a document and its clauses: a change to any of these (a parser fix, a word list) makes the
# next ingest read every earlier document again and replace those it now parses otherwise — an index built before a
# fix gets it without being rebuilt by hand, and only the documents it changes are embedded again.
_PARSER_FILES = ("structure.py", "documents.py", "formats.py", "../data/structure.json")


def parser_id() -> str:
    """A short hash of the parser's code and word lists (recorded in the manifest as ``parser``)."""
    h = hashlib.sha256()
    for name in _PARSER_FILES:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()[:16]


def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named, and every readable kind of file under the folders named (recursively, hidden ones skipped).

    Returns:
        (files, errors): absolute paths in a stable order; ``(path, reason)`` for a path that does not exist.
    """
    files, errors = [], []
    for p in paths:
        # (normalised, not resolved: "../laws/x.md" and "/work/laws/x.md" are one file, one document — a symlinked
        # folder keeps its own path)
        p = Path(os.path.abspath(p))
        if p.is_dir():
            found = (f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in READERS)
            files += sorted(f for f in found if not any(part.startswith(".") for part in f.relative_to(p).parts))
        elif p.exists():
            files.append(p)
        else:
            errors.append((str(p), "no such file or folder"))
    return list(dict.fromkeys(files)), errors


def check_index_dir(directory: Path) -> dict | None:
    """The corpus manifest of ``directory`` (None when it is new or empty).

    Raises:
        ValueError: the folder holds something else (the plan's index, other files): ingest never overwrites it.
    """
    manifest = read_manifest(directory)
    if manifest is not None:
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{directory} holds a corpus index of format {manifest.get('format_version')}, "
                             f"not {FORMAT_VERSION}; ingest into a new folder")
        return manifest
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ValueError(f"{directory} is not a corpus index (it holds other files, e.g. the plan's index); "
                         f"choose a new or empty folder with --index-dir")
    return None


def parse_file(path: Path, doc_id: str, sha: str) -> tuple[Document, tuple[Clause, ...]]:
    """Read and parse one file into its document and clauses.

    Raises:
        IngestError: unreadable, or no clause found in its text.
    """
    text = read_text(path)
    try:
        parsed = parse_document(text)
    except Exception as exc:  # a parser bug on one odd file must not stop a batch of thousands
        raise IngestError(path, f"cannot parse ({type(exc).__name__}: {exc})") from None
    document, clauses = to_document(parsed, doc_id, str(path), sha)
    if not clauses:
        raise IngestError(path, "no structure: no clause found in its text")
    return document, clauses


def _embed(embedder, texts: list[str], progress: bool) -> np.ndarray:
    return embed_texts(embedder, texts, progress, batch=EMBED_BATCH, unit="clause")


def ingest(paths: Sequence[str | Path], directory: Path, embedder, tokenize, *, prune: bool = False,
           exact_max: int = 50_000, progress: bool = True, log: Callable[[str], None] | None = None,
           ranker=None, ranking_max: int = 20_000, passages_max: int = 50_000) -> IngestReport:
    """Ingest files and folders into the corpus index in ``directory``.

    An unchanged file (same SHA-256, same embedder) is skipped; a changed one replaces its document (same id); a
    file that cannot be read keeps its earlier version, if any, and is reported; ``prune`` removes documents whose
    file is gone. The index is written into a fresh folder that then replaces ``directory``.

    Args:
        paths: files and folders (searched recursively).
        directory: the corpus index folder (created when missing).
        embedder: the embedder (its id is recorded; another one re-embeds every document).
        tokenize: the jieba tokenizer for BM25 (``assistant.store.corpus`` builds it).
        prune: remove documents whose source file no longer exists.
        exact_max: up to this many clauses FAISS searches exactly, above it HNSW.
        progress: progress bars on stderr.
        log: where the error lines go (stderr by default).
        ranker: the ranking embedder (``Settings.ranking_embedder``), or None. Its vectors of every clause are
            kept beside the index when it holds up to ``ranking_max`` clauses after the run (the earlier
            documents' too, when they lack them); a larger index keeps none.
        passages_max: each clause's unseen passages (``store.corpus.unseen_passages``, embedded by ``embedder``)
            are kept while the index holds up to this many clauses after the run; a larger index keeps none.

    Raises:
        ValueError: ``directory`` holds something that is not a corpus index.
    """
    from tqdm import tqdm

    log = log or (lambda m: print(m, file=sys.stderr))
    t0 = time.perf_counter()
    directory = Path(directory).absolute()
    manifest = check_index_dir(directory)
    same_embedder = manifest is not None and manifest.get("embedder") == embedder.id
    old = {d["id"]: Document(**d) for d in (manifest or {}).get("documents", [])}
    # (an index written before sources were normalised may hold "/a/b/../laws/x.md": the same file)
    by_source = {os.path.normpath(d.source): d for d in old.values()}
    report = IngestReport()
    files, report.errors = find_files(paths)
    report.files = len(files)
    kept: dict[str, Document] = {} if not same_embedder else dict(old)
    fresh: dict[str, tuple[Document, tuple[Clause, ...]]] = {}
    taken = set(old)
    skipped: set[str] = set()  # the documents of this run's files found unchanged
    for path in tqdm(files, desc="reading", unit="file", disable=not progress, file=sys.stderr):
        try:
            sha = sha256_file(path)
        except OSError as e:
            report.errors.append((str(path), f"cannot read ({e.strerror})"))
            continue
        before = by_source.get(str(path))
        if before is not None and before.sha256 == sha and same_embedder:
            report.unchanged += 1
            skipped.add(before.id)
            continue
        doc_id = before.id if before is not None else document_id(path, taken)
        taken.add(doc_id)
        try:
            fresh[doc_id] = parse_file(path, doc_id, sha)
        except IngestError as e:
            report.errors.append((str(path), e.reason))
            continue
        (report.replaced if before is not None else report.added).append(doc_id)
        kept.pop(doc_id, None)
    parser = parser_id()
    if same_embedder and manifest.get("parser") != parser:
        # the parser changed since the earlier documents were parsed: each unchanged file is parsed again, and its
        # document replaced when its clauses differ (embedded again), or only its record when that alone does
        for d in list(kept.values()):
            source = Path(d.source)
            try:
                if d.id in fresh or not source.is_file() or sha256_file(source) != d.sha256:
                    continue
                document, clauses = parse_file(source, d.id, d.sha256)
            except (IngestError, OSError):
                continue  # (it keeps its earlier version)
            if [c.to_dict() for c in clauses] != [c.to_dict() for c in read_clauses(directory, d.id)]:
                fresh[d.id] = (document, clauses)
                del kept[d.id]
            elif document != d:
                kept[d.id] = document  # its record alone (a date now read): its vectors stay as they are
            else:
                continue
            report.replaced.append(d.id)
            report.unchanged -= d.id in skipped
    if not same_embedder and manifest is not None:
        # another embedder: every earlier document is read and embedded again (those not named in this run too)
        for d in old.values():
            if d.id not in fresh and Path(d.source).is_file():
                try:
                    fresh[d.id] = parse_file(Path(d.source), d.id, sha256_file(Path(d.source)))
                    report.replaced.append(d.id)
                except (IngestError, OSError) as e:
                    report.errors.append((d.source, getattr(e, "reason", str(e))))
    if prune:
        for doc_id, d in list(kept.items()):
            if not Path(d.source).is_file():
                del kept[doc_id]
                report.removed.append(doc_id)
    for f, reason in report.errors:
        log(f"error: {f}: {reason}")
    # nothing new for an index that does not exist yet: write nothing (a batch of bad files leaves no empty index)
    total = sum(d.clauses for d in kept.values()) + sum(len(cs) for _, cs in fresh.values())
    report.ranking = ranker.id if ranker is not None and 0 < total <= ranking_max else ""
    had = (manifest or {}).get("ranking_embedder", "") if same_embedder else ""
    # each clause's unseen passages, up to passages_max clauses (an index written before they were kept gets them
    # for its earlier documents too; one grown past the size drops them all: its scope reads the clauses alone)
    passaged = 0 < total <= passages_max
    with_passages = {d.id for d in kept.values() if (directory / DOCS / f"{doc_key(d.id)}{PASSAGES_SUFFIX}").exists()}
    unpassaged = [d for d in kept.values() if d.id not in with_passages] if passaged else []
    changed = bool(fresh or report.removed or unpassaged or (with_passages and not passaged)) or (
        manifest is not None and not same_embedder) or bool(
        (fresh or kept) and (manifest or {}).get("parser") != parser) or (
        manifest is not None and report.ranking != had and bool(fresh or kept))
    if changed:
        new_clauses = [(d, c) for d, cs in fresh.values() for c in cs]
        # jieba (pure Python) tokenises in a thread while the embedder's matrix products (which release the GIL)
        # run: on two cores the BM25 tokens come almost for free.
        # (each clause's unseen passages are embedded in the same run: the owner of each is its clause's place)
        unseen = [(d, [(i, p) for i, c in enumerate(cs) for p in unseen_passages(d, c)])
                  for d, cs in [*fresh.values(), *((d, read_clauses(directory, d.id)) for d in unpassaged)]
                  ] if passaged else []
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(lambda: [content_tokens(tokenize(bm25_text(d, c))) for d, c in new_clauses])
            embedded = _embed(embedder, [embed_text(d, c) for d, c in new_clauses]
                              + [p for _, mine in unseen for _, p in mine], progress)
            tokens = pending.result()
        vectors = embedded[:len(new_clauses)]
        report.embedded, report.passages = len(new_clauses), len(embedded) - len(new_clauses)
        passages, start = {}, len(new_clauses)
        for d, mine in unseen:
            passages[d.id] = (np.array([i for i, _ in mine], dtype=np.int32),
                              embedded[start:start + len(mine)].reshape(len(mine), embedded.shape[1]))
            start += len(mine)
        per_doc, start = {}, 0
        for doc_id, (d, cs) in fresh.items():
            per_doc[doc_id] = (d, cs, vectors[start:start + len(cs)], tokens[start:start + len(cs)])
            start += len(cs)
        documents = sorted([*kept.values(), *(d for d, *_ in per_doc.values())], key=lambda d: d.source)
        ranking = {}
        if report.ranking:
            # this run's documents, and the earlier ones when the index held no vectors of this embedder
            groups = [(d, cs) for d, cs in fresh.values()] + (
                [(d, read_clauses(directory, d.id)) for d in kept.values()] if had != report.ranking else [])
            ranked = _embed(ranker, [embed_text(d, c) for d, cs in groups for c in cs], progress)
            # (each longer article's passages too: the owner of each is its clause's place in the document)
            windowed = [[(i, w) for i, c in enumerate(cs) for w in ranking_windows(d, c)] for d, cs in groups]
            windows = _embed(ranker, [w for mine in windowed for _, w in mine], progress)
            start = passage = 0
            for (d, cs), mine in zip(groups, windowed):
                held = [i for i, _ in mine]
                ranking[d.id] = (ranked[start:start + len(cs)], np.array(held, dtype=np.int32),
                                 windows[passage:passage + len(held)].reshape(len(held), ranked.shape[1]))
                start, passage = start + len(cs), passage + len(held)
            report.ranked = start
        dim = vectors.shape[1] if len(vectors) else (manifest or {}).get("dim") or embedder.embed_query("维").shape[0]
        write_index(directory, documents, per_doc, embedder.id, int(dim), exact_max, t0, progress,
                    report.ranking, ranking, parser, passages if passaged else None)
        report.written = True
        report.documents, report.clauses = len(documents), sum(d.clauses for d in documents)
    else:
        report.documents, report.clauses = len(old), sum(d.clauses for d in old.values())
    report.seconds = time.perf_counter() - t0
    return report


def write_index(directory: Path, documents: list[Document], fresh: dict, embedder_id: str, dim: int,
                exact_max: int, t0: float, progress: bool, ranking_id: str = "",
                ranking: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
                parser: str = "", passages: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> None:
    """Write the whole index into a fresh folder beside ``directory`` that then replaces it, so a reader never
    sees a half-written index; unchanged documents' files are hard-linked from the current folder, not copied.
    ``ranking_id``: the ranking embedder whose vectors every document keeps ("" none), ``ranking``: those
    computed in this run by document — its clauses' vectors, its passages' owners (each one's clause place) and
    vectors — (the others' are linked); ``parser``: :func:`parser_id` of the parser that parsed them;
    ``passages``: by document, its unseen passages' owners and vectors computed in this run (the others' are
    linked); None when the index keeps none."""
    import faiss

    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.building-", dir=directory.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp's 0700 would hide the index from a service running as another user
        (tmp / DOCS).mkdir()
        all_vectors, all_tokens = [], []
        for d in documents:
            key = doc_key(d.id)
            if d.id in fresh:
                _, clauses, vectors, tokens = fresh[d.id]
                with open(tmp / DOCS / f"{key}.jsonl", "w", encoding="utf-8") as f:
                    for c in clauses:
                        f.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
                np.save(tmp / DOCS / f"{key}.npy", vectors)
                (tmp / DOCS / f"{key}.tokens.json").write_text(json.dumps(tokens, ensure_ascii=False),
                                                               encoding="utf-8")
            else:
                for suffix in (".jsonl", ".npy", ".tokens.json"):
                    _link(directory / DOCS / f"{key}{suffix}", tmp / DOCS / f"{key}{suffix}")
                vectors = np.load(tmp / DOCS / f"{key}.npy")
                tokens = json.loads((tmp / DOCS / f"{key}.tokens.json").read_text(encoding="utf-8"))
            if ranking_id and d.id in (ranking or {}):
                clause_vectors, owners, windows = ranking[d.id]
                np.save(tmp / DOCS / f"{key}{RANKING_SUFFIX}", clause_vectors)
                np.savez(tmp / DOCS / f"{key}{WINDOWS_SUFFIX}", owners=owners, vectors=windows)
            elif ranking_id:
                _link(directory / DOCS / f"{key}{RANKING_SUFFIX}", tmp / DOCS / f"{key}{RANKING_SUFFIX}")
                if (directory / DOCS / f"{key}{WINDOWS_SUFFIX}").exists():  # (none in an index written before them)
                    _link(directory / DOCS / f"{key}{WINDOWS_SUFFIX}", tmp / DOCS / f"{key}{WINDOWS_SUFFIX}")
            if d.id in (passages or {}):
                owners, held = passages[d.id]
                # (half precision: the cosines only decide whether a question is in scope)
                np.savez(tmp / DOCS / f"{key}{PASSAGES_SUFFIX}", owners=owners, vectors=held.astype(np.float16))
            elif passages is not None and (directory / DOCS / f"{key}{PASSAGES_SUFFIX}").exists():
                _link(directory / DOCS / f"{key}{PASSAGES_SUFFIX}", tmp / DOCS / f"{key}{PASSAGES_SUFFIX}")
            all_vectors.append(vectors)
            all_tokens += tokens
        matrix = np.vstack(all_vectors) if all_vectors else np.zeros((0, dim), dtype=np.float32)
        if progress:
            print(f"indexing {len(matrix):,} vectors ({faiss_kind(len(matrix), exact_max)}) and BM25",
                  file=sys.stderr)
        faiss.write_index(build_faiss(matrix, exact_max), str(tmp / VECTORS))
        if all_tokens:
            build_bm25(all_tokens).save(str(tmp / BM25_DIR), show_progress=False)
        manifest = {
            "format_version": FORMAT_VERSION,
            "kind": KIND,
            "embedder": embedder_id,
            "ranking_embedder": ranking_id,
            "dim": dim,
            "tokenizer": "jieba-search",
            "parser": parser,
            "faiss": faiss_kind(len(matrix), exact_max),
            "exact_max": exact_max,
            "clauses": len(matrix),
            "documents": [d.to_dict() for d in documents],
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": round(time.perf_counter() - t0, 2),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        from ..index import swap_in

        swap_in(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(src, dst)
