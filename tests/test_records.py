"""`records.fast_init`: the same objects as the dataclass's own `__init__` makes."""

from __future__ import annotations

import inspect
import pickle
from dataclasses import FrozenInstanceError, dataclass, field, fields, make_dataclass
from typing import Any

import pytest

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
from image_docs_audit.records import fast_init

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


def _reference(cls: type) -> Any:
    """A plain frozen dataclass with the fields of `cls`: the `__init__` dataclasses writes."""
    specs = [(item.name, item.type, field(default=item.default)) for item in fields(cls)]
    return make_dataclass(f"Reference{cls.__name__}", specs, frozen=True, slots=True)


def _values(record: object) -> tuple[object, ...]:
    return tuple(getattr(record, item.name) for item in fields(record))  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", list(FAST), ids=lambda cls: cls.__name__)
def test_a_fast_init_makes_what_the_dataclass_makes(cls: type) -> None:
    arguments = FAST[cls]
    reference = _reference(cls)
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
