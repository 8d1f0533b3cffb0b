"""The action's `sarif` input: the SARIF log written into the workspace, and only there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_action import Run
from test_sarif import results, valid


def test_a_failing_pull_request_writes_its_regressions_as_sarif(run: Run) -> None:
    run.head({"docs/app-web.md": None})
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_SARIF"] = "reports/image-docs-audit.sarif"
    code, _, err = run.run()
    assert (code, err) == (1, "")
    log = valid((run.repo.root / "reports/image-docs-audit.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["automationDetails"] == {"id": "image-docs-audit/check/"}
    assert [(rule, line) for rule, _, _, _, line in results(log)] == [
        ("newly_missing", 4),
        ("coverage_drop", None),
    ]
    assert run.outputs()["sarif"] == "reports/image-docs-audit.sarif"


def test_a_manual_run_writes_the_audit_as_sarif(run: Run) -> None:
    run.event("workflow_dispatch", "workflow_dispatch.json")
    run.env["INPUT_SARIF"] = "audit.sarif"
    code, _, err = run.run()
    assert (code, err) == (0, "")
    log = valid((run.repo.root / "audit.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["automationDetails"] == {"id": "image-docs-audit/audit/"}
    assert results(log) == []
    assert (
        json.loads((run.repo.root / "image-docs-audit-report.json").read_text())["summary"][
            "coverage"
        ]
        == 100.0
    )


def test_no_sarif_input_writes_no_sarif(run: Run) -> None:
    run.event("workflow_dispatch", "workflow_dispatch.json")
    code, _, _ = run.run()
    assert code == 0
    assert not list(run.repo.root.rglob("*.sarif"))
    assert run.outputs()["sarif"] == ""


@pytest.mark.parametrize(
    "path", ["/tmp/out.sarif", "../out.sarif", "reports/../../out.sarif", "a\\b.sarif"]
)
def test_a_path_outside_the_workspace_is_bad_input(run: Run, path: str) -> None:
    run.event("workflow_dispatch", "workflow_dispatch.json")
    run.env["INPUT_SARIF"] = path
    code, out, err = run.run()
    message = (
        f"input 'sarif': '{path}' is not a path inside the workspace; give a relative path "
        "such as image-docs-audit.sarif"
    )
    assert (code, err) == (2, f"image-docs-audit: {message}\n")
    assert out == f"::error title=image-docs-audit::{message}\n"


def test_a_symlink_in_the_way_is_refused_not_followed(run: Run, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (run.repo.root / "reports").symlink_to(outside)
    (run.repo.root / "report.sarif").symlink_to(outside / "report.sarif")
    run.event("workflow_dispatch", "workflow_dispatch.json")
    run.env["INPUT_SARIF"] = "reports/x.sarif"
    code, _, err = run.run()
    assert (code, err) == (
        2,
        "image-docs-audit: reports/x.sarif: refusing to write through a symlink that leads "
        "out of the workspace\n",
    )
    # A link in the file's own place is replaced by the log, never written through.
    run.env["INPUT_SARIF"] = "report.sarif"
    code, _, err = run.run()
    assert (code, err) == (0, "")
    assert list(outside.iterdir()) == []
    assert not (run.repo.root / "report.sarif").is_symlink()
