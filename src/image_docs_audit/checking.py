"""A check: the base and the head audited with one cache, and the gate's verdict.

Apart from `engine` (an audit of one tree) so that an audit does not load the gate,
the loosening rules nor what they import: a check is the only command that needs them.
"""

from __future__ import annotations

from dataclasses import replace

from .ahead import Started, start_audit
from .config import AuditSettings, same_rules
from .engine import (
    ScanCache,
    audit_side,
    build_matcher,
    parse_side,
    read_side,
    require_docs,
    require_inventory,
)
from .facts import new_failures
from .gate import (
    ConfigEffect,
    Finding,
    Verdict,
    decide,
    judge_loosening,
    with_hidden_losses,
)
from .loosening import Loosening, loosening, narrowing
from .model import Report
from .records import record
from .worktree import Tree


@record
class Check:
    verdict: Verdict
    parses: int  # files parsed for both sides together


def run_check(
    base: Tree,
    head: Tree,
    settings: AuditSettings,
    base_settings: AuditSettings | None = None,
) -> Check:
    """Audit `base` and `head` with the head's settings and policy, and decide.

    When the base's own settings differ (the change edits the config), the head is
    judged by them too, base policy included, so that a weakened config shows in the
    verdict, and a loosened policy the head needs fails it.
    """
    cache = ScanCache()  # shared: a config edit that keeps the terms reuses every scan
    verdict = _check(base, head, settings, cache)
    if base_settings is not None and not same_rules(base_settings, settings):
        under_base = _check(base, head, base_settings, cache)
        path = settings.config_path or base_settings.config_path
        loose = _with_narrowing(
            head, settings, loosening(settings, base_settings), base_settings, cache
        )
        effect = ConfigEffect(
            path=path or "",
            coverage=under_base.head.summary.coverage,
            regressions=len(under_base.regressions),
            policy_changes=loose.changes,
        )
        verdict = replace(with_hidden_losses(verdict, under_base), config_effect=effect)
        if loose.changes:
            strict = _check(base, head, loose.strict, cache)
            verdict = judge_loosening(verdict, strict, loose.changes, path)
    return Check(verdict, cache.parses)


def _with_narrowing(
    head: Tree, settings: AuditSettings, loose: Loosening, base: AuditSettings, cache: ScanCache
) -> Loosening:
    """`loose`, and the edits that make the head read fewer images than the base's
    config would (see `narrowing`), when they do."""
    narrow = narrowing(loose.strict, base)
    if not narrow.changes:
        return loose
    read = read_side(head, settings, cache).inventory.images
    with_base_files = read_side(head, narrow.strict, cache).inventory.images
    if {image.key for image in with_base_files} <= {image.key for image in read}:
        return loose  # a renamed script, an excluded docs folder: no image comes back
    return Loosening(loose.changes + narrow.changes, narrow.strict)


def _check(base: Tree, head: Tree, settings: AuditSettings, cache: ScanCache) -> Verdict:
    # The head's docs are outlined ahead in the first check only: a second one (under the
    # base's config) finds them scanned.
    started = start_audit(head, settings, ahead=not cache.texts)
    try:
        return _check_sides(base, head, settings, cache, started)
    finally:
        started.end()


def _check_sides(
    base: Tree, head: Tree, settings: AuditSettings, cache: ScanCache, started: Started
) -> Verdict:
    head_side = parse_side(head, settings, cache, started.files, started.selection)
    base_side = read_side(base, settings, cache)
    # A head without images is a regression when the base had some (the change deleted
    # or emptied the pull script), and an input error when neither side has any.
    if not base_side.inventory.images:
        require_inventory(head_side, settings)
    require_docs(head_side, settings, base_side)
    # One set of names for both sides: base and head are judged by the same prefix.
    images = (*head_side.inventory.images, *base_side.inventory.images)
    sides = (head_side.inventory.images, base_side.inventory.images)
    terms = build_matcher(images, settings, cache, sides)
    head_report = audit_side(head_side, settings, terms, cache, ahead=started.ahead)
    # The base's facts count only where the gate judges what a change adds to them.
    judged = settings.fail_on_port_conflict or settings.min_completeness is not None
    base_report = audit_side(base_side, settings, terms, cache, facts=judged)
    # A doc is an index doc at both sides if it is one at either (it names more than half
    # of one side's images): the images a change adds or retires must not turn an unchanged
    # composite report into an index, losing its images their docs, nor an old audit's
    # table of missing images into evidence.
    index = frozenset((*head_report.index_docs, *base_report.index_docs))
    if _more_index(head_report, index):
        head_report = audit_side(head_side, settings, terms, cache, index_too=index)
    if _more_index(base_report, index):
        base_report = audit_side(base_side, settings, terms, cache, facts=judged, index_too=index)
    return _with_fact_regressions(decide(base_report, head_report, settings.policy), settings)


def _more_index(report: Report, index: frozenset[str]) -> bool:
    """Whether `index` holds a doc of `report` that is no index doc in it."""
    return bool((index & frozenset(report.docs)) - frozenset(report.index_docs))


def _with_fact_regressions(verdict: Verdict, settings: AuditSettings) -> Verdict:
    """The verdict with the port conflicts and incomplete docs the change adds, when the
    config makes them fail (`fail-on-port-conflict`, `min-completeness`)."""
    found = [
        Finding(
            failure.kind,
            failure.image,
            failure.location.path if failure.location else None,
            failure.location.line if failure.location else None,
            failure.detail,
        )
        for failure in new_failures(verdict.base, verdict.head, settings)
    ]
    if not found:
        return verdict
    return replace(verdict, passed=False, regressions=(*verdict.regressions, *found))
