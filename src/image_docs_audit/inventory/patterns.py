"""Whether a `case` pattern, or the right side of `[[ WORD == PATTERN ]]`, matches a
known word, as bash matches it. Pure.

Only what can be told for sure: a quoted pattern is its text; an unquoted one may hold
`*` and `?`, and `\\` escapes the next character. A bracket expression, an extglob,
a variable or a command in a pattern is not read (None): the caller then reads every
branch. The match runs without a regular expression, in at most len(pattern) x
len(word) steps whatever the pattern (a pull request writes it), and is not tried
beyond MAX_MATCH_STEPS.
"""

from __future__ import annotations

from collections.abc import Sequence

from tree_sitter import Node

from .bash_values import literal_text, text

# The most steps one match may take: far more than an option and its patterns need.
MAX_MATCH_STEPS = 1 << 16
# Unquoted characters that make a pattern one this module does not read.
_UNREAD = frozenset("[]$`()!@+\"'")


def case_pattern_matches(pattern: Node, word: str) -> bool | None:
    """Whether the `case` pattern `pattern` matches `word`; None when it cannot be told."""
    return pieces_match((pattern,), word)


def _glob_parts(pattern: str) -> list[str] | None:
    """The pattern as single characters, `*` and `?` standing for themselves as globs
    and an escaped character as `\\` + it; None for a pattern that is not read."""
    parts: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _UNREAD:
            return None
        else:
            parts.append(char)
    return None if escaped else parts


def _matches(parts: list[str], word: str) -> bool:
    """Glob matching with a single backtrack point, the last `*` seen."""
    position = index = 0
    star, resume = -1, 0
    while position < len(word):
        part = parts[index] if index < len(parts) else None
        if part == "*":
            star, resume = index, position
            index += 1
        elif part is not None and (part == "?" or part[-1] == word[position]):
            index += 1
            position += 1
        elif star >= 0:
            index, resume = star + 1, resume + 1
            position = resume
        else:
            return False
    return all(part == "*" for part in parts[index:])


def pieces_match(pieces: Sequence[Node], word: str) -> bool | None:
    """Whether the pattern written as `pieces` (the right side of `[[ $1 == *"/"* ]]`:
    unquoted globs and quoted texts, side by side) matches `word`; None when it cannot be
    told."""
    parts: list[str] = []
    for piece in pieces:
        quoted = text(piece)[1:-1]
        if piece.type == "raw_string" or (
            piece.type == "string"
            and all(c.type == "string_content" for c in piece.named_children)
            and "\\" not in quoted
        ):
            parts.extend("\\" + char for char in quoted)  # every character as itself
            continue
        globbed = None
        if piece.type in ("word", "extglob_pattern") and literal_text(piece) is not None:
            globbed = _glob_parts(text(piece))
        if globbed is None:
            return None
        parts.extend(globbed)
    if "*" in parts and len(parts) * len(word) > MAX_MATCH_STEPS:
        return None
    return _matches(parts, word)
