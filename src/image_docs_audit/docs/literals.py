"""Find many literal terms in folded bytes: leftmost, longest, on word boundaries.

Two finders give the same spans. `HyperscanFinder` hands all terms to one
Hyperscan literal database (a C library; the `hyperscan` wheel bundles it) and
resolves its reports, which include every overlapping occurrence, the way a
regex alternation would: at the leftmost start with a word boundary, the
longest term that also ends on one, then on from its end. `RegexFinder` is that
alternation, shaped as a prefix tree, for where the wheel does not exist (musl
before hyperscan 0.9, 32-bit, other systems): slower, same answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

# Folded text is lower case, so these bytes are the word characters around a term.
_WORD = bytes(1 if chr(b) in "0123456789abcdefghijklmnopqrstuvwxyz" else 0 for b in range(256))


class Finder(Protocol):
    def spans(self, folded: bytes) -> list[tuple[int, int]]:
        """(start, end) of each term found, in order, not overlapping."""
        ...


class RegexFinder:
    """The prefix-tree alternation of all terms, compiled for bytes."""

    def __init__(self, terms: Sequence[bytes]) -> None:
        alternation = _node_pattern(_tree(terms))
        self._regex = re.compile(rb"(?<![0-9a-z])(?:" + alternation + rb")(?![0-9a-z])")

    def spans(self, folded: bytes) -> list[tuple[int, int]]:
        return [found.span() for found in self._regex.finditer(folded)]


class HyperscanFinder:
    """All terms in one Hyperscan literal database; see the module's docstring."""

    def __init__(self, terms: Sequence[bytes], hyperscan: Any) -> None:
        self._lengths = [len(term) for term in terms]
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(
            expressions=list(terms),
            ids=list(range(len(terms))),
            elements=len(terms),
            flags=0,
            literal=True,
        )

    def spans(self, folded: bytes) -> list[tuple[int, int]]:
        reports: list[tuple[int, int]] = []
        self._database.scan(folded, match_event_handler=_collect, context=reports)
        if not reports:
            return []
        lengths, word, size = self._lengths, _WORD, len(folded)
        longest: dict[int, int] = {}  # start -> the end of the longest term found there
        for term, end in reports:
            start = end - lengths[term]
            if longest.get(start, -1) >= end:
                continue
            if (start and word[folded[start - 1]]) or (end < size and word[folded[end]]):
                continue
            longest[start] = end
        found = []
        position = 0
        for start in sorted(longest):
            if start >= position:
                position = longest[start]
                found.append((start, position))
        return found


def _collect(term: int, start: int, end: int, flags: int, reports: list[tuple[int, int]]) -> None:
    reports.append((term, end))


def _load_hyperscan() -> Any:
    try:
        import hyperscan  # noqa: PLC0415  (optional: no wheel on some platforms)
    except ImportError:
        return None
    return hyperscan


def make_finder(terms: Sequence[bytes], engine: str = "auto") -> Finder:
    """A finder for `terms` (folded, distinct, non-empty): Hyperscan when it is installed.

    `engine` is "auto", "hyperscan" (an error without it) or "regex".
    """
    if engine != "regex" and terms:
        hyperscan = _load_hyperscan()
        if hyperscan is None and engine == "hyperscan":
            raise RuntimeError("hyperscan is not installed")
        if hyperscan is not None:
            return HyperscanFinder(terms, hyperscan)
    return RegexFinder(terms)


def available_engines() -> list[str]:
    """The engines this installation can run, the preferred one first."""
    return (["hyperscan"] if _load_hyperscan() is not None else []) + ["regex"]


_END = b""
_Tree = dict[bytes, Any]


def _tree(terms: Iterable[bytes]) -> _Tree:
    root: _Tree = {}
    for term in terms:
        node = root
        for byte in term:
            node = node.setdefault(bytes((byte,)), {})
        node[_END] = {}
    return root


def _node_pattern(node: _Tree) -> bytes:
    """The regex of a prefix tree: a term that is the prefix of another ends in an
    optional group, greedy, so the longer term is tried first."""
    branches = [
        re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return b""
    body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
    return b"(?:" + body + b")?" if _END in node else body
