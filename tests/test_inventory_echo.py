"""What `echo` and `printf` print: echo joins its arguments into one line.

A shell that reads echo's output runs that line as a command (`echo docker pull
app:1 | bash`), and `while read` reads it whole; `for i in $(echo a b c)` still gives
`a`, `b` and `c`, by word splitting. `printf '%s\\n' a b` prints a line per argument,
`printf '%s ' a b` one line. Where an argument may be one of several texts, each
combination is a line echo may print, up to MAX_ALTERNATIVES of them: past that the
line is not known, and a warning says so.

Every script is also run under bash with logging stubs: the images it pulls must be
the ones read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from image_docs_audit.inventory import read_inventory
from image_docs_audit.inventory.limits import MAX_ALTERNATIVES
from test_inventory_usage import images_used_by_a_run


def _read(script: str) -> tuple[list[tuple[int, str]], list[str]]:
    found = read_inventory([("pull.sh", script.encode())])
    return [(i.source.line, i.ref) for i in found.images], [str(w) for w in found.warnings]


# A script, its exact inventory and the environments it is run with (their union covers
# every branch).
ECHOED: dict[str, tuple[str, list[tuple[int, str]], list[dict[str, str]]]] = {
    "piped-into-bash": ("echo docker pull example/app:1 | bash\n", [(1, "example/app:1")], [{}]),
    "read-by-sh-from-a-process-substitution": (
        "sh < <(echo docker pull example/app:1)\n",
        [(1, "example/app:1")],
        [{}],
    ),
    "the-script-of-bash-c": (
        'bash -c "$(echo docker pull example/app:1)"\n',
        [(1, "example/app:1")],
        [{}],
    ),
    "a-command-held-in-a-variable": (
        "C=$(echo docker pull)\n$C example/app:1\n",
        [(2, "example/app:1")],
        [{}],
    ),
    "split-into-words-by-for": (
        'for i in $(echo example/a:1 example/b:2 example/c:3); do docker pull "$i"; done\n',
        [(1, "example/a:1"), (1, "example/b:2"), (1, "example/c:3")],
        [{}],
    ),
    "one-line-read-whole": (
        'echo example/a:1 example/b:2 | while read -r first rest; do docker pull "$first"; done\n',
        [(1, "example/a:1")],
        [{}],
    ),
    "an-array-quoted-for-xargs": (
        'IMAGES=(example/a:1 example/b:2)\necho "${IMAGES[@]}" | xargs -n1 docker pull\n',
        [(1, "example/a:1"), (1, "example/b:2")],
        [{}],
    ),
    "a-word-of-two-values": (
        'if [ -n "$X" ]; then T=1; else T=2; fi\necho docker pull "example/app:$T" | sh\n',
        # as in `docker pull "example/app:$T"`: where the branch sets the tag
        [(1, "example/app:1"), (1, "example/app:2")],
        [{}, {"X": "x"}],
    ),
    "printf-a-line-per-argument": (
        "printf '%s\\n' example/a:1 example/b:2 | while read -r i; do docker pull \"$i\"; done\n",
        [(1, "example/a:1"), (1, "example/b:2")],
        [{}],
    ),
    "printf-one-line": (
        "printf '%s ' docker pull example/app:1 | sh\n",
        [(1, "example/app:1")],
        [{}],
    ),
}


@pytest.mark.parametrize("name", sorted(ECHOED))
def test_what_echo_prints_is_one_line_of_its_arguments(name: str) -> None:
    script, expected, _ = ECHOED[name]
    assert _read(script) == (expected, [])


@pytest.mark.parametrize("name", sorted(ECHOED))
def test_the_images_read_are_the_ones_bash_pulls(name: str, tmp_path: Path) -> None:
    script, expected, runs = ECHOED[name]
    (tmp_path / "pull.sh").write_text(script)
    ran: set[str] = set()
    for number, extra in enumerate(runs):
        ran |= images_used_by_a_run(tmp_path / "pull.sh", tmp_path / f"run{number}", extra)
    assert ran == {ref for _, ref in expected}


ECHO_BOTH = 'echo "$A" "$B" | xargs -n1 docker pull\n'


def _branches(name: str, count: int) -> str:
    """A `case` that sets `name` to one of `count` images."""
    cases = "".join(f"  {n}) {name}=example/{name.lower()}{n}:1 ;;\n" for n in range(count))
    return f'case "$N" in\n{cases}esac\n'


def test_combinations_past_the_bound_are_not_known_and_say_so() -> None:
    side = 40  # 40 x 40 combinations, past MAX_ALTERNATIVES
    assert side * side > MAX_ALTERNATIVES
    script = _branches("A", side) + _branches("B", side) + ECHO_BOTH
    line = script.count("\n")
    assert _read(script) == (
        [],
        [
            f"pull.sh:{line}: echo prints one of more than {MAX_ALTERNATIVES} lines here (the "
            "values its arguments may have, combined); the images in them are not audited"
        ],
    )


def test_combinations_within_the_bound_are_each_a_line() -> None:
    side = 30  # 900 combinations of 60 images
    script = _branches("A", side) + _branches("B", side) + ECHO_BOTH
    images, warnings = _read(script)
    assert warnings == []
    assert sorted(ref for _, ref in images) == sorted(
        [f"example/a{n}:1" for n in range(side)] + [f"example/b{n}:1" for n in range(side)]
    )


def test_the_values_of_one_word_are_not_bounded_as_combinations() -> None:
    """`echo ${IMAGES[@]}` unquoted: one word with every element, as before the join."""
    count = MAX_ALTERNATIVES + 500
    elements = "".join(f"  example/app{n}:1\n" for n in range(count))
    script = f"IMAGES=(\n{elements})\necho ${{IMAGES[@]}} | xargs -n1 docker pull\n"
    images, warnings = _read(script)
    assert (len(images), warnings) == (count, [])
