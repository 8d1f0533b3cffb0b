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
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

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
    write_file(path, text, shown=shown, what=what)


def write_file(
    path: Path,
    text: str | Iterable[str] | Iterable[bytes],
    *,
    shown: str | None = None,
    what: str = "the file",
) -> None:
    """Replace `path` with a regular file holding `text` (UTF-8), never following a symlink.

    `text` may come in pieces (a large JSON report), written as they come, some maybe
    as UTF-8 bytes already. A name that is not UTF-8 in it (surrogate escapes) is
    written as `?`.
    """
    pieces = (text,) if isinstance(text, str) else text
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".image-docs-audit-")
    except OSError as error:
        raise _unwritable(shown or str(path), what, error) from None
    try:
        with os.fdopen(handle, "wb") as file:
            for piece in pieces:
                file.write(piece if isinstance(piece, bytes) else piece.encode("utf-8", "replace"))
        os.chmod(temporary, _MODE)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _unwritable(shown or str(path), what, error) from None


def _unwritable(name: str, what: str, error: OSError) -> InputError:
    return InputError(name, f"cannot write {what}: {error.strerror}")
