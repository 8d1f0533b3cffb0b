"""The files a pull script sources (`source ./versions.env`): lines of their own.

A sourced file is read as part of the script, so its lines are numbered in one
space with the script's: each file gets a range past any line a pull script can
have (`parse_at` parses it there without writing the lines before it). What the
reader records by line (images, warnings, comments for categories) is mapped back
to the file and its own line at the end.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from ..model import Diagnostic, Location
from .limits import MAX_SCRIPT_BYTES
from .sources import Candidate

# Past the last line of the largest pull script read (one byte a line).
FIRST_SOURCED_LINE = MAX_SCRIPT_BYTES + 2


@dataclass
class SourcedLines:
    """Where each sourced file's lines start in the script's line space."""

    starts: list[int] = field(default_factory=list)  # ascending
    paths: list[str] = field(default_factory=list)
    by_path: dict[str, int] = field(default_factory=dict)
    next_start: int = FIRST_SOURCED_LINE

    def start_of(self, path: str, data: bytes) -> int:
        """The line the file's first line is read at: the same each time it is sourced."""
        if path not in self.by_path:
            self.by_path[path] = self.next_start
            self.starts.append(self.next_start)
            self.paths.append(path)
            self.next_start += data.count(b"\n") + 2
        return self.by_path[path]

    def place(self, line: int) -> tuple[str | None, int]:
        """The file a line of the line space stands in (None: the script) and its line there."""
        if line < FIRST_SOURCED_LINE or not self.starts:
            return None, line
        index = bisect.bisect_right(self.starts, line) - 1
        return self.paths[index], line - self.starts[index] + 1

    def file_range(self, line: int) -> int:
        """Which range a line is in: 0 for the script, k for the k-th sourced file."""
        return 0 if line < FIRST_SOURCED_LINE else bisect.bisect_right(self.starts, line)

    def candidate(self, candidate: Candidate) -> Candidate:
        if candidate.path is not None or candidate.line < FIRST_SOURCED_LINE:
            return candidate
        path, line = self.place(candidate.line)
        return replace(candidate, path=path, line=line)

    def warning(self, warning: Diagnostic) -> Diagnostic:
        where = warning.location
        if where is None or where.line < FIRST_SOURCED_LINE:
            return warning
        path, line = self.place(where.line)
        return replace(warning, location=Location(path or where.path, line))
