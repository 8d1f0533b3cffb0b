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
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"


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
        "sources": [
            {"path": place.location.path, "line": place.location.line, "kind": place.kind.value}
            for place in image.places
        ],
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
