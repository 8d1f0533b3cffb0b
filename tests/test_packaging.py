"""PyPI-ready: `python -m build` makes an sdist and a wheel that `twine check --strict` accepts.

The build runs on a copy of the project's files (tracked, and new ones git does not
ignore), so nothing lands in the checkout. It builds in an isolated environment, as PyPI
users and the release workflow do: pip fetches the build backend from the index that the
machine's pip configuration names.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from image_docs_audit import __version__, compiled
from image_docs_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
NAME = f"image_docs_audit-{__version__}"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / name).is_file():  # a file deleted but not yet committed is listed too
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out


def test_twine_accepts_the_sdist_and_the_wheel(dist: Path) -> None:
    files = sorted(path.name for path in dist.iterdir())
    assert files == [f"{NAME}-py3-none-any.whl", f"{NAME}.tar.gz"]
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *sorted(map(str, dist.iterdir()))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


def test_the_sdist_carries_the_tests_the_sample_and_the_licence(dist: Path) -> None:
    with tarfile.open(dist / f"{NAME}.tar.gz") as sdist:
        names = {name.removeprefix(f"{NAME}/") for name in sdist.getnames()}
    for wanted in (
        "LICENSE",
        "CHANGELOG.md",
        "README.md",
        "action.yml",
        "Dockerfile",
        ".pre-commit-hooks.yaml",
        "tools/release_action.py",
        "tests/test_packaging.py",
        "tests/fixtures/sarif/sarif-schema-2.1.0.json",
        "tests/fixtures/sarif/LICENSE",
        "tests/container/test_container.py",
        "src/image_docs_audit/sample/scripts/verification/pull-images.sh",
        "src/image_docs_audit/sample/.github/image-docs-audit.yml",
    ):
        assert wanted in names
    assert not [name for name in names if "__pycache__" in name or name.startswith(".venv")]


def test_the_wheel_has_the_metadata_pypi_shows(dist: Path) -> None:
    with zipfile.ZipFile(dist / f"{NAME}-py3-none-any.whl") as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"{NAME}.dist-info/METADATA").decode()
        entry_points = wheel.read(f"{NAME}.dist-info/entry_points.txt").decode()
    assert f"{NAME}.dist-info/licenses/LICENSE" in names
    assert "image_docs_audit/sample/docs/step04-api-gateway-smoke-test.md" in names
    assert "image_docs_audit/render/templates/report.md.j2" in names
    assert "image_docs_audit/py.typed" in names
    headers = [line for line in metadata.splitlines() if ": " in line and not line[0].isspace()]
    assert f"Version: {__version__}" in headers
    assert "License-Expression: MIT" in headers
    assert "Requires-Python: >=3.11" in headers
    assert "Description-Content-Type: text/markdown" in headers
    assert "Project-URL: Source, https://github.com/image-docs-audit/image-docs-audit" in headers
    assert "Classifier: Topic :: Documentation" in headers
    assert "image-docs-audit = image_docs_audit.cli:run" in entry_points


def test_version_is_written_once_and_printed() -> None:
    assert version("image-docs-audit") == __version__
    out = io.StringIO()
    assert main(["--version"], stdout=out) == 0
    build = " (compiled)" if compiled() else ""
    assert out.getvalue() == f"image-docs-audit {__version__}{build}\n"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert __version__ not in pyproject
