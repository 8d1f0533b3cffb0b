"""The renderer model: what the comment, the job summary and the terminal say about a run.

Every number, sentence and row is decided here, once, from the verdict (or the report of
an audit); the formats only lay it out. So the coverage and the count it is computed over
cannot disagree between the headline and a table, or between the comment and the
terminal, and a fix is worded the same everywhere.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Iterable, Sequence
from enum import StrEnum

from ..gate import ChangeKind, Finding, GroupDelta, Verdict
from ..model import (
    Depth,
    Evidence,
    ImageResult,
    Kind,
    Location,
    RegressionKind,
    Report,
    Status,
    Summary,
    percent,
)
from ..records import record
from .phrase import Name, Phrase, Place, words
from .view import category_of, headline_evidence

# Refs, category names and folders are the repository's: keep a headline line and a bar
# row short.
LABEL_LIMIT = 80
# A finding's detail and a config change are sentences that may quote the repository: every
# one is clipped where the comment shows it (the JSON report keeps it whole).
DETAIL_LIMIT = 500
BAR_CELLS = 10

# Human labels; the JSON keeps the enum values.
KIND_LABELS = {
    RegressionKind.NEWLY_MISSING: "Lost their docs",
    RegressionKind.NEW_UNDOCUMENTED: "New without docs",
    RegressionKind.COVERAGE_DROP: "Coverage drop",
    RegressionKind.BELOW_THRESHOLD: "Below the threshold",
    RegressionKind.POLICY_LOOSENED: "Policy loosened",
    RegressionKind.INVENTORY_REMOVED: "Inventory removed",
    RegressionKind.PORT_CONFLICT: "Port conflicts",
    RegressionKind.INCOMPLETE_DOCS: "Incomplete docs",
    RegressionKind.INDEX_STALE: "Stale index",
}
# The kinds that count something (images, ports), shown with their count.
COUNTED_KINDS = (
    RegressionKind.NEWLY_MISSING,
    RegressionKind.NEW_UNDOCUMENTED,
    RegressionKind.PORT_CONFLICT,
    RegressionKind.INCOMPLETE_DOCS,
)
# Where a weak mention stands, in words.
MENTION_WORDS = {
    Kind.BODY: "in body text",
    Kind.CODE: "in a code block",
}


@record
class Counts:
    """One side's numbers. `coverage` is derived from `covered` and `counted`, never stored,
    so a coverage shown next to its count always agrees with it."""

    total: int
    counted: int  # all but the ignored images: what coverage is computed over
    covered: int  # documented, plus the mentioned-only images when they count
    documented: int
    mentioned: int
    missing: int
    ignored: int
    dedicated: int

    @property
    def coverage(self) -> float:
        return percent(self.covered, self.counted)

    @property
    def section(self) -> int:
        """Documented in a heading, table row or list item of another doc."""
        return self.documented - self.dedicated

    @property
    def dedicated_coverage(self) -> float:
        return percent(self.dedicated, self.counted)


def counts_of(summary: Summary, count_mentioned: bool) -> Counts:
    covered = summary.documented + (summary.mentioned if count_mentioned else 0)
    return Counts(
        total=summary.total,
        counted=summary.counted,
        covered=covered,
        documented=summary.documented,
        mentioned=summary.mentioned,
        missing=summary.missing,
        ignored=summary.ignored,
        dedicated=summary.dedicated,
    )


@record
class CategoryLine:
    """One category's picture: head coverage as a bar, and the change since the base."""

    name: str
    base: Counts | None
    head: Counts | None

    @property
    def shown(self) -> Counts:
        counts = self.head or self.base
        assert counts is not None  # a category is on one side at least
        return counts

    @property
    def bar(self) -> str:
        return bar(self.shown.coverage) if self.head else "░" * BAR_CELLS

    @property
    def change(self) -> str:
        if self.base is None:
            return "new"
        if self.head is None:
            return "removed"
        return signed(self.head.coverage - self.base.coverage)


def bar(coverage: float) -> str:
    """Coverage as ten cells, `██████░░░░`: a cell a full ten percent, so 99% is not full."""
    filled = min(BAR_CELLS, math.floor(coverage / (100 / BAR_CELLS) + 1e-9))
    return "█" * filled + "░" * (BAR_CELLS - filled)


def signed(points: float) -> str:
    """A change in points with its sign; no change reads `±0.0`, never `-0.0`."""
    return "±0.0" if round(points, 1) == 0 else f"{points:+.1f}"


@record
class KindLine:
    """A kind of regression, how many, and what to do about it."""

    kind: RegressionKind
    count: int
    fix: Phrase

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def counted(self) -> str:
        """` (2)` for the kinds that count images; a coverage finding is one of a kind."""
        return f" ({self.count:,})" if self.kind in COUNTED_KINDS else ""


@record
class Row:
    """A table row: one phrase a cell. `where` is the path the row is about, to say where
    the rows a cut leaves out are ("all under docs/step-*")."""

    cells: tuple[Phrase, ...]
    where: str


class Scope(StrEnum):
    """Where a section is shown: everywhere, or only where the full lists go."""

    EVERYWHERE = "everywhere"
    FULL = "full"  # the job summary and the terminal, not the comment


@record
class RowSection:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    intro: Phrase = ()
    collapsed: bool = False
    scope: Scope = Scope.EVERYWHERE


class NoteKind(StrEnum):
    NOTE = "NOTE"
    WARNING = "WARNING"


@record
class Note:
    kind: NoteKind
    text: Phrase


@record
class CheckRefs:
    """Which commits were compared. `head_sha` is None for the working tree."""

    base_ref: str
    base_sha: str
    head_ref: str
    head_sha: str | None = None


@record
class Outcome:
    """What a run says, for every format. `kinds` is empty for an audit and a pass."""

    passed: bool
    headline: Phrase
    coverage: Phrase
    depth: Phrase
    notes: tuple[Note, ...]
    compare: bool  # whether categories have a base to change from
    categories: tuple[CategoryLine, ...]
    kinds: tuple[KindLine, ...]
    moves: tuple[Phrase, ...]
    sections: tuple[RowSection, ...]
    policy: Phrase
    head: Counts
    base: Counts | None


def commit_label(ref: str, sha: str | None) -> tuple[str, str]:
    """The ref as people name it and the short sha, or the short sha alone when the ref is
    that commit: a SHA is never printed twice."""
    if len(ref) > LABEL_LIMIT:
        ref = ref[: LABEL_LIMIT - 1] + "…"
    if sha is None:
        return ref, ""
    short = sha[:7]
    if not ref or sha.startswith(ref) or ref.startswith(short):
        return short, ""
    return ref, short


def clip(text: str, limit: int = LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 image`, `2 images`, with thousands separators."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def category_lines(verdict: Verdict | None, report: Report) -> tuple[CategoryLine, ...]:
    mentioned = report.count_mentioned
    if verdict is None:
        return tuple(
            CategoryLine(group.name, None, counts_of(group, mentioned)) for group in report.groups
        )
    return tuple(_category_line(delta, mentioned) for delta in verdict.groups)


def _category_line(delta: GroupDelta, mentioned: bool) -> CategoryLine:
    base = counts_of(delta.base, mentioned) if delta.base else None
    head = counts_of(delta.head, mentioned) if delta.head else None
    return CategoryLine(delta.name, base, head)


def depth_phrase(counts: Counts, report: Report) -> Phrase:
    if not counts.counted:
        return ()
    if report.require is Depth.DEDICATED:
        return words(
            f"Only dedicated docs count (require: dedicated): "
            f"{plural(counts.dedicated, 'image')} of {counts.counted:,} have a doc of their own."
        )
    return words(
        f"Dedicated docs: {counts.dedicated_coverage:.1f}% "
        f"({counts.dedicated:,} of {counts.counted:,} counted images have a doc of their own; "
        f"{counts.section:,} {'is' if counts.section == 1 else 'are'} documented in a section "
        "of another doc)."
    )


def policy_phrase(fail_under: float, max_drop: float | None) -> Phrase:
    """What fails the check, in words: `max_drop` None for an audit."""
    if max_drop is None:
        return words(f"The audit fails under {fail_under:g}% coverage." if fail_under else "")
    drop = f"a drop of more than {max_drop:g} points" if max_drop else "any coverage drop"
    under = f", or coverage under {fail_under:g}%" if fail_under else ""
    return words(
        f"The check fails on an image that loses its docs, a new image without docs, {drop}{under}."
    )


def first_weak(result: ImageResult) -> Evidence | None:
    """Where an image that is not documented is named all the same."""
    return next((item for item in result.evidence if not item.kind.strong), None)


def mention_phrase(item: Evidence) -> Phrase:
    return words(
        "named only ",
        MENTION_WORDS.get(item.kind, "in passing"),
        " at ",
        Place(item.path, item.line),
    )


def what_counts(report: Report, name: str) -> Phrase:
    if report.require is Depth.DEDICATED:
        return words("a doc whose file name or title names ", Name(name), " would count")
    return words(
        "a heading, table row or list item naming ", Name(name), " would count, or a doc of its own"
    )


def add_doc(report: Report, name: str) -> Phrase:
    tail = (
        "" if report.require is Depth.DEDICATED else " (or a heading or table row in another doc)"
    )
    return words("add a doc whose file name or title names ", Name(name), tail)


# More images than this are named by a placeholder: the rows below list them.
SCAFFOLD_NAMED = 3


def scaffold_command(refs: Iterable[str]) -> str:
    """The command that writes a starter doc for each image: `image-docs-audit scaffold
    example/app-new:1`, quoted for a shell (a reference is the repository's text)."""
    named = [ref for ref in refs if ref]
    if not named or len(named) > SCAFFOLD_NAMED:
        return "image-docs-audit scaffold IMAGE..."
    return "image-docs-audit scaffold " + " ".join(shlex.quote(ref) for ref in named)


def located(results: Sequence[ImageResult]) -> dict[tuple[str, Location], ImageResult]:
    """Images by their reference and pull-script line, as a finding names them."""
    return {(result.image.ref, result.image.source): result for result in results}


def finding_image(
    finding: Finding, images: dict[tuple[str, Location], ImageResult]
) -> ImageResult | None:
    if finding.image is None or finding.path is None:
        return None
    return images.get((finding.image, Location(finding.path, finding.line or 0)))


def gap_rows(results: Sequence[ImageResult], status: Status) -> tuple[Row, ...]:
    """Images with `status`, with their category and where they are named if anywhere."""
    rows = []
    for result in results:
        if result.status is not status:
            continue
        cells: tuple[Phrase, ...] = (
            (Name(result.image.ref),),
            words(clip(category_of(result))),
            (Place(result.image.source.path, result.image.source.line),),
        )
        weak = first_weak(result)
        if status is Status.MENTIONED and weak is not None:
            cells = (*cells[:2], mention_phrase(weak))
        rows.append(Row(cells, weak.path if weak else result.image.source.path))
    return tuple(rows)


def warning_section(report: Report, intro: str) -> RowSection:
    """Every warning of `report`, the list the JSON report has, where it stands and what it
    says: an image the audit could not read is reported this way or not at all. Left out of
    every format when there is none (a section without rows is)."""
    rows = tuple(
        Row(
            (
                (Place(w.location.path, w.location.line),) if w.location else words("—"),
                words(clip(w.message, DETAIL_LIMIT)),
            ),
            w.location.path if w.location else "",
        )
        for w in report.warnings
    )
    return RowSection(
        "warnings", "Warnings", ("Where", "Warning"), rows, intro=words(intro), collapsed=True
    )


def status_words(result: ImageResult) -> str:
    if result.status is Status.DOCUMENTED and result.depth is not None:
        return f"documented ({result.depth.value})"
    return {Status.MENTIONED: "mentioned only"}.get(result.status, result.status.value)


def evidence_place(result: ImageResult) -> Phrase:
    first = headline_evidence(result.evidence)
    return (Place(first.path, first.line),) if first else words("—")


def change_words(kind: str) -> str:
    words_for: dict[str, str] = {
        ChangeKind.NEWLY_DOCUMENTED: "documented now",
        ChangeKind.NEW_DOCUMENTED: "new, with docs",
    }
    return words_for.get(kind, kind)
