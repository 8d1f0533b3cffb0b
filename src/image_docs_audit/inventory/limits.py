"""Bounds on what a pull script can make the reader do.

A pull request can change the pull script, so its size and shape are hostile
input: every loop of the reader is bounded by one of these, and going past one
gives a warning naming the line instead of a hang or a crash.
"""

from __future__ import annotations

MAX_TEXT = 4096  # characters in one value; an image reference is at most a few hundred
MAX_ALTERNATIVES = 1000  # texts one word may stand for
MAX_ELEMENTS = 10_000  # elements of one array, lines of one written file
MAX_DEPTH = 64  # nesting of statements and of expansions
MAX_CALL_DEPTH = 16  # function calls inside function calls
# `$(...)` inside `$(...)`: each is read for what it prints and for what it runs, so each
# level reads the ones inside it twice (a script sets `$(cd "$(dirname "$0")" && pwd)`, 2).
MAX_SUBSTITUTION_DEPTH = 8
MAX_STEPS = 500_000  # statements and words visited for the whole script (about 2 s)
MAX_CANDIDATES = 5_000  # image candidates of one script: the inventory's own bound
MAX_GLOBBED = 256  # files one glob of repository files names (`k8s/*.yaml`)
# A pull script is a list of images, not a data dump: reading one takes up to 400 times its
# size in memory meanwhile (a megabyte of `1+1+...` in one arithmetic expansion, 390 MB;
# four of them took 1.5 GB), and a file it sources is read up to a MiB too.
MAX_SCRIPT_BYTES = 1 << 20


class BudgetExceededError(Exception):
    """The script needs more steps than MAX_STEPS: the rest of it is not read."""


class Budget:
    """Counts the reader's steps; raises BudgetExceededError past the limit."""

    def __init__(self, limit: int = MAX_STEPS) -> None:
        self.left = limit

    def step(self, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise BudgetExceededError
