"""`records.record` and `records.fast_init`: the same classes and objects as dataclasses
makes. Every record of the package is held to the frozen dataclass it stands for."""

from __future__ import annotations

import copy
import importlib
import inspect
import pickle
import pkgutil
from dataclasses import (
    MISSING,
    FrozenInstanceError,
    asdict,
    dataclass,
    field,
    fields,
    is_dataclass,
    make_dataclass,
    replace,
)
from functools import total_ordering
from typing import Any

import pytest

import image_docs_audit
from image_docs_audit.docs import outline
from image_docs_audit.docs.terms import Strength, Term
from image_docs_audit.model import (
    AliasSuggestion,
    Depth,
    Diagnostic,
    Evidence,
    Hit,
    ImageRef,
    ImageResult,
    Kind,
    Location,
    Port,
    PortSource,
    PortUse,
    Status,
)
from image_docs_audit.records import fast_init, record

# Every class given the faster `__init__`, with arguments for each of its fields.
FAST = {
    Location: ("docs/a.md", 3),
    Diagnostic: (Location("a.md", 1), "a warning"),
    Evidence: ("docs/a.md", 3, Kind.TABLE, "1.2"),
    Hit: ("example/app:1.0", 4, Kind.HEADING, None, False),
    Port: (8080, "udp", Location("a.md", 2), PortSource.COMPOSE),
    PortUse: ("example/app:1.0", Location("a.md", 2), PortSource.DOC),
    AliasSuggestion: ("billing-api", Location("a.md", 0), Kind.FILENAME),
    ImageResult: ("an image", Status.DOCUMENTED, (), None, Depth.SECTION, (), 50.0, ("Ports",), ()),
    outline.Heading: (3, 2, "Ports"),
    outline.Section: (outline.Heading(3, 2, "Ports"), 9, False),
    outline.Table: (4, 8, ("Service", "Port")),
    outline.PortMention: (5, 8080, "tcp"),
    outline.Citation: (6, "example/app", "1.0"),
    Term: ("app", ("docker.io/example/app:1",), Strength.NAME, (), None),
    ImageRef: ("docker.io", "example/app", "1", None, False),
}


def _values(record: object) -> tuple[object, ...]:
    return tuple(getattr(record, item.name) for item in fields(record))  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", list(FAST), ids=lambda cls: cls.__name__)
def test_a_fast_init_makes_what_the_dataclass_makes(cls: type) -> None:
    arguments = FAST[cls]
    reference = _dataclass_of(cls)
    names = [item.name for item in fields(cls)]
    made = cls(*arguments)
    assert _values(made) == _values(reference(*arguments)) == arguments
    assert cls(**dict(zip(names, arguments, strict=True))) == made
    assert pickle.loads(pickle.dumps(made)) == made
    assert hash(cls(*arguments)) == hash(made)
    with pytest.raises(FrozenInstanceError):
        setattr(made, names[0], arguments[0])
    assert inspect.signature(cls) == inspect.signature(reference)


def test_the_classes_have_the_fast_init() -> None:
    """The generated `__init__` calls one setter per field and nothing else."""
    for cls in FAST:
        called = cls.__init__.__code__.co_names
        assert called == tuple(f"_set_{item.name}" for item in fields(cls)), cls


def test_defaults_and_keyword_only_fields_are_kept() -> None:
    @dataclass(frozen=True, slots=True)
    class Base:
        first: int
        second: str = "two"

    @fast_init
    @dataclass(frozen=True, slots=True, kw_only=True)
    class Derived(Base):
        third: tuple[int, ...] = ()
        fourth: int

    made = Derived(1, fourth=4)
    assert (made.first, made.second, made.third, made.fourth) == (1, "two", (), 4)
    assert Derived(1, "2", third=(3,), fourth=4).third == (3,)
    with pytest.raises(TypeError):
        Derived(1, "2", (3,), 4)  # type: ignore[misc]  # keyword-only stays keyword-only
    with pytest.raises(TypeError):
        Derived(1)  # type: ignore[call-arg]  # a required field stays required
    assert Port(80, "tcp", Location("a.md", 1)).source is PortSource.DOC


def test_only_the_classes_it_is_right_for_are_accepted() -> None:
    with pytest.raises(TypeError, match="not a frozen dataclass"):

        @fast_init
        @dataclass(slots=True)
        class Mutable:
            value: int

    with pytest.raises(TypeError, match="__post_init__"):

        @fast_init
        @dataclass(frozen=True, slots=True)
        class Checked:
            value: int

            def __post_init__(self) -> None:
                pass

    with pytest.raises(TypeError, match="not set from a parameter"):

        @fast_init
        @dataclass(frozen=True, slots=True)
        class Listed:
            values: list[int] = field(default_factory=list)

    with pytest.raises(TypeError, match="not a slot"):

        @fast_init
        @dataclass(frozen=True)
        class Plain:
            value: int


def _package_records() -> list[type]:
    """Every record class the package defines (its `__eq__` is a record's)."""
    found = []
    for module in pkgutil.walk_packages(image_docs_audit.__path__, "image_docs_audit."):
        if module.name.endswith("__main__"):
            continue
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if (
                isinstance(value, type)
                and value.__module__ == loaded.__name__
                and getattr(value.__dict__.get("__eq__"), "__module__", None)
                == "image_docs_audit.records"
            ):
                found.append(value)
    return found


RECORDS = _package_records()


@total_ordering
class _Value:
    """A field's value in the comparisons: hashable, ordered, picklable, one of a kind."""

    def __init__(self, number: int) -> None:
        self.number = number

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Value) and other.number == self.number

    def __lt__(self, other: _Value) -> bool:
        return self.number < other.number

    def __hash__(self) -> int:
        return hash(self.number)

    def __repr__(self) -> str:
        return f"V{self.number}"


def _dataclass_of(cls: type) -> Any:
    """The frozen dataclass `cls` stands for: its fields, as dataclasses makes it."""
    specs = []
    for item in fields(cls):
        options: dict[str, Any] = {
            "init": item.init,
            "repr": item.repr,
            "hash": item.hash,
            "compare": item.compare,
            "kw_only": item.kw_only,
        }
        if item.default is not MISSING:
            options["default"] = item.default
        if item.default_factory is not MISSING:
            options["default_factory"] = item.default_factory
        specs.append((item.name, item.type, field(**options)))
    return make_dataclass(
        cls.__name__,
        specs,
        frozen=True,
        order=cls.__dataclass_params__.order,  # type: ignore[attr-defined]
        slots="__slots__" in cls.__dict__,
        namespace={"__qualname__": cls.__qualname__},
    )


def _arguments(cls: type, offset: int) -> tuple[list[object], dict[str, object]]:
    """One value of its own for each parameter of `cls`'s `__init__`."""
    positional: list[object] = []
    keyword: dict[str, object] = {}
    for number, item in enumerate(item for item in fields(cls) if item.init):
        value = _Value(number + offset)
        if item.kw_only:
            keyword[item.name] = value
        else:
            positional.append(value)
    return positional, keyword


def test_the_package_has_its_records() -> None:
    names = {cls.__name__ for cls in RECORDS}
    assert {"Location", "Evidence", "ImageResult", "Report", "AuditSettings", "Group"} <= names
    assert len(RECORDS) > 80


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_a_record_is_the_frozen_dataclass_it_stands_for(cls: Any) -> None:
    reference = _dataclass_of(cls)
    assert is_dataclass(cls)
    # As text: a default factory's parameter shows `<factory>` (dataclasses' own marker
    # object is private).
    assert str(inspect.signature(cls)) == str(inspect.signature(reference))
    assert cls.__match_args__ == reference.__match_args__
    if not (cls.__doc__ or "").strip() or cls.__doc__.startswith(f"{cls.__name__}("):
        assert cls.__doc__ == reference.__doc__  # no docstring of its own: the signature
    for name in ("init", "repr", "eq", "order", "unsafe_hash", "frozen"):
        assert getattr(cls.__dataclass_params__, name) == getattr(
            reference.__dataclass_params__, name
        )
    positional, keyword = _arguments(cls, 0)
    made, expected = cls(*positional, **keyword), reference(*positional, **keyword)
    assert repr(made) == repr(expected)
    assert asdict(made) == asdict(expected)
    assert hash(made) == hash(expected)
    assert made == cls(*positional, **keyword)
    assert made != expected  # another class: never equal, as two dataclasses
    assert pickle.loads(pickle.dumps(made)) == made
    assert copy.deepcopy(made) == made
    first = fields(cls)[0].name
    with pytest.raises(FrozenInstanceError, match=f"cannot assign to field '{first}'"):
        setattr(made, first, None)
    with pytest.raises(FrozenInstanceError, match=f"cannot delete field '{first}'"):
        delattr(made, first)
    with pytest.raises(FrozenInstanceError):
        made.not_a_field = 1
    others = _arguments(cls, 100)
    other, other_expected = cls(*others[0], **others[1]), reference(*others[0], **others[1])
    compared = any(item.compare for item in fields(cls))
    assert (made == other) is (expected == other_expected) is (not compared)
    if cls.__dataclass_params__.order:
        assert (made < other, made <= other, made > other, made >= other) == (
            expected < other_expected,
            expected <= other_expected,
            expected > other_expected,
            expected >= other_expected,
        )
    initial = [item.name for item in fields(cls) if item.init]
    if initial:
        changed = replace(made, **{initial[-1]: _Value(-1)})
        assert getattr(changed, initial[-1]) == _Value(-1)
        assert changed != made or not compared


def test_a_record_keeps_what_its_class_says() -> None:
    @record(slots=True)
    class Base:
        first: int
        second: str = "two"

    @record(kw_only=True, slots=True)
    class Derived(Base):
        third: tuple[int, ...] = ()
        fourth: int

    @record
    class Plain:
        """A class with a docstring of its own."""

        values: list[int] = field(default_factory=list, compare=False)
        hidden: str = field(default="secret", repr=False)
        later: int = field(default=5, init=False)

        def __hash__(self) -> int:
            return 7

    made = Derived(1, fourth=4)
    assert (made.first, made.second, made.third, made.fourth) == (1, "two", (), 4)
    with pytest.raises(TypeError):
        Derived(1, "2", (3,), 4)  # type: ignore[misc]  # keyword-only stays keyword-only
    with pytest.raises(TypeError):
        Derived(1)  # type: ignore[call-arg]  # a required field stays required
    assert (
        Derived.__doc__ == "Derived(first: 'int', second: 'str' = 'two', *, third: "
        "'tuple[int, ...]' = (), fourth: 'int')"
    )
    plain = Plain()
    assert (plain.values, plain.later) == ([], 5)
    assert repr(plain) == f"{Plain.__qualname__}(values=[], later=5)"
    assert Plain().values is not plain.values  # a new list each time
    assert Plain([1]) == Plain([2])  # `values` is not compared
    assert hash(plain) == 7  # the class's own `__hash__` stays
    assert Plain.__doc__ == "A class with a docstring of its own."


def test_a_record_refuses_what_dataclasses_refuses() -> None:
    with pytest.raises(TypeError, match="__setattr__"):

        @record
        class Assigns:
            value: int

            def __setattr__(self, name: str, value: object) -> None:
                pass

    with pytest.raises(TypeError, match="default"):

        @record
        class Misordered:
            value: int = 1
            other: int  # type: ignore[misc]
