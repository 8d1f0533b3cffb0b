"""The docs scan: which images a doc names, on which line, in what kind of place."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.config import AuditSettings
from image_docs_audit.docs import scan as scan_module
from image_docs_audit.docs.blocks import LineKinds
from image_docs_audit.docs.read import decode, decode_split, is_binary
from image_docs_audit.docs.scan import HITS_PER_DOC, scan_doc
from image_docs_audit.docs.terms import Matcher, build_terms
from image_docs_audit.docs.words import fold
from image_docs_audit.inventory import read_inventory
from image_docs_audit.model import Hit, Image, Kind
from test_facts import audit, project

SCRIPT = b"""IMAGES=(
  example/app-api-gateway:latest-arm64
  example/app-base:python-distroless-arm64
  example/app-base:java-distroless-arm64
  redis:7
  redis-exporter:1
  ghcr.io/team/app-payment-router:2
)
"""
GATEWAY = "docker.io/example/app-api-gateway:latest-arm64"
PYTHON_BASE = "docker.io/example/app-base:python-distroless-arm64"
JAVA_BASE = "docker.io/example/app-base:java-distroless-arm64"
REDIS = "docker.io/library/redis:7"
EXPORTER = "docker.io/library/redis-exporter:1"
ROUTER = "ghcr.io/team/app-payment-router:2"


def images() -> tuple[Image, ...]:
    return read_inventory([("pull.sh", SCRIPT)]).images


def hits(path: str, text: str, **settings: object) -> list[tuple[str, int, str]]:
    """(image, line, kind) of every hit; `+ tag` after the kind for another tag's evidence."""
    matcher = Matcher(build_terms(images(), AuditSettings(**settings)))  # type: ignore[arg-type]
    scan = scan_doc(path, text, matcher)
    return sorted(
        (hit.image, hit.line, hit.kind.value + (f" + {hit.other_tag}" if hit.other_tag else ""))
        for hit in scan.hits
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# app-api-gateway\n", [(GATEWAY, 1, "title")]),
        ("App API Gateway\n===============\n", [(GATEWAY, 1, "title")]),
        ("# Report\n\n## app-api-gateway\n", [(GATEWAY, 3, "heading")]),
        ("---\ntitle: app-api-gateway build\n---\n# Other\n", [(GATEWAY, 2, "title")]),
        ("---\ntitle: Build\n---\n# app-api-gateway\n", [(GATEWAY, 4, "heading")]),
        # A title's value may go on below its key (a YAML block scalar, a folded plain one):
        # its lines are the title.
        ("---\ntitle: >-\n  The app-api-gateway\n  build\n---\n", [(GATEWAY, 3, "title")]),
        ("---\ntitle: |\n  Build of\n\n  app-api-gateway\n---\n", [(GATEWAY, 5, "title")]),
        ("---\ntitle:\n  app-api-gateway build\n---\n", [(GATEWAY, 3, "title")]),
        ("---\ntitle: Build of\n  app-api-gateway\n---\n", [(GATEWAY, 3, "title")]),
        # ... up to the next key; a nested mapping holds no title of its own.
        ("---\ntitle: >-\n  Build\nnote: app-api-gateway\n---\n", [(GATEWAY, 4, "body")]),
        ("---\ntitle:\n  en: app-api-gateway\n---\n# Other\n", [(GATEWAY, 3, "body")]),
        ("| image | port |\n|---|---|\n| app-api-gateway | 8080 |\n", [(GATEWAY, 3, "table")]),
        ("- app-api-gateway: rebuilt\n", [(GATEWAY, 1, "list")]),
        ("1. first\n2. the app_api_gateway\n", [(GATEWAY, 2, "list")]),
        ("We did not rebuild app-api-gateway.\n", [(GATEWAY, 1, "body")]),
        ("```\ncurl app-api-gateway:8080\n```\n", [(GATEWAY, 2, "code")]),
        ("- item\n\n  ```\n  app-api-gateway\n  ```\n", [(GATEWAY, 4, "code")]),
        ("Run `example/app-api-gateway:latest-arm64` now.\n", [(GATEWAY, 1, "reference")]),
        # A full reference in a code block is code (a build argument, a pull command)...
        (
            "```\ndocker pull docker.io/example/app-api-gateway:latest-arm64\n```\n",
            [(GATEWAY, 2, "code")],
        ),
        (
            "Pull it:\n\n    docker pull example/app-api-gateway:latest-arm64\n",
            [(GATEWAY, 3, "code")],
        ),
        # ... and in the title it is the title: the doc is about that image.
        ("# example/app-api-gateway:latest-arm64\n", [(GATEWAY, 1, "title")]),
        ("| example/app-api-gateway:latest-arm64 | x |\n|---|---|\n", [(GATEWAY, 1, "reference")]),
        # A name with a bare version in a list item is the tool at that version; a tag's
        # other words or a port after it are not a version.
        ("- Redis 7.2 or later\n", [(REDIS, 1, "body")]),
        ("- redis >= 7\n", [(REDIS, 1, "body")]),
        ("- redis 7-alpine\n", [(REDIS, 1, "list")]),
        ("- redis 6379\n", [(REDIS, 1, "list")]),
        ("## Redis 7\n", [(REDIS, 1, "heading")]),
    ],
)
def test_kind_of_place(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert hits("docs/report.md", text) == expected


def test_word_boundaries_and_longest_match() -> None:
    text = "redis-exporter is not redis.\nmy-app-api-gatewayx and xapp-api-gateway are not it.\n"
    assert hits("docs/r.md", text) == [(EXPORTER, 1, "body"), (REDIS, 1, "body")]
    # In prose a hyphen or underscore joins words: these name other images.
    text = "app-api-gateway-v2, my_redis and redis-cluster are others; app-api-gateway's is it\n"
    assert hits("docs/r.md", text) == [(GATEWAY, 1, "body")]
    # Spaces fold to hyphens: "App API Gateway" names app-api-gateway.
    assert hits("docs/r.md", "## The App API Gateway\n") == [(GATEWAY, 1, "heading")]


def test_full_reference_counts_for_the_other_tags_marked_as_such() -> None:
    text = "Built example/app-base:java-distroless-arm64 today.\n## app-base\n"
    assert hits("docs/r.md", text) == [
        (JAVA_BASE, 1, "reference"),
        (JAVA_BASE, 2, "heading"),
        (PYTHON_BASE, 1, "reference + example/app-base:java-distroless-arm64"),
        (PYTHON_BASE, 2, "heading"),
    ]
    # In code it is code for every tag; a line naming both tags names each one itself.
    text = (
        "```\nFROM example/app-base:java-distroless-arm64\n```\n"
        "Both example/app-base:java-distroless-arm64 and example/app-base:python-distroless-arm64\n"
    )
    assert hits("docs/r.md", text) == [
        (JAVA_BASE, 2, "code"),
        (JAVA_BASE, 4, "reference"),
        (PYTHON_BASE, 2, "code + example/app-base:java-distroless-arm64"),
        (PYTHON_BASE, 4, "reference"),
    ]


def test_file_name_with_stripped_prefix_and_underscores() -> None:
    assert hits("docs/step04-api-gateway-smoke-test.md", "", strip_prefix=("app-",)) == [
        (GATEWAY, 0, "filename")
    ]
    assert hits("docs/PAYMENT_ROUTER_BUILD_PROTOCOL.md", "", strip_prefix=("app-",)) == [
        (ROUTER, 0, "filename")
    ]
    # The stripped name counts in file names only: `base` in prose documents nothing.
    assert hits("docs/notes.md", "# Base images\n", strip_prefix=("app-",)) == []
    # `app-` is also the detected project prefix; an empty list turns detection off.
    assert hits("docs/step04-api-gateway-smoke-test.md", "") == [(GATEWAY, 0, "filename")]
    assert hits("docs/step04-api-gateway-smoke-test.md", "", strip_prefix=()) == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # CamelCase words joined with `-` spell the name, as a file name spelled so would.
        ("docs/services/AppApiGateway.md", [(GATEWAY, 0, "filename")]),
        ("docs/ApiGatewayBuildReport.md", [(GATEWAY, 0, "filename")]),
        ("docs/Step04ApiGateway.md", [(GATEWAY, 0, "filename")]),
        ("docs/APIGateway.md", [(GATEWAY, 0, "filename")]),
        ("docs/APPApiGateway.md", [(GATEWAY, 0, "filename")]),
        ("docs/wiki/PaymentRouter/Build.md", [(ROUTER, 0, "filename")]),
        ("docs/RedisExporter.md", [(EXPORTER, 0, "filename")]),
        ("docs/App-Api-Gateway.md", [(GATEWAY, 0, "filename")]),
        ("docs/Redis.md", [(REDIS, 0, "filename")]),
        # One CamelCase word alone is part of a compound, not a name.
        ("docs/RedisCluster.md", []),
        ("docs/MyRedis.md", []),
        ("docs/BaseImages.md", []),
        ("docs/GatewayTimeouts.md", []),
        # No word starts inside an acronym nor at a digit: `APIs`, `Redis7`.
        ("docs/AppAPIs.md", []),
        ("docs/Redis7.md", []),
        ("docs/apiGateway.md", [(GATEWAY, 0, "filename")]),
    ],
)
def test_camel_case_file_names(path: str, expected: list[tuple[str, int, str]]) -> None:
    assert hits(path, "") == expected


def test_a_file_name_that_names_an_image_as_spelled_is_not_read_as_camel_case() -> None:
    # `redis-Exporter` names redis as spelled; its CamelCase words are not read then.
    assert hits("docs/redis-ExporterNotes.md", "") == [(REDIS, 0, "filename")]
    assert hits("docs/redis-exporter-Notes.md", "") == [(EXPORTER, 0, "filename")]


def test_a_wiki_of_camel_case_pages(tmp_path: Path) -> None:
    images = [f"ghcr.io/acme/acme-{name}:1.0" for name in ("api", "web", "worker")]
    docs = {
        "docs/services/AcmeApi.md": "# AcmeApi\n\nThe acme-api service.\n",
        "docs/services/AcmeWebGuide.md": "# Guide\n",
        "docs/services/AcmeBilling.md": "# Billing\n",  # an image the inventory lacks
        "docs/services/worker.md": "# Worker\n",
    }
    _, data = audit(project(tmp_path, images, docs))
    found = {
        image["name"]: (
            image["status"],
            image["depth"],
            [(e["path"], e["line"], e["kind"]) for e in image["evidence"]],
        )
        for image in data["images"]
    }
    assert found == {
        "acme-api": (
            "documented",
            "dedicated",
            [("docs/services/AcmeApi.md", 0, "filename"), ("docs/services/AcmeApi.md", 3, "body")],
        ),
        "acme-web": ("documented", "dedicated", [("docs/services/AcmeWebGuide.md", 0, "filename")]),
        "acme-worker": ("documented", "dedicated", [("docs/services/worker.md", 0, "filename")]),
    }
    assert data["orphan_docs"] == [
        {
            "path": "docs/services/AcmeBilling.md",
            "line": 0,
            "kind": "unknown_image",
            "name": "acme-billing",
        }
    ]


def test_aliases_count_like_names() -> None:
    aliases = (("app-api-gateway", ("edge router",)),)
    assert hits("docs/r.md", "## The Edge Router\n", aliases=aliases) == [(GATEWAY, 1, "heading")]


def test_doc_without_a_match_is_not_parsed_and_has_no_hits() -> None:
    assert hits("docs/r.md", "# Nothing here\n" * 1000) == []


@pytest.mark.parametrize(
    ("data", "text", "replaced"),
    [
        (b"plain", "plain", False),
        (b"\xef\xbb\xbfbom", "bom", False),
        ("utf16".encode("utf-16"), "utf16", False),
        ("utf16be".encode("utf-16-be").join([b"\xfe\xff", b""]), "utf16be", False),
        (b"caf\xe9", "caf\ufffd", True),
        (b"\xff\xfe\x00", "\ufffd", True),
    ],
)
def test_decode_never_fails(data: bytes, text: str, replaced: bool) -> None:
    assert decode(data) == (text, replaced)


_PIECES = st.sampled_from(
    [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\r", b"\n", b"\r\n", b"Port", b"\xe9",
     "\u00e9\U0001f680".encode(), b"\xff", b"A", b"\x00", "\r\n".encode("utf-16-le")]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=12).map(b"".join))
def test_a_split_text_holds_the_bytes_only_where_they_encode_its_text(data: bytes) -> None:
    """`decode_split` keeps the bytes read only where they are the text's UTF-8 encoding:
    the lowered bytes it gives are those of the text, whatever the file held."""
    split, replaced = decode_split(data)
    assert (split.text, replaced) == decode(data)
    assert split.ascii_lowered() == split.text.encode("utf-8", "surrogatepass").lower()
    assert split.lines() == split.text.split("\n")
    for char in "\r\x00\n":
        assert split.holds(char) == (char in split.text)
    if data.isascii() and b"\r" not in data:
        assert split._data is data  # kept: not encoded again


def test_binary_detection() -> None:
    assert is_binary(b"\x89PNG\r\n\x1a\n\0\0")
    assert not is_binary("text".encode("utf-16"))
    assert not is_binary(b"just text")


def test_kinds_are_strong_or_weak() -> None:
    strong = {kind.value for kind in Kind if kind.strong}
    assert strong == {"filename", "title", "heading", "table", "list", "reference", "config"}


_PIECES = st.sampled_from(["`", "|", "\\|", " ", "gateway", "service", "x", "*", "-", "é"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=16).map("".join))
def test_what_a_line_gives_its_matches_is_what_reading_it_for_each_gave(text: str) -> None:
    """Backticks around an offset, the cell holding it and the words of the line and of
    each cell, as `_Doc` keeps them per line, against the line read again each time."""
    doc = scan_module._Doc([text], LineKinds())
    spans = scan_module._cell_spans(text)

    def words(part: str) -> list[str]:
        return [w for w in fold(scan_module._MARKUP.sub(" ", part)).split("-") if w]

    for offset in range(len(text) + 1):
        between = text.count("`", 0, offset) % 2 == 1 and "`" in text[offset:]
        assert doc.in_code_span(1, offset) == between
        held = next((i for i, (start, end) in enumerate(spans) if start <= offset < end), None)
        assert doc.column(1, offset) == held
    for cell, part in [(scan_module._WHOLE_LINE, text), *enumerate(text[a:b] for a, b in spans)]:
        found = words(part)
        assert doc.few_words(1, cell) == (found if len(found) <= 2 else None)


def test_a_line_of_tens_of_thousands_of_mentions_is_read_once() -> None:
    """A heading, a table row and a line of code spans, each naming a one-word image as
    many times as a doc's hits may be (`HITS_PER_DOC`): each mention's place is judged
    from what its line gave once (reading the line again for each took minutes); the
    bound allows for a slow machine."""
    inventory = read_inventory([("pull.sh", b"IMAGES=(\n  example/gateway:1\n)\n")]).images
    matcher = Matcher(build_terms(inventory, AuditSettings()))
    count = HITS_PER_DOC - 10
    texts = [
        "# Report\n\n## " + "gateway " * count + "\n",
        "# Report\n\n| Name | Port |\n|---|---|\n" + "| gateway " * count + "|\n",
        "# Report\n\nrun `gateway` " + "`gateway` " * count + "\n",
    ]
    started = time.perf_counter()
    scans = [scan_doc("docs/report.md", text, matcher) for text in texts]
    assert time.perf_counter() - started < 60
    by_line: dict[int, list[Hit]] = {}
    for number, scan in enumerate(scans):
        for hit in scan.hits:
            by_line.setdefault(number * 10 + hit.line, []).append(hit)
    assert sorted(by_line) == [3, 15, 23]
    heading, row, code = by_line[3], by_line[15], by_line[23]
    assert {(hit.kind, hit.subject) for hit in heading} == {(Kind.HEADING, False)}
    # The first cell is the row's subject (under `Name`), the others only mention it.
    assert {(hit.kind, hit.subject) for hit in row} == {(Kind.TABLE, True), (Kind.BODY, False)}
    assert {(hit.kind, hit.subject) for hit in code} == {(Kind.BODY, True)}


def test_the_words_after_a_name_are_read_in_linear_time() -> None:
    """What follows a name (a role word, a version) is read at the name, a few characters
    at most: a line of a kind word and its role word, or of a name and its version, as
    many times as a doc's hits may be, and a name before a line of blanks, are read in
    linear time; the bound allows for a slow machine."""
    script = b"IMAGES=(\n  example/base:1\n  docker:24-dind\n)\n"
    matcher = Matcher(build_terms(read_inventory([("pull.sh", script)]).images, AuditSettings()))
    count = (HITS_PER_DOC - 10) // 2
    texts = [
        "# Report\n\n## " + "Base image " * count + "\n",
        "# Report\n\n- " + "Docker 24.0+ " * count + "\n",
        "# Report\n\n- docker" + " \t" * 200_000 + ">" + " " * 200_000 + "v\n",
    ]
    started = time.perf_counter()
    scans = [scan_doc("docs/report.md", text, matcher) for text in texts]
    assert time.perf_counter() - started < 60
    kinds = [{(hit.line, hit.kind) for hit in scan.hits} for scan in scans]
    assert kinds == [{(3, Kind.BODY)}, {(3, Kind.BODY)}, {(3, Kind.LIST)}]
