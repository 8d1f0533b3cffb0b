"""Find where a doc refers to images, and what kind of place each mention stands in.

The matcher runs over the whole text first; only a doc with a match needs its
Markdown structure, and only up to its last matched line (see `blocks.py`).
A doc comes as bytes: folded by `bytes.translate` and searched by the
matcher's C finder, it is decoded only where a match needs its line. The
str path (`text_hits`) gives the answer for any text; the bytes path
(`data_hits`) gives the same answer faster and declines where it could not:
text that is not UTF-8, and characters that lower into ASCII (KELVIN SIGN
lowers to `k`, so `\u212aafka` reads `kafka` only as str).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import islice, pairwise
from typing import Final, TypeVar

from ..model import DocScan, Hit, Kind
from .blocks import (
    LineKinds,
    closes_fence,
    kinds_of,
    opens_elements,
    opens_fence,
)
from .lines import SplitText, offsets
from .read import BOM_BYTES
from .terms import Matcher, Strength, Term
from .words import IMAGE_KINDS, ROLE_WORDS, SUBJECT_HEADERS, fold, fold_bytes

_SUFFIX_RE: Final = re.compile(
    r"\.(?:md|markdown|mdown|mkd|mdx)$", re.IGNORECASE
)  # `is_markdown`'s
# A doc with one of these names is named after its folder: `src/cart/README.md` is `cart`
# (`_index.md` is a Hugo section's page).
_FOLDER_NAMED: Final = frozenset({"readme", "index", "_index"})
_PIPE: Final = re.compile(r"(?<!\\)\|")
# What surrounds a name in a heading or cell without changing what it names.
_MARKUP: Final = re.compile(r"[#*_`~\[\]():.,!?>|\\]")
# Characters whose lower case holds ASCII (U+0130 İ, U+212A KELVIN SIGN), in UTF-8.
# tests/test_scan_paths.py checks that no other character does.
LOWERS_TO_ASCII = ("\u0130", "\u212a")

# One hit as the scan builds it, the fields of `Hit` in order: hashing and comparing
# tuples is what keeps 100,000 hits cheap. `Hit(*row)` is the public value.
HitRow = tuple[str, int, Kind, "str | None", bool]
# A doc's hits, and the line where reading them stopped at `HITS_PER_DOC` (0: it did not).
DocRows = tuple[tuple[HitRow, ...], int]

# The most hits one doc gives, and the most matches read in it. Each hit is evidence the
# report keeps, and a mention of `app:v1` is one hit for each other listed tag of `app`
# too: 2,000 lines naming a tag of a repository the inventory lists with 1,000 tags (46 KB
# of a pull request's doc) made 2 million hits, 290 MB of JSON. A catalogue of the 5,000
# images an inventory may hold, three mentions each, gives 15,000.
HITS_PER_DOC = 50_000


def scan_doc(path: str, text: str, matcher: Matcher) -> DocScan:
    """Every mention of an inventory image in the doc at `path` whose text is `text`."""
    return DocScan(path, _unique((*file_name_hits(path, matcher), *text_hits(text, matcher))))


def text_hits(text: str, matcher: Matcher) -> tuple[Hit, ...]:
    """The mentions in the text of a doc: they depend on its content alone, not its path."""
    return tuple(Hit(*row) for row in text_rows(text, matcher)[0])


def text_rows(text: str, matcher: Matcher, split: SplitText | None = None) -> DocRows:
    """`text_hits` as rows, by the str path; `split`: the text's lines, if split already."""
    folded = fold(text)
    found = _read_matches((match.start, match.term) for match in matcher.find(folded, text))
    if not found:
        return (), 0
    starts = _line_starts(folded)
    placed = []
    for offset, term in found:
        line = bisect_right(starts, offset)
        placed.append((line, offset - starts[line - 1], term))
    split = split if split is not None else SplitText(text)
    lines = split.lines()
    return _rows(placed, lines, _kinds(lines, placed, split))


def data_rows(
    data: bytes, text: str, matcher: Matcher, split: SplitText | None = None
) -> DocRows | None:
    """`text_rows(text)` from `data`, its UTF-8 bytes; None where bytes cannot tell."""
    if (
        not matcher.ascii
        or data.startswith(BOM_BYTES)
        # In the text, not the bytes: the same answer (the text is the bytes decoded), 3 µs
        # a doc instead of 15 (one character, not a sequence of bytes; at once in a text
        # whose characters are all too narrow to be these).
        or any(char in text for char in LOWERS_TO_ASCII)
    ):
        return None
    found = _read_matches(matcher.find_bytes(fold_bytes(data), data, HITS_PER_DOC))
    if not found:
        return (), 0
    placed = []
    line, line_start, position = 1, 0, 0
    for offset, term in found:
        newlines = data.count(b"\n", position, offset)
        if newlines:
            line += newlines
            line_start = data.rfind(b"\n", 0, offset) + 1
        position = offset
        prefix = data[line_start:offset]
        column = offset - line_start if prefix.isascii() else len(prefix.decode("utf-8"))
        placed.append((line, column, term))
    split = split if split is not None else SplitText(text)
    lines = split.lines()
    return _rows(placed, lines, _kinds(lines, placed, split))


def _read_matches(found: Iterable[tuple[int, Term]]) -> list[tuple[int, Term]]:
    """The (start, term) of the matches a doc's text counts (a short name of one word
    counts in file names only), one more than `HITS_PER_DOC`: `_rows` stops at that one."""
    counted = (match for match in found if match[1].strength is not Strength.FILE_NAME)
    return list(islice(counted, HITS_PER_DOC + 1))


def _kinds(lines: list[str], placed: list[tuple[int, int, Term]], split: SplitText) -> LineKinds:
    """The kinds of the lines of the matches (in line order), by the classifier where it
    can tell, reading only the blocks around them."""
    wanted = list(dict.fromkeys(line for line, _, _ in placed))
    # (A NUL and a carriage return looked for in the bytes: memchr.)
    return kinds_of(split.text, lines, wanted, returns=split.holds("\r"), nul=split.holds("\0"))


def file_name_hits(path: str, matcher: Matcher) -> tuple[Hit, ...]:
    """The images the doc's file name names (short names included); where it names
    none, those its folder's name does, below the top folder: a folder of its own per
    image (`docs/services/checkout-api/build.md`, `smoke-test.md`), as a README's."""
    name = doc_name(path)
    hits = _name_hits(name, matcher)
    folders = path.split("/")[1:-1]
    if not hits and folders and folders[-1].lower() != name.lower():
        hits = _name_hits(folders[-1], matcher)
    return hits


def _name_hits(name: str, matcher: Matcher) -> tuple[Hit, ...]:
    """The images `name` names as spelled, else as its CamelCase words (see `_camel_terms`)."""
    terms = [term for _, term in _name_matches(name, matcher)] or _camel_terms(name, matcher)
    return _unique(Hit(image, 0, Kind.FILENAME) for term in terms for image in term.images)


def _name_matches(name: str, matcher: Matcher) -> list[tuple[int, Term]]:
    """The (start, term) of each match in a name, folded."""
    if matcher.ascii and name.isascii():  # no regex to build for the usual file name
        return matcher.find_bytes(fold_bytes(name.encode()), None)
    return [(match.start, match.term) for match in matcher.find(fold(name))]


# Where a word of a CamelCase name starts: a capital after a small letter or a digit
# (`AcmeApi`, `Step04Api`), or an acronym's last capital before a small word
# (`APIGateway`; not `APIs`). A letter before a digit joins it (`Redis7`).
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z]{2})")


def camel_words(name: str) -> list[str]:
    """The words of a CamelCase name (`AcmeApi`: `Acme`, `Api`); others are one word."""
    return _CAMEL.split(name)


def _camel_terms(name: str, matcher: Matcher) -> list[Term]:
    """The terms `name`'s CamelCase words joined with `-` spell (`AcmeApi`: `acme-api`),
    as a file name so spelled counts them, but only those made of two of its words or
    more: one alone is part of a compound (`Git` of `GitHub`, `Mongo` of `MongoDB`)."""
    words = camel_words(name)
    if len(words) < 2:  # most names: one regex search, nothing more
        return []
    joints: list[int] = []  # where the `-` put between two words stands in the joined name
    for word in words[:-1]:
        joints.append((joints[-1] + 1 if joints else 0) + len(word))
    return [
        term
        for start, term in _name_matches("-".join(words), matcher)
        if any(start < joint < start + len(term.text) for joint in joints)
    ]


def doc_name(path: str) -> str:
    """The name a doc goes by: its file name without suffix, or its folder's for a README."""
    folders = path.rpartition("/")[0]
    stem = doc_stem(path)
    if stem.lower() in _FOLDER_NAMED and folders:
        return folders.rsplit("/", 1)[-1]
    return stem


def doc_stem(path: str) -> str:
    """The doc's file name without its Markdown suffix."""
    return _SUFFIX_RE.sub("", path.rpartition("/")[2])


def _unique(hits: Iterable[Hit]) -> tuple[Hit, ...]:
    return tuple(dict.fromkeys(hits))


def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts; `bisect_right(starts, offset)` is the 1-based line."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _rows(placed: list[tuple[int, int, Term]], lines: list[str], kinds: LineKinds) -> DocRows:
    """The hits of the matches (line, column, term), less those another tag shadows; they
    stop at the match that would take them, or the matches read, past `HITS_PER_DOC`."""
    doc = _Doc(lines, kinds)
    rows: list[HitRow] = []
    stop = 0
    for index, (line, column, term) in enumerate(placed):
        made = _match_rows(doc, line, column, term)
        if index == HITS_PER_DOC or len(rows) + len(made) > HITS_PER_DOC:
            stop = line  # the match past the matches read, or past the hits a doc gives
            break
        rows.extend(made)
    if all(row[3] is None for row in rows):
        return tuple(dict.fromkeys(rows)), stop
    # Hits for another tag on a line that names the image itself say nothing more.
    direct = {(row[0], row[1]) for row in rows if row[3] is None}
    kept = (row for row in rows if row[3] is None or row[:2] not in direct)
    return tuple(dict.fromkeys(kept)), stop


def _match_rows(doc: _Doc, line: int, column: int, term: Term) -> list[HitRow]:
    place = doc.kinds(line)
    # Body text of an HTML block (`<h2>app-x</h2>`, `<td>app-x</td>`): the element holding
    # the mention tells its place, whichever reader told the line's kind.
    html = place is Kind.BODY and bool(doc.kinds.html)
    element = doc.html_element(line, column) if html else None
    if element is not None:
        place = element[0]
    if term.strength is Strength.TITLE:
        if place is not Kind.TITLE:  # a short name in prose is a generic pair of words
            return []
        kind = Kind.TITLE
    elif term.strength is Strength.REFERENCE:
        # In a code sample of an HTML block (`<pre>`, a fenced block in MDX's `<TabItem>`) a
        # full reference is code, as in a fenced block. (A name there stays body text: weak
        # either way.)
        kind = Kind.CODE if html and doc.in_html_code(line, column) else _reference_kind(place)
    elif place is Kind.TABLE and element is None and not doc.in_subject_column(line, column):
        kind = Kind.BODY  # a value cell (a port table, an environment variable) only mentions
    else:
        kind = place
    # Looked at per line, not per doc: a line is short, and a doc's text would be searched
    # for `](` (no memchr) whatever it holds.
    if kind in _STRONG and doc.unseen(line, column):
        kind = Kind.BODY  # `- <!-- app-x -->`, `## Status <img alt="app-x">`: a reader sees none
    if (
        kind in _STRONG
        and term.one_word
        and term.text in IMAGE_KINDS
        and doc.names_a_kind(line, column + len(term.text))
    ):
        kind = Kind.BODY  # `## Base image`: a kind of image, not the image `base`
    if (
        kind is Kind.LIST
        and term.strength is Strength.NAME
        and _VERSION_AFTER.match(doc.line_text(line), column + len(term.text)) is not None
    ):
        kind = Kind.BODY  # `- Docker 24.0+`: the tool at a version (a requirement), no image
    subject = not term.one_word or doc.stands_as_subject(line, column, term, kind, element)
    rows: list[HitRow] = [(image, line, kind, None, subject) for image in term.images]
    if term.tag_group:
        named = term.images[0]
        rows.extend(
            (image, line, kind, term.tag, True) for image in term.tag_group if image != named
        )
    return rows


_STRONG: Final = frozenset(kind for kind in Kind if kind.strong)
# A bare version right after a name (past its closing emphasis or backtick), the tool's
# version as a requirement gives it: marked (`Docker >= 24`, `Node (v20`, `Docker version
# 24`), dotted (`Python 3.12`), open-ended (`Docker 24+`, `1.x`), or a major version of a
# digit or two (`Docker 24`; `api 8080` is a port). Not a tag's other words (`redis
# 7-alpine`) nor a reference's. Every run is taken whole (`++`, `*+`): a line of blanks
# after a name is read once.
_VERSION_AFTER: Final = re.compile(
    r"[`*_~]*+[ \t]++(?:"
    r"(?:\(|>=?|\u2265|~>?|\^|[Vv]ersion[ \t]|[Vv](?=\d))[ \t]*+[Vv]?+\d++(?:\.\d++)*+"
    r"|\d++(?:\.\d++)++|\d++(?=\.[xX]|\+)|\d{1,2}+"
    r")(?:\.[xX]|\+)?+(?![\w:/-]|\.\w)"
)


def _reference_kind(place: Kind) -> Kind:
    """A full reference is code in a code block, the title in the title, else a reference."""
    return place if place in (Kind.CODE, Kind.TITLE) else Kind.REFERENCE


class _Doc:
    """A doc's lines and line kinds: what judging a match needs.

    What a line gives every match on it (its cells, its backticks, its words) is worked
    out once per line: a pull request's doc may hold a line of a megabyte with a hundred
    thousand matches, and reading the line again for each takes their product."""

    def __init__(self, lines: list[str], kinds: LineKinds) -> None:
        self.lines = lines
        self.kinds = kinds
        self._subjects: dict[int, frozenset[int]] = {}  # by a table's header line
        self._spans: dict[int, list[tuple[int, int]]] = {}  # a table row's cells, by line
        self._starts: dict[int, list[int]] = {}  # where the row's cells start, by line
        self._ticks: dict[int, list[int]] = {}  # the offsets of a line's backticks
        self._unseen: dict[int, tuple[list[int], list[int]]] = {}  # see `unseen`
        self._words: dict[tuple[int, int], list[str] | None] = {}  # see `few_words`
        self._elements: dict[int, _Elements] = {}  # see `html_element`
        # An HTML block's first line -> the line read up to, and whether a comment is open
        # where it starts (see `_comment_open`).
        self._comments: dict[int, tuple[int, bool]] = {}
        self._code: dict[int, _Spans] = {}  # see `in_html_code`
        # An HTML block's first line -> the line read up to, and the state there (see
        # `_code_state`).
        self._code_states: dict[int, tuple[int, _CodeState]] = {}

    def cell_spans(self, line: int) -> list[tuple[int, int]]:
        """The cells of the table row at `line`: a row with several mentions is split once."""
        found = self._spans.get(line)
        if found is None:
            found = self._spans[line] = _cell_spans(self.line_text(line))
            self._starts[line] = [start for start, _ in found]
        return found

    def column(self, line: int, offset: int) -> int | None:
        """The index of the cell of the row at `line` that holds `offset` (by bisection)."""
        spans = self.cell_spans(line)
        index = bisect_right(self._starts[line], offset) - 1
        return index if index >= 0 and offset < spans[index][1] else None

    def line_text(self, line: int) -> str:
        return self.lines[line - 1].rstrip("\r")

    def in_subject_column(self, line: int, column: int) -> bool:
        return self.column(line, column) in self._subject_columns(line)

    def _subject_columns(self, line: int) -> frozenset[int]:
        """The columns headed image, name, service...; the first column if none is."""
        number = self.kinds.headers.get(line, line)
        found = self._subjects.get(number)
        if found is None:
            header = self.line_text(number)
            headed = frozenset(
                index
                for index, (start, end) in enumerate(_cell_spans(header))
                if _is_subject_header(header[start:end])
            )
            found = self._subjects[number] = headed or frozenset({0})
        return found

    def stands_as_subject(
        self, line: int, column: int, term: Term, kind: Kind, element: _Element | None
    ) -> bool:
        """Whether a one-word name is the subject of its place, not a word in passing
        (`element`: the HTML element the place is, if any)."""
        if kind is Kind.TITLE or self.in_code_span(line, column):
            return True
        if element is not None:
            if kind is not Kind.HEADING and kind is not Kind.TABLE:
                return False
            return _is_the_name(self.element_words(line, element), term.text)
        if kind is Kind.HEADING:
            return _is_the_name(self.few_words(line, _WHOLE_LINE), term.text)
        if kind is Kind.TABLE:
            index = self.column(line, column)
            return index is not None and _is_the_name(self.few_words(line, index), term.text)
        return False

    def names_a_kind(self, line: int, end: int) -> bool:
        """Whether the word of `line` that ends at `end` (one of `IMAGE_KINDS`) is followed by
        a role word (`Base image`, `**Runtime** container`), in the same cell or element,
        and stands in no code span: together they name a kind of image. (`` `base` image``
        names the image `base`: the code span spells its name.)"""
        text = self.line_text(line)
        following = _LEADING_WORD.match(text[end : end + _WORD_REACH].lstrip(" \t*_~"))
        return (
            following is not None
            and following.group().lower() in ROLE_WORDS
            and not self.in_code_span(line, end - 1)
        )

    def in_code_span(self, line: int, offset: int) -> bool:
        """Whether `offset` of `line` lies between backticks: an odd number before it, one
        after."""
        ticks = self._ticks.get(line)
        if ticks is None:
            ticks = self._ticks[line] = offsets(self.line_text(line), "`")
        before = bisect_left(ticks, offset)
        return before % 2 == 1 and before < len(ticks)

    def unseen(self, line: int, offset: int) -> bool:
        """Whether `offset` of `line` lies where a reader of the rendered doc sees nothing:
        in an HTML comment or tag, a link's destination or an image's alt text (not in a
        code span, which shows them as they are)."""
        spans = self._unseen.get(line)
        if spans is None:
            spans = self._unseen[line] = _unseen_spans(self.line_text(line))
        starts, ends = spans
        index = bisect_right(starts, offset) - 1
        return index >= 0 and offset < ends[index] and not self.in_code_span(line, offset)

    def few_words(self, line: int, cell: int) -> list[str] | None:
        """The words of `line` (of its cell `cell`, or the whole line: `_WHOLE_LINE`) when
        there are two at most, else None: only those can be a name and its role word."""
        key = (line, cell)
        if key not in self._words:
            text = self.line_text(line)
            if cell != _WHOLE_LINE:
                text = text[slice(*self.cell_spans(line)[cell])]
            self._words[key] = _few_words(text)
        return self._words[key]

    def element_words(self, line: int, element: _Element) -> list[str] | None:
        """`few_words` of the text of an HTML element of `line`, its tags left out."""
        key = (line, -2 - element[1])  # apart from the cells' and the whole line's keys
        if key not in self._words:
            self._words[key] = _few_words(
                _UNSEEN.sub(" ", self.line_text(line)[element[1] : element[2]])
            )
        return self._words[key]

    def html_element(self, line: int, offset: int) -> _Element | None:
        """The element (see `_HTML_KINDS`) whose text holds `offset` of `line`, a line of an
        HTML block whose lines hold elements, with its start tag on the line: the innermost
        where they nest. None where there is none."""
        found = self._elements.get(line)
        if found is None:
            found = self._elements[line] = self._line_elements(line)
        bounds, owners, elements = found
        index = bisect_right(bounds, offset) - 1
        owner = owners[index] if index >= 0 else -1
        return elements[owner] if owner >= 0 else None

    def _line_elements(self, line: int) -> _Elements:
        first = self.kinds.html_block(line)
        if not first or not opens_elements(self.line_text(first).lstrip(" \t>")):
            return _NO_ELEMENTS
        return _html_elements(self.line_text(line), self._comment_open(first, line))

    def in_html_code(self, line: int, offset: int) -> bool:
        """Whether `offset` of `line`, a line of an HTML block, lies in a code sample the
        block holds: the text of a `<pre>` element, or a fenced code block's lines (MDX
        reads the Markdown in `<Tabs>`, `<TabItem>` and other elements, where markdown-it
        reads the block's raw lines, its fences as text)."""
        found = self._code.get(line)
        if found is None:
            found = self._code[line] = self._line_code(line)
        starts, ends = found
        index = bisect_right(starts, offset) - 1
        return index >= 0 and offset < ends[index]

    def _line_code(self, line: int) -> _Spans:
        first = self.kinds.html_block(line)
        if not first:
            return _NO_SPANS
        head = self.line_text(first).lstrip(" \t>")
        # Comments, `<script>`, `<style>`, `<textarea>`, `<?`, `<!X` and CDATA show no code.
        if not (opens_elements(head) or _PRE_START.match(head)):
            return _NO_SPANS
        spans = _code_spans(self.line_text(line), self._code_state(first, line))[0]
        return [start for start, _ in spans], [end for _, end in spans]

    def _code_state(self, first: int, line: int) -> _CodeState:
        """The state of the code samples of the HTML block from line `first` where `line`
        starts (see `_read_on`)."""
        states = self._code_states
        return _read_on(states, first, line, _NO_CODE, after=_code_after, line_text=self.line_text)

    def _comment_open(self, first: int, line: int) -> bool:
        """Whether an HTML comment opened on a line of the block from line `first` is still
        open where `line` starts (see `_read_on`)."""
        comments = self._comments
        return _read_on(
            comments, first, line, False, after=_comment_open_after, line_text=self.line_text
        )


_State = TypeVar("_State")


def _read_on(
    kept: dict[int, tuple[int, _State]],
    first: int,
    line: int,
    start: _State,
    *,
    after: Callable[[str, _State], _State],
    line_text: Callable[[int], str],
) -> _State:
    """The state where `line` starts of what the lines from `first` carry on (`start` at
    `first`, `after` a line's text and the state before it), read on from the line the
    last call for `first` stopped at (`kept`): the mentions come in line order."""
    number, state = kept.get(first, (first, start))
    if number > line:
        number, state = first, start
    while number < line:
        state = after(line_text(number), state)
        number += 1
    kept[first] = (number, state)
    return state


def _code_after(text: str, state: _CodeState) -> _CodeState:
    """The state of an HTML block's code samples after a line `text` (see `_code_spans`)."""
    return _code_spans(text, state)[1]


_WHOLE_LINE: Final = -1
# The word after a kind of image (see `_Doc.names_a_kind`): letters right after the blanks
# and emphasis that follow it, within a few characters (no role word is longer).
_LEADING_WORD: Final = re.compile(r"[A-Za-z]+")
_WORD_REACH: Final = 24


def _few_words(text: str) -> list[str] | None:
    """The words of `text` without its markup, when there are two at most, else None."""
    words = [word for word in fold(_MARKUP.sub(" ", text)).split("-") if word]
    return words if len(words) <= 2 else None


# The HTML elements whose text takes the kind of place they are; their start tags and end
# tags (a name ends at white space, `/` or `>`: not `<thead>`, `<link>`). No part can
# hold the `<` or `>` that ends the try, so a failed one stops where the next would start.
_HTML_KINDS: Final = {
    **{f"h{level}": Kind.HEADING for level in range(1, 7)},
    "summary": Kind.HEADING,  # the label of a collapsed section
    "td": Kind.TABLE,
    "th": Kind.TABLE,
    "li": Kind.LIST,
    "dt": Kind.LIST,
}
_HTML_TAG: Final = re.compile(r"<(/?)(h[1-6]|t[dh]|li|summary|dt)(?=[\s/>])[^<>]*>", re.IGNORECASE)
# An element of a line: its kind, and the start and end of its text.
_Element = tuple[Kind, int, int]
# A line's elements: where the innermost element holding an offset changes, the element
# from there on (-1: none), and the elements.
_Elements = tuple[list[int], list[int], list[_Element]]
_NO_ELEMENTS: _Elements = ([], [], [])


def _html_elements(text: str, in_comment: bool) -> _Elements:
    """The elements of a line of an HTML block whose start tags stand on it (see `_HTML_KINDS`):
    each from its start tag's `>` to its end tag, or to the line's end. Tags in a comment
    (`in_comment`: one is open where the line starts) are none; a tag is in no element's
    text. An end tag ends the last open element of its name."""
    if in_comment or "<!--" in text:
        text = _without_comments(text, in_comment)
    bounds: list[int] = []
    owners: list[int] = []
    elements: list[_Element] = []
    open_by_name: dict[str, list[int]] = {}
    closed: list[bool] = []
    stack: list[int] = []  # the open elements, the innermost last (closed ones dropped on top)
    for match in _HTML_TAG.finditer(text):
        name = match.group(2).lower()
        bounds.append(match.start())
        owners.append(-1)
        if match.group(1):
            opened = open_by_name.get(name)
            if opened:
                number = opened.pop()
                closed[number] = True
                kind, start, _ = elements[number]
                elements[number] = (kind, start, match.start())
                while stack and closed[stack[-1]]:
                    stack.pop()
        else:
            number = len(elements)
            elements.append((_HTML_KINDS[name], match.end(), len(text)))
            closed.append(False)
            open_by_name.setdefault(name, []).append(number)
            stack.append(number)
        bounds.append(match.end())
        owners.append(stack[-1] if stack else -1)
    return bounds, owners, elements


def _without_comments(text: str, in_comment: bool) -> str:
    """`text` with its HTML comments (and the end of one open where it starts, if
    `in_comment`) blanked out, offsets kept."""
    pieces: list[str] = []
    position = 0
    start, opener = (0, 0) if in_comment else (text.find("<!--"), 4)
    while start >= 0:
        end = text.find("-->", start + opener)
        stop = len(text) if end < 0 else end + 3
        pieces.append(text[position:start])
        pieces.append(" " * (stop - start))
        position, opener = stop, 4
        start = text.find("<!--", stop)
    pieces.append(text[position:])
    return "".join(pieces)


# The code samples of an HTML block (see `_Doc.in_html_code`). A `<pre` opening a block:
# markdown-it's raw HTML block (its kind 1) that a reader sees as preformatted code.
_PRE_START: Final = re.compile(r"<pre(?=[\s>]|$)", re.IGNORECASE)
# A `<pre>` element's tags; no part can hold the `<` or `>` that ends the try.
_PRE_TAG: Final = re.compile(r"<(/?)pre(?=[\s/>])[^<>]*>", re.IGNORECASE)
# Where a line of an HTML block starts: whether a comment is open, whether a `<pre>` is,
# and the fence of the fenced code block open (its character and length), if any.
_CodeState = tuple[bool, bool, "tuple[str, int] | None"]
_NO_CODE: _CodeState = (False, False, None)
# The starts and ends of the parts of a line that are code.
_Spans = tuple[list[int], list[int]]
_NO_SPANS: _Spans = ([], [])
_FENCE_INDENT: Final = 3


def _code_spans(text: str, state: _CodeState) -> tuple[list[tuple[int, int]], _CodeState]:
    """The parts of `text`, a line of an HTML block that starts in `state`, that are code,
    and the state after it. A fence's line and the lines up to its closing fence are code
    (outside a comment or a `<pre>`; a fence indented by three spaces at most, as the
    outline reads fences, so that the facts see the same block); otherwise the text between
    `<pre ...>` and `</pre>`, outside comments."""
    comment, pre, fence = state
    if fence is not None:
        still = None if closes_fence(text.lstrip(" \t"), *fence) else fence
        return [(0, len(text))], (comment, pre, still)
    rest = text.lstrip(" ")
    if (
        not comment
        and not pre
        and rest[:1] in ("`", "~")
        and len(text) - len(rest) <= _FENCE_INDENT
    ):
        opened = opens_fence(rest)
        if opened is not None:
            return [(0, len(text))], (False, False, opened)
    visible = text
    if comment or "<!--" in text:
        visible = _without_comments(text, comment)
        comment = _comment_open_after(text, comment)
    spans: list[tuple[int, int]] = []
    start = 0 if pre else -1  # where the `<pre>` open on the line opened, -1 for none
    if "<" in visible:
        for tag in _PRE_TAG.finditer(visible):
            if tag.group(1) and start >= 0:
                spans.append((start, tag.start()))
                start = -1
            elif not tag.group(1) and start < 0:
                start = tag.end()
    if start >= 0:
        spans.append((start, len(text)))
    return spans, (comment, start >= 0, None)


def _comment_open_after(text: str, opened: bool) -> bool:
    """Whether an HTML comment is open at the end of a line `text` (`opened`: where it starts)."""
    position = 0
    while True:
        if opened:
            end = text.find("-->", position)
            if end < 0:
                return True
            position, opened = end + 3, False
        start = text.find("<!--", position)
        if start < 0:
            return False
        position, opened = start + 4, True


# What a line shows no reader: an HTML tag with its attributes (it must close: `x<y` is
# text), a link's or image's destination, an image's alt text. No part can hold the
# character that ends it, so a failed try stops where the next one would start.
_UNSEEN: Final = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"
    r"|!\[[^\[\]]*\](?:\([^()]*\))?"
    r"|\]\([^()]*\)"
)


def _unseen_spans(text: str) -> tuple[list[int], list[int]]:
    """The starts and ends of the parts of `text` no reader sees (see `_UNSEEN`; an HTML
    comment runs to its `-->` or the line's end), merged where they overlap."""
    if "<" not in text and "](" not in text and "![" not in text:  # most lines
        return [], []
    found = [match.span() for match in _UNSEEN.finditer(text)]
    start = text.find("<!--")
    while start >= 0:
        end = text.find("-->", start + 4)
        stop = len(text) if end < 0 else end + 3
        found.append((start, stop))
        start = text.find("<!--", stop)
    starts: list[int] = []
    ends: list[int] = []
    for begin, end in sorted(found):
        if ends and begin < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(begin)
            ends.append(end)
    return starts, ends


def _is_the_name(words: list[str] | None, name: str) -> bool:
    """Whether `words` (`_Doc.few_words` of a place) are `name` itself, maybe with a role
    word: `## Gateway service`."""
    return words is not None and words[:1] == [name] and all(w in ROLE_WORDS for w in words[1:])


def _is_subject_header(cell: str) -> bool:
    # Docs repeat their tables' headers (`| Image | Port |`) from doc to doc: the short
    # ones are answered once. A long one is worked out each time, so that the cache never
    # holds more than a few hundred characters an entry, whatever a pull request's docs say.
    return _cached_subject_header(cell) if len(cell) <= _CACHED_CELL else _subject_header(cell)


def _subject_header(cell: str) -> bool:
    """`Image`, `Service name`, and with a word that says what kind of image it is
    (`Docker image`, `Container image`; not `Base image`, an attribute of the row's
    subject)."""
    words = [word for word in fold(_MARKUP.sub(" ", cell)).split("-") if word]
    if words[-1:] == ["name"] and len(words) > 1:
        words.pop()
    if not words or words[-1] not in SUBJECT_HEADERS:
        return False
    return len(words) == 1 or (len(words) == 2 and words[0] in _HEADER_KINDS)


# What a subject column's header may say of its images before the word: `Docker image`.
_HEADER_KINDS: Final = frozenset({"docker", "container", "oci"})


_CACHED_CELL: Final = 200
_cached_subject_header = lru_cache(maxsize=4096)(_subject_header)


def _cell_spans(line: str) -> list[tuple[int, int]]:
    """The start and end offsets of the cells of a table row (any `>` or indent before it)."""
    start = len(line) - len(line.lstrip(" \t>"))
    bounds = [start - 1, *_pipes(line, start), len(line)]
    spans = [(a + 1, b) for a, b in pairwise(bounds)]
    if line[start : start + 1] == "|":
        spans = spans[1:]  # the empty cell before a leading pipe
    if len(spans) > 1 and not line[spans[-1][0] :].strip():
        spans = spans[:-1]  # the empty cell after a trailing pipe
    return spans


def _pipes(line: str, start: int) -> list[int]:
    """The offsets of the pipes from `start` on that no backslash escapes. Without a
    backslash in the line, str.find finds them, where `_PIPE` would try every character."""
    if "\\" in line:
        return [found.start() for found in _PIPE.finditer(line, start)]
    return offsets(line, "|", start)
