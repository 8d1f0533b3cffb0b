"""Fixtures shared by the action's tests: a fake GitHub on loopback and one action run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakegithub import FakeGitHub
from image_docs_audit import compiled
from test_action import TOKEN, Run
from test_github_client import TOKEN as CLIENT_TOKEN
from test_github_client import FakeTime


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """In the compiled build (setup.py), a compiled module calls its own functions
    directly: a test that replaces one of them there has nothing to test."""
    if not compiled():
        return
    skip = pytest.mark.skip(reason="replaces a compiled module's function")
    for item in items:
        if item.get_closest_marker("pure_python"):
            item.add_marker(skip)


def _fake_github(token: str) -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        fake.require_token = token
        yield fake


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    """The fake GitHub of an action's run, asking for the action's token."""
    yield from _fake_github(TOKEN)


@pytest.fixture
def run(tmp_path: Path, github: FakeGitHub) -> Run:
    return Run(tmp_path, github)


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    """The fake GitHub the client's tests call, asking for their token."""
    yield from _fake_github(CLIENT_TOKEN)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
