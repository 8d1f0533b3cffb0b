"""Find many literal terms in folded bytes: leftmost, longest, on word boundaries.

Two finders give the same spans. `HyperscanFinder` hands all terms to one
Hyperscan literal database (a C library; the `hyperscan` wheel bundles it) and
resolves its reports, which include every overlapping occurrence, the way a
regex alternation would: at the leftmost start with a word boundary, the
longest term that also ends on one, then on from its end. `RegexFinder` is that
alternation, shaped as a prefix tree, for where the wheel does not exist (musl
before hyperscan 0.9, 32-bit, other systems): slower, same answers.

Most terms start or end with another one: `docker.io/acme/app:v1` ends with
`acme/app:v1`, which starts with `acme/app`, which ends with `app`. Hyperscan's
compile time grows with the bytes of its literals (0.12 to 0.17 s for the 12,751
terms of 3,000 images), so `HyperscanFinder` compiles only the terms that hold
no other (1,645 of them there, 0.016 s) and finds each of the others where the
one it holds is found, by comparing the bytes around it: every occurrence of a
term is around an occurrence of the term it holds, so the occurrences found are
those the whole database would report. An occurrence compares only the terms
that have the bytes right before and after it that it has.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from typing import Any, Final, Protocol

# Folded text is lower case, so these bytes are the word characters around a term.
_WORD: Final = bytes(
    1 if chr(b) in "0123456789abcdefghijklmnopqrstuvwxyz" else 0 for b in range(256)
)


class Finder(Protocol):
    def spans(self, folded: bytes) -> list[tuple[int, int]]:
        """(start, end) of each term found, in order, not overlapping."""
        ...

    def ready(self) -> None:
        """Wait until the finder can find (see `make_finder`'s `background`)."""
        ...


class RegexFinder:
    """The prefix-tree alternation of all terms, compiled for bytes."""

    def __init__(self, terms: Sequence[bytes]) -> None:
        alternation = _node_pattern(_tree(terms))
        self._regex = re.compile(rb"(?<![0-9a-z])(?:" + alternation + rb")(?![0-9a-z])")

    def spans(self, folded: bytes) -> list[tuple[int, int]]:
        return [found.span() for found in self._regex.finditer(folded)]

    def ready(self) -> None:
        return None


class HyperscanFinder:
    """The terms that hold no other in one Hyperscan literal database, the others
    found around them; see the module's docstring."""

    def __init__(self, terms: Sequence[bytes], hyperscan: Any, *, background: bool) -> None:
        compiled, self._checks = _anchored(terms)
        self._lengths = [len(term) for term in compiled]
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._compiled = compiled
        self._failed: BaseException | None = None
        self._compiling: threading.Thread | None = None
        if background:
            self._compiling = threading.Thread(target=self._compile_there, daemon=True)
            self._compiling.start()
        else:
            self._compile()

    def _compile(self) -> None:
        compiled = self._compiled
        self._database.compile(
            expressions=compiled,
            ids=list(range(len(compiled))),
            elements=len(compiled),
            flags=0,
            literal=True,
        )

    def _compile_there(self) -> None:
        """`_compile` in its own thread: what it raises, `ready` raises."""
        try:
            self._compile()
        except BaseException as error:  # handed over to `ready`, not swallowed
            self._failed = error

    def ready(self) -> None:
        if self._compiling is not None:
            self._compiling.join()
            self._compiling = None
            failed, self._failed = self._failed, None
            if failed is not None:
                raise failed

    def spans(self, folded: bytes) -> list[tuple[int, int]]:
        reports: list[tuple[int, int]] = []
        self._database.scan(folded, match_event_handler=_collect, context=reports)
        if not reports:
            return []
        lengths, checks = self._lengths, self._checks
        size = len(folded)
        found = []  # (start, end) of every occurrence of every term, in no particular order
        for term, end in reports:
            start = end - lengths[term]
            found.append((start, end))
            around = checks[term]
            if around:  # the terms that hold it, by the bytes they have right around it
                before = folded[start - 1] if start else -1
                after = folded[end] if end < size else -1
                if before >= 0:
                    if after >= 0:
                        _check(around.get(before * _KEYS + after), end, folded, found)
                    _check(around.get(before * _KEYS + _ANY), end, folded, found)
                if after >= 0:
                    _check(around.get(_ANY * _KEYS + after), end, folded, found)
        return _leftmost_longest(found, folded)


def _check(
    checks: tuple[_Check, ...] | None, end: int, folded: bytes, found: list[tuple[int, int]]
) -> None:
    """The terms `checks` finds around an occurrence of the term they hold, which ends at
    `end`, added to `found`."""
    if checks is not None:
        for back, length, texts in checks:
            start = end - back
            if start >= 0 and folded[start : start + length] in texts:
                found.append((start, start + length))


def _leftmost_longest(found: list[tuple[int, int]], folded: bytes) -> list[tuple[int, int]]:
    """The spans a regex alternation would match among the occurrences `found`: at the
    leftmost start with a word boundary, the longest that also ends on one, then on
    from its end."""
    word, size = _WORD, len(folded)
    longest: dict[int, int] = {}  # start -> the end of the longest term found there
    for start, end in found:
        if longest.get(start, -1) >= end:
            continue
        if (start and word[folded[start - 1]]) or (end < size and word[folded[end]]):
            continue
        longest[start] = end
    spans = []
    position = 0
    for start in sorted(longest):
        if start >= position:
            position = longest[start]
            spans.append((start, position))
    return spans


# How a compiled term finds the terms that hold it: for each distinct (how far back from
# its end they start, their length), the terms whose bytes there are theirs.
_Check = tuple[int, int, frozenset[bytes]]
# Those checks by the bytes a term that holds it has right before and after it (`_ANY`
# where it starts or ends with it): an occurrence reads only those of the bytes around it,
# where it read them all (`redis` in prose: none of `library/redis`, `redis:7`).
_Around = dict[int, tuple[_Check, ...]]
_ANY: Final = 256
_KEYS: Final = 257  # a key is before * _KEYS + after
# At most this many comparisons per occurrence of a compiled term for each of the three
# keys its bytes around it give: a term that would need more (the 20 tags of one
# repository on `app`) is compiled itself.
MAX_CHECKS = 8


def _anchored(terms: Sequence[bytes]) -> tuple[list[bytes], list[_Around]]:
    """The terms to compile, and for each of them the checks that find the others.

    The terms are taken shortest first; a term that starts or ends with another
    (`redis:7` with `redis`, `docker.io/library/redis:7` with `library/redis:7`)
    holds the compiled term that one holds, at a known offset.
    """
    starts = _longest_prefixes(terms)
    ends = {
        term[::-1]: held[::-1]
        for term, held in _longest_prefixes([term[::-1] for term in terms]).items()
    }
    compiled: list[bytes] = []
    # A term -> the compiled term it holds (its index) and where that one starts in it.
    anchors: dict[bytes, tuple[int, int]] = {}
    # By compiled term: its checks by the key of the bytes around it (see `_Around`), each
    # by its place in one int (an int hashes faster than a tuple): how far back from the
    # compiled term's end it starts, times `places`, plus its length.
    groups: list[dict[int, dict[int, set[bytes]]]] = []
    places = max(map(len, terms), default=0) + 1

    for term in sorted(terms, key=len):
        start, end = starts.get(term), ends.get(term)
        holders = []  # the anchors of the terms it starts and ends with, as offsets in it
        if start is not None:
            holders.append(anchors[start])
        if end is not None:
            index, offset = anchors[end]
            holders.append((index, offset + len(term) - len(end)))
        for index, offset in holders:
            if _hold(groups[index], len(compiled[index]), term, offset, places):
                anchors[term] = (index, offset)
                break
        else:
            anchors[term] = (len(compiled), 0)
            compiled.append(term)
            groups.append({})
    around = [
        {
            key: tuple(
                (place // places, place % places, frozenset(texts)) for place, texts in by.items()
            )
            for key, by in group.items()
        }
        for group in groups
    ]
    return compiled, around


def _hold(
    group: dict[int, dict[int, set[bytes]]], held: int, term: bytes, offset: int, places: int
) -> bool:
    """Check `term` through the compiled term (`held` bytes long) that holds it at `offset`,
    in that term's `group` of checks; False when the checks of its key are full."""
    held_end = offset + held
    key = (term[offset - 1] if offset else _ANY) * _KEYS + (
        term[held_end] if held_end < len(term) else _ANY
    )
    checks = group.get(key)
    if checks is None:
        checks = group[key] = {}
    place = held_end * places + len(term)
    texts = checks.get(place)
    if texts is None:
        if len(checks) >= MAX_CHECKS:
            return False
        texts = checks[place] = set()
    texts.add(term)
    return True


def _longest_prefixes(terms: Iterable[bytes]) -> dict[bytes, bytes]:
    """Term -> the longest other term it starts with, for those that start with one.

    In sorted order, the terms a term starts with come before it, and every term
    between one of them and it starts with that one too: a stack of the terms
    that start each other holds them all, the longest on top.
    """
    found: dict[bytes, bytes] = {}
    stack: list[bytes] = []
    for term in sorted(terms):
        while stack and not term.startswith(stack[-1]):
            stack.pop()
        if stack and stack[-1] != term:
            found[term] = stack[-1]
        stack.append(term)
    return found


def _collect(term: int, start: int, end: int, flags: int, reports: list[tuple[int, int]]) -> None:
    reports.append((term, end))


def _load_hyperscan() -> Any:
    try:
        import hyperscan  # noqa: PLC0415  (optional: no wheel on some platforms)
    except ImportError:
        return None
    return hyperscan


def make_finder(
    terms: Sequence[bytes], engine: str = "auto", *, background: bool = False
) -> Finder:
    """A finder for `terms` (folded, distinct, non-empty): Hyperscan when it is installed.

    `engine` is "auto", "hyperscan" (an error without it) or "regex". With `background`,
    Hyperscan compiles the terms in a thread (it does not hold the GIL meanwhile, so the
    caller's work goes on); the finder's `ready` waits for it, and must be called before
    the process forks or the finder finds.
    """
    if engine != "regex" and terms:
        hyperscan = _load_hyperscan()
        if hyperscan is None and engine == "hyperscan":
            raise RuntimeError("hyperscan is not installed")
        if hyperscan is not None:
            return HyperscanFinder(terms, hyperscan, background=background)
    return RegexFinder(terms)


def available_engines() -> list[str]:
    """The engines this installation can run, the preferred one first."""
    return (["hyperscan"] if _load_hyperscan() is not None else []) + ["regex"]


_END: Final = b""
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
