"""The command line: parse options, run the engine, render, return the exit code.

`main(argv)` returns 0 (pass), 1 (coverage under --fail-under), 2 (bad usage
or bad input, said in one line on stderr) or 3 (an internal error: a bug, said
in one line, never a traceback). Only `run()` (the console script) and
`__main__` exit.
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import select
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack, redirect_stdout, suppress
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, cast

from . import __version__, compiled, render
from .ahead import start_audit
from .config import Overrides, read_config
from .errors import InputError
from .model import Report
from .policy import POINTS_EXPECTED, parse_points
from .render.escape import inert_json_bytes, inert_output, log_text
from .worktree import Tree, WorkTree

if TYPE_CHECKING:
    # The action's side (its GitHub client, httpx) is imported by the `action` command
    # only: a terminal's audit starts 50 ms sooner without it. So are the gate and git
    # (`check`, `--format markdown`'s links, the action): 7 ms of an audit's start. So is
    # the writing of files (`--output`, `--badge`, with `tempfile`): 3.5 ms before the fork.
    from .gate import Verdict
    from .github.action import Services

PROG = "image-docs-audit"
# The reader of stdout closed it before the report was read (`audit | head`): no bug and
# nothing to say; the code of a process that SIGPIPE ended, as `yes | head` gives.
READER_GONE = 141
# The report formats, by their renderer's name in `render`: each is imported only when
# a report is written in its format.
RENDERERS = {
    "text": "render_text",
    "markdown": "render_markdown",
    "json": "render_json",
    "sarif": "render_sarif",  # for code scanning
}


def _renderer(format_name: str) -> Callable[[Report], str]:
    return cast("Callable[[Report], str]", getattr(render, RENDERERS[format_name]))


class _UsageError(Exception):
    """argparse's complaint, turned into our one-line error."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _points(text: str) -> float:
    """--fail-under and --max-drop, by the validator the config and the action use."""
    value = parse_points(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not {POINTS_EXPECTED}")
    return value


def _repo_url(text: str) -> str:
    """--link-base: the repository's web address, under which `/blob/SHA/path` are files."""
    url = text.strip().rstrip("/")
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a repository URL such as https://github.com/OWNER/REPO"
        )
    return url


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
        type=_points,
        metavar="PCT",
        help="exit 1 when coverage is below PCT percent",
    )
    parser.add_argument(
        "--link-base",
        type=_repo_url,
        metavar="URL",
        help="link files as URL/blob/SHA/PATH#LLINE in Markdown (default inside GitHub "
        "Actions: GITHUB_SERVER_URL/GITHUB_REPOSITORY; elsewhere plain paths, no links)",
    )
    parser.add_argument(
        "--badge", metavar="PATH", help="also write an SVG badge of the head's coverage here"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Keep container images documented.")
    build = " (compiled)" if compiled() else ""
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}{build}")
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
    _add_index_parser(commands)
    _add_scaffold_parser(commands)
    demo = commands.add_parser("demo", help="audit the sample project shipped in the package")
    demo.add_argument("--format", choices=sorted(RENDERERS), default="text")
    return parser


def _add_tree_options(parser: argparse.ArgumentParser) -> None:
    """What `index` and `scaffold` audit: the config, scripts, docs and excludes."""
    parser.add_argument("--config", help="config file (default: ROOT/.github/image-docs-audit.yml)")
    for flag, metavar, what in (
        ("--pull-script", "FILE", "pull script or glob"),
        ("--docs", "DIR", "docs folder"),
        ("--exclude", "GLOB", "paths to leave out"),
    ):
        parser.add_argument(
            flag, action="append", default=[], metavar=metavar, help=f"{what} (repeatable)"
        )


def _add_index_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    index = commands.add_parser(
        "index", help="write or check the cross-reference index of images and their docs"
    )
    index.add_argument("root", nargs="?", default=".", help="the repository (default: .)")
    _add_tree_options(index)
    mode = index.add_mutually_exclusive_group()
    mode.add_argument("--write", metavar="FILE", help="write the index here (e.g. docs/IMAGES.md)")
    mode.add_argument("--check", metavar="FILE", help="exit 1 when the index there is stale")
    index.add_argument(
        "--annotate-script",
        action="store_true",
        help="add or update a '# docs: path' comment on each image line of the pull scripts",
    )


def _add_scaffold_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    scaffold = commands.add_parser(
        "scaffold", help="write a starter doc for each image without documentation"
    )
    scaffold.add_argument(
        "images", nargs="*", metavar="IMAGE", help="images to scaffold (default: every gap)"
    )
    scaffold.add_argument("--root", default=".", help="the repository (default: .)")
    scaffold.add_argument("--dir", metavar="DIR", help="where to write (default: the docs folder)")
    _add_tree_options(scaffold)


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    env: Mapping[str, str] | None = None,
    services: Services | None = None,
) -> int:
    """Run the command `argv` names; its exit code. `services` are the action's (its
    GitHub client and git), the real ones unless a test hands in others."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    command = None
    try:
        with redirect_stdout(out):  # --help and --version print to our stdout
            options = build_parser().parse_args(argv)
        command = options.command
        return _dispatch(options, out, env, services)
    except SystemExit as done:  # --help and --version print and end here
        return done.code if isinstance(done.code, int) else 0
    except (_UsageError, InputError) as error:
        err.write(f"{PROG}: {log_text(str(error))}\n")
        if command == "action":  # on a runner, also where the run's page shows it
            from .github.commands import annotation  # noqa: PLC0415  (see TYPE_CHECKING)

            out.write(annotation("error", str(error), title=PROG) + "\n")
        return 2
    except OSError as error:  # a broken pipe among them
        return _os_error(command, error, env, out, err)
    except Exception as error:  # a bug: one line and its own exit code, never a traceback
        return _internal_error(command, error, env, out, err)


# Where a write fails for want of room (a full disk, a quota, a file size limit): the
# user's to fix, not a bug.
_NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _os_error(
    command: str | None, error: OSError, env: Mapping[str, str] | None, out: TextIO, err: TextIO
) -> int:
    """The exit code of a run `error` ended: a reader gone or no room for the output is
    the user's to see to (one line, or nothing), anything else a bug."""
    if isinstance(error, BrokenPipeError) and _reader_gone(out):
        return READER_GONE
    if error.errno in _NO_ROOM:
        err.write(f"{PROG}: {_no_room(error)}\n")
        return 2
    return _internal_error(command, error, env, out, err)


def _no_room(error: OSError) -> str:
    where = error.filename if isinstance(error.filename, str) else "the output"
    return f"{log_text(where)}: cannot write ({error.strerror}); free some space and run again"


def _reader_gone(out: TextIO) -> bool:
    """Whether `out` is a pipe whose reader has closed its end (the broken pipe was
    ours to write, not one of a git process's)."""
    try:
        descriptor = out.fileno()
    except (OSError, ValueError):  # not a file: a test's StringIO, a closed stream
        return False
    if not hasattr(select, "poll"):
        return True  # no way to ask; a broken pipe is still no bug
    poller = select.poll()
    poller.register(descriptor, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


def _dispatch(
    options: argparse.Namespace,
    out: TextIO,
    env: Mapping[str, str] | None,
    services: Services | None,
) -> int:
    if options.command == "demo":
        return _demo(options.format, out)
    environ = os.environ if env is None else env
    if options.command == "check":
        return _check(options, out, environ)
    if options.command == "action":
        from .github.action import SERVICES, run_action  # noqa: PLC0415  (see TYPE_CHECKING)

        return run_action(environ, out, services or SERVICES)
    if options.command in ("index", "scaffold"):
        return _living(options, out)
    return _audit(options, out, environ)


def _internal_error(
    command: str | None,
    error: Exception,
    env: Mapping[str, str] | None,
    out: TextIO,
    err: TextIO,
) -> int:
    from .github.action import (  # noqa: PLC0415  (see TYPE_CHECKING)
        INTERNAL_ERROR,
        internal_error_line,
        report_undecided,
    )

    # Only the exception's type: its text may quote input, or a request and its token.
    line = internal_error_line(command or "startup", type(error).__name__)
    err.write(f"{PROG}: {line}\n")
    if command == "action":
        report_undecided(os.environ if env is None else env, type(error).__name__, out)
    return INTERNAL_ERROR


def _overrides(options: argparse.Namespace) -> Overrides:
    """The command line's values over the config's."""
    return Overrides(
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


def _audit(options: argparse.Namespace, out: TextIO, env: Mapping[str, str]) -> int:
    root = _root(options.root)
    settings = _overrides(options).apply(read_config(root, options.config))
    tree = WorkTree(root)
    # The docs are listed and their outliner forked first: it works while the rest of the
    # audit is loaded, a third of a 700-doc audit's start (see ahead.py).
    started = start_audit(tree, settings)
    try:
        from .app import audit_tree  # noqa: PLC0415  (after the fork: see above)

        audited = audit_tree(tree, settings, started)
    finally:
        started.end()
    report = audited.report
    text: str | Iterable[str] | Iterable[bytes]
    if options.format == "markdown":
        text = render.render_markdown(
            report, render.Links(_link_base(options, env), _head_sha(root))
        )
    elif options.format == "json":  # written as it is encoded: a large report is never whole
        text = render.report_json_bytes(report)
    else:
        text = _renderer(options.format)(report)
    _emit(text, options.output, out, options.format, root)
    _badge(options.badge, report.summary.coverage, root)
    return 0 if audited.passed else 1


def _link_base(options: argparse.Namespace, env: Mapping[str, str]) -> str | None:
    return options.link_base or render.repo_url_from_env(env)


def _head_sha(root: Path) -> str | None:
    """The commit the files under `root` are checked out at, for links; None outside git."""
    from .gitsource import GitTree  # noqa: PLC0415  (see TYPE_CHECKING)

    try:
        with GitTree.open(root, "HEAD", "--head") as tree:
            return tree.sha
    except InputError:
        return None


def _badge(path: str | None, coverage: float, root: Path) -> None:
    if path is not None:
        from .render.badge import badge_svg  # noqa: PLC0415  (for --badge only)
        from .safefile import require_not_linked_out, write_new_folders  # noqa: PLC0415

        require_not_linked_out(root, Path(path), path)
        write_new_folders(Path(path), badge_svg(coverage), shown=path, what="the badge")


def _check(options: argparse.Namespace, out: TextIO, env: Mapping[str, str]) -> int:
    from .github.commands import annotations_for  # noqa: PLC0415  (see TYPE_CHECKING)
    from .gitsource import GitTree  # noqa: PLC0415

    root = _root(options.root)
    with ExitStack() as stack:
        base = stack.enter_context(GitTree.open(root, options.base, "--base"))
        head: Tree = WorkTree(root)
        head_commit = None
        if options.head is not None:
            head_commit = stack.enter_context(GitTree.open(root, options.head, "--head"))
            head = head_commit
        from .app import check_trees  # noqa: PLC0415  (see `_audit`)

        result = check_trees(
            root,
            options.config,
            _overrides(options),
            base,
            head,
            head_is_commit=head_commit is not None,
        )
    refs = render.CheckRefs(
        base_ref=options.base,
        base_sha=base.sha,
        head_ref=options.head or "working tree",
        head_sha=head_commit.sha if head_commit else None,
    )
    if options.annotations == "github":
        out.writelines(line + "\n" for line in annotations_for(result.verdict))
    text = _render_check(options, env, result.verdict, refs, root)
    _emit(text, options.output, out, options.format, root)
    _badge(options.badge, result.verdict.head.summary.coverage, root)
    return 0 if result.verdict.passed else 1


def _living(options: argparse.Namespace, out: TextIO) -> int:
    """`index` and `scaffold`: audit, then write into the repository."""
    from . import living  # noqa: PLC0415  (these two commands only: it loads the index's renderer)

    root = _root(options.root)
    overrides = Overrides(
        pull_scripts=tuple(options.pull_script),
        docs=tuple(options.docs),
        exclude=tuple(options.exclude),
    )
    from .app import audit_root  # noqa: PLC0415  (see `_audit`)

    audited = audit_root(root, options.config, overrides)
    outcomes = []
    if options.command == "scaffold":
        outcomes.append(living.scaffold(root, audited, options.images, options.dir))
    elif not (options.write or options.check or options.annotate_script):
        raise _UsageError("index needs --write FILE, --check FILE or --annotate-script")
    elif options.check and options.annotate_script:
        raise _UsageError("--annotate-script writes the pull scripts; it does not go with --check")
    else:
        if options.write:
            outcomes.append(living.write_index(root, audited, options.write))
        if options.check:
            outcomes.append(living.check_index(root, audited, options.check))
        if options.annotate_script:
            outcomes.append(living.annotate_scripts(root, audited.report))
    # A line may start with a repository path (`::error::x/pull-images.sh is annotated
    # already`): no line of it may be a workflow command.
    lines = (log_text(line) for outcome in outcomes for line in outcome.lines)
    out.writelines(inert_output(line) + "\n" for line in lines)
    return max(outcome.code for outcome in outcomes)


def _render_check(
    options: argparse.Namespace,
    env: Mapping[str, str],
    verdict: Verdict,
    refs: render.CheckRefs,
    root: Path,
) -> str | Iterable[bytes]:
    if options.format == "json":
        return render.check_json_bytes(verdict, refs)
    if options.format == "sarif":
        return render.render_check_sarif(verdict, refs)
    # Git's rename detection tells a doc that moved from one that was deleted.
    from .renames import read_renames  # noqa: PLC0415  (see TYPE_CHECKING)

    renames = read_renames(root, refs.base_sha, refs.head_sha)
    if options.format == "text":
        return render.render_check_text(verdict, refs, renames=renames)
    head_sha = refs.head_sha or _head_sha(root)
    links = render.Links(_link_base(options, env), head_sha, refs.base_sha)
    return render.render_check_markdown(verdict, refs, links=links, renames=renames)


def _demo(format_name: str, out: TextIO) -> int:
    with ExitStack() as stack:
        from importlib import resources  # noqa: PLC0415  (the demo only)

        root = stack.enter_context(resources.as_file(resources.files(__package__) / "sample"))
        from .engine import run_audit  # noqa: PLC0415  (see `_audit`)

        report = run_audit(WorkTree(root), read_config(root, None))
    out.write(inert_output(_renderer(format_name)(report), json=format_name == "json"))
    return 0


def _emit(
    text: str | Iterable[str] | Iterable[bytes],
    output: str | None,
    out: TextIO,
    format_name: str,
    root: Path,
) -> None:
    """Write a report to `output` or stdout; JSON comes in UTF-8 pieces, which never split
    a string (see `data.json_bytes`), so each piece is made inert on its own."""
    if output is not None:
        from .safefile import require_not_linked_out, write_file  # noqa: PLC0415

        require_not_linked_out(root, Path(output), output)

        # A checkout may hold a symlink by the report's name: replace it, never write through
        # it; but `--output /dev/stdout` (or a pipe) is written to.
        write_file(Path(output), text, shown=output, what="the report", streams=True)
        return
    # On a runner, stdout is read for workflow commands.
    report = _ReportOut(out)
    for piece in (text,) if isinstance(text, str) else text:
        if isinstance(piece, str):
            report.text(inert_output(piece, json=format_name == "json"))
        else:
            report.data(inert_json_bytes(piece))
    report.end()


class _ReportOut:
    """A report's pieces to `out` in their order: text as it comes, UTF-8 bytes to the
    buffer below it (where it has one) in writes of `_CHUNK` bytes or more. A JSON report
    comes in thousands of pieces, and stdout may be unbuffered (`PYTHONUNBUFFERED`, as
    container images often set it): one system call each took 6,000 for 3,000 images."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.binary = getattr(out, "buffer", None)  # None: a StringIO
        self.held: list[bytes] = []
        self.size = 0

    def text(self, piece: str) -> None:
        self._release()
        self.out.write(piece)

    def data(self, piece: bytes) -> None:
        if self.binary is None:
            self.out.write(piece.decode("utf-8"))
            return
        self.held.append(piece)
        self.size += len(piece)
        if self.size >= _CHUNK:
            self._release()

    def end(self) -> None:
        self._release()

    def _release(self) -> None:
        if self.binary is not None and self.held:
            self.out.flush()  # the text given before goes first
            # (One piece alone, as a large image's may be, is written without a copy.)
            held = self.held
            self.binary.write(held[0] if len(held) == 1 else b"".join(held))
            self.held, self.size = [], 0


_CHUNK = 1 << 20


def run() -> None:
    """The console script."""
    # A run allocates millions of small objects (hits, lines, outlines) that live to its
    # end and hold no cycles: the cyclic collector only walks them again and again, 15 %
    # of a large audit even when it runs a hundred times less often than by default.
    # It is off: a run leaves about a thousand objects in cycles, however many docs the
    # tree has (tests/test_garbage.py), and reference counting frees everything else.
    gc.disable()
    for stream in (sys.stdout, sys.stderr):
        # Names from a fork's pull script must not crash a terminal that is not UTF-8.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    code = main()
    # The interpreter's own ending (module by module, every cache) takes 10 ms of a small
    # audit and frees nothing the system would not: once the streams are flushed, the
    # process ends here. A run leaves nothing else to end (no atexit hook, temporary file
    # or unflushed file: `main` closes what it opened; a git process ends with its pipe).
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away with the end of the report unread
        os._exit(READER_GONE)
    except OSError as error:  # the last of the output met a full disk
        if error.errno not in _NO_ROOM:
            sys.exit(code)  # the usual ending reports it, as it always did
        with suppress(OSError):
            sys.stderr.write(f"{PROG}: {_no_room(error)}\n")
            sys.stderr.flush()
        os._exit(2)
    os._exit(code)
