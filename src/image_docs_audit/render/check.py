"""The gate's `Verdict` as JSON for scripts, text for a terminal and Markdown for the PR comment.

The comment has a hard size limit (GitHub refuses bodies over 65,536 characters),
so its tables are budgeted here: each row is rendered on its own, sections take
rows in priority order while they fit, and a cut section says how much it left out.
The templates only lay the chosen rows out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from ..gate import Finding, GroupDelta, Verdict
from ..model import Group, Status
from .data import SCHEMA_VERSION, report_to_dict
from .environment import environment, render
from .escape import md_cell, percent, plain, width
from .view import category_of, place, sections

# GitHub's limit on a comment body is 65,536; leave room for what a caller may add.
COMMENT_BUDGET = 65_000
# Refs are the caller's, but branch names can come from a fork: keep the headline short.
REF_LIMIT = 80


@dataclass(frozen=True)
class CheckRefs:
    """Which commits were compared. `head_sha` is None for the working tree."""

    base_ref: str
    base_sha: str
    head_ref: str
    head_sha: str | None = None


# JSON ---------------------------------------------------------------------------------


def check_to_dict(verdict: Verdict, refs: CheckRefs) -> dict[str, object]:
    """The check as plain JSON values; summaries and images as `report_to_dict` spells them."""
    base, head = report_to_dict(verdict.base), report_to_dict(verdict.head)
    return {
        "schema_version": SCHEMA_VERSION,
        "verdict": "pass" if verdict.passed else "fail",
        "base": {"ref": refs.base_ref, "sha": refs.base_sha, "summary": base["summary"]},
        "head": {"ref": refs.head_ref, "sha": refs.head_sha, "summary": head["summary"]},
        "regressions": [_finding(finding) for finding in verdict.regressions],
        "improvements": [_finding(finding) for finding in verdict.improvements],
        "removed": [_finding(finding) for finding in verdict.removed],
        "orphans": list(verdict.orphans),
        "groups": _group_deltas(verdict.groups, _counts_by_name(base), _counts_by_name(head)),
        "policy": {
            "fail_under": float(verdict.policy.fail_under),
            "max_drop": float(verdict.policy.max_drop),
        },
        "config_change": _config_change(verdict),
        "images": head["images"],
        "warnings": head["warnings"],
    }


def _config_change(verdict: Verdict) -> dict[str, object] | None:
    effect = verdict.config_effect
    if effect is None:
        return None
    return {
        "path": effect.path,
        "head_coverage_under_base_config": _points(effect.coverage),
        "regressions_under_base_config": effect.regressions,
        "policy_changes": list(effect.policy_changes),
    }


def _points(value: float) -> float:
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def render_check_json(verdict: Verdict, refs: CheckRefs) -> str:
    return json.dumps(check_to_dict(verdict, refs), indent=2, ensure_ascii=False) + "\n"


def _finding(finding: Finding) -> dict[str, object]:
    return {
        "kind": str(finding.kind),
        "image": finding.image,
        "path": finding.path,
        "line": finding.line,
        "detail": finding.detail,
    }


def _counts_by_name(report: dict[str, object]) -> dict[str, dict[str, object]]:
    """A report's group counts by category, without the name they are keyed by."""
    groups = cast(list[dict[str, object]], report["groups"])
    return {
        str(group["name"]): {key: value for key, value in group.items() if key != "name"}
        for group in groups
    }


def _group_deltas(
    deltas: Sequence[GroupDelta],
    base: dict[str, dict[str, object]],
    head: dict[str, dict[str, object]],
) -> list[dict[str, object]]:
    return [
        {
            "name": delta.name,
            "base": base.get(delta.name),
            "head": head.get(delta.name),
            # A category only one side has did not change by its coverage: no delta.
            "delta": None if delta.delta is None else _points(delta.delta),
        }
        for delta in deltas
    ]


# Text ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextTable:
    """A titled list of findings, every cell made safe for a terminal."""

    title: str
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]  # of every column but the last, which is never padded


def render_check_text(verdict: Verdict, refs: CheckRefs) -> str:
    tables = (
        _text_table("regressions", [_text_cells(f) for f in verdict.regressions]),
        _text_table("improvements", [_text_cells(f) for f in verdict.improvements]),
        _text_table("removed", [_text_cells(f, " (base)") for f in verdict.removed]),
        _text_table("orphan docs", [(plain(path),) for path in verdict.orphans]),
    )
    return render(
        "check.txt.j2",
        verdict=verdict,
        headline=_headline(verdict),
        coverage=_coverage_change(verdict),
        commits=_commits(refs, plain),
        tables=tables,
    )


def _text_cells(finding: Finding, side: str = "") -> tuple[str, ...]:
    where = place(finding.path, finding.line or 0) + side if finding.path else "-"
    return (str(finding.kind), plain(finding.image or "-"), plain(where), plain(finding.detail))


def _text_table(title: str, rows: Sequence[tuple[str, ...]]) -> TextTable:
    columns = len(rows[0]) - 1 if rows else 0
    widths = tuple(max(width(row[i]) for row in rows) for i in range(columns))
    return TextTable(f"{title} ({len(rows)})", tuple(rows), widths)


def _headline(verdict: Verdict) -> str:
    count = len(verdict.regressions)
    if verdict.passed:
        return "no regressions"
    return f"{count:,} regression" + ("" if count == 1 else "s")


def _coverage_change(verdict: Verdict) -> tuple[str, str, str]:
    """Base coverage, head coverage and the signed change: `58.6%`, `60.7%`, `+2.1`."""
    base, head = verdict.base.summary.coverage, verdict.head.summary.coverage
    return percent(base), percent(head), signed(verdict.delta)


def signed(points: float) -> str:
    """A change in points with its sign; no change reads `±0.0`, never `-0.0`."""
    return "±0.0" if round(points, 1) == 0 else f"{points:+.1f}"


def _commits(refs: CheckRefs, clean: Callable[[str], str]) -> tuple[str, str]:
    """`ref (short sha)` for base and head, each made safe by `clean`."""
    return _commit(refs.base_ref, refs.base_sha, clean), _commit(
        refs.head_ref, refs.head_sha, clean
    )


def _commit(ref: str, sha: str | None, clean: Callable[[str], str]) -> str:
    if len(ref) > REF_LIMIT:
        ref = ref[: REF_LIMIT - 1] + "…"
    shown = clean(ref)
    return f"{shown} ({clean(sha[:7])})" if sha else shown


# Markdown: the pull request comment ---------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """The rows of one comment section: how many there are, and those that fit."""

    total: int
    shown: tuple[str, ...]

    @property
    def hidden(self) -> int:
        return self.total - len(self.shown)


@dataclass(frozen=True)
class CommentView:
    marker: str
    verdict: Verdict
    headline: str
    coverage: tuple[str, str, str]
    commits: tuple[str, str]
    budget: int
    regressions: Rows
    missing: Rows
    improvements: Rows
    removed: Rows
    orphans: Rows
    groups: Rows
    inventory: Rows


def render_check_markdown(
    verdict: Verdict,
    refs: CheckRefs,
    *,
    link_base: str | None = None,
    marker: str = "",
    budget: int = COMMENT_BUDGET,
) -> str:
    """The PR comment body, at most `budget` characters whatever the inventory's size.

    Links point at `{link_base}/{path}#L{line}` (say `https://github.com/o/r/blob/<sha>`),
    or are relative without `link_base`. `marker` (an HTML comment that finds the
    comment again) comes first, verbatim. The budget must leave room for the
    headline and the section headings: about 3,000 characters.
    """
    tables = _sections(verdict, link_base.rstrip("/") if link_base else None)
    empty = {name: Rows(len(table.items), ()) for name, table in tables.items()}
    # Every section cut to nothing, each with its note: what any choice of rows adds to.
    fixed = len(_comment(verdict, refs, marker, budget, empty))
    chosen, left = {}, budget - fixed
    for name, table in tables.items():  # in priority order: the order of the comment
        shown = table.fitting(left)
        left -= sum(len(row) + 1 for row in shown)
        chosen[name] = Rows(len(table.items), shown)
    return _comment(verdict, refs, marker, budget, chosen)


@dataclass(frozen=True)
class _Table:
    """A budgeted section before the cut: its items, and how to render one as a row."""

    items: Sequence[Any]
    row: Callable[[Any], object]

    def fitting(self, room: int) -> tuple[str, ...]:
        """The leading rows that fit in `room` characters, one newline each.

        Rows are rendered only until one does not fit: a cut section costs nothing.
        """
        shown: list[str] = []
        used = 0
        for item in self.items:
            row = str(self.row(item))
            used += len(row) + 1
            if used > room:
                break
            shown.append(row)
        return tuple(shown)


def _comment(
    verdict: Verdict, refs: CheckRefs, marker: str, budget: int, rows: dict[str, Rows]
) -> str:
    view = CommentView(
        marker=marker,
        verdict=verdict,
        headline=_headline(verdict),
        coverage=_coverage_change(verdict),
        commits=_commits(refs, md_cell),
        budget=budget,
        **rows,
    )
    return render("check.md.j2", view=view)


def _sections(verdict: Verdict, link_base: str | None) -> dict[str, _Table]:
    """Every budgeted section, keyed by `CommentView` field, in the order of the comment."""
    # The template's macros, one per kind of row; jinja gives them no static types.
    row: Any = environment().get_template("check_rows.md.j2").module
    head = verdict.head
    missing = [(s.category, r) for s in sections(head, Status.MISSING) for r in s.results]
    return {
        "regressions": _Table(verdict.regressions, lambda f: row.finding(f, link_base)),
        "missing": _Table(missing, lambda entry: row.missing(*entry, link_base)),
        "improvements": _Table(verdict.improvements, lambda f: row.finding(f, link_base)),
        # A removed image's line is in the base's pull script: no link to the head's.
        "removed": _Table(verdict.removed, lambda f: row.finding(f, None, linked=False)),
        "orphans": _Table(verdict.orphans, lambda path: row.orphan(path, link_base)),
        "groups": _Table(verdict.groups, lambda delta: row.group(delta.name, *_group_cells(delta))),
        "inventory": _Table(head.images, lambda r: row.inventory(category_of(r), r, link_base)),
    }


def _group_cells(delta: GroupDelta) -> tuple[str, str, str]:
    """Base and head coverage of a category and the change; `new` and `removed` for one side."""
    if delta.base is None:
        change = "new"
    elif delta.head is None:
        change = "removed"
    else:
        change = signed(delta.delta or 0.0)
    return _group_cell(delta.base), _group_cell(delta.head), change


def _group_cell(group: Group | None) -> str:
    """`66.7% (2 of 3)`, or `—` for a category one side does not have."""
    return f"{percent(group.coverage)} ({group.documented} of {group.total})" if group else "—"
