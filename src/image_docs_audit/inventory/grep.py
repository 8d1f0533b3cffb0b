"""Which lines a `grep` selects, for the patterns a pull script gives it.

`grep -v windows` and `grep -v '^#'` drop lines from a list of images: read as dropping
nothing, the first reported `acme/win-agent:1-windows`, which bash never pulls. The
patterns modelled are those of such lists: characters, `.`, `.*`, `[...]`, `\\.`, `^` and
`$` (and any text under `-F`); each is matched by the pattern automaton the trims use,
so no pattern a pull request writes makes the match backtrack. Any other pattern gives
None, and the caller keeps every line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .bash_values import (
    ANY_CHAR,
    ANY_RUN,
    PatternToken,
    bracket_end,
    bracket_test,
    prefix_matches,
)

# Characters special in an extended pattern that a basic one reads as themselves (an
# anchor anywhere, in an extended one).
_EXTENDED = frozenset("+?|(){}^$")


def line_test(patterns: Sequence[str], flags: str) -> Callable[[str], bool] | None:
    """Whether grep selects a line, under `flags` (its letters: `E`, `F`, `i`, `x`, `w`);
    None for a pattern or flag not modelled."""
    if "w" in flags or "P" in flags:
        return None  # word matches, Perl patterns: not modelled
    fold = "i" in flags
    tests = [_pattern_test(p.lower() if fold else p, flags) for p in patterns]
    if not tests or any(test is None for test in tests):
        return None
    found = [test for test in tests if test is not None]
    if fold:
        return lambda line: any(test(line.lower()) for test in found)
    return lambda line: any(test(line) for test in found)


def _pattern_test(pattern: str, flags: str) -> Callable[[str], bool] | None:
    whole = "x" in flags
    if "F" in flags:
        tokens: list[PatternToken] | None = [char.__eq__ for char in pattern]
        start, end = whole, whole
    else:
        first = pattern.startswith("^")
        last = pattern.endswith("$") and not pattern.endswith("\\$") and len(pattern) > first
        start, end = whole or first, whole or last
        body = pattern[first : len(pattern) - last]
        tokens = _tokens(body, extended="E" in flags)
    if tokens is None:
        return None
    automaton = ([] if start else [ANY_RUN]) + tokens + ([] if end else [ANY_RUN])
    return lambda line: len(line) in prefix_matches(automaton, line)


def _tokens(body: str, *, extended: bool) -> list[PatternToken] | None:
    """A regular expression's pieces as the automaton's: `.` any character, `.*` any run."""
    tokens: list[PatternToken] = []
    index = 0
    while index < len(body):
        char = body[index]
        starred = body[index + 1 : index + 2] == "*"
        if char == "\\":
            escaped = body[index + 1 : index + 2]
            if not escaped or escaped.isalnum() or starred:
                return None  # `\s`, `\w`, `\1`: not modelled
            tokens.append(escaped.__eq__)
            index += 2
            continue
        if char == "[":
            close = bracket_end(body, index, negators="^")
            if close < 0 or body[close + 1 : close + 2] == "*":
                return None
            tokens.append(bracket_test(body[index + 1 : close], negators="^"))
            index = close + 1
            continue
        if (
            (extended and char in _EXTENDED)
            or (char in "^$" and index)
            or (char == "*" and (index or extended))
        ):
            return None  # alternation, groups, counts, a star after a character
        if char == ".":
            tokens.append(ANY_RUN if starred else ANY_CHAR)
            index += 2 if starred else 1
            continue
        if starred:
            return None
        tokens.append(char.__eq__)
        index += 1
    return tokens
