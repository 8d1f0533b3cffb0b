"""Text that flows into a command: heredocs, herestrings, pipes and files the script wrote.

`xargs docker pull <<EOF`, `echo "$LIST" | xargs -n1 docker pull`,
`while read -r img; do ...; done < list.txt` after `cat > list.txt <<EOF`: a
stream is the lines such a command reads, each line a value with the place it
stands. Only what the script itself writes can be known: the lines of a file
it did not write are unknown, and say so.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import NamedTuple, Protocol

from tree_sitter import Node

from ..lazy_pattern import LazyPattern
from ..records import record
from .bash_values import (
    Alt,
    Evaluator,
    Item,
    Unknown,
    Values,
    expand_line,
    joined,
    known,
    line_of,
    opaque,
    part_of,
    text,
)
from .limits import MAX_ALTERNATIVES, MAX_ELEMENTS, Budget

# Commands whose output is their input, as far as the images in it go.
_PASSTHROUGH = frozenset({"tee", "cat"})


@record
class HeredocComment:
    """A `#` line inside a heredoc: a category header for the lines below it."""

    line: int
    text: str


class Lines(tuple[Item, ...]):
    """Values that are lines one after another, as a heredoc or a herestring holds them
    (other values are the alternatives of one text): `rows` gives each value's line, from
    0, as bash counts them (blank and `#` lines hold no value but count); the lines of
    each alternative of a herestring count from 0, and the alternatives of one line share
    its row. One `read` takes row 0; the next reads on from row 1."""

    rows: tuple[int, ...]

    def __new__(cls, items: Sequence[Item], rows: Sequence[int]) -> Lines:
        made = super().__new__(cls, items[:MAX_ELEMENTS])
        made.rows = tuple(rows[:MAX_ELEMENTS])
        return made

    def first(self) -> Values:
        """What one `read` takes: the values of the first line."""
        return tuple(item for item, row in zip(self, self.rows, strict=True) if row == 0)

    def rest(self) -> Lines:
        """The lines after the first, the next `read`'s."""
        kept = [(item, row - 1) for item, row in zip(self, self.rows, strict=True) if row]
        return Lines([item for item, _ in kept], [row for _, row in kept])


@record
class Heredoc:
    lines: Values
    comments: tuple[HeredocComment, ...]


def heredoc(redirect: Node, evaluator: Evaluator) -> Heredoc:
    """The lines of `<<EOF ... EOF`, expanded unless the delimiter is quoted."""
    body = next((c for c in redirect.children if c.type == "heredoc_body"), None)
    start = next((c for c in redirect.children if c.type == "heredoc_start"), None)
    if body is None:
        return Heredoc((), ())
    # Any quote in the word (`<<'EOF'`, `<<E"OF"`, `<<\EOF`): bash expands nothing.
    quoted = start is not None and any(char in text(start) for char in "'\"\\")
    lines: list[Item] = []
    rows: list[int] = []
    comments: list[HeredocComment] = []
    first = line_of(body)
    whole = text(body)
    written = whole.split("\n")[:MAX_ELEMENTS]
    # Each line read is a step (an expanded one, three: its pieces are joined anew), and
    # each 256 characters: a function printing a heredoc of 10,000 lines (or of one line
    # of megabytes) may be called by the thousand.
    evaluator.budget.step(len(written) * (1 if quoted else 3) + len(whole) // 256)
    numbered = _continued(written) if not quoted and "\\\n" in whole else enumerate(written)
    # bash's lines, the empty ones tree-sitter-bash leaves out of the body first
    skipped = _blank_lines_before(body)
    for row, (offset, raw) in enumerate(numbered, skipped):
        stripped = raw.strip()
        number = first + offset
        if not stripped:
            continue
        if stripped.startswith("#"):
            comments.append(HeredocComment(number, stripped))
            continue
        values = (Alt(stripped),) if quoted else expand_line(stripped, evaluator, number)
        lines.extend(_at_line(values, number, redirect.id))
        rows.extend(itertools.repeat(row, len(values)))
    return Heredoc(Lines(lines, rows), tuple(comments))


def _blank_lines_before(body: Node) -> int:
    """The empty lines a heredoc starts with, which tree-sitter-bash leaves out of its
    body: between the end of what comes before the body and the body's first line."""
    before = body.prev_sibling
    return max(body.start_point[0] - before.end_point[0] - 1, 0) if before is not None else 0


def _continued(lines: list[str]) -> list[tuple[int, str]]:
    """The lines of an unquoted heredoc as bash reads them, each with its first line's
    offset: a line ending with a backslash (an odd number of them) goes on with the next,
    the backslash and the line end dropped."""
    found: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for offset, raw in enumerate(lines):
        start, line = (pending[0], pending[1] + raw) if pending is not None else (offset, raw)
        if (len(line) - len(line.rstrip("\\"))) % 2:
            pending = (start, line[:-1])
            continue
        pending = None
        found.append((start, line))
    if pending is not None:
        found.append(pending)
    return found


def _at_line(values: Values, number: int, scope: int | None) -> Values:
    return tuple(_item_at_line(item, number, scope) for item in values)


def _item_at_line(item: Item, number: int, scope: int | None) -> Item:
    if isinstance(item, Alt):
        return replace(item, line=number, column=0, scope=scope)
    if item.head is not None:  # `example/app:${TAG}`: its known part stands on the line
        return replace(item, head=replace(item.head, line=number, column=0, scope=scope))
    return item


def herestring(redirect: Node, evaluator: Evaluator) -> Values:
    """The lines of `<<< WORD`."""
    word = next((c for c in redirect.named_children), None)
    if word is None:
        return ()
    values = evaluator.word(word)
    if any(isinstance(item, Unknown) for item in values):
        return split_lines(values)  # where its lines break is not known
    found = [
        (offset, line)
        for item in values
        if isinstance(item, Alt)
        for offset, line in _text_lines(item)
    ]
    return Lines([line for _, line in found], [offset for offset, _ in found])


def split_lines(values: Values) -> Values:
    """Each text cut into its lines; empty lines and `#` comments dropped."""
    found: list[Item] = []
    for item in values:
        if isinstance(item, Unknown):
            found.extend(_split_unknown(item, split_lines, _breaks_line))
        else:
            found.extend(line for _, line in _text_lines(item))
    return tuple(found[:MAX_ELEMENTS])


def _text_lines(item: Alt) -> Iterator[tuple[int, Alt]]:
    """The lines of a text, each with its offset in it; empty lines and `#` comments
    dropped."""
    # A `\n` written in the text (`echo -e "a\nb"`) cuts it too, on the same line.
    for offset, written in enumerate(item.text.split("\n")):
        for line in written.split("\\n"):
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                yield offset, _moved(replace(item, text=stripped), offset)


# Put after the known head of a value not known while it is cut (see `_split_unknown`):
# no text of bash holds it, and no IFS.
_END = "\0"


def _split_unknown(
    item: Unknown, split: Callable[[Values], Values], breaks: Callable[[str], int]
) -> Values:
    """A value not known cut as `split` cuts a text: the pieces its known head holds
    before the unknown part are known (`IMGS="redis:7 example/app:$TAG"`, unquoted), the
    last one starts the unknown piece. A break in the known text after it (`breaks`: where
    the first is, -1 for none) ends that piece, and the known text from there on is cut as
    a text is (`IMGS="example/app:$TAG nginx:1"`, a list whose line `example/app:$(cat
    VERSION)` stands above `redis:7`); where another piece not known follows, which words
    are whose only running the script tells: the value is not known at all."""
    cut = breaks(item.after)
    found: Values = ()
    head = item.head
    if head is not None:
        pieces = split((replace(head, text=head.text + _END),))
        last = pieces[-1] if pieces else None
        if not isinstance(last, Alt) or not last.text.endswith(_END):
            # The line the unknown piece stands on is a comment: no value, but the lines
            # after it are the value's.
            return pieces if cut < 0 or item.gaps else (*pieces, *_after_break(item, cut, split))
        found = pieces[:-1]
        # A word that starts not known keeps an empty head (its place) only where a name
        # may follow the part not known: after a `/` (see `Unknown`).
        nameless = last.text == _END and "/" not in item.after
        head = None if nameless else replace(last, text=last.text[:-1])
    if cut < 0:
        return (*found, replace(item, head=head))
    if item.gaps:
        return (*found, opaque(item))
    # The piece ends at the break: its text as written is cut there too, where it can be.
    written = item.rest[: len(item.rest) - len(item.after)] if item.rest else ""
    ended = Unknown(
        item.why,
        item.line,
        item.message,
        head,
        written + item.after[:cut] if item.rest.endswith(item.after) else "",
        item.after[:cut],
    )
    return (*found, ended, *_after_break(item, cut, split))


def _after_break(item: Unknown, cut: int, split: Callable[[Values], Values]) -> Values:
    """The known text after the break at `cut` in `item.after`, cut as a text is, each
    piece on its line: below the line the unknown piece stands on."""
    line, column, scope = item.line, 0, None
    head = item.head
    if head is not None and head.line is not None:  # where the value stands, and the line
        line = head.line + head.text.count("\n")  # its unknown piece starts on
        column, scope = head.column, head.scope
    # (`split` moves each piece by the line ends before it in the text.)
    return split((Alt(item.after[cut:], line, column, scope),))


def _breaks_line(after: str) -> int:
    # `split_lines` reads `\n` as echo -e does
    found = [at for at in (after.find("\n"), after.find("\\n")) if at >= 0]
    return min(found) if found else -1


def _breaks_word(after: str) -> int:
    return next((at for at, char in enumerate(after) if char.isspace()), -1)


def _any_in(after: str, separators: str) -> int:
    return next((at for at, char in enumerate(after) if char in separators), -1)


def _moved(item: Alt, lines: int) -> Alt:
    """A piece of a multi-line value: it stands `lines` lines below the value's start."""
    if item.line is None or not lines:
        return item
    return replace(item, line=item.line + lines, column=0)


def split_words(values: Values) -> Values:
    """Each text cut on white space, as xargs and unquoted expansions cut it (an empty one
    is no word)."""
    found: list[Item] = []
    for item in values:
        if isinstance(item, Unknown):
            found.extend(_split_unknown(item, split_words, _breaks_word))
            continue
        if not any(c.isspace() for c in item.text):
            if item.text:
                found.append(item)
            continue
        for offset, line in enumerate(item.text.split("\n")):
            found.extend(_moved(replace(item, text=word), offset) for word in line.split())
    return tuple(found[:MAX_ELEMENTS])


def xargs_items(values: Values, line: int, budget: Budget, *, lines: bool) -> Values:
    """The items GNU xargs reads from `values` (unless `-0` or `-d` is given): its words
    (`split_words`), or with `lines` (`-I`) its lines (`split_lines`), where a single or
    double quote groups what it holds up to the same quote on that line and goes, and a
    backslash takes the next character as it is: `image: "nginx:1.25"` cut by awk gives
    xargs `"nginx:1.25"`, which it passes as `nginx:1.25`. A quote left open ends the
    input (xargs stops there with an error): that line and the ones after are not known
    (a warning at its line, or at xargs' `line` for an input not read from a file). A line
    read character by character is charged to `budget` by its length: a list's lines may
    be a megabyte long, and an xargs in a loop reads them at each pass."""
    found: list[Item] = []
    for item in values:
        if isinstance(item, Unknown) or not _XARGS_QUOTING & set(item.text):
            found.extend(split_lines((item,)) if lines else split_words((item,)))
            continue
        for offset, written in enumerate(item.text.split("\n")):
            if lines and (not written.strip() or written.strip().startswith("#")):
                continue
            budget.step(1 + len(written) // _CHARACTERS_PER_STEP)
            read = _xargs_line(written.lstrip(" \t") if lines else written, whole=lines)
            if read is None:
                shown = written.strip()[:80]
                where = item.line + offset if item.line else line
                stop = Unknown(shown, where, _OPEN_QUOTE.format(shown=shown))
                return (*found, stop)[:MAX_ELEMENTS]
            found.extend(_moved(replace(item, text=word), offset) for word in read)
    return tuple(found[:MAX_ELEMENTS])


_XARGS_QUOTING = frozenset("'\"\\")
# Characters of a line read one by one for a step of the budget (about as long: half a
# microsecond a character, a few a step).
_CHARACTERS_PER_STEP = 8
_OPEN_QUOTE = (
    "xargs finds no end to a quote in {shown}, and stops there; the images from here on are "
    "not audited (close the quote, or give xargs -0 or -d '\\n')"
)


def _xargs_line(text: str, *, whole: bool) -> list[str] | None:
    """The items xargs reads from one line: its words, or with `whole` the line as one
    (its blanks kept); None for a quote left open."""
    items: list[str] = []
    current: list[str] = []
    started, quote, index = False, "", 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
            else:
                current.append(char)
        elif char in "'\"":
            quote, started = char, True
        elif char == "\\" and index + 1 < len(text):
            index += 1
            current.append(text[index])
            started = True
        elif char in " \t" and not whole:
            if started:
                items.append("".join(current))
                current, started = [], False
        else:
            current.append(char)
            started = True
        index += 1
    if quote:
        return None
    if started:
        items.append("".join(current))
    return items


DEFAULT_IFS = " \t\n"


def split_fields(values: Values, ifs: str) -> Values:
    """Each text cut into fields as bash cuts an unquoted expansion with `ifs`: a run of
    its white space is one break, and each of its other characters ends a field (so
    `a,,b` under `IFS=,` is `a`, an empty field and `b`). An empty IFS cuts nothing."""
    if ifs == DEFAULT_IFS:
        return split_words(values)
    if not ifs:
        return values
    found: list[Item] = []
    for item in values:
        if isinstance(item, Unknown):
            cut = _split_unknown(item, lambda v: split_fields(v, ifs), lambda t: _any_in(t, ifs))
            found.extend(cut)
            continue
        if not any(char in ifs for char in item.text):
            if item.text:  # an empty value is no word
                found.append(item)
            continue
        for lines, field in _ifs_fields(item.text, ifs):
            found.append(_moved(replace(item, text=field), lines))
    return tuple(found[:MAX_ELEMENTS])


def _ifs_fields(text: str, ifs: str) -> list[tuple[int, str]]:
    """The fields of `text` under `ifs`, each with the newlines before its start."""
    white = {char for char in ifs if char in DEFAULT_IFS}
    fields: list[tuple[int, str]] = []
    current: list[str] = []
    start_lines, lines, state = 0, 0, "start"  # start: before a field; white: after one
    for char in text:
        if char in white:
            state = "white" if state == "field" else state
        elif char in ifs:  # a break of its own, with the white space around it
            fields.append((start_lines, "".join(current)))
            current, state = [], "start"
        else:
            if state == "white":
                fields.append((start_lines, "".join(current)))
                current = []
            if state != "field":
                start_lines = lines
            current.append(char)
            state = "field"
        lines += char == "\n"
    if state != "start":
        fields.append((start_lines, "".join(current)))
    return fields


def read_fields(line: Item, separators: str | None, most: int) -> list[Item]:
    """The elements `read -a NAME` makes of the first line of `line`, at most `most`: its
    fields as bash splits them on IFS (`separators`; None: white space), a run of IFS
    white space one break and each other separator one (`a,,b` under `IFS=,` is three
    fields, the second empty). A line not known is one field not known."""
    if isinstance(line, Unknown):
        return [opaque(line)]
    first = line.text.split("\n", 1)[0]
    found = _ifs_fields(first, separators or DEFAULT_IFS)[: max(most, 0)]
    return [part_of(line, piece) for _, piece in found]


def fields(line: Item, count: int, separators: str | None) -> list[Item]:
    """`read -r a b c` on one line: the first words, the last variable takes the rest."""
    if isinstance(line, Unknown):  # one name takes the whole line; fields of it are not known
        return [line if count == 1 else opaque(line)] * count
    value = line.text
    if separators is None:
        parts = value.split(None, count - 1)
    else:
        parts = _split_on(value, separators, count)
    parts += [""] * (count - len(parts))
    return [replace(line, text=part.strip()) for part in parts]


def _split_on(value: str, separators: str, count: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for char in value:
        if char in separators and len(parts) < count - 1:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


class FileLines(Protocol):
    """A file's lines by name, read at a line. `written`: each line of a repository file
    whole, as grep and awk read it (a list's lines are read without their comments)."""

    def __call__(self, name: str, line: int, written: bool = False) -> Values: ...


def output(
    words: Sequence[Values],
    stdin: Values | None,
    files: FileLines,
    line: int,
    budget: Budget | None = None,
) -> Values | None:
    """What a command prints, when the script lets us know it: echo, printf, cat.

    `words` are the command's words, evaluated; None when the output is not known.
    `budget`: the reader's, charged the patterns grep and awk match.
    """
    name = known(words[0]) if words else None
    arguments = list(words[1:])
    if name == "echo":
        while arguments and (known(arguments[0]) or "").startswith("-"):
            arguments.pop(0)
        return _echoed(arguments, line)
    if name == "printf":  # `printf -v NAME ...` prints nothing: it sets NAME
        call = printf_words(arguments)
        return () if call.variable is not None else printf_text(call.arguments)
    if name in ("dirname", "basename", "mktemp", "git"):
        return _path_output(name, arguments, line)
    if name == "cat" and arguments:
        return _files(arguments, stdin, files, line)
    matcher = _MATCHERS.get(name or "")
    if matcher is not None:  # grep and awk: charged what they match
        return matcher(arguments, stdin, files, line, budget)
    return (
        _FILTERS[name or ""](arguments, stdin, files, line)
        if name in _FILTERS
        else (stdin if name in _PASSTHROUGH else None)
    )


def _path_output(name: str, arguments: list[Values], line: int) -> Values | None:
    """The path `dirname`, `mktemp` or `git rev-parse --show-toplevel` prints, as the
    reader names paths (from the repository's root); None for another command line."""
    if name == "dirname" and len(arguments) == 1:
        folder = known(arguments[0])
        return None if folder is None else (Alt(_dirname(folder)),)
    if name == "basename":
        return _basenames(arguments)
    if name == "mktemp":
        # A name of its own (`LIST=$(mktemp)`), so that what the script writes to it and
        # then reads from it is followed; no file of the repository is ever one.
        return (Alt(f"{TEMPORARY}/mktemp-{line}"),)
    if name == "git" and [known(word) for word in arguments] == ["rev-parse", "--show-toplevel"]:
        return (Alt("."),)
    return None


# Where the names `mktemp` gives stand: outside any repository.
TEMPORARY = "/tmp/image-docs-audit"
_TEMPORARY_NAME = LazyPattern(re.escape(TEMPORARY) + r"/mktemp-(\d+)")


def _echoed(arguments: list[Values], line: int) -> Values:
    """What `echo ARGS...` prints: one line, its arguments joined by spaces (a shell that
    reads it runs that command line). Where an argument may be several texts, each is a
    line it may print; where several arguments may, each combination, up to
    MAX_ALTERNATIVES of them: past that, or past `_MOST_PRINTED` characters, the line is
    not known."""
    words = [values for values in arguments if values]  # no value: no word (`$EMPTY`)
    count = widest = 1
    for values in words:
        count, widest = count * len(values), max(widest, len(values))
        if count > MAX_ALTERNATIVES and count > widest:  # (a word alone gives its own texts)
            return (Unknown("echo", line, _ECHO_TOO_MANY),)
    parts: list[Values] = []
    for values in words:
        parts += [(Alt(" "),), values] if parts else [values]
    printed: list[Item] = []
    for combination in itertools.product(*parts):
        found = joined(combination, _MOST_PRINTED)
        printed.append(found if found is not None else Unknown("echo", line, _ECHO_TOO_LONG))
    return split_lines(tuple(dict.fromkeys(printed)))


_ECHO_TOO_MANY = (
    f"echo prints one of more than {MAX_ALTERNATIVES} lines here (the values its arguments "
    "may have, combined); the images in them are not audited"
)


def _seq(
    arguments: list[Values], stdin: Values | None, files: FileLines, line: int
) -> Values | None:
    """`seq LAST`, `seq FIRST LAST`, `seq FIRST STEP LAST`: whole numbers, one a line (an
    option, a fraction or more than MAX_ELEMENTS numbers is not followed)."""
    words = [known(values) for values in arguments]
    numbers = [int(word) for word in words if word is not None and _WHOLE.fullmatch(word)]
    if len(numbers) != len(words) or not 1 <= len(numbers) <= 3:
        return None
    if len(numbers) == 3:
        first, step, last = numbers
    else:  # `seq LAST`, `seq FIRST LAST`
        first, step, last = (numbers[0] if len(numbers) == 2 else 1), 1, numbers[-1]
    if step == 0 or (last - first) // step >= MAX_ELEMENTS:
        return None
    return tuple(Alt(str(number)) for number in range(first, last + (1 if step > 0 else -1), step))


_WHOLE = LazyPattern(r"[-+]?[0-9]{1,18}")


def _basenames(arguments: list[Values]) -> Values | None:
    """What `basename NAME [SUFFIX]` (or `basename -s SUFFIX NAME`) prints, for each text
    NAME may be (`basename "$dir"` in a loop over folders); None for another command line,
    or a text not known."""
    texts = [known(values) for values in arguments]
    if len(texts) == 3 and texts[0] == "-s":
        names, suffix = arguments[2], texts[1]
    elif len(arguments) in (1, 2) and not (texts[0] or "-").startswith("-"):
        names, suffix = arguments[0], texts[1] if len(texts) == 2 else ""
    else:
        return None
    if suffix is None or not all(isinstance(item, Alt) for item in names):
        return None
    return tuple(Alt(_basename(item.text, suffix)) for item in names if isinstance(item, Alt))


def _basename(path: str, suffix: str) -> str:
    """What `basename` prints: `app` for `services/app/`, `b` for `a/b.txt` less `.txt`."""
    trimmed = path.rstrip("/")
    if not trimmed:
        return "/" if path else ""
    name = trimmed.rsplit("/", 1)[-1]
    return name[: -len(suffix)] if suffix and name != suffix and name.endswith(suffix) else name


def _dirname(path: str) -> str:
    """What `dirname` prints: `scripts` for `scripts/pull.sh`, `.` for `pull.sh`."""
    trimmed = path.rstrip("/")
    if not trimmed:
        return "/" if path else "."
    folder = trimmed.rsplit("/", 1)[0].rstrip("/") if "/" in trimmed else "."
    return folder or "/"


@record
class Printf:
    """`printf [-v NAME] [--] FORMAT ARGS...` cut into its parts."""

    variable: Values | None  # the NAME of `-v NAME`: printf sets it and prints nothing
    arguments: list[Values]  # the format, then its arguments


def printf_words(arguments: list[Values]) -> Printf:
    """The parts of printf's words after its name (`-vNAME` is `-v NAME`, as bash reads it)."""
    first = known(arguments[0]) if arguments else None
    variable: Values | None = None
    rest = arguments
    if first == "-v" and len(arguments) > 1:
        variable, rest = arguments[1], arguments[2:]
    elif first is not None and first.startswith("-v") and len(first) > 2:
        variable, rest = (Alt(first[2:]),), arguments[1:]
    if rest and known(rest[0]) == "--":
        rest = rest[1:]
    return Printf(variable, list(rest))


def printf_text(arguments: list[Values]) -> Values | None:
    """What `printf FORMAT ARGS...` writes (its output, or the value `-v NAME` gets), for
    each text the format may be: under a
    format that only separates its arguments (`"%s\\n"`), the arguments one per line;
    under one that joins them (`"%s/%s:%s"`), the text bash writes, when every argument is
    known. A format not known is an Unknown; one with a conversion other than `%s`, None."""
    if not arguments:
        return None
    printed: list[Item] = []
    for item in arguments[0]:
        if isinstance(item, Unknown):  # a format not known: what it makes of its text neither
            printed.append(opaque(item))
            continue
        found = _printf_one(item, arguments[1:])
        if found is None:
            return None
        printed.extend(found)
    return tuple(printed[:MAX_ELEMENTS])


def _printf_one(fmt: Alt, arguments: list[Values]) -> Values | None:
    pieces = _PRINTF_PIECE.split(fmt.text)
    if any(piece.startswith("%") and piece not in ("%s", "%%") for piece in pieces):
        return None  # `%d`, `%-10s`...: not worth reading a pull script for
    if not arguments:  # the format alone: its text, its conversions given nothing
        if "%" not in fmt.text:
            return split_lines((replace(fmt, text=_escaped(fmt.text)),))
        printed = _formatted(pieces, [])
        return None if printed is None else split_lines((replace(fmt, text=printed),))
    literal = "".join(piece for piece in pieces if piece not in ("%s", "%%"))
    between = _escaped(literal)
    # `%s\n` writes each argument on a line; `%s` and `%s ` join them (`printf '%s ' a b`: `a b `)
    if pieces.count("%s") == 1 and not between.strip() and ("\n" in between or len(arguments) == 1):
        return split_lines(tuple(item for values in arguments for item in values))
    texts = [known(values) for values in arguments]
    if any(text is None for text in texts):
        return None
    printed = _formatted(pieces, [text or "" for text in texts])
    # What it prints stands where it is used, like any text a command composes.
    return None if printed is None else split_lines((Alt(printed),))


def _escaped(piece: str) -> str:
    """A printf format's text with its escapes: `\\n`, `\\t`, and `\\0`, a NUL, read as
    a line end: what reads NUL-separated text (`xargs -0`, `read -d ''`) takes each part
    between them as the reader takes a line (`printf '%s\\0' a b | xargs -0 -n1 docker pull`)."""
    return _NUL.sub("\n", piece.replace("\\n", "\n").replace("\\t", "\t"))


_NUL = LazyPattern(r"\\0(?![0-7])")
# A format's conversions (`%s`, `%%`, `%-10d`...) and the text between them.
_PRINTF_PIECE = LazyPattern(r"(%%|%[-+ #0-9.]*[a-zA-Z])")
_MOST_PRINTED = 1 << 16  # characters: a list of images, not a data dump
_ECHO_TOO_LONG = (
    f"echo prints more than {_MOST_PRINTED} characters on one line here; the images in it "
    "are not audited"
)


def _formatted(pieces: list[str], texts: list[str]) -> str | None:
    """bash's printf with `%s` only: the format again while arguments are left; None past
    `_MOST_PRINTED` characters."""
    out: list[str] = []
    size = used = 0
    while size <= _MOST_PRINTED:
        for piece in pieces:
            if piece == "%s":
                written = texts[used] if used < len(texts) else ""
                used += 1
            else:
                written = "%" if piece == "%%" else _escaped(piece)
            out.append(written)
            size += len(written)
        if used >= len(texts) or "%s" not in pieces:
            return "".join(out) if size <= _MOST_PRINTED else None
    return None


def _grep(
    arguments: list[Values],
    stdin: Values | None,
    files: FileLines,
    line: int,
    budget: Budget | None = None,
) -> Values | None:
    """`grep -v PATTERN [FILE]` drops the lines its patterns select (`grep.line_test`), or
    none when they are not modelled (comments and blanks are dropped anyway); `grep
    PATTERN [FILE...]` keeps them (see `_grep_selecting`). One that prints other than
    lines, or patterns not modelled, is not followed."""
    call = _grep_call(arguments)
    if "v" in call.flags:
        return _grep_dropping(call, stdin, files, line, budget)
    return _grep_selecting(call, stdin, files, line, budget)


# A named tuple, not a dataclass: made at every start, where a dataclass has its methods
# compiled from source (0.4 ms each).
class _GrepCall(NamedTuple):
    flags: str  # the option letters, in their order
    patterns: list[str | None]  # None: not known, or in a file
    files: list[Values]
    counted: bool  # `-m N`, `-A N`...: a count of lines, or lines around those it selects


def _grep_call(arguments: list[Values]) -> _GrepCall:
    texts = [known(values) for values in arguments]
    flags = ""
    patterns: list[str | None] = []
    given = False  # patterns given by `-e`, so every operand is a file
    counted = False
    operands: list[Values] = []
    index = 0
    while index < len(texts):
        word = texts[index]
        if word == "--":  # the options end: `grep -- -rc list`
            operands.extend(arguments[index + 1 :])
            break
        if word is None or not word.startswith("-") or word == "-":
            operands.append(arguments[index])
        elif word in ("-e", "--regexp") or word.startswith("--regexp="):
            given = True
            taken = word.startswith("--regexp=")
            patterns.append(word.split("=", 1)[1] if taken else _at(texts, index + 1))
            index += not taken  # the pattern is the next word
        elif word in ("-f", "--file") or word.startswith("--file="):
            given = True
            patterns.append(None)  # patterns in a file: not read, every line kept
            index += word in ("-f", "--file")  # the file is the next word
        elif word in _GREP_VALUES:
            counted = counted or word != "--label"
            index += 1
        elif word.startswith("--"):
            # another (`--color=never`) changes no line
            flags += _GREP_LONG.get(word.split("=", 1)[0], "")
        else:
            flags += word[1:]
        index += 1
    if not given and operands:
        patterns = [known(operands[0])]
    return _GrepCall(flags, patterns, operands if given else operands[1:], counted)


def _grep_dropping(
    call: _GrepCall, stdin: Values | None, files: FileLines, line: int, budget: Budget | None
) -> Values | None:
    if set(call.flags) & _GREP_PRINTS:
        return None
    lines = _files(call.files, stdin, files, line) if call.files else stdin
    test = _line_test(call.patterns, call.flags, budget)
    if lines is None or test is None:
        return lines
    # A line not known may be dropped or kept: it stays, with nothing known of its text.
    return tuple(opaque(item) for item in lines if isinstance(item, Unknown) or not test(item.text))


# What grep prints for each line it selects: the line, or its matches (`-o`).
_Selected = Callable[[str], "list[str] | None"]


def _grep_selecting(
    call: _GrepCall, stdin: Values | None, files: FileLines, line: int, budget: Budget | None
) -> Values | None:
    """The lines the patterns select, as written in a file of the repository (a `^`
    or `-x` holds them to their indent), or the matches alone under `-o`; with several
    files (or `-H`) and no `-h`, each after its file's name and a colon, as grep prints
    them. A line not known stays, with nothing known of its text."""
    selected = _grep_selected(call, budget)
    if selected is None or call.counted:
        return None
    named = call.files or [()]  # no file: its input, printed without a name
    prefixed = len(call.files) > 1 or "H" in call.flags
    prefixed = prefixed and call.flags.rfind("h") <= call.flags.rfind("H")  # the last wins
    found: list[Item] = []
    for values in named:
        lines = _files([values], stdin, files, line, written=True) if values else stdin
        if lines is None:
            return None
        prefix = f"{_grep_name(values)}:" if prefixed else ""
        for item in lines:
            printed = _grep_printed(item, selected, prefix)
            if printed is None:
                return None
            found.extend(printed)
    return tuple(found[:MAX_ELEMENTS])


def _grep_selected(call: _GrepCall, budget: Budget | None) -> _Selected | None:
    """What grep prints of a line, by `grep.line_test` (or `grep.only_matching`); None
    for an option or a pattern not modelled."""
    if set(call.flags) - _GREP_SELECTING or {"E", "F"} <= set(call.flags):
        return None
    if "o" not in call.flags:
        test = _line_test(call.patterns, call.flags, budget)
        return None if test is None else lambda text: [text] if test(text) else []
    pattern = call.patterns[0] if len(call.patterns) == 1 else None  # one pattern only
    from .grep import only_matching  # noqa: PLC0415  (see `_line_test`)

    return None if pattern is None else only_matching(pattern, call.flags, budget)


def _grep_printed(item: Item, selected: _Selected, prefix: str) -> Values | None:
    if isinstance(item, Unknown):
        return (opaque(item),)
    parts = selected(item.text)
    if parts is None:
        return None
    return tuple(replace(item, text=prefix + part) for part in parts)


def _grep_name(values: Values) -> str:
    name = known(values)
    return "(standard input)" if name in (None, "-") else name


def _at(texts: list[str | None], index: int) -> str | None:
    return texts[index] if index < len(texts) else None


def _line_test(
    patterns: list[str | None], flags: str, budget: Budget | None
) -> Callable[[str], bool] | None:
    known_patterns = [pattern for pattern in patterns if pattern is not None]
    if len(known_patterns) != len(patterns):
        return None
    # Imported by the scripts that grep (or awk, or tr below): a millisecond of every start.
    from .grep import line_test  # noqa: PLC0415

    return line_test(known_patterns, flags, budget)


_GREP_VALUES = frozenset({"-m", "--max-count", "-A", "-B", "-C", "--label"})
# The long options that matter, as their letters.
_GREP_LONG = {
    "--invert-match": "v", "--extended-regexp": "E", "--fixed-strings": "F",
    "--perl-regexp": "P", "--ignore-case": "i", "--line-regexp": "x", "--word-regexp": "w",
    "--count": "c", "--files-with-matches": "l", "--files-without-match": "L",
    "--only-matching": "o", "--line-number": "n", "--byte-offset": "b",
    "--with-filename": "H", "--null": "Z", "--null-data": "z", "--quiet": "q",
    "--silent": "q", "--recursive": "r", "--dereference-recursive": "R",
    "--no-filename": "h", "--max-count": "m", "--after-context": "A",
    "--before-context": "B", "--context": "C",
}  # fmt: skip
# Options after which grep prints other than the lines it selects (counts, names, numbers,
# the matches alone) or reads otherwise.
_GREP_PRINTS = frozenset("clLonbHZzqrRA")
# The options a selecting grep is followed under: patterns, case, whole lines, file
# names, the matches alone, and those that change no line of a text file.
_GREP_SELECTING = frozenset("EFixhHoasIU")


# `[/RE/ | $N == "TEXT"] {print $N}` (or `$NF`): a field of each line, or of the lines the
# guard selects. Our own pattern over the program's shape; the RE is matched by `grep`.
_AWK_PRINT_RE = LazyPattern(
    r"(?:/(?P<regex>(?:[^/\\\n]|\\.)*)/|\$(?P<field>\d+)\s*==\s*\"(?P<equal>[^\"\\\n]*)\")?"
    r"\s*\{\s*print\s+\$(?P<print>\d+|NF)\s*;?\s*\}"
)


class _AwkProgram(NamedTuple):
    selects: Callable[[str], bool] | None  # the guard: None, every line
    number: int | None  # the field printed; None: the last (`$NF`)
    separator: str | None  # `-F C`; None: runs of blanks


def _awk(
    arguments: list[Values],
    stdin: Values | None,
    files: FileLines,
    line: int,
    budget: Budget | None = None,
) -> Values | None:
    """`awk [-F C] '{print $N}' [FILE...]`: the Nth field of each line (a list with more
    columns), or the last (`$NF`); with a guard (`/RE/`, `$N == "TEXT"`), of the lines it
    selects, tested as written in the file. Another program is not followed."""
    found = _awk_words([known(values) for values in arguments], budget)
    if found is None:
        return None
    program, operands = found[0], [arguments[index] for index in found[1]]
    plain = program.selects is None and program.separator is None and program.number is not None
    # The lines as written, but for the plain `{print $N}` of a list, read as a list is
    source = _files(operands, stdin, files, line, written=not plain) if operands else stdin
    if source is None:
        return None
    return tuple(item for line_item in source for item in _awk_line(line_item, program))


def _awk_words(
    words: list[str | None], budget: Budget | None
) -> tuple[_AwkProgram, list[int]] | None:
    """The program of awk's words and the indexes of its file operands."""
    separator: str | None = None
    index = 0
    while index < len(words) and (words[index] or "").startswith("-F"):
        attached = (words[index] or "")[2:]
        value = attached or _at(words, index + 1)
        index += 1 if attached else 2
        if value is None or not _awk_separator_known(value):
            return None
        separator = None if value == " " else value.replace("\\t", "\t")
    found = _awk_program(_at(words, index), separator, budget)
    operands = list(range(index + 1, len(words)))
    if found is None or any((words[at] or "").startswith("-") for at in operands):
        return None  # `-v`, `-f`, an option after the program: not followed
    return found, operands


def _awk_separator_known(value: str) -> bool:
    """A `-F` awk splits on as written: one character (a blank: runs of blanks), or `\\t`;
    not `t` (a tab to some awks), an escape, nor a regular expression."""
    return value == "\\t" or (len(value) == 1 and value not in "\\t")


def _awk_program(
    program: str | None, separator: str | None, budget: Budget | None
) -> _AwkProgram | None:
    found = _AWK_PRINT_RE.fullmatch(program.strip()) if program else None
    if found is None:
        return None
    printed = found.group("print")
    number = None if printed == "NF" else int(printed)
    selects: Callable[[str], bool] | None = None
    if found.group("regex") is not None:
        selects = _line_test([found.group("regex")], "E", budget)  # awk's are extended
        if selects is None:
            return None
    elif found.group("field") is not None:
        field, text = int(found.group("field")), found.group("equal")
        selects = lambda line: _awk_field(line, field, separator) == text  # noqa: E731
    return _AwkProgram(selects, number, separator)


def _awk_line(item: Item, program: _AwkProgram) -> Values:
    if isinstance(item, Unknown):
        return (opaque(item),)
    if program.selects is not None and not program.selects(item.text):
        return ()
    printed = _awk_field(item.text, program.number, program.separator)
    # An empty field prints an empty line: no word, no image.
    return (replace(item, text=printed.strip()),) if printed.strip() else ()


def _awk_field(text: str, number: int | None, separator: str | None) -> str:
    """Field `number` of a line (0: the line; None: the last) as awk splits it."""
    if number == 0:
        return text
    parts = text.split(separator) if separator is not None else text.split()
    if number is None:
        return parts[-1] if parts else text
    return parts[number - 1] if number <= len(parts) else ""


def _cut(
    arguments: list[Values], stdin: Values | None, files: FileLines, line: int
) -> Values | None:
    """`cut -d' ' -f1 [FILE]`: one field of each line."""
    texts = [known(values) for values in arguments]
    delimiter, number, operands = "\t", None, []
    index = 0
    while index < len(texts):
        current = texts[index] or ""
        value = current[2:] or (texts[index + 1] or "" if index + 1 < len(texts) else "")
        step = 1 if current[2:] else 2
        if current.startswith("-d"):
            delimiter, index = value, index + step
        elif current.startswith("-f"):
            number, index = (int(value) if value.isdigit() else None), index + step
        else:
            operands.append(arguments[index])
            index += 1
    if number is None or len(delimiter) != 1:
        return None
    source = _files(operands, stdin, files, line) if operands else stdin
    return _field(source, number, delimiter)


def _field(source: Values | None, number: int, delimiter: str | None) -> Values | None:
    if source is None or number < 1:
        return None
    found: list[Item] = []
    for item in source:
        if isinstance(item, Unknown):
            found.append(opaque(item))
            continue
        parts = item.text.split(delimiter) if delimiter else item.text.split()
        if len(parts) >= number and parts[number - 1].strip():
            found.append(replace(item, text=parts[number - 1].strip()))
    return tuple(found)


# Options of sort that take the next word as their value.
_SORT_VALUES = frozenset({"-k", "--key", "-t", "--field-separator", "-S", "-T", "--parallel"})


def _sort(
    arguments: list[Values], stdin: Values | None, files: FileLines, line: int
) -> Values | None:
    """`sort -u [FILE...]`: the lines of the files (or of its input) in another order,
    which changes nothing for the images in them. `-o FILE` writes them elsewhere. With a
    key (`sort -t: -k1,1 -u`), one line of each key: the first, as sort keeps it (`-u` turns
    its last comparison, of whole lines, off)."""
    operands: list[Values] = []
    options: dict[str, str | None] = {}
    unique = False
    index = 0
    while index < len(arguments):
        word = known(arguments[index])
        if (word or "").startswith(("-o", "--output")):
            return ()
        if word is not None and word.startswith("-") and word != "-":
            value = known(arguments[index + 1]) if index + 1 < len(arguments) else None
            if word in _SORT_VALUES:
                options[word] = value
                index += 1
            elif word[:2] in ("-k", "-t") and len(word) > 2:
                options[word[:2]] = word[2:]
            unique = unique or word == "--unique" or (word[1] != "-" and "u" in word)
        else:
            operands.append(arguments[index])
        index += 1
    lines = _files(operands, stdin, files, line) if operands else stdin
    if not unique or lines is None or not ({"-k", "--key"} & set(options)):
        return lines
    return _first_of_each_key(lines, options)


def _first_of_each_key(lines: Values, options: dict[str, str | None]) -> Values | None:
    """`sort -u -k N[,N] [-t SEP]`: the first line of each key (a key of other shape, or a
    line not known, is not followed: None)."""
    key = options.get("-k") or options.get("--key")
    found = _SORT_KEY.fullmatch(key or "")
    separator = options.get("-t", options.get("--field-separator", " "))
    if found is None or separator is None or len(separator) != 1:
        return None
    field = int(found.group(1)) - 1
    first: dict[str, Alt] = {}
    for item in lines:
        if not isinstance(item, Alt):
            return None
        parts = item.text.split() if separator == " " else item.text.split(separator)
        group = parts[field] if field < len(parts) else ""
        first.setdefault(group, item)
    return tuple(first.values())


# `-k N` or `-k N,N`: one whole field as the key.
_SORT_KEY = LazyPattern(r"([1-9][0-9]?)(?:,\1)?")


def _uniq(
    arguments: list[Values], stdin: Values | None, files: FileLines, line: int
) -> Values | None:
    """`uniq [INPUT [OUTPUT]]`: the lines, repeats dropped; none printed with an OUTPUT."""
    operands = [
        values
        for values in arguments
        if (word := known(values)) is None or word == "-" or not word.startswith("-")
    ]
    if len(operands) > 1:
        return ()
    return _files(operands, stdin, files, line) if operands else stdin


# sed programs that only drop comments, blank lines, carriage returns or edge blanks:
# what the lists are read without anyway. Any other program changes the lines.
_BLANKS = r"(?:\\s\*|\[\[:space:\]\]\*| \*|\[ \\t\]\*)"  # \s*, [[:space:]]*, ' *', [ \t]*
_SED_CLEANUP = LazyPattern(
    rf"/\^{_BLANKS}?(?:#|\$)/d"  # /^#/d, /^\s*$/d
    rf"|s(.){_BLANKS}?#\.\*\$?\1\1g?"  # s/#.*//, s/\s*#.*$//
    r"|s/\\r\$?//g?"  # s/\r$//
    rf"|s/\^{_BLANKS}//g?|s/{_BLANKS}\$//g?"  # s/^\s*//, s/\s*$//
)


def _sed(
    arguments: list[Values], stdin: Values | None, files: FileLines, line: int
) -> Values | None:
    """`sed -e 's/#.*//' -e '/^$/d' [FILE]`: a program that only cleans the lines."""
    texts = [known(values) for values in arguments]
    programs: list[str] = []
    operands: list[Values] = []
    index = 0
    while index < len(texts):
        word = texts[index]
        if word is None or word in ("-n", "-i", "--quiet", "--silent") or word.startswith("-i"):
            return None  # printed lines chosen by the program, or none: the file changed
        if word in ("-e", "--expression"):
            programs.append(texts[index + 1] or "" if index + 1 < len(texts) else "")
            index += 2
            continue
        if word.startswith("-") and word != "-":
            index += 1  # -E, -r, -u...
            continue
        if not programs:
            programs.append(word)
        else:
            operands.append(arguments[index])
        index += 1
    commands = [c.strip() for p in programs for c in re.split(r"[;\n]", p) if c.strip()]
    if not commands or not all(_SED_CLEANUP.fullmatch(command) for command in commands):
        return None
    return _files(operands, stdin, files, line) if operands else stdin


def _tr(
    arguments: list[Values], stdin: Values | None, files: FileLines, line: int
) -> Values | None:
    """`tr '_' '-'`, `tr '[:upper:]' '[:lower:]'`, `tr -d '"'`: each line changed as tr
    changes it; the lines as one text when tr deletes or moves the line ends (`tr '\\n' ' '`).
    A changed line stands where it is used, as a text the script composes."""
    from .translate import program  # noqa: PLC0415  (see `_line_test`)

    tr = program([known(values) for values in arguments])
    if tr is None or stdin is None:
        return None
    if tr.joins_lines:
        texts = [item.text for item in stdin if isinstance(item, Alt)]
        if len(texts) != len(stdin):
            return None
        return split_lines((Alt(tr.apply("\n".join(texts) + "\n")),))
    changed: list[Item] = []
    for item in stdin:
        text = tr.apply(item.text) if isinstance(item, Alt) else None
        if isinstance(item, Unknown) or text is None or text == item.text:
            changed.append(opaque(item))
        else:
            changed.append(Alt(text, scope=item.scope))
    return split_lines(tuple(changed))


def _head(
    arguments: list[Values], stdin: Values | None, files: FileLines, line: int
) -> Values | None:
    """`head -n N FILE` (`-N`, `--lines=N`; 10 without): the file's first N lines."""
    return _line_window(arguments, files, line, head=True)


def _tail(
    arguments: list[Values], stdin: Values | None, files: FileLines, line: int
) -> Values | None:
    """`tail -n +K FILE` (`--lines=+K`): the file's lines from line K on, as a script skips
    a header line. The last N lines (`tail -n N`) are not read: a list file's values
    leave out its blank and comment lines, so its last lines cannot be told."""
    return _line_window(arguments, files, line, head=False)


def _line_window(
    arguments: list[Values], files: FileLines, line: int, *, head: bool
) -> Values | None:
    """The lines of one repository file a `head` or `tail` keeps, by their line numbers
    in it; None for its input, several files, or a count that cannot be followed."""
    found = _window_options([known(values) for values in arguments], head=head)
    keep = _window(found[0], head=head) if found is not None else None
    if found is None or keep is None:
        return None
    lines = files(found[1], line)
    if not all(isinstance(item, Alt) and item.path is not None for item in lines):
        # A file the script wrote holds values, not numbered lines: not followed.
        return lines if any(isinstance(item, Unknown) for item in lines) else None
    return tuple(item for item in lines if isinstance(item, Alt) and keep(item.line or 0))


def _window_options(words: list[str | None], *, head: bool) -> tuple[str, str] | None:
    """The line count and the one file operand of a `head` or `tail`."""
    count = "10" if head else None
    operands: list[str] = []
    while words:
        word = words.pop(0)
        if word is None:
            return None
        if word in ("-n", "--lines") and words:
            count = words.pop(0)
        elif word.startswith(("--lines=", "-n")):
            count = word.removeprefix("--lines=") if word.startswith("--") else word[2:]
        elif head and word.startswith("-") and word[1:].isdigit():
            count = word[1:]
        elif word.startswith("-"):
            return None  # `-c`, `-q`, `-f`, `-` (its input)...: not a window of lines
        else:
            operands.append(word)
    return (count, operands[0]) if count is not None and len(operands) == 1 else None


def _window(count: str, *, head: bool) -> Callable[[int], bool] | None:
    """Which line numbers `head -n COUNT` (or `tail -n COUNT`) keeps."""
    if head and count.isdigit():
        return lambda number: number <= int(count)
    if not head and count.startswith("+") and count[1:].isdigit():
        return lambda number: number >= int(count[1:])
    return None  # `head -n -5`, `tail -n 5`: counted from the end, which cannot be told


_Filter = Callable[[list[Values], "Values | None", FileLines, int], "Values | None"]
# The filters that match patterns: their work is charged to the reader's budget.
_Matcher = Callable[
    [list[Values], "Values | None", FileLines, int, "Budget | None"], "Values | None"
]
_MATCHERS: dict[str, _Matcher] = {"grep": _grep, "awk": _awk}
_FILTERS: dict[str, _Filter] = {
    "cut": _cut,
    "sort": _sort,
    "uniq": _uniq,
    "sed": _sed,
    "head": _head,
    "tail": _tail,
    "seq": _seq,
    "tr": _tr,
}


def _files(
    arguments: list[Values],
    stdin: Values | None,
    files: FileLines,
    line: int,
    *,
    written: bool = False,
) -> Values | None:
    parts: list[Values] = []
    for values in arguments:
        name = known(values)
        if name is not None and name.startswith("-") and name != "-":
            continue
        if name == "-":
            if stdin is None:
                return None
            parts.append(stdin)
        elif name is not None and _GLOB & set(name):
            parts.append((_unexpanded(name, line),))
        elif name is not None:
            parts.append(files(name, line, written))
        else:  # named by an expression that is not known: name the expression
            why = next((item.why for item in values if isinstance(item, Unknown)), "a file")
            parts.append((unread_file(why, line),))
    # One file's lines as they stand in it (`cat list | { read -r header; ... }`)
    return parts[0] if len(parts) == 1 else tuple(item for part in parts for item in part)


# A name bash expands to the files it matches: the reader does not list the repository.
_GLOB = frozenset("*?[")


def _unexpanded(name: str, line: int) -> Unknown:
    message = (
        f"cannot know which files {name} names without running the script: a glob of "
        "files is not expanded; the images in them are not audited (name each file)"
    )
    return Unknown(f"< {name}", line, message)


def unread_file(name: str, line: int) -> Unknown:
    # A name `mktemp` gave: named as the script wrote it (`LIST=$(mktemp)`, line 3).
    name = _TEMPORARY_NAME.sub(r"$(mktemp) of line \1", name)
    message = (
        f"cannot know the lines of {name} without running the script: it reads that file "
        "but does not write it; the images in it are not audited (list them in the script)"
    )
    return Unknown(f"< {name}", line, message)
