"""`# docs: path` comments on the image lines of a pull script. Pure, bytes in and out.

Only lines where a comment is safe are touched: outside quotes, `${...}` and
heredocs, not continued with a backslash. On such a line an existing `# docs:`
comment is replaced (or removed when the image has no docs any more), and
otherwise ` # docs: path` is added at the end. Every other byte stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DOCS_COMMENT = "# docs: "
_HEREDOC = re.compile(r"<<-?[ \t]*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")
_LINE = re.compile(rb"[^\n]*\n|[^\n]+")


@dataclass(frozen=True)
class Line:
    """What the lexer knows about one line of the script."""

    safe: bool  # a comment may end it: it starts and ends outside any quote or heredoc
    comment: int | None  # where its comment starts, if it has one


def scan_lines(text: str) -> list[Line]:
    """One `Line` for each line of `text` (split on `\\n`), by a small bash lexer."""
    found: list[Line] = []
    lexer = _Lexer()
    heredocs: list[str] = []  # terminators still to come
    for raw in text.split("\n"):
        line = raw.removesuffix("\r")
        if heredocs:  # a heredoc's body: data, where a comment would be data too
            found.append(Line(False, None))
            if line.strip() == heredocs[0]:
                heredocs.pop(0)
            continue
        neutral_start = lexer.neutral
        comment = lexer.read(line)
        code = line[:comment] if comment is not None else line
        if lexer.neutral:
            heredocs += [m.group(2) for m in _HEREDOC.finditer(code)]
        continued = code.rstrip(" \t").endswith("\\")
        safe = neutral_start and lexer.neutral and not continued and not heredocs
        found.append(Line(safe, comment))
    return found


class _Lexer:
    """Quotes and `${...}` across lines; where a line's comment starts."""

    def __init__(self) -> None:
        self.quote: str | None = None  # ' or " while inside one
        self.braces = 0  # depth of ${...}

    @property
    def neutral(self) -> bool:
        return self.quote is None and self.braces == 0

    def read(self, line: str) -> int | None:
        """Move through `line`; the offset of its comment, if it has one."""
        index = 0
        while index < len(line):
            char = line[index]
            if self.quote == "'":
                self.quote = None if char == "'" else self.quote
            elif char == "\\":
                index += 1  # the next character is escaped
            elif line.startswith("${", index):
                self.braces += 1
                index += 1
            elif char == "}" and self.braces:
                self.braces -= 1
            elif self.quote == '"':
                self.quote = None if char == '"' else self.quote
            elif char in "'\"":
                self.quote = char
            elif char == "#" and self.braces == 0 and (index == 0 or line[index - 1] in _BEFORE):
                return index
            index += 1
        return None


_BEFORE = frozenset(" \t;&|()")


def annotate(data: bytes, docs: Mapping[int, Sequence[str]], names: Mapping[int, str]) -> bytes:
    """`data` with `# docs: ...` set on each line of `docs` (1-based line -> doc paths; no
    paths removes the comment). A line is skipped unless it is safe and holds its image's
    name from `names`; a script that is not UTF-8 is returned unchanged."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    lines = scan_lines(text)
    parts = [m.group() for m in _LINE.finditer(data)]
    for number, paths in docs.items():
        if not 0 < number <= len(parts) or not lines[number - 1].safe:
            continue
        raw = parts[number - 1].decode("utf-8")
        body = raw.rstrip("\r\n")
        if names.get(number, "").lower() not in body.lower():
            continue
        edited = _edit(body, lines[number - 1].comment, paths)
        parts[number - 1] = (edited + raw[len(body) :]).encode("utf-8")
    return b"".join(parts)


def _edit(line: str, comment: int | None, paths: Sequence[str]) -> str:
    wanted = DOCS_COMMENT + ", ".join(map(_shown, paths)) if paths else ""
    if comment is not None:
        ours = line.find(DOCS_COMMENT, comment)
        if ours >= 0:
            kept = line[:ours].rstrip(" \t") if not wanted else line[:ours]
            return kept + wanted
    if not wanted:
        return line
    return line.rstrip(" \t") + "  " + wanted


def _shown(path: str) -> str:
    """`path` as a comment may hold it: a doc's name comes from a pull request, and a line
    end in it would end the comment and make the rest a command of the script. Every
    character that is not printable (line ends, other controls) is written escaped."""
    if path.isprintable():
        return path
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in path)
