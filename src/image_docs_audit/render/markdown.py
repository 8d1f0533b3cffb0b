"""The full audit as Markdown: the document the hand-written audit used to be."""

from __future__ import annotations

from ..model import (
    AliasSuggestion,
    Diagnostic,
    Drift,
    Group,
    ImageResult,
    Location,
    OrphanDoc,
    PortConflict,
    Report,
    Status,
    Summary,
)
from ..records import record
from .environment import render
from .links import NO_LINKS, Links
from .view import Section, category_of, describe_orphan, port_list, sections


@record
class Entry:
    """One image with its category name resolved, for tables that span categories."""

    category: str
    result: ImageResult


@record
class MarkdownView:
    summary: Summary  # the headline and the statistics table both read this one
    groups: tuple[Group, ...]
    count_mentioned: bool
    require: str
    prefix: str | None
    scripts: tuple[str, ...]
    doc_count: int
    missing: tuple[Section, ...]
    documented: tuple[Section, ...]
    mentioned: tuple[Entry, ...]
    ignored: tuple[Entry, ...]
    index_docs: tuple[str, ...]
    warnings: tuple[Diagnostic, ...]
    rubric: bool  # whether images have a completeness to show
    port_links: dict[str, tuple[tuple[str, Location], ...]]  # Image.key -> (port, first place)
    port_conflicts: tuple[PortConflict, ...]
    suggestions: tuple[tuple[str, AliasSuggestion], ...]  # (image ref, suggestion)
    orphans: tuple[tuple[OrphanDoc, str], ...]  # (orphan, what it is)
    drift: tuple[Drift, ...]
    links: Links  # absolute links to the files, or none


def render_markdown(report: Report, links: Links = NO_LINKS) -> str:
    return render("report.md.j2", view=markdown_view(report, links))


def markdown_view(report: Report, links: Links = NO_LINKS) -> MarkdownView:
    return MarkdownView(
        links=links,
        summary=report.summary,
        groups=report.groups,
        count_mentioned=report.count_mentioned,
        require=report.require.value,
        prefix=report.detected_prefix,
        scripts=report.scripts,
        doc_count=len(report.docs),
        missing=sections(report, Status.MISSING),
        documented=sections(report, Status.DOCUMENTED),
        mentioned=_entries(report, Status.MENTIONED),
        ignored=_entries(report, Status.IGNORED),
        index_docs=report.index_docs,
        # Conflicts and drift have sections of their own: their warnings would say it twice.
        warnings=_warnings(report),
        rubric=any(result.completeness is not None for result in report.images),
        port_links={result.image.key: port_links(result) for result in report.images},
        port_conflicts=report.port_conflicts,
        suggestions=tuple(
            (result.image.ref, item)
            for result in report.images
            for item in result.alias_suggestions
        ),
        orphans=tuple((orphan, describe_orphan(orphan)) for orphan in report.orphans),
        drift=report.drift,
    )


def port_links(result: ImageResult) -> tuple[tuple[str, Location], ...]:
    """Each port of the image once, with the first place that gives it."""
    first: dict[str, Location] = {}
    for port, label in zip(result.ports, port_list(result.ports, unique=False), strict=True):
        first.setdefault(label, port.location)
    return tuple(first.items())


def _warnings(report: Report) -> tuple[Diagnostic, ...]:
    """The warnings less those shown elsewhere (worked out once: a doc of a pull request
    may give ten thousand warnings, and doing it per warning took their square)."""
    shown = _shown_elsewhere(report)
    return tuple(warning for warning in report.warnings if warning not in shown)


def _shown_elsewhere(report: Report) -> frozenset[Diagnostic]:
    places = {item.location for item in report.drift}
    places |= {c.claims[0].location for c in report.port_conflicts if c.claims}
    return frozenset(
        warning
        for warning in report.warnings
        if warning.location in places
        and (warning.message.startswith("port ") or warning.message.startswith("cites "))
    )


def _entries(report: Report, status: Status) -> tuple[Entry, ...]:
    return tuple(
        Entry(category_of(result), result)
        for section in sections(report, status)
        for result in section.results
    )
