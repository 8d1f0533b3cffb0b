"""Finding the few lines of a doc that a line pattern may match. Pure.

A pattern that starts with the newline before a line lets `re` leap from newline to
newline, but it still tries the rest of the pattern after every one: a few hundred
tries a doc. Most such patterns can only match a line that holds a given string (a
fence's three backticks, a `#`, a `<`), which str.find finds at C speed.
"""

from __future__ import annotations


def lines_holding(text: str, needles: tuple[str, ...]) -> list[int]:
    """The offsets of the newlines before the lines of `text` that hold one of `needles`
    (-1 for the first line), in order. Each line is searched once per needle: after a
    find, the search goes on from the line's end, so a long line of needles costs no more
    than reading it."""
    starts: set[int] = set()
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at))
            end = text.find("\n", at)
            at = text.find(needle, end) if end >= 0 else -1
    return sorted(starts)
