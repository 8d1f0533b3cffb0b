"""A tree at a git ref, read from real repositories built in tmp_path."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from image_docs_audit.cli import main
from image_docs_audit.errors import InputError
from image_docs_audit.gitsource import GitTree
from image_docs_audit.worktree import (
    LOOPED_LINK,
    VCS_LINK,
    LinkedOutsideError,
    Tree,
    WorkTree,
    blob_id_of,
)

OUTSIDE = "skipped: a symlink that leads outside the audited root"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the user's git config nor a repository above tmp_path leaks into a test."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.setenv("HOME", str(tmp_path))
    for role in ("AUTHOR", "COMMITTER"):  # a tag needs a tagger, too
        monkeypatch.setenv(f"GIT_{role}_NAME", "t")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "t@t")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True)
    return done.stdout.decode()


def commit(repo: Path, message: str, *, add: bool = True) -> str:
    if add:
        git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def write(repo: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def new_repo(path: Path, files: dict[str, bytes]) -> Path:
    path.mkdir()
    git(path, "init", "-q", "--initial-branch=main")
    write(path, files)
    commit(path, "base")
    return path


BASE_FILES = {
    "README.md": b"# Images\n",
    "scripts/pull-images.sh": b'ALL_IMAGES=(\n    "example/app-base:1"\n)\n',
    "docs/old name.md": b"# app-base\n",
    "docs/gone.md": b"# gone\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """`main~1` is the base; `main` renames, deletes and adds docs."""
    path = new_repo(tmp_path / "repo", BASE_FILES)
    git(path, "mv", "docs/old name.md", "docs/new name.md")
    git(path, "rm", "-q", "docs/gone.md")
    write(path, {"docs/sub/deep.md": b"deep\n", "docs/café.md": b"caf\xc3\xa9\n"})
    commit(path, "head")
    return path


def files_at(repo: Path, ref: str) -> list[str]:
    with GitTree.open(repo, ref) as tree:
        return list(tree.files())


def test_files_at_base_and_head(repo: Path) -> None:
    assert files_at(repo, "main~1") == [
        "README.md",
        "docs/gone.md",
        "docs/old name.md",
        "scripts/pull-images.sh",
    ]
    assert files_at(repo, "main") == [
        "README.md",
        "docs/café.md",
        "docs/new name.md",
        "docs/sub/deep.md",
        "scripts/pull-images.sh",
    ]


def test_ref_is_kept_as_given_and_sha_is_the_full_commit(repo: Path) -> None:
    git(repo, "tag", "-a", "-m", "annotated", "v1", "main~1")
    with GitTree.open(repo, "v1") as tree:
        assert tree.ref == "v1"
        assert tree.sha == git(repo, "rev-parse", "main~1").strip()  # the commit, not the tag
        assert len(tree.sha) == 40


def test_read_gives_the_exact_bytes(tmp_path: Path) -> None:
    blobs = {
        "empty.md": b"",
        "image.png": bytes(range(256)) * 3,
        "crlf.md": b"# a\r\nb\r\n",
        "no-newline.md": b"last line",
        "big.md": b"x" * 200_000 + b"\n",
    }
    path = new_repo(tmp_path / "repo", blobs)
    with GitTree.open(path, "HEAD") as tree:
        assert {name: tree.read(name) for name in tree.files()} == blobs


def test_executable_files_are_listed(tmp_path: Path) -> None:
    path = new_repo(tmp_path / "repo", {"run.sh": b"#!/bin/sh\n"})
    (path / "run.sh").chmod(0o755)
    commit(path, "executable")
    assert "100755" in git(path, "ls-tree", "HEAD")
    assert files_at(path, "HEAD") == ["run.sh"]


def test_the_working_tree_and_index_are_untouched(repo: Path) -> None:
    (repo / "README.md").write_bytes(b"uncommitted edit\n")
    (repo / "untracked.md").write_bytes(b"new\n")
    write(repo, {"docs/sub/deep.md": b"staged edit\n"})
    git(repo, "add", "docs/sub/deep.md")
    status = git(repo, "status", "--porcelain")
    index = (repo / ".git" / "index").read_bytes()
    with GitTree.open(repo, "HEAD") as tree:
        assert tree.read("README.md") == b"# Images\n"
        assert tree.read("docs/sub/deep.md") == b"deep\n"
        assert "untracked.md" not in list(tree.files())
    with GitTree.open(repo, "main~1") as tree:
        assert tree.read("docs/gone.md") == b"# gone\n"
    assert (repo / ".git" / "index").read_bytes() == index
    assert git(repo, "status", "--porcelain") == status
    assert (repo / "README.md").read_bytes() == b"uncommitted edit\n"
    assert not (repo / "docs" / "gone.md").exists()


@pytest.mark.parametrize(
    ("ref", "option", "hint"),
    [
        ("nope", "--base", "git fetch origin nope and pass origin/nope"),
        ("origin/main", "--head", "git fetch origin main"),
        ("HEAD:README.md", "base-ref", "git fetch --unshallow origin"),  # a blob, not a commit
        ("-rf", "--base", "git fetch --unshallow origin"),  # would be an option to git
        ("", "--base", "git fetch --unshallow origin"),
        ("0123456789abcdef", "--base", "git fetch origin 0123456789abcdef"),
    ],
)
def test_unknown_ref_says_how_to_fetch_it(repo: Path, ref: str, option: str, hint: str) -> None:
    with pytest.raises(InputError) as raised:
        GitTree.open(repo, ref, option)
    assert str(raised.value) == (
        f"{option}: '{ref}' is not a commit in this clone; fetch it "
        f"(actions/checkout with fetch-depth: 0, or {hint})"
    )


def test_unknown_ref_in_a_shallow_clone_says_it_is_shallow(repo: Path, tmp_path: Path) -> None:
    base = git(repo, "rev-parse", "main~1").strip()
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert files_at(clone, "HEAD") == files_at(repo, "main")
    for ref, hint in (
        (base, f"git fetch origin {base}"),
        ("HEAD~1", "git fetch --unshallow origin"),
    ):
        with pytest.raises(InputError) as raised:
            GitTree.open(clone, ref)
        assert str(raised.value) == (
            f"--base: '{ref}' is not a commit in this clone (this clone is shallow); fetch it "
            f"(actions/checkout with fetch-depth: 0, or {hint})"
        )


@pytest.mark.parametrize("name", ["plain-folder", "does-not-exist"])
def test_not_a_git_repository(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    if name == "plain-folder":
        folder.mkdir()
    with pytest.raises(InputError) as raised:
        GitTree.open(folder, "HEAD")
    assert str(raised.value) == f"{folder}: not a git repository; run the check inside a clone"


def test_git_missing(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(InputError) as raised:
        GitTree.open(repo, "HEAD")
    assert str(raised.value) == "git: git is not installed; install git to compare with a base"


# Each kind of link a commit may hold, and what both trees make of it.
LINKS = {
    "docs/same.md": "real.md",
    "docs/dot.md": "./real.md",
    "docs/chain.md": "same.md",  # a link to a link
    "docs/via.md": "../shared/notes/n.md",  # through a linked folder
    "shared/notes": "../notes",  # a linked folder: not listed, not followed
    "docs/scripts": "../scripts",
    "docs/passwd.md": "/etc/passwd",
    "docs/up.md": "../../outside.md",
    "docs/sneaky.md": "sub/../../../etc/hosts",
    "docs/gone.md": "missing.md",  # dangling: nothing to list, nothing outside
    "docs/loop-a.md": "loop-b.md",
    "docs/loop-b.md": "loop-a.md",
    "docs/self.md": "self.md",
    "docs/through-file.md": "real.md/../real.md",  # a file is no folder to pass through
    "docs/token.md": "../.git/config",  # where a checkout keeps its token: never read
}


def linked_repo(tmp_path: Path) -> Path:
    path = new_repo(
        tmp_path / "repo",
        {"docs/real.md": b"# real\n", "notes/n.md": b"# notes\n", "scripts/pull.sh": b""},
    )
    for name, target in LINKS.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).symlink_to(target)
    commit(path, "links")
    assert git(path, "ls-tree", "HEAD", "docs/passwd.md").startswith("120000 ")
    return path


def test_a_link_to_a_file_inside_is_that_file_and_one_leading_out_is_named(
    tmp_path: Path,
) -> None:
    path = linked_repo(tmp_path)
    with GitTree.open(path, "HEAD") as tree:
        assert list(tree.files()) == [
            "docs/chain.md",
            "docs/dot.md",
            "docs/real.md",
            "docs/same.md",
            "docs/via.md",
            "notes/n.md",
            "scripts/pull.sh",
        ]
        assert [str(warning) for warning in tree.warnings] == [
            f"docs/loop-a.md: {LOOPED_LINK}",
            f"docs/loop-b.md: {LOOPED_LINK}",
            f"docs/passwd.md: {OUTSIDE}",
            f"docs/self.md: {LOOPED_LINK}",
            f"docs/sneaky.md: {OUTSIDE}",
            f"docs/token.md: {VCS_LINK}",
            f"docs/up.md: {OUTSIDE}",
        ]
        assert tree.read("docs/chain.md") == tree.read("docs/dot.md") == b"# real\n"
        assert tree.read("docs/via.md") == b"# notes\n"
        assert tree.blob_id("docs/chain.md") == tree.blob_id("docs/real.md")
        with pytest.raises(FileNotFoundError):
            tree.read("docs/passwd.md")


def test_the_trees_agree_on_every_link(tmp_path: Path) -> None:
    path = linked_repo(tmp_path)
    work = WorkTree(path)
    with GitTree.open(path, "HEAD") as tree:
        assert list(tree.files()) == list(work.files())
        assert tree.warnings == work.warnings
        assert [tree.read(name) for name in tree.files()] == [
            work.read(name) for name in work.files()
        ]
        for folder in ("", "docs", "shared/notes", "docs/scripts", "docs/passwd.md", "../x"):
            assert tree.has_folder(folder) == work.has_folder(folder), folder


def test_a_chain_of_links_ends_where_the_system_ends_one(tmp_path: Path) -> None:
    """Linux follows 40 links in a path and no more; the git tree takes a longer chain
    for a loop, and names it as the system would (ELOOP; the work tree skips it silently:
    its read fails)."""
    path = new_repo(tmp_path / "repo", {"real.md": b"# real\n"})
    for n in range(41):
        (path / f"l{n:02}.md").symlink_to(f"l{n + 1:02}.md" if n < 40 else "real.md")
    commit(path, "a chain")
    work = WorkTree(path)
    with GitTree.open(path, "HEAD") as tree:
        listed = list(tree.files())
        assert listed == list(work.files())
        assert listed == [f"l{n:02}.md" for n in range(1, 41)] + ["real.md"]
        assert [str(warning) for warning in tree.warnings] == [f"l00.md: {LOOPED_LINK}"]
        assert work.warnings == []
        assert tree.read("l01.md") == b"# real\n"


def test_a_link_no_system_could_follow_is_named_not_resolved(tmp_path: Path) -> None:
    """A commit may hold a link's target of any length (no checkout could): the resolver
    gives up where a system would, at once, instead of working through it."""
    path = new_repo(tmp_path / "repo", {"docs/real.md": b"# real\n"})
    targets = {"docs/long.md": "d/" * 500_000 + "real.md", "docs/dots.md": "./" * 500_000}
    for name, target in targets.items():
        blob = subprocess.run(
            ["git", "hash-object", "-w", "--stdin"],
            cwd=path, input=target.encode(), capture_output=True, check=True,
        ).stdout.decode().strip()  # fmt: skip
        git(path, "update-index", "--add", "--cacheinfo", f"120000,{blob},{name}")
    commit(path, "traps", add=False)
    with GitTree.open(path, "HEAD") as tree:
        assert list(tree.files()) == ["docs/real.md"]
        assert [str(warning) for warning in tree.warnings] == [
            f"docs/dots.md: {OUTSIDE}",
            f"docs/long.md: {OUTSIDE}",
        ]


def test_a_link_out_of_a_root_below_the_top_is_outside_even_in_the_repository(
    tmp_path: Path,
) -> None:
    path = new_repo(tmp_path / "repo", {"sub/docs/real.md": b"# real\n", "other/o.md": b"o\n"})
    (path / "sub/docs/other.md").symlink_to("../../other/o.md")
    (path / "sub/docs/back.md").symlink_to("../../sub/docs/real.md")
    commit(path, "links")
    work = WorkTree(path / "sub")
    with GitTree.open(path / "sub", "HEAD") as tree:
        assert list(tree.files()) == list(work.files()) == ["docs/back.md", "docs/real.md"]
        assert [str(warning) for warning in tree.warnings] == [f"docs/other.md: {OUTSIDE}"]
        assert tree.warnings == work.warnings
        assert tree.has_folder("") and tree.has_folder("docs")
        assert not tree.has_folder("../other")


def test_a_file_in_a_linked_folder_is_read_though_not_listed(tmp_path: Path) -> None:
    """As a program opening the path in a checkout reads it: the config may lie there."""
    path = new_repo(tmp_path / "repo", {"ci/audit.yml": b"docs: [docs]\n", "docs/a.md": b"a\n"})
    (path / ".github").symlink_to("ci")
    (path / "out").symlink_to("/etc")
    commit(path, "links")
    with GitTree.open(path, "HEAD") as tree:
        assert ".github/audit.yml" not in list(tree.files())
        assert tree.read(".github/audit.yml") == b"docs: [docs]\n"
        with pytest.raises(LinkedOutsideError):
            tree.read("out/passwd")
        with pytest.raises(IsADirectoryError):
            tree.read(".github")
        with pytest.raises(FileNotFoundError) as raised:
            tree.read("../repo/docs/a.md")  # a plain path out of the root: not in the commit
        assert type(raised.value) is FileNotFoundError


def test_the_working_tree_lists_plain_files_and_links_to_files_inside_only(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    (root / "docs" / "deep").mkdir(parents=True)
    (root / "node_modules").mkdir()
    (tmp_path / "elsewhere.md").write_text("# out\n")
    for name in ("docs/a.md", "docs/deep/b.md", "node_modules/c.md", "top.sh"):
        (root / name).write_text("x\n")
    os.mkfifo(root / "docs" / "pipe.md")  # reading it would wait for a writer forever
    (root / "docs" / "same.md").symlink_to("a.md")
    (root / "docs" / "out.md").symlink_to(tmp_path / "elsewhere.md")
    (root / "docs" / "folder").symlink_to("deep")
    (root / "docs" / "gone.md").symlink_to("missing.md")
    tree = WorkTree(root)
    assert list(tree.files()) == ["docs/a.md", "docs/deep/b.md", "docs/same.md", "top.sh"]
    assert [str(warning) for warning in tree.warnings] == [f"docs/out.md: {OUTSIDE}"]


def test_a_submodule_is_skipped_silently(repo: Path) -> None:
    # A gitlink entry is all a submodule is in the tree; no second repository needed.
    other = git(repo, "rev-parse", "main~1").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{other},vendor/lib")
    commit(repo, "submodule", add=False)  # adding all would drop the entry: no folder
    assert git(repo, "ls-tree", "HEAD", "vendor/lib").startswith("160000 commit ")
    with GitTree.open(repo, "HEAD") as tree:
        assert "vendor/lib" not in list(tree.files())
        assert tree.warnings == []


def test_awkward_names_are_listed_and_read_like_the_working_tree(tmp_path: Path) -> None:
    path = new_repo(tmp_path / "repo", {"README.md": b"top\n"})
    names = [
        b"docs/with space.md",
        b"docs/line\nbreak.md",
        b"docs/tab\there.md",
        b'docs/"quoted" \\ back.md',
        b"docs/\xff\xfe latin.md",
        b"docs/\xe6\x97\xa5\xe6\x9c\xac.md",
    ]
    for name in names:
        (path / os.fsdecode(name)).parent.mkdir(exist_ok=True)
        (path / os.fsdecode(name)).write_bytes(name + b"\n")
    commit(path, "awkward")
    with GitTree.open(path, "HEAD") as tree:
        listed = list(tree.files())
        assert listed == list(WorkTree(path).files())
        assert "docs/\udcff\udcfe latin.md" in listed
        assert "docs/line\nbreak.md" in listed
        for name in names:
            assert tree.read(os.fsdecode(name)) == name + b"\n"


@pytest.mark.parametrize("data", [b"", b"# doc\n", bytes(range(256)), "café\n".encode()])
def test_blob_id_of_equals_git_hash_object(tmp_path: Path, data: bytes) -> None:
    sample = tmp_path / "sample"
    sample.write_bytes(data)
    assert blob_id_of(data) == git(tmp_path, "hash-object", str(sample)).strip()


def test_blob_id_is_the_id_of_the_bytes_read(repo: Path) -> None:
    with GitTree.open(repo, "HEAD") as tree:
        for path in tree.files():
            assert tree.blob_id(path) == blob_id_of(tree.read(path))
        assert tree.blob_id("README.md") == git(repo, "rev-parse", "HEAD:README.md").strip()
        with pytest.raises(FileNotFoundError):
            tree.blob_id("docs/gone.md")


def test_many_reads_share_one_cat_file_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = new_repo(tmp_path / "repo", {f"docs/{n:03}.md": b"doc %d\n" % n for n in range(200)})
    started: list[list[str]] = []

    class CountingPopen(subprocess.Popen[bytes]):
        def __init__(self, args: list[str], *rest: Any, **options: Any) -> None:
            started.append(list(args))
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", CountingPopen)
    with GitTree.open(path, "HEAD") as tree:
        contents = [tree.read(name) for name in tree.files()]
    assert contents == [b"doc %d\n" % n for n in range(200)]
    assert [args for args in started if "cat-file" in args] == [["git", "cat-file", "--batch"]]
    assert len(started) == 4  # rev-parse --git-dir, rev-parse --verify, ls-tree, cat-file


def cat_file(tree: GitTree) -> subprocess.Popen[bytes]:
    assert tree._batch is not None
    return tree._batch


def test_close_ends_the_cat_file_process(repo: Path) -> None:
    with GitTree.open(repo, "HEAD") as tree:
        tree.read("README.md")
        process = cat_file(tree)
    assert process.returncode == 0
    assert tree.read("README.md") == b"# Images\n"  # a new process after close
    tree.close()
    tree.close()  # twice is harmless


def test_a_dead_cat_file_is_an_input_error(repo: Path) -> None:
    with GitTree.open(repo, "HEAD") as tree:
        tree.read("README.md")
        cat_file(tree).kill()
        cat_file(tree).wait()
        with pytest.raises(InputError) as raised:
            tree.read("docs/sub/deep.md")
    assert str(raised.value) == "HEAD:docs/sub/deep.md: git cannot read this file from the clone"


def test_a_hook_environment_does_not_redirect_git(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = new_repo(tmp_path / "other", {"other.md": b"other\n"})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    assert "README.md" in files_at(repo, "HEAD")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_workspace_owned_by_another_user_is_read(repo: Path) -> None:
    # A container action runs as root on the runner user's checkout.
    shutil.chown(repo, user="nobody")
    denied = subprocess.run(["git", "status"], cwd=repo, capture_output=True, check=False)
    assert b"dubious ownership" in denied.stderr
    assert "README.md" in files_at(repo, "HEAD")


def test_a_git_tree_is_a_tree(repo: Path) -> None:
    def paths(tree: Tree) -> Iterator[str]:
        return tree.files()

    with GitTree.open(repo, "HEAD") as tree:
        assert list(paths(tree)) == list(tree.files())


def embed_bare_layout(repo: Path, folder: str, marker: Path) -> None:
    """Commit into `folder` the files of a bare repository (a clone of `repo`) whose
    config runs a command as git's fsmonitor hook: what a pull request can add where
    it cannot add a `.git`."""
    bare = repo.parent / "bare.git"
    git(repo.parent, "clone", "-q", "--bare", str(repo), str(bare))
    for name in ("HEAD", "objects", "refs", "packed-refs"):
        if (bare / name).is_dir():
            shutil.copytree(bare / name, repo / folder / name)
        elif (bare / name).exists():
            shutil.copy(bare / name, repo / folder / name)
    hook = f"touch '{marker}'; false"
    config = f'[core]\n\tbare = false\n\tworktree = .\n\tfsmonitor = "{hook}"\n'
    (repo / folder / "config").write_text(config)
    commit(repo, "a bare repository's files")


@pytest.mark.parametrize("command", ["check", "audit"])
def test_a_bare_layout_in_the_root_is_never_taken_for_the_repository(
    tmp_path: Path, command: str
) -> None:
    """Git finds a repository in the folder it runs in before the `.git` above it: the
    audited root's committed files must not choose the base, nor run a hook."""
    repo = new_repo(tmp_path / "repo", {f"sub/{k}": v for k, v in BASE_FILES.items()})
    marker = tmp_path / "hook-ran"
    embed_bare_layout(repo, "sub", marker)
    out, err = io.StringIO(), io.StringIO()
    argv = [command, str(repo / "sub"), *(["--base", "main~1"] if command == "check" else [])]
    code = main([*argv, "--format", "text"], stdout=out, stderr=err, env={})
    assert not marker.exists()
    if command == "audit":  # no git but for the checkout's commit, which it goes without
        assert (code, err.getvalue()) == (0, "")
        return
    assert (code, out.getvalue()) == (2, "")
    assert err.getvalue() == (
        f"image-docs-audit: {repo / 'sub'}: holds a bare repository's files (HEAD, objects/,"
        " refs/), which git would take for the repository; a checkout never has them: check"
        " the folder's files\n"
    )
