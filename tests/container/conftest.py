"""The container tests build and run the Docker image: minutes, root, buildah.

They run only with IMAGE_DOCS_AUDIT_CONTAINER_TESTS=1 (.ci/run sets it, in a step of its
own after the unit tests); the README's plain `pytest` lists them as skipped and says why.
With the variable set, every problem fails loudly, a missing buildah included.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ENABLE = "IMAGE_DOCS_AUDIT_CONTAINER_TESTS"
HERE = Path(__file__).resolve().parent

# The shared helpers (fakegithub, gitrepo) stand in tests/, one level up.
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"container: builds the Dockerfile with buildah and runs the image as root ({ENABLE}=1)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get(ENABLE) == "1":
        return
    skip = pytest.mark.skip(reason=f"container tests run only with {ENABLE}=1 (.ci/run sets it)")
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(skip)
