"""docs/lines.py: the lines that hold a needle, found by leaping from one to the next."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.docs.lines import find, lines_holding

_TEXT = st.lists(
    st.sampled_from(["```", "~~~", "`", "<", "#", "\n", " ", "x", "é", "\r"]), max_size=30
)


def _reference(text: str, needles: tuple[str, ...]) -> list[int]:
    """The offset of the newline before each line that holds a needle (-1: the first)."""
    found, newline = [], -1
    for line in text.split("\n"):
        if any(needle in line for needle in needles):
            found.append(newline)
        newline += len(line) + 1
    return found


@settings(max_examples=400, deadline=None)
@given(_TEXT.map("".join), st.sampled_from([("```", "~~~"), ("#",), ("<", "```", "~~~")]))
def test_the_lines_holding_a_needle_are_those_the_split_lines_hold(
    text: str, needles: tuple[str, ...]
) -> None:
    assert lines_holding(text, needles) == _reference(text, needles)


def test_a_line_of_needles_is_read_once() -> None:
    """A doc of one long line of needles, then one more line: each line is searched once
    per needle, not once per needle it holds."""
    text = "#" * 5_000_000 + "\n#"
    started = time.perf_counter()
    assert lines_holding(text, ("#",)) == [-1, 5_000_000]
    assert time.perf_counter() - started < 10  # a needle-by-needle search would take hours


@settings(max_examples=400, deadline=None)
@given(_TEXT.map("".join), st.sampled_from(["```", "~~~", "#", "x`"]), st.integers(0, 40))
def test_find_finds_what_str_find_finds(text: str, needle: str, start: int) -> None:
    assert find(text, needle, start) == text.find(needle, start)


def test_find_leaps_past_a_run_of_its_first_character() -> None:
    """More first characters than leaps before the needle: found all the same."""
    text = "`x" * 20 + "```" + "`x" * 3
    assert find(text, "```", 0) == 40
    assert find(text, "```", 41) == 41  # the run goes on into the next "`x"
    assert find(text, "```", 42) == -1
