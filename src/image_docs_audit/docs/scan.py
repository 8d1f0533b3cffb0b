"""Find where a doc refers to images, and what kind of place each mention stands in.

The matcher runs over the whole text first; only a doc with a match is parsed
as Markdown (markdown-it-py, CommonMark plus tables, with front matter), and the
parse only serves to tell what kind of block each matched line belongs to.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ..model import DocScan, Hit, Kind
from .terms import Matcher, Strength, fold

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
    kinds = line_kinds(text)
    starts = _line_starts(folded)
    hits: list[Hit] = []
    for match in matches:
        line = bisect_right(starts, match.start)
        kind = Kind.REFERENCE if match.term.strength is Strength.REFERENCE else kinds(line)
        hits.extend(Hit(image, line, kind) for image in match.term.images)
    return _unique(hits)


def file_name_hits(path: str, matcher: Matcher) -> tuple[Hit, ...]:
    """The images the doc's file name names (with any configured prefix stripped)."""
    stem = _SUFFIX_RE.sub("", path.rsplit("/", 1)[-1])
    return _unique(
        Hit(image, 0, Kind.FILENAME)
        for match in matcher.find(fold(stem))
        for image in match.term.images
    )


def _unique(hits: Iterable[Hit]) -> tuple[Hit, ...]:
    return tuple(dict.fromkeys(hits))


def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts; `bisect_right(starts, offset)` is the 1-based line."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


class _LineKinds:
    """The kind of block each 1-based line stands in; body text where nothing else."""

    def __init__(self) -> None:
        self.kinds: dict[int, Kind] = {}

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
