"""The three renderings of one hand-built report, compared with golden files.

Regenerate the goldens with `UPDATE_GOLDEN=1 pytest tests/test_render.py`, then
read the diff: the goldens are the review copy of every rendering.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest

from goldenfiles import assert_golden
from image_docs_audit.model import (
    Depth,
    Diagnostic,
    Evidence,
    Group,
    Image,
    ImageRef,
    ImageResult,
    Kind,
    Location,
    Report,
    Status,
    Summary,
)
from image_docs_audit.render import (
    Links,
    render_json,
    render_markdown,
    render_text,
    report_to_dict,
)
from image_docs_audit.render.escape import md_cell, md_url, pad, plain, width

GOLDEN = Path(__file__).parent / "golden"
SCRIPT = "scripts/verification/pull-images.sh"


def _image(ref: str, parsed: ImageRef, category: str | None, line: int) -> Image:
    return Image(ref, parsed, category, Location(SCRIPT, line))


def _ref(path: str, tag: str | None = "latest-arm64", domain: str = "docker.io") -> ImageRef:
    return ImageRef(domain, path, tag, None)


def _result(
    image: Image,
    status: Status,
    *evidence: Evidence,
    reason: str | None = None,
    depth: Depth | None = None,
) -> ImageResult:
    return ImageResult(image, status, evidence, reason, depth)


BASE = "Base Images"
CORE = "Phase 2: Core Services"
PAY = "Phase 3: Payments"

IMAGES = (
    _result(
        _image(
            "example/app-base:python-distroless-arm64",
            _ref("example/app-base", "python-distroless-arm64"),
            BASE,
            4,
        ),
        Status.DOCUMENTED,
        Evidence("docs/app-base-build.md", 0, Kind.FILENAME),
        Evidence("docs/app-base-build.md", 1, Kind.TITLE),
        Evidence("docs/deploy.md", 12, Kind.REFERENCE, "example/app-base:java-distroless-arm64"),
        depth=Depth.DEDICATED,
    ),
    _result(
        _image("redis:7-alpine", _ref("library/redis", "7-alpine"), BASE, 5),
        Status.MENTIONED,
        Evidence("docs/deploy.md", 40, Kind.CODE),
        Evidence("docs/notes.md", 9, Kind.BODY),
    ),
    _result(
        _image("example/app-api-gateway:latest-arm64", _ref("example/app-api-gateway"), CORE, 8),
        Status.DOCUMENTED,
        Evidence("docs/notes.md", 5, Kind.BODY),
        Evidence("docs/step04-api-gateway-smoke-test.md", 12, Kind.TABLE),
        Evidence("docs/services.md", 3, Kind.LIST),
        depth=Depth.SECTION,
    ),
    _result(
        _image("example/app-auth:latest-arm64", _ref("example/app-auth"), CORE, 9),
        Status.MISSING,
    ),
    _result(
        _image(
            "ghcr.io/example/app-legacy:1.0", _ref("example/app-legacy", "1.0", "ghcr.io"), CORE, 10
        ),
        Status.IGNORED,
        reason="retired in phase 3, see issue 12",
    ),
    _result(
        _image("example/payment-router:2.1", _ref("example/payment-router", "2.1"), PAY, 13),
        Status.DOCUMENTED,
        Evidence("docs/PAYMENT_ROUTER_BUILD_PROTOCOL.md", 1, Kind.HEADING),
        depth=Depth.SECTION,
    ),
    _result(
        _image("example/app-ledger:latest-arm64", _ref("example/app-ledger"), PAY, 14),
        Status.DOCUMENTED,
        Evidence("docs/composite report.md", 27, Kind.REFERENCE),
        depth=Depth.SECTION,
    ),
    _result(
        _image("example/app-payments:latest-arm64", _ref("example/app-payments"), PAY, 15),
        Status.MISSING,
    ),
    _result(
        _image(
            "localhost:5000/tools/debug:dev", _ref("tools/debug", "dev", "localhost:5000"), None, 20
        ),
        Status.MISSING,
    ),
)

REPORT = Report(
    summary=Summary(
        total=9, documented=4, mentioned=1, missing=3, ignored=1, coverage=50.0, dedicated=1
    ),
    groups=(
        Group(2, 1, 1, 0, 0, 50.0, 1, name=BASE),
        Group(3, 1, 0, 1, 1, 50.0, name=CORE),
        Group(3, 2, 0, 1, 0, 200 / 3, name=PAY),
        Group(1, 0, 0, 1, 0, 0.0, name="Uncategorized"),
    ),
    images=IMAGES,
    index_docs=("docs/CONTAINER_AUDIT.md",),
    docs=(
        "docs/CONTAINER_AUDIT.md",
        "docs/PAYMENT_ROUTER_BUILD_PROTOCOL.md",
        "docs/app-base-build.md",
        "docs/composite report.md",
        "docs/deploy.md",
        "docs/notes.md",
        "docs/services.md",
        "docs/step04-api-gateway-smoke-test.md",
    ),
    scripts=(SCRIPT,),
    warnings=(
        Diagnostic(Location(SCRIPT, 22), "unquoted variable $EXTRA_IMAGES: skipped"),
        Diagnostic(
            Location("docs/notes.md", 0), "not valid UTF-8; undecodable bytes were replaced"
        ),
        Diagnostic(None, "docs/missing-dir: not found"),
    ),
    detected_prefix="app-",
)

EMPTY = Report(
    summary=Summary(0, 0, 0, 0, 0, 100.0),
    groups=(),
    images=(),
    index_docs=(),
    docs=(),
    scripts=(SCRIPT,),
)

RENDERERS = {"report.txt": render_text, "report.md": render_markdown, "report.json": render_json}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_matches_golden(name: str) -> None:
    assert_golden(name, RENDERERS[name](REPORT))


def test_json_keys_are_the_contract() -> None:
    data = report_to_dict(REPORT)
    assert list(data) == [
        "schema_version",
        "summary",
        "groups",
        "images",
        "index_docs",
        "warnings",
        "docs",
        "scripts",
        "count_mentioned",
        "detected_prefix",
        "require",
        "orphan_docs",
        "drift",
        "port_conflicts",
        "generated_docs",
    ]
    counts = [
        "total",
        "documented",
        "mentioned",
        "missing",
        "ignored",
        "coverage",
        "dedicated",
        "dedicated_coverage",
    ]
    assert data["schema_version"] == 1
    assert list(_obj(data["summary"])) == counts
    assert [list(group) for group in _objs(data["groups"])] == [["name", *counts]] * 4
    images = _objs(data["images"])
    assert {tuple(image) for image in images} == {
        (
            "ref",
            "canonical",
            "name",
            "category",
            "status",
            "depth",
            "reason",
            "source",
            "sources",
            "evidence",
            "ports",
            "completeness",
            "missing_sections",
            "alias_suggestions",
        )
    }
    assert images[0]["source"] == {"path": SCRIPT, "line": 4}
    assert images[0]["sources"] == [{"path": SCRIPT, "line": 4, "kind": "pull-script"}]
    assert images[0]["evidence"] == [
        {"path": "docs/app-base-build.md", "line": 0, "kind": "filename"},
        {"path": "docs/app-base-build.md", "line": 1, "kind": "title"},
        {
            "path": "docs/deploy.md",
            "line": 12,
            "kind": "reference",
            "other_tag": "example/app-base:java-distroless-arm64",
        },
    ]
    assert [image["depth"] for image in images] == [
        "dedicated",
        None,
        "section",
        None,
        None,
        "section",
        "section",
        None,
        None,
    ]
    assert [image["status"] for image in images].count("ignored") == 1
    assert images[4]["reason"] == "retired in phase 3, see issue 12"
    assert images[-1]["category"] is None
    assert data["warnings"] == [
        {"path": SCRIPT, "line": 22, "message": "unquoted variable $EXTRA_IMAGES: skipped"},
        {
            "path": "docs/notes.md",
            "line": 0,
            "message": "not valid UTF-8; undecodable bytes were replaced",
        },
        {"path": None, "line": None, "message": "docs/missing-dir: not found"},
    ]
    assert data["index_docs"] == ["docs/CONTAINER_AUDIT.md"]
    assert data["count_mentioned"] is False
    assert (data["detected_prefix"], data["require"]) == ("app-", "section")
    assert (_obj(data["summary"])["dedicated"], _obj(data["summary"])["dedicated_coverage"]) == (
        1,
        12.5,
    )


def _obj(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    return value


def _objs(value: object) -> list[dict[str, object]]:
    assert isinstance(value, list)
    return [_obj(item) for item in value]


def test_json_rounds_coverage_and_round_trips() -> None:
    data = json.loads(render_json(REPORT))
    assert data == report_to_dict(REPORT)
    assert data["groups"][2]["coverage"] == 66.7


def test_same_totals_in_every_format() -> None:
    summary = json.loads(render_json(REPORT))["summary"]
    text = re.fullmatch(
        r"coverage (?P<coverage>[\d.]+)% \(dedicated docs: (?P<dedicated_coverage>[\d.]+)%; "
        r"documented (?P<documented>\d+) of (?P<counted>\d+) "
        r"counted, mentioned (?P<mentioned>\d+), missing (?P<missing>\d+); "
        r"(?P<total>\d+) images, (?P<ignored>\d+) ignored\)",
        render_text(REPORT).splitlines()[0],
    )
    markdown = render_markdown(REPORT)
    headline = re.search(
        r"\*\*Coverage (?P<coverage>[\d.]+)%\*\* "
        r"\(dedicated docs: (?P<dedicated_coverage>[\d.]+)%\): documented (?P<documented>\d+) "
        r"of (?P<counted>\d+) counted images; missing (?P<missing>\d+), "
        r"mentioned only (?P<mentioned>\d+) \((?P<total>\d+) images listed, "
        r"(?P<ignored>\d+) ignored\)\.",
        markdown,
    )
    table = re.search(
        r"^\| \*\*All categories\*\* \| (?P<total>\d+) \| (?P<documented>\d+) \| "
        r"(?P<mentioned>\d+) \| (?P<missing>\d+) \| (?P<ignored>\d+) \| (?P<coverage>[\d.]+)% \| "
        r"(?P<dedicated_coverage>[\d.]+)% \|$",
        markdown,
        re.MULTILINE,
    )
    assert text and headline and table
    counted = summary["total"] - summary["ignored"]
    del summary["dedicated"]  # stated as a share: dedicated_coverage
    for found in (text, headline, table):
        values = {key: float(value) for key, value in found.groupdict().items()}
        assert values.pop("counted", counted) == counted
        assert values == summary


def test_empty_report_renders_what_the_summary_says() -> None:
    assert render_text(EMPTY) == (
        "coverage 100.0% (dedicated docs: 100.0%; documented 0 of 0 counted, mentioned 0, "
        "missing 0; 0 images, 0 ignored)\n"
        "no images in the inventory\n"
    )
    markdown = render_markdown(EMPTY)
    assert (
        "**Coverage 100.0%** (dedicated docs: 100.0%): documented 0 of 0 counted images; missing 0,"
        in markdown
    )
    assert "| **All categories** | 0 | 0 | 0 | 0 | 0 | 100.0% | 100.0% |\n" in markdown
    for line in (
        "No image is missing documentation.",
        "No image is documented yet.",
        "No image is only mentioned.",
        "No image is ignored.",
        "None: no doc mentions most of the inventory.",
        "None.",
    ):
        assert f"\n{line}\n" in markdown
    assert markdown.endswith("## Warnings\n\nNone.\n")
    data = report_to_dict(EMPTY)
    assert data["summary"] == {
        "total": 0,
        "documented": 0,
        "mentioned": 0,
        "missing": 0,
        "ignored": 0,
        "coverage": 100.0,
        "dedicated": 0,
        "dedicated_coverage": 100.0,
    }
    assert data["images"] == data["groups"] == data["warnings"] == []


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("app-api-gateway", "app-api-gateway"),
        ("</details><script>alert(1)</script>", r"\</details\>\<script\>alert(1)\</script\>"),
        ("@octocat", "@&#8203;octocat"),
        ("ping @octocat and (@org/team)", "ping @&#8203;octocat and (@&#8203;org/team)"),
        ("redis@sha256:abc", "redis@sha256:abc"),  # not a mention: a word character precedes
        ("&#64;octocat", r"\&#&#8203;64;octocat"),  # an entity would render as a live `@`
        ("a|b", r"a\|b"),
        ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
        ("![img](http://x/y.png)", r"!\[img\](http&#8203;://x/y.png)"),
        ("C:\\path", "C:\\\\path"),
        ("*bold* _em_ `code` ~~gone~~ $x$", r"\*bold\* \_em\_ \`code\` \~\~gone\~\~ \$x\$"),
        ("# heading", r"\# heading"),
        ("  # indented", r"  \# indented"),
        # GitHub links issue references and bare web addresses: a zero-width space breaks them.
        ("issue #12", "issue #&#8203;12"),
        ("see GH-1 and gh-2", "see GH-&#8203;1 and gh-&#8203;2"),
        ("owner/repo#3", "owner/repo#&#8203;3"),
        ("www.example.com/team/app:1.0", "www&#8203;.example.com/team/app:1.0"),
        ("https://evil.example", "https&#8203;://evil.example"),
        ("C#, not an issue", "C#, not an issue"),
        # GitHub links e-mail addresses too; a digest (no dot after the `@`) is no address.
        ("ops@example.com", "ops@&#8203;example.com"),
        ("first_last+ci@my_host.example", r"first\_last+ci@&#8203;my\_host.example"),
        ("team@sha256:abc.def", "team@sha256:abc.def"),
        ("one\ntwo\r\nthree\rfour", "one two three four"),
        ("<!-- comment -->", r"\<!-- comment --\>"),
        ("tab\there \x1b[2J", r"tab here \\x1b\[2J"),
    ],
)
def test_md_cell(text: str, escaped: str) -> None:
    assert md_cell(text) == escaped


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("docs/step04-api-gateway-smoke-test.md", "docs/step04-api-gateway-smoke-test.md"),
        ("docs/composite report.md", "docs/composite%20report.md"),
        ("docs/a (b).md", "docs/a%20%28b%29.md"),
        ("docs/<x>.md", "docs/%3Cx%3E.md"),
        ("javascript:alert(1)", "javascript%3Aalert%281%29"),
        ("docs/a#b.md", "docs/a%23b.md"),
        ("docs/a\n.md", "docs/a%0A.md"),
        ("docs/ü.md", "docs/%C3%BC.md"),
    ],
)
def test_md_url(path: str, target: str) -> None:
    assert md_url(path) == target


HOSTILE_CATEGORY = "</details><script>alert(1)</script>"
HOSTILE = Report(
    summary=Summary(2, 1, 0, 1, 0, 50.0),
    groups=(Group(2, 1, 0, 1, 0, 50.0, name=HOSTILE_CATEGORY),),
    images=(
        _result(
            Image(
                "@octocat|x:1\n# owned",
                _ref("@octocat|x", "1"),
                HOSTILE_CATEGORY,
                Location("scripts/pull (1).sh", 3),
            ),
            Status.MISSING,
        ),
        _result(
            Image(
                "[x](javascript:alert(1))",
                _ref("[x](javascript:alert(1))", None),
                HOSTILE_CATEGORY,
                Location("scripts/pull (1).sh", 4),
            ),
            Status.DOCUMENTED,
            Evidence("docs/<img src=x>.md", 2, Kind.HEADING),
            Evidence("docs/<img src=x>.md", 3, Kind.REFERENCE, "@octocat|x:1"),
            depth=Depth.SECTION,
        ),
    ),
    index_docs=(),
    docs=("docs/<img src=x>.md",),
    scripts=("scripts/pull (1).sh",),
    warnings=(Diagnostic(Location("docs/x.md", 1), "cc @admins: \x1b[31mred\x1b[0m"),),
)


BLOB = "https://github.com/o/r/blob/abc123/"


def test_markdown_renders_hostile_names_inert() -> None:
    markdown = render_markdown(HOSTILE, Links("https://github.com/o/r", "abc123"))
    assert (
        r"| @&#8203;octocat\|x:1 # owned | "
        rf"[scripts/pull (1).sh:3]({BLOB}scripts/pull%20%281%29.sh#L3) |"
    ) in markdown
    assert (
        r"| \[x\](javascript:alert(1)) | section | — | "
        rf"[docs/\<img src=x\>.md:2]({BLOB}docs/%3Cimg%20src%3Dx%3E.md#L2) (heading), "
        rf"[docs/\<img src=x\>.md:3]({BLOB}docs/%3Cimg%20src%3Dx%3E.md#L3) "
        r"(reference of @&#8203;octocat\|x:1) |"
    ) in markdown
    assert r"### \</details\>\<script\>alert(1)\</script\>" in markdown
    warning = r"cc @&#8203;admins: \\x1b\[31mred\\x1b\[0m"
    assert f"- [docs/x.md:1]({BLOB}docs/x.md#L1): {warning}" in markdown
    assert "\x1b" not in markdown
    assert re.search(r"(?<!\\)[<>]", markdown) is None  # no raw HTML at all
    assert re.search(r"(?<![A-Za-z0-9_])@(?!&#8203;)", markdown) is None
    assert "\n# owned" not in markdown


def test_text_renders_control_characters_visible() -> None:
    text = render_text(HOSTILE)
    assert "\x1b" not in text
    assert r"warning: docs/x.md:1: cc @admins: \x1b[31mred\x1b[0m" in text
    assert "  missing     @octocat|x:1 # owned      scripts/pull (1).sh:3  -\n" in text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain", "plain"),
        ("a\nb\tc", "a b c"),
        ("\x1b[2J", r"\x1b[2J"),
        ("abc\u202edcba", r"abc\u202edcba"),
        ("\x00", r"\x00"),
        ("Größe", "Größe"),
        # Characters that show nothing: two paths would look alike.
        ("docs/a\u200bpp.md", r"docs/a\u200bpp.md"),
        ("x\u00ady\ufeff\u3164\U000e0041", r"x\xady\ufeff\u3164\U000e0041"),
        ("\U0001f468\u200d\U0001f4bb", "\U0001f468\u200d\U0001f4bb"),  # an emoji's joiner stays
    ],
)
def test_plain(text: str, shown: str) -> None:
    assert plain(text) == shown


def test_columns_are_padded_by_display_width() -> None:
    assert width("镜像") == 4
    assert width("e\u0301") == 1
    assert pad("镜像", 6) == "镜像  "
    assert pad("toolong", 3) == "toolong"


def test_text_columns_line_up_with_wide_names() -> None:
    wide = Report(
        summary=Summary(2, 0, 0, 2, 0, 0.0),
        groups=(),
        images=(
            _result(_image("镜像/app:1", _ref("镜像/app", "1"), None, 1), Status.MISSING),
            _result(_image("x:1", _ref("library/x", "1"), None, 2), Status.MISSING),
        ),
        index_docs=(),
        docs=(),
        scripts=(SCRIPT,),
    )
    lines = render_text(wide).splitlines()
    assert lines[2:] == [
        "  STATUS   IMAGE       SOURCE                                 EVIDENCE",
        "Uncategorized",
        "  missing  镜像/app:1  scripts/verification/pull-images.sh:1  -",
        "  missing  x:1         scripts/verification/pull-images.sh:2  -",
    ]


def test_count_mentioned_is_stated() -> None:
    counted = Report(**{**REPORT.__dict__, "count_mentioned": True})
    markdown = render_markdown(counted)
    assert "counts images that are only mentioned (in body text or code) as documented" in markdown
    assert "which does not count as documentation" not in markdown
    assert report_to_dict(counted)["count_mentioned"] is True


def test_templates_ship_as_package_data() -> None:
    templates = files("image_docs_audit") / "render" / "templates"
    assert {p.name for p in templates.iterdir() if p.name.endswith(".j2")} == {
        "index.md.j2",
        "report.md.j2",
        "report.txt.j2",
        "outcome.md.j2",
        "outcome.txt.j2",
    }


def test_every_public_renderer_comes_from_its_module() -> None:
    """`render` imports a renderer's module when the name is first used; each public name
    is the one its module defines, and an unknown name is an AttributeError."""
    import importlib  # noqa: PLC0415

    package = importlib.import_module("image_docs_audit.render")
    homes = {"check", "data", "links", "markdown", "sarif", "text"}
    for name in package.__all__:
        value = getattr(package, name)
        assert any(
            getattr(importlib.import_module(f"image_docs_audit.render.{home}"), name, None) is value
            for home in homes
        ), name
    with pytest.raises(AttributeError, match="no attribute 'render_pdf'"):
        package.render_pdf  # noqa: B018
