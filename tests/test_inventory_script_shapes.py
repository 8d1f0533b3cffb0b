"""Shapes of pull scripts read as bash runs them: arrays built from a variable of several
values, `read -a` in a loop, heredocs and printed lists fed to loops.

Each script is also run by bash (with the arguments that take each branch), with `docker`
a function that prints the images it is given: the inventory holds exactly the images
bash pulls over those runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from image_docs_audit.inventory import build_inventory, parse_pull_script, pullscript
from image_docs_audit.inventory.limits import MAX_ELEMENTS, MAX_STEPS, Budget
from test_inventory_bash_idioms import pulled_by_bash as bash_pulls

Row = tuple[str, str]  # (path:line, image)


def _repository(tmp_path: Path, script: str, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    for path, content in {"pull.sh": script, **files}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(content)
    return root


def inventory_of(root: Path) -> tuple[list[Row], list[str]]:
    def read_file(path: str) -> bytes | None:
        found = root / path
        return found.read_bytes() if found.is_file() else None

    script = parse_pull_script("pull.sh", (root / "pull.sh").read_bytes(), read_file)
    found = build_inventory([script])
    return [(str(i.source), i.ref) for i in found.images], [str(w) for w in found.warnings]


def pulled_by_bash(root: Path, runs: Sequence[Sequence[str]] = ((),)) -> set[str]:
    """The images bash pulls running the script in `root` once per argument list."""
    script = (root / "pull.sh").read_text()
    return {image for args in runs for image in bash_pulls(script, args, cwd=root)}


def assert_as_bash(
    tmp_path: Path,
    script: str,
    expected: list[Row],
    files: dict[str, str] | None = None,
    runs: Sequence[Sequence[str]] = ((),),
) -> None:
    root = _repository(tmp_path, script, files or {})
    assert inventory_of(root) == (expected, [])
    assert pulled_by_bash(root, runs) == {image for _, image in expected}


def spent_reading(
    tmp_path: Path, script: str, files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Row], list[str], int]:
    """The inventory, and the steps of the budget its reading took."""
    spent = [0]

    class Counted(Budget):
        def step(self, count: int = 1) -> None:
            spent[0] += count
            super().step(count)

    monkeypatch.setattr(pullscript, "Budget", Counted)
    images, warnings = inventory_of(_repository(tmp_path, script, files))
    return images, warnings, spent[0]


# -- an array built from a variable of several values -----------------------------------

CHOSEN = """\
case "$1" in
  prod) X=example/one:1 ;;
  *) X=example/two:2 ;;
esac
B=("$X" example/side:1)
docker pull "${B[1]}"
C=($X example/other:1)
docker pull "${C[1]}"
"""


def test_a_quoted_variable_of_two_values_is_one_element(tmp_path: Path) -> None:
    # `"$X"` is one word whichever value X holds: `${B[1]}` is the word after it. Read as
    # two elements, `${B[1]}` was X's second value and example/side:1 was missed.
    assert_as_bash(
        tmp_path,
        CHOSEN,
        [("pull.sh:5", "example/side:1"), ("pull.sh:7", "example/other:1")],
        runs=[["prod"], []],
    )


LOCALS = """\
pick() {
  local X
  if [ -n "$1" ]; then X=example/one:1; else X=example/two:2; fi
  local -a B=("$X" example/local:1)
  docker pull "${B[1]}" "${B[0]}"
  declare -a C=("$X" example/declared:1)
  docker pull "${C[1]}"
  D=()
  D+=("$X" example/appended:1)
  docker pull "${D[1]}"
}
pick "$1"
"""


def test_elements_of_local_declared_and_appended_arrays(tmp_path: Path) -> None:
    assert_as_bash(
        tmp_path,
        LOCALS,
        [
            ("pull.sh:3", "example/one:1"),
            ("pull.sh:3", "example/two:2"),
            ("pull.sh:4", "example/local:1"),
            ("pull.sh:6", "example/declared:1"),
            ("pull.sh:9", "example/appended:1"),
        ],
        runs=[["x"], []],
    )


SPLIT = """\
case "$1" in
  prod) IMG=example/one:1; PAIR="example/p:1 example/q:1" ;;
  *) IMG=example/two:2; PAIR="example/r:2 example/s:2" ;;
esac
B=("${IMG%%:*}" example/side:1 "$IMG")
docker pull "${B[1]}" "${B[2]}"
C=(${IMG%%:*}:latest example/other:1)
docker pull "${C[1]}" "${C[0]}"
D=($PAIR example/last:1)
docker pull "${D[1]}" "${D[2]}"
"""


def test_unquoted_values_that_split_alike_are_elements_by_position(tmp_path: Path) -> None:
    # Each value of PAIR is two words: D[1] is the second word of either, D[2] the word
    # after them. A trim's `*` is a pattern, not a glob: `${IMG%%:*}` is one word.
    assert_as_bash(
        tmp_path,
        SPLIT,
        [
            ("pull.sh:2", "example/one:1"),
            ("pull.sh:2", "example/one:latest"),
            ("pull.sh:2", "example/q:1"),
            ("pull.sh:3", "example/two:2"),
            ("pull.sh:3", "example/two:latest"),
            ("pull.sh:3", "example/s:2"),
            ("pull.sh:5", "example/side:1"),
            ("pull.sh:7", "example/other:1"),
            ("pull.sh:9", "example/last:1"),
        ],
        runs=[["prod"], []],
    )


def test_hostile_an_array_of_words_of_a_thousand_values_spends_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each word of a thousand values is placed (and split) value by value: 20,000 of them
    in one array took a minute; charged by their values, they stop at the budget."""
    for word in ('"$X" ', "$X "):
        script = (
            "for X in example/a{0..999}:1; do :; done\n"
            f"B=({word * 20_000})\n"
            'docker pull "${B[1]}"\n'
        )
        images, warnings, spent = spent_reading(tmp_path / word[0], script, {}, monkeypatch)
        assert images == []
        assert warnings == [
            "pull.sh:2: the pull script is too large or intricate to read past this line; "
            "images after it may be missed (split it into smaller scripts)"
        ]
        assert spent > MAX_STEPS


# -- `read -a` in a loop ----------------------------------------------------------------

ROWS = "example/nginx 1.27\nexample/redis 7 alpine\n"


@pytest.mark.parametrize(
    "loop",
    [
        'while read -r -a ROW; do docker pull "${ROW[0]}:${ROW[1]}"; done < images.txt',
        'while read -ra ROW; do docker pull "${ROW[0]}:${ROW[1]}"; done < "images.txt"',
        'while read -raROW; do docker pull "${ROW[0]}:${ROW[1]}"; done\\\n'
        "  < <(grep -v '^#' images.txt)",
    ],
)
def test_read_a_in_a_loop_fills_the_array_from_each_line(tmp_path: Path, loop: str) -> None:
    # The array was not set (a warning), or `-ra ROW` set ROW to the whole line.
    assert_as_bash(
        tmp_path,
        f'cd "$(dirname "$0")"\n{loop}\n',
        [("images.txt:1", "example/nginx:1.27"), ("images.txt:2", "example/redis:7")],
        {"images.txt": ROWS},
    )


FIELDS = """\
while IFS=, read -r -a ROW; do
  docker pull "${ROW[0]}:${ROW[2]}"
done <<EOF
example/nginx,,1.27
example/redis,x,7
EOF
while read -ra ROW; do for i in "${ROW[@]}"; do docker pull "$i"; done; done \\
  <<< "example/a:1 example/b:2"
IFS=, read -ra ONE <<< "example/c:1,,example/d:1"
docker pull "${ONE[2]}"
"""


def test_read_a_keeps_empty_fields_between_separators(tmp_path: Path) -> None:
    # `a,,b` under `IFS=,` is three fields, as bash splits it: the third was the second.
    assert_as_bash(
        tmp_path,
        FIELDS,
        [
            ("pull.sh:4", "example/nginx:1.27"),
            ("pull.sh:5", "example/redis:7"),
            ("pull.sh:7", "example/a:1"),
            ("pull.sh:7", "example/b:2"),
            ("pull.sh:10", "example/d:1"),
        ],
    )


def test_read_a_of_an_input_not_known_warns(tmp_path: Path) -> None:
    script = (
        'while read -ra ROW; do docker pull "${ROW[1]}"; done '
        "< <(curl -s https://example.com/list)\n"
    )
    images, warnings = inventory_of(_repository(tmp_path, script, {}))
    assert images == []
    assert warnings == [
        "pull.sh:1: cannot know the value of <(curl -s https://example.com/list) without "
        "running the script; the image is not audited (set the variable in the script or "
        "list the image literally)"
    ]


def test_read_to_a_nul_of_a_file_runs_no_pass(tmp_path: Path) -> None:
    # A list holds no NUL: `read -d ''` reads it whole and fails, and bash pulls nothing.
    script = (
        "while read -r -d '' -a ARR; do docker pull \"${ARR[1]}\"; done < images.txt\n"
        "while IFS= read -r -d '' x; do docker pull \"$x\"; done <<EOF\nexample/x:1\nEOF\n"
        "printf '%s\\0' example/y:1 | while IFS= read -r -d '' y; do docker pull \"$y\"; done\n"
    )
    root = _repository(tmp_path, script, {"images.txt": ROWS})
    no_pass = (
        "`read -d ''` reads up to a NUL, which a file, a heredoc or a herestring holds none "
        "of: it reads all of it at once and fails at its end, so the loop runs no pass, as in "
        "bash (write `while read -r x` to read its lines)"
    )
    assert inventory_of(root) == (
        [("pull.sh:5", "example/y:1")],
        [f"pull.sh:1: {no_pass}", f"pull.sh:2: {no_pass}"],
    )
    assert pulled_by_bash(root) == {"example/y:1"}


def test_hostile_a_line_of_100000_fields_stops_at_the_element_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = 'while read -ra R; do docker pull "${R[@]}"; done < big.txt\n'
    files = {"big.txt": "example/a:1 " * 100_000 + "\n"}
    images, warnings, spent = spent_reading(tmp_path, script, files, monkeypatch)
    assert images[0] == ("big.txt:1", "example/a:1")
    bound = f"pull.sh:1: the array R has more than {MAX_ELEMENTS} elements; the rest are unread"
    assert warnings[0] == bound
    assert spent < MAX_STEPS // 4


def test_hostile_reads_of_a_long_line_in_a_loop_spend_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each read walks its line's characters: a line of a MiB read a thousand times is
    charged by its length, and the budget stops it."""
    script = (
        "for i in {1..1000}; do\n"
        '  while read -ra R; do docker pull "${R[0]}"; done < big.txt\n'
        "done\n"
        "docker pull example/after:1\n"
    )
    files = {"big.txt": "example/a:1 " * 40_000 + "\n"}
    images, warnings, spent = spent_reading(tmp_path, script, files, monkeypatch)
    assert ("pull.sh:4", "example/after:1") not in images
    assert warnings[-1] == (
        "pull.sh:2: the pull script is too large or intricate to read past this line; "
        "images after it may be missed (split it into smaller scripts)"
    )
    assert spent > MAX_STEPS


# -- heredocs bash reads before the rest of their statement -------------------------------

REDIRECTED = """\
cat 2>/dev/null <<EOF | while read -r img; do
example/redirected:1
EOF
  docker pull "$img"
done
grep -v '^#' 2>/dev/null <<'EOF' | while read -r img; do
# a comment
example/grepped:1
EOF
  docker pull "$img"
done
docker pull example/after:1
"""


def test_a_heredoc_after_a_redirect_feeds_its_loop(tmp_path: Path) -> None:
    # A redirect between the command and `<<` kept the heredoc's lines as the loop's
    # commands: a parse warning, and every image after it missed.
    assert_as_bash(
        tmp_path,
        REDIRECTED,
        [
            ("pull.sh:2", "example/redirected:1"),
            ("pull.sh:8", "example/grepped:1"),
            ("pull.sh:12", "example/after:1"),
        ],
    )


TESTED = """\
if cat <<EOF | grep -q example/listed; then
example/listed:1
EOF
  docker pull example/then:1
fi
if ! cat 2>/dev/null <<EOF | grep -q example/absent; then
example/listed:1
EOF
  docker pull example/negated:1
fi
docker pull example/after:1
"""


def test_a_heredoc_piped_into_the_test_of_an_if(tmp_path: Path) -> None:
    # tree-sitter-bash took the pipe into the redirect and `then` for an error: the
    # parse warned, and the branch's images and every one after were missed.
    assert_as_bash(
        tmp_path,
        TESTED,
        [
            ("pull.sh:4", "example/then:1"),
            ("pull.sh:9", "example/negated:1"),
            ("pull.sh:11", "example/after:1"),
        ],
    )


IN_CASE = """\
case "$1" in
  *) cat <<EOF | while read -r img; do
example/in-case:1
EOF
       docker pull "$img"
     done ;;
esac
docker pull example/after:1
"""


def test_a_heredoc_feeding_a_loop_inside_a_case(tmp_path: Path) -> None:
    assert_as_bash(
        tmp_path, IN_CASE, [("pull.sh:3", "example/in-case:1"), ("pull.sh:8", "example/after:1")]
    )


ONE_LINE = """\
if [ -z "$SKIP" ]; then cat <<EOF | while read -r img; do docker pull "$img"; done; fi
example/in-if:1
EOF
for x in a; do cat <<EOF | while read -r img; do docker pull "$img"; done; done
example/in-for:1
EOF
docker pull example/after:1
"""


def test_a_heredoc_of_a_compound_command_ended_on_its_line(tmp_path: Path) -> None:
    # tree-sitter-bash loses the heredoc of a command inside an `if` or a `for` that ends
    # on the heredoc's line: a parse warning, and every image after it missed.
    assert_as_bash(
        tmp_path,
        ONE_LINE,
        [
            ("pull.sh:2", "example/in-if:1"),
            ("pull.sh:5", "example/in-for:1"),
            ("pull.sh:7", "example/after:1"),
        ],
    )


def test_two_heredocs_on_one_line_are_named_in_the_warning(tmp_path: Path) -> None:
    # tree-sitter-bash parses no line that opens two heredocs: the warning says so.
    script = (
        "cat <<A <<B | while read -r img; do\nexample/one:1\nA\nexample/two:1\nB\n"
        '  docker pull "$img"\ndone\n'
    )
    assert inventory_of(_repository(tmp_path, script, {})) == (
        [],
        [
            "pull.sh:1: the pull script does not parse as bash here: this line opens more "
            "than one heredoc; their images, and those after this line, may be missed (give "
            "each heredoc a line of its own)"
        ],
    )


def test_hostile_redirects_before_a_heredoc_are_looked_at_within_a_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text between a command and its `<<` is read for redirects up to a bound: ten
    thousand of them are not, and the parse warns at the line."""
    script = (
        "cat " + "2>/dev/null " * 10_000 + "<<EOF | while read -r i; do\n"
        'example/a:1\nEOF\n  docker pull "$i"\ndone\n'
    )
    images, warnings, spent = spent_reading(tmp_path, script, {}, monkeypatch)
    assert (images, warnings) == (
        [],
        [
            "pull.sh:1: the pull script does not parse as bash here; images after this line "
            "may be missed (check it with `bash -n`)"
        ],
    )
    assert spent < 100
