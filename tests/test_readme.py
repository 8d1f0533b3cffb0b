"""The README against the code: the Quickstart's two commands, every option, input and
output in a table, and the exit codes."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
import yaml

from image_docs_audit.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEMO = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/image-docs-audit demo"
TESTS = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"


def section(title: str) -> str:
    """The README's text under the `## title` heading, up to the next `## ` heading."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else len(README)]


def test_the_quickstart_has_two_commands_and_ci_runs_the_test_one() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", section("Quickstart"), re.DOTALL)
    assert [block.strip() for block in blocks] == [DEMO, TESTS]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # .ci/run runs the same steps one a line, from the same clean clone.
    for step in TESTS.split(" && "):
        assert re.search(rf"^{re.escape(step)}$", ci.replace(" -q", ""), re.MULTILINE), step


def cli_options() -> list[tuple[str, str]]:
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [
        (command, option)
        for command, sub in commands.choices.items()
        for action in sub._actions
        for option in action.option_strings
        if option not in ("-h", "--help")
    ]


@pytest.mark.parametrize(("command", "option"), cli_options())
def test_every_cli_option_has_a_readme_table_row(command: str, option: str) -> None:
    assert re.search(rf"^\| `{re.escape(option)}[ `]", README, re.MULTILINE), (command, option)


ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("kind", "name"),
    [("inputs", name) for name in ACTION["inputs"]]
    + [("outputs", name) for name in ACTION["outputs"]],
)
def test_every_action_input_and_output_has_a_readme_table_row(kind: str, name: str) -> None:
    assert re.search(rf"^\| `{re.escape(name)}` \|", README, re.MULTILINE), (kind, name)


def test_the_exit_codes_are_listed() -> None:
    table = section("Command line and other CI systems")
    rows = re.findall(r"^\| (\d) \| (.+) \|$", table, re.MULTILINE)
    assert [code for code, _ in rows] == ["0", "1", "2", "3"]
    assert "internal error" in rows[3][1]
