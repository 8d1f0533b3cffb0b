"""The audited files as they are on disk: the working tree under a root.

`Tree` is what the engine reads from; this module gives the working tree, and
`gitsource` (the gate) gives a tree at a git ref. Paths are root-relative with
`/`. Nothing here leads out of the root: a symlink whose target lies outside is
skipped with a warning (a checkout from a fork may link to /etc/passwd), and so is
one into a version control folder, which the walk never lists: `actions/checkout`
leaves the job's token in `.git/config`, and a list the pull script reads is quoted
line by line in the warnings of every output.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from .docs.read import MAX_READ_BYTES, Truncated
from .model import Diagnostic, Location

# What a tree says of a symlink it does not follow out of its root (a git tree too).
OUTSIDE_LINK = "skipped: a symlink that leads outside the audited root"
# ... of one that leads into a version control folder (see `VCS_DIRS`), or loops.
VCS_LINK = "skipped: a symlink into a version control folder, which the audit never reads"
LOOPED_LINK = "skipped: a symlink that loops"


class LinkedOutsideError(FileNotFoundError):
    """What a tree's `read` raises for a path that leads out of its root through a
    symlink: the config reader names it as such instead of "not found"."""


class LinkedIntoVcsError(FileNotFoundError):
    """What a commit's `read` raises for a path whose symlink leads into `.git` (which a
    commit never holds): the config reader refuses it, as it refuses one on disk."""


# Folders of a version control system: never read, not even through a link (credentials).
VCS_DIRS = frozenset({".git", ".hg", ".svn"})
_SKIPPED_DIRS = VCS_DIRS | {"node_modules", ".venv", "__pycache__"}
# Deeper folders are skipped with a warning: no repository nests docs this deep, and
# path lengths would reach the system's limit soon after.
MAX_DEPTH = 64


def blob_id_of(data: bytes) -> str:
    """The git blob id of `data` (SHA-1 object format), as `git hash-object` prints it:
    a file on disk and the same file at a commit share what was read of them."""
    return _blob_digest(len(data), data).hexdigest()


def _blob_digest(size: int, data: bytes) -> hashlib._Hash:
    """The blob id's hash of a file of `size` bytes that starts with `data` (fed without
    a copy: `header + data` doubled the memory of a large file)."""
    digest = hashlib.sha1(b"blob %d\0" % size, usedforsecurity=False)
    digest.update(data)
    return digest


def read_file(path: Path) -> bytes:
    """The bytes of the file at `path`; of one larger than `MAX_READ_BYTES`, the first
    bytes only (`Truncated`): no reader takes more, and a pull request may add 100 MB."""
    with path.open("rb") as file:
        return _read_start(file)


def read_with_id(path: Path) -> tuple[bytes, str]:
    """`read_file(path)` and the file's blob id; a `Truncated` file's rest is read on in
    chunks for it, from where its first bytes end."""
    with path.open("rb") as file:
        data = _read_start(file)
        if not isinstance(data, Truncated):
            return data, blob_id_of(data)
        digest = _blob_digest(data.size, data)
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return data, digest.hexdigest()


def _read_start(file: BinaryIO) -> bytes:
    """All of an open file, or its first `MAX_READ_BYTES + 1` bytes (`Truncated`)."""
    size = os.fstat(file.fileno()).st_size
    data = file.read(min(size, MAX_READ_BYTES) + 1)
    return data if len(data) <= MAX_READ_BYTES else Truncated(data, max(size, len(data)))


_CHUNK = 1 << 20


class Tree(Protocol):
    """Files to audit: their paths, their bytes, and what could not be read."""

    def files(self) -> Iterator[str]: ...

    def read(self, path: str) -> bytes: ...

    def blob_id(self, path: str) -> str: ...

    def has_folder(self, path: str) -> bool: ...

    @property
    def warnings(self) -> list[Diagnostic]: ...


def fork_hooks(tree: Tree) -> tuple[Callable[[], None], Callable[[], None]]:
    """What a forked child calls first and last on `tree`: a tree read through a git
    process lets the child start and end its own (`GitTree.forked`, `close`)."""
    return getattr(tree, "forked", _nothing), getattr(tree, "close", _nothing)


def _nothing() -> None:
    return None


class WorkTree:
    """The files under `root` on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.warnings: list[Diagnostic] = []
        self._files: list[str] | None = None
        # The bytes `blob_id` read, for the `read` that usually follows: one file at most,
        # so a cache hit (no `read`) never keeps a doc's bytes for the rest of the run.
        self._read_ahead: tuple[str, bytes, str] | None = None  # a path, its bytes, its id

    def files(self) -> Iterator[str]:
        if self._files is None:
            self._files = sorted(self._walk())
        return iter(self._files)

    def read(self, path: str) -> bytes:
        kept, self._read_ahead = self._read_ahead, None
        if kept is not None and kept[0] == path:
            return kept[1]
        return read_file(self.root / path)

    def blob_id(self, path: str) -> str:
        """The git blob id of the file's bytes, kept for the `read` that follows."""
        kept = self._read_ahead
        if kept is not None and kept[0] == path:
            return kept[2]
        data, blob = read_with_id(self.root / path)
        self._read_ahead = (path, data, blob)
        return blob

    def has_folder(self, path: str) -> bool:
        """Whether `path` (root-relative; "" is the root) is a folder inside the root."""
        folder = Path(os.path.realpath(self.root / path))
        return folder.is_relative_to(self.root) and folder.is_dir()

    @property
    def read_ahead_bytes(self) -> int:
        """How many bytes of read-ahead are held (at most one file's)."""
        return len(self._read_ahead[1]) if self._read_ahead else 0

    def _walk(self) -> Iterator[str]:
        """Every file under the root, by a loop over a stack of folders: os.walk recurses
        once per level on Python 3.11, and a fork can nest folders 1,500 deep.

        A repository holds thousands of files besides its docs: each is judged by what
        its directory entry already knows, and named by joining strings, with no Path
        and no system call for a plain file or folder.
        """
        pending = [(str(self.root), "", 0)]  # a folder, its root-relative prefix, its depth
        while pending:
            folder, prefix, depth = pending.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError:
                continue  # unreadable or gone: os.walk skips it too
            for entry in entries:
                if entry.is_symlink():
                    if self._keep_link(Path(entry.path)):
                        yield prefix + entry.name
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name not in _SKIPPED_DIRS and self._keep_dir(
                        Path(entry.path), depth + 1
                    ):
                        pending.append((entry.path, f"{prefix}{entry.name}/", depth + 1))
                elif entry.is_file(follow_symlinks=False):
                    yield prefix + entry.name

    def _keep_dir(self, path: Path, depth: int) -> bool:
        if depth > MAX_DEPTH:
            relative = path.relative_to(self.root).as_posix()
            message = f"skipped: folders nested deeper than {MAX_DEPTH} levels"
            self.warnings.append(Diagnostic(Location(_short_path(relative), 0), message))
            return False
        return True

    def _keep_link(self, path: Path) -> bool:
        # Linked folders are not followed (they may loop); one leading out is worth a word.
        if path.is_dir():
            self._refused(path)
            return False
        return not self._refused(path) and path.is_file()

    def _refused(self, link: Path) -> bool:
        """Warn about and say whether `link` leads where the walk does not go: out of the
        root, into a version control folder, or round in a loop."""
        why = _link_refusal(self.root, link)
        if why is not None:
            relative = link.relative_to(self.root).as_posix()
            self.warnings.append(Diagnostic(Location(relative, 0), why))
        return why is not None


def _link_refusal(root: Path, link: Path) -> str | None:
    """Why the symlink `link` under `root` is not followed, or None if it may be."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return LOOPED_LINK
    if not target.is_relative_to(root):
        return OUTSIDE_LINK
    if VCS_DIRS.intersection(target.relative_to(root).parts):
        return VCS_LINK
    return None


def _short_path(path: str) -> str:
    # A path 65 folders deep is long; its first folders say where it is.
    parts = path.split("/")
    return path if len(parts) <= 4 else "/".join([*parts[:3], "...", parts[-1]])
