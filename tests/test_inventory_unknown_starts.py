"""An image named after a start the script does not let us know: a registry, a port.

`docker pull "${REGISTRY}/team/app:1"`, `"ghcr.io/${ORG}/tool:2"`,
`"localhost:${PORT}/app:1"`: the name (and the path after the part not known) is known,
and the docs name an image by its name. Such an image is in the inventory with its
`ref` as written, its canonical reference `?/team/app:1` (`?` is no registry: the part
not known may be a registry and path components both), audited and gated like any
other, with no warning. Where the name itself may hold the part not known
(`${REG}/${NAME}:1`, `${REG}/team/app${SUFFIX}`, `${REG}app:1`) the warning stays.

Where the inventory also has an image whose start is known that the one not known may
be (the same path after the part not known, the same tag or one not known), the use is
one more place of that image: a script that copies its images to a mirror names each
twice, and the docs name it once.

Every script whose images are audited is also run under bash with logging stubs, with
the variables unset and set: each image read is one the runs pull, its start aside.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit.inventory import build_inventory, read_inventory
from image_docs_audit.inventory.reference import (
    ReferenceError,
    parse_reference,
    parse_unregistered,
    unknown_start_split,
)
from image_docs_audit.inventory.sources import Candidate, SourceImages
from image_docs_audit.model import ImageRef
from test_inventory_unknown_tags import (
    DIGEST,
    OK,
    OK_IMAGE,
    SCRIPT,
    _cannot_know,
    _check,
    _project,
    _read,
    _run,
)
from test_inventory_usage import images_used_by_a_run

# The environments each script is run with: every variable unset, then set.
RUNS = ({}, {"REG": "ghcr.io/acme", "ORG": "acme", "PORT": "5000", "TAG": "2.5", "M": "m.io"})

Row = tuple[int, str, str, str | None]


# A script whose images can all be audited, its exact inventory: no warning.
AUDITED: dict[str, tuple[str, list[Row]]] = {
    "a-registry": ('docker pull "${REG}/app-y:1"\n', [(1, "${REG}/app-y:1", "?/app-y:1", None)]),
    "unquoted": (
        "docker pull $REG/team/app-y:1\n",
        [(1, "$REG/team/app-y:1", "?/team/app-y:1", None)],
    ),
    "no-tag": ('docker pull "$(x)/app-y"\n', [(1, "$(x)/app-y", "?/app-y:latest", None)]),
    "a-digest": (
        f'docker pull "${{REG}}/app-y@{DIGEST}"\n',
        [(1, f"${{REG}}/app-y@{DIGEST}", f"?/app-y@{DIGEST}", None)],
    ),
    "a-port-of-the-registry": (
        'docker pull "localhost:${PORT}/app-y:1"\n',
        [(1, "localhost:${PORT}/app-y:1", "?/app-y:1", None)],
    ),
    "an-organisation": (
        'docker pull "ghcr.io/${ORG}/tool:2"\n',
        [(1, "ghcr.io/${ORG}/tool:2", "?/tool:2", None)],
    ),
    "a-known-end-of-the-registry": (
        'docker pull "${ORG}.example.com/team/app-y:1"\n',
        [(1, "${ORG}.example.com/team/app-y:1", "?/team/app-y:1", None)],
    ),
    "the-tag-not-known-either": (
        'docker pull "${REG}/team/app-y:${TAG}"\n',
        [(1, "${REG}/team/app-y:${TAG}", "?/team/app-y:?", None)],
    ),
    "a-variable-set-from-the-environment": (
        'REG="${REG:?set REG}"\ndocker pull "$REG/team/api:1"\ndocker pull "$REG/team/web:1"\n',
        [
            (2, "$REG/team/api:1", "?/team/api:1", None),
            (3, "$REG/team/web:1", "?/team/web:1", None),
        ],
    ),
    "an-array-of-images-looped-over": (
        'IMAGES=(\n  # Apps\n  "${REG}/app-a:1"\n  "${REG}/app-b:${TAG}"\n  redis:7\n)\n'
        'for image in "${IMAGES[@]}"; do docker pull "$image"; done\n',
        [
            (3, "${REG}/app-a:1", "?/app-a:1", "Apps"),
            (4, "${REG}/app-b:${TAG}", "?/app-b:?", "Apps"),
            (5, "redis:7", "docker.io/library/redis:7", "Apps"),
        ],
    ),
    "a-loop-prefixing-each-element": (
        '# Apps\nfor name in app-a app-b; do\n  docker pull "${REG}/team/${name}:1"\ndone\n',
        [
            (2, "${REG}/team/app-a:1", "?/team/app-a:1", "Apps"),
            (2, "${REG}/team/app-b:1", "?/team/app-b:1", "Apps"),
        ],
    ),
    "a-function-s-argument": (
        'pull() { docker pull "${REG}/$1"; }\npull team/app-f:3\n',
        [(2, "${REG}/team/app-f:3", "?/team/app-f:3", None)],
    ),
    "a-heredoc-line": (
        '# Apps\nwhile read -r image; do docker pull "$image"; done <<EOF\n${REG}/app-h:1\nEOF\n',
        [(3, "${REG}/app-h:1", "?/app-h:1", "Apps")],
    ),
    "skopeo-copying-to-a-mirror": (
        'skopeo copy "docker://${REG}/app-s:1" "docker://${M}/app-s:1"\n',
        [(1, "${REG}/app-s:1", "?/app-s:1", None)],
    ),
    "a-registry-and-a-namespace": (
        'docker pull "${REG}/${NAMESPACE}/billing:1"\n',
        [(1, "${REG}/${NAMESPACE}/billing:1", "?/billing:1", None)],
    ),
    "gitlab-s-variables": (
        'docker pull "$CI_REGISTRY/$CI_PROJECT_NAMESPACE/billing:1"\n',
        [(1, "$CI_REGISTRY/$CI_PROJECT_NAMESPACE/billing:1", "?/billing:1", None)],
    ),
    "a-namespace-between-known-parts": (
        'docker pull "${REG}/acme/${ENV}/billing:1"\n',
        [(1, "${REG}/acme/${ENV}/billing:1", "?/billing:1", None)],
    ),
    "a-host-and-a-port": (
        'docker pull "${HOST}:${PORT}/billing:1"\n',
        [(1, "${HOST}:${PORT}/billing:1", "?/billing:1", None)],
    ),
    "several-parts-and-the-tag": (
        'docker pull "${REG}/${NS}/team/billing:${TAG}"\n',
        [(1, "${REG}/${NS}/team/billing:${TAG}", "?/team/billing:?", None)],
    ),
    "an-image-list-no-command-uses": (
        'ALL_IMAGES=(\n  "${REG}/app-l:1"\n)\n',
        [(2, "${REG}/app-l:1", "?/app-l:1", None)],
    ),
}


@pytest.mark.parametrize("name", sorted(AUDITED))
def test_an_image_whose_start_is_not_known_is_audited_by_its_name(name: str) -> None:
    script, expected = AUDITED[name]
    assert _read(script) == (expected, [])


# (`${REG:?}` stops a run with the variable unset.)
RUN_SKIPS = {"an-image-list-no-command-uses", "a-variable-set-from-the-environment"}


@pytest.mark.parametrize("name", sorted(set(AUDITED) - RUN_SKIPS))
def test_the_images_read_are_the_ones_bash_pulls_their_start_aside(
    name: str, tmp_path: Path
) -> None:
    script, _ = AUDITED[name]
    (tmp_path / "pull.sh").write_text(script)
    images = read_inventory([("pull.sh", script.encode())]).images
    for number, extra in enumerate(RUNS):
        ran = images_used_by_a_run(tmp_path / "pull.sh", tmp_path / f"run{number}", extra)
        ran = {pulled.removeprefix("docker://").rstrip(":") for pulled in ran}
        for image in images:
            assert any(_may_be(image.parsed, pulled, extra) for pulled in ran), (image, ran)


def _may_be(parsed: ImageRef, pulled: str, env: dict[str, str]) -> bool:
    """Whether a run that pulled `pulled` pulled `parsed`: the same path after its
    start, and the same tag (the environment's, where the tag is not known)."""
    if parsed.domain != "?":
        return pulled == parsed.familiar_repository + f":{parsed.tag}"
    if parsed.tag_unknown:
        return pulled.endswith(f"/{parsed.path}:{env.get('TAG', '')}".rstrip(":"))
    suffix = f"@{parsed.digest}" if parsed.digest else f":{parsed.tag}" if parsed.tag else ""
    return pulled.endswith(f"/{parsed.path}{suffix}")


# A script where the name may hold the part not known: no image, the exact warnings.


NOT_AUDITED: dict[str, tuple[str, list[str]]] = {
    "the-name": (OK + 'docker pull "${REG}/${NAME}:1"\n', [_cannot_know(2, "${REG}")]),
    "the-name-after-a-namespace": (
        OK + 'docker pull "${REG}/${NS}/${NAME}:1"\n',
        [_cannot_know(2, "${REG}")],
    ),
    "the-end-of-the-name": (
        OK + 'docker pull "${REG}/team/app${SUFFIX}"\n',
        [_cannot_know(2, "${REG}")],
    ),
    "no-slash-after-it": (OK + 'docker pull "${REG}app:1"\n', [_cannot_know(2, "${REG}")]),
    "nothing-after-the-slash": (OK + 'docker pull "${REG}/"\n', [_cannot_know(2, "${REG}")]),
    # two words of a value, each with a part not known: which words are whose, only
    # running the script tells (the part not known may hold blanks)
    "a-blank-after-it": (
        OK + 'IMGS="${REG}/a:1 ${REG}/b:1"\nfor i in $IMGS; do docker pull "$i"; done\n',
        [_cannot_know(2, "${REG}")],
    ),
    # the source of a mapping whose start is not known: `=` is no part of a reference
    "a-mapping": (
        OK + 'oc image mirror "${REG}/team/app:1=mirror.example.com/team/app:1"\n',
        [_cannot_know(2, "${REG}")],
    ),
    # the `/` after the part not known is the other side's: the part is a tag
    "a-mapping-not-known": (
        OK + 'oc image mirror "example/app:${TAG}=mirror.example.com/app:${TAG}"\n',
        [_cannot_know(2, "${TAG}")],
    ),
    "a-trim-of-it": (
        OK + 'X="${REG}/app:1"\ndocker pull "${X#*/}"\n',
        [_cannot_know(2, "${REG}")],
    ),
}


@pytest.mark.parametrize("name", sorted(NOT_AUDITED))
def test_where_the_name_may_not_be_known_the_warning_stays(name: str) -> None:
    script, warnings = NOT_AUDITED[name]
    assert _read(script) == ([OK_IMAGE], warnings)


# What only looks like an image whose start is not known: a file, a URL, a mapping, a
# template, each with the warning it gave before; bash uses no registry image there.
FILES = {
    "an-image-array-of-archives": (
        'IMAGE_FILES=(\n  "${BUNDLE_DIR}/images/app.tar"\n)\n'
        'for f in "${IMAGE_FILES[@]}"; do docker load --input "$f"; done\n',
        [_cannot_know(3, "${BUNDLE_DIR}")],
    ),
    "an-image-array-of-lists": (
        'IMAGE_LISTS=("$BASE_URL/lists/images.txt")\n',
        [_cannot_know(2, "$BASE_URL")],
    ),
    "an-image-array-of-folders": (
        'IMAGE_CACHE=("$XDG_CACHE_HOME/images")\n',
        [_cannot_know(2, "$XDG_CACHE_HOME")],
    ),
    # (docker takes no transport; podman reads these as local files: no image, no warning)
    "a-transport": ('docker pull "oci-archive:$DIR/app.tar"\n', [_cannot_know(2, "$DIR")]),
    "a-layout": ('docker run --rm "oci:$OUT/layout" true\n', [_cannot_know(2, "$OUT")]),
    "a-url": ('docker pull "https://$HOST/team/app:1"\n', [_cannot_know(2, "$HOST")]),
    "the-home-folder": ('docker pull "$HOME/images/app"\n', [_cannot_know(2, "$HOME")]),
    "the-working-folder": ('docker pull "$(pwd)/app"\n', [_cannot_know(2, "$(pwd)")]),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_file_after_a_start_not_known_is_no_image(name: str, tmp_path: Path) -> None:
    script, warnings = FILES[name]
    assert _read(OK + script) == ([OK_IMAGE], warnings)
    (tmp_path / "pull.sh").write_text(OK + script)
    for number, extra in enumerate(({}, {"BUNDLE_DIR": "/b", "DIR": "/d", "HOST": "h.io"})):
        ran = images_used_by_a_run(tmp_path / "pull.sh", tmp_path / f"run{number}", extra)
        assert all(_no_reference(used) for used in ran - {"busybox:1.36"}), ran


def _no_reference(text: str) -> bool:
    """Whether a tool given `text` where an image may stand uses no registry image: a
    transport's path, a URL, an absolute path."""
    if ":/" in text:
        return True
    try:
        parse_reference(text)
    except ReferenceError:
        return True
    return False


# An image whose start is not known that may be one listed: one image, its places.
FOLDED = {
    "a-mirror-of-the-same-path": (
        'docker pull ghcr.io/acme/api:1\ndocker pull "${M}/acme/api:1"\n',
        (1, "ghcr.io/acme/api:1"),
        [(1, None), (2, "${M}/acme/api:1")],
    ),
    "the-end-of-its-path": (
        'docker pull "${M}/api:1"\ndocker pull ghcr.io/acme/api:1\n',
        (2, "ghcr.io/acme/api:1"),
        [(2, None), (1, "${M}/api:1")],
    ),
    "docker-hub-s-library": (
        'docker pull redis:7\ndocker pull "${M}/library/redis:7"\n',
        (1, "redis:7"),
        [(1, None), (2, "${M}/library/redis:7")],
    ),
    "a-tag-not-known": (
        'docker pull ghcr.io/acme/api:1\ndocker pull "${M}/acme/api:${TAG}"\n',
        (1, "ghcr.io/acme/api:1"),
        [(1, None), (2, "${M}/acme/api:${TAG}")],
    ),
    "the-registry-kept-in-the-mirror-s-path": (
        "IMAGES=(\n  ghcr.io/acme/api:1.2\n  docker.io/bitnami/redis:7.2\n)\n"
        'for img in "${IMAGES[@]}"; do\n  docker pull "$img"\n  docker pull "${M}/${img}"\ndone\n',
        (2, "ghcr.io/acme/api:1.2"),
        [(2, None), (2, "${M}/ghcr.io/acme/api:1.2")],
    ),
    "the-name-spelled-whole-over-one-it-ends": (
        'docker pull bitnami/redis:7\ndocker pull redis:7\ndocker pull "${M}/redis:7"\n',
        (1, "bitnami/redis:7"),
        [(1, None)],
    ),
    "two-tags-of-one-repository": (
        "docker pull ghcr.io/acme/api:1\ndocker pull ghcr.io/acme/api:2\n"
        'docker pull "${M}/acme/api:${T}"\n',
        (1, "ghcr.io/acme/api:1"),
        [(1, None), (3, "${M}/acme/api:${T}")],
    ),
}


@pytest.mark.parametrize("name", sorted(FOLDED))
def test_a_start_not_known_of_an_image_listed_is_one_more_place_of_it(name: str) -> None:
    script, image, places = FOLDED[name]
    found = read_inventory([("pull.sh", script.encode())])
    assert [(i.source.line, i.ref) for i in found.images][:1] == [image]
    assert [(p.location.line, p.written) for p in found.images[0].places] == places
    assert not any(image.key.startswith("?/") for image in found.images)
    assert found.warnings == ()


@pytest.mark.parametrize(
    "script",
    [
        'docker pull ghcr.io/acme/api:1\ndocker pull "${M}/other/api:1"\n',  # another path
        'docker pull ghcr.io/acme/api:1\ndocker pull "${M}/acme/api:2"\n',  # another tag
        'docker pull ghcr.io/acme/api:1\ndocker pull "${M}/my-api:1"\n',  # another name
        # Docker Hub's own image, not another registry's of the same name
        'docker pull ghcr.io/acme/redis:7\ndocker pull "${M}/library/redis:7"\n',
        # one tag of the repository is known, another not: the mirror's tag is neither
        'docker pull ghcr.io/acme/api:1\ndocker pull "ghcr.io/acme/api:${T}"\n'
        'docker pull "${M}/acme/api:2"\n',
        # two repositories it may be: which one, only running the script tells
        "docker pull ghcr.io/a/team/api:1\ndocker pull quay.io/b/team/api:1\n"
        'docker pull "${M}/team/api:1"\n',
    ],
)
def test_a_start_not_known_of_another_image_is_an_image_of_its_own(script: str) -> None:
    found = read_inventory([("pull.sh", script.encode())])
    mirrored = found.images[-1]  # where the script lists it, and no other place
    assert mirrored.key.startswith("?/")
    assert [place.location.line for place in mirrored.places] == [mirrored.source.line]


@pytest.mark.parametrize(
    ("known", "after", "gaps", "split"),
    [
        ("", "/app:1", (), (0, "app:1", None)),
        ("", "/team/app", (), (0, "team/app", None)),
        ("ghcr.io/", "/tool:2", (), (0, "tool:2", None)),
        ("localhost:", "/app:1", (), (0, "app:1", None)),
        ("", ":5000/app:1", (), (5, "app:1", None)),
        ("", "-mirror/team/app:1", (), (7, "team/app:1", None)),
        ("", "/team/app:", (10,), (0, "team/app", ":")),
        ("", "/team/app@sha256:", (17,), (0, "team/app", "@sha256:")),
        # the name may hold the part not known
        ("", "app:1", (), None),
        ("", "/", (), None),
        ("", "/team/", (6,), None),
        ("", "/team/app", (9,), None),
        ("", "/a:1 /b:1", (), None),
        ("example/app:", "=mirror.example.com/app:", (24,), None),
        ("docker pull ", "/app:1", (), None),
        ("", "/app:1/x", (), None),  # no reference after it
        ("", "/App:1", (), None),
        # a file, not an image: a transport, a URL, a file name
        ("oci-archive:", "/app", (), None),
        ("docker-archive:", "/app:1", (), None),
        ("OCI:", "/layout", (), None),
        ("https://", "/team/app:1", (), None),
        ("", "/images/app.tar", (), None),
        ("", "/lists/images.txt", (), None),
        ("", "/app.tar:", (8,), None),
        # several parts not known in the start, one maybe in the tag
        ("", "//billing:1", (1,), (1, "billing:1", None)),
        ("", "/acme//billing:1", (6,), (6, "billing:1", None)),
        ("", "//billing:", (1, 10), (1, "billing", ":")),
        ("", ":/billing:1", (1,), (1, "billing:1", None)),  # `${HOST}:${PORT}/billing:1`
        ("", "//", (1,), None),
        ("", "//x/:1", (1, 4), None),  # the name not known
    ],
)
def test_a_reference_is_cut_after_the_start_not_known(
    known: str, after: str, gaps: tuple[int, ...], split: tuple[int, str, str | None] | None
) -> None:
    assert unknown_start_split(known, after, gaps) == split


@pytest.mark.parametrize(
    ("written", "split"),
    [
        ("${REGISTRY}", (0, "app", None)),
        ("$MIRROR_PREFIX", (0, "app", None)),
        ("${ECR_REGISTRY:?set it}", (0, "app", None)),
        ("$(registry)", (0, "app", None)),
        ("$PULL_THROUGH_CACHE", None),
        ("${REGISTRY_CACHE}", (0, "app", None)),
        ("$HOME_REGISTRY", (0, "app", None)),
        ("${MIRROR_DIR}", (0, "app", None)),
        # a folder: what follows is a path
        ("${BUNDLE_DIR}", None),
        ("$DIR", None),
        ("$TMPDIR", None),
        ("$HOME", None),
        ("${XDG_CACHE_HOME}", None),
        ("$PWD", None),
        ("$(pwd)", None),
        ('$(dirname "$0")', None),
        ("`pwd`", None),
        ("$0", None),
        ("${SCRIPT_DIR:-.}", None),
    ],
)
def test_a_start_that_names_a_folder_is_no_registry(
    written: str, split: tuple[int, str, str | None] | None
) -> None:
    assert unknown_start_split("", "/app", (), (written,)) == split
    # With a tag of its own it is a reference, whatever its start is called.
    assert unknown_start_split("", "/app:1", (), (written,)) == (0, "app:1", None)


def test_the_known_part_parses_as_a_path_on_no_registry() -> None:
    assert parse_unregistered("team/app:1") == ImageRef("?", "team/app", "1", None)
    assert parse_unregistered("redis") == ImageRef("?", "redis", None, None)
    assert parse_unregistered("team/app", tag_unknown=True) == ImageRef(
        "?", "team/app", None, None, tag_unknown=True
    )
    assert parse_unregistered("team/app:1").canonical == "?/team/app:1"
    assert parse_unregistered("library/redis:7").familiar_repository == "redis"
    for bad in ("app:1/x", "Team/app", "app:-x", "a" * 400):
        with pytest.raises(ReferenceError):
            parse_unregistered(bad)


def test_a_rest_the_parse_refuses_keeps_the_warning_of_the_part_not_known() -> None:
    assert _read(OK + 'docker pull "${REG}/App:1"\n') == ([OK_IMAGE], [_cannot_know(2, "${REG}")])


def test_the_report_shows_the_start_not_known_as_written(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            SCRIPT: 'REGISTRY="${REGISTRY:?set REGISTRY}"\n'
            'docker pull "${REGISTRY}/team/app-api:1.4"\n'
            'docker pull "$REGISTRY/team/app-worker:1.4"\n',
            "docs/app-api.md": "# app-api\n\nRun `team/app-api:1.4`.\n",
        },
    )
    code, out = _run("audit", str(root), "--format", "json")
    data = json.loads(out)
    assert code == 0
    shown = [(i["ref"], i["canonical"], i["status"], i["evidence"]) for i in data["images"]]
    assert shown == [
        (
            "${REGISTRY}/team/app-api:1.4",
            "?/team/app-api:1.4",
            "documented",
            [
                {"path": "docs/app-api.md", "line": 0, "kind": "filename"},
                {"path": "docs/app-api.md", "line": 1, "kind": "title"},
                {"path": "docs/app-api.md", "line": 3, "kind": "reference"},
            ],
        ),
        ("$REGISTRY/team/app-worker:1.4", "?/team/app-worker:1.4", "missing", []),
    ]
    assert data["warnings"] == []
    _, text = _run("audit", str(root))
    assert f"missing     $REGISTRY/team/app-worker:1.4  {SCRIPT}:3" in text


CHECK_BASE = {
    SCRIPT: 'docker pull "${REG}/team/app-db:1.0"\ndocker pull "${REG}/team/app-api:1"\n',
    "docs/app-db.md": "# app-db\n",
    "docs/app-api.md": "# app-api\n",
}


def test_check_fails_a_new_image_whose_start_is_not_known_with_no_doc(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(CHECK_BASE, "base")
    repo.commit({SCRIPT: CHECK_BASE[SCRIPT] + 'docker pull "${REG}/team/app-new:1"\n'}, "head")
    assert _check(repo) == (
        1,
        [("new_undocumented", "${REG}/team/app-new:1", 3), ("coverage_drop", None, None)],
    )
    repo.commit({"docs/app-new.md": "# app-new\n"}, "its doc")
    assert _check(repo) == (0, [])


def test_check_fails_an_image_whose_start_is_not_known_and_whose_doc_is_gone(
    tmp_path: Path,
) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(CHECK_BASE, "base")
    repo.commit({"docs/app-api.md": None}, "its doc deleted")
    assert _check(repo) == (
        1,
        [("newly_missing", "${REG}/team/app-api:1", 2), ("coverage_drop", None, None)],
    )


@pytest.mark.parametrize(
    ("script", "drift"),
    [
        ("docker pull example/app-y:1.0\n", ["example/app-y:2.0"]),
        # a mirror's copy of the same tag: the tag pulled is known, the drift stays
        (
            'docker pull example/app-y:1.0\ndocker pull "${M}/example/app-y:1.0"\n',
            ["example/app-y:2.0"],
        ),
        # a mirror's copy of a tag not known: that tag may be the one cited
        ('docker pull example/app-y:1.0\ndocker pull "${M}/example/app-y:${TAG}"\n', []),
    ],
)
def test_a_mirror_s_copy_keeps_the_drift_of_a_known_tag(
    tmp_path: Path, script: str, drift: list[str]
) -> None:
    root = _project(
        tmp_path, {SCRIPT: script, "docs/app-y.md": "# app-y\n\nRun `example/app-y:2.0`.\n"}
    )
    _, out = _run("audit", str(root), "--format", "json")
    data = json.loads(out)
    assert [item["cited"] for item in data["drift"]] == drift
    assert [image["status"] for image in data["images"]] == ["documented"]


COMPOSE = (
    "services:\n"
    "  api:\n    image: example/app-api:${TAG}\n    ports: ['8080:80']\n"
    "  web:\n    image: ${REGISTRY}/team/app-web:2\n    ports: ['8081:80']\n"
    "  db:\n    image: postgres:16\n    ports: ['5432:5432']\n"
)


@pytest.mark.parametrize("mode", ["pull-scripts", "all"])
def test_a_compose_image_partly_known_gives_its_place_and_ports_to_the_image_it_may_be(
    tmp_path: Path, mode: str
) -> None:
    root = _project(
        tmp_path,
        {
            SCRIPT: 'docker pull example/app-api:1.0\ndocker pull "ghcr.io/acme/team/app-web:2"\n',
            "docker-compose.yml": COMPOSE,
            ".github/image-docs-audit.yml": f"inventory-mode: {mode}\n",
            "docs/README.md": "# Docs\n",
        },
    )
    _, out = _run("audit", str(root), "--format", "json")
    data = json.loads(out)
    shown = [
        (i["ref"], [p["port"] for p in i["ports"]], [(s["path"], s["line"]) for s in i["sources"]])
        for i in data["images"]
    ]
    compose = "docker-compose.yml"
    expected = [
        ("example/app-api:1.0", [8080], [(SCRIPT, 1), (compose, 3)]),
        ("ghcr.io/acme/team/app-web:2", [8081], [(SCRIPT, 2), (compose, 6)]),
    ]
    if mode == "all":  # the compose file's own image
        expected.append(("postgres:16", [5432], [(compose, 9)]))
    assert shown == expected
    assert data["warnings"] == []


def test_a_prefix_variable_leaves_each_image_where_it_is_used() -> None:
    script = (
        '# Configuration\nMIRROR_PREFIX="${REGISTRY}/mirror"\n\n'
        '# Databases\ndocker pull "$MIRROR_PREFIX/postgres:16"\n\n'
        '# Web\ndocker pull "$MIRROR_PREFIX/nginx:1.25"\n'
    )
    assert _read(script) == (
        [
            (5, "${REGISTRY}/mirror/postgres:16", "?/mirror/postgres:16", "Databases"),
            (8, "${REGISTRY}/mirror/nginx:1.25", "?/mirror/nginx:1.25", "Web"),
        ],
        [],
    )


def test_the_places_of_one_image_named_many_times_are_gathered_in_linear_time() -> None:
    # 40,000 pulls of one repository whose tag is not known, from eight scripts (each
    # within the bound of candidates a script gives), and as many of a mirror's copies:
    # a list of places, searched for each new one, took minutes.
    sources = [
        SourceImages(
            f"s{script}/pull-images.sh",
            tuple(
                (Candidate(text, line, unknown_tag=":${T}", unknown_start=start), None)
                for line in range(1, 5_001)
                for text, start in (("ghcr.io/acme/api", None), ("acme/api", "${M}/"))
            ),
            (),
        )
        for script in range(8)
    ]
    started = time.process_time()
    found = build_inventory(sources)
    assert time.process_time() - started < 20  # a few tenths of a second
    assert [(image.ref, len(image.places)) for image in found.images] == [
        ("ghcr.io/acme/api:${T}", 80_000)
    ]


def test_images_whose_start_is_not_known_are_compared_within_the_inventory_s_bound() -> None:
    # The inventory holds 5,000 images at most: 2,500 tags of one name, and 2,500 images
    # of that name whose start is not known, each with a path of its own, are the most
    # comparisons a pull request can ask for (6 million).
    def script(path: str, lines: list[tuple[str, str | None]]) -> SourceImages:
        candidates = tuple(
            (Candidate(text, line, unknown_start=start), None)
            for line, (text, start) in enumerate(lines, 1)
        )
        return SourceImages(path, candidates, ())

    listed = [(f"ghcr.io/acme/api:{tag}", None) for tag in range(2_500)]
    mirrored = [(f"team{n}/api:2499", "${M}/") for n in range(2_500)]
    started = time.process_time()
    found = build_inventory([script("a.sh", listed), script("b.sh", mirrored)])
    assert time.process_time() - started < 60  # about two seconds
    assert len(found.images) == 5_000


def _check_all(repo: Repo) -> tuple[int, dict[str, list[tuple[str | None, int | None]]]]:
    """The exit code and every finding of `check` by kind: regressions, improvements,
    removed images, as (image, line)."""
    code, out = _run(
        "check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD", "--format", "json"
    )
    data = json.loads(out)
    found: dict[str, list[tuple[str | None, int | None]]] = {}
    for key in ("regressions", "improvements", "removed"):
        for item in data[key]:
            found.setdefault(item["kind"], []).append((item["image"], item["line"]))
    return code, found


REGISTRY_BASE = {
    SCRIPT: 'REG=ghcr.io/acme\ndocker pull "${REG}/api:1"\ndocker pull "${REG}/worker:1"\n',
    "docs/api.md": "# api\n",
}


def test_a_registry_moved_into_the_environment_is_the_same_images(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(REGISTRY_BASE, "base")
    script = ': "${REG:?set REG, e.g. ghcr.io/acme}"\ndocker pull "${REG}/api:1"\n'
    repo.commit({SCRIPT: script + 'docker pull "${REG}/worker:1"\n'}, "from the environment")
    # worker was missing before the change: it is neither new nor lost, api not removed.
    assert _check_all(repo) == (0, {})
    repo.commit(REGISTRY_BASE, "and back")
    assert _check_all(repo) == (0, {})


def test_a_registry_moved_into_the_environment_with_its_doc_deleted_lost_it(
    tmp_path: Path,
) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit(REGISTRY_BASE, "base")
    script = 'docker pull "${PULL_THROUGH_CACHE}/api:1"\ndocker pull ghcr.io/acme/worker:1\n'
    repo.commit({SCRIPT: script, "docs/api.md": None}, "its doc deleted")
    assert _check_all(repo) == (
        1,
        {"newly_missing": [("${PULL_THROUGH_CACHE}/api:1", 1)], "coverage_drop": [(None, None)]},
    )


def test_a_service_tag_whose_start_is_not_known_is_a_service_of_its_repository(
    tmp_path: Path,
) -> None:
    # Three tags of one repository name three services: the repository's name documents
    # none of them, whatever the registry a pull names.
    services = ("cart", "ad", "email")
    repo = Repo(tmp_path / "repo")
    script = "".join(f"docker pull example/demo:latest-{service}\n" for service in services)
    docs = {f"docs/{service}.md": f"# {service}\n" for service in services}
    repo.commit({SCRIPT: script, "docs/overview.md": "# The demo\n", **docs}, "base")
    repo.commit({SCRIPT: script + 'docker pull "${REG}/example/demo:latest-payment"\n'}, "head")
    assert _check_all(repo) == (
        1,
        {
            "new_undocumented": [("${REG}/example/demo:latest-payment", 4)],
            "coverage_drop": [(None, None)],
        },
    )
