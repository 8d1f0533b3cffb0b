"""Bash arithmetic on the integers a script sets. Pure.

Counters are how scripts fill and walk indexed arrays: `LIST[$n]=$image; ((n++))`,
`i=$((i + 1))`, `let i+=1`, `${IMAGES[i]}`. Bash evaluates such an expression after
its expansions, as text: so does `evaluate`, with bash's operators, precedence and
64-bit signed integers. Where any part cannot be known (a variable the script does
not set to one integer, a division by zero, an array element, an expression too long
or nested too deep), the expression has no value (None), and each variable it would
assign becomes unknown: a later read never takes a stale value for the right one.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol

from ..lazy_pattern import LazyPattern

MAX_EXPRESSION = 1000  # characters: a counter's expression is a few
MAX_NESTING = 64  # parentheses and unary operators, one inside another

_TOKEN = LazyPattern(
    r"[ \t\n]*(?:(?P<number>[0-9][0-9A-Za-z@_#]*)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*=?|<<=?|>>=?|\+\+|--|&&|\|\||[-+*/%&|^<>=!]=|[-+*/%<>=!~&|^?:,()\[\]]))"
)
_BITS = 64
_WORD = (1 << _BITS) - 1
# Binary operators by how tightly they bind (bash's table, from `,` and assignment up).
_BINARY = {
    "||": 4, "&&": 5, "|": 6, "^": 7, "&": 8, "==": 9, "!=": 9, "<": 10, "<=": 10, ">": 10,
    ">=": 10, "<<": 11, ">>": 11, "+": 12, "-": 12, "*": 13, "/": 13, "%": 13, "**": 14,
}  # fmt: skip
_ASSIGNMENTS = frozenset({"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="})
_ASSIGN_PRECEDENCE = 2
_TERNARY_PRECEDENCE = 3

# A parsed expression: ("number", value), ("name", name), ("element", name),
# ("unary", op, x), ("step", op, name, prefix), ("binary", op, a, b),
# ("assign", op, target, x) where target is a name or an element, ("ternary", c, a, b),
# ("comma", a, b).
Tree = tuple[object, ...]


class Variables(Protocol):
    def get(self, name: str) -> int | None:
        """The variable's value, None when it is not one known integer."""
        ...

    def set(self, name: str, value: int | None) -> None:
        """Give the variable a value; None: it is no longer known."""
        ...


class _UnparsableError(Exception):
    pass


class _FailedError(Exception):
    """An expression bash stops at: a division by zero, a negative exponent."""


def evaluate(expression: str, variables: Variables) -> int | None:
    """The value of the arithmetic `expression` (already expanded), assigning what it
    assigns; None when it has no known value."""
    tree = _parsed(expression)
    if tree is None:
        _forget(assigned_names(expression), variables)  # whatever it does to them is unknown
        return None
    try:
        return _Evaluation(variables).value(tree)
    except _FailedError:  # bash stops the command: what it had assigned is not followed
        _forget(_assigned(tree), variables)
        return None


@lru_cache(maxsize=1024)
def _parsed(expression: str) -> Tree | None:
    """The parsed expression, None when it does not parse: parsed once however many
    times a loop evaluates it (`((n++))`)."""
    try:
        return _Parser(expression).parse()
    except _UnparsableError:
        return None


def _forget(names: set[str], variables: Variables) -> None:
    for name in names:
        variables.set(name, None)


def integer(text: str) -> int | None:
    """A variable's text as bash reads it in arithmetic: a number, or 0 when empty."""
    text = text.strip(" \t\n")
    if not text:
        return 0
    negative = text.startswith("-")
    digits = text[1:] if text[0] in "+-" else text
    found = _number(digits) if len(text) <= MAX_EXPRESSION else None
    return None if found is None else _wrap(-found if negative else found)


# A name starts where no word character stands before it, and no quantifier gives back
# what it took: each position is tried once (a long name is no quadratic cost).
_TARGET = LazyPattern(
    r"(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*+)[ \t]*+(?:\[[^\]\n]*+\])?[ \t]*+"
    r"(?:\+\+|--|(?:[-+*/%&|^]|<<|>>)?=(?!=))"
    r"|(?:\+\+|--)[ \t]*+([A-Za-z_][A-Za-z0-9_]*+)"
)


def assigned_names(expression: str) -> set[str]:
    """The variables an arithmetic expression may assign (`n++`, `--n`, `i += 2`)."""
    return {first or second for first, second in _TARGET.findall(expression[:MAX_EXPRESSION])}


def _number(text: str) -> int | None:
    """A constant: decimal, `0x1F`, octal `017`, or `BASE#DIGITS`."""
    base, digits = 10, text
    if "#" in text:
        written, _, digits = text.partition("#")
        base = int(written) if written.isdigit() else 0
        if not 2 <= base <= 64:
            return None
    elif text[:2] in ("0x", "0X"):
        base, digits = 16, text[2:]
    elif text.startswith("0") and len(text) > 1:
        base, digits = 8, text[1:]
    if not digits:
        return None
    value = 0
    for char in digits:
        digit = _digit(char, base)
        if digit is None:
            return None
        value = (value * base + digit) & _WORD
    return value


def _digit(char: str, base: int) -> int | None:
    if char.isdigit() and char.isascii():
        found = int(char)
    elif "a" <= char <= "z":
        found = ord(char) - ord("a") + 10
    elif "A" <= char <= "Z":
        found = ord(char) - ord("A") + (10 if base <= 36 else 36)
    elif char in "@_":
        found = 62 if char == "@" else 63
    else:
        return None
    return found if found < base else None


def _wrap(value: int) -> int:
    """`value` as a 64-bit signed integer, as bash keeps it."""
    value &= _WORD
    return value - (1 << _BITS) if value >> (_BITS - 1) else value


class _Parser:
    """Precedence climbing over the tokens of one expression."""

    def __init__(self, expression: str) -> None:
        if len(expression) > MAX_EXPRESSION:
            raise _UnparsableError
        self.tokens = _tokens(expression)
        self.position = 0
        self.depth = 0

    def parse(self) -> Tree:
        if not self.tokens:
            return ("number", 0)  # `$(( ))` is 0
        tree = self.expression(0)
        if self.position != len(self.tokens):
            raise _UnparsableError
        return tree

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (op is not None and token != ("op", op)):
            raise _UnparsableError
        self.position += 1
        return token

    def expression(self, floor: int) -> Tree:
        """An expression whose binary operators bind at least as tightly as `floor`."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _UnparsableError
        left = self.unary()
        while (token := self.peek()) is not None and token[0] == "op":
            op = token[1]
            if op == "," and floor <= 1:
                self.take()
                left = ("comma", left, self.expression(2))
            elif op in _ASSIGNMENTS and floor <= _ASSIGN_PRECEDENCE and left[0] in _TARGETS:
                self.take()
                left = ("assign", op, left, self.expression(_ASSIGN_PRECEDENCE))
            elif op == "?" and floor <= _TERNARY_PRECEDENCE:
                self.take()
                then = self.expression(1)
                self.take(":")
                left = ("ternary", left, then, self.expression(_TERNARY_PRECEDENCE))
            elif op in _BINARY and _BINARY[op] >= floor:
                self.take()
                # `**` groups to the right, every other operator to the left.
                right = self.expression(_BINARY[op] + (op != "**"))
                left = ("binary", op, left, right)
            else:
                break
        self.depth -= 1
        return left

    def unary(self) -> Tree:
        kind, value = self.take()
        if kind == "number":
            found = _number(value)
            if found is None:
                raise _UnparsableError
            return ("number", found)
        if kind == "name":
            return self.operand(value)
        if value in ("++", "--"):
            target = self.take()
            if target[0] != "name":
                raise _UnparsableError
            return ("step", value, target[1], True)
        if value in ("-", "+", "!", "~"):
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise _UnparsableError
            operand = self.expression(15)  # binds tighter than any binary operator
            self.depth -= 1
            return ("unary", value, operand)
        if value == "(":
            inner = self.expression(1)
            self.take(")")
            return inner
        raise _UnparsableError

    def operand(self, name: str) -> Tree:
        """A variable, maybe an array's element, maybe with `++` or `--` after it."""
        if self.peek() == ("op", "["):
            self.take()
            self.expression(1)
            self.take("]")
            return ("element", name)
        token = self.peek()
        if token in (("op", "++"), ("op", "--")):
            self.take()
            return ("step", token[1], name, False)
        return ("name", name)


_TARGETS = frozenset({"name", "element"})


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    end = len(expression.rstrip(" \t\n"))
    while position < end:
        found = _TOKEN.match(expression, position)
        if found is None or found.end() == position:
            raise _UnparsableError
        kind = found.lastgroup or ""
        tokens.append((kind, found.group(kind)))
        position = found.end()
    return tokens


class _Evaluation:
    def __init__(self, variables: Variables) -> None:
        self.variables = variables

    def value(self, tree: Tree) -> int | None:  # noqa: PLR0911  (one exit per node kind)
        kind = tree[0]
        if kind == "number":
            return _wrap(int(str(tree[1])))
        if kind == "name":
            return self.variables.get(str(tree[1]))
        if kind == "element":
            return None  # arrays of numbers are not followed
        if kind == "unary":
            return _unary(str(tree[1]), self.value(_tree(tree[2])))
        if kind == "step":
            return self.step(str(tree[1]), str(tree[2]), prefix=bool(tree[3]))
        if kind == "assign":
            return self.assign(str(tree[1]), _tree(tree[2]), _tree(tree[3]))
        if kind == "comma":
            self.value(_tree(tree[1]))
            return self.value(_tree(tree[2]))
        if kind == "ternary":
            return self.ternary(_tree(tree[1]), _tree(tree[2]), _tree(tree[3]))
        return self.binary(str(tree[1]), _tree(tree[2]), _tree(tree[3]))

    def step(self, op: str, name: str, *, prefix: bool) -> int | None:
        before = self.variables.get(name)
        after = None if before is None else _wrap(before + (1 if op == "++" else -1))
        self.variables.set(name, after)
        return after if prefix else before

    def assign(self, op: str, target: Tree, tree: Tree) -> int | None:
        if target[0] == "element":
            self.value(tree)
            return None  # arrays of numbers are not followed
        name = str(target[1])
        before = self.variables.get(name)  # `a += expr` reads `a` before `expr` runs
        found = self.value(tree)
        if op != "=":
            found = _binary(op[:-1], before, found)
        self.variables.set(name, found)
        return found

    def ternary(self, condition: Tree, then: Tree, otherwise: Tree) -> int | None:
        test = self.value(condition)
        if test is None:  # either side may run: what they assign is unknown
            self.forget(then, otherwise)
            return None
        return self.value(then if test else otherwise)

    def binary(self, op: str, left: Tree, right: Tree) -> int | None:
        first = self.value(left)
        if op in ("&&", "||"):
            if first is None:
                self.forget(right)
                return None
            if (op == "&&") != bool(first):  # decided by the left side: the right never runs
                return int(bool(first))
            second = self.value(right)
            return None if second is None else int(bool(second))
        return _binary(op, first, self.value(right))

    def forget(self, *trees: Tree) -> None:
        for tree in trees:
            _forget(_assigned(tree), self.variables)


def _tree(node: object) -> Tree:
    assert isinstance(node, tuple)
    return node


def _assigned(tree: Tree) -> set[str]:
    """The variables a parsed expression assigns anywhere in it."""
    names: set[str] = set()
    if tree[0] == "step":
        names.add(str(tree[2]))
    elif tree[0] == "assign" and _tree(tree[2])[0] == "name":
        names.add(str(_tree(tree[2])[1]))
    for part in tree[1:]:
        if isinstance(part, tuple):
            names |= _assigned(part)
    return names


def _unary(op: str, value: int | None) -> int | None:
    if value is None:
        return None
    if op == "-":
        return _wrap(-value)
    if op == "!":
        return int(not value)
    if op == "~":
        return _wrap(~value)
    return value


def _binary(op: str, left: int | None, right: int | None) -> int | None:
    if left is None or right is None:
        return None
    if op in ("/", "%"):
        if right == 0:
            raise _FailedError  # "division by 0"
        quotient = abs(left) // abs(right) * (1 if (left < 0) == (right < 0) else -1)
        return _wrap(quotient if op == "/" else left - quotient * right)  # C's truncation
    if op == "**":
        if right < 0:
            raise _FailedError  # "exponent less than 0"
        return _wrap(pow(left, right, 1 << _BITS))
    if op in ("<<", ">>"):
        count = right & (_BITS - 1)  # as the processor shifts (x86-64 and arm64 alike)
        return _wrap(left << count) if op == "<<" else left >> count
    return _wrap(_PLAIN[op](left, right))


_PLAIN: dict[str, Callable[[int, int], int]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "&": operator.and_,
    "|": operator.or_,
    "^": operator.xor,
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b),
    "<=": lambda a, b: int(a <= b),
    ">": lambda a, b: int(a > b),
    ">=": lambda a, b: int(a >= b),
}
