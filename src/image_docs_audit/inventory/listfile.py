"""Images of a plain list file: one reference a line, `#` lines as category headers."""

from __future__ import annotations

from .categories import header_text
from .sources import Candidate, SourceImages, SourceKind, file_lines

_MAX_LINES = 100_000


def read_list(path: str, data: bytes) -> SourceImages:
    """The images listed in `path`, each under the last header above it."""
    found: list[tuple[Candidate, str | None]] = []
    category: str | None = None
    for number, raw in enumerate(file_lines(data.decode("utf-8", "replace"))[:_MAX_LINES], 1):
        line = raw.strip()
        if line.startswith("#"):
            category = header_text(line) or category
            continue
        reference = line.split("#", 1)[0].strip()
        if reference:
            found.append((Candidate(reference, number), category))
    return SourceImages(path, tuple(found), (), SourceKind.LIST)
