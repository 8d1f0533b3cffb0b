"""The check's three renderings (JSON contract, terminal summary, PR comment) of real verdicts.

The verdicts come from `gate.decide` on reports that `audit` built from a pull
script and doc scans, as in a check of a pull request. Regenerate the goldens with
`UPDATE_GOLDEN=1 pytest tests/test_render_check.py`, then read the diff.
"""

from __future__ import annotations

import json
import re

import pytest

from goldenfiles import assert_golden
from image_docs_audit.audit import audit
from image_docs_audit.config import AuditSettings
from image_docs_audit.gate import Policy, Verdict, decide
from image_docs_audit.inventory import read_inventory
from image_docs_audit.model import (
    Diagnostic,
    DocScan,
    Evidence,
    Hit,
    Image,
    ImageRef,
    ImageResult,
    Kind,
    Location,
    Report,
    Status,
    Summary,
)
from image_docs_audit.render import (
    CheckRefs,
    check_to_dict,
    render_check_json,
    render_check_markdown,
    render_check_text,
    report_to_dict,
)
from image_docs_audit.render.check import signed

SCRIPT = "scripts/pull-images.sh"
BASE_SCRIPT = b"""ALL_IMAGES=(
    # Base Images
    "example/app-base:1"
    # Phase 2: Core Services
    "example/app-gateway:1"
    "example/app-auth:1"
    "example/app-ledger:1"
    # Phase 3: Legacy
    "example/app-legacy:1"
)
"""
HEAD_SCRIPT = b"""ALL_IMAGES=(
    # Base Images
    "example/app-base:1"
    # Phase 2: Core Services
    "example/app-gateway:1"
    "example/app-auth:1"
    "example/app-ledger:1"
    "example/app-new:1"
    "example/app-shiny:1"
    # Phase 4: Edge
    "example/app-edge:1"
)
"""
REFS = CheckRefs("main", "1a2b3c4d5e6f7a8b9c0d", "feature/docs", "9f8e7d6c5b4a39281706")
LINK_BASE = "https://github.com/example/repo/blob/9f8e7d6c5b4a39281706"
MARKER = "<!-- image-docs-audit: check -->"


def key(name: str) -> str:
    return f"docker.io/example/{name}:1"


def scan(path: str, *hits: tuple[str, int, Kind]) -> DocScan:
    return DocScan(path, tuple(Hit(key(name), line, kind) for name, line, kind in hits))


BASE_DOCS = (
    scan("docs/app-base.md", ("app-base", 0, Kind.FILENAME)),
    scan("docs/gateway.md", ("app-gateway", 3, Kind.HEADING)),
    scan("docs/services.md", ("app-auth", 7, Kind.LIST)),
    scan("docs/ancient.md"),
)
HEAD_DOCS = (
    scan("docs/app-base.md", ("app-base", 0, Kind.FILENAME)),
    scan("docs/services.md", ("app-auth", 12, Kind.BODY)),  # the list entry became prose
    scan("docs/ledger.md", ("app-ledger", 1, Kind.TITLE)),
    scan("docs/app-shiny.md", ("app-shiny", 0, Kind.FILENAME)),
    scan("docs/ancient.md"),
    scan("docs/old-notes.md"),
)


def report(script: bytes, docs: tuple[DocScan, ...], *warnings: Diagnostic) -> Report:
    inventory = read_inventory([(SCRIPT, script)])
    return audit(inventory, docs, AuditSettings(), frozenset(), warnings)


def verdict() -> Verdict:
    """Every regression kind, both kinds of improvement, a removal and a new orphan doc."""
    base = report(BASE_SCRIPT, BASE_DOCS)
    head = report(
        HEAD_SCRIPT, HEAD_DOCS, Diagnostic(Location("docs/diagram.md", 0), "skipped: binary file")
    )
    return decide(base, head, Policy(fail_under=50, max_drop=5))


def test_the_scenario_has_every_finding() -> None:
    found = verdict()
    assert (found.base.summary.coverage, found.head.summary.coverage, found.delta) == (
        60.0,
        42.9,
        -17.1,
    )
    assert [(f.kind, f.image) for f in found.regressions] == [
        ("newly_missing", "example/app-gateway:1"),
        ("newly_missing", "example/app-auth:1"),
        ("new_undocumented", "example/app-new:1"),
        ("new_undocumented", "example/app-edge:1"),
        ("coverage_drop", None),
        ("below_threshold", None),
    ]
    assert [(f.kind, f.image) for f in found.improvements] == [
        ("newly_documented", "example/app-ledger:1"),
        ("new_documented", "example/app-shiny:1"),
    ]
    assert [(f.kind, f.image) for f in found.removed] == [("removed", "example/app-legacy:1")]
    assert found.orphans == ("docs/old-notes.md",)


RENDERINGS = {
    "check.md": lambda v: render_check_markdown(v, REFS, link_base=LINK_BASE, marker=MARKER),
    "check.txt": lambda v: render_check_text(v, REFS),
    "check.json": lambda v: render_check_json(v, REFS),
}


@pytest.mark.parametrize("name", sorted(RENDERINGS))
def test_matches_golden(name: str) -> None:
    assert_golden(name, RENDERINGS[name](verdict()))


# The JSON contract --------------------------------------------------------------------


def test_json_keys_are_the_contract() -> None:
    found = verdict()
    data = check_to_dict(found, REFS)
    assert list(data) == [
        "schema_version",
        "verdict",
        "base",
        "head",
        "regressions",
        "improvements",
        "removed",
        "orphans",
        "groups",
        "policy",
        "config_change",
        "images",
        "warnings",
    ]
    assert data["config_change"] is None  # the scenario keeps its config
    head = report_to_dict(found.head)
    assert (data["schema_version"], data["verdict"]) == (1, "fail")
    assert data["base"] == {
        "ref": "main",
        "sha": "1a2b3c4d5e6f7a8b9c0d",
        "summary": report_to_dict(found.base)["summary"],
    }
    assert data["head"] == {
        "ref": "feature/docs",
        "sha": "9f8e7d6c5b4a39281706",
        "summary": head["summary"],
    }
    assert data["images"] == head["images"]
    assert (
        data["warnings"]
        == head["warnings"]
        == [{"path": "docs/diagram.md", "line": 0, "message": "skipped: binary file"}]
    )
    assert data["policy"] == {"fail_under": 50.0, "max_drop": 5.0}
    assert json.loads(render_check_json(found, REFS)) == data


def test_json_findings_and_group_deltas() -> None:
    data = check_to_dict(verdict(), CheckRefs("main", "1a2b3c4", "working tree"))
    assert data["head"] == {
        "ref": "working tree",
        "sha": None,
        "summary": {
            "total": 7,
            "documented": 3,
            "mentioned": 1,
            "missing": 3,
            "ignored": 0,
            "coverage": 42.9,
            "dedicated": 3,
            "dedicated_coverage": 42.9,
        },
    }
    regressions = data["regressions"]
    assert isinstance(regressions, list)
    assert regressions[2] == {
        "kind": "new_undocumented",
        "image": "example/app-new:1",
        "path": SCRIPT,
        "line": 8,
        "detail": "example/app-new:1 is new in the pull script and has no documentation",
    }
    assert regressions[5] == {
        "kind": "below_threshold",
        "image": None,
        "path": None,
        "line": None,
        "detail": "coverage 42.9% is below the threshold of 50%",
    }
    assert data["orphans"] == ["docs/old-notes.md"]
    groups = data["groups"]
    assert isinstance(groups, list)
    assert [(g["name"], g["delta"]) for g in groups] == [
        ("Base Images", 0.0),
        ("Phase 2: Core Services", -26.7),
        ("Phase 4: Edge", None),  # a new category has no base to change from
        ("Phase 3: Legacy", None),
    ]
    assert groups[2]["base"] is None
    assert groups[3]["head"] is None
    assert groups[1]["head"] == {
        "total": 5,
        "documented": 2,
        "mentioned": 1,
        "missing": 2,
        "ignored": 0,
        "coverage": 40.0,
        "dedicated": 2,
        "dedicated_coverage": 40.0,
    }


# The terminal summary -----------------------------------------------------------------


def test_text_of_a_passing_check() -> None:
    base = report(BASE_SCRIPT, BASE_DOCS)
    passed = decide(base, base, Policy())
    assert render_check_text(passed, CheckRefs("main", "1a2b3c4d", "working tree")) == (
        "PASS: no regressions\n"
        "coverage 60.0% -> 60.0% (±0.0; dedicated docs: 20.0%)\n"
        "base main (1a2b3c4), head working tree\n"
        "\n"
        "regressions (0)\n"
        "\n"
        "improvements (0)\n"
        "\n"
        "removed (0)\n"
        "\n"
        "orphan docs (0)\n"
    )


@pytest.mark.parametrize(
    ("points", "shown"),
    [(2.14, "+2.1"), (-17.1, "-17.1"), (0.0, "±0.0"), (-0.04, "±0.0"), (0.05, "+0.1")],
)
def test_signed(points: float, shown: str) -> None:
    assert signed(points) == shown


# The pull request comment -------------------------------------------------------------


def test_comment_links_are_relative_without_a_link_base() -> None:
    markdown = render_check_markdown(verdict(), REFS)
    assert markdown.startswith("## ❌ Image documentation check failed: 6 regressions\n")
    assert (
        "| `new_undocumented` | example/app-new:1 | [scripts/pull-images.sh:8]"
        "(scripts/pull-images.sh#L8) | example/app-new:1 is new in the pull script "
        "and has no documentation |\n"
    ) in markdown
    assert "- [docs/old-notes.md](docs/old-notes.md)\n" in markdown  # the whole file: no #L


def test_comment_of_a_passing_check() -> None:
    base = report(BASE_SCRIPT, BASE_DOCS)
    markdown = render_check_markdown(decide(base, base, Policy()), REFS)
    assert markdown.startswith(
        "## ✅ Image documentation check passed: no regressions\n\n"
        "Coverage **60.0% → 60.0%** (±0.0; dedicated docs: 20.0%) from base main (1a2b3c4) "
        "to head feature/docs (9f8e7d6).\n"
    )
    assert "### Regressions (0)\n\nNone.\n" in markdown
    for absent in ("### Improvements", "### Removed", "### Docs that name no image", "more row"):
        assert absent not in markdown
    assert "<details><summary>Full inventory (5 images)</summary>\n" in markdown


# Hostile names from a fork ------------------------------------------------------------

HOSTILE_CATEGORY = "</details><script>alert(1)</script>"
HOSTILE_SCRIPT = "scripts/pull (1).sh"


def image(ref: str, path: str, category: str | None, line: int, script: str = SCRIPT) -> Image:
    return Image(ref, ImageRef("docker.io", path, "1", None), category, Location(script, line))


def head_report(results: tuple[ImageResult, ...], orphans: tuple[str, ...] = ()) -> Report:
    """A head report whose summary and groups do not matter to the test at hand."""
    documented = sum(r.status is Status.DOCUMENTED for r in results)
    total = len(results)
    summary = Summary(total, documented, 0, total - documented, 0, 0.0)
    return Report(summary, (), results, (), orphans, (SCRIPT,), orphan_docs=orphans)


EMPTY_BASE = head_report(())


def hostile_verdict() -> Verdict:
    results = (
        ImageResult(
            image("@octocat|x:1\n# owned", "octocat-x", HOSTILE_CATEGORY, 3, HOSTILE_SCRIPT),
            Status.MISSING,
            (),
        ),
        ImageResult(
            image("[x](javascript:alert(1))", "x", HOSTILE_CATEGORY, 4, HOSTILE_SCRIPT),
            Status.DOCUMENTED,
            (Evidence("docs/<img src=x>.md", 2, Kind.HEADING),),
        ),
        ImageResult(image("`rm -rf`:1", "rm", None, 5, HOSTILE_SCRIPT), Status.MISSING, ()),
    )
    return decide(EMPTY_BASE, head_report(results, ("docs/<img src=x>.md",)), Policy())


HOSTILE_REFS = CheckRefs("main", "1a2b3c4d", "@octocat/</details>|x", "9f8e7d6c")


def test_comment_renders_hostile_names_inert() -> None:
    markdown = render_check_markdown(hostile_verdict(), HOSTILE_REFS, marker=MARKER)
    lines = markdown.splitlines()
    assert lines[0] == MARKER
    assert lines[3] == (
        "Coverage **0.0% → 0.0%** (±0.0; dedicated docs: 0.0%) from base main (1a2b3c4) "
        r"to head @&#8203;octocat/\</details\>\|x (9f8e7d6)."
    )
    for row in (
        r"| `new_undocumented` | @&#8203;octocat\|x:1 # owned | "
        r"[scripts/pull (1).sh:3](scripts/pull%20%281%29.sh#L3) | "
        r"@&#8203;octocat\|x:1 # owned is new in the pull script and has no documentation |",
        r"| `new_undocumented` | \`rm -rf\`:1 | "
        r"[scripts/pull (1).sh:5](scripts/pull%20%281%29.sh#L5) | "
        r"\`rm -rf\`:1 is new in the pull script and has no documentation |",
        r"| \</details\>\<script\>alert(1)\</script\> | @&#8203;octocat\|x:1 # owned | octocat-x | "
        r"[scripts/pull (1).sh:3](scripts/pull%20%281%29.sh#L3) |",
        r"| `new_documented` | \[x\](javascript:alert(1)) | "
        r"[scripts/pull (1).sh:4](scripts/pull%20%281%29.sh#L4) | "
        r"\[x\](javascript:alert(1)) is new and documented |",
        r"- [docs/\<img src=x\>.md](docs/%3Cimg%20src%3Dx%3E.md)",
        r"| \[x\](javascript:alert(1)) | \</details\>\<script\>alert(1)\</script\> | documented | "
        r"[scripts/pull (1).sh:4](scripts/pull%20%281%29.sh#L4) |",
    ):
        assert row in lines
    # The only raw HTML is the marker and the comment's own <details> block.
    ours = {MARKER, "<details><summary>Full inventory (3 images)</summary>", "</details>"}
    assert re.search(r"(?<!\\)[<>]", "\n".join(x for x in lines if x not in ours)) is None
    assert lines.count("</details>") == 1
    assert lines[-1] == "</details>"
    assert re.search(r"(?<![A-Za-z0-9_])@(?!&#8203;)", markdown) is None
    assert re.search(r"(?<!\\)\]\(javascript", markdown) is None  # every `]` escaped
    assert "\n# owned" not in markdown


def test_text_renders_control_characters_visible() -> None:
    results = (ImageResult(image("evil\x1b[2J:1", "evil", None, 3), Status.MISSING, ()),)
    found = decide(EMPTY_BASE, head_report(results), Policy())
    text = render_check_text(found, CheckRefs("main\u202e", "1a2b3c4", "x\ny"))
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "base main\\u202e (1a2b3c4), head x y\n" in text
    assert (
        "  new_undocumented  evil\\x1b[2J:1  scripts/pull-images.sh:3  "
        "evil\\x1b[2J:1 is new in the pull script and has no documentation\n"
    ) in text


def test_long_refs_are_clipped_in_the_headline() -> None:
    refs = CheckRefs("main", "1a2b3c4", "b" * 10_000, None)
    markdown = render_check_markdown(hostile_verdict(), refs)
    assert f"to head {'b' * 79}….\n" in markdown


# The size limit -----------------------------------------------------------------------

LONG = "very-long-service-name-for-the-budget-test-" * 3


def big_verdict(count: int) -> Verdict:
    """`count` new images, none documented, in categories of 100, with long names."""
    results = tuple(
        ImageResult(
            image(
                f"registry.example.com/team/{LONG}{i}:1", f"t/{LONG}{i}", f"Phase {i // 100}", i + 1
            ),
            Status.MISSING,
            (),
        )
        for i in range(count)
    )
    return decide(EMPTY_BASE, head_report(results), Policy(fail_under=50))


def test_a_huge_inventory_fits_in_the_comment() -> None:
    markdown = render_check_markdown(big_verdict(10_000), REFS, link_base=LINK_BASE, marker=MARKER)
    assert len(markdown) <= 65_000
    lines = markdown.splitlines()
    assert lines[:2] == [MARKER, "## ❌ Image documentation check failed: 10,001 regressions"]
    first = f"registry.example.com/team/{LONG}0:1"
    assert lines[11] == (
        f"| `new_undocumented` | {first} | [{SCRIPT}:1]({LINK_BASE}/{SCRIPT}#L1) | "
        f"{first} is new in the pull script and has no documentation |"
    )
    shown = sum(line.startswith("| `new_undocumented`") for line in lines)
    assert 100 < shown < 10_000
    note = (
        f"_… and {10_001 - shown:,} more rows not shown (the comment is limited to "
        "65,000 characters); see the job summary or the JSON report._"
    )
    assert note in lines
    # Sections further down keep their headings and say that all of their rows were cut.
    assert "### Missing documentation (10,000)" in lines
    assert "_… and 10,000 more rows not shown" in markdown
    assert lines[-1] == "</details>"


@pytest.mark.parametrize("budget", [5_000, 12_345, 30_000, 65_000])
@pytest.mark.parametrize("count", [1, 40, 400, 4_000])
def test_the_comment_never_exceeds_its_budget(budget: int, count: int) -> None:
    markdown = render_check_markdown(big_verdict(count), REFS, link_base=LINK_BASE, budget=budget)
    assert len(markdown) <= budget
    assert markdown.endswith("\n</details>\n")


def test_a_small_inventory_is_shown_whole() -> None:
    markdown = render_check_markdown(big_verdict(2), REFS, link_base=LINK_BASE)
    assert "more row" not in markdown
    assert sum(line.startswith("| `new_undocumented`") for line in markdown.splitlines()) == 2
