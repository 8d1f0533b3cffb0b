"""`image-docs-audit check` on real git repositories: exit codes, annotations, refs, config."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gitrepo import Repo, run_git
from image_docs_audit.cli import main

SCRIPT = "scripts/pull-images.sh"
BASE = {
    SCRIPT: "IMAGES=(\n  # Core\n  example/app-api:1\n  example/app-web:1\n)\n",
    "docs/app-api.md": "# app-api\n",
    "docs/app-web.md": "# app-web\n",
}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # No runner variables: the output must not depend on where the tests run.
    code = main(list(argv), stdout=out, stderr=err, env={})
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit(BASE, "base")
    return repo


def test_a_new_undocumented_image_fails_with_an_annotation_on_its_line(repo: Repo) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.write({SCRIPT: BASE[SCRIPT].replace(")\n", "  example/app-new:1\n)\n")})
    code, out, err = run("check", str(repo.root), "--base", base, "--annotations", "github")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"::error file={SCRIPT},line=5,title=image-docs-audit%3A new_undocumented::"
        "example/app-new:1 is new in the pull script and has no documentation"
    )
    assert lines[1].startswith("::error title=image-docs-audit%3A coverage_drop::coverage fell")
    assert "FAIL" in out


def test_json_verdict_names_refs_and_shas(repo: Repo) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.commit({"docs/app-web.md": None}, "drop a doc")
    head = repo.git("rev-parse", "HEAD")
    code, out, err = run(
        "check",
        str(repo.root),
        "--base",
        "HEAD~1",
        "--head",
        "HEAD",
        "--format",
        "json",
        "--max-drop",
        "50",
    )
    data = json.loads(out)
    assert (code, err) == (1, "")
    assert data["verdict"] == "fail"
    assert data["base"]["ref"] == "HEAD~1" and data["base"]["sha"] == base
    assert data["head"]["ref"] == "HEAD" and data["head"]["sha"] == head
    assert [(r["kind"], r["image"], r["path"], r["line"]) for r in data["regressions"]] == [
        ("newly_missing", "example/app-web:1", SCRIPT, 4)
    ]
    assert data["base"]["summary"]["coverage"] == 100.0
    assert data["head"]["summary"]["coverage"] == 50.0


def test_docs_only_change_passes(repo: Repo) -> None:
    repo.write({"docs/app-api.md": "# app-api\n\nRebuilt on arm64.\n"})
    code, out, _ = run("check", str(repo.root), "--base", "HEAD")
    assert code == 0 and out.startswith("PASS")


def test_the_config_comes_from_the_head_commit(repo: Repo) -> None:
    repo.commit({".github/image-docs-audit.yml": "fail-under: 100\n", "docs/app-web.md": None})
    code, out, _ = run(
        "check",
        str(repo.root),
        "--base",
        "HEAD~1",
        "--head",
        "HEAD",
        "--format",
        "json",
        "--max-drop",
        "100",
    )
    kinds = [r["kind"] for r in json.loads(out)["regressions"]]
    assert (code, kinds) == (1, ["newly_missing", "below_threshold"])


def test_a_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "mono")
    repo.commit({f"edge/{path}": text for path, text in BASE.items()} | {"README.md": "x\n"})
    repo.write({"edge/docs/app-web.md": None})
    code, out, err = run(
        "check", str(repo.root / "edge"), "--base", "HEAD", "--format", "json", "--max-drop", "100"
    )
    data = json.loads(out)
    assert (code, err) == (1, "")
    assert [(r["kind"], r["path"]) for r in data["regressions"]] == [("newly_missing", SCRIPT)]


def test_a_base_not_in_a_shallow_clone_is_exit_2_with_the_fix(repo: Repo, tmp_path: Path) -> None:
    base = repo.git("rev-parse", "HEAD")
    repo.commit({"docs/more.md": "# more\n"})
    clone = tmp_path / "clone"
    run_git(tmp_path, "clone", "-q", "--depth", "1", repo.root.as_uri(), str(clone))
    code, out, err = run("check", str(clone), "--base", base)
    assert (code, out) == (2, "")
    assert err == (
        f"image-docs-audit: --base: '{base}' is not a commit in this clone (this clone is "
        f"shallow); fetch it (actions/checkout with fetch-depth: 0, or git fetch origin {base})\n"
    )


def test_not_a_repository_and_missing_base_option(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    code, _, err = run("check", str(tmp_path / "plain"), "--base", "main")
    assert code == 2
    assert err.endswith("plain: not a git repository; run the check inside a clone\n")
    code, _, err = run("check", str(tmp_path / "plain"))
    assert code == 2
    assert err == (
        "image-docs-audit: the following arguments are required: --base "
        "(see 'image-docs-audit check --help')\n"
    )


def test_markdown_is_the_pull_request_comment(repo: Repo) -> None:
    repo.write({SCRIPT: BASE[SCRIPT].replace(")\n", "  example/app-new:1\n)\n")})
    code, out, _ = run("check", str(repo.root), "--base", "HEAD", "--format", "markdown")
    assert code == 1
    assert out.startswith("### ❌ Image docs: 1 new image has no docs and coverage fell 33.3")
    # Outside GitHub Actions and without --link-base: plain paths, never a relative link.
    assert f"| `example/app-new:1` | `{SCRIPT}:5` | add a doc whose file name" in out
    assert "](" not in out


def test_a_change_that_weakens_the_config_shows_its_effect(repo: Repo) -> None:
    config = ".github/image-docs-audit.yml"
    repo.commit({config: "docs: [docs]\n"}, "config at base")
    # The change drops a doc and hides the loss by ignoring the image.
    repo.write(
        {
            "docs/app-web.md": None,
            config: "docs: [docs]\nignore:\n  example/app-web: not ours any more\n",
        }
    )
    code, out, _ = run("check", str(repo.root), "--base", "HEAD", "--format", "json")
    data = json.loads(out)
    # The new ignore rule is what lets the head pass: a loosening, and a regression.
    assert (code, data["verdict"]) == (1, "fail")
    assert data["config_change"] == {
        "path": config,
        "head_coverage_under_base_config": 50.0,
        "regressions_under_base_config": 2,
        "policy_changes": ["adds ignore rules for example/app-web"],
    }
    assert [finding["kind"] for finding in data["regressions"]] == ["policy_loosened"]
    _, comment, _ = run("check", str(repo.root), "--base", "HEAD", "--format", "markdown")
    assert (
        "> [!WARNING]\n> This change edits the config `.github/image-docs-audit.yml`: under "
        "the base's config the head would have 50.0% coverage and 2 regressions. This change "
        "adds ignore rules for example/app-web.\n" in comment
    )


def test_a_config_edit_that_changes_no_rule_is_not_reported(repo: Repo) -> None:
    config = ".github/image-docs-audit.yml"
    repo.commit({config: "ignore:\n  example/none: x\n"}, "config at base")
    repo.write({config: "# a comment moves the rule down a line\nignore:\n  example/none: x\n"})
    code, out, _ = run("check", str(repo.root), "--base", "HEAD", "--format", "json")
    assert (code, json.loads(out)["config_change"]) == (0, None)


def test_link_base_makes_the_comment_link_at_the_commits(repo: Repo) -> None:
    repo.write({SCRIPT: BASE[SCRIPT].replace(")\n", "  example/app-new:1\n)\n")})
    head = repo.commit({}, "head")
    base = repo.git("rev-parse", "HEAD~1")
    code, out, _ = run(
        "check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD",
        "--format", "markdown", "--link-base", "https://github.example.com/acme/edge/",
    )  # fmt: skip
    assert code == 1
    link = f"[{SCRIPT}:5](https://github.example.com/acme/edge/blob/{head}/{SCRIPT}#L5)"
    assert f"| `example/app-new:1` | {link} | add a doc" in out
    assert f"from base `HEAD~1` ({base[:7]}) to head `HEAD` ({head[:7]})" in out


def test_inside_github_actions_the_links_come_from_the_runner(repo: Repo) -> None:
    repo.write({SCRIPT: BASE[SCRIPT].replace(")\n", "  example/app-new:1\n)\n")})
    head = repo.git("rev-parse", "HEAD")  # the working tree: its files are the checkout's
    out, err = io.StringIO(), io.StringIO()
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/edge",
    }
    argv = ["check", str(repo.root), "--base", "HEAD", "--format", "markdown"]
    assert main(argv, stdout=out, stderr=err, env=env) == 1
    assert f"(https://github.com/acme/edge/blob/{head}/{SCRIPT}#L5)" in out.getvalue()


def test_a_link_base_that_is_not_a_url_is_exit_2(repo: Repo) -> None:
    code, _, err = run("check", str(repo.root), "--base", "HEAD", "--link-base", "github.com/x")
    assert (code, err) == (
        2,
        "image-docs-audit: argument --link-base: 'github.com/x' is not a repository URL such "
        "as https://github.com/OWNER/REPO (see 'image-docs-audit check --help')\n",
    )


def test_badge_is_written_for_the_head(repo: Repo, tmp_path: Path) -> None:
    repo.write({SCRIPT: BASE[SCRIPT].replace(")\n", "  example/app-new:1\n)\n")})
    badge = tmp_path / "badge.svg"
    run("check", str(repo.root), "--base", "HEAD", "--badge", str(badge))
    assert 'aria-label="image docs: 66.7%"' in badge.read_text()


def test_a_docs_folder_the_change_moves_is_checked_not_an_input_error(repo: Repo) -> None:
    """Every doc moves from docs/ to documentation/ and docs/ is gone at the head: the
    check runs, and says the move once, so the comment can tell what to do."""
    base = repo.git("rev-parse", "HEAD")
    repo.git("mv", "docs", "documentation")
    head = repo.commit({}, "move the docs")
    code, out, err = run("check", str(repo.root), "--base", base, "--head", head)
    assert (code, err) == (1, "")
    assert (
        "moved: docs/ moved to documentation/ (2 docs): update docs: in the config (or the "
        "docs input, or --docs) to documentation/ and 2 images find their docs again.\n"
    ) in out
    code, out, err = run(
        "check", str(repo.root), "--base", base, "--head", head, "--format", "json"
    )
    kinds = [finding["kind"] for finding in json.loads(out)["regressions"]]
    assert (code, err, kinds) == (1, "", ["newly_missing", "newly_missing", "coverage_drop"])


def test_a_docs_folder_missing_at_both_sides_is_still_exit_2(repo: Repo) -> None:
    code, out, err = run("check", str(repo.root), "--base", "HEAD", "--docs", "nodocs")
    assert (code, out) == (2, "")
    assert err == (
        "image-docs-audit: docs 'nodocs': the docs folder does not exist (Markdown is under "
        "docs/ (2 docs)); check --docs or 'docs' in the config\n"
    )


def test_a_docs_folder_not_found_names_where_the_markdown_is(tmp_path: Path) -> None:
    """A repository keeps its reports under another name than the default `docs`: the
    error names the top folders holding the most Markdown (a doc at the root is none)."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "pull-images.sh").write_text("docker pull example/app:1\n")
    (tmp_path / "README.md").write_text("# repo\n")
    for path in ("documentation/a.md", "documentation/ops/b.md", "wiki/c.markdown",
                 "notes/d.txt", "x/y/z/e.md", "b/f.md"):  # fmt: skip
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("# doc\n")
    code, out, err = run("audit", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == (
        "image-docs-audit: docs 'docs': the docs folder does not exist (Markdown is under "
        "documentation/ (2 docs), b/ (1 doc), wiki/ (1 doc)); check --docs or 'docs' in the "
        "config\n"
    )
    for path in ("documentation/a.md", "documentation/ops/b.md", "wiki/c.markdown",
                 "x/y/z/e.md", "b/f.md"):  # fmt: skip
        (tmp_path / path).unlink()
    code, out, err = run("audit", str(tmp_path))
    assert err == (
        "image-docs-audit: docs 'docs': the docs folder does not exist; check --docs or 'docs' "
        "in the config\n"
    )
