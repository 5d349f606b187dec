"""A cache of parsed models, so that a command does not parse and validate YAML each time.

An entry is plain JSON, never pickle: nothing in it can name a class or run code.  Its
shape follows from the type hints of the ``Model`` records alone (a record is an object
of its fields, a tuple a list, a ``dict`` with ``str`` keys an object and any other
``dict`` a list of ``[key, value]`` pairs, a date an ISO string), and on the way in every
value is checked against the type its field declares.  Anything unexpected is a miss.

Where: ``$XDG_CACHE_HOME/ptdiff`` when that is an absolute path, else
``$HOME/.cache/ptdiff`` (a relative setting is ignored, as the XDG spec says); with no
absolute home there is no cache.  The directory is created 0700 and entries are written
0600, atomically.  A directory or entry that is not the user's own, is writable by group
or others, or is not a plain directory or regular file (a symlink, a FIFO, a device) is
never used.  At most ``MAX_ENTRIES`` entries are kept, the most recently used.

An entry is keyed on a hash of the data file's bytes, of every module of the package
(the records' shape and every check that decides what a valid model is) and of the
ptdiff and Python versions, so it can never be stale.  Anything wrong with the cache
falls back to parsing, silently.  Only files without findings are cached (``load.py``),
so warnings always show.  Set PTDIFF_NO_CACHE=1 to turn it off.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import stat
import sys
import time
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import __version__
from .model import Model

try:
    from _blake2 import blake2b  # what hashlib would give, without loading OpenSSL (~2.5 ms)
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b

MAX_ENTRIES = 8
SUFFIX = ".json"
# The first thing an entry says; a change to the layout of entries changes it.
FORMAT = "ptdiff-model-cache/1"
# Far above any entry a 5 MiB data file gives; a larger file is not read at all.
MAX_ENTRY_BYTES = 64 * 1024 * 1024
# A .tmp file this old is left over from a write that was interrupted, not one under way.
STALE_TMP_SECONDS = 60

# Every module of this package: ``_key`` hashes their bytes.
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# The checks below need POSIX owners, modes and open flags, and calls relative to a
# directory descriptor; without them (Windows) there is no cache.  The flags are used only
# when this holds, so the module still imports everywhere.
_SUPPORTED = (
    all(hasattr(os, name) for name in ("getuid", "fchmod", "O_NOFOLLOW", "O_NONBLOCK", "O_DIRECTORY"))
    and os.open in os.supports_dir_fd
    and os.scandir in os.supports_fd
)


def get(data: bytes) -> Model | None:
    """The model cached for ``data``, or None: no entry, or one that is not exactly an entry of this model."""
    directory = _open_directory(create=False)
    if directory is None:
        return None
    try:
        key = _key(data)
        raw = _read_entry(directory, key + SUFFIX)
        return None if raw is None else _decode_entry(raw, key)
    except Exception:  # whatever is wrong with an entry, it is a miss
        return None
    finally:
        os.close(directory)


def put(data: bytes, model: Model) -> None:
    """Remember ``model`` for ``data``; give up quietly if that cannot be done safely."""
    directory = _open_directory(create=True)
    if directory is None:
        return
    try:
        key = _key(data)
        payload = json.dumps(
            {"format": FORMAT, "key": key, "model": _codec(Model).encode(model)},
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,  # NaN is not JSON, and not equal to itself either
        ).encode()  # text with a lone surrogate cannot be encoded: then it is not cached
        _write_atomically(directory, key + SUFFIX, payload)
        _tidy(directory, keep=key + SUFFIX)
    except Exception:  # the cache is an optimisation: never a reason to fail a command
        pass
    finally:
        os.close(directory)


# -- where entries live -----------------------------------------------------------


def _directory() -> Path | None:
    """The cache directory, or None when there is no absolute place for one."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the spec says ignore it
        # $HOME, which is what expanduser("~") gives when it is set; unset, expanduser
        # would fall back to the password database, but then there is no cache.
        home = os.environ.get("HOME", "")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "ptdiff"


def _open_directory(create: bool) -> int | None:
    """A descriptor of the cache directory if it is safe to use, else None.

    Every later step works relative to this descriptor, so the directory checked here is
    the one used, even if its path is swapped meanwhile.
    """
    if os.environ.get("PTDIFF_NO_CACHE") or not _SUPPORTED:
        return None
    path = _directory()
    if path is None:
        return None
    if create:
        try:
            os.makedirs(path.parent, mode=0o700, exist_ok=True)
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return None
    try:
        # O_NOFOLLOW: a symlink is refused, not followed.  O_NONBLOCK: never wait, whatever it is.
        directory = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:  # missing, a symlink, not a directory
        return None
    try:
        status = os.fstat(directory)
        if stat.S_ISDIR(status.st_mode) and _trusted(status):
            if create and stat.S_IMODE(status.st_mode) != 0o700:
                os.fchmod(directory, 0o700)  # mkdir's mode went through the umask; an older ptdiff made 0755
            return directory
    except OSError:
        pass
    os.close(directory)
    return None


def _trusted(status: os.stat_result) -> bool:
    """Whether a file is the user's own and nobody else can write to it."""
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _key(data: bytes) -> str:
    """What an entry is named after: everything that shapes the model read from ``data``."""
    key = blake2b(digest_size=16, person=b"ptdiff-model")
    parts = [("data", data)]
    parts += [(f"module {name}", source) for name, source in _package_sources()]
    parts.append(("versions", f"{FORMAT}\0{__version__}\0{sys.version}".encode()))
    for label, part in parts:
        # Labelled and length-prefixed, so that no two different inputs hash the same bytes.
        key.update(f"{label}\0{len(part)}\0".encode())
        key.update(part)
    return key.hexdigest()


def _package_sources() -> list[tuple[str, bytes]]:
    """Every ``.py`` module of the package with its path inside it, in a fixed order.

    All of them, not only ``model.py``: a check in ``load.py`` decides what a valid model
    is just as much as the records' fields do.
    """
    names: list[str] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(os.path.join(_PACKAGE_DIR, folder)) as listing:
            for item in listing:
                name = os.path.join(folder, item.name)
                if item.name.endswith(".py") and item.is_file():
                    names.append(name)
                elif item.is_dir(follow_symlinks=False) and item.name != "__pycache__":
                    pending.append(name)
    sources = []
    for name in sorted(names):
        with open(os.path.join(_PACKAGE_DIR, name), "rb") as handle:
            sources.append((name, handle.read()))
    return sources


# -- reading and writing entries --------------------------------------------------


def _read_entry(directory: int, name: str) -> bytes | None:
    """The bytes of entry ``name`` if it is a regular file of the user's that only they can write."""
    try:
        # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer, and
        # the fstat below rejects it.  O_NOFOLLOW: a symlink is refused, not followed.
        entry = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=directory)
    except OSError:  # missing (the usual miss), or a symlink
        return None
    try:
        status = os.fstat(entry)
        if not (stat.S_ISREG(status.st_mode) and _trusted(status) and status.st_size <= MAX_ENTRY_BYTES):
            return None  # a FIFO, directory or device is closed unread
        parts = []
        size = 0
        while part := os.read(entry, max(status.st_size, 65536)):  # usually all of it at once
            size += len(part)
            if size > MAX_ENTRY_BYTES:
                return None
            parts.append(part)
        try:
            os.utime(entry)  # used now: the last to be removed by _tidy
        except OSError:
            pass
        return b"".join(parts)
    finally:
        os.close(entry)


def _decode_entry(raw: bytes, key: str) -> Model | None:
    """The model in an entry's bytes; None, or an exception, for anything but an entry of ``key``."""
    document = json.loads(raw)
    if type(document) is not dict or document.keys() != {"format", "key", "model"}:
        return None
    if document["format"] != FORMAT or document["key"] != key:
        return None
    model = _codec(Model).decode(document["model"])
    return model if type(model) is Model else None


def _write_atomically(directory: int, name: str, payload: bytes) -> None:
    """Write ``name`` so that readers see the old entry or the whole new one, never a part."""
    partial = f"{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC  # a new file, never an old one
    handle = os.open(partial, flags, 0o600, dir_fd=directory)
    try:
        try:
            os.fchmod(handle, 0o600)  # the mode given to open went through the umask
            view = memoryview(payload)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        # No fsync: an entry cut short by a crash is bad JSON, which is only a miss.
        os.replace(partial, name, src_dir_fd=directory, dst_dir_fd=directory)
    except BaseException:
        _remove(directory, partial)
        raise


def _tidy(directory: int, keep: str) -> None:
    """Remove stale .tmp files, entries of the old pickle format, and all but the newest entries."""
    now = time.time()
    entries: list[tuple[int, str]] = []
    with os.scandir(directory) as listing:
        for item in listing:
            try:
                status = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if item.name.endswith(".tmp"):
                if now - status.st_mtime > STALE_TMP_SECONDS:
                    _remove(directory, item.name)
            elif item.name.endswith(".pickle"):  # what an older ptdiff wrote: code, if loaded
                _remove(directory, item.name)
            elif item.name.endswith(SUFFIX) and item.name != keep:
                entries.append((status.st_mtime_ns, item.name))
    entries.sort(reverse=True)
    for _, name in entries[MAX_ENTRIES - 1 :]:  # the newest others, beside the one just written
        _remove(directory, name)


def _remove(directory: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=directory)
    except OSError:
        pass


# -- JSON values to and from typed records ----------------------------------------


class _Mismatch(Exception):
    """A value that does not have the type its field declares."""


Convert = Callable[[object], object]
T = TypeVar("T")


class _Codec:
    """How values of one type are written to JSON and read back."""

    # A plain class, not a NamedTuple: building one of those at import costs ~0.3 ms.
    __slots__ = ("encode", "decode", "scalar")

    def __init__(self, encode: Convert, decode: Convert, scalar: type | None = None) -> None:
        self.encode = encode  # a model value to a JSON value; _Mismatch if it has the wrong type
        self.decode = decode  # a JSON value back to a model value; _Mismatch if it has the wrong type
        # For str, int, float and bool, stored as they are: the one type a value may have.
        # Records and sequences check it in line, which keeps reading an entry fast.
        self.scalar = scalar


def _exactly(value: object, kind: type[T]) -> T:
    # `type(...) is`, not isinstance: True is an int and a NamedTuple a tuple to isinstance.
    if type(value) is not kind:
        raise _Mismatch
    return value


@functools.cache
def _codec(hint: object) -> _Codec:
    """How to store a value of type ``hint``, built once per type from the type alone.

    Handles str, int, float, bool, dates, NamedTuple records (by their type hints),
    ``tuple[X, ...]``, fixed tuples, ``dict[K, V]``, ``X | None`` and ``Literal``.  Any
    other type is a TypeError, which makes the cache a miss; a record may not contain
    itself.
    """
    if hint in (str, int, float, bool):
        return _scalar(typing.cast(type, hint))
    if hint is dt.date:
        return _Codec(_encode_date, _decode_date)
    if isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return _record(hint, hint._fields)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(_codec(args[0]))
        return _fixed(tuple(_codec(arg) for arg in args))
    if origin is dict:
        if args[0] is str:
            return _mapping(_codec(args[1]))
        return _pairs(_codec(args[0]), _codec(args[1]))
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return _optional(_codec(next(arg for arg in args if arg is not type(None))))
    if origin is typing.Literal:
        return _literal(args)
    raise TypeError(f"the cache cannot store a value of type {hint!r}")


def _scalar(kind: type) -> _Codec:
    def check(value: object) -> object:
        if type(value) is not kind:
            raise _Mismatch
        return value

    return _Codec(check, check, kind)


def _encode_date(value: object) -> object:
    return _exactly(value, dt.date).isoformat()


def _decode_date(value: object) -> object:
    try:
        return dt.date.fromisoformat(_exactly(value, str))
    except ValueError:
        raise _Mismatch from None


def _record(cls: type[tuple[object, ...]], field_names: tuple[str, ...]) -> _Codec:
    # get_type_hints resolves the annotations, strings under `from __future__ import
    # annotations`, in the record's own module: the types come from the code, never the file.
    hints = typing.get_type_hints(cls)
    fields = tuple((name, _codec(hints[name])) for name in field_names)
    names = frozenset(name for name, _ in fields)
    plan = tuple((name, codec.scalar, codec.decode) for name, codec in fields)

    def encode(value: object) -> object:
        record = _exactly(value, cls)
        return {name: codec.encode(item) for (name, codec), item in zip(fields, record, strict=True)}

    def decode(value: object) -> object:
        if type(value) is not dict or value.keys() != names:  # a field missing or one too many
            raise _Mismatch
        items = []
        for name, scalar, convert in plan:
            item = value[name]
            if scalar is None:
                item = convert(item)
            elif type(item) is not scalar:
                raise _Mismatch
            items.append(item)
        # What cls(*items) does, without the call: every field is present, so no default
        # applies, and a NamedTuple cannot override __new__.
        return tuple.__new__(cls, items)

    return _Codec(encode, decode)


def _sequence(item: _Codec) -> _Codec:
    scalar, convert = item.scalar, item.decode

    def encode(value: object) -> object:
        return [item.encode(element) for element in _exactly(value, tuple)]

    def decode(value: object) -> object:
        if type(value) is not list:
            raise _Mismatch
        if scalar is None:
            return tuple([convert(element) for element in value])
        for element in value:
            if type(element) is not scalar:
                raise _Mismatch
        return tuple(value)

    return _Codec(encode, decode)


def _fixed(items: tuple[_Codec, ...]) -> _Codec:
    def encode(value: object) -> object:
        elements = _exactly(value, tuple)
        if len(elements) != len(items):
            raise _Mismatch
        return [codec.encode(element) for codec, element in zip(items, elements, strict=True)]

    def decode(value: object) -> object:
        elements = _exactly(value, list)
        if len(elements) != len(items):
            raise _Mismatch
        return tuple([codec.decode(element) for codec, element in zip(items, elements, strict=True)])

    return _Codec(encode, decode)


def _mapping(item: _Codec) -> _Codec:
    """``dict[str, V]``: a JSON object."""
    convert = item.decode

    def encode(value: object) -> object:
        return {_exactly(key, str): item.encode(element) for key, element in _exactly(value, dict).items()}

    def decode(value: object) -> object:
        if type(value) is not dict:
            raise _Mismatch
        return {key: convert(element) for key, element in value.items()}  # JSON keys are strings

    return _Codec(encode, decode)


def _pairs(key_codec: _Codec, item: _Codec) -> _Codec:
    """``dict[K, V]`` with keys that are not strings, e.g. ``Version``: a list of ``[key, value]``."""

    def encode(value: object) -> object:
        return [[key_codec.encode(key), item.encode(element)] for key, element in _exactly(value, dict).items()]

    def decode(value: object) -> object:
        pairs = _exactly(value, list)
        result: dict[object, object] = {}
        for pair in pairs:
            if type(pair) is not list or len(pair) != 2:
                raise _Mismatch
            result[key_codec.decode(pair[0])] = item.decode(pair[1])
        if len(result) != len(pairs):  # a key given twice
            raise _Mismatch
        return result

    return _Codec(encode, decode)


def _optional(inner: _Codec) -> _Codec:
    convert = inner.decode

    def encode(value: object) -> object:
        return None if value is None else inner.encode(value)

    def decode(value: object) -> object:
        return None if value is None else convert(value)

    return _Codec(encode, decode)


def _literal(allowed: tuple[object, ...]) -> _Codec:
    choices = {(type(choice), choice) for choice in allowed}

    def check(value: object) -> object:
        if type(value) not in (str, int, bool) or (type(value), value) not in choices:
            raise _Mismatch
        return value

    return _Codec(check, check)
