"""The application: from a root, a config file and the caller's overrides to a report or
a verdict. The CLI and the action both call these two functions, so reading the config,
applying overrides, reading the base's config and choosing the policy happen once.

The trees are the caller's: it opens the git commits (and may fetch one), so tests hand
in real repositories without any network or retry waiting.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .ahead import Started
from .config import AuditSettings, Overrides, base_config_at, config_at, read_config
from .engine import run_audit
from .facts import fact_failures
from .model import Report
from .records import record
from .worktree import Tree, WorkTree

if TYPE_CHECKING:
    from .checking import Check


@record
class Audited:
    report: Report
    settings: AuditSettings

    @property
    def passed(self) -> bool:
        covered = self.report.summary.coverage >= self.settings.policy.fail_under
        return covered and not fact_failures(self.report, self.settings)


def audit_root(root: Path, config: str | None, overrides: Overrides) -> Audited:
    """Audit the files under `root` with its config and the overrides."""
    return audit_tree(WorkTree(root), overrides.apply(read_config(root, config)))


def audit_tree(tree: Tree, settings: AuditSettings, started: Started | None = None) -> Audited:
    """Audit the files of `tree` with `settings`; `started`: see `engine.run_audit`."""
    return Audited(run_audit(tree, settings, started), settings)


def check_trees(
    root: Path,
    config: str | None,
    overrides: Overrides,
    base: Tree,
    head: Tree,
    *,
    head_is_commit: bool,
) -> Check:
    """Check `head` against `base`. The config (and with it the policy) is the head's; the
    base's config, when it differs, judges the head too (see `run_check`). The overrides
    apply to both: they come from the workflow or the command line, not from the change."""
    head_config = config_at(head, config) if head_is_commit else read_config(root, config)
    settings = overrides.apply(head_config)
    base_config = base_config_at(base, config)
    base_settings = None if base_config is None else overrides.apply(base_config)
    from .checking import run_check  # noqa: PLC0415  (a check only: an audit starts without the gate)

    return run_check(base, head, settings, base_settings)
