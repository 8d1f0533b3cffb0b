"""A `grep` that keeps the lines its pattern selects, `grep -o`, and awk programs that print
a field of the lines a guard selects: the k8s manifest idiom `grep 'image:' deploy.yaml |
awk '{print $2}' | xargs -n1 docker pull`.

The pattern is tested on each line as the file has it (its indent too), and an image
read from a file of the repository stands at its line there. Every main case is also run
under bash with logging stubs: the images it pulls must be the ones read.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from image_docs_audit.inventory import grep
from image_docs_audit.inventory.grep import only_matching
from test_inventory_lists import inventory
from test_inventory_usage import images_used_by_a_run

MANIFEST = b"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4
        - name: worker
          image: ghcr.io/acme/worker:2.0
"""
FILES = {
    "k8s/deploy.yaml": MANIFEST,
    "k8s/web.yaml": b"image: ghcr.io/acme/web:1.4\n",
    "k8s/worker.yaml": b"image: ghcr.io/acme/worker:2.0\n",
}
# The script stands in scripts/ and reads the files from the root, as bash runs it.
HEAD = 'cd "$(dirname "$0")/.."\n# Shop\n'
BOTH = [
    "k8s/deploy.yaml:10 ghcr.io/acme/web:1.4 Shop",
    "k8s/deploy.yaml:12 ghcr.io/acme/worker:2.0 Shop",
]
WEB = ["k8s/deploy.yaml:10 ghcr.io/acme/web:1.4 Shop"]

AWK2, PULL = " | awk '{print $2}'", " | xargs -n1 docker pull"
D = " k8s/deploy.yaml"

# A command line, and the images read from it (with no warning).
FOLLOWED: dict[str, tuple[str, list[str]]] = {
    "grep-h-awk": ("grep -h 'image:'" + D + AWK2 + PULL, BOTH),
    "grep-awk": ("grep image:" + D + AWK2 + PULL, BOTH),
    "grep-e-e": ("grep -e 'image: .*web' -e 'image: .*worker'" + D + AWK2 + PULL, BOTH),
    "grep-F": ("grep -F 'image: ghcr.io/acme/web'" + D + AWK2 + PULL, WEB),
    "grep-i": ("grep -i 'IMAGE: .*WEB'" + D + AWK2 + PULL, WEB),
    "grep-E": ("grep -E '^ *image: ghcr\\.io/acme/w[e]b'" + D + " | awk '{print $NF}'" + PULL, WEB),
    "grep-x": ("grep -x ' *image: [^ ]*web:1.4'" + D + AWK2 + PULL, WEB),
    # The line as written: an indented line does not start with `image:`.
    "grep-anchored-to-the-indent": ("grep '^image:'" + D + AWK2 + PULL, []),
    "grep-o": ("grep -o 'ghcr[^ ]*'" + D + PULL, BOTH),
    "grep-o-i": ("grep -oi 'GHCR.IO/acme/web:[0-9.]*'" + D + PULL, WEB),
    "awk-regex": ("awk '/image:/ {print $2}'" + D + PULL, BOTH),
    "awk-regex-extended": ("awk '/^  *image: .*web/{print $NF}'" + D + PULL, WEB),
    "awk-equal": ("awk '$1 == \"image:\" {print $2}'" + D + PULL, BOTH),
    "awk-separator": (
        "awk -F: '/image:/ {print $2}'" + D + PULL,
        ["k8s/deploy.yaml:10 ghcr.io/acme/web Shop", "k8s/deploy.yaml:12 ghcr.io/acme/worker Shop"],
    ),
    "awk-separator-apart": (
        "awk -F ':' '{print $NF}' k8s/web.yaml" + PULL, ["k8s/web.yaml:1 1.4 Shop"]
    ),
    "grep-into-awk-last-field": (
        "grep worker" + D + " | awk '{print $NF}'" + PULL,
        ["k8s/deploy.yaml:11 worker Shop", "k8s/deploy.yaml:12 ghcr.io/acme/worker:2.0 Shop"],
    ),
    # Several files: each line after its file's name and a colon, as grep prints it.
    "grep-files": (
        "grep image: k8s/web.yaml k8s/worker.yaml" + AWK2 + PULL,
        ["k8s/web.yaml:1 ghcr.io/acme/web:1.4 Shop",
         "k8s/worker.yaml:1 ghcr.io/acme/worker:2.0 Shop"],
    ),
    # (the image of k8s/web.yaml is the web image of the manifest: one more place of it)
    "grep-h-files": ("grep -h image:" + D + " k8s/web.yaml" + AWK2 + PULL, BOTH),
    "grep-H": (
        "grep -H image: k8s/web.yaml | cut -d: -f3" + PULL, ["k8s/web.yaml:1 ghcr.io/acme/web Shop"]
    ),
    "grep-of-its-input": (
        "printf '%s\\n' ghcr.io/acme/web:1.4 ghcr.io/acme/api:1 | grep -v api | grep web" + PULL,
        ["scripts/pull.sh:3 ghcr.io/acme/web:1.4 Shop"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(FOLLOWED))
def test_the_lines_a_grep_or_awk_selects_are_read(name: str) -> None:
    command, expected = FOLLOWED[name]
    assert inventory((HEAD + command + "\n").encode(), FILES) == (expected, [])


@pytest.mark.parametrize("name", sorted(FOLLOWED))
def test_the_images_read_are_the_ones_bash_pulls(name: str, tmp_path: Path) -> None:
    command, expected = FOLLOWED[name]
    root = tmp_path / "repo"
    for path, data in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    (root / "scripts").mkdir()
    (root / "scripts/pull.sh").write_text(HEAD + command + "\n")
    ran = images_used_by_a_run(root / "scripts/pull.sh", tmp_path / "run", {})
    assert ran == {shown.split()[1] for shown in expected}


def test_a_list_read_by_grep_keeps_its_headers_and_a_written_file_is_read_too() -> None:
    listed = (
        b"# Core\nghcr.io/acme/api:1.0-arm64\nghcr.io/acme/api:1.0-amd64\n"
        b"# Tools\nbusybox:1.36-arm64\n"
    )
    script = (
        b"grep -- -arm64 images.txt | xargs -n1 docker pull\n"
        b"cat > /tmp/more <<EOF\nredis:7-arm64\nredis:7\nEOF\n"
        b"grep arm64 /tmp/more | xargs docker pull\n"
    )
    shown, warnings = inventory(script, {"scripts/images.txt": listed})
    assert shown == [
        "scripts/pull.sh:3 redis:7-arm64 None",
        "scripts/images.txt:2 ghcr.io/acme/api:1.0-arm64 Core",
        "scripts/images.txt:5 busybox:1.36-arm64 Tools",
    ]
    assert warnings == []


def test_a_line_not_known_stays_with_nothing_known_of_it() -> None:
    script = b"printf '%s\\n' \"$EXTRA\" a/web:1 a/api:1 | grep web | xargs docker pull\n"
    assert inventory(script, {}) == (
        ["scripts/pull.sh:1 a/web:1 None"],
        [
            "scripts/pull.sh:1: cannot know the value of $EXTRA without running the script; "
            "the image is not audited (set the variable in the script or list the image "
            "literally)"
        ],
    )


def test_indented_lines_of_several_files_print_no_image_as_bash_pulls_none() -> None:
    """`file:          image: x` gives awk `image:` as its second field: bash pulls that."""
    command = b"grep image: k8s/deploy.yaml k8s/web.yaml | awk '{print $2}' | xargs -n1 docker pull"
    assert inventory(HEAD.encode() + command + b"\n", FILES) == (
        ["k8s/web.yaml:1 ghcr.io/acme/web:1.4 Shop"],
        ["k8s/deploy.yaml:10: 'image:' is not an image reference: '' is not a valid tag"],
    )


_NOT_KNOWN = (
    "scripts/pull.sh:3: cannot know the value of the input of xargs without running the "
    "script; the image is not audited (set the variable in the script or list the image "
    "literally)"
)


@pytest.mark.parametrize(
    ("command", "warning"),
    [
        # a glob, where the reader is not given the repository's files (see test_inventory_globs)
        ("grep 'image:' k8s/*.yaml | awk '{print $2}' | xargs -n1 docker pull",
         "scripts/pull.sh:3: cannot know which files k8s/*.yaml names without running the "
         "script: a glob of files is not expanded; the images in them are not audited (name "
         "each file)"),
        ("grep image: missing.yaml | awk '{print $2}' | xargs -n1 docker pull",
         "scripts/pull.sh:3: cannot know the lines of missing.yaml without running the script: "
         "it reads that file but does not write it; the images in it are not audited (list "
         "them in the script)"),
        # patterns, options and programs not modelled
        ("grep -E 'web|worker'" + D + AWK2 + PULL, _NOT_KNOWN),
        ("grep -oE 'ghcr[^ ]+'" + D + PULL, _NOT_KNOWN),
        ("grep -o -e ghcr -e acme" + D + PULL, _NOT_KNOWN),
        ("grep -m1 image:" + D + AWK2 + PULL, _NOT_KNOWN),
        ("grep -A1 'name: web'" + D + AWK2 + PULL, _NOT_KNOWN),
        ("grep -c image:" + D + PULL, _NOT_KNOWN),
        ("grep -w image" + D + AWK2 + PULL, _NOT_KNOWN),
        ('grep "$PATTERN"' + D + AWK2 + PULL, _NOT_KNOWN),
        ("awk -F': *' '/image:/ {print $2}'" + D + PULL, _NOT_KNOWN),
        ("awk '/image:/ && /web/ {print $2}'" + D + PULL, _NOT_KNOWN),
        ("awk '/(web|worker)$/ {print $2}'" + D + PULL, _NOT_KNOWN),
        ("yq '.. | .image? | select(.)'" + D + PULL, _NOT_KNOWN),
        ("grep image:" + D + " | sed 's/.*image: //'" + PULL, _NOT_KNOWN),
    ],
)  # fmt: skip
def test_what_cannot_be_followed_is_a_warning(command: str, warning: str) -> None:
    assert inventory((HEAD + command + "\n").encode(), FILES) == ([], [warning])


def test_the_matches_of_grep_o_are_searched_within_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each search runs once over the line; past MATCH_STEPS a character, grep -o is not
    followed (its output is None) rather than read for long."""
    parts = only_matching("a.*b", "")
    assert parts is not None
    assert parts("xab ab") == ["ab ab"]
    started = time.perf_counter()
    assert parts("a" * 100_000 + "b") == ["a" * 100_000 + "b"]
    assert time.perf_counter() - started < 5
    monkeypatch.setattr(grep, "MATCH_STEPS", 0)
    assert parts("xab ab") is None
