"""What a user checks before trusting an action: every workflow least-privileged and pinned,
the self-test safe for forks, dependabot watching every pinned thing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"[^@\s]+@[0-9a-f]{40}")


def load(path: Path) -> dict[Any, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def triggers(workflow: dict[Any, Any]) -> object:
    return workflow[True]  # YAML 1.1 reads the key `on` as true


def test_the_workflows_are_these() -> None:
    assert [path.name for path in WORKFLOWS] == ["ci.yml", "release.yml", "self-test.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_job_has_permissions_and_pinned_actions(path: Path) -> None:
    workflow = load(path)
    assert "permissions" in workflow  # the default token's rights are never left implicit
    for name, job in workflow["jobs"].items():
        if workflow["permissions"] == {}:
            assert "permissions" in job, f"{path.name}: job {name} has no permissions"
        for step in job["steps"]:
            uses = step.get("uses")
            if uses is not None and not uses.startswith("./"):
                assert PINNED.fullmatch(uses), f"{path.name}: {uses} is not pinned by sha"
            # Values from events and outputs reach scripts through env, never pasted in.
            assert "${{" not in step.get("run", ""), f"{path.name}: {step}"


def test_only_the_release_may_write_and_each_job_asks_for_its_own() -> None:
    release = load(ROOT / ".github" / "workflows" / "release.yml")
    assert release["permissions"] == {}
    assert {name: job["permissions"] for name, job in release["jobs"].items()} == {
        "image": {"contents": "read", "packages": "write"},
        "action": {"contents": "write"},
        "dist": {"contents": "write"},
    }
    assert triggers(release) == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    assert load(ROOT / ".github" / "workflows" / "ci.yml")["permissions"] == {"contents": "read"}


def test_the_self_test_runs_the_checkout_on_pull_request_only() -> None:
    # pull_request_target would run a fork's action.yml with a write token.
    workflow = load(ROOT / ".github" / "workflows" / "self-test.yml")
    assert triggers(workflow) == {"pull_request": None}
    steps = workflow["jobs"]["self-test"]["steps"]
    assert any(step.get("uses") == "./" for step in steps)
    assert all(step.get("with", {}).get("persist-credentials") in (None, False) for step in steps)


def test_dependabot_watches_actions_python_and_the_base_image() -> None:
    config = load(ROOT / ".github" / "dependabot.yml")
    assert config["version"] == 2
    assert [(item["package-ecosystem"], item["directory"]) for item in config["updates"]] == [
        ("github-actions", "/"),
        ("pip", "/"),
        ("docker", "/"),
    ]
