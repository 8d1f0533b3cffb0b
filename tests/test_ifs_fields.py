"""Unquoted expansions are cut into words as bash cuts them with the script's IFS."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.inventory import read_inventory
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


@pytest.mark.parametrize(
    ("ifs", "images", "warnings"),
    [
        # an ANSI-C string: the line end alone; the value's one line is one word
        ("$'\\n'", [], ["'redis:7 nginx:1' is not an image reference"]),
        ("$'\\t'", [], ["'redis:7 nginx:1' is not an image reference"]),
        ("' '", ["redis:7", "nginx:1"], []),
    ],
)
def test_a_script_s_ifs_written_as_an_ansi_c_string_cuts_its_expansions(
    ifs: str, images: list[str], warnings: list[str]
) -> None:
    script = f'IMGS="redis:7 nginx:1"\nIFS={ifs}\nfor i in $IMGS; do docker pull "$i"; done\n'
    found = read_inventory([("pull.sh", script.encode())])
    assert [image.ref for image in found.images] == images
    assert len(found.warnings) == len(warnings)
    shown = zip(found.warnings, warnings, strict=True)
    assert [warning.message[: len(said)] for warning, said in shown] == warnings
