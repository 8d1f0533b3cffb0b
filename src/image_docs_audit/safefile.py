"""Writing files where a pull request's checkout could have planted a symlink.

The action runs as root in its container, in a workspace that holds whatever the
pull request committed: a committed `image-docs-audit-report.json` that is a
symlink to `/etc/...` must not be written through. Every file is written as a
new temporary file in the target's folder and renamed over the target:
`os.replace` replaces a symlink itself, never the file it points to.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .errors import InputError

# Later steps of the job run as the runner's user, not as the container's root.
_MODE = 0o644


def write_inside(root: Path, name: str, text: str, *, what: str = "the file") -> Path:
    """Write `text` to `root/name`, where `name` is relative and stays inside `root`.

    A folder on the way that is a symlink leading out of `root` is refused, like
    `..` and absolute names, with an InputError naming `name`.
    """
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise InputError(name, "refusing to write outside the workspace; give a relative path")
    outside = "refusing to write through a symlink that leads out of the workspace"
    folder = make_folders(root, relative.parent, shown=name, what=what, outside=outside)
    target = folder / relative.name
    write_file(target, text, shown=name, what=what)
    return target


def make_folders(root: Path, folder: PurePosixPath, *, shown: str, what: str, outside: str) -> Path:
    """The real path of `root/folder` (relative, without `..`), creating what is missing
    one level at a time: each level is checked before anything is made in it. A symlink
    on the way that leads out of `root` is an InputError (`shown: outside`), and so is
    a file on the way; nothing is created outside `root`."""
    base = Path(os.path.realpath(root))
    current = base
    for depth, part in enumerate(folder.parts):
        step = current / part
        if step.is_symlink():
            step = Path(os.path.realpath(step))
            if not step.is_relative_to(base):
                raise InputError(shown, outside)
        try:
            step.mkdir()
        except FileExistsError:
            pass
        except OSError as error:
            raise _unwritable(shown, what, error) from None
        if step.is_symlink() or not step.is_dir():
            where = PurePosixPath(*folder.parts[: depth + 1]).as_posix()
            message = f"cannot write {what}: {where} is not a folder; choose another path"
            raise InputError(shown, message)
        current = step
    return current


def write_new_folders(
    path: Path, text: str, *, shown: str | None = None, what: str = "the file"
) -> None:
    """`write_file`, creating the folders of `path` that are missing first: a path the
    user named on the command line (`--badge badges/docs.svg`), wherever it is."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _unwritable(shown or str(path), what, error) from None
    write_file(path, text, shown=shown, what=what, streams=True)


def write_file(
    path: Path,
    text: str | Iterable[str] | Iterable[bytes],
    *,
    shown: str | None = None,
    what: str = "the file",
    streams: bool = False,
) -> None:
    """Replace `path` with a regular file holding `text` (UTF-8), never following a symlink.

    `text` may come in pieces (a large JSON report), written as they come, some maybe
    as UTF-8 bytes already. A name that is not UTF-8 in it (surrogate escapes) is
    written as `?`. With `streams` (a path the user named: `--output /dev/stdout`,
    `/dev/null`, a pipe), a character device or a pipe (or a symlink of `/dev` to one:
    see `is_stream`) is written to: replaced, it would be a regular file, and `/dev/null`
    one for every later process of the machine.
    """
    pieces = (text,) if isinstance(text, str) else text
    if streams and is_stream(path):
        try:
            with path.open("wb") as stream:
                _write_pieces(stream, pieces)
        except OSError as error:
            raise _unwritable(shown or str(path), what, error) from None
        return
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".image-docs-audit-")
    except OSError as error:
        raise _unwritable(shown or str(path), what, error) from None
    try:
        with os.fdopen(handle, "wb") as file:
            _write_pieces(file, pieces)
        os.chmod(temporary, _MODE)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _unwritable(shown or str(path), what, error) from None


def _write_pieces(file: BinaryIO, pieces: Iterable[str] | Iterable[bytes]) -> None:
    for piece in pieces:
        file.write(piece if isinstance(piece, bytes) else piece.encode("utf-8", "replace"))


def is_stream(path: Path) -> bool:
    """Whether `path` is a character device or a pipe, or a symlink of the system's
    `/dev` or `/proc` to one (`/dev/stdout`, `/dev/fd/63`). A symlink anywhere else is
    replaced, as a checkout may hold one to `/dev/...`."""
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode) and path.is_absolute() and path.parts[1:2] in (("dev",), ("proc",)):
            mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def require_not_linked_out(root: Path, path: Path, shown: str) -> None:
    """A path the user names may be anywhere, but one in the audited root must not lead
    out of it through a folder that is a symlink: the repository may be a fork's, and
    `reports -> ../../elsewhere` would take `--output reports/x.md` there."""
    if not Path(os.path.abspath(path)).is_relative_to(os.path.abspath(root)):
        return
    folder = Path(os.path.abspath(path)).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the folders to make are made in the one that exists
    if not Path(os.path.realpath(folder)).is_relative_to(os.path.realpath(root)):
        message = "refusing to write through a symlink that leads out of the repository"
        raise InputError(shown, message)


def _unwritable(name: str, what: str, error: OSError) -> InputError:
    return InputError(name, f"cannot write {what}: {error.strerror}")
