"""`image-docs-audit action`: the container's entry point, from the runner's environment
to the verdict, the job summary, the outputs and the sticky pull-request comment.

The verdict is decided before GitHub is called, and nothing GitHub answers can
change it: a comment that cannot be written is one warning, never a failure.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from ..app import Audited, audit_root, check_trees
from ..config import Overrides
from ..errors import InputError
from ..gate import Finding, Verdict
from ..gitsource import GitTree, checkout_sha, fetch_commit
from ..living import StaleIndex, stale_index
from ..model import RegressionKind, Report
from ..records import record
from ..renames import read_renames
from ..render import (
    CheckRefs,
    Links,
    Target,
    check_to_dict,
    render_audit_comment,
    render_check_markdown,
    render_check_sarif,
    render_markdown,
    render_sarif,
    report_to_dict,
)
from ..render.badge import badge_svg
from ..render.escape import log_text, md_cell
from ..safefile import write_inside
from ..worktree import WorkTree
from .client import GitHubClient, GitHubError
from .commands import annotation, annotations_for
from .comment import Lifecycle, marker, upsert_comment
from .event import Plan, load_event, plan
from .poster import post, read_body
from .runner import append_summary, set_outputs
from .settings import ActionSettings, read_action_settings

REPORT_NAME = "image-docs-audit-report.json"
COMMENT_NAME = "image-docs-audit-comment.md"
PROG = "image-docs-audit"
INTERNAL_ERROR = 3  # the exit code of a bug, told apart from a failed check (1)
READ_ONLY_HINT = (
    "the token cannot write pull-request comments (a pull request from a fork gets a "
    "read-only token); the verdict, the outputs and the job summary are complete. To comment "
    "on fork pull requests, keep this check on pull_request with comment: never, upload its "
    "comment-body output as an artifact, and post it from a workflow_run workflow with "
    "mode: comment (see the README); never check out a fork's head under pull_request_target"
)


@record
class Outcome:
    """What the run decided, before anything is written to GitHub."""

    passed: bool
    report: Report  # the head's
    verdict: Verdict | None  # in check mode
    summary: str  # Markdown for the job summary: every row, up to 1 MiB
    comment: str  # Markdown for the comment, marker first, within the comment's limit
    data: dict[str, object]  # the JSON report
    sarif: str  # the SARIF log, written when the `sarif` input names a file
    stale_index: StaleIndex | None = None  # in audit mode; a check has it as a regression
    summary_tail: str = ""  # why an audit failed, said after the summary and kept by a cut


@record
class Services:
    """The outside world the action talks to, injected so tests need no network or waits."""

    open_base: Callable[[Path, str, str], GitTree]
    connect: Callable[[ActionSettings], GitHubClient]


def _open_base(workspace: Path, base: str, source: str) -> GitTree:
    """The base commit; fetched from origin once when the clone lacks it."""
    try:
        return GitTree.open(workspace, base, source)
    except InputError:
        if not fetch_commit(workspace, base):
            raise
    return GitTree.open(workspace, base, source)


def _connect(settings: ActionSettings) -> GitHubClient:
    return GitHubClient(settings.token, settings.api_url, retry_budget=settings.api_budget)


SERVICES = Services(open_base=_open_base, connect=_connect)


def run_action(env: Mapping[str, str], out: TextIO, services: Services = SERVICES) -> int:
    """Run as the runner runs a container action; 0 pass, 1 fail (2 is raised as InputError)."""
    settings = read_action_settings(env)
    if settings.mode == "comment":
        return _post_comment(settings, load_event(settings.event_path), out, services)
    chosen = plan(settings, load_event(settings.event_path))
    outcome = _decide(settings, chosen, services)
    _write_report(settings.workspace, outcome.data)
    if settings.badge:
        svg = badge_svg(outcome.report.summary.coverage)
        write_inside(settings.workspace, settings.badge, svg, what="the badge")
    body_path = _write_body(settings, chosen, outcome)
    if settings.sarif is not None:
        write_inside(settings.workspace, settings.sarif, outcome.sarif, what="the SARIF log")
    if outcome.verdict is not None:
        # Room for the one warning a comment that cannot be written gets (see `_comment`).
        after = int(chosen.pull_request is not None and settings.comment != "never")
        lines = annotations_for(outcome.verdict, warnings_after=after)
        out.writelines(line + "\n" for line in lines)
    if outcome.stale_index is not None:
        stale = outcome.stale_index
        line = annotation(
            "error", stale.message, title=f"{PROG}: index_stale", file=stale.path, line=stale.line
        )
        out.write(line + "\n")
    if append_summary(settings.summary_path, outcome.summary, tail=outcome.summary_tail):
        out.write(annotation("notice", "the job summary was cut at 1 MiB") + "\n")
    url = _comment(settings, chosen, outcome, out, services)
    outputs = {**_outputs(outcome, url), "comment-body": body_path, "sarif": settings.sarif or ""}
    set_outputs(settings.output_path, outputs)
    out.write(
        f"image-docs-audit: {'pass' if outcome.passed else 'fail'}, "
        f"coverage {outcome.report.summary.coverage:.1f}%\n"
    )
    return 0 if outcome.passed else 1


def _write_body(settings: ActionSettings, chosen: Plan, outcome: Outcome) -> str:
    """The comment's body as a file for a `workflow_run` poster (see poster.py)."""
    if chosen.pull_request is None:
        return ""
    write_inside(settings.workspace, COMMENT_NAME, outcome.comment, what="the comment body")
    return COMMENT_NAME


def _post_comment(
    settings: ActionSettings, event: dict[str, Any], out: TextIO, services: Services
) -> int:
    """`mode: comment`: post the body file another run rendered, as the sticky comment."""
    if settings.event_name != "workflow_run" or settings.comment_body_file is None:
        raise InputError(
            "input 'mode'",
            "comment posts 'comment-body-file' on a workflow_run event; set both",
        )
    body = read_body(settings.workspace / settings.comment_body_file)
    try:
        with services.connect(settings) as client:
            lifecycle = Lifecycle(settings.comment_mode)
            result = post(
                client, settings.repository, event, body, settings.comment_id, lifecycle=lifecycle
            )
    except (GitHubError, ValueError) as error:
        out.write(annotation("warning", f"the comment was not posted: {error}", title=PROG) + "\n")
        return 0
    if result is None:
        out.write(annotation("notice", "the run was for no open pull request: no comment") + "\n")
        return 0
    out.write(
        f"image-docs-audit: comment {result.action}"
        + (f" ({log_text(result.url)})" if result.url else "")
        + "\n"
    )
    set_outputs(settings.output_path, {"comment-url": result.url or ""})
    return 0


def internal_error_line(command: str, error_name: str) -> str:
    """The one line an unexpected exception gets."""
    return (
        f"internal error in '{command}' ({error_name}); this is a bug in image-docs-audit, "
        "not a verdict on your change: please report it with the command and this line "
        "at the project's issue tracker"
    )


def report_undecided(env: Mapping[str, str], error_name: str, out: TextIO) -> None:
    """After an internal error: the outputs and a job summary that say no verdict was reached,
    so the failed step is never read as a failed check. Best effort: it must not raise."""
    summary = (
        "## ⚠️ image-docs-audit could not decide\n\n"
        f"An internal error ({error_name}) stopped the run before a verdict: this is neither "
        "a pass nor a failed check. The step's log has the one-line error; please report it.\n"
    )
    for write in (
        lambda: out.write(annotation("error", internal_error_line("action", error_name)) + "\n"),
        lambda: set_outputs(_env_path(env, "GITHUB_OUTPUT"), {"verdict": "error"}),
        lambda: append_summary(_env_path(env, "GITHUB_STEP_SUMMARY"), summary),
    ):
        with contextlib.suppress(Exception):
            write()


def _env_path(env: Mapping[str, str], name: str) -> Path | None:
    return Path(env[name]) if env.get(name) else None


def _write_report(workspace: Path, data: dict[str, object]) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_inside(workspace, REPORT_NAME, text, what="the JSON report")


def _overrides(settings: ActionSettings) -> Overrides:
    return Overrides(
        pull_scripts=settings.pull_scripts,
        docs=settings.docs,
        exclude=settings.exclude,
        fail_under=settings.fail_under,
        max_drop=settings.max_drop,
    )


def _links(settings: ActionSettings, chosen: Plan, base_sha: str | None) -> Links:
    """Absolute links to the files on the server: a relative one 404s in a comment.

    Head links point at the commit whose files were audited: the checkout. On a
    pull_request event that is GitHub's merge commit (GITHUB_SHA), not the pull request's
    head, and a line of a file the base changed too is at another number in each.
    """
    head = checkout_sha(settings.workspace) or settings.sha or chosen.head_sha
    return Links(f"{settings.server_url}/{settings.repository}", head, base_sha)


def _decide(settings: ActionSettings, chosen: Plan, services: Services) -> Outcome:
    overrides = _overrides(settings)
    mark = marker(settings.comment_id)
    if chosen.mode == "audit" or chosen.base is None:
        audited = audit_root(settings.workspace, settings.config, overrides)
        links = _links(settings, chosen, None)
        fail_under = audited.settings.policy.fail_under
        stale = _stale_index(settings, audited)
        said = f"\n> [!CAUTION]\n> {md_cell(stale.message)}\n" if stale else ""
        return Outcome(
            passed=audited.passed and stale is None,
            report=audited.report,
            verdict=None,
            summary=render_markdown(audited.report, links),
            summary_tail=said,
            comment=render_audit_comment(audited.report, fail_under, links=links, marker=mark),
            data=report_to_dict(audited.report),
            sarif=render_sarif(audited.report),
            stale_index=stale,
        )
    with ExitStack() as stack:
        opened = services.open_base(settings.workspace, chosen.base, chosen.base_source)
        base = stack.enter_context(opened)
        head = WorkTree(settings.workspace)
        check = check_trees(
            settings.workspace, settings.config, overrides, base, head, head_is_commit=False
        )
    refs = CheckRefs(chosen.base_label, base.sha, chosen.head_label, chosen.head_sha)
    links = _links(settings, chosen, base.sha)
    renames = read_renames(settings.workspace, base.sha, None)  # to the checked-out files
    verdict = _with_index(check.verdict, _stale_index(settings, None))

    def page(target: Target, mark: str) -> str:
        return render_check_markdown(
            verdict, refs, links=links, marker=mark, renames=renames, target=target
        )

    return Outcome(
        verdict.passed,
        verdict.head,
        verdict,
        page(Target.SUMMARY, ""),
        page(Target.COMMENT, mark),
        check_to_dict(verdict, refs),
        render_check_sarif(verdict, refs),
    )


def _stale_index(settings: ActionSettings, audited: Audited | None) -> StaleIndex | None:
    """The `index-check` input: the living index, checked as `index --check` checks it
    (against an audit of the checked-out files, not the check's shared names)."""
    if settings.index_check is None:
        return None
    if audited is None:
        audited = audit_root(settings.workspace, settings.config, _overrides(settings))
    return stale_index(settings.workspace, audited.report, settings.index_check)


def _with_index(verdict: Verdict, stale: StaleIndex | None) -> Verdict:
    """A stale index is a regression: the change that made it stale refreshes it."""
    if stale is None:
        return verdict
    finding = Finding(RegressionKind.INDEX_STALE, None, stale.path, stale.line, stale.message)
    return replace(verdict, passed=False, regressions=(*verdict.regressions, finding))


def _comment(
    settings: ActionSettings, chosen: Plan, outcome: Outcome, out: TextIO, services: Services
) -> str | None:
    """Post or update the sticky comment; any failure is a warning, never the verdict."""
    if chosen.pull_request is None or settings.comment == "never":
        return None
    if not settings.token:
        out.write(annotation("warning", "no github-token: the pull request gets no comment") + "\n")
        return None
    body = outcome.comment
    create = settings.comment == "always" or not outcome.passed
    try:
        client = services.connect(settings)
    except ValueError as error:  # a token it could not send (never quoted), or a bad URL
        message = f"the pull request gets no comment: {error}"
        out.write(annotation("warning", message, title="image-docs-audit") + "\n")
        return None
    try:
        with client:
            mark = marker(settings.comment_id)
            result = upsert_comment(
                client,
                settings.repository,
                chosen.pull_request,
                body,
                mark,
                create=create,
                lifecycle=Lifecycle(settings.comment_mode),
            )
    except GitHubError as error:
        out.write(annotation("warning", _comment_failure(error), title="image-docs-audit") + "\n")
        return None
    out.write(
        f"image-docs-audit: comment {result.action}"
        + (f" ({log_text(result.url)})" if result.url else "")
        + "\n"
    )
    return result.url


def _comment_failure(error: GitHubError) -> str:
    if error.status == 403 and "not accessible by integration" in str(error):
        return READ_ONLY_HINT
    return f"the pull-request comment was not written: {error}"


def _outputs(outcome: Outcome, url: str | None) -> dict[str, str]:
    summary = outcome.report.summary
    verdict = outcome.verdict
    return {
        "verdict": "pass" if outcome.passed else "fail",
        "coverage": f"{summary.coverage:.1f}",
        "dedicated-coverage": f"{summary.dedicated_coverage:.1f}",
        "base-coverage": f"{verdict.base.summary.coverage:.1f}" if verdict else "",
        "total": str(summary.total),
        "documented": str(summary.documented),
        "missing": str(summary.missing),
        "regressions": str(len(verdict.regressions)) if verdict else "0",
        "report-json": REPORT_NAME,  # relative: the same file in the container and on the runner
        "comment-url": url or "",
    }
