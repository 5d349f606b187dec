"""A cache of parsed models, so that a command does not parse and validate YAML each time.

An entry is keyed on a hash of the data file's bytes, of the model's source (the shape
of the pickled records) and of the ptdiff and Python versions, so it can never be
stale: a changed file or a changed model is a different key.  Anything wrong with the
cache (missing, corrupt, unwritable directory) falls back to parsing, silently.  Only
files without any findings are cached, so warnings are never hidden.
Set PTDIFF_NO_CACHE=1 to turn it off.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path
from typing import Any

from . import __version__


def _directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ptdiff"


def _entry(data: bytes) -> Path | None:
    if os.environ.get("PTDIFF_NO_CACHE"):
        return None
    try:
        from _blake2 import blake2b  # what hashlib would give, without loading OpenSSL (~2.5 ms)
    except ImportError:
        from hashlib import blake2b
    from . import model

    key = blake2b(data, digest_size=16, person=b"ptdiff-model")
    key.update(Path(model.__file__).read_bytes())
    key.update(f"{__version__}:{sys.version_info[:2]}".encode())
    return _directory() / f"{key.hexdigest()}.pickle"


def get(data: bytes) -> Any | None:
    """The model cached for ``data``, or None."""
    entry = _entry(data)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # a missing or corrupt entry is a miss, whatever the reason
        return None


def put(data: bytes, model: Any) -> None:
    """Remember ``model`` for ``data``; give up quietly if that cannot be done."""
    entry = _entry(data)
    if entry is None:
        return
    partial = entry.with_suffix(f".{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, entry)  # atomic: readers see the old entry or the whole new one
    except Exception:
        try:
            partial.unlink()
        except Exception:
            pass
