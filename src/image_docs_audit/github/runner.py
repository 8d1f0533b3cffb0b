"""The runner's file commands (step outputs, job summary) and its log commands.

Our own small module rather than a dependency: actions-toolkit 0.1.15 pulls PyGithub and
requests into the image, has no job summary and ships a top-level `tests` package;
github-action-utils reads the file paths from `os.environ` and prints as a side effect,
while the action wants the paths injected (tests hand in a temporary file) and the
commands as strings (the caller decides where they go). See docs-notes/actions-toolkit.md.

Every file is written as UTF-8 with `\\n` line ends: the action runs in a Linux container,
where the runner splits file commands on LF only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from uuid import uuid4

from ..render.escape import log_text
from .commands import annotation, escape_data

# The runner accepts more, but a name that is a valid expression identifier
# (`steps.audit.outputs.base-coverage`) is the only kind a workflow can read back.
_OUTPUT_NAME = re.compile(r"[A-Za-z0-9_-]+")

# GitHub refuses to show a step summary over 1 MiB (and the step reports an error).
SUMMARY_LIMIT = 1024 * 1024
SUMMARY_CUT_NOTE = "_The summary was cut at 1 MiB; see the JSON report for everything._"
_NOTE_LINES = f"\n{SUMMARY_CUT_NOTE}\n".encode()  # after a blank line: never a table row


def set_outputs(path: Path | None, outputs: Mapping[str, str]) -> None:
    """Append `outputs` to the `GITHUB_OUTPUT` file at `path`; None (not on a runner) is a no-op.

    Every name is checked before anything is written, so a bad name leaves the file as it was.
    """
    for name in outputs:
        if not _OUTPUT_NAME.fullmatch(name):
            raise ValueError(f"output name {name!r}: expected letters, digits, '_' and '-' only")
    if path is None:
        return
    records = "".join(_output_record(name, value) for name, value in outputs.items())
    # One write in binary append mode: no newline translation, and a concurrent reader
    # never sees half of the batch.
    with path.open("ab") as file:
        file.write(records.encode("utf-8", "replace"))


def _output_record(name: str, value: str) -> str:
    # A CR is not a line break for the runner on Linux, but a value carrying one is
    # multi-line text all the same: the heredoc form keeps it exactly.
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}\n"
    delimiter = _delimiter(name, value)
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def _delimiter(name: str, value: str) -> str:
    """A random heredoc end marker that occurs in neither name nor value.

    The value comes from the audited repository (image names, doc paths): a delimiter it
    contains would end the value early and let the rest set outputs of its own choosing.
    @actions/core throws in that case; drawing again is as safe and never fails a run.
    """
    while True:
        delimiter = f"ghadelimiter_{uuid4()}"
        if delimiter not in value and delimiter not in name:
            return delimiter


def append_summary(
    path: Path | None, markdown: str, *, limit: int = SUMMARY_LIMIT, tail: str = ""
) -> bool:
    """Append `markdown`, then `tail`, to the `GITHUB_STEP_SUMMARY` file at `path`; return
    whether it was cut.

    The file (what earlier steps or calls wrote, plus this) stays at most `limit` bytes:
    when it would not, whole lines of `markdown` are kept while they fit and the note
    `SUMMARY_CUT_NOTE` follows them. `tail` is the reason a verdict failed, said after a
    long audit: a cut keeps it whole after the note, so the summary still says why the
    step failed (unless it does not fit at all, when it is cut like the rest). Each text
    written ends with a newline, so a later append starts a line of its own. None (not
    on a runner) or empty markdown writes nothing and returns False.
    """
    if path is None or not markdown:
        return False
    data = _line_ended(markdown).encode("utf-8", "replace")  # undecodable names: no crash
    kept = _line_ended(tail).encode("utf-8", "replace") if tail else b""
    with path.open("ab") as file:
        # Append mode opens at the end: tell() is the size of what the step already wrote.
        budget = limit - file.tell()
        if len(data) + len(kept) <= budget:
            file.write(data + kept)
            return False
        if kept and len(kept) + len(_NOTE_LINES) <= budget:
            file.write(_cut(data, budget - len(kept)) + kept)
        else:
            file.write(_cut(data + kept, budget))
        return True


def _line_ended(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _cut(data: bytes, budget: int) -> bytes:
    """The longest run of whole lines of `data` that fits in `budget` with the note after it.

    The note stands after a blank line: directly under a table row, GitHub's Markdown
    would make it one more row of the table. A first line longer than the budget is left
    out whole (the note alone remains). When not even the note fits, nothing is written:
    a partial note would be a broken summary of its own.
    """
    note = _NOTE_LINES
    room = budget - len(note)
    if room < 0:
        return b""
    # Cutting after a LF byte never splits a character: in UTF-8 the byte 0x0A only
    # ever stands for LF itself, never inside a multi-byte sequence.
    end = data.rfind(b"\n", 0, room) + 1
    return data[:end] + note


def warning(
    message: str, *, title: str | None = None, file: str | None = None, line: int | None = None
) -> str:
    """A `::warning ...::message` line, escaped; the caller prints it on stdout."""
    return annotation("warning", message, file=file, line=line, title=title)


def error(
    message: str, *, title: str | None = None, file: str | None = None, line: int | None = None
) -> str:
    """A `::error ...::message` line, escaped; the caller prints it on stdout."""
    return annotation("error", message, file=file, line=line, title=title)


def notice(
    message: str, *, title: str | None = None, file: str | None = None, line: int | None = None
) -> str:
    """A `::notice ...::message` line, escaped; the caller prints it on stdout."""
    return annotation("notice", message, file=file, line=line, title=title)


def group(title: str) -> str:
    """Start a foldable group in the log; the title is escaped like a message."""
    return f"::group::{escape_data(log_text(title))}"


def endgroup() -> str:
    """End the group `group` started."""
    return "::endgroup::"
