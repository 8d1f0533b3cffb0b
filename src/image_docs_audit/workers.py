"""Two worker processes for large trees: one half of a list of work in a forked child,
the other in this process meanwhile.

Scanning docs is pure Python per line, so one process keeps one core busy. Forking
costs a few milliseconds and sending the results back about as much again, which a
tree of a few hundred docs repays. The child gets every other item (docs differ in
size; alternating balances the two halves better than cutting the list in two),
pickles its result and sends it down a pipe. This process does the other half
itself: its result is neither pickled nor read back, and the peak memory is the same
as with a child for each half (the 5,000- and 20,000-doc benchmarks, audit and check:
benchmarks/RESULTS.md). Each half's result comes back on its own: the caller merges
them in a fixed order, so the outcome never depends on which process did what.

Where there is no `fork` (Windows), a fork fails, or a child fails in any way, the
caller's process does that child's half: slower, same result.

`Ahead` is the other way to use the second core: a child forked early works through a
list one item at a time, in order, while this process does what has to come first
(parse the pull scripts, build the terms), and stops when asked; the items it did are
the ones this process and `in_two` need not do. What it sends back is only ever a
saving: a child that fails sends nothing, and every item is done as if it had not run.
"""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Generic, TypeVar, cast

Item = TypeVar("Item")
Result = TypeVar("Result")


def split(items: Sequence[Item]) -> tuple[list[Item], list[Item]]:
    """The two halves of `items`: every other item, both in their order."""
    return list(items[::2]), list(items[1::2])


def in_two(
    items: Sequence[Item],
    work: Callable[[Sequence[Item]], Result],
    child_setup: Callable[[], None] = lambda: None,
    child_exit: Callable[[], None] = lambda: None,
) -> tuple[Result, Result]:
    """`(work(first), work(second))` for the halves of `split(items)`: the first in a
    forked child if possible, the second in this process meanwhile (see `beside`)."""
    first, second = split(items)
    if not second:
        return work(first), work(second)
    return beside(partial(work, first), partial(work, second), child_setup, child_exit)


Other = TypeVar("Other")


def beside(
    there: Callable[[], Result],
    here: Callable[[], Other],
    child_setup: Callable[[], None] = lambda: None,
    child_exit: Callable[[], None] = lambda: None,
) -> tuple[Result, Other]:
    """`(there(), here())`: `there` in a forked child while this process does `here`;
    where no child can be forked or it fails, this process does `there` after `here`.

    `child_setup` runs first in the child: what the parent holds that a child must not
    share (a pipe to a git process) is let go there. `child_exit` runs last, to end
    what the child started (its own git process).
    """
    if not hasattr(os, "fork"):
        return there(), here()
    child = _Forked.start(partial(_called, there), child_setup, child_exit)
    try:
        done = here()
        received = None if child is None else child.collect()
        return (there() if received is None else cast(Result, received[0])), done
    finally:
        if child is not None:
            child.end()  # a child not read yet (the work here failed) is killed


def _called(work: Callable[[], Result], _: int) -> Result:
    return work()


class _Forked:
    """A child computing a result, and the pipe it sends it down."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader
        self.reaped = False

    @classmethod
    def start(
        cls,
        compute: Callable[[int], object],
        setup: Callable[[], None],
        finish: Callable[[], None],
    ) -> _Forked | None:
        """The child computing `compute(pipe)`, which may write to the pipe before its
        result is pickled into it; None if no child could be forked.

        Never beside a running thread (Hyperscan compiling the terms): a lock it held at
        the fork would stay held in the child for good. The callers wait for it first, or
        fork before it starts; if one did not, the work is done here."""
        if threading.active_count() > 1:
            return None
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to spare (a limit on processes, or on memory)
            os.close(reader)
            os.close(writer)
            return None
        if pid == 0:  # the child: never returns
            os.close(reader)
            _child(writer, compute, setup, finish)
        os.close(writer)
        return cls(pid, reader)

    def collect(self) -> tuple[object] | None:
        """The child's result in a 1-tuple, None when it did not finish cleanly."""
        received = _receive(self.reader)
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        return _result(received, status)

    def end(self) -> None:
        os.close(self.reader)
        if not self.reaped:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _child(
    writer: int,
    compute: Callable[[int], object],
    setup: Callable[[], None],
    finish: Callable[[], None],
) -> None:
    code = 1
    try:
        setup()
        try:
            found = compute(writer)
        finally:
            finish()
        # Pickled whole before it is sent: the parent reads one child's result after the
        # other, and a child that pickled into the pipe as it was read would make its
        # pickling wait for the other's to be read (a large tree's two halves took 1.0 s
        # after the scan, 0.6 s pickled first). The bytes (17 MB for 10,000 docs) are
        # only ever in this child, whose memory stays under the parent's peak.
        data = pickle.dumps((found,), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb", buffering=_BUFFER) as pipe:
            pipe.write(data)
        code = 0
    finally:
        # No cleanup of the parent's objects (buffers, temporary files, subprocesses)
        # may run twice: the child leaves without running any.
        os._exit(code)


_BUFFER = 1 << 20


def _receive(reader: int) -> tuple[object] | None:
    """The child's result as it comes down the pipe, None if it comes damaged. The pipe
    is read to its end either way: the child must be able to finish writing."""
    with os.fdopen(reader, "rb", buffering=_BUFFER, closefd=False) as pipe:
        try:
            found = pickle.load(pipe)  # our own child writes it
        except Exception:  # any damage: the parent does the work itself
            found = None
        while pipe.read(_BUFFER):
            pass
    return found if isinstance(found, tuple) and len(found) == 1 else None


def _result(received: tuple[object] | None, status: int) -> tuple[object] | None:
    """The child's result in a 1-tuple, or None when it did not finish cleanly."""
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    return received


class Ahead(Generic[Result]):
    """A child doing `work(item)` for the items in order until `stop`, then sending the
    results of those it did (see the module's doc)."""

    def __init__(self, child: _Forked, shared: mmap.mmap) -> None:
        self._child: _Forked | None = child
        self._shared = shared
        self._done = 0

    @classmethod
    def start(
        cls,
        items: Sequence[Item],
        work: Callable[[Item], Result],
        child_setup: Callable[[], None] = lambda: None,
        child_exit: Callable[[], None] = lambda: None,
    ) -> Ahead[Result] | None:
        """The child working through `items`; None where no child could be forked."""
        if not hasattr(os, "fork"):
            return None
        # Memory both processes see (see _SHARED): read and written between two items, it
        # costs nothing, where a pipe would be a system call each.
        shared = mmap.mmap(-1, _SHARED.size)
        compute = partial(_ahead, items, work, shared)
        child = _Forked.start(compute, child_setup, child_exit)
        if child is None:
            shared.close()
            return None
        return cls(child, shared)

    def stop(self) -> int:
        """Ask the child to stop; how many items (the first ones) it has done, whose
        results `collect` gives. It does not wait for the item the child is working on (a
        doc may take long to read): the caller does that one itself."""
        if self._child is None:
            return 0
        self._shared[0] = 1
        self._done = _DONE.unpack_from(self._shared, _DONE_AT)[0]
        if not self._done:
            self.end()
        return self._done

    def collect(self) -> list[Result] | None:
        """The results of the items `stop` counted, in order; None if they do not come
        whole (the caller then does those items itself)."""
        child, self._child = self._child, None
        if child is None:
            return None
        try:
            received = child.collect()
        finally:
            child.end()
            self._shared.close()
        found = None if received is None else received[0]
        if not isinstance(found, list) or len(found) < self._done:
            return None
        return found[: self._done]  # the child may have finished one more before it stopped

    def end(self) -> None:
        """Let the child go, done or not: it is killed if it still runs."""
        child, self._child = self._child, None
        if child is not None:
            child.end()
            self._shared.close()


# What `Ahead`'s two processes share: a byte the parent sets to stop the child, then (at
# _DONE_AT) how many items the child has done, which it counts up as soon as each is. Each
# process writes its own field only.
_SHARED = struct.Struct("<B7xq")
_DONE = struct.Struct("<q")
_DONE_AT = _SHARED.size - _DONE.size


def _ahead(
    items: Sequence[Item], work: Callable[[Item], Result], shared: mmap.mmap, _: int
) -> list[Result]:
    """In the child: the results of the first items, up to a stop (pickled by `_child`),
    each counted in `shared` once it is made, so that the parent may count on it."""
    done: list[Result] = []
    for item in items:
        if shared[0]:
            break
        done.append(work(item))
        _DONE.pack_into(shared, _DONE_AT, len(done))
    return done
