"""The values of bash words, as far as a static reader can know them.

A pull script is data: nothing here runs it. A word stands for a set of
possible texts (`Alt`s): one for a literal, several for a loop variable, an
array or a variable assigned in two branches of a `case`. A text the script
does not let us know (`$(...)`, an unset variable, `${VAR@Q}`) is an `Unknown`
carrying the expression, for the warning, and what is known of the text around it
(`example/app:` of `example/app:${TAG}`).

Every text remembers where it stands when that place says more than the
command using it: an array element, a loop word, a heredoc line, a function
call's argument, a branch's assignment. Bounds keep a hostile script from
growing values without end: a text longer than MAX_TEXT, or a word with more
than MAX_ALTERNATIVES texts, stops being known.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from tree_sitter import Node

from ..lazy_pattern import LazyPattern
from ..records import record
from .arithmetic import assigned_names, evaluate, integer
from .limits import MAX_ALTERNATIVES, MAX_DEPTH, MAX_TEXT, Budget


@record
class Alt:
    """One text a word may stand for."""

    text: str
    line: int | None = None  # 1-based; None: it stands where it is used
    column: int = 0
    scope: int | None = None  # the array or heredoc it stands in, for its category
    origins: frozenset[str] = frozenset()  # the arrays it comes from
    # Placed by a plain assignment (`PROXY=haproxy:3`): the place holds for the whole
    # value only, not for a reference built from it (`$REG/app:1` stands where it is used).
    weak: bool = False
    path: str | None = None  # the repository file it stands in, when not the script itself


@record
class Unknown:
    """A value the script does not let us know; `why` is the expression.

    A text built around it keeps what is known of it (see `_partly_known`): `head`, the
    known text it starts with, standing where that text stands; `rest`, the value from
    the first unknown piece on as written, for the report; `after`, the known text that
    follows that piece. `example/app:${TAG}` starts with `example/app:`: its repository
    is known, its tag is not (see `reference.unknown_tag_split`). Only a concatenation
    keeps them: any other change of the text (a trim, a substitution, a field of it)
    starts from `opaque`, as the change may reach into the known part. A value that
    starts not known but goes on with a `/` (`${REGISTRY}/team/app:1`) has an empty
    `head`: the place where it stands, as its name may be known (see
    `reference.unknown_start_split`); `gaps`, where in `after` the other pieces not
    known stand, as `after` joins the known texts around them.
    """

    why: str
    line: int
    message: str | None = None  # a more precise warning than the generic one
    head: Alt | None = None
    rest: str = ""  # empty: `why` alone
    after: str = ""
    gaps: tuple[int, ...] = ()
    # The line a shell that reads it as a command sees, where it is known: an unquoted
    # heredoc line with a `$(...)` (the outer shell runs it; read as a command, the
    # reader follows it there: `bash <<EOF` / `docker pull $(latest)`).
    script: str | None = None

    @property
    def written(self) -> str:
        """The value as a report shows it: the known head, then the rest as written."""
        return (self.head.text if self.head is not None else "") + (self.rest or self.why)


def opaque(item: Item) -> Item:
    """`item`, with nothing known of its text when it is not known (see `Unknown`)."""
    if isinstance(item, Unknown) and (item.head is not None or item.rest or item.after):
        return Unknown(item.why, item.line, item.message)
    return item


Item = Alt | Unknown
Values = tuple[Item, ...]


def text(node: Node) -> str:
    """The source text of a node, whatever bytes the script holds."""
    return (node.text or b"").decode("utf-8", "replace")


def line_of(node: Node) -> int:
    return node.start_point[0] + 1


def placed(
    values: Iterable[Item], node: Node, scope: int | None = None, weak: bool = False
) -> Values:
    """`values` standing at `node`: texts without a place of their own take it."""
    line, column = line_of(node), node.start_point[1]
    return tuple(
        # the constructor, not dataclasses.replace: this runs once per loop item
        Alt(item.text, line, column, scope, origins=item.origins, weak=weak, path=item.path)
        if isinstance(item, Alt) and item.line is None
        else _head_placed(item, line, column, scope, weak)
        if isinstance(item, Unknown) and item.head is not None and item.head.line is None
        else item
        for item in values
    )


def _head_placed(item: Unknown, line: int, column: int, scope: int | None, weak: bool) -> Unknown:
    """`item` with its known head standing at `line` (see `placed`)."""
    head = item.head
    assert head is not None
    found = Alt(head.text, line, column, scope, head.origins, weak, head.path)
    return replace(item, head=found)


def known(values: Values) -> str | None:
    """The one text of a word that has exactly one, known."""
    if len(values) == 1 and isinstance(values[0], Alt):
        return values[0].text
    return None


def unique(values: Iterable[Item]) -> Values:
    return tuple(dict.fromkeys(values))


def _required(node: Node, found: Values | None, operator: str) -> Values:
    """`${REGISTRY:?must be set}` (`operator` `:?` or `?`): the value where it is set (and,
    with `:?`, not empty); elsewhere bash stops the script with the message. Not known
    for an unset variable under any other operator."""
    kept = [
        item
        for item in found or ()
        if not (operator == ":?" and isinstance(item, Alt) and item.text == "")
    ]
    return tuple(kept) if kept else (_unknown(node),)


def _defaulted(found: Values, default: Values) -> Values:
    """`${VAR:-default}` of a variable with several values: each empty one is the default
    (a branch that set it to `""`), each other one itself."""
    kept = [item for item in found if not (isinstance(item, Alt) and item.text == "")]
    return unique((*kept, *default)) if len(kept) < len(found) else found


@dataclass
class State:
    """What the script has set at a point: variables, arrays, files it wrote."""

    scalars: dict[str, Values] = field(default_factory=dict)
    arrays: dict[str, dict[str, Values]] = field(default_factory=dict)
    files: dict[str, Values] = field(default_factory=dict)  # lines written by `cat > F <<EOF`
    positionals: tuple[Values, ...] | None = None  # None: the script's own arguments
    # Arrays declared with `-A`: their keys are texts; any other array's are arithmetic.
    associative: set[str] = field(default_factory=set)
    # Variables some branch left unset (`if [ -n "$CI" ]; then REG=mirror; fi`), each with
    # the values the branches that set it left: while it holds those very values,
    # `${REG:-docker.io}` may also be its default.
    maybe_unset: dict[str, Values] = field(default_factory=dict)
    # `declare -n ref=TARGET`: each reference's target, looked up when it is used.
    namerefs: dict[str, str] = field(default_factory=dict)

    def copy(self) -> State:
        return State(
            dict(self.scalars),
            {name: dict(elements) for name, elements in self.arrays.items()},
            dict(self.files),
            self.positionals,
            set(self.associative),
            dict(self.maybe_unset),
            dict(self.namerefs),
        )

    def resolve(self, name: str) -> str:
        """The variable `name` stands for: the target of a name reference (of a chain of
        them, as bash follows it), else `name`. A ring of references (bash warns and
        stops) is followed no further than MAX_NAMEREFS."""
        for _ in range(MAX_NAMEREFS):
            target = self.namerefs.get(name)
            if target is None:
                return name
            name = target
        return name

    def size(self) -> int:
        return len(self.scalars) + len(self.arrays) + len(self.files)

    def merge(self, others: Sequence[State]) -> None:
        """After branches: every value any branch may have left (the union); a variable
        one of them left unset may be unset (`maybe_unset`)."""
        states = [self, *others]
        unset = {
            name
            for state in states
            for name in state.scalars
            if any(name not in other.scalars or name in other.maybe_unset for other in states)
        }
        for other in others:
            _merge_values(self.scalars, other.scalars)
            _merge_values(self.files, other.files)
            for name, elements in other.arrays.items():
                _merge_values(self.arrays.setdefault(name, {}), elements)
            self.associative |= other.associative
            for name, target in other.namerefs.items():
                self.namerefs.setdefault(name, target)
        self.maybe_unset = {name: self.scalars[name] for name in unset}


MAX_NAMEREFS = 8  # references followed to a variable: bash's own chains are short


def _merge_values(into: dict[str, Values], other: dict[str, Values]) -> None:
    for key, values in other.items():
        if into.get(key) is values:
            continue  # a branch left it as it was: it stays whole (a file's lines in order)
        into[key] = unique((*into.get(key, ()), *values))[:MAX_ALTERNATIVES]


def elements(array: dict[str, Values]) -> Values:
    """All the elements of an array, in order."""
    return tuple(item for values in array.values() for item in values)


# The key an element is stored under when its subscript is not known: `?N EXPRESSION`.
UNKNOWN_KEY = "?"


class Evaluator:
    """Evaluates words against a `State`, within a `Budget`."""

    def __init__(self, state: State, budget: Budget) -> None:
        self.state = state
        self.budget = budget
        self.substitution: Callable[[Node], Values | None] = lambda node: None
        self._depth = 0
        # A literal's value is its text: worked out once per node, as a loop body is
        # read once per item (a node keeps its tree alive, so keys never collide).
        self._literals: dict[Node, Values] = {}

    def word(self, node: Node) -> Values:
        """The texts one word may stand for (one per element for `"${ARRAY[@]}"`)."""
        self.budget.step()
        if self._depth >= MAX_DEPTH:
            return (_limit(node, _TOO_DEEP),)
        self._depth += 1
        try:
            return self._word(node)
        finally:
            self._depth -= 1

    def _word(self, node: Node) -> Values:
        kind = node.type
        if kind in _LITERALS:
            found = self._literals.get(node)
            if found is None:
                found = self._literals[node] = _literal(node)
            return found
        if kind == "simple_expansion":
            return self._variable(node, _variable_name(node))
        if kind == "command_substitution":
            found = self.substitution(node)
            return found if found is not None else (_unknown(node),)
        evaluate = _COMPOUND.get(kind)
        return evaluate(self, node) if evaluate is not None else (_unknown(node),)

    def _string(self, node: Node) -> Values:
        whole = node.text or b""
        if _plain_string(whole):
            # No expansion, substitution nor escape: the text between the quotes, as the
            # pieces below would give it (a pull script quotes its thousands of images so).
            return (Alt(whole[1:-1].decode("utf-8", "replace")),)
        parts: list[Values] = []
        last = node.start_byte
        for child in node.children:
            if child.start_byte > last:  # tree-sitter leaves line breaks out of its pieces
                gap = whole[last - node.start_byte : child.start_byte - node.start_byte]
                parts.append((Alt(gap.decode("utf-8", "replace")),))
            last = child.end_byte
            if child.type == '"':
                # tree-sitter-bash lets a closing quote's token start at the blanks before
                # it when nothing else stands there (`" "`, a quote on the next line): they
                # are the string's own.
                inside = text(child)[:-1] if child.start_byte > node.start_byte else ""
                if inside:
                    parts.append((Alt(inside),))
                continue
            if child.type == "string_content":
                parts.append((Alt(_unescape_quoted(text(child))),))
                continue
            written = text(child)
            blank = written[: len(written) - len(written.lstrip(" \t\n"))]
            if blank:  # tree-sitter-bash puts a blank before `$` into the `$` (`"$A $B"`)
                parts.append((Alt(blank),))
            joined = self._joined(child)
            parts.append(joined if joined is not None else self.word(child))
        return product(parts, node)

    def _joined(self, node: Node) -> Values | None:
        """`"$*"` and `"${LIST[*]}"` in quotes: one text, the elements joined by the first
        character of IFS (a space when it is not set); None for any other expansion."""
        if node.type not in ("simple_expansion", "expansion"):
            return None  # a string's other pieces: no text to read here
        written = text(node).strip()
        if written in ("$*", "${*}"):
            elements_of = self.state.positionals
        else:
            found = _STAR_ARRAY.fullmatch(written)
            name = self.state.resolve(found.group(1)) if found is not None else ""
            array = self.state.arrays.get(name)
            elements_of = tuple(array.values()) if array is not None else None
        if elements_of is None:
            return None
        ifs = self.state.scalars.get("IFS")
        separator = " " if ifs is None else known(ifs)
        texts = [known(values) for values in elements_of]
        if separator is None or any(piece is None for piece in texts):
            return (_unknown(node),)
        return (Alt(separator[:1].join(piece or "" for piece in texts)),)

    def _concatenation(self, node: Node) -> Values:
        # Unquoted literal pieces may hold brace expansions; quoted and expanded
        # pieces are atoms that braces never split.
        pattern: list[str | Values] = []
        for child in node.children:
            if child.type == "word":
                pattern.append(_unescape(text(child)))
            elif child.type == "variable_name":
                # Text, not a variable: tree-sitter-bash reads the start of a default such
                # as `${IMAGE:-my-app:1}` as a name (`my`) before the word `-app:1`.
                pattern.append(text(child))
            elif child.type == "brace_expression":  # `{1..3}`: its text, which braces expand
                pattern.append(text(child))
            else:
                pattern.append(self.word(child))
        return expand_braces(pattern, node)

    def _braces(self, node: Node) -> Values:
        """A word that is a brace expansion alone (`for i in {1..3}`)."""
        return expand_braces([text(node)], node)

    def _variable(self, node: Node, name: str) -> Values:
        found = self.lookup(name)
        return _as_written(found, node) if found is not None else (_unknown(node),)

    def lookup(self, name: str) -> Values | None:
        """The values of `$name`; None when the script does not set it."""
        state = self.state
        name = state.resolve(name)
        if name in state.scalars:
            return state.scalars[name]
        if name in state.arrays:  # `$ARRAY` is its first element
            return next(iter(state.arrays[name].values()), ())
        if name == "#" and state.positionals is not None:  # a function's count of arguments
            return (Alt(str(len(state.positionals))),)
        if state.positionals is None or not (name in ("@", "*") or name.isdigit()):
            return None  # `$1` of the script itself is not known
        if name in ("@", "*"):
            return tuple(item for values in state.positionals for item in values)
        index = int(name) - 1
        return state.positionals[index] if 0 <= index < len(state.positionals) else (Alt(""),)

    def _expansion(self, node: Node) -> Values:
        inner = [c for c in node.children if c.type not in ("${", "}")]
        if not inner:
            return (_unknown(node),)
        special = self._special(node, inner)
        if special is not None:
            return special
        name: str | None = None
        found: Values | None
        if inner[0].type == "subscript":
            found = self._subscript(inner[0], node)
            if found is None and len(inner) == 1:
                return (Alt(""),)  # no such element: bash expands it to nothing
        elif inner[0].type in ("variable_name", "special_variable_name"):
            name = self.state.resolve(text(inner[0]))  # `${ref:=x}` sets ref's target
            found = self.lookup(name)
        else:
            return (_unknown(node),)
        if len(inner) > 1:
            sliced = self._elements_sliced(inner)
            sliced = _sliced_or_cased(node, found, inner) if sliced is None else sliced
            return self._operation(node, found, inner[1:], name) if sliced is None else sliced
        return _as_written(found, node) if found is not None else (_unknown(node),)

    def _elements_sliced(self, inner: list[Node]) -> Values | None:
        """`${L[@]:OFFSET:LENGTH}` of an indexed array whose keys are all known, as bash
        reads it: the elements from index OFFSET on (a negative one counts back from past
        the last index), LENGTH of them, whatever values each may hold; None for any other
        slice (`_sliced` reads it)."""
        if not _whole_array(inner[0]) or inner[1].type != ":":
            return None
        numbers = _slice_numbers(inner)
        name = self.state.resolve(text(inner[0].named_children[0]))
        array = self.state.arrays.get(name)
        if numbers is None or array is None or name in self.state.associative:
            return None
        if not all(key.isdigit() for key in array) or (numbers[1] or 0) < 0:
            return None
        keys = sorted(int(key) for key in array)
        offset, length = numbers
        start = offset if offset >= 0 else (keys[-1] + 1 if keys else 0) + offset
        chosen = [key for key in keys if key >= start] if start >= 0 else []
        chosen = chosen if length is None else chosen[:length]
        return tuple(item for key in chosen for item in array[str(key)])

    def _special(self, node: Node, inner: list[Node]) -> Values | None:
        """`${!LIST[@]}` (its keys), `${#X}` (a length), `${@:2}` (arguments); None else."""
        if inner[0].type == "!" and len(inner) == 2 and inner[1].type == "subscript":
            return self._keys(inner[1], node)
        if inner[0].type == "!" and len(inner) == 2 and inner[1].type == "variable_name":
            return self._indirect(text(inner[1]), node)
        if inner[0].type == "#" and len(inner) == 2:
            return self._length(inner[1], node)
        if _arguments_sliced(inner):
            return self._arguments_slice(node, inner)
        return None

    def _indirect(self, name: str, node: Node) -> Values:
        """`${!NAME}`: the value of the variable whose name NAME holds (`v="${n}_IMAGE"`,
        then `"${!v}"`), each of its names' values; not known where a name is not."""
        if name in self.state.namerefs:  # `${!ref}` of a name reference: its target's name
            return (Alt(self.state.namerefs[name]),)
        names = self.lookup(name) or ()
        found: list[Item] = []
        for item in names:
            target = item.text if isinstance(item, Alt) else ""
            # a variable's name, or an argument's number (`${!i}` in a loop over `$#`)
            named = _NAME.fullmatch(target) or (target.isdigit() and target != "0")
            values = self.lookup(target) if named else None
            if values is None:
                return (_unknown(node),)
            found.extend(values)
        return unique(found) if found else (_unknown(node),)

    def _arguments_slice(self, node: Node, inner: list[Node]) -> Values:
        """`"${@:2}"`, `"${@:2:1}"`, `"${@: -1}"`: arguments, counted from `$0` as bash
        counts them (a slice from 0 holds the script's name, not known here)."""
        positionals = self.state.positionals
        numbers = _slice_numbers(inner)
        if positionals is None or numbers is None or numbers[0] == 0:
            return (_unknown(node),)
        offset, length = numbers
        chosen = _slice(list(positionals), offset - 1 if offset > 0 else offset, length)
        return tuple(item for values in chosen for item in values)

    def _operation(
        self, node: Node, found: Values | None, rest: list[Node], name: str | None = None
    ) -> Values:
        operator = text(rest[0])
        argument = self._argument(rest[1:])
        if (
            operator in (":-", "-", ":=", "=")
            and found == ()
            and (operator.startswith(":") or name in ("@", "*") or _whole_array(node.children[1]))
        ):
            found = None  # `"${LIST[@]:-busybox}"`, `"${@-latest}"`: no element is unset
        if operator in (":-", "-", ":=", "="):
            if found is not None and name is not None and self.state.maybe_unset.get(name) is found:
                both = unique((*found, *argument))  # set by some branches only
                if operator in (":=", "="):
                    self.state.scalars[name] = both
                return both
            if found is not None and operator.startswith(":") and len(found) > 1:
                defaulted = _defaulted(found, argument)  # `MIRROR=""` in one branch only
                if operator == ":=" and name is not None and defaulted is not found:
                    self.state.scalars[name] = defaulted
                found = defaulted
            if found is not None and not (operator.startswith(":") and known(found) == ""):
                return found
            if operator in (":=", "=") and name is not None:
                self.state.scalars[name] = argument  # `${ARCH:=arm64}` also sets ARCH
            return argument
        if operator in (":+", "+"):
            return self._alternate(found, operator, rest[1:], argument, name)
        if operator in (":?", "?") or found is None:
            return _required(node, found, operator)
        return self._edited(node, found, operator, rest, argument)

    def _alternate(
        self,
        found: Values | None,
        operator: str,
        written: list[Node],
        argument: Values,
        name: str | None,
    ) -> Values:
        """`${VAR:+TEXT}` (`${VAR+TEXT}`): TEXT where VAR is set and not empty (set), else
        nothing, for each value VAR may have: `${REG:+$REG/}app` where one branch sets
        REG="" is `app` there, and TEXT is read again with REG's other values only (each
        read of REG is its own, so TEXT read as it is would hold `/`). Where VAR may be
        unset (set by some branches only), nothing is one of its values too; so is an
        array with no element (`"${OPTS[@]+...}"`)."""
        if not found:
            return (Alt(""),)
        maybe_unset = name is not None and self.state.maybe_unset.get(name) is found
        empty = (Alt(""),) if maybe_unset else ()
        if operator == "+":
            return unique((*empty, *argument))
        kept = tuple(item for item in found if not (isinstance(item, Alt) and item.text == ""))
        if not kept:
            return (Alt(""),)
        if len(kept) == len(found):
            return unique((*empty, *argument))
        if name is not None and self.state.scalars.get(name) is found:
            self.state.scalars[name] = kept
            try:
                argument = self._argument(written)
            finally:
                self.state.scalars[name] = found
        return unique((Alt(""), *argument))

    def _edited(
        self, node: Node, found: Values, operator: str, rest: list[Node], argument: Values
    ) -> Values:
        """`${VAR#pattern}` and its kin, and `${VAR//pattern/text}` (`rest`: from the
        operator on)."""
        self.budget.step(len(found))  # each value edited: an array of thousands in a loop
        if operator in _SUBSTITUTIONS:
            return self._substituted(node, found, operator, rest[1:])
        written = _written_pattern(node, rest[0]) if rest else None
        pattern = known(argument) if written is None else written
        if operator in _TRIMS and pattern is not None:
            line, budget = line_of(node), self.budget
            return tuple(_trim(item, operator, pattern, line, budget) for item in found)
        return (_unknown(node),)

    def _substituted(self, node: Node, found: Values, operator: str, rest: list[Node]) -> Values:
        r"""`${LIST//,/ }`: a literal pattern replaced, at its first place or at every one;
        `${IMAGES[@]/#/mirror.io/}`, `${IMG/#docker.io\/library\//}`: at the start (`/#`)
        or the end (`/%`) only, where an empty pattern adds the text (a pattern with a
        glob, a quote or another escape is not read)."""
        pattern, replacement = self._pattern_and_text(node, operator, rest)
        anchored = operator in ("/#", "/%")
        if (not pattern and not anchored) or any(char in pattern for char in "*?[\\'\"$"):
            return (_unknown(node),)
        if replacement is None:
            return (_unknown(node),)
        changed = [_substitute(item, pattern, replacement, operator) for item in found]
        if any(len(item.text) > MAX_TEXT for item in changed if isinstance(item, Alt)):
            return (_limit(node, _TOO_LONG),)
        return tuple(changed)

    def _pattern_and_text(
        self, node: Node, operator: str, rest: list[Node]
    ) -> tuple[str, str | None]:
        """A substitution's pattern as written and its text, when known."""
        escaped = _escaped_slash(node, operator)
        if escaped is not None:
            return escaped  # tree-sitter ends the pattern at its first `\/`
        pattern = text(rest[0]) if rest and rest[0].type == "regex" else ""
        after = next((index for index, child in enumerate(rest) if child.type == "/"), None)
        given = rest[after + 1 :] if after is not None else []
        return pattern, known(self._argument(given)) if given else ""

    def _argument(self, nodes: list[Node]) -> Values:
        parts: list[Values] = []
        for child in nodes:
            if child.type == "word":
                parts.append((Alt(_unescape(text(child))),))
            elif child.type == "regex" and "$" in text(child):
                # A pattern is given as a regex node, variables and all: `${IMG#$REGISTRY/}`.
                parts.append(expand_line(text(child), self, line_of(child)))
            else:
                parts.append(self.word(child))
        return product(parts, nodes[0]) if parts else (Alt(""),)

    def _subscript(self, subscript: Node, node: Node) -> Values | None:
        """The values of `NAME[key]`; None when the array surely has no such element (an
        element whose key was not known may be it: those stand for it then)."""
        parts = [c for c in subscript.children if c.type not in ("[", "]")]
        if not parts:
            return (_unknown(node),)
        name = self.state.resolve(text(parts[0]))
        array = self.state.arrays.get(name)
        if array is None and name in self.state.scalars:
            array = {"0": self.state.scalars[name]}  # a variable is an array of one element
        if array is None:
            message = f"the array {name} is not set in the script; its images are not audited"
            return (Unknown(_short(text(node)), line_of(node), message),)
        index = text(parts[1]) if len(parts) > 1 else "0"
        if index in ("@", "*"):
            return elements(array)
        keys = self.keys_of(name, parts[1:], subscript) if len(parts) > 1 else (Alt("0"),)
        chosen: list[Item] = []
        held = False  # an element of no value is one: a list's comment line (`_mapped`)
        for key in keys:
            if isinstance(key, Alt) and key.text in array:
                chosen.extend(array[key.text])
                held = True
            elif isinstance(key, Unknown):  # any key: any element
                chosen.extend(elements(array))
        if not chosen:
            unknown = [values for key, values in array.items() if key.startswith(UNKNOWN_KEY)]
            found = tuple(item for values in unknown for item in values)
            return found or (() if held else None)
        return unique(chosen)

    def keys_of(self, name: str, index: Sequence[Node], subscript: Node) -> Values:
        """The keys `NAME[index]` may stand for: the texts of an associative array's
        subscript, the value of an indexed array's (an arithmetic expression: `LIST[n]`,
        `LIST[$i+1]`; a negative one counts from the end), or an unknown key."""
        if name in self.state.associative:
            return self.word(index[0]) if len(index) == 1 else (_unknown(subscript),)
        value = self.arithmetic(index, subscript)
        if value is not None and value < 0:
            numbers = [int(key) for key in self.state.arrays.get(name, {}) if key.isdigit()]
            value = max(numbers, default=-1) + 1 + value
        if value is None or value < 0:
            return (_unknown(subscript),)
        return (Alt(str(value)),)

    def arithmetic(self, nodes: Sequence[Node], whole: Node) -> int | None:
        """The value of the arithmetic expression `nodes` (the inside of `$(( ))`, of
        `(( ))` or of a subscript, in `whole`) after its expansions, as bash evaluates
        it; what it assigns (`n++`) is assigned. None when it has no known value."""
        written = _between(whole, nodes[0].start_byte, nodes[-1].end_byte) if nodes else ""
        return self.arithmetic_text(self.expanded(nodes, whole), written, line_of(whole))

    def arithmetic_text(self, expression: str | None, written: str, line: int) -> int | None:
        """The value of an expanded arithmetic `expression`, assigning what it assigns; when
        an expansion in it is not known (None), each variable the expression as `written`
        may assign becomes unknown."""
        variables = _Integers(self.state, line)
        if expression is None:
            for name in assigned_names(written):
                variables.set(name, None)
            return None
        self.budget.step(1 + len(expression) // 16)
        return evaluate(expression, variables)

    def expanded(self, nodes: Sequence[Node], whole: Node) -> str | None:
        """The text of `nodes` with each expansion in them replaced by its one known
        text; None when one has none."""
        if not nodes:
            return ""
        start = nodes[0].start_byte
        pieces: list[str] = []
        for expansion in _expansions(nodes):
            value = known(self.word(expansion))
            if value is None:
                return None
            pieces += [_between(whole, start, expansion.start_byte), value]
            start = expansion.end_byte
        pieces.append(_between(whole, start, nodes[-1].end_byte))
        return "".join(pieces)

    def _arithmetic(self, node: Node) -> Values:
        """`$(( expression ))`: its value."""
        inner = [c for c in node.children if c.type not in ("$((", "))", "$[", "]")]
        value = self.arithmetic(inner, node)
        return (_unknown(node),) if value is None else (Alt(str(value)),)

    def _length(self, target: Node, node: Node) -> Values:
        """`${#ARRAY[@]}`, the number of elements; `${#NAME}`, the length of its text."""
        if target.type == "subscript" and _whole_array(target):
            array = self.state.arrays.get(self.state.resolve(text(target.named_children[0])))
            # An element of no value (a list's comment line read by `mapfile`) counts too.
            if array is None or any(values and not _one_text(values) for values in array.values()):
                return (_unknown(node),)
            return (Alt(str(len(array))),)
        found = self.lookup(text(target)) if target.type == "variable_name" else None
        value = known(found) if found is not None else None
        return (_unknown(node),) if value is None else (Alt(str(len(value))),)

    def _keys(self, subscript: Node, node: Node) -> Values:
        parts = [c for c in subscript.children if c.type not in ("[", "]")]
        array = self.state.arrays.get(self.state.resolve(text(parts[0]))) if parts else None
        if array is None:
            return (_unknown(node),)
        # The keys come from the array: a loop over them uses it (its values are no images).
        # A key that was not known (see UNKNOWN_KEY) is the expression that wrote it.
        origins = frozenset({text(parts[0])})
        return tuple(
            Unknown(key.split(" ", 1)[-1], line_of(node))
            if key.startswith(UNKNOWN_KEY)
            else Alt(key, origins=origins)
            for key in array
        )


_COMPOUND: dict[str, Callable[[Evaluator, Node], Values]] = {
    "concatenation": Evaluator._concatenation,
    "string": Evaluator._string,
    "expansion": Evaluator._expansion,
    "arithmetic_expansion": Evaluator._arithmetic,
    "brace_expression": Evaluator._braces,
}
# What bash expands in an arithmetic expression before it evaluates it.
_EXPANSIONS = frozenset(
    {"simple_expansion", "expansion", "command_substitution", "arithmetic_expansion", "string"}
)


_NAME = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*")


def _expansions(nodes: Sequence[Node]) -> list[Node]:
    """The outermost expansions in `nodes`, in order."""
    found: list[Node] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if node.type in _EXPANSIONS:
            found.append(node)
        else:
            stack.extend(reversed(node.children))
    return found


def _between(whole: Node, start: int, end: int) -> str:
    """The source text of `whole` from byte `start` to byte `end` of the script."""
    offset = whole.start_byte
    return (whole.text or b"")[start - offset : end - offset].decode("utf-8", "replace")


class _Integers:
    """A state's variables as the integers arithmetic reads and assigns."""

    def __init__(self, state: State, line: int) -> None:
        self.state = state
        self.line = line

    def get(self, name: str) -> int | None:
        values = self.state.scalars.get(self.state.resolve(name))
        written = known(values) if values is not None else None
        return None if written is None else integer(written)

    def set(self, name: str, value: int | None) -> None:
        found: Item = Alt(str(value)) if value is not None else Unknown(f"${name}", self.line)
        self.state.scalars[self.state.resolve(name)] = (found,)


def product(parts: Sequence[Values], node: Node) -> Values:
    """The texts of the parts written one after another, every combination."""
    if not parts:
        return (Alt(""),)
    if len(parts) == 1:
        return parts[0]
    count = 1
    for values in parts:
        count *= max(len(values), 1)
        if count > MAX_ALTERNATIVES:
            return (_limit(node, _TOO_MANY),)
    return unique(_join(combination, node) for combination in itertools.product(*parts))


def _join(items: Sequence[Item], node: Node) -> Item:
    found = joined(items)
    return found if found is not None else _limit(node, _TOO_LONG)


def joined(items: Sequence[Item], longest: int = MAX_TEXT) -> Item | None:
    """Texts written one after another: the text when each is known, else what is known
    of it (see `Unknown`); None past `longest` characters."""
    first = next((index for index, item in enumerate(items) if isinstance(item, Unknown)), None)
    if first is None:
        return _known_join(items, longest)
    return _partly_known(items, first, longest)


def _known_join(items: Sequence[Item], longest: int = MAX_TEXT) -> Alt | None:
    """Known texts written one after another (None past `longest` characters), standing
    where the part that names the place stands."""
    alts = [item for item in items if isinstance(item, Alt)]
    joined = "".join(alt.text for alt in alts)
    if len(joined) > longest:
        return None
    # The rightmost part with a place of its own names the place: in
    # `mirror/$name:latest` that is the loop word or array element.
    where = next((alt for alt in reversed(alts) if alt.line is not None and not alt.weak), None)
    filled = [alt for alt in alts if alt.text]
    if where is None and len(filled) == 1 and filled[0].line is not None:
        where = filled[0]  # the whole value of one variable: it stands where it is assigned
    origins = frozenset().union(*(alt.origins for alt in alts))
    if where is None:
        return Alt(joined, origins=origins)
    return Alt(joined, where.line, where.column, where.scope, origins, where.weak, where.path)


def between(before: str, item: Unknown, after: str) -> Item:
    """`item` written between two known texts (`mirror/{}` of `xargs -I{}`)."""
    found = _partly_known((Alt(before), item, Alt(after)), 1)
    return found if found is not None else opaque(item)


# The most pieces not known a value keeps the places of (see `Unknown.gaps`); a value of
# more is known in no part: no reference holds so many.
MAX_GAPS = 32


def _partly_known(items: Sequence[Item], first: int, longest: int = MAX_TEXT) -> Unknown | None:
    """Texts written one after another, `items[first]` the first not known: that one,
    with what is known around it (see `Unknown`); None past `longest` characters."""
    unknown = items[first]
    assert isinstance(unknown, Unknown)
    before = [item for item in items[:first] if isinstance(item, Alt)]
    if unknown.head is not None:
        before.append(unknown.head)
    written = any(alt.text for alt in before)
    head = _known_join(before, longest) if written else None
    rest, after = [unknown.rest or unknown.why], [unknown.after]
    gaps, length = list(unknown.gaps), len(unknown.after)
    for item in items[first + 1 :]:
        if isinstance(item, Alt):
            rest.append(item.text)
            after.append(item.text)
            length += len(item.text)
            continue
        rest.append(item.written)
        known = item.head.text if item.head is not None else ""
        at = length + len(known)  # where its piece not known stands, and its own after it
        gaps += [at, *(at + gap for gap in item.gaps)]
        if len(gaps) > MAX_GAPS:  # `A=$A$A` doubles them at each line: nothing known of it
            return Unknown(unknown.why, unknown.line, unknown.message)
        after.append(known + item.after)
        length += len(known) + len(item.after)
    known_after = "".join(after)
    if (written and head is None) or len(known_after) > longest:
        return None
    if head is None and "/" in known_after:
        parts = [it for it in items[first + 1 :] if isinstance(it, Alt)]
        head = _place_after([unknown.head, *parts] if unknown.head is not None else parts)
    shown = _short("".join(rest))
    return Unknown(
        unknown.why,
        unknown.line,
        unknown.message,
        head,
        "" if shown == unknown.why else shown,
        known_after,
        tuple(gaps),
    )


def _place_after(alts: Sequence[Alt]) -> Alt:
    """The empty head of a value that starts not known and goes on with a name (see
    `Unknown`): it stands where the known text around it names the place, as a known
    head would (see `_known_join`: a place a plain assignment gave is not one), and
    holds what that text comes from."""
    where = next((alt for alt in reversed(alts) if alt.line is not None and not alt.weak), None)
    origins = frozenset().union(*(alt.origins for alt in alts))
    if where is None:
        return Alt("", origins=origins)
    return Alt("", where.line, where.column, where.scope, origins, where.weak, where.path)


def expand_braces(pattern: Sequence[str | Values], node: Node) -> Values:
    """Brace expansion (`{web,worker}:1`, `app-{1..3}`) over literal pieces, then the product."""
    words: list[list[str | Values]] = [[]]
    literal = ""
    for piece in pattern:
        if isinstance(piece, str):
            literal += piece
            continue
        words = _append_literal(words, literal)
        if len(words) > MAX_ALTERNATIVES:
            return (_limit(node, _TOO_MANY),)
        literal = ""
        for word in words:
            word.append(piece)
    words = _append_literal(words, literal)
    if len(words) > MAX_ALTERNATIVES:
        return (_limit(node, _TOO_MANY),)
    found: list[Item] = []
    for word in words:
        parts = [(Alt(piece),) if isinstance(piece, str) else piece for piece in word]
        found.extend(product(parts, node))
    return unique(found)


def _append_literal(words: list[list[str | Values]], literal: str) -> list[list[str | Values]]:
    if not literal:
        return words
    texts = brace_expand(literal)
    if len(texts) == 1:  # no braces (most words): each word grows where it stands, as
        for word in words:  # a copy of each per piece made a word of 59,000 pieces 10 s
            word.append(texts[0])
        return words
    if len(words) * len(texts) > MAX_ALTERNATIVES:
        return [[]] * (MAX_ALTERNATIVES + 1)  # too many: the caller says so
    return [[*word, expanded] for word in words for expanded in texts]


_BRACE_RE = LazyPattern(r"\{([^{}]*)\}")
_SEQUENCE_RE = LazyPattern(r"(-?\d{1,6})\.\.(-?\d{1,6})")


def brace_expand(literal: str) -> list[str]:
    """The words of one unquoted literal with `{a,b}` and `{1..3}` expanded.

    Innermost groups first; each group is found in one left-to-right scan, and
    the number of words is bounded, so no input makes this slow.
    """
    words = [literal]
    for _ in range(MAX_DEPTH):
        expanded: list[str] = []
        changed = False
        for word in words:
            found = _first_group(word)
            if found is None:
                expanded.append(word)
                continue
            changed = True
            match, choices = found
            head, tail = word[: match.start()], word[match.end() :]
            expanded.extend(head + choice + tail for choice in choices)
        words = expanded
        if not changed or len(words) > MAX_ALTERNATIVES:
            break
    return words


def _first_group(word: str) -> tuple[re.Match[str], list[str]] | None:
    for match in _BRACE_RE.finditer(word):
        body = match.group(1)
        sequence = _SEQUENCE_RE.fullmatch(body)
        if sequence is not None:
            start, end = int(sequence.group(1)), int(sequence.group(2))
            step = 1 if end >= start else -1
            if abs(end - start) < MAX_ALTERNATIVES:
                return match, [str(n) for n in range(start, end + step, step)]
        elif "," in body:
            return match, body.split(",")
    return None


def _written_pattern(expansion: Node, operator: Node) -> str | None:
    """The pattern after `operator` as written, up to the closing brace, when it is plain
    text: tree-sitter leaves out a blank it starts with (`${IMG%% *}` reads as `*`)."""
    closing = expansion.children[-1] if expansion.children else None
    if closing is None or closing.type != "}":
        return None
    start = expansion.start_byte
    raw = (expansion.text or b"")[operator.end_byte - start : closing.start_byte - start]
    written = raw.decode("utf-8", "replace")
    return None if any(char in written for char in "$`\\'\"") else written


def part_of(item: Alt, piece: str) -> Alt:
    """`item` holding `piece`, a text made of its own: a part of a variable's value stands
    where it is used, not at the assignment (see `Alt.weak`)."""
    if item.weak:
        return replace(item, text=piece, line=None, column=0, scope=None, weak=False)
    return replace(item, text=piece)


# The body of `${X/pattern/text}` where the pattern has an escaped slash: literal text
# and `\/` only (two kinds of token that start differently: no backtracking).
_ESCAPED_SLASH = LazyPattern(r"((?:[^/\\]|\\/)*)(?:/((?:[^/\\$`'\"]|\\/)*))?")


def _escaped_slash(node: Node, operator: str) -> tuple[str, str] | None:
    r"""The pattern and text of `${X/#a\/b/c\/d}`, read from its source text when the
    pattern holds an escaped slash; None when it holds none, or anything else to expand."""
    written = text(node)
    body = written[written.find(operator) + len(operator) : -1] if written.endswith("}") else ""
    slash = body.find("/")
    if slash <= 0 or body[slash - 1] != "\\":
        return None
    found = _ESCAPED_SLASH.fullmatch(body)
    if found is None:
        return None
    pattern, replacement = (part.replace("\\/", "/") for part in found.groups(""))
    return pattern, replacement


_Part = TypeVar("_Part")  # a character of a value, or an element of an array

# `${V^^}`, `${V,,}`, `${V^}`, `${V,}` with no pattern: all letters, or the first, changed.
_CASES = frozenset({"^^", ",,", "^", ","})


def _cased(item: Item, operator: str) -> Item:
    if isinstance(item, Unknown):
        return opaque(item)
    value = item.text
    if operator == "^^":
        changed = value.upper()
    elif operator == ",,":
        changed = value.lower()
    else:
        first = value[:1].upper() if operator == "^" else value[:1].lower()
        changed = first + value[1:]
    return part_of(item, changed)


def _one_text(values: Values) -> bool:
    return len(values) == 1 and isinstance(values[0], Alt)


# `${NAME[*]}`, as `_joined` reads it.
_STAR_ARRAY = LazyPattern(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\[\*\]\}")


def _whole_array(name: Node) -> bool:
    """Whether an expansion's name is a whole array, `L[@]` or `L[*]`."""
    return name.type == "subscript" and any(text(c) in ("@", "*") for c in name.named_children)


def _sliced_or_cased(node: Node, found: Values | None, inner: list[Node]) -> Values | None:
    """`${V:1:2}`, `${L[@]:1}` and `${V,,}` over known values; None for other operations."""
    if found is None:
        return None
    if inner[1].type == ":":
        return _sliced(node, found, inner, _whole_array(inner[0]))
    if len(inner) == 2 and text(inner[1]) in _CASES:
        return tuple(_cased(item, text(inner[1])) for item in found)
    return None


def _arguments_sliced(inner: list[Node]) -> bool:
    """Whether an expansion is `${@:...}` (or `${*:...}`)."""
    return (
        len(inner) > 1
        and inner[0].type == "special_variable_name"
        and text(inner[0]) in ("@", "*")
        and inner[1].type == ":"
    )


def _slice_numbers(inner: list[Node]) -> tuple[int, int | None] | None:
    """The offset and length of `${X:OFFSET:LENGTH}`, literal numbers only; None else."""
    slots = [""]  # the text after each `:`
    for child in inner[2:] if inner[1].type == ":" else ():
        if child.type == ":":
            slots.append("")
        else:
            slots[-1] += text(child)
    numbers = [slot.strip() or "0" for slot in slots]
    if len(numbers) > 2 or not all(_integer(number) for number in numbers):
        return None
    return int(numbers[0]), int(numbers[1]) if len(numbers) == 2 else None


def _sliced(node: Node, found: Values, inner: list[Node], whole_array: bool) -> Values:
    """`${V:2:3}` (characters) and `${L[@]:1:2}` (elements), with literal numbers only."""
    numbers = _slice_numbers(inner)
    if numbers is None:
        return (_unknown(node),)
    offset, length = numbers
    if whole_array:
        return tuple(_slice(list(found), offset, length))
    return tuple(
        part_of(item, "".join(_slice(list(item.text), offset, length)))
        if isinstance(item, Alt)
        else opaque(item)
        for item in found
    )


def _integer(written: str) -> bool:
    return written.lstrip("-").isdigit() and len(written) <= 9


def _slice(items: list[_Part], offset: int, length: int | None) -> list[_Part]:
    """bash's `:offset:length`: a negative offset counts from the end, a negative length
    ends that far before the end."""
    start = offset if offset >= 0 else len(items) + offset
    if start < 0 or start > len(items):
        return []
    if length is None:
        return items[start:]
    end = start + length if length >= 0 else len(items) + length
    return items[start:end] if end >= start else []


def _substitute(item: Item, pattern: str, replacement: str, operator: str) -> Item:
    if isinstance(item, Unknown):
        return opaque(item)
    value = item.text
    if operator == "/#":
        changed = replacement + value[len(pattern) :] if value.startswith(pattern) else value
    elif operator == "/%":
        at = len(value) - len(pattern)
        changed = value[:at] + replacement if value.endswith(pattern) else value
    else:
        changed = value.replace(pattern, replacement, -1 if operator == "//" else 1)
    return part_of(item, changed)


def _trim(
    item: Item, operator: str, pattern: str, line: int = 0, budget: Budget | None = None
) -> Item:
    """`${VAR#pattern}` and its kin on one text (`*`, `?` and `[...]` patterns), written
    at `line` (where a warning stands), its work charged to `budget`."""
    if isinstance(item, Unknown):
        return opaque(item)
    if item.weak:
        item = part_of(item, item.text)
    value = item.text
    if len(pattern) > _MAX_PATTERN:
        return Unknown(
            pattern[:80],
            item.line or line,
            f"a pattern of more than {_MAX_PATTERN} "
            "characters is not applied; its image is not audited",
        )
    if _EXTGLOB.search(pattern):
        return Unknown(pattern[:80], line, _EXTGLOB_WARNING)
    longest = operator in ("##", "%%")
    tokens = pattern_tokens(pattern)
    if operator.startswith("#"):
        ends = prefix_matches(tokens, value, budget)
        return replace(item, text=value[max(ends) if longest else min(ends) :]) if ends else item
    ends = prefix_matches(tokens[::-1], value[::-1], budget)
    if not ends:
        return item
    cut = max(ends) if longest else min(ends)
    return replace(item, text=value[: len(value) - cut])


_MAX_PATTERN = 256
# An extended glob's group (`+([0-9.])`, `@(a|b)`: `shopt -s extglob`), which the patterns
# here do not read: a trim by one is not known, where reading it as plain characters
# would make a text bash never makes. (A fixed, non-backtracking search over the pattern.)
_EXTGLOB = LazyPattern(r"[?*+@!]\([^)]*\)")  # not `${LINE#*(}`: a `*`, then a `(`
_EXTGLOB_WARNING = (
    "an extended glob pattern (shopt -s extglob) is not applied; its image is not audited "
    "(trim with a plain pattern: `*`, `?`, `[...]`)"
)
# A shell pattern's pieces: `*`, `?`, a bracket expression as a test of one character, or
# one character as it is.
PatternToken = str | Callable[[str], bool]
# The automaton's pieces that are no test of one character: any run, any one character.
ANY_RUN = "*"
ANY_CHAR = "?"
_BRACKET_CLASSES: dict[str, Callable[[str], bool]] = {
    "alpha": str.isalpha,
    "digit": str.isdigit,
    "alnum": str.isalnum,
    "upper": str.isupper,
    "lower": str.islower,
    "space": str.isspace,
    "blank": lambda char: char in " \t",
    "punct": lambda char: (
        char.isascii() and not char.isalnum() and char.isprintable() and char != " "
    ),
    "xdigit": lambda char: char in "0123456789abcdefABCDEF",
}


def pattern_tokens(pattern: str) -> list[PatternToken]:
    """`pattern` in pieces: `*`, `?`, `[...]` (`[!...]`, `[^...]`, ranges, `[:class:]`) and
    `\\c`, as bash reads them; a `[` that opens no bracket expression is itself."""
    tokens: list[PatternToken] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            tokens.append(_same(pattern[index + 1]))
            index += 2
            continue
        if char == "[":
            end = bracket_end(pattern, index)
            if end > 0:
                tokens.append(bracket_test(pattern[index + 1 : end]))
                index = end + 1
                continue
        tokens.append(char if char in (ANY_RUN, ANY_CHAR) else _same(char))
        index += 1
    return tokens


def _same(char: str) -> Callable[[str], bool]:
    return char.__eq__


def _in_range(low: str, high: str) -> Callable[[str], bool]:
    return lambda char: low <= char <= high


def bracket_end(pattern: str, start: int, negators: str = "!^") -> int:
    """The index of the `]` that closes the bracket expression at `start`, or -1 (see
    `bracket_test` for `negators`)."""
    index = start + 1
    if pattern[index : index + 1] != "" and pattern[index] in negators:
        index += 1
    if pattern[index : index + 1] == "]":
        index += 1  # a `]` first is one of the characters
    while index < len(pattern):
        if pattern.startswith("[:", index):
            close = pattern.find(":]", index + 2)
            if close > 0:
                index = close + 2
                continue
        if pattern[index] == "]":
            return index
        index += 1
    return -1


def bracket_test(body: str, negators: str = "!^") -> Callable[[str], bool]:
    """The test of one character a bracket expression's `body` is (`[...]` without its
    brackets): a shell pattern negates it with `!` or `^`, a regular expression with `^`."""
    negated = body[:1] != "" and body[:1] in negators
    body = body[1:] if negated else body
    tests: list[Callable[[str], bool]] = []
    index = 0
    while index < len(body):
        if body.startswith("[:", index) and (close := body.find(":]", index + 2)) > 0:
            name = body[index + 2 : close]
            tests.append(_BRACKET_CLASSES.get(name, lambda char: False))
            index = close + 2
        elif index + 2 < len(body) and body[index + 1] == "-":
            tests.append(_in_range(body[index], body[index + 2]))
            index += 3
        else:
            tests.append(body[index].__eq__)
            index += 1
    return lambda char: any(test(char) for test in tests) != negated


def prefix_matches(
    tokens: Sequence[PatternToken], value: str, budget: Budget | None = None
) -> list[int]:
    """The lengths of the prefixes of `value` that the shell pattern (`pattern_tokens`)
    matches.

    One pass over `value` with the set of pattern positions reached so far (a
    pattern automaton), so the time is len(value) x len(pattern) at most and no
    input makes it backtrack; that work is charged to `budget` as it goes (a trim of a
    4,096-character value by `*a*a*...*b` steps on a million positions: a thousand such
    trims in a loop took minutes, each charged one step).
    """
    states = _after_stars({0}, tokens)
    ends = [0] if len(tokens) in states else []
    work = 0  # positions stepped on, not charged yet
    for index, char in enumerate(value):
        work += len(states)
        if budget is not None and work >= _CHARGED_AT_ONCE:
            budget.step(work // _POSITIONS_PER_STEP)
            work %= _POSITIONS_PER_STEP
        reached = set()
        for position in states:
            if position < len(tokens):
                wanted = tokens[position]
                if wanted == ANY_RUN:
                    reached.add(position)
                elif wanted == ANY_CHAR or (callable(wanted) and wanted(char)):
                    reached.add(position + 1)
        states = _after_stars(reached, tokens)
        if not states:
            break
        if len(tokens) in states:
            ends.append(index + 1)
    if budget is not None:
        budget.step(work // _POSITIONS_PER_STEP)
    return ends


# Positions stepped on before they are charged (the rest at the end): a step of the
# budget is a call, and most trims step on a few dozen.
_CHARGED_AT_ONCE = 256
# Positions stepped on for one step of the budget: a position takes about 0.12 µs, a step
# of the budget (a statement, a word) a few: `${IMG##*/}` costs a few steps, and the worst
# trim of a value the reader keeps (4,096 characters by 256 stars) about 60,000.
_POSITIONS_PER_STEP = 16


def _after_stars(states: set[int], tokens: Sequence[PatternToken]) -> set[int]:
    """A `*` may match nothing: every position reached also reaches the one after its stars."""
    found = set(states)
    for start in states:
        position = start
        while position < len(tokens) and tokens[position] == ANY_RUN:
            position += 1
            found.add(position)
    return found


_TRIMS = frozenset({"#", "##", "%", "%%"})
_SUBSTITUTIONS = frozenset({"/", "//", "/#", "/%"})
_TOO_MANY = f"stands for more than {MAX_ALTERNATIVES} values; its images are not audited"
_TOO_LONG = f"grows past {MAX_TEXT} characters; its image is not audited"
_TOO_DEEP = f"is nested more than {MAX_DEPTH} levels deep; its image is not audited"


def _short(expression: str) -> str:
    return expression if len(expression) <= 80 else expression[:77] + "..."


def _as_written(values: Values, node: Node) -> Values:
    """A variable's values where `node` uses it: one with no part known shows as that use
    is written (`$TAG` of `app:$TAG`), its `why` still the expression that set it (`read
    TAG`), for the warning."""
    if not any(isinstance(item, Unknown) and item.head is None for item in values):
        return values
    written = _short(text(node))
    return tuple(
        replace(item, rest=written)
        if isinstance(item, Unknown) and item.head is None and not item.rest and not item.after
        else item
        for item in values
    )


def _limit(node: Node, why: str) -> Unknown:
    expression = _short(text(node))
    return Unknown(expression, line_of(node), f"{expression} {why}")


def _unknown(node: Node) -> Unknown:
    return Unknown(_short(text(node)), line_of(node))


def _variable_name(node: Node) -> str:
    names = [c for c in node.children if c.type in ("variable_name", "special_variable_name")]
    return text(names[0]) if names else text(node).lstrip("$")


_ESCAPE_RE = LazyPattern(r"\\(.)", re.DOTALL)
_QUOTED_ESCAPE_RE = LazyPattern(r'\\([$`"\\\n])')


def _unescape(word: str) -> str:
    return _ESCAPE_RE.sub(lambda m: "" if m.group(1) == "\n" else m.group(1), word)


def _plain_string(quoted: bytes) -> bool:
    """Whether a double-quoted string (its quotes included) holds plain characters only:
    every `$` and backtick starts an expansion, every backslash an escape."""
    return (
        len(quoted) >= 2
        and quoted.startswith(b'"')
        and quoted.endswith(b'"')  # a string left open at the end of the script lacks it
        and b"$" not in quoted
        and b"`" not in quoted
        and b"\\" not in quoted
    )


# What an array's element read whole needs (see `pullscript._element_words`).
plain_string = _plain_string


def _unescape_quoted(content: str) -> str:
    return _QUOTED_ESCAPE_RE.sub(lambda m: "" if m.group(1) == "\n" else m.group(1), content)


# Words whose value is their text: unquoted words lose their backslashes, '...' its quotes.
_LITERALS: dict[str, Callable[[str], str]] = {
    "word": _unescape,
    "number": str,
    "raw_string": lambda quoted: quoted[1:-1],
    "ansi_c_string": lambda quoted: _ansi_c(quoted[2:-1]),
    "extglob_pattern": str,
    "regex": str,  # the pattern of `${VAR#pattern}`
}


def _ansi_c(content: str) -> str:
    """The text of `$'...'` (`$'redis:7\\npostgres:16'`): its backslash escapes of one
    character; another (`\\x41`, `\\u00e9`) keeps its text. A NUL (`\\0`, `\\x00`,
    `\\u0000`, `\\c@`) ends the text, as bash ends it there (`$'\\0'` is empty)."""
    return _ANSI_C_RE.sub(_ansi_c_escape, content).split("\0", 1)[0]


def _ansi_c_escape(found: re.Match[str]) -> str:
    """One escape of `$'...'`: its character, a NUL, or its text (see `_ansi_c`)."""
    control, single = found.group("control", "single")
    if control is not None:
        return "\0" if not ord(control) & 0x1F else found.group(0)
    if single is not None:
        return _ANSI_C.get(single, found.group(0))
    octal = found.group("octal")
    number = int(octal, 8) if octal is not None else int(found.group(0)[2:], 16)
    return found.group(0) if number else "\0"


_ANSI_C = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "?": "?",
           "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "v": "\v"}  # fmt: skip
# An escape: octal digits (up to three), hexadecimal ones after `x`, `u` or `U` (up to two,
# four, eight), a control character after `c`, or any one character (bounded runs, one
# way to match each: no going back).
_ANSI_C_RE = LazyPattern(
    r"\\(?:(?P<octal>[0-7]{1,3})|x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}"
    r"|c(?P<control>.)|(?P<single>.))",
    re.DOTALL,
)


def literal_text(node: Node) -> str | None:
    """The text of a word whose value is its text (a plain word, `'quoted'`, a number);
    None for any other word."""
    kind = node.type
    if kind not in _LITERALS or node.end_byte - node.start_byte > MAX_TEXT:
        return None
    return _LITERALS[kind](text(node))


def _literal(node: Node) -> Values:
    found = literal_text(node)
    return (Alt(found),) if found is not None else (_limit(node, _TOO_LONG),)


# Expansions one heredoc line is read with: an image's line holds a few.
MAX_LINE_EXPANSIONS = 64
_TEXT_VARIABLE_RE = LazyPattern(r"\$\{(\w+)(?:(:?[-=])([^}]*))?\}|\$(\w+)")


def expand_line(line: str, evaluator: Evaluator, number: int) -> Values:
    """The texts of an unquoted heredoc line, its variables expanded; a command's output
    in it (`$(cat VERSION)`, a backquoted one) is not known (see `Unknown.script`)."""
    if len(line) > MAX_TEXT or line.count("$") + line.count("`") > MAX_LINE_EXPANSIONS:
        # Each expansion costs a value and a piece of the line: a line of a million `$i`
        # (or thousands of lines of a thousand `$(x)`) took seconds and hundreds of MB.
        return (Unknown("a heredoc line", number, f"the heredoc line {_TOO_LONG}"),)
    parts: list[Values] = []
    position = 0
    for start, end in _substitutions(line):
        parts.extend(_expand_variables(line[position:start], evaluator, number))
        written = line[start:end]
        # A shell reading the line as a command gets it from this one, which runs the
        # command with its own variables (`$(echo $IMG)`: this script's IMG).
        inner = [known(part) for part in _expand_variables(written, evaluator, number)]
        script = written if None in inner else "".join(piece or "" for piece in inner)
        parts.append((Unknown(_short(written), number, script=script),))
        position = end
    parts.extend(_expand_variables(line[position:], evaluator, number))
    return _product_texts(parts, number)


def _substitutions(line: str) -> list[tuple[int, int]]:
    """Where the `$(...)` and backquoted commands of a heredoc line stand (the `)` that
    closes each, quotes inside it skipped; the line outside them is text). A line longer
    than any text the reader keeps has none: it is too long to read anyway."""
    found: list[tuple[int, int]] = []
    if len(line) > MAX_TEXT:
        return found
    index, dollar, tick = 0, line.find("$("), line.find("`")
    while dollar >= 0 or tick >= 0:
        start = min(at for at in (dollar, tick) if at >= 0)
        if start and line[start - 1] == "\\":  # `\$(` and `\``: the characters
            end = start + 1
        elif start == tick:
            end = line.find("`", start + 1) + 1
        else:
            end = _closing_paren(line, start + 2)
        if end <= 0:
            return found  # not closed on the line: text, as before
        if end > start + 1:
            found.append((start, end))
        index = end
        # Each marker is looked for again only once passed: a line of a thousand
        # backquotes and no `$(` is read once, not a thousand times.
        dollar = line.find("$(", index) if dollar < index else dollar
        tick = line.find("`", index) if tick < index else tick
    return found


def _closing_paren(line: str, index: int) -> int:
    """The end of the `$(` before `index`: past its matching `)`, what single or double
    quotes hold inside it skipped; 0 when none."""
    depth, quote = 1, ""
    for at in range(index, len(line)):
        char = line[at]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if not depth:
                return at + 1
    return 0


def _expand_variables(line: str, evaluator: Evaluator, number: int) -> list[Values]:
    """The pieces of a heredoc line's text (no command in it), its variables expanded."""
    parts: list[Values] = []
    position = 0
    for match in _TEXT_VARIABLE_RE.finditer(line):
        parts.append((Alt(line[position : match.start()]),))
        position = match.end()
        name = match.group(1) or match.group(4)
        found = evaluator.lookup(name)
        if found is not None and (match.group(2) is None or known(found) != ""):
            parts.append(found)
        elif match.group(2) is not None:
            parts.append((Alt(match.group(3)),))
        else:
            parts.append((Unknown(_short(match.group(0)), number),))
    parts.append((Alt(line[position:]),))
    return parts


def _product_texts(parts: list[Values], number: int) -> Values:
    count = 1
    for values in parts:
        count *= max(len(values), 1)
    if count > MAX_ALTERNATIVES:
        return (Unknown("a heredoc line", number, f"the heredoc line {_TOO_MANY}"),)
    found: list[Item] = []
    for combination in itertools.product(*parts):
        first = next((i for i, item in enumerate(combination) if isinstance(item, Unknown)), None)
        if first is not None:
            found.append(_line_unknown(combination, first, number))
            continue
        alts = [item for item in combination if isinstance(item, Alt)]
        joined = "".join(alt.text for alt in alts)
        origins = frozenset().union(*(alt.origins for alt in alts))
        found.append(
            Alt(joined, origins=origins)
            if len(joined) <= MAX_TEXT
            else Unknown("a heredoc line", number, f"the heredoc line {_TOO_LONG}")
        )
    return unique(found)


def _line_unknown(combination: Sequence[Item], first: int, number: int) -> Unknown:
    """A heredoc line (or a word read as one) with a piece not known: what is known of it
    stands where the line is used, as its known texts do; where only commands' outputs
    are not known, the line as a shell reading it as a command sees it."""
    found = _partly_known(combination, first)
    if found is None:
        return Unknown("a heredoc line", number, f"the heredoc line {_TOO_LONG}")
    pieces = [item.text if isinstance(item, Alt) else item.script for item in combination]
    if all(piece is not None for piece in pieces):
        found = replace(found, script="".join(piece or "" for piece in pieces))
    if found.head is None:
        return found
    return replace(found, head=Alt(found.head.text, origins=found.head.origins))
