"""A doc's lines: finding the few that a line pattern may match, and the text split
into them once for all its readers (`SplitText`). Pure.

A pattern that starts with the newline before a line lets `re` leap from newline to
newline, but it still tries the rest of the pattern after every one: a few hundred
tries a doc. Most such patterns can only match a line that holds a given string (a
fence's three backticks, a `#`, a `<`), which str.find finds at C speed.
"""

from __future__ import annotations

from typing import Final


def lines_holding(text: str, needles: tuple[str, ...]) -> list[int]:
    """The offsets of the newlines before the lines of `text` that hold one of `needles`
    (-1 for the first line), in order. Each line is searched once per needle: after a
    find, the search goes on from the line's end, so a long line of needles costs no more
    than reading it."""
    starts: set[int] = set()
    for needle in needles:
        at = find(text, needle, 0)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at))
            end = text.find("\n", at)
            at = find(text, needle, end) if end >= 0 else -1
    return sorted(starts)


def offsets(text: str, char: str, start: int = 0) -> list[int]:
    """Where the character `char` stands in `text` from `start` on, in order (read once,
    for every question asked of a line: its pipes, backticks, closing parentheses)."""
    found = []
    at = text.find(char, start)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def find(text: str, needle: str, start: int) -> int:
    """`text.find(needle, start)`, leaping by the needle's first character.

    A text with a character beyond U+FFFF (an emoji: most docs) is stored four bytes a
    character, and there str.find of a longer needle reads 2 ns a character, of one
    character 0.3: a search for a `~~~` that is not there took 21 µs of a 10 KB doc,
    leaping by `~` 3 µs. Where the first character keeps coming without the needle
    (a line of backticks), a few leaps on, the needle is searched for itself.
    """
    if len(needle) == 1:
        return text.find(needle, start)
    first = needle[0]
    at = text.find(first, start)
    for _ in range(_LEAPS):
        if at < 0 or text.startswith(needle, at):
            return at
        at = text.find(first, at + 1)
    return text.find(needle, at) if at >= 0 else -1


_LEAPS: Final = 8


class SplitText:
    """A doc's text, split on newlines once for every reader of the doc: the scan's
    judging of matches and the outline each took 15 µs of a 10 KB doc to split it.

    `data`, when given, is the text's UTF-8 encoding, as read: what would encode it
    again (12 µs) is taken from there.
    """

    def __init__(self, text: str, data: bytes | None = None) -> None:
        self.text = text
        self._data = data
        self._lines: list[str] | None = None

    def lines(self) -> list[str]:
        """`text.split("\\n")`, made once: a reader must not change the list."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def holds(self, char: str) -> bool:
        """Whether the text holds `char`, an ASCII character: looked for in the bytes where
        they are kept (memchr: a tenth of the time of a text with an emoji)."""
        if self._data is not None:
            return char.encode() in self._data
        return char in self.text

    def ascii_lowered(self) -> bytes:
        """The text's UTF-8 bytes with ASCII capitals lowered (no other byte changes)."""
        if self._data is not None:
            return self._data.lower()
        return self.text.encode("utf-8", "surrogatepass").lower()
