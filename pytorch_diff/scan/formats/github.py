"""GitHub Actions workflow commands: each finding annotates its line in the pull request.

``::error file=PATH,line=L,col=C,endLine=…,endColumn=…,title=PTD101 torch.x::message``.
The level is ``error`` when the finding counts toward the exit code, ``notice`` when it is
guarded, ``warning`` otherwise.  A notebook finding names the file only (its line is a
line of a cell) and says ``cell N, line L:C`` in the message.  As GitHub requires, ``%``,
CR and LF are escaped in the message, and ``:`` and ``,`` too in properties; text passes
through ``visible()`` first.  The summary follows as a plain line of the log.
"""

from __future__ import annotations

from typing import IO

from ...text import visible
from ..findings import message
from . import Report


def write(report: Report, out: IO[str]) -> None:
    """One workflow command per finding, then the summary."""
    for finding in report.findings:
        level = "notice" if finding.guarded else "error" if report.fails(finding) else "warning"
        text = message(finding, report.start) + (f" ({finding.sources[0]})" if finding.sources else "")
        properties = [("file", finding.path)]
        if finding.cell is None:
            properties += [
                ("line", str(finding.start.line)),
                ("col", str(finding.start.column)),
                ("endLine", str(finding.end.line)),
                ("endColumn", str(finding.end.column)),
            ]
        else:
            text = f"cell {finding.cell}, line {finding.start.line}:{finding.start.column}: {text}"
        properties.append(("title", f"{finding.code} {finding.api}".rstrip()))
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
        out.write(f"::{level} {joined}::{escape_data(text)}\n")
    out.write(escape_data(report.summary()) + "\n")


def escape_data(text: str) -> str:
    """A message as a workflow command carries it."""
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value as a workflow command carries it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
