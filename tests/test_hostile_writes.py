"""Hostile checkouts: nothing the action or the CLI writes goes through a symlink."""

from __future__ import annotations

import io
import json
import os
import stat
import threading
from pathlib import Path

import pytest

from image_docs_audit.cli import main
from image_docs_audit.errors import InputError
from image_docs_audit.github.action import REPORT_NAME
from image_docs_audit.safefile import is_stream, write_inside

VICTIM_TEXT = "root:x:0:0:root:/root:/bin/bash\n"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    target = tmp_path / "outside" / "passwd"
    target.parent.mkdir()
    target.write_text(VICTIM_TEXT)
    return target


def project(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "pull-images.sh").write_text("IMAGES=(example/app-x:1)\n")
    (root / "docs" / "app-x.md").write_text("# app-x\n")
    return root


def test_hostile_report_symlink_in_the_workspace_is_replaced_not_followed(
    tmp_path: Path, victim: Path
) -> None:
    root = project(tmp_path / "workspace")
    (root / REPORT_NAME).symlink_to(victim)
    env = {"GITHUB_WORKSPACE": str(root), "GITHUB_EVENT_NAME": "workflow_dispatch"}
    code = main(["action"], stdout=io.StringIO(), stderr=io.StringIO(), env=env)
    assert code == 0
    assert victim.read_text() == VICTIM_TEXT
    report = root / REPORT_NAME
    assert not report.is_symlink()
    assert json.loads(report.read_text())["summary"]["documented"] == 1
    assert os.stat(report).st_mode & 0o777 == 0o644  # later steps run as another user


def test_hostile_cli_output_symlink_is_replaced_not_followed(tmp_path: Path, victim: Path) -> None:
    root = project(tmp_path / "repo")
    link = root / "report.json"
    link.symlink_to(victim)
    code = main(
        ["audit", str(root), "--format", "json", "--output", str(link)],
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert code == 0 and victim.read_text() == VICTIM_TEXT
    assert not link.is_symlink() and "app-x" in link.read_text()


def test_an_output_that_is_a_device_or_a_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    # Replaced, `/dev/null` would be a regular file for every later process of the machine.
    root = project(tmp_path / "repo")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_bytes()))
    reader.start()
    code = main(
        ["audit", str(root), "--format", "json", "--output", str(pipe)],
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    reader.join(timeout=30)
    assert code == 0 and stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert json.loads(read[0])["summary"]["documented"] == 1
    # The devices themselves are not written in a test: a regression would replace them.
    assert is_stream(Path(os.devnull))


def test_hostile_a_symlink_to_a_device_outside_dev_is_replaced(tmp_path: Path) -> None:
    # A checkout may hold `report.json -> /dev/...`: only `/dev` and `/proc`'s own symlinks
    # (`/dev/stdout`, `/dev/fd/N`) lead to a stream written to.
    root = project(tmp_path / "repo")
    link = root / "report.json"
    link.symlink_to(os.devnull)
    code = main(
        ["audit", str(root), "--format", "json", "--output", str(link)],
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert code == 0 and not link.is_symlink() and "app-x" in link.read_text()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("option", ["--output", "--badge"])
def test_hostile_cli_writes_through_no_linked_folder_of_the_repository(
    tmp_path: Path, victim: Path, option: str
) -> None:
    # `reports -> ../outside` in a fork: `--output reports/x.md` would be written there.
    root = project(tmp_path / "repo")
    (root / "reports").symlink_to(victim.parent)
    name = str(root / "reports" / "sub" / "out.txt")
    out, err = io.StringIO(), io.StringIO()
    assert main(["audit", str(root), option, name], stdout=out, stderr=err) == 2
    assert err.getvalue() == (
        f"image-docs-audit: {name}: refusing to write through a symlink that leads out of "
        "the repository\n"
    )
    assert sorted(p.name for p in victim.parent.iterdir()) == ["passwd"]


@pytest.mark.parametrize("name", ["../escape.json", "/abs.json", "linked/report.json"])
def test_hostile_writes_stay_inside_the_workspace(tmp_path: Path, victim: Path, name: str) -> None:
    root = tmp_path / "workspace"
    root.mkdir()
    (root / "linked").symlink_to(victim.parent)
    with pytest.raises(InputError) as raised:
        write_inside(root, name, "{}")
    assert str(raised.value).startswith(f"{name}: refusing to write")
    assert sorted(p.name for p in victim.parent.iterdir()) == ["passwd"]
    assert not (tmp_path / "escape.json").exists()


def test_a_report_name_that_is_a_folder_is_one_line_exit_2(tmp_path: Path) -> None:
    root = project(tmp_path / "workspace")
    (root / REPORT_NAME).mkdir()
    err = io.StringIO()
    env = {"GITHUB_WORKSPACE": str(root), "GITHUB_EVENT_NAME": "workflow_dispatch"}
    assert main(["action"], stdout=io.StringIO(), stderr=err, env=env) == 2
    assert err.getvalue() == (
        f"image-docs-audit: {REPORT_NAME}: cannot write the JSON report: Is a directory\n"
    )
    assert [p.name for p in root.iterdir() if p.name.startswith(".image-docs")] == []


def test_hostile_scaffold_dir_through_a_symlink_creates_nothing_outside(
    tmp_path: Path, victim: Path
) -> None:
    root = project(tmp_path / "repo")
    (root / "pull-images.sh").write_text("IMAGES=(example/app-x:1 example/app-y:1)\n")
    (root / "reports").symlink_to(victim.parent)
    err = io.StringIO()
    argv = ["scaffold", "--root", str(root), "--dir", "reports/new/deeper"]
    assert main(argv, stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue() == (
        "image-docs-audit: --dir: 'reports/new/deeper' goes through a symlink that leads out "
        "of the root; refusing to write there, choose another folder\n"
    )
    assert sorted(p.name for p in victim.parent.iterdir()) == ["passwd"]
    assert victim.read_text() == VICTIM_TEXT


def test_hostile_symlink_deeper_on_the_way_creates_nothing_outside(
    tmp_path: Path, victim: Path
) -> None:
    root = tmp_path / "workspace"
    (root / "a").mkdir(parents=True)
    (root / "a" / "inner").symlink_to(root / "b", target_is_directory=True)  # inside: fine
    (root / "b").mkdir()
    (root / "b" / "out").symlink_to(victim.parent)
    with pytest.raises(InputError) as raised:
        write_inside(root, "a/inner/out/new/report.json", "{}")
    assert str(raised.value) == (
        "a/inner/out/new/report.json: refusing to write through a symlink that leads out of "
        "the workspace"
    )
    assert sorted(p.name for p in victim.parent.iterdir()) == ["passwd"]
    assert write_inside(root, "a/inner/new/report.json", "{}") == root / "b/new/report.json"
    assert (root / "b" / "new" / "report.json").read_text() == "{}"


def test_an_index_check_on_a_committed_folder_is_a_stale_index(tmp_path: Path) -> None:
    root = project(tmp_path / "workspace")
    (root / "docs" / "IMAGES.md").mkdir()
    (root / "docs" / "IMAGES.md" / "x").write_text("x\n")
    out, err = io.StringIO(), io.StringIO()
    env = {
        "GITHUB_WORKSPACE": str(root),
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "INPUT_INDEX-CHECK": "docs/IMAGES.md",
    }
    assert main(["action"], stdout=out, stderr=err, env=env) == 1
    stale = (
        "docs/IMAGES.md is a folder, not the index; remove it, then refresh it with: "
        "image-docs-audit index --write docs/IMAGES.md"
    )
    assert err.getvalue() == ""
    assert f"::error file=docs/IMAGES.md,title=image-docs-audit%3A index_stale::{stale}\n" in (
        out.getvalue()
    )
