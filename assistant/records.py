"""Small frozen records: ``@record`` is ``@dataclass(frozen=True, slots=True)``, lighter.

The standard ``dataclasses`` module imports ``inspect`` (and with it ``ast``,
``dis`` and ``tokenize``), about 8 ms at every start, which is a third of
what the one-shot modes may spend above the bare imports of rapidfuzz and
PyYAML. The records of this package need only what is here: fields with
optional defaults, in order, keyword or positional; ``__slots__``;
immutability; ``__repr__``, ``__eq__`` and ``__hash__`` over the fields;
pickling. Type checkers read ``@record`` as a frozen dataclass
(:func:`typing.dataclass_transform`); fields are documented in the class
docstring, which ``help()`` shows.

>>> @record
... class Point:
...     x: int  # across
...     y: int = 0  # down
>>> p = Point(1, y=2)
>>> p, p == Point(1, 2), hash(p) == hash(Point(1, 2))
(Point(x=1, y=2), True, True)
>>> p.x = 5
Traceback (most recent call last):
...
AttributeError: Point is frozen: cannot set 'x'
"""

from __future__ import annotations

from typing import TypeVar, dataclass_transform

__all__ = ["record"]

_T = TypeVar("_T", bound=type)

_MISSING = object()


@dataclass_transform(frozen_default=True)
def record(cls: _T) -> _T:
    """Turn an annotated class into a frozen, slotted record (see the module docstring).

    A class may define its own ``__repr__`` (a short one, for records that
    hold long texts); the others are generated.
    """
    names = tuple(cls.__dict__.get("__annotations__", {}))  # noqa: RUF063 - the class's own fields, without importing inspect
    defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}
    body = {key: value for key, value in cls.__dict__.items()
            if key not in names and key not in ("__dict__", "__weakref__")}
    body["__slots__"] = names
    body["__match_args__"] = names
    params, seen_default = [], False
    for name in names:
        if name in defaults:
            params.append(f"{name}=_d_{name}")
            seen_default = True
        elif seen_default:
            raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one with a default")
        else:
            params.append(name)
    lines = [f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):"]
    lines += [f"    _set(self, {name!r}, {name})" for name in names] or ["    pass"]
    scope = {"_set": object.__setattr__, **{f"_d_{name}": value for name, value in defaults.items()}}
    exec("\n".join(lines), scope)
    body["__init__"] = scope["__init__"]
    body.setdefault("__repr__", _repr)
    body["__eq__"] = _eq
    body["__hash__"] = _hash
    body["__setattr__"] = _frozen
    body["__delattr__"] = _frozen
    body["__getstate__"] = _getstate
    body["__setstate__"] = _setstate
    new = type(cls.__name__, cls.__bases__, body)
    new.__qualname__ = cls.__qualname__
    new.__module__ = cls.__module__
    return new  # type: ignore[return-value]  # the same class, rebuilt with slots


def _values(self) -> tuple:
    return tuple(getattr(self, name) for name in self.__slots__)


def _repr(self) -> str:
    inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
    return f"{type(self).__name__}({inner})"


def _eq(self, other):
    if type(other) is not type(self):
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self) -> int:
    return hash(_values(self))


def _frozen(self, name, value=_MISSING):
    raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")


def _getstate(self) -> tuple:
    return _values(self)


def _setstate(self, state: tuple) -> None:
    for name, value in zip(self.__slots__, state):
        object.__setattr__(self, name, value)
