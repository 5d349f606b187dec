"""A query result laid out as a ``Report``: a title, header facts, an introduction, tables, notes.

The terminal, Markdown and CSV renderers all draw the same ``Report``, so they cannot
disagree about what a command shows; JSON is built from the results themselves
(``json_doc.py``) so that nothing is lost.  Style travels as data on each ``Cell`` (a
role such as "removed" or "match"), never guessed from the text.  ``release_reports``
and ``record_reports`` lay out the results; this module holds the shapes and makes every
text safe to show.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..model import Model, Source
from ..text import visible

Link = tuple[str, str]  # (short text, URL)


class Cell(NamedTuple):
    """One value of a report, with how to show it."""

    text: str
    style: str = ""  # a role: added, changed, deprecated, removed, breaking, yes, no, depends, ...
    marks: tuple[tuple[int, int], ...] = ()  # spans of ``text`` to highlight (search matches)
    links: tuple[Link, ...] = ()  # when set, the cell is these links (``text`` is their plain form)


Row = tuple[Cell, ...]


class Section(NamedTuple):
    title: str  # shown above its rows; "" for none
    key: str  # the value of the table's group column (e.g. the area id)
    rows: list[Row]


class Table(NamedTuple):
    columns: tuple[str, ...]
    sections: list[Section]
    heading: str = ""  # a heading above the table's sections
    narrow: tuple[str, ...] = ()  # the columns a terminal shows; all when empty
    group: str = ""  # the name of the column that holds each section's key, in CSV; "" for none
    labelled: bool = False  # two columns, a label and its value: records read "label: value"


class Report(NamedTuple):
    title: str
    facts: list[tuple[str, Cell]]  # header lines: (label, value)
    tables: list[Table]  # the first is the one CSV writes
    notes: list[str] = []  # lines after the tables; never mutated
    intro: list[str] = []  # paragraphs between the facts and the tables; never mutated
    empty: str = "Nothing to show."  # said instead of the first table when it has no rows


def cell(text: str, style: str = "") -> Cell:
    return Cell(text, style)


def links(pairs: list[Link] | tuple[Link, ...]) -> Cell:
    """A cell of links, whose plain form is their URLs."""
    unique = tuple(dict.fromkeys(pairs))
    return Cell("; ".join(url for _, url in unique), links=unique)


def cite(source_ids: tuple[str, ...], model: Model) -> Cell:
    """The sources of a record as links titled by the sources' titles."""
    return links([(source_title(model.sources[i]), model.sources[i].url) for i in dict.fromkeys(source_ids)])


# How a source that is not the publisher's own page was read, as the output says it.
CHECKED = {
    "mirror": "read in a copy",
    "press": "news report, not official material",
    "seed-only": "news article only, not in official material",
}


def source_title(source: Source) -> str:
    """A source's title, saying how it was read when that was not on the publisher's own page."""
    return source.title + (f" ({CHECKED[source.checked]})" if source.checked in CHECKED else "")


def has_rows(table: Table) -> bool:
    return any(section.rows for section in table.sections)


def build_report(result: Any, model: Model | None, cells: str = "symbols", brief: bool = False) -> Report:
    """The ``Report`` of any query result, with every text made safe to show.

    ``cells`` picks how a backend support value reads ("symbols", "ascii" for terminals
    that cannot show them, "words" for CSV); ``brief`` (terminal tables) shortens long
    histories: files and pipes get everything.
    """
    from . import record_reports, release_reports

    builders = {**release_reports.BUILDERS, **record_reports.BUILDERS}
    return _visible(builders[type(result)](result, model, cells=cells, brief=brief))


def _visible(report: Report) -> Report:
    """The report with every control, bidi and invisible character escaped.

    Cells keep their line breaks (every renderer keeps them inside the cell); titles,
    facts and notes are one line each.
    """
    return report._replace(
        title=visible(report.title),
        facts=[(visible(label), _cell(value, False)) for label, value in report.facts],
        notes=[visible(note) for note in report.notes],
        intro=[visible(text) for text in report.intro],
        tables=[
            table._replace(
                heading=visible(table.heading),
                sections=[
                    Section(visible(s.title), visible(s.key), [tuple(_cell(c, True) for c in row) for row in s.rows])
                    for s in table.sections
                ],
            )
            for table in report.tables
        ],
        empty=visible(report.empty),
    )


def _cell(value: Cell, newlines: bool) -> Cell:
    text = visible(value.text, newlines=newlines)
    safe_links = tuple((visible(name), url) for name, url in value.links if url == visible(url) and " " not in url)
    # Escaping moves the text a highlight points into: keep the marks only where nothing moved.
    return value._replace(text=text, marks=value.marks if text == value.text else (), links=safe_links)
