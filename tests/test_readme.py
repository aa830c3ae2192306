"""README.md's examples run as printed: every `$ python -m assistant ask …` prints exactly what the README shows,
every `curl` example answers a live server (`python app.py` on 127.0.0.1) with the output shown after it, and the
`gradio_client` example runs; the first screen's test command is the one `.ci/run` runs."""
import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from assistant.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_BASE = "http://127.0.0.1:7860"
BLOCKS = list(re.finditer(r"```(\w*)\n(.*?)```", README, re.S))
TEST_COMMAND = "bash scripts/test"


# ---------------------------------------------------------------- the command line

def _examples() -> list[tuple[list[str], str]]:
    out = []
    for block in re.findall(r"```text\n(.*?)```", README, re.S):
        # a block may hold several commands, each followed by its output
        parts = re.split(r"^\$ python -m assistant ask (.*)$", block, flags=re.M)
        for args, printed in zip(parts[1::2], parts[2::2]):
            out.append((shlex.split(args), printed.strip("\n")))
    return out


EXAMPLES = _examples()


def test_the_readme_has_cli_examples():
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize("args, printed", EXAMPLES, ids=[" ".join(a)[:40] for a, _ in EXAMPLES])
def test_readme_cli_example_prints_as_shown(args, printed, capsys):
    assert main(["ask", *args]) == 0
    assert capsys.readouterr().out.strip("\n") == printed


# ---------------------------------------------------------------- curl against a live server

def _logical_lines(block: str) -> list[str]:
    """The block's lines with backslash continuations joined."""
    return [re.sub(r"\\\n\s*", "", line) for line in re.split(r"(?<!\\)\n", block) if line.strip()]


def _curl_examples() -> list[tuple[str, int | None, object]]:
    """(command, status shown or None, output shown or None) for every `curl` in a bash or text block.

    The output is the `# …` comment line right after the command — a JSON value, after the HTTP status when it
    is not 200 — or, for a block's last command, the JSON block that follows the block.
    """
    out = []
    for i, m in enumerate(BLOCKS):
        if m.group(1) not in ("bash", "text"):
            continue
        lines = _logical_lines(m.group(2))
        for j, line in enumerate(lines):
            command = line.removeprefix("$ ")
            if not command.startswith("curl "):
                continue
            status, shown = None, None
            after = lines[j + 1] if j + 1 < len(lines) else ""
            comment = re.fullmatch(r"#\s*(?:(\d{3})\s+)?([\[{].*)", after)
            if comment:
                status, shown = int(comment.group(1)) if comment.group(1) else None, json.loads(comment.group(2))
            elif j == len(lines) - 1 and i + 1 < len(BLOCKS) and BLOCKS[i + 1].group(1) == "json" \
                    and not README[m.end():BLOCKS[i + 1].start()].strip():
                shown = json.loads(BLOCKS[i + 1].group(2))
            out.append((command, status, shown))
    return out


CURLS = _curl_examples()
VARYING = {"latency_ms", "uptime_s", "id"}  # numbers that differ from run to run: only their type is compared
MORE = "…"


def differences(shown, actual, where: str = "$") -> list[str]:
    """Where ``actual`` differs from what the README shows. ``…`` abridges: a string ending in it is a prefix, a
    list ending in it a prefix of the list, and a ``"…": "…"`` field stands for the fields not shown."""
    if isinstance(shown, dict):
        if not isinstance(actual, dict):
            return [f"{where}: an object is shown, the server sent {actual!r:.80}"]
        keys = [k for k in shown if k != MORE]
        out = [f"{where}: no field {k!r}" for k in keys if k not in actual]
        if MORE not in shown:
            out += [f"{where}: field {k!r} is not shown" for k in actual if k not in shown]
        for k in keys:
            if k not in actual:
                continue
            if k in VARYING and isinstance(shown[k], (int, float)) and not isinstance(shown[k], bool):
                if not isinstance(actual[k], (int, float)) or isinstance(actual[k], bool):
                    out.append(f"{where}.{k}: a number is shown, the server sent {actual[k]!r}")
            else:
                out += differences(shown[k], actual[k], f"{where}.{k}")
        return out
    if isinstance(shown, list):
        if not isinstance(actual, list):
            return [f"{where}: a list is shown, the server sent {actual!r:.80}"]
        abridged = bool(shown) and shown[-1] == MORE
        items = shown[:-1] if abridged else shown
        if len(actual) < len(items) or (not abridged and len(actual) != len(items)):
            return [f"{where}: {len(items)} items shown, the server sent {len(actual)}"]
        return [d for n, (s, a) in enumerate(zip(items, actual)) for d in differences(s, a, f"{where}[{n}]")]
    if isinstance(shown, str) and shown.endswith(MORE) and isinstance(actual, str):
        return [] if actual.startswith(shown[:-1]) else [f"{where}: shown {shown!r}, the server sent {actual!r}"]
    return [] if shown == actual and type(shown) is type(actual) else \
        [f"{where}: shown {shown!r}, the server sent {actual!r}"]


def test_differences_reads_the_abridged_form():
    actual = {"a": "一二三", "b": [1, 2, 3], "c": {"x": 1, "y": 2}, "latency_ms": 3.2}
    assert differences({"a": "一二…", "b": [1, "…"], "c": {"x": 1, "…": "…"}, "latency_ms": 9.9}, actual) == []
    assert differences({"a": "一二三", "…": "…"}, actual) == []
    assert differences({"a": "一二三"}, actual) == [f"$: field {k!r} is not shown" for k in ("b", "c", "latency_ms")]
    assert differences({"b": [1, 2], "…": "…"}, actual) == ["$.b: 2 items shown, the server sent 3"]
    assert differences({"c": {"x": True, "…": "…"}, "…": "…"}, actual) == ["$.c.x: shown True, the server sent 1"]


def test_the_readme_has_curl_examples_each_with_its_output():
    paths = {re.search(r"7860(/[\w/.]*)", c).group(1) for c, _, _ in CURLS}
    assert {"/api/ask", "/api/clauses/2.5.2", "/api/clauses", "/api/map", "/api/feedback", "/healthz",
            "/api/widget/config"} <= paths
    assert [c for c, _, shown in CURLS if shown is None] == [], "a curl example without the output it prints"


@pytest.mark.parametrize("command, status, shown", CURLS, ids=[c.split(README_BASE, 1)[1].split()[0].strip("'")
                                                               for c, _, _ in CURLS])
def test_readme_curl_example_answers_as_shown(server, command, status, shown):
    assert README_BASE in command and "|" not in command
    expected = status or 200
    # as printed, against the live server; the status goes to stderr so that stdout is what the reader sees
    run = command.replace(README_BASE, server.base) + " --write-out '%{stderr}%{http_code}'"
    p = subprocess.run(["bash", "-c", run], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert int(p.stderr.strip()[-3:]) == expected, p.stdout
    assert differences(shown, json.loads(p.stdout)) == []


# ---------------------------------------------------------------- gradio_client

def test_readme_gradio_client_example_runs_as_printed(server):
    example = next(b for b in re.findall(r"```python\n(.*?)```", README, re.S) if "gradio_client" in b)
    names: dict = {}
    exec(example.replace(README_BASE + "/", server.base + "/"), names)  # noqa: S102 - our own README
    assert names["record"]["citations"][0]["title"] == "强化知识产权保护"
    assert names["clause"]["id"] == "2.5.2"


# ---------------------------------------------------------------- the test command

def test_the_first_screen_shows_the_test_command_ci_runs():
    first = BLOCKS[0].group(2)
    assert "pip install -r requirements.txt && python app.py" in first
    assert re.search(rf"^{re.escape(TEST_COMMAND)}\s+#", first, re.M)
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == TEST_COMMAND
