"""Text, as ruff prints it: ``path:line:col: CODE message (link)`` per finding, then a summary line.

``[*]`` after the code marks a finding with a safe fix (``--format json`` or ``sarif`` give
the edit).  File names and data pass through ``visible()``: a control or bidi character
in either is shown escaped.
"""

from __future__ import annotations

from typing import IO

from ...text import visible
from ..findings import message
from . import Report


def write(report: Report, out: IO[str]) -> None:
    """The findings, one a line, then the summary."""
    for finding in report.findings:
        fixable = " [*]" if finding.fix is not None else ""
        link = f" ({finding.sources[0]})" if finding.sources else ""
        text = f"{finding.where}: {finding.code}{fixable} {message(finding, report.start)}{link}"
        out.write(visible(text) + "\n")
    out.write(visible(report.summary()) + "\n")
