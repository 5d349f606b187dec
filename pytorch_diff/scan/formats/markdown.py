"""Markdown: a heading, one table row per finding, and the summary, for a pull request or an issue.

Every cell passes through ``visible()`` and has the characters Markdown would act on
(``|``, ``*``, ``_``, backquotes, brackets, ``<``) escaped with a backslash.
"""

from __future__ import annotations

import re
from typing import IO

from ...text import visible
from ..findings import Finding
from . import Report

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
COLUMNS = ("location", "code", "API", "what happened", "use instead", "safe fix", "sources")


def write(report: Report, out: IO[str]) -> None:
    """The table, or a line saying there is nothing to report."""
    out.write(f"## ptdiff scan: torch {cell(report.start)} → {cell(report.end)}\n\n")
    if report.findings:
        out.write("| " + " | ".join(COLUMNS) + " |\n")
        out.write("|" + "---|" * len(COLUMNS) + "\n")
        for finding in report.findings:
            out.write("| " + " | ".join(_row(finding, report)) + " |\n")
        out.write("\n")
    out.write(cell(report.summary()) + "\n")


def _row(finding: Finding, report: Report) -> list[str]:
    what = f"{finding.change} in {finding.release}: {finding.summary}" if finding.release else finding.summary
    if finding.guarded:
        what += " (guarded)"
    links = ", ".join(f"<{url}>" for url in finding.sources if _plain_url(url))
    return [
        cell(finding.where),
        finding.code,
        f"`{finding.api}`" if finding.api and "`" not in finding.api else cell(finding.api),
        cell(what),
        cell(", ".join(finding.replacement)),
        "yes" if finding.safe_fix else "",
        links,
    ]


def cell(text: str) -> str:
    """``text`` safe inside a table cell: visible, one line, Markdown characters escaped."""
    return _SPECIAL.sub(r"\\\1", visible(text))


def _plain_url(url: str) -> bool:
    # An autolink ends at the first space or '>': only URLs without them are linked as is.
    return url.startswith(("https://", "http://")) and visible(url) == url and not set(url) & set(" <>")
