"""JSON: exactly one document per scan.

``{"schema_version": 1, "kind": "scan", "from", "to", "from_source", "files", "findings":
[...], "counts": {code: n, ...}}``.  Each finding has ``path``, ``cell`` (notebooks; else
null), ``line``, ``column``, ``end_line``, ``end_column`` (1-based, characters), ``code``,
``api``, ``release``, ``change``, ``summary``, ``replacement`` (a list), ``safe_fix``,
``fix`` (``{"replace", "with", "start": {line, column}, "end": {line, column}}`` or null),
``sources`` (URLs), ``guarded``, ``fails`` (whether it counts toward the exit code) and
``message``.  In a notebook, lines and columns are those of the cell.  Characters that a
terminal would act on are escaped (``\\u202e``) even where JSON allows them raw.
"""

from __future__ import annotations

import json
from typing import IO, Any

from ...text import unsafe_characters
from ..findings import Finding, Position, message
from . import Report

SCHEMA_VERSION = 1


def write(report: Report, out: IO[str]) -> None:
    """The document, indented, on one write."""
    out.write(dumps(document(report)) + "\n")


def document(report: Report) -> dict[str, Any]:
    """The document as plain data."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "scan",
        "from": report.start,
        "to": report.end,
        "from_source": report.from_source,
        "files": report.files,
        "findings": [finding_record(f, report) for f in report.findings],
        "counts": report.counts(),
    }


def finding_record(finding: Finding, report: Report) -> dict[str, Any]:
    """One finding as plain data."""
    fix = finding.fix
    return {
        "path": finding.path,
        "cell": finding.cell,
        "line": finding.start.line,
        "column": finding.start.column,
        "end_line": finding.end.line,
        "end_column": finding.end.column,
        "code": finding.code,
        "api": finding.api or None,
        "release": finding.release or None,
        "change": finding.change or None,
        "summary": finding.summary,
        "replacement": list(finding.replacement),
        "safe_fix": finding.safe_fix,
        "fix": None
        if fix is None
        else {"replace": fix.replace, "with": fix.with_, "start": _position(fix.start), "end": _position(fix.end)},
        "sources": list(finding.sources),
        "guarded": finding.guarded,
        "fails": report.fails(finding),
        "message": message(finding, report.start),
    }


def dumps(data: Any) -> str:
    """JSON text with every unsafe character escaped, also those JSON allows raw."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if text.isascii():
        return text
    unsafe = set(unsafe_characters(text, newlines=True))
    if not unsafe:
        return text
    return "".join(_json_escape(char) if char in unsafe else char for char in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def _position(position: Position) -> dict[str, int]:
    return {"line": position.line, "column": position.column}
