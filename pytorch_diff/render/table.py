"""Terminal tables with Rich: colour only on a terminal, plain text when piped."""

from __future__ import annotations

import os
from typing import IO, Any

from ..model import Model
from ..query import Validation
from ..text import visible
from .report import Report, build_report, validation_summary

# Cell values drawn in colour; anything else is plain.
STYLES = {
    "new": "green",
    "changed": "yellow",
    "deprecated": "magenta",
    "removed": "red",
    "yes": "red",
    "✓": "green",
    "✘": "red",
    "+": "green",
    "-": "red",
    "?": "yellow",
}


# Below this many columns a table cannot show its cells legibly: draw records instead.
NARROW = 60
# What a width taken from $COLUMNS is held to, and what stands in for a useless one.
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 20, 1000, 80


def write_table(result: Any, model: Model | None, out: IO[str], *, color: bool | None = None) -> None:
    if isinstance(result, Validation):
        _write_findings(result, out)
        return
    from rich.console import Console

    no_color = color is False or bool(os.environ.get("NO_COLOR"))
    console = Console(
        file=out,
        width=_width(out),
        highlight=False,
        markup=False,
        emoji=False,
        color_system=None if no_color else "auto",
    )
    console.on_broken_pipe = _broken_pipe  # the CLI decides what a closed pipe means, not Rich
    utf = console.encoding.lower().startswith("utf")
    report = build_report(result, model, cells="symbols" if utf else "ascii", brief=True)
    if report.group == "table":  # the backend matrix only: its columns are the point
        report = report._replace(narrow=())
    draw_report(report, console)


def draw_report(report: Report, console: Any) -> None:
    from rich.text import Text

    console.print(Text(report.title, style="bold"))
    for label, value in report.facts:
        # A one-word value (a URL) is left for the terminal to wrap, so it stays one line
        # that can be clicked or copied; Rich would break it with newlines.
        console.print(Text.assemble((f"{label}: ", "dim"), value), soft_wrap=" " not in value)
    shown = report.narrow or report.columns
    index = [report.columns.index(name) for name in shown]  # where each shown column is in a row
    if not report.sections:
        console.print(Text(report.empty))
    if console.width < NARROW:
        _draw_records(report, shown, index, console)
    else:
        _draw_tables(report, shown, index, console)
    for note in report.notes:
        console.print(Text(note))


def _draw_tables(report: Report, shown: tuple[str, ...], index: list[int], console: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    widths = _column_widths(report, shown, index, console.width)
    for section in report.sections:
        title = (
            Text(section.title, style="bold")
            if len(report.sections) > 1 or report.group in ("area", "change")
            else None
        )
        table = Table(title=title, title_justify="left", show_edge=True, expand=False)
        for name, width in zip(shown, widths, strict=True):
            # fold: long words (URLs) wrap onto the next line instead of being cut off
            table.add_column(name, width=width, overflow="fold")
        for row in section.rows:
            table.add_row(*(Text(row[i], style=_style(row[i])) for i in index))
        console.print(table)


def _column_widths(report: Report, shown: tuple[str, ...], index: list[int], total: int) -> list[int]:
    """One width per column, shared by every section's table so that they line up.

    Each column is as wide as its longest line; when that does not fit, the widest columns
    are cut down to a common width (their text wraps, long words fold), as Rich does for a
    single table.  Fixed widths also spare Rich from measuring every cell of every table.
    """
    from rich.cells import cell_len

    natural = [cell_len(name) for name in shown]
    for section in report.sections:
        for row in section.rows:
            for k, i in enumerate(index):
                natural[k] = max(natural[k], *map(cell_len, row[i].split("\n")))
    room = total - 3 * len(shown) - 1  # a border and a space each side of every cell
    if sum(natural) <= room:
        return natural
    # Narrowest first, each column takes its natural width or an even share of what is left.
    widths = list(natural)
    left = room
    for done, k in enumerate(sorted(range(len(natural)), key=natural.__getitem__)):
        widths[k] = max(1, min(natural[k], left // (len(natural) - done)))
        left -= widths[k]
    return widths


def _draw_records(report: Report, shown: tuple[str, ...], index: list[int], console: Any) -> None:
    """Too narrow for columns: one block per row, one "column: value" line per cell."""
    from rich.text import Text

    for section in report.sections:
        console.print(Text(f"== {section.title}", style="bold"))
        for row in section.rows:
            for name, i in zip(shown, index, strict=True):
                if row[i]:
                    console.print(Text.assemble((f"{name}: ", "dim"), (row[i], _style(row[i]))), overflow="fold")
            console.print()


def _write_findings(result: Validation, out: IO[str]) -> None:
    """``validate``: compiler-style lines, so that editors can jump to them, then the counts."""
    for problem in result.problems:
        out.write(f"{visible(str(problem))}\n")
    out.write(f"{visible(result.file)}: {validation_summary(result)}\n")


def _width(out: IO[str]) -> int | None:
    """The width to draw at: $COLUMNS when it is sane, else None to let Rich ask the terminal.

    COLUMNS=0 or a word would make Rich draw nothing or fail; a huge value would make
    every line that long.  Such a value is bounded, or replaced by the terminal's width.
    """
    text = os.environ.get("COLUMNS")
    if text is None:
        return None
    try:
        columns = int(text)
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(out.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 0
    if columns <= 0:
        return DEFAULT_WIDTH
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def _style(cell: str) -> str:
    if "→" in cell or "->" in cell:  # a matrix cell that changed between two releases
        return "bold yellow"
    return STYLES.get(cell, "")


def _broken_pipe() -> None:
    raise BrokenPipeError
