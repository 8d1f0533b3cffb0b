"""The check's JSON is written by the fast encoder with the bytes `json` writes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit.checking import run_check
from image_docs_audit.config import AuditSettings
from image_docs_audit.gate import Policy
from image_docs_audit.gitsource import GitTree
from image_docs_audit.render import CheckRefs, render_check_json
from image_docs_audit.render.check import check_to_dict
from image_docs_audit.worktree import WorkTree


@pytest.mark.parametrize(
    "policy",
    [Policy(), Policy(80.0, 0.5), Policy(0.00001, 0.0), Policy(33.3, 0.0001), Policy(100.0, 1e-9)],
)
def test_check_json_is_what_json_writes(tmp_path: Path, policy: Policy) -> None:
    repo = Repo(tmp_path / "repo")
    script = "docker pull example/app-api:1\ndocker pull example/app-web:1\n"
    repo.commit({"scripts/pull-images.sh": script, "docs/app-api.md": "# app-api ✅\n"})
    repo.write({"docs/app-web.md": "| Service | Port |\n|---|---|\n| app-web | 8080 |\n"})
    with GitTree.open(repo.root, "HEAD") as base:
        verdict = run_check(base, WorkTree(repo.root), AuditSettings()).verdict
    verdict = replace(verdict, policy=policy)
    refs = CheckRefs("main", "0" * 40, "feature")
    expected = json.dumps(check_to_dict(verdict, refs), indent=2, ensure_ascii=False) + "\n"
    assert render_check_json(verdict, refs) == expected
