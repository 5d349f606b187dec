"""A small TOML reader for Python 3.10, which has no ``tomllib``: enough for pyproject.toml.

It reads tables, arrays of tables, dotted and quoted keys, strings of all four kinds,
arrays, inline tables, booleans and numbers.  Dates, times and other scalars are kept as
their text.  It checks less than a full parser: it is only used where ``tomllib`` is absent,
and only ``[project]`` and ``[tool.ptdiff]`` are read from what it returns.
"""

from __future__ import annotations

import re
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9:.+\-Z]+|[0-9A-Za-z+\-_.:]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}


class TOMLError(ValueError):
    """The text is not TOML this reader understands."""


def loads(text: str) -> dict[str, Any]:
    """The document ``text`` as nested dicts and lists."""
    return _Parser(text).document()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text.replace("\r\n", "\n")
        self.at = 0

    def document(self) -> dict[str, Any]:
        root: dict[str, Any] = {}
        table = root
        while True:
            self._blank(newlines=True)
            if self.at >= len(self.text):
                return root
            if self.text.startswith("[[", self.at):
                self.at += 2
                keys = self._key()
                self._expect("]]")
                parent = self._descend(root, keys[:-1])
                tables = parent.setdefault(keys[-1], [])
                if not isinstance(tables, list):
                    raise self._error(f"{'.'.join(keys)} is not an array of tables")
                table = {}
                tables.append(table)
            elif self.text.startswith("[", self.at):
                self.at += 1
                keys = self._key()
                self._expect("]")
                table = self._descend(root, keys)
            else:
                self._pair(table)
            self._blank(newlines=False)
            if self.at < len(self.text) and self.text[self.at] != "\n":
                raise self._error("expected the end of the line")

    def _pair(self, table: dict[str, Any]) -> None:
        keys = self._key()
        self._expect("=")
        target = self._descend(table, keys[:-1])
        if keys[-1] in target:
            raise self._error(f"key {'.'.join(keys)!r} given twice")
        target[keys[-1]] = self._value()

    def _descend(self, table: dict[str, Any], keys: list[str]) -> dict[str, Any]:
        for key in keys:
            table = table.setdefault(key, {})
            if isinstance(table, list):  # [[x]] then [x.y]: the last table of the array
                table = table[-1]
            if not isinstance(table, dict):
                raise self._error(f"{key!r} is not a table")
        return table

    def _key(self) -> list[str]:
        keys: list[str] = []
        while True:
            self._blank(newlines=False)
            char = self.text[self.at : self.at + 1]
            if char in ('"', "'"):
                keys.append(self._string())
            else:
                match = _BARE_KEY.match(self.text, self.at)
                if match is None:
                    raise self._error("expected a key")
                keys.append(match.group())
                self.at = match.end()
            self._blank(newlines=False)
            if not self.text.startswith(".", self.at):
                return keys
            self.at += 1

    def _value(self) -> Any:
        self._blank(newlines=False)
        char = self.text[self.at : self.at + 1]
        if char in ('"', "'"):
            return self._string()
        if char == "[":
            return self._array()
        if char == "{":
            return self._inline_table()
        match = _SCALAR.match(self.text, self.at)
        if match is None:
            raise self._error("expected a value")
        self.at = match.end()
        word = match.group().strip()
        if word in ("true", "false"):
            return word == "true"
        for kind in (int, float):
            try:
                return kind(word.replace("_", ""))
            except ValueError:
                pass
        return word

    def _array(self) -> list[Any]:
        self.at += 1
        items: list[Any] = []
        while True:
            self._blank(newlines=True)
            if self.text.startswith("]", self.at):
                self.at += 1
                return items
            items.append(self._value())
            self._blank(newlines=True)
            if self.text.startswith(",", self.at):
                self.at += 1
            elif not self.text.startswith("]", self.at):
                raise self._error("expected ',' or ']' in an array")

    def _inline_table(self) -> dict[str, Any]:
        self.at += 1
        table: dict[str, Any] = {}
        self._blank(newlines=False)
        if self.text.startswith("}", self.at):
            self.at += 1
            return table
        while True:
            self._pair(table)
            self._blank(newlines=False)
            if self.text.startswith("}", self.at):
                self.at += 1
                return table
            self._expect(",")

    def _string(self) -> str:
        quote = self.text[self.at]
        multi = self.text.startswith(quote * 3, self.at)
        self.at += 3 if multi else 1
        if multi and self.text.startswith("\n", self.at):
            self.at += 1  # a newline right after the opening quotes is not part of the string
        closing = quote * 3 if multi else quote
        parts: list[str] = []
        while True:
            if self.at >= len(self.text) or (not multi and self.text[self.at] == "\n"):
                raise self._error("unterminated string")
            if self.text.startswith(closing, self.at):
                run = 0
                while multi and self.text.startswith(quote, self.at + run):
                    run += 1
                extra = min(run - 3, 2) if multi else 0  # """a"""" is 'a"': up to two quotes before the end
                parts.append(quote * extra)
                self.at += len(closing) + extra
                return "".join(parts)
            char = self.text[self.at]
            if char == "\\" and quote == '"':
                parts.append(self._escape(multi))
                continue
            parts.append(char)
            self.at += 1

    def _escape(self, multi: bool) -> str:
        code = self.text[self.at + 1 : self.at + 2]
        if multi and code in ("\n", " ", "\t"):
            # a line-ending backslash removes the newline and the whitespace after it
            rest = self.text[self.at + 1 :]
            stripped = rest.lstrip(" \t\n")
            if "\n" not in rest[: len(rest) - len(stripped)]:
                raise self._error("a backslash must end the line")
            self.at += 1 + len(rest) - len(stripped)
            return ""
        if code in _ESCAPES:
            self.at += 2
            return _ESCAPES[code]
        if code in ("u", "U"):
            width = 4 if code == "u" else 8
            digits = self.text[self.at + 2 : self.at + 2 + width]
            try:
                value = chr(int(digits, 16))
            except ValueError:
                raise self._error(f"bad escape \\{code}{digits}") from None
            self.at += 2 + width
            return value
        raise self._error(f"bad escape \\{code}")

    def _blank(self, newlines: bool) -> None:
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char in " \t" or (newlines and char == "\n"):
                self.at += 1
            elif char == "#":
                end = text.find("\n", self.at)
                self.at = len(text) if end < 0 else end
            else:
                return

    def _expect(self, token: str) -> None:
        self._blank(newlines=False)
        if not self.text.startswith(token, self.at):
            raise self._error(f"expected {token!r}")
        self.at += len(token)

    def _error(self, message: str) -> TOMLError:
        line = self.text.count("\n", 0, self.at) + 1
        return TOMLError(f"line {line}: {message}")
