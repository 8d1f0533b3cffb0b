"""Workflow commands: the `::error file=...,line=...::message` lines the runner reads on stdout.

Messages, file names and titles come from the audited repository (a fork, for a pull
request). Escaping keeps each on its one line: an unescaped newline would let a name
start a command of its own (`::add-mask::`, `::stop-commands::`).
"""

from __future__ import annotations

from typing import Literal

from ..gate import Finding, Verdict
from ..render.escape import log_text

Level = Literal["error", "warning", "notice"]

# GitHub shows at most 10 annotations of each level (error, warning, notice) per step and
# drops the rest unseen, so a note on those left out must be one of the ten.
SHOWN_PER_LEVEL = 10


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF percent-encoded (`%` first, so it stays reversible)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as `escape_data`, and `:` and `,`, which end a value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: Level,
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    title: str | None = None,
) -> str:
    """One annotation command, with only the properties that are set.

    Line 0 (the whole file, in the audit's locations) is left out like None. Message,
    file and title pass `log_text` first: a control or bidi character shows as an escape.
    """
    properties = [
        f"{name}={escape_property(log_text(value))}"
        for name, value in (
            ("file", file),
            ("line", str(line) if line else None),
            ("title", title),
        )
        if value
    ]
    command = f"{level} {','.join(properties)}" if properties else level
    return f"::{command}::{escape_data(log_text(message))}"


def annotations_for(verdict: Verdict, *, warnings_after: int = 0) -> list[str]:
    """An error on the line of each regression, a warning on each new orphan doc.

    At most `SHOWN_PER_LEVEL` of each level: when there are more, the last one shown of
    that level says how many were left out. `warnings_after`: how many warnings the
    caller may print after these (a comment that could not be written), kept visible.
    """
    errors = [_regression(finding) for finding in verdict.regressions]
    warnings = [
        annotation("warning", f"{path} names no image of the pull scripts", file=path)
        for path in verdict.orphans
    ]
    return [
        *_shown("error", errors, SHOWN_PER_LEVEL, "regressions"),
        *_shown("warning", warnings, SHOWN_PER_LEVEL - warnings_after, "orphan docs"),
    ]


def _shown(level: Level, lines: list[str], room: int, what: str) -> list[str]:
    """`lines` if they fit in `room`, else the first ones and a note on the others."""
    if len(lines) <= room:
        return lines
    if room < 1:
        return []
    kept = lines[: room - 1]
    note = (
        f"{len(lines) - len(kept):,} more {what} not shown as annotations (GitHub shows "
        f"{SHOWN_PER_LEVEL} of each kind); see the job summary"
    )
    return [*kept, annotation(level, note, title="image-docs-audit")]


def _regression(finding: Finding) -> str:
    return annotation(
        "error",
        finding.detail,
        file=finding.path,
        line=finding.line,
        title=f"image-docs-audit: {finding.kind}",
    )
