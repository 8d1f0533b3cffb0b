"""The audited files as they are on disk: the working tree under a root.

`Tree` is what the engine reads from; this module gives the working tree, and
`gitsource` (the gate) gives a tree at a git ref. Paths are root-relative with
`/`. Nothing here leads out of the root: a symlink whose target lies outside is
skipped with a warning (a checkout from a fork may link to /etc/passwd).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from .gitsource import blob_id_of
from .model import Diagnostic, Location

_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__"})


class Tree(Protocol):
    """Files to audit: their paths, their bytes, and what could not be read."""

    def files(self) -> Iterator[str]: ...

    def read(self, path: str) -> bytes: ...

    def blob_id(self, path: str) -> str: ...

    @property
    def warnings(self) -> list[Diagnostic]: ...


class WorkTree:
    """The files under `root` on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.warnings: list[Diagnostic] = []
        self._files: list[str] | None = None
        self._read_ahead: dict[str, bytes] = {}

    def files(self) -> Iterator[str]:
        if self._files is None:
            self._files = sorted(self._walk())
        return iter(self._files)

    def read(self, path: str) -> bytes:
        data = self._read_ahead.pop(path, None)
        return data if data is not None else (self.root / path).read_bytes()

    def blob_id(self, path: str) -> str:
        """The git blob id of the file's bytes, kept for the `read` that follows."""
        data = self.read(path)
        self._read_ahead[path] = data
        return blob_id_of(data)

    def _walk(self) -> Iterator[str]:
        for folder, dirs, names in os.walk(self.root, followlinks=False):
            base = Path(folder)
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and self._keep_dir(base / d))
            for name in names:
                if self._keep_file(base / name):
                    yield (base / name).relative_to(self.root).as_posix()

    def _keep_dir(self, path: Path) -> bool:
        # Linked folders are not followed (they may loop); one leading out is worth a word.
        if path.is_symlink():
            self._outside(path)
            return False
        return True

    def _keep_file(self, path: Path) -> bool:
        if path.is_symlink():
            return not self._outside(path) and path.is_file()
        return path.is_file()

    def _outside(self, link: Path) -> bool:
        """Warn about and say whether `link` leads out of the root."""
        try:
            target = link.resolve()
        except (OSError, RuntimeError):  # a loop of links
            target = None
        if target is not None and target.is_relative_to(self.root):
            return False
        relative = link.relative_to(self.root).as_posix()
        message = "skipped: a symlink that leads outside the audited root"
        self.warnings.append(Diagnostic(Location(relative, 0), message))
        return True
