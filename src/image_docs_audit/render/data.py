"""The JSON contract: users script against these names, so they only ever grow."""

from __future__ import annotations

import json

from ..model import Diagnostic, Evidence, ImageResult, Report, Summary

SCHEMA_VERSION = 1


def report_to_dict(report: Report) -> dict[str, object]:
    """`report` as plain JSON values, in the order the keys are documented."""
    return {
        "schema_version": SCHEMA_VERSION,
        "summary": _counts(report.summary),
        "groups": [{"name": group.name, **_counts(group)} for group in report.groups],
        "images": [_image(result) for result in report.images],
        "index_docs": list(report.index_docs),
        "warnings": [_warning(warning) for warning in report.warnings],
        "docs": list(report.docs),
        "scripts": list(report.scripts),
        "count_mentioned": report.count_mentioned,
        "detected_prefix": report.detected_prefix,
        "require": report.require.value,
    }


def render_json(report: Report) -> str:
    return dumps_indented(report_to_dict(report)) + "\n"


def dumps_indented(value: object) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, by orjson where it writes the same.

    orjson writes the same bytes about 20 times faster for the values of a report:
    strings, ints, and floats that are percentages rounded to 0.1 (never written
    with an exponent, where the two differ). It refuses what json takes: lone
    surrogates (an undecodable file name) and ints beyond 64 bits; json writes those.
    """
    try:
        import orjson  # noqa: PLC0415  (optional: the json module is the fallback)
    except ImportError:  # pragma: no cover - orjson has wheels for every platform we ship
        return json.dumps(value, indent=2, ensure_ascii=False)
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value, indent=2, ensure_ascii=False)


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
        "evidence": [_evidence(item) for item in result.evidence],
    }


def _evidence(item: Evidence) -> dict[str, object]:
    found: dict[str, object] = {"path": item.path, "line": item.line, "kind": item.kind.value}
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
