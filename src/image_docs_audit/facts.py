"""Facts beyond coverage, added to a report: ports and their conflicts, the rubric, alias
suggestions, orphan docs and tag drift. Pure.

The audit decides every status first; nothing here changes one. The facts read the
docs' outlines (see `docs/outline.py`), never an index doc nor a generated one, and
other sources' facts (a compose file's ports) handed in as plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from .config import AuditSettings
from .docs import ports as port_facts
from .docs.names import Naming
from .docs.outline import Outline, Skim
from .docs.rubric import Quality, Rubric, SectionIndex
from .docs.scan import camel_words, doc_name
from .docs.scopes import Mention, Region, Scopes
from .docs.subjects import (
    COMPARISONS,
    Names,
    home_page,
    image_names,
    joined,
    names_with_report_words,
    project_name,
    retired_name,
    subject,
    variant_of,
)
from .model import (
    AliasSuggestion,
    Diagnostic,
    Drift,
    Image,
    ImageResult,
    Kind,
    Location,
    OrphanDoc,
    OrphanKind,
    Port,
    PortConflict,
    PortFact,
    PortSource,
    PortUse,
    RegressionKind,
    Report,
    Status,
)
from .selector import selects


@dataclass(frozen=True)
class DocFacts:
    """What the facts get about the docs: a skim of every doc and an outline of the docs
    with mentions (see `needs_outline`)."""

    skims: Mapping[str, Skim]
    outlines: Mapping[str, Outline]


def fact_names(images: Sequence[Image], settings: AuditSettings, naming: Naming) -> Names:
    """The names the docs' subjects are compared with (suggestions, orphans): made apart
    from the facts, so that they can be made while the matcher compiles its terms."""
    aliases = _aliases(images, settings)
    return image_names(
        images, dict(naming.short), aliases, project_prefixes(naming.prefix, settings)
    )


@dataclass(frozen=True)
class OutlineFacts:
    """What the facts read from the outlines and the other sources' ports, read before
    anything else, so that the caller can let the outlines go (in a large audit they
    are about a third of the memory then)."""

    ports: dict[str, tuple[Port, ...]]  # Image.key -> its ports, from the docs and `facts`
    composed: list[Image]  # the images a compose file gives ports
    drift: list[Drift]
    quality: dict[str, Quality]  # Image.key -> the rubric's grade of a documented image
    notes: list[Diagnostic]  # the docs whose ports stopped at `PORTS_PER_DOC`


def read_outlines(
    report: Report,
    settings: AuditSettings,
    outlines: Mapping[str, Outline],
    facts: Sequence[PortFact] = (),
    *,
    histories: frozenset[str] = frozenset(),
) -> OutlineFacts:
    """The ports (the outlines of `report`'s docs give and other sources' `facts`), tag
    drift (none from `histories`, the docs that record changes: see `audit.histories`)
    and rubric grades."""
    skipped = frozenset(report.index_docs)
    by_doc = _by_doc(report, skipped)
    paths = [path for path in outlines if path not in skipped]
    scoping = _Scoping(outlines, by_doc)
    # Only the rubric reads the scopes again: without it, each doc's are made, read for
    # its ports and let go, and each doc's port keys go as soon as they are merged.
    graded = bool(settings.required_sections)
    scopes = scoping.kept = {path: scoping.scope(path) for path in paths} if graded else {}
    ports = port_facts.merge_ports(map(scoping.ports, paths), facts)
    images = [result.image for result in report.images]
    drift = _drift(images, outlines, skipped | histories)
    quality = {}
    if graded:
        grader = _Grader(settings.required_sections, scopes)
        for result in report.images:
            if result.status is Status.DOCUMENTED:
                quality[result.image.key] = grader.grade(result)
    # The mentions and scopes (a tuple per piece of evidence) end here.
    return OutlineFacts(ports, _composed(images, facts), drift, quality, scoping.notes)


class _Scoping:
    """Each doc's scopes from its mentions, which go once they are made.

    A class, not functions nested in `read_outlines`: in the compiled build (setup.py)
    those would hold its locals in a cycle, which the console script never collects.
    """

    def __init__(self, outlines: Mapping[str, Outline], by_doc: _ByDoc) -> None:
        self.outlines = outlines
        self.mentions = by_doc.mentions
        self.keys = by_doc.keys
        self.kept: dict[str, Scopes] = {}  # the docs' scopes, when the rubric reads them too
        self.notes: list[Diagnostic] = []  # where a doc's ports stopped (`PORTS_PER_DOC`)
        self.left = port_facts.PORTS_PER_AUDIT  # the ports the docs still to read may give

    def scope(self, path: str) -> Scopes:
        return Scopes(self.outlines[path], _mentions(self.mentions.pop(path, ()), self.keys))

    def ports(self, path: str) -> dict[str, list[port_facts.PortKey]]:
        """The ports of the doc at `path` (mapped over the docs: a generator expression
        would be a list in the compiled build, every doc's ports in memory at once),
        within the bounds of a doc and of the docs before it together."""
        if self.left < 0:
            return {}
        scopes = self.kept.get(path)
        made = self.scope(path) if scopes is None else scopes
        most = min(port_facts.PORTS_PER_DOC, self.left)
        found, stopped = port_facts.doc_ports(path, self.outlines[path], made, most)
        self.left -= sum(map(len, found.values()))
        if stopped and most < port_facts.PORTS_PER_DOC:
            self.notes.append(Diagnostic(Location(path, stopped), _AUDIT_PORTS_STOP))
            self.left = -1  # no doc after this one gives a port
        elif stopped:
            self.notes.append(Diagnostic(Location(path, stopped), _PORTS_STOP))
        return found


_PORTS_STOP: Final = (
    f"ports stop here: the doc gives its images {port_facts.PORTS_PER_DOC:,} ports, the most"
    " one doc gives; the ports from here on are not read"
)


_AUDIT_PORTS_STOP: Final = (
    f"ports stop here: the docs give {port_facts.PORTS_PER_AUDIT:,} ports, the most an audit"
    " gives; the ports from here on, and those of the docs after this one, are not read"
)


# What the docs' subjects give (see `subject_facts`): Image.key -> its alias suggestions,
# the orphan docs, and where comparing subjects stopped. Plain values: a child process
# may send them.
SubjectFacts = tuple[
    dict[str, list[AliasSuggestion]], tuple[OrphanDoc, ...], tuple[Diagnostic, ...]
]


def subject_facts(report: Report, skims: Mapping[str, Skim], names: Names) -> SubjectFacts:
    """The alias suggestions and orphan docs the docs' file names, titles and headings
    give: apart from the outlines' facts, so that another process may make them meanwhile
    (`read_outlines` and they share nothing but `report`)."""
    skipped = frozenset(report.index_docs)
    by_doc = _by_doc(report, skipped)
    stop = _Stop(names)
    suggestions = _suggestions(report, skims, skipped, names, by_doc.strong, stop=stop)
    # A doc whose subject looks like a renamed image is a suggestion, not an orphan.
    suggested = {s.location.path for found in suggestions.values() for s in found}
    orphans = _orphans(report, skims, skipped | suggested, names, by_doc.subjects, stop=stop)
    return suggestions, orphans, stop.notes()


class _Stop:
    """Where the subjects stopped being compared with the image names, if they did
    (`Names.exhausted`): the place of the first subject left uncompared."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.where: Location | None = None

    def after(self, path: str, line: int) -> None:
        """Called after the subject at `path`, `line` is compared."""
        if self.where is None and self.names.exhausted:
            self.where = Location(path, line)

    def notes(self) -> tuple[Diagnostic, ...]:
        if self.where is None:
            return ()
        message = (
            "alias suggestions and orphan docs stop here: the docs' file names, titles and"
            f" headings were compared with the image names {COMPARISONS:,} times, the most"
            " an audit compares; the ones from here on are not compared"
        )
        return (Diagnostic(self.where, message),)


def add_facts(
    report: Report,
    settings: AuditSettings,
    docs: DocFacts,
    outlined: OutlineFacts,
    names: Names,
    *,
    subjects: SubjectFacts | None = None,
) -> Report:
    """`report` with the facts of its docs and other sources (`outlined`: `read_outlines`
    of them; only the docs' skims are read here; `names`: `fact_names` of its images;
    `subjects`: `subject_facts` of them, made here when not given); statuses unchanged."""
    ports = outlined.ports
    images = [result.image for result in report.images]
    found = subjects if subjects is not None else subject_facts(report, docs.skims, names)
    suggestions, orphans, uncompared = found
    conflicts = port_facts.conflicts(images, ports)
    drift = outlined.drift
    results = tuple(
        _with_facts(result, outlined.quality, ports, suggestions) for result in report.images
    )
    notes = [
        *report.warnings,
        *port_facts.disagreements(outlined.composed, ports),
        *(_conflict_note(conflict) for conflict in conflicts),
        *(Diagnostic(item.location, _drift_message(item)) for item in drift),
        *uncompared,
        *outlined.notes,
    ]
    return replace(
        report,
        images=results,
        warnings=tuple(sorted(dict.fromkeys(notes), key=_order)),
        orphans=orphans,
        drift=tuple(drift),
        port_conflicts=tuple(conflicts),
    )


def needs_outline(paths: Iterable[str], with_hits: frozenset[str]) -> list[str]:
    """The docs to outline, not just skim: those that name an image."""
    return [path for path in paths if path in with_hits]


@dataclass(frozen=True)
class _ByDoc:
    """What the report's evidence says of each doc, gathered in one pass over it."""

    # For the scopes: not in an index, not another tag. A doc's mentions are packed into
    # ints (the image's position, the line, the kind): a project has hundreds of thousands.
    mentions: dict[str, list[int]]
    keys: list[str]  # Image.key by position
    # Doc path -> the images it has strong evidence for: a tuple, as a doc has a few (a set
    # costs 700 bytes and more, and a large tree has tens of thousands of docs).
    strong: dict[str, tuple[str, ...]]
    subjects: frozenset[str]


_STRONG_KINDS: Final = frozenset(kind for kind in Kind if kind.strong)
_SUBJECT_KINDS: Final = frozenset({Kind.FILENAME, Kind.TITLE})
_KINDS: Final = tuple(Kind)
_KIND_INDEX: Final = {kind: index for index, kind in enumerate(_KINDS)}
_KIND_BITS: Final = (len(_KINDS) - 1).bit_length()
_KIND_MASK: Final = (1 << _KIND_BITS) - 1
# Lines below 2**48: a doc with more lines would not fit in any memory.
_IMAGE_SHIFT: Final = _KIND_BITS + 48


def _by_doc(report: Report, skipped: frozenset[str]) -> _ByDoc:
    """The evidence of the report by doc; `skipped` docs (indexes) give no mentions."""
    # The mentions are gathered per doc, then read doc by doc: each doc's scopes are
    # built at once, not a piece at a time in the order of the images.
    mentions: dict[str, list[int]] = {}
    strong: dict[str, list[str]] = {}
    subjects: set[str] = set()
    kind_index = _KIND_INDEX
    for position, result in enumerate(report.images):
        key = result.image.key
        image_bits = position << _IMAGE_SHIFT
        for item in result.evidence:
            path, kind = item.path, item.kind
            if kind is not Kind.INDEX and not item.other_tag and path not in skipped:
                found = mentions.get(path)
                if found is None:
                    found = mentions[path] = []
                found.append(image_bits | item.line << _KIND_BITS | kind_index[kind])
            if kind in _STRONG_KINDS:
                strong.setdefault(path, []).append(key)
                if kind in _SUBJECT_KINDS:
                    subjects.add(path)
    keys = [result.image.key for result in report.images]
    each_once = {path: tuple(dict.fromkeys(found)) for path, found in strong.items()}
    return _ByDoc(mentions, keys, each_once, frozenset(subjects))


def _mentions(packed: Iterable[int], keys: Sequence[str]) -> Iterator[Mention]:
    """The mentions of a doc as `_by_doc` packed them."""
    line_mask = (1 << (_IMAGE_SHIFT - _KIND_BITS)) - 1
    for item in packed:
        yield keys[item >> _IMAGE_SHIFT], item >> _KIND_BITS & line_mask, _KINDS[item & _KIND_MASK]


def _composed(images: Sequence[Image], facts: Sequence[PortFact]) -> list[Image]:
    """The images a compose file gives ports: only theirs can disagree with the docs."""
    keys = {fact.image for fact in facts if fact.port.source is PortSource.COMPOSE}
    return [image for image in images if image.key in keys]


def _with_facts(
    result: ImageResult,
    quality: Mapping[str, Quality],
    ports: Mapping[str, tuple[Port, ...]],
    suggestions: Mapping[str, list[AliasSuggestion]],
) -> ImageResult:
    key = result.image.key
    graded = quality.get(key)
    # Made with the constructor, not `dataclasses.replace` (a Python loop over the fields,
    # for every image of the inventory): every field is given.
    return ImageResult(
        result.image,
        result.status,
        result.evidence,
        result.reason,
        result.depth,
        ports.get(key, ()),
        None if graded is None else graded.completeness,
        () if graded is None else graded.missing,
        tuple(suggestions.get(key, ())),
    )


class _Grader:
    """The rubric for every documented image, with the scopes of the docs and each doc's
    headings and keys by line (made when first needed)."""

    def __init__(self, required: Sequence[str], scopes: Mapping[str, Scopes]) -> None:
        self.rubric = Rubric(required)
        self.scopes = scopes
        self.indexes: dict[str, SectionIndex] = {}
        # By doc: the required sections (bits) the whole of it names. A doc whose title or
        # config entry names thousands of images is the whole of each one's: read once.
        self.whole: dict[str, int] = {}

    def grade(self, result: ImageResult) -> Quality:
        """The headings and keys in the lines of each doc that are the image's own."""
        key = result.image.key
        found = 0
        for path in dict.fromkeys(item.path for item in result.evidence):
            scopes = self.scopes.get(path)
            region = scopes.region(key) if scopes is not None else None
            if scopes is not None and region is not None:
                found |= self._found(path, scopes, region)
        return self.rubric.quality(found)

    def _found(self, path: str, scopes: Scopes, region: Region) -> int:
        """The required sections (bits) the headings and keys of `region` of a doc name."""
        if region.whole and path in self.whole:
            return self.whole[path]
        index = self.indexes.get(path)
        if index is None:
            index = self.indexes[path] = SectionIndex(scopes.outline)
        found = self.rubric.found(index.names(region))
        if region.whole:
            self.whole[path] = found
        return found


def _aliases(images: Sequence[Image], settings: AuditSettings) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for selector, aliases in settings.aliases:
        for image in images:
            if selects(selector, image):
                found[image.key] = found.get(image.key, ()) + aliases
    return found


def project_prefixes(detected: str | None, settings: AuditSettings) -> tuple[str, ...]:
    """The project prefixes: those configured (`strip-prefix`), then the `detected` one."""
    configured = settings.strip_prefix or ()
    return (*configured, *((detected,) if detected else ()))


def _subjects(path: str, skim: Skim | None, headings: bool) -> list[tuple[Kind, int, list[str]]]:
    """What the doc at `path` names: its file name, title and (if asked) headings, as words."""
    found = [
        (kind, line, subject(text)) for kind, line, text in _subject_texts(path, skim, headings)
    ]
    return [(kind, line, words) for kind, line, words in found if words]


def _suggestions(
    report: Report,
    skims: Mapping[str, Skim],
    skipped: frozenset[str],
    names: Names,
    strong: Mapping[str, tuple[str, ...]],
    *,
    stop: _Stop,
) -> dict[str, list[AliasSuggestion]]:
    """Image.key -> the variants of its name the docs' subjects give, first place first.

    `strong` is doc path -> the images it has strong evidence for.
    """
    found: dict[str, dict[str, AliasSuggestion]] = {}
    # Headings repeat from doc to doc (`Ports`, `Known issues`): each text is read once.
    memo: dict[str, tuple[list[str], str]] = {}
    for path in report.docs:
        if path in skipped:
            continue
        for kind, line, text in _subject_texts(path, skims.get(path), headings=True):
            variants = memo.get(text)
            if variants is None:
                variants = memo[text] = _variants(text, names)
                stop.after(path, line)
            images, alias = variants
            for image in images:
                if image in strong.get(path, ()):
                    continue  # the doc is the image's already: a heading in it is no rename
                found.setdefault(image, {}).setdefault(
                    alias, AliasSuggestion(alias, Location(path, line), kind)
                )
    return {image: list(by_alias.values()) for image, by_alias in found.items()}


def _subject_texts(path: str, skim: Skim | None, headings: bool) -> list[tuple[Kind, int, str]]:
    """The file name (its CamelCase words apart, as the scan reads it too), title and (if
    asked) headings of the doc at `path`, as written."""
    found = [(Kind.FILENAME, 0, " ".join(camel_words(doc_name(path))))]
    if skim is not None and skim.title is not None:
        found.append((Kind.TITLE, skim.title.line, skim.title.text))
    if skim is not None and headings:
        found += [(Kind.HEADING, h.line, h.text) for h in skim.headings]
    return found


def _variants(text: str, names: Names) -> tuple[list[str], str]:
    """The images the subject of `text` is a variant of, and the subject as an alias."""
    words = subject(text)
    # `ACME Platform` is the project's own name: the project, no image renamed.
    if not words or names.named(words) or project_name(words, names.prefix):
        return [], ""
    images = variant_of(words, names)
    # Asked only of a subject with variants: most have none.
    if images and names_with_report_words(text, names):
        return [], ""
    return images, joined(words)


def _orphans(
    report: Report,
    skims: Mapping[str, Skim],
    skipped: frozenset[str],
    names: Names,
    subjects: frozenset[str],
    *,
    stop: _Stop,
) -> tuple[OrphanDoc, ...]:
    """Docs that name no image, and docs whose subject is an image the inventory lacks.

    `subjects`: the docs whose file name or title names an image. A docs folder's landing
    page is the site's home page, whatever it names; another folder's landing page names
    no image as a page of its folder should (`gather` leaves it out), but its folder's
    name or its title may still name a retired one (`docs/app-legacy/README.md`).
    """
    found: list[OrphanDoc] = []
    for path in report.docs:
        if path in skipped or path in subjects:
            continue
        for _, line, words in _subjects(path, skims.get(path), headings=False):
            name = None if names.named(words) else _retired(words, names)
            stop.after(path, line)
            if name is not None:
                # Asked only of a would-be orphan: most docs never are.
                if not home_page(path, report.docs_folders):
                    found.append(OrphanDoc(path, OrphanKind.UNKNOWN_IMAGE, name, line))
                break
    named = {orphan.path for orphan in found}
    found += [
        OrphanDoc(path, OrphanKind.NO_IMAGE)
        for path in report.orphan_docs
        if path not in skipped and path not in named
    ]
    return tuple(sorted(found, key=lambda o: (o.path, o.kind.value)))


def _retired(words: list[str], names: Names) -> str | None:
    """`retired_name` of a subject naming no image, unless it is a variant of one (or
    was left uncompared: then it may be one)."""
    if variant_of(words, names) or names.exhausted:
        return None
    return retired_name(words, names)


def _drift(
    images: Sequence[Image], outlines: Mapping[str, Outline], skipped: frozenset[str]
) -> list[Drift]:
    """Docs citing a tag of an inventory repository that no pull script pulls."""
    # By repository spelling, lowered: its first image (the one a drift names) and its tags,
    # lowered. A citation is looked up, not compared with each of the images of its
    # repository (a pull request may list thousands, its docs cite as many times).
    first: dict[str, Image] = {}
    tags: dict[str, set[str]] = {}
    unsure: set[str] = set()  # repositories pulled with a tag not known: any tag may be
    for image in images:
        parsed = image.parsed
        spellings = {parsed.familiar_repository.lower(), parsed.repository.lower()}
        if parsed.tag_unknown or any(place.tag_unknown for place in image.places):
            unsure |= spellings
        if parsed.tag is None:
            continue
        for spelling in spellings:
            first.setdefault(spelling, image)
            tags.setdefault(spelling, set()).add(parsed.tag.lower())
    for spelling in unsure:
        tags.pop(spelling, None)
    found: dict[tuple[str, str, Location], Drift] = {}
    for path, outline in outlines.items():
        if path in skipped:
            continue
        for citation in outline.citations:
            repository = citation.repository.lower()
            pulled = tags.get(repository)
            if pulled is None or _placeholder_tag(citation.tag):
                continue
            if not _pulled(citation.tag.lower(), pulled):
                image = first[repository]
                cited = f"{citation.repository}:{citation.tag}"
                place = Location(path, citation.line)
                found.setdefault(
                    (image.key, cited, place), Drift(image.ref, cited, place, image.source)
                )
    return list(found.values())


def _placeholder_tag(tag: str) -> bool:
    """Whether a cited tag stands for any version (`vX.Y.Z`, `X.Y-alpine`, `1.x`, `TAG`,
    `YOUR_VERSION`): a doc telling how to write one, not a tag it cites."""
    if tag.isupper() and tag.replace("_", "").isalpha():
        return True
    version = tag.split("-", 1)[0]
    parts = (version[1:] if version[:1] in ("v", "V") else version).split(".")
    wild = [part for part in parts if part and not part.strip("xyzXYZ*")]
    return bool(wild) and all(part.isdigit() or part in wild for part in parts)


def _pulled(tag: str, pulled: set[str]) -> bool:
    """Whether a citation's `tag` (lowered) is one of the `pulled` tags of its repository."""
    # A number of three digits or more after a name is a port (`app-api:8080`), not a tag.
    return (tag.isdigit() and len(tag) >= 3) or tag in pulled


def _drift_message(item: Drift) -> str:
    # The tag of `repo:tag@sha256:...` (not its digest), after the last `/` (not the port
    # of `registry:5000/repo:tag`): an image with drift always has one.
    pulled = item.image.partition("@")[0].rpartition("/")[2].rpartition(":")[2]
    return f"cites {item.cited}, but {item.source} pulls {item.image} (tag {pulled})"


# A conflict's warning names every claim up to this many; past it, the first claim of
# each of the first images and how many more there are. A port that many docs give
# (8080) gathers thousands of claims: the report's port conflicts list them all, one
# warning line (and a gate's failure detail, a comment's row) must stay readable.
NAMED_CLAIMS = 6


def _conflict_note(conflict: PortConflict) -> Diagnostic:
    shown = str(conflict.number) + ("" if conflict.protocol == "tcp" else f"/{conflict.protocol}")
    first = conflict.claims[0].location
    message = f"port {shown} is claimed by more than one image: {_named_claims(conflict.claims)}"
    return Diagnostic(first, message)


def _named_claims(claims: Sequence[PortUse]) -> str:
    if len(claims) <= NAMED_CLAIMS:
        return "; ".join([f"{use.image} ({use.location})" for use in claims])
    firsts: dict[str, PortUse] = {}
    for use in claims:
        firsts.setdefault(use.image, use)
    named = list(firsts.values())[: NAMED_CLAIMS - 1]
    more_claims, more_images = len(claims) - len(named), len(firsts) - len(named)
    rest = f"{more_claims} more claim{'s' if more_claims > 1 else ''}"
    if more_images:
        rest += f", by {more_images} more image{'s' if more_images > 1 else ''}"
    shown = "; ".join([f"{use.image} ({use.location})" for use in named])
    return f"{shown}; and {rest} (the report's port conflicts list every one)"


def _order(note: Diagnostic) -> tuple[bool, str, int]:
    where = note.location
    return (where is not None, where.path if where else "", where.line if where else 0)


@dataclass(frozen=True)
class FactFailure:
    # PORT_CONFLICT (fail-on-port-conflict) or INCOMPLETE_DOCS (min-completeness).
    kind: RegressionKind
    key: str  # what stays the same between base and head: the port, or the image
    image: str | None  # Image.ref
    location: Location | None
    detail: str


def fact_failures(report: Report, settings: AuditSettings) -> list[FactFailure]:
    """What fails the gate in `report` beyond coverage: port conflicts (only with
    `fail-on-port-conflict`) and documented images under `min-completeness`."""
    found = []
    if settings.fail_on_port_conflict:
        for conflict in report.port_conflicts:
            note = _conflict_note(conflict)
            found.append(
                FactFailure(
                    RegressionKind.PORT_CONFLICT,
                    f"{conflict.number}/{conflict.protocol}",
                    None,
                    note.location,
                    note.message,
                )
            )
    floor = settings.min_completeness
    for result in report.images if floor is not None else ():
        score = result.completeness
        if score is not None and floor is not None and score < floor:
            detail = (
                f"{result.image.ref} has {score:.0f}% of the required sections "
                f"(min-completeness {floor:g}%); missing: {', '.join(result.missing_sections)}"
            )
            found.append(
                FactFailure(
                    RegressionKind.INCOMPLETE_DOCS,
                    result.image.key,
                    result.image.ref,
                    result.image.source,
                    detail,
                )
            )
    return found


def new_failures(base: Report, head: Report, settings: AuditSettings) -> list[FactFailure]:
    """The head's failures the base did not have: a change is judged on what it adds."""
    before = {(failure.kind, failure.key) for failure in fact_failures(base, settings)}
    return [f for f in fact_failures(head, settings) if (f.kind, f.key) not in before]
