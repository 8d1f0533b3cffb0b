"""Mentions on the lines of HTML blocks: the element holding the mention tells its place.

`<h2>acme-api</h2>` is a heading, `<td>` and `<th>` a table cell, `<li>` and `<dt>` a
list item, `<summary>` the label of a collapsed section (a heading), when the element's
start tag stands on the mention's line. Everything else an HTML block holds is body text:
attributes, comments, other elements, and inline HTML in a paragraph.
"""

from __future__ import annotations

import importlib
import io
import json
import random
import re
import sys
import time
from pathlib import Path

import pytest

from image_docs_audit.cli import main
from image_docs_audit.config import AuditSettings
from image_docs_audit.docs import blocks
from image_docs_audit.docs.blocks import classify, classify_lines, markdown_kinds
from image_docs_audit.docs.scan import text_rows
from image_docs_audit.docs.terms import Matcher, build_terms
from image_docs_audit.inventory.reference import parse_reference
from image_docs_audit.model import Image, Kind, Location

sys.path.insert(0, str(Path(__file__).parent))

from test_blocks import CASES  # the classifier's differential table

Row = tuple[str, int, str]  # path, line, kind

NAMES = [
    "acme-api",
    "acme-worker",
    "acme-web",
    "acme-db",
    "acme-cache",
    "acme-queue",
    "acme-auth",
    "acme-mail",
    "acme-log",
    "acme-cron",
    "acme-one",
    "acme-two",
]
# Images no doc names: no doc mentions most of the inventory (an index doc's evidence counts
# for nothing).
FILLER = [f"acme-spare{index}" for index in range(40)]


def _project(root: Path, docs: dict[str, str], names: list[str] = NAMES) -> Path:
    refs = [f"example/{name}:1" for name in (*names, *FILLER)]
    (root / "pull-images.sh").write_text("IMAGES=(\n" + "".join(f"  {r}\n" for r in refs) + ")\n")
    for path, text in docs.items():
        target = root / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def _audit(root: Path) -> dict[str, tuple[str, list[Row]]]:
    """Name -> (status, evidence rows) of the images docs name."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", str(root), "--format", "json"], stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    return {
        image["name"]: (
            image["status"],
            [(e["path"], e["line"], e["kind"]) for e in image["evidence"]],
        )
        for image in json.loads(out.getvalue())["images"]
        if image["evidence"]
    }


def test_an_html_heading_and_table_cell_document_their_images(tmp_path: Path) -> None:
    """The reported case: `<h2>` and `<td>` were body text, the images only mentioned."""
    doc = (
        "---\ntitle: Platform overview\n---\n\n# Platform overview\n\n## acme-api\n\n"
        "Runs things.\n\n<h2>acme-worker</h2>\n\n"
        "<table><tr><td>acme-web</td><td>8080</td></tr></table>\n"
    )
    found = _audit(_project(tmp_path, {"overview.md": doc}))
    assert found == {
        "acme-api": ("documented", [("docs/overview.md", 7, "heading")]),
        "acme-worker": ("documented", [("docs/overview.md", 11, "heading")]),
        "acme-web": ("documented", [("docs/overview.md", 13, "table")]),
    }


ELEMENTS = (
    '<h1 align="center">acme-api</h1>\n'  # 1: the first heading, an HTML one: a heading
    "\n"
    "<details><summary>acme-worker</summary>\n"  # 3: a collapsed section's label
    "\n"
    "Text.\n"
    "\n"
    "</details>\n"
    "\n"
    "<ul>\n"
    "  <li><b>acme-web</b> serves pages</li>\n"  # 10: a list item, markup inside it
    "</ul>\n"
    "\n"
    "<dl><dt>acme-db</dt><dd>acme-cache</dd></dl>\n"  # 13: a term, and its description
    "\n"
    "<table>\n"
    "<tr><th>acme-queue</th></tr>\n"  # 16: a header cell
    '<tr><td align="left"><code>acme-auth</code></td><td>acme-mail</td></tr>\n'  # 17
    "</table>\n"
    "\n"
    "<H3>Notes</H3> acme-log\n"  # 20: after the end tag: body text
    "\n"
    "<blockquote><ul><li><h4>acme-cron</h4></li></ul></blockquote>\n"  # 22: the innermost
    "\n"
    "# acme-one\n"  # 24: the doc's first Markdown H1 is still its title
)


def test_each_element_gives_its_kind(tmp_path: Path) -> None:
    found = _audit(_project(tmp_path, {"elements.md": ELEMENTS}))
    path = "docs/elements.md"
    assert found == {
        "acme-api": ("documented", [(path, 1, "heading")]),
        "acme-worker": ("documented", [(path, 3, "heading")]),
        "acme-web": ("documented", [(path, 10, "list")]),
        "acme-db": ("documented", [(path, 13, "list")]),
        "acme-cache": ("mentioned", [(path, 13, "body")]),
        "acme-queue": ("documented", [(path, 16, "table")]),
        "acme-auth": ("documented", [(path, 17, "table")]),
        "acme-mail": ("documented", [(path, 17, "table")]),
        "acme-log": ("mentioned", [(path, 20, "body")]),
        "acme-cron": ("documented", [(path, 22, "heading")]),
        "acme-one": ("documented", [(path, 24, "title")]),
    }


HIDDEN = (
    "<ul>\n"
    '<li><a href="https://example.com/acme-api">docs</a> <img alt="acme-worker"></li>\n'  # 2
    "</ul>\n"
    "\n"
    '<h2 id="acme-web">Other</h2>\n'  # 5: an attribute of the heading itself
    "\n"
    "<!-- <h2>acme-db</h2> -->\n"  # 7: a comment block
    "\n"
    "<div>\n"
    "<!--\n"
    "<h2>acme-cache</h2>\n"  # 11: in a comment opened on a line before, in a <div> block
    "-->\n"
    "<td><!-- acme-queue --></td>\n"  # 13: a comment in a cell
    "<div>acme-auth</div>\n"  # 14: another element's text
    "</div>\n"
    "\n"
    "Text <b>acme-mail</b> and <h2>acme-log</h2>.\n"  # 17: inline HTML in a paragraph
    "\n"
    "<td>\n"
    "acme-cron\n"  # 20: the start tag is on the line before
    "</td>\n"
    "\n"
    "<pre>\n"
    "<h2>acme-one</h2>\n"  # 24: raw text
    "</pre>\n"
    "\n"
    "<li>acme-two -->\n"  # 27: no comment is open: a list item
)


def test_what_a_reader_does_not_see_as_structure_stays_body(tmp_path: Path) -> None:
    found = _audit(_project(tmp_path, {"hidden.md": HIDDEN}))
    path = "docs/hidden.md"
    body = {
        "acme-api": 2,
        "acme-worker": 2,
        "acme-web": 5,
        "acme-db": 7,
        "acme-cache": 11,
        "acme-queue": 13,
        "acme-auth": 14,
        "acme-mail": 17,
        "acme-log": 17,
        "acme-cron": 20,
        "acme-one": 24,
    }
    assert found == {
        **{name: ("mentioned", [(path, line, "body")]) for name, line in body.items()},
        "acme-two": ("documented", [(path, 27, "list")]),
    }


def test_a_full_reference_in_an_attribute_is_still_body(tmp_path: Path) -> None:
    doc = '<td><a href="https://hub.example.com/example/acme-api:1">x</a></td>\n<td>acme-web</td>\n'
    found = _audit(_project(tmp_path, {"refs.md": doc}))
    assert found == {
        "acme-api": ("mentioned", [("docs/refs.md", 1, "body")]),
        "acme-web": ("documented", [("docs/refs.md", 2, "table")]),
    }


def test_an_ordinary_word_counts_where_the_element_is_its_name(tmp_path: Path) -> None:
    docs = {
        "homelab.md": (
            "# Homelab\n\n"
            "<h2>Gateway timeouts</h2>\n\n"  # 3: a heading about something else
            "<h2>Core service</h2>\n\n"  # 5: the name with a role word
            "<table><tr><td>pilot</td><td>8080</td></tr></table>\n\n"  # 7: the cell is the name
            "<ul><li>registry mirrors</li></ul>\n"  # 9: a word in a list item, as `- registry`
        )
    }
    found = _audit(_project(tmp_path, docs, ["gateway", "core", "pilot", "registry"]))
    path = "docs/homelab.md"
    assert found == {
        "gateway": ("mentioned", [(path, 3, "body")]),
        "core": ("documented", [(path, 5, "heading")]),
        "pilot": ("documented", [(path, 7, "table")]),
        "registry": ("mentioned", [(path, 9, "body")]),
    }


CODE_SAMPLES = (
    "# Install\n"
    "\n"
    "<pre>\n"
    "docker run -p 8080:80 example/acme-api:1\n"  # 4: a `<pre>` block: code
    "</pre>\n"
    "\n"
    "<div>\n"
    "<pre><code>docker run example/acme-worker:1</code></pre> see example/acme-web:1\n"  # 8
    "<!-- <pre> -->\n"
    "example/acme-auth:1\n"  # 10: a `<pre>` in a comment opens none
    "</div>\n"
    "\n"
    "<Tabs>\n"
    '<TabItem value="docker">\n'
    "```bash\n"
    "docker run example/acme-db:1\n"  # 16: a fenced block in MDX's `<TabItem>`: code
    "```\n"
    "  ~~~\n"
    "  example/acme-cache:1\n"  # 19: a fence indented by two
    "  ~~~\n"
    "<p>Pull <code>example/acme-queue:1</code> first.</p>\n"  # 21: inline code: a reference
    "</TabItem>\n"
    "</Tabs>\n"
)


def test_a_full_reference_in_a_code_sample_of_an_html_block_is_code(tmp_path: Path) -> None:
    """`<pre>` text, and a fenced block in an HTML block (MDX reads the Markdown in
    `<TabItem>`), are code samples: a full reference there is `code`, as in a fenced block
    of the doc; beside them (after `</pre>`, in a comment's `<pre>`, in inline `<code>`) it
    is a reference. The port the `<pre>` gives is still its image's: the outline reads the
    `<pre>` block as a code block."""
    out, err = io.StringIO(), io.StringIO()
    root = _project(tmp_path, {"install.md": CODE_SAMPLES})
    assert main(["audit", str(root), "--format", "json"], stdout=out, stderr=err) == 0
    images = {image["name"]: image for image in json.loads(out.getvalue())["images"]}
    path = "docs/install.md"
    found = {
        name: (image["status"], [(e["path"], e["line"], e["kind"]) for e in image["evidence"]])
        for name, image in images.items()
        if image["evidence"]
    }
    assert found == {
        "acme-api": ("mentioned", [(path, 4, "code")]),
        "acme-worker": ("mentioned", [(path, 8, "code")]),
        "acme-web": ("documented", [(path, 8, "reference")]),
        "acme-auth": ("documented", [(path, 10, "reference")]),
        "acme-db": ("mentioned", [(path, 16, "code")]),
        "acme-cache": ("mentioned", [(path, 19, "code")]),
        "acme-queue": ("documented", [(path, 21, "reference")]),
    }
    ports = [(p["port"], p["path"], p["line"]) for p in images["acme-api"]["ports"]]
    assert ports == [(8080, path, 4)]


def _matcher(names: list[str]) -> Matcher:
    images = [
        Image(f"example/{name}:1", parse_reference(f"example/{name}:1"), None, Location("p", n))
        for n, name in enumerate([*names, *FILLER])
    ]
    return Matcher(build_terms(images, AuditSettings()))


# Docs the classifier reads and docs it leaves to markdown-it (a link reference definition,
# a quote holding HTML), each with the HTML the refinement reads.
PATHS = [
    ELEMENTS,
    HIDDEN,
    "[ref]: https://example.com\n\n" + ELEMENTS,
    "[ref]: https://example.com\n\n" + HIDDEN,
    "> <h2>acme-api</h2>\n> <p>acme-web</p>\n\n- <td>acme-db</td>\n",
    "text\n<td>acme-api</td>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n<li>acme-web</li>\n",
    "<span>\n<h2>acme-api</h2>\n\n<h2>acme-web</h2>\n",
    CODE_SAMPLES,
    "[ref]: https://example.com\n\n" + CODE_SAMPLES,
    "> <pre>\n> example/acme-api:1\n> </pre>\n\n- <div>\n  ```\n  example/acme-web:1\n",
]


@pytest.mark.pure_python
@pytest.mark.parametrize("text", PATHS)
def test_the_classifier_and_markdown_it_give_the_same_evidence(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    matcher = _matcher(NAMES)
    rows = text_rows(text, matcher)
    monkeypatch.setattr(blocks, "classify_lines", lambda text, lines, wanted: None)
    assert text_rows(text, matcher) == rows
    assert rows[0]


def _kinds(text: str) -> dict[str, Kind]:
    """Image name -> the kind of its mention in `text`."""
    return {row[0].rpartition("/")[2]: row[2] for row in text_rows(text, _matcher(NAMES))[0]}


def test_a_quoted_heading_and_an_html_block_after_a_paragraph_and_a_table() -> None:
    assert _kinds(PATHS[4]) == {
        "acme-api:1": Kind.HEADING,
        "acme-web:1": Kind.BODY,
        "acme-db:1": Kind.LIST,  # in a list item anyway
    }
    assert _kinds(PATHS[5]) == {"acme-api:1": Kind.TABLE, "acme-web:1": Kind.LIST}


def _agree_on_html(text: str, last: int | None = None) -> bool:
    """Whether the classifier and markdown-it put every body line the classifier claims
    in the same HTML block (or in none); False if the classifier declines the doc."""
    lines = text.split("\n")
    last = len(lines) if last is None else last
    claimed = classify(lines, last)
    if claimed is None:
        return False
    reference = markdown_kinds(text)
    for line in range(1, last + 1):
        if lines[line - 1].strip(" \t") and reference(line) is Kind.BODY:
            assert claimed.html_block(line) == reference.html_block(line), (line, text)
    return True


@pytest.mark.parametrize("text", [*CASES, ELEMENTS, HIDDEN, *PATHS[4:]])
def test_the_classifier_reads_html_blocks_where_markdown_it_does(text: str) -> None:
    for last in range(1, text.count("\n") + 2):
        _agree_on_html(text, last)


def test_html_blocks_in_random_line_soup() -> None:
    rng = random.Random(7)
    starts = ["", "  ", "    ", "# ", "- ", "1. ", "> ", "| ", "|---|---|", "```", "<div>",
              "</div>", "<td>", "<h2>", "<li>", "<!--", "-->", "<pre>", "</pre>", "<span>",
              "<?", "?>", "<b>", "text <td>", "[a]: /u"]  # fmt: skip
    words = ["acme-api", "<td>", "</td>", "-->", "<!--", "|", "x"]
    claimed = 0
    for _ in range(3000):
        lines = [
            rng.choice(starts) + " ".join(rng.choices(words, k=rng.randint(0, 3)))
            for _ in range(rng.randint(1, 10))
        ]
        claimed += _agree_on_html("\n".join(lines), rng.randint(1, len(lines)))
    assert claimed > 1000, claimed


def test_a_skip_to_a_mention_finds_its_html_block() -> None:
    text = "# T\n\n" + "text\n\n" * 20 + "<table>\n<tr><td>acme-api</td></tr>\n</table>\n"
    lines = text.split("\n")
    claimed = classify_lines(text, lines, [44])
    assert claimed is not None
    assert claimed.html_block(44) == markdown_kinds(text).html_block(44) == 43
    assert claimed.html_block(42) == 0


@pytest.mark.parametrize(
    ("line", "kinds"),
    [
        ("<h2 " * 50_000 + "<h2>acme-api", {Kind.HEADING}),  # 200 KB of tags never closed
        ("<h2" + " x" * 100_000 + "><h3>acme-api", {Kind.HEADING}),  # a start tag of 200 KB
        ("<h2" + " x" * 100_000 + " acme-api", {Kind.BODY}),  # ... never closed
        ("<td>acme-api" * 16_000, {Kind.TABLE}),  # 16,000 open cells, a mention in each
        ("<td>" * 50_000 + "acme-api" + "</li>" * 50_000, {Kind.TABLE}),  # others' end tags
        ("<li>acme-api</li>" * 12_000, {Kind.LIST}),
        ("<!---->" * 30_000 + "<td>acme-api", {Kind.TABLE}),
        ("<!--" * 50_000 + "<td>acme-api", {Kind.BODY}),  # in a comment
        ("<td>acme-api<!--" * 12_000, {Kind.TABLE, Kind.BODY}),  # the first, then comments
    ],
)
def test_hostile_html_lines_are_read_in_linear_time(line: str, kinds: set[Kind]) -> None:
    matcher = _matcher(NAMES)
    text = "<div>\n" + line + "\n"
    started = time.perf_counter()
    rows, _ = text_rows(text, matcher)
    assert time.perf_counter() - started < 10  # a slow machine's bound; quadratic is hours
    assert {row[2] for row in rows} == kinds


def test_hostile_html_block_of_many_lines_is_read_once() -> None:
    """Whether a comment is open where a line starts is read on from the line before."""
    text = "<div>\n" + "<li>acme-api <!-- x\n--> y\n" * 20_000
    started = time.perf_counter()
    rows, _ = text_rows(text, _matcher(NAMES))
    assert time.perf_counter() - started < 10
    assert {row[2] for row in rows} == {Kind.LIST}


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("<div>\n" + "```\nexample/acme-api:1\n```\nexample/acme-api:1 <pre>x</pre>\n" * 10_000,
         {Kind.CODE, Kind.REFERENCE}),  # fenced blocks, a reference before a `<pre>`
        ("<div>\n" + "<pre>example/acme-api:1 <!--\n```\n" * 10_000,
         {Kind.CODE}),  # a `<pre>` a comment leaves open: no fence opens in it
        ("<pre>\n" + "example/acme-api:1 <pre></pre>\n" * 20_000, {Kind.CODE, Kind.REFERENCE}),
        ("<div>\n" + "<pre>" * 20_000 + "example/acme-api:1" + "</pre>" * 20_000, {Kind.CODE}),
    ],
)  # fmt: skip
def test_hostile_code_samples_in_an_html_block_are_read_once(text: str, kinds: set[Kind]) -> None:
    """Whether a code sample is open where a line starts is read on from the line before,
    and a line of 20,000 `<pre>` tags is read once."""
    started = time.perf_counter()
    rows, _ = text_rows(text, _matcher(NAMES))
    assert time.perf_counter() - started < 10
    assert {row[2] for row in rows} == kinds


@pytest.mark.parametrize("doc", [ELEMENTS, HIDDEN])
def test_markdown_it_reads_the_same_html_two_lines_down(doc: str) -> None:
    """A link reference definition leaves the doc to markdown-it: the same evidence."""
    matcher = _matcher(NAMES)
    rows = text_rows(doc, matcher)[0]
    moved = text_rows("[ref]: https://example.com\n\n" + doc, matcher)[0]
    assert [(*row[:1], row[1] - 2, *row[2:]) for row in moved] == list(rows)


def test_the_html_block_patterns_are_the_installed_markdown_its() -> None:
    """The classifier's copy of markdown-it's seven kinds of HTML blocks (it tells an HTML
    line without loading markdown-it): the same patterns, flags and paragraph rule."""
    installed = importlib.import_module("markdown_it.rules_block.html_block").HTML_SEQUENCES

    def spelt(sequences: list[tuple[re.Pattern[str], re.Pattern[str], bool]]) -> list[object]:
        return [(s.pattern, s.flags, e.pattern, e.flags, i) for s, e, i in sequences]

    assert spelt(blocks.HTML_SEQUENCES) == spelt(installed)
    assert len(blocks.HTML_SEQUENCES) == 7
