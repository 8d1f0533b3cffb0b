"""The gate: compare the head of a change with its base and decide pass or fail. Pure.

A regression names the image, its kind and the line to look at:

- `new_undocumented`: an image the change adds that is not documented;
- `newly_missing`: an image documented at base that is not at head (and, where the change
  edits the config, one that loses its docs under the base's config and is undocumented
  at head: see `with_hidden_losses`);
- `coverage_drop`: coverage fell by more than the allowed points;
- `below_threshold`: head coverage is under `fail-under`;
- `policy_loosened`: the change loosens a gating setting of the config (`fail-under`,
  `max-drop`, `min-completeness`, `fail-on-port-conflict`, `require`, `count-mentioned`,
  new `ignore`, `documentation` or `aliases` entries), and the head would not pass
  without that loosening (a loosening it does not need only shows);
- `inventory_removed`: the base had images and the head has none (a pull script was
  deleted or emptied).

Everything else the change does (images removed, newly documented, docs that
name no image any more, per-category deltas) is reported and never fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum

from .counterparts import Index, Unknowns
from .model import (
    UNKNOWN_DOMAIN,
    UNKNOWN_TAG,
    Evidence,
    Group,
    Image,
    ImageRef,
    ImageResult,
    RegressionKind,
    Report,
    SourceKind,
    Status,
)
from .policy import Policy
from .records import record

__all__ = [
    "ConfigEffect",
    "Counterparts",
    "Finding",
    "Policy",
    "RegressionKind",
    "Verdict",
    "decide",
    "judge_loosening",
    "with_hidden_losses",
]


class ChangeKind(StrEnum):
    NEWLY_DOCUMENTED = "newly_documented"  # an image the base had, documented now
    NEW_DOCUMENTED = "new_documented"  # an image the change adds, with its docs
    REMOVED = "removed"  # an image the change takes out of the pull scripts


@record
class Finding:
    """A regression or a change: what, which image, and where to look."""

    kind: str
    image: str | None  # the reference as written; None for coverage findings
    path: str | None
    line: int | None
    detail: str


@record
class GroupDelta:
    name: str
    base: Group | None
    head: Group | None

    @property
    def delta(self) -> float | None:
        """Points of coverage gained; None for a category only one side has."""
        if self.base is None or self.head is None:
            return None
        return round(self.head.coverage - self.base.coverage, 1)


@record
class ConfigEffect:
    """What the change's edit of the config does: the head judged by the base's config."""

    path: str
    coverage: float  # the head's coverage under the base's config
    regressions: int  # the regressions the head would have under the base's config
    policy_changes: tuple[str, ...] = ()  # how the change loosens the policy, if it does


@record
class Verdict:
    passed: bool
    base: Report
    head: Report
    policy: Policy
    regressions: tuple[Finding, ...]
    improvements: tuple[Finding, ...]
    removed: tuple[Finding, ...]
    orphans: tuple[str, ...]
    groups: tuple[GroupDelta, ...]
    config_effect: ConfigEffect | None = None  # set when the change edits the config

    @property
    def delta(self) -> float:
        return round(self.head.summary.coverage - self.base.summary.coverage, 1)


def decide(base: Report, head: Report, policy: Policy) -> Verdict:
    """The verdict on `head` against `base` under `policy`."""
    counted = _covered_statuses(head)
    before = Counterparts(base)
    regressions = [
        *_inventory_removed(base, head),
        *_image_regressions(before, head, counted),
        *_coverage_regressions(base, head, policy),
    ]
    return Verdict(
        passed=not regressions,
        base=base,
        head=head,
        policy=policy,
        regressions=tuple(regressions),
        improvements=tuple(_improvements(before, head, counted)),
        removed=tuple(_removed(base, head)),
        orphans=_new_orphans(base, head),
        groups=_group_deltas(base.groups, head.groups),
    )


def judge_loosening(
    verdict: Verdict, strict: Verdict, changes: Sequence[str], config_path: str | None
) -> Verdict:
    """`verdict` with the change's loosening of the gate judged. `strict` is the verdict
    on the same change with each loosened setting back at the base's value (see
    `loosening.py`): what it finds and `verdict` does not is what the loosening hides, and
    a regression of its own. A loosening the head does not need is only shown in the config
    effect; a deliberate one lands on its own first."""
    reported = {(finding.kind, finding.image) for finding in verdict.regressions}
    failing = [
        finding for finding in strict.regressions if (finding.kind, finding.image) not in reported
    ]
    if not changes or not failing:
        return verdict
    shown = "; ".join(finding.detail for finding in failing[:_SHOWN])
    if len(failing) > _SHOWN:
        shown += f"; and {len(failing) - _SHOWN:,} more"
    detail = f"this change {' and '.join(changes)}; under the base's policy the head fails: {shown}"
    finding = Finding(RegressionKind.POLICY_LOOSENED, None, config_path, None, detail)
    return replace(verdict, passed=False, regressions=(*verdict.regressions, finding))


# A loosening that hides 1,500 lost docs is said in one line, not 1,500.
_SHOWN = 3


def with_hidden_losses(verdict: Verdict, under_base: Verdict) -> Verdict:
    """`verdict` with the lost docs only the base's config shows: an image the change
    takes the docs of (lost under the rules it started from) and leaves undocumented under
    its own rules, where those rules also read the base without them (an `exclude` of the
    doc deleted, a `docs` folder narrowed past it, an alias dropped, `require: dedicated`),
    so that the change's own config showed it as missing before the change."""
    counted = _covered_statuses(verdict.head)
    undocumented = {r.image.ref for r in verdict.head.images if r.status not in counted}
    reported = {finding.image for finding in verdict.regressions}
    hidden = [
        replace(finding, detail=f"{finding.detail} (under the base's config: {_HIDDEN})")
        for finding in under_base.regressions
        if finding.kind == RegressionKind.NEWLY_MISSING
        and finding.image in undocumented
        and finding.image not in reported
    ]
    if not hidden:
        return verdict
    return replace(verdict, passed=False, regressions=(*verdict.regressions, *hidden))


_HIDDEN = "this change's config edit reads the base without its docs too"


def _new_orphans(base: Report, head: Report) -> tuple[str, ...]:
    """The head's orphan docs the base did not have (looked up in a set: a repository may
    have tens of thousands, and a tuple is read whole for each)."""
    before = frozenset(base.orphan_docs)
    return tuple(path for path in head.orphan_docs if path not in before)


def _inventory_removed(base: Report, head: Report) -> list[Finding]:
    """A head with no image where the base had some: every image was removed at once."""
    if head.images or not base.images:
        return []
    gone = [path for path in base.scripts if path not in head.scripts]
    emptied = [path for path in head.scripts if path in base.scripts]
    parts = []
    if gone:
        parts.append(f"{', '.join(gone)} {'was' if len(gone) == 1 else 'were'} deleted")
    if emptied:
        parts.append(f"{', '.join(emptied)} {'lists' if len(emptied) == 1 else 'list'} no image")
    detail = f"the change removes the whole inventory ({len(base.images)} images at base): " + (
        " and ".join(parts) or "no pull script matches any more"
    )
    path = (gone + emptied)[0] if gone or emptied else None
    return [Finding(RegressionKind.INVENTORY_REMOVED, None, path, None, detail)]


def _covered_statuses(report: Report) -> frozenset[Status]:
    if report.count_mentioned:
        return frozenset({Status.DOCUMENTED, Status.MENTIONED, Status.IGNORED})
    return frozenset({Status.DOCUMENTED, Status.IGNORED})


class Counterparts:
    """One side's results, to find an image of the other side in: the same image, or
    where the tag of either is not known (`app:${TAG}`, see `ImageRef.tag_unknown`), an
    image of the same repository (the docs are the repository's); where the start of
    either is not known (`${REG}/app:1`), the image it may be (see `counterparts.py`: a
    registry moved into a variable is no new image)."""

    def __init__(self, report: Report) -> None:
        self.keys = {result.image.key: result for result in report.images}
        self.repositories: dict[str, ImageResult] = {}
        for result in report.images:
            self.repositories.setdefault(result.image.parsed.repository, result)
        self.results = report.images
        # Filed at the first image only they can answer for: a check whose images' starts
        # are all known files none.
        self.index: Index | None = None
        self.unknowns: Unknowns | None = None

    def get(self, image: Image) -> ImageResult | None:
        found = self.keys.get(image.key)
        parsed = image.parsed
        if found is None and parsed.tag_unknown:
            found = self.repositories.get(parsed.repository)
        if found is None:
            found = self.keys.get(f"{parsed.repository}:{UNKNOWN_TAG}")
        return found if found is not None else self._unknown_start(parsed)

    def _unknown_start(self, parsed: ImageRef) -> ImageResult | None:
        """The result `parsed` may be where the start of either is not known."""
        if parsed.domain == UNKNOWN_DOMAIN:
            if self.index is None:
                self.index = Index([result.image.parsed for result in self.results])
            index = self.index.find(parsed)
        else:
            if self.unknowns is None:
                self.unknowns = Unknowns([result.image.parsed for result in self.results])
            index = self.unknowns.find(parsed)
        return None if index is None else self.results[index]


def _image_regressions(
    before: Counterparts, head: Report, covered: frozenset[Status]
) -> list[Finding]:
    found = []
    docs = frozenset(head.docs)
    for result in head.images:
        image = result.image
        if result.status in covered:
            continue
        old = before.get(image)
        if old is None:
            where = _SOURCE_PHRASE[image.places[0].kind]
            detail = f"{image.ref} is new in {where} and has no documentation"
            found.append(_at_image(RegressionKind.NEW_UNDOCUMENTED, result, detail))
        elif old.status in covered and old.status is not Status.IGNORED:
            found.append(_at_image(RegressionKind.NEWLY_MISSING, result, _lost(old, docs)))
    return found


# Where a new image was read (`inventory-mode: all` takes images from every kind of file).
_SOURCE_PHRASE = {
    SourceKind.PULL_SCRIPT: "the pull script",
    SourceKind.COMPOSE: "a compose file",
    SourceKind.DOCKERFILE: "a Dockerfile",
    SourceKind.KUBERNETES: "a Kubernetes manifest",
    SourceKind.HELM_VALUES: "the Helm values",
    SourceKind.LIST: "an image list",
}


def _lost(old: ImageResult, docs: frozenset[str]) -> str:
    """Why an image lost its docs: the doc is gone, or it no longer names the image."""
    strong = [item for item in old.evidence if item.kind.strong]
    name = old.image.ref
    if not strong:
        return f"{name} was documented at base and is not any more"
    doc = strong[0]
    if doc.path not in docs:
        return f"{name} lost its documentation: {_place(doc)} was deleted or moved out of the docs"
    return f"{name} lost its documentation: {_place(doc)} no longer names it"


def _place(evidence: Evidence) -> str:
    return f"{evidence.path}:{evidence.line}" if evidence.line else evidence.path


def _at_image(kind: str, result: ImageResult, detail: str) -> Finding:
    source = result.image.source
    return Finding(kind, result.image.ref, source.path, source.line, detail)


def _coverage_regressions(base: Report, head: Report, policy: Policy) -> list[Finding]:
    found = []
    old, new = base.summary.coverage, head.summary.coverage
    # A base without images has no coverage to lose: its new images are named one by one.
    if base.summary.counted and old - new > policy.max_drop + 1e-9:
        allowed = f"at most {policy.max_drop:g} allowed" if policy.max_drop else "none allowed"
        detail = f"coverage fell from {old:.1f}% to {new:.1f}% ({new - old:+.1f} points; {allowed})"
        found.append(Finding(RegressionKind.COVERAGE_DROP, None, None, None, detail))
    if new < policy.fail_under:
        detail = f"coverage {new:.1f}% is below the threshold of {policy.fail_under:g}%"
        found.append(Finding(RegressionKind.BELOW_THRESHOLD, None, None, None, detail))
    return found


def _improvements(before: Counterparts, head: Report, covered: frozenset[Status]) -> list[Finding]:
    found = []
    for result in head.images:
        if result.status not in covered or result.status is Status.IGNORED:
            continue
        old = before.get(result.image)
        if old is None:
            detail = f"{result.image.ref} is new and documented"
            found.append(_at_image(ChangeKind.NEW_DOCUMENTED, result, detail))
        elif old.status not in covered:
            detail = f"{result.image.ref} is documented now"
            found.append(_at_image(ChangeKind.NEWLY_DOCUMENTED, result, detail))
    return found


def _removed(base: Report, head: Report) -> list[Finding]:
    kept = Counterparts(head)
    return [
        _at_image(ChangeKind.REMOVED, result, f"{result.image.ref} is no longer in the pull script")
        for result in base.images
        if kept.get(result.image) is None
    ]


def _group_deltas(base: Sequence[Group], head: Sequence[Group]) -> tuple[GroupDelta, ...]:
    """Per category, in head order, then the categories the change removed."""
    old = {group.name: group for group in base}
    new = {group.name: group for group in head}
    names = [*new, *(name for name in old if name not in new)]
    return tuple(GroupDelta(name, old.get(name), new.get(name)) for name in names)
