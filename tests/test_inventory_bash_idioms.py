"""Bash idioms the pull-script reader reads as bash runs them: nested backquotes,
loops that count (C-style `for`, `while` with a counter) and name references.

Each script is also run by bash, with `docker` a function that prints the images it is
given, where that is cheap: the inventory must be exactly what bash pulls.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from image_docs_audit.inventory import parse_pull_script, pullscript, read_inventory
from image_docs_audit.inventory.limits import MAX_STEPS, Budget
from test_inventory_usage import images_used_by_a_run

Row = tuple[int, str]


def inventory_of(source: str) -> tuple[list[Row], list[str]]:
    found = read_inventory([("pull.sh", source.encode())])
    return [(i.source.line, i.ref) for i in found.images], [str(w) for w in found.warnings]


# `docker pull|save IMAGE...`: each image on a line of its own (`save -o FILE` skipped).
_STUB = """docker() {
  local verb=$1; shift
  while [ $# -gt 0 ]; do
    case $1 in -o) shift 2 ;; *) printf '%s\\n' "$1"; shift ;; esac
  done
}
"""


def pulled_by_bash(
    source: str, args: Sequence[str] | None = None, cwd: Path | None = None
) -> list[str]:
    """The images bash pulls running `source`, in order, each once; with `args`, run as
    `pull.sh` given them, in `cwd`."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    command = ["bash", "-c", _STUB + source]
    if args is not None:
        command += ["pull.sh", *args]
    done = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return list(dict.fromkeys(done.stdout.split()))


def assert_as_bash(source: str, expected: list[Row]) -> None:
    images, warnings = inventory_of(source)
    assert (images, warnings) == (expected, [])
    assert sorted(pulled_by_bash(source)) == sorted(ref for _, ref in expected)


def assert_as_run(source: str, expected: list[Row], tmp_path: Path) -> None:
    """`assert_as_bash` with the commands as programs, as a script runs them through
    xargs or `docker run` (the logging stubs of test_inventory_usage)."""
    assert inventory_of(source) == (expected, [])
    (tmp_path / "pull.sh").write_text(source)
    ran = images_used_by_a_run(tmp_path / "pull.sh", tmp_path / "run", {})
    assert ran == {ref for _, ref in expected}


# -- backquotes -----------------------------------------------------------------------

BACKQUOTES = r"""X=`echo \`echo example/nested:5\``
docker pull "$X"
NAME=app
Y=`echo "example/\$NAME:1"`
docker pull "$Y"
Z="`echo \"example/quoted:2\"`"
docker pull "$Z"
W=`echo \`echo \\\`echo example/deep:3\\\`\``
docker pull "$W"
"""


def test_nested_backquotes_are_substitutions_as_bash_reads_them() -> None:
    # Inside `...`, \` \$ \\ (and \" in double quotes) only escape their character: \`
    # starts a substitution of its own (\\\` one inside that), which tree-sitter-bash
    # reads as a literal word.
    assert_as_bash(
        BACKQUOTES,
        [
            (1, "example/nested:5"),
            (4, "example/app:1"),
            (6, "example/quoted:2"),
            (8, "example/deep:3"),
        ],
    )


def test_backquotes_without_escapes_read_as_before() -> None:
    source = 'TAG=`echo 1.2`\ndocker pull "example/plain:$TAG"\ndocker pull `echo x/y:1`\n'
    assert_as_bash(source, [(2, "example/plain:1.2"), (3, "x/y:1")])


# -- loops that count -----------------------------------------------------------------

PARALLEL = """NAMES=(api web db)
TAGS=(1.0 2.0 3.0)
for ((i=0; i<${#NAMES[@]}; i++)); do docker pull "example/${NAMES[$i]}:${TAGS[$i]}"; done
"""


def test_a_c_style_loop_pairs_parallel_arrays_as_bash_does() -> None:
    # Read once with `i` any value, every name met every tag: six false images.
    assert_as_bash(
        PARALLEL, [(2, "example/api:1.0"), (2, "example/web:2.0"), (2, "example/db:3.0")]
    )


WHILE_COUNTERS = """A=(a b c)
T=(1 2 3)
i=0; while [ $i -lt ${#A[@]} ]; do docker pull "w/${A[$i]}:${T[$i]}"; i=$((i+1)); done
i=0; while [ "$i" -lt "${#A[@]}" ]; do docker pull "q/${A[$i]}:${T[$i]}"; let "i += 1"; done
j=0; until [[ $j -ge 2 ]]; do docker pull "u/${A[j]}:${T[j]}"; let j++; done
k=0; while (( k < ${#A[@]} )); do docker pull "k/${A[k]}:${T[k]}"; ((k+=2)); done
n=${#A[@]}; until (( n == 0 )); do n=$((n - 1)); docker pull "s/${A[$n]}:${T[$n]}"; done
i=0; while [ $i -le $((${#A[@]} - 1)) ]; do docker pull "r/${A[$i]}:${T[$i]}"; i=$[i+1]; done
"""


def test_while_and_until_loops_with_a_counter_are_read_per_pass() -> None:
    expected = [
        *[(2, f"w/{name}:{tag}") for name, tag in (("a", 1), ("b", 2), ("c", 3))],
        *[(2, f"q/{name}:{tag}") for name, tag in (("a", 1), ("b", 2), ("c", 3))],
        (2, "u/a:1"),
        (2, "u/b:2"),
        (2, "k/a:1"),
        (2, "k/c:3"),
        *[(2, f"s/{name}:{tag}") for name, tag in (("c", 3), ("b", 2), ("a", 1))],
        *[(2, f"r/{name}:{tag}") for name, tag in (("a", 1), ("b", 2), ("c", 3))],
    ]
    images, warnings = inventory_of(WHILE_COUNTERS)
    assert (sorted(images), warnings) == (sorted(expected), [])
    assert sorted(pulled_by_bash(WHILE_COUNTERS)) == sorted(ref for _, ref in expected)


def test_counted_loops_of_other_shapes_read_as_bash() -> None:
    source = (
        "A=(a b c)\nT=(1 2 3)\n"
        'for (( i = ${#A[@]} - 1; i >= 0; i-- )); do docker pull "t/${A[i]}:${T[i]}"; done\n'
        'for ((a=0, b=2; a<3; a++, b--)); do docker pull "ab/${A[a]}:${T[b]}"; done\n'
        'for ((i=0; i<${#A[@]}; i+=2)); do docker pull "d/${A[i]}:${T[i+1]:-none}"; done\n'
        'for ((i=0; i<3; i++)); do [ "$i" = 1 ] && continue; docker pull "c/${A[$i]}:1"; done\n'
    )
    images, warnings = inventory_of(source)
    expected = [
        (2, "t/c:3"), (2, "t/b:2"), (2, "t/a:1"),
        (2, "ab/a:3"), (2, "ab/b:2"), (2, "ab/c:1"),
        (2, "d/a:2"), (1, "d/c:none"),  # an element past the end is unset: its default
        (1, "c/a:1"), (1, "c/c:1"),
    ]  # fmt: skip
    assert (sorted(images), warnings) == (sorted(expected), [])
    assert sorted(pulled_by_bash(source)) == sorted(ref for _, ref in expected)


def test_counters_after_a_loop_hold_what_bash_leaves() -> None:
    source = (
        'for ((i=0; i<3; i++)); do :; done\ndocker pull "x/done:$i"\n'
        'for ((i=0; i<9; i++)); do [ "$i" = 4 ] && break; done\ndocker pull "x/broke:$i"\n'
        'n=5; while [ $n -gt 0 ]; do ((n -= 2)); done\ndocker pull "x/down:${n#-}"\n'
    )
    assert_as_bash(source, [(2, "x/done:3"), (4, "x/broke:4"), (6, "x/down:1")])


def test_a_loop_counted_to_no_pass_reads_nothing() -> None:
    # An empty list: bash runs the body no time, so `x/:1` is no image and no warning,
    # and the fallback image of the body is none either.
    source = (
        "EXTRA=()\nfor ((i=0; i<${#EXTRA[@]}; i++)); do\n"
        '  docker pull "x/${EXTRA[$i]}:1"\n  docker pull example/fallback:1\ndone\n'
        "docker pull after/x:1\n"
    )
    assert_as_bash(source, [(6, "after/x:1")])


def test_a_function_counts_its_arguments() -> None:
    source = (
        'pull_all() { for ((i=1; i<=$#; i++)); do docker pull "mirror.local/${!i}"; done; }\n'
        "pull_all app:1 web:2\n"
    )
    assert_as_bash(source, [(2, "mirror.local/app:1"), (2, "mirror.local/web:2")])


def test_a_body_that_moves_its_counter_is_read_once_for_every_value() -> None:
    # Not counted ahead: the loop is read as before, `${N[$i]}` any element (bash pulls
    # a and c only; the others are the reader's known over-read, never a miss).
    source = 'N=(a b c d)\nfor ((i=0; i<4; i++)); do docker pull "x/${N[$i]}:1"; ((i++)); done\n'
    images, warnings = inventory_of(source)
    assert (images, warnings) == ([(1, f"x/{n}:1") for n in "abcd"], [])
    assert pulled_by_bash(source) == ["x/a:1", "x/c:1"]


def test_a_body_that_changes_what_the_header_reads_ends_the_counted_passes() -> None:
    # The count foresaw three passes; the first leaves one element, and bash stops there.
    # The rest of the loop is then read once, `i` any value: the first pass's image again,
    # from the element the body set (its repeat is said, nothing is missed).
    source = 'A=(a b c)\nfor ((i=0; i<${#A[@]}; i++)); do docker pull "x/${A[$i]}:1"; A=(a); done\n'
    assert inventory_of(source) == (
        [(1, "x/a:1")],
        ["pull.sh:2: x/a:1 is listed again (first at pull.sh:1)"],
    )
    assert pulled_by_bash(source) == ["x/a:1"]


def test_a_header_that_runs_a_command_is_not_counted() -> None:
    # `$(...)` in the header would run at every test: the loop is read once, as before.
    source = 'A=(a b)\nfor ((i=0; i<$(echo 2); i++)); do docker pull "x/${A[$i]}:1"; done\n'
    assert inventory_of(source) == ([(1, "x/a:1"), (1, "x/b:1")], [])


# -- name references --------------------------------------------------------------------

NAMEREFS = """declare -n ref=TARGET
TARGET=example/nameref:1
docker pull "$ref"
ref=example/nameref:2
docker pull "$TARGET"
typeset -n list=LIST
LIST=(example/l1:1 example/l2:2)
docker pull "${list[@]}"
list+=(example/l3:3)
docker pull "${LIST[${#list[@]} - 1]}"
declare -n named=app
docker pull "example/${!named}:4"
out_param() { local -n out=$1; out=example/out:5; }
out_param RESULT
docker pull "$RESULT" "example/after:${out:-unset}"
unset ref
docker pull "example/target:${TARGET:-gone}"
unset -n list
list=example/own:6
docker pull "$list"
"""


def test_a_name_reference_reads_its_target_when_it_is_used() -> None:
    assert_as_bash(
        NAMEREFS,
        [
            (2, "example/nameref:1"),
            (4, "example/nameref:2"),
            (7, "example/l1:1"),
            (7, "example/l2:2"),
            (9, "example/l3:3"),
            (12, "example/app:4"),
            (13, "example/out:5"),
            (15, "example/after:unset"),
            (17, "example/target:gone"),
            (19, "example/own:6"),
        ],
    )


def test_a_name_reference_to_a_target_not_known_warns_where_it_is_used() -> None:
    assert inventory_of('declare -n ref="$1"\ndocker pull "$ref"\n') == (
        [],
        [
            "pull.sh:2: cannot know the value of $ref without running the script; the image "
            "is not audited (set the variable in the script or list the image literally)"
        ],
    )


def test_a_ring_of_name_references_ends() -> None:
    # bash warns of a circular reference and expands nothing: neither does the reader.
    source = 'declare -n a=b\ndeclare -n b=a\ndocker pull "x/y:${a:-1}"\n'
    assert inventory_of(source) == ([(3, "x/y:1")], [])


# -- hostile counters -------------------------------------------------------------------

CEILING_SECONDS = 20.0
HUGE = [
    ('for ((i=0; i<10**9; i++)); do docker pull "example/app:$i"; done\n', "example/app:$i"),
    (
        'i=0; while [ $i -lt 1000000000 ]; do docker pull "example/app:$i"; i=$((i+1)); done\n',
        "example/app:0",  # and `example/app:$i` at the same line, one more place of it
    ),
    ('for ((;;)); do docker pull "example/app:$i"; done\n', "example/app:$i"),
    (
        "for ((i=0; i<10**9; i++)); do for ((j=0; j<10**9; j++)); do "
        'docker pull "example/app:$i"; done; done\n',
        "example/app:$i",
    ),
]


@pytest.mark.parametrize(("loop", "image"), HUGE)
def test_hostile_a_billion_passes_are_not_counted(
    loop: str, image: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past as many passes as a loop over items is read per item, the count stops: the loop
    is read once, its counter any value (the image's tag is not known), within a small part
    of the step budget and in bounded time."""
    spent: list[int] = []

    class Counted(Budget):
        def step(self, count: int = 1) -> None:
            super().step(count)
            spent[:] = [MAX_STEPS - self.left]

    monkeypatch.setattr(pullscript, "Budget", Counted)
    started = time.monotonic()
    images, warnings = inventory_of(loop + "docker pull after/x:1\n")
    assert time.monotonic() - started < CEILING_SECONDS
    assert (images, warnings) == ([(1, image), (2, "after/x:1")], [])
    assert spent[0] < MAX_STEPS // 2


# -- loops that may run no pass -----------------------------------------------------------

# Each loop's passes are not known (lines of a file outside the repository, the script's
# arguments, a test the reader cannot decide): bash runs none of them here, so what the
# variable held before the loop is what is pulled. (An image written whole stands where it
# is written; one made of pieces where it is pulled.)
NO_PASS_LOOPS = [
    "MIRROR=docker.io\nwhile read -r l; do MIRROR=$l; done < <(cat /etc/no-such-list)\n"
    'docker pull "$MIRROR/library/redis:7"\n',
    'TAG=16\nfor arg in "$@"; do TAG=$arg; done\ndocker pull "postgres:$TAG"\n',
    'REG=ghcr.io/acme\nwhile [ -n "$NEXT" ]; do REG=$NEXT; NEXT=; done\ndocker pull "$REG/api:1"\n',
    'V=2\nfor ((i = 0; i < $(nproc) - 100; i++)); do V=$i; done\ndocker pull "acme/web:$V"\n',
    'IMG=acme/base:1\nfor f in $(cat /etc/no-such-file); do IMG=$f; done\ndocker pull "$IMG"\n',
]
PULLED_AT = [3, 3, 3, 3, 1]
# The lines warned of: the items of the last loop come from a command the reader cannot run.
WARNED_AT = [[], [], [], [], [2, 2]]


@pytest.mark.parametrize(
    ("source", "line", "warned"), list(zip(NO_PASS_LOOPS, PULLED_AT, WARNED_AT, strict=True))
)
def test_a_loop_that_may_run_no_pass_keeps_the_value_before_it(
    source: str, line: int, warned: list[int]
) -> None:
    images, warnings = inventory_of(source)
    pulled = pulled_by_bash(source)
    assert len(pulled) == 1
    assert images == [(line, pulled[0])]
    assert [int(warning.split(":")[1]) for warning in warnings] == warned


def test_a_loop_over_known_items_leaves_the_last_pass_value() -> None:
    # Its items are known, so it surely runs: the value before it is not pulled.
    source = 'IMG=acme/old:1\nfor i in acme/a:1 acme/b:2; do IMG=$i; done\ndocker pull "$IMG"\n'
    images, warnings = inventory_of(source)
    assert [ref for _, ref in images] == pulled_by_bash(source) == ["acme/b:2"]
    assert warnings == []


# -- `${VAR:?message}` ----------------------------------------------------------------

REQUIRED = """REGISTRY=ghcr.io/acme
docker pull "${REGISTRY:?set REGISTRY}/app-a:1"
docker pull "${REGISTRY?}/app-b:2"
TAG=3
docker pull "example/app-c:${TAG:?}"
"""


def test_a_required_variable_that_is_set_is_its_value() -> None:
    assert_as_bash(
        REQUIRED,
        [(2, "ghcr.io/acme/app-a:1"), (3, "ghcr.io/acme/app-b:2"), (5, "example/app-c:3")],
    )


def test_a_required_variable_that_is_not_set_is_not_known() -> None:
    images, warnings = inventory_of('docker pull "${MISSING:?set it}/app:1"\n')
    assert images == [(1, "${MISSING:?set it}/app:1")]
    assert warnings == []


@pytest.mark.parametrize(
    "loop",
    [
        "while :; do TAG=2; break; done",
        "while true\ndo\n  TAG=2\n  break\ndone",
        "until false; do TAG=2; break; done",
        "for ((;;)); do TAG=2; break; done",
    ],
)
def test_an_endless_loop_runs_its_body_so_the_value_before_it_is_gone(loop: str) -> None:
    source = f'TAG=latest\n{loop}\ndocker pull "app:$TAG"\n'
    assert_as_bash(source, [(source.count("\n"), "app:2")])


def test_a_trim_by_an_extended_glob_is_a_warning_not_a_made_up_text() -> None:
    """`${img%%+([0-9.])}` under `shopt -s extglob` trims the version: read as plain
    characters it trimmed nothing (`nginx:1.251.26`, an image bash never pulls)."""
    source = 'shopt -s extglob\nimg=nginx:1.25\ndocker pull "${img%%+([0-9.])}1.26"\n'
    assert pulled_by_bash(source) == ["nginx:1.26"]
    assert inventory_of(source) == (
        [],
        [
            "pull.sh:3: an extended glob pattern (shopt -s extglob) is not applied; its image "
            "is not audited (trim with a plain pattern: `*`, `?`, `[...]`)"
        ],
    )
    plain = 'LINE="nginx (1.27)"\nTAG=${LINE#*(}\ndocker pull "${LINE%% *}:${TAG%)}"\n'
    assert pulled_by_bash(plain) == ["nginx:1.27"]  # a `*` then a `(`: no group
    assert inventory_of(plain) == ([(3, "nginx:1.27")], [])


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ('EXTRA=()\ndocker pull "${EXTRA[@]:-busybox:1.36}"\n', 2),
        ('EXTRA=()\nfor i in "${EXTRA[@]-busybox:1.36}"; do docker pull "$i"; done\n', 2),
        ('pull() { for t in "${@:-1.36}"; do docker pull "busybox:$t"; done; }\npull\n', 1),
        ('pull() { docker pull "${@-busybox:1.36}"; }\npull\n', 1),
        ('TAGS=()\ndocker pull "busybox${TAGS[@]+:1.35}${TAGS[@]:+:1.34}:1.36"\n', 2),
    ],
    ids=["empty-array-colon", "empty-array", "no-arguments-colon", "no-arguments", "alternate"],
)
def test_a_default_of_an_empty_array_or_no_arguments_is_its_value(source: str, line: int) -> None:
    """`"${LIST[@]:-default}"` of an array with no element (`"${@:-default}"` of a call
    with no argument) is the default, as bash expands it: it was nothing, a silent miss;
    and its `+TEXT` (`:+TEXT`) is nothing."""
    assert pulled_by_bash(source) == ["busybox:1.36"]
    assert inventory_of(source) == ([(line, "busybox:1.36")], [])


@pytest.mark.parametrize(
    "source",
    [
        "cat <<EOF>images.txt\nnginx:1.27\nredis:7.4\nEOF\nxargs -n1 docker pull < images.txt\n",
        "xargs -n1 docker pull <<EOF|tee /dev/null\nnginx:1.27\nredis:7.4\nEOF\n",
        "xargs -n1 docker pull <<EOF&&true\nnginx:1.27\nredis:7.4\nEOF\n",
    ],
    ids=["redirect", "pipe", "and"],
)
def test_a_heredoc_word_ends_at_an_operator_as_bash_reads_it(source: str, tmp_path: Path) -> None:
    """`cat <<EOF>images.txt`: the word is `EOF` (tree-sitter-bash took `EOF>images.txt`,
    and every line after into the heredoc: the images were all left out)."""
    script = "docker pull busybox:1.36\n" + source + "docker pull alpine:3.20\n"
    lines = [1, 3, 4, 7 if "cat <<" in source else 6]  # the file's case: its xargs line more
    refs = ["busybox:1.36", "nginx:1.27", "redis:7.4", "alpine:3.20"]
    assert_as_run(script, list(zip(lines, refs, strict=True)), tmp_path)


# bash reads a heredoc's lines right after the line that opens it, before the rest of its
# statement (a loop's body); tree-sitter-bash reads that rest first, the heredoc's lines as
# commands (its images were not read, and the parse warned at its start).
HEREDOC_FIRST = {
    "comment-after-do": (
        "cat <<EOF | while read -r image; do  # one image a line\nnginx:1.27\nredis:7.4\nEOF\n"
        '  docker pull "$image"\ndone\n'
    ),
    "do-on-its-line": (
        'cat <<EOF | while read -r image\nnginx:1.27\nredis:7.4\nEOF\ndo\n  docker pull "$image"\n'
        "done\n"
    ),
    "pull-on-the-opening-line": (
        "cat <<'EOF' | while read -r i; do docker pull \"$i\"\nnginx:1.27\nredis:7.4\nEOF\ndone\n"
    ),
    "dash-in-an-if-through-grep": (
        "if true; then\n\tgrep -v '^#' <<-EOF | while read -r i; do\n\t\t# images\n"
        '\t\tnginx:1.27\n\t\tredis:7.4\n\tEOF\n\t\tdocker pull "$i"\n\tdone\nfi\n'
    ),
    "group": (
        "cat <<EOF | {\nnginx:1.27\nredis:7.4\nEOF\n"
        '  while read -r i; do docker pull "$i"; done\n}\n'
    ),
}


@pytest.mark.parametrize("loop", HEREDOC_FIRST.values(), ids=HEREDOC_FIRST.keys())
def test_a_heredoc_read_before_its_loop_s_body_is_read_as_bash_reads_it(loop: str) -> None:
    """Each image stands on its heredoc line, and every other line keeps its number: the
    pull after the loop too."""
    script = "docker pull busybox:1.36\n" + loop + "docker pull alpine:3.20\n"
    first = 1 + next(n for n, line in enumerate(loop.split("\n"), 1) if "nginx" in line)
    assert_as_bash(
        script,
        [
            (1, "busybox:1.36"),
            (first, "nginx:1.27"),
            (first + 1, "redis:7.4"),
            (script.count("\n"), "alpine:3.20"),
        ],
    )


def test_heredocs_read_first_in_a_function_and_a_loop_inside_another() -> None:
    # An unquoted heredoc expands its variables; the function's argument is known at the
    # call; the inner loop's heredoc, in the outer loop's body, is read where bash reads it.
    script = (
        "TAG=7.4\npull_all() {\n  cat <<EOF | while read -r name tag; do\nnginx 1.27\n"
        'redis $TAG\nEOF\n    docker pull "$1/$name:$tag"\n  done\n}\npull_all mirror.local\n'
        "cat <<EOF | while read -r i; do\nalpine:3.20\nEOF\n"
        '  docker pull "$i"\n  cat <<EOF | while read -r j; do\nbusybox:1.36\nEOF\n'
        '    docker pull "$j"\n  done\ndone\n'
    )
    assert_as_bash(
        script,
        [
            (4, "mirror.local/nginx:1.27"),
            (5, "mirror.local/redis:7.4"),
            (12, "alpine:3.20"),
            (16, "busybox:1.36"),
        ],
    )


def test_a_heredoc_read_before_a_pipe_s_next_line_is_read_as_bash_reads_it(
    tmp_path: Path,
) -> None:
    """`cat <<EOF |` then the heredoc, then the command the pipe goes on with after it
    (tree-sitter-bash took the heredoc's first line for that command)."""
    script = "cat <<EOF |\nnginx:1.27\nredis:7.4\nEOF\nxargs -n1 docker pull\n"
    assert_as_run(script, [(2, "nginx:1.27"), (3, "redis:7.4")], tmp_path)


@pytest.mark.parametrize(
    ("source", "first"),
    [
        ('while read -r i; do\n  docker pull "$i"\ndone <<EOF\nnginx:1.27\nredis:7.4\nEOF\n', 4),
        ("cat <<'EOF' | xargs -n1 docker pull\nnginx:1.27\nredis:7.4\nEOF\n", 2),
        ('cat <<EOF | while read -r i; do docker pull "$i"; done\nnginx:1.27\nredis:7.4\nEOF\n', 2),
    ],
    ids=["done-redirected", "xargs", "one-line-loop"],
)
def test_a_heredoc_whose_statement_ends_on_its_line_reads_as_before(
    source: str, first: int, tmp_path: Path
) -> None:
    assert_as_run(source, [(first, "nginx:1.27"), (first + 1, "redis:7.4")], tmp_path)


def test_a_group_of_one_statement_prints_what_it_prints(tmp_path: Path) -> None:
    # (The form a heredoc read first is written in.) Of two statements, as before: unknown.
    script = "{ printf '%s\\n' nginx:1.27 redis:7.4; } | xargs -n1 docker pull\n"
    assert_as_run(script, [(1, "nginx:1.27"), (1, "redis:7.4")], tmp_path)
    two = inventory_of("{ echo a/b:1; echo c/d:2; } | xargs -n1 docker pull\n")
    assert two[0] == []
    assert "cannot know the value of the input of xargs" in two[1][0]


def test_a_warning_in_the_body_of_a_loop_read_after_its_heredoc_names_its_own_line() -> None:
    script = (
        "cat <<EOF | while read -r image; do\nnginx:1.27\nEOF\n"
        '  docker pull "$image"\n  docker pull "$(get_tag)"\ndone\n'
    )
    assert inventory_of(script) == (
        [(2, "nginx:1.27")],
        [
            "pull.sh:5: cannot know the value of $(get_tag) without running the script; the "
            "image is not audited (set the variable in the script or list the image literally)"
        ],
    )


def test_a_heredoc_with_no_end_before_its_loop_s_body_is_a_warning_at_its_start() -> None:
    """No line ends the heredoc (bash reads it to the end of the script and fails): its
    lines are not read, and the warning stands where they start."""
    script = (
        "docker pull busybox:1.36\n"
        'cat <<EOF | while read -r img; do\nnginx:1.27\n  docker pull "$img"\ndone\n'
    )
    images, warnings = inventory_of(script)
    assert images == [(1, "busybox:1.36")]
    assert warnings[0] == (
        "pull.sh:2: the pull script does not parse as bash here; images after this line may be"
        " missed (check it with `bash -n`)"
    )


def test_a_backquoted_comment_in_a_continued_command_is_nothing(tmp_path: Path) -> None:
    """`docker run --rm \\` then `-e MODE=check `# why` \\`: bash expands the backquoted
    comment to nothing; tree-sitter-bash read the comment on into the next lines."""
    script = (
        "docker run --rm \\\n  -e MODE=check `# one-shot config check` \\\n  nginx:1.27 nginx -t\n"
        'docker run --rm \\\n  -v "$PWD:/data" ` # the workspace` \\\n  alpine:3.20 ls /data\n'
        "docker pull `echo redis:7.4`\n"
    )
    assert_as_run(script, [(3, "nginx:1.27"), (6, "alpine:3.20"), (7, "redis:7.4")], tmp_path)


def test_a_line_of_an_unquoted_heredoc_goes_on_after_a_backslash(tmp_path: Path) -> None:
    """bash joins a line of an unquoted heredoc that ends with a backslash to the next (the
    tool read `nginx:1.27 \\` and `redis:7.4` apart); a quoted heredoc is read as before."""
    script = (
        "xargs -n1 docker pull <<EOF\nnginx:1.27 \\\nredis:7.4\nEOF\n"
        "while read -r i; do docker pull \"$i\"; done <<'EOF'\nalpine:3.20\nEOF\n"
    )
    assert_as_run(script, [(2, "nginx:1.27"), (2, "redis:7.4"), (6, "alpine:3.20")], tmp_path)


# -- one `read` takes one line --------------------------------------------------------

ONE_LINE_READS = """VAR="nginx:1.27 redis:7.4
alpine:3.20 busybox:1.36"
read -r -a ARR <<< "$VAR"
docker pull "${ARR[@]}"
read -r A B <<< "$VAR"
docker pull "x/$A" "y/$B"
read -r -a H <<EOF
postgres:16 mariadb:11
memcached:1.6
EOF
docker pull "${H[@]}"
IFS=, read -ra P <<< "a/b:1,c/d:2
e/f:3"
docker pull "${P[@]}"
"""


def test_one_read_of_a_herestring_or_a_heredoc_takes_its_first_line() -> None:
    """bash's `read` takes one line; every line of a herestring (of a heredoc) was read,
    as if each were a value the variable might hold."""
    assert_as_bash(
        ONE_LINE_READS,
        [
            (4, "nginx:1.27"),  # a field of a variable's value stands where it is used
            (4, "redis:7.4"),
            (6, "x/nginx:1.27"),
            (6, "y/redis:7.4"),
            (8, "postgres:16"),  # of a heredoc's line, on its line
            (8, "mariadb:11"),
            (14, "a/b:1"),
            (14, "c/d:2"),
        ],
    )


READS_ON_FROM_A_HEREDOC = """read -d '' -r -a ARR <<EOF || true
nginx:1.27 redis:7.4
alpine:3.20
EOF
docker pull "${ARR[2]}"
{ read -r header; while read -r i; do docker pull "$i"; done; } <<EOF
IMAGE
busybox:1.36
EOF
cat <<EOF | { read -r header; while IFS=, read -r n t; do docker pull "$n:$t"; done; }
name,tag
postgres,16
EOF
{ read -r first; read -r -a second; } <<EOF

memcached:1.6
EOF
docker pull "${first:-mariadb:11}" "${second[0]}"
"""


def test_reads_of_a_heredoc_read_on_from_line_to_line() -> None:
    """`-d ''` reads the lines one after another (the third field was nothing); a header
    taken by a `read` is no image of the loop after it (it was `IMAGE`, `name:tag`); an
    empty line is read as one."""
    assert_as_bash(
        READS_ON_FROM_A_HEREDOC,
        [
            (3, "alpine:3.20"),
            (8, "busybox:1.36"),
            (12, "postgres:16"),
            (16, "memcached:1.6"),
            (18, "mariadb:11"),
        ],
    )


def test_one_read_of_a_file_the_script_wrote_takes_its_first_line(tmp_path: Path) -> None:
    script = (
        "cat > list.txt <<EOF\nnginx:1.27 redis:7.4\nalpine:3.20 busybox:1.36\nEOF\n"
        'read -r -a ARR < list.txt\ndocker pull "${ARR[@]}"\n'
        'while read -r i rest; do docker pull "$rest"; done < list.txt\n'
    )
    expected = [(2, "nginx:1.27"), (2, "redis:7.4"), (3, "busybox:1.36")]
    assert_as_run(script, expected, tmp_path)


def test_one_read_of_a_herestring_takes_the_first_line_of_each_value() -> None:
    # Which branch runs, only running tells: the first line of each value is read.
    source = (
        'if [ "$1" = a ]; then V="x/a:1\nx/b:1"; else V="x/c:1\nx/d:1"; fi\n'
        'read -r IMG <<< "$V"\ndocker pull "$IMG"\n'
    )
    assert inventory_of(source) == ([(1, "x/a:1"), (2, "x/c:1")], [])
    assert pulled_by_bash("set -- a\n" + source) == ["x/a:1"]
    assert pulled_by_bash(source) == ["x/c:1"]


# -- `mapfile` keeps every line ---------------------------------------------------------

MAPFILE_INDICES = r"""cat > list.txt <<'EOF'
# Core
nginx:1.27

# Tools
redis:7.4
busybox:1.36
EOF
mapfile -t A < list.txt
docker pull "${A[@]:1:1}"
docker pull "${A[4]}" "x/${A[@]: -1}"
for ((i=4; i<${#A[@]}; i++)); do docker pull "y/${A[$i]}"; done
for i in "${A[@]:1}"; do [[ $i == \#* || -z $i ]] && continue; docker pull "z/$i"; done
for ((i=0; i<${#A[@]}; i++)); do
  [[ ${A[i]} == \#* || -z ${A[i]} ]] && continue; docker pull "m/${A[i]}"
done
mapfile -t -s 1 -n 2 B < list.txt
docker pull "w/${B[0]}"
"""


def test_mapfile_s_indices_count_the_comment_and_empty_lines_as_bash_does(
    tmp_path: Path,
) -> None:
    """bash's `mapfile` keeps every line: `${A[@]:1:1}` skips the header line to the first
    image (it skipped that image: the comment lines were left out), `${A[4]}` is the fifth
    line, `${#A[@]}` counts them all. A comment line is an element of no value: no image,
    and no warning where the script skips it."""
    expected = [
        (3, "m/nginx:1.27"),
        (3, "nginx:1.27"),
        (3, "w/nginx:1.27"),
        (3, "z/nginx:1.27"),
        (6, "m/redis:7.4"),
        (6, "redis:7.4"),
        (6, "y/redis:7.4"),
        (6, "z/redis:7.4"),
        (7, "m/busybox:1.36"),
        (7, "x/busybox:1.36"),
        (7, "y/busybox:1.36"),
        (7, "z/busybox:1.36"),
    ]
    images, warnings = inventory_of(MAPFILE_INDICES)
    assert (sorted(images), warnings) == (expected, [])
    (tmp_path / "pull.sh").write_text(MAPFILE_INDICES)
    ran = images_used_by_a_run(tmp_path / "pull.sh", tmp_path / "run", {})
    assert ran == {ref for _, ref in expected}


def test_mapfile_of_a_repository_list_keeps_its_lines_places(tmp_path: Path) -> None:
    files = {"scripts/images.txt": b"# Core\nghcr.io/acme/api:1.0\n\n# Tools\nbusybox:1.36\n"}
    script = b'mapfile -t L < images.txt\ndocker pull "${L[@]:1:1}" "${L[4]}"\n'
    found = parse_pull_script("scripts/pull.sh", script, files.get)
    assert [(c.text, c.path, c.line) for c, _ in found.candidates] == [
        ("ghcr.io/acme/api:1.0", "scripts/images.txt", 2),
        ("busybox:1.36", "scripts/images.txt", 5),
    ]
    assert found.warnings == ()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts/images.txt").write_bytes(files["scripts/images.txt"])
    (tmp_path / "scripts/pull.sh").write_bytes(b'cd "$(dirname "$0")"\n' + script)
    ran = images_used_by_a_run(tmp_path / "scripts/pull.sh", tmp_path / "run", {})
    assert ran == {"ghcr.io/acme/api:1.0", "busybox:1.36"}
    # A loop over them all keeps the list's convention: its comment lines are no images
    # (bash would pull `mirror.io/# Core`), and no warning.
    loop = b'mapfile -t L < images.txt\nfor i in "${L[@]}"; do docker pull "mirror.io/$i"; done\n'
    found = parse_pull_script("scripts/pull.sh", loop, files.get)
    assert [c.text for c, _ in found.candidates] == [
        "mirror.io/ghcr.io/acme/api:1.0",
        "mirror.io/busybox:1.36",
    ]
    assert found.warnings == ()


def test_mapfile_from_an_origin_keeps_the_elements_before_it() -> None:
    """`mapfile -O 1` puts the lines from index 1 on and clears nothing: the other
    elements were lost (the array was the lines alone, from index 0)."""
    source = (
        "A=(a/x:1 b/y:2 c/z:3)\nmapfile -t -O 1 A <<EOF\nd/w:4\nEOF\n"
        'docker pull "${A[@]}"\ndocker pull "e/${A[1]}"\n'
    )
    assert_as_bash(source, [(1, "a/x:1"), (1, "c/z:3"), (3, "d/w:4"), (3, "e/d/w:4")])


def test_reads_of_a_repository_list_take_its_comment_line_as_one(tmp_path: Path) -> None:
    """A `read` takes the list's first line, its comment too: the `read` after it takes
    the image (the comment was skipped, the first `read` took the image and the second
    nothing)."""
    files = {"scripts/images.txt": b"# Core\nghcr.io/acme/api:1.0\n"}
    script = b'{ read -r header; read -r first; } < images.txt\ndocker pull "$first"\n'
    found = parse_pull_script("scripts/pull.sh", script, files.get)
    assert [(c.text, c.path, c.line) for c, _ in found.candidates] == [
        ("ghcr.io/acme/api:1.0", "scripts/images.txt", 2)
    ]
    assert found.warnings == ()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts/images.txt").write_bytes(files["scripts/images.txt"])
    (tmp_path / "scripts/pull.sh").write_bytes(b'cd "$(dirname "$0")"\n' + script)
    ran = images_used_by_a_run(tmp_path / "scripts/pull.sh", tmp_path / "run", {})
    assert ran == {"ghcr.io/acme/api:1.0"}


# -- `$'\0'` ------------------------------------------------------------------------------

NUL_ESCAPES = r"""IMG=$'nginx:1.27\0ignored'
docker pull "$IMG"
docker pull "redis"$'\x00'":7.4"
docker pull $'alpine:3.20\c@x' "busybox:1.36"$'\u0000:2'
read -r -d $'\0' -a ARR <<EOF || true
postgres:16
mariadb:11 memcached:1.6
EOF
docker pull "${ARR[2]}"
"""


def test_a_nul_in_an_ansi_c_string_ends_it_as_bash_ends_it() -> None:
    """`$'...\\0...'` is its text up to the NUL (`\\0`, `\\x00`, `\\u0000`, `\\c@`): the
    escape's text was kept (`nginx:1.27\\0ignored` was no image, but a warning). `$'\\0'`
    is empty: `read -d $'\\0'` reads to the end."""
    assert_as_bash(
        NUL_ESCAPES,
        [
            (1, "nginx:1.27"),
            (3, "redis:7.4"),
            (4, "alpine:3.20"),
            (4, "busybox:1.36"),
            (7, "memcached:1.6"),
        ],
    )
