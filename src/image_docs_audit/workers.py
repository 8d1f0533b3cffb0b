"""Two worker processes for large trees: a forked child and this process share a list
of work, each taking items from its own end of it.

Scanning docs is pure Python per line, so one process keeps one core busy. Forking
costs a few milliseconds, which a tree of a few hundred docs repays. This process takes
the items from the first on, the child from the last back, each counting what it took
in memory both see, until the two meet: docs differ in size, and whichever process is
ahead simply takes more (a split fixed in advance left one waiting for the other, 0.2 s
of a 20,000-doc tree). The child pickles its results every `_BATCH` items and sends them
down a pipe, which this process reads between two of its own items without waiting: at
the meeting point only the child's last batch is left to send, where a child that sent
everything at its end kept this process waiting for its pickling, then reading (0.9 s
of that tree, benchmarks/RESULTS.md). This process's own results are neither pickled
nor read back. The results come back in the order of the items, whoever made them: the
outcome never depends on which process did what.

Where there is no `fork` (Windows), a fork fails, or a child fails in any way, this
process does the child's items as well: slower, same result.

`Ahead` is the other way to use the second core: a child forked early works through a
list one item at a time, in order, while this process does what has to come first
(parse the pull scripts, build the terms), and stops when asked; the items it did are
the ones this process and `from_both_ends` need not do. What it sends back is only ever
a saving: a child that fails sends nothing, and every item is done as if it had not run.
"""

from __future__ import annotations

import io
import mmap
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import partial
from typing import Generic, TypeVar, cast

Item = TypeVar("Item")
Result = TypeVar("Result")


def from_both_ends(
    items: Sequence[Item],
    work: Callable[[Item], Result],
    child_setup: Callable[[], None] = lambda: None,
    child_exit: Callable[[], None] = lambda: None,
) -> list[Result]:
    """`[work(item) for item in items]`: this process takes the items from the first on,
    a forked child from the last back, until the two meet (see the module's doc).

    Where no child can be forked, or it fails in any way, this process does the items
    the child took as well: slower, the same results."""
    if len(items) < 2 or not hasattr(os, "fork"):
        return [work(item) for item in items]
    shared = mmap.mmap(-1, _ENDS.size)
    try:
        child = _Forked.start(partial(_from_the_back, items, work, shared), child_setup, child_exit)
        if child is None:
            return [work(item) for item in items]
        try:
            mine, theirs = _from_the_front(items, work, shared, child)
        finally:
            child.end()
    finally:
        shared.close()
    return [
        *mine,
        *(
            cast(Result, theirs[index]) if index in theirs else work(items[index])
            for index in range(len(mine), len(items))
        ),
    ]


def _from_the_front(
    items: Sequence[Item], work: Callable[[Item], Result], shared: mmap.mmap, child: _Forked
) -> tuple[list[Result], dict[int, object]]:
    """In this process: the results of the items up to the child's, and the child's by
    index (none if they did not come whole: its items are then done here). What the
    child sent is read between two items here, without waiting: its pipe never fills,
    and little is left to read at the end."""
    sent = _Frames(child.reader)
    mine: list[Result] = []
    while len(mine) < len(items) - _COUNT.unpack_from(shared, _BACK_AT)[0]:
        _COUNT.pack_into(shared, _FRONT_AT, len(mine) + 1)  # taken before it is done
        mine.append(work(items[len(mine)]))
        sent.read_ready()
    sent.read_rest()
    found = _result(None if sent.damaged else (sent.results,), child.wait())
    return mine, {} if found is None else cast(dict[int, object], found[0])


# What `from_both_ends`'s two processes share: how many items this process has taken from
# the first, then how many the child has taken from the last. Each process writes its own
# count only, before it starts the item, and stops at an item the other has taken: at
# worst both take the last one (each before it sees the other's count), never neither.
_COUNT = struct.Struct("<q")
_ENDS = struct.Struct("<qq")
_FRONT_AT = 0
_BACK_AT = _COUNT.size

# The child sends its results every `_BATCH` items, each batch a frame: `_FRAME_MARK`, the
# size of the pickle, the pickle. Its last ones are the result `_child` pickles, which
# starts with pickle's PROTO opcode (0x80), never the mark.
_BATCH = 64
_FRAME = struct.Struct("<BQ")
_FRAME_MARK = ord("F")


def _from_the_back(
    items: Sequence[Item], work: Callable[[Item], Result], shared: mmap.mmap, writer: int
) -> list[tuple[int, Result]]:
    """In the child: the results of the items from the last back, up to the ones this
    process took; all but the last `_BATCH` sent as they are made."""
    _widen(writer)
    batch: list[tuple[int, Result]] = []
    for index in range(len(items) - 1, -1, -1):
        taken = len(items) - index
        if index < _COUNT.unpack_from(shared, _FRONT_AT)[0]:
            break  # the parent has it
        _COUNT.pack_into(shared, _BACK_AT, taken)
        batch.append((index, work(items[index])))
        if len(batch) == _BATCH:
            data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(writer, _FRAME.pack(_FRAME_MARK, len(data)) + data)
            batch = []
    return batch


def _widen(writer: int) -> None:
    """A pipe of 1 MB where the system allows it (Linux; 64 KB by default): the child
    then waits on a full pipe only when this process has not read for a long while."""
    import fcntl  # noqa: PLC0415  (POSIX only: a child is forked there only)

    with suppress(OSError, AttributeError):
        fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, _BUFFER)


def _write_all(writer: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(writer, view) :]


class _Frames:
    """The results a child sends as frames (see `_FRAME`), read as they come, and the
    last ones it pickles at its end."""

    def __init__(self, reader: int) -> None:
        os.set_blocking(reader, False)
        self.pipe = io.FileIO(reader, "rb", closefd=False)
        # Read into, then copied out of: a buffer made for each read would be mapped and
        # unmapped by the allocator each time (it is larger than its heap's blocks).
        self.chunk = memoryview(bytearray(_BUFFER))
        self.buffer = bytearray()
        self.results: dict[int, object] = {}
        self.damaged = False

    def read_ready(self) -> None:
        """The frames that have come, without waiting for more."""
        self._read()
        self._unpack()

    def read_rest(self) -> None:
        """Everything up to the end of the pipe, the last results included."""
        os.set_blocking(self.pipe.fileno(), True)
        self._read()
        self._unpack()
        if not self.damaged:
            self._add(self.buffer, 0, len(self.buffer), last=True)

    def _read(self) -> None:
        """What the pipe holds into the buffer: up to its end once it blocks, else up to
        what has come (`readinto` gives None for nothing yet, 0 at the end)."""
        while count := self.pipe.readinto(self.chunk):
            self.buffer += self.chunk[:count]

    def _unpack(self) -> None:
        """Each whole frame at the start of the buffer, taken out of it."""
        at = 0
        buffer = self.buffer
        while not self.damaged and len(buffer) - at >= _FRAME.size and buffer[at] == _FRAME_MARK:
            end = at + _FRAME.size + _FRAME.unpack_from(buffer, at)[1]
            if len(buffer) < end:
                break
            self._add(buffer, at + _FRAME.size, end, last=False)
            at = end
        del buffer[:at]

    def _add(self, buffer: bytearray, start: int, end: int, *, last: bool) -> None:
        """The results pickled in `buffer[start:end]` (`_child`'s 1-tuple if `last`)."""
        with memoryview(buffer) as view:
            try:
                found = pickle.loads(view[start:end])  # our own child writes it
            except Exception:  # any damage: the parent does the work itself
                found = None
        if last:
            found = found[0] if isinstance(found, tuple) and len(found) == 1 else None
        if not isinstance(found, list):
            self.damaged = True
            return
        self.results.update(found)


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
        return _result(received, self.wait())

    def wait(self) -> int:
        """The child's exit status, once it has ended."""
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        return status

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
