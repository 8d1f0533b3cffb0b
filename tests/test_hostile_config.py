"""A hostile config: no symlink out of the root, no alias bomb."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from image_docs_audit.cli import main

GUARD = (
    "the config file is a symlink that leads out of the audited root, or lies in a folder "
    "that does; make it a regular file in the repository"
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "fork"
    (root / "docs").mkdir(parents=True)
    (root / "pull-images.sh").write_text("IMAGES=(example/app-x:1)\n")
    secret = tmp_path / "outside" / "secret.yml"
    secret.parent.mkdir()
    secret.write_text("stolen-key: the runner's secret\n")
    return root


@pytest.mark.parametrize("target", ["secret.yml", "no-such-file.yml", "."])
def test_hostile_config_symlink_out_of_the_root_is_refused_alike(root: Path, target: str) -> None:
    (root / ".github").mkdir()
    (root / ".github" / "image-docs-audit.yml").symlink_to(root.parent / "outside" / target)
    code, out, err = run("audit", str(root))
    assert (code, out) == (2, "")
    assert err == f"image-docs-audit: .github/image-docs-audit.yml: {GUARD}\n"


def test_hostile_config_folder_symlink_out_of_the_root_is_refused(root: Path) -> None:
    (root / "ci").symlink_to(root.parent / "outside")
    code, _, err = run("audit", str(root), "--config", "ci/secret.yml")
    assert (code, err) == (2, f"image-docs-audit: ci/secret.yml: {GUARD}\n")
    assert "stolen" not in err


LINKED_OUTSIDE = (
    "a symlink that leads outside the repository, which is not followed; name a file or "
    "folder inside it"
)


def test_a_docs_folder_or_pull_script_linked_out_of_the_root_says_so(root: Path) -> None:
    """Either was reported missing ("does not exist", "no pull script found"), which sends
    a user looking for a typo."""
    (root.parent / "outside" / "docs").mkdir()
    (root / "docs").rmdir()
    (root / "docs").symlink_to(root.parent / "outside" / "docs")
    code, out, err = run("audit", str(root))
    assert (code, out, err) == (2, "", f"image-docs-audit: docs 'docs': {LINKED_OUTSIDE}\n")
    (root / "docs").unlink()
    (root / "docs").mkdir()
    (root.parent / "outside" / "pull-images.sh").write_text("docker pull example/app-x:1\n")
    (root / "pull-images.sh").unlink()
    (root / "pull-images.sh").symlink_to(root.parent / "outside" / "pull-images.sh")
    code, out, err = run("audit", str(root))
    expected = f"image-docs-audit: pull-scripts 'pull-images.sh': {LINKED_OUTSIDE}\n"
    assert (code, out, err) == (2, "", expected)


def test_a_symlink_inside_the_root_is_read(root: Path) -> None:
    (root / "audit.yml").write_text("docs: [docs]\n")
    (root / ".github").mkdir()
    (root / ".github" / "image-docs-audit.yml").symlink_to(root / "audit.yml")
    assert run("audit", str(root))[0] == 0


def alias_bomb(levels: int) -> str:
    lines = ['a0: &a0 ["x"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_hostile_config_alias_bomb_is_refused_at_its_first_alias(root: Path) -> None:
    (root / ".github").mkdir()
    (root / ".github" / "image-docs-audit.yml").write_text(alias_bomb(12))
    code, _, err = run("audit", str(root))
    assert (code, err) == (
        2,
        "image-docs-audit: .github/image-docs-audit.yml:2: YAML aliases (*name) are not "
        "supported; write the value out in full\n",
    )


def test_a_merge_key_is_an_alias_too(root: Path) -> None:
    (root / "c.yml").write_text("x: &base\n  docs: [docs]\n<<: *base\n")
    code, _, err = run("audit", str(root), "--config", "c.yml")
    assert (code, err) == (
        2,
        "image-docs-audit: c.yml:3: YAML aliases (*name) are not supported; "
        "write the value out in full\n",
    )
