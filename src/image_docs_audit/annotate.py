"""`# docs: path` comments on the image lines of a pull script. Pure, bytes in and out.

The script and the doc names come from a pull request, and the script is run later by
someone who trusts it, so two layers keep a comment from changing what it does:

- Only lines the lexer is sure of are touched: lines that start and end outside every
  quote (`'...'`, `"..."`, `$'...'`), `${...}`, `$(...)`, backticks, arithmetic and
  heredoc, and are not continued with a backslash. Whatever the lexer does not know
  (a `case` inside parentheses, `$[...]`, a heredoc word it cannot read) makes it stop
  annotating for the rest of the script: annotating less is safe.
- The doc paths written are inert wherever bash could be reading them (see `_shown`).

On a safe line an existing `# docs:` comment is replaced (or removed when the image has
no docs any more), and otherwise `  # docs: path` is added at the end. Every other byte
stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .records import record
from .render.escape import utf8_bytes

DOCS_COMMENT = "# docs: "
_LINE = re.compile(rb"[^\n]*\n|[^\n]+")


@record
class Line:
    """What the lexer knows about one line of the script."""

    safe: bool  # a comment may end it: it starts and ends outside any quote or heredoc
    comment: int | None  # where its comment starts, if it has one


def scan_lines(text: str) -> list[Line]:
    """One `Line` for each line of `text` (split on `\\n`), by a small bash lexer.

    A script whose every line ends in CRLF is read as text saved on Windows: the CR is
    part of the line end. In any other script a CR is what bash takes it for, a
    character of the line, and a line that ends in one is never safe (the comment would
    go before it and take it out of the line's last word)."""
    lines = text.split("\n")
    windows = len(lines) > 1 and all(line.endswith("\r") for line in lines[:-1])
    lexer = _Lexer()
    return [lexer.line(line.removesuffix("\r") if windows else line) for line in lines]


@dataclass
class _Frame:
    """A context the lexer is inside: see `_Lexer`'s handlers for each kind."""

    kind: str  # root, paren, subst, dquote, squote, ansi, param, backtick, arith
    depth: int = 0  # parentheses opened inside an arithmetic frame
    # Its end ends the word: `(x)#c` and `((x))#c` are followed by a comment, where after
    # a quote, `$(x)`, `${x}` or `$((x))` the `#` goes on the word.
    ends_word: bool = False


@record
class _Heredoc:
    word: str  # the delimiter, its quotes removed
    strip_tabs: bool  # <<-
    quoted: bool  # any part of the word quoted: no backslash joins the body's lines


# Code frames: where `#` starts a comment and `<<` a heredoc.
_CODE = frozenset({"root", "paren", "subst"})
# Frames a comment may be added in: top-level code and `( ... )` (an array, a subshell).
_NEUTRAL = frozenset({"root", "paren"})
_BLANK = frozenset(" \t")
_METACHARS = frozenset(" \t|&;()<>")


class _Lexer:
    """Bash's quoting, substitutions and heredocs across lines, as far as a comment
    cares: one call of `line` per line, in order."""

    def __init__(self) -> None:
        self.stack = [_Frame("root")]
        self.lost = False  # the lexer met something it does not know: nothing is safe
        self.heredocs: list[_Heredoc] = []  # bodies still to read, in order
        self.joined = ""  # an unquoted heredoc's line continued with a backslash
        self.word_start = True  # the next character starts a word (a `#` a comment)
        self.continued = False  # the line ends with a backslash: the next one goes on
        self.new_heredoc: int | None = None  # the line's heredocs: the fewest frames open

    def line(self, line: str) -> Line:
        if self.heredocs:
            self._body(line)
            return Line(False, None)
        starts_neutral = all(frame.kind in _NEUTRAL for frame in self.stack)
        self.continued, self.new_heredoc = False, None
        comment = None if self.lost else self._read(line)
        code = line if comment is None else line[:comment]
        self._end_line()
        safe = (
            starts_neutral
            and not self.lost
            and all(frame.kind in _NEUTRAL for frame in self.stack)
            and self.new_heredoc is None
            and not self.continued
            # `x \<tab>` would lose its tab to the comment; a CR is the last word's
            and not code.rstrip(" \t").endswith(("\\", "\r"))
        )
        return Line(safe, comment)

    def _end_line(self) -> None:
        """A line end in code starts a word; a heredoc's body starts after the line, in
        code, that ends its command (the lexer is lost where that is not this line)."""
        if not self.continued:
            self.word_start = True
        if self.new_heredoc is not None and (
            self.continued or self.stack[-1].kind not in _CODE or len(self.stack) < self.new_heredoc
        ):
            self.lost = True

    def _body(self, line: str) -> None:
        """One line of the first heredoc still open: bash ends it at a line that is its
        word (after joining lines continued with a backslash when the word is unquoted,
        then taking off leading tabs for `<<-`)."""
        heredoc = self.heredocs[0]
        logical = self.joined + line
        if not heredoc.quoted and _ends_escaped(logical):
            self.joined = logical[:-1]
            return
        self.joined = ""
        if (logical.lstrip("\t") if heredoc.strip_tabs else logical) == heredoc.word:
            self.heredocs.pop(0)

    def _read(self, line: str) -> int | None:
        """Move through `line`; the offset of its comment, if it has one."""
        index = 0
        while index < len(line) and not self.lost:
            frame = self.stack[-1]
            if frame.kind in _CODE and self.word_start and line[index] == "#":
                return index
            index = _HANDLERS[frame.kind](self, line, index)
        return None

    def _pop(self) -> None:
        self.word_start = self.stack.pop().ends_word

    def _escape(self, line: str, index: int) -> int:
        """A backslash: the next character is escaped; at the line's end, the line goes
        on on the next one."""
        if index + 1 >= len(line):
            self.continued = True  # `a\` then `#b` is the word `a#b`: word_start stays
        else:
            self.word_start = False
        return index + 2

    def _dollar(self, line: str, index: int) -> int | None:
        """`$(`, `$((`, `${` (any frame that expands) and `$[` (which makes the lexer
        lost); the offset after it, or None when `line[index:]` starts none of these."""
        if line.startswith("$((", index):
            self.stack.append(_Frame("arith"))
            return index + 3
        if line.startswith("$(", index):
            self.stack.append(_Frame("subst"))
            return index + 2
        if line.startswith("${", index):
            self.stack.append(_Frame("param"))
            return index + 2
        if line.startswith("$[", index):
            self.lost = True
            return index + 2
        return None

    def _quote(self, line: str, index: int) -> int | None:
        """A quote that opens in code or `${...}`: `'`, `"`, `$'`, `$"` or a backtick."""
        for opening, kind in _QUOTES:
            if line.startswith(opening, index):
                self.stack.append(_Frame(kind))
                return index + len(opening)
        return None

    def _code(self, line: str, index: int) -> int:
        char = line[index]
        if char == "\\":
            return self._escape(line, index)
        opened = self._quote(line, index)
        if opened is None:
            opened = self._dollar(line, index)
        if opened is not None:
            self.word_start = self.stack[-1].kind == "subst"  # `$(` starts a command
            return opened
        if char in "<>()":
            return self._operator(line, index)
        if self.word_start and _word_at(line, index, "case") and len(self.stack) > 1:
            self.lost = True  # its patterns' `)` would close the parentheses around it
        self.word_start = char in _METACHARS
        return index + 1

    def _operator(self, line: str, index: int) -> int:
        """Redirections, heredocs, process substitution and parentheses in code."""
        word_start, self.word_start = self.word_start, True
        if line.startswith("<<<", index):
            return index + 3
        if line.startswith("<<", index):
            return self._heredoc(line, index + 2)
        if line.startswith(("<(", ">("), index):
            self.stack.append(_Frame("subst"))
            return index + 2
        if line.startswith("((", index) and word_start:
            self.stack.append(_Frame("arith", ends_word=True))  # an arithmetic command
            return index + 2
        if line[index] == "(":
            # `(x)#c` is followed by a comment; `A=(x)#c`, `@(x)#c` are words, `f()#c` not.
            self.stack.append(_Frame("paren", ends_word=word_start))
        elif line[index] == ")" and len(self.stack) > 1:
            unsure = self.stack[-1].kind == "paren" and not self.stack[-1].ends_word
            self._pop()
            self.lost = self.lost or (unsure and line[index + 1 : index + 2] == "#")
        return index + 1  # a `)` in top-level code: a `case` pattern's

    def _heredoc(self, line: str, index: int) -> int:
        strip_tabs = line.startswith("-", index)
        index += strip_tabs
        while index < len(line) and line[index] in _BLANK:
            index += 1
        found = _delimiter(line, index)
        if found is None:
            self.lost = True
            return len(line)
        word, quoted, index = found
        self.heredocs.append(_Heredoc(word, strip_tabs, quoted))
        depth = len(self.stack)
        self.new_heredoc = depth if self.new_heredoc is None else min(depth, self.new_heredoc)
        return index

    def _double(self, line: str, index: int) -> int:
        char = line[index]
        if char == "\\":
            return self._escape(line, index)
        if char == '"':
            self._pop()
            return index + 1
        if char == "`":
            self.stack.append(_Frame("backtick"))
            return index + 1
        return self._dollar(line, index) or index + 1

    def _single(self, line: str, index: int) -> int:
        end = line.find("'", index)
        if end < 0:
            return len(line)
        self._pop()
        return end + 1

    def _ansi(self, line: str, index: int) -> int:
        """`$'...'`: a backslash escapes the next character, `\\'` too."""
        if line[index] == "\\":
            return self._escape(line, index)
        if line[index] == "'":
            self._pop()
        return index + 1

    def _param(self, line: str, index: int) -> int:
        """`${...}`: quotes inside it are quotes (even within double quotes)."""
        char = line[index]
        if char == "\\":
            return self._escape(line, index)
        if char == "}":
            self._pop()
            return index + 1
        opened = self._quote(line, index)
        return opened if opened is not None else self._dollar(line, index) or index + 1

    def _backtick(self, line: str, index: int) -> int:
        """Bash ends a backtick substitution at the next unescaped backtick, quotes or
        not; a heredoc inside one is more than the lexer knows."""
        char = line[index]
        if char == "\\":
            return self._escape(line, index)
        if char == "`":
            self._pop()
        elif line.startswith("<<", index):
            self.lost = True
        return index + 1

    def _arith(self, line: str, index: int) -> int:
        """`$((...))` and `((...))`: parentheses nest; a single quote is not arithmetic."""
        frame, char = self.stack[-1], line[index]
        if char == "(":
            frame.depth += 1
        elif char == ")" and frame.depth:
            frame.depth -= 1
        elif char == ")" and line.startswith("))", index):
            self._pop()
            return index + 2
        elif char in ")'":
            self.lost = True  # `$((a) b)` is a command substitution after all
        elif char in '"`':
            self.stack.append(_Frame("dquote" if char == '"' else "backtick"))
        else:
            return self._dollar(line, index) or index + 1
        return index + 1


_QUOTES = (("$'", "ansi"), ('$"', "dquote"), ("'", "squote"), ('"', "dquote"), ("`", "backtick"))
_HANDLERS = {
    "root": _Lexer._code,
    "paren": _Lexer._code,
    "subst": _Lexer._code,
    "dquote": _Lexer._double,
    "squote": _Lexer._single,
    "ansi": _Lexer._ansi,
    "param": _Lexer._param,
    "backtick": _Lexer._backtick,
    "arith": _Lexer._arith,
}


def _word_at(line: str, index: int, word: str) -> bool:
    end = index + len(word)
    return line.startswith(word, index) and line[end : end + 1] in ("", *_METACHARS)


def _ends_escaped(line: str) -> bool:
    """`line` ends in an odd run of backslashes: the last one escapes the line end."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _delimiter(line: str, index: int) -> tuple[str, bool, int] | None:
    """The heredoc word at `index`: its text with the quotes removed, whether any of it
    was quoted, and the offset after it; None for a word the lexer does not know (none,
    one that expands, a quote that does not close on this line)."""
    word: list[str] = []
    quoted = False
    while index < len(line) and line[index] not in _METACHARS:
        char = line[index]
        if char == "\\" and index + 1 < len(line):
            word.append(line[index + 1])
            quoted, index = True, index + 2
        elif char in "'\"":
            end = line.find(char, index + 1)
            inner = line[index + 1 : end]
            if end < 0 or (char == '"' and any(c in inner for c in "\\$`")):
                return None
            word.append(inner)
            quoted, index = True, end + 1
        elif char in "\\$`":
            return None
        else:
            word.append(char)
            index += 1
    text = "".join(word)
    return (text, quoted, index) if text else None


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


# Characters that mean something to bash somewhere a line may be, were the lexer wrong
# about it: inside double quotes, single quotes, `$'...'`, backticks, an unquoted heredoc
# (`$ ` " ' \\`), history expansion (`!`), the ends of `${...}`, `$((...))` and `$[...]`
# with their openings, and `%`, which `_shown` writes them with.
_SPECIAL = frozenset("$`\"'\\!%(){}[]")


def _shown(path: str) -> str:
    """`path` as the comment holds it: inert wherever bash could be reading it.

    A doc's name comes from a pull request. A line end in it would end the comment and
    make the rest a command of the script; were the lexer wrong and the line inside a
    string, a `$(...)` or a backtick in it would run. So every byte of a character in
    `_SPECIAL`, of a line end, of another control, format or separator character (which
    also hide text in an editor) and of a name's undecodable byte is written
    percent-encoded, as a URL writes it: `$` is `%24`, a line feed `%0A`, `%` itself
    `%25`. Every other character is written as it is."""
    return "".join(_percent(char) if _special(char) else char for char in path)


def _special(char: str) -> bool:
    return char in _SPECIAL or not char.isprintable()


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in utf8_bytes(char))
