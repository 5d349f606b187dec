"""GitHub-flavoured Markdown: a heading, the header facts as a list, one table per section."""

from __future__ import annotations

from typing import IO

from .report import Report


def write_markdown(report: Report, out: IO[str]) -> None:
    out.write(f"# {report.title}\n\n")
    for label, value in report.facts:
        out.write(f"- **{label}:** {value}\n")
    if report.facts:
        out.write("\n")
    for note in report.notes:
        out.write(f"{note}\n\n")
    if not report.sections:
        out.write(f"{report.empty}\n")
    for section in report.sections:
        if len(report.sections) > 1 or report.group in ("area", "change"):
            out.write(f"## {section.title}\n\n")
        out.write(_row(report.columns))
        out.write("|" + "|".join(" --- " for _ in report.columns) + "|\n")
        for row in section.rows:
            out.write(_row(row))
        out.write("\n")


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |\n"


def _cell(text: str) -> str:
    # A pipe would end the cell and a newline the row: escape one, turn the other into <br>.
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")
