"""Fixtures shared by the action's tests: a fake GitHub on loopback and one action run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakegithub import FakeGitHub
from test_action import TOKEN, Run


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        fake.require_token = TOKEN
        yield fake


@pytest.fixture
def run(tmp_path: Path, github: FakeGitHub) -> Run:
    return Run(tmp_path, github)
