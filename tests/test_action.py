"""`image-docs-audit action` run as the runner runs a container action, against a fake GitHub.

Every test builds a real git repository (a base commit and a head), writes a real
event payload from tests/fixtures/github with its shas pointed at that repository,
sets the INPUT_* and GITHUB_* variables a runner sets, and talks to a real HTTP
server on 127.0.0.1.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakegithub import READ_ONLY, FakeGitHub
from gitrepo import Repo
from image_docs_audit.cli import main
from image_docs_audit.github.action import SERVICES, Services
from image_docs_audit.github.client import GitHubClient
from image_docs_audit.github.comment import marker
from image_docs_audit.github.settings import ActionSettings, read_action_settings

EVENTS = Path(__file__).parent / "fixtures" / "github" / "events"
TOKEN = "ghs_s3cr3tT0kenThatMustNeverBePrinted"
REPOSITORY = "Codertocat/Hello-World"
SCRIPT = "scripts/pull-images.sh"
BASE = {
    SCRIPT: "IMAGES=(\n  # Core\n  example/app-api:1\n  example/app-web:1\n)\n",
    "docs/app-api.md": "# app-api\n",
    "docs/app-web.md": "# app-web\n",
}


def events_dir() -> Path:
    """Real webhook payloads (octokit/webhooks, MIT): see tests/fixtures/github/README.md."""
    return EVENTS


class FakeClock:
    """Time that passes only when the client waits: retries are tested without sleeping."""

    def __init__(self) -> None:
        self.elapsed = 0.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.elapsed += seconds

    def now(self) -> float:
        return self.elapsed

    def wall(self) -> float:
        return 1_700_000_000.0 + self.elapsed


class Run:
    """A workspace with a base and a head commit, and the environment of one action run."""

    def __init__(self, tmp_path: Path, github: FakeGitHub) -> None:
        self.repo = Repo(tmp_path / "workspace")
        self.base = self.repo.commit(BASE, "base")
        self.github = github
        self.clock = FakeClock()
        self.files = tmp_path / "file_commands"
        self.files.mkdir()
        self.env: dict[str, str] = {
            "GITHUB_WORKSPACE": str(self.repo.root),
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_API_URL": github.url,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_OUTPUT": str(self.files / "output"),
            "GITHUB_STEP_SUMMARY": str(self.files / "summary"),
            "INPUT_GITHUB-TOKEN": TOKEN,
            "INPUT_CONFIG": ".github/image-docs-audit.yml",
            "INPUT_MODE": "auto",
            "INPUT_COMMENT": "auto",
            "INPUT_FAIL-UNDER": "",
            "INPUT_MAX-DROP": "",
            "INPUT_PULL-SCRIPT": "",
            "INPUT_DOCS": "",
            "INPUT_EXCLUDE": "",
            "INPUT_BASE-REF": "",
        }

    def head(self, files: dict[str, str | None]) -> str:
        self.sha = self.repo.commit(files, "head")
        return self.sha

    def event(self, name: str, fixture: str, edit: dict[str, Any] | None = None) -> None:
        payload = json.loads((events_dir() / fixture).read_text())
        if "pull_request" in payload:
            payload["pull_request"]["base"]["sha"] = self.base
            payload["pull_request"]["head"]["sha"] = self.repo.git("rev-parse", "HEAD")
        for path, value in (edit or {}).items():
            target = payload
            *parents, last = path.split(".")
            for key in parents:
                target = target[key]
            target[last] = value
        event_path = self.files / "event.json"
        event_path.write_text(json.dumps(payload))
        self.env.update(
            GITHUB_EVENT_NAME=name,
            GITHUB_EVENT_PATH=str(event_path),
            GITHUB_SHA=self.repo.git("rev-parse", "HEAD"),
        )

    def run(self) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(["action"], stdout=out, stderr=err, env=self.env, services=self.services())
        text_out, text_err = out.getvalue(), err.getvalue()
        for text in (text_out, text_err, self.outputs_text(), self.summary()):
            assert TOKEN not in text
        return code, text_out, text_err

    def services(self) -> Services:
        """The real services, with a client whose retry waits pass on a fake clock."""

        def connect(settings: ActionSettings) -> GitHubClient:
            return GitHubClient(
                settings.token,
                settings.api_url,
                retry_budget=settings.api_budget,
                sleep=self.clock.sleep,
                clock=self.clock.now,
                wall=self.clock.wall,
            )

        return replace(SERVICES, connect=connect)

    def outputs_text(self) -> str:
        path = self.files / "output"
        return path.read_text() if path.exists() else ""

    def outputs(self) -> dict[str, str]:
        return dict(re.findall(r"^([a-z-]+)=(.*)$", self.outputs_text(), re.MULTILINE))

    def summary(self) -> str:
        path = self.files / "summary"
        return path.read_text() if path.exists() else ""


def comments(github: FakeGitHub, number: int = 2) -> list[dict[str, Any]]:
    return github.comments(REPOSITORY, number)


DELETE_DOC = {"docs/app-web.md": None}
ADD_DOCUMENTED = {
    SCRIPT: BASE[SCRIPT].replace(")\n", "  example/app-new:1\n)\n"),
    "docs/app-new.md": "# app-new\n",
}


def test_a_pull_request_that_deletes_a_doc_fails_and_gets_one_comment(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    code, out, err = run.run()
    assert (code, err) == (1, "")
    [comment] = comments(run.github)
    assert comment["user"]["login"] == "github-actions[bot]"
    assert comment["body"].startswith("<!-- image-docs-audit: sticky comment ")
    body = comment["body"]
    assert "\n### ❌ Image docs: 1 image lost its docs and coverage fell 50.0 points\n" in body
    # The lost doc is linked at the base commit, where it still exists.
    lost = f"https://github.com/{REPOSITORY}/blob/{run.base}/docs/app-web.md"
    assert f"| `example/app-web:1` | [{SCRIPT}:4](https://github.com/{REPOSITORY}/blob/" in body
    assert f"| [docs/app-web.md]({lost}) (at base) | deleted: restore it" in body
    assert f"::error file={SCRIPT},line=4,title=image-docs-audit%3A newly_missing::" in out
    outputs = run.outputs()
    assert outputs == {
        "verdict": "fail",
        "coverage": "50.0",
        "dedicated-coverage": "50.0",
        "base-coverage": "100.0",
        "total": "2",
        "documented": "1",
        "missing": "1",
        "regressions": "2",
        "report-json": "image-docs-audit-report.json",
        "comment-url": comment["html_url"],
        "comment-body": "image-docs-audit-comment.md",
        "sarif": "",
    }
    # The job summary is the same page without the marker, and without a row cap.
    assert run.summary() == body.split("\n", 1)[1]
    report = json.loads((run.repo.root / "image-docs-audit-report.json").read_text())
    assert report["verdict"] == "fail" and report["base"]["sha"] == run.base


def test_a_passing_pull_request_gets_no_new_comment_but_an_old_one_is_updated(run: Run) -> None:
    run.head(ADD_DOCUMENTED)
    run.event("pull_request", "pull_request.synchronize.json")
    code, _, _ = run.run()
    assert code == 0 and comments(run.github) == []
    assert run.outputs()["comment-url"] == ""
    # A failing run left a comment: the passing run must not leave it stale.
    stale = run.github.add_comment(REPOSITORY, 2, marker_of(run) + "\n## ❌ old failure\n")
    code, out, _ = run.run()
    [comment] = comments(run.github)
    assert code == 0 and comment["id"] == stale["id"]
    assert comment["body"].startswith(marker_of(run) + "\n### ✅ Image docs: ")
    assert "comment updated" in out


def marker_of(run: Run) -> str:
    return marker(read_action_settings(run.env).comment_id)


def test_create_then_update_then_unchanged(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT"] = "always"
    assert run.run()[0] == 1
    first = comments(run.github)
    run.repo.commit({"docs/app-web.md": "# app-web\n"}, "restore the doc")
    run.event("pull_request", "pull_request.synchronize.json")
    assert run.run()[0] == 0
    second = comments(run.github)
    assert len(first) == len(second) == 1 and first[0]["id"] == second[0]["id"]
    assert "✅" in second[0]["body"]
    patches = [r for r in run.github.requests if r.method == "PATCH"]
    assert len(patches) == 1
    _, out, _ = run.run()
    assert "comment unchanged" in out
    assert len([r for r in run.github.requests if r.method == "PATCH"]) == 1


def test_the_marker_on_page_2_of_3_is_found(run: Run) -> None:
    for index in range(250):
        if index == 150:
            run.github.add_comment(REPOSITORY, 2, marker_of(run) + "\nold")
        else:
            run.github.add_comment(REPOSITORY, 2, f"comment {index}", login="octocat")
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    assert run.run()[0] == 1
    listed = [r for r in run.github.requests if r.method == "GET" and r.path.endswith("/comments")]
    assert len(listed) == 3 and all(r.query.get("per_page") == "100" for r in listed[:1])
    assert len(comments(run.github)) == 250  # updated, not added
    assert [r.method for r in run.github.requests].count("POST") == 0


def test_duplicates_are_cleaned_up_keeping_the_oldest(run: Run) -> None:
    first = run.github.add_comment(REPOSITORY, 2, marker_of(run) + "\nfirst")
    run.github.add_comment(REPOSITORY, 2, marker_of(run) + "\nsecond")
    quoted = run.github.add_comment(
        REPOSITORY, 2, marker_of(run) + " quoted by a human", login="octocat"
    )
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.run()
    left = comments(run.github)
    assert [c["id"] for c in left] == [first["id"], quoted["id"]]


@pytest.mark.parametrize(
    ("fault", "expected_comments"),
    [
        ({"method": "POST", "status": 502, "times": 1}, 1),
        ({"method": "GET", "status": 429, "headers": {"Retry-After": "1"}, "times": 1}, 1),
        (
            {
                "method": "POST",
                "status": 403,
                "times": 5,
                "body": {
                    "message": "Resource not accessible by integration",
                    "documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
                    "status": "403",
                },
            },
            0,
        ),
        (
            {
                "method": "GET",
                "status": 404,
                "times": 5,
                "body": {
                    "message": "Not Found",
                    "documentation_url": "https://docs.github.com/rest",
                    "status": "404",
                },
            },
            0,
        ),
    ],
)
def test_api_faults_never_change_the_verdict(
    run: Run, fault: dict[str, Any], expected_comments: int
) -> None:
    path = r"/repos/.*/issues/2/comments"
    run.github.fail(
        fault["method"],
        path,
        fault["status"],
        body=fault.get("body"),
        headers=fault.get("headers"),
        times=fault["times"],
    )
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    code, out, _ = run.run()
    assert code == 1
    assert len(comments(run.github)) == expected_comments
    if fault["status"] == 403:
        assert (
            "::warning title=image-docs-audit::the token cannot write pull-request comments" in out
        )
        assert "workflow_run" in out and "mode: comment" in out
    assert run.outputs()["verdict"] == "fail"


def test_an_unreachable_api_still_gives_the_verdict(run: Run) -> None:
    run.env["GITHUB_API_URL"] = "http://127.0.0.1:9"  # the discard port: nothing listens
    run.env["IMAGE_DOCS_AUDIT_API_BUDGET"] = "2"
    run.head(ADD_DOCUMENTED)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT"] = "always"
    code, out, _ = run.run()
    assert code == 0
    assert "::warning title=image-docs-audit::the pull-request comment was not written" in out
    assert run.outputs()["verdict"] == "pass"
    assert run.clock.waits and run.clock.elapsed <= 2  # backed off on the fake clock, in budget


@pytest.mark.parametrize(
    ("event_name", "fixture", "edit", "mode"),
    [
        ("pull_request", "pull_request.reopened.json", {}, "check"),
        ("pull_request_target", "pull_request.opened.with-organization.json", {}, "check"),
        (
            "merge_group",
            "merge_group.checks_requested.json",
            {"merge_group.base_sha": "BASE"},
            "check",
        ),
        ("push", "push.json", {"before": "BASE"}, "check"),
        ("push", "push.with-new-branch.json", {}, "audit"),
        ("workflow_dispatch", "workflow_dispatch.json", {}, "audit"),
        ("schedule", "workflow_dispatch.json", {}, "audit"),
    ],
)
def test_every_event_kind(
    run: Run, event_name: str, fixture: str, edit: dict[str, Any], mode: str
) -> None:
    run.head(DELETE_DOC)
    run.event(event_name, fixture, {k: (run.base if v == "BASE" else v) for k, v in edit.items()})
    code, _, err = run.run()
    # The check fails on the lost doc; the audit has no base and no fail-under to fail on.
    assert (code, err) == (1 if mode == "check" else 0, "")
    outputs = run.outputs()
    if mode == "check":
        assert outputs["base-coverage"] == "100.0" and outputs["regressions"] == "2"
        assert run.summary().startswith("### ❌ Image docs: 1 image lost its docs")
    else:
        assert outputs["base-coverage"] == "" and outputs["regressions"] == "0"
        assert run.summary().startswith("# Container image documentation audit")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "INPUT_FAIL-UNDER",
            "lots",
            "input 'fail-under': 'lots' is not a number from 0 to 100 (a trailing % is allowed)",
        ),
        (
            "INPUT_MODE",
            "sometimes",
            "input 'mode': 'sometimes' is not one of auto, audit, check, comment",
        ),
        (
            "INPUT_CONFIG",
            "nope.yml",
            "nope.yml: config file not found; check --config or the 'config' input",
        ),
    ],
)
def test_a_bad_input_is_exit_2_with_one_line_and_an_annotation(
    run: Run, name: str, value: str, message: str
) -> None:
    run.head(ADD_DOCUMENTED)
    run.event("pull_request", "pull_request.opened.json")
    run.env[name] = value
    code, out, err = run.run()
    assert (code, err) == (2, f"image-docs-audit: {message}\n")
    assert out == f"::error title=image-docs-audit::{message.replace('%', '%25')}\n"
    assert run.outputs_text() == ""


def test_inputs_with_underscores_are_read_too(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    del run.env["INPUT_MAX-DROP"]
    run.env["INPUT_MAX_DROP"] = "100"
    run.env["INPUT_COMMENT"] = "never"
    code, _, _ = run.run()
    assert code == 1  # the lost doc is a regression whatever the drop allowed
    assert json.loads((run.repo.root / "image-docs-audit-report.json").read_text())["policy"] == {
        "fail_under": 0.0,
        "max_drop": 100.0,
    }
    assert comments(run.github) == []


def test_a_pull_request_that_weakens_the_config_is_judged_by_the_base_config_too(
    run: Run,
) -> None:
    config = ".github/image-docs-audit.yml"
    run.base = run.repo.commit({config: "docs: [docs]\n"}, "config at base")
    run.head({"docs/app-web.md": None, config: "docs: [docs]\nignore:\n  app-web: not ours\n"})
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT"] = "always"
    code, _, _ = run.run()
    report = json.loads((run.repo.root / "image-docs-audit-report.json").read_text())
    # The new ignore rule is what lets the head pass: a loosening, and a regression.
    assert (code, report["verdict"]) == (1, "fail")
    assert report["config_change"] == {
        "path": config,
        "head_coverage_under_base_config": 50.0,
        "regressions_under_base_config": 2,
        "policy_changes": ["adds ignore rules for app-web"],
    }
    [comment] = comments(run.github)
    assert "under the base's config the head would have 50.0% coverage" in comment["body"]


# The sticky comment's lifecycle (input comment-mode) ----------------------------------


def test_hide_and_recreate_hides_the_outdated_comment_and_posts_a_new_one(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT-MODE"] = "hide-and-recreate"
    old = run.github.add_comment(REPOSITORY, 2, marker_of(run) + "\n### ❌ stale\n")
    code, out, _ = run.run()
    assert code == 1 and "comment recreated" in out
    first, second = comments(run.github)
    # The old one is no longer the sticky comment, and GitHub hides it as outdated.
    assert first["id"] == old["id"]
    assert first["body"].startswith("<!-- image-docs-audit: outdated comment ")
    assert run.github.minimized == {old["node_id"]: "OUTDATED"}
    assert second["body"].startswith(marker_of(run) + "\n### ❌ Image docs: ")
    # Nothing changed since: the new comment stays as it is.
    _, out, _ = run.run()
    assert "comment unchanged" in out and len(comments(run.github)) == 2


def test_hide_and_recreate_posts_even_when_hiding_is_refused(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT-MODE"] = "hide-and-recreate"
    run.github.add_comment(REPOSITORY, 2, marker_of(run) + "\nstale\n")
    run.github.fail("POST", r"/graphql", 403, body=READ_ONLY)
    code, out, _ = run.run()
    assert code == 1 and "comment recreated" in out
    assert [c["body"].split(" ", 2)[1] for c in comments(run.github)] == [
        "image-docs-audit:",
        "image-docs-audit:",
    ]
    assert comments(run.github)[0]["body"].startswith("<!-- image-docs-audit: outdated comment ")


def test_only_update_never_creates_a_comment(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT-MODE"] = "only-update"
    run.env["INPUT_COMMENT"] = "always"
    code, _, _ = run.run()
    assert code == 1 and comments(run.github) == []
    stale = run.github.add_comment(REPOSITORY, 2, marker_of(run) + "\nstale\n")
    run.run()
    [comment] = comments(run.github)
    assert comment["id"] == stale["id"] and "### ❌ Image docs: " in comment["body"]


def test_a_bad_comment_mode_names_the_choices(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT-MODE"] = "sometimes"
    code, _, err = run.run()
    assert (code, err) == (
        2,
        "image-docs-audit: input 'comment-mode': 'sometimes' is not one of update, "
        "hide-and-recreate, only-update\n",
    )


def test_the_badge_input_writes_an_svg_in_the_workspace(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_BADGE"] = "docs/image-docs.svg"
    run.run()
    svg = (run.repo.root / "docs/image-docs.svg").read_text()
    assert 'aria-label="image docs: 50.0%"' in svg and 'fill="#dfb317"' in svg


def test_a_pull_request_that_moves_the_docs_folder_gets_its_comment(run: Run) -> None:
    """docs/ is gone at the head: not an input error, a check that says where the docs went."""
    run.repo.git("mv", "docs", "documentation")
    run.head({})
    run.event("pull_request", "pull_request.opened.json")
    code, _, err = run.run()
    assert (code, err) == (1, "")
    [comment] = comments(run.github)
    assert (
        "\n📁 `docs/` moved to `documentation/` (2 docs): update `docs:` in the config (or the "
        "docs input, or --docs) to `documentation/` and 2 images find their docs again.\n"
    ) in comment["body"]
    assert "- ❌ **Lost their docs** (2)" in comment["body"]
    assert run.outputs()["verdict"] == "fail"


# The input index-check: the living index, checked on every run -------------------------

INDEX = "docs/IMAGES.md"


def write_index(run: Run) -> str:
    """Write the living index at the current files, commit it, and make that the base."""
    argv = ["index", str(run.repo.root), "--write", INDEX]
    assert main(argv, stdout=io.StringIO(), stderr=io.StringIO(), env={}) == 0
    run.base = run.repo.commit({}, "the living index")
    return (run.repo.root / INDEX).read_text()


def test_a_change_that_leaves_the_index_stale_fails_with_an_annotation(run: Run) -> None:
    write_index(run)
    run.head(ADD_DOCUMENTED)  # a new image, documented, but the index is not refreshed
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_INDEX-CHECK"] = INDEX
    code, out, err = run.run()
    assert (code, err) == (1, "")
    stale = (
        f"{INDEX} is stale: line 4 differs; refresh it with: image-docs-audit index --write {INDEX}"
    )
    assert f"::error file={INDEX},line=4,title=image-docs-audit%3A index_stale::{stale}\n" in out
    [comment] = comments(run.github)
    assert "### ❌ Image docs: The image index is stale\n" in comment["body"]
    assert f"- ❌ **Stale index**: {stale}. Commit the refreshed index\n" in comment["body"]
    report = json.loads((run.repo.root / "image-docs-audit-report.json").read_text())
    assert report["regressions"] == [
        {"kind": "index_stale", "image": None, "path": INDEX, "line": 4, "detail": stale}
    ]
    assert run.outputs()["verdict"] == "fail"


def test_a_change_that_refreshes_the_index_passes(run: Run) -> None:
    write_index(run)
    run.repo.write(ADD_DOCUMENTED)
    argv = ["index", str(run.repo.root), "--write", INDEX]
    assert main(argv, stdout=io.StringIO(), stderr=io.StringIO(), env={}) == 0
    run.head({})
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_INDEX-CHECK"] = INDEX
    code, out, _ = run.run()
    assert (code, run.outputs()["regressions"]) == (0, "0")
    assert "index_stale" not in out


def test_a_missing_index_fails_a_full_audit_too(run: Run) -> None:
    run.event("workflow_dispatch", "workflow_dispatch.json")
    run.env["INPUT_INDEX-CHECK"] = INDEX
    code, out, _ = run.run()
    missing = f"{INDEX} does not exist; refresh it with: image-docs-audit index --write {INDEX}"
    assert code == 1 and run.outputs()["verdict"] == "fail"
    assert f"::error file={INDEX},title=image-docs-audit%3A index_stale::{missing}\n" in out
    assert run.summary().endswith(f"\n> [!CAUTION]\n> {missing}\n")


def test_an_index_check_outside_the_workspace_is_a_bad_input(run: Run) -> None:
    run.event("workflow_dispatch", "workflow_dispatch.json")
    run.env["INPUT_INDEX-CHECK"] = "../IMAGES.md"
    code, _, err = run.run()
    assert (code, err) == (
        2,
        "image-docs-audit: input 'index-check': '../IMAGES.md' is not a path inside the "
        "workspace; give a relative path such as docs/IMAGES.md\n",
    )


# action.yml and the code agree ----------------------------------------------------------


class Recording(dict[str, str]):
    """An environment that remembers every INPUT_ variable the settings look for."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.asked: set[str] = set()

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key.startswith("INPUT_"):
            self.asked.add(key.removeprefix("INPUT_").lower().replace("_", "-"))
        return super().__contains__(key)


def action_yml() -> dict[str, Any]:
    loaded = yaml.safe_load((Path(__file__).parents[1] / "action.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_the_inputs_the_action_reads_are_the_ones_action_yml_declares(run: Run) -> None:
    env = Recording({key: value for key, value in run.env.items() if "INPUT_" not in key})
    read_action_settings(env)
    assert env.asked == set(action_yml()["inputs"])


@pytest.mark.parametrize("event", ["pull_request", "workflow_dispatch"])
def test_the_outputs_the_action_writes_are_the_ones_action_yml_declares(
    run: Run, event: str
) -> None:
    run.head(DELETE_DOC)
    fixture = "pull_request.opened.json" if event == "pull_request" else "workflow_dispatch.json"
    run.event(event, fixture)
    run.run()
    assert set(run.outputs()) == set(action_yml()["outputs"])
    assert run.outputs()["dedicated-coverage"] == "50.0"


def test_the_badge_input_creates_its_folder(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_BADGE"] = "site/badges/image-docs.svg"
    run.run()
    assert (
        'aria-label="image docs: 50.0%"'
        in (run.repo.root / "site/badges/image-docs.svg").read_text()
    )


def test_head_links_point_at_the_checked_out_merge_commit(run: Run) -> None:
    """On pull_request the runner checks out GitHub's merge commit (GITHUB_SHA), whose pull
    script has a line the base added since: links go there, where the audited lines are."""
    head = run.head({**ADD_DOCUMENTED, "docs/app-web.md": None})
    # The merge commit: the base meanwhile added a comment line at the top of the script.
    merge = run.repo.commit({SCRIPT: "# pulled nightly\n" + ADD_DOCUMENTED[SCRIPT]}, "merge")
    run.event("pull_request", "pull_request.opened.json", {"pull_request.head.sha": head})
    assert run.env["GITHUB_SHA"] == merge != head
    code, _, _ = run.run()
    assert code == 1
    body = comments(run.github)[0]["body"]
    # example/app-web:1 is on line 5 of the merge commit's script (line 4 at the head).
    assert (
        f"| `example/app-web:1` | [{SCRIPT}:5](https://github.com/{REPOSITORY}/blob/{merge}/"
        f"{SCRIPT}#L5) |"
    ) in body
    assert f"/blob/{head}/" not in body
