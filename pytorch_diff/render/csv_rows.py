"""CSV (RFC 4180): a header row, then one row per row of the report's first table.

Where the table's rows come in sections (the areas of ``show``, the kinds of change of
``compare``), the first column holds the section's key.  Rows end in CRLF, so that a
value holding a bare CR or LF is quoted and stays one value.  A value that a spreadsheet
would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a CR) gets a
leading ``'``, as OWASP's CSV-injection guidance advises.
"""

from __future__ import annotations

import csv
from typing import IO

from .report import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_csv(report: Report, out: IO[str]) -> None:
    table = report.tables[0]
    writer = csv.writer(out, lineterminator="\r\n")
    lead = (table.group,) if table.group else ()
    writer.writerow(tuple(map(value, lead + table.columns)))
    for section in table.sections:
        key = (section.key,) if table.group else ()
        for row in section.rows:
            writer.writerow(tuple(map(value, key + tuple(c.text for c in row))))


def value(text: str) -> str:
    """``text`` as a CSV value that no spreadsheet takes for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
