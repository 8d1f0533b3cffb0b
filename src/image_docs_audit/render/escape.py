"""Make untrusted text inert in Markdown and on a terminal.

Image references, names, categories, paths, reasons and messages all come from
files in the audited repository, which for a pull request means a fork. Every one
of them passes through one of these functions before it reaches a rendering.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Characters that start Markdown syntax anywhere in a line: emphasis, code spans,
# links, raw HTML, table cells, strikethrough, math, entities (`&#64;` renders an `@`).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$&])")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_HEADING = re.compile(r"^(\s*)#")
# GitHub pings `@name` only when no ASCII word character stands before the `@`.
_MENTION = re.compile(r"(?<![A-Za-z0-9_])@")
_ZERO_WIDTH_SPACE = "&#8203;"

# Bidirectional controls reorder what a terminal shows ("Trojan Source").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters (category Cc) and the bidirectional marks above.
_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")


def md_cell(text: str) -> str:
    """`text` as literal Markdown, safe in a table cell, a heading and prose.

    Newlines become spaces (a cell is one line), control characters show as
    escapes (as in `plain`), syntax characters get a backslash, a leading `#`
    cannot open a heading and `@mention`s do not ping.
    """
    text = _MD_SPECIAL.sub(r"\\\1", plain(text))
    text = _HEADING.sub(r"\1\\#", text)
    return _MENTION.sub("@" + _ZERO_WIDTH_SPACE, text)


def md_url(path: str) -> str:
    """A repository path as a relative link target.

    Everything but `/` and the unreserved characters is percent-encoded, so
    spaces, parentheses and `<>` cannot end the target, `#` cannot start a
    fragment and a `:` cannot turn `javascript:...` into a scheme.
    """
    # A file name that is not UTF-8 arrives with surrogate escapes: encode its real bytes.
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def plain(text: str) -> str:
    """`text` for a terminal: one line, no control or reordering characters.

    Escape sequences (`\\x1b[...`) could recolour or rewrite the screen, so every
    control character is shown as its Python escape instead.
    """
    text = _LINE_BREAK.sub(" ", text).replace("\t", " ")
    if not _UNSAFE_RE.search(text):  # the common case: nothing to show differently
        return text
    return "".join(_visible(char) for char in text)


def _visible(char: str) -> str:
    if char in _BIDI or unicodedata.category(char) == "Cc":
        return ascii(char)[1:-1]
    return char


def width(text: str) -> int:
    """How many terminal columns `text` takes: wide characters two, combining none."""
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def pad(text: str, columns: int) -> str:
    """`text` followed by spaces up to `columns` terminal columns."""
    return text + " " * max(columns - width(text), 0)


def percent(value: float) -> str:
    """A coverage as the reports show it: `66.7%`."""
    return f"{value:.1f}%"
