"""Each output format's own rules: escaping, cells, colour, widths, links, the pager and the schemas."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from pytorch_diff.errors import Problem
from pytorch_diff.model import Api, Version
from pytorch_diff.query import backend_matrix, compare_releases, find_project, show_release
from pytorch_diff.query.results import ApiCheck, DoctorResult, ReleaseList, Validation
from pytorch_diff.render import csv_rows, json_schema, pager, render
from pytorch_diff.render import table as terminal
from pytorch_diff.render.json_doc import json_document, write_json
from pytorch_diff.render.markdown import inline, write_markdown
from pytorch_diff.render.report import Cell, Report, Section, Table

from .rules_helpers import feature, matrix, model, project, release, row, say

ESC = re.compile(r"\x1b\[[0-9;]*m")
OSC8 = re.compile(r"\x1b\]8;id=\d+;")


def md(report: Report) -> str:
    out = io.StringIO()
    write_markdown(report, out)
    return out.getvalue()


def csv_of(report: Report) -> str:
    out = io.StringIO(newline="")
    csv_rows.write_csv(report, out)
    return out.getvalue()


class Screen:
    """What ``table.draw`` needs to know of the output."""

    def __init__(self, color: bool, width: int = 80, hyperlinks: bool = False) -> None:
        self.color, self.width, self.hyperlinks = color, width, hyperlinks
        self.terminal, self.unicode = color, True


def one_table(*rows: tuple[Cell, ...], columns=("a", "b"), **options: Any) -> Report:
    return Report("T", [], [Table(columns, [Section("", "", list(rows))], **options)])


# -- Markdown ---------------------------------------------------------------------------------


def test_markdown_escapes_every_syntax_character_and_html() -> None:
    assert inline("a|b") == "a\\|b"
    assert inline("\\`*_[]|~#!") == "\\\\\\`\\*\\_\\[\\]\\|\\~\\#\\!"
    assert inline("<b> & </b>") == "&lt;b&gt; &amp; &lt;/b&gt;"
    assert inline("plain words, 1.0 (x) {y} +-=") == "plain words, 1.0 (x) {y} +-="


def test_markdown_line_breaks_become_the_one_given_and_lines_are_trimmed() -> None:
    assert inline(" a \r\n b\rc\n d ") == "a b c d"
    assert inline("a\r\nb\rc\nd", "<br>") == "a<br>b<br>c<br>d"


def test_a_markdown_cell_holds_its_pipe_and_its_links_joined_by_a_semicolon() -> None:
    links = (
        ("Notes [1]", "https://e.org/a(b)"),
        ("https://e.org/x y", "https://e.org/x y"),
        ("<t>", "https://e.org/'\"`<>[]"),
    )
    report = one_table((Cell("x | y\nz"), Cell("ignored", links=links)))
    assert md(report) == (
        "# T\n\n"
        "| a | b |\n"
        "| --- | --- |\n"
        "| x \\| y<br>z | [Notes \\[1\\]](https://e.org/a%28b%29); <https://e.org/x%20y>; "
        "[&lt;t&gt;](https://e.org/%27%22%60%3C%3E%5B%5D) |\n\n"
    )


def test_markdown_facts_are_one_line_and_paragraphs_cannot_start_a_list_or_a_heading() -> None:
    report = Report(
        "A | *title*",
        [("Label_1", Cell("one\ntwo")), ("Site", Cell("https://x", links=(("https://x", "https://x"),)))],
        [],
        notes=["- dash", "+ plus", "= equals", "1. one", "12) twelve", "x 1. not at the start", "#1 tag"],
        intro=["3.5 is a number, not a list item"],
    )
    assert md(report) == (
        "# A \\| \\*title\\*\n\n"
        "- **Label\\_1:** one two\n"
        "- **Site:** <https://x>\n\n"
        "3\\.5 is a number, not a list item\n\n"  # escaped where it need not be: it reads the same
        "\\- dash\n\n"
        "\\+ plus\n\n"
        "\\= equals\n\n"
        "1\\. one\n\n"
        "12\\) twelve\n\n"
        "x 1. not at the start\n\n"
        "\\#1 tag\n\n"
    )


def test_a_markdown_header_keeps_its_line_break_in_the_cell() -> None:
    assert md(one_table((Cell("1"), Cell("2")), columns=("two\nlines", "b"))).splitlines()[2] == "| two<br>lines | b |"


def test_markdown_tables_headings_sections_and_the_empty_message() -> None:
    rows = [(Cell("1"), Cell("2"))]
    report = Report(
        "T",
        [],
        [
            Table(("a", "b"), [Section("", "", [])]),
            Table(("c|d", "e"), [Section("First", "f", rows), Section("", "g", rows)], heading="Heading"),
            Table(("x",), []),
            Table(("y", "z"), [Section("Only", "o", rows)]),
        ],
        empty="Nothing | here.",
    )
    assert md(report) == (
        "# T\n\n"
        "Nothing \\| here.\n\n"
        "## Heading\n\n"
        "### First\n\n"
        "| c\\|d | e |\n| --- | --- |\n| 1 | 2 |\n\n"
        "| c\\|d | e |\n| --- | --- |\n| 1 | 2 |\n\n"
        "## Only\n\n"
        "| y | z |\n| --- | --- |\n| 1 | 2 |\n\n"
    )
    assert md(Report("T", [], [Table(("a",), [])], empty="E")) == "# T\n\nE\n\n"


# -- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_csv_value_that_a_spreadsheet_would_run_gets_a_quote(start: str) -> None:
    assert csv_rows.value(f"{start}1+1") == f"'{start}1+1"


def test_csv_values_that_are_not_formulas_stay_as_they_are() -> None:
    assert [csv_rows.value(v) for v in ("1+1", "a=b", "", " =x", "'q")] == ["1+1", "a=b", "", " =x", "'q"]


def test_csv_has_the_group_column_first_and_quotes_line_breaks() -> None:
    grouped = Report(
        "T",
        [],
        [
            Table(
                ("a", "b"),
                [Section("Title", "k1", [(Cell("=x"), Cell("l1\nl2"))]), Section("", "k2", [(Cell("y"), Cell(""))])],
                group="g",
            ),
            Table(("ignored",), [Section("", "", [(Cell("never"),)])]),
        ],
    )
    assert csv_of(grouped) == 'g,a,b\r\nk1,\'=x,"l1\nl2"\r\nk2,y,\r\n'
    plain = one_table((Cell("-1"), Cell("2")), columns=("@a", "b"))
    assert csv_of(plain) == "'@a,b\r\n'-1,2\r\n"


# -- JSON ------------------------------------------------------------------------------------

DATA = model(
    features=[
        feature(
            "f",
            "api",
            say("1.0", "added", "", Api("value", "tcp", of="torch.init", argument="backend", position=0)),
            say("1.1", "deprecated", "Use g.", Api("function", "torch.f", replaced_by=("torch.g",)), sources=("s2",)),
        )
    ],
    projects=[project("p", sources=("s3",))],
    matrices=[matrix("1.0", row("send", gloo=("yes", "no"))), matrix("1.1", row("send", gloo=("yes", "yes")))],
)


def document(result: Any, data: Any = DATA, encoding: str | None = "utf-8") -> str:
    if encoding is None:
        out: Any = io.StringIO()
    else:
        out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, newline="")
    write_json(result, data, out)
    out.flush()
    return out.getvalue() if encoding is None else out.buffer.getvalue().decode(encoding)


def test_json_of_a_comparison_with_counts_and_only_the_sources_it_cites() -> None:
    doc = json.loads(document(compare_releases(DATA, "1.0", "1.1")))
    assert list(doc) == [
        "schema_version",
        "kind",
        "old",
        "new",
        "swapped",
        "changes",
        "areas",
        "notes",
        "counts",
        "sources",
    ]
    assert (doc["schema_version"], doc["kind"], doc["swapped"]) == (2, "comparison", False)
    assert doc["counts"] == {"added": 0, "changed": 0, "deprecated": 1, "removed": 0, "breaking": 0}
    assert list(doc["sources"]) == ["s1", "s2"]  # in the order cited; s3 is not cited
    assert doc["sources"]["s2"] == {
        "id": "s2",
        "title": "A copy",
        "url": "https://example.org/two",
        "checked": "mirror",
    }


def test_json_writes_only_the_fields_an_api_name_sets() -> None:
    doc = json.loads(document(show_release(DATA, "1.1")))
    history = doc["features"][0]["feature"]["history"]
    assert history[0]["apis"] == [
        {"kind": "value", "name": "tcp", "of": "torch.init", "argument": "backend", "position": 0}
    ]
    assert history[1]["apis"] == [{"kind": "function", "name": "torch.f", "replaced_by": ["torch.g"], "rename": False}]
    assert doc["release"]["date"] is None
    assert doc["release"]["version"] == "1.1"


def test_json_of_a_project_puts_it_under_its_own_key() -> None:
    doc = json.loads(document(find_project(DATA, "p")))
    assert list(doc) == ["schema_version", "kind", "project", "sources"]
    assert doc["project"]["kind"] == "tool"
    assert doc["project"]["announced"] == {"event": "", "date": None, "release": None}
    assert list(doc["sources"]) == ["s3"]


def test_json_extras_of_validation_matrix_and_doctor() -> None:
    problems = (Problem("f", 1, 2, "error", "type", "m"), Problem("f", 3, 4, "warning", "insecure-url", "w"))
    doc = json.loads(document(Validation("f", problems), None))
    assert (doc["errors"], doc["warnings"], doc["sources"]) == (1, 1, {})
    assert list(doc)[-3:] == ["errors", "warnings", "sources"]
    matrix_doc = json.loads(document(backend_matrix(DATA, "1.0", "1.1")))
    assert matrix_doc["changed_cells"] == 1
    assert list(matrix_doc["sources"]) == ["s1"]
    checks = tuple(
        ApiCheck(f"torch.{n}", "api", ("f",), status, "", ())
        for n, status in enumerate(["not checkable", "present, but removed", "not yet added", "not yet added"])
    )
    doctor = json.loads(document(DoctorResult("1.1", Version(1, 1), "1.1", "/t", (), checks)))
    assert doctor["counts"] == {"checked": 4, "present_but_removed": 1, "not_checkable": 1, "not_yet_added": 2}


def test_json_document_of_releases_without_a_model() -> None:
    assert json_document(ReleaseList((release("1.0"),)), None) == {
        "schema_version": 2,
        "kind": "releases",
        "releases": [
            {
                "version": "1.0",
                "date": None,
                "title": "Title 1.0",
                "summary": "Summary 1.0.",
                "links": {},
                "sources": ["s1"],
                "builds": None,
                "notes": "",
            }
        ],
        "sources": {},
    }


class Writer:
    """An output with nothing but ``write``: no encoding to ask."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)


def test_json_is_indented_by_two_with_its_keys_as_text() -> None:
    out = Writer()
    write_json(ReleaseList((release("1.0", title="Café", links={"announcement": "https://a"}),)), None, out)
    assert "".join(out.parts) == (
        "{\n"
        '  "schema_version": 2,\n'
        '  "kind": "releases",\n'
        '  "releases": [\n'
        "    {\n"
        '      "version": "1.0",\n'
        '      "date": null,\n'
        '      "title": "Café",\n'
        '      "summary": "Summary 1.0.",\n'
        '      "links": {\n'
        '        "announcement": "https://a"\n'
        "      },\n"
        '      "sources": [\n'
        '        "s1"\n'
        "      ],\n"
        '      "builds": null,\n'
        '      "notes": ""\n'
        "    }\n"
        "  ],\n"
        '  "sources": {}\n'
        "}\n"
    )


def test_a_character_is_escaped_for_json_as_one_or_two_utf16_units() -> None:
    from pytorch_diff.render.json_doc import _json_escape

    assert _json_escape("\x9b") == "\\u009b"
    assert _json_escape("\uffff") == "\\uffff"
    assert _json_escape("\U00010000") == "\\ud800\\udc00"
    assert _json_escape("\U0010ffff") == "\\udbff\\udfff"


def test_json_escapes_what_could_act_on_a_terminal_and_keeps_the_rest() -> None:
    evil = release("1.0", title="é \u202e \x9b \U000e0001 \x1b 😀")
    text = document(ReleaseList((evil,)), None)
    assert '"title": "é \\u202e \\u009b \\udb40\\udc01 \\u001b 😀"' in text
    assert text.endswith("}\n")
    assert json.loads(text)["releases"][0]["title"] == evil.title
    ascii_text = document(ReleaseList((evil,)), None, encoding="ascii")
    assert '"title": "\\u00e9 \\u202e \\u009b \\udb40\\udc01 \\u001b \\ud83d\\ude00"' in ascii_text
    for encoding in ("UTF-8", "utf_8", "utf-8-sig", None):
        assert "é" in document(ReleaseList((evil,)), None, encoding=encoding)
    assert "é" not in document(ReleaseList((evil,)), None, encoding="latin-1")


# -- the terminal ------------------------------------------------------------------------------


def test_a_piped_table_has_no_escape_codes_even_for_styled_and_highlighted_cells() -> None:
    cells = (Cell("removed 1.0", "removed", ((0, 7),)), Cell("True 'x' https://e.org 127.0.0.1 <a> 42"))
    report = Report("T 1.0", [("N", Cell("True 42"))], [Table(("status 1", "b"), [Section("S 2", "", [cells])])])
    plain = terminal.draw(report, Screen(False))
    assert "\x1b" not in plain
    assert "│ removed 1.0 │ True 'x' https://e.org 127.0.0.1 <a> 42 │" in plain
    coloured = terminal.draw(report, Screen(True))
    # colour only where the report asks for it: no highlighting of numbers, URLs, quotes or booleans
    assert "│ \x1b[1;4;31mremoved\x1b[0m\x1b[31m 1.0\x1b[0m │ True 'x' https://e.org 127.0.0.1 <a> 42 │" in coloured
    assert "\x1b[2mN: \x1b[0mTrue 42\n" in coloured
    assert coloured.startswith("\x1b[1mT 1.0\x1b[0m\n")
    assert "\x1b[1;4;31m" not in terminal.draw(report._replace(tables=[]), Screen(True))


def test_color_always_keeps_its_colours_when_no_color_is_set() -> None:
    from .helpers import THREE_RELEASES, ptdiff

    run = ptdiff("--color", "always", "show", "1.2", "--data", str(THREE_RELEASES), env={"NO_COLOR": "1"})
    assert "\x1b[33mchanged" in run.stdout  # the colour asked for, not only bold
    assert "\x1b[" not in ptdiff("show", "1.2", "--data", str(THREE_RELEASES), env={"NO_COLOR": "1"}).stdout


def test_colour_asked_for_shows_whatever_the_terminal_says_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    assert terminal.draw(one_table((Cell("gone", "removed"), Cell("x"))), Screen(True)).count("\x1b[31mgone") == 1


def test_every_role_has_its_colour_and_an_unknown_role_is_plain() -> None:
    roles = ["added", "changed", "deprecated", "removed", "breaking", "yes", "no", "depends", "changed-cell"]
    roles += ["error", "warning", "not checkable", "present", "not yet added", "nonesuch"]
    report = one_table(*((Cell(role, role), Cell("")) for role in roles))
    shown = terminal.draw(report, Screen(True, 120))
    styles = [(a, b.strip()) for a, b in re.findall(r"│ (?:\x1b\[([0-9;]+)m)?([a-z -]+?)(?:\x1b\[0m)? *│", shown)]
    assert styles == [
        ("32", "added"),
        ("33", "changed"),
        ("35", "deprecated"),
        ("31", "removed"),
        ("1;31", "breaking"),
        ("32", "yes"),
        ("31", "no"),
        ("33", "depends"),
        ("1;33", "changed-cell"),
        ("1;31", "error"),
        ("33", "warning"),
        ("33", "not checkable"),
        ("32", "present"),
        ("2", "not yet added"),
        ("", "nonesuch"),
    ]


def test_the_terminal_draws_title_facts_intro_headings_and_notes() -> None:
    url = "https://example.org/a-very-long-url-without-spaces-that-is-longer-than-the-screen"
    report = Report(
        "Title",
        [("Link", Cell(url, links=((url, url),))), ("Two words", Cell("one two"))],
        [
            Table(
                ("first", "empty", "third"),
                [Section("Sec", "k", [(Cell("a"), Cell(""), Cell("b")), (Cell(""), Cell(""), Cell("c"))])],
                heading="Head",
            ),
            Table(("x",), [Section("", "", [])]),
        ],
        notes=["note one"],
        intro=["intro"],
        empty="EMPTY",
    )
    assert terminal.draw(report, Screen(False, 40)) == (
        f"Title\nLink: {url}\nTwo words: one two\nintro\nHead\n== Sec\nfirst: a\nthird: b\n\nthird: c\n\nnote one\n"
    )
    assert terminal.draw(report, Screen(False, 60)) == (
        f"Title\nLink: {url}\nTwo words: one two\nintro\nHead\nSec\n"
        "┏━━━━━━━┳━━━━━━━┓\n┃ first ┃ third ┃\n┡━━━━━━━╇━━━━━━━┩\n"
        "│ a     │ b     │\n│       │ c     │\n└───────┴───────┘\n"
        "note one\n"
    )
    coloured = terminal.draw(report, Screen(True, 60))
    assert "\x1b[1;4mHead\x1b[0m\n\x1b[1mSec\x1b[0m\n" in coloured
    assert coloured.endswith("\x1b[2mnote one\x1b[0m\n")
    assert "\x1b[1m== Sec\x1b[0m\n\x1b[2mfirst: \x1b[0ma\n" in terminal.draw(report, Screen(True, 40))
    empty = report._replace(tables=[Table(("x",), [Section("", "", [])]), report.tables[0]])
    assert "intro\nEMPTY\nHead\n" in terminal.draw(empty, Screen(False, 60))


def test_words_that_cannot_fit_as_columns_become_records() -> None:
    report = one_table(
        (Cell("a-rather-long-word-number-one"), Cell("another-long-word-number-two")),
        (
            Cell("x"),
            Cell(
                "https://example.org/and-a-link-that-is-long",
                links=(("l", "https://example.org/and-a-link-that-is-long"),),
            ),
        ),
    )
    assert terminal.draw(report, Screen(False, 62)) == (
        "T\n"
        "a: a-rather-long-word-number-one\nb: another-long-word-number-two\n\n"
        "a: x\nb: https://example.org/and-a-link-that-is-long\n\n"
    )


def test_records_of_a_labelled_table_read_label_colon_value() -> None:
    rows = [
        (Cell("name"), Cell("A long value that has to wrap onto the next line")),
        (Cell("site"), Cell("https://example.org/" + "x" * 40, links=(("s", "https://example.org/" + "x" * 40),))),
    ]
    report = Report("P", [], [Table(("field", "value"), [Section("Rec", "", rows)], labelled=True)])
    assert terminal.draw(report, Screen(False, 30)) == (
        "P\n== Rec\nname: A long value that has to\nwrap onto the next line\nsite: https://example.org/"
        + "x" * 40
        + "\n"
    )
    assert "\x1b[2mname: \x1b[0mA long" in terminal.draw(report, Screen(True, 30))


def test_a_word_longer_than_a_record_line_is_folded_not_cut() -> None:
    rows = [(Cell("name"), Cell("x" * 40))]
    report = Report("P", [], [Table(("field", "value"), [Section("", "", rows)], labelled=True)])
    assert terminal.draw(report, Screen(False, 30)) == "P\nname:\n" + "x" * 30 + "\n" + "x" * 10 + "\n"


def test_every_section_of_a_labelled_table_is_drawn_as_records() -> None:
    sections = [Section("One", "", [(Cell("a"), Cell("1"))]), Section("Two", "", [(Cell("b"), Cell("2"))])]
    report = Report("P", [], [Table(("field", "value"), sections, labelled=True)])
    assert terminal.draw(report, Screen(False, 30)) == "P\n== One\na: 1\n== Two\nb: 2\n"


def test_a_long_word_in_a_record_is_folded_not_cut() -> None:
    report = one_table((Cell("x" * 40), Cell("")))
    assert terminal.draw(report, Screen(False, 30)) == "T\na:\n" + "x" * 30 + "\n" + "x" * 10 + "\n\n"


def test_the_columns_shown_are_the_narrow_ones_that_hold_something_and_always_the_first() -> None:
    rows = ((Cell(""), Cell("b1"), Cell(""), Cell("d1")),)
    wide = one_table(*rows, columns=("a", "b", "c", "d"))
    assert "┃ a ┃ b  ┃ d  ┃" in terminal.draw(wide, Screen(False))
    narrow = one_table(*rows, columns=("a", "b", "c", "d"), narrow=("c", "d"))
    assert "┃ c ┃ d  ┃" in terminal.draw(narrow, Screen(False))
    assert terminal.draw(narrow, Screen(False, 30)) == "T\nd: d1\n\n"


def texts(*rows: tuple[str, ...]) -> list[list[Any]]:
    from rich.text import Text

    return [[Text(value) for value in r] for r in rows]


def test_column_widths_share_the_room_narrowest_first() -> None:
    rows = texts(("xx yy zz", "p q"))
    assert terminal.column_widths(("a", "b"), rows, 18) == [8, 3]  # everything fits exactly
    assert terminal.column_widths(("a", "b"), rows, 17) == [7, 3]
    assert terminal.column_widths(("a", "b"), rows, 12) == [3, 2]
    assert terminal.column_widths(("a", "b"), rows, 10) == [2, 1]  # the longest words only
    assert terminal.column_widths(("a", "b"), rows, 9) is None
    # the room left goes first to the column that needs least to show whole lines
    assert terminal.column_widths(("a", "b"), texts(("aaaaaaaaa bb", "c d e f g h i")), 22) == [11, 4]
    assert terminal.column_widths(("long name", "b"), texts(("x", "y")), 80) == [9, 1]
    assert terminal.column_widths(("h",), texts(("one two\nthree",)), 80) == [7]
    assert terminal.column_widths(("header words", "b"), texts(("x", "y")), 17) == [9, 1]  # "header" is its word
    assert terminal.column_widths(("a", "b", "c"), texts(("aaaa aaaa", "bbb bbb", "c")), 20) == [5, 4, 1]


def test_hyperlinks_show_short_text_and_the_url_only_in_the_link() -> None:
    cell = Cell(
        "u",
        links=(
            ("Notes", "https://a.org/x/"),
            ("https://www.b.org/p/", "https://www.b.org/p/"),
            ("http://c.org/BOX/", "http://c.org/BOX/"),
        ),
    )
    report = Report("T", [("Src", cell)], [])
    linked = OSC8.sub("\x1b]8;id=0;", terminal.draw(report, Screen(True, 80, hyperlinks=True)))
    assert linked == (
        "\x1b[1mT\x1b[0m\n\x1b[2mSrc: \x1b[0m"
        "\x1b]8;id=0;https://a.org/x/\x1b\\Notes\x1b]8;;\x1b\\; "
        "\x1b]8;id=0;https://www.b.org/p/\x1b\\b.org/p\x1b]8;;\x1b\\; "
        "\x1b]8;id=0;http://c.org/BOX/\x1b\\c.org/BOX\x1b]8;;\x1b\\\n"
    )
    assert terminal.draw(report, Screen(True, 80)) == "\x1b[1mT\x1b[0m\n\x1b[2mSrc: \x1b[0mu\n"


def test_validate_lines_with_and_without_colour() -> None:
    result = Validation(
        "f.yaml", (Problem("f.yaml", 3, 5, "error", "type", "bad \x1b"), Problem("f\x07", 0, 0, "warning", "w", "m"))
    )
    assert terminal._findings(result, Screen(True)) == (
        "\x1b[1mf.yaml:3:5:\x1b[0m \x1b[1;31merror\x1b[0m [type] bad \\x1b\n"
        "\x1b[1mf\\x07:\x1b[0m \x1b[1;33mwarning\x1b[0m [w] m\n"
        "f.yaml: 1 error, 1 warning\n"
    )
    assert terminal._findings(result, Screen(False)) == (
        "f.yaml:3:5: error [type] bad \\x1b\nf\\x07: warning [w] m\nf.yaml: 1 error, 1 warning\n"
    )


HYPERLINK_ENV = ("FORCE_HYPERLINK", "TERM", "TMUX", "STY", "TERM_PROGRAM", "WT_SESSION", "KITTY_WINDOW_ID")
HYPERLINK_ENV += ("KONSOLE_VERSION", "VTE_VERSION")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, False),
        ({"FORCE_HYPERLINK": "1"}, True),
        ({"FORCE_HYPERLINK": "0", "TERM_PROGRAM": "iTerm.app"}, False),
        ({"FORCE_HYPERLINK": "", "TERM_PROGRAM": "iTerm.app"}, False),
        ({"TERM_PROGRAM": "iTerm.app"}, True),
        ({"TERM_PROGRAM": "WezTerm"}, True),
        ({"TERM_PROGRAM": "vscode"}, True),
        ({"TERM_PROGRAM": "ghostty"}, True),
        ({"TERM_PROGRAM": "Hyper"}, True),
        ({"TERM_PROGRAM": "Tabby"}, True),
        ({"TERM_PROGRAM": "Apple_Terminal"}, False),
        ({"WT_SESSION": "x"}, True),
        ({"KITTY_WINDOW_ID": "1"}, True),
        ({"KONSOLE_VERSION": "220400"}, True),
        ({"VTE_VERSION": "5000"}, True),
        ({"VTE_VERSION": "4999"}, False),
        ({"VTE_VERSION": "new"}, False),
        ({"TERM": "xterm-kitty"}, True),
        ({"TERM": "alacritty"}, True),
        ({"TERM": "foot-extra"}, True),
        ({"TERM": "xterm-256color"}, False),
        ({"TERM": "dumb", "TERM_PROGRAM": "iTerm.app"}, False),
        ({"TMUX": "/tmp/t", "TERM_PROGRAM": "iTerm.app"}, False),
        ({"STY": "1.pts", "WT_SESSION": "x"}, False),
    ],
)
def test_hyperlinks_only_on_terminals_known_to_show_them(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: bool
) -> None:
    for name in HYPERLINK_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert terminal.supports_hyperlinks() is expected


class Out(io.StringIO):
    """An output that says it is a terminal (or not), of some size and encoding."""

    def __init__(self, tty: bool, encoding: str | None = "utf-8", size: bool = False) -> None:
        super().__init__()
        self.tty, self._encoding, self.size = tty, encoding, size

    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        return self._encoding

    def isatty(self) -> bool:
        return self.tty

    def fileno(self) -> int:
        if self.size:
            return PTY_SLAVE
        raise io.UnsupportedOperation("no file")


class Broken(io.StringIO):
    def isatty(self) -> bool:
        raise ValueError("closed")


PTY_SLAVE = -1


@pytest.fixture
def pty_size() -> Any:
    """A pseudo-terminal of 33 columns and 7 lines, as the output's file descriptor."""
    import fcntl
    import struct
    import termios

    global PTY_SLAVE
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 7, 33, 0, 0))
    PTY_SLAVE = slave
    yield master, slave
    os.close(master)
    os.close(slave)


@pytest.mark.parametrize(
    ("columns", "width"),
    [(None, 80), ("", 80), ("abc", 80), ("0", 80), ("-3", 80), ("1", 20), ("19", 20), ("20", 20), ("120", 120)]
    + [("1000", 1000)]
    + [("1001", 1000)],
)
def test_the_width_of_an_output_that_is_no_terminal(
    monkeypatch: pytest.MonkeyPatch, columns: str | None, width: int
) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert terminal.Screen(Out(False), None).width == width


def test_the_width_of_a_terminal_is_its_own_unless_columns_says(monkeypatch: pytest.MonkeyPatch, pty_size: Any) -> None:
    monkeypatch.setenv("COLUMNS", "0")
    assert terminal.Screen(Out(True, size=True), None).width == 33
    assert terminal.Screen(Out(False, size=True), None).width == 80  # not a terminal: its size is not asked
    assert terminal.Screen(Out(True, size=False), None).width == 80  # a terminal without a size
    monkeypatch.setenv("COLUMNS", "50")
    assert terminal.Screen(Out(True, size=True), None).width == 50
    monkeypatch.setenv("COLUMNS", "1")
    assert terminal.Screen(Out(True, size=True), None).width == 20  # said, however small: held to 20


@pytest.mark.parametrize(
    ("tty", "color", "env", "expected"),
    [
        (False, None, {}, False),
        (True, None, {}, True),
        (True, None, {"NO_COLOR": "1"}, False),
        (True, None, {"NO_COLOR": ""}, True),
        (False, None, {"FORCE_COLOR": "1"}, True),
        (False, None, {"FORCE_COLOR": ""}, False),
        (True, None, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        (False, True, {"NO_COLOR": "1"}, True),
        (True, False, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_follows_the_terminal_unless_told(
    monkeypatch: pytest.MonkeyPatch, tty: bool, color: bool | None, env: dict[str, str], expected: bool
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    screen = terminal.Screen(Out(tty), color)
    assert (screen.terminal, screen.color) == (tty, expected)


def test_hyperlinks_need_colour_a_terminal_and_a_terminal_that_shows_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_HYPERLINK", "1")
    assert terminal.Screen(Out(True), None).hyperlinks is True
    assert terminal.Screen(Out(True), False).hyperlinks is False
    assert terminal.Screen(Out(False), True).hyperlinks is False
    monkeypatch.setenv("FORCE_HYPERLINK", "0")
    assert terminal.Screen(Out(True), True).hyperlinks is False


def test_symbols_only_where_the_encoding_can_show_them() -> None:
    assert [
        terminal.Screen(Out(False, e), None).unicode for e in ("utf-8", "UTF8", "utf_16", None, "ascii", "cp1252")
    ] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert terminal.Screen(Broken(), None).terminal is False
    assert terminal.Screen(Writer(), None).unicode is True  # no encoding to ask: UTF-8


MATRICES = model(matrices=[matrix("1.0", row("send", gloo=("yes", "no"), mpi=("depends", "no")))])


def test_a_table_on_an_ascii_output_uses_plus_and_minus() -> None:
    out = Out(False, "ascii")
    terminal.write_table(backend_matrix(MATRICES, "1.0"), MATRICES, out)
    assert "│ send      │ +        │ -        │ ?       │ -       │ -        │ -        │" in out.getvalue()
    assert "+ supported, - not supported, ? depends on the MPI build" in out.getvalue()
    utf = Out(False)
    terminal.write_table(backend_matrix(MATRICES, "1.0"), MATRICES, utf)
    assert "│ send      │ ✓        │ ✘        │ ?       │ ✘       │ ✘        │ ✘        │" in utf.getvalue()


def test_validate_on_the_terminal_is_compiler_style_lines() -> None:
    out = Out(False)
    terminal.write_table(Validation("f", (Problem("f", 1, 2, "error", "type", "m"),)), None, out, color=True)
    assert out.getvalue() == "\x1b[1mf:1:2:\x1b[0m \x1b[1;31merror\x1b[0m [type] m\nf: 1 error, 0 warnings\n"


def test_the_terminal_shortens_long_histories_files_do_not() -> None:
    long = feature("long", "jit", *(say(v, "changed", f"Step {v}.") for v in ("1.1", "1.2", "1.3", "1.4")))
    data = model(releases=[release(v) for v in ("1.0", "1.1", "1.2", "1.3", "1.4")], features=[long])
    out = Out(False)
    terminal.write_table(compare_releases(data, "1.0", "1.4"), data, out)
    assert "(2 earlier changes)" in out.getvalue()
    assert "Long histories show their latest 2 changes" in out.getvalue()


# -- render: one entry for every format --------------------------------------------------------------


def test_render_writes_each_format_from_the_same_result() -> None:
    view = backend_matrix(MATRICES, "1.0")
    outputs = {}
    for fmt in ("json", "table", "markdown", "csv"):
        out = Out(False)
        render(view, MATRICES, fmt, out, color=True, pager=False)
        outputs[fmt] = out.getvalue()
    assert json.loads(outputs["json"])["kind"] == "matrix"
    assert "│ send      │ \x1b[32m✓       \x1b[0m │ \x1b[31m✘       \x1b[0m │" in outputs["table"]  # colour as asked
    assert "| send | ✓ | ✘ | ? | ✘ | ✘ | ✘ |" in outputs["markdown"]
    assert outputs["csv"].splitlines()[1] == "send,yes,no,depends,no,no,no"
    plain = Out(False)
    render(view, MATRICES, "table", plain)
    assert "\x1b" not in plain.getvalue()


# -- the pager --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "command"),
    [
        ({}, ["less", "-FRX"]),
        ({"PAGER": "more -s"}, ["more", "-s"]),
        ({"PAGER": ""}, ["less", "-FRX"]),
        ({"PTDIFF_PAGER": "most 'a b'", "PAGER": "more"}, ["most", "a b"]),
        ({"PTDIFF_PAGER": "", "PAGER": "more"}, []),
        ({"PTDIFF_PAGER": "less 'unbalanced"}, []),
    ],
)
def test_the_pager_command(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], command: list[str]) -> None:
    monkeypatch.delenv("PTDIFF_PAGER", raising=False)
    monkeypatch.delenv("PAGER", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert pager.pager_command() == command


class PtyOut(io.TextIOWrapper):
    """The slave side of a pseudo-terminal as a text output."""


def read_all(master: int) -> str:
    import select

    chunks = []
    while select.select([master], [], [], 0.5)[0]:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_output_that_fits_or_is_no_terminal_is_not_paged(monkeypatch: pytest.MonkeyPatch, pty_size: Any) -> None:
    monkeypatch.setenv("PTDIFF_PAGER", f"{sys.executable} -c 'raise SystemExit(9)'")
    assert pager.page("1\n" * 50, Out(False)) is False  # no terminal size: not a terminal
    _, slave = pty_size
    out = open(slave, "w", closefd=False, encoding="utf-8")
    assert pager.page("1\n" * 6, out) is False  # 6 lines fit on 7
    monkeypatch.setenv("PTDIFF_PAGER", "")
    assert pager.page("1\n" * 50, out) is False  # no pager


def test_taller_output_goes_through_the_pager_with_utf8(monkeypatch: pytest.MonkeyPatch, pty_size: Any) -> None:
    master, slave = pty_size
    script = "import os, sys; sys.stdout.write(os.environ['LESSCHARSET'] + '|' + sys.stdin.read())"
    monkeypatch.setenv("PTDIFF_PAGER", f'{sys.executable} -c "{script}"')
    monkeypatch.delenv("LESSCHARSET", raising=False)
    out = open(slave, "w", closefd=False, encoding="utf-8")
    out.write("before ")
    before = signal.getsignal(signal.SIGINT)
    assert pager.page("é\n" * 7, out) is True  # 7 lines do not fit on 7 with the prompt
    assert signal.getsignal(signal.SIGINT) is before
    assert read_all(master) == "before utf-8|" + "é\n" * 7
    monkeypatch.setenv("LESSCHARSET", "latin1")
    assert pager.page("x\n" * 7, out) is True
    assert read_all(master) == "latin1|" + "x\n" * 7


def test_a_pager_that_cannot_start_or_quits_early(monkeypatch: pytest.MonkeyPatch, pty_size: Any) -> None:
    _, slave = pty_size
    out = open(slave, "w", closefd=False, encoding="utf-8")
    before = signal.getsignal(signal.SIGINT)
    monkeypatch.setenv("PTDIFF_PAGER", "/nonexistent/pager")
    assert pager.page("x\n" * 20, out) is False
    assert signal.getsignal(signal.SIGINT) is before
    monkeypatch.setenv("PTDIFF_PAGER", f"{sys.executable} -c pass")
    assert pager.page("x" * 1_000_000 + "\n" * 20, out) is True  # its reader went away: no error
    assert signal.getsignal(signal.SIGINT) is before


def test_a_table_goes_through_the_pager_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    paged: list[Any] = []
    monkeypatch.setattr(pager, "page", lambda text, out: paged.append(text) or paged.append(out) or True)
    view = backend_matrix(MATRICES, "1.0")
    terminal.write_table(view, MATRICES, Out(False))
    assert paged == []
    out = Out(True)
    terminal.write_table(view, MATRICES, out, pager=False)
    assert paged == [] and "send" in out.getvalue()
    out = Out(True)
    terminal.write_table(view, MATRICES, out)
    assert len(paged) == 2 and "send" in paged[0] and paged[1] is out and out.getvalue() == ""
    monkeypatch.setattr(pager, "page", lambda text, out: False)
    out = Out(True)
    terminal.write_table(view, MATRICES, out)
    assert "send" in out.getvalue()


# -- the JSON Schemas --------------------------------------------------------------------------------


def test_the_schemas_are_written_one_file_per_kind(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    written = json_schema.write_schemas(folder)
    assert [p.name for p in written] == [f"{kind}.schema.json" for kind in json_schema.all_schemas()]
    release_schema = (folder / "release.schema.json").read_text(encoding="utf-8")
    assert (
        release_schema == json.dumps(json_schema.document_schema(type(show_release(MATRICES, "1.0"))), indent=2) + "\n"
    )
    json_schema.write_schemas(folder)  # again, into the folder that exists


def test_a_type_without_a_schema_is_an_error() -> None:
    with pytest.raises(TypeError) as caught:
        json_schema._value(set[int])
    assert str(caught.value) == "no JSON Schema for set[int]"


def test_a_class_that_is_no_record_has_no_schema() -> None:
    with pytest.raises(TypeError) as caught:
        json_schema._value(bytes)
    assert str(caught.value) == "no JSON Schema for <class 'bytes'>"
    assert json_schema._value(tuple[int]) == {"type": "array", "prefixItems": [{"type": "integer"}], "items": False}
    assert json_schema._value(tuple[int, ...]) == {"type": "array", "items": {"type": "integer"}}


def test_the_schema_of_a_project_document_and_of_an_api_name() -> None:
    schema = json_schema.document_schema(type(find_project(model(projects=[project("p")]), "p")))
    assert schema["title"] == "ptdiff project document"
    assert schema["required"] == ["schema_version", "kind", "project", "sources"]
    assert schema["properties"]["kind"] == {"const": "project"}
    api = json_schema._record(Api)
    assert api["required"] == ["kind", "name"]
    assert api["properties"]["position"] == {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    assert json_schema._value(float) == {"type": "number"}
    assert json_schema._value(tuple[int, str]) == {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"type": "string"}],
        "items": False,
    }
