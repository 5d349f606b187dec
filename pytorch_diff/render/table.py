"""Terminal output with Rich: colour and hyperlinks only on a terminal, plain text when piped.

The report is drawn into memory first, so that trailing spaces can be taken off, and so
that output taller than the terminal can go through a pager (``pager.py``).
"""

from __future__ import annotations

import io
import os
import re
from typing import IO, Any

from ..model import Model
from ..query.results import Validation
from ..text import visible
from .record_reports import validation_summary
from .report import Cell, Report, Table, build_report, has_rows

# What each role of a cell looks like in colour; a role not listed is plain.
STYLES = {
    "added": "green",
    "changed": "yellow",
    "deprecated": "magenta",
    "removed": "red",
    "breaking": "bold red",
    "yes": "green",
    "no": "red",
    "depends": "yellow",
    "changed-cell": "bold yellow",
    "error": "bold red",
    "warning": "yellow",
    "not checkable": "yellow",
    "present": "green",
    "not yet added": "dim",
}
MATCH_STYLE = "bold underline"

# Below this many columns a table cannot show its cells legibly: draw records instead.
NARROW = 60
# What a width taken from $COLUMNS is held to, and what stands in for a useless one.
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 20, 1000, 80
_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


class Screen:
    """How the output will be shown: width, colour, hyperlinks, and whether it is a terminal."""

    def __init__(self, out: IO[str], color: bool | None) -> None:
        self.terminal = _isatty(out)
        if color is None:  # auto: NO_COLOR and FORCE_COLOR decide, else whether it is a terminal
            color = False if os.environ.get("NO_COLOR") else bool(os.environ.get("FORCE_COLOR")) or self.terminal
        self.color = color
        self.width = _width(out, self.terminal)
        self.hyperlinks = color and self.terminal and supports_hyperlinks()
        encoding = (getattr(out, "encoding", None) or "utf-8").lower()
        self.unicode = encoding.replace("-", "").startswith("utf")


def write_table(
    result: Any, model: Model | None, out: IO[str], *, color: bool | None = None, pager: bool = True
) -> None:
    """Draw ``result`` for a person; through a pager when it is taller than the terminal."""
    screen = Screen(out, color)
    if isinstance(result, Validation):
        text = _findings(result, screen)
    else:
        report = build_report(result, model, cells="symbols" if screen.unicode else "ascii", brief=True)
        text = draw(report, screen)
    if pager and screen.terminal:
        from .pager import page

        if page(text, out):
            return
    out.write(text)


def draw(report: Report, screen: Screen) -> str:
    """The report as the terminal shows it, without trailing spaces."""
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=screen.width,
        force_terminal=screen.color,
        color_system="truecolor" if screen.color else None,
        no_color=False,  # NO_COLOR is decided by Screen: Rich would strip the colours of --color always
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(Text(report.title, style="bold"))
    for label, value in report.facts:
        # One long word (a URL) is left for the terminal to wrap, so it stays one line that
        # can be clicked or copied; Rich would break it with newlines.
        shown = _text(value, screen)
        console.print(Text.assemble((f"{label}: ", "dim"), shown), soft_wrap=" " not in shown.plain)
    for text in report.intro:
        console.print(Text(text))
    for index, table in enumerate(report.tables):
        if not has_rows(table):
            if index == 0:
                console.print(Text(report.empty))
            continue
        if table.heading:
            console.print(Text(table.heading, style="bold underline"))
        if screen.width < NARROW:
            _draw_records(table, console, screen)
        else:
            _draw_table(table, console, screen)
    for note in report.notes:
        console.print(Text(note, style="dim"))
    return _TRAILING.sub(r"\1", buffer.getvalue())


def _shown(table: Table) -> tuple[tuple[str, ...], list[int]]:
    """The columns a terminal shows, and where each is in a row: the narrow set, less empty ones."""
    rows = [row for section in table.sections for row in section.rows]
    shown = tuple(
        name
        for name in (table.narrow or table.columns)
        if any(row[table.columns.index(name)].text for row in rows) or name == (table.narrow or table.columns)[0]
    )
    return shown, [table.columns.index(name) for name in shown]


def _draw_table(table: Table, console: Any, screen: Screen) -> None:
    from rich.table import Table as RichTable
    from rich.text import Text

    shown, index = _shown(table)
    texts = [[[_text(row[i], screen) for i in index] for row in section.rows] for section in table.sections]
    widths = column_widths(shown, [row for rows in texts for row in rows], console.width)
    if widths is None:  # the columns cannot be drawn legibly at this width
        _draw_records(table, console, screen)
        return
    for section, rows in zip(table.sections, texts, strict=True):
        title = Text(section.title, style="bold") if section.title else None
        grid = RichTable(title=title, title_justify="left", show_edge=True, expand=False)
        for name, width in zip(shown, widths, strict=True):
            # fold: a word longer than its column (rare: widths make room for the longest
            # word where they can) wraps onto the next line instead of being cut off
            grid.add_column(name, width=width, overflow="fold")
        for row in rows:
            grid.add_row(*row)
        console.print(grid)


def column_widths(shown: tuple[str, ...], rows: list[list[Any]], total: int) -> list[int] | None:
    """One width per column, shared by every section's table so that they line up.

    Each column is as wide as its longest line when that fits.  When it does not, each
    column keeps at least its longest word, so that an API name or a URL is never split,
    and the room left is shared out, narrowest columns first.  None when even the longest
    words do not fit side by side: the caller draws records instead.
    """
    from rich.cells import cell_len

    natural = [cell_len(name) for name in shown]
    words = [max(map(cell_len, name.split())) for name in shown]
    for row in rows:
        for k, text in enumerate(row):
            for line in text.plain.split("\n"):
                natural[k] = max(natural[k], cell_len(line))
                words[k] = max([words[k], *map(cell_len, line.split())])
    room = total - 3 * len(shown) - 1  # a border and a space each side of every cell
    if sum(natural) <= room:
        return natural
    if sum(words) > room:
        return None
    widths = list(words)
    left = room - sum(words)
    order = sorted(range(len(shown)), key=lambda k: natural[k] - words[k])
    for done, k in enumerate(order):
        extra = max(0, min(natural[k] - words[k], left // (len(shown) - done)))
        widths[k] += extra
        left -= extra
    return widths


def _draw_records(table: Table, console: Any, screen: Screen) -> None:
    """Too narrow for columns: one block per row, one "column: value" line each, a blank line between."""
    from rich.text import Text

    shown, index = _shown(table)
    for section in table.sections:
        if section.title:
            console.print(Text(f"== {section.title}", style="bold"))
        if table.labelled:  # one "label: value" line a row, as a record is read
            for label, value in section.rows:
                line = Text.assemble((f"{label.text}: ", "dim"), _text(value, screen))
                console.print(line, soft_wrap=True) if value.links else console.print(line, overflow="fold")
            continue
        for row in section.rows:
            for name, i in zip(shown, index, strict=True):
                if row[i].text:
                    line = Text.assemble((f"{name}: ", "dim"), _text(row[i], screen))
                    # a link is left for the terminal to wrap, so that it stays whole
                    if row[i].links:
                        console.print(line, soft_wrap=True)
                    else:
                        console.print(line, overflow="fold")
            console.print()


def _text(value: Cell, screen: Screen) -> Any:
    """A cell as Rich text: its style, its highlighted matches, its links."""
    from rich.text import Text

    if value.links and screen.hyperlinks:
        text = Text()
        for n, (name, url) in enumerate(value.links):
            if n:
                text.append("; ")
            text.append(_short(name, url), style=f"link {url}")
        return text
    text = Text(value.text, style=STYLES.get(value.style, "") if screen.color else "")
    if screen.color:
        for start, end in value.marks:
            text.stylize(MATCH_STYLE, start, end)
    return text


def _short(name: str, url: str) -> str:
    """What a hyperlink shows: its name, or for a bare URL its host and path."""
    if name != url:
        return name
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def _findings(result: Validation, screen: Screen) -> str:
    """``validate``: compiler-style lines that editors can jump to, then the counts.

    On a terminal with colour: locations bold, errors red, warnings yellow.
    """
    lines = []
    for problem in result.problems:
        where, level, rest = visible(problem.where), problem.level, visible(f"[{problem.check}] {problem.message}")
        if screen.color:
            colour = "31" if level == "error" else "33"
            lines.append(f"\x1b[1m{where}:\x1b[0m \x1b[1;{colour}m{level}\x1b[0m {rest}\n")
        else:
            lines.append(f"{where}: {level} {rest}\n")
    lines.append(f"{visible(result.file)}: {validation_summary(result)}\n")
    return "".join(lines)


def supports_hyperlinks() -> bool:
    """Whether the terminal is one known to show OSC 8 hyperlinks (FORCE_HYPERLINK=1/0 decides)."""
    forced = os.environ.get("FORCE_HYPERLINK")
    if forced is not None:
        return forced not in ("0", "")
    env = os.environ
    if env.get("TERM", "") == "dumb" or env.get("TMUX") or env.get("STY"):
        return False  # multiplexers pass them on only when configured to
    program = env.get("TERM_PROGRAM", "")
    return bool(
        program in ("iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby")
        or env.get("WT_SESSION")
        or env.get("KITTY_WINDOW_ID")
        or env.get("KONSOLE_VERSION")
        or _number(env.get("VTE_VERSION", "")) >= 5000
        or env.get("TERM", "").startswith(("xterm-kitty", "alacritty", "foot"))
    )


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _isatty(out: IO[str]) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _width(out: IO[str], terminal: bool) -> int:
    """The width to draw at: $COLUMNS when it is sane, else the terminal's, else 80.

    COLUMNS=0 or a word would make Rich draw nothing or fail; a huge value would make
    every line that long.  Such a value is bounded, or replaced.
    """
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0 and terminal:
        try:
            columns = os.get_terminal_size(out.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 0
    if columns <= 0:
        return DEFAULT_WIDTH
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))
