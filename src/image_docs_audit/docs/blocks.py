"""The kind of block each line of a doc stands in: a line classifier, and its reference.

markdown-it-py (CommonMark, GFM tables, front matter) is the reference: what it
says a line is, is what the line is. Parsing every doc with it costs about ten
times more than reading it, so `classify` reads the lines the way it would, but
only for the constructs reports are made of (front matter, ATX and setext
headings, fenced and indented code, GFM tables, paragraphs, HTML blocks, link
reference definitions one a line, block quotes, list items and admonitions, whose
text it reads as a doc of its own a few levels deep) and only up to the block holding
the last matched line. HTML blocks are told by markdown-it's own patterns, so a template's
`<!-- ... -->` or a `<details>` costs a doc nothing. On anything else (a link
reference definition over lines or before a paragraph, lazy continuation lines after
a quote's or a list item's last block but a paragraph (or after a quote nested in
another block), a block in a list item after a lazy line, a line indented as code left
of an empty item's text, carriage returns, blocks nested deeper than it reads, more
nested list markers on a line than it reads, an admonition in another block or in
another admonition, a content tab) `classify` gives up and returns None, and the caller
asks markdown-it (the scan turns Windows line ends into `\n` first, as markdown-it
does); `classify_lines` hands markdown-it only the window of lines around such a
block, from one restart (see `_Restarts`) to the next.
tests/test_blocks.py holds the two to the same answer on every line `classify`
claims, tests/test_blocks_windows.py on every line `classify_lines` claims. One
difference is left: markdown-it nests 10 lists at most and puts the rest of the doc in
the innermost item; a skip from above such a line to a restart below it reads the
block there (a heading, as strong as that list item).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Any, Final

from ..model import Kind
from .frontmatter import title_value
from .lines import lines_holding

_TITLE_KEY_RE: Final = re.compile(r"^title\s*:", re.IGNORECASE)
# TOML front matter (Hugo): `+++` alone on the doc's first line and on a later one, around
# `title = "..."`. markdown-it-py's plugin reads the YAML kind only; `_toml_front_matter`
# is the reference's rule for this one.
TOML_MARKER = "+++"
_TOML_TITLE_KEY_RE: Final = re.compile(r"^title\s*=", re.IGNORECASE)
# Later kinds win where blocks nest: a code block in a list item is code.
_PRIORITY: Final = (Kind.LIST, Kind.TABLE, Kind.HEADING, Kind.TITLE, Kind.CODE)
# The white space markdown-it (4.3, its `MD_TRIM_CHARS`) trims table rows and cells of:
# CommonMark's, and the space separators a no-break space among them.
_MD_TRIM: Final = "".join(
    chr(c)
    for c in sorted(
        {9, 10, 11, 12, 13, 32, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029}
        | {0x202F, 0x205F, 0x3000}
    )
)
_DELIMITER_CELL: Final = re.compile(r"^:?-+:?$")
# Inside a list item, a line starting so may open a block its list does not read line by
# line (a quote, a table, a setext underline, a thematic break; the item is then read as a
# doc of its own), and a line left of the item's text starting so is no lazy line the
# classifier reads; see `_opens_block` for the lines that start with `` ` ``, `~`, `#`, `<`
# or `[`.
_INNER_SPECIAL: Final = re.compile(r"[>|]|[-=_*:| \t]+$")
# The most cells markdown-it fills in for short table rows (see its table rule).
_MAX_AUTOCOMPLETED: Final = 0x10000


class LineKinds:
    """The kind of block each 1-based line stands in; body text where nothing else."""

    def __init__(self) -> None:
        self.kinds: dict[int, Kind] = {}
        self.headers: dict[int, int] = {}  # a table line -> its table's header line
        # The HTML blocks, (first, last) 1-based lines, in the order they stand in: their
        # lines are body text, which `scan.py` reads further (see `opens_elements`).
        # tests/test_html_blocks.py holds both readers to the same blocks on body lines.
        self.html: list[tuple[int, int]] = []

    def __call__(self, line: int) -> Kind:
        return self.kinds.get(line, Kind.BODY)

    def html_block(self, line: int) -> int:
        """The first line of the HTML block `line` stands in, 0 if it stands in none."""
        blocks = self.html
        position = bisect_right(blocks, (line, _AFTER_ANY_LINE)) - 1
        return blocks[position][0] if position >= 0 and blocks[position][1] >= line else 0


# ---- the reference ----

# markdown-it by the rules a doc may need (see `_parser`).
_markdown: dict[tuple[bool, bool, bool, bool], Any] = {}


def _parser(text: str, *, front_matter: bool = True) -> Any:
    """markdown-it for `text`: CommonMark and GFM tables, with the rules of front matter
    (YAML, TOML), admonitions and content tabs only where `text` may hold them. Each rule
    is asked at every block of a doc, a Python call each time: the rules a doc cannot
    need cost a doc 10 % of its parse. Without `front_matter`, for a window of `text`
    after its start, which no front matter opens."""
    needs = (
        front_matter and text.startswith("-"),  # the YAML rule reads a doc that starts so
        front_matter and text.startswith(TOML_MARKER),
        "!!!" in text or "???" in text,
        "===" in text and _TAB_MARKER.search(text) is not None,
    )
    found = _markdown.get(needs)
    if found is None:
        # Built on first use: the import alone costs 30 ms.
        from markdown_it import MarkdownIt  # noqa: PLC0415
        from mdit_py_plugins.admon import admon_plugin  # noqa: PLC0415
        from mdit_py_plugins.front_matter import front_matter_plugin  # noqa: PLC0415

        yaml, toml, boxes, tabs = needs
        # Block structure is all a line's kind needs: inline parsing is switched off.
        found = MarkdownIt("commonmark").enable("table")
        if yaml:
            found.use(front_matter_plugin)
        if toml:
            found.use(_toml_front_matter_plugin)
        if boxes:
            # `!!! note "Title"` and `??? tip` (mkdocs-material, Python-Markdown): the
            # indented lines below are the box's Markdown, not an indented code block.
            found.use(admon_plugin)
        if tabs:
            # `=== "Docker"` (mkdocs-material's content tabs, pymdownx.tabbed): the same.
            found.use(_tabs_plugin)
        found = _markdown[needs] = found.disable(["inline", "text_join"])
    return found


def toml_front_matter_end(lines: Sequence[str]) -> int | None:
    """The index of the `+++` line that closes a TOML front matter opening the doc (see
    TOML_MARKER), or None: the doc has none, or it is not closed."""
    if not lines or lines[0].rstrip(" \t") != TOML_MARKER:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip(" \t") == TOML_MARKER:
            return index
    return None


def yaml_front_matter_end(lines: Sequence[str]) -> int | None:
    """The index of the line that closes a YAML front matter opening the doc, as
    markdown-it's plugin reads one (a run of as many `-` as opened it, indented less than
    four columns, or `...`), or None: the doc has none, or it is not closed."""
    if lines and lines[0][:1] == "-" and lines[0][:3] != "---" and "--" in lines[0]:
        # markdown-it's front matter rule reads a doc that starts with `-` from the `--`
        # after the first character of its first line's content, in a list item too
        # (`- x--`, `- - x--`, `- --- x`)
        raise _UnmodelledError("a list item that starts like front matter")
    if not lines or not lines[0].startswith("---"):
        return None
    markers = len(lines[0]) - len(lines[0].lstrip("-"))
    for index in range(1, len(lines)):
        line = lines[index]
        if line.startswith("...") and not line[3:].strip(" \t"):
            return index
        columns, offset = _indent(line)
        rest = line[offset:]
        if columns < 4 and rest.startswith("-"):
            run = len(rest) - len(rest.lstrip("-"))
            if run >= markers and not rest[run:].strip(" \t"):
                return index
    return None  # not closed: markdown-it reads no front matter


def front_matter_lines(lines: Sequence[str]) -> int | None:
    """How many lines a front matter opening the doc takes (YAML or TOML, its markers
    too), as the reference reads it: 0 without one; None where its rule is not modelled
    (see `yaml_front_matter_end`)."""
    end = toml_front_matter_end(lines)
    if end is None:
        try:
            end = yaml_front_matter_end(lines)
        except _UnmodelledError:
            return None
    return 0 if end is None else end + 1


def _toml_front_matter_plugin(md: Any) -> None:
    alternatives = {"alt": ["paragraph", "reference", "blockquote", "list"]}  # as YAML's
    md.block.ruler.before("table", "toml_front_matter", _toml_front_matter, alternatives)


def _toml_front_matter(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's block rule for a TOML front matter: a `front_matter` token, as the
    YAML plugin makes, of the lines between the markers."""
    if start_line != 0 or not state.src.startswith(TOML_MARKER):
        return False
    close = toml_front_matter_end(
        [state.src[state.bMarks[i] : state.eMarks[i]] for i in range(end_line)]
    )
    if close is None:
        return False
    if not silent:
        token = state.push("front_matter", "", 0)
        token.hidden, token.block, token.markup = True, True, TOML_MARKER
        token.content = state.src[state.eMarks[0] + 1 : max(state.bMarks[close] - 1, 0)]
        token.map = [0, close + 1]
        state.line = close + 1
    return True


# A content tab's first line: `===` (`===+` opens it selected, `===!` starts a new set of
# tabs) and its label in quotes; its lines are those below indented by four columns.
_TAB: Final = re.compile(r'===[+!]{0,2}[ \t]+"[^"\n]*"[ \t]*')
_TAB_INDENT: Final = 4
_TAB_MARKER: Final = re.compile(r'===[+!]{0,2}[ \t]+"')  # where `_TAB` may match


def _tabs_plugin(md: Any) -> None:
    alternatives = {"alt": ["paragraph", "reference", "blockquote", "list"]}  # as admon's
    md.block.ruler.before("fence", "content_tab", _content_tab, alternatives)


def _content_tab(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's block rule for a content tab, as mdit-py-plugins' admonition rule
    reads an admonition: its lines are Markdown, up to a line indented less that is not
    blank, or two such lines in a row."""
    if state.sCount[start_line] - state.blkIndent >= _TAB_INDENT:
        return False  # indented code
    start = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("===", start):
        return False
    if _TAB.fullmatch(state.src, start, state.eMarks[start_line]) is None:
        return False
    if silent:
        return True
    old = state.parentType, state.lineMax, state.blkIndent
    state.parentType = "content_tab"
    state.blkIndent += _TAB_INDENT
    line, was_empty = start_line + 1, False
    while line < end_line:
        outdented = state.sCount[line] < state.blkIndent
        blank = state.bMarks[line] + state.tShift[line] >= state.eMarks[line]
        if (outdented and was_empty) or (outdented and not blank):
            break
        was_empty = outdented
        line += 1
    state.lineMax = line
    token = state.push("content_tab_open", "div", 1)
    token.block, token.map = True, [start_line, line]
    state.md.block.tokenize(state, start_line + 1, line)
    state.push("content_tab_close", "div", -1).block = True
    state.parentType, state.lineMax, state.blkIndent = old
    state.line = line
    return True


def markdown_kinds(text: str) -> LineKinds:
    """Parse `text` with markdown-it and tell the kind of each line."""
    return _reference(_tokens(text, _parser(text)), title_taken=False).kinds


class _Reading:
    """What markdown-it read of a doc or of a window of it: the kinds of its lines,
    whether a title was taken by its end, and how deep its blocks nested."""

    def __init__(self, kinds: LineKinds, title_taken: bool, deepest: int) -> None:
        self.kinds = kinds
        self.title_taken = title_taken
        self.deepest = deepest


def _reference(tokens: list[Any], *, title_taken: bool) -> _Reading:
    """The kinds of the lines markdown-it's block `tokens` stand for; `title_taken`:
    whether a level-one heading before them took the doc's title."""
    ranges: list[tuple[Kind, int, int]] = []
    html: list[tuple[int, int]] = []
    deepest = 0
    for token in tokens:
        deepest = max(deepest, token.level)
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "html_block":
            html.append((start + 1, end))
            continue
        if token.type == "front_matter":
            toml = token.markup == TOML_MARKER
            title = _front_matter_title(token.content.split("\n"), toml=toml)
            if title is not None:
                ranges.append((Kind.TITLE, start + title[0], start + title[1] + 1))
                title_taken = True
            continue
        kind = _token_kind(token.type, token.tag, title_taken)
        if kind is Kind.TITLE:
            title_taken = True
        if kind is not None:
            ranges.append((kind, start, end))
    result = LineKinds()
    result.html = html
    for kind, start, end in sorted(ranges, key=_priority):
        for line in range(start + 1, end + 1):
            result.kinds[line] = kind
            if kind is Kind.TABLE:
                result.headers[line] = start + 1
    return _Reading(result, title_taken, deepest)


def _priority(block: tuple[Kind, int, int]) -> int:
    return _PRIORITY.index(block[0])


def _tokens(text: str, parser: Any) -> list[Any]:
    """markdown-it's block tokens of `text`, read as ending with a line end (the same lines:
    markdown-it 4.3 fails on a quoted list item opening HTML on the doc's last line when no
    line end follows it). Should it fail on some other doc, no token: every line is then
    body text, a mention and never documentation."""
    try:
        tokens: list[Any] = parser.parse(text if text.endswith("\n") else text + "\n")
    except Exception:  # the reference's own flaw: no verdict stops on it
        return []
    return tokens


def _token_kind(kind: str, tag: str, title_taken: bool) -> Kind | None:
    if kind == "heading_open":
        return Kind.TITLE if tag == "h1" and not title_taken else Kind.HEADING
    if kind == "table_open":
        return Kind.TABLE
    if kind == "list_item_open":
        return Kind.LIST
    if kind in ("fence", "code_block"):
        return Kind.CODE
    return None


def _front_matter_title(content: Sequence[str], *, toml: bool) -> tuple[int, int] | None:
    """The first and last 1-based lines of the title in the lines between the front
    matter's markers: its key's line (`title:`, or `title =` in TOML), and in YAML the
    more indented lines below that its value goes on over (`title: >-` and its text)."""
    key = _TOML_TITLE_KEY_RE if toml else _TITLE_KEY_RE
    for offset, line in enumerate(content):
        found = key.match(line)
        if found:
            last = offset if toml else title_value(content, offset, line[found.end() :])[1]
            return offset + 1, last + 1
    return None


# ---- the classifier ----

# A line after a blank line that starts with a letter, `#` or `|` in its first column
# opens a block at the top level (a paragraph, a heading, a table) whatever came before
# it: every list, quote, table, paragraph and indented code block has ended there (no
# list marker nor `>` goes on with one). Only a block that goes on over blank lines
# could hold it: a fenced code block, an HTML block, the front matter.
_RESTART_STARTS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#|")
# Fences in the first column are always at the top level (no container holds a line
# with no indent), so they pair up as the classifier pairs them.
_FENCE_RUNS: Final = ("```", "~~~")
# Where restarts are not to be trusted: an indented fence (it may stand in a list item
# and close with it), and HTML that may hold lines from one blank line to the next,
# fence lines among them (the fences are paired with no regard for HTML): a line that
# starts with `<` and goes on to a line that is not blank, or a `<pre>` (script, style,
# textarea), comment, `<?`, `<!X` or CDATA whose end is not on its first line
# (markdown-it's HTML kinds 1 to 5 go on over blank lines; the others end at one). Only
# the top level counts: in a list item, a line back in the first column ends the HTML.
# A template's one-line `<!-- ... -->` before a blank line leaves the restarts alone.
_NO_RESTARTS: Final = re.compile(
    r"\n(?: {1,3}(?:`{3}|~{3})| {0,3}<(?:[^\n]*\n[ \t]*[^ \t\n]"
    r"|!--(?![^\n]*-->)|\?(?![^\n]*\?>)|![A-Za-z](?![^\n]*>)|!\[CDATA\[(?![^\n]*\]\]>)"
    r"|(?i:script|pre|style|textarea)(?![^\n]*</(?i:script|pre|style|textarea)>)))"
)
# A line that may be a level-one heading, in any container: `# x`, `- # x`, `===`.
_TITLE_CANDIDATE: Final = re.compile(r"[ \t>*+\-.)0-9]*(?:#(?=[ \t]|\Z)|=+[ \t]*\Z)")


# The deepest markdown-it nesting level (its `state.level`: one a quote, two a list item) a
# quote's or a list item's text is read at as a doc of its own. markdown-it puts the rest of
# the doc in a list item whose text it would read at level 20 (its `maxNesting`); the lists
# a classifier reads without a doc of its own (nested markers on a line, nested items less
# than four columns right of the outer item's text) go at most 12 levels deeper.
_MAX_LEVEL: Final = 7
# The column the text of an empty list item over a blank line starts at: none (see
# `_Classifier.open_item`).
_NO_TEXT: Final = 1 << 62
# Reading a few lines costs less than finding the restarts: the gap between two mentions
# must be this long (in lines) before a skip is looked for.
_WORTH_SKIPPING = 12


class _Restarts:
    """Where the classifier may start reading afresh: the line after a blank line that
    starts a top-level block (see `_RESTART_STARTS`), outside every fenced code block;
    nowhere when the doc holds what makes that unsafe.

    Read from the lines, back from the line wanted to the first restart: no offsets of
    lines to work out, nor a copy of the text to search.
    """

    def __init__(self, text: str, lines: list[str], start: int) -> None:
        """`start`: the first line after the front matter, where reading starts anyway."""
        self.text = text
        self.lines = lines
        self.start = start
        self._fenced: list[tuple[int, int]] | None = None
        self._trusted = False

    def _prepare(self) -> list[tuple[int, int]]:
        """The fenced code blocks (once per doc), none to be had when a skip is unsafe."""
        if self._fenced is None:
            self._fenced = [(-1, len(self.lines))]  # no restart lies inside this one
            # One search serves both: every line that may make a skip unsafe or open a
            # fence holds a `<` or a fence's run.
            candidates = lines_holding(self.text, _UNSAFE_NEEDLES)
            if not _unsafe_to_skip(self.text, self.lines, candidates):
                self._trusted = True
                self._fenced = _fenced(self._top_fences(candidates), len(self.lines))
        return self._fenced

    def _top_fences(self, candidates: list[int]) -> list[tuple[int, str, str]]:
        """(line, the run of backticks or tildes, the rest of the line) of each line from
        `start` on that starts with a fence, among the lines after the `candidates`
        newlines (see `lines_holding`)."""
        text, lines = self.text, self.lines
        found = []
        line, counted = 0, 0
        for newline in candidates:
            if newline >= 0:
                line += text.count("\n", counted, newline + 1)
                counted = newline + 1
            fence = lines[line]
            # markdown-it reads a table before a fence: ``` | Image over a delimiter row
            table = "|" in fence and _table_columns(lines, line) > 0
            if line >= self.start and fence[:3] in _FENCE_RUNS and not table:
                run = len(fence) - len(fence.lstrip(fence[0]))
                found.append((line, fence[:run], fence[run:]))
        return found

    def before(self, target: int, index: int) -> int:
        """The last restart after line `index` and at or before `target` (0-based), or
        `index`: the line after a blank line, outside every fenced code block."""
        fenced = self._prepare()
        if not self._trusted:
            return index
        lines = self.lines
        for line in range(target, index, -1):
            if _restart_like(lines, line) and not _inside(line, fenced):
                return line
        return index

    def after(self, target: int) -> int | None:
        """The first restart after line `target` (0-based), the doc's end if none; None
        where restarts are not to be trusted."""
        fenced = self._prepare()
        if not self._trusted:
            return None
        line = _restart_like_after(self.lines, target)
        while line < len(self.lines) and _inside(line, fenced):
            line = _restart_like_after(self.lines, line)
        return line

    def title_candidate(self, index: int, stop: int) -> int | None:
        """The first line from `index` before `stop` that may be a level-one heading."""
        if not self._trusted:
            return None
        for line in range(index, stop):
            text = self.lines[line]
            if ("#" in text or "=" in text) and _TITLE_CANDIDATE.match(text):
                return line
        return None


def _unsafe_to_skip(text: str, lines: list[str], candidates: list[int]) -> bool:
    """Whether `text` holds what makes restarts unsafe (`_NO_RESTARTS`), its first line
    (and the next, which an HTML line reaches into) included: tried on the lines after
    the `candidates` newlines only, those that hold a `<` or a fence's run."""
    for newline in candidates:
        if newline >= 0 and _NO_RESTARTS.match(text, newline) is not None:
            return True
    head = "\n" + lines[0] + ("\n" + lines[1] if len(lines) > 1 else "")
    return _NO_RESTARTS.match(head) is not None


_UNSAFE_NEEDLES: Final = ("<", "```", "~~~")


def _fenced(fences: Iterable[tuple[int, str, str]], count: int) -> list[tuple[int, int]]:
    """The (opening, closing) lines of the fenced code blocks of first-column fences."""
    spans: list[tuple[int, int]] = []
    opening: tuple[int, str, int] | None = None
    for line, run, rest in fences:
        if opening is None:
            if not (run[0] == "`" and "`" in rest):
                opening = (line, run[0], len(run))
        elif run[0] == opening[1] and len(run) >= opening[2] and not rest.strip(" \t"):
            spans.append((opening[0], line))
            opening = None
    if opening is not None:
        spans.append((opening[0], count))
    return spans


def _inside(line: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `line` lies strictly between the fences of one of `spans` (sorted)."""
    position = bisect_right(spans, (line, _AFTER_ANY_LINE)) - 1
    return position >= 0 and spans[position][0] < line < spans[position][1]


_AFTER_ANY_LINE: Final = 1 << 62


def _any_between(lines: list[int], start: int, end: int) -> bool:
    """Whether one of `lines` (in order) is at `start` or after, and before `end`."""
    position = bisect_left(lines, start)
    return position < len(lines) and lines[position] < end


def _restart_like(lines: list[str], line: int) -> bool:
    """Whether line `line` (0-based, not the first) is a restart by its text (see
    `_RESTART_STARTS`), whatever block it may stand in."""
    return lines[line][:1] in _RESTART_STARTS and _blank(lines[line - 1])


def _restart_like_after(lines: list[str], index: int) -> int:
    """The first line after line `index` that is a restart by its text (`_restart_like`);
    the doc's end if none."""
    for line in range(index + 1, len(lines)):
        if _restart_like(lines, line):
            return line
    return len(lines)


def _closed_before(tokens: list[Any], blank: int) -> bool:
    """Whether markdown-it's `tokens` of a window leave no fence nor HTML block open over
    its line `blank`, the blank line before its end: the only blocks at the top level
    that go on over a blank line to a restart's line (a list or a quote ends there)."""
    for token in tokens:
        if token.level == 0 and token.type in _OPEN_OVER_BLANKS and token.map[1] > blank:
            return False
    return True


_OPEN_OVER_BLANKS: Final = frozenset({"fence", "html_block"})


def _blank_after(lines: list[str], index: int) -> int:
    """The first blank line after line `index` (0-based), the doc's end if none."""
    for line in range(index + 1, len(lines)):
        if _blank(lines[line]):
            return line
    return len(lines)


# ---- HTML blocks, as the reference reads them ----

# markdown-it's patterns of its seven kinds of HTML blocks (markdown_it/rules_block/
# html_block.py and common/, 4.3): the start of each, the end, and whether it may end a
# paragraph. Copied, so that a line is told without loading markdown-it (42 ms, in every
# process that meets one); tests/test_html_blocks.py holds them to the installed ones.
_BLOCK_NAMES: Final = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
_ATTRIBUTE: Final = (
    "(?:\\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\\s*=\\s*(?:[^\"'=<>`\\x00-\\x20]+|'[^']*'|\"[^\"]*\"))?)"
)
_OPEN_CLOSE_TAG: Final = (
    "^(?:<[A-Za-z][A-Za-z0-9\\-]*" + _ATTRIBUTE + "*\\s*\\/?>|<\\/[A-Za-z][A-Za-z0-9\\-]*\\s*>)"
)
HTML_SEQUENCES: list[tuple[re.Pattern[str], re.Pattern[str], bool]] = [
    (
        re.compile(r"^<(?a:(script|pre|style|textarea))(?=(\s|>|$))", re.IGNORECASE),
        re.compile(r"<\/(?a:(script|pre|style|textarea))>", re.IGNORECASE),
        True,
    ),
    (re.compile(r"^<!--"), re.compile(r"-->"), True),
    (re.compile(r"^<\?"), re.compile(r"\?>"), True),
    (re.compile(r"^<![A-Za-z]"), re.compile(r">"), True),
    (re.compile(r"^<!\[CDATA\["), re.compile(r"\]\]>"), True),
    (
        re.compile("^</?(?a:(" + _BLOCK_NAMES + "))(?=(\\s|/?>|$))", re.IGNORECASE),
        re.compile(r"^$"),
        True,
    ),
    (re.compile(_OPEN_CLOSE_TAG + "\\s*$"), re.compile(r"^$"), False),
]


def _html_block(rest: str) -> tuple[re.Pattern[str], bool] | None:
    """The HTML block a line opens (`rest`: the line after its indent): the pattern of
    the line that ends it, and whether it may end a paragraph or a table; None if the
    line opens none. The seven kinds are markdown-it's own patterns (`HTML_SEQUENCES`),
    so the classifier reads HTML as the installed reference does."""
    for start, end, interrupts in HTML_SEQUENCES:
        if start.search(rest):
            return end, interrupts
    return None


def opens_elements(rest: str) -> bool:
    """Whether the HTML block a line opens (`rest`: the line after its indent) is one whose
    lines hold elements a reader sees (markdown-it's kinds 6 and 7, those that end at a
    blank line), not raw text (`<pre>`, `<script>`...), a comment, `<?`, `<!X` or CDATA."""
    html = _html_block(rest)
    return html is not None and html[0].search("") is not None


class _UnmodelledError(Exception):
    """The doc has a construct the classifier leaves to markdown-it."""


class _InnerBlockError(_UnmodelledError):
    """A list item holds a block its list's line by line reading does not model: the list
    reads the item again as a doc of its own (`_Classifier.item_inside`)."""


def classify(lines: list[str], last: int) -> LineKinds | None:
    """The kinds of `lines` (a doc split on "\\n") up to line `last` (1-based), or None."""
    text, lines = _leading_tabs_expanded("\n".join(lines), lines)
    classifier = _Classifier(lines, last)
    classifier.markers = _marker_lines(text)
    try:
        return classifier.run()
    except _UnmodelledError:
        return None


def classify_lines(text: str, lines: list[str], wanted: Sequence[int]) -> LineKinds | None:
    """The kinds of the lines `wanted` (1-based, ascending) of `text` (split on "\\n" as
    `lines`), and of the header of a table any of them stands in; None where `classify`
    would decline a block it reads.

    Between two wanted lines far apart, it skips to the last restart before the second
    (see `_Restarts`): only the blocks around the mentions are read. A block it does not
    model (an admonition's too) is left to markdown-it in its window (`run_for`).
    """
    text, lines = _leading_tabs_expanded(text, lines)
    classifier = _Classifier(lines, wanted[-1])
    # An admonition's or a content tab's block is left to markdown-it in its window.
    classifier.markers = _marker_lines(text)
    try:
        return classifier.run_for(wanted, text)
    except _UnmodelledError:
        return None


def kinds_of(
    text: str, lines: list[str], wanted: Sequence[int], *, returns: bool, nul: bool
) -> LineKinds:
    """The kinds of the lines `wanted` (1-based, ascending) of `text` (split on "\\n" as
    `lines`; `returns`, `nul`: whether it holds a carriage return, a NUL), by the
    classifier where it can tell (`classify_lines`), else by markdown-it."""
    if nul:  # (the classifier reads no NUL: markdown-it makes it U+FFFD)
        return markdown_kinds(text)
    if returns and text.count("\r") == text.count("\r\n"):
        # Windows line ends: markdown-it reads `\r\n` as `\n`, and so does the classifier
        # then, on as many lines. (A lone `\r` is a line end too: markdown-it reads that.)
        text = text.replace("\r\n", "\n")
        lines = text.split("\n")
        returns = False
    kinds = None if returns else classify_lines(text, lines, wanted)
    return kinds if kinds is not None else markdown_kinds(text)


def _leading_tabs_expanded(text: str, lines: list[str]) -> tuple[str, list[str]]:
    """`text` and its `lines` with the tabs of each line's leading run of blanks, quote
    markers and list markers (`\t- b`, `-\tb`, `>\tb`, `> 1.\t-\tb`) as the spaces they
    stand for (to the next stop of 4 columns from the line's start).

    CommonMark reads a tab there as if it were those spaces, and so does markdown-it: it
    counts each line's columns from its start, in a quote or a list item too, and where a
    quote's `>` takes one column of a tab as its blank, the rest of the tab stays the
    columns it stood for. Both then read the same blocks in either text, and the
    classifier reads tabs without a case of their own. Where the run is no list's or
    quote's (a paragraph's line, code), its blanks are text of a block no blank changes."""
    if "\t" not in text or _LEADING_TAB.search(text) is None:
        return text, lines
    expanded = []
    for line in lines:
        found = _LEADING_RUN.match(line)
        run = found.end() if found is not None else 0  # (it matches "" too)
        # (`expandtabs` counts the columns from the start of the run: the line's start)
        expanded.append(line[:run].expandtabs(4) + line[run:] if "\t" in line[:run] else line)
    return "\n".join(expanded), expanded


# A line's leading run of blanks, quote markers and list markers (each followed by a
# blank, as a list marker is), and a tab in one. Each turn of either takes a character
# the other cannot start with: no backtracking.
_RUN_MARKER: Final = r"(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t])"
_LEADING_RUN: Final = re.compile(rf"(?:[ \t>]|{_RUN_MARKER})*+")
_LEADING_TAB: Final = re.compile(rf"^(?:[ >]|{_RUN_MARKER})*+\t", re.MULTILINE)


def _may_open_admonition(text: str) -> bool:
    """Whether `text` may hold an admonition's marker (`!!!`, `???`) or a content tab's
    (`_TAB_MARKER`), which the classifier leaves to markdown-it. Their rules read a marker
    only where a block may start (see `_marker_at_line_content`): `What???` in prose or
    `if (x === "a")` in code is none. A character is looked for first, then the three: a
    search for three characters took 8 µs of a 10 KB doc, a fifth of its read."""
    if "!" in text and _marker_at_line_content(text, "!!!", None):
        return True
    if "?" in text and _marker_at_line_content(text, "???", None):
        return True
    return "=" in text and _marker_at_line_content(text, "===", _TAB_MARKER)


def _marker_lines(text: str) -> list[int]:
    """The lines (0-based, in order) that may open an admonition or a content tab where
    `_may_open_admonition` looks for one."""
    found: set[int] = set()
    for marker, pattern in (("!!!", None), ("???", None), ("===", _TAB_MARKER)):
        if marker[0] not in text:
            continue
        line, counted = 0, 0
        at = text.find(marker)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            if not text[start:at].strip(_CONTAINER_PREFIX) and (
                pattern is None or pattern.match(text, at)
            ):
                line += text.count("\n", counted, start)
                counted = start
                found.add(line)
            end = text.find("\n", at)
            if end < 0:
                break
            at = text.find(marker, end)
    return sorted(found)


# What may stand before a block's first character on its line: indentation and the marks
# of the containers around it (a quote's `>`, a list item's `-`, `*`, `+`, `1.`, `1)`).
_CONTAINER_PREFIX: Final = " \t>*+-.)0123456789"


def _marker_at_line_content(text: str, marker: str, pattern: re.Pattern[str] | None) -> bool:
    """Whether `marker` (and `pattern` there, if given) stands in `text` with nothing but
    `_CONTAINER_PREFIX` before it on its line. One look per line: a later run on the same
    line has the earlier one before it."""
    at = text.find(marker)
    while at >= 0:  # a doc holds few such runs (setext underlines aside)
        before = text[text.rfind("\n", 0, at) + 1 : at]
        if not before.strip(_CONTAINER_PREFIX) and (pattern is None or pattern.match(text, at)):
            return True
        end = text.find("\n", at)
        if end < 0:
            return False
        at = text.find(marker, end)
    return False


def _indent(line: str) -> tuple[int, int]:
    """(columns, characters) of the leading spaces and tabs; a tab goes to the next stop of 4."""
    if line[:1] not in (" ", "\t"):
        return 0, 0
    columns = 0
    for index, char in enumerate(line):
        if char == " ":
            columns += 1
        elif char == "\t":
            columns += 4 - columns % 4
        else:
            return columns, index
    return columns, len(line)


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def _fence(rest: str) -> tuple[str, int] | None:
    """(marker, length) when `rest` (a line after its indent) opens a code fence."""
    marker = rest[:1]
    if marker not in ("`", "~"):
        return None
    length = len(rest) - len(rest.lstrip(marker))
    if length < 3 or (marker == "`" and "`" in rest[length:]):
        return None
    return marker, length


def _closes(rest: str, marker: str, length: int) -> bool:
    run = len(rest) - len(rest.lstrip(marker))
    return run >= length and not rest[run:].strip(" \t")


# For the code samples `scan.py` finds in HTML blocks (MDX's `<TabItem>` holds fenced code),
# and the blocks `outline.skim` reads past HTML.
opens_fence = _fence
closes_fence = _closes
opens_html_block = _html_block
line_indent = _indent


def _thematic_break(rest: str) -> bool:
    marker = rest[:1]
    if marker not in ("*", "-", "_"):
        return False
    return rest.count(marker) >= 3 and not rest.replace(marker, "").strip(" \t")


def _atx_level(rest: str) -> int:
    """The level of an ATX heading opened by `rest`, 0 if it opens none."""
    level = len(rest) - len(rest.lstrip("#"))
    if not 1 <= level <= 6 or rest[level : level + 1] not in ("", " ", "\t"):
        return 0
    return level


def _underline(rest: str) -> int:
    """The level of a setext underline, 0 if `rest` is none."""
    marker = rest[:1]
    if marker not in ("=", "-") or rest.lstrip(marker).strip(" \t"):
        return 0
    return 1 if marker == "=" else 2


class _Marker:
    """A list item's marker: its type, its character and where its content starts."""

    def __init__(self, ordered: bool, char: str, value: int, end: int, rest: str) -> None:
        self.ordered = ordered
        self.char = char
        self.value = value
        self.end = end  # offset in the line after the marker
        self.empty = not rest[end:].strip(" \t")


def _list_marker(line: str, offset: int) -> _Marker | None:
    first = line[offset : offset + 1]
    if first not in _MARKER_STARTS:  # most lines: told apart before the rest is copied
        return None
    rest = line[offset:]
    if first in ("*", "-", "+"):
        if rest[1:2] not in ("", " ", "\t"):
            return None
        return _Marker(False, first, 0, offset + 1, line)
    digits = len(rest) - len(rest.lstrip("0123456789"))
    if not 1 <= digits <= 9 or rest[digits : digits + 1] not in (".", ")"):
        return None
    if rest[digits + 1 : digits + 2] not in ("", " ", "\t"):
        return None
    return _Marker(True, rest[digits], int(rest[:digits]), offset + digits + 1, line)


_MARKER_STARTS: Final = frozenset("*-+0123456789")


def _interrupting(rest: str) -> bool:
    """Whether a line whose text past its indent (under 4 columns) is `rest` opens a block
    other than a list item that ends a paragraph or a table's rows."""
    if rest.startswith("<"):
        html = _html_block(rest)
        return html is not None and html[1]
    return bool(_fence(rest) or rest.startswith(">") or _thematic_break(rest) or _atx_level(rest))


# mdit-py-plugins' admonition markers, the longest first (`???+` before `???`), and the
# column its text starts at, less the blanks after the marker.
_BOX_MARKERS: Final = ("???+", "!!!", "???")
_BOX_STARTS: Final = ("!", "?")
_BOX_WIDTH: Final = 3


def _box_marker(rest: str) -> str | None:
    for marker in _BOX_MARKERS:
        if rest.startswith(marker):
            return marker
    return None


def _opens_after_quote(line: str) -> bool:
    """Whether `line`, right after a quote's lines (no `>` line), opens a block that ends the
    quote: markdown-it's terminators of a quote (a fence, a thematic break, an ATX heading,
    an HTML block but of the kind that cannot end a paragraph, and any list item, even an
    empty one or one numbered from 2) where no code may start."""
    columns, offset = _indent(line)
    if columns >= 4:
        return False
    return _interrupting(line[offset:]) or _list_marker(line, offset) is not None


def _quote_line_after(line: str) -> bool:
    """Whether `line`, right after a quote's line, is one of its `>` lines by markdown-it's
    reading, which takes a `>` after any indentation there."""
    return line.lstrip(" \t")[:1] == ">"


def _marker_interrupts(marker: _Marker, *, in_paragraph: bool) -> bool:
    """Whether a list item with `marker` ends a paragraph (`in_paragraph`) or a table."""
    if in_paragraph:
        return not marker.empty and (not marker.ordered or marker.value == 1)
    return True


def _next_item(rest: str, following: _Marker, marker: _Marker) -> bool:
    """Whether a line left of a list item's text, after a blank line or opening a block
    (`rest`: past its indent, under 4 columns; `following`: its list marker), is the next
    item of the list of `marker`, not a block after the list."""
    if _fence(rest) or rest.startswith(">") or _thematic_break(rest):
        return False
    return following.ordered == marker.ordered and following.char == marker.char


def _inner_special(text: str) -> bool:
    """Whether `text`, a line inside an item, past any nested list markers, may open a
    block its list does not read line by line (see `_Classifier.list`): so are more nested
    markers than `_MAX_INNER_MARKERS` (markdown-it stops nesting blocks at 10 lists, and
    reading each marker copies the rest of the line)."""
    marker = _list_marker(text, 0)
    nested = 0
    while marker is not None:
        nested += 1
        if marker.empty or nested > _MAX_INNER_MARKERS:
            return True
        after = text[marker.end :]
        spaces = len(after) - len(after.lstrip(" "))  # (no tab: `_leading_tabs_expanded`)
        if spaces > 4:
            return True
        text = after[spaces:]
        marker = _list_marker(text, 0)
    return bool(_INNER_SPECIAL.match(text)) or _opens_block(text)


_MAX_INNER_MARKERS: Final = 4


def _opens_block(text: str) -> bool:
    """Whether `text` (past its indent) opens a fence, a heading, HTML or a link reference
    definition. Inline code, a `#tag`, a link and `<3` start many a line of prose."""
    first = text[:1]
    if first in ("`", "~"):
        return _fence(text) is not None
    if first == "#":
        return _atx_level(text) > 0
    if first == "<":
        return _html_block(text) is not None
    return first == "[" and may_open_definition(text)


# A link reference definition on one line: a label of no brackets nor backslashes, a
# destination (`<...>` or a run of non-blanks), maybe a title (`"..."`, `'...'`, `(...)`)
# on the same line. Every part is a run of what the next cannot start with: no backtracking.
_REFERENCE_LINE: Final = re.compile(
    r" {0,3}\[[^\[\]\\\n]++\]:[ \t]*+(?:<[^<>\n]*+>|[^\s<][^\s]*+)"
    r"(?:[ \t]++(?:\"[^\"\n]*+\"|'[^'\n]*+'|\([^()\n]*+\)))?+[ \t]*+"
)
# Such a line markdown-it surely takes as a definition: a label with a character other
# than blanks, a destination of no parentheses, backslashes or control characters, a
# title of no backslashes. A line after it starts a block of its own.
_SURE_LABEL: Final = r" {0,3}\[[ \t]*+[^\s\[\]\\][^\[\]\\\n]*+\]:[ \t]*+"
_SURE_REFERENCE_LINE: Final = re.compile(
    _SURE_LABEL + r"(?:<[^<>\n\\]*+>|[^\s<()\\\x00-\x1f\x7f][^\s()\\\x00-\x1f\x7f]*+)"
    r"(?:[ \t]++(?:\"[^\"\n\\]*+\"|'[^'\n\\]*+'|\([^()\n\\]*+\)))?+[ \t]*+"
)
# A definition over two lines (`[JSON API]:`, then its destination alone on the next line,
# as a URL, a path or an anchor starts), which markdown-it surely takes. No `|`: the line
# would be a table's header where a delimiter row follows, a table that ends the definition
# before its destination (markdown-it asks the table rule first).
_LABEL_LINE: Final = re.compile(_SURE_LABEL)
_DESTINATION_LINE: Final = re.compile(
    r"[ \t]*+(?:[A-Za-z/.]|#(?=[^\s]))[^\s()<>|\\\x00-\x1f\x7f]*+[ \t]*+"
)
# What follows a label in a line that markdown-it surely refuses as a definition: after
# the destination, text that no title starts with (`[`no-unused-modules`]: fix a crash`,
# `[#764]: `render()` now ...`, a changelog's lines), or a title closed on the line and
# text after it (`[`order`]: recognize ".." as a path`). Whatever parentheses the
# destination holds, it is refused: where markdown-it's destination ends before the
# blank (at a `)` it did not open, a control character), what follows it is no title;
# where its parentheses do not close, it is none.
_REFUSED_AFTER_LABEL: Final = (
    r"[^\s<\\][^\s\\]*+[ \t]++"
    r"(?:[^\s\"'(]|(?:\"[^\"\\\n]*+\"|'[^'\\\n]*+'|\([^()\\\n]*+\))[ \t]*+[^\s])"
)
_LABEL_COLON: Final = r"\[[^\[\]\\\n]*+\]:[ \t]*+"  # a label of no brackets, its `:`
# Such a line: a paragraph's first line.
_REFUSED_REFERENCE: Final = re.compile(_LABEL_COLON + _REFUSED_AFTER_LABEL)
# A label alone on its line (`[^1]:`, a footnote markdown-it has no rule for), and the next
# line that makes markdown-it refuse it: its destination would be that line's first word.
_LABEL_ALONE: Final = re.compile(_LABEL_COLON)
_REFUSED_DESTINATION_LINE: Final = re.compile(r"[ \t]*+" + _REFUSED_AFTER_LABEL)


_TITLE_STARTS: Final = ('"', "'", "(")


def may_open_definition(text: str) -> bool:
    """Whether `text`, a line that starts with `[`, may open a link reference definition
    (see `_reference_label`; a label still open reads on into the next line)."""
    return _reference_label([text], 0, 1) is not False


def _reference_label(lines: Sequence[str], index: int, position: int) -> bool | None:
    """Whether the label opened right before `position` of line `index` ends in `]:`, as
    markdown-it's rule for a link reference definition reads it: the label ends at the
    first `]` (no `[` before it, `\\` escaping the next character, a line end too), and a
    `:` must follow right after it. Read over the lines up to a blank one: where a block
    that opens before it ends the definition's lines first, the label did not end in them
    either, or it may be one. None where the label is still open after the last line."""
    for number in range(index, len(lines)):
        line = lines[number]
        if number > index and _blank(line):
            return False
        found = _LABEL_CHARS.search(line, position)
        while found is not None:
            if found.group() == "[":
                return False
            if found.group() == "]":
                return line[found.end() : found.end() + 1] == ":"
            found = _LABEL_CHARS.search(line, found.end() + 1)  # past the escaped one
        position = 0
    return None


_LABEL_CHARS: Final = re.compile(r"[\[\]\\]")


def _md_trim(text: str) -> str:
    return text.strip(_MD_TRIM)


def _split_row(text: str) -> list[str]:
    """markdown-it's `escapedSplit`, then without the empty cells outside the pipes."""
    cells: list[str] = []
    current = ""
    last = 0
    escaped = False
    for position, char in enumerate(text):
        if char == "|":
            if not escaped:
                cells.append(current + text[last:position])
                current = ""
                last = position + 1
            else:
                current += text[last : position - 1]
                last = position
        escaped = char == "\\"
    cells.append(current + text[last:])
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _delimiter_columns(line: str) -> int:
    """The number of columns of a GFM delimiter row, 0 if `line` is none."""
    columns, offset = _indent(line)
    text = line[offset:]
    if (
        columns >= 4
        or len(text) < 2
        or text[0] not in "|-:"
        or text[1] not in "|-: \t"
        or (text[0] == "-" and text[1] in " \t")
        or text.strip("|-: \t")
    ):
        return 0
    cells = text.split("|")
    count = 0
    for index, cell in enumerate(cells):
        trimmed = _md_trim(cell)
        if not trimmed:
            if index in (0, len(cells) - 1):
                continue
            return 0
        if not _DELIMITER_CELL.search(trimmed):
            return 0
        count += 1
    return count


def _table_columns(lines: list[str], index: int) -> int:
    """The column count of a table whose header is line `index`, 0 if none starts there."""
    if index + 1 >= len(lines):
        return 0
    aligns = _delimiter_columns(lines[index + 1])
    if not aligns:
        return 0
    columns, offset = _indent(lines[index])
    header = _md_trim(lines[index][offset:])
    if "|" not in header or columns >= 4:
        return 0
    count = len(_split_row(header))
    return count if count == aligns else 0


# A window whose blocks markdown-it nests this deep is left to it with the whole doc: at
# its limit (a block 20 levels deep, in 10 lists) it puts the rest of the doc, past any
# restart, in the innermost block; a window that stays below 16 never came near it.
_DEEPEST_WINDOW: Final = 16


class _Classifier:
    def __init__(self, lines: list[str], last: int) -> None:
        self.lines = lines
        self.last = last  # 1-based: stop at a block start after it
        self.kinds = LineKinds()
        self.title_taken = False
        self.in_prose = False  # the list item read last ends in a paragraph (not in code)
        self.nested = False  # the item read last holds a nested list item
        self.level = 0  # markdown-it's nesting level of these lines (see `_MAX_LEVEL`)
        self.prose_end = -1  # the line after the last paragraph read (see `item_inside`)
        self.prose_start = -1  # the first line of that paragraph (see `after_quote`)
        self.body_start = 0  # the line after the front matter
        self.parsers: dict[bool, Any] = {}  # markdown-it for windows (see `window_tokens`)
        self.markers: list[int] = []  # the lines that may open an admonition (`_marker_lines`)
        self.boxed = -1  # the line of the last admonition read (see `admonition`)
        # The last line reading started afresh at: the doc's start, a restart skipped to,
        # or a line after a blank line between two blocks (see `reference_window`).
        self.fresh = 0

    def mark(self, kind: Kind, start: int, end: int) -> None:
        """Lines `start` to `end` (0-based, end excluded) stand in a block of `kind`."""
        for index in range(start, end):
            self.kinds.kinds[index + 1] = kind

    def run(self) -> LineKinds:
        self.read_through(self.front_matter(), self.last - 1)
        return self.kinds

    def read_through(self, index: int, last: int) -> int:
        """Read the blocks from line `index` that start at line `last` or before (0-based);
        the line after the last block read."""
        lines = self.lines
        while index < len(lines) and index <= last:
            if _blank(lines[index]):
                index += 1
                self.fresh = index  # a block after a blank line starts afresh
                continue
            start = index
            index = self.block(index, lines[index])
            if self.markers and _any_between(self.markers, start + (start == self.boxed), index):
                raise _UnmodelledError("an admonition's or a content tab's marker")
        return index

    def run_for(self, wanted: Sequence[int], text: str) -> LineKinds:
        """`run`, reading only the blocks from a restart before each wanted line to it.

        A block the classifier does not model is left to markdown-it, but only the
        window of lines around it (see `reference_window`): a changelog of 100 KB with
        one nested code block is read by the classifier but for that block's window.
        """
        index = self.body_start = self.front_matter()
        restarts = _Restarts(text, self.lines, index)
        for line in wanted:
            target = line - 1
            if target < index:
                continue  # read with the window of a wanted line before it
            try:
                if target - index >= _WORTH_SKIPPING:
                    start = restarts.before(target, index)
                    if start > index:
                        index = self.skip(index, start, restarts)
                        if index == start:
                            self.fresh = start
                index = self.read_through(index, target)
            except _UnmodelledError:
                index = self.fresh = self.reference_window(target, restarts, text)
        return self.kinds

    def reference_window(self, target: int, restarts: _Restarts, text: str) -> int:
        """Hand markdown-it the lines from where reading last started afresh to the first
        restart after line `target`, in place of what the classifier read of them; the
        line after them.

        A window starts where every block before it has ended, and ends at a restart,
        where every block of it has: markdown-it reads the lines between as it reads them
        in the whole doc. Where restarts are not to be trusted, the first line after a
        blank line that could be one is, if no fence or HTML block of the window goes on
        over that blank line. Where none follows before the last wanted line, the window
        ends at the blank line after that one. Where markdown-it nests its blocks so deep
        that the rest of a doc may go into the innermost one, or fails, the whole doc is
        its."""
        lines, fresh, last = self.lines, self.fresh, self.last - 1
        end = restarts.after(target)
        verify = end is None  # see `_closed_before`
        if end is None:
            end = _restart_like_after(lines, target)
        if end > last:
            end, verify = self.past_the_last(), False
        tokens = self.window_tokens(text, fresh, end)
        if verify and not _closed_before(tokens, end - 1 - fresh):
            end = self.past_the_last()
            tokens = self.window_tokens(text, fresh, end)
        reading = _reference(tokens, title_taken=self.forget_from(fresh))
        if not tokens or reading.deepest >= _DEEPEST_WINDOW:
            raise _UnmodelledError("a window markdown-it reads as the whole doc only")
        kinds = self.kinds
        for line, kind in reading.kinds.kinds.items():
            kinds.kinds[line + fresh] = kind
        for line, header in reading.kinds.headers.items():
            kinds.headers[line + fresh] = header + fresh
        kinds.html.extend((first + fresh, final + fresh) for first, final in reading.kinds.html)
        self.title_taken = reading.title_taken
        return end

    def past_the_last(self) -> int:
        """Where a window that holds the last wanted line may end: past that line,
        markdown-it need read no further than the blank line after it (a doc's front
        matter whole). No underline, delimiter row or lazy line reaches back over a blank
        line, and a block still open there (a fence, an HTML block, a list) holds the
        lines before it whatever follows."""
        return max(_blank_after(self.lines, self.last - 1), self.body_start)

    def window_tokens(self, text: str, start: int, end: int) -> list[Any]:
        """markdown-it's tokens of lines `start` to `end` (0-based, end excluded), by the
        whole doc's rules (see `_parser`): those of a front matter only from its start."""
        parser = self.parsers.get(start == 0)
        if parser is None:  # once a doc: `_parser` looks through the whole text
            parser = self.parsers[start == 0] = _parser(text, front_matter=start == 0)
        # Each line with its line end: the blank line a window ends with is a line of it.
        return _tokens("\n".join(self.lines[start:end]) + "\n", parser)

    def forget_from(self, fresh: int) -> bool:
        """Forget what the classifier found from line `fresh` (0-based) on; whether a
        title was taken before it. Reading goes from line to line, so the lines from
        `fresh` on were the last ones entered."""
        kinds, taken = self.kinds, self.title_taken
        while kinds.kinds and next(reversed(kinds.kinds)) > fresh:
            if kinds.kinds.popitem()[1] is Kind.TITLE:
                taken = False
        while kinds.headers and next(reversed(kinds.headers)) > fresh:
            kinds.headers.popitem()
        while kinds.html and kinds.html[-1][0] > fresh:
            kinds.html.pop()
        return taken

    def skip(self, index: int, start: int, restarts: _Restarts) -> int:
        """Where to go on from `index` to read at the restart `start`: the first level-one
        heading is the title, so the lines up to it are read until one is taken."""
        while not self.title_taken:
            heading = restarts.title_candidate(index, start)
            if heading is None:
                break
            index = self.read_through(index, heading)
        return max(index, start)

    def front_matter(self) -> int:
        """The line after the front matter (0 without one); its title is the title."""
        lines = self.lines
        toml = toml_front_matter_end(lines)
        if toml is not None:
            return self._front_matter_title(lines[1:toml], toml, toml=True)
        index = yaml_front_matter_end(lines)
        if index is None:
            return 0
        return self._front_matter_title(lines[1:index], index, toml=False)

    def _front_matter_title(self, content: Sequence[str], end: int, *, toml: bool) -> int:
        """Mark the title lines of a front matter's `content`, closed at line `end`; the
        line after it."""
        title = _front_matter_title(content, toml=toml)
        if title is not None:
            self.mark(Kind.TITLE, title[0], title[1] + 1)
            self.title_taken = True
        return end + 1

    def block(self, index: int, line: str) -> int:  # noqa: PLR0911  (one exit per construct)
        """Read the block starting at line `index`; the line after it."""
        columns, offset = _indent(line)
        rest = line[offset:]
        table = _table_columns(self.lines, index) if "|" in line else 0
        if table:
            return self.table(index, table)
        if columns >= 4:
            return self.indented_code(index)
        if rest[:1].isalpha():  # prose: only a paragraph or a setext heading starts so
            return self.paragraph(index)
        fence = _fence(rest) if columns < 4 else None
        if fence is not None:
            return self.fenced_code(index, *fence)
        if rest.startswith(">"):
            return self.quote(index)
        if _thematic_break(rest):
            return index + 1
        marker = _list_marker(line, offset)
        if marker is not None:
            return self.list(index, marker, columns)
        if rest[:1] in ("[", "<"):
            opened = self.markup(index, rest)
            if opened is not None:
                return opened
        box = self.box_marker(rest) if rest[:1] in _BOX_STARTS else None
        if box is not None:
            return self.admonition(index, rest[len(box) :])
        level = _atx_level(rest)
        if level:
            self.mark(self.heading_kind(level), index, index + 1)
            return index + 1
        return self.paragraph(index)

    def heading_kind(self, level: int) -> Kind:
        if level == 1 and not self.title_taken:
            self.title_taken = True
            return Kind.TITLE
        return Kind.HEADING

    def table(self, index: int, columns: int) -> int:
        lines = self.lines
        end = index + 2
        while end < len(lines) and end < self.last + 1:
            line = lines[end]
            # A row that starts with its pipe (most do) is neither blank, indented nor a
            # block that would end the table: it needs none of the tests below.
            if line[:1] != "|" and (
                not _md_trim(line)
                or self.interrupts(line, in_paragraph=False)
                or _indent(line)[0] >= 4
            ):
                break
            if columns * (end - index) > _MAX_AUTOCOMPLETED:
                raise _UnmodelledError("a table as wide as markdown-it's cell limit")
            end += 1
        self.mark(Kind.TABLE, index, end)
        for number in range(index + 1, end + 1):
            self.kinds.headers[number] = index + 1
        return end

    def interrupts(self, line: str, *, in_paragraph: bool) -> bool:
        """Whether `line` opens a block that ends a paragraph (or a table's rows)."""
        columns, offset = _indent(line)
        if columns >= 4:
            return False
        rest = line[offset:]
        if _interrupting(rest) or (rest[:1] in _BOX_STARTS and self.box_marker(rest)):
            return True
        marker = _list_marker(line, offset)
        return marker is not None and _marker_interrupts(marker, in_paragraph=in_paragraph)

    def box_marker(self, rest: str) -> str | None:
        """The marker of the admonition a line whose text past its indent (under 4
        columns) is `rest` opens, as mdit-py-plugins' rule reads one: a marker and
        something after it; None where it opens none. Only in a doc that may hold one
        (`markers`), where that rule is on (`_parser`)."""
        marker = _box_marker(rest) if self.markers else None
        return marker if marker is not None and rest[len(marker) :].strip() else None

    def admonition(self, index: int, after: str) -> int:
        """An admonition (mkdocs-material's `!!! note "Title"`, `??? tip`, `???+ tip`)
        opened at line `index` (`after`: that line past its marker), as mdit-py-plugins
        reads it: the lines below at its column (3 and the blanks after the marker,
        whatever the indent of the marker) or right of it, read as a doc of their own; it
        ends before a line left of that column that is not blank, or before the second
        line left of it in a row. Its first line is body text. A marker among its lines is
        left to markdown-it (only the doc's top level reads them). The line after it."""
        width = _BOX_WIDTH + len(after) - len(after.lstrip(" "))
        lines = self.lines
        end, left_before = index + 1, False
        while end < len(lines):
            left = _indent(lines[end])[0] < width
            if (left and left_before) or (left and not _blank(lines[end])):
                break
            left_before = left
            end += 1
        if _any_between(self.markers, index + 1, end):
            raise _UnmodelledError("an admonition in an admonition")
        inner = [
            line[width:] if _indent(line)[0] >= width else "" for line in lines[index + 1 : end]
        ]
        inside = self.inside(inner, 1)
        inside.read_through(0, len(inner) - 1)
        self.take(inside, index + 1)
        self.boxed = index
        return end

    def markup(self, index: int, rest: str) -> int | None:
        """A block opened by `<` or `[`: an HTML block (the line after it), or None when
        the line opens none (a paragraph starts there)."""
        if rest[:1] == "[":
            label = _reference_label(self.lines, index, len(self.lines[index]) - len(rest) + 1)
            # A label open to the end of a quote's or an item's text may end in a lazy line.
            may_be = label is not False if self.level else label is True
            if may_be and not self.refused(index, rest):
                return self.references(index)
            return None  # a link, or a line refused as a definition: a paragraph starts here
        html = _html_block(rest)
        return None if html is None else self.html(index, html[0])

    def refused(self, index: int, rest: str) -> bool:
        """Whether markdown-it surely refuses the definition that line `index` (`rest`,
        past its indent) may open: by what follows its label on the line, or, for a label
        alone at the top level, by the next line (none, a blank one, or one whose first
        word would be a destination with text after it). In a quote's or an item's
        text the next line of the doc may be a lazy one this text does not hold."""
        if _REFUSED_REFERENCE.match(rest) is not None:
            return True
        if self.level or _LABEL_ALONE.fullmatch(rest) is None:
            return False
        lines = self.lines
        after = index + 1
        return (
            after == len(lines)
            or _blank(lines[after])
            or _REFUSED_DESTINATION_LINE.match(lines[after]) is not None
        )

    def references(self, index: int) -> int:
        """Link reference definitions (`[docs]: https://...`), one a line, up to a blank
        line or the end: body text. markdown-it may take each as a definition or, where it
        refuses one, as a paragraph's line, which goes on to the blank line: body text
        either way, and none of these lines can be anything else in a paragraph. After
        definitions it surely takes (`_SURE_REFERENCE_LINE`, and a label alone over its
        destination), any other line starts a block of its own, unless it may be a
        title; any other shape is left to markdown-it. A README's badges and links end
        with a block of these."""
        lines = self.lines
        end = index
        sure = True  # whether markdown-it surely takes every line so far as a definition
        while end < len(lines) and not _blank(lines[end]):
            line = lines[end]
            if _REFERENCE_LINE.fullmatch(line) is not None:
                sure = sure and _SURE_REFERENCE_LINE.fullmatch(line) is not None
                end += 1
            elif (
                sure
                and end + 1 < len(lines)
                and _LABEL_LINE.fullmatch(line) is not None
                and _DESTINATION_LINE.fullmatch(lines[end + 1]) is not None
            ):
                end += 2
            elif sure and end > index and line.lstrip(" \t")[:1] not in _TITLE_STARTS:
                return end
            else:
                raise _UnmodelledError("a link reference definition")
        return end

    def html(self, index: int, end: re.Pattern[str]) -> int:
        """An HTML block: body text up to the line its end pattern matches, that line
        included, or up to a blank line (not included) for the kinds that end there."""
        lines = self.lines
        stop = len(lines)
        for number in range(index, len(lines)):
            text = lines[number].lstrip(" \t")
            if end.search(text):
                stop = number + 1 if text else number
                break
        self.kinds.html.append((index + 1, stop))
        return stop

    def indented_code(self, index: int) -> int:
        lines = self.lines
        end = index + 1
        last_code = index
        while end < len(lines):
            if not _blank(lines[end]):
                if _indent(lines[end])[0] < 4:
                    break
                last_code = end
            end += 1
        self.mark(Kind.CODE, index, last_code + 1)
        return last_code + 1

    def fenced_code(self, index: int, marker: str, length: int) -> int:
        lines = self.lines
        end = index + 1
        while end < len(lines):
            columns, offset = _indent(lines[end])
            if columns < 4 and _closes(lines[end][offset:], marker, length):
                self.mark(Kind.CODE, index, end + 1)
                return end + 1
            if end >= self.last:  # the rest is code whether or not it is closed
                break
            end += 1
        self.mark(Kind.CODE, index, min(end + 1, len(lines)))
        return len(lines)

    def paragraph(self, index: int) -> int:
        """A paragraph, or a setext heading when an underline ends it."""
        lines = self.lines
        self.prose_start = index
        end = index + 1
        while end < len(lines) and not _blank(lines[end]):
            line = lines[end]
            columns, offset = _indent(line)
            if columns > 3:
                end += 1
                continue
            rest = line[offset:]
            if rest[:1].isalpha() and "|" not in line:  # prose goes on
                end += 1
                continue
            level = _underline(rest)
            if level:
                self.mark(self.heading_kind(level), index, end + 1)
                return end + 1
            if ("|" in line and _table_columns(lines, end)) or self.interrupts(
                line, in_paragraph=True
            ):
                break
            end += 1
        self.prose_end = end
        return end

    def quote(self, index: int) -> int:
        """A block quote: the text of its lines past their `>` is read as a doc of its own
        (as markdown-it reads it: every block a doc may hold, the doc's title still its
        first level-one heading), up to the first line with no `>`."""
        lines = self.lines
        end = index
        inner: list[str] = []
        while end < len(lines):
            columns, offset = _indent(lines[end])
            rest = lines[end][offset:]
            if columns >= 4 or not rest.startswith(">"):
                break
            # `>` and one blank are the marker (a tab after it is blanks: see
            # `_leading_tabs_expanded`)
            inner.append(rest[1:].removeprefix(" "))
            end += 1
        inside = self.inside(inner, 1)
        inside.read_through(0, len(inner) - 1)
        self.take(inside, index)
        if end < len(lines) and not _blank(lines[end]):
            return self.after_quote(end, inner, inside)
        return end

    def after_quote(self, index: int, inner: list[str], inside: _Classifier) -> int:
        """Where a quote ends whose `>` lines end before line `index`, which is not blank
        (`inner`: their text, as `inside` read it), as markdown-it reads it: before a line
        that opens a block, or after a last `>` line that holds nothing; else the lines
        up to a blank line or one that opens a block go on in its last paragraph (lazy
        continuation lines: body text). Left to markdown-it: a quote in a list item or in
        another quote (their own lines may go on), a last block but a paragraph (that one
        ends there, or a list item's may go on), a paragraph that may be a link reference
        definition, a `>` line further down (the quote goes on), or a `>` indented as code
        (markdown-it reads one so right after a quote's line, a quote's line too)."""
        if self.level:
            raise _UnmodelledError("a lazy continuation line or a block right after a quote")
        lines = self.lines
        if _quote_line_after(lines[index]):
            raise _UnmodelledError("a `>` indented as code after a quote")
        if _blank(inner[-1]) or _opens_after_quote(lines[index]):
            return index
        if inside.prose_end != len(inner) or inner[inside.prose_start].lstrip(" ")[:1] == "[":
            raise _UnmodelledError("a lazy continuation line")
        while index < len(lines) and not _blank(lines[index]):
            if _quote_line_after(lines[index]):
                raise _UnmodelledError("a quote that goes on after a lazy line")
            if _opens_after_quote(lines[index]):
                break
            index += 1
        return index

    def inside(self, inner: list[str], levels: int) -> _Classifier:
        """A classifier of `inner`, the text of a quote (`levels` 1) or of a list item (2)
        read as a doc of its own, the doc's title still its first level-one heading."""
        if self.level + levels > _MAX_LEVEL:
            raise _UnmodelledError("blocks nested deeper than the classifier reads")
        inside = _Classifier(inner, len(inner))
        inside.level = self.level + levels
        inside.title_taken = self.title_taken
        return inside

    def take(self, inside: _Classifier, index: int) -> None:
        """Take what `inside` read of a quote's or an item's text whose first line is line
        `index` (its kinds, tables, HTML blocks and title) at their lines in this doc."""
        self.title_taken = inside.title_taken
        kinds = self.kinds
        for line, kind in inside.kinds.kinds.items():
            kinds.kinds[line + index] = kind
        for line, header in inside.kinds.headers.items():
            kinds.headers[line + index] = header + index
        for first, last in inside.kinds.html:
            kinds.html.append((first + index, last + index))

    def list(self, index: int, marker: _Marker, columns: int) -> int:
        """A list: every line of it is a list line, but its items' code, headings and
        tables. Its items' paragraphs, nested lists and fenced code are read line by line;
        an item holding any other block is read again from its first line, as a doc of
        its own (`item_inside`)."""
        lines = self.lines
        start, (width, end) = index, self.open_item(index, marker, columns)
        # An item read as a doc of its own, or a fence in it, may end with blank lines.
        blank_before = end > index + 1 and _blank(lines[end - 1])
        lazy = False  # the item read has a lazy continuation line
        text = not marker.empty  # the item read has text (an empty one has none yet)
        while end < len(lines):
            line = lines[end]
            if _blank(line):
                if end >= self.last:
                    return end
                blank_before = True
                end += 1
                continue
            columns, offset = _indent(line)
            if columns >= width:
                index, text = end, True
                try:
                    end = self.item_line(index, width, columns, offset)
                except _InnerBlockError:
                    if lazy:
                        raise _UnmodelledError("a block in an item after a lazy line") from None
                    end = self.item_inside(start, width)
                blank_before = end > index + 1 and _blank(lines[end - 1])
                continue
            if columns >= 4:
                if blank_before:
                    return end  # an indented code block after the list
                raise _UnmodelledError("a lazy continuation line")
            rest = line[offset:]
            # The next item, read once: what `interrupts` reads and what follows need it.
            following = _list_marker(line, offset)
            if not blank_before and not (_interrupting(rest) or following is not None):
                if not text:
                    return end  # no paragraph to go on in: the list ends, a paragraph starts
                end = self.lazy_line(end, rest)
                lazy = True
                continue
            if following is None or not _next_item(rest, following, marker):
                return end
            start, (width, end) = end, self.open_item(end, following, columns)
            blank_before = end > start + 1 and _blank(lines[end - 1])
            lazy, text = False, not following.empty
        return end

    def open_item(self, index: int, marker: _Marker, columns: int) -> tuple[int, int]:
        """The column the text of the item whose marker opens line `index` starts at, and
        the line after its first line (and what was read with it).

        An empty item (its marker ends the line) is markdown-it's item that starts with a
        blank line: its text starts one column past the marker, on the next line. Where
        that line is blank too (or there is none), the item holds nothing: no later line
        is its text (`_NO_TEXT`), and the list goes on only with its next item."""
        width = self.item_width(index, marker, columns)
        if not marker.empty:
            return width, self.first_line(index, width)
        self.mark(Kind.LIST, index, index + 1)
        self.in_prose = self.nested = False
        after = index + 1
        if after == len(self.lines) or _blank(self.lines[after]):
            return _NO_TEXT, after
        return width, after

    def item_width(self, index: int, marker: _Marker, columns: int) -> int:
        """The column the content of the item whose marker opens line `index` starts at
        (its first line's content starts at that offset too: no tab comes before it; an
        empty item's, one column past its marker, on the next line)."""
        line = self.lines[index]
        marker_width = marker.end - (len(line) - len(line.lstrip(" ")))
        if marker.empty:
            return columns + marker_width + 1
        after = line[marker.end :]
        spaces = len(after) - len(after.lstrip(" "))  # (no tab: `_leading_tabs_expanded`)
        if spaces > 4:
            raise _UnmodelledError("code after a list marker")
        return columns + marker_width + spaces

    def first_line(self, index: int, width: int) -> int:
        """Read an item's first line (and the code it opens), or the whole item where it
        holds a block read line by line does not; the line after what was read."""
        try:
            return self.item(index, width)
        except _InnerBlockError:
            return self.item_inside(index, width)

    def item(self, index: int, width: int) -> int:
        """Mark an item's first line (and the code it opens); the line after it (or that
        code)."""
        content = self.lines[index][width:]
        self.nested = _list_marker(content, 0) is not None  # `- - b`
        fence = self.item_fence_at(index, content)
        if fence is None and _inner_special(content):
            raise _InnerBlockError
        self.mark(Kind.LIST, index, index + 1)
        self.in_prose = fence is None
        return index + 1 if fence is None else self.item_fence(index, width, *fence)

    def item_line(self, index: int, width: int, columns: int, offset: int) -> int:
        """A line of an item's content (at column `width` or right of it, its text from
        `offset`): a list line, or the fenced code block it opens; the line after it."""
        text = self.lines[index][offset:]
        self.nested = self.nested or _list_marker(text, 0) is not None
        fence = self.item_fence_at(index, text) if columns - width < 4 else None
        self.in_prose = fence is None
        if fence is not None:
            return self.item_fence(index, width, *fence)
        if columns - width >= 4 or _inner_special(text):
            raise _InnerBlockError
        self.mark(Kind.LIST, index, index + 1)
        return index + 1

    def item_inside(self, start: int, width: int) -> int:
        """The item whose first line is line `start`, read as markdown-it reads it: its
        text (every line from there on at column `width` or right of it, or blank, with
        that indentation removed) is a doc of its own. The item ends at the first line left
        of its text that is not blank; should it come right after the text's last line, it
        may go on in the item's last paragraph (`in_prose`, see `list`). Its lines are list
        lines, but the code, headings and tables of its text; the line after its text."""
        lines = self.lines
        inner = [lines[start][width:]]
        end = start + 1
        while end < len(lines):
            line = lines[end]
            if _blank(line):
                inner.append("")
            else:
                if _indent(line)[0] < width:
                    break
                inner.append(line[width:])
            end += 1
        inside = self.inside(inner, 2)
        index = last_block = 0
        while index < len(inner):
            if _blank(inner[index]):
                index += 1
                continue
            last_block = index
            index = inside.block(index, inner[index])
        self.mark(Kind.LIST, start, end)
        self.take(inside, start)
        self.nested = True  # a fence after a lazy line may stand in a nested item
        # Its last block takes a lazy line if a paragraph, or a list ending in one (a quote
        # of a list is no list, and takes none the classifier reads).
        self.in_prose = inside.prose_end == len(inner) or (
            inside.in_prose
            and inside.kinds(last_block + 1) is Kind.LIST
            and inner[last_block].lstrip(" ")[:1] != ">"
        )
        return end

    def lazy_line(self, index: int, text: str) -> int:
        """A line left of an item's content, right after its prose, that opens no block
        (`text`: past its indent): the item's paragraph goes on over it."""
        if not self.in_prose or "|" in text or _INNER_SPECIAL.match(text):
            raise _UnmodelledError("a lazy continuation line")  # or a table, or an underline
        self.mark(Kind.LIST, index, index + 1)
        return index + 1

    def item_fence_at(self, index: int, text: str) -> tuple[str, int] | None:
        """The fence line `index` opens in a list item (`text`: past its indent), if any.
        markdown-it reads a table before a fence: a fence line with a `|` over what may be
        a delimiter row is left to it."""
        fence = _fence(text)
        if fence is not None and self.nested:
            # Its end is the nested item's: `item_fence` knows the outer item's column only.
            raise _InnerBlockError
        if (
            fence is not None
            and "|" in text
            and index + 1 < len(self.lines)
            and _delimiter_columns(self.lines[index + 1].lstrip(" "))
        ):
            raise _InnerBlockError  # a table, or a fence
        return fence

    def item_fence(self, index: int, width: int, marker: str, length: int) -> int:
        """A fenced code block opened at line `index` in a list item whose content starts
        at column `width`: code up to its closing fence, or up to the line that ends the
        item (a line that is not blank, left of `width`); the line after it."""
        lines = self.lines
        end = index + 1
        while end < len(lines):
            line = lines[end]
            columns, offset = _indent(line)
            if columns < width and not _blank(line):
                break
            end += 1
            if columns - width < 4 and _closes(line[offset:], marker, length):
                break
        self.mark(Kind.CODE, index, end)
        return end
