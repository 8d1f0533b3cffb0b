"""A heredoc whose lines bash reads before the rest of its statement.

bash reads a heredoc's lines right after the line that opens it, even when the statement
goes on past that line:

    cat <<EOF | while read -r image; do
    nginx:1.27
    EOF
      docker pull "$image"
    done

tree-sitter-bash reads the loop to its `done` first, the heredoc's lines as commands of
its body, and looks for them after it. bash reads the same as

    { cat <<EOF
    nginx:1.27
    EOF
    } | while read -r image; do   docker pull "$image"
    done

which tree-sitter-bash reads right: the rest of the opening line moves to the start of the
line after the heredoc, and no line moves (only columns on those two lines change, which
order nothing across lines).

The command may have redirects before its `<<` (`cat 2>/dev/null <<EOF | ...`): they
go into the group with it. tree-sitter-bash also reads some heredocs' lines in place but
goes wrong on the rest of their line (`if cat <<EOF | grep -q x; then`: the pipe taken into
the redirect, `then` an error): those are written the same way, when that rest is plain
words and operators; so is one that the parse loses in a compound command that ends on
its line (`if x; then cat <<EOF | while ...; done; fi`). A line that opens two heredocs
is not written anew (tree-sitter-bash parses none): the parse warning names it.
"""

from __future__ import annotations

import bisect
import itertools

from tree_sitter import Node, Tree, TreeCursor

from ..lazy_pattern import LazyPattern
from ..records import record
from .limits import MAX_DEPTH

# What may hold the line end after the heredoc's word when bash reads the heredoc's lines
# right after it: the blocks and pipes of statements, or the script between two of them
# (not a string, a `$(...)` or a word, which a line end does not end, nor a command a
# backslash continues).
_SPANNING = frozenset(
    {
        "do_group", "compound_statement", "subshell", "while_statement", "for_statement",
        "c_style_for_statement", "if_statement", "elif_clause", "else_clause", "pipeline",
        "list", "negated_command", "ERROR", "program",
    }
)  # fmt: skip
# What a heredoc the parse went wrong on may follow: its command, with or without redirects.
_FEEDS = frozenset({"command", "redirected_statement"})
# Tokens after which the next command needs no `;`: the line end after them was a blank.
_OPENERS = frozenset(
    {"do", "then", "else", "{", "(", "|", "|&", "||", "&&", ";", "&", ";;", ";&", ";;&", "!"}
)
# Bounds on the heredocs written anew in one parse (the next parse finds more), and on the
# nodes of the opening line looked at for its comment (a line of a pull
# script holds a few dozen).
_MAX_MOVES = 1024
_MAX_LINE_NODES = 4096


# The ancestors of a node, the nearest first: kept as the walk goes, shared, not copied.
_Path = tuple[Node, "_Path"] | None


@record
class _Opened:
    """A `<<` the walk met, with what the move needs around it."""

    word: Node  # the heredoc's word
    dashed: bool  # `<<-`: its end line may start with tabs
    operator: int  # where the `<<` starts
    holder: Node  # the heredoc_redirect (an ERROR where the parse went wrong) holding it
    command: Node | None  # the command it redirects
    ancestors: _Path  # the holder's


@record
class _Move:
    group: int  # where `{ ` goes: the start of the command the heredoc feeds
    cut: int  # the end of the heredoc's word: the rest of the line moves from here
    line_end: int  # the end of the opening line (its newline)
    rest: bytes  # the rest of the opening line, its comment left out, and its separator
    after: int  # the start of the line after the heredoc's end
    rows: tuple[int, int]  # the first line changed and the last


def heredocs_read_first(tree: Tree, source: bytes, row: int) -> bytes | None:
    """`source` with each heredoc that tree-sitter-bash reads after a statement spanning
    lines (bash reads it first) written as bash reads it; None when there is none.
    `row`: the line `source` starts at, as `tree` was parsed (its bytes start there)."""
    if b"<<" not in source:
        return None
    opened, bodies = _heredocs(tree)
    lines = _Lines(source)
    moves: list[_Move] = []
    reached = -1  # the last line the moves so far change
    for heredoc in opened:  # in the order of the script
        in_place = heredoc.word.end_point[0] + 1 in bodies
        if in_place and not heredoc.holder.has_error:
            continue  # read where bash reads it
        # In place, but the rest of its line went wrong in the parse (`if cat <<EOF |
        # grep -q x; then`: tree-sitter-bash takes the pipe into the redirect, and `then`
        # is an error): written the same way, it parses.
        move = _move(heredoc, source, row, lines, in_place=in_place)
        # Two that share a line are done one at a time: the next parse finds the other.
        if move is not None and move.rows[0] > reached:
            moves.append(move)
            reached = move.rows[1]
            if len(moves) >= _MAX_MOVES:
                break
    return _rewritten(source, moves) if moves else None


def _heredocs(tree: Tree) -> tuple[list[_Opened], set[int]]:
    """The heredocs opened in `tree` and the rows their lines start at as it reads them,
    by one walk of the tree (a node's parent and siblings are kept as the walk meets them:
    asking tree-sitter for them walks the parent's children each time)."""
    opened: list[_Opened] = []
    bodies: set[int] = set()
    cursor = tree.walk()
    path: _Path = None  # the ancestors of the cursor's node
    last: list[Node | None] = [None]  # the sibling before it, at each depth
    named: list[Node | None] = [None]  # the named sibling before it, at each depth
    while True:
        node = cursor.node
        if node is None:
            return opened, bodies
        if node.type in ("heredoc_body", "heredoc_end") and not node.is_missing:
            bodies.add(node.start_point[0])
        elif node.type == "heredoc_start" and path is not None and len(named) >= 2:
            found = _opened(last[-1], node, path, (named[-1], named[-2]))
            opened.extend(() if found is None else (found,))
        if cursor.goto_first_child():
            path = (node, path)
            last.append(None)
            named.append(None)
            continue
        while not _next_sibling(cursor, last, named):
            if not cursor.goto_parent() or path is None:
                return opened, bodies
            path = path[1]
            last.pop()
            named.pop()


def _next_sibling(cursor: TreeCursor, last: list[Node | None], named: list[Node | None]) -> bool:
    left = cursor.node
    last[-1] = left
    if left is not None and left.is_named:
        named[-1] = left
    return cursor.goto_next_sibling()


def _opened(
    operator: Node | None,
    word: Node,
    path: tuple[Node, _Path],
    before: tuple[Node | None, Node | None],
) -> _Opened | None:
    """The heredoc `word` names, after its `operator`. `before`: the named nodes before the
    operator and before its holder (where the parse went wrong, its command is one of
    them)."""
    if operator is None or operator.type not in ("<<", "<<-"):
        return None
    holder, ancestors = path
    command = next((node for node in before if node is not None and node.type in _FEEDS), None)
    if command is not None and command.type == "redirected_statement":
        # `if cat 2>/dev/null <<EOF | grep -q x; then`: the parse ended the statement at
        # the `<<`; its command has the redirects after it (see `_redirects_only`).
        first = command.named_children[0] if command.named_children else None
        command = first if first is not None and first.type == "command" else None
    if holder.type == "heredoc_redirect":  # the command is the first of its statement
        statement = ancestors[0] if ancestors is not None else None
        first = statement.named_children[0] if statement and statement.named_children else None
        if first is not None and first.type == "negated_command" and first.named_children:
            first = first.named_children[-1]  # `! cat <<EOF | grep -q x`: `!` stays before
        command = first if statement and statement.type == "redirected_statement" else None
    return _Opened(word, operator.type == "<<-", operator.start_byte, holder, command, ancestors)


def _move(
    heredoc: _Opened, source: bytes, row: int, lines: _Lines, *, in_place: bool = False
) -> _Move | None:
    """How to write the heredoc's statement as bash reads it, or None when it is not the
    shape this reads (one heredoc on its line, fed to a plain command, that line ending
    where a block or a pipe goes on). `in_place`: the parse read the heredoc's lines where
    bash does but went wrong on the rest of its line, which is then moved only when it
    is plain words and operators (the tree cannot tell where its line end stands)."""
    command = _fed(heredoc, source, row)
    cut = heredoc.word.end_byte - row
    opening = heredoc.word.end_point[0] - row
    line_end = lines.starts[opening + 1] - 1  # its newline (past the end on the last line)
    if command is None or line_end >= len(source) or not lines.one_heredoc(opening):
        return None
    spanning = _spanning(heredoc, line_end + row)
    closing = lines.closing(
        opening, _delimiter(source[heredoc.word.start_byte - row : cut]), heredoc.dashed
    )
    if spanning is None or closing is None:
        return None
    if in_place and _NOT_PLAIN.search(source[cut:line_end]):
        return None
    if not in_place and not _between_statements(spanning, line_end + row):
        return None
    rest = _rest(spanning, source, row, cut, line_end)
    if rest is None:
        return None
    rows = (command.start_point[0] - row, closing + 1)
    return _Move(command.start_byte - row, cut, line_end, rest, lines.starts[closing + 1], rows)


def _fed(heredoc: _Opened, source: bytes, row: int) -> Node | None:
    """The plain command the heredoc feeds, written right before its `<<`, or before
    redirects of its statement that stand before it (`cat 2>/dev/null <<EOF`: they move
    with the command into the group, which changes nothing they do)."""
    command = heredoc.command
    if command is None or command.type != "command":
        return None
    if command.text is not None and command.text.split(b" ", 1)[0] in _RESERVED:
        return None  # a parse gone wrong read `elif` (or the like) as a command
    gap = heredoc.operator - command.end_byte
    if not 0 <= gap <= _MAX_GAP:
        return None
    between = source[command.end_byte - row : heredoc.operator - row]
    if between.strip(b" \t") and not _redirects_only(command, heredoc.operator, between, row):
        return None
    return command


def _redirects_only(command: Node, operator: int, between: bytes, row: int) -> bool:
    """Whether `between`, the text from the end of `command` to the `<<` at byte
    `operator`, holds file redirects of the statement and blanks only (at most a gap's
    worth of nodes are looked at: the gap is bounded)."""
    head = command.parent  # `! cat 2>/dev/null <<EOF`: the redirect follows the `!` command
    if head is None or head.type != "negated_command":
        head = command
    statement = head.parent
    if statement is None:
        return False
    cursor = statement.walk()  # the command is the statement's first child (see `_opened`)
    if not cursor.goto_first_child() or cursor.node != head:
        return False
    rest = bytearray(between)
    while cursor.goto_next_sibling() and cursor.node is not None:
        node = cursor.node
        if node.start_byte >= operator:
            break
        if node.type != "file_redirect":
            return False
        start, end = node.start_byte - command.end_byte, node.end_byte - command.end_byte
        rest[start:end] = b" " * (end - start)
    return not bytes(rest).strip(b" \t")


def _spanning(heredoc: _Opened, newline: int) -> Node | None:
    """The nearest of the heredoc's holder and its ancestors that holds the line end."""
    node: Node | None = heredoc.holder
    ancestors = heredoc.ancestors
    for _ in range(MAX_DEPTH):
        if node is None or node.end_byte > newline:
            return node
        node, ancestors = ancestors if ancestors is not None else (None, None)
    return None


def _between_statements(spanning: Node, newline: int) -> bool:
    """Whether the line end at byte `newline` stands between statements of a block or a
    pipe (bash reads the heredoc's lines after it): not in a string, a `$(...)` or a
    command a backslash continues."""
    node = spanning.descendant_for_byte_range(newline, newline + 1)
    return node is not None and node.type in _SPANNING


def _rest(spanning: Node, source: bytes, row: int, cut: int, line_end: int) -> bytes | None:
    """The rest of the opening line after the heredoc's word, without its comment, and what
    ends it where the next line's text follows it: `; ` after a command (a line end ended
    it), a blank after `do`, `|`, `{` and the like."""
    leaves = _line_leaves(spanning, cut + row, line_end + row)
    if leaves is None:
        return None
    comment = next((leaf for leaf in leaves if leaf.type == "comment"), None)
    end = line_end if comment is None else comment.start_byte - row
    rest = source[cut:end].strip(b" \t\r")
    kept = [leaf for leaf in leaves if leaf.start_byte - row < end]
    if not rest or not kept or b"<<" in rest or rest.endswith(b"\\"):
        return None
    last = kept[-1]
    if last.type == "in":  # `case WORD in`: a blank; `for NAME in`: the end of the list
        return None
    return rest + (b" " if last.type in _OPENERS else b"; ")


def _line_leaves(spanning: Node, start: int, end: int) -> list[Node] | None:
    """The leaves (and comments) of `spanning` between bytes `start` and `end`, in order;
    None past the bound. (A cursor goes from a child to the next in a step; a node's
    `next_sibling` looks through its parent's children.)"""
    found: list[Node] = []
    stack = [spanning]
    seen = 0
    while stack:
        node = stack.pop()
        if node.child_count == 0 or node.type == "comment":
            found.append(node)
            continue
        inside: list[Node] = []
        cursor = node.walk()
        more = cursor.goto_first_child_for_byte(start) is not None
        while more and cursor.node is not None and cursor.node.start_byte < end:
            seen += 1
            if seen > _MAX_LINE_NODES:
                return None
            inside.append(cursor.node)
            more = cursor.goto_next_sibling()
        stack.extend(reversed(inside))
    return found


def _rewritten(source: bytes, moves: list[_Move]) -> bytes:
    """`source` with each move made: `{ ` before the statement, the rest of its line taken
    off, and `} ` with that rest put at the start of the line after the heredoc's end."""
    edits: list[tuple[int, int, bytes]] = []  # (start, end, text): bytes replaced
    for move in moves:
        edits.append((move.group, move.group, b"{ "))
        edits.append((move.cut, move.line_end, b""))
        edits.append((move.after, move.after, b"} " + move.rest))
    edits.sort(key=lambda edit: (edit[0], edit[1]))
    pieces: list[bytes] = []
    done = 0
    for start, end, written in edits:
        pieces.extend((source[done:start], written))
        done = end
    pieces.append(source[done:])
    return b"".join(pieces)


class _Lines:
    """The lines of a source, where each starts, and where each line that may end a
    heredoc stands, by its text (an index built once, so that each heredoc finds its end
    without reading the lines again)."""

    def __init__(self, source: bytes) -> None:
        self.text = source.split(b"\n")
        self.starts = [0, *itertools.accumulate(len(line) + 1 for line in self.text)]
        self.heredocs: dict[int, bool] = {}  # whether a line opens one heredoc only
        self.rows: dict[bytes, list[int]] = {}
        self.tabbed: dict[bytes, list[int]] = {}  # `<<-`: its end may start with tabs
        for number, line in enumerate(self.text):
            if line and len(line) <= _MAX_WORD:
                self.rows.setdefault(line, []).append(number)
                self.tabbed.setdefault(line.lstrip(b"\t"), []).append(number)

    def one_heredoc(self, row: int) -> bool:
        """Whether line `row` opens one heredoc only (each line is counted once: a line of
        thousands is not counted for each)."""
        if row not in self.heredocs:
            self.heredocs[row] = self.text[row].count(b"<<") == 1
        return self.heredocs[row]

    def closing(self, opening: int, word: bytes, dashed: bool) -> int | None:
        """The line that ends the heredoc opened on line `opening`, when a line follows it."""
        rows = (self.tabbed if dashed else self.rows).get(word, [])
        at = bisect.bisect_right(rows, opening)
        found = rows[at] if at < len(rows) else None
        return found if found is not None and found + 1 < len(self.text) else None


# Words bash reads as part of a compound command where a command would start: a parse gone
# wrong takes them for commands, and a group before one would break the script.
_RESERVED = frozenset(
    {b"if", b"then", b"elif", b"else", b"fi", b"while", b"until", b"do", b"done", b"case",
     b"esac", b"for", b"select", b"in", b"function", b"!", b"{", b"}", b"[[", b"]]", b"time"}
)  # fmt: skip
# What the rest of a line the parse went wrong on may not hold to be moved: a quote, an
# expansion, a group or a continuation, any of which may go on past its line end.
_NOT_PLAIN = LazyPattern(rb"[\"'`$(){}\\]")
# A heredoc's word is a short name: longer lines are not indexed.
_MAX_WORD = 256
# What stands between a command and its `<<`: a few blanks or redirects (more, and the
# move is not made).
_MAX_GAP = 256


def _delimiter(written: bytes) -> bytes:
    """The line that ends the heredoc: its word with quotes and backslashes taken off."""
    return bytes(byte for byte in written if byte not in b"'\"\\")
