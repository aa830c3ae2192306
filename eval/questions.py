"""Read and check a question set in the JSON Lines format of shared/EVAL-FORMAT.md."""
from __future__ import annotations

import json
from pathlib import Path

KINDS_GOLD = ("clauses", "all_clauses", "bureaus", "facts")


class QuestionSetError(ValueError):
    """The question file is unreadable or malformed; the message names the line."""


def _check(entry, line: int, seen: set) -> dict:
    where = f"line {line}"
    if not isinstance(entry, dict):
        raise QuestionSetError(f"{where}: expected a JSON object")
    qid = entry.get("id")
    if not isinstance(qid, str) or not qid:
        raise QuestionSetError(f"{where}: 'id' must be a non-empty string")
    if qid in seen:
        raise QuestionSetError(f"{where}: duplicate id {qid!r}")
    turns = entry.get("turns")
    if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
        raise QuestionSetError(f"{where}: 'turns' must be a non-empty list of non-empty strings")
    if not isinstance(entry.get("kind"), str) or not entry["kind"]:
        raise QuestionSetError(f"{where}: 'kind' must be a non-empty string")
    if entry.get("lang") not in ("zh", "en"):
        raise QuestionSetError(f"{where}: 'lang' must be 'zh' or 'en'")
    for key in KINDS_GOLD:
        value = entry.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) and v for v in value)):
            raise QuestionSetError(f"{where}: '{key}' must be a list of non-empty strings")
    seen.add(qid)
    return entry


def load_questions(path: str | Path) -> dict[str, dict]:
    """Load a question set, keyed by id in file order.

    Args:
        path: a JSON Lines file.

    Returns:
        ``{id: entry}``.

    Raises:
        QuestionSetError: on an unreadable file, bad JSON, a missing or ill-typed field, or no questions.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QuestionSetError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise QuestionSetError(f"{path}: cannot read: {e}") from None
    out: dict[str, dict] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
        except json.JSONDecodeError as e:
            raise QuestionSetError(f"{path}: line {n}: not valid JSON ({e.msg})") from None
        try:
            e = _check(entry, n, set(out))
        except QuestionSetError as err:
            raise QuestionSetError(f"{path}: {err}") from None
        out[e["id"]] = e
    if not out:
        raise QuestionSetError(f"{path}: no questions in the file")
    return out
