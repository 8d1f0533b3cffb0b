"""A hostile config: no symlink out of the root, no alias bomb."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit import config
from image_docs_audit.cli import main
from image_docs_audit.gitsource import GitTree

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


@pytest.mark.parametrize("target", ["HEAD", "config"])
def test_hostile_config_symlink_into_git_is_refused(root: Path, target: str) -> None:
    # `.git/config` holds the checkout's token: never read, not even as a config's error.
    (root / ".git").mkdir()
    (root / ".git" / target).write_text("ref: refs/heads/main\n")
    (root / ".github").mkdir()
    (root / ".github" / "image-docs-audit.yml").symlink_to(f"../.git/{target}")
    code, out, err = run("audit", str(root))
    assert (code, out) == (2, "")
    assert err == (
        "image-docs-audit: .github/image-docs-audit.yml: the config file is a symlink into a "
        "version control folder (.git), which is never read; make it a regular file in the "
        "repository\n"
    )


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "count-mentioned: !!bool maybe\n",
            "YAML tags (!!bool) are not supported; write the value plainly, quoted if text",
        ),
        (
            'docs: "docs\\0x"\n',
            "'docs' entry 'docs\\x00x' has a control character (U+0000); remove it",
        ),
        ('docs: "\\ud800"\n', "'docs' entry '\\ud800' has a lone surrogate (U+D800); remove it"),
        (
            'aliases: {app-x: "zzz\\0qq"}\n',
            "'aliases' of 'app-x' entry 'zzz\\x00qq' has a control character (U+0000); remove it",
        ),
    ],
)
def test_hostile_config_values_are_one_line_and_exit_2(root: Path, text: str, message: str) -> None:
    """Each was an internal error (exit 3): a KeyError, a NUL in a path, a search term."""
    (root / ".github").mkdir()
    (root / ".github" / "image-docs-audit.yml").write_text(text, encoding="utf-8")
    (root / "docs" / "notes.md").write_text("# Notes\n\n## zzz\n")
    code, out, err = run("audit", str(root))
    assert (code, out, err) == (
        2,
        "",
        f"image-docs-audit: .github/image-docs-audit.yml:1: {message}\n",
    )


CONFIG = ".github/image-docs-audit.yml"


def test_a_base_config_the_reader_refuses_does_not_stop_the_check(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(
        {"pull-images.sh": "docker pull example/app-x:1\n", "docs/app-x.md": "# app-x\n"},
        "base",
    )
    repo.commit({CONFIG: "count-mentioned: !!bool maybe\n"}, "a config with a tag")
    repo.write({CONFIG: "count-mentioned: false\n"})
    code, out, err = run("check", str(repo.root), "--base", "HEAD")
    assert (code, err) == (0, "")
    assert out.startswith("PASS")


def test_a_base_config_that_trips_the_reader_counts_as_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flaw of the reader is no reason to stop a check either: the base's config only
    judges the change's edit to it (the head's goes through the same reader)."""
    repo = Repo(tmp_path / "repo")
    repo.commit({CONFIG: "docs: [docs]\n"}, "base")

    def flawed(text: str, path: str) -> config.AuditSettings:
        raise KeyError(text)

    monkeypatch.setattr(config, "parse_config", flawed)
    with GitTree.open(repo.root, "HEAD") as tree:
        assert config.base_config_at(tree, None) is None
        with pytest.raises(KeyError):
            config.config_at(tree, None)


@pytest.mark.parametrize(("link", "target"), [(CONFIG, "../.git/config"), (".github", ".git")])
def test_a_commit_s_config_symlinked_into_git_is_refused_as_on_disk(
    tmp_path: Path, link: str, target: str
) -> None:
    """A head commit whose config (or its folder) is a symlink into `.git` stops the check
    as the work tree's does; it was read as no config at all, the defaults' policy."""
    repo = Repo(tmp_path / "repo")
    repo.commit({"pull-images.sh": "docker pull example/app-x:1\n", "docs/app-x.md": "# x\n"})
    (repo.root / link).parent.mkdir(parents=True, exist_ok=True)
    (repo.root / link).symlink_to(target)
    repo.git("add", link)
    repo.git("commit", "-q", "-m", "config linked into .git")
    code, out, err = run("check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD")
    assert (code, out) == (2, "")
    assert err == (
        "image-docs-audit: .github/image-docs-audit.yml: the config file is a symlink into a "
        "version control folder (.git), which is never read; make it a regular file in the "
        "repository\n"
    )
    with GitTree.open(repo.root, "HEAD") as tree:  # a base's: broken, so it judges nothing
        assert config.base_config_at(tree, None) is None
