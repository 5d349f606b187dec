"""CSV (RFC 4180): one header row, then one row per table row, with the section as the first column.

Rows end in CRLF, so that a value holding a bare CR or LF is quoted and stays one value.
A value that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a CR) gets a leading ``'``, as OWASP's CSV-injection guidance advises.
"""

from __future__ import annotations

import csv
from typing import IO

from .report import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_csv(report: Report, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(tuple(map(cell, (report.group,) + report.columns)))
    for section in report.sections:
        for row in section.rows:
            writer.writerow(tuple(map(cell, (section.title,) + row)))


def cell(text: str) -> str:
    """``text`` as a CSV value that no spreadsheet takes for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
