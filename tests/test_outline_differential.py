"""`outline` and `skim` against the line-by-line reader they replaced, kept as the oracle
in outline_reference.py: equal values over a table of tricky cases, over random
documents built from the line shapes docs are made of, over the sample docs and over
the benchmark's generated reports.
"""

from __future__ import annotations

import pickle
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import outline_reference as reference
from image_docs_audit.docs import outline as outline_module
from image_docs_audit.docs.outline import Outline, PortMention, PortMentions, outline, skim
from image_docs_audit.docs.read import decode_split

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

from corpus import DENSE, make_doc, make_images  # the benchmark's generator (its densest)

SAMPLE_DOCS = Path(__file__).parent.parent / "src" / "image_docs_audit" / "sample" / "docs"

CASES = [
    "",
    "\n",
    "\r",
    "\r\n\r\n",
    # fences
    "```\ncode: x\n```\ntext",
    "~~~ yaml\nimage: redis:7\n~~~~\n",
    "````\n```\nstill code app:1.0\n````\n",
    "```\ncode\n``\nstill code\n```",
    "~~~\n```\n~~~ not a closer\n~~~\n",
    "```bash\ndocker run -p 8080:80 example/app:1.3\n```",
    "```\nunclosed app:2.0\n\n-p 9000:90",
    "   ```\nindented\n      ```\nafter",
    "    ```\nfour spaces open\n```",
    "```\t\ncode\n\t```\t\nafter",
    "```\ncode\n```   ```\nstill\n```",
    # tables
    "| Service | Port |\n|---|---|\n| api | 8080 |\n| web | 443/udp |",
    "| Service | Port |\n|---|---|\n| api | 8080 |\n```\n| in fence |\n```\n| row | 9090 |\ntext",
    "| Service | Port |\n|---|---|\n| api | 8080 |\n\n| Service | Port |",
    "| header | without delimiter |\n| a | b |\ntext",
    "|---|---|\n|---|\n",
    "a | b\n---\ntext",
    "| Key | Value |\n|:--|--:|\n| Build | PASS |\n| Known issues | none |",
    "| Port | Protocol | Use |\n|---|---|---|\n| 53 | UDP | dns |\n| 8080 | `tcp` | http |",
    "| Name | Ports |\n| --- | --- |\n| api | 8080, 8443 (TLS) and 9000 |",
    "| a \\| b | Port |\n|---|---|\n| x \\| y | 7000 |",
    "> | Key | Value |\n> |---|---|\n> | Smoke test | PASS |",
    "| Image | Tag |\n|---|---|\n| example/app:1.3 | x |",
    "| example/app:1.3 | redis:7 |\n|---|---|\n| a | b |",
    "| Port | x |\n|---|---|\n| 8080 | y |",
    "| Service | Port | Note |\n|---|---|---|\n| a | 0 | x |\n| b | 000080 | y |\n| c | 65536 |\n"
    "| d | 8080 | w |\n| e | \uff18\uff10 | f |\n| h | 8² | i |\n| g |  443/udp, 53 (dns) |",
    # a fence opened among a table's rows: the table goes on after the fenced block
    "| Service | Port |\n|---|---|\n| api | 8080 |\n``` | x\n| in fence | 9090 |\n```\n"
    "| b | 7070 |",
    "| Key | Value |\n|---|---|\n~~~ | port\n| Port | 9090 |\n~~~\n| Port | 7070 app:1.0 |",
    "| Name | Image |\n|---|---|\n| a | x:1 |\n  ``` | y:2\n| b | z:3 |\n```\n| c | w:4 |",
    # `<pre>` blocks are code blocks
    "<pre>\ndocker run -p 8080:80 example/app:1.3\nPort: 9090\n</pre>\nPort: 7070 app:2.0",
    "<PRE class='x'><code>-p 1:2 a:1</code></PRE>\nKey: value",
    "text\n   <pre>\n| a | b |\n|---|---|\n```\nstill pre\n</style> ends it\n```\nx:1",
    "<pre>unclosed -p 3:4\n\n## Not a port heading\n5000",
    "    <pre>\nindented code, no pre -p 5:6\n<prefix>x:1</pre>",
    "| Port | Use |\n|---|---|\n| 80 | a |\n<pre>\n| 90 | b |\n</pre>\n| 70 | c |",
    "<!--\n<pre>\n-->\nPort: 8080\n```\n<pre>\n```\nx:1",
    # ports
    "Port: 8080",
    "The service listens on ports 4222 (clients) and 8222; not 9999.",
    "## Ports\n\n- 8080/tcp\n- 8443 (HTTPS)\n1. 9000\n\n## Next\n\n- 7000",
    "## Host ports\n\n> 5432\ntext 6000 more",
    "run it with -p 8080:80 and --publish=127.0.0.1:8443:443/tcp",
    "```\ndocker run --publish 127.0.0.1:8443:443/udp -p 5000-5010:5000-5010 x\n```",
    "ports 80, 443/udp or 8080. then 9090",
    "Host-port 7070 and host port 7171",
    # citations and URLs
    "Use example/app:1.3 or redis:7-alpine, not http://host:8080/x",
    "registry.example.com:5000/team/app:2.1.0. then localhost:8080",
    "# Title app:1.0\n\n## Section redis:7\n\ntext nginx:1.25.",
    "see `ghcr.io/org/tool:v1.2.3-` and a:b:c and x:-y",
    # key lines
    "- **Known issues:** none\n- Status: OK\n* _Owner_: team",
    "> Smoke test: PASS\n>> Deep key: yes",
    "1. Build: ok\n12) Test: ok\n1234. Not: a key",
    "Key:\nKey:\r\nhttp://x: y\nKey: http://host:80/",
    "A very long key that goes on and on and on forever: value",
    # front matter, headings, sections
    "---\ntitle: 'Front matter title'\nport: 8080\n---\n\n# Heading\n\ntext",
    '+++\ndate = 2024-01-01\ntitle = "TOML front matter title"\n+++\n\n# Heading\n\ntext',
    '+++\ntitle = "unclosed"\n\n# Heading',
    # a YAML title whose value goes on below its key
    "---\ntitle: >-\n  example/app:1.3\n  deployment guide\nport: 8080\n---\n# Heading",
    "---\ntitle: |\n\n  Literal app:1.0\n\n  second paragraph\n\n---\n",
    "---\ntitle: |+2 # a comment\n   indented\n---\n",
    "---\ntitle: >\n---\n# Heading",
    "---\ntitle:\n  A plain title\n  over two lines\n---\n",
    "---\ntitle: 'A quoted title\n  folded'\ndate: 2024\n---\n",
    "---\ntitle:\n  en: English\n  de: Deutsch\n---\n# Heading",
    "---\ntitle:\n  - first\n  - second\n---\n",
    "---\ntitle:\n# a comment\n---\n# Heading",
    "---\ntitle: >-\n\tTabbed\n---\n",
    '+++ \r\ntitle = "CRLF"\r\n+++\r\n# Heading\r\n',
    "# Title\n\n## Usage ##\n\ntext\n\n### Sub #\n\n#### deep",
    "Setext title\n============\n\nSub\n---\n\ntext",
    "# T\n\n## Todo\n\nTODO\n- TODO: fill in\n<!-- later -->\n\n## Done\n\ncontent",
    "# T\n\n## Empty\n\n## Also empty\n",
    "<!-- image-docs-audit:generated-index -->\n# Index\n\n| a | b |\n|---|---|",
    "# T\n```\n# not a heading\n```\n## real",
    # line endings and odd characters
    "# Title\r\n\r\n| Port | Use |\r\n|---|---|\r\n| 8080 | web |\r\n\r\nPort: 9090\r\n",
    "# Title\rPort: 8080\rapp:1.0\r",
    "Port:\t8080\n\tKey:\tvalue",
    "Ünïcödé: wert\nﬁle: app:1.0 Kelvin: \u212a:1\n\u00a0```\ncode\n\u00a0```",
    "text\x0c```\nform feed",
    "no newline at the end | x\n|---|",
    # lines the reader passes over, and its fast paths
    "| Service | Port |\n|---|---|\n| api | 8080 |\n~~~\ncode\n~~~\nplain text\n| late | 7000 |",
    "| Port | Use |\n|---|---|\n```\n-p 1:2\n```\n| 9090 | x |\n```\nopen to the end",
    "## Ports\n\n8080\nplain 9090\n\n### Sub\n7000\n# Other\n6000",
    "## Ports\n```\n## Not a heading\n8080\n```\n9090\n## Usage\n7000",
    "## Ports\n- 8080\n## Ports\n- 9090\n## Usage\n- 7000\n## Usage\n- 6000",
    "| Service | Port |\n|---|---|\n| a | 808080 |\n| b | 65536 |\n| c | 0 |\n| d | 00080 |",
    "| Service | Port |\n|---|---|\n| a | \u00b2\u2070 |\n"
    "| b | \u0668\u0660\u0668\u0660 |\n| c | \uff18\uff10 |",
    "| Service | Port |\n|---|---|\n| a | 1 |\n| b | 99999 |\n| c | 12345/udp |\n| d | 80% |",
    "Port | Use\n---\n8080 | web",
    "Port | Use\n--- | ---\n8080 | web\n9090 | api",
    "| Name | Port |\n|---|---|\n| a-b | c-d |\n| --- | --- |\n|-|-|\n| >- | :-: |",
    "| Key | Value |\n|---|---|\n| Host port | 8080 |\n| Ports | 9090, \u0668\u0660\u0668\u0661 |",
    "```\ncode ``` inline\n   not ```\n\t\t```\nafter -p 8080:80",
    "~~~\nx\n  ~~~~~~  \nafter app:1.0",
    "a\rb | c\n|---|---|\nd | e\rf\n",
    "plain\nKey: value\nno marks here\n-plain -p 80:80\nx-p 81:81\nreport 9000, support 9001",
    "hostport 80\nho\u017ftport 81\nHOST-PORT 82\ntport 83\nxport 84\n\u00e9port 85\n_port 86",
    "Port 87\n(port 88)\nreport port 89\nreportport 90\n\u00e9 port 91\nsupport: 92\nimPORT 93",
]


def _same(text: str) -> None:
    text = _as_decoded(text)
    assert skim(text) == reference.skim(text)
    expected = reference.outline(text)
    assert outline(text) == expected
    # Without the rubric's keys: the same outline, no keys.
    assert outline(text, keys=False) == replace(expected, keys=())
    # As the scan hands it over: split already, with the bytes it read.
    split = decode_split(text.encode("utf-8", "surrogatepass"))[0]
    split.lines()
    assert outline(split.text, keys=False, split=split) == outline(split.text, keys=False)
    # As the second worker process sends it back.
    assert pickle.loads(pickle.dumps(expected, protocol=pickle.HIGHEST_PROTOCOL)) == expected


def _as_decoded(text: str) -> str:
    """`text` as `decode` leaves a doc: a lone carriage return makes every one a newline
    (markdown-it reads it as a line end; no text the skim reads holds one)."""
    if text.count("\r") != text.count("\r\n"):
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def test_cases_are_many() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("text", CASES)
def test_tricky_cases(text: str) -> None:
    _same(text)


@pytest.mark.parametrize("text", CASES)
def test_tricky_cases_with_crlf_and_without_final_newline(text: str) -> None:
    _same(text.replace("\n", "\r\n"))
    _same(text.rstrip("\n"))
    _same(text + "\n")


LINE_SHAPES = [
    "```",
    "````",
    "~~~",
    "~~~~ yaml",
    "``` bash",
    "   ```",
    "\t```",
    "    ~~~",
    "| Service | Port |",
    "| Port | Protocol |",
    "| Key | Value |",
    "|---|---|",
    "| --- |",
    "|:-:|",
    "---",
    "| api | 8080 |",
    "| 53 | udp |",
    "| Build | PASS |",
    "| a \\| b | c |",
    "> | x | y |",
    "# Title",
    "## Ports",
    "## Usage ##",
    "### Host ports",
    "#",
    "#nospace",
    "Port: 8080",
    "ports 4222 (clients) and 8222",
    "port 80.",
    "listens on 443/udp",
    "- 8080/tcp",
    "1. 9000",
    "-p 8080:80",
    "--publish=127.0.0.1:8443:443/tcp",
    "docker run -p 5000:5000 example/app:1.3",
    "redis:7-alpine",
    "http://host:8080/x",
    "- **Known issues:** none",
    "> Smoke test: PASS",
    "Key:",
    "TODO",
    "- TODO: later",
    "<!-- comment -->",
    "<pre>",
    "</pre>",
    "<PRE class=x>-p 80:80",
    "x</pre> app:1.0",
    "---",
    "title: T",
    "title: >-",
    "title: |",
    "title:",
    "  indented value",
    "  en: value",
    "  - item",
    "",
    " ",
    "plain prose",
    "Ünïcödé: wert",
    "| api | 808080 |",
    "| x | \u00b2 |",
    "| y | 0 |",
    "report 8080",
    "~~~ ```",
    "x | y",
]


_ODD = "|-:`~#> \t\rp08aP"  # the characters the rules turn on


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = draw(
        st.lists(
            st.one_of(st.sampled_from(LINE_SHAPES), st.text(alphabet=_ODD, max_size=12)),
            max_size=40,
        )
    )
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return ending.join(lines) + draw(st.sampled_from(["", ending]))


@settings(max_examples=300, deadline=None)
@given(documents())
def test_random_documents(text: str) -> None:
    _same(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_random_text(text: str) -> None:
    _same(text)


def test_sample_docs() -> None:
    paths = sorted(SAMPLE_DOCS.rglob("*.md"))
    assert paths
    for path in paths:
        _same(path.read_text(encoding="utf-8"))


def test_generated_reports() -> None:
    rng = random.Random(11)
    images = make_images(40, rng)
    for index in range(60):
        _same(make_doc(index, rng, images, DENSE)[1])


def test_outlines_and_skims_cross_processes_as_they_are() -> None:
    """The second worker pickles skims and outlines as plain values: every record comes
    back equal, a title or none, a section's heading with its level and text."""
    docs = [
        *CASES,
        *(path.read_text(encoding="utf-8") for path in sorted(SAMPLE_DOCS.rglob("*.md"))),
    ]
    for text in docs:
        for value in (outline(text), outline(text, keys=False), skim(text)):
            back = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            assert back == value
            assert type(back) is type(value)
            if isinstance(back, Outline):  # a section's heading is the skim's, not a copy
                assert all(
                    any(section.heading is heading for heading in back.skim.headings)
                    for section in back.sections
                )


def test_port_mentions_are_packed_and_read_back_as_found() -> None:
    text = (
        "## Ports\n\n8080/udp, 9090\n\n```\ndocker run -p 8443:443/sctp app\n```\n\n"
        "| Port | Protocol |\n|---|---|\n| 53 | udp |\n\nPort: 8080\n"
    )
    ports = outline(text).ports
    expected = [
        (3, 8080, "udp"),
        (3, 9090, "tcp"),
        (6, 8443, "sctp"),
        (11, 53, "udp"),
        (13, 8080, "tcp"),
    ]
    assert list(ports.values()) == expected
    assert [(p.line, p.number, p.protocol) for p in ports] == expected
    assert len(ports) == 5
    assert ports == PortMentions(PortMention(*values) for values in expected)
    assert ports != PortMentions(PortMention(*values) for values in expected[:4])
    assert hash(ports) == hash(PortMentions(ports))
    back = pickle.loads(pickle.dumps(ports, protocol=pickle.HIGHEST_PROTOCOL))
    assert list(back.values()) == expected
    # The same port number read twice is one object, not one per mention.
    assert list(ports.values())[4][1] is next(outline(text).ports.values())[1]


def test_repeated_strings_of_docs_are_held_once() -> None:
    """Docs repeat their headings, table headers and citations: two outlines of docs made
    at run time share one string for each."""
    words = ["Usage", "Service", "Port", "registry.example/team/app", "1.2.3"]
    text = f"## {words[0]}\n\n| {words[1]} | {words[2]} |\n|---|---|\n| a | 80 |\n\n"
    first, second = (outline(text + f"Runs {words[3]}:{words[4]}\n") for _ in range(2))
    assert first == second
    assert first.skim.headings[0].text is second.skim.headings[0].text
    columns = zip(first.tables[0].columns, second.tables[0].columns, strict=True)
    assert all(a is b for a, b in columns)
    assert first.citations[0].repository is second.citations[0].repository
    assert first.citations[0].tag is second.citations[0].tag


def test_only_short_headers_and_headings_are_remembered() -> None:
    """A pull request's docs may hold megabyte-long lines: the outline remembers the
    columns of short table headers and the words of short headings only, and reads long
    ones the same way each time."""
    from image_docs_audit.docs import outline as module  # noqa: PLC0415

    long_cell = "x" * 300
    long_only = (
        f"## Ports {long_cell}\n\n8080\n\n| Port {long_cell} | Use |\n|---|---|\n"
        f"| 9090 {long_cell} | a |\n"
    )
    short = "## Ports\n\n7070\n\n| Port | Use |\n|---|---|\n| 6060 | b |\n"
    module._cached_columns.cache_clear()
    module._cached_says_port.cache_clear()
    _same(long_only)
    assert [p.number for p in outline(long_only).ports] == [8080, 9090]
    assert module._cached_columns.cache_info().currsize == 0
    assert module._cached_says_port.cache_info().currsize == 0
    _same(short)
    assert [p.number for p in outline(short).ports] == [7070, 6060]
    assert module._cached_columns.cache_info().currsize == 1
    assert module._cached_says_port.cache_info().currsize > 0


def test_only_ascii_capitals_match_the_letters_of_port_case_insensitively() -> None:
    """What `_port_word_lines` and `_port_window` stand on: lowering finds every `port`."""
    every = "".join(map(chr, range(0x110000)))
    for letter in "port":
        found = set(re.compile(letter, re.IGNORECASE).findall(every))
        assert found == {letter, letter.upper()}, letter


_PORT_LINE = st.lists(
    st.sampled_from(
        ["port", "Port", "PORTS", "host", "HOST-", "host ", "s", "x", "_", "1", " ", "-", ":",
         "\u0130", "\u017f", "\u212a", "é", "😀", "pOrT", "ports8080"]
    ),
    max_size=14,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_PORT_LINE)
def test_port_words_are_found_in_their_window_as_in_the_whole_line(line: str) -> None:
    def spans(*window: int) -> list[tuple[int, int]]:
        return [found.span() for found in outline_module._PORT_WORD.finditer(line, *window)]

    assert spans(*outline_module._port_window(line)) == spans()


_LINE_TEXT = st.lists(
    st.sampled_from(
        ["```", "~~~", "````", "`", "~", "#", "######", "#######", "# x", " ", "    ", "\t",
         "\n", "\r", "x", "é", "<", "<a", "</", "<!", "=", "==", "-", "---", "- x"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(text=_LINE_TEXT, after=st.integers(0, 3))
def test_the_marked_lines_are_those_each_pattern_finds_after_every_newline(
    text: str, after: int
) -> None:
    padded = "\n" + text
    marks = outline_module._LineMarks(padded, after)
    for pattern, found in [
        (outline_module._LINE_FENCE, marks.fences),
        (outline_module._LINE_HEADING, marks.atx),
        (outline_module._LINE_HTML, marks.html),
        (outline_module._LINE_UNDERLINE, marks.underlines),
    ]:
        expected = [
            (m.span(), padded.count("\n", 0, m.start() + 1))
            for m in pattern.finditer(padded)
            if padded.count("\n", 0, m.start() + 1) > after
        ]
        assert [(m.span(), line) for m, line in found] == expected


def test_a_line_of_fence_characters_is_read_once() -> None:
    """A doc of one long line of backticks: each line is looked at once, not once per run."""
    padded = "\n" + "`" * 3_000_000 + "\n~~~\n"
    started = time.perf_counter()
    found = outline_module._LineMarks(padded, 0).fences
    assert [(m.start(), line) for m, line in found] == [(0, 1), (3_000_001, 2)]
    assert time.perf_counter() - started < 10  # a run-by-run search would take hours


_CITATION_LINE = st.lists(
    st.sampled_from(
        ["app", "acme/app", "ghcr.io/o/app", "host:5000/", ":", ":1.2", ":v1", ":latest", "@",
         ".", "-", "/", " ", "\t", "x" * 130, "\u212a", "\u017f", "\u0131", "é", "https://",
         "8080", "_", "|"]
    ),
    max_size=16,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(_CITATION_LINE)
def test_citations_are_found_in_their_window_as_in_the_whole_line(line: str) -> None:
    def found(*window: int) -> list[tuple[tuple[int, int], tuple[str | Any, ...]]]:
        return [(m.span(), m.groups()) for m in outline_module._CITATION.finditer(line, *window)]

    assert found(*outline_module._citation_window(line)) == found()


_ROW_LINE = st.lists(
    st.sampled_from(["|", "\\|", "\\", ">", " ", "\t", "a", "8080", "-", ":", "`", "é"]),
    max_size=14,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(_ROW_LINE)
@example("> | Port | 8080 |")
@example(">> |a \\| b|")
@example("  | x |  ")
@example("|")
def test_a_rows_cells_are_cut_at_its_unescaped_pipes(line: str) -> None:
    """Every reader of a row strips its cells: as stripped, they are the reference's."""
    assert [cell.strip() for cell in outline_module._row(line)] == reference._cells(line)


_PORT_PHRASE = st.lists(
    st.sampled_from(
        ["port", "ports", "Port:", "host port", "(", ")", "(TLS)", "80", "8080/udp", "99999",
         " ", ", ", " and ", " or ", "; ", ". ", ".5", "x", "é", "/", "`", "-p 80:80"]
    ),
    max_size=24,
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_PORT_PHRASE)
def test_port_runs_and_phrases_read_in_place_are_the_references(line: str) -> None:
    """Runs read in the line up to their clause's end, with each parenthesis closed by the
    first `)` after it, as the reference reads them from a copy of each clause."""
    assert outline_module.port_run(line) == list(reference.port_run(line))
    _same("acme/app\n" + line + "\n## Ports\n\n- " + line)


def test_a_line_of_a_hundred_thousand_port_words_is_read_in_linear_time() -> None:
    """One clause of port words, open parentheses and numbers: looking for each word's
    clause end, copying the clause and reading each parenthesis to the line's end took
    the square of the line's length; the bound allows for a slow machine."""
    count = 100_000
    started = time.perf_counter()
    made = outline("acme/app\n" + "port (80 " * count + "port (a) 81 port 82\n", keys=False)
    assert list(made.ports.values()) == [(2, 81, "tcp"), (2, 82, "tcp")]
    assert time.perf_counter() - started < 60


# The patterns as they were before their runs were taken whole (possessive): the same
# matches, found by backtracking.
_BACKTRACKING_DELIMITER = re.compile(
    r"^[ \t>]*\|?[ \t]*:?-{1,}:?[ \t]*(?:\|[ \t]*:?-{1,}:?[ \t]*)*\|?[ \t]*$"
)
_BACKTRACKING_KEY_LINE = re.compile(
    r"^[ \t>]*(?:[-*+]|\d{1,3}[.)])?[ \t]*[*_]{0,2}([A-Za-z][A-Za-z0-9 /&()'-]{0,40}?)[*_]{0,2}"
    r"[ \t]*:[*_]{0,2}(?:[ \t]|$)"
)
_DELIMITER_OR_KEY_LINE = st.lists(
    st.sampled_from(
        [" ", "\t", ">", "|", ":", "-", "--", "*", "_", "1", "12.", ")", "Key", "a b", "/", "é",
         "x", "\n"]
    ),
    max_size=20,
).map("".join)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(_DELIMITER_OR_KEY_LINE)
def test_delimiter_rows_and_key_lines_match_as_with_backtracking(line: str) -> None:
    def found(pattern: re.Pattern[str]) -> tuple[tuple[int, int], tuple[str | Any, ...]] | None:
        match = pattern.match(line)
        return None if match is None else (match.span(), match.groups())

    assert found(outline_module._TABLE_DELIMITER) == found(_BACKTRACKING_DELIMITER)
    assert found(outline_module._KEY_LINE) == found(_BACKTRACKING_KEY_LINE)


def test_lines_of_blanks_around_a_dash_or_a_marker_are_read_in_linear_time() -> None:
    """A row under a table's header made of blanks around a dash, and blank `Key:` lines:
    each pattern failing by giving back its blanks one by one took the cube (the square)
    of the line's length; the bound allows for a slow machine."""
    blanks = " \t" * 50_000
    text = f"| a | b |\n{blanks}-{blanks}>\n{blanks}-{blanks}x: y\n> {blanks}- {blanks}!\n"
    started = time.perf_counter()
    made = outline(text)
    assert made.tables == ()
    assert made.keys == ((3, "x"),)  # an item's key, after a line of blanks
    assert time.perf_counter() - started < 60


_HEADING_LINE = st.lists(
    st.sampled_from(["#", "##", " ", "\t", "a", "b c", "#x", "\\", "*", "\r", "é", "\u00a0"]),
    max_size=14,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(_HEADING_LINE, _HEADING_LINE)
def test_heading_lines_and_title_keys_read_as_the_reference_reads_them(
    heading: str, value: str
) -> None:
    _same(f"---\ntitle: {value}\n---\n{heading}\n{heading}\nbody\n")
    _same(f"#{heading}\n")


_TITLE_VALUE = st.lists(
    st.sampled_from([">-", "|", "|+2", "  ", "\t", "a", "b c", "x: y", "- z", "#", "'", "\r", ""]),
    max_size=6,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(_TITLE_VALUE, st.lists(_TITLE_VALUE, max_size=4))
def test_titles_that_go_on_below_their_key_read_as_the_reference_reads_them(
    value: str, below: list[str]
) -> None:
    _same("---\ntitle: " + "\n".join([value, *below]) + "\nnext: key\n---\n# H\n")


def test_heading_and_title_lines_of_blanks_are_read_in_linear_time() -> None:
    """A heading's text and a front matter's title, between a hundred thousand blanks:
    found by a lazy pattern that gave the blanks back one by one, they took the square of
    the line's length; the bound allows for a slow machine."""
    blanks = " \t" * 100_000
    text = f"---\ntitle: a{blanks}b\n---\n# x{blanks}y{blanks}\\\n## {blanks}#{blanks}\n"
    started = time.perf_counter()
    found = skim(text)
    assert found.title is not None and found.title.text == f"a{blanks}b"
    assert [h.text for h in found.headings] == [f"x{blanks}y{blanks}\\", "#"]
    assert time.perf_counter() - started < 60
