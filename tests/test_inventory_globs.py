"""Globs of repository files in a pull script (`grep image: k8s/*.yaml`, `cat lists/*.txt`,
`for f in lists/*.txt`) name the files bash's pathname expansion names: the reader is given
the repository's files, and reads each match as if the script named it. Every case is also
run under bash with logging stubs: the images it pulls must be the ones read."""

from __future__ import annotations

import io
import json
import subprocess
import time
from pathlib import Path

import pytest

from image_docs_audit.cli import main
from image_docs_audit.inventory import build_inventory, parse_pull_script
from image_docs_audit.inventory.limits import MAX_GLOBBED
from image_docs_audit.selector import TreeFiles
from test_hostile_pullscript import TOO_INTRICATE
from test_inventory_usage import images_used_by_a_run

FILES = {
    "k8s/api.yaml": b"spec:\n  containers:\n    - image: ghcr.io/acme/api:1\n",
    "k8s/web.yaml": b"spec:\n  containers:\n    - image: ghcr.io/acme/web:2\n",
    "k8s/.draft.yaml": b"    - image: ghcr.io/acme/draft:0\n",  # `*` skips a leading dot
    "k8s/old/legacy.yaml": b"    - image: ghcr.io/acme/legacy:0\n",  # `*` stays in its folder
    "lists/a.txt": b"acme/one:1\n",
    "lists/b.txt": b"acme/two:2\n",
    "lists/notes.md": b"acme/not-a-list:9\n",
    "scripts/extra/c.txt": b"acme/three:3\n",
    "scripts/lib/a.sh": b"docker pull acme/a:1\n",
    "scripts/lib/b.sh": b"IMG=acme/b:2\n",
    "services/api/Dockerfile": b"FROM scratch\n",
    "services/web/Dockerfile": b"FROM scratch\n",
}
HEAD = 'cd "$(dirname "$0")/.."\n'
K8S = ["k8s/api.yaml:3 ghcr.io/acme/api:1", "k8s/web.yaml:3 ghcr.io/acme/web:2"]
LISTS = ["lists/a.txt:1 acme/one:1", "lists/b.txt:1 acme/two:2"]

CASES: dict[str, tuple[str, str, list[str]]] = {
    "grep-h-awk": (
        HEAD, "grep -h 'image:' k8s/*.yaml | awk '{print $3}' | xargs -n1 docker pull", K8S
    ),
    "cat": (HEAD, "cat lists/*.txt | xargs -n1 docker pull", LISTS),
    "class": (HEAD, "cat lists/[ab].txt | xargs -n1 docker pull", LISTS),
    "question-mark": (HEAD, "cat lists/?.txt | xargs -n1 docker pull", LISTS),
    "for-while-read": (
        HEAD,
        'for f in lists/*.txt; do\n  while read -r i; do docker pull "$i"; done < "$f"\ndone',
        LISTS,
    ),
    "a-variable-holding-the-glob": (
        HEAD, "P='lists/*.txt'\ncat $P | xargs -n1 docker pull", LISTS
    ),
    # Without a `cd`, a name is read beside the script: `extra/*.txt` is scripts/extra/.
    "beside-the-script": ("", 'cat "$(dirname "$0")"/extra/*.txt | xargs docker pull',
                          ["scripts/extra/c.txt:1 acme/three:3"]),
    "folders": (HEAD, "cat */*.txt | xargs -n1 docker pull", LISTS),
    "in-the-script-s-folder": (
        'cd "$(dirname "$0")"\n', "cat */*.txt | xargs docker pull",
        ["scripts/extra/c.txt:1 acme/three:3"],
    ),
    "folders-named": (
        HEAD, 'for d in services/*/; do docker pull "ghcr.io/acme/$(basename "$d"):1"; done',
        ["scripts/pull.sh:2 ghcr.io/acme/api:1", "scripts/pull.sh:2 ghcr.io/acme/web:1"],
    ),
    "folders-of-files": (
        HEAD,
        'for f in services/*/Dockerfile; do\n  n=$(basename "$(dirname "$f")")\n'
        '  docker pull "ghcr.io/acme/$n:2"\ndone',
        ["scripts/pull.sh:4 ghcr.io/acme/api:2", "scripts/pull.sh:4 ghcr.io/acme/web:2"],
    ),
    "sourced": (
        HEAD, 'for f in scripts/lib/*.sh; do . "$f"; done\ndocker pull "$IMG"',
        ["scripts/lib/a.sh:1 acme/a:1", "scripts/lib/b.sh:1 acme/b:2"],
    ),
    # `**` is any depth of folders after `shopt -s globstar` (none hidden), `*` before it.
    "globstar": (
        HEAD + "shopt -s globstar\n",
        "grep -h 'image:' k8s/**/*.yaml | awk '{print $3}' | xargs -n1 docker pull",
        [K8S[0], "k8s/old/legacy.yaml:1 ghcr.io/acme/legacy:0", K8S[1]],
    ),
    "double-star-without-globstar": (
        HEAD, "grep -h 'image:' k8s/**/*.yaml | awk '{print $3}' | xargs -n1 docker pull",
        ["k8s/old/legacy.yaml:1 ghcr.io/acme/legacy:0"],
    ),
    "globstar-turned-off": (
        HEAD + "shopt -s globstar\nshopt -u globstar\n",
        "cat scripts/**/*.txt | xargs docker pull", ["scripts/extra/c.txt:1 acme/three:3"],
    ),
    "globstar-files-in-folders": (
        HEAD + "shopt -s globstar\n",
        'for f in **/Dockerfile; do\n'
        '  docker pull "ghcr.io/acme/$(basename "$(dirname "$f")"):3"\ndone',
        ["scripts/pull.sh:4 ghcr.io/acme/api:3", "scripts/pull.sh:4 ghcr.io/acme/web:3"],
    ),
}  # fmt: skip


def inventory(script: str) -> tuple[list[str], list[str]]:
    found = parse_pull_script(
        "scripts/pull.sh", script.encode(), FILES.get, TreeFiles([*FILES, "scripts/pull.sh"])
    )
    result = build_inventory([found])
    return [f"{image.source} {image.ref}" for image in result.images], [
        str(w) for w in result.warnings
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_glob_of_repository_files_reads_the_files_it_names(name: str) -> None:
    head, command, expected = CASES[name]
    assert inventory(head + command + "\n") == (expected, [])


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_images_read_are_the_ones_bash_pulls(name: str, tmp_path: Path) -> None:
    head, command, expected = CASES[name]
    root = tmp_path / "repo"
    for path, data in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    (root / "scripts/pull.sh").write_text(head + command + "\n")
    ran = images_used_by_a_run(root / "scripts/pull.sh", tmp_path / "run", {})
    assert ran == {shown.split()[1] for shown in expected}


def test_a_quoted_glob_and_a_glob_naming_no_file_are_warnings() -> None:
    command = "cat 'lists/*.txt' k8s/*.json \"lists/*\".txt | xargs docker pull\n"
    images, warnings = inventory(HEAD + command)
    assert images == []
    assert warnings == [
        f"scripts/pull.sh:2: cannot know which files {name} names without running the "
        "script: a glob of files is not expanded; the images in them are not audited (name "
        "each file)"
        for name in ("lists/*.txt", "k8s/*.json")
    ]


def test_tree_files_glob_as_bash_does() -> None:
    files = TreeFiles(["a/b.txt", "a/.c.txt", "a/d/e.txt", "f.txt", "g/h/i.txt", "g/j/i.txt"])
    assert files.glob("a/*.txt") == (("a/b.txt",), 5)  # `a` and `g`, then the three in a
    assert files.glob("a/.*")[0] == ("a/.c.txt",)
    assert files.glob("*/*/i.txt")[0] == ("g/h/i.txt", "g/j/i.txt")
    assert files.glob("[fg]*")[0] == ("f.txt", "g")  # a folder too, as bash lists it
    assert files.glob("*/")[0] == ("a", "g")  # folders only
    assert files.glob("g/*/")[0] == ("g/h", "g/j")
    assert files.glob("a/[!b]*")[0] == ("a/d",)
    assert files.glob("nowhere/*")[0] == ()


GLOBSTAR_TREE = [
    "k/top.yaml", "k/a/x.yaml", "k/a/b/y.yaml", "k/a/b/n.txt", "k/a2/z.yaml", "k/B/w.yaml",
    "k/.h/q.yaml", "k/.dot.yaml", "k/a/.h/deep.yaml", "m.txt",
]  # fmt: skip
GLOBSTAR_PATTERNS = [
    "k/**/*.yaml", "k/**", "k/**/", "**/*.txt", "k/**/b/*", "k/**/**/y.yaml", "**",
    "k/.h/**/*.yaml", "k/a**", "*/**/x.yaml", "k/**/.h/*",
]  # fmt: skip


@pytest.mark.parametrize("pattern", GLOBSTAR_PATTERNS)
def test_tree_files_glob_globstar_as_bash_does(pattern: str, tmp_path: Path) -> None:
    """`**` as bash's globstar names: every depth of folders, hidden ones left out unless
    written, the whole paths sorted (bash in the C locale; its folders end with `/`)."""
    for path in GLOBSTAR_TREE:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    script = f"shopt -s globstar nullglob; for p in {pattern}; do printf '%s\\n' \"$p\"; done"
    ran = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env={"LC_ALL": "C"}, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    named = tuple(line.rstrip("/") for line in ran.stdout.splitlines())
    assert TreeFiles(GLOBSTAR_TREE).glob(pattern)[0] == named


def test_hostile_globstar_over_a_deep_tree_is_bounded() -> None:
    """Each `**` walks each folder once, whatever the places above it: four of them over
    a tree of 60,000 folders (and one 64 deep) take a linear time, each folder walked is
    charged, and the names the glob gives stop at their bound (the reader warns)."""
    deep = ["/".join(f"d{level}" for level in range(depth)) + "/f.txt" for depth in range(1, 65)]
    wide = [f"w{index}/x{index}/f.txt" for index in range(30_000)]
    started = time.perf_counter()
    found, tested = TreeFiles(deep + wide).glob("**/**/**/**/f.txt")
    assert time.perf_counter() - started < 20  # a product of the folders: hours
    assert found == tuple(sorted(deep + wide)[:10_000])  # the first, as bash sorts them
    assert tested >= 4 * 60_000


def test_a_script_is_read_again_when_its_glob_names_other_files(tmp_path: Path) -> None:
    # A check reads the head's scripts, then the base's, from one cache: the same script
    # and list, with one list fewer at head, must give the base one image more.
    root = tmp_path / "repo"
    (root / "lists").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs/a.md").write_text("# a\n\n- acme/one\n")
    (root / "lists/a.txt").write_text("acme/one:1\n")
    (root / "lists/b.txt").write_text("acme/two:2\n")
    (root / "pull-images.sh").write_text("cat lists/*.txt | xargs -n1 docker pull\n")
    who = ["-c", "user.name=t", "-c", "user.email=t@t"]
    for args in (["init", "-q"], [*who, "add", "-A"], [*who, "commit", "-qm", "base"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    (root / "lists/b.txt").unlink()
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", str(root), "--base", "HEAD", "--format", "json"], stdout=out, stderr=err)
    assert err.getvalue() == ""
    data = json.loads(out.getvalue())
    assert [image["ref"] for image in data["images"]] == ["acme/one:1"]
    assert data["base"]["summary"]["total"] == 2
    assert [removed["image"] for removed in data["removed"]] == ["acme/two:2"]
    assert code == 0


def test_hostile_a_glob_of_a_huge_tree_names_a_bounded_number_of_files() -> None:
    # 100,000 files in 400 folders: `*/*/*.txt` names them all, as bash would; the first
    # MAX_GLOBBED are read (each a list: MAX_LISTS of them at most), with one warning.
    files = [f"d{i % 400:03}/s{i % 7}/f{i:06}.txt" for i in range(100_000)]
    script = b"cat */*/*.txt | xargs docker pull\n" * 50
    started = time.perf_counter()

    def read(path: str) -> bytes:
        return f"acme/{path.replace('/', '-').removesuffix('.txt')}:1\n".encode()

    found = parse_pull_script("pull.sh", script, read, TreeFiles(files))
    assert time.perf_counter() - started < 30  # about 1 s; a blow-up takes minutes
    assert len({candidate.path for candidate, _ in found.candidates}) == 32  # MAX_LISTS files
    warned = [str(w) for w in found.warnings if "names more than" in str(w)]
    assert warned == [
        f"pull.sh:{line}: */*/*.txt names more than {MAX_GLOBBED} files of the repository; "
        f"those after d001/s0/f016401.txt are not read, and the images in them are not "
        "audited (name fewer files)"
        for line in range(1, 51)
    ]


def test_hostile_thousands_of_globs_over_a_huge_tree_end_with_a_warning() -> None:
    # Each glob tests 100,000 names, a class and a `?` several times each: the names tested
    # are charged to the script's budget, which ends the reading with a warning (about 4 s).
    files = [f"d{i % 400:03}/s{i % 7}/f{i:06}.txt" for i in range(100_000)]
    script = b"".join(
        f"cat */*/[a-z]*[0-9]?{i}*.txt | xargs docker pull\n".encode() for i in range(3000)
    )
    started = time.perf_counter()
    found = parse_pull_script("pull.sh", script, lambda path: None, TreeFiles(files))
    assert time.perf_counter() - started < 60  # unbounded, it took minutes
    assert str(found.warnings[-1]).endswith(TOO_INTRICATE)
