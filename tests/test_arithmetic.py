"""Bash arithmetic as the pull-script reader evaluates it: held to bash itself.

`test_random_expressions_evaluate_as_bash_does` runs a few hundred random expressions
(every operator, assignments, `++`, ternaries, commas, number bases) through one bash
process and through `evaluate`: every value `evaluate` gives, and every variable it
says it knows afterwards, must be bash's. An expression it cannot know gives None and
leaves what it assigns unknown; that is allowed, a wrong value is not.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import time

import pytest

from image_docs_audit.inventory import read_inventory
from image_docs_audit.inventory.arithmetic import (
    MAX_EXPRESSION,
    assigned_names,
    evaluate,
    integer,
)
from image_docs_audit.model import Location


class Variables:
    def __init__(self, **values: int) -> None:
        self.values: dict[str, int] = dict(values)
        self.unknown: set[str] = set()

    def get(self, name: str) -> int | None:
        return self.values.get(name)

    def set(self, name: str, value: int | None) -> None:
        if value is None:
            self.values.pop(name, None)
            self.unknown.add(name)
        else:
            self.values[name] = value
            self.unknown.discard(name)


_OPERATORS = ["+", "-", "*", "/", "%", "**", "<<", ">>", "&", "|", "^", "&&", "||", "==",
              "!=", "<", "<=", ">", ">="]  # fmt: skip
_ASSIGNMENTS = ["=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="]


def _expression(rng: random.Random, depth: int = 0) -> str:
    if depth > 3 or rng.random() < 0.3:
        if rng.random() < 0.5:
            return str(rng.choice([0, 1, 2, 3, 7, 10, 64, 255, 0x7FFFFFFFFFFFFFFF]))
        return rng.choice(["a", "b", "c", "0x1f", "010", "2#101", "16#ff", "36#z"])

    def part() -> str:
        return _expression(rng, depth + 1)

    name = rng.choice("abc")
    forms = [
        lambda: f"{part()} {rng.choice(_OPERATORS)} {part()}",
        lambda: f"({part()})",
        lambda: rng.choice(["-", "!", "~"]) + part(),
        lambda: rng.choice([f"{name}++", f"{name}--", f"++{name}", f"--{name}"]),
        lambda: f"{name} {rng.choice(_ASSIGNMENTS)} {part()}",
        lambda: f"{part()} ? {part()} : {part()}",
        lambda: f"{part()}, {part()}",
    ]
    return rng.choices(forms, weights=[35, 10, 10, 10, 15, 10, 7])[0]()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is the reference")
def test_random_expressions_evaluate_as_bash_does() -> None:
    rng = random.Random(11)
    cases = [({name: rng.randint(-3, 9) for name in "abc"}, _expression(rng)) for _ in range(600)]
    script = "".join(
        f"( a={start['a']}; b={start['b']}; c={start['c']}; r=$(( {expression} )) "
        '&& echo "$r $a $b $c" || echo ERR ) 2>/dev/null || echo ERR\n'
        for start, expression in cases
    )
    ran = subprocess.run(
        ["bash"], input=script, capture_output=True, text=True, timeout=120, check=False
    )
    answers = ran.stdout.split("\n")
    known = 0
    for (start, expression), answer in zip(cases, answers, strict=False):
        variables = Variables(**start)
        value = evaluate(expression, variables)
        if value is None:
            continue
        known += 1
        mine = [str(value), *(str(variables.values.get(name, "?")) for name in "abc")]
        # bash stops at an error (an exponent below 0 in a branch it does not take) where
        # `evaluate` may know a value: an answer must be bash's whenever bash has one.
        if answer != "ERR":
            theirs = answer.split()
            assert all(m in ("?", t) for m, t in zip(mine, theirs, strict=True)), (
                expression,
                start,
                answer,
                mine,
            )
    assert known >= len(cases) * 3 // 4, known  # most expressions are known


@pytest.mark.parametrize(
    ("expression", "start", "value", "after"),
    [
        ("n += 1", {"n": 0}, 1, {"n": 1}),
        ("n++", {"n": 4}, 4, {"n": 5}),
        ("++n", {"n": 4}, 5, {"n": 5}),
        ("i + 1", {"i": 2}, 3, {"i": 2}),
        ("i = i * 2, i - 1", {"i": 3}, 5, {"i": 6}),
        ("-7 / 2", {}, -3, {}),  # C's truncation toward zero
        ("-7 % 2", {}, -1, {}),
        ("2 ** 63", {}, -(2**63), {}),  # 64-bit signed, as bash wraps
        ("1 << 64", {}, 1, {}),  # the shift count taken modulo 64, as the processor does
        ("0x10 + 010 + 2#11", {}, 27, {}),
        ("", {}, 0, {}),
        ("a ? b++ : c++", {"a": 0, "b": 1, "c": 5}, 5, {"a": 0, "b": 1, "c": 6}),
    ],
)
def test_expressions(
    expression: str, start: dict[str, int], value: int, after: dict[str, int]
) -> None:
    variables = Variables(**start)
    assert evaluate(expression, variables) == value
    assert variables.values == after


@pytest.mark.parametrize(
    ("expression", "start", "unknown"),
    [
        ("n++", {}, {"n"}),  # a variable the script does not set is not taken for 0
        ("i = j + 1", {"i": 1}, {"i"}),
        ("i += 1 / 0", {"i": 1}, {"i"}),  # bash stops: nothing it assigned is followed
        ("x ? a++ : b--", {"a": 1, "b": 1}, {"a", "b"}),  # either side may run
        ("x && n++", {"n": 1}, {"n"}),
        ("n = = 3", {"n": 1}, {"n"}),  # not parsed: what it may assign is unknown
        ("a[2] += 1, k = a[1]", {"k": 4}, {"k"}),  # array elements are not followed
    ],
)
def test_what_cannot_be_known_is_unknown(
    expression: str, start: dict[str, int], unknown: set[str]
) -> None:
    variables = Variables(**start)
    assert evaluate(expression, variables) is None
    assert variables.unknown == unknown


@pytest.mark.parametrize(
    ("text", "value"),
    [("5", 5), (" 12 ", 12), ("", 0), ("-3", -3), ("0x1F", 31), ("app", None), ("1.5", None)],
)
def test_a_variables_text_as_an_integer(text: str, value: int | None) -> None:
    assert integer(text) == value


def test_names_an_expression_may_assign() -> None:
    assert assigned_names("n++, --m, i += 2, j = k == 1, LIST[3]=1, x <= 2") == {
        "n",
        "m",
        "i",
        "j",
        "LIST",
    }


@pytest.mark.parametrize(
    "expression",
    [
        "(" * 5000 + "1" + ")" * 5000,
        "-" * 3000 + "1",
        "1+" * 20000 + "1",
        "2 ** 2 ** 2 ** 2 ** 64",
        "9" * 5000,
    ],
)
def test_hostile_expressions_are_bounded(expression: str) -> None:
    started = time.monotonic()
    value = evaluate(expression, Variables())
    assert value is None or -(2**63) <= value < 2**63
    assert len(expression) > MAX_EXPRESSION or value is not None
    assert time.monotonic() - started < 5  # a bound against a blow-up, not a timing


def test_a_loop_read_once_reads_every_element_a_counter_reaches() -> None:
    """`while` over `${LIST[$i]}` with `i=$((i + 1))`: read once, `i` is 0 and what the
    next passes make it, so every element is pulled. A variable used as an image that the
    body sets to a fixed text takes it on the next pass, as bash does; one the body sets
    otherwise says that its later values are not followed."""
    source = (
        "LIST=(redis:7 nginx:1.27 postgres:16)\n"
        "i=0\n"
        'while [ "$i" -lt "${#LIST[@]}" ]; do\n'
        '  docker pull "${LIST[$i]}"\n'
        "  i=$((i + 1))\n"
        "done\n"
        "IMG=ghcr.io/acme/app:1.0\n"
        "while true; do\n"
        '  docker pull "$IMG"\n'
        "  IMG=ghcr.io/acme/web:2.0\n"
        "done\n"
        "OTHER=ghcr.io/acme/api:3.0\n"
        "while true; do\n"
        '  docker pull "$OTHER"\n'
        '  OTHER="$(next-image)"\n'
        "done\n"
    )
    found = read_inventory([("pull.sh", source.encode())])
    assert [(image.source.line, image.ref) for image in found.images] == [
        (1, "redis:7"),
        (1, "nginx:1.27"),
        (1, "postgres:16"),
        (7, "ghcr.io/acme/app:1.0"),
        (9, "ghcr.io/acme/web:2.0"),
        (12, "ghcr.io/acme/api:3.0"),
    ]
    assert [(w.location, w.message) for w in found.warnings] == [
        (
            Location("pull.sh", 13),
            "$OTHER changes from one pass of the loop at line 13 to the next, and its later "
            "values are not followed; the images they name are not audited",
        )
    ]


def test_a_tag_a_loop_changes_is_a_tag_not_known_of_the_repository() -> None:
    """`app:$TAG` where the loop changes TAG to what is not known: the later tags are not
    followed, and the repository is audited all the same (the first tag's image, where the
    use stands too). A fixed tag the loop sets is the next pass's (`TAG=2.0`)."""
    source = 'TAG=1.0\nwhile true; do\n  docker pull "ghcr.io/acme/app:$TAG"\n  TAG=2.0\ndone\n'
    found = read_inventory([("pull.sh", source.encode())])
    assert [(image.source.line, image.ref) for image in found.images] == [
        (3, "ghcr.io/acme/app:1.0"),
        (3, "ghcr.io/acme/app:2.0"),
    ]
    source = source.replace("TAG=2.0", 'TAG="$(git describe)"')
    found = read_inventory([("pull.sh", source.encode())])
    assert [(image.source.line, image.ref) for image in found.images] == [
        (3, "ghcr.io/acme/app:1.0")
    ]
    assert [(str(place.location), place.written) for place in found.images[0].places] == [
        ("pull.sh:3", None),
        ("pull.sh:3", "ghcr.io/acme/app:$TAG"),
    ]
    assert found.warnings == ()


@pytest.mark.parametrize("expression", ["a" * MAX_EXPRESSION, "a[" + "x" * (MAX_EXPRESSION - 2)])
def test_the_names_an_expression_assigns_are_found_in_linear_time(expression: str) -> None:
    """A loop's names are looked for in every arithmetic expression of its body: a long
    name must not cost the square of its length (a thousand of them take milliseconds; the
    ceiling only catches a return of the quadratic search, about 30 s here)."""
    started = time.monotonic()
    for _ in range(1000):
        assert assigned_names(expression) == set()
    assert time.monotonic() - started < 5
