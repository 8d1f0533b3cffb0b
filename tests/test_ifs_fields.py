"""Unquoted expansions are cut into words as bash cuts them with the script's IFS."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.inventory.bash_values import Alt
from image_docs_audit.inventory.streams import split_fields

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")


def _bash_words(text: str, ifs: str) -> list[str]:
    """What `for w in $X` loops over in bash, X=text, under IFS=ifs."""
    script = 'IFS="$2"; for w in $1; do printf "%s\\036" "$w"; done'
    done = subprocess.run(
        ["bash", "-c", script, "_", text, ifs], capture_output=True, text=True, check=True
    )
    return done.stdout.split("\x1e")[:-1]


@settings(max_examples=150, deadline=None)
@given(st.text("ab,: \t\n", max_size=12), st.sampled_from([",", ", ", ":,", " \n", "\n", ",\t"]))
def test_fields_are_the_words_bash_loops_over(text: str, ifs: str) -> None:
    words = [item.text for item in split_fields((Alt(text),), ifs) if isinstance(item, Alt)]
    assert words == _bash_words(text, ifs)


def test_a_field_stands_on_its_own_line_of_a_value() -> None:
    found = split_fields((Alt("a:1,\nb:2", line=4),), ",\n")
    assert [(item.text, item.line) for item in found if isinstance(item, Alt)] == [
        ("a:1", 4),
        ("b:2", 5),
    ]
