"""Hostile input from a fork: any bytes read without an exception, and nothing renders live."""

from __future__ import annotations

import io
import json
import os
import random
import re
from pathlib import Path

import pytest

from image_docs_audit.cli import main
from image_docs_audit.config import AuditSettings
from image_docs_audit.docs.read import decode
from image_docs_audit.docs.scan import scan_doc
from image_docs_audit.docs.terms import Matcher, build_terms
from image_docs_audit.inventory import read_inventory

SCRIPT_PIECES = [
    b"docker pull ",
    b"IMAGES=(",
    b")",
    b"\n",
    b"# Phase\n",
    b'"',
    b"'",
    b"${X:-",
    b"}",
    b"$",
    b"for i in ",
    b"; do ",
    b"done",
    b"<<EOF\n",
    b"EOF\n",
    b"a/b:1 ",
    b"\\\n",
    b"\xff\xfe",
    b"\x00",
    b'while read -r i; do docker pull "$i"; done',
    b'f() { docker pull "$1"; }\nf ',
    b"`",
    b"$(",
    b"[@]",
    b"declare -a X=(",
    b"+=(",
]
DOC_PIECES = [
    b"# ",
    b"redis",
    b"\n",
    b"|",
    b"---",
    b"```",
    b"- ",
    b"a/b:1",
    b"b",
    b"\xe9",
    b"\x00",
    b"<!--",
    b"-->",
    b"   ",
    b"> ",
    b"title: ",
    b"\r\n",
    "\u0130".encode(),
    b"\xc4",
]


def test_random_scripts_and_docs_never_raise() -> None:
    rng = random.Random(20261125)
    inventory = read_inventory([("p.sh", b"IMAGES=(a/b:1 redis:7 ghcr.io/x/y:2)\n")])
    settings = AuditSettings(strip_prefix=("a",), aliases=(("redis", ("r d",)),))
    matcher = Matcher(build_terms(inventory.images, settings))
    for _ in range(400):
        script = b"".join(rng.choice(SCRIPT_PIECES) for _ in range(rng.randint(0, 40)))
        read_inventory([("p.sh", script)])
        doc = b"".join(rng.choice(DOC_PIECES) for _ in range(rng.randint(0, 60)))
        scan_doc("docs/x.md", decode(doc)[0], matcher)


HOSTILE_CATEGORY = "</details><script>alert(1)</script> @octocat [x](javascript:alert(1))"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "fork"
    (root / "docs").mkdir(parents=True)
    (root / "pull-images.sh").write_text(
        f"IMAGES=(\n  # {HOSTILE_CATEGORY}\n  example/app-x:1\n)\n", encoding="utf-8"
    )
    # A file name that is not UTF-8 must still come out in every format.
    (root / os.fsdecode(b"docs/app-x-\xff.md")).write_text("# app-x\n")
    return root


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_hostile_names_render_inert_in_markdown(hostile: Path) -> None:
    code, out, err = run("audit", str(hostile), "--format", "markdown")
    assert (code, err) == (0, "")
    assert "<script>" not in out and "</details>" not in out
    assert "@octocat" not in out  # no ping
    assert "\\[x\\](javascript:" in out  # brackets escaped: the link is text
    assert not re.search(r"(?<!\\)\]\(javascript:", out)


def test_undecodable_paths_reach_every_format_and_file(hostile: Path, tmp_path: Path) -> None:
    for format_name in ("text", "markdown", "json"):
        target = tmp_path / f"report.{format_name}"
        code, _, err = run("audit", str(hostile), "--format", format_name, "--output", str(target))
        assert (code, err) == (0, "")
        assert "app-x-" in target.read_text(encoding="utf-8")
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["images"][0]["status"] == "documented"
    assert data["images"][0]["category"] == HOSTILE_CATEGORY


def test_a_doc_with_lone_carriage_returns_is_read_line_by_line(tmp_path: Path) -> None:
    """Classic Mac OS line ends: CommonMark (and GitHub) end a line at a lone `\\r`. Read as
    one line, the doc's first heading would run to its end and make every image it names
    the title's, documented by a doc about something else."""
    body = "# Release notes\n\nSome text.\n\n## app\n\nUses example/db:2 on port 8080.\n"
    reports = []
    for name, ends in (("newline", "\n"), ("cr", "\r"), ("mixed", None)):
        root = tmp_path / name
        (root / "docs").mkdir(parents=True)
        (root / "pull.sh").write_text("docker pull example/app:1\ndocker pull example/db:2\n")
        lines = body.split("\n")
        text = (
            ends.join(lines)
            if ends
            else "".join(line + ("\r", "\r\n", "\n")[n % 3] for n, line in enumerate(lines))
        )
        (root / "docs" / "notes.md").write_bytes(text.encode())
        code, out, err = run("audit", str(root), "--pull-script", "pull.sh", "--format", "json")
        assert (code, err) == (0, "")
        reports.append(json.loads(out))
    for report in reports:
        images = {image["name"]: image for image in report["images"]}
        assert [(e["line"], e["kind"]) for e in images["app"]["evidence"]] == [(5, "heading")]
        assert [(e["line"], e["kind"]) for e in images["db"]["evidence"]] == [(7, "reference")]
        assert [(p["port"], p["line"]) for p in images["db"]["ports"]] == [(8080, 7)]
    assert reports[1] == reports[0] and reports[2] == reports[0]


def test_decode_makes_line_ends_newlines_only_where_a_carriage_return_is_lone() -> None:
    assert decode(b"# a\rb\r\nc\n\r") == ("# a\nb\nc\n\n", False)
    assert decode(b"\xff\r") == ("\ufffd\n", True)
    assert decode(b"# a\r\nb\r\n") == ("# a\r\nb\r\n", False)  # Windows line ends are kept
    assert decode(b"\xff\xfe" + "a\rb".encode("utf-16-le")) == ("a\nb", False)
