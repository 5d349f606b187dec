"""CSV: one header row, then one row per table row, with the section as the first column."""

from __future__ import annotations

import csv
from typing import IO

from .report import Report


def write_csv(report: Report, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((report.group,) + report.columns)
    for section in report.sections:
        for row in section.rows:
            writer.writerow((section.title,) + row)
