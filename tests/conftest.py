"""Shared fixtures: the real plan and the real index, loaded once per test session."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def assistant():
    """The assistant on the bundled plan with the default embedder (loads the index once)."""
    from assistant.pipeline import Assistant

    return Assistant(progress=False)


@pytest.fixture(scope="session")
def clauses():
    from assistant.parser import parse_page
    from assistant.settings import Settings

    return parse_page(Settings().source.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def page():
    from assistant.settings import Settings

    return Settings().source.read_text(encoding="utf-8")
