"""The inventory: every image the pull scripts use, and every other file that names it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..counterparts import Index, counterpart
from ..errors import InputError
from ..model import (
    UNKNOWN_DOMAIN,
    Diagnostic,
    Image,
    ImageRef,
    ImageSource,
    Inventory,
    InventoryMode,
    Location,
    Port,
    PortFact,
    PortSource,
    SourceKind,
)
from .dockerfile import read_dockerfile
from .listfile import read_list
from .pullscript import ScriptImages, parse_pull_script
from .reference import ReferenceError, parse_reference, parse_repository, parse_unregistered
from .sources import Candidate, PortClaim, SourceImages

__all__ = [
    "MAX_IMAGES",
    "MAX_INVENTORY_TEXT",
    "MAX_SOURCE_BYTES",
    "ScriptImages",
    "SourceImages",
    "build_inventory",
    "parse_pull_script",
    "read_inventory",
    "read_source",
]

# Every image becomes a few search terms, and the matcher costs time and memory per
# character of them: these caps keep a hostile inventory to seconds and a few hundred MB,
# well above the few thousand images a real pull script lists.
MAX_IMAGES = 5000
MAX_INVENTORY_TEXT = 500_000  # characters of canonical references, all images together
# The most ports the compose files give the images, all files together. A file's YAML
# walk is bounded, but its aliases may give each of 150 services the same 1,000 ports:
# 8 files of 16 KB gave 1.2 million (850 MB, 10 s).
MAX_SOURCE_PORTS = 100_000
# The largest compose file, Dockerfile, manifest, values or list file read. PyYAML takes
# about a second a MB (and its node budget, `yamlnodes.MAX_NODES`, bounds the rest); the
# largest manifests repositories keep (operators' bundles of CRDs) are a few MB.
MAX_SOURCE_BYTES = 4 << 20
_SOURCE_TOO_LARGE = (
    f"the file is larger than {MAX_SOURCE_BYTES >> 20} MiB, more than a file of images needs;"
    " its images are not read"
)


def read_inventory(scripts: Iterable[tuple[str, bytes]]) -> Inventory:
    """The images of the pull scripts, given as (path, bytes), in script and line order."""
    return build_inventory(parse_pull_script(path, source) for path, source in scripts)


def read_source(kind: SourceKind, path: str, data: bytes, env: bytes | None = None) -> SourceImages:
    """The images one file names, read by the reader of its kind (`env`: a compose `.env`)."""
    if kind is SourceKind.PULL_SCRIPT:
        return parse_pull_script(path, data)
    if len(data) > MAX_SOURCE_BYTES:
        return SourceImages(path, (), (Diagnostic(Location(path, 1), _SOURCE_TOO_LARGE),), kind)
    # The YAML readers are imported when a file needs one: importing PyYAML is an eighth
    # of the start-up.
    from .compose import read_compose  # noqa: PLC0415
    from .kubernetes import read_manifests, read_values  # noqa: PLC0415

    if kind is SourceKind.COMPOSE:
        return read_compose(path, data, env)
    readers = {
        SourceKind.DOCKERFILE: read_dockerfile,
        SourceKind.KUBERNETES: read_manifests,
        SourceKind.HELM_VALUES: read_values,
        SourceKind.LIST: read_list,
    }
    return readers[kind](path, data)


def build_inventory(
    sources: Iterable[SourceImages], mode: InventoryMode = InventoryMode.PULL_SCRIPTS
) -> Inventory:
    """The inventory of the files read, pull scripts first.

    Inventory identity is the canonical reference: an image named twice is one
    image, reported where a pull script lists it first, with every place that
    names it in `sources`. With `InventoryMode.PULL_SCRIPTS` the other files only
    add places and ports to the pull scripts' images; with `ALL` they add images.

    A reference whose tag the script does not let us know (`example/app:${TAG}`) is
    its repository's image (see `ImageRef.tag_unknown`), as its docs are; where the
    inventory also has the repository with a known tag, it is one more place of the
    first such image rather than an image of its own (the docs are the same).
    """
    builder = _Builder(mode)
    ordered = sorted(sources, key=lambda found: found.kind is not SourceKind.PULL_SCRIPT)
    for found in ordered:
        builder.add(found)
    return builder.inventory()


class _Builder:
    def __init__(self, mode: InventoryMode) -> None:
        self.mode = mode
        self.images: dict[str, Image] = {}
        # Each image's places in order, by their fields (a dict: a pull script may name one
        # image 40,000 times; a tuple of strings hashes in C, a dataclass through Python).
        self.places: dict[str, dict[tuple[object, ...], ImageSource]] = {}
        self.warnings: list[Diagnostic] = []
        self.scripts: list[str] = []
        self.ports: list[PortFact] = []
        self.ports_stopped = False  # past MAX_SOURCE_PORTS
        self.text = 0
        self.moved: dict[str, str] = {}  # the key of an image folded into another -> that one's
        # The images' keys by name, made when `owner` first needs it after an image is added.
        self.named: dict[str, list[str]] = {}
        self.named_images = 0  # how many images `named` holds

    def add(self, found: SourceImages) -> None:
        defines = found.kind is SourceKind.PULL_SCRIPT or self.mode is InventoryMode.ALL
        if found.kind is SourceKind.PULL_SCRIPT:
            self.scripts.append(found.path)
        if defines:
            self.warnings.extend(found.warnings)
        for candidate, category in found.candidates:
            where = Location(candidate.path or found.path, candidate.line)
            try:
                parsed = _parsed(candidate)
            except ReferenceError as error:
                if defines:
                    shown = _short(candidate.written)
                    message = f"'{shown}' is not an image reference: {error}"
                    self.warnings.append(Diagnostic(where, message))
                continue
            key = parsed.canonical if defines else self.owner(parsed)
            if key is None:
                continue  # a compose file's image the pull scripts do not list: not ours
            header = category or _category(found)
            kind = found.kind
            self.place(
                candidate.written, parsed, header, where, kind, key=key, again=not candidate.follows
            )
        for claim in found.ports:
            self.port(claim, Location(found.path, claim.line))

    def owner(self, parsed: ImageRef) -> str | None:
        """The key of the image of the inventory `parsed` names: the same image, or where a
        part of it is not known, the one it may be (see `fold_unknown_tags` and
        `fold_unknown_starts`); None for an image the inventory does not have."""
        key = parsed.canonical
        if key in self.images or not parsed.partly_unknown:
            return key if key in self.images else None
        if parsed.domain == UNKNOWN_DOMAIN:
            return _counterpart(parsed, self.named_now().get(parsed.name, ()), self.images)
        for other in self.named_now().get(parsed.name, ()):
            if self.images[other].parsed.repository == parsed.repository:
                return other  # the first tag of the repository whose tag is not known
        return None

    def named_now(self) -> dict[str, list[str]]:
        """The images' keys by name, made again when images were added or removed."""
        if self.named_images != len(self.images):
            self.named, self.named_images = {}, len(self.images)
            for other, image in self.images.items():
                self.named.setdefault(image.parsed.name, []).append(other)
        return self.named

    def place(
        self,
        text: str,
        parsed: ImageRef,
        category: str | None,
        where: Location,
        kind: SourceKind,
        *,
        key: str,
        again: bool = True,
    ) -> None:
        """One more place of the image `key` (its first makes it); `again`: a repeat of it
        in a pull script is warned about (a command that takes an image at hand, `docker
        tag` after a pull, repeats none)."""
        first = self.images.get(key)
        if first is None:
            self.text += len(key)
            _check_size(len(self.images) + 1, self.text, where)
            self.images[key] = Image(text, parsed, category, where)
        elif (
            again
            and kind is SourceKind.PULL_SCRIPT
            and first.source != where
            and not parsed.partly_unknown
        ):
            # (Two uses of a repository whose tags are not known may pull two tags.)
            message = f"{text} is listed again (first at {first.source})"
            self.warnings.append(Diagnostic(where, message))
        written = text if parsed.partly_unknown else None
        fields = (where.path, where.line, kind, written, parsed.tag_unknown)
        places = self.places.setdefault(key, {})
        if fields not in places:
            places[fields] = ImageSource(where, kind, written, parsed.tag_unknown)

    def port(self, claim: PortClaim, where: Location) -> None:
        if len(self.ports) >= MAX_SOURCE_PORTS:
            if not self.ports_stopped:
                self.ports_stopped = True
                message = (
                    f"ports stop here: the compose files give {MAX_SOURCE_PORTS:,} ports, the"
                    " most an audit reads from them; the ports from here on are not read"
                )
                self.warnings.append(Diagnostic(where, message))
            return
        try:
            key = self.owner(_parsed(claim.image))
        except ReferenceError:
            return
        if key is not None:
            port = Port(claim.port, claim.protocol, where, PortSource.COMPOSE)
            self.ports.append(PortFact(key, port))

    def fold_unknown_tags(self) -> None:
        """Each image whose tag is not known, of a repository the inventory also has with
        a known tag: its places join the first such image's, and it is no image of its own."""
        tagged: dict[str, str] = {}  # repository -> the key of its first image with a known tag
        for key, image in self.images.items():
            if not image.parsed.tag_unknown:
                tagged.setdefault(image.parsed.repository, key)
        for key, image in list(self.images.items()):
            into = tagged.get(image.parsed.repository) if image.parsed.tag_unknown else None
            if into is not None:
                self.move_places(key, into)

    def fold_unknown_starts(self) -> None:
        """Each image whose start is not known (`${MIRROR}/team/app:1`) that may be one
        image of the inventory whose start is known (see `_counterpart`): its places join
        that image's, and it is no image of its own. A script that copies its images to a
        mirror names each twice; the docs name it once."""
        if all(image.parsed.domain != UNKNOWN_DOMAIN for image in self.images.values()):
            return
        known = [key for key, image in self.images.items() if image.parsed.domain != UNKNOWN_DOMAIN]
        index = Index([self.images[key].parsed for key in known])
        for key, image in list(self.images.items()):
            if image.parsed.domain == UNKNOWN_DOMAIN:
                found = index.find(image.parsed)
                if found is not None:
                    self.move_places(key, known[found])

    def move_places(self, key: str, into: str) -> None:
        """The places of the image `key` join those of `into`; `key` is no image."""
        places = self.places.setdefault(into, {})
        for fields, place in self.places.pop(key, {}).items():
            places.setdefault(fields, place)
        del self.images[key]
        self.moved[key] = into

    def folded(self, key: str) -> str:
        """The key of the image `key` is now (the one it was folded into, if it was)."""
        while key in self.moved:
            key = self.moved[key]
        return key

    def inventory(self) -> Inventory:
        self.fold_unknown_tags()
        self.fold_unknown_starts()
        ports = [PortFact(self.folded(fact.image), fact.port) for fact in self.ports]
        images = []
        for key, image in self.images.items():
            # The constructor, not dataclasses.replace: 0.5 µs instead of 1.2, for every image.
            places = tuple(self.places.get(key, {}).values())
            images.append(Image(image.ref, image.parsed, image.category, image.source, places))
        return Inventory(tuple(images), tuple(self.scripts), tuple(self.warnings), tuple(ports))


def _counterpart(unknown: ImageRef, keys: Sequence[str], images: Mapping[str, Image]) -> str | None:
    """The key among `keys` of the image `unknown`, whose start is not known, names (see
    `counterparts.counterpart`), or None."""
    index = counterpart(unknown, [images[key].parsed for key in keys])
    return None if index is None else keys[index]


def _parsed(candidate: Candidate) -> ImageRef:
    if candidate.unknown_start is not None:
        return parse_unregistered(candidate.text, tag_unknown=candidate.unknown_tag is not None)
    if candidate.unknown_tag is not None:
        return parse_repository(candidate.text)
    return parse_reference(candidate.text)


def _category(found: SourceImages) -> str | None:
    """Images of a file with no headers of its own stand under the file's path."""
    return None if found.kind in (SourceKind.PULL_SCRIPT, SourceKind.LIST) else found.path


def _check_size(count: int, text: int, where: Location) -> None:
    if count > MAX_IMAGES:
        message = f"more than {MAX_IMAGES:,} images"
    elif text > MAX_INVENTORY_TEXT:
        message = f"the image references add up to more than {MAX_INVENTORY_TEXT:,} characters"
    else:
        return
    raise InputError(
        str(where),
        f"{message} (the limit is reached here); this is not a pull script a person wrote: "
        "check it, or audit its parts separately",
    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
