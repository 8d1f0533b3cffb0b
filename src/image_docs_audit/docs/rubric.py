"""The doc-quality rubric: which of the `required-sections` an image's docs have. Pure.

A required section is found in a heading, a `Key:` line or the key column of a
two-column table, in the lines that are the image's own (its dedicated docs
whole, or its section, row or item in another doc; see `scopes.py`). Matching is
fuzzy on case, punctuation and plurals, and a longer heading still counts:
`Smoke test` is found in `## Smoke-test results`. A heading whose section holds
nothing but TODO lines (a scaffold not filled in yet) does not count.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .outline import Outline, words
from .scopes import Region


@dataclass(frozen=True)
class Quality:
    completeness: float  # percent of the required sections found
    missing: tuple[str, ...]  # the required sections not found, as configured


def stem(word: str) -> str:
    """A crude singular: `dependencies` -> `dependency`, `ports` -> `port`."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def names_section(required: str, candidate: str) -> bool:
    """Whether `candidate` (a heading or key) is the section `required`: its words, in order."""
    wanted = [stem(word) for word in words(required)]
    have = iter(stem(word) for word in words(candidate))
    return bool(wanted) and all(word in have for word in wanted)


def section_names(outline: Outline, region: Region) -> list[str]:
    """The headings and keys that stand in `region` of the doc."""
    names = [
        section.heading.text
        for section in outline.sections
        if region.covers(section.heading.line) and not section.placeholder
    ]
    names += [key for line, key in outline.keys if region.covers(line)]
    for table in outline.tables:  # a row that is the image's own: its table's headed cells
        if any(region.covers(line) for line in range(table.header + 2, table.end + 1)) and not (
            region.whole
        ):
            names += list(table.columns)
    return names


def grade(required: Sequence[str], names: Iterable[str]) -> Quality:
    found = list(names)
    missing = tuple(r for r in required if not any(names_section(r, name) for name in found))
    share = 100.0 * (len(required) - len(missing)) / len(required) if required else 100.0
    return Quality(share, missing)


class SectionIndex:
    """`section_names` for every image of one doc: its names sorted by line once, found
    by bisection, rather than every heading and key of the doc tested per image.

    The names come in another order than `section_names` gives them, and each once per
    part of the region: `Rubric.grade` reads them as a set.
    """

    def __init__(self, outline: Outline) -> None:
        named = sorted(
            [(s.heading.line, s.heading.text) for s in outline.sections if not s.placeholder]
            + list(outline.keys)
        )
        self._lines = [line for line, _ in named]
        self._names = [name for _, name in named]
        # A row that is the image's own: its table's headed cells. The rows start 2 below
        # the header; a table without one has none to meet a region.
        self._tables = sorted(
            (t.header + 2, t.end, t.columns) for t in outline.tables if t.header + 2 <= t.end
        )
        self._tops = [top for top, _, _ in self._tables]
        self._ends = [end for _, end, _ in self._tables]
        # Tables one after another (as a doc has them) end in the order they start: the
        # tables a range meets are then a run of them, found by bisection.
        self._ordered = all(a <= b for a, b in pairwise(self._ends))

    def names(self, region: Region) -> list[str]:
        if region.whole:
            return list(self._names)
        found: list[str] = []
        merged = _union(region.ranges)
        for first, last in merged:
            lo = bisect_left(self._lines, first)
            found += self._names[lo : bisect_right(self._lines, last, lo)]
        for index in self._tables_meeting(merged):
            found += self._tables[index][2]
        return found

    def _tables_meeting(self, merged: list[tuple[int, int]]) -> set[int]:
        """The tables whose rows meet the ranges (sorted, disjoint), by position."""
        if self._ordered:
            return {
                index
                for first, last in merged
                for index in range(bisect_left(self._ends, first), bisect_right(self._tops, last))
            }
        # A table's rows meet the ranges when the first range that ends at or after the
        # first row starts at or before the last one.
        lasts = [last for _, last in merged]
        found = set()
        for index, (top, end, _) in enumerate(self._tables):
            at = bisect_left(lasts, top)
            if at < len(merged) and merged[at][0] <= end:
                found.add(index)
        return found


def _union(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted line ranges merged where they overlap: a line is in one at most. A range
    that ends before it starts holds no line: it is left out."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if first > last:
            continue
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


class Rubric:
    """`grade` for many images: the words of each required section and of each name are
    worked out once, not once per image and name (headings repeat from doc to doc)."""

    def __init__(self, required: Sequence[str]) -> None:
        self.required = tuple(required)
        # Name -> the required sections it names, as bits: bit i for required[i].
        self._named: dict[str, int] = {}

    def grade(self, names: Iterable[str]) -> Quality:
        return self.quality(self.found(names))

    def found(self, names: Iterable[str]) -> int:
        """The required sections `names` name, as bits (see `_named`)."""
        found = 0
        for name in set(names):
            named = self._named.get(name)
            if named is None:
                named = self._named[name] = sum(
                    1 << i for i, r in enumerate(self.required) if names_section(r, name)
                )
            found |= named
        return found

    def quality(self, found: int) -> Quality:
        """The grade of an image whose docs name the required sections `found` (bits)."""
        missing = tuple(r for i, r in enumerate(self.required) if not found >> i & 1)
        total = len(self.required)
        return Quality(100.0 * (total - len(missing)) / total if total else 100.0, missing)
