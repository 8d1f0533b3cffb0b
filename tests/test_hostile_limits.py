"""Inputs sized to hurt: each is bounded with a warning or one exit-2 line, never a crash."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from image_docs_audit import engine
from image_docs_audit.cli import main
from image_docs_audit.config import AuditSettings
from image_docs_audit.docs import ports as ports_module
from image_docs_audit.docs.names import name_images
from image_docs_audit.docs.ports import PORTS_PER_DOC
from image_docs_audit.docs.read import MAX_DOC_BYTES
from image_docs_audit.docs.scan import HITS_PER_DOC, scan_doc
from image_docs_audit.docs.subjects import COMPARISONS
from image_docs_audit.docs.terms import PIECE, Matcher, _cuts, build_terms
from image_docs_audit.docs.words import fold, fold_bytes
from image_docs_audit.inventory import MAX_IMAGES, MAX_SOURCE_PORTS, read_inventory
from image_docs_audit.worktree import MAX_DEPTH, WorkTree


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def project(root: Path, script: str, config: str | None = None) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "app-x.md").write_text("# app-x\n")
    (root / "pull-images.sh").write_text(script)
    if config is not None:
        (root / "c.yml").write_text(config)
    return root


def test_hostile_digest_of_1200_hex_digits_is_a_warning(tmp_path: Path) -> None:
    digest = "sha256:" + "a" * 1200
    root = project(tmp_path, f"IMAGES=(\n  example/app-x:1\n  example/app-y@{digest}\n)\n")
    code, out, err = run("audit", str(root), "--format", "json")
    assert (code, err) == (0, "")
    [warning] = json.loads(out)["warnings"]
    assert warning["line"] == 3
    assert warning["message"].startswith("'example/app-y@sha256:aaaa")
    assert warning["message"].endswith(
        "is not an image reference: it is longer than 360 characters"
    )
    assert len(warning["message"]) < 200


def test_the_longest_reference_is_audited(tmp_path: Path) -> None:
    name = "/".join(["a" * 40] * 3)  # 122 characters of path
    ref = f"ghcr.io/{name}:{'t' * 93}@sha512:{'b' * 128}"  # 360 characters
    root = project(tmp_path, f"IMAGES=(\n  example/app-x:1\n  {ref}\n)\n")
    code, out, err = run("audit", str(root), "--format", "json")
    assert len(ref) == 360 and (code, err) == (0, "")
    assert [image["ref"] for image in json.loads(out)["images"]] == ["example/app-x:1", ref]
    (root / "pull-images.sh").write_text(
        f"IMAGES=(example/app-x:1 {ref.replace('ghcr', 'ghcrx')})\n"
    )
    code, out, _ = run("audit", str(root), "--format", "json")
    assert json.loads(out)["warnings"][0]["message"].endswith("longer than 360 characters")


def test_hostile_inventory_over_the_image_cap_is_exit_2(tmp_path: Path) -> None:
    # One script stops at the cap with a warning (the reader's bound); two reach it together,
    # read in path order: more-images.sh, then pull-images.sh.
    half = MAX_IMAGES // 2 + 1
    first = "".join(f"  example/app-{index}:1\n" for index in range(half))
    root = project(tmp_path, f"IMAGES=(\n{first})\n")
    second = "".join(f"  example/app-{index}:2\n" for index in range(half))
    (root / "more-images.sh").write_text(f"IMAGES=(\n{second})\n")
    code, out, err = run(
        "audit", str(root), "--pull-script", "pull-images.sh", "--pull-script", "more-images.sh"
    )
    assert (code, out) == (2, "")
    assert err == (
        f"image-docs-audit: pull-images.sh:{MAX_IMAGES - half + 2}: more than 5,000 images (the "
        "limit is reached here); this is not a pull script a person wrote: check it, or audit "
        "its parts separately\n"
    )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "aliases:\n  app-x:\n    - short\n    - " + "x" * 201 + "\n",
            "c.yml:4: 'aliases' has an alias longer than 200 characters; shorten it",
        ),
        (
            "ignore:\n" + "".join(f"  app-{n}: gone\n" for n in range(501)),
            "c.yml:2: more than 500 entries; a config lists at most that many",
        ),
        (
            "exclude: [" + ", ".join(f"x{n}" for n in range(501)) + "]\n",
            "c.yml:1: more than 500 entries; a config lists at most that many",
        ),
    ],
)
def test_hostile_config_sizes_are_exit_2(tmp_path: Path, config: str, message: str) -> None:
    root = project(tmp_path, "IMAGES=(example/app-x:1)\n", config)
    code, out, err = run("audit", str(root), "--config", "c.yml")
    assert (code, out, err) == (2, "", f"image-docs-audit: {message}\n")


def test_hostile_folder_tree_1500_deep_is_walked_without_recursion(tmp_path: Path) -> None:
    root = project(tmp_path / "r", "IMAGES=(example/app-x:1)\n")
    folder = str(root / "docs")
    for _ in range(1500):
        folder += "/d"
        os.mkdir(folder)
    Path(folder, "app-y.md").write_text("# app-y\n")
    try:
        code, out, err = run("audit", str(root), "--format", "json")
    finally:  # pytest's own clean-up recurses into folders: take the tree down by a loop
        Path(folder, "app-y.md").unlink()
        while folder != str(root / "docs"):
            os.rmdir(folder)
            folder = os.path.dirname(folder)
    assert (code, err) == (0, "")
    [warning] = json.loads(out)["warnings"]
    assert warning == {
        "path": "docs/d/d/.../d",
        "line": 0,
        "message": f"skipped: folders nested deeper than {MAX_DEPTH} levels",
    }


def test_hostile_read_ahead_keeps_at_most_one_file(tmp_path: Path) -> None:
    # A scan cache hit asks for the blob id and never reads: the bytes must not stay.
    root = project(tmp_path, "IMAGES=(example/app-x:1)\n")
    for n in range(40):
        (root / "docs" / f"big-{n}.md").write_bytes(b"x" * 100_000)
    tree = WorkTree(root)
    for path in tree.files():
        tree.blob_id(path)
    assert tree.read_ahead_bytes <= 100_000
    assert tree.read("docs/app-x.md") == b"# app-x\n"
    assert tree.read_ahead_bytes == 0


def test_hostile_headings_alike_the_image_names_are_compared_within_a_budget(
    tmp_path: Path,
) -> None:
    """Every distinct heading is compared with the image names it may be a variant of: a
    doc of 20,000 headings spelled like 990 of the names took 20 million comparisons
    (minutes). The budget stops them with a warning on the first heading left out."""
    script = "".join(f"docker pull example/svc{n}:1\n" for n in range(1000))
    root = project(tmp_path, script)
    headings = "".join(f"## svc{n}\n" for n in range(1000, 21000))
    (root / "docs" / "big.md").write_text("# Notes\n\n" + headings)
    started = time.perf_counter()
    code, out, err = run("audit", str(root), "--format", "json")
    assert time.perf_counter() - started < 60  # a slow machine's bound
    assert (code, err) == (0, "")
    [warning] = json.loads(out)["warnings"]
    # `svc10` to `svc999` start with its letter: 990 names a heading, the first at line 3.
    assert warning == {
        "path": "docs/big.md",
        "line": 3 + COMPARISONS // 990,
        "message": "alias suggestions and orphan docs stop here: the docs' file names,"
        " titles and headings were compared with the image names 200,000 times, the most"
        " an audit compares; the ones from here on are not compared",
    }


def test_hostile_ports_under_a_heading_naming_hundreds_of_images_stop_at_the_bound(
    tmp_path: Path,
) -> None:
    """A doc gives a port to every image its place is about: 300 images named in one
    heading above 20,000 port lines (234 KB) made 6 million ports and 2 GB. A doc gives
    `PORTS_PER_DOC` at most, with a warning on the line of the first port left out. (The
    inventory has more images: a doc naming most of them is an index, which gives none.)"""
    script = "".join(f"docker pull example/svc{n}:1\n" for n in range(1000))
    root = project(tmp_path, script)
    heading = "## " + " ".join(f"example/svc{n}" for n in range(300)) + "\n\n"
    ports = "".join(f"Port: {1000 + n}\n" for n in range(20_000))
    (root / "docs" / "big.md").write_text("# Notes\n\n" + heading + ports)
    (root / "docs" / "svc0.md").write_text("# svc0\n\nPort: 80\n")
    code, out, err = run("audit", str(root), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    given = PORTS_PER_DOC // 300  # port lines whose 300 ports fit; the first is line 5
    assert [w for w in report["warnings"] if w["message"].startswith("ports stop")] == [
        {
            "path": "docs/big.md",
            "line": 5 + given,
            "message": "ports stop here: the doc gives its images 20,000 ports, the most"
            " one doc gives; the ports from here on are not read",
        }
    ]
    by_image = {image["ref"]: image["ports"] for image in report["images"]}
    assert [(p["port"], p["path"], p["line"]) for p in by_image["example/svc0:1"]] == [
        (80, "docs/svc0.md", 3),
        *((1000 + n, "docs/big.md", 5 + n) for n in range(given)),
    ]
    assert [len(by_image[f"example/svc{n}:1"]) for n in range(1, 1000)] == [given] * 299 + [0] * 700


def test_hostile_mentions_of_a_tag_among_a_thousand_stop_at_the_bound(tmp_path: Path) -> None:
    """A mention of one tag is a hit of every other tag of its repository: 2,000 lines
    naming one of 1,000 tags (46 KB) made 2 million hits and 290 MB of JSON. A doc gives
    `HITS_PER_DOC` at most, with a warning on the line of the match left out."""
    script = "".join(f"docker pull example/app:{n}\n" for n in range(1000))
    root = project(tmp_path, script)
    (root / "docs" / "big.md").write_text("# Notes\n\n" + "Uses example/app:5 here.\n" * 2000)
    code, out, err = run("audit", str(root), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    read = HITS_PER_DOC // 1000  # lines whose 1,000 hits fit; the first is line 3
    assert report["warnings"] == [
        {
            "path": "docs/big.md",
            "line": 3 + read,
            "message": "hits stop here: the doc gives 50,000 hits (an image on a line), the"
            " most one doc gives; the mentions from here on are not read",
        }
    ]
    evidence = [image["evidence"] for image in report["images"]]
    big = [[e["line"] for e in found if e["path"] == "docs/big.md"] for found in evidence]
    assert big == [list(range(3, 3 + read))] * 1000


def test_hostile_docs_larger_than_the_bound_are_skipped_with_a_warning(tmp_path: Path) -> None:
    """Reading a doc takes many times its size in memory meanwhile, and a pull request may
    add docs of 100 MB: a doc of more than `MAX_DOC_BYTES` is not read; one of that size
    is. (Sixty small docs too: the outliner ahead starts from fifty.)"""
    script = (
        "docker pull example/app-x:1\ndocker pull example/app-y:1\ndocker pull example/app-z:1\n"
    )
    root = project(tmp_path, script)
    for n in range(60):
        (root / "docs" / f"note-{n:02}.md").write_text("# Note\n\nNothing here.\n")
    line = b"Runs example/app-y:1 on port 80.\n"
    filler = b"x" * 63 + b"\n"
    head = b"# example/app-y\n\n" + line
    (root / "docs" / "a-big.md").write_bytes(
        head + filler * ((MAX_DOC_BYTES - len(head)) // 64 + 1)
    )
    head = b"# example/app-z\n\n" + line.replace(b"app-y", b"app-z")
    exact = head + b"\n" * (MAX_DOC_BYTES - len(head))
    assert len(exact) == MAX_DOC_BYTES
    (root / "docs" / "a-exact.md").write_bytes(exact)
    code, out, err = run("audit", str(root), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    size = (root / "docs" / "a-big.md").stat().st_size
    assert report["warnings"] == [
        {
            "path": "docs/a-big.md",
            "line": 0,
            "message": f"skipped: larger than 8 MiB ({size:,} bytes)",
        }
    ]
    statuses = {image["ref"]: image["status"] for image in report["images"]}
    assert statuses == {
        "example/app-x:1": "documented",
        "example/app-y:1": "missing",
        "example/app-z:1": "documented",
    }


@pytest.mark.parametrize(("docs", "cut"), [(3, 2), (60, 4)])  # 60: two processes scan them
def test_hits_stop_at_the_audit_bound_in_the_docs_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, docs: int, cut: int
) -> None:
    """The docs' hits stop at `HITS_PER_AUDIT` in all: each doc's are bounded, but a doc
    may give 50,000, and 200 small docs naming tags among 5,000 gave 10 million (1.6 GB).
    The docs are read in order: the one that passes the bound keeps its first hits, the
    docs after it are not read, and a process scanning a share stops past the bound."""
    monkeypatch.setattr(engine, "HITS_PER_AUDIT", 2 * cut + 1)
    script = "docker pull example/app-x:1\ndocker pull example/app-y:1\n"
    root = project(tmp_path, script)
    (root / "docs" / "app-x.md").unlink()
    for n in range(docs):  # two hits each, on lines 3 and 4
        (root / "docs" / f"n{n:02}.md").write_text("# N\n\nexample/app-x:1\nexample/app-y:1\n")
    read: list[str] = []
    text_hits = engine._text_hits

    def reading(tree: object, path: str, *args: Any, **kwargs: Any) -> object:
        read.append(path)
        return text_hits(tree, path, *args, **kwargs)

    monkeypatch.setattr(engine, "_text_hits", reading)
    code, out, err = run("audit", str(root), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    kept = [f"docs/n{n:02}.md" for n in range(cut + 1)]
    assert report["docs"] == kept
    assert report["warnings"] == [
        {
            "path": kept[-1],
            "line": 4,
            "message": "hits stop here: the docs give 1,000,000 hits, the most an audit reads;"
            " the mentions from here on, and the docs after this one, are not read",
        }
    ]
    evidence = {i["ref"]: [(e["path"], e["line"]) for e in i["evidence"]] for i in report["images"]}
    assert evidence["example/app-x:1"] == [(path, 3) for path in kept]
    assert evidence["example/app-y:1"] == [(path, 4) for path in kept[:-1]]
    # Read here: the docs up to the cut, and this process's share up to the bound.
    assert max(read) <= f"docs/n{2 * cut + 1:02}.md"


@pytest.mark.pure_python
def test_ports_stop_at_the_audit_bound_in_the_docs_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The docs' ports stop at `PORTS_PER_AUDIT` in all: a config entry may make each doc
    every image's own (200 docs of ten port lines gave 2,000 images 4 million ports). The
    doc that passes the bound gives its first ports, the docs after it none."""
    monkeypatch.setattr(ports_module, "PORTS_PER_AUDIT", 12)
    root = project(tmp_path, "docker pull example/app-x:1\n")
    for name in "abcd":  # five ports each, on lines 3 to 7
        ports = "".join(f"Port: {8000 + n}\n" for n in range(5))
        (root / "docs" / f"{name}.md").write_text(f"# example/app-x\n\n{ports}")
    code, out, err = run("audit", str(root), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["warnings"] == [
        {
            "path": "docs/c.md",
            "line": 5,
            "message": "ports stop here: the docs give 1,000,000 ports, the most an audit gives;"
            " the ports from here on, and those of the docs after this one, are not read",
        }
    ]
    [image] = report["images"]
    given = sorted((p["path"], p["line"]) for p in image["ports"])
    assert given == [(f"docs/{name}.md", line) for name in "ab" for line in range(3, 8)] + [
        ("docs/c.md", 3),
        ("docs/c.md", 4),
    ]


def test_hostile_warnings_by_the_ten_thousand_render_as_markdown_in_time(tmp_path: Path) -> None:
    """The Markdown report leaves out the warnings its drift and conflict sections show:
    that set was made again for each warning, and a doc citing 10,000 tags the pull
    script does not pull took 55 s. Each drift is listed once, in its section."""
    root = project(tmp_path, "docker pull example/app-x:1\n")
    cited = "".join(f"example/app-x:v{n}\n" for n in range(10_000))
    (root / "docs" / "app-x.md").write_text("# app-x\n\n" + cited)
    started = time.perf_counter()
    code, out, err = run("audit", str(root), "--format", "markdown")
    assert time.perf_counter() - started < 30  # a slow machine's bound
    assert (code, err) == (0, "")
    assert [out.count(f"| example/app-x:v{n} |") for n in (0, 5_000, 9_999)] == [1, 1, 1]
    assert "cites example/app-x:v" not in out  # not again among the warnings


def test_hostile_compose_ports_stop_at_the_bound(tmp_path: Path) -> None:
    """A compose file's walk is bounded, but its aliases may give each of its services
    the same long list of ports: 8 files of 16 KB gave 1.2 million. The compose files
    give `MAX_SOURCE_PORTS` at most, with a warning on the first left out."""
    script = "".join(f"docker pull example/svc{n}:1\n" for n in range(150))
    root = project(tmp_path, script)
    ports = ",".join(f"'{1000 + n}:1'" for n in range(400))
    services = "".join(f"  s{n}:\n    image: example/svc{n}:1\n    ports: *p\n" for n in range(150))
    for name in ("a", "b"):  # 60,000 ports each
        (root / f"docker-compose.{name}.yml").write_text(
            f"x-p: &p [{ports}]\nservices:\n{services}"
        )
    code, out, err = run("audit", str(root), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    # (Every port is claimed by all 150 images: each is a conflict, and has its warning.)
    assert [w for w in report["warnings"] if w["message"].startswith("ports stop")] == [
        {
            "path": "docker-compose.b.yml",
            "line": 1,
            "message": "ports stop here: the compose files give 100,000 ports, the most an audit"
            " reads from them; the ports from here on are not read",
        }
    ]
    given = [len(image["ports"]) for image in report["images"]]
    assert sum(given) == MAX_SOURCE_PORTS
    # File a gives each service 400; file b the first 100 services, the bound reached.
    assert given == [800] * 100 + [400] * 50


def test_hostile_tags_of_one_repository_share_one_group(tmp_path: Path) -> None:
    """Each of 5,000 tags of a repository held a tuple of the other 4,999: 25 million keys
    (4.8 s, 280 MB). The tags share one group now; a citation still counts for every tag."""
    script = "".join(f"docker pull example/app:v{n}\n" for n in range(5000))
    images = read_inventory([("pull.sh", script.encode())]).images
    naming = name_images(images, AuditSettings())
    groups = {id(group): group for group in naming.siblings.values()}
    assert [len(group) for group in groups.values()] == [5000]
    matcher = Matcher(build_terms(images, AuditSettings()))
    hits = scan_doc("docs/r.md", "# Notes\n\nexample/app:v7 here.\n", matcher).hits
    cited = "docker.io/example/app:v7"
    assert [(hit.image, hit.other_tag) for hit in hits if hit.image == cited] == [(cited, None)]
    others = [hit.image for hit in hits if hit.other_tag == "example/app:v7"]
    assert others == [image.key for image in images if image.key != cited]


def test_bytes_are_searched_in_pieces_that_find_what_the_whole_text_gives() -> None:
    """A text of megabytes is searched a piece of whole lines at a time (so a reader that
    stops early holds one piece's matches); the matches are those of the str path, across
    the cuts, in a line longer than a piece, and where a match ends a piece."""
    script = b"docker pull example/app-api:1\ndocker pull redis:7\ndocker pull example/app-web:2\n"
    matcher = Matcher(build_terms(read_inventory([("pull.sh", script)]).images, AuditSettings()))
    line = "app-api x redis-y app-web app_api redis\n"
    text = (
        line * (PIECE // len(line) - 1)
        + "z" * (PIECE - 30)
        + " redis\n"
        + ("k " * 20 + "app-web\n") * (PIECE // 25)
        + "redis"
    )
    data = text.encode()
    found = matcher.find_bytes(fold_bytes(data), data)
    expected = [(match.start, match.term) for match in matcher.find(fold(text), text)]
    assert len(found) > 100_000 and found == expected
    assert _cuts(data, PIECE)[0] == len(line) * (PIECE // len(line) - 1)
    assert len(_cuts(data, PIECE)) == 4  # a line longer than a piece is one


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_hostile_doc_dense_with_mentions_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """An 8 MiB doc of mentions only (1.1 million) held all their matches while it was read:
    394 MB, 1.7 s. The scan stops at the hits a doc gives, after one piece of its bytes."""
    script = "docker pull example/app-api:1\ndocker pull example/app-web:2\ndocker pull redis:7\n"
    root = project(tmp_path, script)
    line = b"app-api app-web redis app-api app-web redis app-api app-web redis x\n"
    (root / "docs" / "big.md").write_bytes(b"# Big\n\n" + line * (MAX_DOC_BYTES // len(line)))
    # VmHWM, not ru_maxrss: the latter keeps the forking test process's size across exec.
    measure = (
        "import io, sys\nfrom image_docs_audit.cli import main\n"
        "code = main(sys.argv[1:], stdout=io.StringIO(), stderr=sys.stderr)\n"
        "status = open('/proc/self/status').read()\n"
        "print(code, int(status.split('VmHWM:')[1].split()[0]) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", measure, "audit", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    code, megabytes = map(int, done.stdout.split())
    assert (code, done.stderr) == (0, "")
    assert megabytes < 250  # 101 MB here; a generous ceiling for other machines
