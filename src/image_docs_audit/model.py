"""The vocabulary of the audit as frozen dataclasses.

Every stage passes these plain values to the next one: the inventory readers
produce `Image`s, the docs scan produces `DocScan`s, the audit turns both into a
`Report`. None of them hold open files or know where the data came from.
"""

from __future__ import annotations

from dataclasses import field
from enum import StrEnum
from functools import cached_property

from .records import record


class Kind(StrEnum):
    """Where a mention of an image stands in a doc."""

    FILENAME = "filename"
    TITLE = "title"
    HEADING = "heading"
    TABLE = "table"
    LIST = "list"
    REFERENCE = "reference"
    BODY = "body"
    CODE = "code"
    INDEX = "index"
    CONFIG = "config"

    @property
    def strong(self) -> bool:
        """Whether this kind of evidence alone makes an image documented."""
        return self not in _WEAK


_WEAK = frozenset({Kind.BODY, Kind.CODE, Kind.INDEX})


class Depth(StrEnum):
    """How deeply a documented image is documented."""

    DEDICATED = "dedicated"  # a doc whose file name or title names it
    SECTION = "section"  # a heading, table row, list item or reference in another doc
    CONFIG = "config"  # a file the config's `documentation` names for it


class Status(StrEnum):
    DOCUMENTED = "documented"
    MENTIONED = "mentioned"
    MISSING = "missing"
    IGNORED = "ignored"


class RegressionKind(StrEnum):
    """Why a check fails: what the change made worse (see `gate`)."""

    NEW_UNDOCUMENTED = "new_undocumented"
    NEWLY_MISSING = "newly_missing"
    COVERAGE_DROP = "coverage_drop"
    BELOW_THRESHOLD = "below_threshold"
    POLICY_LOOSENED = "policy_loosened"
    INVENTORY_REMOVED = "inventory_removed"
    # Beyond coverage, when the config or the workflow asks for them: the facts' kinds
    # (facts.new_failures) and the living index's.
    PORT_CONFLICT = "port_conflict"
    INCOMPLETE_DOCS = "incomplete_docs"
    INDEX_STALE = "index_stale"


@record(order=True, slots=True)
class Location:
    """A line in a file; `path` is relative to the audited root, with `/`.

    Line 0 stands for the whole file (a file name, a skipped file).
    """

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@record(slots=True)
class Diagnostic:
    """A warning about the input that did not stop the audit."""

    location: Location | None
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


# What a canonical reference holds in place of a tag the script does not let us know
# (`example/app:${TAG}` is `docker.io/example/app:?`): no tag has this name, and an
# image without a tag of its own would claim `latest`.
UNKNOWN_TAG = "?"
# What a canonical reference holds in place of a registry the script does not let us know
# (`${REGISTRY}/team/app:1` is `?/team/app:1`): no registry has this name.
UNKNOWN_DOMAIN = "?"


@record(slots=True)  # one per image listed, and per reference a source or doc gives
class ImageRef:
    """An image reference split by the distribution reference grammar.

    `tag_unknown`: the pull script names the repository, and its tag or digest only when
    it runs (`example/app:${TAG}`, `app@$(cat DIGEST)`). `tag` and `digest` are then
    None: the docs name an image by its repository, and nothing compares the tag.
    A `domain` of UNKNOWN_DOMAIN: the script names the image after a start that only
    running it tells (`${REGISTRY}/team/app:1`); `path` is what is known (`team/app`).
    """

    domain: str  # "docker.io", "ghcr.io", "localhost:5000"
    path: str  # "library/redis", "example/app-api-gateway"
    tag: str | None
    digest: str | None
    tag_unknown: bool = False

    @property
    def partly_unknown(self) -> bool:
        """Whether a part of the reference is not known: the script may use two images."""
        return self.tag_unknown or self.domain == UNKNOWN_DOMAIN

    @property
    def name(self) -> str:
        """The display name: the last path component."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def familiar_repository(self) -> str:
        """The repository as people write it: `redis`, `example/app`, `ghcr.io/o/app`;
        of a registry not known, its known path (`team/app`)."""
        if self.domain in ("docker.io", UNKNOWN_DOMAIN):
            return self.path.removeprefix("library/")
        return f"{self.domain}/{self.path}"

    @property
    def repository(self) -> str:
        """The repository in full: `docker.io/library/redis`."""
        return f"{self.domain}/{self.path}"

    @property
    def canonical(self) -> str:
        """The identity of an image: `docker.io/library/redis:latest`; one whose tag is
        not known is its repository's (`docker.io/example/app:?`, see UNKNOWN_TAG)."""
        if self.tag_unknown:
            return f"{self.domain}/{self.path}:{UNKNOWN_TAG}"
        tag = self.tag if self.tag is not None or self.digest is not None else "latest"
        text = f"{self.domain}/{self.path}"
        if tag is not None:
            text += f":{tag}"
        if self.digest is not None:
            text += f"@{self.digest}"
        return text


class SourceKind(StrEnum):
    """The kind of file an image of the inventory is read from."""

    PULL_SCRIPT = "pull-script"
    COMPOSE = "compose"
    DOCKERFILE = "dockerfile"
    KUBERNETES = "kubernetes"
    HELM_VALUES = "helm-values"
    LIST = "list"


class InventoryMode(StrEnum):
    """Which sources add images: only the pull scripts (the others add facts), or all."""

    PULL_SCRIPTS = "pull-scripts"
    ALL = "all"


@record(slots=True)
class ImageSource:
    """A place that names an image: the pull script's line, a compose file's, a manifest's."""

    location: Location
    kind: SourceKind
    # The reference as written there when a part of it is not known (`example/app:${TAG}`,
    # `${MIRROR}/team/app:1`): the place may name another tag, or another registry, than
    # the image's own. `tag_unknown`: the part not known holds its tag.
    written: str | None = None
    tag_unknown: bool = False


@record
class Image:
    """One image of the inventory, where the pull script lists it."""

    ref: str  # as written in the pull script, variables expanded
    parsed: ImageRef
    category: str | None
    source: Location
    # Every place that names it, `source` first: other pull-script lines, compose files...
    sources: tuple[ImageSource, ...] = ()

    @cached_property
    def key(self) -> str:
        """`parsed.canonical`, worked out once: the audit and the facts look it up for
        every piece of evidence."""
        return self.parsed.canonical

    @property
    def places(self) -> tuple[ImageSource, ...]:
        """Every place that names the image; at least the pull-script line it is listed on."""
        return self.sources or (ImageSource(self.source, SourceKind.PULL_SCRIPT),)

    @cached_property
    def name(self) -> str:
        """`parsed.name`, worked out once: names, terms and the facts read it again and again."""
        return self.parsed.name


@record(slots=True)
class Inventory:
    images: tuple[Image, ...]
    scripts: tuple[str, ...]
    warnings: tuple[Diagnostic, ...] = ()
    ports: tuple[PortFact, ...] = ()


@record(slots=True)
class Evidence:
    path: str
    line: int
    kind: Kind
    # The tag actually named (`app:v1.0`) when this is evidence for another tag of its repository.
    other_tag: str | None = None


@record(slots=True)
class Hit:
    """One mention of one image found in a doc by the scan."""

    image: str  # Image.key
    line: int
    kind: Kind
    other_tag: str | None = None  # see Evidence.other_tag
    # Whether the name stands as the subject of its place (the heading or table cell is the
    # name itself, a code span, a title, a file name). Only one-word names that are also
    # ordinary words need it: elsewhere they are read as a mere mention.
    subject: bool = True


@record(slots=True)
class DocScan:
    """What the scan found in one doc."""

    path: str
    hits: tuple[Hit, ...]

    @property
    def images(self) -> frozenset[str]:
        return frozenset(hit.image for hit in self.hits)


class PortSource(StrEnum):
    """Where a port of an image was read."""

    DOC = "doc"  # a doc that documents the image (a `Port:` line, a port column, `-p 8080:80`)
    COMPOSE = "compose"  # a compose file's `ports:` (a published host port)


@record(order=True, slots=True)
class Port:
    """A port an image uses, with the place that says so."""

    number: int
    protocol: str  # "tcp" unless the place says "udp" or "sctp"
    location: Location
    source: PortSource = PortSource.DOC


@record(slots=True)
class PortFact:
    """A port a source other than the docs gives an image: one input of the port check."""

    image: str  # Image.key
    port: Port


@record(slots=True)
class PortUse:
    """One image's claim on a port in a conflict: the image and where it is claimed."""

    image: str  # Image.ref, as written
    location: Location
    source: PortSource


@record(slots=True)
class PortConflict:
    """Images of different repositories that claim the same port."""

    number: int
    protocol: str
    claims: tuple[PortUse, ...]


@record(slots=True)
class AliasSuggestion:
    """A name a doc gives something not in the inventory, close to an image's name."""

    alias: str  # folded, words joined by `-`: the text to put under `aliases:`
    location: Location
    kind: Kind  # filename, title or heading


class OrphanKind(StrEnum):
    NO_IMAGE = "no_image"  # the doc names no image of the inventory
    UNKNOWN_IMAGE = "unknown_image"  # its file name or title names an image not in the inventory


@record(slots=True)
class OrphanDoc:
    path: str
    kind: OrphanKind
    name: str | None = None  # the image its subject names, for `unknown_image`
    line: int = 0  # where it names it (0: the file name)


@record(slots=True)
class Drift:
    """A doc that cites another tag of an image than the one pulled."""

    image: str  # Image.ref, as written
    cited: str  # the reference as the doc writes it (`example/app:1.3`)
    location: Location  # the doc's line
    source: Location  # the pull script's line


@record(slots=True)
class ImageResult:
    image: Image
    status: Status
    evidence: tuple[Evidence, ...]
    reason: str | None = None  # why it is ignored
    depth: Depth | None = None  # how it is documented; None unless documented
    ports: tuple[Port, ...] = ()
    # The share of `required-sections` its docs have, in percent; None without a rubric
    # or when the image is not documented.
    completeness: float | None = None
    missing_sections: tuple[str, ...] = ()
    alias_suggestions: tuple[AliasSuggestion, ...] = ()


def percent(part: int, whole: int) -> float:
    """`part` of `whole` in percent, to the one decimal every output shows and the gate
    compares: 100.0 and 0.0 only when exact (99.9 for 2,000 of 2,001, which `fail-under:
    100` must not pass), 100.0 of nothing."""
    if not whole:
        return 100.0
    shown = round(100.0 * part / whole, 1)
    if shown == 100.0 and part < whole:
        return 99.9
    if shown == 0.0 and part > 0:
        return 0.1
    return shown


@record(slots=True)
class Summary:
    """The counts of the whole inventory."""

    total: int
    documented: int
    mentioned: int
    missing: int
    ignored: int
    coverage: float
    dedicated: int = 0  # documented images whose depth is dedicated (or config)

    @property
    def counted(self) -> int:
        """The images coverage is computed over: all but the ignored ones."""
        return self.total - self.ignored

    @property
    def dedicated_coverage(self) -> float:
        """The share of counted images with a dedicated doc, in percent; 100 with none."""
        return percent(self.dedicated, self.counted)


@record(kw_only=True, slots=True)
class Group(Summary):
    """The counts of one category."""

    name: str


@record
class Report:
    summary: Summary
    groups: tuple[Group, ...]
    images: tuple[ImageResult, ...]
    index_docs: tuple[str, ...]
    docs: tuple[str, ...]
    scripts: tuple[str, ...]
    warnings: tuple[Diagnostic, ...] = field(default=())
    count_mentioned: bool = False
    orphan_docs: tuple[str, ...] = ()  # docs that name no image of the inventory
    detected_prefix: str | None = None  # the project prefix found in the names, if stripped
    require: Depth = Depth.SECTION  # the depth an image needs to count as documented
    # Docs that cannot be trusted about the inventory: naming no image, or a retired one.
    orphans: tuple[OrphanDoc, ...] = ()
    drift: tuple[Drift, ...] = ()
    port_conflicts: tuple[PortConflict, ...] = ()
    generated_docs: tuple[str, ...] = ()  # docs written by `index --write`: never evidence
    config_path: str | None = None  # the config file the audit followed, if any
    docs_folders: tuple[str, ...] = ()  # the folders scanned, as configured: where docs belong
