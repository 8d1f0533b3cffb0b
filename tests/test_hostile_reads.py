"""Files sized to hurt are read up to what a reader takes: a pull request's 100 MB doc or
compose file costs megabytes of memory and seconds at most, with a warning naming it."""

from __future__ import annotations

import io
import json
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit import engine
from image_docs_audit.cli import main
from image_docs_audit.docs.read import MAX_READ_BYTES, Truncated, unread
from image_docs_audit.gitsource import GitTree
from image_docs_audit.inventory import MAX_SOURCE_BYTES
from image_docs_audit.worktree import WorkTree

# A file of this size is sparse on disk: cheap to make, costly to read whole.
HUGE = 200 << 20


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def sparse(path: Path, head: bytes, size: int) -> None:
    with path.open("wb") as file:
        file.write(head)
        file.truncate(size)


def git_blob_id(root: Path, name: str) -> str:
    found = subprocess.run(
        ["git", "hash-object", name], cwd=root, capture_output=True, check=True, text=True
    )
    return found.stdout.strip()


def test_a_huge_doc_is_read_up_to_the_limit_and_named_with_its_size(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "pull-images.sh").write_text("docker pull example/app-x:1\n")
    (tmp_path / "docs" / "app-x.md").write_text("# example/app-x\n")
    sparse(tmp_path / "docs" / "huge.md", b"# example/app-x\n", HUGE)
    tracemalloc.start()
    try:
        code, out, err = run("audit", str(tmp_path), "--format", "json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["warnings"] == [
        {
            "path": "docs/huge.md",
            "line": 0,
            "message": f"skipped: larger than 8 MiB ({HUGE:,} bytes)",
        }
    ]
    assert {doc["path"] for doc in report["images"][0]["evidence"]} == {"docs/app-x.md"}
    # The limit's bytes once, not the file's 200 MB (nor twice them, as a blob id took).
    assert peak < 3 * MAX_READ_BYTES


def test_a_truncated_file_keeps_its_blob_id_and_size(tmp_path: Path) -> None:
    sparse(tmp_path / "big.md", b"# big\n", MAX_READ_BYTES + 5000)
    (tmp_path / "small.md").write_text("# small\n")
    tree = WorkTree(tmp_path)
    assert tree.blob_id("big.md") == git_blob_id(tmp_path, "big.md")
    data = tree.read("big.md")
    assert isinstance(data, Truncated)
    assert (len(data), data.size) == (MAX_READ_BYTES + 1, MAX_READ_BYTES + 5000)
    assert data.startswith(b"# big\n")
    assert unread(data) == f"skipped: larger than 8 MiB ({MAX_READ_BYTES + 5000:,} bytes)"
    assert tree.read("small.md") == b"# small\n"
    assert tree.blob_id("small.md") == git_blob_id(tmp_path, "small.md")
    exact = b"x" * MAX_READ_BYTES
    (tmp_path / "exact.md").write_bytes(exact)
    assert tree.read("exact.md") == exact
    assert not isinstance(tree.read("exact.md"), Truncated)


def test_a_commit_s_huge_blob_is_read_up_to_the_limit_and_the_next_one_whole(
    tmp_path: Path,
) -> None:
    repo = Repo(tmp_path)
    sparse(tmp_path / "a-big.md", b"# big\n", MAX_READ_BYTES + 3 * (1 << 20) + 7)
    repo.commit({"b-small.md": "# small\n"}, "two docs")
    with GitTree.open(tmp_path, "HEAD") as tree:
        big = tree.read("a-big.md")
        assert isinstance(big, Truncated)
        assert (len(big), big.size) == (MAX_READ_BYTES + 1, MAX_READ_BYTES + 3 * (1 << 20) + 7)
        assert big.startswith(b"# big\n")
        # The rest of the blob was read off the pipe: the next file is its own bytes.
        assert tree.read("b-small.md") == b"# small\n"
        assert tree.read("a-big.md") == big


def test_a_compose_file_over_the_size_limit_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "app-x.md").write_text("# example/app-x\n")
    (tmp_path / "pull-images.sh").write_text("docker pull example/app-x:1\n")
    filler = "# " + "x" * 61 + "\n"
    body = "services:\n  x:\n    image: example/app-y:1\n"
    (tmp_path / "compose.yaml").write_text(body + filler * (MAX_SOURCE_BYTES // 64))
    (tmp_path / "c.yml").write_text("inventory-mode: all\n")
    code, out, err = run("audit", str(tmp_path), "--config", "c.yml", "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert [image["ref"] for image in report["images"]] == ["example/app-x:1"]
    assert report["warnings"] == [
        {
            "path": "compose.yaml",
            "line": 1,
            "message": "the file is larger than 4 MiB, more than a file of images needs; its "
            "images are not read",
        }
    ]


def test_the_yaml_files_of_an_audit_are_read_up_to_a_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file is bounded, not their number: past the budget a file is a warning, and
    a smaller one after it, which fits what is left, is read."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "app-x.md").write_text("# example/app-x\n")
    (tmp_path / "pull-images.sh").write_text("docker pull example/app-x:1\n")
    (tmp_path / "c.yml").write_text("inventory-mode: all\n")
    service = "services:\n  s:\n    image: example/app-{}:1\n"
    sizes = {}
    for folder, padding in (("a", 40), ("b", 0), ("c", 40), ("d", 0)):
        (tmp_path / folder).mkdir()
        text = service.format(folder) + "#" * padding + "\n"
        (tmp_path / folder / "compose.yaml").write_text(text)
        sizes[folder] = len(text)
    # a and b fit; c would pass the budget; d fits what is left.
    monkeypatch.setattr(engine, "MAX_YAML_BYTES", sizes["a"] + sizes["b"] + sizes["d"])
    code, out, err = run("audit", str(tmp_path), "--config", "c.yml", "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    refs = [image["ref"] for image in report["images"]]
    assert refs == ["example/app-x:1", "example/app-a:1", "example/app-b:1", "example/app-d:1"]
    assert report["warnings"] == [
        {
            "path": "c/compose.yaml",
            "line": 1,
            "message": "not read: with the compose files, manifests and values files read "
            "before it, it would pass 16 MiB of YAML, the most an audit reads; its images are "
            "not read",
        }
    ]
