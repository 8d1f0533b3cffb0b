"""Golden files: the review copy of every rendering."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, rendered: str) -> None:
    """Compare with tests/golden/NAME; `UPDATE_GOLDEN=1` rewrites it first (then read the diff)."""
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")
