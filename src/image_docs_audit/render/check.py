"""The gate's `Verdict` as JSON for scripts, text for a terminal and Markdown for the PR comment.

The text and the Markdown both render one renderer model (`outcome.Outcome`), so they say
the same numbers and the same fixes; the comment's size limit is kept in `comment`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import cast

from ..gate import Finding, GroupDelta, Verdict
from ..model import Report
from ..renames import folder_moves
from .audit_outcome import audit_outcome
from .check_outcome import check_outcome
from .comment import COMMENT_BUDGET, Target, render_page
from .data import (
    SCHEMA_VERSION,
    json_bytes,
    json_pieces,
    materialized,
    report_fields,
    report_to_dict,
)
from .links import NO_LINKS, Links
from .outcome import CheckRefs, Outcome
from .terminal import render_outcome_text

__all__ = ["COMMENT_BUDGET", "CheckRefs", "Target"]


# JSON ---------------------------------------------------------------------------------


def check_to_dict(verdict: Verdict, refs: CheckRefs) -> dict[str, object]:
    """The check as plain JSON values; summaries and images as `report_to_dict` spells them."""
    return materialized(_check_fields(verdict, refs))


def _check_fields(verdict: Verdict, refs: CheckRefs) -> dict[str, object]:
    """`check_to_dict`, with the head's images and warnings converted as they are written."""
    # Of the base, the summary and the groups only: its images (every piece of evidence)
    # would cost as much to convert as the head's, for nothing.
    base, head = _counts_dict(verdict.base), report_fields(verdict.head)
    return {
        "schema_version": SCHEMA_VERSION,
        "verdict": "pass" if verdict.passed else "fail",
        "base": {"ref": refs.base_ref, "sha": refs.base_sha, "summary": base["summary"]},
        "head": {"ref": refs.head_ref, "sha": refs.head_sha, "summary": head["summary"]},
        "regressions": [_finding(finding) for finding in verdict.regressions],
        "improvements": [_finding(finding) for finding in verdict.improvements],
        "removed": [_finding(finding) for finding in verdict.removed],
        "orphans": list(verdict.orphans),
        "groups": _group_deltas(verdict.groups, _counts_by_name(base), _counts_by_name(head)),
        "policy": {
            "fail_under": float(verdict.policy.fail_under),
            "max_drop": float(verdict.policy.max_drop),
        },
        "config_change": _config_change(verdict),
        "images": head["images"],
        "warnings": head["warnings"],
    }


def _counts_dict(report: Report) -> dict[str, object]:
    """The summary and groups of `report_to_dict(report)`, without the rest."""
    counted = replace(
        report, images=(), warnings=(), docs=(), orphans=(), drift=(), port_conflicts=()
    )
    full = report_to_dict(counted)
    return {"summary": full["summary"], "groups": full["groups"]}


def _config_change(verdict: Verdict) -> dict[str, object] | None:
    effect = verdict.config_effect
    if effect is None:
        return None
    return {
        "path": effect.path,
        "head_coverage_under_base_config": _points(effect.coverage),
        "regressions_under_base_config": effect.regressions,
        "policy_changes": list(effect.policy_changes),
    }


def _points(value: float) -> float:
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def render_check_json(verdict: Verdict, refs: CheckRefs) -> str:
    return "".join(check_json_pieces(verdict, refs))


def check_json_pieces(verdict: Verdict, refs: CheckRefs) -> Iterator[str]:
    """`render_check_json` in pieces (see `data.json_pieces`)."""
    if _plain_floats(verdict):
        return json_pieces(_check_fields(verdict, refs))
    return iter((json.dumps(check_to_dict(verdict, refs), indent=2, ensure_ascii=False), "\n"))


def check_json_bytes(verdict: Verdict, refs: CheckRefs) -> Iterator[bytes]:
    """`render_check_json` in UTF-8 pieces, written as they come (see `data.json_bytes`)."""
    if _plain_floats(verdict):
        return json_bytes(_check_fields(verdict, refs))
    return (piece.encode("utf-8", "replace") for piece in check_json_pieces(verdict, refs))


def _plain_floats(verdict: Verdict) -> bool:
    """Whether the fast encoder writes json's bytes for the verdict: it does but for
    floats under 1e-4 (`0.00001`, where json writes `1e-05`), and every float here is
    rounded to 0.1 except the policy's two."""
    policy = (verdict.policy.fail_under, verdict.policy.max_drop)
    return all(number == 0 or abs(number) >= _SMALLEST_PLAIN_FLOAT for number in policy)


_SMALLEST_PLAIN_FLOAT = 1e-4


def _finding(finding: Finding) -> dict[str, object]:
    return {
        "kind": str(finding.kind),
        "image": finding.image,
        "path": finding.path,
        "line": finding.line,
        "detail": finding.detail,
    }


def _counts_by_name(report: dict[str, object]) -> dict[str, dict[str, object]]:
    """A report's group counts by category, without the name they are keyed by."""
    groups = cast(list[dict[str, object]], report["groups"])
    return {
        str(group["name"]): {key: value for key, value in group.items() if key != "name"}
        for group in groups
    }


def _group_deltas(
    deltas: Sequence[GroupDelta],
    base: dict[str, dict[str, object]],
    head: dict[str, dict[str, object]],
) -> list[dict[str, object]]:
    return [
        {
            "name": delta.name,
            "base": base.get(delta.name),
            "head": head.get(delta.name),
            # A category only one side has did not change by its coverage: no delta.
            "delta": None if delta.delta is None else _points(delta.delta),
        }
        for delta in deltas
    ]


# Text and Markdown: one renderer model ------------------------------------------------


def check_view(
    verdict: Verdict, refs: CheckRefs, renames: Mapping[str, str] | None = None
) -> Outcome:
    """The renderer model of a check; `renames` (old path to new, from git) name moved docs."""
    renames = renames or {}
    moves = folder_moves(renames, verdict.base.docs, verdict.head.docs)
    return check_outcome(verdict, refs, renames, moves)


def render_check_text(
    verdict: Verdict, refs: CheckRefs, *, renames: Mapping[str, str] | None = None
) -> str:
    return render_outcome_text(check_view(verdict, refs, renames))


def render_check_markdown(
    verdict: Verdict,
    refs: CheckRefs,
    *,
    links: Links = NO_LINKS,
    marker: str = "",
    renames: Mapping[str, str] | None = None,
    target: Target = Target.COMMENT,
    budget: int | None = None,
) -> str:
    """The pull-request comment (or, with `target=Target.SUMMARY`, the job summary), within
    GitHub's limit whatever the inventory's size. `marker` comes first, verbatim."""
    outcome = check_view(verdict, refs, renames)
    return render_page(outcome, links, marker=marker, target=target, budget=budget)


def render_audit_comment(
    report: Report, fail_under: float, *, links: Links = NO_LINKS, marker: str = ""
) -> str:
    """The audit-mode comment: the check's page with the gaps, under the comment's budget."""
    return render_page(audit_outcome(report, fail_under), links, marker=marker)
