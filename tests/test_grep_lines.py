"""The lines `grep -v` drops, as the pull-script reader models it, against GNU grep."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.inventory import read_inventory
from image_docs_audit.inventory.grep import line_test, only_matching

GREP = shutil.which("grep")
_PIECES = st.sampled_from(
    ["^", "$", "#", "a", "b", ".", ".*", "[ab]", "[^a]", "[[:digit:]]", "\\.", "windows", "-",
     ":", "/", "1", "[]a]", "+", "?", "|", "(", ")", "*", "\\s", "a*", "{2}", "[^ ]*",
     " *", "\\.*", "\\(", "\\+", "\\<", "\\/", "\\-"]
)  # fmt: skip
_LINES = st.lists(st.text(alphabet="ab#.:/-1 windows+?|()*", max_size=12), max_size=6)


def gnu_selects(pattern: str, flags: str, lines: list[str]) -> list[str]:
    assert GREP is not None
    done = subprocess.run(
        [GREP, *([f"-{flags}"] if flags else []), "-e", pattern],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        env={"LC_ALL": "C"},
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout.splitlines()


@pytest.mark.skipif(GREP is None, reason="needs grep")
@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PIECES, min_size=1, max_size=4),
    st.sampled_from(["", "E", "F", "i", "x", "Ex"]),
    _LINES,
)
def test_the_lines_selected_are_those_grep_selects(
    pieces: list[str], flags: str, lines: list[str]
) -> None:
    pattern = "".join(pieces)
    test = line_test([pattern], flags)
    if test is None:
        return  # not modelled: the reader keeps every line
    assert [line for line in lines if test(line)] == gnu_selects(pattern, flags, lines)


@pytest.mark.skipif(GREP is None, reason="needs grep")
@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PIECES, min_size=1, max_size=4),
    st.sampled_from(["", "E", "F", "i", "x"]),
    _LINES,
)
def test_the_matches_printed_are_those_grep_o_prints(
    pieces: list[str], flags: str, lines: list[str]
) -> None:
    pattern = "".join(pieces)
    parts = only_matching(pattern, flags)
    if parts is None:
        return  # not modelled: the reader does not follow the grep
    printed = [part for line in lines for part in parts(line) or []]
    assert printed == gnu_selects(pattern, "o" + flags, lines)


def test_grep_v_drops_the_lines_its_pattern_selects() -> None:
    """`grep -v windows` dropped nothing: a Windows image bash never pulls was reported."""
    script = (
        b"printf '%s\\n' nginx:1.27 acme/win-agent:1-windows | grep -v windows"
        b" | xargs -n1 docker pull\n"
        b"printf '%s\\n' '# base' redis:7 | grep -v -e '^#' -e '^$' | xargs docker pull\n"
        b"printf '%s\\n' a/b:1 A/B-RC:2 | grep -vi 'rc' | xargs docker pull\n"
        # Patterns in a file are not read: every line is kept; another option changes none.
        b"printf '%s\\n' e/f:1 | grep -v -f skip.txt | xargs docker pull\n"
        b"printf '%s\\n' g/h:1 i/j:1 | grep -v --color=never i/j | xargs docker pull\n"
    )
    found = read_inventory([("pull.sh", script)])
    assert [image.ref for image in found.images] == [
        "nginx:1.27",
        "redis:7",
        "a/b:1",
        "e/f:1",
        "g/h:1",
    ]
    assert found.warnings == ()
