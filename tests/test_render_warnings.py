"""The head's warnings in the check's text, comment and job summary; SARIF fingerprints of
identical results; lone surrogates from the config in every format.

An image the audit cannot read is in no row of its own: its warning is the only thing that
names it, so every format a reviewer reads shows the warnings the JSON report has.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from image_docs_audit.audit import audit
from image_docs_audit.config import AuditSettings
from image_docs_audit.gate import Policy, Verdict, decide
from image_docs_audit.inventory import read_inventory
from image_docs_audit.model import Diagnostic, DocScan, Hit, Kind, Location, Report
from image_docs_audit.render import (
    CheckRefs,
    Links,
    Target,
    check_json_bytes,
    check_to_dict,
    render_audit_comment,
    render_check_json,
    render_check_markdown,
    render_check_sarif,
    render_check_text,
    render_json,
    render_markdown,
    render_sarif,
    render_text,
    report_json_bytes,
)
from image_docs_audit.render.escape import md_cell, plain
from test_comment import assert_renders_well
from test_comment_size import big_verdict

SCRIPT = "scripts/pull-images.sh"
REPO_URL = "https://github.com/acme/edge"
REFS = CheckRefs("main", "a" * 40, "feature/pr", "b" * 40)
LINKS = Links(REPO_URL, "b" * 40, "a" * 40)
BLOB = f"{REPO_URL}/blob/{'b' * 40}"
MARKER = "<!-- image-docs-audit: sticky comment 0123456789ab -->"
IMAGES = b'IMAGES=(\n  # Core\n  "example/app-alpha:1"\n  "example/app-beta:1"\n)\n'
# What the pull request adds: an image only running the script would know, and one that is
# no image reference. Neither is an image of the inventory: the warnings alone name them.
ADDED = b'docker pull "$(cat /etc/img)"\ndocker pull Example/BAD:1\n'
UNKNOWN = (
    "cannot know the value of $(cat /etc/img) without running the script; the image is not "
    "audited (set the variable in the script or list the image literally)"
)
BAD = (
    "'Example/BAD:1' is not an image reference: 'Example/BAD' is not a valid repository "
    "path (lower case, digits, . _ -)"
)
DOCS = (DocScan("docs/app-alpha.md", (Hit("docker.io/example/app-alpha:1", 0, Kind.FILENAME),)),)
INTRO = (
    "These do not fail the check. An image the audit of the head could not read is in no "
    "other row: its warning here names the line."
)


def report(script: bytes, *warnings: Diagnostic) -> Report:
    inventory = read_inventory([(SCRIPT, script)])
    return audit(inventory, DOCS, AuditSettings(), frozenset(), warnings)


def verdict(*warnings: Diagnostic, added: bytes = ADDED) -> Verdict:
    return decide(report(IMAGES), report(IMAGES + added, *warnings), Policy())


# The check shows the head's warnings ----------------------------------------------------


def test_the_text_names_each_warning_of_the_head() -> None:
    text = render_check_text(verdict(), REFS)
    assert text.startswith("PASS: No image lost its docs\n")
    assert (
        "\nwarnings (2)\n"
        f"  {INTRO}\n"
        "  WHERE                     WARNING\n"
        f"  scripts/pull-images.sh:6  {UNKNOWN}\n"
        f"  scripts/pull-images.sh:7  {BAD}\n"
        "\nmissing before this change (1)\n"
    ) in text


def test_the_comment_and_the_summary_name_each_warning_with_a_link() -> None:
    section = (
        "\n<details><summary>Warnings (2)</summary>\n\n"
        f"{INTRO}\n\n"
        "| Where | Warning |\n|---|---|\n"
        f"| [scripts/pull-images.sh:6]({BLOB}/{SCRIPT}#L6) | {md_cell(UNKNOWN)} |\n"
        f"| [scripts/pull-images.sh:7]({BLOB}/{SCRIPT}#L7) | {md_cell(BAD)} |\n"
        "\n</details>\n"
    )
    assert md_cell(UNKNOWN).startswith("cannot know the value of \\$(cat /etc/img)")
    for target in Target:
        page = render_check_markdown(verdict(), REFS, links=LINKS, marker=MARKER, target=target)
        assert page.startswith(f"{MARKER}\n### ✅ Image docs: No image lost its docs\n")
        assert section in page, target
        # Before the images the base lacked docs for too: those the change did not cause.
        assert page.index(section) < page.index("Missing before this change (1)")
        assert_renders_well(page)


def test_the_warnings_shown_are_the_json_reports() -> None:
    found = verdict(Diagnostic(Location("docs/diagram.md", 0), "skipped: binary file"))
    listed = json.loads(render_check_json(found, REFS))["warnings"]
    assert listed == check_to_dict(found, REFS)["warnings"]
    assert [(w["path"], w["line"]) for w in listed] == [
        ("docs/diagram.md", 0),
        (SCRIPT, 6),
        (SCRIPT, 7),
    ]
    page = render_check_markdown(found, REFS, links=LINKS)
    assert "<summary>Warnings (3)</summary>" in page
    assert f"| [docs/diagram.md]({BLOB}/docs/diagram.md) | skipped: binary file |" in page
    assert "\nwarnings (3)\n" in render_check_text(found, REFS)


def test_a_warning_with_no_place_has_a_dash() -> None:
    found = verdict(Diagnostic(None, "docs folder 'none' holds no Markdown file; check 'docs'"))
    page = render_check_markdown(found, REFS, links=LINKS)
    assert "| — | docs folder 'none' holds no Markdown file; check 'docs' |\n" in page
    assert "  —                         docs folder 'none'" in render_check_text(found, REFS)


def test_no_warning_no_section() -> None:
    found = verdict(added=b"")
    assert found.head.warnings == ()
    assert "arning" not in render_check_text(found, REFS)
    for target in Target:
        assert "arning" not in render_check_markdown(found, REFS, links=LINKS, target=target)


def test_the_audit_comment_names_the_warnings_too() -> None:
    page = render_audit_comment(report(IMAGES + ADDED), 0.0, links=LINKS, marker=MARKER)
    assert (
        "\n<details><summary>Warnings (2)</summary>\n\n"
        "An image the audit could not read is in no other row: its warning here names the line."
        "\n\n| Where | Warning |\n|---|---|\n"
        f"| [scripts/pull-images.sh:6]({BLOB}/{SCRIPT}#L6) | {md_cell(UNKNOWN)} |\n"
    ) in page


# Bounded and escaped --------------------------------------------------------------------


def many(count: int) -> tuple[Diagnostic, ...]:
    return tuple(
        Diagnostic(Location(SCRIPT, 100 + i), f"cannot know the value of $X{i}")
        for i in range(count)
    )


def test_the_comment_shows_25_warnings_and_the_summary_and_the_text_all() -> None:
    found = verdict(*many(60), added=b"")
    comment = render_check_markdown(found, REFS, links=LINKS, marker=MARKER)
    rows = [line for line in comment.splitlines() if "cannot know the value of" in line]
    assert len(rows) == 25
    assert rows[-1] == f"| [{SCRIPT}:124]({BLOB}/{SCRIPT}#L124) | cannot know the value of \\$X24 |"
    assert "<summary>Warnings (60)</summary>" in comment
    assert (
        "\n\n_… and 35 more, all in `scripts/pull-images.sh`: the job summary lists every one._"
        "\n\n</details>\n"
    ) in comment
    assert comment.endswith(
        "\n_The job summary of this run lists every row; the JSON report has them all._\n"
    )
    summary = render_check_markdown(found, REFS, links=LINKS, target=Target.SUMMARY)
    assert sum("cannot know the value of" in line for line in summary.splitlines()) == 60
    assert "… and" not in summary
    text = render_check_text(found, REFS)
    assert sum("cannot know the value of" in line for line in text.splitlines()) == 60


def test_the_warnings_share_the_page_budget() -> None:
    found = verdict(*many(60), added=b"")
    full = render_check_markdown(found, REFS, links=LINKS)
    page = render_check_markdown(found, REFS, links=LINKS, budget=len(full) - 500)
    assert len(page) <= len(full) - 500
    assert "<summary>Warnings (60)</summary>" in page
    assert "_… and " in page
    assert_renders_well(page)


def test_3000_long_warnings_on_a_3000_image_change_fit_the_comment() -> None:
    found = big_verdict(Policy(fail_under=60))
    long = "x" * 2_000
    warnings = tuple(Diagnostic(Location(SCRIPT, i), long) for i in range(1, 3_001))
    head = Report(**{**found.head.__dict__, "warnings": warnings})
    found = Verdict(**{**found.__dict__, "head": head})
    comment = render_check_markdown(found, REFS, links=LINKS, marker=MARKER)
    assert len(comment) <= 65_000
    assert_renders_well(comment)
    assert "<summary>Warnings (3,000)</summary>" in comment
    clipped = [line for line in comment.splitlines() if line.endswith("x… |")]
    assert 0 < len(clipped) <= 25
    assert all(line.count("x") >= 499 and "x" * 500 not in line for line in clipped)
    summary = render_check_markdown(found, REFS, links=LINKS, target=Target.SUMMARY)
    assert len(summary.encode()) <= 1_000_000


HOSTILE = "@octocat see #12 | <img src=x> [x](https://evil.example) \x1b[31mred\nnext ::error::"
HOSTILE_PATH = "docs/@team|#3 <b>.md"


def test_a_warning_from_the_repository_is_inert_in_every_format() -> None:
    found = verdict(Diagnostic(Location(HOSTILE_PATH, 4), HOSTILE), added=b"")
    page = render_check_markdown(found, REFS, links=LINKS)
    shown = md_cell(HOSTILE)
    assert "@&#8203;octocat" in shown and "#&#8203;12" in shown and "\\|" in shown
    assert "\\<img" in shown and "\\[x\\](https&#8203;://" in shown and "\\x1b" in shown
    target = f"{BLOB}/docs/%40team%7C%233%20%3Cb%3E.md#L4"
    assert f"| [{md_cell(HOSTILE_PATH + ':4')}]({target}) | {shown} |\n" in page
    assert "@octocat" not in page and "\x1b" not in page
    text = render_check_text(found, REFS)
    assert f"  {plain(HOSTILE_PATH)}:4  {plain(HOSTILE)}\n" in text
    assert "\x1b" not in text and "red\nnext" not in text


# SARIF: one alert per result ------------------------------------------------------------


def fingerprints(log: str) -> list[tuple[int, str]]:
    results: list[dict[str, Any]] = json.loads(log)["runs"][0]["results"]
    return [
        (
            r["locations"][0]["physicalLocation"].get("region", {}).get("startLine", 0),
            r["partialFingerprints"]["imageDocsAudit/v1"],
        )
        for r in results
    ]


AGAIN = b"docker pull example/app-alpha:1\ndocker pull example/app-alpha:1\n"


def test_two_identical_warnings_are_two_alerts() -> None:
    [missing, first, second] = fingerprints(render_sarif(report(IMAGES + AGAIN)))
    assert (missing[0], first[0], second[0]) == (4, 6, 7)
    assert first[1] != second[1]
    # The first of a kind keeps the fingerprint it had before identical results were told
    # apart, so an alert uploaded before stays the same alert.
    message = "example/app-alpha:1 is listed again (first at scripts/pull-images.sh:3)"
    old = hashlib.sha256(f"pull_script_warning\0{SCRIPT}\0{message}".encode()).hexdigest()
    assert first[1] == old[:32]


def test_identical_alerts_keep_their_fingerprints_when_lines_move() -> None:
    before = fingerprints(render_sarif(report(IMAGES + AGAIN)))
    after = fingerprints(render_sarif(report(IMAGES + b"# pulled nightly\n\n" + AGAIN)))
    assert [line for line, _ in after] == [4, 8, 9]
    assert [f for _, f in before] == [f for _, f in after]
    check = render_check_sarif(decide(report(IMAGES), report(IMAGES + AGAIN), Policy()), REFS)
    assert len({f for _, f in fingerprints(check)}) == 2


# Lone surrogates from the config --------------------------------------------------------


def test_a_lone_surrogate_in_a_warning_renders_everywhere() -> None:
    odd = Diagnostic(Location("docs/\ud800.md", 2), "ignore: 'app-gamma\ud800' names no image")
    undecodable = Diagnostic(Location("docs/\udcff.md", 0), "skipped: binary file")
    found = verdict(odd, undecodable, added=b"")
    log = json.loads(render_check_sarif(found, REFS))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert uris == ["docs/%3F.md", "docs/%FF.md"]
    sarif = json.loads(render_sarif(found.head))["runs"][0]["results"]
    assert [r["ruleId"] for r in sarif] == ["missing", "file_warning", "file_warning"]
    assert len({r["partialFingerprints"]["imageDocsAudit/v1"] for r in sarif}) == 3
    summary = render_check_markdown(found, REFS, links=LINKS, target=Target.SUMMARY)
    assert f"| [docs/\ud800.md:2]({BLOB}/docs/%3F.md#L2) |" in summary
    shown = md_cell("docs/\udcff.md")
    assert shown == "docs/\\\\xff.md"  # the byte, as in every other place it is shown
    assert f"| [{shown}]({BLOB}/docs/%FF.md) |" in summary
    text = render_check_text(found, REFS)
    assert "  docs/\ud800.md:2   ignore: 'app-gamma\ud800' names no image\n" in text


def every_rendering(found: Verdict) -> dict[str, str | bytes]:
    head = found.head
    return {
        "audit text": render_text(head),
        "audit markdown": render_markdown(head, LINKS),
        "audit json": render_json(head),
        "audit json bytes": b"".join(report_json_bytes(head)),
        "audit sarif": render_sarif(head),
        "audit comment": render_audit_comment(head, 0.0, links=LINKS),
        "check text": render_check_text(found, REFS),
        "check comment": render_check_markdown(found, REFS, links=LINKS),
        "check summary": render_check_markdown(found, REFS, links=LINKS, target=Target.SUMMARY),
        "check json": render_check_json(found, REFS),
        "check json bytes": b"".join(check_json_bytes(found, REFS)),
        "check sarif": render_check_sarif(found, REFS),
    }


@pytest.mark.parametrize(
    "odd",
    [
        # A config's "\ud800" (YAML allows it) in a name the warning quotes...
        Diagnostic(Location(".github/image-docs-audit.yml", 2), "ignore: 'app-beta\ud800' ..."),
        # ... in a path it names, and one that is no surrogate escape of a byte at all.
        Diagnostic(Location("docs/\ud800\udfff.md", 0), "documentation: '\ud800' is missing"),
        Diagnostic(None, "docs folder '\udbff' holds no Markdown file; check 'docs'"),
    ],
)
def test_every_renderer_writes_a_lone_surrogate(odd: Diagnostic) -> None:
    for name, rendered in every_rendering(verdict(odd, added=b"")).items():
        # As stdout and every output file write a report: a lone surrogate is `?`.
        data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8", "replace")
        text = data.decode("utf-8")
        assert "?" in text, name
        if "json" in name or "sarif" in name:
            json.loads(text)
