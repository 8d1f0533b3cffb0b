"""The full audit as Markdown: the document the hand-written audit used to be."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Diagnostic, Group, ImageResult, Report, Status, Summary
from .environment import render
from .links import NO_LINKS, Links
from .view import Section, category_of, sections


@dataclass(frozen=True)
class Entry:
    """One image with its category name resolved, for tables that span categories."""

    category: str
    result: ImageResult


@dataclass(frozen=True)
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
        warnings=report.warnings,
    )


def _entries(report: Report, status: Status) -> tuple[Entry, ...]:
    return tuple(
        Entry(category_of(result), result)
        for section in sections(report, status)
        for result in section.results
    )
