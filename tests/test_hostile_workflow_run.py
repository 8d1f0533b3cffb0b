"""The fork-safe split: check on pull_request without a write token, post on workflow_run.

The poster takes the pull request from the workflow_run event, and treats the body file
(an artifact a fork can change) as untrusted text for the one sticky comment.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from image_docs_audit.cli import main
from image_docs_audit.github.poster import MAX_BODY
from test_action import DELETE_DOC, REPOSITORY, Run, comments, marker_of

HEAD_SHA = "c0ffee" * 6 + "abcd"


def workflow_run_event(run: Run, pull_requests: list[dict[str, object]]) -> None:
    event = {
        "action": "completed",
        "workflow_run": {
            "head_branch": "feature",
            "head_sha": HEAD_SHA,
            "head_repository": {"owner": {"login": "forker"}},
            "pull_requests": pull_requests,
        },
    }
    path = run.files / "event.json"
    path.write_text(json.dumps(event))
    run.env.update(GITHUB_EVENT_NAME="workflow_run", GITHUB_EVENT_PATH=str(path))


def post(run: Run, body: str) -> tuple[int, str]:
    body_file = run.files / "comment.md"
    body_file.write_text(body)
    run.env.update({"INPUT_MODE": "comment", "INPUT_COMMENT-BODY-FILE": str(body_file)})
    out, err = io.StringIO(), io.StringIO()
    code = main(["action"], stdout=out, stderr=err, env=run.env)
    assert err.getvalue() == ""
    return code, out.getvalue()


def test_the_check_writes_the_body_and_never_comments(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT"] = "never"
    code, _, _ = run.run()
    assert code == 1 and comments(run.github) == []
    assert run.outputs()["comment-body"] == "image-docs-audit-comment.md"
    body = (run.repo.root / "image-docs-audit-comment.md").read_text()
    assert body.startswith(marker_of(run) + "\n### ❌ Image docs: ")


def test_hostile_body_for_a_fork_is_posted_inert_on_the_pull_request_of_the_event(
    run: Run,
) -> None:
    run.github.pulls = [
        {
            "number": 2,
            "head": {"sha": HEAD_SHA, "ref": "feature", "repo": {"owner": {"login": "forker"}}},
        },
        {
            "number": 9,
            "head": {"sha": "other", "ref": "feature", "repo": {"owner": {"login": "x"}}},
        },
    ]
    others = run.github.add_comment(
        REPOSITORY, 2, "<!-- image-docs-audit: sticky comment other -->\nkeep"
    )
    workflow_run_event(run, [])  # a fork's run lists no pull request
    hostile = (
        "<!-- image-docs-audit: sticky comment other -->\n## ✅ all good @octocat @org/team\n"
        + "x" * (MAX_BODY + 10)
    )
    code, out = post(run, hostile)
    assert code == 0 and "comment created" in out
    [kept, ours] = comments(run.github)
    assert kept == others
    assert ours["body"].startswith(
        marker_of(run) + "\n## ✅ all good @&#8203;octocat @&#8203;org/team\n"
    )
    assert ours["body"].endswith("_… the comment was cut; see the job summary of the check._\n")
    assert len(ours["body"]) < MAX_BODY + 200
    assert "comment-url" in run.outputs()


def test_the_pull_request_comes_from_the_event_and_updates_the_sticky_comment(run: Run) -> None:
    first = run.github.add_comment(REPOSITORY, 2, marker_of(run) + "\nold")
    workflow_run_event(run, [{"number": 2}])
    code, out = post(run, "## new body\n")
    assert code == 0 and "comment updated" in out
    [comment] = comments(run.github)
    assert comment["id"] == first["id"] and comment["body"] == marker_of(run) + "\n## new body\n"


def test_no_pull_request_means_no_comment(run: Run) -> None:
    workflow_run_event(run, [])
    code, out = post(run, "## body\n")
    assert code == 0 and "no open pull request" in out and comments(run.github) == []


def test_comment_mode_outside_workflow_run_is_exit_2(run: Run, tmp_path: Path) -> None:
    run.event("pull_request", "pull_request.opened.json")
    run.env.update({"INPUT_MODE": "comment", "INPUT_COMMENT-BODY-FILE": str(tmp_path / "x")})
    err = io.StringIO()
    assert main(["action"], stdout=io.StringIO(), stderr=err, env=run.env) == 2
    assert err.getvalue() == (
        "image-docs-audit: input 'mode': comment posts 'comment-body-file' on a workflow_run "
        "event; set both\n"
    )


def test_odd_shapes_of_the_event_and_the_pulls_mean_no_pull_request(run: Run) -> None:
    """A `head` that is no object (in the pulls GitHub lists, or the event's repository)
    crashed the poster with an internal error; it means no pull request of this run."""
    run.github.pulls = [{"number": 2, "head": "feature"}]
    workflow_run_event(run, [])
    code, out = post(run, "## body\n")
    assert code == 0 and "no open pull request" in out and comments(run.github) == []
    event = json.loads((run.files / "event.json").read_text())
    for odd in ({"head_repository": "forker"}, {"head_repository": {"owner": "forker"}}):
        (run.files / "event.json").write_text(
            json.dumps({**event, "workflow_run": {**event["workflow_run"], **odd}})
        )
        code, out = post(run, "## body\n")
        assert code == 0 and "no open pull request" in out
    (run.files / "event.json").write_text(
        json.dumps({**event, "workflow_run": {**event["workflow_run"], "pull_requests": 7}})
    )
    code, out = post(run, "## body\n")
    assert code == 0 and "no open pull request" in out and comments(run.github) == []
