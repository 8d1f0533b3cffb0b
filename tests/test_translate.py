"""`tr` as the pull-script reader models it, against GNU tr itself."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.inventory import read_inventory
from image_docs_audit.inventory.translate import program

TR = shutil.which("tr")
_SETS = st.sampled_from(
    ["_", "-", "a-z", "A-Z", "[:upper:]", "[:lower:]", "[:digit:]", "[:alnum:]", "[:space:]",
     "[:punct:]", "\\n", ",", "._", "\\t ", "'\"", "xy", "a-c", "0-9", "\\056", "[]", "\\\\",
     "\\777", "[:xdigit:]", "[:blank:]", "[:alpha:]", "ab-", "A-Za-z"]
)  # fmt: skip
_FLAGS = st.sampled_from(["", "-d", "-s", "-ds", "-cd", "-cs", "--delete", "-d -s"])
_TEXT = st.text(alphabet="aAbB_-.,:/ \t\n0129xyz'\"[]\\", max_size=40)


def gnu_tr(arguments: list[str], text: str) -> str | None:
    assert TR is not None
    done = subprocess.run(
        [TR, *arguments], input=text.encode(), capture_output=True, env={"LC_ALL": "C"}, check=False
    )
    return done.stdout.decode() if done.returncode == 0 else None


@pytest.mark.skipif(TR is None, reason="needs tr")
@settings(max_examples=300, deadline=None)
@given(_FLAGS, _SETS, st.one_of(st.none(), _SETS), _TEXT)
def test_tr_is_gnu_tr(flags: str, first: str, second: str | None, text: str) -> None:
    arguments = [*flags.split(), first, *([second] if second is not None else [])]
    modelled = program(arguments)
    if modelled is None:
        return  # not modelled: the reader says the value is not known
    assert modelled.apply(text) == gnu_tr(arguments, text)


def test_tr_options_and_sets_not_modelled_are_none() -> None:
    assert program(["-t", "a", "b"]) is None
    assert program(["[=a=]", "b"]) is None
    assert program(["[a*3]", "b"]) is None
    assert program(["z-a", "b"]) is None
    assert program(["a", None]) is None
    assert program(["-c", "a", "b"]) is None


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (  # a pass-through read `user_service` where bash pulls `user-service`
            'for s in user_service order_service; do\n  name=$(echo "$s" | tr "_" "-")\n'
            '  docker pull "ghcr.io/acme/$name:1.0"\ndone\n',
            ["ghcr.io/acme/user-service:1.0", "ghcr.io/acme/order-service:1.0"],
        ),
        (
            'REG=$(echo AcmeProd | tr "[:upper:]" "[:lower:]").azurecr.io\n'
            'docker pull "$REG/api:2"\n',
            ["acmeprod.azurecr.io/api:2"],
        ),
        ('LIST="a/b:1,c/d:2"\necho "$LIST" | tr "," "\\n" | xargs -n1 docker pull\n',
         ["a/b:1", "c/d:2"]),
        ("printf 'a/b:1\\nc/d:2\\n' | tr '\\n' ' ' | xargs -n1 docker pull\n",
         ["a/b:1", "c/d:2"]),
        ("echo '\"a/b:1\"' | tr -d '\"' | xargs docker pull\n", ["a/b:1"]),
    ],
)  # fmt: skip
def test_a_pipe_through_tr_changes_the_names(script: str, expected: list[str]) -> None:
    found = read_inventory([("pull.sh", script.encode())])
    assert ([image.ref for image in found.images], found.warnings) == (expected, ())


def test_a_tr_not_modelled_is_a_warning() -> None:
    found = read_inventory([("pull.sh", b"docker pull $(echo A/B:1 | tr '[=A=]' 'a')\n")])
    assert [image.ref for image in found.images] == []
    assert [str(warning)[:46] for warning in found.warnings] == [
        "pull.sh:1: cannot know the value of $(echo A/B"
    ]
