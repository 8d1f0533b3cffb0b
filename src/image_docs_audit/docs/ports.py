"""Ports: which image uses which port, who else claims it, and where sources disagree. Pure.

Ports come from the docs (`Port: 8080`, `port 8094`, `8500 (API/Consul)` under a
`## Ports` heading, a table's port column, `-p 8080:80`; see `outline.py`), each
given to the image whose place it stands in (see `scopes.py`), and from other
sources as `PortFact`s (a compose file's published ports). Every port keeps the
file and line that give it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..model import Diagnostic, Image, Location, Port, PortConflict, PortFact, PortSource, PortUse
from .outline import Outline
from .scopes import Scopes


def doc_ports(path: str, outline: Outline, scopes: Scopes) -> dict[str, list[Port]]:
    """Image.key -> the ports the doc at `path` gives it."""
    found: dict[str, list[Port]] = {}
    for mention in outline.ports:
        port = Port(mention.number, mention.protocol, Location(path, mention.line))
        for image in scopes.owners(mention.line):
            found.setdefault(image, []).append(port)
    return found


def merge_ports(
    by_doc: Iterable[Mapping[str, list[Port]]], facts: Iterable[PortFact]
) -> dict[str, tuple[Port, ...]]:
    """Image.key -> its ports from every doc and fact, sorted by number, then place."""
    merged: dict[str, set[Port]] = {}
    for found in by_doc:
        for image, ports in found.items():
            merged.setdefault(image, set()).update(ports)
    for fact in facts:
        merged.setdefault(fact.image, set()).add(fact.port)
    return {image: tuple(sorted(ports, key=_order)) for image, ports in merged.items()}


def _order(port: Port) -> tuple[int, str, str, int, str]:
    """`Port`'s own order (number, protocol, place, source) as one flat tuple: sorting by
    it spares building the dataclass's tuples at every comparison."""
    where = port.location
    return (port.number, port.protocol, where.path, where.line, port.source.value)


def conflicts(images: Sequence[Image], ports: Mapping[str, tuple[Port, ...]]) -> list[PortConflict]:
    """Ports claimed by images of more than one repository.

    Two tags of one repository (`app-base:python`, `app-base:java`) are one service in
    two builds: they may give the same port without a conflict.
    """
    # Claims as plain tuples first: most ports are nobody else's, and need no PortUse.
    claims: dict[tuple[int, str], dict[str, list[tuple[Image, Port]]]] = {}
    for image in images:
        repository = f"{image.parsed.domain}/{image.parsed.path}"
        for port in ports.get(image.key, ()):
            key = (port.number, port.protocol)
            by_repo = claims.get(key)
            if by_repo is None:
                by_repo = claims[key] = {}
            found = by_repo.get(repository)
            if found is None:
                by_repo[repository] = [(image, port)]
            else:
                found.append((image, port))
    return [
        PortConflict(
            number,
            protocol,
            tuple(
                PortUse(image.ref, port.location, port.source)
                for uses in by_repo.values()
                for image, port in uses
            ),
        )
        for (number, protocol), by_repo in sorted(claims.items())
        if len(by_repo) > 1
    ]


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
        for port in composed:
            if port.number not in numbers:
                said = ", ".join(f"{p.number} ({p.location})" for p in documented)
                message = (
                    f"{image.ref}: the compose file publishes port {port.number}, "
                    f"its docs give {said}"
                )
                notes.append(Diagnostic(port.location, message))
    return notes


def describe(port: Port) -> str:
    """`8080`, or `8600/udp` for another protocol than tcp."""
    return str(port.number) if port.protocol == "tcp" else f"{port.number}/{port.protocol}"
