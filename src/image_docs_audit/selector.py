"""Image selectors and path globs, as the config and the command line write them, and
the files of a tree an audit reads."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from .model import Image, SourceKind
from .records import record

if TYPE_CHECKING:
    from .config import AuditSettings


def image_names(image: Image) -> tuple[str, ...]:
    """Every spelling a selector may use for an image."""
    parsed = image.parsed
    familiar = parsed.familiar_repository
    tagged = familiar + (f":{parsed.tag}" if parsed.tag else "")
    return (
        image.ref,
        parsed.canonical,
        tagged,
        familiar,
        f"{parsed.domain}/{parsed.path}",
        parsed.name,
    )


def selects(selector: str, image: Image) -> bool:
    """Whether `selector` names `image`: exactly, or as a shell glob, on any spelling.

    As in `fnmatch`, `*` and `?` match any character here, `/` included, and `[...]`
    is a character class.
    """
    wanted, runs = _selector(selector)
    names = _lowered_names(image)
    if wanted in names:
        return True
    return runs is not None and any(_glob(runs, name) for name in names)


@lru_cache(maxsize=1024)
def _selector(selector: str) -> tuple[str, tuple[_Run, ...] | None]:
    """A selector as it is compared, and its runs when it is a glob."""
    wanted = selector.strip().lower()
    glob = any(char in wanted for char in "*?[")
    return wanted, _char_runs(wanted, classes=True) if glob else None


# Each of a config's selectors is tried on every image (500 on 5,000): an image's spellings
# are lowered once, kept by identity (with the image, so that its id stays its own).
_NAMES: dict[int, tuple[Image, tuple[str, ...]]] = {}
_NAMES_KEPT = 8192  # more than the images of an inventory


def _lowered_names(image: Image) -> tuple[str, ...]:
    kept = _NAMES.get(id(image))
    if kept is not None and kept[0] is image:
        return kept[1]
    if len(_NAMES) >= _NAMES_KEPT:
        _NAMES.clear()
    names = tuple(dict.fromkeys(name.lower() for name in image_names(image)))
    _NAMES[id(image)] = (image, names)
    return names


# A path glob is matched folder by folder, each place the pattern may stand in kept at
# once (`_advance`: at most tokens times folders steps), a name within a folder by its
# runs (`_glob`); never by a regex: a backtracking regex built from `*a*a*a...` takes
# exponential time on a fork's file name.
# A token is a test for one item, or None for a star that takes any run of items.
_T = TypeVar("_T")
_Token = Callable[[_T], bool] | None


# A glob over the characters of a name: a literal character, a test for one character
# (`?`, a class), or None for a star.
_CharToken = str | Callable[[str], bool] | None
# The runs of such a glob between its stars (a glob with one star has two runs, either
# maybe empty), each with its text when it is all literal characters (else None).
_Run = tuple[tuple[str | Callable[[str], bool], ...], str | None]


@lru_cache(maxsize=1024)
def _char_runs(pattern: str, *, classes: bool) -> tuple[_Run, ...]:
    """The runs of `_char_tokens(pattern)` between its stars."""
    runs: list[list[str | Callable[[str], bool]]] = [[]]
    for token in _char_tokens(pattern, classes=classes):
        if token is None:
            runs.append([])
        else:
            runs[-1].append(token)
    made = []
    for run in runs:
        letters = [token for token in run if isinstance(token, str)]
        made.append((tuple(run), "".join(letters) if len(letters) == len(run) else None))
    return tuple(made)


def _glob(runs: tuple[_Run, ...], text: str) -> bool:
    """Whether `text` matches the glob of `runs`: its first run at the start, its last at
    the end, and the others in order between them, each where it is found first (the
    stars take what lies between; taking less never leaves more room for the rest). A
    run of literal characters is found by `str.find`; the others are tried at each
    place. At most runs times characters steps, where a walk of its characters
    took a Python step for each (500 selectors on 5,000 images took 95 s)."""
    first = runs[0][0]
    if len(runs) == 1:
        return len(text) == len(first) and _run_at(first, text, 0)
    last = runs[-1][0]
    end = len(text) - len(last)
    if end < len(first) or not (_run_at(first, text, 0) and _run_at(last, text, end)):
        return False
    position = len(first)
    for run, literal in runs[1:-1]:
        if literal is not None:
            found = text.find(literal, position, end)
        else:
            places = range(position, end - len(run) + 1)
            found = next((at for at in places if _run_at(run, text, at)), -1)
        if found < 0:
            return False
        position = found + len(run)
    return True


def _run_at(run: tuple[str | Callable[[str], bool], ...], text: str, position: int) -> bool:
    """Whether the run matches `text` at `position` (where it fits)."""
    for offset, token in enumerate(run):
        char = text[position + offset]
        if not (char == token if isinstance(token, str) else token(char)):
            return False
    return True


def _char_tokens(pattern: str, *, classes: bool) -> tuple[_CharToken, ...]:
    """`*` any run, `?` any character, `[...]` a class (with `classes`), the rest literal
    (the character itself). Kept by `_char_runs`, its one caller."""
    tokens: list[_CharToken] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        end = _class_end(pattern, index) if classes and char == "[" else -1
        if char == "*":
            if not tokens or tokens[-1] is not None:  # `**` is `*` within a segment
                tokens.append(None)
        elif char == "?":
            tokens.append(_any)
        elif end > 0:
            tokens.append(_char_class(pattern[index + 1 : end]))
            index = end
        else:
            tokens.append(char)
        index += 1
    return tuple(tokens)


def _any(char: str) -> bool:
    return True


def _class_end(pattern: str, start: int) -> int:
    """The index of the `]` that closes the class opened at `start`, or -1 (a literal `[`)."""
    index = start + 1
    if index < len(pattern) and pattern[index] == "!":  # as in fnmatch, `^` is a member
        index += 1
    if index < len(pattern) and pattern[index] == "]":  # a leading `]` is a member
        index += 1
    return pattern.find("]", index)


def _char_class(body: str) -> Callable[[str], bool]:
    """The class `[body]` as fnmatch reads it, quirks included: a reversed range (`[-?`)
    is dropped and joins what stood around it, so `[[-?!]` is `[!]`, a negated empty
    class, any character. Its translation matches one character: nothing to backtrack.
    """
    one = re.compile(fnmatch.translate(f"[{body}]"))
    return lambda char: one.match(char) is not None


@lru_cache(maxsize=512)
def _path_tokens(pattern: str) -> tuple[_Token[str], ...]:
    """A path glob by segment: `**` alone takes any number of folders; within a segment
    `*` and `?` never cross a `/`, and `[` is literal."""
    tokens: list[_Token[str]] = []
    segments = pattern.split("/")
    for segment in segments:
        if segment == "**":
            if not tokens or tokens[-1] is not None:
                tokens.append(None)
        elif "*" in segment or "?" in segment:
            tokens.append(_segment_test(_char_runs(segment, classes=False)))
        else:  # a plain name: one comparison, not a walk over its characters
            tokens.append(segment.__eq__)
    if len(segments) > 1 and segments[-1] == "**":  # `x/**` is what x holds, not x itself
        tokens.insert(len(tokens) - 1, _any)
    return tuple(tokens)


@lru_cache(maxsize=512)
def _plain_tail(pattern: str) -> str | None:
    """The pattern's last segment when it is a plain name (`**/pull-images.sh`): a path
    or folder that matches ends with it."""
    last = pattern.rsplit("/", 1)[-1]
    return None if last == "**" or "*" in last or "?" in last else last


def _segment_test(runs: tuple[_Run, ...]) -> Callable[[str], bool]:
    """The test of one segment of a path glob. The files of a tree share their folders:
    each folder's name is tested once (up to `_SEGMENTS_KEPT` of them), not once a file."""
    known: dict[str, bool] = {}
    # A name without the longest run of plain characters does not match: one search at C
    # speed turns most names away (`*a*a*a...*b7*` over a tree of `aaaa...` names).
    needed = max((literal for _, literal in runs if literal), key=len, default="")

    def test(segment: str) -> bool:
        found = known.get(segment)
        if found is None:
            found = needed in segment and _glob(runs, segment)
            if len(known) < _SEGMENTS_KEPT:
                known[segment] = found
        return found

    return test


_SEGMENTS_KEPT = 256


def glob_match(pattern: str, path: str) -> bool:
    """Whether the root-relative `path` matches `pattern` or lies under a folder that does."""
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    tokens = _path_tokens(pattern)
    parts = path.split("/")
    tail = _plain_tail(pattern)
    if tail is not None and tail not in parts:
        return False  # what matches ends with that name: most files are spared the walk
    # A trailing `**` matches the folder's contents; a folder that matches covers them too:
    # the path matches the pattern followed by any folders. The pattern is walked over the
    # path's folders once for all the files they hold (see `_after_folder`), then over the
    # file's name: one walk for each of its folders took the square of its depth, times
    # every file.
    walk = (*tokens, None)
    folder, _, name = path.rpartition("/")
    return len(walk) in _advance(walk, _after_folder(pattern, walk, folder), name)


def _after_folder(pattern: str, walk: tuple[_Token[str], ...], folder: str) -> frozenset[int]:
    """Where in `walk` (a path glob's tokens) matching may stand after the parts of
    `folder` (all of it, "" for none): kept per pattern and folder, up to
    `_FOLDERS_KEPT` of them."""
    # Up to the nearest folder kept (or the root), then down again: no recursion, a fork's
    # folders may be thousands deep.
    pending: list[str] = []
    found = _FOLDER_STATES.get((pattern, folder))
    while found is None and folder:
        pending.append(folder)
        folder = folder.rpartition("/")[0]
        found = _FOLDER_STATES.get((pattern, folder))
    if found is None:
        found = _closed(walk, frozenset({0}))
    for below in reversed(pending):
        found = _advance(walk, found, below.rpartition("/")[2])
        if len(_FOLDER_STATES) >= _FOLDERS_KEPT:
            _FOLDER_STATES.clear()
        _FOLDER_STATES[(pattern, below)] = found
    return found


def _advance(walk: tuple[_Token[str], ...], states: frozenset[int], part: str) -> frozenset[int]:
    """The places in `walk` after one more part: a star stays (it takes the part), a test
    the part passes moves on; then every star may take nothing."""
    moved = {
        state + (0 if walk[state] is None else 1)
        for state in states
        if state < len(walk) and (walk[state] is None or walk[state](part))  # type: ignore[misc]
    }
    return _closed(walk, frozenset(moved))


def _closed(walk: tuple[_Token[str], ...], states: frozenset[int]) -> frozenset[int]:
    """`states` with the places after each star that may take nothing."""
    found = set(states)
    for state in states:
        after = state
        while after < len(walk) and walk[after] is None:
            after += 1
            found.add(after)
    return frozenset(found)


# The folders whose places in a pattern are kept (see `_after_folder`): a tree's folders,
# for each of a few hundred patterns.
_FOLDER_STATES: dict[tuple[str, str], frozenset[int]] = {}
_FOLDERS_KEPT = 1 << 14


def under(folder: str, path: str) -> bool:
    """Whether `path` lies in `folder` (both root-relative; "." or "" is the root)."""
    folder = folder_path(folder)
    return not folder or path == folder or path.startswith(folder + "/")


def folder_path(folder: str) -> str:
    """A folder as written in a setting (`./docs/`, `.`), as the paths in it start with it:
    `docs`, and "" for the root."""
    found = folder.strip().removeprefix("./").strip("/")
    return "" if found == "." else found


# The files an audit reads: chosen here, apart from the engine, so that the docs can be
# listed (and outlined ahead, see ahead.py) before the rest of the audit is loaded.
# `.mdx`: MDX (Docusaurus, Nextra and other sites) is Markdown with JSX elements and
# `import` lines, which read as HTML blocks and paragraphs.
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mdx")


def is_markdown(path: str) -> bool:
    """Whether the file at `path` is a Markdown doc, by its suffix."""
    return path.lower().endswith(_MARKDOWN_SUFFIXES)


@record
class Selection:
    scripts: tuple[str, ...]
    docs: tuple[str, ...]
    # The other files that name images (compose, Dockerfiles...), by kind, in path order.
    sources: tuple[tuple[SourceKind, str], ...] = ()


def select_files(files: Sequence[str], settings: AuditSettings) -> Selection:
    """The pull scripts, the other inventory sources and the docs to read, in path order."""
    scripts = tuple(
        path
        for path in _holding_tails(files, settings.pull_scripts)
        if any(glob_match(pattern, path) for pattern in settings.pull_scripts)
        and not _excluded(path, settings)
    )
    docs = tuple(
        path
        for path in files
        if is_markdown(path)
        and any(under(folder, path) for folder in settings.docs)
        and not _excluded(path, settings)
        and path not in scripts
    )
    return Selection(scripts, docs, _sources(files, settings, frozenset(scripts)))


def _holding_tails(files: Sequence[str], patterns: Sequence[str]) -> Sequence[str]:
    """The files that may match one of `patterns` or lie under a folder that does, in
    their order: those holding the plain name a pattern ends with (`pull-images.sh`), a
    substring search at C speed per pattern; all of them, where a pattern ends with a
    wildcard."""
    tails = [_plain_tail(pattern.strip().removeprefix("./").rstrip("/")) for pattern in patterns]
    if any(tail is None for tail in tails):
        return files
    holding = set()
    for tail in dict.fromkeys(tail for tail in tails if tail is not None):
        holding.update([path for path in files if tail in path])
    return [path for path in files if path in holding]


def _sources(
    files: Sequence[str], settings: AuditSettings, scripts: frozenset[str]
) -> tuple[tuple[SourceKind, str], ...]:
    """The other inventory sources among `files`."""
    found: list[tuple[SourceKind, str]] = []
    names = [path.rsplit("/", 1)[-1] for path in files]  # once, for every kind of source
    distinct = set(names)
    # The file-name tests first, each distinct name once: a set lookup or two string
    # comparisons spare most files every pattern (20,000 docs went through 22 tests each),
    # and a large tree repeats its names (`__init__.py`, `index.js` in a monorepo of
    # 100,000 files, where testing every file made this loop half an audit's time).
    passing = [
        set(filter(_NameTests(entry.paths).passes, distinct)) for entry in settings.inventory
    ]
    some = set().union(*passing)
    candidates = [(path, name) for path, name in zip(files, names, strict=True) if name in some]
    for entry, named_here in zip(settings.inventory, passing, strict=True):
        tests = [(_name_test(pattern), pattern) for pattern in entry.paths]
        for path, name in candidates:
            if name not in named_here:
                continue
            named = any(test(name) and glob_match(pattern, path) for test, pattern in tests)
            if named and path not in scripts and not _excluded(path, settings):
                found.append((entry.kind, path))
    return tuple(sorted(set(found), key=lambda item: (item[1], item[0].value)))


def _name_test(pattern: str) -> Callable[[str], bool]:
    """A quick test a file name must pass to match `pattern` (`**/values-*.yaml`)."""
    kind, head, tail = _name_shape(pattern)
    if kind == "exact":
        return lambda name: name == head
    if kind == "affix":
        return lambda name: name.startswith(head) and name.endswith(tail)
    return lambda name: True


def _name_shape(pattern: str) -> tuple[str, str, str]:
    """What a file name that matches `pattern` is: the name itself ("exact", name), a
    head and a tail around one `*` ("affix"), or anything ("any")."""
    last = pattern.rstrip("/").rsplit("/", 1)[-1]
    if not any(char in last for char in "*?["):
        return "exact", last, ""
    head, star, tail = last.partition("*")
    if star and not any(char in head + tail for char in "*?["):
        return "affix", head, tail
    return "any", "", ""


class _NameTests:
    """Whether a file name passes the name test of any of `patterns`."""

    def __init__(self, patterns: Sequence[str]) -> None:
        shapes = [_name_shape(pattern) for pattern in patterns]
        self.any = any(kind == "any" for kind, _, _ in shapes)
        self.exact = frozenset(head for kind, head, _ in shapes if kind == "exact")
        self.affixes = tuple(dict.fromkeys((h, t) for kind, h, t in shapes if kind == "affix"))
        # Every head and every tail, for one test at C speed that most names fail.
        self.heads = tuple(head for head, _ in self.affixes)
        self.tails = tuple(tail for _, tail in self.affixes)

    def passes(self, name: str) -> bool:
        if self.any or name in self.exact:
            return True
        if not (self.affixes and name.startswith(self.heads) and name.endswith(self.tails)):
            return False
        return any(name.startswith(head) and name.endswith(tail) for head, tail in self.affixes)


def _excluded(path: str, settings: AuditSettings) -> bool:
    return any(glob_match(pattern, path) for pattern in settings.exclude)


class TreeFiles:
    """The files of a tree by folder, for a pull script's globs (`k8s/*.yaml`): built at
    the first glob, as most scripts write none."""

    def __init__(self, files: Iterable[str]) -> None:
        self._files = files
        self._folders: dict[str, tuple[tuple[str, ...], ...]] | None = None

    def glob(self, pattern: str) -> tuple[tuple[str, ...], int]:
        """The files and folders bash's pathname expansion of the root-relative `pattern`
        names (folders only after a last `/`: `services/*/`), in order, and the work of
        testing names (the caller's cost: a name per test, times one more for each `?` and
        class, which `_glob` tries at each place): `*` and `?` never cross a `/` nor take
        a name's leading `.`, `[...]` is a class; a folder matched by a segment before the
        last is walked into. A segment that is `**` is bash's with `shopt -s globstar`
        (see `_below`; without it, the caller writes `*`). Matched by runs (`_glob`),
        never by a regex built from the pattern."""
        folders = self._index()
        places = [""]
        tested = 0
        segments = pattern.rstrip("/").split("/")
        kept = 0 if pattern.endswith("/") else 2  # the last segment's names: folders, or all
        globstar = "**" in segments
        for depth, segment in enumerate(segments):
            last = depth == len(segments) - 1
            if segment == "**":
                found = _below(folders, places, files=last and kept == 2, itself=last)
                tested += len(found)
            else:
                matches = _segment_matcher(segment)
                found = []
                for place in places:
                    candidates = folders.get(place, ((), (), ()))[kept if last else 0]
                    tested += len(candidates) * _weight(segment)
                    found.extend(
                        f"{place}/{name}" if place else name for name in filter(matches, candidates)
                    )
            if globstar:
                found.sort()  # names from several depths: bash sorts the whole paths
            # Every folder a `**` names is walked: a cut there could leave out what a later
            # segment names, and walking them all takes a time linear in the tree.
            places = found if segment == "**" and not last else found[:_MOST_GLOBBED]
        return tuple(places), tested

    def _index(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Each folder's folders, files, and both, each sorted once, as a glob lists them."""
        if self._folders is None:
            below: dict[str, set[str]] = {}
            names: dict[str, list[str]] = {}
            for path in self._files:
                folder, _, name = path.rpartition("/")
                names.setdefault(folder, []).append(name)
                while folder:  # each folder is a name in the one above it
                    above, _, child = folder.rpartition("/")
                    held = below.setdefault(above, set())
                    if child in held:
                        break
                    held.add(child)
                    folder = above
            self._folders = {
                folder: (
                    tuple(sorted(below.get(folder, ()))),
                    tuple(sorted(names.get(folder, ()))),
                    tuple(sorted((*below.get(folder, ()), *names.get(folder, ())))),
                )
                for folder in below.keys() | names.keys()
            }
        return self._folders


# The most names one glob gives (a folder of 100,000 files matched by `*`).
_MOST_GLOBBED = 10_000


def _below(
    folders: Mapping[str, tuple[tuple[str, ...], ...]],
    places: Sequence[str],
    *,
    files: bool,
    itself: bool,
) -> list[str]:
    """What a `**` segment names under `places`, as bash's globstar does: each place
    (zero folders: the root only before another segment) and every folder below it,
    with the files in them too when `files` (a last `**`), none whose name starts with
    a dot nor under one. Each once: a folder is walked into once whatever the places
    above it (`**/**/**` walks the tree three times, not the cube of its folders), and
    all of them, so that no name below a place is silently left out (the caller bounds
    the names a glob gives, with a warning)."""
    found: dict[str, None] = {}
    for place in places:
        if place or not itself:
            found[place] = None
        pending = [place]
        while pending:
            folder = pending.pop()
            subfolders, names, _ = folders.get(folder, ((), (), ()))
            for name in subfolders:
                path = f"{folder}/{name}" if folder else name
                if not name.startswith(".") and path not in found:
                    found[path] = None
                    pending.append(path)
            if files:
                found.update(
                    (f"{folder}/{name}" if folder else name, None)
                    for name in names
                    if not name.startswith(".")
                )
    return list(found)


def _weight(segment: str) -> int:
    """The work of testing a name against `segment`, in names compared (see `glob`)."""
    if not _GLOB_CHARS & set(segment):
        return 1
    tokens = _char_tokens(segment, classes=True)
    return 1 + sum(1 for token in tokens if token is not None and not isinstance(token, str))


def _segment_matcher(segment: str) -> Callable[[str], bool]:
    """Whether a file or folder name matches one segment of a pattern, as bash's does: a
    leading dot is matched by a dot written in the pattern only. A name without the
    longest run of plain characters does not match: one search at C speed."""
    if not _GLOB_CHARS & set(segment):
        return segment.__eq__
    runs = _char_runs(segment, classes=True)
    needed = max((literal for _, literal in runs if literal), key=len, default="")
    dotted = segment.startswith(".")

    def matches(name: str) -> bool:
        return (dotted or not name.startswith(".")) and needed in name and _glob(runs, name)

    return matches


_GLOB_CHARS = frozenset("*?[")
