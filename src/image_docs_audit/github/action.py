"""`image-docs-audit action`: the container's entry point, from the runner's environment
to the verdict, the job summary, the outputs and the sticky pull-request comment.

The verdict is decided before GitHub is called, and nothing GitHub answers can
change it: a comment that cannot be written is one warning, never a failure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..config import AuditSettings, base_config_at, read_config, with_overrides
from ..engine import run_audit, run_check
from ..errors import InputError
from ..gate import Policy, Verdict
from ..gitsource import GitTree, fetch_commit
from ..model import Report
from ..render import (
    CheckRefs,
    check_to_dict,
    render_check_markdown,
    render_check_sarif,
    render_markdown,
    render_sarif,
    report_to_dict,
)
from ..worktree import WorkTree
from .client import GitHubClient, GitHubError
from .commands import annotation, annotations_for
from .comment import marker, upsert_comment
from .event import Plan, load_event, plan
from .runner import append_summary, set_outputs
from .settings import ActionSettings, read_action_settings
from .workspace_file import write_in_workspace

REPORT_NAME = "image-docs-audit-report.json"
READ_ONLY_HINT = (
    "the token cannot write pull-request comments (a pull request from a fork gets a "
    "read-only token); the verdict, the outputs and the job summary are complete. To comment "
    "on fork pull requests, run on pull_request_target with actions/checkout of the pull "
    "request's head sha and persist-credentials: false; this action only reads the files, "
    "and no later step of that job may run code from the checkout"
)


@dataclass(frozen=True)
class Outcome:
    """What the run decided, before anything is written to GitHub."""

    passed: bool
    report: Report  # the head's
    verdict: Verdict | None  # in check mode
    summary: str  # Markdown for the job summary and the comment
    data: dict[str, object]  # the JSON report
    sarif: str  # the SARIF log, written when the `sarif` input names a file


def run_action(env: Mapping[str, str], out: TextIO) -> int:
    """Run as the runner runs a container action; 0 pass, 1 fail (2 is raised as InputError)."""
    settings = read_action_settings(env)
    chosen = plan(settings, load_event(settings.event_path))
    audit_settings = _audit_settings(settings)
    outcome = _decide(settings, chosen, audit_settings)
    _write_report(settings.workspace / REPORT_NAME, outcome.data)
    if settings.sarif is not None:
        write_in_workspace(settings.workspace, settings.sarif, outcome.sarif, "input 'sarif'")
    if outcome.verdict is not None:
        out.writelines(line + "\n" for line in annotations_for(outcome.verdict))
    if append_summary(settings.summary_path, outcome.summary):
        out.write(annotation("notice", "the job summary was cut at 1 MiB") + "\n")
    url = _comment(settings, chosen, outcome, out)
    set_outputs(settings.output_path, {**_outputs(outcome, url), "sarif": settings.sarif or ""})
    out.write(
        f"image-docs-audit: {'pass' if outcome.passed else 'fail'}, "
        f"coverage {outcome.report.summary.coverage:.1f}%\n"
    )
    return 0 if outcome.passed else 1


def _write_report(path: Path, data: dict[str, object]) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8", errors="replace")
    except OSError as error:
        raise InputError(str(path), f"cannot write the JSON report: {error.strerror}") from None


def _audit_settings(settings: ActionSettings) -> AuditSettings:
    return _with_inputs(settings, read_config(settings.workspace, settings.config))


def _with_inputs(settings: ActionSettings, config: AuditSettings) -> AuditSettings:
    return with_overrides(
        config,
        pull_scripts=settings.pull_scripts,
        docs=settings.docs,
        exclude=settings.exclude,
        fail_under=settings.fail_under,
        max_drop=settings.max_drop,
    )


def _decide(settings: ActionSettings, chosen: Plan, audit: AuditSettings) -> Outcome:
    if chosen.mode == "audit" or chosen.base is None:
        report = run_audit(WorkTree(settings.workspace), audit)
        return Outcome(
            passed=report.summary.coverage >= audit.fail_under,
            report=report,
            verdict=None,
            summary=render_markdown(report),
            data=report_to_dict(report),
            sarif=render_sarif(report),
        )
    with ExitStack() as stack:
        base = stack.enter_context(_base_tree(settings.workspace, chosen.base, chosen.base_source))
        policy = Policy(audit.fail_under, audit.max_drop)
        base_config = base_config_at(base, settings.config)
        base_audit = None if base_config is None else _with_inputs(settings, base_config)
        check = run_check(base, WorkTree(settings.workspace), audit, policy, base_audit)
    refs = CheckRefs(chosen.base_label, base.sha, chosen.head_label, chosen.head_sha)
    link_base = f"{settings.server_url}/{settings.repository}/blob/{chosen.head_sha}"
    body = render_check_markdown(
        check.verdict,
        refs,
        link_base=link_base if chosen.head_sha else None,
        marker=marker(settings.comment_id),
    )
    return Outcome(
        check.verdict.passed,
        check.verdict.head,
        check.verdict,
        body,
        check_to_dict(check.verdict, refs),
        render_check_sarif(check.verdict, refs),
    )


def _base_tree(workspace: Path, base: str, source: str) -> GitTree:
    """The base commit; fetched from origin once when the clone lacks it."""
    try:
        return GitTree.open(workspace, base, source)
    except InputError:
        if not fetch_commit(workspace, base):
            raise
    return GitTree.open(workspace, base, source)


def _comment(settings: ActionSettings, chosen: Plan, outcome: Outcome, out: TextIO) -> str | None:
    """Post or update the sticky comment; any failure is a warning, never the verdict."""
    if chosen.pull_request is None or settings.comment == "never":
        return None
    if not settings.token:
        out.write(annotation("warning", "no github-token: the pull request gets no comment") + "\n")
        return None
    body = outcome.summary
    if outcome.verdict is None:  # an audit on a pull request still gets its marker
        body = marker(settings.comment_id) + "\n" + body
    create = settings.comment == "always" or not outcome.passed
    try:
        with GitHubClient(
            settings.token, settings.api_url, retry_budget=settings.api_budget
        ) as client:
            result = upsert_comment(
                client,
                settings.repository,
                chosen.pull_request,
                body,
                marker(settings.comment_id),
                create=create,
            )
    except GitHubError as error:
        out.write(annotation("warning", _comment_failure(error), title="image-docs-audit") + "\n")
        return None
    except ValueError:  # the client refuses a token it could not send (never quoted)
        message = "the github-token input is not a usable token: the pull request gets no comment"
        out.write(annotation("warning", message, title="image-docs-audit") + "\n")
        return None
    out.write(
        f"image-docs-audit: comment {result.action}"
        + (f" ({result.url})" if result.url else "")
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
        "base-coverage": f"{verdict.base.summary.coverage:.1f}" if verdict else "",
        "total": str(summary.total),
        "documented": str(summary.documented),
        "missing": str(summary.missing),
        "regressions": str(len(verdict.regressions)) if verdict else "0",
        "report-json": REPORT_NAME,  # relative: the same file in the container and on the runner
        "comment-url": url or "",
    }
