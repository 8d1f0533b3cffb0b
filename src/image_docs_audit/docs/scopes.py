"""Which image a line of a doc is about. Pure.

A port or a `Known issues:` line belongs to the image whose place it stands in:
the table row or list item that names the image, else the fenced code block that
names it (`docker run -p 9100:9100 example/app-metrics-exporter`: the images its
line names, else the block's), else the section under a heading that names it,
else the doc itself when its file name or title names the image (or the config
names the doc for it). Body text and code that only mention an image never make a
place its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from ..model import Kind
from .outline import Outline, Section

# Kinds that make the line they stand on the image's own (a row, an item).
_LINE_KINDS: Final = frozenset({Kind.TABLE, Kind.LIST, Kind.REFERENCE})
# Kinds that make the whole doc the image's own.
_DOC_KINDS: Final = frozenset({Kind.FILENAME, Kind.TITLE, Kind.CONFIG})
# Kinds that make the code block they stand in the image's own.
_CODE_KINDS: Final = _LINE_KINDS | {Kind.CODE}


# One piece of evidence in the doc at hand: (Image.key, line, the kind's value). A plain
# tuple of plain values: a doc has dozens, a project hundreds of thousands, and such
# tuples are no work for the cyclic collector. (A Kind is a str: it equals its value.)
Mention = tuple[str, int, str]


@dataclass(frozen=True)
class Region:
    """The lines of a doc that are one image's: the whole doc, or some ranges of it."""

    whole: bool
    ranges: tuple[tuple[int, int], ...] = ()

    def covers(self, line: int) -> bool:
        return self.whole or any(first <= line <= last for first, last in self.ranges)


class Scopes:
    """The owners of each line of one doc.

    The owners are tuples, not lists: a project's docs have hundreds of thousands of
    lines with an owner, and tuples of names are no work for the cyclic collector.
    """

    def __init__(self, outline: Outline, mentions: Iterable[Mention]) -> None:
        self.outline = outline
        self.on_line: dict[int, tuple[str, ...]] = {}
        self.in_code: dict[int, tuple[str, ...]] = {}  # a code block's first line -> its images
        self.code_line: dict[int, tuple[str, ...]] = {}  # a line of a code block -> its images
        self.headed: dict[int, tuple[str, ...]] = {}  # a section's heading line -> its images
        self.doc: tuple[str, ...] = ()
        code = outline.code
        # An outline lists its code blocks in order, none inside another: found by bisection.
        self._ordered = all(a[1] < b[0] for a, b in pairwise(code))
        self._starts = [first for first, _ in code]
        self._sections = {section.heading.line: section for section in outline.sections}
        self._ranges: dict[str, list[tuple[int, int]]] | None = None  # see `_own_ranges`
        self._nesting: _Nesting | None = None  # see `_innermost`
        doc: dict[int, tuple[str, ...]] = {}
        places = (doc, self.headed, self.on_line, self.in_code, self.code_line)  # see `_add`
        spilled: dict[tuple[int, int], dict[str, None]] = {}
        for image, line, kind in mentions:
            if kind in _DOC_KINDS:
                _add(places, _DOC, 0, image, spilled)
            elif kind == Kind.HEADING and line in self._sections:
                _add(places, _HEADED, line, image, spilled)
            elif kind in _LINE_KINDS:
                _add(places, _ON_LINE, line, image, spilled)
            if kind in _CODE_KINDS and code:
                start = self._block_start(line)
                if start is not None:
                    _add(places, _IN_CODE, start, image, spilled)
                    _add(places, _CODE_LINE, line, image, spilled)
        for (which, key), images in spilled.items():
            places[which][key] = tuple(images)
        self.doc = doc.get(0, ())

    def _block_start(self, line: int) -> int | None:
        """The first line of the first code block that holds `line`."""
        if self._ordered:
            index = bisect_right(self._starts, line) - 1
            if index >= 0 and line <= self.outline.code[index][1]:
                return self._starts[index]
            return None
        block = self._block(line)
        return block[0] if block is not None else None

    def _block(self, line: int) -> tuple[int, int] | None:
        """The first code block that holds `line`."""
        code = self.outline.code
        if not self._ordered:
            return next((b for b in code if b[0] <= line <= b[1]), None)
        index = bisect_right(self._starts, line) - 1
        return code[index] if index >= 0 and line <= code[index][1] else None

    def owners(self, line: int) -> tuple[str, ...]:
        """The images `line` is about; none when the doc does not say."""
        found = self.on_line.get(line)
        if found is not None:
            return found
        if self.in_code:
            # A line of a code block that names images is theirs (`docker run -p 5432:5432
            # postgres:16`, then `docker run -p 8080:8080 example/app` in the same block);
            # another line of it, the block's images'.
            found = self.code_line.get(line)
            if found is not None:
                return found
            start = self._block_start(line)
            if start is not None and start in self.in_code:
                return self.in_code[start]
        if self.headed:
            images = self._innermost(line)
            if images is not None:
                return images
        return self.doc

    def _innermost(self, line: int) -> tuple[str, ...] | None:
        """The images of the innermost section that names one and holds `line` (after its
        heading), if any: the last such heading before the line, or one it lies in.

        Sections nest (one that starts inside another ends in it too), so the sections
        holding a line are the last heading before it and its enclosing ones, at most one
        a level: found by bisection and a few steps out, not by trying every heading
        for every line (a doc may have a hundred thousand of both)."""
        if self._nesting is None:
            self._nesting = _nesting(self.headed, self._sections)
        lines, ends, parents = self._nesting
        index = bisect_left(lines, line) - 1
        while index >= 0:
            if line <= ends[index]:
                return self.headed[lines[index]]
            index = parents[index]
        return None

    def region(self, image: str) -> Region | None:
        """The lines that are `image`'s own, for the rubric; None when none are."""
        if image in self.doc:
            return Region(True)
        if self._ranges is None:
            self._ranges = self._own_ranges()
        ranges = self._ranges.get(image)
        return Region(False, tuple(sorted(ranges))) if ranges else None

    def _own_ranges(self) -> dict[str, list[tuple[int, int]]]:
        """Image -> the sections and lines that are its own: one pass for all the images
        of the doc, rather than one per image (a table may name hundreds)."""
        found: dict[str, list[tuple[int, int]]] = {}
        for line, images in self.headed.items():
            for image in images:
                found.setdefault(image, []).append((line, self._sections[line].end))
        for line, images in self.on_line.items():
            for image in images:
                found.setdefault(image, []).append((line, line))
        return found


# The sections whose headings name images: their heading lines in order, their last
# lines, and the index of the one each lies in (-1 for none).
_Nesting = tuple[list[int], list[int], list[int]]


def _nesting(headed: dict[int, tuple[str, ...]], sections: dict[int, Section]) -> _Nesting:
    lines = sorted(headed)
    ends = [sections[line].end for line in lines]
    parents: list[int] = []
    enclosing: list[int] = []  # the sections holding the current heading, outermost first
    for index, line in enumerate(lines):
        while enclosing and ends[enclosing[-1]] < line:
            enclosing.pop()
        parents.append(enclosing[-1] if enclosing else -1)
        enclosing.append(index)
    return lines, ends, parents


_FEW: Final = 16  # images a place's tuple takes one by one (most places have one or two)
# The places of `Scopes.__init__`, by position in its `places`.
_DOC, _HEADED, _ON_LINE, _IN_CODE, _CODE_LINE = range(5)


def _add(
    places: tuple[dict[int, tuple[str, ...]], ...],
    which: int,
    key: int,
    image: str,
    spilled: dict[tuple[int, int], dict[str, None]],
) -> None:
    """Add `image` to the tuple of `key` in `places[which]` unless it holds it already;
    past `_FEW` images, to a dict of its own in `spilled` (put back in the tuple at the
    end): a table row, a code block or a title of a pull request's doc may name thousands,
    and testing each against a tuple (and copying it) takes the square of their number."""
    found = places[which]
    images = found.get(key)
    if images is None:
        found[key] = (image,)
    elif len(images) < _FEW:
        if image not in images:
            found[key] = (*images, image)
    else:
        kept = spilled.get((which, key))
        if kept is None:
            kept = spilled[(which, key)] = dict.fromkeys(images)
        kept[image] = None
