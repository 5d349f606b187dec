"""A cache of parsed models, so that a command does not parse and validate YAML each time.

An entry is plain JSON, never pickle: nothing in it can name a class or run code.  Its
shape follows from the type hints of the ``Model`` records alone, and on the way in every
value is checked against the type its field declares (``typed_json.py``).  Anything
unexpected is a miss.

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

import json
import os
import stat
import sys
import time
from pathlib import Path

from . import __version__
from .model import Model
from .typed_json import codec

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
            {"format": FORMAT, "key": key, "model": codec(Model).encode(model)},
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
    model = codec(Model).decode(document["model"])
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
