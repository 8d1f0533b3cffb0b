"""The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit itself.

`pre-commit try-repo` installs the hooks from this checkout as a user's
.pre-commit-config.yaml would from the repository: it clones it, makes a venv and
pip-installs the package there (the build backend and the dependencies come from the index
that the machine's pip configuration names; nothing else is fetched). That install takes
most of the time, once per module: the hooks' environments are kept in one PRE_COMMIT_HOME
for all the tests here.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gitrepo import ISOLATED, Repo
from image_docs_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "scripts/pull-images.sh"
PROJECT = {
    SCRIPT: "IMAGES=(\n  # Core\n  example/app-api:1\n  example/app-web:1\n)\n",
    "docs/app-api.md": "# app-api\n",
    "docs/app-web.md": "# app-web\n",
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(project: Repo, home: Path, hook: str, *extra: str) -> tuple[int, str]:
    """`pre-commit try-repo ROOT HOOK` in `project`: its exit code and output."""
    env = {**os.environ, **ISOLATED, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, *extra],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def test_the_hooks_file_names_the_three_hooks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(hook["id"], hook["entry"]) for hook in hooks] == [
        ("image-docs-audit", "image-docs-audit audit"),
        ("image-docs-audit-check", "image-docs-audit check --base HEAD"),
        ("image-docs-audit-index", "image-docs-audit index --check docs/IMAGES.md"),
    ]
    assert all(hook["pass_filenames"] is False and hook["language"] == "python" for hook in hooks)


def test_the_audit_hook_passes_a_documented_project_and_fails_under_fail_under(
    tmp_path: Path, home: Path
) -> None:
    project = Repo(tmp_path / "project")
    project.commit(PROJECT, "documented")
    code, output = try_repo(project, home, "image-docs-audit", "--all-files")
    assert code == 0, output
    assert re.search(
        r"^image-docs-audit \(documentation coverage of container images\)\.+Passed$",
        output,
        re.MULTILINE,
    )

    project.commit(
        {"docs/app-web.md": None, ".github/image-docs-audit.yml": "fail-under: 100\n"}, "gap"
    )
    code, output = try_repo(project, home, "image-docs-audit", "--all-files")
    assert code == 1, output
    assert re.search(r"\.+Failed$", output, re.MULTILINE)
    assert "- hook id: image-docs-audit\n- exit code: 1\n" in output
    assert re.search(
        r"^  missing +example/app-web:1 +scripts/pull-images.sh:4 ", output, re.MULTILINE
    )


def test_the_check_hook_fails_a_commit_that_drops_a_doc(tmp_path: Path, home: Path) -> None:
    project = Repo(tmp_path / "project")
    project.commit(PROJECT, "base")
    project.git("rm", "-q", "docs/app-web.md")  # staged: what the commit would take away
    code, output = try_repo(project, home, "image-docs-audit-check")
    assert code == 1, output
    assert "- hook id: image-docs-audit-check\n- exit code: 1\n" in output
    assert "FAIL: 1 image lost its docs" in output
    assert re.search(
        r"example/app-web:1 +scripts/pull-images.sh:4 +docs/app-web.md \(at base\) +deleted:",
        output,
    )

    project.git("reset", "-q", "--hard")
    code, output = try_repo(project, home, "image-docs-audit-check")
    assert code == 0, output


def test_the_index_hook_fails_when_the_index_is_stale(tmp_path: Path, home: Path) -> None:
    project = Repo(tmp_path / "project")
    project.write(PROJECT)
    out = io.StringIO()
    assert main(["index", str(project.root), "--write", "docs/IMAGES.md"], stdout=out) == 0
    project.commit({}, "with its index")
    code, output = try_repo(project, home, "image-docs-audit-index")
    assert code == 0, output
    assert re.search(r"^image-docs-audit index \(.*\)\.+Passed$", output, re.MULTILINE)

    script = PROJECT[SCRIPT].replace(
        "example/app-web:1\n", "example/app-web:1\n  example/app-new:1\n"
    )
    project.commit({SCRIPT: script}, "a new image, the index not refreshed")
    code, output = try_repo(project, home, "image-docs-audit-index")
    assert code == 1, output
    assert "- hook id: image-docs-audit-index\n- exit code: 1\n" in output
