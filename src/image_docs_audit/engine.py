"""Audits of trees: choose the files, read each once, hand plain values to the core.

A check (see `checking`) audits two trees (the base at a git ref, the head) that
mostly hold the same files. Parse results are kept by git blob id in a `ScanCache`, so a file
that did not change between base and head is parsed once, and both sides are
scanned with one matcher built from both inventories (each side then keeps
only the hits on its own images).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from .ahead import AheadOutline, Started, start_audit
from .audit import Listings, gather, histories, judge
from .config import DEFAULT_PULL_SCRIPTS, AuditSettings
from .docs.lines import SplitText
from .docs.names import Naming, name_images
from .docs.outline import Outline, Skim, outline, skim
from .docs.read import decode_split, unread
from .docs.scan import HITS_PER_DOC, HitRow, data_rows, file_name_hits, text_rows
from .docs.subjects import LandingPages, Names, prefix_words
from .docs.terms import Matcher, build_terms
from .errors import InputError
from .facts import (
    DocFacts,
    OutlineFacts,
    SubjectFacts,
    add_facts,
    fact_names,
    project_prefixes,
    read_outlines,
    subject_facts,
)
from .inventory import (
    MAX_SOURCE_BYTES,
    ScriptImages,
    SourceImages,
    build_inventory,
    parse_pull_script,
    read_source,
)
from .model import (
    Diagnostic,
    Hit,
    Image,
    Inventory,
    Location,
    PortFact,
    Report,
    SourceKind,
)
from .records import record
from .selector import Selection, TreeFiles, glob_match, is_markdown, select_files, under
from .workers import Ahead, beside, from_both_ends
from .worktree import LOOPED_LINK, OUTSIDE_LINK, VCS_LINK, Tree, fork_hooks


def require_scripts(selection: Selection, settings: AuditSettings, tree: Tree) -> None:
    """No pull script at all is a mistake in the settings, not an empty inventory."""
    if selection.scripts:
        return
    for linked, why in _skipped_links(tree).items():
        if any(glob_match(pattern, linked) for pattern in settings.pull_scripts):
            raise InputError(f"pull-scripts '{linked}'", why)
    if settings.pull_scripts == DEFAULT_PULL_SCRIPTS:
        raise InputError(
            "pull-scripts",
            "no pull script found (looked for "
            + ", ".join(DEFAULT_PULL_SCRIPTS)
            + "); name it with --pull-script or 'pull-scripts' in the config",
        )
    raise InputError(
        "pull-scripts",
        "no file matches " + ", ".join(settings.pull_scripts) + "; check the path",
    )


# What the scan found in a doc: its hits (None for a doc not read), and what to say about
# it, each with its line (0: the doc as a whole).
Scanned = tuple[tuple[HitRow, ...] | None, tuple[tuple[int, str], ...]]


@dataclass
class ScanCache:
    """Parse results by git blob id; `parses` counts the files actually parsed."""

    scripts: dict[tuple[str, str], ScriptImages] = field(default_factory=dict)
    # (script key, file) -> the blob of a list file the script read when it was parsed.
    read_blobs: dict[tuple[tuple[str, str], str], str] = field(default_factory=dict)
    # By matcher and blob: the hits (None for a doc not read) and what to say about the file.
    texts: dict[tuple[str, str], Scanned] = field(default_factory=dict)
    parses: int = 0
    # By (how deep, blob): what the facts beyond coverage read from a doc (see `_read_facts`).
    outlines: dict[tuple[str, str], Outline | Skim] = field(default_factory=dict)
    # False for a single audit: no other side reads the hits again, so they are let go as
    # soon as the report holds its evidence (the rows of 20,000 docs take about 100 MB).
    keep: bool = True
    # One matcher per set of terms: a check under settings that give the same terms (a
    # config edit) reuses its scans and its compiled finder (see `build_matcher`).
    matchers: list[Matcher] = field(default_factory=list)

    def shared(self, matcher: Matcher) -> Matcher:
        """The matcher of the same terms made before, or `matcher`, kept from now on."""
        for known in self.matchers:
            if known.same_terms(matcher):
                return known
        self.matchers.append(matcher)
        return matcher


@record
class Side:
    """One tree, read: its files, what to audit in it and its inventory."""

    tree: Tree
    files: tuple[str, ...]
    selection: Selection
    inventory: Inventory


def read_side(tree: Tree, settings: AuditSettings, cache: ScanCache) -> Side:
    """Select and parse the pull scripts and the other inventory sources of `tree`."""
    files = tuple(tree.files())
    return parse_side(tree, settings, cache, files, select_files(files, settings))


def parse_side(
    tree: Tree,
    settings: AuditSettings,
    cache: ScanCache,
    files: tuple[str, ...],
    selection: Selection,
) -> Side:
    """Parse the pull scripts and other inventory sources `selection` (of `files`) names."""
    present = frozenset(files)
    listed = TreeFiles(files)  # indexed at a script's first glob of files, if any
    parsed = [_script(tree, path, present, listed, cache) for path in selection.scripts]
    yaml_left = [MAX_YAML_BYTES]  # what is left of the budget: one list, charged per file
    parsed += [
        _source(tree, kind, path, present, cache, yaml_left=yaml_left)
        for kind, path in selection.sources
    ]
    return Side(tree, files, selection, build_inventory(parsed, settings.inventory_mode))


def require_docs(side: Side, settings: AuditSettings, base: Side | None = None) -> None:
    """Docs folders that exist: a missing one is a typo (an empty one is only a warning).

    In a check, a folder the `base` has is no typo: the change moved or deleted it, and
    the check says so (the lost docs, the folder move) instead of stopping."""
    for folder in settings.docs:
        name = folder.strip().removeprefix("./").strip("/")
        if not side.tree.has_folder(name) and not (base and base.tree.has_folder(name)):
            why = _skipped_links(side.tree).get(name)
            if why is not None:
                raise InputError(f"docs '{folder}'", why)
            message = "the docs folder does not exist" + _markdown_folders(side.files)
            raise InputError(f"docs '{folder}'", message + "; check --docs or 'docs' in the config")


def _markdown_folders(files: Sequence[str]) -> str:
    """Where the Markdown of the repository is, as a hint for a docs folder not found:
    the top folders holding the most docs (`documentation/ (12 docs)`), or nothing."""
    counts = Counter(path.split("/", 1)[0] for path in files if "/" in path and is_markdown(path))
    if not counts:
        return ""
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:3]
    shown = ", ".join(f"{name}/ ({count:,} doc{'s' if count > 1 else ''})" for name, count in top)
    return f" (Markdown is under {shown})"


# What is said of a pull script or docs folder that is a symlink a tree does not follow.
_LINK_ERRORS = {
    OUTSIDE_LINK: "a symlink that leads outside the repository, which is not followed; "
    "name a file or folder inside it",
    VCS_LINK: "a symlink into a version control folder (.git), which is never read; "
    "name a file or folder of the repository",
    LOOPED_LINK: "a symlink that loops; name a file or folder of the repository",
}


def _skipped_links(tree: Tree) -> dict[str, str]:
    """The paths `tree` skipped as symlinks it does not follow, with what to say of each."""
    return {
        note.location.path: _LINK_ERRORS[note.message]
        for note in tree.warnings
        if note.message in _LINK_ERRORS and note.location is not None
    }


def require_inventory(side: Side, settings: AuditSettings) -> None:
    """A pull script with an image in it: a coverage of 100% over nothing passes anything."""
    require_scripts(side.selection, settings, side.tree)
    if not side.inventory.images:
        scripts = ", ".join(side.selection.scripts)
        found = side.inventory.warnings
        # The warnings say why, and would not be shown: the first of them goes with the error.
        why = f" (it warns: {found[0]}{_and_more(len(found) - 1)})" if found else ""
        raise InputError("pull-scripts", f"no image found in {scripts}{why}; check the pull script")


def _and_more(count: int) -> str:
    return f", and {count} more warning{'s' if count > 1 else ''}" if count else ""


# The most bytes of YAML (compose files, manifests, values files) one side reads, all
# files together: PyYAML reads about a MB a second, and each file is bounded (4 MiB,
# `yamlnodes.MAX_NODES`) but not their number: 25 compose files of 4 MB took minutes.
MAX_YAML_BYTES = 16 << 20
_YAML_KINDS = frozenset({SourceKind.COMPOSE, SourceKind.KUBERNETES, SourceKind.HELM_VALUES})
_YAML_SPENT = (
    "not read: with the compose files, manifests and values files read before it, it would"
    f" pass {MAX_YAML_BYTES >> 20} MiB of YAML, the most an audit reads; its images are not read"
)


def _source(
    tree: Tree,
    kind: SourceKind,
    path: str,
    present: frozenset[str],
    cache: ScanCache,
    *,
    yaml_left: list[int],
) -> SourceImages:
    """One compose file, Dockerfile, manifest, values or list file, read once per blob;
    a YAML one charged to `yaml_left` (see `MAX_YAML_BYTES`)."""
    env_path = f"{path.rsplit('/', 1)[0]}/.env" if "/" in path else ".env"
    with_env = kind is SourceKind.COMPOSE and env_path in present
    blob = tree.blob_id(path) + (f"+{tree.blob_id(env_path)}" if with_env else "")
    key = (f"{kind.value}:{path}", blob)
    if key not in cache.scripts:
        data = tree.read(path)
        if kind in _YAML_KINDS and len(data) <= MAX_SOURCE_BYTES:  # (larger: refused unread)
            if yaml_left[0] < len(data):
                return SourceImages(path, (), (Diagnostic(Location(path, 1), _YAML_SPENT),), kind)
            yaml_left[0] -= len(data)
        cache.parses += 1
        env = tree.read(env_path) if with_env else None
        cache.scripts[key] = read_source(kind, path, data, env)
    return cache.scripts[key]


def _script(
    tree: Tree, path: str, present: frozenset[str], listed: TreeFiles, cache: ScanCache
) -> ScriptImages:
    """One pull script, parsed once per blob, and again only when a list it reads changed
    or a glob it writes names other files."""
    key = (path, tree.blob_id(path))
    found = cache.scripts.get(key)
    if (
        found is not None
        and all(
            cache.read_blobs.get((key, other))
            == (tree.blob_id(other) if other in present else None)
            for other in found.read
        )
        and all(listed.glob(pattern)[0] == named for pattern, named in found.globbed)
    ):
        return found
    cache.parses += 1

    def read_file(other: str) -> bytes | None:
        return tree.read(other) if other in present else None

    found = parse_pull_script(path, tree.read(path), read_file, listed)
    for other in found.read:
        cache.read_blobs[(key, other)] = tree.blob_id(other)
    cache.scripts[key] = found
    return found


def audit_side(
    side: Side,
    settings: AuditSettings,
    terms: tuple[Naming, Matcher],
    cache: ScanCache,
    *,
    facts: bool = True,
    ahead: Ahead[AheadOutline] | None = None,
    index_too: frozenset[str] = frozenset(),
) -> Report:
    """Audit one side with the terms (names and their matcher) built for it; without
    `facts`, the statuses and evidence only (no ports, rubric, suggestions nor drift).
    `ahead`: a child outlining the side's docs meanwhile (see ahead.py). `index_too`: see
    `audit.gather`."""
    naming, matcher = terms
    # Hyperscan compiles the terms without holding the GIL: the names the facts compare
    # the docs' subjects with are made meanwhile (3,000 images: 25 ms of each).
    matcher.start()
    names = fact_names(side.inventory.images, settings, naming) if facts else None
    keys = bool(settings.required_sections)
    blobs = scan_docs(side.tree, side.selection.docs, matcher, cache, keys=keys, ahead=ahead)
    scans, notes = _doc_hits(side, matcher, cache, blobs, keys=keys)
    warnings = [*side.tree.warnings, *notes, *_empty_folders(side, settings)]
    docs = read_doc_facts(side, scans, cache, blobs, keys=keys)
    generated = frozenset(path for path, skimmed in docs.skims.items() if skimmed.generated)
    titles = {path: skim.title.text if skim.title else None for path, skim in docs.skims.items()}
    recorded = histories(titles, side.inventory.images)
    files = frozenset(side.files)
    gathered = gather(
        side.inventory,
        scans,
        settings,
        files,
        warnings,
        generated=generated,
        index_too=index_too,
        listings=Listings(titles, side.inventory.images),
        histories=recorded,
        landing=LandingPages(titles, prefix_words(project_prefixes(naming.prefix, settings))),
    )
    if not cache.keep:  # before the results are made: they reuse the rows' memory
        scans.clear()
        cache.texts.clear()
        cache.outlines.clear()  # the facts hold the ones they read
    report = judge(side.inventory, gathered, settings, detected_prefix=naming.prefix)
    if names is None:
        return report
    # Ports other sources give images (a compose file's `ports:`) join those of the docs.
    outlined, subjects = _doc_facts(
        report, settings, docs, side.inventory.ports, names, histories=recorded
    )
    # The outlines are let go before the facts are made of what they gave (in a check the
    # cache keeps them for the other side).
    docs = replace(docs, outlines={})
    return add_facts(report, settings, docs, outlined, names, subjects=subjects)


def _doc_hits(
    side: Side, matcher: Matcher, cache: ScanCache, blobs: dict[str, str], *, keys: bool
) -> tuple[list[tuple[str, tuple[HitRow, ...]]], list[Diagnostic]]:
    """The hits of each doc read (its file name's, then its text's), in the docs' order,
    and what to say about them; the hits stop at `HITS_PER_AUDIT` in all."""
    scans: list[tuple[str, tuple[HitRow, ...]]] = []
    notes: list[Diagnostic] = []
    left = HITS_PER_AUDIT
    for path in side.selection.docs:
        named = tuple(_row(hit) for hit in file_name_hits(path, matcher))
        blob = blobs[path] = blobs.get(path) or side.tree.blob_id(path)
        rows, said = _text_hits(
            side.tree, path, matcher, cache, named=bool(named), blob=blob, keys=keys
        )
        notes.extend(Diagnostic(Location(path, line), note) for line, note in said)
        if rows is None:
            continue
        if (0, _BLANK_DOC) in said:  # its file name is no documentation of anything
            named = ()
        hits = named + rows
        if len(hits) > left:
            # This doc's first hits, in line order, and no doc after it.
            notes.append(Diagnostic(Location(path, hits[left][1]), _AUDIT_HITS_STOP))
            if left:
                scans.append((path, hits[:left]))
            break
        left -= len(hits)
        scans.append((path, hits))
    return scans, notes


# The most hits an audit reads, all docs together (20,000 generated docs give 258,000).
# Each doc's are bounded (`HITS_PER_DOC`), but a mention of one tag is a hit of every other
# listed tag of its repository, and 200 docs of 36 KB naming tags among 5,000 gave 10
# million, 1.6 GB. The docs are read in order up to the one that passes it.
HITS_PER_AUDIT = 1_000_000
_AUDIT_HITS_STOP = (
    f"hits stop here: the docs give {HITS_PER_AUDIT:,} hits, the most an audit reads; the"
    " mentions from here on, and the docs after this one, are not read"
)


def _doc_facts(
    report: Report,
    settings: AuditSettings,
    docs: DocFacts,
    ports: Sequence[PortFact],
    names: Names,
    *,
    histories: frozenset[str],
) -> tuple[OutlineFacts, SubjectFacts | None]:
    """`read_outlines` of the docs, and `subject_facts` of them made by a child meanwhile
    (a fifth of the facts' time: 0.3 s of the 20,000-doc corpus), or None for a few docs
    (this process makes them after, in `add_facts`). The child shares this process's
    memory until either writes to it: the pages it reads (the report, the skims) are
    copied, and its peak stays under this process's."""
    read = partial(read_outlines, report, settings, docs.outlines, ports, histories=histories)
    if len(docs.skims) < FORK_MIN_DOCS:
        return read(), None
    subjects, outlined = beside(partial(subject_facts, report, docs.skims, names), read)
    return outlined, subjects


def read_doc_facts(
    side: Side,
    scans: Sequence[tuple[str, Sequence[HitRow]]],
    cache: ScanCache,
    blobs: Mapping[str, str],
    *,
    keys: bool,
) -> DocFacts:
    """A skim of every doc and an outline of those that name an image, by blob; with
    `keys`, the outlines hold the `Key:` lines the rubric reads.

    The scan outlined or skimmed each doc it read (see `_text_hits`), and the outliner
    ahead outlined the first ones in full (a skim is taken from that); a doc is read
    again here only when its blob was scanned under another path that its file name
    alone made worth an outline or not.
    """
    skims, outlines = {}, {}
    for path, rows in scans:
        key = (_depth(outlined=bool(rows), keys=keys), blobs[path])
        if key not in cache.outlines:
            cache.outlines[key] = _skim_of_outline(cache, key) or _read_facts(
                decode_split(side.tree.read(path))[0], key[0]
            )
        found = cache.outlines[key]
        if isinstance(found, Outline):
            outlines[path] = found
            skims[path] = found.skim
        else:
            skims[path] = found
    return DocFacts(skims, outlines)


def _skim_of_outline(cache: ScanCache, key: tuple[str, str]) -> Skim | None:
    """For a skim, `Outline.skim` of an outline of the same blob, if there is one."""
    depth, blob = key
    if depth != "skim":
        return None
    for deeper in ("outline", "outline+keys"):
        found = cache.outlines.get((deeper, blob))
        if isinstance(found, Outline):
            return found.skim
    return None


def _depth(*, outlined: bool, keys: bool) -> str:
    """How deep a doc is read for the facts: a skim, an outline, or one with its keys."""
    return ("outline+keys" if keys else "outline") if outlined else "skim"


def _scanned_depth(rows: Sequence[HitRow] | None, *, named: bool, keys: bool) -> str:
    """How deep the scan reads a doc for the facts: in full where its text or its file
    name names an image."""
    return _depth(outlined=bool(rows) or named, keys=keys)


def _read_facts(split: SplitText, depth: str) -> Outline | Skim:
    if depth == "skim":
        return skim(split.text)
    return outline(split.text, keys=depth == "outline+keys", split=split)


def build_matcher(
    images: Sequence[Image],
    settings: AuditSettings,
    cache: ScanCache | None = None,
    sides: Sequence[Sequence[Image]] = (),
) -> tuple[Naming, Matcher]:
    """The names of `images` (the project prefix, short names, other tags) and their
    matcher: with a `cache`, the one it holds for the same terms, if any. `sides`: see
    `name_images`."""
    naming = name_images(images, settings, sides)
    matcher = Matcher(build_terms(images, settings, naming))
    return naming, (matcher if cache is None else cache.shared(matcher))


def _empty_folders(side: Side, settings: AuditSettings) -> list[Diagnostic]:
    """A docs folder without a single doc is most likely a typo in the settings."""
    return [
        Diagnostic(None, f"docs folder '{folder}' holds no Markdown file; check 'docs'")
        for folder in settings.docs
        if not any(under(folder, path) for path in side.selection.docs)
    ]


def _row(hit: Hit) -> HitRow:
    return (hit.image, hit.line, hit.kind, hit.other_tag, hit.subject)


# Fewer docs to scan than this are scanned in one process. Measured on the generated
# reports (16 KB each on average, 2 cores): two processes break even at about 25 docs
# and save 10 % at 50, 25 % at 400 (benchmarks/RESULTS.md).
FORK_MIN_DOCS = 50


def scan_docs(
    tree: Tree,
    docs: Sequence[str],
    matcher: Matcher,
    cache: ScanCache,
    *,
    keys: bool,
    ahead: Ahead[AheadOutline] | None = None,
) -> dict[str, str]:
    """Scan the docs the cache lacks into it, in two processes when there are many;
    the blob id of every doc.

    This process and a child share the docs (`from_both_ends`), each scanning into a
    cache of its own; what each gives of a doc is merged into `cache` in the docs' order,
    a blob both scanned counted once, so the cache (and `parses`) end as one process
    would leave them. The first docs, which `ahead` outlined, are only scanned for hits,
    and their outlines merged last.
    """
    blobs: dict[str, str] = {}
    if len(docs) < FORK_MIN_DOCS:
        return blobs
    if not any(key[0] == matcher.key for key in cache.texts):
        pending: Sequence[str] = docs  # nothing scanned with these terms: no blob to look up
    else:
        blobs = {path: tree.blob_id(path) for path in docs}
        pending = [path for path in docs if (matcher.key, blobs[path]) not in cache.texts]
    if len(pending) < FORK_MIN_DOCS:
        return blobs

    if matcher.ascii and matcher.terms:
        matcher.prepare()  # once, inherited by the child
    # As late as can be: the child outlines until the scan starts.
    outlined = docs[: ahead.stop()] if ahead is not None else ()

    scanner = _Scanner(tree, matcher, keys=keys, left_out=frozenset(outlined))
    scanned = from_both_ends(pending, scanner, *fork_hooks(tree))
    for path, (blob, found, outline_made) in zip(pending, scanned, strict=True):
        blobs[path] = blob
        if found is not None and (matcher.key, blob) not in cache.texts:
            cache.texts[(matcher.key, blob)] = found
            cache.parses += 1
        if outline_made is not None:
            cache.outlines.setdefault(*outline_made)
    if ahead is not None and outlined:
        # In full: `read_doc_facts` takes a skim from an outline where the hits ask for one.
        depth = _depth(outlined=True, keys=keys)
        for item in ahead.collect() or ():  # None: `read_doc_facts` outlines those docs
            if item is not None:
                cache.outlines.setdefault((depth, item[0]), item[1])
    return blobs


# What one process gives of a doc it scans: its blob and, where its blob is new to the
# process, its hits and what to say about it, and its outline by (how deep, blob).
_DocScanned = tuple[str, "Scanned | None", "tuple[tuple[str, str], Outline | Skim] | None"]


class _Scanner:
    """The docs one process scans, one at a time (see `scan_docs`); a forked child has
    its own copy."""

    def __init__(
        self, tree: Tree, matcher: Matcher, *, keys: bool, left_out: frozenset[str]
    ) -> None:
        self.tree = tree
        self.matcher = matcher
        self.keys = keys
        self.left_out = left_out  # the docs outlined ahead: scanned for hits only
        self.own = ScanCache()
        # Hits of the docs' texts this process read: past `HITS_PER_AUDIT` it scans no
        # more (the audit reads no doc after the one past it in all; a doc skipped here
        # that the audit does read, `_doc_hits` scans).
        self.read = 0

    def __call__(self, path: str) -> _DocScanned:
        blob = self.tree.blob_id(path)
        key = (self.matcher.key, blob)
        if self.read > HITS_PER_AUDIT or key in self.own.texts:
            return blob, None, None
        named = bool(file_name_hits(path, self.matcher))
        found = _text_hits(
            self.tree,
            path,
            self.matcher,
            self.own,
            named=named,
            blob=blob,
            keys=self.keys,
            outline=path not in self.left_out,
        )
        self.read += len(found[0] or ())
        outline_key = (_scanned_depth(found[0], named=named, keys=self.keys), blob)
        made = self.own.outlines.get(outline_key)
        return blob, found, None if made is None else (outline_key, made)


def _text_hits(
    tree: Tree,
    path: str,
    matcher: Matcher,
    cache: ScanCache,
    *,
    named: bool,
    blob: str,
    keys: bool,
    outline: bool = True,
) -> Scanned:
    """The hits in the doc at `path` and what to say about it, read once per blob.

    While its text is at hand, the doc is also outlined (or skimmed) for the facts
    (see `read_doc_facts`), so that no doc is read and decoded a second time; not with
    `outline` False (`ahead.outline_ahead` did it).
    """
    key = (matcher.key, blob)
    if key not in cache.texts:
        cache.parses += 1
        split, cache.texts[key] = _scan_bytes(tree.read(path), matcher)
        rows = cache.texts[key][0]
        if split is not None and rows is not None and outline:
            depth = _scanned_depth(rows, named=named, keys=keys)
            if (depth, blob) not in cache.outlines:
                cache.outlines[(depth, blob)] = _read_facts(split, depth)
    return cache.texts[key]


def _scan_bytes(data: bytes, matcher: Matcher) -> tuple[SplitText | None, Scanned]:
    """The text of `data` as its readers share it (None for a doc not read: a binary or
    too large file), its hits and what to say about it."""
    skipped = unread(data)
    if skipped is not None:
        return None, (None, ((0, skipped),))
    split, replaced = decode_split(data)
    text = split.text
    notes = [(0, "not valid UTF-8; undecodable bytes were replaced")] if replaced else []
    if not text or text.isspace():  # (no copy of a doc, as `strip` makes)
        notes.append((0, _BLANK_DOC))
    found = None
    # A lone carriage return: `decode` made every line end a newline, the bytes keep them.
    if not replaced and not (b"\r" in data and "\r" not in text):
        found = data_rows(data, text, matcher, split)
    rows, stop = text_rows(text, matcher, split) if found is None else found
    if stop:
        notes.append((stop, _HITS_STOP))
    return split, (rows, tuple(notes))


# A doc with no text (blank lines at most): a file named after an image, not its docs.
_BLANK_DOC = "empty: the doc has no text, so its file name documents no image"
_HITS_STOP = (
    f"hits stop here: the doc gives {HITS_PER_DOC:,} hits (an image on a line), the most one"
    " doc gives; the mentions from here on are not read"
)


def run_audit(tree: Tree, settings: AuditSettings, started: Started | None = None) -> Report:
    """Audit the files of `tree`; `started`: `ahead.start_audit` of them, if the caller
    started it (before loading this module: see ahead.py)."""
    started = started or start_audit(tree, settings)
    cache = ScanCache(keep=False)
    try:
        side = parse_side(tree, settings, cache, started.files, started.selection)
        require_inventory(side, settings)
        require_docs(side, settings)
        terms = build_matcher(side.inventory.images, settings, cache)
        return audit_side(side, settings, terms, cache, ahead=started.ahead)
    finally:
        started.end()  # after an error before the scan, the child is not needed any more
