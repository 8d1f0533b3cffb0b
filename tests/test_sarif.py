"""`--format sarif`: SARIF 2.1.0 for code scanning, valid against the OASIS schema.

Every log is validated against the schema shipped in tests/fixtures/sarif (with its
licence); the results are compared exactly: rule, level, message, file and line.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gitrepo import Repo
from image_docs_audit import __version__
from image_docs_audit.cli import main
from image_docs_audit.gate import Finding, Policy, Verdict
from image_docs_audit.model import Diagnostic, Location, Report, Summary
from image_docs_audit.render import CheckRefs, render_check_sarif, render_sarif

SCHEMA = Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
SCRIPT = "scripts/pull-images.sh"
IMAGES = "IMAGES=(\n  # Core\n  example/app-api:1\n  example/app-web:1\n  example/app-db:1\n)\n"
PROJECT = {
    SCRIPT: IMAGES + 'docker pull "$(cat list.txt)"\n',
    "docs/app-api.md": "# app-api\n",
    "docs/notes.md": "We keep app-web running.\n",
    ".github/image-docs-audit.yml": "ignore:\n  - image: example/nothing\n    reason: gone\n",
}
RULE_IDS = [
    "new_undocumented",
    "newly_missing",
    "coverage_drop",
    "below_threshold",
    "missing",
    "mentioned",
    "orphan_doc",
    "pull_script_warning",
    "config_warning",
    "file_warning",
    "source_warning",
    "settings_warning",
]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def valid(text: str) -> dict[str, Any]:
    """The log, once the schema accepts it and every result's rule index is right."""
    log: dict[str, Any] = json.loads(text)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)
    [run_] = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert rules[result["ruleIndex"]]["defaultConfiguration"]["level"] == result["level"]
    return log


def results(log: dict[str, Any]) -> list[tuple[str, str, str, str | None, int | None]]:
    """(rule, level, message, file, line) of each result."""
    found = []
    for result in log["runs"][0]["results"]:
        where = result["locations"][0]["physicalLocation"] if "locations" in result else {}
        uri = where.get("artifactLocation", {}).get("uri")
        line = where.get("region", {}).get("startLine")
        found.append((result["ruleId"], result["level"], result["message"]["text"], uri, line))
    return found


def fingerprints(log: dict[str, Any]) -> list[str]:
    return [r["partialFingerprints"]["imageDocsAudit/v1"] for r in log["runs"][0]["results"]]


@pytest.fixture
def project(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit(PROJECT, "base")
    return repo


def test_audit_names_each_gap_on_its_pull_script_line_and_each_warning_by_its_place(
    project: Repo,
) -> None:
    (project.root / "docs" / "link to [etc].md").symlink_to("/etc/hostname")
    (project.root / "none").mkdir()  # a docs folder with no Markdown: a warning
    root = str(project.root)
    code, out, err = run("audit", root, "--format", "sarif", "--docs", "docs", "--docs", "none")
    assert (code, err) == (0, "")
    log = valid(out)
    assert log["version"] == "2.1.0"
    [run_] = log["runs"]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("image-docs-audit", __version__)
    assert [rule["id"] for rule in driver["rules"]] == RULE_IDS
    assert run_["automationDetails"] == {"id": "image-docs-audit/audit/"}
    assert run_["properties"] == {"coverage": 33.3}
    unknown = (
        "cannot know the value of $(cat list.txt) without running the script; the image is "
        "not audited (set the variable in the script or list the image literally)"
    )
    assert results(log) == [
        (
            "mentioned",
            "note",
            "example/app-web:1 is only mentioned, not documented: docs/notes.md:1 (body)",
            SCRIPT,
            4,
        ),
        ("missing", "warning", "example/app-db:1 has no documentation", SCRIPT, 5),
        # No place of its own: on the first pull script, as GitHub wants a location.
        (
            "settings_warning",
            "warning",
            "docs folder 'none' holds no Markdown file; check 'docs'",
            SCRIPT,
            None,
        ),
        (
            "config_warning",
            "warning",
            "ignore: 'example/nothing' names no image",
            ".github/image-docs-audit.yml",
            2,
        ),
        (
            "file_warning",
            "warning",
            "skipped: a symlink that leads outside the audited root",
            "docs/link%20to%20%5Betc%5D.md",
            None,
        ),
        ("pull_script_warning", "warning", unknown, SCRIPT, 7),
    ]


def test_a_result_keeps_its_fingerprint_when_its_line_moves(project: Repo) -> None:
    _, before, _ = run("audit", str(project.root), "--format", "sarif")
    project.write({SCRIPT: "# pull the images\n" + PROJECT[SCRIPT]})
    _, after, _ = run("audit", str(project.root), "--format", "sarif")
    assert [line for *_, line in results(valid(before))] == [4, 5, 2, 7]
    assert [line for *_, line in results(valid(after))] == [5, 6, 2, 8]
    assert fingerprints(valid(before)) == fingerprints(valid(after))
    assert len(set(fingerprints(valid(before)))) == 4


def test_check_names_every_regression_on_its_line(project: Repo, tmp_path: Path) -> None:
    base = project.git("rev-parse", "HEAD")
    project.write(
        {
            SCRIPT: PROJECT[SCRIPT].replace(
                "  example/app-db:1\n", "  example/app-db:1\n  example/app-new:1\n"
            ),
            "docs/app-api.md": None,
            "docs/faq.md": "# FAQ\n\nNothing about images here.\n",
        }
    )
    output = tmp_path / "check.sarif"
    code, out, err = run(
        "check",
        str(project.root),
        "--base",
        base,
        "--format",
        "sarif",
        "--fail-under",
        "50",
        "--output",
        str(output),
    )
    assert (code, out, err) == (1, "", "")
    log = valid(output.read_text(encoding="utf-8"))
    [run_] = log["runs"]
    assert run_["automationDetails"] == {"id": "image-docs-audit/check/"}
    assert run_["properties"] == {
        "verdict": "fail",
        "base": {"ref": base, "sha": base, "coverage": 33.3},
        "head": {"ref": "working tree", "sha": None, "coverage": 0.0},
    }
    assert results(log)[:6] == [
        (
            "newly_missing",
            "error",
            "example/app-api:1 lost its documentation: docs/app-api.md was deleted or moved "
            "out of the docs",
            SCRIPT,
            3,
        ),
        (
            "new_undocumented",
            "error",
            "example/app-new:1 is new in the pull script and has no documentation",
            SCRIPT,
            6,
        ),
        (
            "coverage_drop",
            "error",
            "coverage fell from 33.3% to 0.0% (-33.3 points; none allowed)",
            SCRIPT,
            None,
        ),
        (
            "below_threshold",
            "error",
            "coverage 0.0% is below the threshold of 50%",
            SCRIPT,
            None,
        ),
        (
            "orphan_doc",
            "warning",
            "docs/faq.md names no image of the pull scripts",
            "docs/faq.md",
            None,
        ),
        (
            "config_warning",
            "warning",
            "ignore: 'example/nothing' names no image",
            ".github/image-docs-audit.yml",
            2,
        ),
    ]
    assert [rule for rule, *_ in results(log)[6:]] == ["pull_script_warning"]


def test_a_passing_check_has_no_error_results(project: Repo) -> None:
    base = project.git("rev-parse", "HEAD")
    code, out, err = run("check", str(project.root), "--base", base, "--format", "sarif")
    assert (code, err) == (0, "")
    log = valid(out)
    assert log["runs"][0]["properties"]["verdict"] == "pass"
    assert [rule for rule, *_ in results(log)] == ["config_warning", "pull_script_warning"]


def _report(warnings: tuple[Diagnostic, ...] = (), scripts: tuple[str, ...] = ()) -> Report:
    return Report(
        summary=Summary(0, 0, 0, 0, 0, 100.0),
        groups=(),
        images=(),
        index_docs=(),
        docs=(),
        scripts=scripts,
        warnings=warnings,
    )


def test_brackets_from_the_repository_cannot_make_a_link_in_a_message() -> None:
    # In a SARIF plain-text message, [text](target) is an embedded link.
    warning = Diagnostic(Location("docs/a.md", 3), "[click](https://example.invalid) here")
    log = valid(render_sarif(_report((warning,), (SCRIPT,))))
    [(_, _, text, uri, line)] = results(log)
    assert (text, uri, line) == ("\\[click\\](https://example.invalid) here", "docs/a.md", 3)


def test_a_result_with_no_place_and_no_pull_script_has_no_location() -> None:
    log = valid(render_sarif(_report((Diagnostic(None, "no pull script found"),))))
    [result] = log["runs"][0]["results"]
    assert "locations" not in result
    assert result["ruleId"] == "settings_warning"


def test_a_regression_kind_this_renderer_does_not_know_gets_a_rule_of_its_own() -> None:
    report = _report(scripts=(SCRIPT,))
    finding = Finding("policy_loosened", None, ".github/image-docs-audit.yml", 4, "fail-under fell")
    verdict = Verdict(False, report, report, Policy(), (finding,), (), (), (), ())
    log = valid(render_check_sarif(verdict, CheckRefs("main", "0" * 40, "HEAD", "1" * 40)))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [*RULE_IDS, "policy_loosened"]
    assert rules[-1]["defaultConfiguration"] == {"level": "error"}
    assert results(log) == [
        ("policy_loosened", "error", "fail-under fell", ".github/image-docs-audit.yml", 4)
    ]


def test_demo_writes_sarif_too() -> None:
    code, out, err = run("demo", "--format", "sarif")
    assert (code, err) == (0, "")
    counts: dict[str, int] = {}
    for rule, *_ in results(valid(out)):
        counts[rule] = counts.get(rule, 0) + 1
    # The sample's compose file moved a port its docs still give; a doc cites an old tag,
    # and two images' docs claim the same ports.
    assert counts == {"missing": 9, "mentioned": 3, "source_warning": 1, "file_warning": 3}


def test_a_section_under_require_dedicated_says_what_is_missing(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(
        {
            SCRIPT: IMAGES,
            "docs/app-api.md": "# app-api\n",
            "docs/overview.md": "# Overview\n\n## app-web\n\nServes the pages.\n",
            ".github/image-docs-audit.yml": "require: dedicated\n",
        }
    )
    code, out, err = run("audit", str(repo.root), "--format", "sarif")
    assert (code, err) == (0, "")
    assert results(valid(out)) == [
        (
            "mentioned",
            "note",
            "example/app-web:1 has no doc of its own, which require: dedicated asks for: "
            "docs/overview.md:3 (heading)",
            SCRIPT,
            4,
        ),
        ("missing", "warning", "example/app-db:1 has no documentation", SCRIPT, 5),
    ]
