"""Images of a docker-compose file: `services.*.image`, with its variables and ports.

`image: ${REGISTRY:-ghcr.io/acme}/api:${TAG}` is interpolated the way compose
does it, from the `.env` file beside the compose file and the defaults written
in place; a variable set nowhere gives a warning. A service with `build:` and
no `image:` is named as compose names the image it builds: `<project>-<service>`,
the project being the compose file's folder.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import yaml

from ..lazy_pattern import LazyPattern
from ..model import Diagnostic, Location
from ..records import record
from .interpolate import image_candidate, interpolate
from .sources import Candidate, PortClaim, SourceImages, SourceKind, file_lines
from .yamlnodes import Walker, WalkLimitError, documents, error_line, scalar

_PROJECT_RE = LazyPattern(r"[^a-z0-9_-]")


def read_compose(path: str, data: bytes, env: bytes | None = None) -> SourceImages:
    """The images of the compose file `path`; `env` is the `.env` file beside it, if any."""
    reader = _read(path, data, env)
    return SourceImages(
        path, tuple(reader.found), tuple(reader.warnings), SourceKind.COMPOSE, tuple(reader.ports)
    )


@record
class Service:
    """A service `docker compose pull` may pull: its name, image and profiles."""

    name: str
    image: Candidate
    profiles: frozenset[str]  # none: pulled whatever the profiles enabled


def pulled_images(
    path: str, data: bytes, env: bytes | None = None, shell: Mapping[str, str] | None = None
) -> tuple[list[Service], list[tuple[str | None, Diagnostic]]]:
    """What `docker compose pull` may pull from the compose file `path`: each service's
    `image:` (a service that is only built pulls nothing), and the warnings of reading
    it, each with its service (None: the file's own). `shell`: the variables the
    command's environment gives, which win over the `.env` file's."""
    reader = _read(path, data, env, shell or {})
    found = zip(reader.names, reader.found, reader.built, reader.profiles, strict=True)
    pulled = [Service(name, c, profiles) for name, (c, _), built, profiles in found if not built]
    return pulled, [(reader.warned.get(index), w) for index, w in enumerate(reader.warnings)]


def _read(
    path: str, data: bytes, env: bytes | None, shell: Mapping[str, str] | None = None
) -> _Compose:
    reader = _Compose(path, {**parse_env(env or b""), **(shell or {})})
    try:
        for document in documents(data):
            reader.document(document)
    except yaml.YAMLError as error:
        reader.warn(error_line(error), "not valid YAML; its images are not read")
    except WalkLimitError:
        reader.warn(1, "the compose file is too large or intricate to read; its images are unread")
    return reader


def parse_env(data: bytes) -> dict[str, str]:
    """`KEY=value` lines of a `.env` file; quotes around a value are removed."""
    values: dict[str, str] = {}
    for raw in file_lines(data.decode("utf-8", "replace")):
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key.strip()] = value
    return values


class _Compose:
    def __init__(self, path: str, env: dict[str, str]) -> None:
        self.path = path
        self.env = env
        self.walk = Walker()
        self.found: list[tuple[Candidate, str | None]] = []
        self.names: list[str] = []  # the service of each of `found`
        self.built: list[bool] = []  # whether it is only built (no `image:`)
        self.profiles: list[frozenset[str]] = []  # the profiles that enable it
        self.warned: dict[int, str] = {}  # the index of a warning -> the service it is about
        self.ports: list[PortClaim] = []
        self.warnings: list[Diagnostic] = []
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        self.project = _PROJECT_RE.sub("", folder.rsplit("/", 1)[-1].lower()) or "project"

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Diagnostic(Location(self.path, line), message))

    def document(self, root: yaml.Node) -> None:
        services = self.walk.get(root, "services")
        for name, key, service in self.walk.pairs(services) if services is not None else ():
            self.service(name, key.start_mark.line + 1, service)

    def service(self, name: str, line: int, service: yaml.Node) -> None:
        said = len(self.warnings)
        self.read_service(name, line, service)
        self.warned.update((index, name) for index in range(said, len(self.warnings)))

    def read_service(self, name: str, line: int, service: yaml.Node) -> None:
        image = scalar(self.walk.get(service, "image"))
        candidate: Candidate | None
        if image is not None:
            candidate = self.candidate(image.value, image.line)
        elif self.walk.get(service, "build") is not None:
            built = f"{self.project}-{_PROJECT_RE.sub('', name.lower())}"  # built, not pulled
            candidate = Candidate(built, line)
        else:
            return
        if candidate is None:
            return
        self.found.append((candidate, None))
        self.names.append(name)
        self.built.append(image is None)
        listed = self.walk.get(service, "profiles")
        names = (scalar(item) for item in self.walk.items(listed)) if listed is not None else ()
        self.profiles.append(frozenset(item.value for item in names if item is not None))
        for port, protocol, port_line in self.host_ports(self.walk.get(service, "ports")):
            self.ports.append(PortClaim(candidate, port, port_line, protocol))

    def candidate(self, value: str, line: int) -> Candidate | None:
        """The image of `image: VALUE` as compose expands it (see `image_candidate`); None,
        with a warning, when a variable set nowhere may stand in its name."""
        found = image_candidate(value, line, self.env.get, dollar_escape=True)
        if isinstance(found, str):
            self.warn_unset(line, found)
            return None
        return found

    def expand(self, value: str, line: int) -> str | None:
        """`${VAR:-default}` as compose reads it; None (with a warning) when a variable is unset."""
        result, missing = interpolate(value, self.env.get, dollar_escape=True)
        if missing is not None:
            self.warn_unset(line, missing)
            return None
        return result

    def warn_unset(self, line: int, missing: str) -> None:
        message = (
            f"cannot know the value of {missing}: it is set neither in the .env file "
            "beside the compose file nor with a default; the image is not audited"
        )
        self.warn(line, message)

    def host_ports(self, ports: yaml.Node | None) -> Iterator[tuple[int, str, int]]:
        """The published host ports of `ports:` (short `"8080:80/udp"` or long `published:`),
        each with its protocol and line."""
        for item in self.walk.items(ports) if ports is not None else ():
            long_form = isinstance(item, yaml.MappingNode)
            published = scalar(self.walk.get(item, "published")) if long_form else None
            entry = published or scalar(item)
            if entry is None:
                continue
            text = self.expand(entry.value, entry.line) if "$" in entry.value else entry.value
            port = _host_port(text or "", long_form=published is not None)
            if port is not None:
                yield port, self.protocol(item, text or ""), entry.line

    def protocol(self, item: yaml.Node, text: str) -> str:
        if isinstance(item, yaml.MappingNode):
            written = scalar(self.walk.get(item, "protocol"))
            return written.value.lower() if written is not None else "tcp"
        return text.rsplit("/", 1)[1].lower() if "/" in text else "tcp"


def _host_port(text: str, long_form: bool) -> int | None:
    """`8080:80`, `127.0.0.1:8080:80/tcp` -> 8080; a lone container port publishes none."""
    spec = text.split("/", 1)[0]
    parts = spec.rsplit(":", 2) if not long_form else [spec, ""]
    if len(parts) < 2:
        return None
    host = parts[-2] if not long_form else parts[0]
    host = host.split("-", 1)[0]  # a range publishes its first port here
    return int(host) if host.isdigit() and 0 < int(host) < 65536 else None
