"""SARIF 2.1.0 for code scanning: one rule per kind of finding, one result per finding.

Code scanning keeps SARIF results on the pull request and the repository, where the
runner's annotations stop at 10 errors a step. A result stands on the pull-script line
that lists its image (or on the doc, for a warning about a doc); a result with no place
of its own (a coverage finding, a setting) stands on the first pull script, because
GitHub refuses results without a location.

Warnings carry no kind of their own, so their rule is chosen by where they stand: the
pull script, the config (a YAML file), another file (a doc, a skipped link), or nowhere
(a setting, such as a docs folder without Markdown).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

from .. import HOMEPAGE, __version__
from ..gate import Finding, Verdict
from ..model import Diagnostic, ImageResult, Location, RegressionKind, Report, Status
from ..records import record
from ..selector import is_markdown
from .check import CheckRefs
from .escape import md_url, plain, utf8_bytes

Level = Literal["error", "warning", "note"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL = "image-docs-audit"
FINGERPRINT = "imageDocsAudit/v1"


@record
class Rule:
    id: str  # the kind, as the JSON report spells it
    name: str
    summary: str
    help: str  # what to do about it
    level: Level


_ADD_DOCS = (
    "Write a doc whose file name or title names the image, or give it a heading, a table row "
    "or a list item in an existing doc; or ignore it in the config with a reason."
)
RULES: tuple[Rule, ...] = (
    Rule(
        RegressionKind.NEW_UNDOCUMENTED,
        "NewImageWithoutDocumentation",
        "An image the change adds to the pull script has no documentation.",
        _ADD_DOCS,
        "error",
    ),
    Rule(
        RegressionKind.NEWLY_MISSING,
        "ImageLostItsDocumentation",
        "An image documented at the base is not documented at the head.",
        "Restore the doc or the lines that named the image, or document it elsewhere.",
        "error",
    ),
    Rule(
        RegressionKind.COVERAGE_DROP,
        "CoverageDrop",
        "Documentation coverage fell by more than the allowed points.",
        "Document the images the change leaves undocumented, or raise max-drop on purpose.",
        "error",
    ),
    Rule(
        RegressionKind.BELOW_THRESHOLD,
        "CoverageBelowThreshold",
        "Documentation coverage is below fail-under.",
        "Document the missing images until coverage reaches fail-under.",
        "error",
    ),
    Rule(
        Status.MISSING, "UndocumentedImage", "An image has no documentation.", _ADD_DOCS, "warning"
    ),
    Rule(
        Status.MENTIONED,
        "ImageOnlyMentioned",
        "An image is only mentioned (in body text or code), not documented.",
        _ADD_DOCS,
        "note",
    ),
    Rule(
        "orphan_doc",
        "DocNamesNoImage",
        "A doc the change adds or edits names no image of the pull scripts.",
        "Name the image the doc is about in its title or file name, or add the image to the "
        "pull script; an image renamed since needs an alias in the config.",
        "warning",
    ),
    Rule(
        "pull_script_warning",
        "PullScriptWarning",
        "The pull script has a line the reader could not follow to an image.",
        "Read the message: write the image reference out, or list it in the config.",
        "warning",
    ),
    Rule(
        "config_warning",
        "ConfigWarning",
        "The config names something that does not exist (an image, a doc).",
        "Fix or remove the entry the message names.",
        "warning",
    ),
    Rule(
        "file_warning",
        "FileWarning",
        "A doc was skipped or read in part, or disagrees with the inventory (a tag, a port).",
        "Read the message: fix the doc, or the place it disagrees with.",
        "warning",
    ),
    Rule(
        "source_warning",
        "SourceWarning",
        "Another file that names images (compose, Dockerfile, manifest, list) could not be "
        "read fully, or disagrees with the docs.",
        "Read the message: fix the file, or the docs it disagrees with.",
        "warning",
    ),
    Rule(
        "settings_warning",
        "SettingsWarning",
        "A setting matches nothing (for example a docs folder without Markdown).",
        "Check the settings the message names.",
        "warning",
    ),
)
_RULES = {rule.id: rule for rule in RULES}


@record
class _Result:
    rule: str
    message: str
    path: str | None
    line: int | None
    subject: str  # what the alert is about: its fingerprint, stable when lines move


def render_sarif(report: Report) -> str:
    """The audit: every image not documented, and every warning."""
    results = [*_image_results(report.images), *_warning_results(report)]
    return _dump(_log("audit", results, report.scripts, {"coverage": _points(report)}))


def render_check_sarif(verdict: Verdict, refs: CheckRefs) -> str:
    """The check: every regression, every doc the change leaves naming no image, and the
    head's warnings."""
    results = [
        *(_from_finding(finding) for finding in verdict.regressions),
        *(_orphan(path) for path in verdict.orphans),
        *_warning_results(verdict.head),
    ]
    properties: dict[str, object] = {
        "verdict": "pass" if verdict.passed else "fail",
        "base": {"ref": refs.base_ref, "sha": refs.base_sha, "coverage": _points(verdict.base)},
        "head": {"ref": refs.head_ref, "sha": refs.head_sha, "coverage": _points(verdict.head)},
    }
    return _dump(_log("check", results, verdict.head.scripts, properties))


def _orphan(path: str) -> _Result:
    return _Result("orphan_doc", f"{path} names no image of the pull scripts", path, None, path)


def _points(report: Report) -> float:
    return round(report.summary.coverage, 1)


def _image_results(images: Iterable[ImageResult]) -> Iterable[_Result]:
    for result in images:
        image = result.image
        if result.status is Status.MISSING:
            message = f"{image.ref} has no documentation"
        elif result.status is Status.MENTIONED:
            message = f"{image.ref} {_mentioned(result)}"
        else:
            continue
        yield _Result(result.status.value, message, image.source.path, image.source.line, image.key)


def _mentioned(result: ImageResult) -> str:
    """Why a mentioned image is not documented, and its first piece of evidence."""
    strong = [item for item in result.evidence if item.kind.strong]
    first = (strong or list(result.evidence))[0]
    more = len(result.evidence) - 1
    place = f"{Location(first.path, first.line)} ({first.kind.value})"
    place += f" and {more} more" if more else ""
    if strong:  # a section in another doc, where `require: dedicated` asks for a doc of its own
        return f"has no doc of its own, which require: dedicated asks for: {place}"
    return f"is only mentioned, not documented: {place}"


def _from_finding(finding: Finding) -> _Result:
    subject = finding.image or finding.kind  # a coverage finding is one alert per kind
    return _Result(finding.kind, finding.detail, finding.path, finding.line, subject)


def _warning_results(report: Report) -> Iterable[_Result]:
    for warning in report.warnings:
        rule = _warning_rule(warning, report)
        where = warning.location
        path, line = (where.path, where.line) if where else (None, None)
        yield _Result(rule, warning.message, path, line, f"{path}\0{warning.message}")


def _warning_rule(warning: Diagnostic, report: Report) -> str:
    """The rule of a warning, by the file it stands in."""
    if warning.location is None:
        return "settings_warning"
    path = warning.location.path
    if path in report.scripts:
        return "pull_script_warning"
    if path == report.config_path:
        return "config_warning"
    is_doc = path in report.docs or is_markdown(path)
    return "file_warning" if is_doc else "source_warning"


def _log(
    command: str, results: Sequence[_Result], scripts: Sequence[str], properties: dict[str, object]
) -> dict[str, object]:
    rules = _rules_for(results)
    index = {rule.id: (number, rule) for number, rule in enumerate(rules)}
    fallback = scripts[0] if scripts else None
    run = {
        "tool": {
            "driver": {
                "name": TOOL,
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOMEPAGE,
                "rules": [_rule(rule) for rule in rules],
            }
        },
        # Its own category per command: uploading an audit does not close a check's alerts.
        "automationDetails": {"id": f"{TOOL}/{command}/"},
        "invocations": [{"executionSuccessful": True}],
        "results": [
            _result(result, *index[result.rule], fallback, fingerprint)
            for result, fingerprint in zip(results, _fingerprints(results), strict=True)
        ],
        "properties": properties,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _rules_for(results: Sequence[_Result]) -> list[Rule]:
    """Every known rule, then a generic one for each kind this module does not know yet."""
    rules = list(RULES)
    for result in results:
        if result.rule not in _RULES and all(rule.id != result.rule for rule in rules):
            summary = f"A documentation regression: {result.rule}."
            rules.append(Rule(result.rule, result.rule, summary, "Read the message.", "error"))
    return rules


def _rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} {rule.help}"},
        "help": {"text": rule.help},
        "defaultConfiguration": {"level": rule.level},
        "properties": {"tags": ["documentation"]},
    }


def _fingerprints(results: Sequence[_Result]) -> list[str]:
    """Each result's identity: its rule and subject, and its place among the results with
    the same two (the second "listed again" of one image is another alert than the first).
    Lines are left out, so an alert stays the same alert when lines move; the first of a
    kind keeps the fingerprint it had before there was an index."""
    seen: Counter[tuple[str, str]] = Counter()
    found = []
    for result in results:
        same = seen[result.rule, result.subject]
        seen[result.rule, result.subject] += 1
        key = f"{result.rule}\0{result.subject}" + (f"\0{same}" if same else "")
        found.append(hashlib.sha256(utf8_bytes(key)).hexdigest()[:32])
    return found


def _result(
    result: _Result, index: int, rule: Rule, fallback: str | None, fingerprint: str
) -> dict[str, object]:
    found: dict[str, object] = {
        "ruleId": result.rule,
        "ruleIndex": index,
        "level": rule.level,
        "message": {"text": _text(result.message)},
    }
    path = result.path or fallback
    if path is not None:
        physical: dict[str, object] = {
            "artifactLocation": {"uri": md_url(path), "uriBaseId": "%SRCROOT%"}
        }
        if result.path and result.line:  # line 0 stands for the whole file
            physical["region"] = {"startLine": result.line}
        found["locations"] = [{"physicalLocation": physical}]
    found["partialFingerprints"] = {FINGERPRINT: fingerprint}
    return found


def _text(message: str) -> str:
    """A plain-text SARIF message: `[text](target)` would be an embedded link there, so
    the brackets of a name from the repository are escaped (SARIF 3.11.6)."""
    return plain(message).replace("[", "\\[").replace("]", "\\]")


def _dump(log: dict[str, object]) -> str:
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
