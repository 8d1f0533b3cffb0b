"""A YAML front matter's title over the lines its value runs on. Pure.

`title: Gateway` gives its value on its own line; YAML lets a value go on over the
more indented lines below the key: a block scalar (`title: >-`, `title: |`, the text on
the lines after it) or a plain or quoted scalar folded over several lines. Those lines
are the title: the classifier (`blocks.py`) marks them as its place, and the outline
(`outline.py`) reads its text from them, as YAML folds it (one space per line break).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A block scalar's header: `|` or `>`, an indentation digit and a chomping sign in either
# order, and maybe a comment (the value already stripped).
_BLOCK_SCALAR = re.compile(r"[|>][-+1-9]{0,2}(?:[ \t]+#.*)?")


def title_value(content: Sequence[str], index: int, value: str) -> tuple[int, int, str]:
    """The value of the top-level key on line `index` of a YAML front matter's `content`
    (`value`: what its line holds after the key's colon): the indexes of the first and
    last lines holding its text, and the text, folded into one line and unquoted."""
    below = _lines_below(content, index)
    value = value.strip()
    if _BLOCK_SCALAR.fullmatch(value) is not None:
        if not below:  # an empty block scalar: the key's line, with no text
            return index, index, ""
        return below[0], below[-1], _folded([content[number] for number in below])
    if not below or (not value and not _plain_scalar(content[below[0]])):
        # One line; or a value that is a nested mapping or sequence (`title:` over
        # `  en: Gateway`): no text of the title's own, as before.
        return index, index, _unquoted(value)
    texts = [value, *(content[number] for number in below)]
    return index if value else below[0], below[-1], _unquoted(_folded(texts))


def _lines_below(content: Sequence[str], index: int) -> list[int]:
    """The indexes of the lines after the key at line `index` (in the first column) that
    are more indented than it and not blank, up to the next line in the first column."""
    found = []
    for number in range(index + 1, len(content)):
        line = content[number]
        if not line.strip():
            continue  # blank lines go on a value: a folded scalar's paragraphs
        if line[:1] not in (" ", "\t"):
            break  # the next key (or a comment) in the first column ends the value
        found.append(number)
    return found


def _plain_scalar(line: str) -> bool:
    """Whether `line`, the first line below an empty `title:`, goes on a plain scalar: not
    a comment, a sequence's item nor a mapping's key (a plain scalar holds no `: ` and
    does not end with `:`)."""
    text = line.strip()
    if text.startswith("#") or text[:2] in ("- ", "-\t", "? ", "?\t") or text in ("-", "?"):
        return False
    return not (": " in text or ":\t" in text or text.endswith(":"))


def _folded(lines: Sequence[str]) -> str:
    return " ".join(stripped for line in lines if (stripped := line.strip()))


def _unquoted(value: str) -> str:
    return value.strip().strip("'\"")
