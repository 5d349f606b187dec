"""GitHub-flavoured Markdown: a heading, the facts as a list, the tables, with sources as links.

Every value is escaped so that it renders as the text it is, inside its own cell or list
item: Markdown syntax characters get a backslash, HTML characters become entities, and a
line break inside a cell becomes ``<br>`` (the only HTML written).  Link targets are
URLs the loader checked, with the characters that could end a link percent-encoded.
"""

from __future__ import annotations

import re
from typing import IO

from .report import Cell, Report, has_rows

# Characters with a meaning in GFM text; a backslash makes each literal.
_SYNTAX = str.maketrans({c: "\\" + c for c in "\\`*_[]|~#!"})
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_URL = str.maketrans({c: f"%{ord(c):02X}" for c in "()<>[] \"'`"})


def write_markdown(report: Report, out: IO[str]) -> None:
    out.write(f"# {inline(report.title)}\n\n")
    for label, value in report.facts:
        out.write(f"- **{inline(label)}:** {_cell(value, ' ')}\n")
    if report.facts:
        out.write("\n")
    for text in report.intro:
        out.write(f"{_paragraph(inline(text))}\n\n")
    for index, table in enumerate(report.tables):
        if not has_rows(table):
            if index == 0:
                out.write(f"{inline(report.empty)}\n\n")
            continue
        level = "##"
        if table.heading:
            out.write(f"## {inline(table.heading)}\n\n")
            level = "###"
        for section in table.sections:
            if section.title:
                out.write(f"{level} {inline(section.title)}\n\n")
            out.write(_row(table.columns))
            out.write("|" + "|".join(" --- " for _ in table.columns) + "|\n")
            for row in section.rows:
                out.write("| " + " | ".join(_cell(c, "<br>") for c in row) + " |\n")
            out.write("\n")
    for note in report.notes:
        out.write(f"{_paragraph(inline(note))}\n\n")


def inline(text: str, line_break: str = " ") -> str:
    """``text`` escaped to render as itself on one line; line breaks become ``line_break``."""
    escaped = text.translate(_SYNTAX).translate(_HTML)
    return line_break.join(part.strip() for part in escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _cell(value: Cell, line_break: str) -> str:
    if not value.links:
        return inline(value.text, line_break)
    return "; ".join(_link(name, url) for name, url in value.links)


def _link(name: str, url: str) -> str:
    target = url.translate(_URL)
    if name == url:
        return f"<{target}>"
    return f"[{inline(name)}]({target})"


def _paragraph(text: str) -> str:
    # At the start of a line, "-", "+" or "1." would begin a list, "=" underline a heading.
    if text[:1] in ("-", "+", "="):
        return "\\" + text
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(inline(c, "<br>") for c in cells) + " |\n"
