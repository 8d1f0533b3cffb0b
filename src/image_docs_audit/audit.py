"""The verdict for each image: pure, from the inventory, the doc scans and the settings.

Nothing here reads files, the environment or the network: the engine gives it
plain values, so the same inputs always give the same report.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import asdict

from .config import AuditSettings
from .docs.scan import HitRow
from .docs.subjects import LandingPages
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
    percent,
)
from .records import record
from .selector import selects

UNCATEGORIZED = "Uncategorized"
# A doc that names more than this share of the inventory, and at least INDEX_MANY images
# or INDEX_MOST of a smaller inventory (and at least INDEX_MIN_IMAGES), is an index or an
# earlier audit: it names images, it does not document them. In a small inventory, a
# composite report of five of nine images, or a gateway's doc naming its five upstreams,
# names half of it and is documentation; an audit or index names nearly all.
INDEX_SHARE = 0.5
INDEX_MIN_IMAGES = 5
INDEX_MANY = 10
INDEX_MOST = 0.8
# A doc whose file name or title says it is one of these (`CONTAINER_DOCUMENTATION_AUDIT.md`,
# `# Image index`) is an index once it names INDEX_MIN_IMAGES images, whatever their share:
# an audit the inventory outgrew names fewer than half of it, and its lists of what is
# missing would read as lists of documented images. Not a word of an image's name.
INDEX_WORDS = frozenset({"audit", "audits", "index", "inventory", "catalog", "catalogue"})
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
    gathered = gather(inventory, scans, settings, files, warnings, generated=generated)
    return judge(inventory, gathered, settings, detected_prefix=detected_prefix)


@record
class Gathered:
    """What the audit takes from the scans (see `gather`), the scans' rows no longer
    needed: a caller lets them go before the results are made, which on a large tree
    frees about 100 MB for them."""

    evidence: dict[str, list[int]]  # Image.key -> its evidence, packed; `judge` takes it
    packing: _Packing
    notes: list[Diagnostic]
    index_docs: frozenset[str]
    docs: tuple[str, ...]
    orphan_docs: tuple[str, ...]
    generated_docs: tuple[str, ...]


# A landing page describes the site or its folder: naming no image, it is no orphan.
_LANDING_BY_NAME = LandingPages({}, ())


def gather(
    inventory: Inventory,
    scans: Sequence[ScanRows],
    settings: AuditSettings,
    files: frozenset[str],
    warnings: Iterable[Diagnostic] = (),
    *,
    generated: frozenset[str] = frozenset(),
    index_too: frozenset[str] = frozenset(),
    listings: Container[str] = frozenset(),
    landing: Container[str] = _LANDING_BY_NAME,
    histories: Container[str] = frozenset(),
) -> Gathered:
    """The first half of `audit_rows`: each image's evidence from the scans and the config.
    `index_too`: docs to read as index docs whatever they name (in a check, those the other
    side's audit found to be index docs). `listings`: the docs whose name or title says
    they are an audit or index (see `Listings`). `landing`: the landing pages (see
    `LandingPages`; by file name only, unless told their titles), never orphan docs.
    `histories`: the docs that record changes (see `histories`), never orphan docs."""
    keys = frozenset(image.key for image in inventory.images)
    # A scan may hold hits on images of another inventory (a check scans base and head alike).
    scans = [(path, [row for row in rows if row[0] in keys]) for path, rows in scans]
    scanned = frozenset(path for path, _ in scans)
    named_index = _index_docs(scans, len(inventory.images), listings)
    index_docs = named_index | generated | (index_too & scanned)
    ordinary = _ordinary_names(inventory.images, scans, index_docs)
    notes = list(inventory.warnings) + list(warnings)
    explicit = _explicit_evidence(inventory.images, settings, files, notes)
    notes.extend(_unused_selectors(inventory.images, settings))
    packing = _packing(scans, explicit)
    evidence = _evidence_by_image(scans, index_docs, ordinary, packing)
    for key, found in explicit.items():
        evidence.setdefault(key, []).extend(
            packing.pack(e.kind, e.path, e.line, e.other_tag) for e in found
        )
    docs = tuple(path for path, _ in scans)
    return Gathered(
        evidence,
        packing,
        notes,
        index_docs,
        docs,
        orphan_docs=tuple(
            path
            for path, rows in scans
            if not rows and path not in generated and path not in landing and path not in histories
        ),
        generated_docs=tuple(sorted(generated & frozenset(docs))),
    )


def judge(
    inventory: Inventory,
    gathered: Gathered,
    settings: AuditSettings,
    *,
    detected_prefix: str | None = None,
) -> Report:
    """The second half of `audit_rows`: the status of every image, from its evidence."""
    # Each image's evidence goes as its result is made (keys are unique).
    evidence, packing = gathered.evidence, gathered.packing
    results = tuple(
        _classify(image, evidence.pop(image.key, []), settings, packing)
        for image in inventory.images
    )
    return Report(
        summary=summarize(results, settings.count_mentioned),
        groups=_groups(results, settings.count_mentioned),
        images=results,
        index_docs=tuple(sorted(gathered.index_docs)),
        docs=gathered.docs,
        scripts=inventory.scripts,
        warnings=tuple(sorted(gathered.notes, key=_diagnostic_order)),
        count_mentioned=settings.count_mentioned,
        orphan_docs=gathered.orphan_docs,
        detected_prefix=detected_prefix,
        require=settings.require,
        generated_docs=gathered.generated_docs,
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


def _index_docs(
    scans: Sequence[ScanRows], total: int, listings: Container[str] = frozenset()
) -> frozenset[str]:
    found = set()
    for path, rows in scans:
        named = len({row[0] for row in rows if row[3] is None})
        if named < INDEX_MIN_IMAGES:
            continue
        most = named > total * INDEX_SHARE and (named >= INDEX_MANY or named >= total * INDEX_MOST)
        if most or path in listings:
            found.add(path)
    return frozenset(found)


class Listings:
    """The docs whose file name or title (`titles`: each doc's, None for none) holds one
    of `INDEX_WORDS` that is no word of an image's name (`app-inventory`'s doc is not an
    inventory). Asked of the docs that name enough images only (`_index_docs`): most
    docs of a large tree never are."""

    def __init__(self, titles: Mapping[str, str | None], images: Sequence[Image]) -> None:
        self.titles = titles
        self.images = images
        self.words: frozenset[str] | None = None  # made at the first question

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str) or path not in self.titles:
            return False
        if self.words is None:
            taken = {word for image in self.images for word in _WORD.split(image.name.lower())}
            self.words = INDEX_WORDS - taken
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        said = _WORD.split(f"{_CAMEL.sub(' ', stem)} {self.titles[path] or ''}".lower())
        return not self.words.isdisjoint(said)


_WORD = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # `ImageIndex.md`: two words

# What a doc that records changes is called (`CHANGELOG.md`, `release-notes.md`, `# What's
# new`), and the folders that hold such docs (`docs/releases/v2.0.md`), written without
# their separators; a name may go on after the first two (`CHANGELOG-2023.md`).
_HISTORY_NAMES = frozenset(
    {"changelog", "changelogs", "changes", "history", "news", "releasenotes", "whatsnew"}
)
_HISTORY_PREFIXES = ("changelog", "releasenotes")
_HISTORY_FOLDERS = frozenset({"changelog", "changelogs", "releasenotes", "releases"})
_HISTORY_WORDS = {
    name: re.compile(rf"(?<![a-z0-9]){name}(?![a-z0-9])")
    for name in sorted(_HISTORY_NAMES | _HISTORY_FOLDERS)
}
# An image name longer than this, or starting with another letter, is none of those names
# without its separators.
_HISTORY_LONGEST = 2 * max(map(len, _HISTORY_NAMES | _HISTORY_FOLDERS))
_HISTORY_INITIALS = frozenset(name[0] for name in _HISTORY_NAMES | _HISTORY_FOLDERS)


def histories(titles: Mapping[str, str | None], images: Sequence[Image]) -> frozenset[str]:
    """The docs (of `titles`: each doc's title, or None) that record changes: a changelog
    or release notes, by the doc's file name, title or a folder below the top one. Such a
    doc names images as they change, with the tags they had then: what it says of an image
    counts as any doc's (release notes are often a build's report), but its old tags are no
    drift, and naming none it is no orphan. A name that is a word of an image's name (`news`
    of `acme-news`) says nothing."""
    hinted = [
        (path, title or "")
        for path, title in titles.items()
        if _hints_history(f"{path} {title}" if title else path)
    ]
    if not hinted:  # most trees: no image's words to take
        return frozenset()
    # The names that are a word of an image's name, or all of it written without its
    # separators (`release-notes`): a substring search over the names for each, and a
    # regex only for one they hold (tried at every place of 3,000 names, 5 ms).
    lowered = "\n".join(image.name.lower() for image in images)
    taken = {
        name for name, word in _HISTORY_WORDS.items() if name in lowered and word.search(lowered)
    }
    taken |= {
        _WORD.sub("", name)
        for name in lowered.split("\n")
        if name[:1] in _HISTORY_INITIALS and len(name) <= _HISTORY_LONGEST
    }
    names, folders = _HISTORY_NAMES - taken, _HISTORY_FOLDERS - taken
    prefixes = tuple(name for name in _HISTORY_PREFIXES if name in names)
    return frozenset(
        path
        for path, title in hinted
        if _says_history((path.rsplit("/", 1)[-1].rsplit(".", 1)[0], title), names, prefixes)
        or not folders.isdisjoint(_WORD.sub("", f.lower()) for f in path.split("/")[1:-1])
    )


def _hints_history(text: str) -> bool:
    """Whether `text` holds what each name of a doc that records changes holds: most
    docs' paths and titles hold none, and need no more. (Substring tests: these as an
    alternation in a regex took 2 µs a path, `any` over them 1 µs.)"""
    lowered = text.lower()
    return (
        "chang" in lowered
        or "histor" in lowered
        or "news" in lowered
        or "releas" in lowered
        or "what" in lowered
    )


def _says_history(said: Iterable[str], names: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    """Whether a doc's file name or title (`said`) is one of `names`, or starts with one
    of `prefixes`, written without separators (`Release Notes` is `releasenotes`)."""
    for text in said:
        name = _WORD.sub("", text.lower())
        if name in names or name.startswith(prefixes):
            return True
    return False


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


# Evidence while it is gathered is one int per piece, its fields packed in the report's
# order: strong evidence first, index mentions last (the first piece explains the
# status), then by place and kind: rank, path, line, kind's value, other tag (a missing
# tag apart from an empty one). Ints sort and compare as those tuples would, with no call
# per piece (a large project has a million), and take a third of a tuple's memory.
_RANK = {kind: 0 if kind.strong else 2 if kind is Kind.INDEX else 1 for kind in Kind}
# The kinds in the order of their values, as the report sorts them within a place.
_KINDS = sorted(Kind, key=lambda kind: kind.value)
_KIND_INDEX = {kind: index for index, kind in enumerate(_KINDS)}
_KIND_BITS = max(len(_KINDS) - 1, 1).bit_length()
_Tag = tuple[str, bool]  # (other_tag or "", other_tag is None): the order of other tags


class _Packing:
    """How the fields of a piece of evidence are packed into one int, and unpacked."""

    def __init__(self, paths: Iterable[str], tags: Iterable[_Tag], last_line: int) -> None:
        self.paths = sorted(set(paths))
        self.tags = sorted({*tags, ("", True)})
        self.path_index = {path: index for index, path in enumerate(self.paths)}
        self.tag_index = {tag: index for index, tag in enumerate(self.tags)}
        tag_bits = max(len(self.tags) - 1, 1).bit_length()
        line_bits = max(last_line, 1).bit_length()
        path_bits = max(len(self.paths) - 1, 1).bit_length()
        self.kind_shift = tag_bits
        self.line_shift = self.kind_shift + _KIND_BITS
        self.path_shift = self.line_shift + line_bits
        self.rank_shift = self.path_shift + path_bits
        self.masks = ((1 << tag_bits) - 1, (1 << line_bits) - 1, (1 << path_bits) - 1)
        # A kind's rank and index at their places: one lookup per piece.
        self.kind_bits = {
            kind: _RANK[kind] << self.rank_shift | _KIND_INDEX[kind] << self.kind_shift
            for kind in Kind
        }
        self.untagged = self.tag_index[("", True)]

    def pack(self, kind: Kind, path: str, line: int, tag: str | None) -> int:
        bits = self.kind_bits[kind] | self.path_index[path] << self.path_shift
        tagged = self.untagged if tag is None else self.tag_index[(tag, False)]
        return bits | line << self.line_shift | tagged

    def rank(self, item: int) -> int:
        return item >> self.rank_shift

    def kind(self, item: int) -> Kind:
        return _KINDS[item >> self.kind_shift & (1 << _KIND_BITS) - 1]

    def evidence(self, items: list[int]) -> tuple[Evidence, ...]:
        """The pieces of sorted `items`, each once."""
        tag_mask, line_mask, path_mask = self.masks
        paths, tags = self.paths, self.tags
        kind_shift, line_shift, path_shift = self.kind_shift, self.line_shift, self.path_shift
        kind_mask = (1 << _KIND_BITS) - 1
        found = []
        previous = -1
        for item in items:
            if item == previous:
                continue
            previous = item
            tag, untagged = tags[item & tag_mask]
            found.append(
                Evidence(
                    paths[item >> path_shift & path_mask],
                    item >> line_shift & line_mask,
                    _KINDS[item >> kind_shift & kind_mask],
                    None if untagged else tag,
                )
            )
        return tuple(found)


def _packing(scans: Sequence[ScanRows], explicit: Mapping[str, list[Evidence]]) -> _Packing:
    """The packing of every piece of evidence of `scans` and `explicit`: one pass over
    the rows for the other tags and the last line."""
    extra = [item for found in explicit.values() for item in found]
    tags: set[_Tag] = {(e.other_tag, False) for e in extra if e.other_tag is not None}
    last = max((e.line for e in extra), default=0)
    for _, rows in scans:
        for _, line, _, tag, _ in rows:
            last = max(last, line)
            if tag is not None:
                tags.add((tag, False))
    return _Packing([path for path, _ in scans] + [e.path for e in extra], tags, last)


def _evidence_by_image(
    scans: Sequence[ScanRows],
    index_docs: frozenset[str],
    ordinary: frozenset[str],
    packing: _Packing,
) -> dict[str, list[int]]:
    """Image.key -> its evidence, packed, in the order the scans give it (maybe twice)."""
    found: dict[str, list[int]] = {}
    rank, kind_bits, tag_index = _RANK, packing.kind_bits, packing.tag_index
    line_shift, untagged = packing.line_shift, packing.untagged
    for path, rows in scans:
        in_index = path in index_docs
        place = packing.path_index[path] << packing.path_shift
        for image, line, hit_kind, other_tag, subject in rows:
            kind = Kind.INDEX if in_index else hit_kind
            if not subject and not rank[kind] and image in ordinary:
                kind = Kind.BODY  # "## Gateway timeouts" in a doc about something else
            items = found.get(image)
            if items is None:
                items = found[image] = []
            tag = untagged if other_tag is None else tag_index[(other_tag, False)]
            items.append(kind_bits[kind] | place | line << line_shift | tag)
    return found


def _explicit_evidence(
    images: Sequence[Image],
    settings: AuditSettings,
    files: frozenset[str],
    notes: list[Diagnostic],
) -> dict[str, list[Evidence]]:
    """The docs the config's `documentation` names for an image, each once; the pairs
    of an image and a doc its entries give stop at `DOCUMENTATION_PAIRS`."""
    found: dict[str, dict[str, None]] = {}
    where = Location(settings.config_path, 0) if settings.config_path else None
    left = DOCUMENTATION_PAIRS
    for selector, paths in settings.documentation:
        chosen = [image for image in images if selects(selector, image)]
        if not chosen:
            notes.append(Diagnostic(where, f"documentation: '{selector}' names no image"))
        existing: dict[str, None] = {}
        for path in dict.fromkeys(paths):
            clean = path.strip().removeprefix("./")
            if clean in files:
                existing[clean] = None
            else:
                notes.append(Diagnostic(where, f"documentation: '{path}' does not exist"))
        left -= len(chosen) * len(existing)
        if left < 0:
            message = (
                f"documentation: '{selector}' and the entries after it are not read: the"
                f" entries name {DOCUMENTATION_PAIRS:,} pairs of an image and a doc, the most"
                " the config gives"
            )
            notes.append(Diagnostic(where, message))
            break
        for image in chosen:
            named = found.setdefault(image.key, {})
            for clean in existing:
                named[clean] = None
    return {key: [Evidence(path, 0, Kind.CONFIG) for path in named] for key, named in found.items()}


# The most pairs of an image and a doc the config's `documentation` gives (an entry whose
# selector names 5,000 images and lists 4 docs gives 20,000): the config may list 500
# selectors naming every image, each with 500 docs, and each pair is a piece of evidence.
DOCUMENTATION_PAIRS = 100_000


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


def _classify(
    image: Image, evidence: list[int], settings: AuditSettings, packing: _Packing
) -> ImageResult:
    evidence.sort()  # the ints sort in the report's order: see `_Packing`
    ordered = packing.evidence(evidence)
    for rule in settings.ignore:
        if selects(rule.selector, image):
            return ImageResult(image, Status.IGNORED, ordered, rule.reason)
    found = _depth(evidence, packing)
    if found is not None and (settings.require is Depth.SECTION or found in _OWN_DOC):
        return ImageResult(image, Status.DOCUMENTED, ordered, depth=found)
    # Weak evidence, or (under `require: dedicated`) only a section in another doc;
    # index mentions sort last, so the first piece tells whether there is any other.
    if evidence and packing.rank(evidence[0]) != _RANK[Kind.INDEX]:
        return ImageResult(image, Status.MENTIONED, ordered)
    return ImageResult(image, Status.MISSING, ordered)


def _depth(ordered: list[int], packing: _Packing) -> Depth | None:
    """`depth` of sorted evidence: its strong pieces are the first ones, those of rank 0
    (below `1 << rank_shift`). Their kinds' indexes are gathered at C speed: an image of a
    large tree has hundreds of strong pieces (a 20,000-doc tree 164,000 in all)."""
    strong = ordered[: bisect_left(ordered, 1 << packing.rank_shift)]
    shift, mask = packing.kind_shift, (1 << _KIND_BITS) - 1
    return _depth_of({_KINDS[index] for index in {item >> shift & mask for item in strong}})


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
    return percent(documented + (mentioned if count_mentioned else 0), counted)


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
