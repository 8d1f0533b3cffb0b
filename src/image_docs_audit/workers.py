"""A second worker process for large trees: half of a list of work in a forked child.

Scanning docs is pure Python per line, so one process keeps one core busy. Forking
costs a few milliseconds and sending the results back about as much again, which a
tree of a few hundred docs repays. The child gets every other item (docs differ in
size; alternating balances the two halves better than cutting the list in two) but
one in forty, since it also pickles its result while the parent waits (see `split`),
and each half's result comes back on its own: the caller merges them in a fixed
order, so the outcome never depends on which process did what.

Where there is no `fork` (Windows), a fork fails, or the child fails in any way, the
caller's process does the child's half too: slower, same result.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

Item = TypeVar("Item")
Result = TypeVar("Result")

# Of every `_PERIOD` items, the child gets the odd positions but the last: 19 of 40.
# Pickling its result costs the child about a tenth of its scan (measured on the
# benchmark's M and L projects, benchmarks/RESULTS.md), time the parent would
# otherwise spend waiting for it; a twentieth less work evens that out.
_PERIOD = 40


def split(items: Sequence[Item]) -> tuple[list[Item], list[Item]]:
    """The parent's share of `items` and the child's, both in their order."""
    mine: list[Item] = []
    theirs: list[Item] = []
    for index, item in enumerate(items):
        position = index % _PERIOD
        (theirs if position % 2 and position != _PERIOD - 1 else mine).append(item)
    return mine, theirs


def in_two(
    items: Sequence[Item],
    work: Callable[[Sequence[Item]], Result],
    child_setup: Callable[[], None] = lambda: None,
    child_exit: Callable[[], None] = lambda: None,
) -> tuple[Result, Result]:
    """`(work(mine), work(theirs))` for the shares of `split(items)`, the second in a
    forked child if possible.

    `child_setup` runs first in the child: what the parent holds that a child must not
    share (a pipe to a git process) is let go there. `child_exit` runs last, to end
    what the child started (its own git process).
    """
    mine, theirs = split(items)
    if not hasattr(os, "fork") or not theirs:
        return work(mine), work(theirs)
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare (a limit on processes, or on memory)
        os.close(reader)
        os.close(writer)
        return work(mine), work(theirs)
    if pid == 0:  # the child: never returns
        os.close(reader)
        _child(writer, lambda: work(theirs), child_setup, child_exit)
    os.close(writer)
    reaped = False
    try:
        here = work(mine)
        data = _read_all(reader)
        _, status = os.waitpid(pid, 0)
        reaped = True
        there = _result(data, status)
    finally:
        os.close(reader)
        if not reaped:  # the parent's half failed: the child's is not wanted
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return here, (work(theirs) if there is None else cast(Result, there[0]))


def _child(
    writer: int,
    compute: Callable[[], object],
    setup: Callable[[], None],
    finish: Callable[[], None],
) -> None:
    code = 1
    try:
        setup()
        try:
            data = pickle.dumps((compute(),), protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            finish()
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        # No cleanup of the parent's objects (buffers, temporary files, subprocesses)
        # may run twice: the child leaves without running any.
        os._exit(code)


def _read_all(reader: int) -> bytes:
    chunks = []
    while chunk := os.read(reader, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _result(data: bytes, status: int) -> tuple[object] | None:
    """The child's result in a 1-tuple, or None when it did not finish cleanly."""
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        found = pickle.loads(data)  # our own child wrote it a moment ago
    except Exception:  # any damage: the parent does the work itself
        return None
    return found if isinstance(found, tuple) and len(found) == 1 else None
