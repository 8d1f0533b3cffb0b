"""An unexpected exception is exit 3 with one line, never a traceback; the action still
says, in its outputs and job summary, that it could not decide."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from image_docs_audit import app, cli
from image_docs_audit.github import action

LINE = (
    "image-docs-audit: internal error in '{command}' (RecursionError); this is a bug in "
    "image-docs-audit, not a verdict on your change: please report it with the command and "
    "this line at the project's issue tracker\n"
)


def explode(*args: object, **kwargs: object) -> None:
    raise RecursionError("maximum recursion depth exceeded: ghs_secretFromSomewhere")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "pull-images.sh").write_text("IMAGES=(example/app-x:1)\n")
    return tmp_path


def test_hostile_internal_error_in_audit_is_exit_3_and_one_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "audit_tree", explode)  # what `audit` calls (loaded then)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["audit", str(project)], stdout=out, stderr=err) == 3
    assert (out.getvalue(), err.getvalue()) == ("", LINE.format(command="audit"))


def test_hostile_internal_error_in_the_action_still_writes_outputs_and_summary(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(action, "audit_root", explode)
    files = tmp_path / "files"
    files.mkdir()
    env = {
        "GITHUB_WORKSPACE": str(project),
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "GITHUB_OUTPUT": str(files / "output"),
        "GITHUB_STEP_SUMMARY": str(files / "summary"),
    }
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["action"], stdout=out, stderr=err, env=env) == 3
    assert err.getvalue() == LINE.format(command="action")
    assert out.getvalue() == (
        "::error::" + LINE.format(command="action").removeprefix("image-docs-audit: ")
    )
    assert (files / "output").read_text() == "verdict=error\n"
    summary = (files / "summary").read_text()
    assert summary.startswith("## ⚠️ image-docs-audit could not decide\n")
    assert "neither a pass nor a failed check" in summary
    assert "ghs_secret" not in out.getvalue() + err.getvalue() + summary


def test_an_internal_error_with_nowhere_to_write_is_still_one_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(action, "audit_root", explode)
    env = {
        "GITHUB_WORKSPACE": str(project),
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "GITHUB_OUTPUT": str(project / "no" / "such" / "folder"),
    }
    err = io.StringIO()
    assert cli.main(["action"], stdout=io.StringIO(), stderr=err, env=env) == 3
    assert err.getvalue() == LINE.format(command="action")
