"""The shapes of tree-sitter-bash trees the pull-script reader walks.

Where tree-sitter-bash puts things is not always where bash does: an `if`'s
condition and branches are siblings, `cat <<EOF > F` nests the `> F` inside the
heredoc, `$REG/app:$TAG-$ARCH` comes out as two words with a bare `$`, and
`{{ .Values.image }}` as three. These functions give the reader bash's view.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from tree_sitter import Node

from .bash_values import text


def first_error_line(root: Node) -> int:
    """The line of the first place the parse went wrong. A heredoc whose end the parser
    never found (`cat <<EOF | while read -r i; do` with the heredoc's lines before the
    loop's body and no line that ends them) went wrong at its start: its lines, read as
    commands, are the first lost."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            opened = node.parent if node.type == "heredoc_end" else None
            return (opened or node).start_point[0] + 1
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return root.start_point[0] + 1


def is_statement(node: Node) -> bool:
    return node.is_named and node.type not in (
        "heredoc_start", "heredoc_body", "heredoc_end", "heredoc_content", "comment",
        "file_redirect", "herestring_redirect", "heredoc_redirect",
    )  # fmt: skip


def redirects(node: Node) -> Iterator[Node]:
    """The redirects of a statement; `cat <<EOF > F` puts `> F` inside the heredoc's node."""
    for child in node.named_children:
        yield child
        if child.type == "heredoc_redirect":
            yield from (c for c in child.named_children if c.type == "file_redirect")


def stages(node: Node) -> list[Node]:
    if node.type == "pipeline":
        return [c for c in node.named_children if c.type != "comment"]
    return [node]


def if_parts(node: Node) -> tuple[list[Node], list[list[Node]], bool]:
    """An if statement's condition, its branches, and whether an `else` closes them."""
    condition: list[Node] = []
    branches: list[list[Node]] = [[]]
    exhaustive = False
    in_condition = True
    for child in node.children:
        if child.type == "then":
            in_condition = False
        elif child.type in ("if", "fi"):
            continue
        elif child.type == "elif_clause":
            elif_condition, elif_body = clause(child)
            branches.append([*elif_condition, *elif_body])
        elif child.type == "else_clause":
            branches.append([c for c in child.children if c.type != "else"])
            exhaustive = True
        elif in_condition:
            condition.append(child)
        else:
            branches[0].append(child)
    return condition, branches, exhaustive


def is_arithmetic(node: Node) -> bool:
    """Whether `node` is `(( expression ))` (tree-sitter-bash reads it as a compound
    statement, as it reads `{ ...; }`)."""
    children = node.children
    return node.type == "compound_statement" and bool(children) and children[0].type == "(("


def if_test(node: Node) -> Node | None:
    """The test of an `if` or `elif` clause when it is one `[ ... ]` or `[[ ... ]]`."""
    condition = clause(node)[0] if node.type == "elif_clause" else if_parts(node)[0]
    named = [child for child in condition if child.is_named]
    return named[0] if len(named) == 1 and named[0].type == "test_command" else None


def clause(node: Node) -> tuple[list[Node], list[Node]]:
    condition: list[Node] = []
    body: list[Node] = []
    seen_then = False
    for child in node.children:
        if child.type == "then":
            seen_then = True
        elif child.type != "elif":
            (body if seen_then else condition).append(child)
    return condition, body


class ReadCommand(NamedTuple):
    """`read` as a while condition."""

    names: list[str]  # the variables it sets, a field each, the last the rest of the line
    ifs: Node | None  # the command's own `IFS=` assignment
    array: str | None  # `-a NAME`: the array it fills with every field of the line
    to_end: bool  # `-d ''`: it reads up to a NUL, the whole of a text at once


def read_command(condition: Node) -> ReadCommand | None:
    """`read -r A B` (optionally `IFS=: read`, or `read -ra ROW`) as a while condition."""
    command = condition if condition.type == "command" else None
    if command is None:
        command = next((c for c in condition.named_children if c.type == "command"), None)
    if command is None:
        return None
    words = [text(w) for w in command_words(command)]
    if not words or words[0] != "read":
        return None
    options, first_name = read_options(words[1:])
    names = words[1 + first_name :]
    to_end = options.get("d", "-") in _NUL_WRITTEN
    return ReadCommand(names or ["REPLY"], own_ifs(command), options.get("a"), to_end)


# `-d ''` as a script writes it: an empty delimiter, or a NUL, each reads up to a NUL.
_NUL_WRITTEN = frozenset({"''", '""', "$''", "$'\\0'", "$'\\x00'"})


def read_options(words: Sequence[str | None]) -> tuple[dict[str, str | None], int]:
    """The options of `read` that take a value, by letter (`-a NAME`, `-d DELIM`), read as
    bash reads them: letters run together (`-rd ''`, `-ra NAME`), a letter that takes a
    value takes the rest of its word (`-aNAME`) or the next word (None: not known), and
    the options end at the first word that is none (the names), whose index comes with
    them."""
    found: dict[str, str | None] = {}
    index = 0
    while index < len(words):
        word = words[index]
        if word is None or not word.startswith("-") or word == "-":
            break
        if word == "--":
            return found, index + 1
        for position, letter in enumerate(word[1:], 2):
            if letter in _READ_LETTERS_WITH_VALUES:
                rest = word[position:]
                following = words[index + 1] if index + 1 < len(words) else None
                found[letter] = rest or following
                index += 0 if rest else 1
                break
        index += 1
    return found, min(index, len(words))


# The options of `read` that take a value: `-a NAME`, `-d DELIM`, `-p PROMPT`...
_READ_LETTERS_WITH_VALUES = frozenset("adinNptu")


def misparsed(node: Node) -> bool:
    return node.type == "concatenation" and any(c.type == "$" for c in node.children)


def command_words(node: Node) -> list[Node]:
    """The command name and arguments, without prefix assignments and redirects."""
    words: list[Node] = []
    for child in node.named_children:
        if child.type == "command_name":
            words.extend(child.named_children)
        elif child.type not in (
            "variable_assignment",
            "file_redirect",
            "herestring_redirect",
            "heredoc_redirect",
            "comment",
        ):
            words.append(child)
    return words


def placeholder_text(node: Node) -> str | None:
    value = text(node)
    return value if "{{" in value and "}}" in value else None


def rejoined(words: list[Node]) -> list[list[Node]]:
    """Each word as its pieces: a misparsed word with the pieces that touch it."""
    joined: list[list[Node]] = []
    for word in words:
        last = joined[-1] if joined else None
        if last is not None and misparsed(last[0]) and last[-1].end_byte == word.start_byte:
            last.append(word)
        else:
            joined.append([word])
    return joined


def template_groups(words: list[list[Node]]) -> Iterator[list[list[Node]]]:
    """Words grouped so that `{{ .Values.image }}`, split by bash into three words, is one."""
    group: list[list[Node]] = []
    for word in words:
        value = "".join(text(piece) for piece in word)
        if group:
            group.append(word)
            if "}}" in value:
                yield group
                group = []
        elif "{{" in value and "}}" not in value.split("{{", 1)[1]:
            group = [word]
        else:
            yield [word]
    if group:
        yield group


def own_ifs(command: Node) -> Node | None:
    """The `IFS=...` assignment of this command only (`IFS=, read ...`): the last holds."""
    found = None
    for child in command.named_children:
        if child.type == "variable_assignment" and text(child).startswith("IFS="):
            found = child
    return found


def ifs_value(assignment: str) -> str | None:
    """The separators an `IFS=...` assignment writes: a literal, quoted or not, or an ANSI-C
    string (`IFS=$'\\t'`); None when empty or when only running the script would tell."""
    written = assignment.removeprefix("IFS=")
    if len(written) >= 3 and written.startswith("$'") and written.endswith("'"):
        value = written[2:-1]
        for escape, char in _ANSI_C_ESCAPES:
            value = value.replace(escape, char)
    elif len(written) >= 2 and written[0] in "'\"" and written[-1] == written[0]:
        value = written[1:-1]
    else:
        value = written
    if any(char in value for char in "$`\\"):
        return None
    return value or None


# The escapes of an ANSI-C string a separator is written with; any other stays a backslash.
_ANSI_C_ESCAPES = (("\\t", "\t"), ("\\n", "\n"), ("\\r", "\r"), ("\\'", "'"))
