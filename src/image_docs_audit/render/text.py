"""The terminal report: a headline, then one fixed-width table grouped by category."""

from __future__ import annotations

from ..model import Evidence, ImageResult, Report, Status
from ..records import record
from .environment import render
from .escape import percent, plain, width
from .view import (
    Section,
    describe,
    describe_kind,
    describe_orphan,
    describe_suggestion,
    headline_evidence,
    place,
    port_list,
    sections,
)

HEADER = ("STATUS", "IMAGE", "SOURCE", "EVIDENCE")


@record
class Row:
    """One line of the table, every cell already made safe for a terminal."""

    status: str
    image: str
    source: str
    evidence: str


@record
class Widths:
    """The columns before the last one; the last one is never padded."""

    status: int
    image: int
    source: int


@record
class TextSection:
    title: str
    rows: tuple[Row, ...]


def render_text(report: Report) -> str:
    parts = tuple(_section(section) for section in sections(report))
    rows = [Row(*HEADER)] + [row for part in parts for row in part.rows]
    return render(
        "report.txt.j2",
        report=report,
        header=rows[0],
        sections=parts,
        widths=Widths(*(max(width(cell) for cell in column) for column in _columns(rows))),
        prefix=plain(report.detected_prefix) if report.detected_prefix else None,
        index_docs=[plain(path) for path in report.index_docs],
        warnings=[plain(describe(warning)) for warning in report.warnings],
        orphans=[plain(describe_orphan(orphan)) for orphan in report.orphans],
        suggestions=[
            plain(describe_suggestion(result.image.ref, item))
            for result in report.images
            for item in result.alias_suggestions
        ],
    )


def _columns(rows: list[Row]) -> tuple[list[str], list[str], list[str]]:
    return [r.status for r in rows], [r.image for r in rows], [r.source for r in rows]


def _section(section: Section) -> TextSection:
    title = plain(section.category)
    if section.group is not None:
        group = section.group
        title += f" (documented {group.documented} of {group.counted}, {percent(group.coverage)})"
    return TextSection(title, tuple(_row(result) for result in section.results))


def _row(result: ImageResult) -> Row:
    return Row(
        status=result.status.value,
        image=plain(result.image.ref),
        source=plain(place(result.image.source.path, result.image.source.line)),
        evidence=_evidence_cell(result),
    )


def _evidence_cell(result: ImageResult) -> str:
    if result.status is Status.IGNORED and result.reason:
        return plain(f"reason: {result.reason}")
    return _evidence_summary(result.evidence) + _facts_summary(result)


def _facts_summary(result: ImageResult) -> str:
    """`; ports 8080, 8443; 75% complete`: the image's facts beyond its status."""
    parts = []
    if result.ports:
        parts.append("ports " + ", ".join(port_list(result.ports)))
    if result.completeness is not None:
        parts.append(f"{result.completeness:.0f}% complete")
    return "".join(f"; {part}" for part in parts)


def _evidence_summary(evidence: tuple[Evidence, ...]) -> str:
    first = headline_evidence(evidence)
    if first is None:
        return "-"
    cell = plain(f"{place(first.path, first.line)} ({describe_kind(first)})")
    return cell + (f" +{len(evidence) - 1} more" if len(evidence) > 1 else "")
