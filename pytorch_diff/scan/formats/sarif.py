"""SARIF 2.1.0, for code-scanning services: one run, the five codes as rules, a result per finding.

A result's level is ``error`` when it counts toward the exit code (``--fail-on``), ``note``
when it is guarded, ``warning`` otherwise.  Safe renames carry a ``fixes`` entry.  Columns
count Unicode code points (``columnKind``).  A notebook finding has no region (its line is
a line of a cell, not of the .ipynb file): the message starts with ``cell N, line L,
column C``, and its properties hold the same numbers.
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path, PurePath
from typing import IO, Any

from ... import __version__
from ...text import visible
from ..findings import CODES, Finding, message
from . import Report
from .json_doc import dumps

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_DEFAULT_LEVEL = {"PTD101": "error", "PTD103": "error", "PTD900": "error"}


def write(report: Report, out: IO[str]) -> None:
    """The SARIF log as one JSON document."""
    out.write(dumps(document(report)) + "\n")


def document(report: Report) -> dict[str, Any]:
    """The SARIF log as plain data."""
    codes = list(CODES)
    driver = {
        "name": "ptdiff",
        "version": __version__,
        "rules": [
            {
                "id": code,
                "name": about.name,
                "shortDescription": {"text": about.title},
                "fullDescription": {"text": about.help},
                "help": {"text": about.help},
                "defaultConfiguration": {"level": _DEFAULT_LEVEL.get(code, "warning")},
            }
            for code, about in CODES.items()
        ],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, report, codes.index(f.code)) for f in report.findings],
        "properties": {"from": report.start, "to": report.end, "fromSource": report.from_source, "files": report.files},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _result(finding: Finding, report: Report, index: int) -> dict[str, Any]:
    level = "note" if finding.guarded else "error" if report.fails(finding) else "warning"
    text = message(finding, report.start) + (f" ({finding.sources[0]})" if finding.sources else "")
    artifact = {"uri": uri(finding.path)}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if finding.cell is None:
        physical["region"] = {
            "startLine": finding.start.line,
            "startColumn": finding.start.column,
            "endLine": finding.end.line,
            "endColumn": finding.end.column,
        }
    else:
        text = f"cell {finding.cell}, line {finding.start.line}, column {finding.start.column}: {text}"
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": level,
        "message": {"text": visible(text)},
        "locations": [{"physicalLocation": physical}],
        "properties": {
            "api": finding.api,
            "release": finding.release,
            "change": finding.change,
            "summary": finding.summary,
            "replacement": list(finding.replacement),
            "safeFix": finding.safe_fix,
            "sources": list(finding.sources),
            "guarded": finding.guarded,
        },
    }
    if finding.cell is not None:
        result["properties"].update(cell=finding.cell, line=finding.start.line, column=finding.start.column)
    fix = finding.fix
    if fix is not None and finding.cell is None:
        deleted = {
            "startLine": fix.start.line,
            "startColumn": fix.start.column,
            "endLine": fix.end.line,
            "endColumn": fix.end.column,
        }
        result["fixes"] = [
            {
                "description": {"text": visible(f"Replace {fix.replace} with {fix.with_}")},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [{"deletedRegion": deleted, "insertedContent": {"text": fix.with_}}],
                    }
                ],
            }
        ]
    return result


def uri(path: str) -> str:
    """A path as a URI reference: relative paths stay relative, with / and percent-encoding."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return urllib.parse.quote(PurePath(path).as_posix(), safe="/", errors="surrogateescape")
