"""The names docs use for images besides their own: short names and other tags. Pure.

Teams name their reports after what an image does, not after its full name:
`step10-api-gateway-smoke-test.md` for `acme-api-gateway`, `src/cart/README.md`
for `example/demo:latest-cart`. This module works out, from the inventory alone:

- the project prefix most names share (`acme-`), so that the rest is a short name;
- repositories whose tags carry a service (`demo:latest-cart`, `demo:latest-ad`),
  whose tag part is then each image's short name instead of the shared name;
- for every other image, its sibling tags, which a reference to it also documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..config import AuditSettings
from ..counterparts import Index
from ..lazy_pattern import LazyPattern
from ..model import UNKNOWN_DOMAIN, Image, ImageRef
from ..records import record
from .words import fold

# A prefix must be shared by at least this many names, and by at least half of them:
# fewer is a coincidence of two or three names (`redis`, `redis-exporter`), not a project.
PREFIX_MIN_NAMES = 3
# A repository is one image per service when at least this many of its tags name
# distinct services. Two variants (`base:python-...`, `base:java-...`) are just tags.
SERVICE_TAGS_MIN = 3

# Tag words that say which build, not which service: versions, channels, platforms, OS variants.
_VERSION_WORD = LazyPattern(
    r"v?\d[0-9a-z]*|r\d+|rc\d*|alpha\d*|beta\d*"
    r"|latest|stable|edge|main|master|nightly|dev|develop|release|snapshot|canary|next|prod"
    r"|amd64|arm64|arm64v8|arm32v7|armv6|armv7|armhf|arm|aarch64|x86|i386|ppc64le|s390x|riscv64"
    r"|linux|windows|alpine|slim|debian|ubuntu|bookworm|bullseye|buster|jammy|focal|noble"
    r"|distroless|musl|glibc|static|debug|nonroot|rootless|minimal|full"
)
_TAG_SPLIT = LazyPattern(r"[-_.]")


@record
class Naming:
    """The names an inventory's images go by besides their own."""

    prefix: str | None  # the detected project prefix, folded (`acme-`); None if none or set
    short: dict[str, str]  # Image.key -> short name, folded (`api-gateway`, `cart`)
    service_tagged: frozenset[str]  # Image.key of images whose tag names their service
    siblings: dict[str, tuple[str, ...]]  # Image.key -> its tag group's keys, its own too

    @classmethod
    def empty(cls) -> Naming:
        return cls(None, {}, frozenset(), {})


def name_images(
    images: Sequence[Image], settings: AuditSettings, sides: Sequence[Sequence[Image]] = ()
) -> Naming:
    """The short names and sibling tags of `images` under `settings`' `strip-prefix`.

    `sides`: in a check, the images of each side (`images` holds both). The prefix each
    side's own images show is stripped too: the images a change adds (a second family of
    names as large as the first) must not take the short names of the base's images away
    at both sides, and with them a doc the change deletes.
    """
    unique = list({image.key: image for image in images}.values())
    repositories = _repositories(unique)
    services = _service_parts(repositories)
    detected = None
    prefixes = settings.strip_prefix if settings.strip_prefix is not None else ()
    prefixes = tuple(fold(p) for p in prefixes)
    if settings.strip_prefix is None:
        detected = _detected(unique, services)
        found = [detected, *map(_own_prefix, sides)]
        prefixes += tuple(dict.fromkeys(prefix for prefix in found if prefix))
    short = dict(services)
    for image in unique:
        if image.key not in services:
            stripped = _strip(fold(image.name), prefixes)
            if stripped is not None:
                short[image.key] = stripped
    return Naming(detected, short, frozenset(services), _siblings(repositories, services))


def _own_prefix(images: Sequence[Image]) -> str | None:
    """The prefix `name_images` detects in `images` alone."""
    unique = list({image.key: image for image in images}.values())
    return _detected(unique, _service_parts(_repositories(unique)))


def _detected(unique: Sequence[Image], services: Mapping[str, str]) -> str | None:
    """The project prefix of distinct `unique` images, those named by a service aside."""
    return detect_prefix(image.name for image in unique if image.key not in services)


def detect_prefix(names: Iterable[str]) -> str | None:
    """The leading words most names share, with their separator (`acme-`), or None.

    The names are grouped by their first word; the largest group must hold at
    least half of the (distinct) names and at least PREFIX_MIN_NAMES, and no
    other group as many. The prefix is then the longest run of leading words
    every name of that group shares, short of the last word: a name is never
    stripped to nothing, and `acme-platform-` is found when all names have it.
    """
    distinct = sorted({fold(name) for name in names})
    groups: dict[str, list[list[str]]] = {}
    for name in distinct:
        words = name.split("-")
        if len(words) > 1 and all(words):
            groups.setdefault(words[0], []).append(words)
    sizes = sorted((len(members) for members in groups.values()), reverse=True)
    if not sizes or sizes[0] < max(PREFIX_MIN_NAMES, len(distinct) / 2):
        return None
    if len(sizes) > 1 and sizes[1] == sizes[0]:
        return None  # two prefixes as common as each other: neither is the project's
    members = next(m for m in groups.values() if len(m) == sizes[0])
    shared = 1
    limit = min(len(words) for words in members) - 1
    while shared < limit and len({tuple(words[: shared + 1]) for words in members}) == 1:
        shared += 1
    return "-".join(members[0][:shared]) + "-"


def _strip(name: str, prefixes: Sequence[str]) -> str | None:
    """`name` without the longest of `prefixes` it starts with; None if none leaves a rest.

    A prefix ends on a word boundary: `app` strips `app-web` but not `application`.
    """
    for prefix in sorted(prefixes, key=len, reverse=True):
        rest = name[len(prefix) :] if prefix and name.startswith(prefix) else ""
        if rest.strip("-") and (prefix.endswith("-") or rest.startswith("-")):
            return rest.strip("-")
    return None


def _repositories(images: Sequence[Image]) -> dict[str, list[Image]]:
    """The images with a tag by repository; one whose start is not known with the listed
    repository its path spells (`${REG}/example/demo:latest-cart` is a tag of
    `example/demo`: see `counterparts.py`)."""
    tagged = [image for image in images if image.parsed.tag is not None]
    known: list[ImageRef] = []  # when some start is not known
    if any(image.parsed.domain == UNKNOWN_DOMAIN for image in tagged):
        known = [image.parsed for image in tagged if image.parsed.domain != UNKNOWN_DOMAIN]
    index = Index(known)
    found: dict[str, list[Image]] = {}
    for image in tagged:
        parsed = image.parsed
        if parsed.domain == UNKNOWN_DOMAIN:
            at = index.find(parsed, tags=False)
            parsed = parsed if at is None else known[at]
        found.setdefault(f"{parsed.domain}/{parsed.path}", []).append(image)
    return found


def _service_parts(repositories: Mapping[str, list[Image]]) -> dict[str, str]:
    """Image.key -> its tag's service (`cart` of `demo:latest-cart`), for repositories
    (`_repositories`) whose tags name at least SERVICE_TAGS_MIN distinct services."""
    found: dict[str, str] = {}
    for tags in repositories.values():
        if len(tags) < SERVICE_TAGS_MIN:
            continue  # too few tags to name as many services (most repositories have one)
        parts = _distinctive(tags)
        if len(set(parts.values())) >= SERVICE_TAGS_MIN:
            found.update(parts)
    return found


def _distinctive(tags: Sequence[Image]) -> dict[str, str]:
    """Image.key -> the words of its tag that neither all tags share nor say which build."""
    words = {image.key: _TAG_SPLIT.split(fold(image.parsed.tag or "")) for image in tags}
    common = set.intersection(*(set(w) for w in words.values())) if len(tags) > 1 else set()
    parts = {}
    for key, tag_words in words.items():
        kept = [w for w in tag_words if w and w not in common and not _VERSION_WORD.fullmatch(w)]
        if kept:
            parts[key] = "-".join(kept)
    return parts


def _siblings(
    repositories: Mapping[str, list[Image]], services: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    """Image.key -> the tags of its repository that name the same thing, its own among them.

    Ordinary tags (`app:v1.0`, `app:latest`) are one image in two versions; of a
    repository of services, only the tags of the same service are. The tags of a group
    share one tuple: a tuple of the others for each tag took the square of a repository's
    tags (5,000 tags, 25 million keys).
    """
    found: dict[str, tuple[str, ...]] = {}
    for tags in repositories.values():
        if len(tags) < 2:
            continue  # no other tag
        groups: dict[str | None, list[str]] = {}
        for image in tags:
            groups.setdefault(services.get(image.key), []).append(image.key)
        for keys in groups.values():
            if len(keys) > 1:
                group = tuple(keys)
                found.update(dict.fromkeys(group, group))
    return found
