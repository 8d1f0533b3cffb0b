"""Hostile strings never become workflow commands: not on stdout, not on stderr.

The runner reads both streams of a container action for `::command::` lines (after
leading blanks; it splits lines on CR as well as LF) and for the old `##[command]`
form anywhere in a line. Every message path gets the same injection.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit.cli import main

INJECTION = "nomatch\n::add-mask::x\n::set-output name=verdict::pass\n::stop-commands::x"
OLD_FORM = "##[set-output name=verdict;]pass"
# The commands this tool writes itself.
OURS = re.compile(r"::(error|warning|notice)( (file|line|title)=[^:]*)?::")


def lines(text: str) -> list[str]:
    return [line.lstrip() for line in re.split(r"\r\n|\r|\n", text)]


def assert_inert(*texts: str) -> None:
    for text in texts:
        assert "##[" not in text
        for line in lines(text):
            assert not line.startswith("::") or OURS.match(line), line


def run(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, env=env)
    return code, out.getvalue(), err.getvalue()


def hostile_tree(root: Path) -> dict[str, str | None]:
    """A pull script, docs and file names that each carry the injection."""
    name = INJECTION.replace("\n", "\r")
    return {
        "pull-images.sh": (
            f"IMAGES=(\n  # {INJECTION.splitlines()[3]} {OLD_FORM}\n  example/app-x:1\n"
            f'  "{INJECTION}"\n  example/app-y:1\n)\n'
        ),
        "docs/app-x.md": f"# app-x\n\n{INJECTION}\n",
        f"docs/{name}.md": f"# {OLD_FORM}\n",
        f"docs/{OLD_FORM}.md": "\x00binary",
    }


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "fork")
    repo.commit({"pull-images.sh": "IMAGES=(example/app-y:1)\n", "docs/app-y.md": "# app-y\n"})
    repo.commit({**hostile_tree(repo.root), "docs/app-y.md": None})
    return repo


@pytest.mark.parametrize("format_name", ["text", "markdown", "json"])
def test_hostile_reports_carry_no_command(repo: Repo, format_name: str) -> None:
    code, out, err = run("audit", str(repo.root), "--format", format_name)
    assert code == 0 and err == ""
    assert "app-x" in out
    assert_inert(out, err)


@pytest.mark.parametrize("format_name", ["text", "markdown", "json"])
def test_hostile_check_and_its_annotations_carry_no_command(repo: Repo, format_name: str) -> None:
    code, out, err = run(
        "check", str(repo.root), "--base", "HEAD~1", "--format", format_name,
        "--annotations", "github",
    )  # fmt: skip
    assert code == 1 and err == ""
    assert "::error file=pull-images.sh,line=8,title=image-docs-audit%3A newly_missing::" in out
    assert_inert(out, err)


def test_hostile_config_value_in_the_error_message(repo: Repo) -> None:
    config = repo.root / ".github" / "image-docs-audit.yml"
    config.parent.mkdir()
    config.write_text('pull-scripts: ["' + INJECTION.replace("\n", "\\n") + '"]\n')
    code, out, err = run("audit", str(repo.root))
    assert (code, out) == (2, "")
    # Refused for its line ends, and shown escaped: no line of it is a workflow command.
    assert err == (
        "image-docs-audit: .github/image-docs-audit.yml:1: 'pull-scripts' entry 'nomatch\\n"
        "::add-mask::x\\n::set-output name=verdict::pass\\n::s...' has a control character"
        " (U+000A); remove it\n"
    )
    assert_inert(out, err)


def test_hostile_option_values_in_usage_errors() -> None:
    code, out, err = run("audit", ".", "--format", INJECTION)
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert_inert(out, err)


def test_hostile_action_error_and_annotation(repo: Repo, tmp_path: Path) -> None:
    env = {
        "GITHUB_WORKSPACE": str(repo.root),
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "INPUT_PULL-SCRIPT": "",
        "INPUT_CONFIG": INJECTION.replace("\n", "\r"),
        "INPUT_MODE": f"x{OLD_FORM}\u202e\x1b[2J",
    }
    code, out, err = run("action", env=env)
    assert code == 2
    assert err == "image-docs-audit: input 'mode': 'x#\\x23[set-output name=verdict;]pass" + (
        "\\u202e\\x1b[2j' is not one of auto, audit, check, comment\n"
    )
    assert out.startswith("::error title=image-docs-audit::input 'mode'")
    assert_inert(out, err)


def test_hostile_action_run_carries_no_command(repo: Repo, tmp_path: Path) -> None:
    env = {"GITHUB_WORKSPACE": str(repo.root), "GITHUB_EVENT_NAME": "workflow_dispatch"}
    code, out, err = run("action", env=env)
    assert code == 0 and err == ""
    assert_inert(out, err)


def run_binary(*argv: str) -> tuple[int, str]:
    """`run` with stdout a text stream over bytes, as the console's is: JSON goes to its
    bytes, after the text written before it."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
    code = main(list(argv), stdout=out, stderr=io.StringIO())
    out.flush()
    return code, raw.getvalue().decode("utf-8")


def test_json_written_to_a_binary_stdout_is_the_json_written_as_text(repo: Repo) -> None:
    for argv in (
        ("audit", str(repo.root), "--format", "json"),
        (
            "check",
            str(repo.root),
            "--base",
            "HEAD~1",
            "--format",
            "json",
            "--annotations",
            "github",
        ),
    ):
        code, text = run(*argv)[:2]
        assert run_binary(*argv) == (code, text)
        assert_inert(text)
        assert "#\\u0023[set-output" in text  # the old form, as JSON writes `#` escaped
