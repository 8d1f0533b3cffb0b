"""Read the images of a bash pull script, statically.

The script is parsed with tree-sitter-bash and never executed or sourced. An
image is any value that reaches a `docker|podman|nerdctl|crane|ctr ... pull`
(directly, through a loop variable, through a function that pulls its
argument, or through an array the loop walks), plus the elements of arrays
whose name says they hold images. Each image is reported where its text
stands: the array element, the loop word, the heredoc line or the pull itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import tree_sitter_bash
from tree_sitter import Language, Node, Parser

from ..model import Diagnostic, Location
from .bash_values import (
    ArrayRef,
    LoopItems,
    Positional,
    Positioned,
    Scope,
    Unknown,
    Value,
    expand_text,
    text,
)
from .categories import CommentLine, assign_categories, heredoc_comment

_LANGUAGE = Language(tree_sitter_bash.language())

PULL_TOOLS = frozenset({"docker", "podman", "nerdctl", "crane", "ctr", "finch"})
# Flags of `docker|podman|nerdctl|crane|ctr pull` that take the next word as their value.
_VALUE_FLAGS = frozenset(
    {
        "--platform",
        "--arch",
        "--os",
        "--variant",
        "--creds",
        "--authfile",
        "--cert-dir",
        "--decryption-key",
        "--retry",
        "--retry-delay",
        "--signature-policy",
        "--format",
        "-c",
        "--cache_path",
        "--annotate-ref",
        "--user",
        "-u",
        "--namespace",
        "-n",
        "--address",
        "-a",
        "--snapshotter",
        "--hosts-dir",
        "--unpack",
        "--policy",
    }
)
# Global flags of the tools, before the verb, that take the next word as their value.
_GLOBAL_VALUE_FLAGS = frozenset(
    {
        "--context",
        "-c",
        "--host",
        "-H",
        "--config",
        "--log-level",
        "-l",
        "--tlscacert",
        "--tlscert",
        "--tlskey",
        "--namespace",
        "-n",
        "--address",
        "-a",
        "--connection",
        "--url",
        "--identity",
        "--root",
        "--runroot",
        "--storage-driver",
        "--cgroup-manager",
        "--data-root",
        "--snapshotter",
        "--hosts-dir",
        "--timeout",
    }
)
# Flags that take no value even though a listed short form might (docker's `-a` is --all-tags).
_DOCKER_BOOL_FLAGS = frozenset({"-a", "--all-tags", "-q", "--quiet", "--disable-content-trust"})
_Item = Positioned | Unknown | ArrayRef
# Commands that print or log their arguments: `echo docker pull x` pulls nothing.
_PRINTERS = frozenset(
    {"echo", "printf", ":", "true", "logger", "log", "info", "warn", "warning", "error", "debug"}
)
_STATEMENTS_WITH_BODY = frozenset({"if_statement", "elif_clause", "else_clause", "case_statement"})


@dataclass(frozen=True)
class Candidate:
    """A text that reaches a pull: an image reference, not yet validated."""

    text: str
    line: int  # 1-based
    column: int
    scope: int | None  # the array or heredoc it stands in, for its category


@dataclass
class _Array:
    elements: list[Candidate | Unknown] = field(default_factory=list)
    pulled: bool = False


@dataclass(frozen=True)
class ScriptImages:
    """The candidates of one script, with their categories, in script order."""

    path: str
    candidates: tuple[tuple[Candidate, str | None], ...]
    warnings: tuple[Diagnostic, ...]


def parse_pull_script(path: str, source: bytes) -> ScriptImages:
    """The image candidates of the pull script `path` whose bytes are `source`."""
    tree = Parser(_LANGUAGE).parse(source)
    reader = _Reader(path)
    reader.statements(tree.root_node)
    if tree.root_node.has_error:
        reader.warn(_first_error_line(tree.root_node), _SYNTAX_WARNING)
    candidates = sorted(reader.all_candidates(), key=lambda c: (c.line, c.column))
    categorised = assign_categories(candidates, reader.comments, reader.statement_rows)
    return ScriptImages(path, tuple(categorised), tuple(reader.warnings))


_SYNTAX_WARNING = (
    "the pull script does not parse as bash here; images after this line may be missed "
    "(check it with `bash -n`)"
)


def _first_error_line(root: Node) -> int:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node.start_point[0] + 1
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return root.start_point[0] + 1


class _Reader:
    """Walks the statements in script order, keeping what a static reader can know."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.scope = Scope()
        self.arrays: dict[str, _Array] = {}
        self.pulled: list[Candidate] = []
        self.pulling_functions: dict[str, bool] = {}  # name -> pulls all its arguments
        self.comments: list[CommentLine] = []
        self.statement_rows: list[tuple[int, int]] = []
        self._warnings: dict[Diagnostic, None] = {}  # each said once, in order
        self._heredoc: Node | None = None
        self._in_function: str | None = None

    @property
    def warnings(self) -> list[Diagnostic]:
        return list(self._warnings)

    def warn(self, line: int, message: str) -> None:
        self._warnings[Diagnostic(Location(self.path, line), message)] = None

    def all_candidates(self) -> Iterator[Candidate]:
        yield from self.pulled
        for name, array in self.arrays.items():
            if array.pulled or "IMAGE" in name.upper():
                for element in array.elements:
                    if isinstance(element, Candidate):
                        yield element

    # -- statements -------------------------------------------------------

    def statements(self, node: Node) -> None:
        for child in node.named_children:
            self.statement(child)

    def statement(self, node: Node) -> None:
        kind = node.type
        if kind == "comment":
            self._comment(node)
            return
        self.statement_rows.append((node.start_point[0] + 1, node.end_point[0] + 1))
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, node)
        elif kind in _STATEMENTS_WITH_BODY or kind in (
            "do_group",
            "compound_statement",
            "subshell",
            "list",
            "pipeline",
            "negated_command",
            "case_item",
        ):
            self.statements(node)

    def _comment(self, node: Node) -> None:
        parent = node.parent
        self.comments.append(
            CommentLine(
                line=node.start_point[0] + 1,
                text=text(node),
                standalone=self._starts_line(node),
                scope=parent.id if parent is not None and parent.type == "array" else None,
            )
        )

    @staticmethod
    def _starts_line(node: Node) -> bool:
        previous = node.prev_sibling
        return previous is None or previous.end_point[0] < node.start_point[0]

    def _assignment(self, node: Node) -> None:
        name_node = node.child_by_field_name("name")
        value_node = node.child_by_field_name("value")
        if name_node is None:
            return
        name = text(name_node)
        appending = any(c.type == "+=" for c in node.children)
        if value_node is not None and value_node.type == "array":
            self._array(name, value_node, appending)
            return
        value = self.scope.value(value_node) if value_node is not None else ""
        if isinstance(value, str):
            previous = self.scope.scalars.get(name, "") if appending else ""
            self.scope.scalars[name] = previous + value
        else:
            self.scope.scalars.pop(name, None)

    def _declaration(self, node: Node) -> None:
        for child in node.named_children:
            if child.type == "variable_assignment":
                self._assignment(child)

    def _array(self, name: str, node: Node, appending: bool) -> None:
        array = self.arrays.get(name) if appending else None
        if array is None:
            array = _Array(pulled=self.arrays[name].pulled if name in self.arrays else False)
            self.arrays[name] = array
        for child in node.named_children:
            if child.type == "comment":
                self._comment(child)
                continue
            array.elements.extend(self._candidates(child, scope=node.id, allow_arrays=True))

    def _candidates(
        self, node: Node, scope: int | None, allow_arrays: bool = False
    ) -> list[Candidate | Unknown]:
        """The values one word stands for, each a candidate where the word stands."""
        value = self.scope.value(node)
        line, column = node.start_point[0] + 1, node.start_point[1]
        if isinstance(value, str):
            return [Candidate(value, line, column, scope)] if value else []
        if isinstance(value, ArrayRef) and allow_arrays and value.name in self.arrays:
            return list(self.arrays[value.name].elements)
        if isinstance(value, Unknown):
            return [value]
        return []

    def _for(self, node: Node) -> None:
        variable = node.child_by_field_name("variable")
        body = node.child_by_field_name("body")
        if variable is None or body is None:
            return
        items: list[_Item] = []
        for word in node.children_by_field_name("value"):
            items.extend(self._loop_items(word))
        self._loop(text(variable), items, body)

    def _loop_items(self, word: Node) -> list[_Item]:
        value = self.scope.value(word)
        line, column = word.start_point[0] + 1, word.start_point[1]
        if isinstance(value, str):
            # An unquoted `$LIST` is split on white space; a quoted word stays whole.
            split = word.type in ("simple_expansion", "expansion", "word")
            words = value.split() if split else [value]
            return [Positioned(item, line, column) for item in words]
        if isinstance(value, LoopItems):
            return list(value.items)
        if isinstance(value, Positional):
            return [Unknown(text(word))]
        return [value]

    def _loop(self, variable: str, items: list[_Item], body: Node) -> None:
        saved = self.scope.bindings.get(variable)
        self.scope.bindings[variable] = LoopItems(tuple(items))
        self.statements(body)
        if saved is None:
            self.scope.bindings.pop(variable, None)
        else:
            self.scope.bindings[variable] = saved

    def _while(self, node: Node) -> None:
        condition = node.child_by_field_name("condition")
        body = node.child_by_field_name("body")
        variable = _read_variable(condition) if condition is not None else None
        if body is None:
            return
        if variable is None or self._heredoc is None:
            self.statements(body)
            return
        self._loop(variable, self._heredoc_items(self._heredoc), body)

    def _heredoc_items(self, redirect: Node) -> list[_Item]:
        body = next((c for c in redirect.children if c.type == "heredoc_body"), None)
        start = next((c for c in redirect.children if c.type == "heredoc_start"), None)
        if body is None:
            return []
        quoted = start is not None and text(start)[:1] in ("'", '"')
        items: list[_Item] = []
        first_line = body.start_point[0] + 1
        for offset, raw in enumerate(text(body).split("\n")):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("#"):
                self.comments.append(heredoc_comment(first_line + offset, line, redirect.id))
                continue
            value = line if quoted else expand_text(line, self.scope)
            if isinstance(value, Unknown):
                items.append(value)
                continue
            for word in value.split():
                items.append(Positioned(word, first_line + offset, 0, redirect.id))
        return items

    def _redirected(self, node: Node) -> None:
        redirects = [c for c in node.children if c.type == "heredoc_redirect"]
        saved = self._heredoc
        self._heredoc = redirects[0] if redirects else saved
        for child in node.named_children:
            if child.type == "heredoc_redirect":
                self.statements(child)
            elif child.type not in ("file_redirect", "herestring_redirect"):
                self.statement(child)
        self._heredoc = saved

    def _function(self, node: Node) -> None:
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name_node is None or body is None:
            return
        saved = self._in_function
        self._in_function = text(name_node)
        self.statements(body)
        self._in_function = saved

    # -- commands ---------------------------------------------------------

    def _command(self, node: Node) -> None:
        words = _command_words(node)
        if not words:
            return
        arguments = _pull_arguments(words)
        if arguments is None:
            arguments = self._function_call_arguments(words)
        if arguments is not None:
            for argument in arguments:
                self._pull(argument)

    def _function_call_arguments(self, words: list[Node]) -> list[Node] | None:
        name = text(words[0])
        if name not in self.pulling_functions:
            return None
        arguments = words[1:]
        return arguments if self.pulling_functions[name] else arguments[:1]

    def _pull(self, argument: Node) -> None:
        value = self.scope.value(argument)
        line = argument.start_point[0] + 1
        where = Positioned(value, line, argument.start_point[1]) if isinstance(value, str) else None
        self._reach(where or value, line)

    def _reach(self, value: Value | Positioned, line: int) -> None:
        """`value` is pulled at `line`: record the image(s) it stands for."""
        if isinstance(value, Positioned):
            self.pulled.append(Candidate(value.text, value.line, value.column, value.scope))
        elif isinstance(value, LoopItems):
            for item in value.items:
                self._reach(item, line)
        elif isinstance(value, ArrayRef):
            self._pull_array(value.name, line)
        elif isinstance(value, Positional):
            if self._in_function is not None:
                self.pulling_functions[self._in_function] = value.all
        else:
            self.warn(line, _unknown_message(value))

    def _pull_array(self, name: str, line: int) -> None:
        array = self.arrays.get(name)
        if array is None:
            message = f"the array {name} is not set in the script; its images are not audited"
            self.warn(line, message)
            return
        array.pulled = True
        for element in array.elements:
            if isinstance(element, Unknown):
                self.warn(line, _unknown_message(element))


def _unknown_message(value: Unknown | object) -> str:
    why = value.why if isinstance(value, Unknown) else str(value)
    return (
        f"cannot know the value of {why} without running the script; the image is not audited "
        "(set the variable in the script or list the image literally)"
    )


def _read_variable(condition: Node) -> str | None:
    """`read -r VAR` as a while condition: the variable it reads into."""
    for command in _descendants(condition, "command"):
        words = _command_words(command)
        if words and text(words[0]) == "read":
            names = [text(w) for w in words[1:] if not text(w).startswith("-")]
            if names:
                return names[-1]
    return None


def _descendants(node: Node, kind: str) -> Iterator[Node]:
    if node.type == kind:
        yield node
    for child in node.named_children:
        yield from _descendants(child, kind)


def _command_words(node: Node) -> list[Node]:
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


def _pull_arguments(words: list[Node]) -> list[Node] | None:
    """The image arguments when the words are a pull (`sudo docker pull -q IMG`), else None."""
    literal = [text(w) for w in words]
    if literal[0] in _PRINTERS:
        return None
    for index, word in enumerate(literal):
        tool = word.rsplit("/", 1)[-1]
        if tool not in PULL_TOOLS:
            continue
        skip = _pull_verb_length(literal[index + 1 :])
        if skip:
            return _positionals(tool, words[index + 1 + skip :])
    return None


def _pull_verb_length(rest: list[str]) -> int:
    """How many words after the tool name make the `pull` verb, 0 when it is not a pull.

    Global flags may stand before the verb: `docker --context c pull`, `ctr -n k8s.io pull`.
    """
    position = 0
    while position < len(rest) and rest[position].startswith("-"):
        flag = rest[position]
        position += 2 if "=" not in flag and flag in _GLOBAL_VALUE_FLAGS else 1
    if rest[position : position + 1] == ["pull"]:
        return position + 1
    if rest[position : position + 2] in (["image", "pull"], ["images", "pull"]):
        return position + 2
    return 0


def _positionals(tool: str, arguments: list[Node]) -> list[Node]:
    images: list[Node] = []
    skip_next = False
    for node in arguments:
        word = text(node)
        if skip_next:
            skip_next = False
        elif word.startswith("-"):
            bool_flag = tool != "ctr" and word in _DOCKER_BOOL_FLAGS
            skip_next = "=" not in word and word in _VALUE_FLAGS and not bool_flag
        else:
            images.append(node)
    # crane pull IMAGE TARBALL: only the first is an image; ctr pull takes one.
    return images[:1] if tool in ("crane", "ctr") else images


_HANDLERS = {
    "variable_assignment": _Reader._assignment,
    "declaration_command": _Reader._declaration,
    "for_statement": _Reader._for,
    "while_statement": _Reader._while,
    "redirected_statement": _Reader._redirected,
    "function_definition": _Reader._function,
    "command": _Reader._command,
}
