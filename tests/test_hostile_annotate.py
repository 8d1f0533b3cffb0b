"""`index --annotate-script` on hostile pull scripts and doc names, checked with bash.

A pull request controls both the script and the doc names, and someone runs the
script after the comments are written. Each test runs the script with bash before and
after annotating, with a `docker` that only logs its arguments: the pulls, the output
and the files must be the same, and nothing the doc names hold may run.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from image_docs_audit import annotate as annotate_module
from image_docs_audit.annotate import Line, annotate, scan_lines
from image_docs_audit.cli import main

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="runs the pull scripts with bash")

# `docker` on PATH (so `xargs docker pull` finds it too): one line per call, each
# argument quoted by bash's %q, so a value with a space or a `#` shows as it is.
DOCKER = '#!/bin/bash\nprintf "%q " "$@" >> "$DOCKER_LOG"\necho >> "$DOCKER_LOG"\n'

# Doc names that run `touch PWNED` wherever bash reads them as code or expands them.
HOSTILE = (
    "docs/app-a $(touch PWNED).md",
    "docs/`touch PWNED`.md",
    'docs/"; touch PWNED; ".md',
    "docs/'; touch PWNED; '.md",
    'docs/\\"$(touch PWNED)\\".md',
    "docs/!!touch PWNED.md",
    "docs/x\ntouch PWNED\n#.md",
    "docs/x\rtouch PWNED\x1b[2J\u2028.md",
    "docs/}; touch PWNED; {.md",
    "docs/)); touch PWNED; ((.md",
    "docs/]; touch PWNED; [.md",
    "docs/%24(touch PWNED).md",
)


@dataclass(frozen=True)
class Ran:
    """What one run of a pull script did."""

    code: int
    stdout: str
    stderr: str
    pulls: str  # the docker log
    files: tuple[str, ...]  # every path in the folder it ran in, afterwards


def run_bash(script: bytes) -> Ran:
    """Run `script` with bash in a fresh folder (its HOME too), with the logging docker."""
    assert BASH is not None
    with tempfile.TemporaryDirectory(prefix="annotate-") as temporary:
        base = Path(temporary)
        tools, work = base / "bin", base / "work"
        tools.mkdir()
        work.mkdir()
        docker = tools / "docker"
        docker.write_text(DOCKER)
        docker.chmod(docker.stat().st_mode | stat.S_IXUSR)
        (work / "pull-images.sh").write_bytes(script)
        log = base / "docker.log"
        log.write_text("")
        env = {
            "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(work),
            "DOCKER_LOG": str(log),
            "LC_ALL": "C",
        }
        done = subprocess.run(
            [BASH, "pull-images.sh"],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
            check=False,
        )
        files = tuple(sorted(str(p.relative_to(work)) for p in work.rglob("*")))
        return Ran(
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
            log.read_text(encoding="utf-8", errors="replace"),
            files,
        )


def image_lines(script: bytes) -> dict[int, str]:
    """Each line that names app-a, with the name the audit would give it."""
    return {n: "app-a" for n, line in enumerate(script.split(b"\n"), 1) if b"app-a" in line}


def annotated_lines(before: bytes, after: bytes) -> list[int]:
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new)
    return [n for n, (a, b) in enumerate(zip(old, new, strict=True), 1) if a != b]


def assert_same_under_bash(script: bytes, paths: tuple[str, ...]) -> bytes:
    """Annotate every app-a line of `script` with `paths`; bash must do the same with
    the annotated script as with `script`, and make no file. The annotated script."""
    lines = image_lines(script)
    changed = annotate(script, dict.fromkeys(lines, paths), lines)
    before, after = run_bash(script), run_bash(changed)
    # A syntax error's message quotes its line: the annotated one quotes the comment too.
    stderr = after.stderr
    for old, new in zip(script.split(b"\n"), changed.split(b"\n"), strict=True):
        if old != new:
            stderr = stderr.replace(new.decode(errors="replace"), old.decode(errors="replace"))
    assert replace(after, stderr=stderr) == before
    assert after.files == ("pull-images.sh",)
    return changed


# What bash reads where the lexer must not annotate, and what it reads as code.
CASES = {
    "ansi-c quote with an escaped quote": (
        "#!/bin/bash\nQ=$'\\''\nIMAGES=\"'\nexample/app-a:1\n\"\n"
        'for i in $IMAGES; do docker pull "$i"; done\n',
        [],
    ),
    "heredoc with a backslash-quoted word": (
        "cat >/dev/null <<\\EOF\nit's\nEOF\nIMAGES=\"'\nexample/app-a:1\n\"\n"
        'for i in $IMAGES; do docker pull "$i"; done\ndocker pull example/app-a:2\n',
        [8],
    ),
    "heredoc with a single-quoted word": (
        "cat >/dev/null <<'EOF'\nit's\nEOF\nIMAGES=\"'\nexample/app-a:1\n\"\n"
        "docker pull $IMAGES\ndocker pull example/app-a:2\n",
        [8],
    ),
    "heredoc with a double-quoted word and a word in pieces": (
        "cat <<\"EOF\" >/dev/null; cat <<E'O'F\nit's\nEOF\nexample/app-a:0\nEOF\n"
        'X="\'\nexample/app-a:1\n"\ndocker pull $X example/app-a:2\n',
        [9],
    ),
    "heredoc <<- with tabs": (
        "if true; then\n\tcat <<-EOF | xargs docker pull\n\texample/app-a:1 it's\n"
        "\t EOF\n\tEOF\n\tdocker pull example/app-a:2\nfi\n",
        [6],
    ),
    "unquoted heredoc whose line goes on with a backslash": (
        "cat <<EOF | xargs docker pull\nexample/app-a:1 \\\nEOF\nexample/app-a:3 it's\n"
        "EOF\ndocker pull example/app-a:2\n",
        [6],
    ),
    "command substitution over lines": (
        'IMAGES=$(echo "\nexample/app-a:1\n" # it\'s\nexample/app-a:3\n)\n'
        "docker pull $IMAGES\ndocker pull example/app-a:2\n",
        [7],
    ),
    "case inside a command substitution": (
        "X=$(case a in\na) echo example/app-a:1 ;;\nesac)\ndocker pull $X\n"
        'Y="\nexample/app-a:2\n"\ndocker pull $Y\n',
        [],
    ),
    "backticks over lines, quotes inside them": (
        'IMAGES=`echo "\nexample/app-a:1 ` "\nexample/app-a:3\n"`\n'
        "docker pull $IMAGES example/app-a:2\n",
        [],
    ),
    "nested quotes": (
        'IMAGES="$(printf \'%s\' "\'\nexample/app-a:1\n")"\n'
        'X="${U:-"}"}" Y=\'"\' Z=$\'\\\'"\'\ndocker pull "$IMAGES$X$Y$Z"\n'
        "docker pull example/app-a:2\n",
        [6],
    ),
    "parameter expansion over lines": (
        "IMAGES=${U:-\nexample/app-a:1\n}\ndocker pull $IMAGES\n",
        [],
    ),
    "arithmetic over lines": (
        "N=$((1 +\n2)) ; (( N +=\n1 ))\ndocker pull example/app-a:$N\n",
        [4],
    ),
    "an array, comments and continued lines": (
        "IMAGES=(\n  example/app-a:1  # the app's image\n  'example/app-a:2'\n)\n"
        'docker pull \\\n  "${IMAGES[0]}"  \\\n  example/app-a:3\ndocker pull "${IMAGES[1]}"\n',
        [2, 3, 7],
    ),
    "a carriage return that ends a word": (
        'IMAGES="example/app-a:1"\r\ndocker pull $IMAGES\ndocker pull example/app-a:2\n',
        [3],
    ),
    "history expansion and words made of quotes": (
        "set -H\ndocker pull 'example/app-a:'\"1\"  # !!\ndocker pull example/app-a:2#x\n",
        [2, 3],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_annotating_changes_nothing_bash_does(name: str) -> None:
    """The lines annotated are exactly the ones outside every string and heredoc, and
    bash pulls the same images, prints the same and makes no file."""
    script, expected = CASES[name]
    changed = assert_same_under_bash(script.encode(), HOSTILE)
    assert annotated_lines(script.encode(), changed) == expected


def test_the_ansi_c_repro_through_the_cli_runs_nothing(tmp_path: Path) -> None:
    """The reported attack: `$'\\''` made the lexer think the next line was outside the
    double quotes, and a doc named `app-a $(touch PWNED).md` ran `touch PWNED`."""
    root = tmp_path / "repo"
    script = root / "scripts" / "pull-images.sh"
    script.parent.mkdir(parents=True)
    (root / "docs").mkdir()
    text = CASES["ansi-c quote with an escaped quote"][0]
    (root / "docs" / "app-a $(touch PWNED).md").write_text("# app-a\n")
    (root / "docs" / "app-b.md").write_text("# app-b\n")
    script.write_text(text + "docker pull example/app-b:1\n")
    out, err = io.StringIO(), io.StringIO()
    code = main(["index", str(root), "--annotate-script"], stdout=out, stderr=err)
    assert (code, out.getvalue(), err.getvalue()) == (
        0,
        "annotated scripts/pull-images.sh\n",
        "",
    )
    assert script.read_text() == text + "docker pull example/app-b:1  # docs: docs/app-b.md\n"
    ran = run_bash(script.read_bytes())
    assert ran.pulls == "pull \\' \npull example/app-a:1 \npull example/app-b:1 \n"
    assert ran.files == ("pull-images.sh",)


def test_the_heredoc_repro_through_the_cli_runs_nothing(tmp_path: Path) -> None:
    """The second trigger: `<<\\EOF` went unseen, so the body's `it's` opened a quote
    that the string's own `'` seemed to close."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    text = CASES["heredoc with a backslash-quoted word"][0]
    (root / "pull-images.sh").write_text(text)
    (root / "docs" / "app-a `touch PWNED`.md").write_text("# app-a\n")
    out, err = io.StringIO(), io.StringIO()
    code = main(["index", str(root), "--annotate-script"], stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    lines = (root / "pull-images.sh").read_text().split("\n")
    assert lines[4] == "example/app-a:1"
    assert lines[7] == "docker pull example/app-a:2  # docs: docs/app-a %60touch PWNED%60.md"
    ran = run_bash((root / "pull-images.sh").read_bytes())
    assert ran.pulls == "pull \\' \npull example/app-a:1 \npull example/app-a:2 \n"
    assert ran.files == ("pull-images.sh",)


def test_every_special_character_of_a_doc_name_is_written_percent_encoded() -> None:
    data = b"docker pull example/app-a:1\n"
    names = [
        "docs/$ ` \" ' \\ ! % ( ) { } [ ].md",
        "docs/a\nb\rc\td\x1b\x7f\x85\u2028\u202e\u00a0\u200b.md",
        "docs/caf\udce9.md",  # a name that is not UTF-8: its byte
        "docs/é #1, ok~*?;&|<>=@:.md",
    ]
    changed = annotate(data, {1: names}, {1: "app-a"}).decode()
    assert changed == (
        "docker pull example/app-a:1  # docs: "
        "docs/%24 %60 %22 %27 %5C %21 %25 %28 %29 %7B %7D %5B %5D.md, "
        "docs/a%0Ab%0Dc%09d%1B%7F%C2%85%E2%80%A8%E2%80%AE%C2%A0%E2%80%8B.md, "
        "docs/caf%E9.md, "
        "docs/é #1, ok~*?;&|<>=@:.md\n"
    )
    assert annotate(changed.encode(), {1: names}, {1: "app-a"}).decode() == changed


def test_what_the_lexer_cannot_follow_ends_the_annotating() -> None:
    """`$[...]`, a heredoc word that expands, a heredoc in backticks, a `case` in
    parentheses, a `$((` that is a command substitution: every line from there on."""
    for opening in (
        "echo $[1+1]",
        "cat <<$X",
        "X=`cat <<EOF`",
        "(case a in a) ;; esac)",
        "X=$((echo a) )",
        "cat <<EOF; echo 'a",
        "echo $(cat <<EOF)",
        "f()#c 'x",
    ):
        text = f"A=1\n{opening}\nB=2\nEOF\nC=3\n"
        assert [line.safe for line in scan_lines(text)] == [True] + [False] * 5, opening


def test_a_hash_that_goes_on_a_word_starts_no_comment() -> None:
    """After a quote or a substitution a `#` is the word's (`"a"#b` is `a#b`); after a
    subshell's `)` it starts a comment."""
    text = "echo \"a\nb\"#c 'x\nexample/app-a:1\n'\necho $(x)#c\n(x)#c 'y\nB=1\n"
    assert [(line.safe, line.comment) for line in scan_lines(text)] == [
        (False, None),
        (False, None),
        (False, None),
        (False, None),
        (True, None),
        (True, 3),
        (True, None),
        (True, None),
    ]


def test_a_script_saved_with_crlf_is_read_as_text_but_a_stray_cr_is_bash_s() -> None:
    windows = "A=(\r\n  x # c\r\n)\r\n"
    assert [(line.safe, line.comment) for line in scan_lines(windows)] == [
        (True, None),
        (True, 4),
        (True, None),
        (True, None),
    ]
    mixed = "A=(\r\n  x # c\r\n)\n"
    assert [line.safe for line in scan_lines(mixed)] == [False, True, True, True]


# Lines bash reads inside a string, a substitution or another shell's code.
WRONG_LEXER = (
    'X="\nexample/app-a:1\n"',
    "X='\nexample/app-a:1\n'",
    "X=$'\nexample/app-a:1\n'",
    "X=`echo \nexample/app-a:1\n`",
    "cat <<EOF\nexample/app-a:1\nEOF",
    "cat <<'EOF'\nexample/app-a:1\nEOF",
    'bash <<EOF\necho example/app-a:1\nX="example/app-a:1\nY=\\${Z:-example/app-a:1\n}"\nEOF',
    "X=${Y:-\nexample/app-a:1\n}",
    "X=$((1\n+ 1\n))",
    "(( X = 1\n+ 1\n))",
    "X=$[1\n+ 1\n]",
    "X=$(\necho example/app-a:1\n)",
    'eval "X=\\${Y:-\nexample/app-a:1\n}"',
    "[[ -n x &&\n-n example/app-a:1 ]]",
)


@pytest.mark.parametrize("context", WRONG_LEXER)
def test_doc_names_are_inert_even_where_the_lexer_would_be_wrong(
    context: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line annotated, as a lexer that is wrong everywhere would: the comment may
    change a value, but no doc name runs a command nor ends the string it is in."""
    script = f'{context}\ndocker pull "$X" "$Y"\n'.encode()
    everywhere = [Line(True, None)] * (script.count(b"\n") + 1)
    monkeypatch.setattr(annotate_module, "scan_lines", lambda text: everywhere)
    lines = dict.fromkeys(range(1, script.count(b"\n") + 1), "")
    changed = annotate(script, dict.fromkeys(lines, HOSTILE), lines)
    assert changed.count(b"  # docs: ") == len(lines)
    assert run_bash(changed).files == ("pull-images.sh",)


# Property: random doc names, random scripts, the same bash.

# Lines that open, close or sit inside the contexts bash tracks across lines.
PIECES = (
    'IMAGES="',
    '"',
    "'",
    "it's",
    "Q=$'\\''",
    "X=$'",
    "cat <<EOF",
    "cat <<\\EOF",
    "cat <<'EOF'",
    "cat <<-EOF",
    "\tEOF",
    "EOF",
    "EO\\",
    "V=$(echo",
    ")",
    "B=`echo",
    "`",
    "A=(",
    "case x in",
    "x) echo",
    ";; esac",
    "(( N +=",
    "))",
    "P=${U:-",
    "}",
    "echo \\",
    "# it's a comment",
    'echo "a # b"',
    "example/app-a:1",
    "docker pull example/app-a:2",
    '  "example/app-a:3"',
    "'example/app-a:4'",
    "echo example/app-a:5 # it's",
    'b"#c',
    "(echo a)#c 'x",
    "A=(x)#c",
    "f()#c 'x",
)
TRAILER = (
    'docker pull "$IMAGES" "$Q" "$X" "$V" "$B" "${A[*]}" "$P" "$N"\n'
    "declare -p IMAGES Q X V B A P N 2>/dev/null\n"
)
NAME = st.text(alphabet=st.sampled_from("$`\"'\\!%(){}[];&|<># \n\tab/.x\x1b"), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=14), st.lists(NAME, min_size=1, max_size=3))
def test_no_doc_name_nor_script_makes_an_annotation_change_what_bash_does(
    pieces: list[str], names: list[str]
) -> None:
    script = ("\n".join(pieces) + "\n" + TRAILER).encode()
    assert_same_under_bash(script, (*names, "docs/x $(touch PWNED).md"))
