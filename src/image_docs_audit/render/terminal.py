"""An `Outcome` for a terminal: the comment's content as aligned plain text, every row."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import record
from .environment import render
from .escape import plain, width
from .outcome import CategoryLine, Outcome, RowSection
from .phrase import text_phrase

_AUDIT_ONLY = frozenset({"inventory"})


@record
class TextTable:
    """A titled table, every cell made safe for a terminal."""

    title: str
    intro: str
    rows: tuple[tuple[str, ...], ...]  # the header first
    widths: tuple[int, ...]  # of every column but the last, which is never padded


def render_outcome_text(outcome: Outcome) -> str:
    categories = [_category(line, outcome.compare) for line in outcome.categories]
    return render(
        "outcome.txt.j2",
        o=outcome,
        headline=text_phrase(outcome.headline),
        coverage=text_phrase(outcome.coverage),
        depth=text_phrase(outcome.depth),
        notes=[(note.kind.value.lower(), text_phrase(note.text)) for note in outcome.notes],
        categories=_table("categories", "", categories) if categories else None,
        kinds=[f"{k.label.lower()}{k.counted}: {text_phrase(k.fix)}" for k in outcome.kinds],
        moves=[text_phrase(move) for move in outcome.moves],
        # The terminal has the audit for the whole inventory: a check lists what changed.
        tables=[_section(s) for s in outcome.sections if s.rows and s.key not in _AUDIT_ONLY],
        policy=text_phrase(outcome.policy),
    )


def _category(line: CategoryLine, compare: bool) -> tuple[str, ...]:
    counts = line.shown
    cells = (
        plain(line.name),
        _coverage_cell(line),
        f"{counts.covered:,} of {counts.counted:,}" if line.head else "-",
    )
    return (*cells, line.change) if compare else cells


def _coverage_cell(line: CategoryLine) -> str:
    if line.head is None:
        return "-"
    return f"{line.bar} {line.head.coverage:5.1f}%" if line.head.counted else "all ignored"


def _section(section: RowSection) -> TextTable:
    header = tuple(column.upper() for column in section.columns)
    rows = [tuple(text_phrase(cell) for cell in row.cells) for row in section.rows]
    title = f"{section.title.lower()} ({len(section.rows):,})"
    return _table(title, text_phrase(section.intro), [header, *rows])


def _table(title: str, intro: str, rows: Sequence[tuple[str, ...]]) -> TextTable:
    columns = len(rows[0]) - 1
    widths = tuple(max(width(row[i]) for row in rows) for i in range(columns))
    return TextTable(title, intro, tuple(rows), widths)
