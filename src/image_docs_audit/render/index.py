"""The living index: one Markdown table of every image with its status, depth, ports,
docs and completeness, written into the docs by `index --write`. Pure.

The index starts with the generated marker, so the audit reads it as an index doc:
it never documents an image, whatever it names. It holds nothing that changes
from run to run (no date), so `index --check` can compare it byte for byte.
"""

from __future__ import annotations

import posixpath

from ..docs.outline import GENERATED_MARKER
from ..model import Depth, ImageResult, Kind, Report, Status
from ..records import record
from .environment import render
from .view import category_of, port_list

# Evidence that makes a doc the image's own comes first in its docs cell.
_OWN = (Kind.FILENAME, Kind.TITLE, Kind.CONFIG)


@record
class DocLink:
    label: str  # the path from the repository root
    target: str  # the path from the index's folder


@record
class IndexRow:
    result: ImageResult
    category: str
    ports: str
    docs: tuple[DocLink, ...]


def render_index(report: Report, path: str, command: str) -> str:
    """The index for `report`, to be written at `path` (relative to the root).

    `command` is what refreshes it, quoted in its marker line.
    """
    folder = posixpath.dirname(path)
    rows = tuple(
        IndexRow(
            result,
            category_of(result),
            ", ".join(port_list(result.ports)) or "—",
            _docs(result, folder, frozenset(report.index_docs)),
        )
        for result in report.images
    )
    return render(
        "index.md.j2",
        marker=GENERATED_MARKER,
        command=command,
        report=report,
        rows=rows,
        rubric=any(result.completeness is not None for result in report.images),
        dedicated=Depth.DEDICATED,
        documented=Status.DOCUMENTED,
    )


def _docs(result: ImageResult, folder: str, index_docs: frozenset[str]) -> tuple[DocLink, ...]:
    """The docs of an image, its own first; index docs never."""
    paths: dict[str, int] = {}
    for item in result.evidence:
        if item.kind is Kind.INDEX or item.path in index_docs:
            continue
        rank = 0 if item.kind in _OWN else 1 if item.kind.strong else 2
        paths[item.path] = min(rank, paths.get(item.path, rank))
    ordered = sorted(paths, key=lambda p: (paths[p], p))
    return tuple(DocLink(p, posixpath.relpath(p, folder or ".")) for p in ordered)


@record
class Staleness:
    """How a written index differs from the one the audit gives now."""

    line: int  # the first line that differs
    written: str  # that line as written ("" past the end)
    expected: str  # that line as it should be


def staleness(written: str, expected: str) -> Staleness | None:
    """None when the written index is the one the audit gives."""
    if written == expected:
        return None
    old, new = written.splitlines(), expected.splitlines()
    for number, (a, b) in enumerate(zip(old, new, strict=False), 1):
        if a != b:
            return Staleness(number, a, b)
    number = min(len(old), len(new)) + 1
    return Staleness(number, _at(old, number), _at(new, number))


def _at(lines: list[str], number: int) -> str:
    return lines[number - 1] if number <= len(lines) else ""
