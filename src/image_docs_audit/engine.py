"""One audit of one tree: choose the files, read them once, hand plain values to the core."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .audit import audit
from .config import DEFAULT_PULL_SCRIPTS, AuditSettings
from .docs.read import decode, is_binary
from .docs.scan import scan_doc
from .docs.terms import Matcher, build_terms
from .errors import InputError
from .inventory import read_inventory
from .model import Diagnostic, DocScan, Location, Report
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


def run_audit(
    tree: Tree,
    settings: AuditSettings,
    *,
    allow_empty: bool = False,
    scan: Callable[[str, str, Matcher], DocScan] = scan_doc,
) -> Report:
    """Audit the files of `tree`. With `allow_empty`, no pull script means no images."""
    files = list(tree.files())
    selection = select_files(files, settings)
    if not allow_empty:
        require_scripts(selection, settings)
    inventory = read_inventory((path, tree.read(path)) for path in selection.scripts)
    matcher = Matcher(build_terms(inventory.images, settings))
    notes: list[Diagnostic] = []
    scans = []
    for path in selection.docs:
        text = _doc_text(path, tree.read(path), notes)
        if text is not None:
            scans.append(scan(path, text, matcher))
    return audit(inventory, scans, settings, frozenset(files), [*tree.warnings, *notes])


def _doc_text(path: str, data: bytes, notes: list[Diagnostic]) -> str | None:
    if is_binary(data):
        notes.append(Diagnostic(Location(path, 0), "skipped: binary file"))
        return None
    text, replaced = decode(data)
    if replaced:
        notes.append(
            Diagnostic(Location(path, 0), "not valid UTF-8; undecodable bytes were replaced")
        )
    return text
