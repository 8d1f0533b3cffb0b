"""The line-by-line outline reader as it stood before `outline` worked over the whole
text with regular expressions: the oracle the differential tests compare against.

Kept verbatim (only the dataclasses come from the package, so that values compare
equal); do not optimise it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from image_docs_audit.docs.blocks import _parser, _tokens
from image_docs_audit.docs.outline import (
    GENERATED_MARKER,
    Citation,
    Heading,
    Outline,
    PortMention,
    PortMentions,
    Section,
    Skim,
    Table,
)
from image_docs_audit.docs.words import fold

_MARKER_WINDOW = 512  # the marker must stand near the top (after a BOM or blank lines)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.MULTILINE)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?$", re.MULTILINE)
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(.*?)\n(?:---|\.\.\.)[ \t]*\r?$", re.DOTALL | re.MULTILINE
)
_TITLE_KEY = re.compile(r"^title\s*:\s*(.*?)\s*$", re.IGNORECASE)
_TOML_FRONT_MATTER = re.compile(
    r"\A\+\+\+[ \t]*\r?\n(.*?)\n\+\+\+[ \t]*\r?$", re.DOTALL | re.MULTILINE
)
_TOML_TITLE_KEY = re.compile(r"^title\s*=\s*(.*?)\s*$", re.IGNORECASE)

# `- **Known issues:** none`, `Port: 8080`, `> Smoke test: PASS`: a short key before a colon.
_KEY_LINE = re.compile(
    r"^[ \t>]*(?:[-*+]|\d{1,3}[.)])?[ \t]*[*_]{0,2}([A-Za-z][A-Za-z0-9 /&()'-]{0,40}?)[*_]{0,2}"
    r"[ \t]*:[*_]{0,2}(?:[ \t]|$)"
)
# The word that puts the numbers after it in a port context: `Port: 8080`, `port 8094`.
_PORT_WORD = re.compile(r"\b(?:host[ -]?)?ports?\b", re.IGNORECASE)
_PORT_TOKEN = re.compile(r"(\d{1,5})(?:/(tcp|udp|sctp))?(?![\w%/-]|\.\d|:\S)", re.IGNORECASE)
# Between two ports of one run: blanks, commas, slashes, `and`, `or`, markup, a parenthesis.
_PORT_GAP = re.compile(r"(?:[\s,/`*_|=:]|\band\b|\bor\b|\bis\b|\bare\b|\bon\b|\([^)]*\))*")
# `-p 8080:80`, `--publish 127.0.0.1:8443:443/tcp`: the host port.
_PUBLISH = re.compile(
    r"(?:^|\s)(?:-p|--publish)(?:[ \t]+|=)[\"']?(?:\d{1,3}(?:\.\d{1,3}){3}:)?(\d{1,5})"
    r"(?:-\d{1,5})?:\d{1,5}(?:-\d{1,5})?(?:/(tcp|udp|sctp))?"
)
# `name:tag` as docs cite images: `example/app:1.3`, `redis:7-alpine`; not `host:8080/path`
# nor a URL (`//` before the name). The repository is matched against the inventory later.
_CITATION = re.compile(
    r"(?<![\w./:@-])((?:[a-z0-9][a-z0-9._-]*(?::\d{1,5})?/)*[a-z0-9][a-z0-9._-]*)"
    r":([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})(?![\w:/@-])",
    re.IGNORECASE,
)
# What every citation has around its colon: a name's last character and a tag's first.
_CITABLE = re.compile(r"[a-z0-9._-]:[A-Za-z0-9_]", re.IGNORECASE)
_TABLE_DELIMITER = re.compile(
    r"^[ \t>]*\|?[ \t]*:?-{1,}:?[ \t]*(?:\|[ \t]*:?-{1,}:?[ \t]*)*\|?[ \t]*$"
)
_PIPE = re.compile(r"(?<!\\)\|")
_TODO = re.compile(r"^[ \t>]*(?:[-*+][ \t]+)?[*_]{0,2}TODO\b", re.IGNORECASE)
_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
# `<pre>` opening a line, and what ends its block (markdown-it's HTML block of kind 1).
# (Added with that rule, after the rest was kept.)
_PRE_OPEN = re.compile(r"^ {0,3}<pre(\s|>|$)", re.IGNORECASE)
_PRE_END = re.compile(r"</(script|pre|style|textarea)>", re.IGNORECASE)


def is_generated(text: str) -> bool:
    return GENERATED_MARKER in text[:_MARKER_WINDOW]


def skim(text: str) -> Skim:
    """The marker, title and headings of `text` (line ends `\\n` or `\\r\\n`, as `decode`
    leaves them). The headings are markdown-it's (the project's parser: front matter
    and all), those whose `#`s or underline open their line (up to three spaces before
    them): not behind a quote's `>` or a list item's marker on the same line.

    (Replaced the regular expressions over the text when the skim learnt HTML blocks and
    setext headings; its text and title rules are the old reader's.)"""
    headings: list[Heading] = []
    title: Heading | None = _front_matter_title(text)
    lines = text.split("\n")
    for token in _tokens(text, _parser(text)):
        if token.type != "heading_open" or token.map is None:
            continue
        start, end = token.map
        if token.markup.startswith("#"):
            match = _HEADING.match(lines[start])
            if match is None:
                continue
            said = match.group(2) or ""
        else:
            if _UNDERLINE.match(lines[end - 1]) is None:
                continue
            said = " ".join(line.strip() for line in lines[start : end - 1])
        heading = Heading(start + 1, int(token.tag[1]), _clean(said))
        if title is None and heading.level == 1:
            title = heading
        else:
            headings.append(heading)
    return Skim(is_generated(text), title, tuple(headings))


_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*\r?$")


def outline(text: str) -> Outline:
    """Everything the facts read from `text`, in one pass over its lines."""
    return _Reader(text).read()


def port_run(text: str) -> Iterator[tuple[int, str]]:
    """The ports `text` starts with (`8080/tcp, 8443/tcp (HTTPS) and 9901`), up to anything else."""
    position = 0
    while True:
        gap = _PORT_GAP.match(text, position)
        position = gap.end() if gap is not None else position
        token = _PORT_TOKEN.match(text, position)
        if token is None:
            return
        number = int(token.group(1))
        if 0 < number < 65536:
            yield number, (token.group(2) or "tcp").lower()
        position = token.end()


def words(text: str) -> list[str]:
    """Lower-case words of letters and digits: what fuzzy matching compares."""
    return [word for word in re.split(r"[^0-9a-z]+", fold(text)) if word]


def _clean(text: str) -> str:
    return text.strip().strip("*_`").strip()


def _front_matter_title(text: str) -> Heading | None:
    found, title_key = _FRONT_MATTER.match(text), _TITLE_KEY
    if found is None:
        found, title_key = _TOML_FRONT_MATTER.match(text), _TOML_TITLE_KEY
    if found is None:
        return None
    lines = found.group(1).split("\n")
    for offset, line in enumerate(lines):
        key = title_key.match(line)
        if key and title_key is _TITLE_KEY:
            return _yaml_title(lines, offset, key.group(1))
        if key:
            return Heading(offset + 2, 1, key.group(1).strip("'\""))
    return None


# A YAML title's value goes on over the more indented lines below its key: a block scalar
# (`title: >-` and the lines of its text) or a plain or quoted scalar folded over lines;
# not a nested mapping or sequence. (Added with that rule, after the rest was kept.)
_BLOCK_HEADER = re.compile(r"^[|>][-+1-9]{0,2}([ \t]+#.*)?$")
_NOT_PLAIN = re.compile(r"^(#|[-?]([ \t]|$))|:([ \t]|$)")


def _yaml_title(lines: list[str], offset: int, value: str) -> Heading:
    below = []  # (line, text) of the lines below the key that go on its value
    for number, line in enumerate(lines[offset + 1 :], offset + 3):
        if line.strip() and not line.startswith((" ", "\t")):
            break
        if line.strip():
            below.append((number, line.strip()))
    texts = [text for _, text in below]
    if _BLOCK_HEADER.match(value):
        if not below:
            return Heading(offset + 2, 1, "")
        return Heading(below[0][0], 1, " ".join(texts))
    if not below or (not value and _NOT_PLAIN.search(texts[0])):
        return Heading(offset + 2, 1, value.strip("'\""))
    if not value:
        return Heading(below[0][0], 1, " ".join(texts).strip("'\""))
    return Heading(offset + 2, 1, " ".join([value, *texts]).strip("'\""))


def _cells(line: str) -> list[str]:
    body = line.strip().lstrip(">").strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [cell.strip() for cell in _PIPE.split(body)]


class _TableShape:
    """A table's header and what its rows are read for, worked out once per table."""

    def __init__(self, start: int, header: list[str]) -> None:
        self.start = start
        self.header = header
        columns = [set(words(cell)) for cell in header]
        self.protocol_columns = [i for i, names in enumerate(columns) if names & _PROTOCOL_WORDS]
        self.port_columns = [
            i for i, names in enumerate(columns) if {w.rstrip("s") for w in names} & {"port"}
        ]


_PROTOCOL_WORDS = frozenset({"protocol", "proto"})


class _Reader:
    """One pass over the lines of a doc, keeping what `Outline` holds.

    Most lines hold none of what is kept: each regex runs only on a line that has
    the character (or, for port words, a match found in the whole text) it needs.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = [line.rstrip("\r") for line in text.split("\n")]
        self.keys: list[tuple[int, str]] = []
        self.tables: list[Table] = []
        self.code: list[tuple[int, int]] = []
        self.ports: dict[PortMention, None] = {}
        self.citations: list[Citation] = []
        self.in_ports_section = False
        self.port_word_lines = _lines_with(text.lower(), "port")

    def read(self) -> Outline:
        summary = skim(self.text)
        heading_lines = {h.line: h for h in summary.headings}
        if summary.title is not None:
            heading_lines[summary.title.line] = summary.title
        fence: str | None = None
        start = 0
        table: _TableShape | None = None
        lines = self.lines
        comment = False
        for number, line in enumerate(lines, 1):
            if fence is not None:
                self._code_line(number, line)
                if _closes_block(line, fence):
                    self.code.append((start, number))
                    fence = None
                continue
            hidden, comment = _in_comment(line, comment)
            if hidden:
                self._closed(table, number)  # a comment block ends a table
                table = None
                continue
            opens, still = self._opening(number, line)
            if opens:
                fence, start = still, number
                continue
            if table is not None:
                if "|" in line and line.strip():
                    self._table_row(number, line, table)
                    continue
                self.tables.append(Table(table.start, number - 1, tuple(table.header)))
                table = None
            if number in heading_lines:
                self.in_ports_section = "port" in {
                    w.rstrip("s") for w in words(heading_lines[number].text)
                }
                continue
            if "|" in line and number < len(lines) and _delimiter(lines[number]):
                table = _TableShape(number, _cells(line))
                continue
            self._text_line(number, line)
        if fence is not None:
            self.code.append((start, len(lines)))
        self._closed(table, len(lines) + 1)
        return Outline(
            summary,
            _sections(summary, lines),
            tuple(self.keys),
            tuple(self.tables),
            tuple(self.code),
            PortMentions(self.ports),
            tuple(self.citations),
        )

    def _opening(self, number: int, line: str) -> tuple[bool, str | None]:
        """Whether `line` opens a fenced block, and the fence left open after it."""
        opening = _FENCE.match(line) if "`" in line or "~" in line else None
        if opening is not None and opening.group(1)[0] == "`" and "`" in opening.group(2):
            opening = None  # ```` ```js``` ```` is inline code (added with the skim's rule)
        if opening is not None:
            return True, opening.group(1)
        # A `<pre>` block is a code block up to the line with its end, its first line too.
        # (Added with that rule, after the rest was kept.)
        if _PRE_OPEN.match(line):
            self._code_line(number, line)
            if _closes_block(line, "<pre>"):
                self.code.append((number, number))
                return True, None
            return True, "<pre>"
        return False, None

    def _closed(self, table: _TableShape | None, number: int) -> None:
        if table is not None:
            self.tables.append(Table(table.start, number - 1, tuple(table.header)))

    def _code_line(self, number: int, line: str) -> None:
        if "-p" in line:  # `-p` or `--publish`
            for found in _PUBLISH.finditer(line):
                self._port(number, int(found.group(1)), found.group(2))
        self._cite(number, line)

    def _text_line(self, number: int, line: str) -> None:
        key = _KEY_LINE.match(line) if ":" in line else None
        if key is not None and "://" not in line[: key.end() + 2]:
            self.keys.append((number, key.group(1).strip()))
        if self.in_ports_section:
            body = re.sub(r"^[ \t>]*(?:[-*+]|\d{1,3}[.)])?", "", line)
            for port, protocol in port_run(body):
                self._port(number, port, protocol)
        # A line of text that gives an example (`For example, -p 8080:80 ...`) gives no
        # port and cites no tag. (Added with that rule, after the rest was kept.)
        if "for example" in line.lower() or "e.g." in line.lower():
            return
        if number in self.port_word_lines:
            self._port_phrases(number, line)
        if "-p" in line:
            for found in _PUBLISH.finditer(line):
                self._port(number, int(found.group(1)), found.group(2))
        self._cite(number, line)

    def _port_phrases(self, number: int, line: str) -> None:
        """`Port: 8080`, `ports 4222 (clients) and 8222`: the run after each port word,
        up to the end of its clause."""
        for found in _PORT_WORD.finditer(line):
            clause = re.split(r";|\.(?:\s|$)", line[found.end() :], maxsplit=1)[0]
            for port, protocol in port_run(clause):
                self._port(number, port, protocol)

    def _table_row(self, number: int, line: str, table: _TableShape) -> None:
        if _delimiter(line):
            return
        cells = _cells(line)
        protocol = None
        for index in table.protocol_columns:
            if index < len(cells):
                protocol = cells[index].strip("` ").lower() or None
        for index in table.port_columns:
            if index < len(cells):
                for port, said in port_run(cells[index]):
                    self._port(number, port, protocol if protocol in ("tcp", "udp") else said)
        if len(table.header) == 2 and len(cells) >= 2:
            first = cells[0].strip("*_` ")
            if first and len(first) <= 40:
                self.keys.append((number, first))  # key/value tables: | Build | PASS |
            if "port" in {w.rstrip("s") for w in words(first)}:
                for cell in cells[1:]:
                    for port, said in port_run(cell):
                        self._port(number, port, said)
        self._cite(number, line)

    def _port(self, line: int, number: int, protocol: str | None) -> None:
        if 0 < number < 65536:
            mention = PortMention(line, number, (protocol or "tcp").lower())
            self.ports[mention] = None

    def _cite(self, number: int, line: str) -> None:
        if ":" not in line or not _CITABLE.search(line):
            return
        for found in _CITATION.finditer(line):
            tag = found.group(2).rstrip(".-")
            if tag:
                self.citations.append(Citation(number, found.group(1), tag))


def _closes_block(line: str, fence: str) -> bool:
    """Whether `line` closes the fenced block `fence` opened, or the `<pre>` block."""
    if fence == "<pre>":
        return _PRE_END.search(line) is not None
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.lstrip(fence[0]).strip()


def _lines_with(text: str, word: str) -> set[int]:
    """The 1-based lines of `text` that hold `word`.

    Only ASCII capitals match `p`, `o`, `r` and `t` case-insensitively (no other
    character does in `re`), so every match of `_PORT_WORD` stands on a line where
    the lowered text holds `port`; lowering never adds or removes a newline.
    """
    found: set[int] = set()
    line, counted = 1, 0
    position = text.find(word)
    while position >= 0:
        line += text.count("\n", counted, position)
        counted = position
        found.add(line)
        position = text.find(word, position + len(word))
    return found


# An HTML comment block (a line that opens with `<!--` behind at most three spaces, up
# to the line with `-->`) is seen by no reader: it gives nothing, and ends a table.
# (Added with that rule, after the rest was kept as it was.)
def _opens_comment(line: str) -> bool:
    indent = len(line) - len(line.lstrip(" "))
    return indent <= 3 and line[indent:].startswith("<!--")


def _in_comment(line: str, open_before: bool) -> tuple[bool, bool]:
    """Whether `line` stands in a comment block, and whether the block goes on after it."""
    if open_before:
        return True, "-->" not in line
    if not _opens_comment(line):
        return False, False
    return True, "-->" not in line.lstrip(" ")[4:]


def _delimiter(line: str) -> bool:
    """Whether `line` is a table's delimiter row (it has a `-` at least)."""
    return "-" in line and _TABLE_DELIMITER.match(line) is not None


def _sections(summary: Skim, lines: list[str]) -> tuple[Section, ...]:
    """Every heading's section; one with nothing but TODO lines and comments is a placeholder."""
    ordered = sorted(summary.headings, key=lambda h: h.line)
    heading_lines = {heading.line for heading in ordered}
    found = []
    for index, heading in enumerate(ordered):
        end = len(lines)
        for later in ordered[index + 1 :]:
            if later.level <= heading.level:
                end = later.line - 1
                break
        found.append(Section(heading, end, _placeholder(lines, heading.line, end, heading_lines)))
    return tuple(found)


def _placeholder(lines: list[str], heading: int, end: int, heading_lines: set[int]) -> bool:
    """Whether lines `heading`+1 to `end` (1-based) hold only TODOs, comments, blanks and
    headings; it stops at the first line that holds anything else."""
    for number in range(heading + 1, end + 1):
        line = lines[number - 1]
        if (
            line.strip()
            and number not in heading_lines
            and not (_TODO.match(line) or _COMMENT_LINE.match(line) or _UNDERLINE.match(line))
        ):
            return False
    return True
