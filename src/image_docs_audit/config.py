"""Settings: the config file, command line options and action inputs, as one frozen object."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator, Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import Protocol

from .errors import InputError
from .model import Depth, InventoryMode, Location, SourceKind
from .policy import Policy
from .records import record
from .worktree import LinkedIntoVcsError, LinkedOutsideError

CONFIG_PATH = ".github/image-docs-audit.yml"

# Where pull scripts are looked for when neither the config nor the command line names one.
DEFAULT_PULL_SCRIPTS = ("**/pull-images.sh", "**/pull_images.sh", "**/pull-images.bash")
DEFAULT_DOCS = ("docs",)


@record
class InventoryEntry:
    """Files of one kind that name images besides the pull scripts."""

    kind: SourceKind
    paths: tuple[str, ...]  # globs, relative to the root


# Where the other sources are looked for when the config does not say: the names
# compose, Docker, Kubernetes and Helm give their files by default.
DEFAULT_INVENTORY = (
    InventoryEntry(
        SourceKind.COMPOSE,
        (
            "**/docker-compose.yml",
            "**/docker-compose.yaml",
            "**/docker-compose.*.yml",
            "**/docker-compose.*.yaml",
            "**/compose.yml",
            "**/compose.yaml",
        ),
    ),
    InventoryEntry(
        SourceKind.DOCKERFILE,
        ("**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/Containerfile"),
    ),
    InventoryEntry(
        SourceKind.KUBERNETES,
        tuple(
            f"**/{folder}/**/*.{suffix}"
            for folder in ("k8s", "kubernetes", "manifests")
            for suffix in ("yaml", "yml")
        ),
    ),
    InventoryEntry(
        SourceKind.HELM_VALUES,
        ("**/values.yaml", "**/values.yml", "**/values-*.yaml", "**/values-*.yml"),
    ),
    InventoryEntry(SourceKind.LIST, ("**/images.txt", "**/images.list")),
)


@record
class IgnoreRule:
    """Images matching `selector` are `ignored`, for `reason`."""

    selector: str
    reason: str
    source: Location | None = None


@record
class AuditSettings:
    """Everything the audit needs to know besides the files themselves.

    Image selectors (the keys of `aliases` and `documentation`, `IgnoreRule.selector`)
    match an image by its reference as written, its canonical reference, its
    repository or its name, exactly or as a shell glob (see `selector.py`).
    """

    pull_scripts: tuple[str, ...] = DEFAULT_PULL_SCRIPTS
    docs: tuple[str, ...] = DEFAULT_DOCS
    exclude: tuple[str, ...] = ()
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    documentation: tuple[tuple[str, tuple[str, ...]], ...] = ()
    ignore: tuple[IgnoreRule, ...] = ()
    # The prefixes to strip from names; None detects the project prefix, () strips none.
    strip_prefix: tuple[str, ...] | None = None
    require: Depth = Depth.SECTION  # the depth that makes an image documented
    count_mentioned: bool = False
    policy: Policy = field(default_factory=Policy)  # fail-under and max-drop
    # The doc-quality rubric: sections every documented image's docs should have (none: off),
    # and the completeness (percent) each documented image must reach (None: no gate).
    required_sections: tuple[str, ...] = ()
    min_completeness: float | None = None
    fail_on_port_conflict: bool = False  # two images on one port fail the gate, not just warn
    # The other files that name images, and whether they add images or only facts.
    inventory: tuple[InventoryEntry, ...] = DEFAULT_INVENTORY
    inventory_mode: InventoryMode = InventoryMode.PULL_SCRIPTS
    config_path: str | None = None  # the config file these came from, relative to the root


# Anything bigger is not a hand-written config, and would only make the parser slow.
MAX_CONFIG_SIZE = 1 << 20


def parse_config(text: str, path: str) -> AuditSettings:
    """The settings written in `text`, a config file called `path` in messages."""
    # The YAML reader is imported only when there is a config file to read: most runs
    # have none, and PyYAML's import is an eighth of the start-up.
    from .configfile import parse_config as parse  # noqa: PLC0415

    return parse(text, path)


def read_config(root: Path, explicit: str | None) -> AuditSettings:
    """The settings of the config file `explicit` (relative to `root`), or else of
    `root/CONFIG_PATH` when there is one, or else the defaults."""
    # Action inputs that were not set arrive as empty strings.
    path = root / (explicit or CONFIG_PATH)
    name = _relative_name(root, path)
    _require_inside(root, path, explicit or CONFIG_PATH)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_CONFIG_SIZE + 1)
    except (FileNotFoundError, NotADirectoryError):
        if not explicit:
            return AuditSettings()
        raise InputError(
            explicit, "config file not found; check --config or the 'config' input"
        ) from None
    except OSError as err:
        raise InputError(name, f"cannot read the config file ({err.strerror})") from err
    if len(data) > MAX_CONFIG_SIZE:
        raise too_large(name)
    return parse_config(_decode(data, name), name)


def _require_inside(root: Path, path: Path, shown: str) -> None:
    """The config is read with the guard docs and scripts get: a path in the root must not
    lead out of it through a symlink (the repository's content, maybe a fork's).

    A path the user names outside the root (`--config ../shared.yml`) is theirs to give.
    The message is the same whether the place outside exists or not, and says nothing of
    what is there: a fork's symlink must not learn the runner's files.
    """
    if not Path(os.path.abspath(path)).is_relative_to(os.path.abspath(root)):
        return
    inside = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(inside):
        raise InputError(shown, _LINKED_OUT)
    if ".git" in real.relative_to(inside).parts:  # the checkout's own files, its token
        raise InputError(shown, _LINKED_INTO_GIT)


_LINKED_OUT = (
    "the config file is a symlink that leads out of the audited root, or lies in a "
    "folder that does; make it a regular file in the repository"
)
_LINKED_INTO_GIT = (
    "the config file is a symlink into a version control folder (.git), which is never "
    "read; make it a regular file in the repository"
)


def config_at(tree: FileSource, explicit: str | None, *, required: bool = True) -> AuditSettings:
    """The settings of the config file in `tree` (a commit), as `read_config` reads a folder.

    `required=False` reads a base commit, which may predate the config file. The file
    is found through symlinks as on disk, and refused where `read_config` refuses it.
    """
    name = (explicit or CONFIG_PATH).removeprefix("./")
    try:
        data = tree.read(name)
    except LinkedOutsideError:
        raise InputError(explicit or CONFIG_PATH, _LINKED_OUT) from None
    except LinkedIntoVcsError:
        raise InputError(explicit or CONFIG_PATH, _LINKED_INTO_GIT) from None
    except (FileNotFoundError, NotADirectoryError):
        if not explicit or not required:
            return AuditSettings()
        raise InputError(
            explicit, "config file not found in the commit to check; check --config"
        ) from None
    except OSError as err:  # a folder
        raise InputError(name, f"cannot read the config file ({err.strerror})") from err
    if len(data) > MAX_CONFIG_SIZE:
        raise too_large(name)
    return parse_config(_decode(data, name), name)


def base_config_at(tree: FileSource, explicit: str | None) -> AuditSettings | None:
    """The config of a base commit, which may predate it; None when it is broken there.

    A base's broken config is no reason to stop a check: it only means the
    change's config edit cannot be judged against it. That holds for a config this
    version's reader trips on, too: the head's config goes through the same reader,
    so a flaw there still shows where it matters.
    """
    try:
        return config_at(tree, explicit, required=False)
    except Exception:  # any damage, as an InputError: see above
        return None


def same_rules(one: AuditSettings, other: AuditSettings) -> bool:
    """Whether two settings audit alike: where a rule stands in its file does not matter."""

    def rules(settings: AuditSettings) -> AuditSettings:
        unplaced = tuple(IgnoreRule(rule.selector, rule.reason) for rule in settings.ignore)
        return replace(settings, ignore=unplaced)

    return rules(one) == rules(other)


class FileSource(Protocol):
    """What `config_at` needs of a tree (see worktree.Tree)."""

    def files(self) -> Iterator[str]: ...

    def read(self, path: str) -> bytes: ...


def with_overrides(
    settings: AuditSettings,
    *,
    pull_scripts: Sequence[str] = (),
    docs: Sequence[str] = (),
    exclude: Sequence[str] = (),
    fail_under: float | None = None,
    max_drop: float | None = None,
) -> AuditSettings:
    """`settings` with the command line's values: scripts and docs replace the
    config's, excludes add to them, numbers replace them."""
    added = tuple(glob for glob in _items(exclude) if glob not in settings.exclude)
    return replace(
        settings,
        pull_scripts=_items(pull_scripts) or settings.pull_scripts,
        docs=_items(docs) or settings.docs,
        exclude=settings.exclude + tuple(dict.fromkeys(added)),
        policy=Policy(
            settings.policy.fail_under if fail_under is None else float(fail_under),
            settings.policy.max_drop if max_drop is None else float(max_drop),
        ),
    )


def _items(values: Sequence[str]) -> tuple[str, ...]:
    # A lone string is one value, not a sequence of characters.
    return (values,) if isinstance(values, str) else tuple(values)


def _relative_name(root: Path, path: Path) -> str:
    full = Path(os.path.abspath(path))
    try:
        return full.relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return str(full)


def _decode(data: bytes, name: str) -> str:
    # Not "utf-8-sig": its error offsets do not count the BOM, and the line would be off.
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(f"{name}:{line}", "not valid UTF-8; save the config as UTF-8") from err


def too_large(name: str) -> InputError:
    return InputError(name, "the config is larger than 1 MiB; it should be a short YAML file")


@record
class Overrides:
    """What the command line or the action's inputs put over the config."""

    pull_scripts: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_under: float | None = None
    max_drop: float | None = None

    def apply(self, settings: AuditSettings) -> AuditSettings:
        return with_overrides(
            settings,
            pull_scripts=self.pull_scripts,
            docs=self.docs,
            exclude=self.exclude,
            fail_under=self.fail_under,
            max_drop=self.max_drop,
        )
