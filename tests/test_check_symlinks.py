"""`check` reads a commit's symlinks as `audit` reads the checkout's: a link to a file
inside the repository is that file (a doc, a pull script, the config)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit.cli import main

SCRIPT = "scripts/pull-images.sh"
CONFIG = ".github/image-docs-audit.yml"
BASE = {
    SCRIPT: "IMAGES=(\n  # Core\n  example/app-api:1\n  example/app-web:1\n  example/app-db:1\n)\n",
    "docs/app-api.md": "# app-api\n",
    "docs/app-web.md": "# app-web\n",
}
GUARD = (
    "the config file is a symlink that leads out of the audited root, or lies in a folder "
    "that does; make it a regular file in the repository"
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, env={})
    return code, out.getvalue(), err.getvalue()


def check_json(repo: Repo, *argv: str) -> tuple[int, dict[str, object], str]:
    code, out, err = run("check", str(repo.root), "--format", "json", *argv)
    return code, json.loads(out) if out else {}, err


def kinds(data: dict[str, object]) -> list[tuple[str, str | None]]:
    regressions = data["regressions"]
    assert isinstance(regressions, list)
    return [(finding["kind"], finding["image"]) for finding in regressions]


def link(repo: Repo, name: str, target: str) -> None:
    (repo.root / name).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, repo.root / name)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit(BASE, "base")
    return repo


def test_deleting_a_doc_that_is_a_link_is_a_lost_doc(repo: Repo) -> None:
    repo.write({"shared/db-notes.md": "# app-db\n"})
    link(repo, "docs/app-db.md", "../shared/db-notes.md")
    repo.commit({}, "the db doc, through a link")
    code, out, _ = run("audit", str(repo.root))
    assert (code, out.splitlines()[0]) == (0, "coverage 100.0% (dedicated docs: 100.0%; "
        "documented 3 of 3 counted, mentioned 0, missing 0; 3 images, 0 ignored)")  # fmt: skip
    repo.write({"docs/app-db.md": None})
    code, data, err = check_json(repo, "--base", "HEAD", "--max-drop", "100")
    assert (code, err, kinds(data)) == (1, "", [("newly_missing", "example/app-db:1")])
    repo.commit({}, "drop the db doc")
    code, data, err = check_json(repo, "--base", "HEAD~1", "--head", "HEAD", "--max-drop", "100")
    assert (code, err, kinds(data)) == (1, "", [("newly_missing", "example/app-db:1")])


def test_a_pull_script_that_is_a_link_is_read_at_both_commits(repo: Repo) -> None:
    (repo.root / "tools").mkdir()
    repo.git("mv", SCRIPT, "tools/pull.sh")
    link(repo, SCRIPT, "../tools/pull.sh")
    repo.commit({}, "the pull script, through a link")
    text = (repo.root / "tools/pull.sh").read_text()
    repo.commit({"tools/pull.sh": text.replace(")\n", "  example/app-new:1\n)\n")}, "new")
    code, data, err = check_json(repo, "--base", "HEAD~1", "--head", "HEAD", "--max-drop", "100")
    # Only the new image is new: the base's images were read through the link too.
    assert (code, err, kinds(data)) == (1, "", [("new_undocumented", "example/app-new:1")])
    summaries = [data[side]["summary"] for side in ("base", "head")]  # type: ignore[index]
    assert [summary["total"] for summary in summaries] == [3, 4]


def config_through_link(repo: Repo, text: str) -> None:
    repo.write({"ci/ida.yml": text})
    link(repo, CONFIG, "../ci/ida.yml")
    repo.commit({}, "the config, through a link")


def test_a_config_that_is_a_link_sets_the_policy_at_a_commit(repo: Repo) -> None:
    config_through_link(repo, "fail-under: 90\n")
    assert run("audit", str(repo.root))[0] == 1  # 66.7% < 90
    code, data, err = check_json(repo, "--base", "HEAD", "--head", "HEAD")
    assert (code, err, kinds(data)) == (1, "", [("below_threshold", None)])


def test_lowering_the_bar_in_a_linked_config_is_a_loosening(repo: Repo) -> None:
    config_through_link(repo, "fail-under: 90\n")
    repo.commit({"ci/ida.yml": "fail-under: 10\n"}, "lower the bar")
    code, data, err = check_json(repo, "--base", "HEAD~1", "--head", "HEAD")
    assert (code, err, kinds(data)) == (1, "", [("policy_loosened", None)])
    assert data["config_change"] == {
        "path": CONFIG,
        "head_coverage_under_base_config": 66.7,
        "regressions_under_base_config": 1,
        "policy_changes": ["lowers fail-under from 90 to 10"],
    }


def test_a_config_in_a_linked_folder_is_read_at_a_commit(repo: Repo) -> None:
    repo.write({"ci/image-docs-audit.yml": "fail-under: 90\n"})
    link(repo, ".github", "ci")
    repo.commit({}, "the config's folder, through a link")
    assert run("audit", str(repo.root))[0] == 1
    code, data, _ = check_json(repo, "--base", "HEAD", "--head", "HEAD")
    assert (code, kinds(data)) == (1, [("below_threshold", None)])


def test_a_config_linked_out_of_the_root_is_refused_at_a_commit_as_on_disk(
    repo: Repo, tmp_path: Path
) -> None:
    (tmp_path / "outside.yml").write_text("fail-under: 0\n")
    link(repo, CONFIG, str(tmp_path / "outside.yml"))
    repo.commit({}, "the config, out of the repository")
    assert run("audit", str(repo.root)) == (2, "", f"image-docs-audit: {CONFIG}: {GUARD}\n")
    code, out, err = run("check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD")
    assert (code, out, err) == (2, "", f"image-docs-audit: {CONFIG}: {GUARD}\n")
    # At the base it is a broken config, which only means the change is judged by its own.
    repo.commit({CONFIG: None}, "no config")
    code, data, err = check_json(repo, "--base", "HEAD~1", "--head", "HEAD")
    assert (code, err, data["config_change"]) == (0, "", None)


def test_a_config_that_is_a_folder_is_refused_at_a_commit_as_on_disk(repo: Repo) -> None:
    repo.commit({f"{CONFIG}/x.yml": "docs: [docs]\n"}, "a folder where the config goes")
    expected = f"image-docs-audit: {CONFIG}: cannot read the config file (Is a directory)\n"
    assert run("audit", str(repo.root)) == (2, "", expected)
    code, out, err = run("check", str(repo.root), "--base", "HEAD", "--head", "HEAD")
    assert (code, out, err) == (2, "", expected)
