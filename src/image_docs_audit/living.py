"""The commands that write into the repository: `index` and `scaffold`.

The audit is the same as `audit`'s; these functions only decide what to write and
write it inside the root, never through a symlink that leads out of it, and
(for `scaffold`) never over an existing file. They return the lines to print and
the exit code; the CLI prints.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from .annotate import annotate
from .app import Audited
from .errors import InputError
from .model import ImageResult, Kind, Report, Status
from .records import record
from .render.index import Staleness, render_index, staleness
from .safefile import make_folders, write_inside
from .scaffold import scaffold_doc, scaffold_name
from .selector import selects

PROG = "image-docs-audit"


@record
class Outcome:
    lines: tuple[str, ...]
    code: int = 0


def relative(name: str, what: str) -> str:
    """`name` as a clean root-relative path, or an InputError naming `what`."""
    clean = PurePosixPath(name.replace("\\", "/").removeprefix("./"))
    if clean.is_absolute() or ".." in clean.parts or not clean.parts:
        raise InputError(what, f"'{name}' must be a path inside the root, like docs/IMAGES.md")
    return clean.as_posix()


def _folder(name: str, what: str) -> PurePosixPath:
    """`name` as a clean root-relative folder (the root itself is `.`, no parts), or an
    InputError naming `what`."""
    clean = PurePosixPath(name.replace("\\", "/"))
    if clean.is_absolute() or ".." in clean.parts:
        raise InputError(what, f"'{name}' must be a folder inside the root, like docs")
    return clean


def refresh_command(path: str) -> str:
    return f"{PROG} index --write {path}"


def write_index(root: Path, audited: Audited, name: str) -> Outcome:
    path = relative(name, "--write")
    text = render_index(audited.report, path, refresh_command(path))
    write_inside(root, path, text, what="the index")
    return Outcome((f"wrote {path} ({len(audited.report.images)} images)",))


def check_index(root: Path, audited: Audited, name: str) -> Outcome:
    """Exit 1 when the index at `name` is not the one the audit gives now."""
    stale = stale_index(root, audited.report, relative(name, "--check"))
    if stale is None:
        return Outcome((f"{relative(name, '--check')} is up to date",))
    if stale.found is None:
        return Outcome((stale.message,), 1)
    return Outcome(
        (
            stale.message,
            f"  written:  {stale.found.written or '(nothing)'}",
            f"  expected: {stale.found.expected or '(nothing)'}",
        ),
        1,
    )


@record
class StaleIndex:
    """An index that is not the one the audit gives now: `found` is None when there is
    no file at all."""

    path: str
    found: Staleness | None
    message: str  # one line: what is stale and the command that refreshes it

    @property
    def line(self) -> int | None:
        return self.found.line if self.found else None


def stale_index(root: Path, report: Report, path: str) -> StaleIndex | None:
    """None when the index at `path` (root-relative and clean, see `relative`) is fresh."""
    expected = render_index(report, path, refresh_command(path))
    refresh = f"refresh it with: {refresh_command(path)}"
    try:
        written = _read_inside(root, path)
    except IsADirectoryError:
        message = f"{path} is a folder, not the index; remove it, then {refresh}"
        return StaleIndex(path, None, message)
    except NotADirectoryError:
        where = _not_a_folder(root, path)
        message = f"{path} does not exist: {where} is a file, not a folder; move it, then {refresh}"
        return StaleIndex(path, None, message)
    except OSError as error:  # a symlink loop, a file the user may not read
        reason = error.strerror or type(error).__name__
        return StaleIndex(path, None, f"{path} cannot be read ({reason}); {refresh}")
    if written is None:
        return StaleIndex(path, None, f"{path} does not exist; {refresh}")
    found = staleness(written, expected)
    if found is None:
        return None
    return StaleIndex(path, found, f"{path} is stale: line {found.line} differs; {refresh}")


def annotate_scripts(root: Path, report: Report) -> Outcome:
    """Set `# docs: path` on every image line of the pull scripts."""
    for script in report.scripts:  # every script is checked before any is written
        _annotatable(root, script)
    lines = []
    for script in report.scripts:
        docs: dict[int, list[str]] = {}
        names: dict[int, str] = {}
        for result in report.images:
            if result.image.source.path == script:
                line = result.image.source.line
                docs.setdefault(line, [])
                names[line] = result.image.name
                own = own_doc(result)
                if own is not None and own not in docs[line]:
                    docs[line].append(own)
        target = root / script
        data = target.read_bytes()
        changed = annotate(data, docs, names)
        if changed != data:
            mode = stat.S_IMODE(target.stat().st_mode)
            written = write_inside(root, script, changed.decode("utf-8"), what="the pull script")
            os.chmod(written, mode)  # a pull script is usually executable: keep it so
            lines.append(f"annotated {script}")
        else:
            lines.append(f"{script} is annotated already")
    return Outcome(tuple(lines))


def _annotatable(root: Path, script: str) -> None:
    """An InputError when `--annotate-script` cannot edit `script` as it is."""
    target = root / script
    if target.is_symlink():
        raise InputError(script, "the pull script is a symlink; annotate the file it names")
    data = target.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = "not UTF-8, so no pull script was annotated; save it as UTF-8 and run again"
        raise InputError(f"{script}:{line}", message) from None


def own_doc(result: ImageResult) -> str | None:
    """The doc to point at from the pull script: the image's own, else its first section."""
    if result.status is not Status.DOCUMENTED:
        return None
    strong = [item for item in result.evidence if item.kind.strong]
    own = [item for item in strong if item.kind in (Kind.FILENAME, Kind.TITLE, Kind.CONFIG)]
    chosen = (own or strong)[:1]
    return chosen[0].path if chosen else None


def scaffold(
    root: Path,
    audited: Audited,
    selectors: Sequence[str],
    folder: str | None = None,
) -> Outcome:
    """A starter doc in `folder` (default: the first docs folder, which may be the root)
    for each selected image that is not documented."""
    if folder is None:
        target = _folder(audited.settings.docs[0], "docs")
    else:
        target = _folder(folder, "--dir")
    report = audited.report
    chosen = [
        r for r in report.images if not selectors or any(selects(s, r.image) for s in selectors)
    ]
    unknown = [s for s in selectors if not any(selects(s, r.image) for r in report.images)]
    if unknown:
        raise InputError(unknown[0], "names no image of the pull scripts; check the name")
    lines: list[str] = []
    made = _Folder(root, target, "--dir" if folder is not None else "docs")
    # The starter docs of this run: path -> (the repository it is for, written or kept).
    claimed: dict[str, tuple[str, bool]] = {}
    for result in chosen:
        if result.status in (Status.DOCUMENTED, Status.IGNORED):
            if selectors:
                lines.append(f"skipped {result.image.ref}: {result.status.value}")
            continue
        repository = result.image.parsed.familiar_repository
        qualified = False
        path = (target / scaffold_name(result)).as_posix()
        if path in claimed and claimed[path][0] != repository:
            # Another repository's image of the same name has this file: this one gets
            # a file named after its repository.
            qualified = True
            path = (target / scaffold_name(result, qualified=True)).as_posix()
        if claimed.get(path) == (repository, True):
            ref = result.image.ref
            shared = f"one doc for the tags of {repository}"
            lines.append(f"{path} (written above) is {ref}'s starter doc too: {shared}")
            continue
        text = scaffold_doc(result, audited.settings.required_sections, qualified=qualified)
        wrote = _create_inside(made.path(), path, text)
        claimed[path] = (repository, wrote)
        if wrote:
            lines.append(f"wrote {path} for {result.image.ref}")
        else:
            lines.append(f"kept {path}: it exists (scaffold never overwrites a file)")
    if not lines:
        lines.append("nothing to scaffold: every image is documented or ignored")
    return Outcome(tuple(lines))


class _Folder:
    """The folder starter docs go into, made (inside the root) when the first is written."""

    def __init__(self, root: Path, folder: PurePosixPath, what: str) -> None:
        self.root, self.folder, self.what = root, folder, what
        self.made: Path | None = None

    def path(self) -> Path:
        if self.made is None:
            shown = self.folder.as_posix()
            outside = (
                f"'{shown}' goes through a symlink that leads out of the root; "
                "refusing to write there, choose another folder"
            )
            self.made = make_folders(
                self.root, self.folder, shown=self.what, what="the starter docs", outside=outside
            )
        return self.made


def _read_inside(root: Path, path: str) -> str | None:
    full = root / path
    base = Path(os.path.realpath(root))
    if not Path(os.path.realpath(full)).is_relative_to(base):
        raise InputError(path, "refusing to read through a symlink that leads out of the root")
    try:
        return full.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None


def _not_a_folder(root: Path, path: str) -> str:
    """The first folder on `path`'s way that is not one (`path` could not be opened for it)."""
    parts = PurePosixPath(path).parts
    for depth in range(1, len(parts)):
        where = PurePosixPath(*parts[:depth])
        if not (root / where).is_dir():
            return where.as_posix()
    return PurePosixPath(path).parent.as_posix()


def _create_inside(folder: Path, path: str, text: str) -> bool:
    """Create a file named as `path` ends in `folder` (made and checked by `_Folder`),
    holding `text`; False when something already has that name."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(folder / PurePosixPath(path).name, flags, 0o644)
    except FileExistsError:
        return False
    except OSError as error:
        raise InputError(path, f"cannot write the starter doc: {error.strerror}") from None
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    return True
