"""Docs outlined ahead: a child process outlines the docs while this one reads the
pull scripts and builds the terms, on one core otherwise (see `workers.Ahead`).

Apart from `engine`, and loading little, so that a command can list the docs and fork
the child before it loads the rest of the audit: those imports are a third of the
start-up of an audit of a few hundred docs, time the child outlines in.

A doc's outline does not depend on the terms, but how deep it is read does (a skim for
a doc that names no image): the child reads every doc in full, and the scan takes the
skim from it (`Outline.skim` is `skim`), leaves out the docs it got through and merges
their outlines (`engine.scan_docs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from .config import AuditSettings
from .docs.outline import Outline, outline
from .docs.read import decode_split, unread
from .records import record
from .selector import Selection, select_files
from .workers import Ahead
from .worktree import Tree, fork_hooks

# Fewer docs than this are not worth a child (see engine.FORK_MIN_DOCS, the same for the
# scan's).
AHEAD_MIN_DOCS = 50

# What the child sends for a doc: its blob and full outline (None: a doc not read, see `unread`).
AheadOutline = tuple[str, Outline] | None


@record
class Started:
    """An audit's files, what it reads of them, and the child outlining its docs."""

    files: tuple[str, ...]
    selection: Selection
    ahead: Ahead[AheadOutline] | None

    def end(self) -> None:
        """Let the child go (the scan has taken what it did, or will not come)."""
        if self.ahead is not None:
            self.ahead.end()


def start_audit(tree: Tree, settings: AuditSettings, *, ahead: bool = True) -> Started:
    """List the files of `tree`, choose what the audit reads, and start outlining the docs
    (not with `ahead` False: a second pass over docs the first one scanned)."""
    files = tuple(tree.files())
    selection = select_files(files, settings)
    keys = bool(settings.required_sections)
    child = outline_ahead(tree, selection.docs, keys=keys) if ahead else None
    return Started(files, selection, child)


def outline_ahead(tree: Tree, docs: Sequence[str], *, keys: bool) -> Ahead[AheadOutline] | None:
    """A child outlining `docs` in order (with `Key:` lines for the rubric with `keys`),
    until the scan stops it. How far it gets is how long this process takes to get the
    scan ready: all 500 docs of the benchmark's small project with 3,000 images."""
    if len(docs) < AHEAD_MIN_DOCS:
        return None
    return Ahead.start(docs, partial(outline_one, tree, keys), *fork_hooks(tree))


def outline_one(tree: Tree, keys: bool, path: str) -> AheadOutline:
    """What the child sends for the doc at `path`."""
    blob = tree.blob_id(path)
    data = tree.read(path)
    if unread(data) is not None:
        return None
    split = decode_split(data)[0]
    return blob, outline(split.text, keys=keys, split=split)
