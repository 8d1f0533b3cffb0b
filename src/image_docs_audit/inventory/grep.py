"""Which lines a `grep` selects, for the patterns a pull script gives it.

`grep -v windows` and `grep -v '^#'` drop lines from a list of images: read as dropping
nothing, the first reported `acme/win-agent:1-windows`, which bash never pulls. The
patterns modelled are those of such lists: characters, `.`, `.*`, `[...]`, `\\.`, `^` and
`$` (and any text under `-F`); each is matched by the pattern automaton the trims use,
so no pattern a pull request writes makes the match backtrack. Any other pattern gives
None, and the caller keeps every line. `grep -o` prints the leftmost-longest matches of a
line, found by running that automaton with each position's earliest start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..records import record
from .bash_values import (
    ANY_CHAR,
    ANY_RUN,
    PatternToken,
    bracket_end,
    bracket_test,
)
from .limits import Budget

# Characters special in an extended pattern that a basic one reads as themselves (an
# anchor anywhere, in an extended one).
_EXTENDED = frozenset("+?|(){}^$")
# The characters a `\\` makes plain in a basic pattern; in an extended one, also its own.
_ESCAPED = frozenset(".[]*^$\\/")
_ESCAPED_EXTENDED = _ESCAPED | _EXTENDED


@record
class _Run:
    """`X*`: any run of the characters `test` accepts."""

    test: Callable[[str], bool]


_Token = PatternToken | _Run


# Positions of a pattern's automaton stepped on for one step of the reader's budget: a
# grep over a list is one pass per line, each character costing the positions live then.
STATES_PER_STEP = 4


class _Charge:
    """The automaton's work charged to the reader's budget, `STATES_PER_STEP` positions
    stepped on for a step: `a*a*a*...b` over a long line keeps a live position for each
    run at each character, and reading a list again in a loop reads it again."""

    def __init__(self, budget: Budget | None) -> None:
        self.budget = budget if budget is not None else Budget()
        self.pending = 0

    def add(self, states: int) -> None:
        self.pending += states
        if self.pending >= STATES_PER_STEP:
            self.budget.step(self.pending // STATES_PER_STEP)
            self.pending %= STATES_PER_STEP


def line_test(
    patterns: Sequence[str], flags: str, budget: Budget | None = None
) -> Callable[[str], bool] | None:
    """Whether grep selects a line, under `flags` (its letters: `E`, `F`, `i`, `x`, `w`);
    None for a pattern or flag not modelled. The work is charged to `budget` (a fresh
    one if None): past it, BudgetExceededError."""
    if "w" in flags or "P" in flags:
        return None  # word matches, Perl patterns: not modelled
    fold = "i" in flags
    charge = _Charge(budget)
    tests = [_pattern_test(p.lower() if fold else p, flags, charge) for p in patterns]
    if not tests or any(test is None for test in tests):
        return None
    found = [test for test in tests if test is not None]
    if fold:
        return lambda line: any(test(line.lower()) for test in found)
    return lambda line: any(test(line) for test in found)


@record
class _Pattern:
    """A pattern as the automaton's pieces, and whether it is held to the line's ends."""

    tokens: list[_Token]
    start: bool
    end: bool


def _pattern(pattern: str, flags: str) -> _Pattern | None:
    whole = "x" in flags
    if "F" in flags:
        return _Pattern([char.__eq__ for char in pattern], whole, whole)
    first = pattern.startswith("^")
    last = pattern.endswith("$") and not pattern.endswith("\\$") and len(pattern) > first
    tokens = _tokens(pattern[first : len(pattern) - last], extended="E" in flags)
    return None if tokens is None else _Pattern(tokens, whole or first, whole or last)


def _pattern_test(pattern: str, flags: str, charge: _Charge) -> Callable[[str], bool] | None:
    found = _pattern(pattern, flags)
    if found is None:
        return None
    automaton = ([] if found.start else [ANY_RUN]) + found.tokens
    automaton += [] if found.end else [ANY_RUN]
    return lambda line: _accepts(automaton, line, charge)


def _accepts(tokens: list[_Token], line: str, charge: _Charge) -> bool:
    """Whether the automaton matches the whole line: one pass with the set of its
    positions reached, as `bash_values.prefix_matches` does, runs of one character too."""
    last = len(tokens)
    states = set(_closure({0: 0}, tokens))
    charge.add(len(states))
    for char in line:
        if last in states and tokens and tokens[-1] == ANY_RUN:
            return True  # whatever follows, the rest of the line is the last run's
        charge.add(len(states))
        reached: dict[int, int] = {}
        for position in states:
            wanted = tokens[position] if position < last else None
            if wanted == ANY_RUN or (isinstance(wanted, _Run) and wanted.test(char)):
                reached[position] = 0
            elif wanted == ANY_CHAR or (callable(wanted) and wanted(char)):
                reached[position + 1] = 0
        states = set(_closure(reached, tokens))
        if not states:
            return False
    return last in states


# State steps `grep -o` may take per character and position of its pattern: its
# matches are searched again from each match's end, which a hostile pattern and line
# could make quadratic.
MATCH_STEPS = 4


def only_matching(
    pattern: str, flags: str, budget: Budget | None = None
) -> Callable[[str], list[str] | None] | None:
    """What `grep -o` prints of a line: each leftmost-longest non-empty match, left to
    right, none overlapping (None past MATCH_STEPS a character and position of the
    pattern); None for a pattern or flag not modelled. The work is charged to `budget`
    (see `line_test`)."""
    if "w" in flags or "P" in flags:
        return None
    fold = "i" in flags
    found = _pattern(pattern.lower() if fold else pattern, flags)
    if found is None:
        return None
    charge = _Charge(budget)

    def parts(line: str) -> list[str] | None:
        seen = line.lower() if fold else line
        if len(seen) != len(line):
            return None  # a character whose lower case is longer: positions differ
        allowance = [MATCH_STEPS * (len(line) + 1) * (len(found.tokens) + 1)]
        spans = _matches(found, seen, allowance, charge)
        return None if spans is None else [line[start:end] for start, end in spans]

    return parts


def _matches(
    pattern: _Pattern, line: str, budget: list[int], charge: _Charge
) -> list[tuple[int, int]] | None:
    spans: list[tuple[int, int]] = []
    at = 0
    while at <= len(line):
        found = _leftmost_longest(pattern, line, at, budget, charge)
        if budget[0] < 0:
            return None
        if found is None:
            break
        if found[1] > found[0]:  # grep -o prints no empty match, and looks on past it
            spans.append(found)
        at = max(found[1], found[0] + 1)
    return spans


def _leftmost_longest(
    pattern: _Pattern,
    line: str,
    at: int,
    budget: list[int] | None = None,
    charge: _Charge | None = None,
) -> tuple[int, int] | None:
    """The first match starting at or after `at`, and its longest end: one pass, each
    position of the pattern kept with the earliest start that reaches it (a later start
    there can only match where it does, further right), so len(line) x len(pattern)
    steps at most. `budget`, if given, is charged the steps."""
    tokens = pattern.tokens
    threads: dict[int, int] = {}  # position in the pattern -> earliest start
    best: tuple[int, int] | None = None
    for index in range(at, len(line) + 1):
        if best is None and (index == 0 or not pattern.start) and 0 not in threads:
            # (a thread already there started earlier: a start here can only do worse)
            for position in _closure({0: index}, tokens):
                threads.setdefault(position, index)
        start = threads.get(len(tokens))
        ends = index == len(line) or not pattern.end
        if start is not None and ends and (best is None or start <= best[0]):
            best = (start, index)
        if best is not None:  # a start after the match found can be no leftmost one
            threads = {position: s for position, s in threads.items() if s <= best[0]}
        if index == len(line) or (not threads and (best is not None or pattern.start)):
            break
        if budget is not None:
            budget[0] -= len(threads)
        if charge is not None:
            charge.add(len(threads))
        threads = _step(threads, tokens, line[index])
    return best


def _step(threads: dict[int, int], tokens: list[_Token], char: str) -> dict[int, int]:
    reached: dict[int, int] = {}
    for position, start in threads.items():
        if position == len(tokens):
            continue
        wanted = tokens[position]
        if wanted == ANY_RUN or (isinstance(wanted, _Run) and wanted.test(char)):
            after = position
        elif isinstance(wanted, _Run):
            continue
        elif wanted == ANY_CHAR or (callable(wanted) and wanted(char)):
            after = position + 1
        else:
            continue
        reached[after] = min(start, reached.get(after, start))
    return _closure(reached, tokens)


def _closure(threads: dict[int, int], tokens: list[_Token]) -> dict[int, int]:
    """A run (`.*`, `x*`) may match nothing: a thread before it also stands after it.

    The threads are walked in order and each walk stops at the next thread, which
    carries on with the earlier start: every position is visited once, so `a*a*a*...`
    costs its length, not its square, at each character."""
    found: dict[int, int] = {}
    for first in sorted(threads):
        start = min(threads[first], found.get(first, threads[first]))
        found[first] = start
        position = first
        while position < len(tokens) and _is_run(tokens[position]):
            position += 1
            found[position] = min(start, found.get(position, start))
            if position in threads:
                break  # its own walk goes on from here, with this start if earlier
    return found


def _tokens(body: str, *, extended: bool) -> list[_Token] | None:
    """A regular expression's pieces as the automaton's: a test of one character, `.` any
    character; starred, a run of them (`.*` any run)."""
    tokens: list[_Token] = []
    index = 0
    while index < len(body):
        piece = _piece(body, index, extended=extended)
        if piece is None:
            return None
        test, index = piece
        if body[index : index + 1] == "*":
            tokens.append(ANY_RUN if isinstance(test, str) else _Run(test))  # `.*`: any run
            index += 1
        else:
            tokens.append(test)
    return tokens


def _piece(body: str, index: int, *, extended: bool) -> tuple[PatternToken, int] | None:
    """The test of the one character the pattern's piece at `index` matches, and where
    the next piece starts."""
    char = body[index]
    if char == "\\":
        escaped = body[index + 1 : index + 2]
        if escaped not in (_ESCAPED_EXTENDED if extended else _ESCAPED) or not escaped:
            return None  # `\s`, `\1`, `\<`, and in a basic one `\(`, `\+`, `\|`: not modelled
        return escaped.__eq__, index + 2
    if char == "[":
        close = bracket_end(body, index, negators="^")
        return (
            None if close < 0 else (bracket_test(body[index + 1 : close], negators="^"), close + 1)
        )
    if (
        (extended and char in _EXTENDED)
        or (char in "^$" and index)
        or (char == "*" and (index or extended))
    ):
        return None  # alternation, groups, counts, an anchor inside
    return (ANY_CHAR if char == "." else char.__eq__), index + 1


def _is_run(token: _Token) -> bool:
    return token == ANY_RUN or isinstance(token, _Run)
