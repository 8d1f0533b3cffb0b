"""The values of bash words, as far as a static reader can know them.

A pull script is data: nothing here runs it. A word's value is known when it
is made of literals and variables that the script itself sets (or that have a
`${VAR:-default}`); anything else (`$(...)`, `${VAR#x}`, unset variables) is
`Unknown`, with the text that made it so, for the warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tree_sitter import Node


@dataclass(frozen=True)
class Unknown:
    """A value the script does not let us know; `why` names the culprit."""

    why: str


@dataclass(frozen=True)
class ArrayRef:
    """`"${NAME[@]}"`: all the elements of an array."""

    name: str


@dataclass(frozen=True)
class Positional:
    """`$1` or `"$@"` inside a function body."""

    all: bool


@dataclass(frozen=True)
class Positioned:
    """A literal word with the place where it stands (a loop word, a heredoc line)."""

    text: str
    line: int  # 1-based
    column: int
    scope: int | None = None  # the heredoc it stands in


@dataclass(frozen=True)
class LoopItems:
    """A loop variable: each of the words the loop gives it."""

    items: tuple[Positioned | Unknown | ArrayRef, ...]


Value = str | Unknown | ArrayRef | Positional | LoopItems

_DEFAULT_OPS = frozenset({":-", "-", ":=", "="})
_POSITIONAL_ALL = frozenset({"@", "*"})


def text(node: Node) -> str:
    """The source text of a node, whatever bytes the script holds."""
    return (node.text or b"").decode("utf-8", "replace")


class Scope:
    """The variables known at a point of the script, in the order it sets them."""

    def __init__(self) -> None:
        self.scalars: dict[str, str] = {}
        self.bindings: dict[str, Value] = {}  # loop variables and `$1` while inside a body

    def lookup(self, name: str) -> Value | None:
        if name in self.bindings:
            return self.bindings[name]
        if name in self.scalars:
            return self.scalars[name]
        if name.isdigit():
            return Positional(all=False) if name == "1" else Unknown(f"${name}")
        if name in _POSITIONAL_ALL:
            return Positional(all=True)
        return None

    def value(self, node: Node) -> Value:
        """The value of one word (a command argument, an array element)."""
        kind = node.type
        if kind in ("string", "concatenation"):
            return self._join(node)
        if kind == "simple_expansion":
            return self._variable(node, _variable_name(node), default=None)
        if kind == "expansion":
            return self._expansion(node)
        literal = _LITERALS.get(kind)
        return literal(text(node)) if literal is not None else Unknown(text(node))

    def _join(self, node: Node) -> Value:
        parts: list[Value] = []
        for child in node.children:
            if child.type == '"':
                continue
            content = child.type == "string_content"
            parts.append(_unescape_quoted(text(child)) if content else self.value(child))
        if all(isinstance(part, str) for part in parts):
            return "".join(part for part in parts if isinstance(part, str))
        unknown = next((part for part in parts if isinstance(part, Unknown)), None)
        if unknown is not None:
            return unknown
        if len(parts) == 1:
            return parts[0]  # a lone "${ARR[@]}", "$@" or loop variable keeps its meaning
        return _join_loop_items(parts) or Unknown(text(node))

    def _expansion(self, node: Node) -> Value:
        inner = [c for c in node.children if c.type not in ("${", "}")]
        if inner and inner[0].type == "subscript":
            return _subscript(inner[0])
        if not inner or inner[0].type not in ("variable_name", "special_variable_name"):
            return Unknown(text(node))
        name = text(inner[0])
        if len(inner) == 1:
            return self._variable(node, name, default=None)
        operator = text(inner[1])
        if operator not in _DEFAULT_OPS:
            return Unknown(text(node))
        default = "".join(self._default_parts(inner[2:]))
        return self._variable(node, name, default=default)

    def _default_parts(self, nodes: list[Node]) -> list[str]:
        parts = []
        for child in nodes:
            value = self.value(child)
            parts.append(value if isinstance(value, str) else text(child))
        return parts

    def _variable(self, node: Node, name: str, default: str | None) -> Value:
        found = self.lookup(name)
        if found is None or (found == "" and default is not None):
            return default if default is not None else Unknown(text(node))
        return found


def _join_loop_items(parts: list[Value]) -> LoopItems | None:
    """`"example/$name:latest"` inside `for name in a b`: one image a loop word."""
    loops = [i for i, part in enumerate(parts) if isinstance(part, LoopItems)]
    others = [part for i, part in enumerate(parts) if i not in loops]
    if len(loops) != 1 or not all(isinstance(part, str) for part in others):
        return None
    prefix = "".join(str(part) for part in parts[: loops[0]])
    suffix = "".join(str(part) for part in parts[loops[0] + 1 :])
    loop = parts[loops[0]]
    assert isinstance(loop, LoopItems)
    return LoopItems(
        tuple(
            Positioned(prefix + item.text + suffix, item.line, item.column, item.scope)
            if isinstance(item, Positioned)
            else item
            for item in loop.items
        )
    )


def _variable_name(node: Node) -> str:
    names = [c for c in node.children if c.type in ("variable_name", "special_variable_name")]
    return text(names[0]) if names else text(node).lstrip("$")


def _subscript(node: Node) -> Value:
    parts = [c for c in node.children if c.type not in ("[", "]")]
    if len(parts) == 2 and text(parts[1]) in _POSITIONAL_ALL:
        return ArrayRef(text(parts[0]))
    return Unknown(text(node))


_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
_QUOTED_ESCAPE_RE = re.compile(r'\\([$`"\\\n])')


def _unescape(word: str) -> str:
    return _ESCAPE_RE.sub(lambda m: "" if m.group(1) == "\n" else m.group(1), word)


def _unescape_quoted(content: str) -> str:
    return _QUOTED_ESCAPE_RE.sub(lambda m: "" if m.group(1) == "\n" else m.group(1), content)


# Words whose value is their text: unquoted words lose their backslashes, '...' its quotes.
_LITERALS: dict[str, Callable[[str], str]] = {
    "word": _unescape,
    "number": str,
    "raw_string": lambda quoted: quoted[1:-1],
}


_TEXT_VARIABLE_RE = re.compile(r"\$\{(\w+)(?:(:?[-=])([^}]*))?\}|\$(\w+)")


def expand_text(line: str, scope: Scope) -> str | Unknown:
    """Expand the variables of an unquoted heredoc line."""
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(4)
        found = scope.lookup(name)
        if isinstance(found, str) and (found or match.group(2) is None):
            return found
        if match.group(2) is not None:
            return match.group(3)
        unknown.append(match.group(0))
        return ""

    expanded = _TEXT_VARIABLE_RE.sub(replace, line)
    return Unknown(unknown[0]) if unknown else expanded
