"""A second worker process gives the bytes one process gives.

The engine forks two children to scan every other doc each when there are at
least FORK_MIN_DOCS of them; these tests lower the threshold so a small generated
project takes that path, and compare every output with the one-process run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit import engine
from image_docs_audit.config import AuditSettings
from image_docs_audit.docs import terms
from image_docs_audit.gitsource import GitTree
from image_docs_audit.render import CheckRefs, render_check_json, render_json, render_markdown
from image_docs_audit.workers import in_two, split
from image_docs_audit.worktree import WorkTree

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


# The largest scan this process shares with one child (see engine.SCAN_HERE_MAX_DOCS):
# none (both halves in children), or every scan of the tests' project.
CHILDREN = {"two children": 0, "this process and a child": ONE_PROCESS}


def _audit(repo: Repo, threshold: int, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setattr(engine, "FORK_MIN_DOCS", threshold)
    report = engine.run_audit(WorkTree(repo.root), AuditSettings())
    return render_json(report), render_markdown(report)


@pytest.mark.parametrize("here", CHILDREN.values(), ids=CHILDREN.keys())
def test_two_processes_write_the_report_one_writes(
    project: Repo, monkeypatch: pytest.MonkeyPatch, forks: list[int], here: int
) -> None:
    alone = _audit(project, ONE_PROCESS, monkeypatch)
    assert forks == []
    monkeypatch.setattr(engine, "SCAN_HERE_MAX_DOCS", here)
    shared = _audit(project, 2, monkeypatch)
    assert len(forks) == (2 if here == 0 else 1)
    assert shared == alone


def _check(
    repo: Repo, threshold: int, monkeypatch: pytest.MonkeyPatch, head: str | None
) -> tuple[str, int]:
    monkeypatch.setattr(engine, "FORK_MIN_DOCS", threshold)
    with GitTree.open(repo.root, "HEAD~1") as base:
        if head is None:
            found = engine.run_check(base, WorkTree(repo.root), AuditSettings())
        else:
            with GitTree.open(repo.root, head) as head_tree:
                found = engine.run_check(base, head_tree, AuditSettings())
    refs = CheckRefs("HEAD~1", "0" * 40, head or "working tree")
    return render_check_json(found.verdict, refs), found.parses


@pytest.mark.parametrize("here", CHILDREN.values(), ids=CHILDREN.keys())
@pytest.mark.parametrize("head", [None, "HEAD"], ids=["working tree", "commit"])
def test_a_check_in_two_processes_reads_git_in_each(
    project: Repo, monkeypatch: pytest.MonkeyPatch, forks: list[int], head: str | None, here: int
) -> None:
    alone = _check(project, ONE_PROCESS, monkeypatch, head)
    monkeypatch.setattr(engine, "SCAN_HERE_MAX_DOCS", here)
    shared = _check(project, 2, monkeypatch, head)
    # The head's docs are scanned in two processes, and so are the base's docs that the
    # head changed (7 of them: over the threshold of 2), each child with its own git.
    assert len(forks) == (4 if here == 0 else 2)
    assert shared == alone


def _doubled(items: Sequence[int]) -> list[int]:
    return [item * 2 for item in items]


def _fail() -> None:
    raise RuntimeError("the child cannot start")


@pytest.mark.parametrize(
    "child_setup", [lambda: None, _fail, lambda: os._exit(0)], ids=["ok", "raises", "exits"]
)
def test_the_parent_does_a_childs_half_when_the_child_fails(
    child_setup: Callable[[], None], forks: list[int]
) -> None:
    assert in_two([1, 2, 3, 4, 5], _doubled, child_setup) == ([2, 6, 10], [4, 8])
    assert len(forks) == 2


@pytest.mark.parametrize(
    ("child_setup", "here"),
    [
        (lambda: None, [(2, 4)]),
        (_fail, [(2, 4), (1, 3, 5)]),
        (lambda: os._exit(0), [(2, 4), (1, 3, 5)]),
    ],
    ids=["ok", "raises", "exits"],
)
def test_with_here_this_process_does_the_second_half_and_a_child_the_first(
    child_setup: Callable[[], None], here: list[tuple[int, ...]], forks: list[int]
) -> None:
    """The halves this process works on: its own, then the child's if the child failed."""
    parent = os.getpid()
    done: list[tuple[int, ...]] = []  # a child's calls do not reach this list

    def work(items: Sequence[int]) -> list[int]:
        if os.getpid() == parent:
            done.append(tuple(items))
        return _doubled(items)

    assert in_two([1, 2, 3, 4, 5], work, child_setup, here=True) == ([2, 6, 10], [4, 8])
    assert len(forks) == 1
    assert done == here


class _DiesWhenPickled:
    def __reduce__(self) -> tuple[object, ...]:
        os._exit(0)  # a clean exit status, even: what came down the pipe is still cut short


def test_a_child_that_dies_halfway_through_its_result_leaves_it_to_the_parent(
    forks: list[int],
) -> None:
    """A child that ends while it writes its result: the parent reads what came (more
    than a pipe holds), finds it cut short, and does that half itself."""
    parent = os.getpid()

    def work(items: Sequence[int]) -> list[object]:
        if os.getpid() != parent and items[0] == 1:
            return [*range(300_000), _DiesWhenPickled()]
        return [item * 2 for item in items]

    assert in_two([0, 1, 2, 3], work) == ([0, 4], [2, 6])
    assert len(forks) == 2


def test_each_child_gets_every_other_item() -> None:
    first, second = split(range(10))
    assert (first, second) == ([0, 2, 4, 6, 8], [1, 3, 5, 7, 9])
    assert split([]) == ([], [])
    assert split(["only"]) == (["only"], [])


def test_a_fork_that_fails_leaves_the_work_to_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert in_two([1, 2, 3], _doubled) == ([2, 6], [4])


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
    monkeypatch.setattr(engine, "SCAN_HERE_MAX_DOCS", 0)  # two children
    _audit(project, 2, monkeypatch)
    assert len(forks) == 2
    assert builds.read_text().split() == [str(os.getpid())]
