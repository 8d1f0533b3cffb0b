"""A command's output in an unquoted heredoc line: `example/app:$(cat VERSION)`.

The shell that reads the heredoc runs the command before the line is read: as data (a
list of images) the output is not known, and the line is read as any value with a part
not known (its repository audited when only the tag is not known, else a warning); as
commands (`bash <<EOF`, `xargs sh -c`) the line is read as a command, the `$(...)` in it
followed as in the script itself. A quoted heredoc (`<<'EOF'`) and an escaped `\\$(` keep
the text as written, as bash does.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from image_docs_audit.inventory import read_inventory
from image_docs_audit.inventory.reference import parse_reference
from test_inventory_unknown_tags import _cannot_know
from test_inventory_usage import images_used_by_a_run

LOOP = 'while read -r image; do docker pull "$image"; done <<EOF\n'


def _read(script: str) -> tuple[list[tuple[int, str, str]], list[str]]:
    """The inventory `(line, ref, canonical)` and the warnings of `script`."""
    found = read_inventory([("pull.sh", script.encode())])
    return [(i.source.line, i.ref, i.key) for i in found.images], [str(w) for w in found.warnings]


# Data: the lines of a heredoc a loop or xargs pulls.
DATA = {
    "a-tag": (
        LOOP + "example/app-h:$(cat VERSION)\nEOF\n",
        [(2, "example/app-h:$(cat VERSION)", "docker.io/example/app-h:?")],
        [],
    ),
    "a-backquoted-tag": (
        LOOP + "example/app-h:`git describe`\nEOF\n",
        [(2, "example/app-h:`git describe`", "docker.io/example/app-h:?")],
        [],
    ),
    "a-registry": (
        "xargs -n1 docker pull <<EOF\n$(registry)/team/app-h:1\nEOF\n",
        [(2, "$(registry)/team/app-h:1", "?/team/app-h:1")],
        [],
    ),
    "a-variable-and-a-command": (
        "TAG=1.0\n" + LOOP + "example/app-h:${TAG}-$(arch)\nEOF\n",
        [(3, "example/app-h:1.0-$(arch)", "docker.io/example/app-h:?")],
        [],
    ),
    "nested-parentheses": (
        LOOP + "example/app-h:$(cat $(dirname x)/VERSION)\nEOF\n",
        [(2, "example/app-h:$(cat $(dirname x)/VERSION)", "docker.io/example/app-h:?")],
        [],
    ),
    "the-name": (LOOP + "$(latest)\nEOF\n", [], [_cannot_know(2, "$(latest)")]),
}


@pytest.mark.parametrize("name", sorted(DATA))
def test_a_command_s_output_in_a_heredoc_line_is_not_known(name: str, tmp_path: Path) -> None:
    script, images, warnings = DATA[name]
    assert _read(script) == (images, warnings)
    (tmp_path / "pull.sh").write_text(script)
    ran = images_used_by_a_run(tmp_path / "pull.sh", tmp_path / "run", {})
    # The run's outputs are empty (no VERSION file, no such command): its repositories.
    repositories = {key.rsplit(":", 1)[0] for _, _, key in images if not key.startswith("?/")}
    assert {_repository(used) for used in ran} >= repositories


def _repository(pulled: str) -> str:
    name = pulled.split("@", 1)[0]
    colon = name.rfind(":")
    try:
        return parse_reference(name[:colon] if colon > name.rfind("/") else name).repository
    except ValueError:
        return pulled


@pytest.mark.parametrize(
    ("script", "line"),
    [
        # quoted: the text as written, which is no reference
        ("while read -r image; do docker pull \"$image\"; done <<'EOF'\napp:$(cat V)\nEOF\n", 2),
        # escaped: the characters `$(`
        (LOOP + "app:\\$(cat V)\nEOF\n", 2),
    ],
)
def test_a_command_bash_does_not_run_is_text(script: str, line: int) -> None:
    images, warnings = _read(script)
    assert images == []
    assert len(warnings) == 1
    assert warnings[0].startswith(f"pull.sh:{line}: 'app:")
    assert "is not an image reference" in warnings[0]


def test_a_heredoc_a_shell_reads_is_its_commands() -> None:
    script = (
        'latest() { echo "redis:7.2"; }\n'
        "bash <<EOF\n"
        "docker pull $(latest)\n"
        "docker pull example/app-b:$(cat VERSION)\n"
        "docker pull nginx:1.25\n"
        "EOF\n"
    )
    assert _read(script) == (
        [
            (1, "redis:7.2", "docker.io/library/redis:7.2"),
            (4, "example/app-b:$(cat VERSION)", "docker.io/example/app-b:?"),
            (5, "nginx:1.25", "docker.io/library/nginx:1.25"),
        ],
        [],
    )


def test_xargs_writing_a_heredoc_line_into_a_shell_command_reads_it() -> None:
    script = "xargs -I{} sh -c 'docker pull {}' <<EOF\nexample/app-x:$(cat V)\nEOF\n"
    assert _read(script) == (
        [(2, "example/app-x:$(cat V)", "docker.io/example/app-x:?")],
        [],
    )


def test_a_shell_reading_the_heredoc_gets_the_command_with_this_script_s_values() -> None:
    # The outer shell runs `$(echo $IMG)` before the inner one reads the line.
    script = "IMG=redis:7\nbash <<EOF\nIMG=nginx:1\ndocker pull $(echo $IMG)\nEOF\n"
    assert _read(script) == ([(4, "redis:7", "docker.io/library/redis:7")], [])


@pytest.mark.parametrize("delimiter", ['E"OF"', "E'OF'", "EO\\F"])
def test_a_delimiter_quoted_in_part_keeps_the_text(delimiter: str) -> None:
    script = f'while read -r i; do docker pull "$i"; done <<{delimiter}\napp:$(cat V)\nEOF\n'
    images, warnings = _read(script)
    assert images == []
    assert len(warnings) == 1 and "is not an image reference" in warnings[0]


def test_a_parenthesis_in_quotes_does_not_close_the_command() -> None:
    script = LOOP + 'example/app-q:$(echo ")" | tr -d x)\nEOF\n'
    assert _read(script) == (
        [(2, 'example/app-q:$(echo ")" | tr -d x)', "docker.io/example/app-q:?")],
        [],
    )


@pytest.mark.parametrize(
    ("script", "first"),
    [
        # a list in a variable, split into words or read line by line
        (
            "LIST=$(cat <<EOF\nexample/app-v:$(cat VERSION)\nredis:7\nEOF\n)\n"
            'for i in $LIST; do docker pull "$i"; done\n',
            2,
        ),
        (
            "LIST=$(cat <<EOF\nexample/app-v:$(cat VERSION)\nredis:7\nEOF\n)\n"
            'echo "$LIST" | xargs -n1 docker pull\n',
            2,
        ),
        # a function that prints it
        (
            "images() {\n  cat <<EOF\nexample/app-v:$(cat VERSION)\nredis:7\nEOF\n}\n"
            'for i in $(images); do docker pull "$i"; done\n',
            3,
        ),
    ],
)
def test_the_known_lines_of_a_list_with_a_command_in_one_are_kept(script: str, first: int) -> None:
    # Each on its heredoc line.
    assert _read(script) == (
        [
            (first, "example/app-v:$(cat VERSION)", "docker.io/example/app-v:?"),
            (first + 1, "redis:7", "docker.io/library/redis:7"),
        ],
        [],
    )


@pytest.mark.parametrize(
    "line",
    ["`" * 1_000_000, "a`x`" * 250_000, "\\`" * 100_000, "$(x)" * 200_000, "$(" * 300_000],
)
def test_a_long_heredoc_line_of_commands_is_read_in_linear_time(line: str) -> None:
    started = time.process_time()
    _read(LOOP + line + "\nEOF\n")
    assert time.process_time() - started < 20  # a fraction of a second; minutes before
