"""``record``: a dataclass whose methods are not compiled at import.

``dataclasses.dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__`` (and,
frozen, ``__setattr__``, ``__delattr__``, ``__hash__``) as source text and compiles it, about
1 ms a class; the reader's start imports thirty records, a third of the CPU its own
modules cost before the first frame. ``record`` keeps what makes a dataclass (its fields, so
``dataclasses.fields``, ``replace`` and ``asdict`` work as before) and gives it the same
methods made once here, in plain functions that read the class's fields: the same
signature, the same equality (same class, fields compared in order), hash (frozen only),
repr (``Feed(id=1, url='…')``) and immutability (``FrozenInstanceError``).

Supported: positional-or-keyword fields, ``field(default=…)``, ``field(default_factory=…)``,
``compare``/``repr``/``hash`` on a field, ``__post_init__``, inheritance between records;
not ``init=False`` fields, ``kw_only``, ``InitVar`` nor ``ClassVar`` (a class holding one is
refused at import).
"""

from __future__ import annotations

import dataclasses
import inspect
import reprlib
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, frozen: bool = False, bulk: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(field, Field))
def record(
    cls: type[T] | None = None, /, *, frozen: bool = False, bulk: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """``@record`` for ``@dataclass``, ``@record(frozen=True)`` for
    ``@dataclass(frozen=True)``. ``bulk=True`` (a mutable record made in bulk: a row per
    article) keeps dataclass's compiled ``__init__``: 0.3 ms at import, and a third of the
    time of the one made here for each record made."""
    if cls is None:
        return lambda cls: _make(cls, frozen, bulk)
    return _make(cls, frozen, bulk)


def _make(cls: type[T], frozen: bool, bulk: bool) -> type[T]:
    if frozen and bulk:
        raise TypeError(f"{cls.__qualname__}: a record made in bulk is not frozen")
    documented = cls.__doc__ is not None
    if not documented:  # else dataclass would ask inspect for the signature of object's __init__
        cls.__doc__ = "(its fields, below)"
    cls = dataclass(init=bulk, repr=False, eq=False)(cls)  # the fields (and a bulk __init__)
    own = cls.__dict__
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if len(fields) != len(own["__dataclass_fields__"]):
        raise TypeError(f"{cls.__qualname__}: a record holds no ClassVar nor InitVar")
    if any(not f.init or f.kw_only is True for f in fields):
        raise TypeError(f"{cls.__qualname__}: a record's fields are all positional init fields")
    defaulted = False
    for f in fields:
        if _has_default(f):
            defaulted = True
        elif defaulted:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    for name, method in (
        ("__init__", _init(cls, fields)),
        ("__repr__", _repr(fields)),
        ("__eq__", _eq(fields)),
    ):
        if name not in own:
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
    if "__hash__" not in own or own["__hash__"] is None:
        # as dataclass(eq=True): a frozen record hashes its fields, a mutable one is unhashable
        cls.__hash__ = _hash(fields) if frozen else None  # type: ignore[assignment]
    if not documented:  # as dataclass writes it: "MarkdownLink(start: 'int', …)"
        cls.__doc__ = f"{cls.__name__}({', '.join(_parameter(f) for f in fields)})"
    if frozen:
        cls.__setattr__ = _frozen_setattr(cls, fields)  # type: ignore[method-assign]
        cls.__delattr__ = _frozen_delattr(cls, fields)  # type: ignore[method-assign]
    return cls


def _parameter(f: Field[Any]) -> str:
    shown = f"{f.name}: {inspect.formatannotation(f.type)}"
    if f.default is not MISSING:
        return f"{shown} = {f.default!r}"
    return shown if f.default_factory is MISSING else f"{shown} = <factory>"


def _has_default(f: Field[Any]) -> bool:
    return f.default is not MISSING or f.default_factory is not MISSING


def _init(cls: type, fields: tuple[Field[Any], ...]) -> Callable[..., None]:
    names = tuple(f.name for f in fields)
    count = len(names)
    known = frozenset(names)
    # each field's default: a value, or else a factory to call (None: no default)
    defaults: tuple[tuple[str, Any, Callable[[], Any] | None], ...] = tuple(
        (f.name, f.default, None if f.default_factory is MISSING else f.default_factory)
        for f in fields
    )
    post_init = hasattr(cls, "__post_init__")
    title = f"{cls.__qualname__}.__init__()"
    required = sum(1 for f in fields if not _has_default(f))
    takes = (  # in Python's words, self counted
        f"from {required + 1} to {count + 1} positional arguments"
        if required < count
        else f"{count + 1} positional argument{'s' if count else ''}"
    )

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        given = len(args)
        if given == count and not kwargs:  # every field given in order
            self.__dict__.update(zip(names, args, strict=True))
        elif not given and len(kwargs) == count and tuple(kwargs) == names:  # the same, named
            self.__dict__.update(kwargs)
        else:
            if not known.issuperset(kwargs) or not kwargs.keys().isdisjoint(names[:given]):
                for name in kwargs:  # the errors in Python's order and words
                    if name not in known:
                        raise TypeError(f"{title} got an unexpected keyword argument {name!r}")
                    if name in names[:given]:
                        raise TypeError(f"{title} got multiple values for argument {name!r}")
            if given > count:
                raise TypeError(f"{title} takes {takes} but {given + 1} were given")
            values: dict[str, Any] = dict(zip(names, args, strict=False))
            missing = []
            for name, default, factory in defaults[given:]:
                if name in kwargs:
                    values[name] = kwargs[name]
                elif default is not MISSING:
                    values[name] = default
                elif factory is not None:
                    values[name] = factory()
                else:
                    missing.append(repr(name))
            if missing:  # in Python's words: 'a', 'a' and 'b', 'a', 'b', and 'c'
                named = " and ".join(missing) if len(missing) < 3 else ", ".join(missing)
                if len(missing) > 2:
                    named = named.replace(missing[-1], "and " + missing[-1])
                raise TypeError(
                    f"{title} missing {len(missing)} required positional argument"
                    f"{'s' if len(missing) > 1 else ''}: {named}"
                )
            self.__dict__.update(values)
        if post_init:
            self.__post_init__()

    return __init__


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The named fields of an object as a tuple (``attrgetter`` gives a tuple for two or
    more names only)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return lambda obj: ()


def _repr(fields: tuple[Field[Any], ...]) -> Callable[[Any], str]:
    names = tuple(f.name for f in fields if f.repr)

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _eq(fields: tuple[Field[Any], ...]) -> Callable[[Any, object], Any]:
    values = _getter(tuple(f.name for f in fields if f.compare))

    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(fields: tuple[Field[Any], ...]) -> Callable[[Any], int]:
    values = _getter(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))

    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _frozen_setattr(
    cls: type[Any], fields: tuple[Field[Any], ...]
) -> Callable[[Any, str, Any], None]:
    names = frozenset(f.name for f in fields)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return __setattr__


def _frozen_delattr(cls: type[Any], fields: tuple[Field[Any], ...]) -> Callable[[Any, str], None]:
    names = frozenset(f.name for f in fields)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __delattr__
