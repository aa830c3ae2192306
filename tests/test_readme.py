"""Every `$ python -m assistant ask …` example in README.md prints exactly what the README shows."""
import re
import shlex
from pathlib import Path

import pytest

from assistant.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


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
