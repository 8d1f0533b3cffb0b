"""A change cannot loosen the gate unnoticed, nor pass by removing what the gate looks at."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit.cli import main
from image_docs_audit.github.action import SERVICES, Services, run_action
from image_docs_audit.github.client import GitHubClient
from image_docs_audit.github.settings import ActionSettings
from image_docs_audit.policy import POINTS_EXPECTED
from test_action import DELETE_DOC, REPOSITORY, Run, comments

CONFIG = ".github/image-docs-audit.yml"
SCRIPT = "pull-images.sh"
FOUR = "IMAGES=(\n  example/app-a:1\n  example/app-b:1\n  example/app-c:1\n  example/app-d:1\n)\n"
DOCS = {f"docs/app-{name}.md": f"# app-{name}\n" for name in "abcd"}


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR, CONFIG: "fail-under: 90\n", **DOCS}, "base")
    return repo


def check_json(repo: Repo) -> tuple[int, dict[str, object]]:
    code, out, err = cli("check", str(repo.root), "--base", "HEAD", "--format", "json")
    assert err == ""
    return code, json.loads(out)


def test_hostile_lowering_fail_under_to_pass_fails(repo: Repo) -> None:
    repo.write({"docs/app-c.md": None, "docs/app-d.md": None, CONFIG: "fail-under: 10\n"})
    code, data = check_json(repo)
    assert (code, data["verdict"]) == (1, "fail")
    [loosened] = [r for r in data["regressions"] if r["kind"] == "policy_loosened"]  # type: ignore[attr-defined]
    assert loosened == {
        "kind": "policy_loosened",
        "image": None,
        "path": CONFIG,
        "line": None,
        "detail": "this change lowers fail-under from 90 to 10; under the base's policy the "
        "head fails: coverage 50.0% is below the threshold of 90%",
    }


def test_hostile_raising_max_drop_to_pass_fails(repo: Repo) -> None:
    repo.commit({CONFIG: "max-drop: 0\n"}, "no drop allowed")
    repo.write({CONFIG: "max-drop: 100%\nignore:\n  app-d: gone\n", "docs/app-c.md": None})
    code, data = check_json(repo)
    assert code == 1
    kinds = [r["kind"] for r in data["regressions"]]  # type: ignore[attr-defined]
    assert "policy_loosened" in kinds
    assert data["config_change"]["policy_changes"] == ["raises max-drop from 0 to 100"]  # type: ignore[index]


def test_a_loosening_the_head_does_not_need_is_shown_and_passes(repo: Repo) -> None:
    repo.write({CONFIG: "fail-under: 80%\n"})
    code, data = check_json(repo)
    assert (code, data["regressions"]) == (0, [])
    assert data["config_change"]["policy_changes"] == ["lowers fail-under from 90 to 80"]  # type: ignore[index]
    _, text, _ = cli("check", str(repo.root), "--base", "HEAD")
    assert (
        "warning: This change edits the config .github/image-docs-audit.yml: under the base's "
        "config the head would have 100.0% coverage and 0 regressions. This change lowers "
        "fail-under from 90 to 80.\n"
    ) in text


@pytest.mark.parametrize(
    ("value", "accepted"), [("80", True), ("80%", True), ("0.5 %", True), ("150", False)]
)
def test_one_syntax_for_the_policy_everywhere(repo: Repo, value: str, accepted: bool) -> None:
    repo.write({CONFIG: f"max-drop: '{value}'\n"})
    from_config = cli("check", str(repo.root), "--base", "HEAD")
    repo.write({CONFIG: ""})
    from_cli = cli("check", str(repo.root), "--base", "HEAD", "--max-drop", value)
    env = {
        "GITHUB_WORKSPACE": str(repo.root),
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "INPUT_MAX-DROP": value,
    }
    from_action = _action(env)
    codes = {from_config[0], from_cli[0], from_action[0]}
    if accepted:
        assert codes == {0}
        return
    assert codes == {2}
    assert (
        from_config[2]
        == f"image-docs-audit: {CONFIG}:1: 'max-drop' must be {POINTS_EXPECTED}, not '150'\n"
    )
    assert from_cli[2].startswith(
        f"image-docs-audit: argument --max-drop: '150' is not {POINTS_EXPECTED}"
    )
    assert from_action[2] == f"image-docs-audit: input 'max-drop': '150' is not {POINTS_EXPECTED}\n"


def _action(env: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(["action"], stdout=out, stderr=err, env=env), out.getvalue(), err.getvalue()


def test_hostile_deleting_the_pull_script_is_a_regression(repo: Repo) -> None:
    repo.write({SCRIPT: None})
    code, data = check_json(repo)
    assert code == 1
    assert data["regressions"][0] == {  # type: ignore[index]
        "kind": "inventory_removed",
        "image": None,
        "path": SCRIPT,
        "line": None,
        "detail": "the change removes the whole inventory (4 images at base): "
        "pull-images.sh was deleted",
    }


def test_hostile_emptying_the_pull_script_is_a_regression(repo: Repo) -> None:
    repo.write({SCRIPT: "# nothing to pull any more\n"})
    code, data = check_json(repo)
    assert code == 1
    assert data["regressions"][0]["detail"] == (  # type: ignore[index]
        "the change removes the whole inventory (4 images at base): pull-images.sh lists no image"
    )


def test_an_empty_inventory_is_exit_2_for_audit(repo: Repo) -> None:
    repo.write({SCRIPT: "echo nothing\n"})
    assert cli("audit", str(repo.root)) == (
        2,
        "",
        "image-docs-audit: pull-scripts: no image found in pull-images.sh; check the pull script\n",
    )


def test_a_docs_folder_that_does_not_exist_is_exit_2(repo: Repo) -> None:
    assert cli("audit", str(repo.root), "--docs", "nodocs") == (
        2,
        "",
        "image-docs-audit: docs 'nodocs': the docs folder does not exist; check --docs or "
        "'docs' in the config\n",
    )
    (repo.root / "empty").mkdir()
    code, out, err = cli("audit", str(repo.root), "--docs", "empty", "--fail-under", "0")
    assert (code, err) == (0, "")
    assert "docs folder 'empty' holds no Markdown file" in out


def test_the_github_client_is_injected_so_no_test_sleeps(run: Run) -> None:
    run_ = run
    run_.github.fail("POST", r"/repos/.*/issues/2/comments", 429, headers={"Retry-After": "30"})
    run_.head(DELETE_DOC)
    run_.event("pull_request", "pull_request.opened.json")
    slept: list[float] = []

    def connect(settings: ActionSettings) -> GitHubClient:
        return GitHubClient(settings.token, settings.api_url, sleep=slept.append)

    out = io.StringIO()
    code = run_action(run_.env, out, Services(open_base=SERVICES.open_base, connect=connect))
    assert code == 1 and slept == [30.0]
    assert len(comments(run_.github)) == 1 and REPOSITORY in run_.env["GITHUB_REPOSITORY"]
