"""The sticky comment: only ours is edited, and what is sent is always valid UTF-8."""

from __future__ import annotations

import os

from image_docs_audit.github.comment import valid_utf8
from test_action import DELETE_DOC, REPOSITORY, Run, comments, marker_of


def test_hostile_bot_comment_quoting_the_marker_is_neither_edited_nor_deleted(run: Run) -> None:
    # Another workflow's comment, signed by the same github-actions[bot], quotes our marker.
    quoting = run.github.add_comment(REPOSITORY, 2, f"Lint report\n\n```\n{marker_of(run)}\n```\n")
    impostor = run.github.add_comment(REPOSITORY, 2, marker_of(run) + "\nmine", login="octocat")
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    code, out, _ = run.run()
    assert code == 1 and "comment created" in out
    left = comments(run.github)
    assert [c["id"] for c in left[:2]] == [quoting["id"], impostor["id"]]
    assert left[0]["body"] == quoting["body"] and left[1]["body"] == impostor["body"]
    assert left[2]["body"].startswith(marker_of(run) + "\n")
    assert [r.method for r in run.github.requests].count("DELETE") == 0


def test_hostile_file_name_that_is_not_utf8_still_gets_the_comment(run: Run) -> None:
    # A new doc that names no image: listed as an orphan doc, by its name.
    (run.repo.root / os.fsdecode(b"docs/notes-\xff.md")).write_text("# notes\n")
    run.repo.commit({}, "a doc whose name is not UTF-8")
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT"] = "always"
    code, out, _ = run.run()
    assert code == 0 and "::warning title=" not in out and "comment created" in out
    [comment] = comments(run.github)
    assert "notes-\\\\xff.md" in comment["body"]  # a backslash, escaped in Markdown
    assert "notes-%FF.md" in comment["body"]  # the link has the real byte
    posted = [r for r in run.github.requests if r.method == "POST"]
    assert posted[0].json["body"] == comment["body"]


def test_a_bad_token_is_named_as_such_and_nothing_else_is(run: Run) -> None:
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_GITHUB-TOKEN"] = "two words"
    code, out, _ = run.run()
    assert code == 1 and comments(run.github) == []
    assert (
        "::warning title=image-docs-audit::the pull request gets no comment: GitHub token is "
        "empty or contains spaces or control characters\n"
    ) in out


def test_valid_utf8_shows_lone_surrogates() -> None:
    assert valid_utf8(os.fsdecode(b"a\xffb")) == "a\\udcffb"
    assert valid_utf8("ünïcode ✅") == "ünïcode ✅"
