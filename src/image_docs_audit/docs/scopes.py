"""Which image a line of a doc is about. Pure.

A port or a `Known issues:` line belongs to the image whose place it stands in:
the table row or list item that names the image, else the fenced code block that
names it (`docker run -p 9100:9100 example/app-metrics-exporter`), else the
section under a heading that names it, else the doc itself when its file name or
title names the image (or the config names the doc for it). Body text and code
that only mention an image never make a place its own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from ..model import Kind
from .outline import Outline, Section

# Kinds that make the line they stand on the image's own (a row, an item).
_LINE_KINDS = frozenset({Kind.TABLE, Kind.LIST, Kind.REFERENCE})
# Kinds that make the whole doc the image's own.
_DOC_KINDS = frozenset({Kind.FILENAME, Kind.TITLE, Kind.CONFIG})


# One piece of evidence in the doc at hand: (Image.key, line, kind). A plain tuple: a
# doc has dozens, a project hundreds of thousands, and each is read once.
Mention = tuple[str, int, Kind]


@dataclass(frozen=True)
class Region:
    """The lines of a doc that are one image's: the whole doc, or some ranges of it."""

    whole: bool
    ranges: tuple[tuple[int, int], ...] = ()

    def covers(self, line: int) -> bool:
        return self.whole or any(first <= line <= last for first, last in self.ranges)


class Scopes:
    """The owners of each line of one doc."""

    def __init__(self, outline: Outline, mentions: Iterable[Mention] = ()) -> None:
        self.outline = outline
        self.on_line: dict[int, list[str]] = {}
        self.in_code: dict[int, list[str]] = {}  # a code block's first line -> images named in it
        # A section's heading line -> the section and the images its heading names.
        self.headed: dict[int, tuple[Section, list[str]]] = {}
        self.doc: list[str] = []
        code = outline.code
        # An outline lists its code blocks in order, none inside another: found by bisection.
        self._ordered = all(a[1] < b[0] for a, b in pairwise(code))
        self._starts = [first for first, _ in code]
        self._sections = {section.heading.line: section for section in outline.sections}
        for image, line, kind in mentions:
            self.add(image, line, kind)

    def add(self, image: str, line: int, kind: Kind) -> None:
        """Take one more piece of evidence: the mentions of a doc, in order, make its scopes."""
        if kind in _DOC_KINDS:
            _add(self.doc, image)
        elif kind is Kind.HEADING and line in self._sections:
            _add(self.headed.setdefault(line, (self._sections[line], []))[1], image)
        elif kind in _LINE_KINDS:
            _add_to(self.on_line, line, image)
        if (kind is Kind.CODE or kind in _LINE_KINDS) and self._starts:
            block = self._block(line)
            if block is not None:
                _add_to(self.in_code, block[0], image)

    def _block(self, line: int) -> tuple[int, int] | None:
        """The first code block that holds `line`."""
        code = self.outline.code
        if not self._ordered:
            return next((b for b in code if b[0] <= line <= b[1]), None)
        index = bisect_right(self._starts, line) - 1
        return code[index] if index >= 0 and line <= code[index][1] else None

    def owners(self, line: int) -> tuple[str, ...]:
        """The images `line` is about; none when the doc does not say."""
        return tuple(self.owners_list(line))

    def owners_list(self, line: int) -> list[str]:
        """`owners`, as the list the scopes hold: not to be changed."""
        found = self.on_line.get(line)
        if found is not None:
            return found
        if self.in_code:
            block = self._block(line)
            if block is not None and block[0] in self.in_code:
                return self.in_code[block[0]]
        innermost = None
        for heading, (section, images) in self.headed.items():
            if heading < line <= section.end and (innermost is None or heading > innermost[0]):
                innermost = (heading, images)
        return innermost[1] if innermost is not None else self.doc

    def region(self, image: str) -> Region | None:
        """The lines that are `image`'s own, for the rubric; None when none are."""
        if image in self.doc:
            return Region(True)
        ranges = [(s.heading.line, s.end) for s, images in self.headed.values() if image in images]
        ranges += [(line, line) for line, images in self.on_line.items() if image in images]
        return Region(False, tuple(sorted(ranges))) if ranges else None


def _add(images: list[str], image: str) -> None:
    if image not in images:
        images.append(image)


def _add_to(found: dict[int, list[str]], key: int, image: str) -> None:
    images = found.get(key)
    if images is None:
        found[key] = [image]
    elif image not in images:
        images.append(image)
