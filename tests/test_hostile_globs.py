"""Globs from a fork's config are matched in bounded steps, with the meaning they had."""

from __future__ import annotations

import fnmatch
import io
import re
import time
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from image_docs_audit import selector
from image_docs_audit.cli import main
from image_docs_audit.model import Image, ImageRef, Location


def counted(tokens: tuple[selector._CharToken, ...], calls: list[int]) -> list:  # type: ignore[type-arg]
    def wrap(test):  # type: ignore[no-untyped-def]
        def counting(item: str) -> bool:
            calls[0] += 1
            return bool(test == item if isinstance(test, str) else test(item))

        return counting

    return [None if test is None else wrap(test) for test in tokens]


def test_hostile_many_stars_take_at_most_tokens_times_characters_steps() -> None:
    pattern, name = "*a" * 12 + "*b", "a" * 60
    tokens = selector._char_tokens(pattern, classes=False)
    calls = [0]
    # The runs between the stars, each found where it is first: as many tries at most.
    runs = tuple(
        (tuple(counted(run, calls)), None) for run, _ in selector._char_runs(pattern, classes=False)
    )
    assert not selector._glob(runs, name)
    assert calls[0] <= len(tokens) * len(name)


def test_hostile_excludes_over_a_deep_tree_test_each_folder_once(tmp_path: Path) -> None:
    """20 exclude globs of 40 stars over 3,000 files 30 folders deep took 53 s: each file
    walked each pattern over each of its folders' paths. A folder is walked once for all
    the files it holds, and a name without a pattern's longest plain run is turned away
    by one search (the bound allows for a slow machine; it takes about a second)."""
    deep = tmp_path / "docs" / "/".join(["a" * 8] * 30)
    deep.mkdir(parents=True)
    for index in range(3000):
        (deep / f"{'a' * 100}{index}.md").write_text("x")
    (tmp_path / "docs" / "app-x.md").write_text("# app-x\n")
    (tmp_path / "pull-images.sh").write_text("IMAGES=(example/app-x:1)\n")
    argv = ["audit", str(tmp_path), "--format", "json"]
    for index in range(20):
        argv += ["--exclude", "**/" + "*a" * (40 + index % 10) + f"*b{index}*/**"]
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    assert main(argv, stdout=out, stderr=err) == 0
    assert time.perf_counter() - started < 30
    assert '"documented": 1' in out.getvalue()


def test_hostile_selectors_against_long_names_are_matched_by_runs() -> None:
    """A star before a long run tried at each place of a long name, one Python step a
    character: 40 such selectors on 40 images of 160 characters took 14 s, 500 plain ones
    on 5,000 images 95 s. The literal runs are found by `str.find`; the bound allows for a
    slow machine (the walk took about 100 s for these)."""
    images = [image("a" * 150 + f"{n:05}") for n in range(500)]
    selectors = ["*" + "a" * 75 + f"b{n}" for n in range(40)] + ["*a*a*a*" + "a" * 70 + "b"]
    started = time.perf_counter()
    assert not any(selector.selects(s, i) for s in selectors for i in images)
    assert time.perf_counter() - started < 30


def test_hostile_exclude_with_many_stars_against_long_names(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "pull-images.sh").write_text("IMAGES=(example/app-x:1)\n")
    for index in range(50):
        (tmp_path / "docs" / f"{'a' * 60}{index}.md").write_text("# app-x\n")
    out, err = io.StringIO(), io.StringIO()
    argv = ["audit", str(tmp_path), "--exclude", "docs/" + "*a" * 12 + "*b", "--format", "json"]
    assert main(argv, stdout=out, stderr=err) == 0
    assert '"documented": 1' in out.getvalue()


def old_glob_regex(pattern: str) -> re.Pattern[str]:
    """The regex translation this matcher replaced, as the reference for its meaning."""
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        else:
            char = pattern[index]
            out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
            index += 1
    return re.compile("".join(out))


def old_glob_match(pattern: str, path: str) -> bool:
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    regex = old_glob_regex(pattern)
    parts = path.split("/")
    return bool(regex.fullmatch(path)) or any(
        regex.fullmatch("/".join(parts[:end])) for end in range(1, len(parts))
    )


SEGMENT = st.text(alphabet="ab*?[", min_size=1, max_size=4).filter(lambda s: "**" not in s)
PATTERN = st.lists(st.one_of(SEGMENT, st.just("**")), min_size=1, max_size=4).map("/".join)
PATH = st.lists(st.text(alphabet="ab[", min_size=1, max_size=4), min_size=1, max_size=5).map(
    "/".join
)


@settings(max_examples=300, deadline=None)
@given(PATTERN, PATH)
# A plain last segment is compared whole, and a path must hold it to match: in a folder
# that matches, at the end, or not at all.
@example(pattern="**/ab", path="a/ab/b")
@example(pattern="**/ab", path="ab")
@example(pattern="a/ab", path="a/abb")
@example(pattern="**/a[", path="b/a[")
def test_hostile_globs_mean_what_the_regex_meant(pattern: str, path: str) -> None:
    # A `**` within a segment (`a**b`) is `*` now, as in .gitignore; whole `**` segments
    # keep their meaning, and so does everything else.
    assert selector.glob_match(pattern, path) == old_glob_match(pattern, path)


def image(name: str) -> Image:
    return Image(name, ImageRef("docker.io", f"library/{name}", None, None), None, Location("p", 1))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab*?[]!-", min_size=1, max_size=8), st.text(alphabet="ab-", max_size=8))
# fnmatch drops a reversed range and joins what stood around it: `[[-?!]` is any character.
@example(pattern="[[-?!]", name="a")
@example(pattern="[-?!a]", name="b")
@example(pattern="[b-a]", name="a")
@example(pattern="[]-a]", name="b")
def test_hostile_selectors_mean_what_fnmatch_meant(pattern: str, name: str) -> None:
    runs = selector._char_runs(pattern, classes=True)
    assert selector._glob(runs, name) == fnmatch.fnmatchcase(name, pattern)


def test_hostile_excludes_against_deep_long_folders(tmp_path: Path) -> None:
    """Each `exclude` glob is tried on each folder of each doc's path, and a star before a
    long run on each place of a long folder name took a Python step a character: 100 such
    globs on 4 docs 16 folders deep, 200 characters each, took 52 s. The bound allows for a
    slow machine."""
    folder = tmp_path / "/".join(["a" * 200] * 16)
    folder.mkdir(parents=True)
    for n in range(4):
        (folder / f"x{n}.md").write_text("# app-x\n")
    (tmp_path / "pull-images.sh").write_text("IMAGES=(example/app-x:1)\n")
    excludes = [f"--exclude=**/*{'a' * 100}b{n}/**" for n in range(100)]
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    code = main(
        ["audit", str(tmp_path), "--docs", ".", *excludes, "--format", "json"],
        stdout=out,
        stderr=err,
    )
    assert time.perf_counter() - started < 30
    assert (code, err.getvalue()) == (0, "")
    assert '"documented": 1' in out.getvalue()


def test_hostile_a_path_thousands_of_folders_deep_is_matched() -> None:
    # Folders are walked from the nearest one already walked: none is a recursion.
    deep = "/".join(["a"] * 3000) + "/x.md"
    assert selector.glob_match("**/x.md", deep)
    assert selector.glob_match("a/**/a/x.md", deep)
    assert not selector.glob_match("a/**/b/**", deep)
