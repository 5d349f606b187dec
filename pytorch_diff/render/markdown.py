"""GitHub-flavoured Markdown: a heading, the header facts as a list, one table per section.

Every value is escaped so that it renders as the text it is, inside its own cell or list
item: Markdown syntax characters get a backslash, HTML characters become entities, and a
line break inside a cell becomes ``<br>`` (the only HTML written).
"""

from __future__ import annotations

import re
from typing import IO

from .report import Report

# Characters with a meaning in GFM text; a backslash makes each literal.
_SYNTAX = str.maketrans({c: "\\" + c for c in "\\`*_[]|~#!"})
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def write_markdown(report: Report, out: IO[str]) -> None:
    out.write(f"# {inline(report.title)}\n\n")
    for label, value in report.facts:
        out.write(f"- **{inline(label)}:** {inline(value)}\n")
    if report.facts:
        out.write("\n")
    for note in report.notes:
        out.write(f"{_paragraph(inline(note))}\n\n")
    if not report.sections:
        out.write(f"{inline(report.empty)}\n")
    for section in report.sections:
        if len(report.sections) > 1 or report.group in ("area", "change"):
            out.write(f"## {inline(section.title)}\n\n")
        out.write(_row(report.columns))
        out.write("|" + "|".join(" --- " for _ in report.columns) + "|\n")
        for row in section.rows:
            out.write(_row(row))
        out.write("\n")


def inline(text: str, line_break: str = " ") -> str:
    """``text`` escaped to render as itself on one line; line breaks become ``line_break``."""
    escaped = text.translate(_SYNTAX).translate(_HTML)
    return line_break.join(part.strip() for part in escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _paragraph(text: str) -> str:
    # At the start of a line, "-", "+" or "1." would begin a list, "=" underline a heading.
    if text[:1] in ("-", "+", "="):
        return "\\" + text
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(inline(c, "<br>") for c in cells) + " |\n"
