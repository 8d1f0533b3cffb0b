"""The comment, the job summary and the terminal view of real checks of the sample project.

Each scenario commits the sample project (the one `demo` audits) as the base, changes it as
a pull request would, commits the head, and renders the three views of one check. The
goldens in tests/golden/sample-*.{md,summary.md,txt} are the review copies: regenerate
them with `UPDATE_GOLDEN=1 pytest tests/test_comment.py`, then read the diff.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from gitrepo import Repo
from goldenfiles import assert_golden
from image_docs_audit.app import check_trees
from image_docs_audit.config import Overrides
from image_docs_audit.gitsource import GitTree
from image_docs_audit.renames import read_renames
from image_docs_audit.render import (
    CheckRefs,
    Links,
    Target,
    render_check_markdown,
    render_check_text,
)

REPO_URL = "https://github.com/acme/edge"
SCRIPT = "scripts/verification/pull-images.sh"
MARKER = "<!-- image-docs-audit: sticky comment 0123456789ab -->"


def sample_files() -> dict[str, str]:
    root = resources.files("image_docs_audit") / "sample"
    with resources.as_file(root) as folder:
        return {
            str(path.relative_to(folder)): path.read_text(encoding="utf-8")
            for path in sorted(Path(folder).rglob("*"))
            if path.is_file()
        }


def with_new_image(files: dict[str, str]) -> dict[str, str]:
    script = files[SCRIPT].replace(
        '    "${REGISTRY}/app-session-api:latest-arm64"\n',
        '    "${REGISTRY}/app-session-api:latest-arm64"\n'
        '    "${REGISTRY}/app-audit-trail:latest-arm64"\n',
    )
    notes = files["docs/troubleshooting-notes.md"] + (
        "\n```console\n$ docker logs example/app-audit-trail:latest-arm64\n```\n"
    )
    return {SCRIPT: script, "docs/troubleshooting-notes.md": notes}


Change = Callable[[dict[str, str]], dict[str, str | None]]

SCENARIOS: dict[str, tuple[Change, Overrides]] = {
    # A doc for an image that had none: the check passes and says what improved.
    "pass": (
        lambda files: {
            "docs/step03-log-shipper-smoke-test.md": "# app-log-shipper smoke test\n\nPassed.\n"
        },
        Overrides(),
    ),
    # A doc deleted, a new image only mentioned in a code block, under a 60% threshold.
    "fail": (
        lambda files: {"docs/app-auth-service.md": None, **with_new_image(files)},
        Overrides(fail_under=60),
    ),
    # The config now ignores the third-party image too: coverage over 27 counted images.
    "ignored": (
        lambda files: {
            ".github/image-docs-audit.yml": files[".github/image-docs-audit.yml"]
            + "  - image: redis:7-alpine\n    reason: upstream image\n"
        },
        Overrides(),
    ),
}


def check(repo: Repo, base: str, head: str, overrides: Overrides) -> tuple[str, str, str]:
    """The comment, the job summary and the terminal view of `head` against `base`."""
    with GitTree.open(repo.root, base) as base_tree, GitTree.open(repo.root, head) as head_tree:
        result = check_trees(repo.root, None, overrides, base_tree, head_tree, head_is_commit=True)
    refs = CheckRefs("main", base, "feature/docs", head)
    links = Links(REPO_URL, head, base)
    renames = read_renames(repo.root, base, head)
    verdict = result.verdict

    def page(target: Target, marker: str) -> str:
        return render_check_markdown(
            verdict, refs, links=links, marker=marker, renames=renames, target=target
        )

    text = render_check_text(verdict, refs, renames=renames)
    return page(Target.COMMENT, MARKER), page(Target.SUMMARY, ""), text


def scenario(tmp_path: Path, name: str) -> tuple[str, str, str]:
    files = sample_files()
    repo = Repo(tmp_path / "edge")
    if name == "no-base-images":  # the change adds the pull script to a docs-only repository
        base = repo.commit({k: v for k, v in files.items() if not k.startswith("scripts/")})
        head = repo.commit(files)
        return check(repo, base, head, Overrides())
    change, overrides = SCENARIOS[name]
    base = repo.commit(files)
    head = repo.commit(change(files))
    return check(repo, base, head, overrides)


@pytest.mark.parametrize("name", ["pass", "fail", "no-base-images", "ignored"])
def test_sample_views_match_golden(tmp_path: Path, name: str) -> None:
    comment, summary, text = scenario(tmp_path, name)
    assert_golden(f"sample-{name}.md", comment)
    assert_golden(f"sample-{name}.summary.md", summary)
    assert_golden(f"sample-{name}.txt", text)
    assert_renders_well(comment)
    assert_renders_well(summary)


def test_the_failing_change_names_each_fix(tmp_path: Path) -> None:
    comment, _, text = scenario(tmp_path, "fail")
    base = re.search(r"/blob/([0-9a-f]{40})/docs/app-auth-service\.md", comment)
    assert base is not None  # the deleted doc is linked at the base commit
    assert (
        f"| `example/app-auth-service:latest-arm64` | [{SCRIPT}:24]({REPO_URL}/blob/"
    ) in comment
    assert (
        f"[docs/app-auth-service.md]({REPO_URL}/blob/{base.group(1)}/docs/app-auth-service.md) "
        "(at base) | deleted: restore it, or move the docs under `docs/` |"
    ) in comment
    assert "| named only in a code block at [docs/troubleshooting-notes.md:" in comment
    assert ": a heading, table row or list item naming `app-audit-trail` would count" in comment
    assert "FAIL: 1 image lost its docs, 1 new image has none" in text


def test_coverage_and_its_count_agree_with_ignored_images(tmp_path: Path) -> None:
    comment, summary, text = scenario(tmp_path, "ignored")
    # Both sides are judged by the head's config: 16 of 27 counted (59.3%), 2 ignored.
    said = "59.3%** (±0.0 points) from base `main` ("
    assert f"**Coverage 59.3% → {said}" in comment
    assert "): 16 of 27 counted images documented (2 ignored).\n" in comment
    assert "): 16 of 27 counted images documented (2 ignored).\n" in summary
    assert "): 16 of 27 counted images documented (2 ignored).\n" in text
    assert "| Third-party dependencies | all ignored | 0 of 0 | ±0.0 |" in comment
    # What the base's config said, once, where the change edits it.
    assert "> [!WARNING]\n> This change edits the config `.github/image-docs-audit.yml`" in comment


def assert_renders_well(markdown: str) -> None:
    """Parsed as GitHub parses it: every table has a row, every link is absolute."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables = 0
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            tables += 1
            closing = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
            assert any(t.type == "tbody_open" for t in tokens[index:closing]), "header-only table"
        for child in token.children or ():
            if child.type == "link_open":
                href = str(child.attrs["href"])
                assert href.startswith(f"{REPO_URL}/blob/"), href
    assert tables > 0


# A big change: 350 images, the docs folder moved ---------------------------------------

BIG = 350


def big_project(count: int) -> dict[str, str]:
    """`count` images in categories of 50, each with a report under docs/reports."""
    lines = ["IMAGES=("]
    for i in range(count):
        if i % 50 == 0:
            lines.append(f"  # Phase {i // 50 + 1}: Services {i // 50 + 1}")
        lines.append(f"  registry.example.com/team/app-svc-{i:03d}:1.0")
    files = {"scripts/pull-images.sh": "\n".join([*lines, ")", ""])}
    files["docs/README.md"] = "# Docs\n\nReports live under reports/.\n"
    for i in range(count):
        files[f"docs/reports/step-{i:03d}-svc-{i:03d}.md"] = (
            f"# app-svc-{i:03d} smoke test\n\nStatus: passed on run {i}.\n"
        )
    return files


def moved_docs_change(repo: Repo, files: dict[str, str]) -> str:
    """Move docs/reports to documentation/reports, delete two reports, add three images."""
    repo.git("mv", "docs/reports", "documentation")
    script = files["scripts/pull-images.sh"].replace(
        ")\n", "".join(f"  registry.example.com/team/app-new-{i}:1.0\n" for i in range(3)) + ")\n"
    )
    (repo.root / "documentation" / "step-000-svc-000.md").unlink()
    (repo.root / "documentation" / "step-001-svc-001.md").unlink()
    return repo.commit({"scripts/pull-images.sh": script}, "move the docs")


def test_a_big_change_that_moves_the_docs_folder(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "big")
    files = big_project(BIG)
    base = repo.commit(files)
    head = moved_docs_change(repo, files)
    comment, summary, text = check(repo, base, head, Overrides(fail_under=80))
    assert len(comment) <= 65_000
    assert_renders_well(comment)  # no table with a header and no row
    assert_renders_well(summary)
    lines = comment.splitlines()
    assert lines[1] == (
        "### ❌ Image docs: 350 images lost their docs, 3 new images have none, coverage fell "
        "100.0 points and coverage is under 80%"
    )
    # The move is said once, for the 348 images whose docs moved with it.
    moved = (
        "📁 `docs/reports/` moved to `documentation/` (348 docs): update `docs:` in the config "
        "(or the docs input, or --docs) to `documentation/` and 348 images find their docs again."
    )
    assert lines.count(moved) == 1
    assert sum("moved" in line for line in lines) == 1
    for kept in (
        "| Phase 7: Services 7 | `░░░░░░░░░░` 0.0% | 0 of 53 | -100.0 |",
        "- ❌ **Lost their docs** (350): restore each lost doc, or name the image again in a "
        "doc (rows below)",
        "- ❌ **New without docs** (3): add a doc whose file name or title names each new "
        "image (rows below); `image-docs-audit scaffold registry.example.com/team/app-new-0:1.0 "
        "registry.example.com/team/app-new-1:1.0 registry.example.com/team/app-new-2:1.0` "
        "writes a starter doc",
        "- ❌ **Coverage drop**: 100.0% → 0.0% (-100.0 points; none allowed): 353 more "
        "documented images would keep the drop within it",
        "- ❌ **Below the threshold**: 0.0% is under fail-under 80%: 283 more documented "
        "images would reach it",
        "#### Lost their docs (2)",
        "#### New without docs (3)",
    ):
        assert kept in lines
    # The two deleted reports are rows; the 348 moved ones are only in the job summary.
    deleted = [
        line
        for line in lines
        if line.endswith("| deleted: restore it, or move the docs under `docs/` |")
    ]
    assert len(deleted) == 2
    assert "<details><summary>Lost their docs with a moved folder" not in comment
    assert "#### Lost their docs with a moved folder (348)" in summary
    outside = (
        ", outside the docs folders: move it back under `docs/`, or add its folder to `docs:` |"
    )
    assert sum(line.endswith(outside) for line in summary.splitlines()) == 348
    assert "\nmoved: docs/reports/ moved to documentation/ (348 docs): update docs:" in text
