"""Audits of trees: choose the files, read each once, hand plain values to the core.

A check audits two trees (the base at a git ref, the head) that mostly hold the
same files. Parse results are kept by git blob id in a `ScanCache`, so a file
that did not change between base and head is parsed once, and both sides are
scanned with one matcher built from both inventories (each side then keeps
only the hits on its own images).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .audit import audit_rows
from .config import DEFAULT_PULL_SCRIPTS, AuditSettings, same_rules
from .docs.names import Naming, name_images
from .docs.read import decode, is_binary
from .docs.scan import HitRow, data_rows, file_name_hits, text_rows
from .docs.terms import Matcher, build_terms
from .errors import InputError
from .gate import ConfigEffect, Policy, Verdict, decide
from .inventory import ScriptImages, build_inventory, parse_pull_script
from .model import Diagnostic, Hit, Image, Inventory, Location, Report
from .selector import glob_match, under
from .worktree import Tree

_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


@dataclass(frozen=True)
class Selection:
    scripts: tuple[str, ...]
    docs: tuple[str, ...]


def select_files(files: Sequence[str], settings: AuditSettings) -> Selection:
    """The pull scripts and the docs to read, by the settings' globs, in path order."""
    scripts = tuple(
        path
        for path in files
        if any(glob_match(pattern, path) for pattern in settings.pull_scripts)
        and not _excluded(path, settings)
    )
    docs = tuple(
        path
        for path in files
        if path.lower().endswith(_MARKDOWN_SUFFIXES)
        and any(under(folder, path) for folder in settings.docs)
        and not _excluded(path, settings)
        and path not in scripts
    )
    return Selection(scripts, docs)


def _excluded(path: str, settings: AuditSettings) -> bool:
    return any(glob_match(pattern, path) for pattern in settings.exclude)


def require_scripts(selection: Selection, settings: AuditSettings) -> None:
    """No pull script at all is a mistake in the settings, not an empty inventory."""
    if selection.scripts:
        return
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


@dataclass
class ScanCache:
    """Parse results by git blob id; `parses` counts the files actually parsed."""

    scripts: dict[tuple[str, str], ScriptImages] = field(default_factory=dict)
    # By matcher and blob: the hits (None for a binary file) and what to say about the file.
    texts: dict[tuple[str, str], tuple[tuple[HitRow, ...] | None, tuple[str, ...]]] = field(
        default_factory=dict
    )
    parses: int = 0


@dataclass(frozen=True)
class Side:
    """One tree, read: its files, what to audit in it and its inventory."""

    tree: Tree
    files: tuple[str, ...]
    selection: Selection
    inventory: Inventory


def read_side(tree: Tree, settings: AuditSettings, cache: ScanCache, *, head: bool) -> Side:
    """Select and parse the pull scripts of `tree`. Only the head must have one."""
    files = tuple(tree.files())
    selection = select_files(files, settings)
    if head:
        require_scripts(selection, settings)
    parsed = [_script(tree, path, cache) for path in selection.scripts]
    return Side(tree, files, selection, build_inventory(parsed))


def _script(tree: Tree, path: str, cache: ScanCache) -> ScriptImages:
    key = (path, tree.blob_id(path))
    if key not in cache.scripts:
        cache.parses += 1
        cache.scripts[key] = parse_pull_script(path, tree.read(path))
    return cache.scripts[key]


def audit_side(
    side: Side, settings: AuditSettings, terms: tuple[Naming, Matcher], cache: ScanCache
) -> Report:
    """Audit one side with the terms (names and their matcher) built for it."""
    naming, matcher = terms
    notes: list[Diagnostic] = []
    scans: list[tuple[str, tuple[HitRow, ...]]] = []
    for path in side.selection.docs:
        rows, said = _text_hits(side.tree, path, matcher, cache)
        notes.extend(Diagnostic(Location(path, 0), note) for note in said)
        if rows is not None:
            named = tuple(_row(hit) for hit in file_name_hits(path, matcher))
            scans.append((path, named + rows))
    warnings = [*side.tree.warnings, *notes, *_empty_folders(side, settings)]
    return audit_rows(
        side.inventory,
        scans,
        settings,
        frozenset(side.files),
        warnings,
        detected_prefix=naming.prefix,
    )


def build_matcher(images: Sequence[Image], settings: AuditSettings) -> tuple[Naming, Matcher]:
    """The names of `images` (the project prefix, short names, other tags) and their matcher."""
    naming = name_images(images, settings)
    return naming, Matcher(build_terms(images, settings, naming))


def _empty_folders(side: Side, settings: AuditSettings) -> list[Diagnostic]:
    """A docs folder without a single doc is most likely a typo in the settings."""
    return [
        Diagnostic(None, f"docs folder '{folder}' holds no Markdown file; check 'docs'")
        for folder in settings.docs
        if not any(under(folder, path) for path in side.selection.docs)
    ]


def _row(hit: Hit) -> HitRow:
    return (hit.image, hit.line, hit.kind, hit.other_tag, hit.subject)


def _text_hits(
    tree: Tree, path: str, matcher: Matcher, cache: ScanCache
) -> tuple[tuple[HitRow, ...] | None, tuple[str, ...]]:
    key = (matcher.key, tree.blob_id(path))
    if key not in cache.texts:
        cache.parses += 1
        cache.texts[key] = _scan_bytes(tree.read(path), matcher)
    return cache.texts[key]


def _scan_bytes(data: bytes, matcher: Matcher) -> tuple[tuple[HitRow, ...] | None, tuple[str, ...]]:
    if is_binary(data):
        return None, ("skipped: binary file",)
    text, replaced = decode(data)
    if replaced:
        return text_rows(text, matcher), ("not valid UTF-8; undecodable bytes were replaced",)
    rows = data_rows(data, text, matcher)
    return (text_rows(text, matcher) if rows is None else rows), ()


def run_audit(tree: Tree, settings: AuditSettings) -> Report:
    """Audit the files of `tree`."""
    cache = ScanCache()
    side = read_side(tree, settings, cache, head=True)
    return audit_side(side, settings, build_matcher(side.inventory.images, settings), cache)


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    parses: int  # files parsed for both sides together


def run_check(
    base: Tree,
    head: Tree,
    settings: AuditSettings,
    policy: Policy,
    base_settings: AuditSettings | None = None,
) -> Check:
    """Audit `base` and `head` with the head's settings, and decide.

    When the base's own settings differ (the change edits the config), the head
    is judged by them too, so that a weakened config shows in the verdict.
    """
    cache = ScanCache()  # shared: a config edit that keeps the terms reuses every scan
    verdict = _check(base, head, settings, policy, cache)
    if base_settings is not None and not same_rules(base_settings, settings):
        under_base = _check(base, head, base_settings, policy, cache)
        effect = ConfigEffect(
            path=settings.config_path or base_settings.config_path or "",
            coverage=under_base.head.summary.coverage,
            regressions=len(under_base.regressions),
        )
        verdict = replace(verdict, config_effect=effect)
    return Check(verdict, cache.parses)


def _check(
    base: Tree, head: Tree, settings: AuditSettings, policy: Policy, cache: ScanCache
) -> Verdict:
    head_side = read_side(head, settings, cache, head=True)
    base_side = read_side(base, settings, cache, head=False)
    # One set of names for both sides: base and head are judged by the same prefix.
    terms = build_matcher((*head_side.inventory.images, *base_side.inventory.images), settings)
    head_report = audit_side(head_side, settings, terms, cache)
    base_report = audit_side(base_side, settings, terms, cache)
    return decide(base_report, head_report, policy)
