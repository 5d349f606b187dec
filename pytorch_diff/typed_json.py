"""Typed records as plain JSON values and back, checked against their type hints.

How a value is written follows from its type alone: a NamedTuple record is an object of
its fields, a tuple a list, a ``dict`` with ``str`` keys an object and any other ``dict``
a list of ``[key, value]`` pairs, a date an ISO string.  Reading checks every value
against the type its field declares and raises ``Mismatch`` for anything else, so a
JSON document can never stand for a type it does not declare, nor name a class.  The
cache (``cache.py``) stores models this way.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable
from typing import TypeVar


class Mismatch(Exception):
    """A value that does not have the type its field declares."""


Convert = Callable[[object], object]
T = TypeVar("T")


class Codec:
    """How values of one type are written to JSON and read back."""

    # A plain class, not a NamedTuple: building one of those at import costs ~0.3 ms.
    __slots__ = ("encode", "decode", "scalar")

    def __init__(self, encode: Convert, decode: Convert, scalar: type | None = None) -> None:
        self.encode = encode  # a model value to a JSON value; Mismatch if it has the wrong type
        self.decode = decode  # a JSON value back to a model value; Mismatch if it has the wrong type
        # For str, int, float and bool, stored as they are: the one type a value may have.
        # Records and sequences check it in line, which keeps reading an entry fast.
        self.scalar = scalar


def _exactly(value: object, kind: type[T]) -> T:
    # `type(...) is`, not isinstance: True is an int and a NamedTuple a tuple to isinstance.
    if type(value) is not kind:
        raise Mismatch
    return value


@functools.cache
def codec(hint: object) -> Codec:
    """How to store a value of type ``hint``, built once per type from the type alone.

    Handles str, int, float, bool, dates, NamedTuple records (by their type hints),
    ``tuple[X, ...]``, fixed tuples, ``dict[K, V]``, ``X | None`` and ``Literal``.  Any
    other type is a TypeError, which makes the cache a miss; a record may not contain
    itself.
    """
    if hint in (str, int, float, bool):
        return _scalar(typing.cast(type, hint))
    if hint is dt.date:
        return Codec(_encode_date, _decode_date)
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return _record(hint, hint._fields)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(codec(args[0]))
        return _fixed(tuple(codec(arg) for arg in args))
    if origin is dict:
        if args[0] is str:
            return _mapping(codec(args[1]))
        return _pairs(codec(args[0]), codec(args[1]))
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return _optional(codec(next(arg for arg in args if arg is not type(None))))
    if origin is typing.Literal:
        return _literal(args)
    raise TypeError(f"the cache cannot store a value of type {hint!r}")


def _scalar(kind: type) -> Codec:
    def check(value: object) -> object:
        if type(value) is not kind:
            raise Mismatch
        return value

    return Codec(check, check, kind)


def _encode_date(value: object) -> object:
    return _exactly(value, dt.date).isoformat()


def _decode_date(value: object) -> object:
    try:
        return dt.date.fromisoformat(_exactly(value, str))
    except ValueError:
        raise Mismatch from None


def _record(cls: type[tuple[object, ...]], field_names: tuple[str, ...]) -> Codec:
    # get_type_hints resolves the annotations, strings under `from __future__ import
    # annotations`, in the record's own module: the types come from the code, never the file.
    hints = typing.get_type_hints(cls)
    fields = tuple((name, codec(hints[name])) for name in field_names)
    names = frozenset(name for name, _ in fields)
    plan = tuple((name, codec.scalar, codec.decode) for name, codec in fields)

    def encode(value: object) -> object:
        record = _exactly(value, cls)
        return {name: codec.encode(item) for (name, codec), item in zip(fields, record, strict=True)}

    def decode(value: object) -> object:
        if type(value) is not dict or value.keys() != names:  # a field missing or one too many
            raise Mismatch
        items = []
        for name, scalar, convert in plan:
            item = value[name]
            if scalar is None:
                item = convert(item)
            elif type(item) is not scalar:
                raise Mismatch
            items.append(item)
        # What cls(*items) does, without the call: every field is present, so no default
        # applies, and a NamedTuple cannot override __new__.
        return tuple.__new__(cls, items)

    return Codec(encode, decode)


def _sequence(item: Codec) -> Codec:
    scalar, convert = item.scalar, item.decode

    def encode(value: object) -> object:
        return [item.encode(element) for element in _exactly(value, tuple)]

    def decode(value: object) -> object:
        if type(value) is not list:
            raise Mismatch
        if scalar is None:
            return tuple([convert(element) for element in value])
        for element in value:
            if type(element) is not scalar:
                raise Mismatch
        return tuple(value)

    return Codec(encode, decode)


def _fixed(items: tuple[Codec, ...]) -> Codec:
    def encode(value: object) -> object:
        elements = _exactly(value, tuple)
        if len(elements) != len(items):
            raise Mismatch
        return [codec.encode(element) for codec, element in zip(items, elements, strict=True)]

    def decode(value: object) -> object:
        elements = _exactly(value, list)
        if len(elements) != len(items):
            raise Mismatch
        return tuple([codec.decode(element) for codec, element in zip(items, elements, strict=True)])

    return Codec(encode, decode)


def _mapping(item: Codec) -> Codec:
    """``dict[str, V]``: a JSON object."""
    convert = item.decode

    def encode(value: object) -> object:
        return {_exactly(key, str): item.encode(element) for key, element in _exactly(value, dict).items()}

    def decode(value: object) -> object:
        if type(value) is not dict:
            raise Mismatch
        return {key: convert(element) for key, element in value.items()}  # JSON keys are strings

    return Codec(encode, decode)


def _pairs(key_codec: Codec, item: Codec) -> Codec:
    """``dict[K, V]`` with keys that are not strings, e.g. ``Version``: a list of ``[key, value]``."""

    def encode(value: object) -> object:
        return [[key_codec.encode(key), item.encode(element)] for key, element in _exactly(value, dict).items()]

    def decode(value: object) -> object:
        pairs = _exactly(value, list)
        result: dict[object, object] = {}
        for pair in pairs:
            if type(pair) is not list or len(pair) != 2:
                raise Mismatch
            result[key_codec.decode(pair[0])] = item.decode(pair[1])
        if len(result) != len(pairs):  # a key given twice
            raise Mismatch
        return result

    return Codec(encode, decode)


def _optional(inner: Codec) -> Codec:
    convert = inner.decode

    def encode(value: object) -> object:
        return None if value is None else inner.encode(value)

    def decode(value: object) -> object:
        return None if value is None else convert(value)

    return Codec(encode, decode)


def _literal(allowed: tuple[object, ...]) -> Codec:
    choices = {(type(choice), choice) for choice in allowed}

    def check(value: object) -> object:
        if type(value) not in (str, int, bool) or (type(value), value) not in choices:
            raise Mismatch
        return value

    return Codec(check, check)
