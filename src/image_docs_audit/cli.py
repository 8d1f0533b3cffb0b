"""The command line: parse options, run the engine, render, return the exit code.

`main(argv)` returns 0 (pass), 1 (coverage under --fail-under) or 2 (bad usage
or bad input, said in one line on stderr). Only `run()` (the console script)
and `__main__` exit.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack, redirect_stdout
from importlib import resources
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .config import AuditSettings, base_config_at, config_at, read_config, with_overrides
from .engine import run_audit, run_check
from .errors import InputError
from .gate import Policy, Verdict
from .github.commands import annotation, annotations_for
from .gitsource import GitTree
from .model import Report
from .render import (
    CheckRefs,
    render_check_json,
    render_check_markdown,
    render_check_text,
    render_json,
    render_markdown,
    render_text,
)
from .worktree import Tree, WorkTree

PROG = "image-docs-audit"
RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
}

CHECK_RENDERERS: dict[str, Callable[[Verdict, CheckRefs], str]] = {
    "text": render_check_text,
    "markdown": render_check_markdown,
    "json": render_check_json,
}


class _UsageError(Exception):
    """argparse's complaint, turned into our one-line error."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not {what} from 0 to 100")
    return value


def _percent(text: str) -> float:
    return _number(text, "a number")


def _points(text: str) -> float:
    return _number(text, "a number of points")


def _add_audit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("root", nargs="?", default=".", help="the repository to audit (default: .)")
    parser.add_argument("--config", help="config file (default: ROOT/.github/image-docs-audit.yml)")
    parser.add_argument(
        "--pull-script",
        action="append",
        default=[],
        metavar="FILE",
        help="pull script or glob, relative to ROOT (repeatable)",
    )
    parser.add_argument(
        "--docs",
        action="append",
        default=[],
        metavar="DIR",
        help="docs folder, relative to ROOT (repeatable)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="paths to leave out, relative to ROOT (repeatable)",
    )
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
    parser.add_argument("--output", metavar="FILE", help="write the report here, not to stdout")
    parser.add_argument(
        "--fail-under",
        type=_percent,
        metavar="PCT",
        help="exit 1 when coverage is below PCT percent",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Keep container images documented.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    audit = commands.add_parser("audit", help="audit which images of the pull scripts have docs")
    _add_audit_options(audit)
    check = commands.add_parser(
        "check", help="compare a change with its base and fail on documentation regressions"
    )
    _add_audit_options(check)
    check.add_argument("--base", required=True, metavar="REF", help="the commit to compare with")
    check.add_argument("--head", metavar="REF", help="the commit to check (default: the files)")
    check.add_argument(
        "--max-drop",
        type=_points,
        metavar="PTS",
        help="coverage may fall by at most PTS points (default 0)",
    )
    check.add_argument(
        "--annotations",
        choices=["github", "none"],
        default="none",
        help="also print GitHub workflow commands for each regression",
    )
    commands.add_parser(
        "action", help="the GitHub Action's entry point (reads INPUT_* and GITHUB_* variables)"
    )
    demo = commands.add_parser("demo", help="audit the sample project shipped in the package")
    demo.add_argument("--format", choices=sorted(RENDERERS), default="text")
    return parser


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    command = None
    try:
        with redirect_stdout(out):  # --help and --version print to our stdout
            options = build_parser().parse_args(argv)
        command = options.command
        if command == "demo":
            return _demo(options.format, out)
        if command == "check":
            return _check(options, out)
        if command == "action":
            from .github.action import run_action  # noqa: PLC0415  (httpx: the action only)

            return run_action(os.environ if env is None else env, out)
        return _audit(options, out)
    except SystemExit as done:  # --help and --version print and end here
        return done.code if isinstance(done.code, int) else 0
    except (_UsageError, InputError) as error:
        err.write(f"{PROG}: {error}\n")
        if command == "action":  # on a runner, also where the run's page shows it
            out.write(annotation("error", str(error), title=PROG) + "\n")
    return 2


def _settings(options: argparse.Namespace, config: AuditSettings) -> AuditSettings:
    """The config's settings with the command line's options over them."""
    return with_overrides(
        config,
        pull_scripts=tuple(options.pull_script),
        docs=tuple(options.docs),
        exclude=tuple(options.exclude),
        fail_under=options.fail_under,
        max_drop=getattr(options, "max_drop", None),  # check's option only
    )


def _root(text: str) -> Path:
    root = Path(text)
    if not root.is_dir():
        raise InputError(text, "the root to audit is not a folder; give the repository's path")
    return root


def _audit(options: argparse.Namespace, out: TextIO) -> int:
    root = _root(options.root)
    settings = _settings(options, read_config(root, options.config))
    report = run_audit(WorkTree(root), settings)
    _emit(RENDERERS[options.format](report), options.output, out)
    return 0 if report.summary.coverage >= settings.fail_under else 1


def _check(options: argparse.Namespace, out: TextIO) -> int:
    root = _root(options.root)
    with ExitStack() as stack:
        base = stack.enter_context(GitTree.open(root, options.base, "--base"))
        head: Tree = WorkTree(root)
        head_commit = None
        if options.head is not None:
            head_commit = stack.enter_context(GitTree.open(root, options.head, "--head"))
            head = head_commit
        # The config is the head's: a change that edits it is checked under its own rules,
        # and judged under the base's too, so that weakening the config shows.
        head_config = (
            read_config(root, options.config)
            if head_commit is None
            else config_at(head_commit, options.config)
        )
        settings = _settings(options, head_config)
        base_config = base_config_at(base, options.config)
        base_settings = None if base_config is None else _settings(options, base_config)
        policy = Policy(settings.fail_under, settings.max_drop)
        result = run_check(base, head, settings, policy, base_settings)
    refs = CheckRefs(
        base_ref=options.base,
        base_sha=base.sha,
        head_ref=options.head or "working tree",
        head_sha=head_commit.sha if head_commit else None,
    )
    if options.annotations == "github":
        out.writelines(line + "\n" for line in annotations_for(result.verdict))
    _emit(CHECK_RENDERERS[options.format](result.verdict, refs), options.output, out)
    return 0 if result.verdict.passed else 1


def _demo(format_name: str, out: TextIO) -> int:
    with ExitStack() as stack:
        root = stack.enter_context(resources.as_file(resources.files(__package__) / "sample"))
        report = run_audit(WorkTree(root), read_config(root, None))
    out.write(RENDERERS[format_name](report))
    return 0


def _emit(text: str, output: str | None, out: TextIO) -> None:
    if output is None:
        out.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8", errors="replace")
    except OSError as error:
        raise InputError(output, f"cannot write the report: {error.strerror}") from None


def run() -> None:
    """The console script."""
    for stream in (sys.stdout, sys.stderr):
        # Names from a fork's pull script must not crash a terminal that is not UTF-8.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    sys.exit(main())
