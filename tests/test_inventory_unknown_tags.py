"""A known repository with a tag (or digest) the script does not let us know.

`docker pull "example/app:${TAG}"`, `"app:$(git describe --tags)"`, `"app@${DIGEST}"`:
the repository is known, only the tag is not, and the docs name an image by its
repository. Such an image is in the inventory as its repository's image: its `ref`
as written (`example/app:${TAG}`), its canonical reference `docker.io/example/app:?`
(`?` is no tag: it never claims `latest`), audited and gated like any other, with no
warning. Where any part of the name is not known (`example/${NAME}:1`,
`example/app${SUFFIX}`) the warning stays: the image is not audited. (A registry not
known, `${REG}/app:1`, is test_inventory_unknown_starts'.)

Where the inventory also has the repository with a known tag, the use whose tag is not
known is one more place of that image (its `sources`, with the `ref` written there),
not an entry of its own; and a doc citing another tag of it is no drift.

Every script whose images can be audited is also run under bash with logging stubs,
with the variables unset and set: the repositories it pulls must be the ones read.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit.cli import main
from image_docs_audit.inventory import read_inventory
from image_docs_audit.inventory.reference import (
    parse_reference,
    parse_repository,
    unknown_tag_split,
)
from test_inventory_usage import images_used_by_a_run

SCRIPT = "scripts/pull-images.sh"
DIGEST = "sha256:" + "ab" * 32
# The environments each script is run with: every variable unset, then set.
RUNS = ({}, {"TAG": "2.5", "DIGEST": DIGEST, "MINOR": "7", "D": "cd" * 32, "OCP": "4.15.0"})


def _cannot_know(line: int, expression: str) -> str:
    return (
        f"pull.sh:{line}: cannot know the value of {expression} without running the script; "
        "the image is not audited (set the variable in the script or list the image literally)"
    )


def _read(script: str) -> tuple[list[tuple[int, str, str, str | None]], list[str]]:
    """The inventory `(line, ref, canonical, category)` and the warnings of `script`."""
    found = read_inventory([("pull.sh", script.encode())])
    images = [(i.source.line, i.ref, i.key, i.category) for i in found.images]
    return images, [str(warning) for warning in found.warnings]


# A script whose images can all be audited, its exact inventory: no warning.
AUDITED: dict[str, tuple[str, list[tuple[int, str, str, str | None]]]] = {
    "a-tag-from-the-environment": (
        'docker pull "example/app-y:${TAG}"\n',
        [(1, "example/app-y:${TAG}", "docker.io/example/app-y:?", None)],
    ),
    "unquoted": (
        "docker pull example/app-y:$TAG\n",
        [(1, "example/app-y:$TAG", "docker.io/example/app-y:?", None)],
    ),
    "a-tag-git-describes": (
        'docker pull "example/app-x:$(git describe --tags)"\n',
        [(1, "example/app-x:$(git describe --tags)", "docker.io/example/app-x:?", None)],
    ),
    "a-digest": (
        'docker pull "myorg/app@${DIGEST}"\n',
        [(1, "myorg/app@${DIGEST}", "docker.io/myorg/app:?", None)],
    ),
    "a-digest-after-its-algorithm": (
        'docker pull "example/app-y@sha256:${D}"\n',
        [(1, "example/app-y@sha256:${D}", "docker.io/example/app-y:?", None)],
    ),
    "a-registry-with-a-port": (
        'docker pull "registry:5000/team/app:${TAG}"\n',
        [(1, "registry:5000/team/app:${TAG}", "registry:5000/team/app:?", None)],
    ),
    "a-known-start-of-the-tag": (
        'docker pull "example/app-y:1.${MINOR}"\n',
        [(1, "example/app-y:1.${MINOR}", "docker.io/example/app-y:?", None)],
    ),
    "a-known-end-of-the-tag": (
        'docker pull "example/app-y:${TAG}-alpine"\n',
        [(1, "example/app-y:${TAG}-alpine", "docker.io/example/app-y:?", None)],
    ),
    "an-array-of-images-looped-over": (
        'IMAGES=(\n  # Databases\n  "example/app-db:$(cat VERSION)"\n  redis:7\n)\n'
        'for image in "${IMAGES[@]}"; do docker pull "$image"; done\n',
        [
            (3, "example/app-db:$(cat VERSION)", "docker.io/example/app-db:?", "Databases"),
            (4, "redis:7", "docker.io/library/redis:7", "Databases"),
        ],
    ),
    "a-variable-set-to-it": (
        'IMAGE="example/app-v:$(git describe --tags)"\ndocker pull "$IMAGE"\n',
        [(1, "example/app-v:$(git describe --tags)", "docker.io/example/app-v:?", None)],
    ),
    "a-heredoc-line": (
        '# Apps\nwhile read -r image; do docker pull "$image"; done <<EOF\n'
        "example/app-h:${TAG}\nEOF\n",
        [(3, "example/app-h:${TAG}", "docker.io/example/app-h:?", "Apps")],
    ),
    "a-function-s-argument": (
        'pull() { docker pull "example/$1:${TAG}"; }\npull app-f\n',
        [(2, "example/app-f:${TAG}", "docker.io/example/app-f:?", None)],
    ),
    "a-mirror-of-each-element": (
        'IMAGES=("example/app-m:${TAG}")\n'
        'for i in "${IMAGES[@]}"; do docker pull "mirror.example.com/$i"; done\n',
        [
            (
                1,
                "mirror.example.com/example/app-m:${TAG}",
                "mirror.example.com/example/app-m:?",
                None,
            )
        ],
    ),
    "xargs-writing-it-into-its-command": (
        "printf '%s\\n' \"example/app-z:$TAG\" | xargs -I{} docker pull mirror.example.com/{}\n",
        [(1, "mirror.example.com/example/app-z:$TAG", "mirror.example.com/example/app-z:?", None)],
    ),
    "the-words-of-a-value": (
        'IMGS="redis:7 example/app-w:$TAG"\nfor i in $IMGS; do docker pull "$i"; done\n',
        [  # as the words of a value all known stand: where the value is set
            (1, "redis:7", "docker.io/library/redis:7", None),
            (1, "example/app-w:$TAG", "docker.io/example/app-w:?", None),
        ],
    ),
    "the-value-of-an-option": (
        'oc adm release mirror --from="quay.io/openshift-release-dev/ocp-release:${OCP}-x86_64"'
        " --to=mirror.example.com/ocp\n",
        [
            (
                1,
                "quay.io/openshift-release-dev/ocp-release:${OCP}-x86_64",
                "quay.io/openshift-release-dev/ocp-release:?",
                None,
            )
        ],
    ),
    "words-after-it": (
        'IMGS="example/app-w:$TAG nginx:1"\nfor i in $IMGS; do docker pull "$i"; done\n',
        [  # the value's words, each where the value is set
            (1, "example/app-w:$TAG", "docker.io/example/app-w:?", None),
            (1, "nginx:1", "docker.io/library/nginx:1", None),
        ],
    ),
    "an-image-list-no-command-uses": (
        'ALL_IMAGES=(\n  "example/app-l:${TAG}"\n)\n',
        [(2, "example/app-l:${TAG}", "docker.io/example/app-l:?", None)],
    ),
}


@pytest.mark.parametrize("name", sorted(AUDITED))
def test_an_image_whose_tag_is_not_known_is_audited_by_its_repository(name: str) -> None:
    script, expected = AUDITED[name]
    assert _read(script) == (expected, [])


@pytest.mark.parametrize("name", sorted(set(AUDITED) - {"an-image-list-no-command-uses"}))
def test_the_repositories_read_are_the_ones_bash_pulls(name: str, tmp_path: Path) -> None:
    script, _ = AUDITED[name]
    (tmp_path / "pull.sh").write_text(script)
    images = read_inventory([("pull.sh", script.encode())]).images
    read = {image.parsed.repository for image in images}
    for number, extra in enumerate(RUNS):
        ran = images_used_by_a_run(tmp_path / "pull.sh", tmp_path / f"run{number}", extra)
        assert {_repository(image) for image in ran} == read, extra


def _repository(pulled: str) -> str:
    """The repository a run pulled (with a variable unset, its tag may be no tag)."""
    name = pulled.split("@", 1)[0]
    colon = name.rfind(":")
    return parse_reference(name[:colon] if colon > name.rfind("/") else name).repository


# A script where more than the tag is not known: no image, the exact warnings. Each also
# pulls `busybox:1.36`, so that the rest of the script is seen read.
OK = "docker pull busybox:1.36\n"
OK_IMAGE = (1, "busybox:1.36", "docker.io/library/busybox:1.36", None)

NOT_AUDITED: dict[str, tuple[str, list[str]]] = {
    "a-part-of-the-path": (
        OK + 'docker pull "example/${NAME}:1"\n',
        [_cannot_know(2, "${NAME}")],
    ),
    "the-end-of-the-name": (
        OK + 'docker pull "example/app-y${SUFFIX}"\n',
        [_cannot_know(2, "${SUFFIX}")],
    ),
    # a trim may cut into the known part: `mirror/app:...`, not `mirror/example/app:...`
    "a-trim": (
        OK + 'X="example/app:$TAG"\ndocker pull "mirror.example.com/${X#*/}"\n',
        [_cannot_know(2, "$TAG")],
    ),
    "a-field-awk-prints": (
        OK + "echo \"example/app:$TAG x\" | awk '{print $2}' | xargs -n1 docker pull\n",
        [_cannot_know(2, "$TAG")],
    ),
    "a-line-grep-may-drop": (
        OK + 'echo "example/app:$TAG" | grep -v example | xargs -n1 docker pull\n',
        [_cannot_know(2, "$TAG")],
    ),
    "printf-v-writing-it-into-a-format": (
        OK + 'printf -v IMG "mirror.example.com/%s" "example/app:$TAG"\ndocker pull "$IMG"\n',
        [_cannot_know(2, "$TAG")],
    ),
    "a-lowered-variable": (
        OK + 'declare -l IMG\nIMG="Example/App:$TAG"\ndocker pull "$IMG"\n',
        [_cannot_know(3, "$TAG")],
    ),
    # the known words after the unknown one are not followed: the value is not known
    # the `=` of `SOURCE=DESTINATION` may be in the part not known
    "a-mapping-not-known": (
        OK + 'oc image mirror "example/app:${TAG}=mirror.example.com/app:${TAG}"\n',
        [_cannot_know(2, "${TAG}")],
    ),
    "fields-read-splits": (
        OK + 'read -r name tag <<< "example/app $TAG"\ndocker pull "$name:1"\n',
        [_cannot_know(2, "$TAG")],
    ),
}


@pytest.mark.parametrize("name", sorted(NOT_AUDITED))
def test_where_more_than_the_tag_is_not_known_the_warning_stays(name: str) -> None:
    script, warnings = NOT_AUDITED[name]
    assert _read(script) == ([OK_IMAGE], warnings)


@pytest.mark.parametrize(
    ("known", "after", "split"),
    [
        ("example/app-y:", "", ("example/app-y", ":")),
        ("example/app-y:1.", "", ("example/app-y", ":1.")),
        ("registry:5000/team/app:", "", ("registry:5000/team/app", ":")),
        ("example/app@", "", ("example/app", "@")),
        ("example/app@sha256:", "", ("example/app", "@sha256:")),
        ("example/app:1.0@sha256:ab", "", ("example/app:1.0", "@sha256:ab")),
        ("example/app:", "-alpine", ("example/app", ":")),
        ("example/app:", "@" + DIGEST, ("example/app", ":")),
        # the unknown part may be in the name
        ("example/app-y", "", None),
        ("example/", "", None),
        ("registry:5000/team/app", "", None),
        ("localhost:", "/app:1", None),
        ("", "", None),
        (":", "", None),
        ("example/app:1 ", "", None),
        ("example/app:-", "", None),
        ("example/app:", " nginx:1", None),
        ("example/app@sha256/", "", None),
    ],
)
def test_a_reference_is_cut_where_its_tag_or_digest_starts(
    known: str, after: str, split: tuple[str, str] | None
) -> None:
    assert unknown_tag_split(known, after) == split


# One repository, a tag known and a tag not known: one image, as its docs are one.
FOLDED = {
    "the-known-tag-first": (
        'docker pull example/app-y:1.0\ndocker pull "example/app-y:${TAG}"\n',
        (1, "example/app-y:1.0"),
        [(1, None), (2, "example/app-y:${TAG}")],
    ),
    "the-unknown-tag-first": (
        'docker pull "example/app-y:${TAG}"\ndocker pull example/app-y:1.0\n',
        (2, "example/app-y:1.0"),
        [(2, None), (1, "example/app-y:${TAG}")],
    ),
    "two-tags-not-known": (  # (no "listed again": they may be two tags)
        'docker pull "example/app-y:${TAG}"\ndocker run "example/app-y@$(cat DIGEST)"\n',
        (1, "example/app-y:${TAG}"),
        [(1, "example/app-y:${TAG}"), (2, "example/app-y@$(cat DIGEST)")],
    ),
}


@pytest.mark.parametrize("name", sorted(FOLDED))
def test_a_tag_not_known_of_a_repository_listed_is_one_more_place_of_it(name: str) -> None:
    script, image, places = FOLDED[name]
    found = read_inventory([("pull.sh", script.encode())])
    assert [(i.source.line, i.ref) for i in found.images] == [image]
    assert [(p.location.line, p.written) for p in found.images[0].places] == places
    assert found.warnings == ()


def _run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, env={})
    assert err.getvalue() == ""
    return code, out.getvalue()


def _project(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def test_the_report_shows_the_tag_not_known_as_written(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            SCRIPT: 'docker pull example/app-y:1.0\ndocker pull "example/app-y:${TAG}"\n'
            'docker pull "example/app-z:$(git describe --tags)"\n',
            "docs/app-z.md": "# app-z\n",
        },
    )
    code, out = _run("audit", str(root), "--format", "json")
    data = json.loads(out)
    assert code == 0
    shown = [
        (i["ref"], i["canonical"], i["status"], i["sources"], i["evidence"]) for i in data["images"]
    ]
    assert shown == [
        (
            "example/app-y:1.0",
            "docker.io/example/app-y:1.0",
            "missing",
            [
                {"path": SCRIPT, "line": 1, "kind": "pull-script"},
                {"path": SCRIPT, "line": 2, "kind": "pull-script", "ref": "example/app-y:${TAG}"},
            ],
            [],
        ),
        (
            "example/app-z:$(git describe --tags)",
            "docker.io/example/app-z:?",
            "documented",
            [
                {
                    "path": SCRIPT,
                    "line": 3,
                    "kind": "pull-script",
                    "ref": "example/app-z:$(git describe --tags)",
                }
            ],
            [
                {"path": "docs/app-z.md", "line": 0, "kind": "filename"},
                {"path": "docs/app-z.md", "line": 1, "kind": "title"},
            ],
        ),
    ]
    assert data["warnings"] == []
    _, text = _run("audit", str(root))
    assert f"documented  example/app-z:$(git describe --tags)  {SCRIPT}:3" in text


@pytest.mark.parametrize(
    ("script", "drift"),
    [
        ("docker pull example/app-y:1.0\n", ["example/app-y:2.0"]),
        # the script may pull 2.0 too: no drift
        ('docker pull example/app-y:1.0\ndocker pull "example/app-y:${TAG}"\n', []),
        ('docker pull "example/app-y:${TAG}"\n', []),
    ],
)
def test_a_doc_citing_a_tag_is_no_drift_where_the_tag_pulled_is_not_known(
    tmp_path: Path, script: str, drift: list[str]
) -> None:
    root = _project(
        tmp_path, {SCRIPT: script, "docs/app-y.md": "# app-y\n\nRun `example/app-y:2.0`.\n"}
    )
    _, out = _run("audit", str(root), "--format", "json")
    data = json.loads(out)
    assert [item["cited"] for item in data["drift"]] == drift
    assert [image["status"] for image in data["images"]] == ["documented"]


CHECK_BASE = {
    SCRIPT: "docker pull example/app-db:1.0\ndocker pull example/app-api:1\n",
    "docs/app-db.md": "# app-db\n",
    "docs/app-api.md": "# app-api\n",
}


def _check(repo: Repo) -> tuple[int, list[tuple[str, str | None, int | None]]]:
    code, out = _run(
        "check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD", "--format", "json"
    )
    data = json.loads(out)
    return code, [(r["kind"], r["image"], r["line"]) for r in data["regressions"]]


def test_check_fails_a_new_image_whose_tag_is_not_known_with_no_doc(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(CHECK_BASE, "base")
    script = CHECK_BASE[SCRIPT] + 'docker pull "example/app-new:${TAG}"\n'
    repo.commit({SCRIPT: script}, "head")
    assert _check(repo) == (
        1,
        [
            ("new_undocumented", "example/app-new:${TAG}", 3),
            ("coverage_drop", None, None),
        ],
    )
    repo.commit({"docs/app-new.md": "# app-new\n"}, "its doc")
    assert _check(repo) == (0, [])


def test_check_fails_an_image_whose_tag_is_no_longer_known_and_whose_doc_is_gone(
    tmp_path: Path,
) -> None:
    """`app-db:1.0` becomes `app-db:$(cat VERSION)` and its doc is deleted in the same
    change: the image of the same repository lost its docs."""
    repo = Repo(tmp_path / "repo")
    repo.commit(CHECK_BASE, "base")
    script = 'docker pull "example/app-db:$(cat VERSION)"\ndocker pull example/app-api:1\n'
    repo.commit({SCRIPT: script, "docs/app-db.md": None}, "head")
    assert _check(repo) == (
        1,
        [
            ("newly_missing", "example/app-db:$(cat VERSION)", 1),
            ("coverage_drop", None, None),
        ],
    )
    _, text = _run("check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD")
    row = next(line for line in text.splitlines() if line.startswith("  example/app-db:"))
    assert " ".join(row.split()) == (
        f"example/app-db:$(cat VERSION) {SCRIPT}:1 docs/app-db.md (at base) "
        "deleted: restore it, or move the docs under docs/"
    )


def test_check_shows_a_gap_the_base_had_as_such_whatever_the_tag(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit({**CHECK_BASE, SCRIPT: CHECK_BASE[SCRIPT] + "docker pull example/app-x:1\n"})
    script = CHECK_BASE[SCRIPT] + 'docker pull "example/app-x:${TAG}"\n'
    repo.commit({SCRIPT: script}, "head")
    assert _check(repo) == (0, [])
    code, out = _run("check", str(repo.root), "--base", "HEAD~1", "--format", "json")
    assert (code, json.loads(out)["removed"]) == (0, [])
    _, text = _run("check", str(repo.root), "--base", "HEAD~1")
    lines = [line.split() for line in text.splitlines()]
    gaps = lines.index(["missing", "before", "this", "change", "(1)"])
    assert lines[gaps + 3] == ["example/app-x:${TAG}", "Uncategorized", f"{SCRIPT}:3"]


def test_check_passes_a_tag_made_not_known_when_the_doc_stays(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(CHECK_BASE, "base")
    script = CHECK_BASE[SCRIPT].replace("example/app-db:1.0", '"example/app-db:${TAG}"')
    repo.commit({SCRIPT: script}, "head")
    code, out = _run("check", str(repo.root), "--base", "HEAD~1", "--format", "json")
    data = json.loads(out)
    assert (code, data["regressions"], data["removed"]) == (0, [], [])


def test_a_tag_not_known_never_claims_latest() -> None:
    unknown, untagged = parse_repository("example/app-y"), parse_reference("example/app-y")
    assert (unknown.tag, unknown.digest, unknown.tag_unknown) == (None, None, True)
    assert unknown.canonical == "docker.io/example/app-y:?"
    assert untagged.canonical == "docker.io/example/app-y:latest"
    # a tag known before a digest not known is left out too: the digest decides
    assert parse_repository("example/app-y:1.0").canonical == "docker.io/example/app-y:?"


@pytest.mark.parametrize("selector", ["example/app-y", "app-y", "example/app-y:*"])
def test_the_config_names_it_by_its_repository(tmp_path: Path, selector: str) -> None:
    root = _project(
        tmp_path,
        {
            SCRIPT: 'docker pull "example/app-y:${TAG}"\ndocker pull redis:7\n',
            "docs/redis.md": "# redis\n",
            ".github/image-docs-audit.yml": f'ignore:\n  "{selector}": built elsewhere\n',
        },
    )
    _, out = _run("audit", str(root), "--format", "json")
    statuses = [(i["ref"], i["status"]) for i in json.loads(out)["images"]]
    assert statuses == [("example/app-y:${TAG}", "ignored"), ("redis:7", "documented")]


@pytest.mark.parametrize(
    ("script", "images", "warnings"),
    [
        # the lines of a value, one of them not known: the others on their own lines
        (
            'IMGS="nginx:1\n$IMG_A\nredis:7\nbusybox:1"\n'
            'echo "$IMGS" | while read -r i; do docker pull "$i"; done\n',
            [(1, "nginx:1"), (3, "redis:7"), (4, "busybox:1")],
            ["pull.sh:2: cannot know the value of $IMG_A"],
        ),
        # a comment line holding the part not known: the lines after it are the value's
        (
            'IMGS="# example/app:$TAG\nnginx:1\nredis:7"\n'
            'echo "$IMGS" | while read -r i; do docker pull "$i"; done\n',
            [(2, "nginx:1"), (3, "redis:7")],
            [],
        ),
        # the word is shown as written, its known end included
        (
            'IMGS="example/app-e:$A-x nginx:1"\nfor i in $IMGS; do docker pull "$i"; done\n',
            [(1, "example/app-e:$A-x"), (1, "nginx:1")],
            [],
        ),
        # two parts not known with blanks between: which words are whose is not known
        (
            'IMGS="example/app:$TAG example/web:1.0-$ARCH nginx:1"\n'
            'for i in $IMGS; do docker pull "$i"; done\n',
            [],
            ["pull.sh:1: cannot know the value of $TAG"],
        ),
    ],
)
def test_a_value_s_known_words_after_a_part_not_known(
    script: str, images: list[tuple[int, str]], warnings: list[str]
) -> None:
    found = read_inventory([("pull.sh", script.encode())])
    assert [(image.source.line, image.ref) for image in found.images] == images
    assert len(found.warnings) == len(warnings)
    shown = zip(found.warnings, warnings, strict=True)
    assert [str(warning)[: len(said)] for warning, said in shown] == warnings


def test_a_value_of_many_parts_not_known_is_read_without_recursion() -> None:
    parts = " ".join(f"$T{number}" for number in range(5_000))
    script = f'IMGS="example/app:$TAG {parts} nginx:1"\nfor i in $IMGS; do docker pull "$i"; done\n'
    found = read_inventory([("pull.sh", script.encode())])
    assert (found.images, len(found.warnings)) == ((), 1)
