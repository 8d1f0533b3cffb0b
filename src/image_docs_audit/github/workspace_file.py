"""Write a file the user asked for into the runner's workspace, and nowhere else.

The path comes from an input, and the workspace from a pull request that may be a fork's:
a folder of the path may be a symlink the change added, and the file itself may be one.
The file is written only when its folder resolves inside the workspace, and it is opened
with O_NOFOLLOW, so a link in its place is refused rather than followed.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path, PurePosixPath

from ..errors import InputError


def workspace_path(text: str, source: str) -> str | None:
    """`text` as a relative path inside the workspace, or None when empty."""
    clean = text.strip()
    if not clean:
        return None
    parts = PurePosixPath(clean).parts
    if PurePosixPath(clean).is_absolute() or ".." in parts or "\\" in clean or "\0" in clean:
        raise InputError(
            source,
            f"'{clean}' is not a path inside the workspace; give a relative path such as "
            "image-docs-audit.sarif",
        )
    return clean


def write_in_workspace(workspace: Path, relative: str, text: str, source: str) -> None:
    """Write `text` to `relative` under `workspace`, creating its folders."""
    root = workspace.resolve()
    target = root / relative
    # Checked before any folder is made: resolve() follows the links that exist already.
    if not target.parent.resolve().is_relative_to(root):
        raise InputError(source, f"'{relative}' leads out of the workspace through a symlink")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
        descriptor = os.open(target, flags, 0o644)
    except OSError as error:
        reason = "it is a symlink" if error.errno == errno.ELOOP else error.strerror
        raise InputError(source, f"cannot write '{relative}': {reason}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8", errors="replace") as file:
        file.write(text)
