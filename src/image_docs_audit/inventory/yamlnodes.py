"""YAML documents as node trees with lines, read safely.

Compose files, Kubernetes manifests and Helm values are composed, not
constructed: every value keeps its line, and nothing is built from tags.
Anchors and aliases are common in compose files (`<<: *defaults`), so they are
allowed, but an alias is the node it names, not a copy: a walk counts every
node it visits against a budget, so aliases to aliases cannot blow up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..records import record

MAX_NODES = 200_000  # nodes composed in one file, and nodes a walk of it visits


class WalkLimitError(Exception):
    """The walk of one file visited more than MAX_NODES nodes."""


@record
class Scalar:
    value: str
    line: int  # 1-based


def documents(data: bytes) -> Iterator[yaml.Node]:
    """The documents of a YAML file; raises yaml.YAMLError for text that is not YAML.

    Blanks at the end of a line go first: PyYAML refuses a tab after a value
    (`network_mode: bridge<TAB>`), which compose's YAML reader and YAML 1.2 accept.
    Where libyaml refuses a text, PyYAML reads it from the document libyaml stopped in:
    its error, with its line, or its documents, where it takes what libyaml does not.
    """
    text = "\n".join(line.rstrip(" \t") for line in data.decode("utf-8-sig", "replace").split("\n"))
    read = 0
    try:
        for document in _composed(text, LOADER):
            read += 1
            yield document
    except yaml.MarkedYAMLError:
        if LOADER is PureLoader:
            raise
        for index, document in enumerate(_composed(text, PureLoader)):
            if index >= read:
                yield document


def _composed(text: str, kind: Callable[[str], _Loader]) -> Iterator[yaml.Node]:
    """The documents of `text` as `yaml.compose_all` makes them, by a loader of `kind`."""
    loader = kind(text)
    try:
        while loader.check_node():
            document = loader.get_node()
            if document is not None:
                yield document
    except RecursionError:  # the composer recurses once per level of nesting
        raise yaml.YAMLError("nested too deeply") from None
    finally:
        loader.dispose()


class _Counted(Composer):
    """PyYAML's composer, stopped (WalkLimitError) past MAX_NODES nodes composed in one
    file: a file is composed whole before any walk counts its nodes, and 8 MB of compose
    services took 16 s and 580 MB to compose."""

    composed = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.composed += 1
        if self.composed > MAX_NODES:
            raise WalkLimitError
        return super().compose_node(parent, index)


class PureLoader(_Counted, yaml.SafeLoader):
    """The safe loader in Python: where PyYAML was built without libyaml."""


class _Loader(Protocol):
    def check_node(self) -> bool: ...

    def get_node(self) -> yaml.Node | None: ...

    def dispose(self) -> None: ...


def _loader() -> Callable[[str], _Loader]:
    """libyaml's scanner and parser (PyYAML's wheels bundle it) with the composer above:
    the same nodes as `PureLoader` where PyYAML reads a text (tests/test_yaml_loaders.py),
    ten times faster. PyYAML's own scanner reads about a MB a second: a manifest of CRDs
    such as repositories vendor (1.2 MB) took 1.5 s, 0.15 s so. `PureLoader` without it."""
    try:
        from yaml._yaml import CParser  # noqa: PLC0415  (a PyYAML built without libyaml lacks it)
    except ImportError:
        return PureLoader

    class FastLoader(_Counted, CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    return FastLoader


LOADER = _loader()


def error_line(error: yaml.YAMLError) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else 1


class Walker:
    """Visits nodes within a budget shared by one file."""

    def __init__(self) -> None:
        self.visits = 0

    def visit(self) -> None:
        self.visits += 1
        if self.visits > MAX_NODES:
            raise WalkLimitError

    def pairs(self, node: yaml.Node) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        """A mapping's entries as (key, key node, value), merges (`<<: *x`) included."""
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value_node in node.value:
            self.visit()
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.value == "<<":
                many = isinstance(value_node, yaml.SequenceNode)
                for source in value_node.value if many else [value_node]:
                    yield from self.pairs(source)
                continue
            yield str(key_node.value), key_node, value_node

    def get(self, node: yaml.Node, key: str) -> yaml.Node | None:
        found = None
        for name, _, value in self.pairs(node):
            if name == key:
                found = value  # the last one wins, as YAML loaders do
        return found

    def items(self, node: yaml.Node) -> Iterator[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self.visit()
                yield item

    def mappings(self, node: yaml.Node) -> Iterator[yaml.MappingNode]:
        """Every mapping in the tree, each once, depth first, without recursion."""
        seen: set[int] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            self.visit()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if isinstance(current, yaml.MappingNode):
                yield current
                stack.extend(reversed([value for _, value in current.value]))
            elif isinstance(current, yaml.SequenceNode):
                stack.extend(reversed(current.value))


def scalar(node: yaml.Node | None) -> Scalar | None:
    """A scalar's text and line; None for anything else (null included)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        return None
    return Scalar(str(node.value), node.start_mark.line + 1)
