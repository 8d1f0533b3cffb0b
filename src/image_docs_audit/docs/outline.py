"""The outline of a doc: what the facts beyond coverage read from its text. Pure.

Ports, the rubric, tag drift, alias suggestions and orphans need a few things
from a doc besides the mentions the scan finds: its title and headings, its
`Key:` lines, its tables' header cells, its fenced code blocks, the ports it
gives and the `name:tag` references it cites. None of them depend on the
inventory, so an outline is computed once per blob, like the scan's hits.

Two depths: `skim` (the generated-index marker, the title and the headings) for
every doc, and `outline` (one pass over the lines) only for the docs that document
an image. `skim` searches the whole text with patterns that start with a literal
newline (over "\n" + text), which skip from line to line at C speed where `^` with
re.MULTILINE would try every position of the text.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import starmap
from operator import attrgetter, itemgetter
from typing import Any, Final, TypeVar

from ..model import Kind
from ..records import fast_init
from .blocks import (
    _parser,
    _tokens,
    closes_fence,
    front_matter_lines,
    kinds_of,
    may_open_definition,
    opens_fence,
    opens_html_block,
)
from .frontmatter import title_value
from .lines import SplitText, offsets
from .words import fold

# The first line of a doc written by `image-docs-audit index --write`. A doc that starts
# with it is never evidence of documentation, nor a source of any other fact.
GENERATED_MARKER = "<!-- image-docs-audit:generated-index"
_MARKER_WINDOW: Final = 512  # the marker must stand near the top (after a BOM or blank lines)

_FENCE: Final = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$", re.MULTILINE)
# Searches over "\n" + text: one that starts with a literal newline skips from line to
# line at C speed, where `^` with re.MULTILINE tries every position of the text.
_LINE_FENCE: Final = re.compile(r"\n {0,3}(`{3,}|~{3,})([^\n]*)")
# An ATX heading: up to three spaces, one to six `#`, then a blank or the line's end; the
# rest of the line is read for its text by `_heading_text`. (As a lazy group before the
# optional closing `#`s and blanks, the text took the square of a line of blanks to find.)
_LINE_HEADING: Final = re.compile(r"\n {0,3}(#{1,6})(?=[ \t]|\r?$)([^\n]*)", re.MULTILINE)
# A setext heading's underline: `=`s or `-`s alone on a line (up to three spaces before,
# blanks after), which makes the paragraph above it a heading (a thematic break where
# nothing stands above it).
_LINE_UNDERLINE: Final = re.compile(r"\n {0,3}(=+|-+)[ \t]*\r?(?=\n|\Z)")
_UNDERLINE: Final = re.compile(r" {0,3}(?:=+|-+)[ \t]*\r?\Z")
# A line that may open an HTML block: each of markdown-it's seven kinds starts so.
_LINE_HTML: Final = re.compile(r"\n {0,3}<[A-Za-z/!?]")
_FRONT_MATTER: Final = re.compile(
    r"\A---[ \t]*\r?\n(.*?)\n(?:---|\.\.\.)[ \t]*\r?$", re.DOTALL | re.MULTILINE
)
# TOML front matter (Hugo), between `+++` lines (blocks.TOML_MARKER).
_TOML_FRONT_MATTER: Final = re.compile(
    r"\A\+\+\+[ \t]*\r?\n(.*?)\n\+\+\+[ \t]*\r?$", re.DOTALL | re.MULTILINE
)
# A front matter's title key (`title:`, in TOML `title =`); its value is the rest of the
# line, stripped.
_TITLE_KEY: Final = re.compile(r"^title\s*:", re.IGNORECASE)
_TOML_TITLE_KEY: Final = re.compile(r"^title\s*=", re.IGNORECASE)

# `- **Known issues:** none`, `Port: 8080`, `> Smoke test: PASS`: a short key before a colon.
# The blanks before and after the marker are taken whole (`*+`): what comes after either
# cannot start with one, and giving them back one by one would take the square of a
# line of blanks to fail.
_KEY_LINE: Final = re.compile(
    r"^[ \t>]*+(?:[-*+]|\d{1,3}[.)])?[ \t]*+[*_]{0,2}([A-Za-z][A-Za-z0-9 /&()'-]{0,40}?)[*_]{0,2}"
    r"[ \t]*:[*_]{0,2}(?:[ \t]|$)"
)
# The word that puts the numbers after it in a port context: `Port: 8080`, `port 8094`.
_PORT_WORD: Final = re.compile(r"\b(?:host[ -]?)?ports?\b", re.IGNORECASE)
_PORT_TOKEN: Final = re.compile(r"(\d{1,5})(?:/(tcp|udp|sctp))?(?![\w%/-]|\.\d|:\S)", re.IGNORECASE)
# Between two ports of one run: blanks, commas, slashes, `and`, `or`, markup, and a
# parenthesis up to the first `)` after it (`_gap_end` finds that one: the regex would read
# to the end of the line for each run where none follows).
_PORT_GAP: Final = re.compile(r"(?:[\s,/`*_|=:]|\band\b|\bor\b|\bis\b|\bare\b|\bon\b)*")
# `-p 8080:80`, `--publish 127.0.0.1:8443:443/tcp`: the host port.
_PUBLISH: Final = re.compile(
    r"(?:^|\s)(?:-p|--publish)(?:[ \t]+|=)[\"']?(?:\d{1,3}(?:\.\d{1,3}){3}:)?(\d{1,5})"
    r"(?:-\d{1,5})?:\d{1,5}(?:-\d{1,5})?(?:/(tcp|udp|sctp))?"
)
# `name:tag` as docs cite images: `example/app:1.3`, `redis:7-alpine`; not `host:8080/path`
# nor a URL (`//` before the name). The repository is matched against the inventory later.
_CITATION: Final = re.compile(
    r"(?<![\w./:@-])((?:[a-z0-9][a-z0-9._-]*(?::\d{1,5})?/)*[a-z0-9][a-z0-9._-]*)"
    r":([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})(?![\w:/@-])",
    re.IGNORECASE,
)
# What every citation has after its colon, the first character of a tag: a pattern that
# starts with a literal, which `re` finds at C speed over a whole doc.
_CITE_COLON: Final = re.compile(r":[A-Za-z0-9_]", re.IGNORECASE)
# Every run is taken whole (`*+`, `++`): nothing after a run of blanks, dashes or cells can
# start with what it holds, and giving each back one by one took the cube of a line of
# blanks around a dash to fail (266 s for 10,000 characters).
_TABLE_DELIMITER: Final = re.compile(
    r"^[ \t>]*+\|?[ \t]*+:?-++:?[ \t]*+(?:\|[ \t]*+:?-++:?[ \t]*+)*+\|?[ \t]*+$"
)
_PIPE: Final = re.compile(r"(?<!\\)\|")
# A line's block quote and list markers, before the ports of a `## Ports` section's line.
_ITEM_MARKER: Final = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,3}[.)])?")
# Where the clause of a port word ends: `Port: 8080; admin on 9090`, `port 80. Then`.
_CLAUSE_END: Final = re.compile(r";|\.(?:\s|$)")
# A `<pre>` opening a line: an HTML block of raw text (markdown-it's kind 1) that a reader
# sees as preformatted code. It is a code block, as a fenced one, up to the line that holds
# the end markdown-it ends it at (the end of any of kind 1's four elements).
_PRE_OPEN: Final = re.compile(r" {0,3}<pre(?=[\s>]|$)", re.IGNORECASE)
_PRE_END: Final = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)
_PRE: Final = "<pre>"  # the "fence" of an open `<pre>` block: no fence's run of ` or ~
_TODO: Final = re.compile(r"^[ \t>]*(?:[-*+][ \t]+)?[*_]{0,2}TODO\b", re.IGNORECASE)
_COMMENT_LINE: Final = re.compile(r"^\s*<!--.*-->\s*$")


_Value = TypeVar("_Value")


def _pickled_by_fields(cls: type[_Value]) -> type[_Value]:
    """Pickle `cls` as its class and field values: a frozen dataclass with slots pickles
    through `__getstate__`, a Python call that lists its fields for every object, and
    outlines cross from the worker processes by the hundred thousand."""
    values = attrgetter(*(field.name for field in fields(cls)))  # type: ignore[arg-type]

    def reduce(self: _Value) -> tuple[type[_Value], tuple[object, ...]]:
        return cls, values(self)

    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls


@fast_init
@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    level: int  # 1 to 6; the title of a front matter is level 1
    text: str


@dataclass(frozen=True, slots=True)
class Skim:
    """What every doc is read for: is it a generated index, and what does it say it is about."""

    generated: bool
    title: Heading | None
    headings: tuple[Heading, ...]  # every heading but the title, in line order

    def __reduce__(self) -> tuple[Callable[..., Skim], _SkimValues]:
        return _skim_from, _skim_values(self)  # see _HEADING_VALUES


@fast_init
@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the lines under it, up to the next heading of its level or above."""

    heading: Heading
    end: int  # the last line of the section
    placeholder: bool  # its body holds nothing but TODO lines (a scaffold not filled in)


@fast_init
@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Table:
    header: int  # the header row's line
    end: int  # the last row's line
    columns: tuple[str, ...]  # the header cells, stripped


@fast_init
@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class PortMention:
    line: int
    number: int
    protocol: str  # tcp, udp or sctp


_PROTOCOLS: Final = ("tcp", "udp", "sctp")  # every protocol a port mention may have
_PROTOCOL_INDEX: Final = {protocol: index for index, protocol in enumerate(_PROTOCOLS)}
# One object for each port number (at most 65,535), which the ports of a large tree's
# docs share: read from an array, each would be a new one, and they are hundreds of
# thousands.
_PORT_NUMBERS: dict[int, int] = {}


class PortMentions:
    """A doc's port mentions in the order found, packed as three numbers each (line,
    port, protocol) in one array.

    A large tree's outlines hold hundreds of thousands of them until the facts read
    them: as `PortMention` objects (and the numbers above 256 as objects of their own)
    they took about 150 bytes each, a sixth of an audit's memory; packed, 24 bytes.
    """

    __slots__ = ("_packed",)

    def __init__(self, mentions: Iterable[PortMention] = ()) -> None:
        self._packed = _packed((m.line, m.number, m.protocol) for m in mentions)

    @classmethod
    def of_values(cls, values: Iterable[tuple[int, int, str]]) -> PortMentions:
        """The mentions of (line, port, protocol) values, with no `PortMention` made."""
        return _port_mentions_from(_packed(values))

    def values(self) -> Iterator[tuple[int, int, str]]:
        """(line, port, protocol) of each mention, without making a `PortMention`."""
        packed = self._packed
        shared = _PORT_NUMBERS
        # map, not a comprehension: in the compiled build (setup.py) a loop's `int` is a
        # machine integer, and each would come out of it as a new object.
        column = packed[1::3]
        numbers = map(shared.setdefault, column, column)
        protocols = map(_PROTOCOLS.__getitem__, packed[2::3])
        return zip(packed[0::3], numbers, protocols, strict=True)

    def __iter__(self) -> Iterator[PortMention]:
        return starmap(PortMention, self.values())

    def __len__(self) -> int:
        return len(self._packed) // 3

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PortMentions) and self._packed == other._packed

    def __hash__(self) -> int:
        return hash(self._packed.tobytes())

    def __repr__(self) -> str:
        return f"PortMentions({list(self)!r})"

    def __reduce__(self) -> tuple[Callable[[array[int]], PortMentions], tuple[array[int]]]:
        return _port_mentions_from, (self._packed,)  # the array pickles as its bytes


def _packed(values: Iterable[tuple[int, int, str]]) -> array[int]:
    packed = array("q")
    index = _PROTOCOL_INDEX
    for line, number, protocol in values:
        packed.extend((line, number, index[protocol]))
    return packed


def _port_mentions_from(packed: array[int]) -> PortMentions:
    mentions = PortMentions()
    mentions._packed = packed
    return mentions


@fast_init
@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Citation:
    line: int
    repository: str  # as written
    tag: str


@dataclass(frozen=True, slots=True)
class Outline:
    """What the facts read from a doc that documents an image."""

    skim: Skim
    sections: tuple[Section, ...]
    keys: tuple[tuple[int, str], ...]  # (line, key) of `Key:` lines and key/value table rows
    tables: tuple[Table, ...]
    code: tuple[tuple[int, int], ...]  # first and last line of each fenced or `<pre>` block
    ports: PortMentions
    citations: tuple[Citation, ...]

    def __reduce__(self) -> tuple[Callable[..., Outline], tuple[object, ...]]:
        return _outline_from, (  # see _HEADING_VALUES
            _skim_values(self.skim),
            _values(_SECTION_VALUES, self.sections),
            self.keys,
            _values(_TABLE_VALUES, self.tables),
            self.code,
            self.ports,
            _values(_CITATION_VALUES, self.citations),
        )


# Skims and outlines cross from the worker processes by the thousand, with
# hundreds of thousands of records in them, and the parent waits while the child
# pickles them. Each is pickled as plain tuples of its records' values (pickled at C
# speed) and its records are made again in one pass: for the 700 outlines of the
# benchmark's small project, 28 ms to pickle instead of 48, 37 ms to unpickle
# instead of 29 (both ways, making the records is most of the cost).
_HEADING_VALUES: Final = attrgetter("line", "level", "text")
_SECTION_VALUES: Final = attrgetter("heading.line", "end", "placeholder")
_TABLE_VALUES: Final = attrgetter("header", "end", "columns")
_CITATION_VALUES: Final = attrgetter("line", "repository", "tag")
_HeadingValues = tuple[int, int, str]
_SkimValues = tuple[bool, _HeadingValues | None, tuple[_HeadingValues, ...]]


def _skim_values(skim: Skim) -> _SkimValues:
    title = skim.title
    return (
        skim.generated,
        None if title is None else _HEADING_VALUES(title),
        _values(_HEADING_VALUES, skim.headings),
    )


def _values(getter: attrgetter[tuple[object, ...]], records: tuple[object, ...]) -> tuple[Any, ...]:
    return tuple(map(getter, records))


def _skim_from(
    generated: bool, title: _HeadingValues | None, headings: tuple[_HeadingValues, ...]
) -> Skim:
    made = tuple(starmap(Heading, headings))
    return Skim(generated, None if title is None else Heading(*title), made)


def _outline_from(skim: _SkimValues, *values: Any) -> Outline:
    sections, keys, tables, code, ports, citations = values
    made = _skim_from(*skim)
    # A section's heading is one of the skim's, as in the outline that was pickled.
    headings = {heading.line: heading for heading in made.headings}
    return Outline(
        made,
        tuple(Section(headings[line], end, placeholder) for line, end, placeholder in sections),
        keys,
        tuple(starmap(Table, tables)),
        code,
        ports,
        tuple(starmap(Citation, citations)),
    )


def is_generated(text: str) -> bool:
    return GENERATED_MARKER in text[:_MARKER_WINDOW]


def skim(text: str) -> Skim:
    """The marker, title and headings of `text` (line ends `\\n` or `\\r\\n`, as `decode`
    leaves them): the headings markdown-it reads whose `#`s or underline open their line
    (tests/test_outline_headings.py), by regular expressions over the text where those can
    tell, and by the line classifier or markdown-it itself where they cannot."""
    padded = "\n" + text  # a match's start is then the offset of its line in `text`
    title = _front_matter_title(text)
    front = _front_lines(text)
    if front is None:  # (`- x--`: see `_front_lines`)
        atx, setext = _by_markdown(text, _LineMarks(padded, 0).atx)
    else:
        atx, setext = _headings(text, padded, front)
    headings: list[Heading] = []
    for heading in sorted([*starmap(_atx_heading, atx), *setext], key=_line_of):
        if title is None and heading.level == 1:
            title = heading
        else:
            headings.append(heading)
    return Skim(is_generated(text), title, tuple(headings))


def _atx_heading(match: re.Match[str], line: int) -> Heading:
    # Docs repeat their headings (`## Usage`) and the strings of a table's header and
    # of a citation: each is held once (sys.intern lets go of one no longer used).
    said = _clean(_heading_text(match.group(2)))
    return Heading(line, len(match.group(1)), sys.intern(said))


_line_of = attrgetter("line")


class _LineMarks:
    """The lines after the front matter (`after` lines) that may open a fenced code block,
    an ATX heading or an HTML block, or underline a setext heading: (match of
    `_LINE_FENCE`, `_LINE_HEADING`, `_LINE_HTML` or `_LINE_UNDERLINE`, 1-based line) of
    each, in one pass over the lines' first characters (after up to three spaces), each
    line's number counted on the way."""

    def __init__(self, padded: str, after: int) -> None:
        self.fences: list[tuple[re.Match[str], int]] = []
        self.atx: list[tuple[re.Match[str], int]] = []
        self.html: list[tuple[re.Match[str], int]] = []
        self.underlines: list[tuple[re.Match[str], int]] = []
        # The lines that would open a fenced code block or an HTML block behind four
        # columns of blanks or a tab (line, offset of its newline): indented code at the
        # top level, a block in a list item; and those that open one in a list item's
        # first line (`- ```` `).
        self.deep: list[tuple[int, int]] = []
        at, line, size = 0, 0, len(padded)
        while at >= 0:
            line += 1
            first = at + 1
            role = _role(padded, first, size)
            if role == _INDENTED:  # (rare: most lines start with their text)
                lead = padded[first : first + 4]
                blanks = len(lead) - len(lead.lstrip(" "))
                if blanks == len(lead) or lead[blanks] == "\t":
                    role = _PLAIN
                    if _DEEP_OPENER.match(padded, at) is not None:
                        self.deep.append((line, at))
                else:
                    first += blanks
                    role = _role(padded, first, size)
            if role & _MARK and line > after:
                self.mark(padded, at, line, padded[first])
            if role & _ITEM and _opens_in_item(padded, first):
                self.deep.append((line, at))
            at = padded.find("\n", first)

    def mark(self, padded: str, at: int, line: int, char: str) -> None:
        if char in "`~":
            found, into = _LINE_FENCE.match(padded, at), self.fences
        elif char == "#":
            found, into = _LINE_HEADING.match(padded, at), self.atx
        elif char == "<":
            found, into = _LINE_HTML.match(padded, at), self.html
        else:
            found, into = _LINE_UNDERLINE.match(padded, at), self.underlines
        if found is not None:
            into.append((found, line))


def _role(padded: str, at: int, size: int) -> int:
    """What the character at `at` may make of a line it starts (see `_ROLES`)."""
    code = ord(padded[at]) if at < size else 0
    return _ROLES[code] if code < len(_ROLES) else _PLAIN


# What a line's first character (after up to three spaces) may make it: one of those
# (`_MARK`), a list item (`_ITEM`: see `_opens_in_item`), or blanks come first. (A search
# for them with a regular expression, from newline to newline, took a third more time
# than this loop in the compiled build; a table, a tenth less than `in` a string.)
_PLAIN: Final = 0
_MARK: Final = 1
_ITEM: Final = 2
_INDENTED: Final = 4


def _roles() -> bytes:
    table = bytearray(128)
    for char in "`~#<=-":
        table[ord(char)] |= _MARK
    for char in "-+*0123456789":
        table[ord(char)] |= _ITEM
    for char in " \t":
        table[ord(char)] = _INDENTED
    return bytes(table)


_ROLES: Final = _roles()


def _opens_in_item(padded: str, at: int) -> bool:
    """Whether the line whose first character (after up to three blanks) is at `at` may
    be a list item whose first line opens a fenced code block or an HTML block (`- ````,
    `1. <div>`): the marker read as `blocks._list_marker` reads it, but in place, character
    by character (that one copies the line; this runs on every list item's line)."""
    size = len(padded)
    if padded[at] in "-+*":
        at += 1
    else:
        digits = at
        while at < size and at - digits < _ITEM_DIGITS and "0" <= padded[at] <= "9":
            at += 1
        if at == digits or at >= size or padded[at] not in ".)":
            return False
        at += 1
    if at >= size or padded[at] not in " \t":
        return False
    while at < size and padded[at] in " \t":
        at += 1
    return at < size and padded[at] in "`~<" and _BLOCK_START.match(padded, at) is not None


def _opens_block(padded: str, offset: int) -> bool:
    """Whether the line whose newline is at `offset`, a fence or a tag behind blanks or a
    list item's marker (`_LineMarks.deep`), opens a fenced code block or an HTML block:
    not a line of backticks that holds more, nor an autolink or a tag that shares its line
    with text (`- <https://...>`, `* <b>New:</b> an option`)."""
    text = padded[offset + 1 : _line_end(padded, offset)].removesuffix("\r")
    found = _BLOCK_START.search(text)
    if found is None:
        return False
    rest = text[found.start() :]
    if rest[0] == "<":
        return opens_html_block(rest) is not None
    return opens_fence(rest) is not None


_ITEM_DIGITS: Final = 9  # of an ordered list item's number
_BLOCK_START: Final = re.compile(r"```|~~~|<[A-Za-z/!?]")


def _front_lines(text: str) -> int | None:
    """How many lines the front matter takes, as markdown-it reads it (0 without one); None
    where the classifier leaves its rule to markdown-it (see `blocks.front_matter_lines`).
    The lines are split up to its end only, most of the time."""
    if text[:1] not in ("-", "+"):
        return 0
    head = text.split("\n", _FRONT_SPLIT)
    count = front_matter_lines([line.removesuffix("\r") for line in head])  # `\r\n` as `\n`
    if count == 0 and len(head) > _FRONT_SPLIT:  # it may end further down
        count = front_matter_lines([line.removesuffix("\r") for line in text.split("\n")])
    return count


_FRONT_SPLIT: Final = 64  # the lines split to look for the front matter's end, then all of them


# Where a line stands for `_headings`: in text a heading may open, in a fenced code block
# or an HTML block (no heading), or where only the classifier can tell.
_OPEN, _CLOSED, _UNSURE = 0, 1, 2


class _Places:
    """Where each line stands (`_OPEN`, `_CLOSED`, `_UNSURE`): before the first line that
    may open an HTML block (`html_from`), by the fenced code blocks the regular
    expressions found; from there on, by the blocks `_read_blocks` reads."""

    def __init__(
        self, padded: str, fences: list[tuple[int, int]], html_from: int, front: int
    ) -> None:
        self.fences = fences  # (first, last) lines
        self.html_from = html_from
        self.front = front  # the front matter's lines
        self.atx: set[int] = set()  # the lines that look like ATX headings
        self.underlined: set[int] = set()  # the underlines of the setext headings found
        self.closed: list[tuple[int, int]] = []  # (first, last) lines from `html_from` on
        self.unsure: list[tuple[int, int]] = []
        # From this line on, nothing is sure: a fenced code block or an HTML block opened
        # behind blanks may stand in a list item, and end with it (`opened_behind_blanks`).
        self.unsure_from = _NO_LINE
        self.lists = _Lists(padded)

    def place(self, line: int) -> int:
        if line >= self.unsure_from:
            return _UNSURE
        if line < self.html_from:
            return _CLOSED if _in_lines(line, self.fences) else _OPEN
        if _in_lines(line, self.unsure):
            return _UNSURE
        return _CLOSED if _in_lines(line, self.closed) else _OPEN

    def opened_behind_blanks(self, line: int, offset: int) -> None:
        """A fenced code block or an HTML block may open at `line` (its newline at
        `offset`) behind blanks or a list item's marker: where a list item may hold it, it
        ends where the item does, which only the classifier tells, unless it is a fenced
        code block closed before any line could end the item; from there on nothing is
        sure. Elsewhere it stands at the top level (behind four blanks, it opens nothing:
        indented code or text)."""
        if (
            line < self.unsure_from
            and self.lists.may_hold(offset)
            and not self.lists.closed_inside(offset)
        ):
            self.unsure_from = line


class _Lists:
    """Whether a list item or a block quote may hold a line of `padded`: where a line
    that may open one (`-`, `*`, `+`, a number and `.` or `)`, `>`) stands since the last
    line at the margin after a blank line, which ends every list and quote (after a blank
    line no line continues a paragraph lazily, and an item holds only the lines indented
    to its text, a fenced code block or an HTML block in it too). The lines are looked at
    from the one asked up, each against a budget of twice the doc's length for all that
    is asked of the doc: past it, every line may be held."""

    def __init__(self, padded: str) -> None:
        self.padded = padded
        self.budget = 2 * len(padded)  # the characters the two questions may look at
        self.inside = (0, 0)  # the newlines of the last block it found closed and its closer

    def closed_inside(self, offset: int) -> bool:
        """Whether the line whose newline is at `offset` opens a fenced code block behind
        blanks that a line as indented closes, every line up to it indented as much: it
        ends there whether a list item holds it or not (no line can have ended the item
        first, and that line closes the block in any item that may hold it). Past the
        budget (see `_Lists`), none is."""
        if self.inside[0] < offset <= self.inside[1]:
            return True  # a line of the last one found, or its closer: no opener
        padded = self.padded
        end = _line_end(padded, offset)
        opening = padded[offset + 1 : end].removesuffix("\r")
        indent = len(opening) - len(opening.lstrip(" "))
        fence = opens_fence(opening[indent:])
        if fence is None:
            return False  # no fence, or a line that opens none
        while end < len(padded) and self.budget > 0:
            start, end = end, _line_end(padded, end)
            self.budget -= end - start
            text = padded[start + 1 : end].removesuffix("\r")
            content = text.lstrip(" ")
            if not content.strip(" \t"):
                continue  # a blank line
            if content[0] == "\t" or len(text) - len(content) < indent:
                return False  # it may end the item
            if closes_fence(content, *fence):
                if len(text) - len(content) != indent:
                    return False  # whether it closes depends on the item's indent
                self.inside = (offset, start)
                return True
        return False

    def may_hold(self, offset: int) -> bool:
        """Whether an item or a quote may hold the line whose newline is at `offset` (the
        line itself may open one)."""
        padded = self.padded
        start, end = offset, _line_end(padded, offset)
        margin = False  # whether the line below the one looked at stands at the margin
        while self.budget > 0:
            self.budget -= end - start
            if _CONTAINER_LINE.match(padded, start) is not None:
                return True
            text = padded[start + 1 : end].removesuffix("\r")
            if not text.strip(" \t"):
                if margin:
                    return False  # a blank line above a line at the margin
            else:
                margin = text[0] not in " \t"
            if start == 0:
                return False  # the doc's first line
            start, end = padded.rfind("\n", 0, start), start
        return True


def _line_end(padded: str, offset: int) -> int:
    """The offset of the newline after the one at `offset`, or the text's end."""
    end = padded.find("\n", offset + 1)
    return len(padded) if end < 0 else end


# A line that may open a list item or a block quote.
_CONTAINER_LINE: Final = re.compile(r"\n[ \t]*(?:>|(?:[-+*]|[0-9]{1,9}[.)])(?=[ \t\r\n]|\Z))")


_NO_LINE: Final = 1 << 62  # past every line


def _in_lines(line: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `line` lies in one of `spans` (first and last lines, sorted, apart)."""
    index = bisect_right(spans, (line, _NO_LINE)) - 1
    return index >= 0 and line <= spans[index][1]


def _headings(
    text: str, padded: str, front: int
) -> tuple[list[tuple[re.Match[str], int]], list[Heading]]:
    """The ATX headings (match of `_LINE_HEADING`, line) and setext headings of `text`,
    whose front matter takes `front` lines."""
    marks = _LineMarks(padded, front)
    fences = _fence_line_spans(marks.fences)
    # The first that stands in no fenced code block: before it, the fences are as found.
    html = marks.html
    first = next(
        (index for index, (_, line) in enumerate(html) if not _in_lines(line, fences)), None
    )
    places = _Places(padded, fences, html[first][1] if first is not None else _NO_LINE, front)
    _indented_fences(marks.fences, fences, places)
    if first is not None:
        _read_blocks(padded, marks.fences, html[first:], places)
    # Those that stand in no block, or in an HTML block that may be text (a tag alone on a
    # line after a list item's text: then a line below may be in the item).
    for line, offset in marks.deep:
        if line > front and places.place(line) != _CLOSED and _opens_block(padded, offset):
            places.opened_behind_blanks(line, offset)
    atx = []
    asked = []
    for match, line in marks.atx:
        place = places.place(line)
        if place == _OPEN:
            atx.append((match, line))
        elif place == _UNSURE:
            asked.append((match, line))
    places.atx = {line for _, line in marks.atx}
    setext, underlines = _setext_headings(padded, marks.underlines, places)
    if not asked and not underlines:
        return atx, setext
    wanted = {line for _, line in asked} | set(underlines) | {line - 1 for line in underlines}
    returns, nul = "\r" in text, "\0" in text
    kinds = kinds_of(text, text.split("\n"), sorted(wanted), returns=returns, nul=nul)
    if any(
        kinds(line) in _HEADING_KINDS and kinds(line - 1) in _HEADING_KINDS for line in underlines
    ):
        return _by_markdown(text, marks.atx)  # a setext heading the classifier cannot bound
    atx += [(match, line) for match, line in asked if kinds(line) in _HEADING_KINDS]
    atx.sort(key=_second)
    return atx, setext


def _indented_fences(
    fence_lines: list[tuple[re.Match[str], int]], fences: list[tuple[int, int]], places: _Places
) -> None:
    """The fenced code blocks opened behind blanks before the first HTML block, told to
    `places` (see `_Places.opened_behind_blanks`)."""
    openers = {line for line, _ in fences}
    for match, line in fence_lines:
        if line >= min(places.html_from, places.unsure_from):
            break
        if line in openers and match.group()[1:2] == " ":
            places.opened_behind_blanks(line, match.start())


# A fence or a tag behind four columns of blanks, or a tab, or behind a list item's
# marker (after up to three blanks, or any).
_DEEP_OPENER: Final = re.compile(
    r"\n(?: {0,3}\t| {4})[ \t]*(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]+)?(?:```|~~~|<[A-Za-z/!?])"
)


_second = itemgetter(1)


def _setext_headings(
    padded: str, underlines: list[tuple[re.Match[str], int]], places: _Places
) -> tuple[list[Heading], list[int]]:
    """The setext headings (`Ports` over `-----`) at the `underlines` (match of
    `_LINE_UNDERLINE`, line) of plain paragraphs (see `_plain_paragraph`), and the lines
    of the underlines the classifier must tell: under a paragraph that is not plain, or
    where the regular expressions cannot tell where they stand."""
    found = []
    asked = []
    for match, line in underlines:
        at = match.start()
        above = padded.rfind("\n", 0, at)
        if line == 1 or not padded[above + 1 : at].strip(_BLANK):
            continue  # nothing above it: a thematic break, or the doc's first line
        place = places.place(line)
        if place == _CLOSED:
            continue
        paragraph = _plain_paragraph(padded, at, line, places) if place == _OPEN else None
        first = line - len(paragraph) if paragraph is not None else line
        if paragraph is None or places.place(first) != _OPEN:  # (its first lines end a block)
            asked.append(line)
            continue
        found.append(_setext_heading(paragraph, first, 1 if match.group(1)[0] == "=" else 2))
        places.underlined.add(line)
    return found, asked


def _plain_paragraph(padded: str, underline: int, line: int, places: _Places) -> list[str] | None:
    """The lines of the paragraph above the underline whose newline is at `underline` (at
    line `line`), where the paragraph is plain text (see `_plain`) after a blank line, the
    front matter, the doc's start, a heading or the end of a fenced code block or an HTML
    block, all of which make it a setext heading; None where that takes the classifier
    to tell.

    See `_paragraph_line` for the lines that may go on a paragraph but not open one."""
    end = underline
    while True:
        start = padded.rfind("\n", 0, end)
        text = padded[start + 1 : end]
        line -= 1
        goes_on, opens = _paragraph_line(text)
        if not goes_on:
            return None
        if (
            line - 1 <= places.front
            or start == 0
            or not padded[padded.rfind("\n", 0, start) + 1 : start].strip(_BLANK)
            or line - 1 in places.atx
            or line - 1 in places.underlined
            or places.place(line - 1) == _CLOSED  # a block's last line: this one is not in it
        ):
            return padded[start + 1 : underline].split("\n") if opens else None
        end = start


def _paragraph_line(text: str) -> tuple[bool, bool]:
    """Whether `text`, a line above an underline, may go on a plain paragraph (see
    `_plain`), and whether it may open one.

    Behind 1 to 3 blanks, a line goes on a paragraph as its text would; behind 4 columns
    or more, whatever it holds (markdown-it's lazy line). Neither opens one: after a blank
    line, an indented line may stand in a list item above it. A line that starts with `[`
    (a title's badges, `[![build](...)](...)`) goes on one (no definition goes on a
    paragraph, and none of its lines is a table's without a `|`), and opens one unless
    its label may end in `]:` (`[Python-Markdown][]` may not)."""
    rest = text.lstrip(" \t")
    indent = len(text) - len(rest)
    if indent > 3 or "\t" in text[:indent]:  # (a tab there reaches the fourth column)
        return True, False
    if rest[:1] == "[" and "|" not in rest:
        return True, not indent and not may_open_definition(rest)
    plain = _plain(rest)
    return plain, plain and not indent


def _read_blocks(
    padded: str,
    fence_lines: list[tuple[re.Match[str], int]],
    html: list[tuple[re.Match[str], int]],
    places: _Places,
) -> None:
    """The fenced code blocks and HTML blocks from the first line that may open an HTML
    block (the first of `html`, the lines that may: match of `_LINE_HTML`, line) on, as
    markdown-it reads them at the top level, into `places`: from each line that may open
    a block (those and the `fence_lines`) to the next one past the end of the block it
    opens, each end searched for in the text (see `_BlockEnds`)."""
    starts = sorted(
        [(line, match.start(), True) for match, line in fence_lines if line >= places.html_from]
        + [(line, match.start(), False) for match, line in html]
    )
    lines = [line for line, _, _ in starts]
    ends = _BlockEnds(padded, fence_lines, places)
    index = 0
    while index < len(starts):
        line, offset, fence = starts[index]
        last = ends.fence(line) if fence else ends.html(line, offset)
        if last is None:  # the line opens no block
            index += 1
            continue
        if not ends.sure:  # see `_BlockEnds.html`
            after = bisect_right(lines, line)
            if after < len(lines) and lines[after] <= last:
                places.unsure_from = min(places.unsure_from, lines[after])
        index = bisect_right(lines, last)


class _BlockEnds:
    """Where the block a line opens ends (for `_read_blocks`): its last line, None where
    the line opens none. An HTML block that a paragraph line before it may make text
    (markdown-it's seventh kind, which ends no paragraph) is unsure (`sure` False), and so
    is everything from a line in it that would open a block, were it text."""

    def __init__(
        self, padded: str, fence_lines: list[tuple[re.Match[str], int]], places: _Places
    ) -> None:
        self.padded = padded
        self.fence_lines = fence_lines
        self.fence_at = {line: index for index, (_, line) in enumerate(fence_lines)}
        self.places = places
        self.sure = True
        self.line, self.offset = 1, 0  # a line and the offset of its newline in `padded`

    def fence(self, line: int) -> int | None:
        index = self.fence_at[line]
        opening = self.fence_lines[index][0]
        self.sure = True
        if not _opens_fence(opening):
            return None
        if opening.group()[1:2] == " ":
            self.places.opened_behind_blanks(line, opening.start())
        for later in range(index + 1, len(self.fence_lines)):  # (no copy of the rest)
            match, closing = self.fence_lines[later]
            if _closes_fence_line(match, opening):
                self.places.closed.append((line, closing))
                return closing
        self.places.closed.append((line, _NO_LINE))
        return _NO_LINE

    def html(self, line: int, offset: int) -> int | None:
        padded = self.padded
        end_of_line = padded.find("\n", offset + 1)
        end_of_line = len(padded) if end_of_line < 0 else end_of_line
        text = padded[offset + 1 : end_of_line].removesuffix("\r")
        opened = opens_html_block(text.lstrip(" "))
        if opened is None:
            return None
        pattern, interrupts = opened
        self.sure = True
        if text[:1] == " ":
            self.places.opened_behind_blanks(line, offset)
        if pattern.search("") is not None:  # kinds six and seven: up to a blank line
            blank = _NEXT_BLANK.search(padded, end_of_line)
            last = self.line_of(blank.start()) - 1 if blank is not None else _NO_LINE
            above = padded[padded.rfind("\n", 0, offset) + 1 : offset]
            self.sure = interrupts or line == 1 or not above.strip(_BLANK)
            (self.places.closed if self.sure else self.places.unsure).append((line, last))
            return last
        if pattern.search(text):
            last = line
        else:
            found = pattern.search(padded, end_of_line)
            last = self.line_of(found.start()) if found is not None else _NO_LINE
        self.places.closed.append((line, last))
        return last

    def line_of(self, offset: int) -> int:
        """The line of the character at `offset` in `padded` (offsets asked in order)."""
        self.line += self.padded.count("\n", self.offset + 1, offset + 1)
        self.offset = offset
        return self.line


# The next blank line (its newline), as markdown-it reads one.
_NEXT_BLANK: Final = re.compile(r"\n[ \t]*\r?(?=\n|\Z)")


_HEADING_KINDS: Final = frozenset({Kind.HEADING, Kind.TITLE})


def _plain(line: str) -> bool:
    """Whether `line`, not blank, is a paragraph's text and nothing else where a blank line
    or the doc's start stands before its paragraph: it starts with no blank, no mark that
    may open another block (a list item, a quote, a fence, HTML, a link reference
    definition, an admonition) and no list number, and holds no `|` (a table's row).
    Emphasis (`**Note:**`, `_draft_`, `-rc1`) is plain: a `*`, `-`, `_` or `=` opens a
    block only as a list marker (a blank after it), a thematic break or an underline."""
    first = line[0]
    if "|" in line:
        return False
    if first in _NOT_PLAIN:
        return first in _EMPHASIS and _BLOCK_OF_MARKS.match(line) is None
    return not ("0" <= first <= "9" and _ORDERED_ITEM.match(line) is not None)


_BLANK: Final = " \t\r"  # what a blank line holds, as markdown-it reads one (a form feed is text)
_NOT_PLAIN: Final = frozenset(" \t-+*>#<[`~=_!?:\\\r")
_ORDERED_ITEM: Final = re.compile(r"[0-9]{1,9}[.)](?:[ \t\r]|$)")
# The marks that open a block in some lines only, and those lines: a list item (`* `, `-`
# alone), a thematic break (`***`, `- - -`, `___`), an underline (`==`, `--`), and three
# `-` that may open front matter. No quantifier gives back what it took.
_EMPHASIS: Final = frozenset("*-_=")
_BLOCK_OF_MARKS: Final = re.compile(
    r"[*-](?:[ \t\r]|$)|([*_-])(?:[ \t]*+\1){2}|(?:=++|-++)[ \t]*+\r?$|---"
)


def _by_markdown(
    text: str, found: list[tuple[re.Match[str], int]]
) -> tuple[list[tuple[re.Match[str], int]], list[Heading]]:
    """The headings of `_headings` where an underline's paragraph is not plain (a few docs
    in a hundred: a changelog's `---` under its list items): markdown-it's whose `#`s or
    underline open their line, over the whole doc (the classifier's kinds do not tell
    where one heading's lines end and the next's begin). `found`: the lines that look
    like ATX headings (match of `_LINE_HEADING`, line)."""
    atx_at = {line: match for match, line in found}
    atx: list[tuple[re.Match[str], int]] = []
    setext: list[Heading] = []
    lines = text.split("\n")
    for token in _tokens(text, _parser(text)):
        if token.type != "heading_open" or token.map is None:
            continue
        start, end = token.map
        if token.markup[:1] == "#":
            if start + 1 in atx_at:
                atx.append((atx_at[start + 1], start + 1))
        elif _UNDERLINE.match(lines[end - 1]) is not None:
            setext.append(_setext_heading(lines[start : end - 1], start + 1, int(token.tag[1])))
    return atx, setext


def _setext_heading(paragraph: list[str], line: int, level: int) -> Heading:
    """The setext heading of the lines of `paragraph`, the first at `line`: their text,
    each line stripped, joined by a space."""
    said = " ".join(part.strip() for part in paragraph)
    return Heading(line, level, sys.intern(_clean(said)))


def outline(text: str, *, keys: bool = True, split: SplitText | None = None) -> Outline:
    """Everything the facts read from `text`, in one pass over its lines.

    The `Key:` lines and key/value rows are read for the rubric only: without `keys`
    (no `required-sections` configured), `Outline.keys` is empty. `split`: the text as
    another reader of the doc split it, if one did.
    """
    return _Reader(split if split is not None else SplitText(text), keys=keys).read()


def port_run(text: str) -> list[tuple[int, str]]:
    """The ports `text` starts with (`8080/tcp, 8443/tcp (HTTPS) and 9901`), up to anything else."""
    # Most port cells are a bare number. On 1 to 5 ASCII digits the gap matches nothing and
    # the token takes them all, with nothing after for its lookahead to refuse; `\d` and
    # str.isdigit also take other digits, so only ASCII ones go this way.
    if len(text) <= _MOST_DIGITS and text.isdigit() and text.isascii():
        number = int(text)
        return [(number, "tcp")] if 0 < number < 65536 else []
    return list(_port_tokens(text, 0, len(text), _close_offsets(text)))


_MOST_DIGITS: Final = 5  # as in _PORT_TOKEN


def _close_offsets(text: str) -> list[int]:
    """The offsets of the closing parentheses of `text` where it opens one: found once,
    for every run read in it (see `_gap_end`)."""
    return offsets(text, ")") if "(" in text else []


def _port_tokens(
    text: str, position: int, end: int, closes: list[int]
) -> Iterator[tuple[int, str]]:
    """The ports of `text[position:end]`'s start, read in place (`end` bounds the patterns
    as the end of a slice would, and what they read before `position` cannot change a
    match there: a run starts after a port word or at a line's start)."""
    while True:
        position = _gap_end(text, position, end, closes)
        token = _PORT_TOKEN.match(text, position, end)
        if token is None:
            return
        number = int(token.group(1))
        if 0 < number < 65536:
            yield number, (token.group(2) or "tcp").lower()
        position = token.end()


def _gap_end(text: str, position: int, end: int, closes: list[int]) -> int:
    """Where the gap at `position` ends: `_PORT_GAP`, and each parenthesis closed before
    `end` (by the first of `closes`, `_close_offsets(text)`, after it) with what follows it."""
    while True:
        gap = _PORT_GAP.match(text, position, end)
        position = gap.end() if gap is not None else position
        if position >= end or text[position] != "(":
            return position
        index = bisect_right(closes, position)
        if index >= len(closes) or closes[index] >= end:
            return position
        position = closes[index] + 1


# Compiled once: `words` runs for every name, title and heading (`re.split` with a
# pattern string looks the pattern up in re's cache on each call).
_NOT_WORD: Final = re.compile(r"[^0-9a-z]+")


def words(text: str) -> list[str]:
    """Lower-case words of letters and digits: what fuzzy matching compares."""
    return [word for word in _NOT_WORD.split(fold(text)) if word]


def _heading_text(rest: str) -> str:
    """The text of an ATX heading from the rest of its line after its `#`s (a blank, or
    the line's end): after the blanks that follow them, up to the blanks, closing `#`s
    (after a blank) and carriage return that end the line."""
    text = rest.lstrip(" \t").removesuffix("\r").rstrip(" \t")
    unclosed = text.rstrip("#")
    if unclosed != text and unclosed[-1:] in _BLANKS:
        return unclosed.rstrip(" \t")
    return text


_BLANKS: Final = (" ", "\t")


def _clean(text: str) -> str:
    return text.strip().strip("*_`").strip()


def _front_matter_title(text: str) -> Heading | None:
    title_key = _TITLE_KEY
    found = _FRONT_MATTER.match(text)
    if found is None and text.startswith("+"):
        title_key = _TOML_TITLE_KEY
        found = _TOML_FRONT_MATTER.match(text)
    if found is None:
        return None
    content = found.group(1).split("\n")
    for offset, line in enumerate(content):
        key = title_key.match(line)
        if key is None:
            continue
        value = line[key.end() :]
        if title_key is _TOML_TITLE_KEY:
            return Heading(offset + 2, 1, value.strip().strip("'\""))
        # In YAML the value may go on over the lines below (`title: >-`): the heading's
        # line is the first that holds its text.
        first, _, text = title_value(content, offset, value)
        return Heading(first + 2, 1, text)
    return None


def _fence_line_spans(fence_lines: list[tuple[re.Match[str], int]]) -> list[tuple[int, int]]:
    """The first and last lines of the fenced code blocks of the fence lines (match of
    `_LINE_FENCE`, line) in order, an unclosed one to the end of the doc, as a doc reads
    them with nothing else open: `_read_blocks` reads them past an HTML block."""
    spans = []
    opening: tuple[re.Match[str], int] | None = None
    for match, line in fence_lines:
        if opening is None:
            if _opens_fence(match):
                opening = match, line
        elif _closes_fence_line(match, opening[0]):
            spans.append((opening[1], line))
            opening = None
    if opening is not None:  # an unclosed fence runs to the end of the doc
        spans.append((opening[1], _NO_LINE))
    return spans


def _closes_fence_line(match: re.Match[str], opening: re.Match[str]) -> bool:
    """Whether the fence line `match` closes the fenced block `opening` opened."""
    run = match.group(1)
    return (
        run[0] == opening.group(1)[0]
        and len(run) >= len(opening.group(1))
        and not match.group(2).strip(_BLANK)
    )


def _opens_fence(match: re.Match[str]) -> bool:
    """Whether a fence line (`_FENCE` or `_LINE_FENCE`) may open a fenced block: the info
    string after a run of backticks holds none (```` ```js``` ```` is inline code)."""
    return match.group(1)[0] == "~" or "`" not in match.group(2)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in _row(line)]


def _row(line: str) -> list[str]:
    """A row's cells, not stripped yet: a row is read for one or two of them."""
    body = line.strip()
    if body[:1] == ">":
        body = body.lstrip(">").strip()
    if "\\" in body:
        body = body.removeprefix("|")
        if body.endswith("|") and not body.endswith("\\|"):
            body = body[:-1]
        return _PIPE.split(body)
    # Without a backslash no pipe is escaped: str.split cuts where _PIPE would, and the
    # pipes that open and close the row leave an empty cell at either end.
    cells = body.split("|")
    if body[:1] == "|":
        del cells[0]
    if len(cells) > 1 and not cells[-1]:
        del cells[-1]
    return cells


class _TableShape:
    """A table's header and what its rows are read for, worked out once per table."""

    def __init__(self, start: int, header: list[str]) -> None:
        self.start = start
        self.header = tuple(map(sys.intern, header))  # held by the outline's `Table`
        self.two = len(header) == 2  # a key/value table, maybe
        self.protocol_columns, self.port_columns = _columns(self.header)
        # Read for its port columns only (`| Service | Port | Status |`): most tables.
        self.ports_only = bool(self.port_columns) and not self.protocol_columns and not self.two


# Docs repeat the same headers and headings (`| Service | Port |`, `## Usage`) from table
# to table and from doc to doc, and `words` folds each one: the short ones are cached.
# A long one is worked out each time, so that the cache never holds more than a few
# hundred characters an entry, whatever lines a pull request's docs have.
_CACHED_TEXT: Final = 200


def _columns(header: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The protocol columns and the port columns of a table with `header`."""
    if sum(map(len, header)) <= _CACHED_TEXT:
        return _cached_columns(header)
    return _columns_of(header)


def _columns_of(header: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    columns = [words(cell) for cell in header]
    return (
        tuple(i for i, names in enumerate(columns) if _PROTOCOL_WORDS.intersection(names)),
        tuple(i for i, names in enumerate(columns) if _port_word(names)),
    )


_cached_columns = lru_cache(maxsize=4096)(_columns_of)


def _says_port(text: str) -> bool:
    """Whether `text` (a heading, a key) has the word `port` or `ports`."""
    if "port" not in text.lower():  # most do not: no letter but P, O, R, T lowers to those
        return False
    return _cached_says_port(text) if len(text) <= _CACHED_TEXT else _says_port_in(text)


def _says_port_in(text: str) -> bool:
    return _port_word(words(text))


def _port_word(names: list[str]) -> bool:
    """Whether `names` (the words of a header cell or a heading) hold `port` or `ports`."""
    return any(name.rstrip("s") == "port" for name in names)


_cached_says_port = lru_cache(maxsize=4096)(_says_port_in)


_PROTOCOL_WORDS: Final = frozenset({"protocol", "proto"})


class _Reader:
    """One pass over the lines of a doc, keeping what `Outline` holds.

    Most lines hold none of what is kept: each regex runs only on a line that has
    the character (or, for port words, a match found in the whole text) it needs,
    and a line that can give nothing is not handed to `_code_line` or `_text_line`.
    """

    def __init__(self, split: SplitText, *, keys: bool = True) -> None:
        self.text = text = split.text
        lines = split.lines()
        self.lines = [line.rstrip("\r") for line in lines] if split.holds("\r") else lines
        self.with_keys = keys
        self.keys: list[tuple[int, str]] = []
        self.tables: list[Table] = []
        self.code: list[tuple[int, int]] = []
        self.ports: dict[tuple[int, int, str], None] = {}  # (line, port, protocol)
        self.citations: list[Citation] = []
        self.in_ports_section = False
        lowered = split.ascii_lowered()
        self.port_word_lines = _port_word_lines(lowered)
        # Whether a line may open a `<pre>` block: looked for in the lowered bytes once, as
        # a `<` looked for in each line cost 1.5 % of an outline.
        self.pre = _holds_pre(lowered)
        self.cite_lines = _lines_matching(text, _CITE_COLON)
        # Whether it may hold an HTML comment (see `_comment_line`): a `<` is looked for in
        # the bytes first (memchr), as a search of `<!--` in a text with an emoji reads
        # 2 ns a character (24 µs of a 12 KB doc).
        self.comments = split.holds("<") and "<!--" in text

    def read(self) -> Outline:
        summary = skim(self.text)
        heading_lines = {h.line: h for h in summary.headings}
        if summary.title is not None:
            heading_lines[summary.title.line] = summary.title
        self._walk(heading_lines)
        return Outline(
            summary,
            _sections(summary, self.lines),
            tuple(self.keys),
            tuple(self.tables),
            tuple(self.code),
            PortMentions.of_values(self.ports),
            tuple(self.citations),
        )

    def _walk(self, heading_lines: dict[int, Heading]) -> None:
        """Read the lines in order: fenced blocks, tables, headings and the rest."""
        fence: str | None = None
        start = 0
        table: _TableShape | None = None
        lines = self.lines
        cite_lines, port_lines, with_keys = self.cite_lines, self.port_word_lines, self.with_keys
        comments, comment = self.comments, False  # see `_comment_line`
        pre = self.pre
        for number, line in enumerate(lines, 1):
            if fence is not None:
                fence = self._fenced_line(number, line, fence, start)
                continue
            if comments:
                skipped, comment = _comment_line(line, comment)
                if skipped:
                    self._table_ended(table, number)
                    table = None
                    continue
            if ("`" in line or "~" in line or (pre and "<" in line)) and (
                opened := _opening(line, pre)
            ):
                fence, start = opened, number
                if opened == _PRE:  # its first line holds its text, and may close it
                    fence = self._fenced_line(number, line, opened, start)
                continue
            if table is not None:
                if "|" in line and line.strip():
                    self._table_row(number, line, table)
                    continue
                self._table_ended(table, number)
                table = None
            if number in heading_lines:
                self.in_ports_section = _says_port(heading_lines[number].text)
                continue
            if "|" in line and number < len(lines) and _delimiter(lines[number]):
                table = _TableShape(number, _cells(line))
                continue
            if (  # what `_text_line` reads: most lines hold none of it
                (with_keys and ":" in line)
                or self.in_ports_section
                or number in port_lines
                or "-p" in line
                or number in cite_lines
            ):
                self._text_line(number, line)
        self._end(fence is not None, start, table)

    def _fenced_line(self, number: int, line: str, fence: str, start: int) -> str | None:
        """A line of the fenced block `fence` (or `<pre>` block: `_PRE`) opened at line
        `start`: the fence, or None where the line closes it."""
        if "-p" in line or number in self.cite_lines:  # what `_code_line` reads
            self._code_line(number, line)
        if fence == _PRE:
            closed = "<" in line and _PRE_END.search(line) is not None
        else:
            closed = fence in line and _closes(line, fence)
        if closed:
            self.code.append((start, number))
            return None
        return fence

    def _table_ended(self, table: _TableShape | None, number: int) -> None:
        """A table still open ends before line `number`."""
        if table is not None:
            self.tables.append(Table(table.start, number - 1, table.header))

    def _end(self, fenced: bool, start: int, table: _TableShape | None) -> None:
        """A fenced block or a table still open at the end runs to the last line."""
        if fenced:
            self.code.append((start, len(self.lines)))
        self._table_ended(table, len(self.lines) + 1)

    def _code_line(self, number: int, line: str) -> None:
        if "-p" in line:  # `-p` or `--publish`
            for found in _PUBLISH.finditer(line):
                self._port(number, int(found.group(1)), found.group(2))
        if number in self.cite_lines:
            self._cite(number, line)

    def _text_line(self, number: int, line: str) -> None:
        key = _KEY_LINE.match(line) if self.with_keys and ":" in line else None
        if key is not None and "://" not in line[: key.end() + 2]:
            self.keys.append((number, key.group(1).strip()))
        if self.in_ports_section:
            body = _ITEM_MARKER.sub("", line, count=1)
            for port, protocol in port_run(body):
                self._port(number, port, protocol)
        if _an_example(line):
            return  # `For example, -p 8080:80 would expose port 80`: no image's port
        if number in self.port_word_lines:
            self._port_phrases(number, line)
        if "-p" in line:
            for found in _PUBLISH.finditer(line):
                self._port(number, int(found.group(1)), found.group(2))
        if number in self.cite_lines:
            self._cite(number, line)

    def _port_phrases(self, number: int, line: str) -> None:
        """`Port: 8080`, `ports 4222 (clients) and 8222`: the run after each port word,
        up to the end of its clause.

        The run is read in the line, not in a copy of the clause, and a clause's end is
        looked for once for all the port words in it: a line of a pull request's doc may
        hold a hundred thousand of them in one clause."""
        clause_end = -1  # where the clause of the last port word ends
        closes = _close_offsets(line)
        for found in _PORT_WORD.finditer(line, *_port_window(line)):
            start = found.end()
            if clause_end < start:
                end = _CLAUSE_END.search(line, start)
                clause_end = end.start() if end is not None else len(line)
            for port, protocol in _port_tokens(line, start, clause_end, closes):
                self._port(number, port, protocol)

    def _table_row(self, number: int, line: str, table: _TableShape) -> None:
        if _delimiter(line):
            return
        if table.ports_only:
            self._port_cells(number, line, table.port_columns)
        elif table.port_columns or (table.two and (self.with_keys or "port" in line.lower())):
            self._table_cells(number, line, table)
        if number in self.cite_lines:
            self._cite(number, line)

    def _port_cells(self, number: int, line: str, columns: tuple[int, ...]) -> None:
        """`_table_cells` of a row of a table read for its port columns only: a cell of
        nothing but a port number (most are) is one port, with nothing else to call."""
        cells = _row(line)
        for index in columns:
            if index < len(cells):
                cell = cells[index].strip()
                if len(cell) <= _MOST_DIGITS and cell.isdigit() and cell.isascii():
                    port = int(cell)
                    if 0 < port < 65536:
                        self.ports[(number, port, "tcp")] = None
                else:
                    for port, said in _port_tokens(cell, 0, len(cell), _close_offsets(cell)):
                        self._port(number, port, said)

    def _table_cells(self, number: int, line: str, table: _TableShape) -> None:
        """What a row's cells give: ports in port columns, a key/value row's key."""
        cells = _row(line)
        protocol = None
        for index in table.protocol_columns:
            if index < len(cells):
                protocol = cells[index].strip().strip("` ").lower() or None
        for index in table.port_columns:
            if index < len(cells):
                for port, said in port_run(cells[index].strip()):
                    self._port(number, port, protocol if protocol in ("tcp", "udp") else said)
        if table.two and len(cells) >= 2:
            first = cells[0].strip().strip("*_` ")
            if first and len(first) <= 40 and self.with_keys:
                self.keys.append((number, first))  # key/value tables: | Build | PASS |
            if _says_port(first):
                for cell in cells[1:]:
                    for port, said in port_run(cell.strip()):
                        self._port(number, port, said)

    def _port(self, line: int, number: int, protocol: str | None) -> None:
        if 0 < number < 65536:
            self.ports[(line, number, (protocol or "tcp").lower())] = None

    def _cite(self, number: int, line: str) -> None:
        """The citations of a line in `cite_lines` (the callers test that first: most
        lines are not)."""
        for found in _CITATION.finditer(line, *_citation_window(line)):
            tag = found.group(2).rstrip(".-")
            if tag:
                self.citations.append(Citation(number, sys.intern(found.group(1)), sys.intern(tag)))


def _citation_window(line: str) -> tuple[int, int]:
    """The part of `line` where `_CITATION` may match: every citation holds a colon
    `_CITE_COLON` finds (the one before its tag), its name holds no space, and its tag
    runs at most 128 characters past that colon (then one more is read): from the space
    before the first such colon to 130 characters past the last."""
    colons = [found.start() for found in _CITE_COLON.finditer(line)]
    if not colons:
        return 0, 0
    return line.rfind(" ", 0, colons[0]) + 1, min(len(line), colons[-1] + 130)


def _port_window(line: str) -> tuple[int, int]:
    """The part of `line` where `_PORT_WORD` may match: from five characters before its
    first `port` (a `host-` may stand there) to the one after its last `ports` (which
    `\\b` reads), or nothing without one. Only ASCII capitals match `p`, `o`, `r` and `t`
    case-insensitively, so the lowered line holds each `port` where the line does; when
    lowering changes the length, the whole line. The pattern then reads a dozen
    characters around the word instead of the line."""
    lowered = line.lower()
    if len(lowered) != len(line):
        return 0, len(line)
    first = lowered.find("port")
    if first < 0:
        return 0, 0
    return max(0, first - 5), min(len(line), lowered.rfind("port") + 6)


def _port_word_lines(data: bytes) -> set[int]:
    """The 1-based lines of a text where `_PORT_WORD` may match (and a few more), from
    `data`, its UTF-8 bytes with ASCII capitals lowered (`SplitText.ascii_lowered`).

    Only ASCII capitals match `p`, `o`, `r` and `t` case-insensitively (no other
    character does in `re`), so such a match holds `port` once ASCII letters are
    lowered: bytes.lower does that on the UTF-8 text at C speed, and a newline stays
    one byte. Before that `port` stands a non-word character (`\\b`), the line's start
    or the `t` of `host`: not `report`, `support` nor `import`, the bulk of the hits,
    after which an ASCII word character other than `t` comes right before.
    """
    found: set[int] = set()
    line, counted = 1, 0
    position = data.find(b"port")
    while position >= 0:
        if position == 0 or data[position - 1] not in _WORD_BYTES:
            line += data.count(b"\n", counted, position)
            counted = position
            found.add(line)
        position = data.find(b"port", position + 4)
    return found


# The lowered ASCII characters of `\w` but `t`; a byte of a non-ASCII character is not here.
_WORD_BYTES: Final = frozenset(b"abcdefghijklmnopqrsuvwxyz0123456789_")


def _lines_matching(text: str, pattern: re.Pattern[str]) -> set[int]:
    """The 1-based lines of `text` where `pattern` (no newline in its matches) matches."""
    return _lines_at(text, (match.start() for match in pattern.finditer(text)))


def _lines_at(text: str, offsets: Iterable[int]) -> set[int]:
    """The 1-based lines of `offsets` (ascending) in `text`, counting newlines between
    them only."""
    found: set[int] = set()
    line, counted = 1, 0
    for offset in offsets:
        line += text.count("\n", counted, offset)
        counted = offset
        found.add(line)
    return found


def _an_example(line: str) -> bool:
    """Whether a line of text gives an example (`For example, `-p 8080:80` would expose
    port `80``, the paragraph every LinuxServer image's README has; `e.g.`): its ports and
    tags are how to write one, not the doc's image's, and gave every such image ports 80
    and 8080. Either marker, however cased, holds an `x` or a `.g.` (`.G.`): a line with
    none is not lowered (lowering every line that gives a port took 2 % of an outline)."""
    if not ("x" in line or "X" in line or ".g." in line or ".G." in line):
        return False
    lowered = line.lower()
    return "for example" in lowered or "e.g." in lowered


def _comment_line(line: str, open_before: bool) -> tuple[bool, bool]:
    """Whether `line` (outside a fenced block) stands in an HTML comment a reader never
    sees, a block of them (`<!--` opening a line, up to the line with `-->`), and whether
    the comment is still open after it. A commented-out `docker run -p 6380:6379 redis:6`
    gives no port and no citation (it gave both, and drift)."""
    if open_before:
        return True, "-->" not in line
    opened = line.lstrip(" ")
    if not opened.startswith("<!--") or len(line) - len(opened) > 3:
        return False, False
    return True, "-->" not in opened[4:]


def _holds_pre(data: bytes) -> bool:
    """Whether `data`, lowered bytes, holds `<pre`: each `<` found by memchr, then the
    bytes after it (a search for the four bytes reads three instructions a byte)."""
    at = data.find(b"<")
    while at >= 0:
        if data.startswith(b"pre", at + 1):
            return True
        at = data.find(b"<", at + 1)
    return False


def _opening(line: str, pre: bool) -> str | None:
    """What `line` opens: a fenced block (its fence), a `<pre>` block (`_PRE`; only where
    the doc holds `<pre`, however cased: `pre`), or None."""
    if "`" in line or "~" in line:
        opening = _FENCE.match(line)
        if opening is not None and _opens_fence(opening):
            return opening.group(1)
    return _PRE if pre and "<" in line and _PRE_OPEN.match(line) is not None else None


def _closes(line: str, fence: str) -> bool:
    """Whether `line` closes the fenced block `fence` opened."""
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.lstrip(fence[0]).strip()


def _delimiter(line: str) -> bool:
    """Whether `line` is a table's delimiter row (it has a `-` at least).

    Such a row holds nothing but the characters stripped here: a table's other rows
    (with a `-` in a name) are told apart without the regex."""
    return "-" in line and not line.strip(" \t>|:-") and _TABLE_DELIMITER.match(line) is not None


def _sections(summary: Skim, lines: list[str]) -> tuple[Section, ...]:
    """Every heading's section; one with nothing but TODO lines and comments is a placeholder."""
    ordered = sorted(summary.headings, key=lambda h: h.line)
    heading_lines = {heading.line for heading in ordered}
    return tuple(
        Section(heading, end, _placeholder(lines, heading.line, end, heading_lines))
        for heading, end in zip(ordered, _section_ends(ordered, len(lines)), strict=True)
    )


def _section_ends(ordered: list[Heading], count: int) -> list[int]:
    """The last line of each heading's section (`ordered` by line, `count` lines): the line
    before the next heading of its level or above, else the doc's last line.

    One pass with the sections still open on a stack, their levels rising: a heading
    ends those of its level and below. Looking ahead from each heading instead takes
    time in the square of the headings, which a doc may have by the hundred thousand.
    """
    ends = [count] * len(ordered)
    still_open: list[int] = []
    for index, heading in enumerate(ordered):
        while still_open and ordered[still_open[-1]].level >= heading.level:
            ends[still_open.pop()] = heading.line - 1
        still_open.append(index)
    return ends


def _placeholder(lines: list[str], heading: int, end: int, heading_lines: set[int]) -> bool:
    """Whether lines `heading`+1 to `end` (1-based) hold only TODOs, comments, blanks and
    headings (a setext heading's underline too); it stops at the first line that holds
    anything else."""
    for number in range(heading + 1, end + 1):
        line = lines[number - 1]
        if (
            line.strip()
            and number not in heading_lines
            and not (_TODO.match(line) or _COMMENT_LINE.match(line) or _UNDERLINE.match(line))
        ):
            return False
    return True
