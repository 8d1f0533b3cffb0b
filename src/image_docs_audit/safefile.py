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
    base = Path(os.path.realpath(root))
    folder = Path(os.path.realpath(base / relative.parent))
    if not folder.is_relative_to(base):
        message = "refusing to write through a symlink that leads out of the workspace"
        raise InputError(name, message)
    try:  # folders the user named (`reports/x.sarif`); the links on the way were checked
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _unwritable(name, what, error) from None
    target = folder / relative.name
    write_file(target, text, shown=name, what=what)
    return target


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
