"""The JSON contract: users script against these names, so they only ever grow."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import TypeVar

from ..model import (
    AliasSuggestion,
    Diagnostic,
    Drift,
    Evidence,
    ImageResult,
    ImageSource,
    Kind,
    Location,
    OrphanDoc,
    Port,
    PortConflict,
    PortSource,
    Report,
    Summary,
)
from ..records import record

SCHEMA_VERSION = 1

# An enum's `.value` is a descriptor call; a report has a million pieces of evidence
# and ports, each written with its kind or source looked up here instead.
_KIND = {kind: kind.value for kind in Kind}
_SOURCE = {source: source.value for source in PortSource}


@record
class Streamed:
    """A list the writer converts and writes a few elements at a time (see `json_pieces`).

    `per_piece` elements are encoded together. An image with its evidence and ports is
    up to a few hundred KB of JSON: one at a time, so that no piece of several MB (its
    dicts, its bytes and its text at once) raises a large audit's peak memory.
    """

    items: Iterable[object]
    per_piece: int = 32


def report_to_dict(report: Report) -> dict[str, object]:
    """`report` as plain JSON values, in the order the keys are documented."""
    return materialized(report_fields(report))


def materialized(fields: Mapping[str, object]) -> dict[str, object]:
    """`fields` with every `Streamed` list converted whole: plain JSON values."""
    return {
        key: list(value.items) if isinstance(value, Streamed) else value
        for key, value in fields.items()
    }


def report_fields(report: Report) -> dict[str, object]:
    """`report_to_dict`, with its two long lists (the images with their evidence, and the
    warnings) left to be converted as they are written."""
    return {
        "schema_version": SCHEMA_VERSION,
        "summary": _counts(report.summary),
        "groups": [{"name": group.name, **_counts(group)} for group in report.groups],
        "images": Streamed(map(_image, report.images), per_piece=1),
        "index_docs": list(report.index_docs),
        "warnings": Streamed(map(_warning, report.warnings)),
        "docs": list(report.docs),
        "scripts": list(report.scripts),
        "count_mentioned": report.count_mentioned,
        "detected_prefix": report.detected_prefix,
        "require": report.require.value,
        "orphan_docs": [_orphan(orphan) for orphan in report.orphans],
        "drift": Streamed(map(_drift, report.drift)),
        "port_conflicts": Streamed(map(_conflict, report.port_conflicts), per_piece=4),
        "generated_docs": list(report.generated_docs),
    }


def render_json(report: Report) -> str:
    return "".join(json_pieces(report_fields(report)))


def report_json_bytes(report: Report) -> Iterator[bytes]:
    """`render_json(report)` in UTF-8 pieces (see `json_bytes`): a large report is never
    whole in memory, neither as JSON values nor as text."""
    return json_bytes(report_fields(report))


def json_pieces(value: Mapping[str, object]) -> Iterator[str]:
    """`dumps_indented(value) + "\n"` in pieces, a `Streamed` list a few elements at a time.

    A few elements are encoded together as a member of an object, `{"": [...]}`: the
    encoder then writes them at their depth in the report, and the piece is what comes
    between the list's brackets. Any other member is indented to its depth after it is
    encoded: JSON escapes a newline in a string, so each newline of its text is one
    between its lines.
    """
    return _pieces(value, _elements, _same)


def json_bytes(value: Mapping[str, object]) -> Iterator[bytes]:
    """`json_pieces(value)` encoded as UTF-8 (a lone surrogate, from an undecodable file
    name, as `?`, as stdout and `write_file` write it): what a report is written as.
    orjson's bytes go out as they are, not decoded into text to be encoded again (0.3 s
    of the 150 MB report of a 20,000-doc tree)."""
    return _pieces(value, _element_bytes, _utf8)


Piece = TypeVar("Piece", str, bytes)


def _pieces(
    value: Mapping[str, object],
    elements: Callable[[list[object]], Piece],
    text: Callable[[str], Piece],
) -> Iterator[Piece]:
    """`json_pieces` with the elements of a chunk as `elements` writes them and any other
    text as `text` makes it."""
    yield text("{")
    for index, (key, member) in enumerate(value.items()):
        yield text(("\n" if index == 0 else ",\n") + f"  {dumps_indented(key)}: ")
        if not isinstance(member, Streamed):
            yield text(dumps_indented(member).replace("\n", "\n  "))
            continue
        opened = False
        for chunk in _chunks(member.items, member.per_piece):
            yield text("[\n    " if not opened else ",\n    ")
            yield elements(chunk)
            opened = True
        yield text("\n  ]" if opened else "[]")
    yield text("\n}\n" if value else "}\n")


def _same(text: str) -> str:
    return text


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "replace")


# `{"": [...]}` written with an indent of 2: what stands before the first element and
# after the last.
_OPENING = len('{\n  "": [\n    ')
_CLOSING = -len("\n  ]\n}")


def _chunks(items: Iterable[object], size: int) -> Iterator[list[object]]:
    """`items` in lists of `size`, read once."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _elements(chunk: list[object]) -> str:
    """`dumps_indented({"": chunk})` between the list's brackets: the elements at their
    depth in the report. Cut from orjson's bytes before they are decoded, so that a
    piece of many MB (a port every image claims) stands in memory twice, not four times."""
    data = _orjson_indented({"": chunk})
    if data is None:
        return dumps_indented({"": chunk})[_OPENING:_CLOSING]
    # The text around the elements is ASCII: as many bytes as characters.
    return str(memoryview(data)[_OPENING : len(data) + _CLOSING], "utf-8")


def _element_bytes(chunk: list[object]) -> bytes:
    """`_elements(chunk)` as `json_bytes` writes it."""
    data = _orjson_indented({"": chunk})
    if data is None:
        return _utf8(dumps_indented({"": chunk})[_OPENING:_CLOSING])
    return data[_OPENING : len(data) + _CLOSING]


def dumps_indented(value: object) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, by orjson where it writes the same.

    orjson writes the same bytes about 20 times faster for the values of a report:
    strings, ints, and floats that are percentages rounded to 0.1 (never written
    with an exponent, where the two differ). It refuses what json takes: lone
    surrogates (an undecodable file name) and ints beyond 64 bits; json writes those.
    """
    data = _orjson_indented(value)
    if data is None:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return data.decode("utf-8")


def _orjson_indented(value: object) -> bytes | None:
    """`value` indented by orjson; None where orjson is missing or refuses it."""
    try:
        import orjson  # noqa: PLC0415  (optional: the json module is the fallback)
    except ImportError:  # pragma: no cover - orjson has wheels for every platform we ship
        return None
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:  # orjson.JSONEncodeError is one
        return None


def _counts(counts: Summary) -> dict[str, object]:
    return {
        "total": counts.total,
        "documented": counts.documented,
        "mentioned": counts.mentioned,
        "missing": counts.missing,
        "ignored": counts.ignored,
        "coverage": round(counts.coverage, 1),
        "dedicated": counts.dedicated,
        "dedicated_coverage": round(counts.dedicated_coverage, 1),
    }


def _image(result: ImageResult) -> dict[str, object]:
    image = result.image
    return {
        "ref": image.ref,
        "canonical": image.key,
        "name": image.name,
        "category": image.category,
        "status": result.status.value,
        "depth": result.depth.value if result.depth else None,
        "reason": result.reason,
        "source": {"path": image.source.path, "line": image.source.line},
        "sources": [_source(place) for place in image.places],
        "evidence": [_evidence(item) for item in result.evidence],
        "ports": [_port(port) for port in result.ports],
        "completeness": None if result.completeness is None else round(result.completeness, 1),
        "missing_sections": list(result.missing_sections),
        "alias_suggestions": [_suggestion(item) for item in result.alias_suggestions],
    }


def _source(place: ImageSource) -> dict[str, object]:
    where = place.location
    found: dict[str, object] = {"path": where.path, "line": where.line, "kind": place.kind.value}
    if place.written is not None:  # only then: the place names another text than `ref`
        found["ref"] = place.written
    return found


def _at(location: Location) -> dict[str, object]:
    return {"path": location.path, "line": location.line}


def _port(port: Port) -> dict[str, object]:
    where = port.location
    return {
        "port": port.number,
        "protocol": port.protocol,
        "source": _SOURCE[port.source],
        "path": where.path,
        "line": where.line,
    }


def _suggestion(item: AliasSuggestion) -> dict[str, object]:
    return {"alias": item.alias, "kind": item.kind.value, **_at(item.location)}


def _orphan(orphan: OrphanDoc) -> dict[str, object]:
    return {
        "path": orphan.path,
        "line": orphan.line,
        "kind": orphan.kind.value,
        "name": orphan.name,
    }


def _drift(item: Drift) -> dict[str, object]:
    return {
        "image": item.image,
        "cited": item.cited,
        **_at(item.location),
        "source": _at(item.source),
    }


def _conflict(conflict: PortConflict) -> dict[str, object]:
    return {
        "port": conflict.number,
        "protocol": conflict.protocol,
        "claims": [
            {
                "image": use.image,
                "source": _SOURCE[use.source],
                "path": use.location.path,
                "line": use.location.line,
            }
            for use in conflict.claims
        ],
    }


def _evidence(item: Evidence) -> dict[str, object]:
    found: dict[str, object] = {"path": item.path, "line": item.line, "kind": _KIND[item.kind]}
    if item.other_tag is not None:  # only then: evidence for the image's own tag stays as it was
        found["other_tag"] = item.other_tag
    return found


def _warning(warning: Diagnostic) -> dict[str, object]:
    location = warning.location
    return {
        "path": location.path if location else None,
        "line": location.line if location else None,
        "message": warning.message,
    }
