"""Hostile pull scripts: a few hundred bytes must not make the reader hang, grow or crash.

Each case is bounded by the reader's own limits (inventory/limits.py), so every
one ends with a warning that names the line, in far less time than the generous
ceiling here; the ceiling only catches a return of the old blow-ups.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from image_docs_audit.inventory import parse_pull_script, read_inventory
from image_docs_audit.inventory.limits import (
    MAX_CALL_DEPTH,
    MAX_CANDIDATES,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_SCRIPT_BYTES,
    MAX_SUBSTITUTION_DEPTH,
    MAX_TEXT,
)

CEILING_SECONDS = 20.0


def read(source: bytes) -> tuple[list[str], list[str]]:
    started = time.monotonic()
    found = read_inventory([("x.sh", source)])
    assert time.monotonic() - started < CEILING_SECONDS
    return [image.ref for image in found.images], [str(w) for w in found.warnings]


def test_hostile_comments_only_script_is_read_in_one_pass() -> None:
    images, warnings = read(b"# a comment line of a pull script\n" * 29_000)
    assert (images, warnings) == ([], [])


def test_hostile_doubling_a_value_stops_at_the_length_bound() -> None:
    source = b"A=x\n" + b'A="$A$A"\n' * 40 + b'docker pull "$A"\n'
    images, warnings = read(source)
    assert images == []
    # 2**12 > MAX_TEXT: the 13th doubling (line 14) is the first too long.
    too_long = f"grows past {MAX_TEXT} characters; its image is not audited"
    assert warnings == [f'x.sh:14: "$A$A" {too_long}']


def test_hostile_doubling_an_array_stops_at_the_element_bound() -> None:
    source = (
        b"IMAGES=(a/b:1)\n"
        + b'IMAGES+=("${IMAGES[@]}")\n' * 22
        + b'for i in "${IMAGES[@]}"; do docker pull "$i"; done\n'
    )
    images, warnings = read(source)
    assert images == ["a/b:1"]  # the same image, once
    bound = f"the array IMAGES has more than {MAX_ELEMENTS} elements; the rest are unread"
    assert warnings[0] == f"x.sh:15: {bound}"  # 2**14 > MAX_ELEMENTS
    assert all(w.endswith(bound) or "listed again" in w for w in warnings)


def test_hostile_nesting_is_cut_at_the_depth_bound() -> None:
    images, warnings = read(b"{ " * 1000 + b"docker pull a/b:1; " + b"}; " * 1000 + b"\n")
    assert images == []
    assert warnings == [
        f"x.sh:1: statements are nested more than {MAX_DEPTH} levels deep here; "
        "this part is not read"
    ]


def test_hostile_nested_defaults_are_cut_at_the_depth_bound() -> None:
    images, warnings = read(b'docker pull "' + b"${a:-" * 1000 + b"x" + b"}" * 1000 + b'"\n')
    assert images == []
    assert len(warnings) == 1
    too_deep = f"is nested more than {MAX_DEPTH} levels deep; its image is not audited"
    assert warnings[0].endswith(too_deep)


def test_hostile_subshell_nesting_does_not_crash() -> None:
    images, warnings = read(b"(" * 1000 + b"docker pull a/b:1" + b")" * 1000 + b"\n")
    assert images == []
    assert len(warnings) == 1
    assert "does not parse as bash" in warnings[0] or "nested more than" in warnings[0]


def test_hostile_brace_expansion_is_one_warning() -> None:
    images, warnings = read(b"for i in " + b"{a,b,c,d}" * 20 + b"; do docker pull x/$i; done\n")
    assert images == []
    assert len(warnings) == 1
    assert "stands for more than 1000 values; its images are not audited" in warnings[0]


def test_hostile_nested_loops_stop_at_the_bounds() -> None:
    loops = b"".join(b"for v%d in a b c d e f g h i j; do\n" % i for i in range(12))
    pull = b'docker pull "x/' + b"".join(b"$v%d" % i for i in range(12)) + b'"\n'
    images, warnings = read(loops + pull + b"done\n" * 12)
    assert len(images) <= MAX_CANDIDATES
    assert any("too large or intricate to read past this line" in w for w in warnings)


def test_hostile_exponential_function_calls_stop_at_the_step_budget() -> None:
    calls = b"".join(b"f%d() { f%d; f%d; }\n" % (i, i + 1, i + 1) for i in range(30))
    images, warnings = read(calls + b"f30() { docker pull a/b:1; }\nf0\n")
    assert images == ["a/b:1"]
    # At most the bounds on nested calls and images, and the step budget, speak.
    assert len(warnings) <= 3
    assert warnings[0] == (
        f"x.sh:{MAX_CALL_DEPTH}: function calls are nested more than {MAX_CALL_DEPTH} deep here;"
        f" this call of f{MAX_CALL_DEPTH} is not read, and the images it pulls are not audited"
    )


def test_hostile_huge_array_keeps_the_bound() -> None:
    elements = b"".join(b"  r/i%d:1\n" % i for i in range(MAX_ELEMENTS + 50))
    images, warnings = read(b"IMAGES=(\n" + elements + b")\n")
    assert len(images) == MAX_CANDIDATES
    assert warnings == [
        f"x.sh:1: the array IMAGES has more than {MAX_ELEMENTS} elements; the rest are unread",
        f"x.sh:{MAX_CANDIDATES + 2}: more than {MAX_CANDIDATES} images in one script; "
        "the rest are not read",
    ]


def test_hostile_oversized_script_is_refused_with_a_warning() -> None:
    images, warnings = read(b"docker pull a/b:1\n" + b"#" * MAX_SCRIPT_BYTES)
    assert images == []
    assert warnings == [
        f"x.sh:1: the pull script is larger than {MAX_SCRIPT_BYTES >> 20} MiB and is not read; "
        "a pull script lists images: keep long data out of it"
    ]


@pytest.mark.parametrize(
    "source",
    [
        b"for i in {1..999999999}; do docker pull x:$i; done\n",
        b'docker pull "${X/' + b"*" * 5000 + b'/y}"\n',
        b"X=" + b"a" * 100_000 + b"\ndocker pull ${X#" + b"*a" * 200 + b"}\n",
        b"declare -A T=("
        + b"[k]=v " * 5000
        + b')\nfor k in "${!T[@]}"; do docker pull ${T[$k]}; done\n',
        b"f() { f; }\nf\n",
        b"cat > l <<EOF\n" + b"a/b:1\n" * 50_000 + b"EOF\nxargs docker pull < l\n",
    ],
)
def test_hostile_shapes_end_quickly_without_an_exception(source: bytes) -> None:
    read(source)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"I=reg.io/team/app:1\ndocker pull x/${I##*/}\n", ["x/app:1"]),
        (b"I=reg.io/team/app:1\ndocker pull ${I%:*}:2\n", ["reg.io/team/app:2"]),
        (b"I=reg.io/team/app:1\ndocker pull ${I%%/*}/y/z:1\n", ["reg.io/y/z:1"]),
        (b"I=reg.io/team/app:1\ndocker pull mirror/${I#*/}\n", ["mirror/team/app:1"]),
    ],
)
def test_trims_of_a_value_follow_bash(source: bytes, expected: list[str]) -> None:
    assert read(source)[0] == expected


def test_hostile_trim_pattern_is_linear() -> None:
    value = b"a" * 4000
    images, warnings = read(b"X=" + value + b"\ndocker pull x/${X#" + b"*a" * 120 + b"b}\n")
    # No match: the value stays whole, 4,002 characters, longer than any reference.
    assert images == []
    assert warnings == [
        f"x.sh:2: 'x/{'a' * 75}...' is not an image reference: it is longer than 360 characters"
    ]


def test_hostile_trims_in_a_loop_spend_the_budget_by_their_work() -> None:
    """Each trim of a 4,000-character value by `*a*a...*b` steps on a million positions of
    the pattern's automaton: a thousand of them in a loop took minutes when each was
    charged one step. Charged by its work, the budget stops the loop after a few."""
    value = b"a" * 4000
    trim = b'Y="${X##' + b"*a" * 120 + b'b}"\n'
    source = b"X=" + value + b"\nfor i in {1..1000}; do\n  " + trim + b"done\ndocker pull a/b:1\n"
    started = time.monotonic()
    images, warnings = read(source)
    assert time.monotonic() - started < CEILING_SECONDS
    assert images == []
    assert warnings == [f"x.sh:3: {TOO_INTRICATE}"]


def test_hostile_xargs_reading_a_long_quoted_line_again_and_again_spends_the_budget() -> None:
    """xargs reads a line with quotes character by character: a list of one line of
    800,000 characters, read by an xargs at each of 300 calls of a function, is charged by
    its length at each (charged a step a line, it took 0.4 s a call), and the budget stops
    it."""
    files = {"list.txt": b"'a' " * 200_000 + b"\n"}
    source = b"f() { xargs -n1 docker pull < list.txt; }\n" + b"f\n" * 300
    started = time.monotonic()
    found = parse_pull_script("x.sh", source + b"docker pull a/c:2\n", files.get)
    assert time.monotonic() - started < CEILING_SECONDS
    assert [str(w) for w in found.warnings] == [f"x.sh:1: {TOO_INTRICATE}"]


def test_hostile_eval_of_eval_is_bounded() -> None:
    """eval reads its words again as a script: `eval eval ... eval` would be read once per
    level, each time almost whole. A command longer than MAX_TEXT is not read; nesting
    stops at MAX_DEPTH."""
    images, warnings = read(b"eval " * 200_000 + b"docker pull example/app:1\n")
    assert images == []
    assert warnings == [
        f"x.sh:1: {ARGUMENTS} (the images they name are not audited)",
        "x.sh:1: cannot know the command eval runs (too long); the images it uses are not "
        "audited (write the command itself instead)",
    ]
    images, warnings = read(b"eval " * 100 + b"docker pull example/app:1\n")
    assert images == []
    assert len(warnings) == 1 and "nested more than" in warnings[0]
    images, warnings = read(b'eval "$FROM_THE_ENVIRONMENT"\neval docker pull example/app:1\n')
    assert images == ["example/app:1"]
    assert warnings == [
        "x.sh:1: cannot know the command eval runs without running the script; the images it "
        "uses are not audited (write the command itself instead)"
    ]


def test_a_function_that_runs_its_arguments_runs_the_call() -> None:
    source = (
        b'retry() { "$@" || "$@"; }\n'
        b'second_on() { "${@:2}"; }\n'
        b"retry docker pull example/app:1\n"
        b"second_on ignored podman pull example/db:2\n"
        b'"$@"\n'  # the script's own arguments: nothing to know
    )
    assert read(source) == (["example/app:1", "example/db:2"], [])


def test_hostile_pattern_substitution_stops_at_the_length_bound() -> None:
    source = b"A=" + b"," * 4000 + b"\nB=${A//,/" + b"y" * 100 + b"}\ndocker pull $B\n"
    images, warnings = read(source)
    assert images == []
    assert len(warnings) == 1
    assert warnings[0].startswith("x.sh:2: ${A//,/yyy") and f"grows past {MAX_TEXT}" in warnings[0]


def test_read_into_an_array_splits_at_its_own_separators() -> None:
    source = (
        b'IFS=, read -ra A <<< "example/a:1,example/b:2"\n'
        b'read -raB <<< "example/c:3 example/d:4"\n'  # IFS was the first read's only
        b"read -a C\n"  # nothing to read: a warning where it is used
        b'docker pull "${A[1]}"\n'
        b'docker pull "${B[0]}"\n'
        b'docker pull "${C[0]}"\n'
    )
    images, warnings = read(source)
    assert images == ["example/b:2", "example/c:3"]
    assert len(warnings) == 1 and warnings[0].startswith("x.sh:3: ") and "read -a C" in warnings[0]


def test_hostile_scripts_run_far_down_a_long_script_cost_their_own_length() -> None:
    # `sh -c` and `eval` read their text as a script at their own line. Read after
    # three million blank lines written out each time, these 2,000 took minutes (a
    # script is at most a MiB: here, 950,000 lines).
    pulls = b"".join(
        b"sh -c 'docker pull a:%d'\neval docker pull b:%d\n" % (n, n) for n in range(1000)
    )
    images, warnings = read(b"\n" * 950_000 + pulls)
    assert images == [f"{name}:{n}" for n in range(1000) for name in "ab"]
    assert warnings == []


def test_hostile_sourcing_a_large_file_in_a_loop_spends_the_budget() -> None:
    files = {"big.sh": b"# a comment line of a sourced file\n" * 25_000}
    started = time.monotonic()
    source = b"f() { source big.sh; }\n" + b"f\n" * 3_000
    found = parse_pull_script("x.sh", source, files.get)
    assert time.monotonic() - started < CEILING_SECONDS
    assert [str(w) for w in found.warnings] == [
        "x.sh:1: the pull script is too large or intricate to read past this line; images "
        "after it may be missed (split it into smaller scripts)"
    ]


def test_hostile_querying_a_large_json_file_again_and_again_spends_the_budget() -> None:
    # The file is parsed once; each query walks it, and the walks count against the budget.
    big = ('{"a": [' + ", ".join(f'"img{n}:1"' for n in range(9_000)) + "]}").encode()
    source = b"f() { docker pull $(jq -r '.a[]' big.json); }\n" + b"f\n" * 3_000
    started = time.monotonic()
    found = parse_pull_script("x.sh", source, {"big.json": big}.get)
    assert time.monotonic() - started < CEILING_SECONDS
    assert {(c.path, c.line) for c, _ in found.candidates} == {("big.json", 1)}
    assert (
        "x.sh:1: the pull script is too large or intricate to read past this line; images "
        "after it may be missed (split it into smaller scripts)"
    ) in [str(w) for w in found.warnings]


def test_hostile_blank_runs_after_a_for_name_are_read_in_linear_time() -> None:
    # The POSIX `for name do` rewrite looks for `do` after the blanks: a run of them with
    # no `do`, on many lines, must not be scanned again and again.
    line = b"for image" + b" " * 20_000 + b"x\n"
    images, _ = read(line * 40 + b"for i do docker pull a/b:1; done\n")
    assert images == ["a/b:1"]


def test_hostile_nested_loops_filling_an_array_with_a_counter_stop_at_the_bounds() -> None:
    """2^30 passes that each add an element under a new index: the array stops at its
    bound (appending costs each element once, not a copy of the array) and the reading at
    the step budget (each arithmetic expression counts)."""
    loops = b"for i in 1 2; do\n" * 30
    body = b'LIST[$n]="a/b:$i"\n((n++))\n'
    images, warnings = read(
        b"n=0\n" + loops + body + b"done\n" * 30 + b'docker pull "${LIST[@]}"\n'
    )
    assert len(images) <= MAX_CANDIDATES
    assert any(f"has more than {MAX_ELEMENTS} elements" in w for w in warnings)
    assert any("too large or intricate to read past this line" in w for w in warnings)


@pytest.mark.parametrize("opening", [b"$(", b"$["])
def test_hostile_openings_that_never_close_are_read_in_bounded_time(opening: bytes) -> None:
    """Half a megabyte of `$(` or `$[` takes tree-sitter-bash (and a query over its tree)
    the square of its length: the parse stops at a bound, the commands are found by one
    walk, and the script gets its parse warning."""
    images, warnings = read(b"docker pull a/b:1\n" + opening * 250_000 + b"\n")
    assert images == ["a/b:1"]
    assert len(warnings) == 1
    assert "does not parse as bash" in warnings[0]


def test_hostile_pull_of_a_growing_array_at_every_pass_stops_at_the_budget() -> None:
    loops = b"for i in 1 2; do\n" * 20
    body = b'LIST[$n]="a/b:$n"\n((n++))\ndocker pull "${LIST[@]}"\n'
    images, warnings = read(b"n=0\n" + loops + body + b"done\n" * 20)
    assert len(images) <= MAX_CANDIDATES
    assert any("too large or intricate to read past this line" in w for w in warnings)


@pytest.mark.parametrize("operator", [b"&&", b"||"])
def test_hostile_chain_of_thousands_of_operators_is_cut_at_the_depth_bound(operator: bytes) -> None:
    """`a && b && ...` nests a list in a list per operator: 600 of them (5 KB) were a
    RecursionError, an internal error, before the depth bound was even looked at."""
    chain = b"true " + (operator + b" true ") * 3000 + operator + b" docker pull example/c-d:1\n"
    images, warnings = read(b"docker pull example/a-b:1\n" + chain)
    assert images == ["example/a-b:1", "example/c-d:1"]
    assert warnings == [
        f"x.sh:2: statements are nested more than {MAX_DEPTH} levels deep here; "
        "this part is not read"
    ]


def test_a_function_that_calls_itself_with_other_arguments_is_read_for_each() -> None:
    """`docker pull "$1"; shift; pull_all "$@"`: the calls after the first were not read,
    their images lost without a word. The same call in itself is read once."""
    source = (
        b'pull_all() {\n  [ $# -eq 0 ] && return\n  docker pull "$1"\n  shift\n  pull_all "$@"\n}\n'
        b"pull_all example/one:1 example/two:1 example/three:1\n"
        b"again() { docker pull example/four:1; again; }\nagain\n"
    )
    images, warnings = read(source)
    assert images == ["example/one:1", "example/two:1", "example/three:1", "example/four:1"]
    assert warnings == []


@pytest.mark.parametrize("nesting", [MAX_SUBSTITUTION_DEPTH + 1, 300, 30_000])
def test_hostile_nested_substitutions_are_cut_at_their_depth_bound(nesting: int) -> None:
    """Each `$(...)` is read for what it prints and for what it runs, so each level read the
    ones inside it twice: 300 levels (3 KB) spent the whole step budget, 100,000 (1 MB) took
    minutes. Past the bound, what is inside is not read, with a warning."""
    value = b'"$(echo ' * nesting + b"example/c-d:2" + b')"' * nesting
    images, warnings = read(b"docker pull example/a-b:1\nX=" + value + b'\ndocker pull "$X"\n')
    assert images == ["example/a-b:1"]
    assert warnings[0] == (
        f"x.sh:2: command substitutions are nested more than {MAX_SUBSTITUTION_DEPTH} deep"
        " here; what they run and print is not read, and the images they use are not audited"
    )
    assert warnings[1].startswith('x.sh:2: cannot know the value of $(echo "$(echo "$(echo')
    assert len(warnings) == 2


def test_substitutions_nested_to_the_bound_are_read() -> None:
    nesting = MAX_SUBSTITUTION_DEPTH
    value = b'"$(echo ' * nesting + b"example/c-d:2" + b')"' * nesting
    images, warnings = read(b"X=" + value + b'\ndocker pull "$X"\n')
    assert (images, warnings) == (["example/c-d:2"], [])


ARGUMENTS = f"more than {MAX_ELEMENTS:,} arguments: the ones after them are not read"


@pytest.mark.parametrize(
    "source",
    [
        # a call of itself with its arguments four times over: 4**depth arguments
        b'f(){ f "$@" "$@" "$@" "$@"; }\nf x:1\ndocker pull nginx:1.25\n',
        # a chain of functions under the call depth bound, each giving the next 4x
        b"".join(b'f%d(){ f%d "$@" "$@" "$@" "$@"; }\n' % (i, i + 1) for i in range(10))
        + b"f10(){ :; }\nf0 x\ndocker pull nginx:1.25\n",
        # the script's own arguments doubled line after line
        b"set -- a:1 b:2\n" + b'set -- "$@" "$@"\n' * 22 + b"docker pull nginx:1.25\n",
    ],
)
def test_hostile_arguments_doubled_stop_at_the_element_bound(source: bytes) -> None:
    """`"$@"` was copied with no bound and no step: 2 lines took 20 GB (or a MemoryError)."""
    images, warnings = read(source)
    assert images == ["nginx:1.25"]
    assert any(ARGUMENTS in warning for warning in warnings), warnings


def _array(count: int, text: str = "x{i}") -> bytes:
    return ("A=(" + " ".join(text.format(i=i) for i in range(count)) + ")\n").encode()


@pytest.mark.parametrize(
    "body",
    [
        b': "${A[@]}"',
        b': "p${A[@]}s"',
        b': "${A[@]^^}"',
        b": ${A[@]}",
        b'printf -v V "%s:1" "${A[@]}"',
        b': "${!A[@]}"',
    ],
)
def test_hostile_an_array_expanded_in_nested_loops_spends_the_budget(body: bytes) -> None:
    """Each value of a word is a step: 1,000 x 1,000 expansions of 1,000 values took
    minutes, one `"${A[@]}"` costing no more than a word."""
    loops = b'for a in "${A[@]}"; do for b in "${A[@]}"; do %s; done; done\n' % body
    images, warnings = read(_array(1000) + loops + b"docker pull nginx:1.25\n")
    assert images == []  # the pull after the loops is past the budget
    assert any("too large or intricate to read past this line" in w for w in warnings)


def test_hostile_a_heredoc_printed_by_the_hundred_spends_the_budget() -> None:
    """Each heredoc line read is a step: 400 calls of a function printing 10,000 lines."""
    lines = "".join(f"img{i}:1\n" for i in range(10_000))
    source = f"f(){{ cat <<'EOF'\n{lines}EOF\n}}\n" + "X=$(f)\n" * 400
    images, warnings = read(source.encode())
    assert any("too large or intricate to read past this line" in w for w in warnings)
    assert len(images) <= MAX_CANDIDATES


def test_hostile_long_texts_stored_spend_the_budget_by_their_length() -> None:
    """Arrays of 10,000 texts of 4 KB: each stored copy held 40 MB, and 40 of them a GB."""
    grow = b'A+=("${A[@]/#/y}")\n' * 14
    copies = b"".join(b'B%d=("${A[@]/#/z%d}")\n' % (i, i) for i in range(40))
    source = b"X=" + b"a" * 4000 + b'\nA=("$X")\n' + grow + copies + b"docker pull redis:7\n"
    images, warnings = read(source)
    assert images == []
    assert any("too large or intricate to read past this line" in w for w in warnings)


def test_hostile_a_parse_cut_short_still_reads_its_nodes_text() -> None:
    # 29 bytes that make tree-sitter-bash go back and forth past the parse bound: the
    # nodes' text read after it went through the exhausted bound, read empty, and
    # tree-sitter read again forever. Run apart: a hang must fail, not stop the suite.
    source = b"docker pull a/b:1\n<<g ${A($]!$#(|b) -l;-A[k]=\\\n"
    done = subprocess.run(
        [sys.executable, "-c", _READ_STDIN],
        input=source,
        capture_output=True,
        timeout=CEILING_SECONDS * 3,
        check=True,
    )
    assert done.stdout.decode().splitlines() == [
        "a/b:1",
        "x.sh:2: the pull script does not parse as bash here; images after this line may be "
        "missed (check it with `bash -n`)",
    ]


_READ_STDIN = (
    "import sys\n"
    "from image_docs_audit.inventory import read_inventory\n"
    "found = read_inventory([('x.sh', sys.stdin.buffer.read())])\n"
    "print(*[i.ref for i in found.images], *[str(w) for w in found.warnings], sep='\\n')\n"
)


TOO_INTRICATE = (
    "the pull script is too large or intricate to read past this line; images after it "
    "may be missed (split it into smaller scripts)"
)


@pytest.mark.parametrize(
    "doubling",
    [b"A=$A$A\n", b"A+=$A\n", b'M[k]="${M[k]}${M[k]}"\n'],
    ids=["concatenation", "appending", "an-element"],
)
def test_hostile_doubling_a_value_not_known_is_bounded(doubling: bytes) -> None:
    # Each doubling doubled where the value's pieces not known stand (`Unknown.gaps`): 34
    # lines (270 bytes) held 24 GB. Past MAX_GAPS pieces nothing of it is known.
    start = b"declare -A M\nM[k]=$(whoami)\nA=$(whoami)\n"
    images, warnings = read(start + doubling * 40 + b'docker pull "$A" "${M[k]}" a/b:1\n')
    assert images == ["a/b:1"]
    assert sorted(warnings) == [
        f"x.sh:{line}: cannot know the value of $(whoami) without running the script; the "
        "image is not audited (set the variable in the script or list the image literally)"
        for line in (2, 3)
    ]


def test_hostile_nested_loops_over_a_long_list_spend_the_budget() -> None:
    """Each pass of the outer loop walks the inner loop's 3,000 words again (9 million in
    all: 29 s, and no warning); each word walked is a step of the budget."""
    words = b" ".join(b"w%d" % n for n in range(3_000))
    source = b'L="' + words + b'"\ndocker pull a/b:1\n'
    source += b"for i in $L; do for j in $L; do :; done; done\ndocker pull a/c:2\n"
    images, warnings = read(source)
    assert images == ["a/b:1"]
    assert warnings == [f"x.sh:3: {TOO_INTRICATE}"]


@pytest.mark.parametrize(
    "command",
    [b"grep '%s' images.txt", b"grep -o '%s' images.txt", b"awk '/%s/ {print $1}' images.txt"],
    ids=["grep", "grep-o", "awk"],
)
def test_hostile_grep_pattern_of_runs_over_a_long_line_spends_the_budget(command: bytes) -> None:
    """`a*a*...a*b` keeps a live position for each run at each character: each run
    walked on to the next at each one, 1,000 of them over a line of 100,000 `a` did not
    end; each position stepped on is now charged to the budget."""
    pattern = b"a*" * 1000 + b"b"
    source = b"docker pull a/b:1\nfor i in $(" + command % pattern + b"); do docker pull $i; done\n"
    files = {"images.txt": b"a" * 100_000 + b"\nx/y:1\n"}
    started = time.monotonic()
    found = parse_pull_script("x.sh", source + b"docker pull a/c:2\n", files.get)
    assert time.monotonic() - started < CEILING_SECONDS
    assert [c.text for c, _ in found.candidates] == ["a/b:1"]
    assert [str(w) for w in found.warnings] == [f"x.sh:2: {TOO_INTRICATE}"]


def test_hostile_grep_of_a_long_list_at_every_pass_spends_the_budget() -> None:
    """A list read once is walked at each use: 10,000 passes of a grep over 4,000 lines
    took 25 s. Each line walked is a step."""
    files = {"images.txt": b"".join(b"r/i%d:1\n" % n for n in range(4000))}
    source = b"for ((n=0; n<10000; n++)); do X=$(grep -v '^#' images.txt); done\n"
    started = time.monotonic()
    found = parse_pull_script("x.sh", source + b"docker pull a/c:2\n", files.get)
    assert time.monotonic() - started < CEILING_SECONDS / 2
    assert not found.candidates
    assert [str(w) for w in found.warnings] == [f"x.sh:1: {TOO_INTRICATE}"]


def test_hostile_command_of_half_a_million_words_reads_its_first_ones() -> None:
    """Each word of a command was walked several times before the first step: 2 MB of
    `echo x x x ...` took 9 s and 660 MB. Past MAX_ELEMENTS words, the rest are unread."""
    images, warnings = read(b"echo a " + b"x " * 500_000 + b"\ndocker pull a/b:1\n")
    assert images == ["a/b:1"]
    assert warnings == [f"x.sh:1: {ARGUMENTS} (the images they name are not audited)"]


@pytest.mark.parametrize(
    "line",
    [b"a" * 1_000_000, b"$i" * 500_000],
    ids=["quoted-megabyte", "half-a-million-expansions"],
)
def test_hostile_a_heredoc_line_of_megabytes_printed_in_a_loop_spends_the_budget(
    line: bytes,
) -> None:
    """A step a heredoc line: one line of 3 MB printed 10,000 times took 55 s, one of a
    million `$i` (each expanded, at each call) did not end. Each 256 characters are a
    step too, and a line longer than MAX_TEXT is not expanded. (A script is at most a
    MiB: these lines are a megabyte.)"""
    source = b"f(){\ncat <<EOF\n" + line + b"\nEOF\n}\ndocker pull a/b:1\n"
    images, warnings = read(source + b"for ((i=0;i<10000;i++)); do f; done\ndocker pull a/c:2\n")
    assert images == ["a/b:1"]
    assert warnings == [f"x.sh:2: {TOO_INTRICATE}"]


def test_hostile_quotes_nested_in_sh_c_are_read_in_linear_time() -> None:
    """Each level of `sh -c '...'` writes the quotes inside as `'\\''`: 12 levels make one
    word of 800 KB in 177,000 pieces, and each piece copied the word read so far (95 s)."""
    text = b"docker pull a/b:1"
    for _ in range(12):
        text = b"docker run alpine:3 sh -c '" + text.replace(b"'", b"'\\''") + b"'"
    images, warnings = read(text + b"\n")
    assert images == ["alpine:3"]
    assert warnings == [
        "x.sh:1: cannot know the command sh -c runs without running the script; the images it "
        "uses are not audited (list the images in an array and loop over it)"
    ]


_LOOP = b"cat <<EOF | while read -r i; do"
# Each with the images read: where the loops are not written anew, none, and the warning.
HEREDOCS_READ_FIRST = {
    "thousands": ((_LOOP + b'\na/b:1\nEOF\n  docker pull "$i"\ndone\n') * 6_000, ["a/b:1"]),
    "nested": (
        (_LOOP + b"\na/b:1\nEOF\n") * 6_000 + b'docker pull "$i"\n' + b"done\n" * 6_000,
        [],
    ),
    "never-ended": ((_LOOP + b"\na/b:1\n") * 8_000, []),
    "one-line": ((_LOOP + b" ") * 10_000 + b"\na/b:1\nEOF\ndone\n", []),
}


@pytest.mark.parametrize(
    ("source", "expected"), HEREDOCS_READ_FIRST.values(), ids=HEREDOCS_READ_FIRST.keys()
)
def test_hostile_heredocs_read_before_their_loops_are_written_anew_in_bounded_time(
    source: bytes, expected: list[str]
) -> None:
    """Each heredoc that bash reads before its loop's body is written as bash reads it by
    one walk of the tree, a few parses in all: a loop nested thousands deep, or never
    ended, keeps the parse warning at its start."""
    images, warnings = read(source)
    assert images == expected
    assert expected or any("does not parse as bash" in warning for warning in warnings)


def test_hostile_reads_of_one_heredoc_are_charged_by_the_lines_left() -> None:
    """Each `read` goes over the lines its input has left: 10,000 of them over a heredoc
    of 10,000 lines took 41 s; they stop at the budget, with a warning. A script's few
    reads of a long list are read."""
    body = b"".join(b"example/app%d:1\n" % i for i in range(10_000))
    reads = b"".join(b"  read -r v%d\n" % (i % 50) for i in range(10_000))
    images, warnings = read(b"{\n" + reads + b'  docker pull "$v1"\n} <<EOF\n' + body + b"EOF\n")
    assert images == []
    assert any("too large or intricate to read past this line" in w for w in warnings)
    few = b"".join(b"  read -r v%d\n" % i for i in range(3))
    images, warnings = read(
        b"{\n" + few + b'  docker pull "$v0" "$v2"\n} <<EOF\n' + body + b"EOF\n"
    )
    assert (images, warnings) == (["example/app0:1", "example/app2:1"], [])
