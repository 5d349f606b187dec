"""Typed field readers for the loader: each reads one value, checks it, and records a problem.

``load.py`` builds records from these; nothing here knows what a release or a feature is.
A reader always returns a usable value (``""``, ``()``, ``None``) so that one bad field
does not hide the problems of the next ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from .errors import did_you_mean
from .model import Version
from .reader import Document, Path_
from .text import unsafe_characters

T = TypeVar("T")

# A dotted Python name in ASCII: a zero-width or look-alike character cannot hide in it.
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# A suggestion compares a name with every known one: on a hostile file with many unknown
# names among many known ones that would be quadratic, so both are bounded.
MAX_SUGGESTION_CANDIDATES = 200
MAX_SUGGESTIONS = 100


def kind_of(value: Any) -> str:
    """How a value found in the file is named in messages: "a mapping", "a number"."""
    names = {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "nothing",
        dt.date: "a date",
        dt.datetime: "a date and time",
    }
    return names.get(type(value), type(value).__name__)


class Fields:
    """Reads fields of the document's mappings, recording every problem in ``doc``."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.suggestions_left = MAX_SUGGESTIONS

    def problem(
        self, path: Path_, check: str, message: str, level: str = "error", also_at: Path_ | None = None
    ) -> None:
        self.doc.problem(path, check, message, level, also_at)

    def record(
        self, raw: Any, path: Path_, what: str, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()
    ) -> dict[Any, Any] | None:
        """``raw`` as a mapping with only the allowed keys, or None if it is not a mapping."""
        if not isinstance(raw, dict):
            self.problem(path, "type", f"expected {what} (a mapping), found {kind_of(raw)}")
            return None
        allowed = required + optional
        for key in raw:
            if key not in allowed:
                self.unknown(path + (key,), "field", key, allowed, check="unknown-field")
        # One finding per record, however many keys it lacks: findings stay bounded by values.
        missing = [key for key in required if key not in raw]
        if missing:
            names = ", ".join(f"'{key}'" for key in missing)
            self.problem(path, "missing-field", f"{what} is missing required field{'s' * (len(missing) > 1)} {names}")
        return raw

    def items(self, rec: Mapping[Any, Any], key: str, path: Path_) -> list[tuple[Any, Path_]]:
        """The items of list field ``key`` with their paths; [] (and a problem) if not a list."""
        items = rec.get(key, [])
        if not isinstance(items, list):
            self.problem(path + (key,), "type", f"'{key}' must be a list, found {kind_of(items)}")
            return []
        return [(item, path + (key, index)) for index, item in enumerate(items)]

    def unique(self, built: list[tuple[T, Path_]], ident: Callable[[T], object], what: str) -> list[tuple[T, Path_]]:
        """The records whose identity is new; a repeated one is a ``duplicate-id`` error."""
        first: dict[object, Path_] = {}
        kept = []
        for record, path in built:
            key = ident(record)
            if key == "":  # an empty identity is already a missing-field finding
                kept.append((record, path))
                continue
            if key in first:
                message = f"{what} {str(key)!r:.60} is defined twice (first at line \x00line\x00)"
                self.problem(path, "duplicate-id", message, also_at=first[key])
                continue
            first[key] = path
            kept.append((record, path))
        return kept

    def text(self, rec: Mapping[Any, Any], key: str, path: Path_, required: bool = True) -> str:
        value = rec.get(key)
        if value is None or value == "":
            if required and key in rec:  # an absent key is reported once, by record()
                self.problem(path + (key,), "missing-field", f"'{key}' must not be empty")
            return ""
        if not isinstance(value, str):
            self.problem(path + (key,), "type", f"'{key}' must be text, found {kind_of(value)}")
            return ""
        self.characters(value, path + (key,), f"'{key}'")
        return value.strip()

    def characters(self, value: str, path: Path_, what: str, newlines: bool = True) -> None:
        """A ``control-character`` error for characters that could act on a terminal."""
        found = unsafe_characters(value, newlines=newlines)
        if found:
            shown = ", ".join(f"U+{ord(c):04X}" for c in found[:5])
            self.problem(path, "control-character", f"{what} contains control or bidi characters: {shown}")

    def url(self, rec: Mapping[Any, Any], key: Any, path: Path_) -> str:
        value = self.text(rec, key, path)
        if value and (not value.startswith(("https://", "http://")) or any(c.isspace() for c in value)):
            self.problem(path + (key,), "type", f"'{key}' must be an http(s) URL without spaces, found {value!r}")
            return ""
        if value.startswith("http://"):
            self.problem(path + (key,), "insecure-url", f"'{key}' is not https: {value}", level="warning")
        return value

    def date(self, rec: Mapping[Any, Any], key: str, path: Path_) -> dt.date:
        value = rec.get(key)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and value.isascii():
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if key in rec:
            self.problem(path + (key,), "type", f"'{key}' must be a date like 2019-05-01, found {value!r}")
        return dt.date.min

    def flag(self, rec: Mapping[Any, Any], key: str, path: Path_) -> bool:
        value = rec.get(key, False)
        if not isinstance(value, bool):
            self.problem(path + (key,), "type", f"'{key}' must be true or false, found {kind_of(value)}")
            return False
        return value

    def version(self, rec: Mapping[Any, Any], key: str, path: Path_) -> Version | None:
        value = rec.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            shown = repr(value)
            if len(shown) > 20:
                self.problem(path + (key,), "type", f"'{key}' must be a quoted version like \"1.1\", found a number")
            else:
                message = f"'{key}' must be quoted: YAML reads {shown} as a number; write \"{shown}\""
                self.problem(path + (key,), "type", message)
            return None
        parsed = Version.parse(value) if isinstance(value, str) else None
        if parsed is None and key in rec:
            self.problem(
                path + (key,), "type", f"'{key}' must be a version like \"1.1\" (ASCII digits), found {value!r:.40}"
            )
        return parsed

    def choice(self, rec: Mapping[Any, Any], key: str, path: Path_, allowed: Collection[str]) -> str:
        value = self.text(rec, key, path)
        if value and value not in allowed:
            self.unknown(path + (key,), key, value, allowed)
            return ""
        return value

    def names(self, rec: Mapping[Any, Any], key: str, path: Path_, dotted: bool = False) -> tuple[str, ...]:
        """A list of non-empty names; with ``dotted``, each a dotted ASCII Python name."""
        value = rec.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(path + (key,), "type", f"'{key}' must be a list of names")
            return ()
        for index, name in enumerate(value):
            self.characters(name, path + (key, index), f"a name in '{key}'", newlines=False)
            if dotted:
                self.dotted(name.strip(), path + (key, index))
        return tuple(v.strip() for v in value)

    def dotted(self, name: str, path: Path_, identifier: bool = False) -> bool:
        """Whether ``name`` is a dotted (or, with ``identifier``, a plain) ASCII Python name."""
        if (_IDENTIFIER if identifier else _DOTTED).fullmatch(name):
            return True
        what = "a Python identifier" if identifier else "a dotted Python name such as torch.nn.Linear"
        self.problem(path, "api-name", f"{name!r:.60} is not {what} in ASCII")
        return False

    def unknown(self, path: Path_, what: str, value: Any, known: Collection[str], check: str = "unknown-value") -> None:
        message = f"unknown {what} {str(value)!r:.60}"
        if len(known) <= MAX_SUGGESTION_CANDIDATES and self.suggestions_left > 0:
            self.suggestions_left -= 1
            suggestion = did_you_mean(str(value)[:100], known)
            if suggestion:
                message += suggestion
            elif known and len(known) <= 12:
                message += f"; expected one of: {', '.join(sorted(known))}"
        self.problem(path, check, message)
