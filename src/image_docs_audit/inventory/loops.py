"""When a loop's body may be read once with all its items bound, and the shapes of
loops that count (below). Pure.

The reader reads a loop body once per item, so that `read -r name tag` keeps each
line's pair and what a body builds from an item stays that item's. A body of plain
commands that each take the loop's variable as one whole word, in the place of an image
or in a message, gives the same images, places and warnings read once with every item
bound: each item reaches the same argument on its own. That is the common
`for image in "${IMAGES[@]}"; do echo "pulling $image"; docker pull "$image"; done`,
and reading it once spares a list of 3,000 images 3,000 readings of the body.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

from tree_sitter import Node

from ..lazy_pattern import LazyPattern
from .bash_values import Alt, Item, literal_text, text
from .commands import PRINTERS, image_use
from .syntax import is_arithmetic

NULL_DEVICE = "/dev/null"  # what is written there is gone: the reader keeps none of it

# The words that may stand for the variable: `$name`, `${name}`, `"$name"`, `"${name}"`.
_EXPANSIONS = frozenset({"simple_expansion", "expansion"})


def reads_alike(
    name: str, items: Sequence[Item], body: Node, special: Callable[[str], bool]
) -> bool:
    """Whether `body`, read once with `name` bound to all `items`, reads as it would once
    per item. `special(command)`: the script's own functions and the commands the reader
    reads for what they do to its state (they may read the variable, or keep an item)."""
    if body.type != "do_group" or not all(_inert(item) for item in items):
        return False
    commands = [_command(child) for child in body.named_children if child.type != "comment"]
    return bool(commands) and all(_plain(command, name, special) for command in commands)


def _command(statement: Node) -> Node | None:
    """The command of a statement that is one, its output sent at most to another stream
    (`>&2`, `2>&1`) or to /dev/null, nowhere the reader keeps; None for any other."""
    if statement.type == "command":
        return statement
    body = statement.child_by_field_name("body")
    if statement.type != "redirected_statement" or body is None or body.type != "command":
        return None
    redirects = [child for child in statement.named_children if child != body]
    return body if all(_writes_nowhere(redirect) for redirect in redirects) else None


def _writes_nowhere(redirect: Node) -> bool:
    operators = [child.type for child in redirect.children if not child.is_named]
    target = redirect.named_children[-1] if redirect.named_children else None
    if redirect.type != "file_redirect" or target is None or len(operators) != 1:
        return False
    if operators[0] == ">&":
        return target.type == "number"
    return operators[0] in _WRITES and literal_text(target) == NULL_DEVICE


_WRITES = frozenset({">", ">>", ">|", "&>", "&>>"})


def _inert(item: Item) -> bool:
    """An item that is one plain word wherever it stands: known, not a flag, nothing for
    bash to split, no template placeholder."""
    return isinstance(item, Alt) and _one_word(item.text) and not item.text.startswith("-")


def _one_word(value: str) -> bool:
    """One word as the reader takes it: nothing to split, no template placeholder."""
    return value.split() == [value] and "{{" not in value and "}}" not in value


def _plain(command: Node | None, name: str, special: Callable[[str], bool]) -> bool:
    """A command with literal words but for the variable: a message that names it, or an
    image command that takes it as one of its images (and uses no image of its own)."""
    if command is None:
        return False
    children = command.named_children
    first = _word(children[0], name) if children else _NOT_PLAIN
    if not isinstance(first, str) or special(first):
        return False
    if first in PRINTERS:  # read for nothing: any message that runs nothing will do
        return all(_quiet(child) for child in children[1:])
    words: list[str | None] = [first]
    used: list[int] = []
    for child in children[1:]:
        value = _word(child, name)
        if value is _NOT_PLAIN:
            return False
        if value is None:
            used.append(len(words))
        words.append(value if isinstance(value, str) else None)
    use = image_use(words)
    if not used:
        return use is None  # a command that pulls the same image on every item is not plain
    return len(used) == 1 and use is not None and used[0] in use.positions


class _NotPlain:
    pass


_NOT_PLAIN = _NotPlain()


def _word(node: Node, name: str) -> str | _NotPlain | None:
    """A command word's text when it is literal, None when it is the variable, or
    _NOT_PLAIN."""
    if node.type == "command_name":
        inner = node.named_children
        return _word(inner[0], name) if len(inner) == 1 else _NOT_PLAIN
    found = literal_text(node)
    if found is not None:
        return found if _one_word(found) else _NOT_PLAIN
    if node.type == "string":
        parts = node.named_children
        return _variable(parts[0], name) if len(parts) == 1 else _NOT_PLAIN
    return _variable(node, name)


def _variable(node: Node, name: str) -> _NotPlain | None:
    """None when `node` is `$name` or `${name}`, nothing more."""
    if node.type not in _EXPANSIONS:
        return _NOT_PLAIN
    inner = [child for child in node.children if child.type not in ("$", "${", "}")]
    if len(inner) == 1 and inner[0].type == "variable_name" and text(inner[0]) == name:
        return None
    return _NOT_PLAIN


# What a message may hold: text and variables, nothing that runs or assigns.
_QUIET = frozenset(
    {"word", "raw_string", "number", "string", "string_content", "concatenation",
     "simple_expansion", "variable_name", "special_variable_name"}
)  # fmt: skip


def _quiet(node: Node) -> bool:
    """Whether evaluating `node` runs nothing and sets nothing (no `$(...)`, no `${x:=y}`)."""
    if node.type == "expansion":
        inner = [child for child in node.children if child.type not in ("${", "}")]
        return len(inner) == 1 and inner[0].type == "variable_name"
    return node.type in _QUIET and all(_quiet(child) for child in node.named_children)


# -- loops that count ---------------------------------------------------------------------
#
# `for ((i = 0; i < n; i++))` and `while [ $i -lt $n ]` with `i=$((i + 1))` in the body:
# scripts walk parallel arrays with a counter (`${NAMES[$i]}:${TAGS[$i]}`). Read once for
# all passes, every name meets every tag, and most of the images are false. The reader
# counts such a loop's passes from its header alone when nothing in it can do more than
# arithmetic, then reads the body once per pass (see `_Reader._counted`).

# `[ A -lt B ]` and its kin: what each operator says of two integers.
NUMERIC_TESTS: dict[str, Callable[[int, int], bool]] = {
    "-lt": operator.lt, "-le": operator.le, "-gt": operator.gt, "-ge": operator.ge,
    "-eq": operator.eq, "-ne": operator.ne,
}  # fmt: skip

# What `[` takes for an integer: bash refuses anything else (the test fails, status 2).
_DECIMAL = LazyPattern(r"[ \t]*[-+]?[0-9]+[ \t]*")

# Nodes of a header that may run something or assign, other than its arithmetic: their
# value would have to be read (and their images used) on every count.
_RUNS = frozenset({"command_substitution", "process_substitution"})
# What a `${...}` of a counted header may hold: a name, `#` (a length), a whole array.
_PLAIN_EXPANSION = frozenset({"${", "}", "#", "variable_name", "special_variable_name"})
_WHOLE_ARRAY = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*\[[@*]\]")


def c_for_parts(node: Node) -> tuple[list[Node], list[Node], list[Node]]:
    """The initializer, the condition and the update of `for ((init; test; update))`,
    each the nodes between its `;`s (several initializers stand with their `,`s)."""
    parts: list[list[Node]] = [[]]
    inside = False
    for child in node.children:
        if child.type == "((":
            inside = True
        elif child.type == "))":
            break
        elif inside and child.type == ";":
            parts.append([])
        elif inside and child.type != "comment":
            parts[-1].append(child)
    while len(parts) < 3:
        parts.append([])
    return parts[0], parts[1], parts[2]


def steady(nodes: Sequence[Node]) -> bool:
    """Whether evaluating `nodes` does nothing but arithmetic: no `$(...)`, and each
    `${...}` a plain name, a length or a whole array (no default that assigns, no
    subscript that counts: `${A[i++]}`). Their expansions can then be read again at no
    cost and with no effect."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.type in _RUNS:
            return False
        if node.type == "expansion" and not _plain_expansion(node):
            return False
        stack.extend(node.children)
    return True


def _plain_expansion(node: Node) -> bool:
    for child in node.children:
        if child.type == "subscript":
            if not _WHOLE_ARRAY.fullmatch(text(child)):
                return False
        elif child.type not in _PLAIN_EXPANSION:
            return False
    return True


def numeric_test(condition: Node) -> tuple[Node, str, Node] | None:
    """`[ A -lt B ]` (or `[[ ]]`): its sides and operator; None for any other test."""
    if condition.type != "test_command" or len(condition.named_children) != 1:
        return None
    test = condition.named_children[0]
    children = test.children
    if test.type != "binary_expression" or len(children) != 3:
        return None
    operator_text = text(children[1])
    if children[1].type != "test_operator" or operator_text not in NUMERIC_TESTS:
        return None
    return children[0], operator_text, children[2]


def decimal(written: str) -> int | None:
    """The integer `[` reads in `written`, None when `[` would refuse it."""
    return int(written.strip()) if _DECIMAL.fullmatch(written) else None


def arithmetic_inside(node: Node) -> list[Node] | None:
    """The expression of `(( ... ))`, None when `node` is no arithmetic command."""
    if not is_arithmetic(node):
        return None
    return [child for child in node.children if child.type not in ("((", "))")]


def statements(body: Node) -> list[Node]:
    """The statements of a `do ... done` body that run on every pass (none in a branch)."""
    if body.type != "do_group":
        return []
    return [child for child in body.named_children if child.type != "comment"]
