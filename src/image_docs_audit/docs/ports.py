"""Ports: which image uses which port, who else claims it, and where sources disagree. Pure.

Ports come from the docs (`Port: 8080`, `port 8094`, `8500 (API/Consul)` under a
`## Ports` heading, a table's port column, `-p 8080:80`; see `outline.py`), each
given to the image whose place it stands in (see `scopes.py`), and from other
sources as `PortFact`s (a compose file's published ports). Every port keeps the
file and line that give it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from ..model import Diagnostic, Image, Location, Port, PortConflict, PortFact, PortSource, PortUse
from .outline import Outline
from .scopes import Scopes

# A port while it is gathered: `Port`'s fields in its order, the place flattened, the
# source as its value: (number, protocol, path, line, source). A project's docs give
# hundreds of thousands; as tuples they hash, merge and sort with no call each, and
# become `Port`s once. Holding plain values only, they are no work for the cyclic
# collector either.
PortKey = tuple[int, str, str, int, str]
_DOC: Final = PortSource.DOC.value
_SOURCE: Final = {source.value: source for source in PortSource}


# The most ports one doc gives its images (a port given to three images counts three
# times). A doc gives each port to every image its place is about: a heading naming
# 300 images above 20,000 port lines, 234 KB of a pull request's doc, made 6 million
# ports (2 GB). A port table of the 5,000 images an inventory may hold, two ports each,
# gives 10,000.
PORTS_PER_DOC = 20_000
# The most ports an audit's docs give, all docs together (20,000 generated docs give
# 418,000): a config entry may make a doc every image's own, each doc's ports then every
# image's, and 200 docs of ten `Port:` lines gave 2,000 images 4 million (1.7 GB).
PORTS_PER_AUDIT = 1_000_000


def doc_ports(
    path: str, outline: Outline, scopes: Scopes, most: int = PORTS_PER_DOC
) -> tuple[dict[str, list[PortKey]], int]:
    """Image.key -> the ports the doc at `path` gives it, `most` at most; and the line of
    the first port not given for that bound (0 when none is)."""
    found: dict[str, list[PortKey]] = {}
    owners = scopes.owners
    left = most
    for line, number, protocol in outline.ports.values():
        port = (number, protocol, path, line, _DOC)
        images = owners(line)
        left -= len(images)
        if left < 0:
            return found, line
        for image in images:
            ports = found.get(image)
            if ports is None:
                found[image] = [port]
            else:
                ports.append(port)
    return found, 0


def merge_ports(
    by_doc: Iterable[Mapping[str, list[PortKey]]], facts: Iterable[PortFact]
) -> dict[str, tuple[Port, ...]]:
    """Image.key -> its ports from every doc and fact, sorted by number, then place, each
    once. `by_doc`'s lists are taken over (`doc_ports` makes new ones)."""
    # Lists, not sets: a key holds its doc's path, so two docs never give the same one,
    # and a sorted list loses its repeats in one pass (a large tree's docs give hundreds
    # of thousands of keys, each hashed to go into a set).
    merged: dict[str, list[PortKey]] = {}
    for found in by_doc:
        for image, ports in found.items():
            known = merged.get(image)
            if known is None:
                merged[image] = ports
            else:
                known.extend(ports)
    for fact in facts:
        port = fact.port
        where = port.location
        key = (port.number, port.protocol, where.path, where.line, port.source.value)
        merged.setdefault(fact.image, []).append(key)
    # A key's order is `Port`'s own order (number, protocol, place, source). Each image's
    # keys go as soon as its ports are made: a large tree's docs give hundreds of thousands.
    made = {}
    for image in list(merged):
        keys = merged.pop(image)
        keys.sort()
        made[image] = tuple(
            Port(number, protocol, Location(path, line), _SOURCE[source])
            for number, protocol, path, line, source in _each_once(keys)
        )
    return made


def _each_once(keys: list[PortKey]) -> list[PortKey]:
    """Sorted `keys` without their repeats."""
    return [key for index, key in enumerate(keys) if not index or key != keys[index - 1]]


def conflicts(images: Sequence[Image], ports: Mapping[str, tuple[Port, ...]]) -> list[PortConflict]:
    """Ports claimed by images of more than one repository.

    Two tags of one repository (`app-base:python`, `app-base:java`) are one service in
    two builds: they may give the same port without a conflict.
    """
    given = [ports.get(image.key, ()) for image in images]
    # Claims as (image, port) positions first, in the order of the images: most ports
    # are nobody else's, and need neither a PortUse nor a list per repository; pairs of
    # ints are no work for the cyclic collector either.
    claims: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for position, found in enumerate(given):
        for index, port in enumerate(found):
            key = (port.number, port.protocol)
            known = claims.get(key)
            if known is None:
                claims[key] = [(position, index)]
            else:
                known.append((position, index))
    repositories = [f"{image.parsed.domain}/{image.parsed.path}" for image in images]
    counts = Counter(repositories)
    tagged = [counts[repository] > 1 for repository in repositories]  # another tag is listed
    return [
        PortConflict(number, protocol, _uses(found, images, given, repositories, tagged))
        for (number, protocol), found in sorted(claims.items())
        if _shared(found, repositories)
    ]


def _shared(claims: list[tuple[int, int]], repositories: Sequence[str]) -> bool:
    """Whether images of more than one repository make the claims."""
    first = repositories[claims[0][0]]
    return any(repositories[position] != first for position, _ in claims)


def _uses(
    claims: list[tuple[int, int]],
    images: Sequence[Image],
    given: Sequence[tuple[Port, ...]],
    repositories: Sequence[str],
    tagged: Sequence[bool],
) -> tuple[PortUse, ...]:
    """The claims on one port, a repository's together, in the order repositories come."""
    # The claims come in the order of the images: a repository's are together already,
    # unless the inventory lists another tag of it.
    if any(tagged[position] for position, _ in claims):
        by_repo: dict[str, list[tuple[int, int]]] = {}
        for position, index in claims:
            by_repo.setdefault(repositories[position], []).append((position, index))
        claims = [claim for found in by_repo.values() for claim in found]
    uses = []
    for position, index in claims:
        port = given[position][index]
        uses.append(PortUse(images[position].ref, port.location, port.source))
    return tuple(uses)


def disagreements(
    images: Sequence[Image], ports: Mapping[str, tuple[Port, ...]]
) -> list[Diagnostic]:
    """A warning for each image whose compose ports and doc ports differ (both given)."""
    notes = []
    for image in images:
        given = ports.get(image.key, ())
        composed = [p for p in given if p.source is PortSource.COMPOSE]
        documented = [p for p in given if p.source is PortSource.DOC]
        if not composed or not documented:
            continue
        numbers = {p.number for p in documented}
        said = _listed(documented)
        for port in composed:
            if port.number not in numbers:
                message = (
                    f"{image.ref}: the compose file publishes port {port.number}, "
                    f"its docs give {said}"
                )
                notes.append(Diagnostic(port.location, message))
    return notes


# The doc ports a disagreement names, then how many more: each of an image's compose
# ports may disagree with each of its doc ports, and a pull request may give thousands.
_LISTED: Final = 6


def _listed(ports: Sequence[Port]) -> str:
    """`80 (docs/a.md:3), 8080 (docs/b.md:9)`: the first `_LISTED` and how many more."""
    shown = ", ".join(f"{p.number} ({p.location})" for p in ports[:_LISTED])
    more = len(ports) - _LISTED
    return f"{shown}, and {more} more" if more > 0 else shown


def describe(port: Port) -> str:
    """`8080`, or `8600/udp` for another protocol than tcp."""
    return str(port.number) if port.protocol == "tcp" else f"{port.number}/{port.protocol}"
