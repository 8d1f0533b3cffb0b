"""Find where a doc refers to images, and what kind of place each mention stands in.

The matcher runs over the whole text first; only a doc with a match is parsed
as Markdown (markdown-it-py, CommonMark plus tables, with front matter), and the
parse only serves to tell what kind of block each matched line belongs to.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ..model import DocScan, Hit, Kind
from .terms import Match, Matcher, Strength
from .words import ROLE_WORDS, SUBJECT_HEADERS, fold

# Block structure is all a line's kind needs: inline parsing (the larger part of
# markdown-it's time) is switched off.
_MARKDOWN = (
    MarkdownIt("commonmark")
    .enable("table")
    .use(front_matter_plugin)
    .disable(["inline", "text_join"])
)
_TITLE_KEY_RE = re.compile(r"^title\s*:", re.IGNORECASE)
# Later kinds win where blocks nest: a code block in a list item is code.
_PRIORITY = (Kind.LIST, Kind.TABLE, Kind.HEADING, Kind.TITLE, Kind.CODE)
_SUFFIX_RE = re.compile(r"\.(?:md|markdown|mdown|mkd)$", re.IGNORECASE)
# A doc with one of these names is named after its folder: `src/cart/README.md` is `cart`.
_FOLDER_NAMED = frozenset({"readme", "index"})
_PIPE = re.compile(r"(?<!\\)\|")
# What surrounds a name in a heading or cell without changing what it names.
_MARKUP = re.compile(r"[#*_`~\[\]():.,!?>|\\]")


def scan_doc(path: str, text: str, matcher: Matcher) -> DocScan:
    """Every mention of an inventory image in the doc at `path` whose text is `text`."""
    return DocScan(path, _unique((*file_name_hits(path, matcher), *text_hits(text, matcher))))


def text_hits(text: str, matcher: Matcher) -> tuple[Hit, ...]:
    """The mentions in the text of a doc: they depend on its content alone, not its path."""
    folded = fold(text)
    found = matcher.find(folded, original=text)
    matches = [m for m in found if m.term.strength is not Strength.FILE_NAME]
    if not matches:
        return ()
    doc = _Doc(text, line_kinds(text), _line_starts(folded))
    return _without_shadowed([hit for match in matches for hit in _match_hits(doc, match)])


def file_name_hits(path: str, matcher: Matcher) -> tuple[Hit, ...]:
    """The images the doc's file name names (short names included)."""
    return _unique(
        Hit(image, 0, Kind.FILENAME)
        for match in matcher.find(fold(doc_name(path)))
        for image in match.term.images
    )


def doc_name(path: str) -> str:
    """The name a doc goes by: its file name without suffix, or its folder's for a README."""
    folders, _, file_name = path.rpartition("/")
    stem = _SUFFIX_RE.sub("", file_name)
    if stem.lower() in _FOLDER_NAMED and folders:
        return folders.rsplit("/", 1)[-1]
    return stem


def _unique(hits: Iterable[Hit]) -> tuple[Hit, ...]:
    return tuple(dict.fromkeys(hits))


def _without_shadowed(hits: list[Hit]) -> tuple[Hit, ...]:
    """The hits, less those for another tag on a line that names the image itself."""
    direct = {(hit.image, hit.line) for hit in hits if hit.other_tag is None}
    return _unique(
        hit for hit in hits if hit.other_tag is None or (hit.image, hit.line) not in direct
    )


def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts; `bisect_right(starts, offset)` is the 1-based line."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _match_hits(doc: _Doc, match: Match) -> list[Hit]:
    term = match.term
    line = bisect_right(doc.starts, match.start)
    place = doc.kinds(line)
    if term.strength is Strength.TITLE:
        if place is not Kind.TITLE:  # a short name in prose is a generic pair of words
            return []
        kind = Kind.TITLE
    elif term.strength is Strength.REFERENCE:
        kind = _reference_kind(place)
    elif place is Kind.TABLE and not doc.in_subject_column(line, match.start):
        kind = Kind.BODY  # a value cell (a port table, an environment variable) only mentions
    else:
        kind = place
    subject = not term.one_word or doc.stands_as_subject(line, match, kind)
    return [
        *(Hit(image, line, kind, subject=subject) for image in term.images),
        *(Hit(image, line, kind, other_tag=term.tag) for image in term.other_tags),
    ]


def _reference_kind(place: Kind) -> Kind:
    """A full reference is code in a code block, the title in the title, else a reference."""
    return place if place in (Kind.CODE, Kind.TITLE) else Kind.REFERENCE


class _Doc:
    """A doc's text with its line offsets and line kinds: what judging a match needs."""

    def __init__(self, text: str, kinds: _LineKinds, starts: list[int]) -> None:
        self.text = text
        self.kinds = kinds
        self.starts = starts

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def in_subject_column(self, line: int, offset: int) -> bool:
        column = _column(self.line_text(line), offset - self.starts[line - 1])
        return column in self._subject_columns(line)

    def _subject_columns(self, line: int) -> frozenset[int]:
        """The columns headed image, name, service...; the first column if none is."""
        header = self.line_text(self.kinds.headers.get(line, line))
        headed = frozenset(
            index
            for index, (start, end) in enumerate(_cell_spans(header))
            if _is_subject_header(header[start:end])
        )
        return headed or frozenset({0})

    def stands_as_subject(self, line: int, match: Match, kind: Kind) -> bool:
        """Whether a one-word name is the subject of its place, not a word in passing."""
        text = self.line_text(line)
        offset = match.start - self.starts[line - 1]
        if kind is Kind.TITLE or _in_code_span(text, offset):
            return True
        if kind is Kind.HEADING:
            return _is_the_name(text, match.term.text)
        if kind is Kind.TABLE:
            spans = _cell_spans(text)
            column = _column(text, offset)
            return column is not None and _is_the_name(text[slice(*spans[column])], match.term.text)
        return False


def _is_the_name(text: str, name: str) -> bool:
    """Whether `text` is `name` itself, maybe with a role word: `## Gateway service`."""
    words = [word for word in fold(_MARKUP.sub(" ", text)).split("-") if word]
    return words[:1] == [name] and len(words) <= 2 and all(w in ROLE_WORDS for w in words[1:])


def _is_subject_header(cell: str) -> bool:
    words = [word for word in fold(_MARKUP.sub(" ", cell)).split("-") if word]
    return bool(words) and words[0] in SUBJECT_HEADERS and words[1:] in ([], ["name"])


def _in_code_span(text: str, offset: int) -> bool:
    """Whether `offset` lies between backticks: an odd number before it, one after."""
    return text.count("`", 0, offset) % 2 == 1 and "`" in text[offset:]


def _cell_spans(line: str) -> list[tuple[int, int]]:
    """The start and end offsets of the cells of a table row (any `>` or indent before it)."""
    start = len(line) - len(line.lstrip(" \t>"))
    bounds = [start - 1, *(m.start() for m in _PIPE.finditer(line, start)), len(line)]
    spans = [(a + 1, b) for a, b in pairwise(bounds)]
    if line[start : start + 1] == "|":
        spans = spans[1:]  # the empty cell before a leading pipe
    if len(spans) > 1 and not line[spans[-1][0] :].strip():
        spans = spans[:-1]  # the empty cell after a trailing pipe
    return spans


def _column(line: str, offset: int) -> int | None:
    for index, (start, end) in enumerate(_cell_spans(line)):
        if start <= offset < end:
            return index
    return None


class _LineKinds:
    """The kind of block each 1-based line stands in; body text where nothing else."""

    def __init__(self) -> None:
        self.kinds: dict[int, Kind] = {}
        self.headers: dict[int, int] = {}  # a table line -> its table's header line

    def __call__(self, line: int) -> Kind:
        return self.kinds.get(line, Kind.BODY)


def line_kinds(text: str) -> _LineKinds:
    """Parse `text` as Markdown and tell the kind of each line."""
    ranges: list[tuple[Kind, int, int]] = []
    title_taken = False
    for token in _MARKDOWN.parse(text):
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "front_matter":
            title_line = _front_matter_title(token, start)
            if title_line is not None:
                ranges.append((Kind.TITLE, title_line, title_line + 1))
                title_taken = True
            continue
        kind = _block_kind(token, title_taken)
        if kind is Kind.TITLE:
            title_taken = True
        if kind is not None:
            ranges.append((kind, start, end))
    result = _LineKinds()
    for kind, start, end in sorted(ranges, key=lambda r: _PRIORITY.index(r[0])):
        for line in range(start + 1, end + 1):
            result.kinds[line] = kind
            if kind is Kind.TABLE:
                result.headers[line] = start + 1
    return result


def _block_kind(token: Token, title_taken: bool) -> Kind | None:
    if token.type == "heading_open":
        return Kind.TITLE if token.tag == "h1" and not title_taken else Kind.HEADING
    if token.type == "table_open":
        return Kind.TABLE
    if token.type == "list_item_open":
        return Kind.LIST
    if token.type in ("fence", "code_block"):
        return Kind.CODE
    return None


def _front_matter_title(token: Token, start: int) -> int | None:
    """The 0-based line of `title:` inside a front matter block, if it has one."""
    for offset, line in enumerate(token.content.split("\n")):
        if _TITLE_KEY_RE.match(line):
            return start + 1 + offset  # the content starts after the opening `---`
    return None
