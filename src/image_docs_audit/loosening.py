"""How a change's config edit loosens the gate, and the head's settings without it. Pure.

A pull request edits the config it is checked with. Each setting that can make a failing
head pass is compared with the base's: when the head's is looser, the change is named
("turns count-mentioned on") and the base's value is put back, so the check can tell
whether the head passes without the loosening (see `gate.judge_loosening`). Every other
edit (docs folders, pull scripts, a stricter value) is left as the head has it: only the
loosening is undone, so a change that also moves its docs is not blamed for the move.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from .config import AuditSettings, IgnoreRule
from .model import Depth, InventoryMode
from .policy import Policy
from .records import record

_SelectorMap = tuple[tuple[str, tuple[str, ...]], ...]

# A change is one line of the comment, the log and the report, whatever the config lists:
# the first names, each clipped, and how many more.
NAMED = 5
NAME_LIMIT = 80


@record
class Loosening:
    """`changes`: one phrase per loosened setting, empty when nothing is loosened;
    `strict`: the head's settings with each loosened setting back at the base's value."""

    changes: tuple[str, ...]
    strict: AuditSettings


def loosening(head: AuditSettings, base: AuditSettings) -> Loosening:
    """How `head` is looser than `base`, and `head` without that."""
    changes: list[str] = []
    strict = head
    for judge in _JUDGES:
        said, strict = judge(strict, base)
        changes.extend(said)
    return Loosening(tuple(changes), strict)


_Judge = Callable[[AuditSettings, AuditSettings], tuple[tuple[str, ...], AuditSettings]]


def listed(names: Sequence[str]) -> str:
    """`a, b, c, d, e and 3 more`: at most `NAMED` names, each at most `NAME_LIMIT` characters."""
    shown = ", ".join(
        name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…" for name in names[:NAMED]
    )
    return shown + (f" and {len(names) - NAMED:,} more" if len(names) > NAMED else "")


def _policy(head: AuditSettings, base: AuditSettings) -> tuple[tuple[str, ...], AuditSettings]:
    said = head.policy.loosened_from(base.policy)
    if not said:
        return (), head
    policy = Policy(
        max(head.policy.fail_under, base.policy.fail_under),
        min(head.policy.max_drop, base.policy.max_drop),
    )
    return said, replace(head, policy=policy)


def _completeness(
    head: AuditSettings, base: AuditSettings
) -> tuple[tuple[str, ...], AuditSettings]:
    """`min-completeness` lowered or removed, or a required section dropped under it."""
    floor = base.min_completeness
    if floor is None:
        return (), head
    said = []
    if head.min_completeness is None:
        said.append(f"removes min-completeness (was {floor:g})")
    elif head.min_completeness < floor:
        said.append(f"lowers min-completeness from {floor:g} to {head.min_completeness:g}")
    # Fewer sections to have is a higher score for the same doc.
    dropped = tuple(name for name in base.required_sections if name not in head.required_sections)
    if dropped:
        said.append(f"drops required sections {listed(dropped)}")
    if not said:
        return (), head
    strict = replace(
        head,
        min_completeness=max(floor, head.min_completeness or 0.0),
        required_sections=head.required_sections + dropped,
    )
    return tuple(said), strict


def _port_conflict(
    head: AuditSettings, base: AuditSettings
) -> tuple[tuple[str, ...], AuditSettings]:
    if not base.fail_on_port_conflict or head.fail_on_port_conflict:
        return (), head
    return ("turns fail-on-port-conflict off",), replace(head, fail_on_port_conflict=True)


def _require(head: AuditSettings, base: AuditSettings) -> tuple[tuple[str, ...], AuditSettings]:
    if base.require is not Depth.DEDICATED or head.require is Depth.DEDICATED:
        return (), head
    said = f"changes require from {base.require.value} to {head.require.value}"
    return (said,), replace(head, require=base.require)


def _mentioned(head: AuditSettings, base: AuditSettings) -> tuple[tuple[str, ...], AuditSettings]:
    if base.count_mentioned or not head.count_mentioned:
        return (), head
    return ("turns count-mentioned on",), replace(head, count_mentioned=False)


def _ignore(head: AuditSettings, base: AuditSettings) -> tuple[tuple[str, ...], AuditSettings]:
    """New ignore rules take images out of the coverage a failing head is judged by."""
    known = {rule.selector for rule in base.ignore}
    added = [rule.selector for rule in head.ignore if rule.selector not in known]
    if not added:
        return (), head
    kept: tuple[IgnoreRule, ...] = tuple(rule for rule in head.ignore if rule.selector in known)
    return (f"adds ignore rules for {listed(added)}",), replace(head, ignore=kept)


def _documentation(
    head: AuditSettings, base: AuditSettings
) -> tuple[tuple[str, ...], AuditSettings]:
    """New `documentation` entries declare an image documented by a doc that may not name it."""
    added, kept = _added_entries(head.documentation, base.documentation)
    if not added:
        return (), head
    return (f"adds documentation entries for {listed(added)}",), replace(head, documentation=kept)


def _aliases(head: AuditSettings, base: AuditSettings) -> tuple[tuple[str, ...], AuditSettings]:
    """A new alias is a new name to find an image by: a short one can document anything."""
    added, kept = _added_entries(head.aliases, base.aliases)
    if not added:
        return (), head
    return (f"adds aliases for {listed(added)}",), replace(head, aliases=kept)


def _strip_prefix(
    head: AuditSettings, base: AuditSettings
) -> tuple[tuple[str, ...], AuditSettings]:
    """A prefix stripped that the base did not strip gives images short names to be
    found by (`api` for `app-api`), like an alias. Detection (None) may strip any."""
    now, before = head.strip_prefix, base.strip_prefix
    if now in (before, ()) or (now is not None and before is not None and set(now) <= set(before)):
        return (), head
    said = f"changes strip-prefix from {_prefixes(before)} to {_prefixes(now)}"
    return (said,), replace(head, strip_prefix=before)


def _prefixes(value: tuple[str, ...] | None) -> str:
    return "detected" if value is None else f"[{listed(value)}]"


def _added_entries(head: _SelectorMap, base: _SelectorMap) -> tuple[list[str], _SelectorMap]:
    """The selectors `head` gives a value `base` does not, and `head` with only the
    values `base` gives too."""
    before = dict(base)
    added, kept = [], []
    for selector, values in head:
        old = before.get(selector, ())
        if any(value not in old for value in values):
            added.append(selector)
        same = tuple(value for value in values if value in old)
        if same:
            kept.append((selector, same))
    return added, tuple(kept)


def narrowing(head: AuditSettings, base: AuditSettings) -> Loosening:
    """How `head` reads fewer of the files that add images than `base`, and `head` with
    them back: pull scripts the base names, paths it does not exclude, its other
    inventory files and `inventory-mode: all`.

    Both sides are audited with the head's config, so an image it stops reading leaves
    the base too, and no regression would name it. Whether these edits narrow the
    inventory at all depends on the files (a renamed script, an excluded docs folder do
    not): the caller asks that of the head before it counts them (see `run_check`).
    """
    said: list[str] = []
    strict = head
    dropped = tuple(glob for glob in base.pull_scripts if glob not in head.pull_scripts)
    if dropped:
        said.append(f"stops reading pull scripts {listed(dropped)}")
        strict = replace(strict, pull_scripts=head.pull_scripts + dropped)
    added = tuple(glob for glob in head.exclude if glob not in base.exclude)
    if added:
        said.append(f"excludes {listed(added)}")
        strict = replace(strict, exclude=tuple(g for g in head.exclude if g in base.exclude))
    if base.inventory_mode is InventoryMode.ALL:
        if head.inventory_mode is not InventoryMode.ALL:
            said.append(f"changes inventory-mode from all to {head.inventory_mode.value}")
            strict = replace(strict, inventory_mode=InventoryMode.ALL)
        others = tuple(entry for entry in base.inventory if entry not in head.inventory)
        if others:
            kinds = ", ".join(sorted({entry.kind.value for entry in others}))
            said.append(f"stops reading {kinds} files of the inventory")
            strict = replace(strict, inventory=head.inventory + others)
    return Loosening(tuple(said), strict)


_JUDGES: tuple[_Judge, ...] = (
    _policy,
    _completeness,
    _port_conflict,
    _require,
    _mentioned,
    _ignore,
    _documentation,
    _aliases,
    _strip_prefix,
)
