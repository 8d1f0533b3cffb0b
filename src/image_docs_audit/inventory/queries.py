"""`jq` and `yq` over a JSON or YAML file of the repository: what a path query prints.

Pull scripts keep their images in a data file more and more (`for image in $(jq -r
'.images[]' images.json)`). A query made of a path only (`.images[]`, `.services[].image`,
`.[0]`, `.["api"].tag`, and pipes of such paths) is read here over the file's YAML nodes
(JSON is YAML), so each text it prints stands at its own line of that file. Its last
part may join texts and paths of each node it reaches (`.name + ":" + .tag`, jq's
`"\\(.name):\\(.tag)"`): the text stands at the line of its first path. Anything else
(`select(...)`, `map(...)`, `--arg`, a query in a file) is not a path: the caller then does
not know the output, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from ..lazy_pattern import LazyPattern
from ..records import record
from .limits import MAX_ELEMENTS
from .yamlnodes import Scalar, Walker, WalkLimitError, documents, scalar

# One step of a path: `.name`, `."name"`, `["name"]`, `[]`, `[3]` (a `?` after any is
# allowed and changes nothing here). Each alternative starts with its own character.
_STEP = LazyPattern(
    r'\.?\[\]\??|\.?\[(\d+)\]\??|\.?\["([^"\\]*)"\]\??|\."([^"\\]*)"\??|\.([A-Za-z_][\w-]*)\??'
)
_MAX_QUERY = 200  # characters: a path, not a program

Step = tuple[str, str | int | None]  # ("key", name), ("index", n) or ("each", None)
# A piece of a joined output: a text as written, or a path from the node it is made for.
Piece = str | tuple[Step, ...]


@record
class Query:
    """`jq -r PATH FILE...`: the steps of the path and the files it reads."""

    steps: tuple[Step, ...]
    files: tuple[str, ...]
    raw: bool  # strings printed without their JSON quotes (`jq -r`, and yq always)
    joined: tuple[Piece, ...] | None = None  # what each node reached prints, if not itself


# Options of jq and yq that take the next word as their value; any other option is a switch.
_VALUE_OPTIONS = frozenset(
    {"-o", "--output-format", "-p", "--input-format", "-I", "--indent", "--from-file",
     "--tab", "--args", "--jsonargs"}
)  # fmt: skip
_NOT_PATHS = frozenset({"--arg", "--argjson", "--slurpfile", "--rawfile", "-f", "--from-file",
                        "-s", "--slurp", "-n", "--null-input"})  # fmt: skip


def query(tool: str, words: Sequence[str | None]) -> Query | None:
    """The query `jq ...` / `yq ...` runs when it is a path over files, or None."""
    raw = tool == "yq"
    rest = list(words)
    if tool == "yq" and rest[:1] in (["e"], ["eval"]):
        rest = rest[1:]
    operands: list[str] = []
    skip = False
    for word in rest:
        if word is None:
            return None
        if skip:
            skip = False
        elif word in _NOT_PATHS:
            return None
        elif word.startswith("-") and len(word) > 1:
            raw = raw or word in ("-r", "--raw-output") or (word[1] != "-" and "r" in word)
            skip = word in _VALUE_OPTIONS
        else:
            operands.append(word)
    if len(operands) < 2:
        return None  # no file: the input is the script's own stream
    expression = operands[0]
    if len(expression) > _MAX_QUERY:
        return None
    head, _, last = expression.rpartition("|") if "|" in expression else ("", "", expression)
    joined = _joined(last.strip())
    steps = path(head if joined is not None else expression) if head or joined is None else ()
    return None if steps is None else Query(steps, tuple(operands[1:]), raw, joined)


def _joined(expression: str) -> tuple[Piece, ...] | None:
    """The pieces of an output that joins texts and paths: `.name + ":" + .tag`, or jq's
    string `"\\(.name):\\(.tag)"`; None for any other expression (a path among them)."""
    if expression.startswith('"') and expression.endswith('"') and "\\(" in expression:
        pieces = _interpolated(expression[1:-1])
    elif "+" in expression:
        pieces = [_operand(part.strip()) for part in expression.split("+")]
    else:
        return None
    if pieces is None or any(piece is None for piece in pieces):
        return None
    found = tuple(piece for piece in pieces if piece is not None)
    return found if any(not isinstance(piece, str) for piece in found) else None


def _operand(text: str) -> Piece | None:
    """`"text"` (no escape, no `+` in it) or a path from the node (`.` is the node)."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        inner = text[1:-1]
        return inner if '"' not in inner and "\\" not in inner else None
    return () if text == "." else path(text) if text.startswith(".") else None


def _interpolated(body: str) -> list[Piece | None] | None:
    """The pieces of a jq string's body: texts, and `\\(PATH)` paths."""
    pieces: list[Piece | None] = []
    position = 0
    while position < len(body):
        start = body.find("\\(", position)
        if start < 0:
            start = len(body)
        text = body[position:start]
        if "\\" in text or '"' in text:
            return None  # another escape: not read
        if text:
            pieces.append(text)
        if start == len(body):
            break
        end = body.find(")", start)
        if end < 0:
            return None
        pieces.append(_operand(body[start + 2 : end].strip()))
        position = end + 1
    return pieces


def path(expression: str) -> tuple[Step, ...] | None:
    """The steps of a path expression (pipes of paths joined), or None for anything else."""
    if len(expression) > _MAX_QUERY:
        return None
    steps: list[Step] = []
    for part in expression.split("|"):
        text = part.strip()
        if text == ".":
            continue
        if not text:
            return None  # `.a | | .b`
        position = 0
        while position < len(text):
            found = _STEP.match(text, position)
            if found is None:
                return None
            steps.append(_step(found))
            position = found.end()
    return tuple(steps)


def _step(found: re.Match[str]) -> Step:
    index, quoted, dotted_quoted, name = found.groups()
    if index is not None:
        return ("index", int(index))
    key = quoted if quoted is not None else dotted_quoted if dotted_quoted is not None else name
    return ("each", None) if key is None else ("key", key)


def parsed(data: bytes) -> list[yaml.Node] | None:
    """The documents of a JSON or YAML file, None when it is neither."""
    try:
        return list(documents(data))
    except yaml.YAMLError:
        return None


def evaluate(
    steps: Sequence[Step],
    nodes: Sequence[yaml.Node],
    *,
    raw: bool,
    joined: Sequence[Piece] | None = None,
) -> tuple[list[Scalar] | None, int]:
    """What the path prints over the documents `nodes` (with `joined`, the pieces joined
    for each node it reaches), each text with its line (None when that is not text alone:
    an object, a list, a piece that is not one text), and how many nodes it visited."""
    walker = Walker()
    try:
        current = _reached(walker, steps, list(nodes))
        if current is not None and joined is not None:
            made = [_joined_text(walker, node, joined) for node in current]
            texts = None if None in made else [found for found in made if found is not None]
            if texts is None or raw:
                return texts, walker.visits
            return [Scalar(f'"{text.value}"', text.line) for text in texts], walker.visits
    except WalkLimitError:
        return None, walker.visits
    if current is None:
        return None, walker.visits
    printed: list[Scalar] = []
    for node in current:
        if not isinstance(node, yaml.ScalarNode):
            return None, walker.visits
        found = scalar(node)
        if found is None:
            continue  # `null`: nothing a pull would take
        quoted = not raw and node.tag == "tag:yaml.org,2002:str"
        printed.append(Scalar(f'"{found.value}"', found.line) if quoted else found)
    return printed, walker.visits


def _reached(
    walker: Walker, steps: Sequence[Step], nodes: list[yaml.Node]
) -> list[yaml.Node] | None:
    """The nodes the steps reach from `nodes`; None past MAX_ELEMENTS of them."""
    for kind, value in steps:
        nodes = [found for node in nodes for found in _follow(walker, node, kind, value)]
        if len(nodes) > MAX_ELEMENTS:
            return None
    return nodes


def _joined_text(walker: Walker, node: yaml.Node, pieces: Sequence[Piece]) -> Scalar | None:
    """The pieces joined for `node`, at the line of its first path's text; None when a
    path gives other than one text (a missing key: jq would print `null` or leave it)."""
    parts: list[str] = []
    line = 0
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(piece)
            continue
        found = _reached(walker, piece, [node])
        text = scalar(found[0]) if found is not None and len(found) == 1 else None
        if text is None:  # not a text, `null`, none or several
            return None
        parts.append(text.value)
        line = line or text.line
    return Scalar("".join(parts), line)


def _follow(walker: Walker, node: yaml.Node, kind: str, value: str | int | None) -> list[yaml.Node]:
    if kind == "key":
        found = walker.get(node, str(value))
        return [found] if found is not None else []
    if kind == "index":
        walker.visit()
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        return [items[value]] if isinstance(value, int) and value < len(items) else []
    if isinstance(node, yaml.MappingNode):
        return [item for _, _, item in walker.pairs(node)]
    return list(walker.items(node))
