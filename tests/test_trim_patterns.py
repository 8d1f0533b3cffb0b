"""`${VAR#pattern}` and its kin, as the pull-script reader applies them, against bash."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.inventory.bash_values import Alt, _trim

BASH = shutil.which("bash")
_PIECES = st.sampled_from(
    ["*", "?", "v", "V", "[vV]", "[0-9]", "[!0-9]", "[^a]", "[+-]", "[[:digit:]]",
     "[[:alpha:]]", "[]a]", "[a-c]", ".", ":", "/", "[", "\\*", "a", "1"]
)  # fmt: skip
_VALUES = st.text(alphabet="vV0129abc.:/+-*[]", max_size=12)


def bash_trim(value: str, operator: str, pattern: str) -> str:
    assert BASH is not None
    script = f'x="$1"; printf %s "${{x{operator}{pattern}}}"'
    done = subprocess.run(
        [BASH, "-c", script, "bash", value], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.skipif(BASH is None, reason="needs bash")
@settings(max_examples=300, deadline=None)
@given(_VALUES, st.sampled_from(["#", "##", "%", "%%"]), st.lists(_PIECES, max_size=4))
def test_a_trim_is_what_bash_gives(value: str, operator: str, pieces: list[str]) -> None:
    pattern = "".join(pieces)
    trimmed = _trim(Alt(value), operator, pattern)
    assert isinstance(trimmed, Alt)
    assert trimmed.text == bash_trim(value, operator, pattern)


@pytest.mark.parametrize(
    ("value", "operator", "pattern", "expected"),
    [
        ("v2.8.1", "#", "[vV]", "2.8.1"),  # a literal `[vV]` kept the v
        ("1.2.3", "%", "[0-9]", "1.2."),
        ("1.2+build.7", "%%", "[+-]*", "1.2"),
        ("a*b", "#", "a\\*", "b"),
        ("[x", "#", "[", "x"),  # a bracket that closes nothing is itself
    ],
)
def test_bracket_patterns_trim(value: str, operator: str, pattern: str, expected: str) -> None:
    trimmed = _trim(Alt(value), operator, pattern)
    assert isinstance(trimmed, Alt) and trimmed.text == expected
