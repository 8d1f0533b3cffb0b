"""A second worker process gives the bytes one process gives.

The engine forks a child to scan the docs from the last back while it scans them from
the first on, when there are at least FORK_MIN_DOCS of them; these tests lower the
threshold so a small generated project takes that path, and compare every output with the
one-process run.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit import ahead, checking, engine
from image_docs_audit.ahead import AheadOutline
from image_docs_audit.config import AuditSettings
from image_docs_audit.docs import terms
from image_docs_audit.gitsource import GitTree
from image_docs_audit.render import CheckRefs, render_check_json, render_json, render_markdown
from image_docs_audit.workers import _FRAME, _FRAME_MARK, Ahead, _Frames, beside, from_both_ends
from image_docs_audit.worktree import Tree, WorkTree

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

from corpus import write_corpus  # the benchmark's generator

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")

ONE_PROCESS = 10**9


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """A generated project committed twice: the head edits every tenth doc."""
    repo = Repo(tmp_path_factory.mktemp("project"))
    write_corpus(repo.root, images=40, docs=60, seed=3)
    repo.commit({}, "base")
    edited = sorted((repo.root / "docs").rglob("*.md"))[::10]
    repo.commit({str(p.relative_to(repo.root)): p.read_text() + "\n## More\n" for p in edited})
    repo.write({"docs/new-notes.md": "# New notes\n\nNothing about images.\n"})
    return repo


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The pids of the children forked while the test runs."""
    started: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    yield started


def _audit(repo: Repo, threshold: int, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setattr(engine, "FORK_MIN_DOCS", threshold)
    monkeypatch.setattr(ahead, "AHEAD_MIN_DOCS", threshold)
    report = engine.run_audit(WorkTree(repo.root), AuditSettings())
    return render_json(report), render_markdown(report)


def test_two_processes_write_the_report_one_writes(
    project: Repo, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    alone = _audit(project, ONE_PROCESS, monkeypatch)
    assert forks == []
    shared = _audit(project, 2, monkeypatch)
    # A child that outlines ahead, one that scans beside this process, and one that makes
    # the subjects' facts (see ahead.py and engine._doc_facts).
    assert len(forks) == 3
    assert shared == alone


def _check(
    repo: Repo, threshold: int, monkeypatch: pytest.MonkeyPatch, head: str | None
) -> tuple[str, int]:
    monkeypatch.setattr(engine, "FORK_MIN_DOCS", threshold)
    monkeypatch.setattr(ahead, "AHEAD_MIN_DOCS", threshold)
    with GitTree.open(repo.root, "HEAD~1") as base:
        if head is None:
            found = checking.run_check(base, WorkTree(repo.root), AuditSettings())
        else:
            with GitTree.open(repo.root, head) as head_tree:
                found = checking.run_check(base, head_tree, AuditSettings())
    refs = CheckRefs("HEAD~1", "0" * 40, head or "working tree")
    return render_check_json(found.verdict, refs), found.parses


@pytest.mark.parametrize("head", [None, "HEAD"], ids=["working tree", "commit"])
def test_a_check_in_two_processes_reads_git_in_each(
    project: Repo, monkeypatch: pytest.MonkeyPatch, forks: list[int], head: str | None
) -> None:
    alone = _check(project, ONE_PROCESS, monkeypatch, head)
    shared = _check(project, 2, monkeypatch, head)
    # The head's docs are scanned in two processes, and so are the base's docs that the
    # head changed (7 of them: over the threshold of 2), by this process and a child with
    # its own git; and a child outlines the head's docs ahead, another makes the subjects'
    # facts of the head (the base's facts are not made).
    assert len(forks) == 4
    assert shared == alone


def test_a_check_outlines_the_heads_docs_ahead_in_its_first_pass_only(
    project: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A base config that differs has the head judged a second time: its docs were scanned
    in the first pass, and no child outlines them again."""
    monkeypatch.setattr(engine, "FORK_MIN_DOCS", 2)
    monkeypatch.setattr(ahead, "AHEAD_MIN_DOCS", 2)
    outlined: list[int] = []
    real = ahead.outline_ahead

    def counted(tree: Tree, docs: Sequence[str], *, keys: bool) -> Ahead[AheadOutline] | None:
        outlined.append(len(docs))
        return real(tree, docs, keys=keys)

    monkeypatch.setattr(ahead, "outline_ahead", counted)
    base_settings = AuditSettings(exclude=("no-such-folder",))  # other rules: a second pass
    with GitTree.open(project.root, "HEAD~1") as base:
        checking.run_check(base, WorkTree(project.root), AuditSettings(), base_settings)
    assert outlined == [61]  # the head's 60 generated docs and its new notes, once


class _Signal:
    """A pipe one process writes a byte to and the other waits on: the tests fix where
    the two processes of `from_both_ends` meet with it (no thread: a running thread
    keeps this process from forking, see workers)."""

    def __init__(self) -> None:
        self.reader, self.writer = os.pipe()

    def send(self) -> None:
        os.write(self.writer, b"x")

    def wait(self) -> None:
        assert os.read(self.reader, 1) == b"x"

    def close(self) -> None:
        os.close(self.reader)
        os.close(self.writer)


def _fail() -> None:
    raise RuntimeError("the child cannot start")


@pytest.mark.parametrize(
    ("child_setup", "here"),
    [
        (None, [0]),
        (_fail, [0, 1, 2, 3, 4, 5]),
        (lambda: os._exit(0), [0, 1, 2, 3, 4, 5]),
    ],
    ids=["ok", "raises", "exits"],
)
def test_this_process_takes_the_first_items_and_a_child_the_others_unless_it_fails(
    child_setup: Callable[[], None] | None, here: list[int], forks: list[int]
) -> None:
    """This process takes the first item and works on it until the child has done every
    other one (a child that failed never starts: this process goes on past its share),
    and does the child's items itself only if the child failed."""
    parent = os.getpid()
    done: list[int] = []  # a child's calls do not reach this list
    started, reached = _Signal(), _Signal()

    def work(item: int) -> int:
        if os.getpid() != parent:
            if item == 5:
                started.wait()  # this process has taken the first item
            if item == 1:
                reached.send()
        else:
            done.append(item)
            if item == 0:
                started.send()
                if child_setup is None:
                    reached.wait()
        return item * 10

    try:
        found = from_both_ends(range(6), work, child_setup or (lambda: None))
    finally:
        started.close()
        reached.close()
    assert found == [0, 10, 20, 30, 40, 50]
    assert len(forks) == 1
    assert done == here


def test_the_child_takes_the_last_items_only_until_it_meets_this_process(
    forks: list[int],
) -> None:
    """The child is held on the last item until this process has done all the others:
    it then finds the next one taken, and sends the one it did."""
    parent = os.getpid()
    done: list[int] = []
    held, opened = _Signal(), _Signal()

    def work(item: int) -> str:
        if os.getpid() != parent:
            held.send()
            opened.wait()  # the last item, until this process has done the others
        else:
            if not done:
                held.wait()  # the child has taken the last item
            done.append(item)
            if item == 98:
                opened.send()
        return f"item {item}"

    try:
        assert from_both_ends(range(100), work) == [f"item {item}" for item in range(100)]
    finally:
        held.close()
        opened.close()
    assert len(forks) == 1
    assert done == list(range(99))


def test_results_sent_as_they_are_made_come_in_the_order_of_the_items(forks: list[int]) -> None:
    """The child sends batch after batch, each more than a pipe holds, while this process
    works on its own, slower items: every batch is read whole and put in its place."""
    parent = os.getpid()
    done: list[int] = []
    started = _Signal()
    large = "x" * 20_000

    def work(item: int) -> tuple[int, str]:
        if os.getpid() == parent:
            if not done:
                started.send()
            done.append(item)
            time.sleep(0.001)  # the child takes most items
        elif item == 499:
            started.wait()  # this process has taken its first item
        return item, large

    try:
        found = from_both_ends(range(500), work)
    finally:
        started.close()
    assert found == [(item, large) for item in range(500)]
    assert len(forks) == 1
    assert done == list(range(len(done)))
    assert 0 < len(done) < 500


class _DiesWhenPickled:
    def __reduce__(self) -> tuple[object, ...]:
        os._exit(0)  # a clean exit status, even: what came down the pipe is still cut short


@pytest.mark.parametrize("dies_at", [399, 320], ids=["in its first batch", "after a batch"])
def test_a_child_that_dies_sending_its_results_leaves_its_items_to_this_process(
    forks: list[int], dies_at: int
) -> None:
    """A child that ends while it pickles a batch (after it sent one, or before): this
    process throws away what came and does the child's items itself."""
    parent = os.getpid()
    done: list[int] = []
    started = _Signal()

    def work(item: int) -> object:
        if os.getpid() != parent:
            if item == 399:
                started.wait()  # this process has taken its first item
            return _DiesWhenPickled() if item == dies_at else [item] * 100
        if not done:
            started.send()
        done.append(item)
        time.sleep(0.001)  # the child gets to the item it dies at first
        return [item] * 100

    try:
        assert from_both_ends(range(400), work) == [[item] * 100 for item in range(400)]
    finally:
        started.close()
    assert len(forks) == 1
    assert done == list(range(400))


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # nothing: the child ended before it pickled its last results
        _FRAME.pack(_FRAME_MARK, 100) + b"x" * 10,  # a frame cut short
        _FRAME.pack(_FRAME_MARK, 3) + b"abc",  # a frame that is no pickle
        pickle.dumps("not a 1-tuple"),
    ],
    ids=["nothing", "cut", "no pickle", "not results"],
)
def test_what_is_not_whole_results_is_damaged(sent: bytes) -> None:
    reader, writer = os.pipe()
    try:
        os.write(writer, sent)
        os.close(writer)
        frames = _Frames(reader)
        frames.read_ready()
        frames.read_rest()
    finally:
        os.close(reader)
    assert frames.damaged


def test_frames_and_the_last_results_are_read_whole() -> None:
    batch = pickle.dumps([(5, "five"), (4, "four")])
    sent = _FRAME.pack(_FRAME_MARK, len(batch)) + batch + pickle.dumps(([(3, "three")],))
    reader, writer = os.pipe()
    try:
        frames = _Frames(reader)
        for at in range(0, len(sent), 7):  # a few bytes at a time, read between them
            os.write(writer, sent[at : at + 7])
            frames.read_ready()
        os.close(writer)
        frames.read_rest()
    finally:
        os.close(reader)
    assert not frames.damaged
    assert frames.results == {5: "five", 4: "four", 3: "three"}


def test_a_fork_that_fails_leaves_the_work_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert from_both_ends([1, 2, 3], lambda item: item * 2) == [2, 4, 6]


def test_one_item_is_done_here(forks: list[int]) -> None:
    assert from_both_ends([], lambda item: item) == []
    assert from_both_ends([7], lambda item: item + 1) == [8]
    assert forks == []


@pytest.mark.pure_python
def test_the_terms_are_compiled_once_before_the_fork(
    project: Repo, monkeypatch: pytest.MonkeyPatch, forks: list[int], tmp_path: Path
) -> None:
    """The child inherits the parent's finder instead of compiling the terms again."""
    builds = tmp_path / "builds"  # a file: the child's calls would not reach our memory
    real = terms.make_finder

    def counted(*args: object, **kwargs: object) -> object:
        with builds.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(terms, "make_finder", counted)
    _audit(project, 2, monkeypatch)
    assert len(forks) == 3  # the outliner ahead, one that scans, the subjects' facts
    assert builds.read_text().split() == [str(os.getpid())]


class _Gate:
    """Holds a child's work on one item until the test opens it; says when it got there.
    (No thread: a running thread keeps this process from forking, see workers.)"""

    def __init__(self) -> None:
        self.reached, self.reached_writer = os.pipe()
        self.opened, self.opener = os.pipe()

    def hold(self) -> None:  # in the child
        os.write(self.reached_writer, b"x")
        os.read(self.opened, 1)

    def wait_reached(self) -> None:
        assert os.read(self.reached, 1) == b"x"

    def open(self) -> None:
        os.write(self.opener, b"x")

    def close(self) -> None:
        for descriptor in (self.reached, self.reached_writer, self.opened, self.opener):
            os.close(descriptor)


def test_ahead_sends_what_it_did_when_it_did_everything(forks: list[int]) -> None:
    gate = _Gate()

    def work(item: int) -> int:
        if item == 5:
            gate.hold()  # items 0 to 4 are done and counted
        return item * 2

    ahead = Ahead.start([0, 1, 2, 3, 4, 5], work)
    assert ahead is not None
    gate.wait_reached()
    gate.open()
    ahead_done = ahead.stop()
    assert ahead_done in (5, 6)  # item 5 may be counted already
    assert ahead.collect() == [0, 2, 4, 6, 8, 10][:ahead_done]
    assert len(forks) == 1
    gate.close()


def test_ahead_does_not_wait_for_the_item_in_hand(forks: list[int]) -> None:
    """Stopped while it works on an item (a doc that takes long), the child's count is of
    the items before it: the caller does that one itself, and never waits for it."""
    gate = _Gate()

    def work(item: int) -> int:
        if item == 3:
            gate.hold()
        return item * 2

    ahead = Ahead.start(list(range(10)), work)
    assert ahead is not None
    try:
        gate.wait_reached()
        assert ahead.stop() == 3  # the gate is still shut: the child is in work(3)
    finally:
        gate.open()
    assert ahead.collect() == [0, 2, 4]
    gate.close()


def test_ahead_stops_after_the_item_it_is_working_on(forks: list[int]) -> None:
    """Stopped at any time, the child sends the results of a first run of the items."""
    items = list(range(2000))
    ahead = Ahead.start(items, lambda item: item + 1)
    assert ahead is not None
    done = ahead.stop()
    assert 0 <= done <= len(items)
    found = ahead.collect()
    assert found == [item + 1 for item in items[:done]] or (done == 0 and found is None)


def _raises(item: int) -> int:
    raise RuntimeError(f"cannot do {item}")


@pytest.mark.parametrize("work", [_raises, lambda item: os._exit(0)], ids=["raises", "exits"])
def test_ahead_that_fails_did_nothing(work: Callable[[int], int], forks: list[int]) -> None:
    ahead = Ahead.start([1, 2, 3], work)
    assert ahead is not None
    assert ahead.stop() == 0
    assert ahead.collect() is None
    assert len(forks) == 1


def test_ahead_that_dies_sending_its_results_sent_nothing(forks: list[int]) -> None:
    gate = _Gate()

    def work(item: int) -> object:
        if item == 1:
            return [*range(300_000), _DiesWhenPickled()]  # more than a pipe holds
        if item == 2:
            gate.hold()
        return item

    ahead = Ahead.start([0, 1, 2], work)
    assert ahead is not None
    try:
        gate.wait_reached()
        assert ahead.stop() == 2
    finally:
        gate.open()
    assert ahead.collect() is None
    gate.close()


def test_ahead_ended_before_it_is_stopped_kills_the_child(forks: list[int]) -> None:
    ahead = Ahead.start(list(range(10**6)), lambda item: item)
    assert ahead is not None
    ahead.end()
    assert ahead.stop() == 0
    assert ahead.collect() is None
    assert not _alive(forks[0])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_ahead_without_a_fork_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert Ahead.start([1, 2], lambda item: item) is None
    monkeypatch.delattr(os, "fork")
    assert Ahead.start([1, 2], lambda item: item) is None


class _Given:
    """What a child outlining ahead sends, decided by the test: the outlines of the first
    `done` docs (made here, as the child makes them), or nothing at all (`lost`)."""

    def __init__(self, tree: WorkTree, docs: Sequence[str], done: int, *, lost: bool) -> None:
        self.done = done
        self.found = None if lost else [ahead.outline_one(tree, False, p) for p in docs[:done]]

    def stop(self) -> int:
        return self.done

    def collect(self) -> list[ahead.AheadOutline] | None:
        return self.found


@pytest.fixture(scope="module")
def named_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, str]:
    """A generated project with two docs first in path order: one that only its file
    name makes an image's (an outline, not a skim: its port is the image's), and one
    that names no image (a skim)."""
    repo = Repo(tmp_path_factory.mktemp("named"))
    name = write_corpus(repo.root, images=40, docs=60, seed=3)[0].name
    repo.write(
        {
            f"docs/00-{name}.md": "# Notes\n\nPort: 9090\n",
            "docs/00-unrelated.md": "# Unrelated\n\nPort: 9191, nothing else.\n",
        }
    )
    return repo, name


@pytest.mark.parametrize("lost", [False, True], ids=["sent", "lost"])
@pytest.mark.parametrize("done", [0, 1, 2, 17, 62])
def test_the_docs_outlined_ahead_give_the_report_one_process_gives(
    named_project: tuple[Repo, str], monkeypatch: pytest.MonkeyPatch, done: int, lost: bool
) -> None:
    """However many docs the child outlined before the scan, and whether their outlines
    come or not, the report is the same bytes."""
    project, name = named_project
    alone = _audit(project, ONE_PROCESS, monkeypatch)
    ports = {
        image["name"]: [port["port"] for port in image["ports"]]
        for image in json.loads(alone[0])["images"]
    }
    assert 9090 in ports[name]
    assert 9191 not in {port for found in ports.values() for port in found}
    monkeypatch.setattr(engine, "FORK_MIN_DOCS", 2)
    tree, settings, cache = WorkTree(project.root), AuditSettings(), engine.ScanCache(keep=False)
    side = engine.read_side(tree, settings, cache)
    assert side.selection.docs[:2] == (f"docs/00-{name}.md", "docs/00-unrelated.md")
    assert len(side.selection.docs) == 62
    given = _Given(tree, side.selection.docs, done, lost=lost)
    terms_ = engine.build_matcher(side.inventory.images, settings, cache)
    read: list[str] = []  # the docs this process outlines or skims (not the child's)
    real = engine._read_facts
    monkeypatch.setattr(
        engine, "_read_facts", lambda text, depth: read.append(depth) or real(text, depth)
    )
    report = engine.audit_side(side, settings, terms_, cache, ahead=given)  # type: ignore[arg-type]
    assert (render_json(report), render_markdown(report)) == alone
    if done == len(side.selection.docs) and not lost:
        assert read == []  # each outline sent is used, at the depth its hits ask for


@pytest.mark.parametrize("fails", [None, _fail, lambda: os._exit(0)], ids=["ok", "raises", "exits"])
def test_beside_gives_both_results_whoever_made_them(
    fails: Callable[[], None] | None, forks: list[int]
) -> None:
    """The child's work, or this process's when the child fails; this process's own."""
    parent = os.getpid()
    made_here: list[str] = []

    def there() -> list[int]:
        if os.getpid() == parent:
            made_here.append("there")
        elif fails is not None:
            fails()
        return [1, 2]

    def here() -> str:
        made_here.append("here")
        return "mine"

    assert beside(there, here) == ([1, 2], "mine")
    assert len(forks) == 1
    assert made_here == (["here"] if fails is None else ["here", "there"])


def test_beside_without_a_fork_does_both_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    assert beside(lambda: 1, lambda: 2) == (1, 2)
    assert from_both_ends([1, 2, 3], lambda item: item * 2) == [2, 4, 6]


def test_no_child_is_forked_beside_a_running_thread(forks: list[int]) -> None:
    """A thread's locks would stay held in a child: with one running, the work is done here."""
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert beside(lambda: 1, lambda: 2) == (1, 2)
        assert from_both_ends([1, 2, 3], lambda item: item * 2) == [2, 4, 6]
        assert Ahead.start([1, 2], lambda item: item) is None
    finally:
        release.set()
        thread.join()
    assert forks == []
    assert beside(lambda: 1, lambda: 2) == (1, 2)
    assert len(forks) == 1
