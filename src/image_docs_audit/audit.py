"""The verdict for each image: pure, from the inventory, the doc scans and the settings.

Nothing here reads files, the environment or the network: the engine gives it
plain values, so the same inputs always give the same report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict

from .config import AuditSettings
from .model import (
    Diagnostic,
    DocScan,
    Evidence,
    Group,
    Image,
    ImageResult,
    Inventory,
    Kind,
    Location,
    Report,
    Status,
    Summary,
)
from .selector import selects

UNCATEGORIZED = "Uncategorized"
# A doc that names more than this share of the inventory (and at least INDEX_MIN_IMAGES
# images) is an index or an earlier audit: it names images, it does not document them.
INDEX_SHARE = 0.5
INDEX_MIN_IMAGES = 5


def audit(
    inventory: Inventory,
    scans: Sequence[DocScan],
    settings: AuditSettings,
    files: frozenset[str],
    warnings: Iterable[Diagnostic] = (),
) -> Report:
    """Classify every image of `inventory` by the evidence in `scans`.

    `files` is every path of the audited tree, to check the doc paths the config names.
    """
    keys = frozenset(image.key for image in inventory.images)
    # A scan may hold hits on images of another inventory (a check scans base and head alike).
    scans = [DocScan(s.path, tuple(h for h in s.hits if h.image in keys)) for s in scans]
    index_docs = find_index_docs(scans, len(inventory.images))
    evidence = _evidence_by_image(scans, index_docs)
    notes = list(inventory.warnings) + list(warnings)
    explicit = _explicit_evidence(inventory.images, settings, files, notes)
    notes.extend(_unused_selectors(inventory.images, settings))
    results = tuple(
        _classify(image, evidence.get(image.key, []) + explicit.get(image.key, []), settings)
        for image in inventory.images
    )
    return Report(
        summary=summarize(results, settings.count_mentioned),
        groups=_groups(results, settings.count_mentioned),
        images=results,
        index_docs=tuple(sorted(index_docs)),
        docs=tuple(scan.path for scan in scans),
        scripts=inventory.scripts,
        warnings=tuple(sorted(notes, key=_diagnostic_order)),
        count_mentioned=settings.count_mentioned,
        orphan_docs=tuple(scan.path for scan in scans if not scan.hits),
    )


def find_index_docs(scans: Sequence[DocScan], total: int) -> frozenset[str]:
    """Docs that name more than half of the inventory: indexes and earlier audits."""
    return frozenset(
        scan.path
        for scan in scans
        if len(scan.images) >= INDEX_MIN_IMAGES and len(scan.images) > total * INDEX_SHARE
    )


def _evidence_by_image(
    scans: Sequence[DocScan], index_docs: frozenset[str]
) -> dict[str, list[Evidence]]:
    found: dict[str, set[Evidence]] = {}
    for scan in scans:
        in_index = scan.path in index_docs
        for hit in scan.hits:
            kind = Kind.INDEX if in_index else hit.kind
            found.setdefault(hit.image, set()).add(Evidence(scan.path, hit.line, kind))
    return {key: sorted(items) for key, items in found.items()}


def _explicit_evidence(
    images: Sequence[Image],
    settings: AuditSettings,
    files: frozenset[str],
    notes: list[Diagnostic],
) -> dict[str, list[Evidence]]:
    """The docs the config's `documentation` names for an image."""
    found: dict[str, list[Evidence]] = {}
    where = Location(settings.config_path, 0) if settings.config_path else None
    for selector, paths in settings.documentation:
        chosen = [image for image in images if selects(selector, image)]
        if not chosen:
            notes.append(Diagnostic(where, f"documentation: '{selector}' names no image"))
        for path in paths:
            clean = path.strip().removeprefix("./")
            if clean not in files:
                notes.append(Diagnostic(where, f"documentation: '{path}' does not exist"))
                continue
            for image in chosen:
                found.setdefault(image.key, []).append(Evidence(clean, 0, Kind.CONFIG))
    return found


def _unused_selectors(images: Sequence[Image], settings: AuditSettings) -> list[Diagnostic]:
    """Selectors of `ignore` and `aliases` that name no image: a typo, or a stale entry."""
    where = Location(settings.config_path, 0) if settings.config_path else None
    notes = []
    for rule in settings.ignore:
        if not any(selects(rule.selector, image) for image in images):
            notes.append(
                Diagnostic(rule.source or where, f"ignore: '{rule.selector}' names no image")
            )
    for selector, _ in settings.aliases:
        if not any(selects(selector, image) for image in images):
            notes.append(Diagnostic(where, f"aliases: '{selector}' names no image"))
    return notes


def _diagnostic_order(note: Diagnostic) -> tuple[bool, str, int]:
    """File order, then line order; notes without a place first."""
    where = note.location
    return (where is not None, where.path if where else "", where.line if where else 0)


def _classify(image: Image, evidence: list[Evidence], settings: AuditSettings) -> ImageResult:
    ordered = tuple(sorted(set(evidence), key=_evidence_order))
    for rule in settings.ignore:
        if selects(rule.selector, image):
            return ImageResult(image, Status.IGNORED, ordered, rule.reason)
    if any(item.kind.strong for item in ordered):
        return ImageResult(image, Status.DOCUMENTED, ordered)
    if any(item.kind in (Kind.BODY, Kind.CODE) for item in ordered):
        return ImageResult(image, Status.MENTIONED, ordered)
    return ImageResult(image, Status.MISSING, ordered)


def _evidence_order(item: Evidence) -> tuple[int, str, int, str]:
    """Strong evidence first, index mentions last: the first row explains the status."""
    rank = 0 if item.kind.strong else 2 if item.kind is Kind.INDEX else 1
    return (rank, item.path, item.line, item.kind.value)


def coverage(documented: int, mentioned: int, counted: int, count_mentioned: bool) -> float:
    """Documented share of the counted (not ignored) images, in percent; 100 with none."""
    covered = documented + (mentioned if count_mentioned else 0)
    return round(100.0 * covered / counted, 1) if counted else 100.0


def summarize(results: Sequence[ImageResult], count_mentioned: bool) -> Summary:
    counts = {status: 0 for status in Status}
    for result in results:
        counts[result.status] += 1
    total = len(results)
    documented, mentioned = counts[Status.DOCUMENTED], counts[Status.MENTIONED]
    return Summary(
        total=total,
        documented=documented,
        mentioned=mentioned,
        missing=counts[Status.MISSING],
        ignored=counts[Status.IGNORED],
        coverage=coverage(documented, mentioned, total - counts[Status.IGNORED], count_mentioned),
    )


def _groups(results: Sequence[ImageResult], count_mentioned: bool) -> tuple[Group, ...]:
    """Counts per category, in the order categories first appear in the pull scripts."""
    by_category: dict[str, list[ImageResult]] = {}
    for result in results:
        by_category.setdefault(result.image.category or UNCATEGORIZED, []).append(result)
    groups = []
    for name, members in by_category.items():
        groups.append(Group(**asdict(summarize(members, count_mentioned)), name=name))
    return tuple(groups)
