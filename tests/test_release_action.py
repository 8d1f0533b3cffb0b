"""tools/release_action.py: the release commit's action.yml, one line changed, nothing else."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "release_action", ROOT / "tools" / "release_action.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and exceptions look their module up
    spec.loader.exec_module(module)
    return module


release_action = _load()


def test_main_keeps_the_dockerfile() -> None:
    # `uses: owner/repo@main` and `@<sha>` build the checkout; only a release commit pulls.
    lines = ACTION.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "  image: Dockerfile"


def test_the_release_points_at_the_image_and_changes_nothing_else(tmp_path: Path) -> None:
    original = ACTION.read_bytes()
    target = tmp_path / "action.yml"
    target.write_bytes(original)
    argv = ["v1.2.3", "--image", "ghcr.io/Owner/Image-Docs-Audit", "--file", str(target)]
    assert release_action.main(argv) == 0
    new = target.read_bytes()
    assert new == original.replace(
        b"\n  image: Dockerfile\n", b"\n  image: docker://ghcr.io/owner/image-docs-audit:1.2.3\n"
    )
    changed = [
        (old, line)
        for old, line in zip(original.splitlines(), new.splitlines(), strict=True)
        if old != line
    ]
    assert changed == [
        (b"  image: Dockerfile", b"  image: docker://ghcr.io/owner/image-docs-audit:1.2.3")
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"  image: Dockerfile\r\n", b"  image: docker://ghcr.io/o/r:0.2.0\r\n"),
        (b"  image: 'Dockerfile'", b"  image: docker://ghcr.io/o/r:0.2.0"),
        (b'\timage: "Dockerfile"  \n', b"\timage: docker://ghcr.io/o/r:0.2.0\n"),
    ],
)
def test_line_endings_and_quotes_are_kept(line: bytes, expected: bytes) -> None:
    head = b"name: x\r\nruns:\r\n  using: docker\r\n"
    assert release_action.released(head + line, "0.2.0", "ghcr.io/o/r") == head + expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["1.2", "--image", "ghcr.io/o/r"],
            "version '1.2' is not X.Y.Z; give the release's version",
        ),
        (
            ["1.2.3", "--image", "ghcr.io/o/r:1"],
            "image 'ghcr.io/o/r:1' is not a lower-case image name such as ghcr.io/owner/repo; "
            "give it without a tag",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    target = tmp_path / "action.yml"
    target.write_bytes(ACTION.read_bytes())
    assert release_action.main([*argv, "--file", str(target)]) == 2
    assert capsys.readouterr().err == f"release_action: {target}: {message}\n"
    assert target.read_bytes() == ACTION.read_bytes()


def test_a_released_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "action.yml"
    target.write_bytes(ACTION.read_bytes())
    assert release_action.main(["1.0.0", "--image", "ghcr.io/o/r", "--file", str(target)]) == 0
    released = target.read_bytes()
    assert release_action.main(["1.0.1", "--image", "ghcr.io/o/r", "--file", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"release_action: {target}: found 0 'image: Dockerfile' lines, not 1; run this on "
        "action.yml as main has it (a release commit points at an image already)\n"
    )
    assert target.read_bytes() == released


def test_a_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "nothing.yml"
    assert release_action.main(["1.0.0", "--image", "ghcr.io/o/r", "--file", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"release_action: {target}: cannot read it (No such file or directory); "
        "give action.yml's path\n"
    )
