"""Lists a pull script reads from the repository (`< images.txt`): their images are the script's."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit.cli import main
from image_docs_audit.inventory import build_inventory, parse_pull_script
from test_inventory_usage import images_used_by_a_run

LIST = b"# Core\nghcr.io/acme/api:1.0\n\n# Tools\nbusybox:1.36  # for debugging\n"


def inventory(script: bytes, files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    found = parse_pull_script("scripts/pull.sh", script, files.get)
    result = build_inventory([found])
    shown = [f"{image.source} {image.ref} {image.category}" for image in result.images]
    return shown, [str(w) for w in result.warnings]


@pytest.mark.parametrize(
    "script",
    [
        b'while read -r i; do docker pull "$i"; done < images.txt\n',
        b"xargs -n1 docker pull < images.txt\n",
        b"xargs -a images.txt -n1 docker pull\n",
        b"for i in $(cat images.txt); do docker pull $i; done\n",
        b'for i in $(< images.txt); do docker pull "$i"; done\n',
        b"cat images.txt | xargs -n1 docker pull\n",
        b'mapfile -t L < images.txt\nfor i in "${L[@]}"; do docker pull "$i"; done\n',
        b'LIST=${LIST:-images.txt}\nwhile read -r i; do docker pull "$i"; done < "$LIST"\n',
        b"parallel docker pull :::: images.txt\n",
        b"parallel -j4 -a images.txt 'docker pull {}'\n",
        b"parallel docker pull < images.txt\n",
    ],
)
def test_a_list_beside_the_script_is_read_with_its_headers(script: bytes) -> None:
    shown, warnings = inventory(script, {"scripts/images.txt": LIST})
    assert shown == [
        "scripts/images.txt:2 ghcr.io/acme/api:1.0 Core",
        "scripts/images.txt:5 busybox:1.36 Tools",
    ]
    assert warnings == []


def test_a_list_from_the_root_is_read_when_none_is_beside_the_script() -> None:
    script = b"xargs -n1 docker pull < deploy/images.txt\n"
    shown, _ = inventory(script, {"deploy/images.txt": b"a/b:1\n"})
    assert shown == ["deploy/images.txt:1 a/b:1 None"]


@pytest.mark.parametrize(
    "name", ["/etc/images.txt", "../../outside.txt", "../outside.txt", "missing.txt"]
)
def test_a_list_outside_the_repository_or_missing_is_a_warning(name: str) -> None:
    files = {"outside.txt": b"a/b:1\n", "scripts/outside.txt": b"a/b:1\n"}
    if name == "../outside.txt":  # climbs from scripts/ to the root: still inside
        assert inventory(f"xargs docker pull < {name}\n".encode(), files)[0] == [
            "outside.txt:1 a/b:1 None"
        ]
        return
    shown, warnings = inventory(f"xargs docker pull < {name}\n".encode(), files)
    assert shown == []
    assert warnings == [
        f"scripts/pull.sh:1: cannot know the lines of {name} without running the script: it "
        "reads that file but does not write it; the images in it are not audited (list them "
        "in the script)"
    ]


def test_a_check_sees_a_change_to_the_list_alone(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    script = "xargs -n1 docker pull < images.txt\n"
    base = repo.commit(
        {
            "pull-images.sh": script,
            "images.txt": "example/app-api:1\n",
            "docs/app-api.md": "# app-api\n",
        }
    )
    repo.commit({"images.txt": "example/app-api:1\nexample/app-new:1\n"})
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["check", str(repo.root), "--base", base, "--format", "json"], stdout=out, stderr=err
    )
    assert code == 1, err.getvalue()
    regressions = json.loads(out.getvalue())["regressions"]
    assert [(r["kind"], r["image"], r["path"], r["line"]) for r in regressions] == [
        ("new_undocumented", "example/app-new:1", "images.txt", 2),
        ("coverage_drop", None, None, None),
    ]


@pytest.mark.parametrize(
    ("script", "added"),
    [
        ("docker pull example/app-api:1\nsource versions.env\ndocker pull $NEW\n",
         {"versions.env": "NEW=example/app-new:1\n"}),
        ("docker pull example/app-api:1\nxargs -n1 docker pull < more.txt\n",
         {"more.txt": "example/app-new:1\n"}),
        ("docker pull example/app-api:1\ndocker pull $(jq -r '.[]' more.json)\n",
         {"more.json": '["example/app-new:1"]\n'}),
        ("docker pull example/app-api:1\ndocker compose -f more.yml pull\n",
         {"more.yml": "services: {new: {image: example/app-new:1}}\n"}),
    ],
)  # fmt: skip
def test_a_check_sees_a_file_the_script_reads_appear(
    tmp_path: Path, script: str, added: dict[str, str]
) -> None:
    # The base's script looked for the file and found none: the head's same script
    # must be read again, not taken from the base's reading.
    repo = Repo(tmp_path / "repo")
    base = repo.commit({"pull-images.sh": script, "docs/app-api.md": "# app-api\n"})
    repo.commit(added)
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["check", str(repo.root), "--base", base, "--format", "json"], stdout=out, stderr=err
    )
    assert code == 1, err.getvalue()
    regressions = json.loads(out.getvalue())["regressions"]
    path = next(iter(added))
    assert [(r["kind"], r["image"], r["path"], r["line"]) for r in regressions] == [
        ("new_undocumented", "example/app-new:1", path, 1),
        ("coverage_drop", None, None, None),
    ]


def test_sh_c_scripts_are_read_with_their_arguments_and_xargs_items() -> None:
    script = (
        b"cat images.txt | xargs -I {} sh -c 'docker pull {} && docker save {} -o x.tar'\n"
        b'echo "x/one:1 x/two:2" | xargs -n1 bash -c \'docker pull "$1"\' _\n'
        b"bash -c 'docker pull a/three:3'\n"
        b"sh -c 'docker pull \"$1\"' _ a/four:4\n"
    )
    shown, warnings = inventory(script, {"scripts/images.txt": b"f/one:1\nf/two:2\n"})
    assert shown == [
        "scripts/pull.sh:2 x/one:1 None",
        "scripts/pull.sh:2 x/two:2 None",
        "scripts/pull.sh:3 a/three:3 None",
        "scripts/pull.sh:4 a/four:4 None",
        "scripts/images.txt:1 f/one:1 None",
        "scripts/images.txt:2 f/two:2 None",
    ]
    assert warnings == []


COLUMNS = b"# Core\nghcr.io/acme/api:1.0 amd64 required\nbusybox:1.36 arm64 optional\n"


@pytest.mark.parametrize(
    "script",
    [
        b"grep -v '^#' images.txt | xargs -n1 docker pull\n",
        b'while read -r i; do docker pull "$i"; done < <(grep -vE "^(#|$)" images.txt)\n',
        b"for i in $(grep -v '^#' images.txt); do docker pull $i; done\n",
        b'readarray -t L < <(cat images.txt)\nfor i in "${L[@]}"; do docker pull "$i"; done\n',
        b"grep -v -e '^#' -e '^$' images.txt | xargs -n1 docker pull\n",  # patterns by -e
        b"cat images.txt | grep -m 100 -v '^#' | xargs -n1 docker pull\n",
        b"sort -u images.txt | sed -e 's/#.*//' -e '/^$/d' | uniq | xargs -n1 docker pull\n",
        b"tr -d '\\r' < images.txt | grep -v '^#' | xargs -n1 docker pull\n",
    ],
)
def test_filters_that_only_drop_lines_pass_the_list(script: bytes) -> None:
    shown, warnings = inventory(script, {"scripts/images.txt": LIST})
    assert shown == [
        "scripts/images.txt:2 ghcr.io/acme/api:1.0 Core",
        "scripts/images.txt:5 busybox:1.36 Tools",
    ]
    assert warnings == []


@pytest.mark.parametrize(
    "script",
    [
        b"awk '{print $1}' images.txt | xargs -n1 docker pull\n",
        b"cut -d' ' -f1 images.txt | xargs -n1 docker pull\n",
        b"for i in $(awk '{ print $1 }' < images.txt); do docker pull $i; done\n",
    ],
)
def test_the_first_column_of_a_list(script: bytes) -> None:
    shown, warnings = inventory(script, {"scripts/images.txt": COLUMNS})
    assert shown == [
        "scripts/images.txt:2 ghcr.io/acme/api:1.0 Core",
        "scripts/images.txt:3 busybox:1.36 Core",
    ]
    assert warnings == []


def test_a_list_held_in_a_variable_from_a_heredoc() -> None:
    script = (
        b"IMAGES=$(cat <<EOF\na/b:1\nc/d:2\nEOF\n)\nfor i in $IMAGES; do docker pull $i; done\n"
    )
    shown, warnings = inventory(script, {})
    assert shown == ["scripts/pull.sh:2 a/b:1 None", "scripts/pull.sh:3 c/d:2 None"]
    assert warnings == []


def test_a_grep_that_keeps_lines_keeps_those_of_the_list() -> None:
    shown, warnings = inventory(
        b"grep api images.txt | xargs docker pull\n", {"scripts/images.txt": LIST}
    )
    assert (shown, warnings) == (["scripts/images.txt:2 ghcr.io/acme/api:1.0 Core"], [])


def test_a_grep_whose_pattern_is_not_modelled_is_not_followed() -> None:
    shown, warnings = inventory(
        b"grep -P 'a\\w+' images.txt | xargs docker pull\n", {"scripts/images.txt": LIST}
    )
    assert shown == []
    assert warnings == [
        "scripts/pull.sh:1: cannot know the value of the input of xargs without running the "
        "script; the image is not audited (set the variable in the script or list the image "
        "literally)"
    ]


@pytest.mark.parametrize(
    ("script", "expression"),
    [
        # `{/}` makes a name from the argument: not read, said
        (b"parallel docker pull {/} ::: docker.io/library/nginx:1\n", "{/}"),
        # `:::+` pairs its words with the source before it instead of combining them
        (b"parallel docker pull {1}:{2} ::: a b :::+ 1 2\n", ":::+"),
        (b'parallel "$RUNTIME" pull ::: a:1\n', "the command parallel runs"),
        (b"docker images -q | parallel docker pull\n", "the input of parallel"),
    ],
)
def test_what_parallel_passes_that_cannot_be_known_is_a_warning(
    script: bytes, expression: str
) -> None:
    shown, warnings = inventory(script, {})
    assert shown == []
    (warning,) = warnings
    assert warning.startswith("scripts/pull.sh:1: ") and expression in warning


ENV = b"# Pinned\nTAG=1.4\nAPI=ghcr.io/acme/api:$TAG\nX=$(curl -fsS https://example.com/tag)\n"


@pytest.mark.parametrize(
    "script",
    [
        b"source versions.env\n",
        b". ./versions.env\n",
        b'source "$(dirname "$0")/versions.env"\n',
        b'DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"\nsource "$DIR/versions.env"\n',
        b'D="$( cd "$( dirname "$0" )" &> /dev/null && pwd )"\nsource "$D/versions.env"\n',
        b"D=$(cd $(dirname $0); pwd -P)\n. $D/versions.env\n",
        b"source scripts/versions.env\n",  # from the root
    ],
)
def test_a_sourced_file_is_read_as_part_of_the_script(script: bytes) -> None:
    script += b'docker pull "$API" "busybox:$TAG" "app:$X"\n'
    found = parse_pull_script("scripts/pull.sh", script, {"scripts/versions.env": ENV}.get)
    line = script.count(b"\n")
    assert [(c.written, c.path, c.line, category) for c, category in found.candidates] == [
        ("busybox:1.4", None, line, None),  # composed where it is used
        ("app:$X", None, line, None),  # its tag not known: audited by its repository
        ("ghcr.io/acme/api:1.4", "scripts/versions.env", 3, "Pinned"),  # a whole value set there
    ]
    assert found.warnings == ()
    assert found.read == ("scripts/versions.env",)


def test_what_a_sourced_file_cannot_know_is_warned_about_at_its_own_line() -> None:
    script = b'source versions.env\ndocker pull "$X"\n'
    found = parse_pull_script("scripts/pull.sh", script, {"scripts/versions.env": ENV}.get)
    assert found.candidates == ()
    assert [str(w) for w in found.warnings] == [
        "scripts/versions.env:4: cannot know the value of $(curl -fsS https://example.com/tag) "
        "without running the script; the image is not audited (set the variable in the script "
        "or list the image literally)"
    ]


@pytest.mark.parametrize(
    ("script", "shown", "kind"),
    [
        (b'source "$1"\n', '"$1"', "file"),
        (b'. "$LIB_DIR/extra.sh"\n', '"$LIB_DIR/extra.sh"', "file"),
        (b"source ./lib/missing.sh\n", "./lib/missing.sh", "file"),
        (b"source /opt/tools/pull-more.sh\n", "/opt/tools/pull-more.sh", "file"),
        (b'for f in lib/*.sh; do source "$f"; done\n', "lib/*.sh", "file"),
        (b'bash "$1"\n', '"$1"', "script"),
    ],
)
def test_a_sourced_or_run_file_that_cannot_be_read_is_warned_about(
    script: bytes, shown: str, kind: str
) -> None:
    """It may pull images of its own: they were lost without a word."""
    found = parse_pull_script("scripts/pull.sh", script + b"docker pull a/b:1\n", {}.get)
    assert [c.text for c, _ in found.candidates] == ["a/b:1"]
    images = "the images it pulls" if kind == "file" else "the images it uses"
    assert [str(w) for w in found.warnings] == [
        f"scripts/pull.sh:1: cannot read {shown}: the repository has no such {kind} beside the "
        f"script or at its root; {images} are not audited"
    ]


def test_files_that_source_each_other_are_read_once_each() -> None:
    files = {
        "scripts/a.sh": b"source b.sh\nA=a:1\n",
        "scripts/b.sh": b"source a.sh\nsource b.sh\nB=b:1\n",
    }
    script = b'source a.sh\nsource a.sh\ndocker pull "$A" "$B"\n'
    found = parse_pull_script("scripts/pull.sh", script, files.get)
    assert [(c.text, c.path, c.line) for c, _ in found.candidates] == [
        ("a:1", "scripts/a.sh", 2),
        ("b:1", "scripts/b.sh", 3),
    ]
    assert found.warnings == ()


def test_a_sourced_file_past_the_bound_is_not_read_and_says_so() -> None:
    files = {"scripts/big.env": b"# padding\n" * 200_000}
    found = parse_pull_script("scripts/pull.sh", b"source big.env\n", files.get)
    assert [str(w) for w in found.warnings] == [
        "scripts/pull.sh:1: scripts/big.env is not read: a sourced file is read up to 1 MiB and "
        "32 files a script; the images it sets are not audited"
    ]


def test_an_audit_reads_a_sourced_file_of_the_repository(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "pull-images.sh").write_bytes(
        b'source "$(dirname "$0")/versions.env"\ndocker pull "$API"\n'
    )
    (tmp_path / "scripts" / "versions.env").write_bytes(ENV)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "api.md").write_text("# api\n\nghcr.io/acme/api:1.4 serves the API.\n")
    out = io.StringIO()
    code = main(["audit", str(tmp_path), "--format", "json"], stdout=out, stderr=io.StringIO())
    (image,) = json.loads(out.getvalue())["images"]
    assert (code, image["ref"], image["source"]) == (
        0,
        "ghcr.io/acme/api:1.4",
        {"path": "scripts/versions.env", "line": 3},
    )


@pytest.mark.parametrize(
    "script",
    [
        b'cat "$0" | xargs -n1 docker pull\n',
        b'while read -r i; do docker pull "$i"; done < "${BASH_SOURCE[0]}"\n',
    ],
)
def test_a_script_that_reads_its_own_text_is_warned_about_not_read_as_a_list(
    script: bytes,
) -> None:
    found = parse_pull_script("scripts/pull.sh", script, {"scripts/pull.sh": script}.get)
    assert found.candidates == ()
    assert [str(w) for w in found.warnings] == [
        "scripts/pull.sh:1: the script reads its own text here (a list after its code?); its "
        "lines are not read as images (keep the list in a file of its own, or in an array)"
    ]


JSON = (
    b'{\n  "images": ["nginx:1.27", null, "redis:7.2"],\n'
    b'  "svc": {"api": {"image": "a/api:1"}}\n}\n'
)


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (b"for i in $(jq -r '.images[]' images.json); do docker pull $i; done\n",
         [("nginx:1.27", 2), ("redis:7.2", 2)]),
        (b"jq -r '.svc[] | .image' images.json | xargs -n1 docker pull\n", [("a/api:1", 3)]),
        (b'docker pull "$(jq -r \'.["svc"].api.image\' images.json)"\n', [("a/api:1", 3)]),
        (b"docker pull $(yq e '.images[0]' images.json)\n", [("nginx:1.27", 2)]),
        # without -r, jq prints a string with its quotes: bash passes them on
        (b"docker pull $(jq '.images[2]' images.json)\n", [('"redis:7.2"', 2)]),
    ],
)  # fmt: skip
def test_a_jq_or_yq_path_over_a_file_reads_its_texts(
    script: bytes, expected: list[tuple[str, int]]
) -> None:
    found = parse_pull_script("scripts/pull.sh", script, {"scripts/images.json": JSON}.get)
    assert [(c.text, c.line) for c, _ in found.candidates] == expected
    assert {c.path for c, _ in found.candidates} == {"scripts/images.json"}
    assert found.warnings == ()
    assert found.read == ("scripts/images.json",)


@pytest.mark.parametrize(
    "script",
    [
        b"docker pull $(jq -r '.images[] | select(. != \"x\")' images.json)\n",  # not a path
        b"docker pull $(jq -r --arg n x '.[$n]' images.json)\n",
        b"docker pull $(jq -r '.svc' images.json)\n",  # an object, not a text
        b"docker pull $(jq -r '.images[]' missing.json)\n",
        b"docker pull $(jq -r '.images[]' bad.json)\n",  # not JSON
        b"docker pull $(curl -s x | jq -r '.images[]')\n",  # no file
    ],
)
def test_a_query_that_cannot_be_followed_is_a_warning(script: bytes) -> None:
    files = {"scripts/images.json": JSON, "scripts/bad.json": b'{"images": [\n'}
    found = parse_pull_script("scripts/pull.sh", script, files.get)
    assert found.candidates == ()
    (warning,) = found.warnings
    assert str(warning).startswith("scripts/pull.sh:1: cannot know ")


def test_a_function_of_a_sourced_library_is_read_only_when_called() -> None:
    library = (
        b'run_in() { docker run --rm "$1" sh -c "$2"; }\n'  # never called here: not read
        b'pull_tool() { docker pull "tools/$1:1"; }\n'
    )
    script = b"source lib.sh\npull_tool lint\n"
    found = parse_pull_script("scripts/pull.sh", script, {"scripts/lib.sh": library}.get)
    assert [(c.text, c.path, c.line) for c, _ in found.candidates] == [("tools/lint:1", None, 2)]
    assert found.warnings == ()


_NUMBERED = b"nginx:1.27\nghcr.io/acme/api:1.0\n# Tools\nbusybox:1.36\nalpine:3.20\n"


@pytest.mark.parametrize(
    ("command", "kept"),
    [
        (b"head -n 1", ["nginx:1.27"]),
        (b"head -n2", ["nginx:1.27", "ghcr.io/acme/api:1.0"]),
        (b"head -4", ["nginx:1.27", "ghcr.io/acme/api:1.0", "busybox:1.36"]),
        (b"head --lines=4", ["nginx:1.27", "ghcr.io/acme/api:1.0", "busybox:1.36"]),
        (b"head", ["nginx:1.27", "ghcr.io/acme/api:1.0", "busybox:1.36", "alpine:3.20"]),
        (b"tail -n +4", ["busybox:1.36", "alpine:3.20"]),
        (b"tail -n+5", ["alpine:3.20"]),
        (b"tail --lines=+2", ["ghcr.io/acme/api:1.0", "busybox:1.36", "alpine:3.20"]),
    ],
)
def test_head_and_tail_keep_lines_of_a_file_by_their_numbers(
    command: bytes, kept: list[str]
) -> None:
    script = command + b" images.txt | xargs -n1 docker pull\n"
    shown, warnings = inventory(script, {"scripts/images.txt": _NUMBERED})
    assert [line.split()[1] for line in shown] == kept
    assert warnings == []


@pytest.mark.parametrize(
    "command",
    [
        b"tail -n 2 images.txt",  # the last lines: a list's values leave out its comments
        b"head -n -1 images.txt",  # all but the last lines: the same
        b"head -c 20 images.txt",  # bytes, not lines
        b"cat images.txt | head -n 2",  # its input: the lines of a stream are not numbered
        b"head -n 2 images.txt other.txt",  # several files: headers between them
    ],
)
def test_a_window_of_lines_that_cannot_be_told_is_a_warning(command: bytes) -> None:
    files = {"scripts/images.txt": _NUMBERED, "scripts/other.txt": _NUMBERED}
    shown, warnings = inventory(command + b" | xargs -n1 docker pull\n", files)
    assert shown == []
    assert len(warnings) == 1 and "cannot know the value of the input of xargs" in warnings[0]


def test_a_list_line_without_a_header_of_its_own_takes_the_scripts() -> None:
    script = b"# Databases\nxargs -n1 docker pull < images.txt\n"
    listed = b"postgres:16\n# Caches\nredis:7.2\n"
    shown, warnings = inventory(script, {"scripts/images.txt": listed})
    assert shown == [
        "scripts/images.txt:1 postgres:16 Databases",  # no header above it in the list
        "scripts/images.txt:3 redis:7.2 Caches",  # the list's own header
    ]
    assert warnings == []


def test_a_sourced_value_without_a_header_takes_the_one_where_it_is_pulled() -> None:
    script = (
        b'source versions.env\n# Services\ndocker pull "$API"\n'
        b'# Databases\ndocker pull "$DB"\ndocker pull "$CACHE"\n'
    )
    versions = b"API=ghcr.io/acme/api:1.4\nDB=postgres:16\n# Caches\nCACHE=redis:7.2\n"
    shown, warnings = inventory(script, {"scripts/versions.env": versions})
    assert shown == [
        "scripts/versions.env:1 ghcr.io/acme/api:1.4 Services",
        "scripts/versions.env:2 postgres:16 Databases",
        "scripts/versions.env:4 redis:7.2 Caches",  # its own file's header
    ]
    assert warnings == []


def test_mapfile_skips_and_counts_the_lines_of_a_file() -> None:
    """`mapfile -s 1` skips a CSV's header (it was an image), `-n` keeps that many lines;
    a file's comment counts as a line, as bash counts it."""
    files = {"scripts/images.csv": b"# images\nimage\nnginx:1.27\nredis:7\nmemcached:1.6\n"}
    script = b'mapfile -t -s 2 -n 2 L < images.csv\nfor i in "${L[@]}"; do docker pull "$i"; done\n'
    found = parse_pull_script("scripts/pull.sh", script, files.get)
    assert [(c.text, c.path, c.line) for c, _ in found.candidates] == [
        ("nginx:1.27", "scripts/images.csv", 3),
        ("redis:7", "scripts/images.csv", 4),
    ]
    assert found.warnings == ()


def test_one_read_takes_the_first_line_of_a_file() -> None:
    """`read -r -a ARR < list.txt` read every line of the file (bash reads the first);
    a `while read` loop still reads them all."""
    files = {"scripts/list.txt": b"nginx:1.27 redis:7\nmemcached:1.6\n"}
    script = (
        b'read -r -a ARR < list.txt\nfor i in "${ARR[@]}"; do docker pull "$i"; done\n'
        b'read -r first rest < list.txt\ndocker pull "mirror.io/$first"\n'
        b'while read -r line; do docker pull "copy.io/$line"; done < list.txt\n'
    )
    found = parse_pull_script("scripts/pull.sh", script, files.get)
    assert [c.text for c, _ in found.candidates] == [
        "nginx:1.27",
        "redis:7",
        "mirror.io/nginx:1.27",
        "copy.io/nginx:1.27 redis:7",
        "copy.io/memcached:1.6",
    ]


READS_ON = {
    "two-reads": b'{ read -r first; read -r second; } < list.txt\ndocker pull "$first"\n'
    b'docker pull "$second"\n',
    "header-skipped": b'{ read -r header; while IFS=, read -r name tag; do\n'
    b'  docker pull "$name:$tag"; done; } < images.csv\n',
    "header-skipped-from-a-pipe": b"cat images.csv | { read -r header\n"
    b'  while IFS=, read -r name tag; do docker pull "$name:$tag"; done; }\n',
    "two-array-reads": b"{ read -r -a A; read -r -a B; } < list.txt\n"
    b'docker pull "${A[0]}"\ndocker pull "${B[0]}"\n',
}  # fmt: skip
READS_ON_FILES = {
    "scripts/list.txt": b"nginx:1.27\nredis:7.4\n",
    "scripts/images.csv": b"name,tag\nnginx,1.27\nredis,7.4\n",
}


@pytest.mark.parametrize("name", sorted(READS_ON))
def test_a_read_takes_the_line_after_the_one_read_before_it(name: str, tmp_path: Path) -> None:
    """Commands that share an input read on from where the one before stopped: a CSV's
    header taken by a `read` is no image of the loop after it (it was `name:tag`)."""
    found = parse_pull_script("scripts/pull.sh", READS_ON[name], READS_ON_FILES.get)
    assert sorted(c.text for c, _ in found.candidates) == ["nginx:1.27", "redis:7.4"]
    assert found.warnings == ()
    (tmp_path / "scripts").mkdir()
    for path, data in READS_ON_FILES.items():
        (tmp_path / path).write_bytes(data)
    (tmp_path / "scripts/pull.sh").write_bytes(b'cd "$(dirname "$0")"\n' + READS_ON[name])
    ran = images_used_by_a_run(tmp_path / "scripts/pull.sh", tmp_path / "run", {})
    assert ran == {"nginx:1.27", "redis:7.4"}


COMPOSE_WITH_COMMENTS = b"""services:
  ui:
    image: portainer/portainer-ce:2.19.4
  # old: image: portainer/portainer:1.24
  agent:
    image: portainer/agent:2.19.4 # pinned, pulled by hand
  proxy:
    image: "nginx:1.27"
"""


def test_a_data_file_s_line_keeps_its_comment_as_grep_reads_it(tmp_path: Path) -> None:
    """`cat docker-compose.yml | grep image | grep -v '#' | awk '{print $2}' | xargs -n1
    docker pull`: grep drops the line that ends with a comment, as bash runs it (a list's
    line is read without its comment; a compose file's was too, and gave an image bash
    never pulls)."""
    script = (
        b"cat docker-compose.yml | grep image | grep -v '#' | awk '{print $2}'"
        b" | xargs -n1 docker pull\n"
    )
    files = {"scripts/docker-compose.yml": COMPOSE_WITH_COMMENTS}
    found = parse_pull_script("scripts/pull.sh", script, files.get)
    assert [(c.text, c.line) for c, _ in found.candidates] == [
        ("portainer/portainer-ce:2.19.4", 3),
        ("nginx:1.27", 8),
    ]
    assert found.warnings == ()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts/docker-compose.yml").write_bytes(COMPOSE_WITH_COMMENTS)
    (tmp_path / "scripts/pull.sh").write_bytes(b'cd "$(dirname "$0")"\n' + script)
    ran = images_used_by_a_run(tmp_path / "scripts/pull.sh", tmp_path / "run", {})
    assert ran == {"portainer/portainer-ce:2.19.4", "nginx:1.27"}


READ_TO_END = {
    "d-empty": b"read -d '' -r -a ARR < list.txt",
    "rd-empty": b'read -rd "" -a ARR < list.txt',
    "ifs-newline": b"IFS=$'\\n' read -r -d '' -a ARR < list.txt",
    "nul-escape": b"read -r -d $'\\0' -a ARR < list.txt",
}


@pytest.mark.parametrize("name", sorted(READ_TO_END))
def test_a_read_up_to_a_nul_takes_the_whole_file(name: str, tmp_path: Path) -> None:
    """`read -d '' -a ARR < list` reads every line into the array (bash's delimiter is a
    NUL, which a list has none of): the portable form of `mapfile`."""
    files = {"scripts/list.txt": b"nginx:1.27 redis:7\nmemcached:1.6\n"}
    script = READ_TO_END[name] + b'\nfor i in "${ARR[@]}"; do docker pull "$i"; done\n'
    found = parse_pull_script("scripts/pull.sh", script, files.get)
    read = [(c.text, c.line) for c, _ in found.candidates]
    if name == "ifs-newline":  # a field a line
        assert read == [("nginx:1.27 redis:7", 1), ("memcached:1.6", 2)]
        return  # `nginx:1.27 redis:7` is no image: bash's run pulls nothing of it
    assert read == [("nginx:1.27", 1), ("redis:7", 1), ("memcached:1.6", 2)]
    assert found.warnings == ()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts/list.txt").write_bytes(files["scripts/list.txt"])
    (tmp_path / "scripts/pull.sh").write_bytes(b'cd "$(dirname "$0")"\n' + script)
    ran = images_used_by_a_run(tmp_path / "scripts/pull.sh", tmp_path / "run", {})
    assert ran == {"nginx:1.27", "redis:7", "memcached:1.6"}


LISTED = (
    b'{\n  "list": [\n    {"name": "acme/api", "tag": "1.2"},\n'
    b'    {"name": "acme/web",\n     "tag": "2.0"}\n  ],\n  "registry": "ghcr.io"\n}\n'
)
# A query whose last part joins texts and paths of each node it reaches.
JOINED = {
    "plus": "'.list[] | .name + \":\" + .tag'",
    "interpolation": "'.list[] | \"\\(.name):\\(.tag)\"'",
    "from-the-top": "'\"\\(.registry)/\\(.list[0].name):\\(.list[0].tag)\"'",
    "the-node-itself": "'.list[].name | . + \":latest\"'",
}
JOINED_READ = {
    "plus": [("acme/api:1.2", 3), ("acme/web:2.0", 4)],
    "interpolation": [("acme/api:1.2", 3), ("acme/web:2.0", 4)],
    "from-the-top": [("ghcr.io/acme/api:1.2", 7)],
    "the-node-itself": [("acme/api:latest", 3), ("acme/web:latest", 4)],
}


@pytest.mark.parametrize("name", sorted(JOINED))
def test_a_query_joining_texts_and_paths_reads_each_node_s_text(name: str) -> None:
    script = f"jq -r {JOINED[name]} images.json | xargs -n1 docker pull\n".encode()
    found = parse_pull_script("scripts/pull.sh", script, {"scripts/images.json": LISTED}.get)
    assert [(c.text, c.line) for c, _ in found.candidates] == JOINED_READ[name]
    assert found.warnings == ()


@pytest.mark.parametrize("name", sorted(JOINED))
def test_a_joined_query_reads_what_jq_prints(name: str, tmp_path: Path) -> None:
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    (tmp_path / "images.json").write_bytes(LISTED)
    done = subprocess.run(
        f"jq -r {JOINED[name]} images.json",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [text for text, _ in JOINED_READ[name]]


@pytest.mark.parametrize(
    "query",
    [
        "'.list[] | .name + \":\" + .missing'",  # jq prints `acme/api:` or fails: not read
        "'.list[] | \"\\(.name):\\(.tag) \\t\"'",  # another escape
        "'.list[] | \"\\(.name | ascii_downcase)\"'",  # a filter, not a path
        "'.list[] | .name + \"a+b\"'",
    ],
)
def test_a_joined_query_not_read_is_a_warning(query: str) -> None:
    script = f"jq -r {query} images.json | xargs -n1 docker pull\n".encode()
    found = parse_pull_script("scripts/pull.sh", script, {"scripts/images.json": LISTED}.get)
    assert found.candidates == ()
    (warning,) = found.warnings
    assert str(warning).startswith("scripts/pull.sh:1: cannot know ")
