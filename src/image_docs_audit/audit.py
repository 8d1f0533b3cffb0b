"""The verdict for each image: pure, from the inventory, the doc scans and the settings.

Nothing here reads files, the environment or the network: the engine gives it
plain values, so the same inputs always give the same report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict

from .config import AuditSettings
from .docs.scan import HitRow
from .docs.words import ORDINARY_WORDS, fold
from .model import (
    Depth,
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
# A one-word name used in at least this share of the docs (and at least ORDINARY_MIN_DOCS
# of them) is a word of the project's prose, like one on the shipped list of ordinary words.
ORDINARY_SHARE = 0.25
ORDINARY_MIN_DOCS = 3
# The depths that make a doc the image's own: the config's `documentation` is the
# team saying so about a file whose name and title do not.
_OWN_DOC = frozenset({Depth.DEDICATED, Depth.CONFIG})


def audit(
    inventory: Inventory,
    scans: Sequence[DocScan],
    settings: AuditSettings,
    files: frozenset[str],
    warnings: Iterable[Diagnostic] = (),
    *,
    detected_prefix: str | None = None,
    generated: frozenset[str] = frozenset(),
) -> Report:
    """Classify every image of `inventory` by the evidence in `scans`.

    `files` is every path of the audited tree, to check the doc paths the config names;
    `detected_prefix` is the project prefix the terms were built with, to report it;
    `generated` the docs that carry the marker of `index --write`: index docs, whatever
    share of the inventory they name.
    """
    rows = [
        (scan.path, tuple((h.image, h.line, h.kind, h.other_tag, h.subject) for h in scan.hits))
        for scan in scans
    ]
    return audit_rows(
        inventory,
        rows,
        settings,
        files,
        warnings,
        detected_prefix=detected_prefix,
        generated=generated,
    )


# A doc's path and its hits as rows (the fields of `Hit`, in order; see `docs/scan.py`).
ScanRows = tuple[str, Sequence[HitRow]]


def audit_rows(
    inventory: Inventory,
    scans: Sequence[ScanRows],
    settings: AuditSettings,
    files: frozenset[str],
    warnings: Iterable[Diagnostic] = (),
    *,
    detected_prefix: str | None = None,
    generated: frozenset[str] = frozenset(),
) -> Report:
    """`audit` of scans as rows: what the engine gives, 100,000 hits without an object each."""
    keys = frozenset(image.key for image in inventory.images)
    # A scan may hold hits on images of another inventory (a check scans base and head alike).
    scans = [(path, [row for row in rows if row[0] in keys]) for path, rows in scans]
    index_docs = _index_docs(scans, len(inventory.images)) | generated
    ordinary = _ordinary_names(inventory.images, scans, index_docs)
    evidence = _evidence_by_image(scans, index_docs, ordinary)
    notes = list(inventory.warnings) + list(warnings)
    explicit = _explicit_evidence(inventory.images, settings, files, notes)
    notes.extend(_unused_selectors(inventory.images, settings))
    results = tuple(
        _classify(
            image, _with_explicit(evidence.get(image.key, {}), explicit.get(image.key)), settings
        )
        for image in inventory.images
    )
    return Report(
        summary=summarize(results, settings.count_mentioned),
        groups=_groups(results, settings.count_mentioned),
        images=results,
        index_docs=tuple(sorted(index_docs)),
        docs=tuple(path for path, _ in scans),
        scripts=inventory.scripts,
        warnings=tuple(sorted(notes, key=_diagnostic_order)),
        count_mentioned=settings.count_mentioned,
        orphan_docs=tuple(path for path, rows in scans if not rows and path not in generated),
        detected_prefix=detected_prefix,
        require=settings.require,
        generated_docs=tuple(sorted(generated & frozenset(path for path, _ in scans))),
        config_path=settings.config_path,
        docs_folders=settings.docs,
    )


def find_index_docs(scans: Sequence[DocScan], total: int) -> frozenset[str]:
    """Docs that name more than half of the inventory: indexes and earlier audits.

    Only the images a doc names itself count, not the other tags a reference stands for.
    """
    return _index_docs(
        [
            (scan.path, [(h.image, 0, h.kind, h.other_tag, True) for h in scan.hits])
            for scan in scans
        ],
        total,
    )


def _index_docs(scans: Sequence[ScanRows], total: int) -> frozenset[str]:
    found = set()
    for path, rows in scans:
        named = {row[0] for row in rows if row[3] is None}
        if len(named) >= INDEX_MIN_IMAGES and len(named) > total * INDEX_SHARE:
            found.add(path)
    return frozenset(found)


def _ordinary_names(
    images: Sequence[Image], scans: Sequence[ScanRows], index_docs: frozenset[str]
) -> frozenset[str]:
    """The images whose name is one word that is also an ordinary word.

    A word is ordinary when it is on the shipped list, or when the docs use it
    in many places: a name every other doc mentions is part of the prose.
    """
    docs = [rows for path, rows in scans if path not in index_docs]
    using: dict[str, int] = {}
    for rows in docs:
        for key in {row[0] for row in rows}:
            using[key] = using.get(key, 0) + 1
    found = set()
    for image in images:
        name = fold(image.name)
        if any(c in name for c in "-."):
            continue
        count = using.get(image.key, 0)
        if name in ORDINARY_WORDS or (
            count >= ORDINARY_MIN_DOCS and count >= ORDINARY_SHARE * len(docs)
        ):
            found.add(image.key)
    return frozenset(found)


# Evidence as a tuple while it is gathered, led by its place in the report's order: strong
# evidence first, index mentions last (the first row explains the status), then by place
# and kind: (rank, path, line, kind's value, other_tag or "", other_tag is None). Such
# tuples hash and sort as they are, with no call per piece of evidence (a large project
# has a million), and the last field keeps a missing tag apart from an empty one. They
# hold plain values only, not the Kind: the cyclic collector then stops tracking them,
# instead of walking them again and again while the audit and the facts run.
_Item = tuple[int, str, int, str, str, bool]
_RANK = {kind: 0 if kind.strong else 2 if kind is Kind.INDEX else 1 for kind in Kind}
_ORDER = {kind: (_RANK[kind], kind.value) for kind in Kind}
_KIND = {kind.value: kind for kind in Kind}


def _item(evidence: Evidence) -> _Item:
    tag = evidence.other_tag
    rank, kind = _ORDER[evidence.kind]
    return (rank, evidence.path, evidence.line, kind, tag or "", tag is None)


def _evidence_by_image(
    scans: Sequence[ScanRows], index_docs: frozenset[str], ordinary: frozenset[str]
) -> dict[str, dict[_Item, None]]:
    """Image.key -> its evidence, each piece once, in the order the scans give it."""
    found: dict[str, dict[_Item, None]] = {}
    rank, order = _RANK, _ORDER
    for path, rows in scans:
        in_index = path in index_docs
        for image, line, hit_kind, other_tag, subject in rows:
            kind = Kind.INDEX if in_index else hit_kind
            if not subject and not rank[kind] and image in ordinary:
                kind = Kind.BODY  # "## Gateway timeouts" in a doc about something else
            items = found.get(image)
            if items is None:
                items = found[image] = {}
            place, value = order[kind]
            items[(place, path, line, value, other_tag or "", other_tag is None)] = None
    return found


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


def _with_explicit(found: dict[_Item, None], explicit: list[Evidence] | None) -> list[_Item]:
    """An image's evidence from the scans and the config, each piece once."""
    if not explicit:
        return list(found)
    return list(dict.fromkeys([*found, *(_item(e) for e in explicit)]))


def _classify(image: Image, evidence: list[_Item], settings: AuditSettings) -> ImageResult:
    evidence.sort()  # the tuples lead with their sort key: see `_Item`
    ordered = tuple(
        Evidence(path, line, _KIND[kind], None if untagged else tag)
        for _, path, line, kind, tag, untagged in evidence
    )
    for rule in settings.ignore:
        if selects(rule.selector, image):
            return ImageResult(image, Status.IGNORED, ordered, rule.reason)
    found = _depth(evidence)
    if found is not None and (settings.require is Depth.SECTION or found in _OWN_DOC):
        return ImageResult(image, Status.DOCUMENTED, ordered, depth=found)
    # Weak evidence, or (under `require: dedicated`) only a section in another doc;
    # index mentions sort last, so the first piece tells whether there is any other.
    if evidence and evidence[0][0] != _RANK[Kind.INDEX]:
        return ImageResult(image, Status.MENTIONED, ordered)
    return ImageResult(image, Status.MISSING, ordered)


def _depth(ordered: list[_Item]) -> Depth | None:
    """`depth` of sorted evidence: its strong pieces are the first ones."""
    kinds = set()
    for rank, _, _, kind, _, _ in ordered:
        if rank:
            break
        kinds.add(_KIND[kind])
    return _depth_of(kinds)


def depth(evidence: Iterable[Evidence]) -> Depth | None:
    """How deeply `evidence` documents its image; None without strong evidence."""
    return _depth_of({item.kind for item in evidence if item.kind.strong})


def _depth_of(kinds: set[Kind]) -> Depth | None:
    if kinds & {Kind.FILENAME, Kind.TITLE}:
        return Depth.DEDICATED
    if Kind.CONFIG in kinds:
        return Depth.CONFIG
    return Depth.SECTION if kinds else None


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
    own = sum(1 for result in results if result.depth in _OWN_DOC)
    return Summary(
        total=total,
        documented=documented,
        mentioned=mentioned,
        missing=counts[Status.MISSING],
        ignored=counts[Status.IGNORED],
        coverage=coverage(documented, mentioned, total - counts[Status.IGNORED], count_mentioned),
        dedicated=own,
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
