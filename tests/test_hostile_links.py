"""Symlinks a pull request adds: none is followed into the version control folder.

`actions/checkout` leaves the job's token in `.git/config` (an `extraheader`), and a
list file the pull script reads is quoted line by line in the warnings of every output
(`'...' is not an image reference`): a link from the checkout into `.git` would post the
token in the pull request's comment.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from image_docs_audit.cli import main

SECRET = "AUTHORIZATION: basic c2VjcmV0LXRva2Vu"
PULL_SCRIPT = """\
IMAGES=(example/app-a:1)
for image in "${IMAGES[@]}"; do docker pull "$image"; done
while read -r image; do docker pull "$image"; done < images.txt
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, env={})
    return code, out.getvalue(), err.getvalue()


def checkout(root: Path) -> Path:
    """A repository as `actions/checkout` leaves it: the token in `.git/config`."""
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    header = "http.https://github.com/.extraheader"
    subprocess.run(["git", "-C", str(root), "config", header, SECRET], check=True)
    (root / "docs").mkdir()
    (root / "docs" / "app-a.md").write_text("# app-a\n")
    (root / "pull-images.sh").write_text(PULL_SCRIPT)
    return root


def test_a_list_linked_into_git_is_not_read(tmp_path: Path) -> None:
    root = checkout(tmp_path / "repo")
    (root / "images.txt").symlink_to(".git/config")
    (root / "docs" / "notes.md").symlink_to("../.git/config")
    (root / "docs" / "hooks").symlink_to("../.git/hooks")
    for output in ("json", "markdown", "text", "sarif"):
        code, out, err = run("audit", str(root), "--format", output)
        assert (code, err) == (0, ""), output
        assert "c2VjcmV0LXRva2Vu" not in out and "extraheader" not in out, output
    code, out, _ = run("audit", str(root), "--format", "json")
    report = json.loads(out)
    assert [image["ref"] for image in report["images"]] == ["example/app-a:1"]
    refused = "skipped: a symlink into a version control folder, which the audit never reads"
    assert [(w["path"], w["line"], w["message"]) for w in report["warnings"]] == [
        ("docs/hooks", 0, refused),
        ("docs/notes.md", 0, refused),
        ("images.txt", 0, refused),
        (
            "pull-images.sh",
            3,
            "cannot know the lines of images.txt without running the script: it reads that"
            " file but does not write it; the images in it are not audited (list them in the"
            " script)",
        ),
    ]


def test_a_link_into_git_inside_the_tree_is_refused_too(tmp_path: Path) -> None:
    """The target's folders count, not the link's: `a/b -> ../.git/x` and a link to a
    link into `.git` are refused alike; a link to `.github` or `git.md` is not."""
    root = checkout(tmp_path / "repo")
    (root / "lists").mkdir()
    (root / "lists" / "hop").symlink_to("../.git/config")
    (root / "images.txt").symlink_to("lists/hop")
    (root / ".github").mkdir()
    (root / ".github" / "images.txt").write_text("example/app-b:2\n")
    (root / "more.txt").symlink_to(".github/images.txt")
    (root / "pull-images.sh").write_text(PULL_SCRIPT.replace("images.txt", "more.txt"))
    code, out, err = run("audit", str(root), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert [image["ref"] for image in report["images"]] == ["example/app-a:1", "example/app-b:2"]
    assert [(w["path"], w["message"]) for w in report["warnings"]] == [
        (
            "images.txt",
            "skipped: a symlink into a version control folder, which the audit never reads",
        ),
        (
            "lists/hop",
            "skipped: a symlink into a version control folder, which the audit never reads",
        ),
    ]


def test_a_pull_script_linked_into_git_is_one_line_error(tmp_path: Path) -> None:
    root = checkout(tmp_path / "repo")
    (root / "pull-images.sh").unlink()
    (root / "pull-images.sh").symlink_to(".git/config")
    code, out, err = run("audit", str(root))
    assert (code, out) == (2, "")
    assert err == (
        "image-docs-audit: pull-scripts 'pull-images.sh': a symlink into a version control"
        " folder (.git), which is never read; name a file or folder of the repository\n"
    )


def test_links_that_loop_are_named_as_loops(tmp_path: Path) -> None:
    root = checkout(tmp_path / "repo")
    (root / "images.txt").write_text("example/app-c:3\n")
    (root / "docs" / "one.md").symlink_to("two.md")
    (root / "docs" / "two.md").symlink_to("one.md")
    code, out, err = run("audit", str(root), "--format", "json")
    assert (code, err) == (0, "")
    warnings = [(w["path"], w["message"]) for w in json.loads(out)["warnings"]]
    assert warnings == [
        ("docs/one.md", "skipped: a symlink that loops"),
        ("docs/two.md", "skipped: a symlink that loops"),
    ]
