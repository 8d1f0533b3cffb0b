"""The files of a git repository at a ref, read from the object store.

The gate compares a change with its base, so it must read the base without a
checkout: the working tree and the index belong to the user (or to the runner's
checkout step) and stay untouched. `GitTree` satisfies `worktree.Tree`; its
paths are relative to the repository's top with `/`, like `WorkTree`'s.

Blobs are read through one long-lived `git cat-file --batch` per tree, since a
process per file would dominate the time of a 20,000-doc audit. `worktree.blob_id_of`
computes the same key for bytes on disk, so base and head can share results.
"""

from __future__ import annotations

import contextlib
import errno
import os
import posixpath
import re
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from .docs.read import MAX_READ_BYTES, Truncated
from .errors import InputError
from .model import Diagnostic, Location
from .worktree import (
    LOOPED_LINK,
    OUTSIDE_LINK,
    VCS_DIRS,
    VCS_LINK,
    LinkedIntoVcsError,
    LinkedOutsideError,
)

# Variables that would point git at another repository or index than the one at
# `repo`: a hook or `git rebase --exec` sets them, and we must not follow them.
_FOREIGN_GIT_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
)
_NO_GIT = "git is not installed; install git to compare with a base"
_BARE_LAYOUT = (
    "holds a bare repository's files (HEAD, objects/, refs/), which git would take for the"
    " repository; a checkout never has them: check the folder's files"
)
# As many symlinks as Linux follows in one path before it gives up (ELOOP): a chain the
# work tree reads is read here too, and a loop ends.
MAX_LINKS = 40


class _LinkLoopError(Exception):
    """A path that goes through more than MAX_LINKS symlinks."""


# Bounds on the resolver's work, which a commit's trap (a link's target of a million
# parts) would make grow with the square: a path (or a link's target) as long as Linux
# takes, and as many parts as a path that long can hold.
_PATH_MAX = 4096
_MAX_STEPS = 4096


# Git's command scope (GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n), which no repository's config
# overrides. A container action runs as root on a workspace owned by the runner user:
# without `safe.directory` git refuses it as "dubious ownership", and git honours that key
# only from system, global or command scope. A pull request cannot commit a `.git`, but it
# can commit a bare repository's layout (HEAD, objects/, refs/, a config whose
# `core.fsmonitor` is a command) into the folder an audit's root names: git would take
# that folder for the repository, run the command and read the base there. Git refuses an
# implicit bare repository (`safe.bareRepository`), and runs no fsmonitor hook from any
# repository's config.
_COMMAND_SCOPE = (
    ("safe.directory", "*"),
    ("safe.bareRepository", "explicit"),
    ("core.fsmonitor", "false"),
)


def git_environment() -> dict[str, str]:
    """The environment of every git call: no prompts, no locale, any owner, no bare
    repository found in the audited folders (see `_COMMAND_SCOPE`)."""
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_GIT_VARIABLES}
    env.update(GIT_CONFIG_COUNT=str(len(_COMMAND_SCOPE)), GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    for index, (key, value) in enumerate(_COMMAND_SCOPE):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=repo, env=git_environment(), capture_output=True, check=False
        )
    except FileNotFoundError:  # `repo` was checked to exist, so it is git that is missing
        raise InputError("git", _NO_GIT) from None


def checkout_sha(repo: Path) -> str | None:
    """The commit checked out at `repo` (its files are the ones an audit of `repo` reads);
    None outside a git clone or without git."""
    try:
        found = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except InputError:
        return None
    text = found.stdout.decode("ascii", "replace").strip()
    return text if found.returncode == 0 and re.fullmatch(r"[0-9a-f]{40,64}", text) else None


class GitTree:
    """The regular files of the commit `ref` names in the repository at `repo`.

    A symlink is resolved in the commit as the system resolves one on disk, so the trees
    agree: one to a file inside the root is that file; one leading out (or looping) is
    skipped with a word; one to a folder, or to nothing, is skipped silently.
    """

    def __init__(self, repo: Path, ref: str, sha: str, prefix: str = "") -> None:
        self.repo = repo
        self.ref = ref
        self.sha = sha
        self.prefix = prefix  # the audited root's folder in the repository, "" at the top
        self.warnings: list[Diagnostic] = []
        self._blobs: dict[str, str] | None = None  # the listing, root-relative
        # Of the whole commit, since a link may lead through any of them (by full path):
        self._links: dict[str, str] = {}  # each symlink's blob, which holds its target
        self._targets: dict[str, str] = {}  # the targets read so far
        self._folders: set[str] = set()  # every folder, and every submodule
        self._batch: subprocess.Popen[bytes] | None = None

    @classmethod
    def open(cls, repo: Path, ref: str, option: str = "--base") -> GitTree:
        """Resolve `ref` to a commit; `option` names where the ref came from in errors."""
        repo = repo.resolve()
        found = _git(repo, "rev-parse", "--show-prefix") if repo.is_dir() else None
        if found is not None and b"cannot use bare repository" in found.stderr:
            raise InputError(str(repo), _BARE_LAYOUT)
        if found is None or found.returncode != 0:
            raise InputError(str(repo), "not a git repository; run the check inside a clone")
        prefix = found.stdout.decode("utf-8", "surrogateescape").strip()
        return cls(repo, ref, _resolve(repo, ref, option), prefix)

    def files(self) -> Iterator[str]:
        # Sorted as strings, as WorkTree sorts: git's byte order differs for undecodable names.
        return iter(sorted(self._listing()))

    def blob_id(self, path: str) -> str:
        """The blob id of the file `path`, found as `open` would find it in a checkout:
        FileNotFoundError if the commit has none (LinkedOutsideError if a link leads out)."""
        listed = self._listing().get(path)
        return self._follow(path) if listed is None else listed

    def read(self, path: str) -> bytes:
        return self._cat(self.blob_id(path), path)

    def has_folder(self, path: str) -> bool:
        """Whether `path` ("" is the root) leads to a folder inside the root, as the work
        tree judges it: git keeps no empty folder, so one is there when an entry is."""
        self._listing()
        try:
            resolved, _ = self._realpath(self.prefix + path.strip("/"))
        except _LinkLoopError:
            return False
        inside = self._within(resolved)
        return inside == "" or (inside is not None and resolved in self._folders)

    def forked(self) -> None:
        """In a forked child: let go of the parent's cat-file process without ending it
        (its pipes are the parent's too); the child's next read starts its own."""
        self._batch = None

    def close(self) -> None:
        """End the cat-file process; reading again starts a new one."""
        batch, self._batch = self._batch, None
        if batch is not None:
            # End of input is how cat-file --batch is told to stop; a dead one is fine.
            with contextlib.suppress(BrokenPipeError):
                _stdin(batch).close()
            batch.wait()
            _stdout(batch).close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _listing(self) -> dict[str, str]:
        if self._blobs is None:
            self._blobs = {}
            for mode, blob, full_path in self._entries():
                self._add_folders_of(full_path)
                if stat.S_ISLNK(mode):
                    self._links[full_path] = blob
                elif not stat.S_ISREG(mode):  # a submodule: a folder on disk, and not ours
                    self._folders.add(full_path)
                elif full_path.startswith(self.prefix):  # else outside the audited root
                    self._blobs[full_path[len(self.prefix) :]] = blob
            for full_path in list(self._links):  # in git's order, as the warnings were
                if full_path.startswith(self.prefix):
                    self._add_link(full_path[len(self.prefix) :])
        return self._blobs

    def _add_folders_of(self, full_path: str) -> None:
        folder = posixpath.dirname(full_path)
        while folder and folder not in self._folders:  # else its parents are in too
            self._folders.add(folder)
            folder = posixpath.dirname(folder)

    def _entries(self) -> Iterator[tuple[int, str, str]]:
        listed = _git(self.repo, "ls-tree", "-r", "-z", "--full-tree", self.sha)
        if listed.returncode != 0:
            raise InputError(self.ref, "git cannot list this commit: " + _first_line(listed.stderr))
        return _parse_ls_tree(listed.stdout)

    def _add_link(self, path: str) -> None:
        """List the link at `path` as the file it leads to, as WorkTree lists one; a fork
        may link to /etc/passwd, so one leading out is worth a word. Linked folders are
        not followed (they may loop): the work tree does not follow them either."""
        assert self._blobs is not None  # called while listing
        try:
            resolved, whole = self._realpath(self.prefix + path)
        except _LinkLoopError:
            self.warnings.append(Diagnostic(Location(path, 0), LOOPED_LINK))
            return
        inside = self._within(resolved)
        if inside is None:
            self.warnings.append(Diagnostic(Location(path, 0), OUTSIDE_LINK))
        elif VCS_DIRS.intersection(inside.split("/")):  # never in a tree: as the work tree
            self.warnings.append(Diagnostic(Location(path, 0), VCS_LINK))
        elif whole and inside in self._blobs:
            self._blobs[path] = self._blobs[inside]

    def _follow(self, path: str) -> str:
        """The blob of a `path` that is not listed: one through a linked folder (the config
        may lie there); else the error `open` would give in a checkout."""
        plain = posixpath.normpath(path)
        if not (path.startswith("/") or plain == ".." or plain.startswith("../")):
            try:
                resolved, whole = self._realpath(self.prefix + path)
            except _LinkLoopError:
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), path) from None
            inside = self._within(resolved)
            if inside is None:
                raise LinkedOutsideError(f"{path} leads out of the root through a symlink")
            if VCS_DIRS.intersection(inside.split("/")):
                raise LinkedIntoVcsError(f"{path} leads into a version control folder")
            if whole and inside in self._listing():
                return self._listing()[inside]
            if whole and (inside == "" or resolved in self._folders):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        raise FileNotFoundError(f"{path} is not a file at {self.ref}")

    def _realpath(self, path: str) -> tuple[str | None, bool]:
        """Where `path` (from the commit's top) leads, its symlinks followed as the system
        follows them, and whether every step before the last is a folder (else `open`
        fails). None for a link to an absolute path, above the top, or longer than a
        system takes (a fork's trap); _LinkLoopError through more than MAX_LINKS links
        (the system's ELOOP: a loop)."""
        current = ""  # the path resolved so far, no link in it; "" is the top
        pending = path.split("/")[::-1]
        hops = steps = 0
        whole = True
        while pending:
            name = pending.pop()
            whole = whole and (not current or current in self._folders)
            steps += 1
            if steps > _MAX_STEPS or len(current) > _PATH_MAX or (name == ".." and not current):
                return None, whole
            if name in ("", "."):
                continue
            parent = current
            current = current.rpartition("/")[0] if name == ".." else _joined(current, name)
            if current in self._links:  # never after "..": `current` was resolved
                hops += 1
                target = self._target(current)
                if hops > MAX_LINKS:
                    raise _LinkLoopError(path)
                if target.startswith("/") or len(target) >= _PATH_MAX:
                    return None, whole
                current = parent
                pending.extend(target.split("/")[::-1])
        return current, whole

    def _target(self, link: str) -> str:
        if link not in self._targets:
            data = self._cat(self._links[link], link)
            self._targets[link] = data.decode("utf-8", "surrogateescape")
        return self._targets[link]

    def _within(self, resolved: str | None) -> str | None:
        """`resolved` (from the commit's top) relative to the root; None if outside it."""
        if resolved is None or not (resolved + "/").startswith(self.prefix):
            return None
        return resolved[len(self.prefix) :]

    def _cat(self, blob: str, path: str) -> bytes:
        batch = self._batch_process()
        with contextlib.suppress(BrokenPipeError):  # cat-file is gone: the header says so
            _stdin(batch).write(blob.encode("ascii") + b"\n")
            _stdin(batch).flush()
        out = _stdout(batch)
        header = out.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise InputError(f"{self.ref}:{path}", "git cannot read this file from the clone")
        size = int(header[2])
        # The content, then the newline cat-file ends it with; of a larger file than any
        # reader takes, the first bytes (`Truncated`), the rest read and let go.
        kept = min(size, MAX_READ_BYTES + 1)
        data = out.read(kept)
        left = size + 1 - kept
        while left > 0 and (chunk := out.read(min(left, _CHUNK))):
            left -= len(chunk)
        if len(data) != kept or left:
            raise InputError(f"{self.ref}:{path}", "git stopped while reading this file")
        return data if kept == size else Truncated(data, size)

    def _batch_process(self) -> subprocess.Popen[bytes]:
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.repo,
                env=git_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # never read: a full pipe would block git
            )
        return self._batch


_CHUNK = 1 << 20


def _resolve(repo: Path, ref: str, option: str) -> str:
    # A ref starting with "-" would be read as an option; no branch or tag can.
    if ref and not ref.startswith("-") and "\0" not in ref:
        found = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        if found.returncode == 0:
            return found.stdout.decode("ascii").strip()
    shallow = _git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
    raise InputError(
        option,
        f"'{ref}' is not a commit in this clone"
        + (" (this clone is shallow)" if shallow else "")
        + f"; fetch it (actions/checkout with fetch-depth: 0, or {_fetch_hint(ref)})",
    )


def _fetch_hint(ref: str) -> str:
    """The git command that brings `ref`: a commit id as it is, a branch as origin/<branch>."""
    if re.fullmatch(r"[0-9a-f]{7,64}", ref):
        return f"git fetch origin {ref}"
    if ref.startswith("origin/") and _BRANCH_RE.fullmatch(ref):
        return f"git fetch origin {ref.removeprefix('origin/')}"
    if _BRANCH_RE.fullmatch(ref) and not ref.startswith("-"):
        return f"git fetch origin {ref} and pass origin/{ref}"
    return "git fetch --unshallow origin"


_BRANCH_RE = re.compile(r"[A-Za-z0-9._][A-Za-z0-9._/-]*")


def _parse_ls_tree(output: bytes) -> Iterator[tuple[int, str, str]]:
    """(mode, object id, path) of each `<mode> <type> <id>\\t<path>\\0` record.

    With -z the path is raw bytes up to the NUL (spaces, tabs, newlines and all);
    it is decoded as `os.fsdecode` would, so it matches WorkTree's name for it.
    """
    for record in output.split(b"\0"):
        meta, tab, raw = record.partition(b"\t")
        fields = meta.split(b" ")
        if not tab or len(fields) != 3:
            continue  # the empty piece after the last NUL
        yield int(fields[0], 8), fields[2].decode("ascii"), raw.decode("utf-8", "surrogateescape")


def _joined(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _first_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else "no reason given"


def _stdin(process: subprocess.Popen[bytes]) -> IO[bytes]:
    assert process.stdin is not None  # opened with PIPE
    return process.stdin


def _stdout(process: subprocess.Popen[bytes]) -> IO[bytes]:
    assert process.stdout is not None  # opened with PIPE
    return process.stdout


def fetch_commit(repo: Path, sha: str, *, timeout: float = 120.0) -> bool:
    """Fetch one commit from `origin` with the clone's own credentials; whether it worked.

    actions/checkout leaves its token in the clone's config, so a base commit a
    shallow checkout lacks can usually be fetched without handing git ours.
    """
    if not sha or sha.startswith("-") or "\0" in sha:
        return False
    shallow = _git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
    depth = ["--depth=1"] if shallow else []
    try:
        done = subprocess.run(
            ["git", "fetch", "--no-tags", "--quiet", *depth, "origin", sha],
            cwd=repo,
            env=git_environment(),
            capture_output=True,
            check=False,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
