"""The command line, run as a user runs it: a subprocess, exit codes, stdout and stderr."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_ask_json_prints_one_results_record_per_turn():
    p = run("ask", "--json", "东湖科学城要建设哪些重大科技基础设施？", "这个由哪些部门负责？")
    assert p.returncode == 0, p.stderr
    records = [json.loads(line) for line in p.stdout.splitlines()]
    assert [r["id"] for r in records] == ["turn-1", "turn-2"]
    for r in records:
        assert set(r) == {"id", "question", "answer", "refused", "citations", "latency_ms"}
        assert set(r["citations"][0]) == {"id", "path", "title", "bureaus", "quote"}
    assert records[1]["citations"][0]["title"] == "构建高水平创新平台体系"
    assert "市发改委、市科技局、市经信局、市财政局" in records[1]["answer"]


def test_ask_plain_text_shows_citations():
    p = run("ask", "谁负责知识产权保护？")
    assert p.returncode == 0, p.stderr
    assert "市市场监管局、市地方金融局、市法院" in p.stdout
    assert "[1] 二、主要任务 > (五)" in p.stdout


@pytest.mark.parametrize("args, message", [
    (["ask", "   "], "error: question 1 is empty"),
    (["ask", "谁负责？", ""], "error: question 2 is empty"),
    (["ask", "谁" * 600], "error: question 1 is 600 characters long; the limit is 500"),
    (["ask", "谁负责\x07？"], "error: question 1 contains control characters"),
    (["ask", "--embedder", "bert", "谁负责？"], "error: unknown embedder 'bert'"),
])
def test_bad_input_is_one_line_and_exit_code_2(args, message):
    p = run(*args)
    assert p.returncode == 2
    assert p.stderr.strip().startswith(message)
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
    assert p.stdout == ""


def test_build_reports_the_index(tmp_path):
    p = run("build", "--index-dir", str(tmp_path / "idx"))
    assert p.returncode == 0, p.stderr
    assert "30 clauses" in p.stdout and "use-m3" in p.stdout
    assert "embedding with use-m3" in p.stderr  # the progress bar
    assert (tmp_path / "idx" / "manifest.json").exists()


def test_missing_source_is_a_clear_error(tmp_path):
    p = run("build", "--source", str(tmp_path / "nope.txt"), "--index-dir", str(tmp_path / "idx"))
    assert p.returncode == 2
    assert p.stderr.startswith("error: cannot read the plan at")
