"""The gate on real git histories: every regression kind, and what must not fail."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from gitrepo import Repo, run_git
from image_docs_audit.checking import run_check
from image_docs_audit.config import AuditSettings, IgnoreRule
from image_docs_audit.engine import ScanCache, build_matcher
from image_docs_audit.errors import InputError
from image_docs_audit.gate import Finding, Policy, Verdict, decide
from image_docs_audit.gitsource import GitTree
from image_docs_audit.inventory.reference import parse_reference
from image_docs_audit.model import Image, Location
from image_docs_audit.worktree import WorkTree

SCRIPT = "scripts/pull-images.sh"
BASE_SCRIPT = """IMAGES=(
  # Core
  example/app-api:1
  example/app-web:1
)
"""
BASE_DOCS = {
    "docs/app-api.md": "# app-api\n\nBuild report.\n",
    "docs/web-report.md": "# Web\n\n| image | port |\n|---|---|\n| app-web | 80 |\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: BASE_SCRIPT, **BASE_DOCS}, "base")
    return repo


NO_LIMITS = Policy()


def check(
    repo: Path | Repo, base: str = "HEAD", policy: Policy = NO_LIMITS, **settings: object
) -> Verdict:
    root = repo.root if isinstance(repo, Repo) else repo
    with GitTree.open(root, base) as base_tree:
        chosen = AuditSettings(**settings, policy=policy)  # type: ignore[arg-type]
        found = run_check(base_tree, WorkTree(root), chosen)
    return found.verdict


def kinds(findings: tuple[Finding, ...]) -> list[tuple[str, str | None, str | None, int | None]]:
    return [(f.kind, f.image, f.path, f.line) for f in findings]


def test_unchanged_tree_passes_with_a_full_verdict(repo: Repo) -> None:
    verdict = check(repo)
    assert verdict.passed
    assert (verdict.base.summary.coverage, verdict.head.summary.coverage) == (100.0, 100.0)
    assert verdict.regressions == verdict.improvements == verdict.removed == ()


def test_new_image_without_docs(repo: Repo) -> None:
    repo.write(
        {
            SCRIPT: BASE_SCRIPT.replace(
                "  example/app-web:1\n", "  example/app-web:1\n  example/app-session:1\n"
            )
        }
    )
    verdict = check(repo)
    assert not verdict.passed
    assert kinds(verdict.regressions) == [
        ("new_undocumented", "example/app-session:1", SCRIPT, 5),
        ("coverage_drop", None, None, None),
    ]
    assert verdict.regressions[0].detail == (
        "example/app-session:1 is new in the pull script and has no documentation"
    )
    assert (
        verdict.regressions[1].detail
        == "coverage fell from 100.0% to 66.7% (-33.3 points; none allowed)"
    )


def test_max_drop_allows_a_drop_but_not_a_new_undocumented_image(repo: Repo) -> None:
    repo.write({SCRIPT: BASE_SCRIPT + "docker pull example/app-extra:1\n"})
    verdict = check(repo, policy=Policy(max_drop=40))
    assert kinds(verdict.regressions) == [("new_undocumented", "example/app-extra:1", SCRIPT, 6)]


def test_deleted_doc_is_newly_missing_at_the_pull_script_line(repo: Repo) -> None:
    repo.write({"docs/app-api.md": None})
    verdict = check(repo, policy=Policy(max_drop=100))
    assert kinds(verdict.regressions) == [("newly_missing", "example/app-api:1", SCRIPT, 3)]
    assert verdict.regressions[0].detail == (
        "example/app-api:1 lost its documentation: docs/app-api.md was deleted or moved out "
        "of the docs"
    )


def test_removed_mention_is_newly_missing(repo: Repo) -> None:
    repo.write({"docs/web-report.md": "# Web\n\nNothing about it here.\n"})
    verdict = check(repo, policy=Policy(max_drop=100))
    assert kinds(verdict.regressions) == [("newly_missing", "example/app-web:1", SCRIPT, 4)]
    assert verdict.regressions[0].detail == (
        "example/app-web:1 lost its documentation: docs/web-report.md:5 no longer names it"
    )
    assert verdict.orphans == ("docs/web-report.md",)


def test_renamed_doc_keeps_its_evidence(repo: Repo) -> None:
    repo.git("mv", "docs/app-api.md", "docs/app-api-build-report.md")
    verdict = check(repo)
    assert verdict.passed and verdict.regressions == ()


def test_image_moved_between_categories_is_no_regression(repo: Repo) -> None:
    repo.write(
        {SCRIPT: "IMAGES=(\n  # Core\n  example/app-api:1\n  # Edge\n  example/app-web:1\n)\n"}
    )
    verdict = check(repo)
    assert verdict.passed
    assert [(g.name, g.base is not None, g.head is not None) for g in verdict.groups] == [
        ("Core", True, True),
        ("Edge", False, True),
    ]


def test_docs_only_and_unrelated_changes_pass(repo: Repo) -> None:
    repo.write(
        {"docs/extra.md": "# Notes\n\nNothing to do with images.\n", "src/main.py": "print()\n"}
    )
    verdict = check(repo)
    assert verdict.passed
    assert verdict.orphans == ("docs/extra.md",)


def test_threshold_fails_even_an_unchanged_tree(repo: Repo) -> None:
    repo.commit({"docs/web-report.md": None}, "drop the web report")
    verdict = check(repo, policy=Policy(fail_under=80))
    assert kinds(verdict.regressions) == [("below_threshold", None, None, None)]
    assert verdict.regressions[0].detail == "coverage 50.0% is below the threshold of 80%"


def test_improvements_and_removed_images(repo: Repo) -> None:
    repo.commit({"docs/web-report.md": None}, "no web docs")
    repo.write(
        {
            SCRIPT: "IMAGES=(\n  example/app-web:1\n  example/app-new:1\n)\n",
            "docs/web.md": "# app-web\n",
            "docs/new.md": "# app-new\n",
        }
    )
    verdict = check(repo)
    assert verdict.passed
    assert kinds(verdict.improvements) == [
        ("newly_documented", "example/app-web:1", SCRIPT, 2),
        ("new_documented", "example/app-new:1", SCRIPT, 3),
    ]
    assert kinds(verdict.removed) == [("removed", "example/app-api:1", SCRIPT, 3)]


def test_base_without_a_pull_script_is_an_empty_base(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit({"README.md": "hello\n"}, "before the pull script")
    repo.write(
        {
            SCRIPT: "docker pull example/app-api:1\ndocker pull example/app-web:1\n",
            "docs/app-api.md": "# app-api\n",
        }
    )
    verdict = check(repo)
    assert verdict.base.summary.total == 0
    assert kinds(verdict.regressions) == [("new_undocumented", "example/app-web:1", SCRIPT, 2)]


def test_only_changed_files_are_parsed_again(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    docs = {f"docs/app-{n}.md": f"# app-{n}\n" for n in range(10)}
    script = "".join(f"docker pull example/app-{n}:1\n" for n in range(10))
    base = repo.commit({SCRIPT: script, **docs}, "base")
    repo.write({"docs/app-3.md": "# app-3\n\nRebuilt.\n"})
    with GitTree.open(repo.root, base) as base_tree:
        found = run_check(base_tree, WorkTree(repo.root), AuditSettings())
    # Head: the script and 10 docs. Base: only the one doc that changed.
    assert found.parses == 1 + 10 + 1
    assert found.verdict.passed


def test_a_base_missing_from_a_shallow_clone_says_to_fetch_it(repo: Repo, tmp_path: Path) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.commit({"docs/more.md": "# more\n"}, "head")
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", "--depth", "1", repo.root.as_uri(), str(clone))
    with pytest.raises(InputError) as raised:
        GitTree.open(clone, base)
    assert str(raised.value) == (
        f"--base: '{base}' is not a commit in this clone (this clone is shallow); fetch it "
        f"(actions/checkout with fetch-depth: 0, or git fetch origin {base})"
    )


def test_a_config_edit_that_keeps_the_terms_reuses_every_scan(repo: Repo) -> None:
    ignoring = AuditSettings(ignore=(IgnoreRule("example/app-web", "vendor"),))
    with GitTree.open(repo.root, "HEAD") as base_tree:
        found = run_check(base_tree, WorkTree(repo.root), ignoring, AuditSettings())
    # The script and two docs, once: the head and the base share them, and judging the head
    # by the base's config (no ignore rule, the same terms) parses nothing again.
    assert found.parses == 3
    assert found.verdict.config_effect is not None


def test_a_config_edit_that_changes_the_terms_scans_the_docs_again(repo: Repo) -> None:
    aliased = AuditSettings(aliases=(("example/app-web", ("Web",)),))
    with GitTree.open(repo.root, "HEAD") as base_tree:
        found = run_check(base_tree, WorkTree(repo.root), aliased, AuditSettings())
    # The script once, the two docs once per set of terms: the alias makes `# Web` a title.
    assert found.parses == 1 + 2 + 2
    web = next(r for r in found.verdict.head.images if r.image.ref == "example/app-web:1")
    assert [(e.path, e.kind.value) for e in web.evidence if e.kind.value == "title"] == [
        ("docs/web-report.md", "title")
    ]


def test_one_matcher_for_each_set_of_terms() -> None:
    images = (Image("example/app:1", parse_reference("example/app:1"), None, Location("p", 1)),)
    cache = ScanCache()
    _, first = build_matcher(images, AuditSettings(), cache)
    _, again = build_matcher(images, AuditSettings(policy=Policy(fail_under=50.0)), cache)
    _, aliased = build_matcher(images, AuditSettings(aliases=(("app", ("App X",)),)), cache)
    assert again is first  # other settings, the same terms: its scans and finder are shared
    assert aliased is not first
    assert build_matcher(images, AuditSettings(aliases=(("app", ("App X",)),)), cache)[1] is aliased
    assert build_matcher(images, AuditSettings())[1] is not first  # no cache, nothing shared


def test_new_orphan_docs_are_found_among_tens_of_thousands(repo: Repo) -> None:
    """The head's orphan docs that the base did not have, in the head's order: looked up
    in a set (a tuple read whole for each of 40,000 orphans on each side took 8 s)."""
    verdict = check(repo)
    base = replace(verdict.base, orphan_docs=tuple(f"docs/o{n}.md" for n in range(200_000)))
    head = replace(base, orphan_docs=("docs/new.md", *base.orphan_docs[::-1], "docs/z.md"))
    started = time.perf_counter()
    found = decide(base, head, NO_LIMITS)
    assert time.perf_counter() - started < 30  # a slow machine's bound
    assert found.orphans == ("docs/new.md", "docs/z.md")
