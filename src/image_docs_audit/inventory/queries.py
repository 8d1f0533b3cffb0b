"""`jq` and `yq` over a JSON or YAML file of the repository: what a path query prints.

Pull scripts keep their images in a data file more and more (`for image in $(jq -r
'.images[]' images.json)`). A query made of a path only (`.images[]`, `.services[].image`,
`.[0]`, `.["api"].tag`, and pipes of such paths) is read here over the file's YAML nodes
(JSON is YAML), so each text it prints stands at its own line of that file. Anything
else (`select(...)`, `map(...)`, `--arg`, a query in a file) is not a path: the caller
then does not know the output, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from .limits import MAX_ELEMENTS
from .yamlnodes import Scalar, Walker, WalkLimitError, documents, scalar

# One step of a path: `.name`, `."name"`, `["name"]`, `[]`, `[3]` (a `?` after any is
# allowed and changes nothing here). Each alternative starts with its own character.
_STEP = re.compile(
    r'\.?\[\]\??|\.?\[(\d+)\]\??|\.?\["([^"\\]*)"\]\??|\."([^"\\]*)"\??|\.([A-Za-z_][\w-]*)\??'
)
_MAX_QUERY = 200  # characters: a path, not a program

Step = tuple[str, str | int | None]  # ("key", name), ("index", n) or ("each", None)


@dataclass(frozen=True)
class Query:
    """`jq -r PATH FILE...`: the steps of the path and the files it reads."""

    steps: tuple[Step, ...]
    files: tuple[str, ...]
    raw: bool  # strings printed without their JSON quotes (`jq -r`, and yq always)


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
    steps = path(operands[0])
    return None if steps is None else Query(steps, tuple(operands[1:]), raw)


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
    steps: Sequence[Step], nodes: Sequence[yaml.Node], *, raw: bool
) -> tuple[list[Scalar] | None, int]:
    """What the path prints over the documents `nodes`, each text with its line (None when
    that is not text alone: an object, a list), and how many nodes it visited."""
    walker = Walker()
    current = list(nodes)
    try:
        for kind, value in steps:
            current = [found for node in current for found in _follow(walker, node, kind, value)]
            if len(current) > MAX_ELEMENTS:
                return None, walker.visits
    except WalkLimitError:
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
