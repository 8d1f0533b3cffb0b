"""Admonitions (`!!! note "Title"`, `??? tip`, `???+ warning`: mkdocs-material and
Python-Markdown) and content tabs (`=== "Docker"`: mkdocs-material, pymdownx.tabbed) hold
Markdown in their indented lines: a list item there is a list item, not a line of an
indented code block. markdown-it-py reads admonitions with its admonition plugin and tabs
with a rule of ours made the same way. The classifier reads an admonition at the doc's
top level as that plugin does; it leaves one in another block, and a content tab, to
markdown-it in its window (the doc whole, when it reads a doc whole)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from image_docs_audit.cli import main
from image_docs_audit.docs.blocks import classify, classify_lines, markdown_kinds
from image_docs_audit.model import Kind
from test_blocks_windows import _parsed

DOC = """# Installation

!!! info "Optional images"

    - `acme-reports`: monthly PDF reports

    The acme-scheduler runs jobs.

    ```bash
    docker pull ghcr.io/acme/acme-alpha:1
    ```

??? tip "Collapsed"
    - acme-gamma

Plain:

    acme-beta in real indented code
"""


def test_an_admonition_s_lines_are_markdown_and_indented_code_stays_code() -> None:
    kinds = markdown_kinds(DOC)
    assert [kinds.kinds.get(line, Kind.BODY) for line in (5, 7, 10, 14, 18)] == [
        Kind.LIST,
        Kind.BODY,
        Kind.CODE,
        Kind.LIST,
        Kind.CODE,
    ]


@pytest.mark.pure_python  # it replaces `_tokens`, which compiled code calls directly
def test_the_classifier_reads_admonitions_as_markdown_it_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The boxes' lines are read as docs of their own, the code after them is code: the
    classifier claims the doc whole and hands markdown-it nothing."""
    lines = DOC.split("\n")
    parsed = _parsed(monkeypatch)
    whole = classify(lines, 18)
    found = classify_lines(DOC, lines, [5, 7, 10, 14, 18])
    assert whole is not None and found is not None
    assert parsed == []
    monkeypatch.undo()
    reference = markdown_kinds(DOC)
    for line in (3, 5, 7, 10, 13, 14, 18):
        assert whole(line) == found(line) == reference(line), line
    # Without a marker the same lines are an indented code block, as markdown-it says too.
    plain = DOC.replace('!!! info "Optional images"', "Optional images:").replace(
        '??? tip "Collapsed"', "Collapsed:"
    )
    found = classify_lines(plain, plain.split("\n"), [5, 18])
    assert found is not None
    assert [found.kinds.get(line) for line in (5, 18)] == [Kind.CODE, Kind.CODE]
    assert [markdown_kinds(plain).kinds.get(line) for line in (5, 18)] == [Kind.CODE, Kind.CODE]


@pytest.mark.pure_python  # it replaces `_tokens`, which compiled code calls directly
def test_an_admonition_in_another_one_is_left_to_markdown_it_in_its_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = DOC.replace("    The acme-scheduler runs jobs.", "    !!! note\n        acme-scheduler")
    lines = text.split("\n")
    assert classify(lines, 19) is None  # read whole: the doc is markdown-it's
    parsed = _parsed(monkeypatch)
    found = classify_lines(text, lines, [5, 8, 19])
    assert found is not None
    # markdown-it reads the two boxes, from the blank line before the first to the
    # restart after the second (`Plain:`); the title and the last code are the classifier's.
    assert parsed == ["\n".join(lines[2:16]) + "\n"]
    monkeypatch.undo()
    assert [found(line) for line in (5, 8, 19)] == [markdown_kinds(text)(n) for n in (5, 8, 19)]


def test_a_marker_where_no_block_starts_declines_no_doc() -> None:
    """The rules read a marker only where a block starts (past indentation and the marks
    of quotes and list items): `x === "a"` in code or `What???` in prose opens nothing, and
    the classifier reads the doc; a marker there leaves it to markdown-it."""
    for text in (
        'if (x === "a") {\n    - b\n}',
        "What??? No!!!\n    - b",
        "x ???+ tip\n    - b",
    ):
        assert classify(text.split("\n"), 2) is not None, text
    for text in ('=== "a"\n    - b', "> - !!! note\n>       - b", "12) ??? tip\n        - b"):
        assert classify(text.split("\n"), 2) is None, text
        found = classify_lines(text, text.split("\n"), [2])  # in a window: markdown-it's
        assert found is not None and found(2) == markdown_kinds(text)(2), text
    # One look per line: a line of a million markers is read once.
    for marker in ("!", "?", '=== "'):
        text = "x" + marker * 1_000_000 + "\n- b"
        assert classify_lines(text, text.split("\n"), [2]) is not None


def evidence_of(root: Path, doc: str, names: list[str]) -> dict[str, Any]:
    """Audit `doc` (docs/install.md) for ghcr.io/acme/acme-NAME:1 of each name; each
    image with evidence: its status and (line, kind) of its evidence."""
    (root / "docs").mkdir()
    (root / "docs" / "install.md").write_text(doc)
    (root / "pull-images.sh").write_text(
        "".join(f"docker pull ghcr.io/acme/acme-{name}:1\n" for name in names)
    )
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", str(root), "--format", "json"], stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    return {
        image["ref"]: (image["status"], [(e["line"], e["kind"]) for e in image["evidence"]])
        for image in json.loads(out.getvalue())["images"]
        if image["evidence"]
    }


def test_an_image_listed_in_an_admonition_is_documented(tmp_path: Path) -> None:
    names = ["reports", "scheduler", "alpha", "beta", "gamma", *"klmnopq"]
    assert evidence_of(tmp_path, DOC, names) == {
        "ghcr.io/acme/acme-reports:1": ("documented", [(5, "list")]),
        "ghcr.io/acme/acme-scheduler:1": ("mentioned", [(7, "body")]),
        "ghcr.io/acme/acme-alpha:1": ("mentioned", [(10, "code")]),
        "ghcr.io/acme/acme-gamma:1": ("documented", [(14, "list")]),
        "ghcr.io/acme/acme-beta:1": ("mentioned", [(18, "code")]),
    }


TABS = """# Install

=== "Docker"

    | Image | Port |
    |---|---|
    | acme-api | 8080 |

    Pull `ghcr.io/acme/acme-web:1` first.

    - acme-worker

===+ "Kubernetes"
    ```yaml
    image: acme-job
    ```

Plain:

    acme-beta in real indented code

Para
=== "acme-gamma" is no tab: text follows its label
"""


def test_a_content_tab_s_lines_are_markdown_and_indented_code_stays_code() -> None:
    kinds = markdown_kinds(TABS)
    assert [kinds.kinds.get(line, Kind.BODY) for line in (3, 7, 9, 11, 15, 20, 23)] == [
        Kind.BODY,  # the tab's label, as an admonition's title
        Kind.TABLE,
        Kind.BODY,
        Kind.LIST,
        Kind.CODE,
        Kind.CODE,
        Kind.BODY,
    ]
    lines = TABS.split("\n")
    assert classify(lines, 20) is None
    wanted = [3, 7, 9, 11, 15, 20, 23]
    found = classify_lines(TABS, lines, wanted)  # the tab in a window: markdown-it's
    assert found is not None
    assert [found(line) for line in wanted] == [kinds(line) for line in wanted]


def test_an_image_in_a_content_tab_s_table_is_documented(tmp_path: Path) -> None:
    names = ["api", "web", "worker", "job", "beta", "gamma", *"klmnopq"]
    assert evidence_of(tmp_path, TABS, names) == {
        "ghcr.io/acme/acme-api:1": ("documented", [(7, "table")]),
        "ghcr.io/acme/acme-web:1": ("documented", [(9, "reference")]),
        "ghcr.io/acme/acme-worker:1": ("documented", [(11, "list")]),
        "ghcr.io/acme/acme-job:1": ("mentioned", [(15, "code")]),
        "ghcr.io/acme/acme-beta:1": ("mentioned", [(20, "code")]),
        "ghcr.io/acme/acme-gamma:1": ("mentioned", [(23, "body")]),
    }
