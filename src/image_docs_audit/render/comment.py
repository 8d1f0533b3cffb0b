"""An `Outcome` as Markdown: the pull-request comment and the job summary.

Both are the same page under a different size limit. GitHub refuses a comment over 65,536
characters and a job summary over 1 MiB, so the page keeps, in this order: the headline,
the category table, every kind of regression with its count and fix, the moved folders,
and then rows, each section taking the rows that fit (at most `ROW_CAP` per section in
the comment, where the job summary has them all). A cut section says how many rows it
left out and where they are; a table never stands with a header and no row.

Every part is bounded besides: names and sentences from the repository are clipped, and
the comment lists at most `CATEGORY_CAP` categories and `MOVE_CAP` moved folders. Should
the page pass its limit all the same, it is cut at the last line that fits, after the
marker, the verdict and its numbers, and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from ..records import record
from .environment import render
from .escape import md_cell, md_code, utf8_bytes
from .links import Links
from .outcome import CategoryLine, Outcome, Row, RowSection, Scope, clip
from .phrase import Phrase, md_phrase

# GitHub's limit on a comment body is 65,536; leave room for what a caller may add.
COMMENT_BUDGET = 65_000
# GitHub's limit on a step summary is 1 MiB (in bytes), earlier steps' summaries included.
SUMMARY_BUDGET = 1_000_000
ROW_CAP = 25
CATEGORY_CAP = 30
MOVE_CAP = 10


class Target(StrEnum):
    COMMENT = "comment"
    SUMMARY = "summary"


@record
class Cut:
    """A section after the cut: the rows shown, and a note on those left out."""

    title: str
    total: int
    collapsed: bool
    intro: str
    header: str
    shown: tuple[str, ...]
    note: str


@record
class Page:
    """The page's parts, every one already Markdown: the template only lays them out."""

    marker: str
    outcome: Outcome
    headline: str
    coverage: str
    depth: str
    notes: tuple[tuple[str, str], ...]  # (NOTE or WARNING, text)
    categories: tuple[str, ...]
    categories_hidden: int
    kinds: tuple[str, ...]
    moves: tuple[str, ...]
    moves_hidden: int
    sections: tuple[Cut, ...]
    policy: str
    footer: str


def render_page(
    outcome: Outcome,
    links: Links,
    *,
    marker: str = "",
    target: Target = Target.COMMENT,
    budget: int | None = None,
) -> str:
    """The page, at most `budget` (characters for a comment, UTF-8 bytes for a summary)."""
    summary = target is Target.SUMMARY
    limit = budget or (SUMMARY_BUDGET if summary else COMMENT_BUDGET)
    measure: Callable[[str], int] = _utf8 if summary else len
    cap = None if summary else ROW_CAP
    sections = [s for s in outcome.sections if s.rows and (summary or s.scope is Scope.EVERYWHERE)]
    layout = _Layout(outcome, links, marker, target, sections)
    chosen = _choose(layout, measure, limit, cap)
    text = layout.render(chosen)
    while measure(text) > limit and any(chosen):  # a note grew past the room it had
        last = max(i for i, rows in enumerate(chosen) if rows)
        chosen[last] = chosen[last][:-1]
        text = layout.render(chosen)
    return _last_resort(text, limit, measure, summary)


def _utf8(text: str) -> int:
    return len(utf8_bytes(text))


def _choose(
    layout: _Layout, measure: Callable[[str], int], limit: int, cap: int | None
) -> list[tuple[str, ...]]:
    """The leading rows of each section, in priority order, while they fit."""
    chosen: list[tuple[str, ...]] = [() for _ in layout.sections]
    left = limit - measure(layout.render(chosen))
    for index, section in enumerate(layout.sections):
        shown: list[str] = []
        cost_of_header = measure(layout.header(section)) + 2
        for row in section.rows[:cap]:
            text = layout.row(row)
            cost = measure(text) + 1 + (cost_of_header if not shown else 0)
            if cost > left:
                break
            shown.append(text)
            left -= cost
        chosen[index] = tuple(shown)
    return chosen


@record
class _Layout:
    outcome: Outcome
    links: Links
    marker: str
    target: Target
    sections: Sequence[RowSection]

    def row(self, row: Row) -> str:
        return "| " + " | ".join(md_phrase(cell, self.links) for cell in row.cells) + " |"

    def header(self, section: RowSection) -> str:
        names = " | ".join(section.columns)
        return f"| {names} |\n|{'---|' * len(section.columns)}"

    def render(self, chosen: Sequence[tuple[str, ...]]) -> str:
        o, phrase = self.outcome, self._phrase
        full = self.target is Target.SUMMARY
        cats = o.categories if full else o.categories[:CATEGORY_CAP]
        moves = o.moves if full else o.moves[:MOVE_CAP]
        cuts = tuple(self._cut(s, rows) for s, rows in zip(self.sections, chosen, strict=True))
        page = Page(
            marker=self.marker,
            outcome=o,
            headline=phrase(o.headline),
            coverage=phrase(o.coverage),
            depth=phrase(o.depth),
            notes=tuple((note.kind.value, phrase(note.text)) for note in o.notes),
            categories=tuple(self._category(line) for line in cats),
            categories_hidden=len(o.categories) - len(cats),
            kinds=tuple(f"- ❌ **{k.label}**{k.counted}: {phrase(k.fix)}" for k in o.kinds),
            moves=tuple(phrase(move) for move in moves),
            moves_hidden=len(o.moves) - len(moves),
            sections=cuts,
            policy=phrase(o.policy),
            footer=self._footer(cuts),
        )
        return render("outcome.md.j2", page=page)

    def _phrase(self, phrase: Phrase) -> str:
        return md_phrase(phrase, self.links, table=False)

    def _category(self, line: CategoryLine) -> str:
        counts = line.shown
        cells = [
            md_cell(clip(line.name)),
            _coverage_cell(line),
            f"{counts.covered:,} of {counts.counted:,}" if line.head else "—",
        ]
        if self.outcome.compare:
            cells.append(line.change)
        return "| " + " | ".join(cells) + " |"

    def _cut(self, section: RowSection, shown: tuple[str, ...]) -> Cut:
        hidden = section.rows[len(shown) :]
        return Cut(
            title=section.title,
            total=len(section.rows),
            collapsed=section.collapsed,
            intro=self._phrase(section.intro),
            header=self.header(section),
            shown=shown,
            note=self._note(hidden),
        )

    def _note(self, hidden: Sequence[Row]) -> str:
        if not hidden:
            return ""
        where = _common_place([row.where for row in hidden])
        if self.target is Target.SUMMARY:
            return (
                f"_… and {len(hidden):,} more{where} not shown: the summary stays under "
                "GitHub's 1 MiB limit; the JSON report lists every one._"
            )
        return f"_… and {len(hidden):,} more{where}: the job summary lists every one._"

    def _footer(self, cuts: Sequence[Cut]) -> str:
        cut = any(c.note for c in cuts) or len(self.outcome.categories) > CATEGORY_CAP
        if self.target is Target.SUMMARY:
            return "_The JSON report has every row: the summary was cut at 1 MiB._" if cut else ""
        only_there = any(s.scope is Scope.FULL and s.rows for s in self.outcome.sections)
        if cut or only_there:
            return "_The job summary of this run lists every row; the JSON report has them all._"
        return ""


def _coverage_cell(line: CategoryLine) -> str:
    if line.head is None:
        return "—"
    if not line.head.counted:  # nothing to cover: a full bar would claim too much
        return "all ignored"
    return f"`{line.bar}` {line.head.coverage:.1f}%"


def _common_place(paths: Sequence[str]) -> str:
    """`, all in `x.sh`` or `, all under `docs/step-*``: where the left-out rows are."""
    first = paths[0]
    if all(path == first for path in paths):
        return f", all in {md_code(clip(first))}" if first else ""
    prefix = first
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[:-1]
    if "/" not in prefix:
        return ""
    return f", all under {md_code(clip(prefix) + '*')}"


# What a page cut at its limit says last, after a blank line (never a table row).
_LAST_RESORT_NOTE = {
    False: "_… the rest of this comment was cut at GitHub's limit: the job summary has it._",
    True: "_… the rest of the summary was cut at 1 MiB: the JSON report has everything._",
}


def _last_resort(text: str, limit: int, measure: Callable[[str], int], summary: bool) -> str:
    """`text` if it fits, else its longest run of whole lines that fits with the note.

    Reached only when the parts no row budget cuts (headline, notes, categories, fixes,
    moves) pass the limit together, which their own bounds make unlikely; the page starts
    with the marker, the verdict and its numbers, so they are what a cut keeps. A
    `<details>` left open is closed, so the note is not folded away.
    """
    if measure(text) <= limit:
        return text
    note = _LAST_RESORT_NOTE[summary]
    room = limit - measure(f"\n\n</details>\n\n{note}\n")  # the most a cut adds
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        used += measure(line) + 1
        if used > room:
            break
        kept.append(line)
    return "\n".join([*kept, *_closing(kept), "", note, ""])


def _closing(lines: Sequence[str]) -> list[str]:
    """`</details>` (after a blank line, as the template writes it) if a fold is open."""
    opened = sum(line.startswith("<details>") for line in lines)
    return ["", "</details>"] if opened > sum(line == "</details>" for line in lines) else []
