"""The renderer model of an audit, for the audit-mode comment: the same page as a check's,
with the gaps in place of the regressions."""

from __future__ import annotations

from ..model import ImageResult, Report, Status
from .outcome import (
    Counts,
    Outcome,
    Row,
    RowSection,
    Scope,
    add_doc,
    category_lines,
    clip,
    counts_of,
    depth_phrase,
    evidence_place,
    gap_rows,
    plural,
    policy_phrase,
    status_words,
    warning_section,
)
from .phrase import Name, Phrase, Place, Strong, Text, words
from .view import category_of


def audit_outcome(report: Report, fail_under: float = 0.0) -> Outcome:
    head = counts_of(report.summary, report.count_mentioned)
    return Outcome(
        passed=head.coverage >= fail_under,
        headline=words(_sentence(head)),
        coverage=_coverage(head, report),
        depth=depth_phrase(head, report),
        notes=(),
        compare=False,
        categories=category_lines(None, report),
        kinds=(),
        moves=(),
        sections=_sections(report),
        policy=policy_phrase(fail_under, None),
        head=head,
        base=None,
    )


def _sentence(head: Counts) -> str:
    gaps = head.counted - head.covered
    if not gaps:
        return f"every one of {plural(head.counted, 'counted image')} is documented"
    return f"{plural(gaps, 'image')} of {head.counted:,} {'has' if gaps == 1 else 'have'} no docs"


def _coverage(head: Counts, report: Report) -> Phrase:
    text = f": {head.covered:,} of {plural(head.counted, 'counted image')} documented"
    extra = [f"{head.missing:,} missing"]
    if head.mentioned:
        counts = "counted" if report.count_mentioned else "not counted"
        extra.append(f"{head.mentioned:,} only mentioned ({counts})")
    if head.ignored:
        extra.append(f"{head.ignored:,} ignored")
    return (Strong(f"Coverage {head.coverage:.1f}%"), Text(f"{text} ({', '.join(extra)})."))


def _missing_row(result: ImageResult, report: Report) -> Row:
    image = result.image
    cells: tuple[Phrase, ...] = (
        (Name(image.ref),),
        words(clip(category_of(result))),
        (Place(image.source.path, image.source.line),),
        add_doc(report, image.name),
    )
    return Row(cells, image.source.path)


# An image the audit could not read is in no other row.
_WARNINGS_INTRO = (
    "An image the audit could not read is in no other row: its warning here names the line."
)


def _sections(report: Report) -> tuple[RowSection, ...]:
    missing = tuple(_missing_row(r, report) for r in report.images if r.status is Status.MISSING)
    documented = tuple(
        Row(
            ((Name(r.image.ref),), words(status_words(r)), evidence_place(r)),
            r.image.source.path,
        )
        for r in report.images
        if r.status is Status.DOCUMENTED
    )
    ignored = tuple(
        Row(((Name(r.image.ref),), words(r.reason or "no reason given")), r.image.source.path)
        for r in report.images
        if r.status is Status.IGNORED
    )
    return (
        RowSection("missing", "Missing", ("Image", "Category", "Pull script", "Fix"), missing),
        warning_section(report, _WARNINGS_INTRO),
        RowSection(
            "mentioned",
            "Mentioned only",
            ("Image", "Category", "Named at"),
            gap_rows(report.images, Status.MENTIONED),
            intro=words(
                "Body text and code do not count as docs: "
                "a heading, table row or list item naming the image would."
            )
            if not report.count_mentioned
            else (),
            collapsed=True,
        ),
        RowSection(
            "documented", "Documented", ("Image", "Depth", "Doc"), documented, collapsed=True
        ),
        RowSection(
            "ignored", "Ignored", ("Image", "Reason"), ignored, collapsed=True, scope=Scope.FULL
        ),
    )
