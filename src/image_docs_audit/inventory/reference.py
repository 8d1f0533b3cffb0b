"""Image references, split and normalised by the distribution reference grammar.

The grammar is the one `docker pull` uses (distribution/reference): an optional
domain (a component with a `.` or `:`, or `localhost`), a lower-case path, an
optional tag and an optional digest. Docker Hub names are expanded the way the
engine expands them, so `redis`, `library/redis` and `docker.io/library/redis`
are one repository.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ..lazy_pattern import LazyPattern
from ..model import UNKNOWN_DOMAIN, ImageRef

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_PATH_RE = LazyPattern(rf"{_COMPONENT}(?:/{_COMPONENT})*")
_DOMAIN_RE = LazyPattern(
    r"(?:localhost|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
)
_TAG_RE = LazyPattern(r"[\w][\w.-]{0,127}")
# The longest digest in use is sha512 (128 hex digits); longer ones are not digests.
_DIGEST_RE = LazyPattern(
    r"[A-Za-z][A-Za-z0-9]{0,15}(?:[-_+.][A-Za-z][A-Za-z0-9]{0,15}){0,3}:[0-9a-fA-F]{32,128}"
)
_MAX_NAME = 255
# Real references are far shorter (a long name, a tag and a sha256 digest make ~200).
# The cap is on the canonical form, the longest search term an image gives: the term
# matcher nests one regex group per character, and ~500 exhaust Python's recursion.
MAX_REFERENCE = 360
_DOCKER_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


class ReferenceError(ValueError):
    """The text is not an image reference; the message says which part is wrong."""


def parse_reference(text: str) -> ImageRef:
    """Split `text` into domain, path, tag and digest, or raise ReferenceError."""
    if not text or text != text.strip():
        raise ReferenceError("an image reference cannot be empty or contain spaces")
    if len(text) > MAX_REFERENCE:
        raise ReferenceError(f"it is longer than {MAX_REFERENCE} characters")
    remainder, digest = _split_digest(text)
    name, tag = _split_tag(remainder)
    domain, path = _split_domain(name)
    if not _PATH_RE.fullmatch(path):
        raise ReferenceError(
            f"'{_short(path)}' is not a valid repository path (lower case, digits, . _ -)"
        )
    if len(domain) + 1 + len(path) > _MAX_NAME:
        raise ReferenceError(f"the repository name is longer than {_MAX_NAME} characters")
    if domain == "docker.io" and "/" not in path:
        path = f"library/{path}"
    parsed = ImageRef(domain=domain, path=path, tag=tag, digest=digest)
    if len(parsed.canonical) > MAX_REFERENCE:
        raise ReferenceError(f"it is longer than {MAX_REFERENCE} characters")
    return parsed


def parse_repository(text: str) -> ImageRef:
    """The image a reference names whose tag or digest is not known: `text` is the
    reference up to where it stops being known (see `unknown_tag_split`), a tag it
    gives before an unknown digest left out too. Raises ReferenceError as
    `parse_reference` does."""
    parsed = parse_reference(text)
    return ImageRef(parsed.domain, parsed.path, None, None, tag_unknown=True)


def parse_unregistered(text: str, *, tag_unknown: bool = False) -> ImageRef:
    """The image a reference names whose start is not known (`${REGISTRY}/team/app:1`):
    `text` is the reference from the first `/` after the part not known on (`team/app:1`;
    `team/app` when its tag is not known either). The registry, and maybe the leading
    components of the path, are not known: the domain is `UNKNOWN_DOMAIN`, and the path
    is what is known of it. Raises ReferenceError as `parse_reference` does."""
    if len(text) > MAX_REFERENCE:
        raise ReferenceError(f"it is longer than {MAX_REFERENCE} characters")
    remainder, digest = _split_digest(text)
    path, tag = _split_tag(remainder)
    if not _PATH_RE.fullmatch(path):
        raise ReferenceError(
            f"'{_short(path)}' is not a valid repository path (lower case, digits, . _ -)"
        )
    if tag_unknown:
        return ImageRef(UNKNOWN_DOMAIN, path, None, None, tag_unknown=True)
    return ImageRef(UNKNOWN_DOMAIN, path, tag, digest)


# A reference partly known: its start as written when not known (to the `/` after the part
# not known), the reference known, and its tag as written when not known (see Candidate).
PartlyKnown = tuple[str | None, str, str | None]


def partly_known(pieces: Sequence[str], written: Sequence[str]) -> PartlyKnown | None:
    """The reference whose known texts are `pieces`, between parts not known written as
    `written` (one fewer): `["", "/team/app:", ""]` and `["${REG}", "${TAG}"]` give
    `("${REG}/", "team/app", ":${TAG}")`. None when its name may not be known (see
    `unknown_tag_split` and `unknown_start_split`)."""
    head, after = pieces[0], "".join(pieces[1:])
    split = unknown_tag_split(head, after)
    if split is not None:
        return None, split[0], split[1] + _as_written(written, pieces[1:])
    gaps = list(itertools.accumulate(len(piece) for piece in pieces[1:-1]))
    started = unknown_start_split(head, after, gaps, written)
    if started is None:
        return None
    cut, known, tag_start = started
    # The start as written: up to the `/` at `cut`, which stands in the piece after the
    # last part not known before it.
    before = sum(1 for gap in gaps if gap <= cut)
    start = head + written[0] + "".join(pieces[i] + written[i] for i in range(1, before + 1))
    start += pieces[before + 1][: cut - (gaps[before - 1] if before else 0) + 1]
    if tag_start is None:
        return start, known, None
    return start, known, tag_start + _as_written(written[-1:], pieces[-1:])


def _as_written(written: Sequence[str], pieces: Sequence[str]) -> str:
    """Parts not known as written, each followed by the known text after it."""
    return "".join(part + piece for part, piece in zip(written, pieces, strict=True))


def unknown_start_split(
    known: str, after: str, gaps: Sequence[int] = (), written: Sequence[str] = ()
) -> tuple[int, str, str | None] | None:
    """A reference that starts with `known`, goes on with a part not known (`written`:
    the ways it is written) and then with the known text `after`, other parts not known
    standing in it where `gaps` say: where in `after` the `/` stands after which the
    reference is known, the reference from there on, and when the last part not known
    stands in its tag, the known start of that tag (`${REG}/team/app:${TAG}`: 0,
    `team/app`, `:`). The parts not known before that `/` are a registry and path
    components (`${REG}/${NAMESPACE}/app:1`: 1, `app:1`).

    None where the name itself may not be known: no `/` follows the parts not known
    (`${REG}app:1`), or a part not known stands in the name (`${REG}/${NAME}:1`,
    `${REG}/team/app${SUFFIX}`); and where the value is more likely a file than an image:
    a transport or URL before it (`oci-archive:$DIR/app.tar`, `https://$HOST/x`), a
    folder the part not known names (`${BUNDLE_DIR}`, `$HOME`, `$(pwd)`) before a rest
    with no tag, a file name after it (`app.tar`, `images.txt`), or a rest that is no
    reference."""
    if any(char.isspace() for char in after) or _TRANSPORT_START_RE.match(known):
        return None
    ends = [0, *gaps, len(after)]  # the known texts of `after`, between the parts not known
    # All the parts not known in the start, else the last one in the tag.
    for last, tag_gap in ((len(gaps), None), (len(gaps) - 1, gaps[-1] if gaps else None)):
        if last < 0:
            continue
        segment_end = len(after) if tag_gap is None else tag_gap
        cut = after.find("/", ends[last], segment_end)
        # The parts not known (`0` stands for each) and the known texts between them must
        # be able to start a reference: a registry and path components, not a tag.
        start = known + "".join("0" + after[ends[i] : ends[i + 1]] for i in range(last))
        if cut < 0 or not _START_RE.fullmatch(f"{start}0{after[ends[last] : cut]}"):
            continue
        rest = after[cut + 1 : segment_end]
        split = (rest, None) if tag_gap is None else unknown_tag_split(rest, after[tag_gap:])
        if split is None or not _names_an_image(split[0], tag_unknown=tag_gap is not None):
            continue
        # A folder's variable before a name with no tag of its own is a path (`$HOME/x`);
        # one with a tag is a reference whatever its start is called (`$REG_CACHE/x:1`).
        tagged = tag_gap is not None or ":" in rest.rpartition("/")[2] or "@" in rest
        if not tagged and any(_folder(expression) for expression in written):
            return None
        return cut, *split
    return None


def _folder(expression: str) -> bool:
    """Whether `expression` names a folder (`$BUNDLE_DIR`, `$HOME`, `$(pwd)`) and no
    registry (`$REGISTRY_CACHE`, `$HOME_REGISTRY`, `$MIRROR_DIR`)."""
    return bool(_FOLDER_RE.match(expression)) and not _REGISTRY_WORD_RE.search(expression)


def _names_an_image(text: str, *, tag_unknown: bool) -> bool:
    """Whether `text`, the rest of a reference whose start is not known, parses as one,
    and its name is no file's (`app.tar`)."""
    try:
        parsed = parse_unregistered(text, tag_unknown=tag_unknown)
    except ReferenceError:
        return False
    return parsed.name.rpartition(".")[2] not in _FILE_SUFFIXES


# A transport of skopeo, podman or buildah, or a URL's scheme: what follows is a path.
_TRANSPORT_START_RE = LazyPattern(
    r"(?:oci|oci-archive|dir|docker-archive|docker-daemon|containers-storage|sif|tarball):"
    r"|[A-Za-z][A-Za-z0-9+.-]*://",
    re.IGNORECASE,
)
# A variable or command that names a folder (`$BUNDLE_DIR`, `${XDG_CACHE_HOME}`, `$PWD`,
# `$(pwd)`, `$(dirname "$0")`, `$0`): what follows it is a path, not an image.
_FOLDER_RE = LazyPattern(
    r"\$\{?(?:[A-Za-z0-9_]*_)?(?:[A-Za-z0-9]*DIR|FILE|FILES|HOME|PWD|TMP|TEMP|CACHE|"
    r"FOLDER|WORKSPACE|BUNDLE)(?:_[A-Za-z0-9_]*)?(?:[}:#%/-]|$)"
    r"|\$\{?0\b|\$\{?BASH_SOURCE"
    r"|(?:\$\(|`)\s*(?:pwd|dirname|realpath|readlink|mktemp)\b",
    re.IGNORECASE,
)
# A word of a variable's name that says it holds a registry (or a mirror of one).
_REGISTRY_WORD_RE = LazyPattern(
    r"(?<![A-Za-z0-9])(?:REG|REGISTRY|REGISTRIES|MIRROR|PROXY|HUB|ECR|GCR|ACR|HARBOR|QUAY|"
    r"NEXUS|ARTIFACTORY)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# The endings of file names that are no image's name: archives, lists, configs.
_FILE_SUFFIXES = frozenset({
    "tar", "tgz", "gz", "xz", "zst", "bz2", "zip", "txt", "list", "json", "yaml", "yml",
    "sif", "img", "iso", "sh", "env", "conf", "cfg", "toml", "ini", "log", "md", "csv", "lock",
})  # fmt: skip


def unknown_tag_split(known: str, after: str = "") -> tuple[str, str] | None:
    """A reference whose text starts with `known` and goes on with a part not known,
    cut where its tag or digest starts: `example/app:1.` gives `example/app` and `:1.`.

    Only when nothing but the tag or digest can hold the unknown part: `known` ends
    past the `:` of a tag (the last `:`, after the last `/`) or past an `@`, and the
    known text `after` the unknown part goes on with no `/` (`localhost:${PORT}/app`)
    nor blank. None otherwise: `example/${NAME}`, `example/app${SUFFIX}` and
    `registry:5000/team/app` may go on with the name itself."""
    if any(char == "/" or char.isspace() for char in after):
        return None
    at = known.rfind("@")
    if at >= 0:
        cut, start = at, _DIGEST_START_RE
    else:
        cut, start = known.rfind(":"), _TAG_START_RE
        if cut <= known.rfind("/"):
            return None
    if cut <= 0 or not start.fullmatch(known, cut + 1):
        return None
    return known[:cut], known[cut:]


# The start of a reference before its name: a domain (a port maybe) and path components.
_START_RE = LazyPattern(r"[A-Za-z0-9._-]*(?::[0-9]*)?(?:/[A-Za-z0-9._-]+)*")
# What a tag or digest may start with: the ends of `_TAG_RE` and `_DIGEST_RE` left open.
_TAG_START_RE = LazyPattern(r"(?:[\w][\w.-]{0,127})?")
_DIGEST_START_RE = LazyPattern(r"[A-Za-z0-9_+.-]{0,80}(?::[0-9a-fA-F]{0,128})?")


def _split_digest(text: str) -> tuple[str, str | None]:
    name, sep, digest = text.partition("@")
    if not sep:
        return text, None
    if not _DIGEST_RE.fullmatch(digest):
        raise ReferenceError(f"'{_short(digest)}' is not a valid digest (algorithm:32 to 128 hex)")
    return name, digest


def _split_tag(name: str) -> tuple[str, str | None]:
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon <= slash:  # the colon, if any, belongs to a registry port
        return name, None
    tag = name[colon + 1 :]
    if not _TAG_RE.fullmatch(tag):
        raise ReferenceError(f"'{_short(tag)}' is not a valid tag")
    return name[:colon], tag


def _split_domain(name: str) -> tuple[str, str]:
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first.startswith("[")):
        if not _DOMAIN_RE.fullmatch(first):
            raise ReferenceError(f"'{_short(first)}' is not a valid registry host")
        domain = "docker.io" if first.lower() in _DOCKER_HUB_ALIASES else first
        return domain, rest
    return "docker.io", name


def _short(text: str, limit: int = 80) -> str:
    """A part of a reference as a message quotes it: a hostile one may be megabytes long."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def looks_like_reference(text: str) -> bool:
    """Whether `text` parses as an image reference (used to tell code from prose)."""
    try:
        parse_reference(text)
    except ReferenceError:
        return False
    return True
