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

# The runner shows at most 10 errors and 10 warnings per step and 50 per job.
ANNOTATION_LIMIT = 50


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


def annotations_for(verdict: Verdict, limit: int = ANNOTATION_LIMIT) -> list[str]:
    """An error on the line of each regression, a warning on each new orphan doc.

    At most `limit` lines: when there are more, the last line says how many were
    left out.
    """
    found = [_regression(finding) for finding in verdict.regressions]
    found += [
        annotation("warning", f"{path} names no image of the pull scripts", file=path)
        for path in verdict.orphans
    ]
    if len(found) <= limit:
        return found
    kept = found[: max(limit - 1, 0)]
    left_out = len(found) - len(kept)
    summary = f"{left_out} more image-docs-audit annotations not shown; see the job summary"
    return [*kept, annotation("warning", summary)] if limit > 0 else []


def _regression(finding: Finding) -> str:
    return annotation(
        "error",
        finding.detail,
        file=finding.path,
        line=finding.line,
        title=f"image-docs-audit: {finding.kind}",
    )
