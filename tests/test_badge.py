"""The SVG coverage badge: its colour by threshold, and the file as written."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from goldenfiles import assert_golden
from image_docs_audit.cli import main
from image_docs_audit.render.badge import badge_svg, colour


@pytest.mark.parametrize(
    ("coverage", "hex_colour"),
    [
        (100.0, "#4c1"),
        (90.0, "#4c1"),
        (89.9, "#97ca00"),
        (75.0, "#97ca00"),
        (60.0, "#a4a61d"),
        (45.0, "#dfb317"),
        (30.0, "#fe7d37"),
        (29.9, "#e05d44"),
        (0.0, "#e05d44"),
    ],
)
def test_colour_by_threshold(coverage: float, hex_colour: str) -> None:
    assert colour(coverage) == hex_colour


def test_the_badge_matches_golden_and_is_valid_svg() -> None:
    svg = badge_svg(57.1)
    assert_golden("badge.svg", svg)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("aria-label") == "image docs: 57.1%"


def test_audit_writes_the_badge_of_the_sample(tmp_path: Path) -> None:
    sample = Path(__file__).parent.parent / "src" / "image_docs_audit" / "sample"
    badge = tmp_path / "image-docs.svg"
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", str(sample), "--badge", str(badge)], stdout=out, stderr=err, env={})
    assert (code, err.getvalue()) == (0, "")
    assert badge.read_text() == badge_svg(57.142857142857146)


def test_the_badge_folder_is_created_when_missing(tmp_path: Path) -> None:
    sample = Path(__file__).parent.parent / "src" / "image_docs_audit" / "sample"
    badge = tmp_path / "site" / "badges" / "image-docs.svg"
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", str(sample), "--badge", str(badge)], stdout=out, stderr=err, env={})
    assert (code, err.getvalue()) == (0, "")
    assert badge.read_text() == badge_svg(57.142857142857146)
    assert [p.name for p in badge.parent.iterdir()] == ["image-docs.svg"]  # no temporary left


def test_a_file_where_the_badge_folder_should_be_is_exit_2(tmp_path: Path) -> None:
    sample = Path(__file__).parent.parent / "src" / "image_docs_audit" / "sample"
    (tmp_path / "site").write_text("a file, not a folder\n")
    badge = str(tmp_path / "site" / "image-docs.svg")
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", str(sample), "--badge", badge], stdout=out, stderr=err, env={})
    assert (code, err.getvalue()) == (
        2,
        f"image-docs-audit: {badge}: cannot write the badge: File exists\n",
    )
