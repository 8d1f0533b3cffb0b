"""Files the change renamed, by git's rename detection, and the folders that moved.

A pull request that moves `docs/` to `documentation/` makes every image lose its docs at
once; the reviewer needs one sentence ("docs/ moved to documentation/: update `docs:`"),
not a row per image. Git knows which files were renamed; `folder_moves` turns the
renames that took docs out of the audited folders into folder moves. Reading git is the
edge (`read_renames`, best effort: no answer is no renames); the rest is pure.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from .gitsource import git_environment
from .records import record

# Renames of edited files are found by comparing each deleted file with each added one:
# 2,000 of each took 12 s (5,000, 32 s), for the wording of a report. Past this many, git
# finds the exact ones only (a folder moved as it was, whatever its size), at once.
_RENAME_LIMIT = "1000"


def read_renames(root: Path, base_sha: str, head_sha: str | None) -> dict[str, str]:
    """Renamed files from `base_sha` to `head_sha` (None: the working tree), old path to new,
    relative to `root`. Empty when git cannot tell (not a clone, git missing)."""
    args = ["git", "diff", "--no-ext-diff", "--no-textconv", "--name-status", "-z"]
    args += ["--find-renames", f"-l{_RENAME_LIMIT}", "--relative", base_sha]
    args += [head_sha, "--"] if head_sha else ["--"]
    try:
        done = subprocess.run(
            args, cwd=root, env=git_environment(), capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    return parse_name_status(done.stdout)


def parse_name_status(output: bytes) -> dict[str, str]:
    """`git diff --name-status -z` output: `R<score>\\0old\\0new\\0`, `M\\0path\\0`, ..."""
    fields = output.decode("utf-8", "surrogateescape").split("\0")
    renames: dict[str, str] = {}
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        if status[:1] in ("R", "C"):
            if status[0] == "R" and index + 2 < len(fields):
                renames[fields[index + 1]] = fields[index + 2]
            index += 3
        else:
            index += 2
    return renames


@record
class FolderMove:
    """Docs under `old` at base are under `new` at head, outside the audited folders."""

    old: str
    new: str
    files: int


def folder_moves(
    renames: Mapping[str, str], base_docs: Iterable[str], head_docs: Iterable[str]
) -> tuple[FolderMove, ...]:
    """The folders whose docs the change moved out of the audit, largest first.

    A rename counts when its old path was a doc at base and its new path is not one at
    head. Two or more such renames between the same pair of folders make a folder move
    (one is a file moved, which its own row says).
    """
    audited_before, audited_now = frozenset(base_docs), frozenset(head_docs)
    pairs: Counter[tuple[str, str]] = Counter()
    for old, new in renames.items():
        if old in audited_before and new not in audited_now:
            pair = _moved_folders(old, new)
            if pair is not None:
                pairs[pair] += 1
    moves = [FolderMove(old, new, count) for (old, new), count in pairs.items() if count >= 2]
    return tuple(sorted(moves, key=lambda move: (-move.files, move.old)))


def _moved_folders(old: str, new: str) -> tuple[str, str] | None:
    """The folders that differ once the common tail of both paths is taken off:
    `docs/reports/a.md`, `documentation/reports/a.md` -> (`docs`, `documentation`);
    "" stands for the top of the tree. None when the file's own name changed too."""
    before, after = old.split("/"), new.split("/")
    if before[-1] != after[-1]:
        return None
    while before and after and before[-1] == after[-1]:
        before.pop()
        after.pop()
    return "/".join(before), "/".join(after)


def moved_path(path: str, moves: Iterable[FolderMove]) -> FolderMove | None:
    """The folder move that took `path` out of the audit, if one did."""
    for move in moves:
        if not move.old or path.startswith(move.old + "/"):
            return move
    return None
