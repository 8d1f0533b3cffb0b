"""The check's three renderings (JSON contract, terminal summary, PR comment) of real verdicts.

The verdicts come from `gate.decide` on reports that `audit` built from a pull
script and doc scans, as in a check of a pull request. Regenerate the goldens with
`UPDATE_GOLDEN=1 pytest tests/test_render_check.py`, then read the diff.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from gitrepo import Repo
from goldenfiles import assert_golden
from image_docs_audit.audit import audit
from image_docs_audit.cli import main
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
    Links,
    Target,
    check_to_dict,
    render_check_json,
    render_check_markdown,
    render_check_text,
    report_to_dict,
)
from image_docs_audit.render.outcome import bar, scaffold_command, signed
from test_comment import assert_renders_well

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
LINKS = Links("https://github.com/example/repo", REFS.head_sha, REFS.base_sha)
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
    "check.md": lambda v: render_check_markdown(v, REFS, links=LINKS, marker=MARKER),
    "check.summary.md": lambda v: render_check_markdown(
        v, REFS, links=LINKS, target=Target.SUMMARY
    ),
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
        "PASS: No image lost its docs\n"
        "Coverage 60.0% → 60.0% (±0.0 points) from base main (1a2b3c4) to head working tree: "
        "3 of 5 counted images documented.\n"
        "Dedicated docs: 20.0% (1 of 5 counted images have a doc of their own; 2 are "
        "documented in a section of another doc).\n"
        "\n"
        "categories\n"
        "  Base Images             ██████████ 100.0%  1 of 1  ±0.0\n"
        "  Phase 2: Core Services  ██████░░░░  66.7%  2 of 3  ±0.0\n"
        "  Phase 3: Legacy         ░░░░░░░░░░   0.0%  0 of 1  ±0.0\n"
        "\n"
        "missing before this change (2)\n"
        "  Not caused by this change: these images had no docs at base either.\n"
        "  IMAGE                 CATEGORY                PULL SCRIPT\n"
        "  example/app-ledger:1  Phase 2: Core Services  scripts/pull-images.sh:7\n"
        "  example/app-legacy:1  Phase 3: Legacy         scripts/pull-images.sh:9\n"
        "\n"
        "The check fails on an image that loses its docs, a new image without docs, any "
        "coverage drop.\n"
    )


@pytest.mark.parametrize(
    ("points", "shown"),
    [(2.14, "+2.1"), (-17.1, "-17.1"), (0.0, "±0.0"), (-0.04, "±0.0"), (0.05, "+0.1")],
)
def test_signed(points: float, shown: str) -> None:
    assert signed(points) == shown


@pytest.mark.parametrize(
    ("coverage", "shown"),
    [
        (0.0, "░" * 10),
        (9.99, "░" * 10),
        (10.0, "█" + "░" * 9),
        (57.1, "█████░░░░░"),
        (99.9, "█" * 9 + "░"),
        (100.0, "█" * 10),
    ],
)
def test_bar(coverage: float, shown: str) -> None:
    assert bar(coverage) == shown


# The pull request comment -------------------------------------------------------------


def test_without_links_the_comment_shows_plain_paths() -> None:
    markdown = render_check_markdown(verdict(), REFS)
    assert markdown.startswith(
        "### ❌ Image docs: 2 images lost their docs, 2 new images have none, coverage fell "
        "17.1 points and coverage is under 50%\n"
    )
    assert (
        "| `example/app-new:1` | `scripts/pull-images.sh:8` | add a doc whose file name or "
        "title names `app-new` (or a heading or table row in another doc) |\n"
    ) in markdown
    assert "| `docs/gateway.md:3` (at base) | deleted: restore it" in markdown
    assert "](" not in markdown  # no link at all rather than one that 404s


def test_a_pipe_in_a_name_is_escaped_in_tables_only() -> None:
    """A table reads `\\|` in code as a pipe (it cuts cells on any other); a paragraph's
    code span shows the backslash."""
    refs = CheckRefs("main|x", "1a2b3c4d5e6f7a8b9c0d", "feature/a|b", "9f8e7d6c5b4a39281706")
    markdown = render_check_markdown(verdict(), refs)
    [coverage] = [line for line in markdown.splitlines() if line.startswith("**Coverage")]
    assert coverage.startswith(
        "**Coverage 60.0% → 42.9%** (-17.1 points) from base `main|x` (1a2b3c4) to head"
        " `feature/a|b` (9f8e7d6):"
    )
    assert "| `docs/gateway.md:3` (at base) | deleted: restore it" in markdown
    assert_renders_well(markdown)


def test_links_are_absolute_at_head_and_at_base() -> None:
    markdown = render_check_markdown(verdict(), REFS, links=LINKS)
    head = "https://github.com/example/repo/blob/9f8e7d6c5b4a39281706"
    base = "https://github.com/example/repo/blob/1a2b3c4d5e6f7a8b9c0d"
    assert f"[scripts/pull-images.sh:8]({head}/scripts/pull-images.sh#L8)" in markdown
    # The deleted doc, where it still exists; a whole file has no line anchor.
    assert f"[docs/gateway.md:3]({base}/docs/gateway.md#L3) (at base)" in markdown
    assert f"[docs/old-notes.md]({head}/docs/old-notes.md) |" in markdown
    targets = re.findall(r"\]\(([^)]*)\)", markdown)
    assert targets and all(t.startswith("https://github.com/example/repo/blob/") for t in targets)


def test_comment_of_a_passing_check() -> None:
    base = report(BASE_SCRIPT, BASE_DOCS)
    markdown = render_check_markdown(decide(base, base, Policy()), REFS)
    assert markdown.startswith(
        "### ✅ Image docs: No image lost its docs\n\n"
        "**Coverage 60.0% → 60.0%** (±0.0 points) from base `main` (1a2b3c4) to head "
        "`feature/docs` (9f8e7d6): 3 of 5 counted images documented.\n"
    )
    for absent in ("What fails", "#### Lost", "#### New", "#### Improvements", "more"):
        assert absent not in markdown
    assert "<details><summary>Missing before this change (2)</summary>\n" in markdown
    assert "<details><summary>Full inventory (5)</summary>\n" in markdown


def test_a_sha_given_as_the_ref_is_printed_once() -> None:
    refs = CheckRefs("1a2b3c4d5e6f", "1a2b3c4d5e6f7a8b9c0d", "feature/docs", None)
    markdown = render_check_markdown(verdict(), refs)
    assert "from base `1a2b3c4` to head `feature/docs`: " in markdown
    assert markdown.count("1a2b3c4") == 1


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


HOSTILE_SHELL = {"<!-- m -->", "</details>", "<sub>", "</sub>"}


def test_comment_renders_hostile_names_inert() -> None:
    markdown = render_check_markdown(hostile_verdict(), HOSTILE_REFS, marker=MARKER)
    assert_golden("check.hostile.md", markdown)
    lines = markdown.splitlines()
    assert lines[0] == MARKER
    # The only raw HTML is the marker, the comment's own <details> blocks and the <sub> line;
    # code spans show `<` as it is, and a line starting `> ` is a quote.
    ours = re.compile(r"<details><summary>[A-Za-z ]+ \(\d+\)</summary>|</details>|</?sub>")
    for line in lines[1:]:
        bare = ours.sub("", re.sub(r"(`+).*?\1", "", line)).removeprefix("> ")
        assert re.search(r"(?<!\\)[<>]", bare) is None, line
    outside_code = re.sub(r"(`+).*?\1", "", markdown)  # a code span is inert: no link, no ping
    assert re.search(r"(?<![A-Za-z0-9_])@(?!&#8203;)", outside_code) is None
    assert re.search(r"(?<!\\)\]\(javascript", outside_code) is None
    assert "\n# owned" not in markdown


def test_text_renders_control_characters_visible() -> None:
    results = (ImageResult(image("evil\x1b[2J:1", "evil", None, 3), Status.MISSING, ()),)
    found = decide(EMPTY_BASE, head_report(results), Policy())
    text = render_check_text(found, CheckRefs("main\u202e", "1a2b3c4", "x\ny"))
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "note: The base main\\u202e (1a2b3c4) has no images" in text
    assert (
        "  evil\\x1b[2J:1  scripts/pull-images.sh:3  add a doc whose file name or title "
        "names evil (or a heading or table row in another doc)\n"
    ) in text


def test_long_refs_are_clipped_in_the_headline() -> None:
    refs = CheckRefs("main", "1a2b3c4", "b" * 10_000, None)
    markdown = render_check_markdown(hostile_verdict(), refs)
    assert f"at head `{'b' * 79}…`: " in markdown


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
    markdown = render_check_markdown(big_verdict(10_000), REFS, links=LINKS, marker=MARKER)
    assert len(markdown) <= 65_000
    lines = markdown.splitlines()
    assert lines[:2] == [
        MARKER,
        "### ❌ Image docs: 10,000 new images have no docs and coverage is under 50%",
    ]
    assert (
        "- ❌ **New without docs** (10,000): add a doc whose file name or title names "
        "each new image (rows below); `image-docs-audit scaffold IMAGE...` writes a starter doc"
        in lines
    )
    shown = sum(
        line.startswith("| `registry.example.com/") and "| add a doc" in line for line in lines
    )
    assert shown == 25  # the comment's cap per section
    assert f"_… and 9,975 more, all in `{SCRIPT}`: the job summary lists every one._" in lines
    assert (
        lines[-1] == "_The job summary of this run lists every row; the JSON report has them all._"
    )


@pytest.mark.parametrize("budget", [5_000, 12_345, 30_000, 65_000])
@pytest.mark.parametrize("count", [1, 40, 400, 4_000])
def test_the_comment_never_exceeds_its_budget(budget: int, count: int) -> None:
    markdown = render_check_markdown(big_verdict(count), REFS, links=LINKS, budget=budget)
    assert len(markdown) <= budget
    assert "**What fails the check**" in markdown


def test_a_small_inventory_is_shown_whole() -> None:
    markdown = render_check_markdown(big_verdict(2), REFS, links=LINKS)
    assert "… and" not in markdown
    assert sum(line.startswith("| `registry.example.com/") for line in markdown.splitlines()) == 4


# What fails beyond coverage reaches every rendering, not only the JSON ---------------------

PORT_DOCS = {
    f"docs/app-{name}.md": f"# app-{name}\n\n## Ports\n\n- {8081 + i}\n\n## Dependencies\n\nnone\n"
    for i, name in enumerate("ab")
}
PORT_SCRIPT = "IMAGES=(\n  example/app-a:1\n  example/app-b:1\n)\n"


@pytest.mark.parametrize(
    ("config", "change", "headline", "kind_line"),
    [
        (
            "fail-on-port-conflict: true\n",
            {"docs/app-b.md": PORT_DOCS["docs/app-a.md"].replace("app-a", "app-b")},
            "FAIL: 1 new port conflict",
            "  port conflicts (1): port 8081 is claimed by more than one image: "
            "example/app-a:1 (docs/app-a.md:5); example/app-b:1 (docs/app-b.md:5). Give one "
            "of the images another port, or correct the doc that claims it (rows below)",
        ),
        (
            "required-sections: [Ports, Dependencies]\nmin-completeness: 100\n",
            {"docs/app-b.md": "# app-b\n\n## Ports\n\n- 8082\n"},
            "FAIL: 1 doc lacks required sections",
            "  incomplete docs (1): example/app-b:1 has 50% of the required sections "
            "(min-completeness 100%); missing: Dependencies. Add the missing sections to the "
            "image's own doc (rows below)",
        ),
    ],
    ids=["port-conflict", "incomplete-docs"],
)
def test_fact_regressions_render_in_text_and_markdown(
    tmp_path: Path, config: str, change: dict[str, str], headline: str, kind_line: str
) -> None:
    repo = Repo(tmp_path / "repo")
    config_path = ".github/image-docs-audit.yml"
    repo.commit({"pull-images.sh": PORT_SCRIPT, config_path: config, **PORT_DOCS}, "base")
    repo.commit(change, "head")
    argv = ["check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD"]
    out, err = io.StringIO(), io.StringIO()
    assert main(argv, stdout=out, stderr=err, env={}) == 1
    lines = out.getvalue().splitlines()
    assert err.getvalue() == ""
    assert lines[0] == headline and kind_line in lines
    assert "ports and required sections (1)" in lines
    out = io.StringIO()
    assert main([*argv, "--format", "markdown"], stdout=out, stderr=io.StringIO(), env={}) == 1
    assert_renders_well(out.getvalue())
    assert f"### ❌ Image docs: {headline.removeprefix('FAIL: ')}" in out.getvalue()


def test_the_scaffold_hint_is_a_command_a_shell_runs_as_shown() -> None:
    assert scaffold_command(["example/app-new:1"]) == "image-docs-audit scaffold example/app-new:1"
    # A reference is the repository's text: quoted, so pasting it runs nothing else.
    assert scaffold_command(["x/$(id):1", "y:1"]) == "image-docs-audit scaffold 'x/$(id):1' y:1"
    assert scaffold_command(["a:1", "b:1", "c:1", "d:1"]) == "image-docs-audit scaffold IMAGE..."
