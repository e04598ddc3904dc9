"""Record classes (fields, a constructor, repr, equality) without dataclasses' cost at start-up.

``@dataclass`` writes each class's ``__init__``, ``__repr__`` and ``__eq__`` as source text and
compiles it when the module loads: about half a millisecond a class, so the twenty records a
search imports took a tenth of a cold ``vnsearch search``. ``@record`` gives those classes the
same behaviour — fields from the class annotations in order, positional or keyword arguments,
defaults and ``field(default_factory=...)``, a dataclass-style repr, equality between records of
one class, and for ``frozen=True`` immutability and a hash — from functions compiled once with
this module. A record on a hot path (one per token or citation) defines its own ``__init__``.
"""
from __future__ import annotations

__all__ = ["record", "field", "replace", "asdict", "fields"]


_MISSING = object()


class _Field:
    __slots__ = ("default", "make", "repr", "compare")

    def __init__(self, default, make, repr, compare):
        self.default, self.make, self.repr, self.compare = default, make, repr, compare


def field(*, default=_MISSING, default_factory=None, repr: bool = True, compare: bool = True):
    """A field with a default made anew for each record (a list, a dict), or left out of the
    repr or of equality."""
    return _Field(default, default_factory, repr, compare)


def _init(self, *args, **kwargs):
    cls = type(self)
    names = cls._record_fields
    if len(args) > len(names):
        raise TypeError(f"{cls.__name__}() takes {len(names)} arguments but {len(args)} were given")
    setter = object.__setattr__
    for name, value in zip(names, args):
        setter(self, name, value)
    defaults = cls._record_defaults
    for name in names[len(args):]:
        value = kwargs.pop(name, _MISSING)
        if value is _MISSING:
            value = defaults.get(name, _MISSING)
            if value is _MISSING:
                raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
            if type(value) is _Field:
                value = value.make()
        setter(self, name, value)
    if kwargs:
        name = next(iter(kwargs))
        raise TypeError(f"{cls.__name__}() got an unexpected or repeated argument {name!r}")


def _values(self) -> tuple:
    return tuple(getattr(self, name) for name in self._record_compared)


def _repr(self) -> str:
    inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_shown)
    return f"{type(self).__qualname__}({inner})"


def _eq(self, other):
    if type(other) is not type(self):
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self) -> int:
    return hash(_values(self))


def _reduce(self):
    """Pickled and copied through the constructor, as frozen and slotted records allow no other way."""
    return type(self), tuple(getattr(self, name) for name in self._record_fields)


def _frozen(self, name, value=None):
    raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")


def record(cls=None, /, *, frozen: bool = False):
    """Make cls a record of the fields its annotations declare (see the module docstring)."""

    def make(cls):
        names = tuple(cls.__dict__.get("__annotations__", {}))
        defaults, hidden, uncompared = {}, set(), set()
        slots = cls.__dict__.get("__slots__", ())
        for name in names:
            if name not in cls.__dict__ or name in slots:  # (a slot's descriptor is no default)
                continue
            value = cls.__dict__[name]
            if type(value) is _Field:
                hidden.update([name] if not value.repr else [])
                uncompared.update([name] if not value.compare else [])
                delattr(cls, name)
                if value.make is None:
                    value = value.default
                    if value is _MISSING:  # field(repr=False) alone: still required
                        continue
                    setattr(cls, name, value)
            defaults[name] = value
        cls._record_fields = names
        cls._record_defaults = defaults
        cls._record_shown = tuple(n for n in names if n not in hidden)
        cls._record_compared = tuple(n for n in names if n not in uncompared)
        if "__init__" not in cls.__dict__:
            cls.__init__ = _init
        cls.__repr__ = _repr
        cls.__eq__ = _eq
        cls.__reduce__ = _reduce
        if frozen:
            cls.__setattr__ = _frozen
            cls.__delattr__ = _frozen
            cls.__hash__ = _hash
        else:
            cls.__hash__ = None  # equal records may differ later: not usable as keys (as dataclasses)
        return cls

    return make if cls is None else make(cls)


def fields(obj) -> tuple[str, ...]:
    """The names of a record's fields, in order."""
    return obj._record_fields


def replace(obj, **changes):
    """A copy of the record obj with some fields changed."""
    values = {name: getattr(obj, name) for name in obj._record_fields}
    values.update(changes)
    return type(obj)(**values)


def asdict(obj) -> dict:
    """The record's fields as a dict (shallow: field values are not copied)."""
    return {name: getattr(obj, name) for name in obj._record_fields}
