"""`case` patterns matched as bash matches them, and the branch a known argument runs."""

from __future__ import annotations

import fnmatch
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.inventory import patterns, read_inventory


@settings(max_examples=500, deadline=None)
@given(st.text("ab*?", max_size=8), st.text("ab?*", max_size=8))
def test_a_glob_matches_as_fnmatch_does(pattern: str, word: str) -> None:
    # Over `*`, `?` and plain characters, bash and fnmatch agree.
    assert patterns._matches(list(pattern), word) == fnmatch.fnmatchcase(word, pattern)


def test_an_escaped_glob_is_a_plain_character() -> None:
    assert patterns._glob_parts(r"a\*") == ["a", "\\*"]
    assert patterns._matches(["a", "\\*"], "a*")
    assert not patterns._matches(["a", "\\*"], "ab")
    assert patterns._glob_parts("[ab]") is None
    assert patterns._glob_parts("+(a|b)") is None


def test_a_hostile_pattern_is_matched_in_bounded_steps() -> None:
    parts = list("*a" * 100 + "b")
    started = time.perf_counter()
    assert not patterns._matches(parts, "a" * 300)
    assert time.perf_counter() - started < 5  # 60,000 steps; generous for a slow machine


def _read(script: str) -> tuple[list[str], list[str]]:
    inventory = read_inventory([("pull.sh", script.encode())])
    return [image.ref for image in inventory.images], [w.message for w in inventory.warnings]


_PULL = """\
pull() {
  while [ $# -gt 0 ]; do
    case "$1" in
      %s) P="$2"; shift 2 ;;
      -q|"--quiet") shift ;;
      *) docker pull "$1"; shift ;;
    esac
  done
}
pull %s
"""


def test_a_known_argument_runs_the_branch_its_pattern_matches() -> None:
    for pattern in ("-p|--platform", "'-p'|--platform", '"-p"|--platform', "-p*", "-?"):
        images, warnings = _read(_PULL % (pattern, "a:1 -p linux/arm64 b:2 --quiet c:3"))
        assert (images, warnings) == (["a:1", "b:2", "c:3"], []), pattern


def test_a_pattern_that_cannot_be_told_reads_every_branch() -> None:
    # `[-]p` is not read: every branch is, `-p` and `linux/arm64` with them, and the
    # reader says that it may have missed images.
    images, warnings = _read(_PULL % ("[-]p", "a:1 -p linux/arm64 b:2"))
    assert "a:1" in images
    assert any("shifts the arguments differently" in w for w in warnings)


def test_a_case_on_a_variable_the_environment_sets_reads_every_branch() -> None:
    script = """\
case "${ENVIRONMENT:-prod}" in
  prod) docker pull a:1 ;;
  dev) docker pull b:1 ;;
esac
case "$1" in
  x) docker pull c:1 ;;
  *) docker pull d:1 ;;
esac
"""
    assert _read(script) == (["a:1", "b:1", "c:1", "d:1"], [])


def test_a_branch_that_falls_through_reads_every_branch() -> None:
    script = """\
f() {
  case "$1" in
    x) docker pull a:1 ;&
    y) docker pull b:1 ;;
    z) docker pull c:1 ;;
  esac
}
f x
"""
    assert _read(script)[0] == ["a:1", "b:1", "c:1"]


def test_no_pattern_matching_runs_no_branch() -> None:
    script = """\
f() {
  case "$1" in
    x) docker pull a:1 ;;
  esac
  docker pull "$1"
}
f b:2
"""
    assert _read(script)[0] == ["b:2"]
