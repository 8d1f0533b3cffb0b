"""Frozen dataclasses made at a fifth of the import cost (`record`), and a faster
`__init__` for the compiled modules' ones (`fast_init`). Pure.

`record` is `dataclass(frozen=True)`: the same fields, `__init__`, `repr`, equality,
hash, order, refusal to assign, pickling, `fields`, `replace` and `asdict`. What it
saves is time at import. The dataclasses module writes each method as source and
compiles it, six for a frozen class: about 0.5 ms a class, 35 ms of the 74 classes an
audit imports, a fifth of a small project's whole run. Compiling the six in one `exec`
saves little (0.42 ms): compiling costs by the size of the code, not by the call. A
record has dataclasses collect its fields and compiles its `__init__` only, the one
method whose signature is the class's own; its other methods are the same few
functions for every class, each bound to the class's field names (0.12 ms a class in
all). Its `__init__` sets each slot through its descriptor, as `fast_init` does: a
`Location` in 170 ns, where a frozen dataclass's `__init__` takes 280
(`object.__setattr__` by name for each field).

A record's `__dataclass_params__` says what it is, a frozen dataclass with its
methods (dataclasses itself was asked for the fields only). tests/test_records.py
holds every record of the package to the dataclass it stands for.

`fast_init` is for the classes of the compiled modules (setup.py), which stay
dataclasses: mypyc makes those native classes, and a class with another decorator a
Python one. It gives a frozen dataclass with slots whose fields are all set from
parameters (no default factory, no `__post_init__`) the `__init__` a record has;
anything else is a `TypeError` at import, never a silently different object.
"""

from __future__ import annotations

import inspect
import operator
import reprlib
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields, is_dataclass
from types import MemberDescriptorType
from typing import Any, TypeVar, dataclass_transform, overload

Record = TypeVar("Record", bound=type)


@overload
def record(cls: Record, /) -> Record: ...


@overload
def record(
    *, order: bool = False, slots: bool = False, kw_only: bool = False
) -> Callable[[Record], Record]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(
    cls: Record | None = None, /, *, order: bool = False, slots: bool = False, kw_only: bool = False
) -> Record | Callable[[Record], Record]:
    """`dataclass(frozen=True, order=order, slots=slots, kw_only=kw_only)` (see the
    module's doc)."""

    def make(cls: Record) -> Record:
        return _record(cls, order=order, slots=slots, kw_only=kw_only)

    return make if cls is None else make(cls)


_FROZEN_METHODS = ("__setattr__", "__delattr__")
_ORDERS: dict[str, Callable[[Any, Any], Any]] = {
    "__lt__": operator.lt,
    "__le__": operator.le,
    "__gt__": operator.gt,
    "__ge__": operator.ge,
}


def _record(cls: Record, *, order: bool, slots: bool, kw_only: bool) -> Record:
    for name in (*_FROZEN_METHODS, *(_ORDERS if order else ())):
        if name in cls.__dict__:  # as dataclasses refuses
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    documented = cls.__dict__.get("__doc__") is not None
    if not documented:  # dataclasses would parse `object`'s signature (0.4 ms): see below
        cls.__doc__ = cls.__name__
    explicit_hash = _explicit_hash(cls)
    # dataclasses refuses a class that is not frozen over a frozen dataclass base (a base
    # record's parameters say it is): such a class is asked for frozen, and the
    # `__setattr__` and `__delattr__` dataclasses then writes are replaced (`_add_methods`).
    frozen_base = any(
        getattr(getattr(base, "__dataclass_params__", None), "frozen", False)
        for base in cls.__mro__[1:]
    )
    made: Any = dataclass(
        cls, init=False, repr=False, eq=False, frozen=frozen_base, slots=slots, kw_only=kw_only
    )
    every = fields(made)
    _add_init(made, every, slots=slots)
    _add_methods(made, every, order=order, explicit_hash=explicit_hash, slots=slots)
    params = made.__dataclass_params__
    params.init = params.repr = params.eq = params.frozen = True
    params.order = order
    if not documented:  # dataclasses writes the signature, once the class has its `__init__`
        made.__doc__ = made.__name__ + str(inspect.signature(made)).replace(" -> None", "")
    return made  # type: ignore[no-any-return]


def _explicit_hash(cls: type) -> bool:
    """Whether the class body defines `__hash__` (not the None that defining `__eq__` sets)."""
    found = cls.__dict__.get("__hash__", MISSING)
    return not (found is MISSING or (found is None and "__eq__" in cls.__dict__))


class _Factory:
    """The default of a parameter whose field has a default factory, as dataclasses shows it."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _add_init(cls: Any, every: tuple[Field[Any], ...], *, slots: bool) -> None:
    """The `__init__` dataclasses writes for a frozen class, each field set through its
    slot's descriptor (or `object.__setattr__` without slots)."""
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY, "_setattr": object.__setattr__}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    annotations: dict[str, Any] = {}
    for item in every:
        name = item.name
        if not name.isidentifier():
            raise TypeError(f"record: {cls.__name__}: {name!r} is not a field name")
        default, value = _default_and_value(item, namespace, slots=slots)
        if item.init:
            annotations[name] = item.type
            written = name if default is None else f"{name}={default}"
            (keyword if item.kw_only else positional).append(written)
        if value is not None:
            if slots:
                namespace[f"_set_{name}"] = _slot(cls, name).__set__
                body.append(f"    _set_{name}(self, {value})\n")
            else:
                body.append(f"    _setattr(self, {name!r}, {value})\n")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()\n")
    parameters = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({parameters}):\n{''.join(body) or '    pass'}\n"
    try:
        exec(source, namespace)  # the class's own field names, checked to be identifiers
    except SyntaxError as error:  # a field without a default after one with
        raise TypeError(f"record: {cls.__name__}: {error.msg}") from None
    made = namespace["__init__"]
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    made.__module__ = cls.__module__
    made.__annotations__ = {**annotations, "return": None}
    cls.__init__ = made


def _default_and_value(
    item: Field[Any], namespace: dict[str, Any], *, slots: bool
) -> tuple[str | None, str | None]:
    """The source of a field's default as a parameter (None: it has none), and of the
    value `__init__` sets it to (None: it sets none), as dataclasses writes them."""
    name = item.name
    if item.default_factory is not MISSING:
        namespace[f"_factory_{name}"] = item.default_factory
        if item.init:
            return "_FACTORY", f"_factory_{name}() if {name} is _FACTORY else {name}"
        return None, f"_factory_{name}()"
    if item.default is not MISSING:
        namespace[f"_default_{name}"] = item.default
        if item.init:
            return f"_default_{name}", name
        # Without slots the class attribute holds the default: nothing to set.
        return None, f"_default_{name}" if slots else None
    return None, name if item.init else None


def _add_methods(
    cls: Any, every: tuple[Field[Any], ...], *, order: bool, explicit_hash: bool, slots: bool
) -> None:
    """The methods dataclasses writes for a frozen class, but `__init__`."""
    compared = _values([item.name for item in every if item.compare])
    hashed = _values(
        [item.name for item in every if (item.compare if item.hash is None else item.hash)]
    )
    made: dict[str, Callable[..., Any]] = {
        "__repr__": _repr([item.name for item in every if item.repr]),
        "__eq__": _eq(compared),
    }
    if order:
        made.update({name: _order(compared, compare) for name, compare in _ORDERS.items()})
    if slots:
        state = _state([item.name for item in every])
        made.update(zip(("__getstate__", "__setstate__"), state, strict=True))
    for name, method in made.items():
        if name not in cls.__dict__:  # as dataclasses keeps what the class body defines
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
    # The class body defines neither (`_record` checks): dataclasses wrote them for the
    # class of a frozen base, bound to the class it had before it made one with slots.
    refusals = _frozen(cls, {item.name for item in every})
    for name, refusal in zip(_FROZEN_METHODS, refusals, strict=True):
        refusal.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, refusal)
    if not explicit_hash:  # the one dataclasses replaces: `__eq__` in the body sets it None
        hashing = _hash(hashed)
        hashing.__qualname__ = f"{cls.__qualname__}.__hash__"
        cls.__hash__ = hashing


def _values(names: list[str]) -> Callable[[object], tuple[object, ...]]:
    """The tuple of `names`' values of an object, as dataclasses compares and hashes it."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        only = operator.attrgetter(names[0])
        return lambda made: (only(made),)
    return lambda _: ()


def _repr(shown: list[str]) -> Callable[[object], str]:
    @reprlib.recursive_repr()
    def represent(self: object) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({values})"

    return represent


def _eq(compared: Callable[[object], tuple[object, ...]]) -> Callable[[object, object], object]:
    def equal(self: object, other: object) -> object:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    return equal


def _hash(hashed: Callable[[object], tuple[object, ...]]) -> Callable[[object], int]:
    def hashed_values(self: object) -> int:
        return hash(hashed(self))

    return hashed_values


def _order(
    compared: Callable[[object], tuple[object, ...]], compare: Callable[[Any, Any], Any]
) -> Callable[[object, object], object]:
    def ordered(self: object, other: object) -> object:
        if other.__class__ is self.__class__:
            return compare(compared(self), compared(other))
        return NotImplemented

    return ordered


def _frozen(
    cls: type[Any], names: set[str]
) -> tuple[Callable[[Any, str, object], None], Callable[[Any, str], None]]:
    def assign(self: Any, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def delete(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return assign, delete


def _state(
    names: list[str],
) -> tuple[Callable[[object], list[object]], Callable[[object, list[object]], None]]:
    """What dataclasses gives a frozen class with slots to pickle it by."""

    def get_state(self: object) -> list[object]:
        return [getattr(self, name) for name in names]

    def set_state(self: object, state: list[object]) -> None:
        for name, value in zip(names, state, strict=False):
            object.__setattr__(self, name, value)

    return get_state, set_state


def fast_init(cls: Record) -> Record:
    """`cls` with an `__init__` that sets its slots directly (see the module's doc)."""
    if not is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        raise TypeError(f"fast_init: {cls.__name__} is not a frozen dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"fast_init: {cls.__name__} has a __post_init__")
    every = fields(cls)
    for item in every:
        if not item.init or item.default_factory is not MISSING:
            raise TypeError(f"fast_init: {cls.__name__}.{item.name} is not set from a parameter")
    _add_init(cls, every, slots=True)
    return cls


def _slot(cls: type, name: str) -> MemberDescriptorType:
    """The slot descriptor of field `name` (a base class may hold it)."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if isinstance(found, MemberDescriptorType):
            return found
    raise TypeError(f"{cls.__name__}.{name} is not a slot")
