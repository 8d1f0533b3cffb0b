"""The comment of a very big change: 3,000 images, every kind of regression, 65,000 characters.

Reports are built by `audit` from a generated pull script and doc scans and judged by
`decide` (and `judge_loosening`, as a check of a config edit does), so the verdicts are
the ones a real check would give.
"""

from __future__ import annotations

from image_docs_audit.audit import audit
from image_docs_audit.config import AuditSettings
from image_docs_audit.gate import Policy, Verdict, decide, judge_loosening
from image_docs_audit.inventory import read_inventory
from image_docs_audit.model import DocScan, Hit, Kind, Report
from image_docs_audit.render import (
    CheckRefs,
    Links,
    Target,
    render_audit_comment,
    render_check_markdown,
)
from image_docs_audit.render.outcome import KIND_LABELS
from test_comment import assert_renders_well

SCRIPT = "scripts/pull-images.sh"
REFS = CheckRefs("main", "a" * 40, "feature/big", "b" * 40)
LINKS = Links("https://github.com/acme/edge", "b" * 40, "a" * 40)
MARKER = "<!-- image-docs-audit: sticky comment 0123456789ab -->"


def ref(i: int) -> str:
    return f"registry.example.com/platform/team-{i % 7}/app-service-number-{i:04d}:1.0.{i}"


def project(count: int, documented: range) -> Report:
    lines = ["IMAGES=("]
    for i in range(count):
        if i % 100 == 0:
            lines.append(f"  # Phase {i // 100 + 1}: Services {i // 100 + 1}")
        lines.append(f"  {ref(i)}")
    inventory = read_inventory([(SCRIPT, ("\n".join([*lines, ")", ""])).encode())])
    keys = [image.key for image in inventory.images]
    scans = [
        DocScan(f"docs/reports/step-{i:04d}-smoke-test.md", (Hit(keys[i], 0, Kind.FILENAME),))
        for i in documented
    ]
    return audit(inventory, scans, AuditSettings(), frozenset(), [])


def big_verdict(policy: Policy, base_policy: Policy | None = None) -> Verdict:
    """3,000 images at base, all documented; the head drops 1,500 docs and adds 200 images."""
    base = project(3_000, range(3_000))
    head = project(3_200, range(1_500, 3_000))
    verdict = decide(base, head, policy)
    if base_policy is not None:
        strict = decide(base, head, base_policy)
        changes = policy.loosened_from(base_policy)
        verdict = judge_loosening(verdict, strict, changes, ".github/image-docs-audit.yml")
    return verdict


def assert_fits(verdict: Verdict) -> list[str]:
    comment = render_check_markdown(verdict, REFS, links=LINKS, marker=MARKER)
    assert len(comment) <= 65_000
    assert_renders_well(comment)
    lines = comment.splitlines()
    assert lines[1].startswith("### ❌ Image docs: 1,500 images lost their docs, 200 new images")
    assert "| Phase 30: Services 30 | `██████████` 100.0% | 100 of 100 | ±0.0 |" in lines
    assert "_… and 2 more categories: the job summary has them all._" in lines
    for kind in {finding.kind for finding in verdict.regressions}:
        label = KIND_LABELS[kind]  # type: ignore[index]
        assert sum(line.startswith(f"- ❌ **{label}**") for line in lines) == 1, label
    return lines


def test_every_kind_of_a_3000_image_change_fits_in_the_comment() -> None:
    verdict = big_verdict(Policy(fail_under=60))
    assert {f.kind for f in verdict.regressions} == {
        "newly_missing",
        "new_undocumented",
        "coverage_drop",
        "below_threshold",
    }
    lines = assert_fits(verdict)
    assert "- ❌ **Lost their docs** (1,500): restore each lost doc, or name the image again " in (
        "\n".join(lines)
    )
    assert (
        "_… and 1,475 more, all under `docs/reports/step-*`: the job summary lists every one._"
        in lines
    )
    assert f"_… and 175 more, all in `{SCRIPT}`: the job summary lists every one._" in lines


def test_a_loosened_policy_is_kept_in_a_3000_image_comment() -> None:
    # The change lowers fail-under from 60 to 10: the threshold the base would apply is hidden.
    verdict = big_verdict(Policy(fail_under=10), base_policy=Policy(fail_under=60))
    assert {f.kind for f in verdict.regressions} == {
        "newly_missing",
        "new_undocumented",
        "coverage_drop",
        "policy_loosened",
    }
    lines = assert_fits(verdict)
    assert any(
        line.startswith("- ❌ **Policy loosened**: this change lowers fail-under") for line in lines
    )


def test_the_job_summary_has_every_row() -> None:
    verdict = big_verdict(Policy(fail_under=60))
    summary = render_check_markdown(verdict, REFS, links=LINKS, target=Target.SUMMARY)
    assert len(summary.encode()) <= 1_000_000
    assert (
        sum(
            line.endswith("| deleted: restore it, or move the docs under `docs/` |")
            for line in summary.splitlines()
        )
        == 1_500
    )
    assert "… and" not in summary.split("<details><summary>Full inventory")[0]


def test_the_audit_comment_has_the_same_budget() -> None:
    report = project(3_000, range(0, 3_000, 3))
    comment = render_audit_comment(report, 50.0, links=LINKS, marker=MARKER)
    assert len(comment) <= 65_000
    assert_renders_well(comment)
    lines = comment.splitlines()
    assert lines[1] == "### ❌ Image docs: 2,000 images of 3,000 have no docs"
    assert lines[3] == (
        "**Coverage 33.3%**: 1,000 of 3,000 counted images documented (2,000 missing)."
    )
    assert "#### Missing (2,000)" in lines
    assert (
        sum(line.startswith("| `registry.example.com/") and "| add a doc" in line for line in lines)
        == 25
    )


def test_a_removed_inventory_says_how_to_fix_it() -> None:
    base = project(3, range(3))
    head = audit(read_inventory([]), [], AuditSettings(), frozenset(), [])
    verdict = decide(base, head, Policy())
    comment = render_check_markdown(verdict, REFS, links=LINKS)
    assert comment.startswith(
        "### ❌ Image docs: The change removes every image from the pull scripts\n\n"
        "**Coverage 100.0% → no images** from base `main` (aaaaaaa) to head `feature/big` "
        "(bbbbbbb): the head has no image to document.\n\n"
    )
    assert (
        "- ❌ **Inventory removed**: the change removes the whole inventory (3 images at base): "
        "scripts/pull-images.sh was deleted. Restore the pull script, or point pull-scripts at "
        "the new one\n"
    ) in comment
