"""Hostile data, arguments, file names and pipes: nothing runs, nothing reaches a terminal raw, codes hold.

The property test puts control, bidi and format characters into every text of a model
and renders every result in every format; the process tests run ptdiff as a real
process against closed, full and vanishing outputs, and in a pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytorch_diff import reader
from pytorch_diff.errors import Problem
from pytorch_diff.load import check_releases, load_releases
from pytorch_diff.model import Version
from pytorch_diff.query import (
    backend_matrix,
    compare_releases,
    find_project,
    list_projects,
    list_releases,
    search,
    show_release,
)
from pytorch_diff.query.results import ApiCheck, DoctorResult, ModelNote, Validation
from pytorch_diff.render import render

from .helpers import THREE_RELEASES, ptdiff

PTDIFF = [sys.executable, "-m", "pytorch_diff"]
VALID = THREE_RELEASES.read_text(encoding="utf-8")
ATTACKS = [
    "\x1b]0;pwned\x07",  # set the terminal's title (OSC 0)
    "\x1b[2J",  # clear the screen
    "\x1b]52;c;cm0gLXJmIH4=\x07",  # write "rm -rf ~" to the clipboard (OSC 52)
    "\u202eevil\u202c",  # right-to-left override
    "to\u200brch",  # a zero-width space inside a name
    "\x9b31m",  # C1 CSI
    "line\rover",  # a bare CR
]
# Fields that hold keys the model looks records up by: left alone so the model stays whole.
KEYS = {"id", "area", "kind", "change", "status", "checked", "support", "level", "release", "version"}


def unsafe(text: str, allowed: str = "\n") -> list[str]:
    """The characters of ``text`` that must never reach a person raw."""
    return sorted(
        {c for c in text if c not in allowed and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")}
    )


def poison(value: Any, text: str, name: str = "") -> Any:
    """``value`` with ``text`` in every free-text field of every record in it."""
    if hasattr(value, "_fields"):
        return type(value)(*(poison(getattr(value, f), text, f) for f in value._fields))
    if isinstance(value, str):
        return value if name in KEYS or not value or name in ("sources", "apis") else f"{value}{text}"
    if isinstance(value, tuple):
        return tuple(poison(item, text, name) for item in value)
    if isinstance(value, dict):
        return {key: poison(item, text, name) for key, item in value.items()}
    return value


def results(model: Any) -> list[Any]:
    note = ModelNote("api.old", Version(1, 1), "deprecated", model.features[0].summary, ("torch.new",), ("notes-a",))
    check = ApiCheck("torch.old", "api", ("api.old",), "missing", model.features[0].title, (note,))
    problem = Problem(model.features[0].title, 3, 4, "error", "type", model.features[0].summary)
    return [
        show_release(model, "1.1", everything=True),
        compare_releases(model, "1.0", "1.2"),
        list_projects(model),
        find_project(model, "ax"),
        list_releases(model),
        search(model, "a"),
        backend_matrix(model, "1.0", "1.2"),
        Validation(model.features[0].title, (problem,)),
        DoctorResult("1.1" + model.features[0].title, Version(1, 1), "1.1", model.features[0].title, (), (check,)),
    ]


def rendered(result: Any, model: Any, fmt: str, color: bool = False) -> str:
    import io

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    render(result, model, fmt, out, color=color, pager=False)
    out.flush()
    return out.buffer.getvalue().decode()  # type: ignore[attr-defined]


hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(categories=["Cc", "Cf", "Zl", "Zp"]),
        st.sampled_from(list("ab |*<>&=-+@#`_[]()\\\"'")),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text)
def test_no_control_bidi_or_format_character_reaches_any_human_format(text: str) -> None:
    model = poison(load_releases(str(THREE_RELEASES)), text)
    for result in results(model):
        for fmt, color in (("table", False), ("table", True), ("markdown", False), ("csv", False)):
            output = rendered(result, model, fmt, color)
            if color:  # colour is Rich's own SGR sequences: take them out, nothing else may be there
                import re

                output = re.sub(r"\x1b\[[0-9;]*m", "", output)
            assert unsafe(output, "\n\r" if fmt == "csv" else "\n") == [], (type(result).__name__, fmt)
            if fmt == "csv":
                assert "\r" not in output.replace("\r\n", "")  # only the CRLF that ends a row
        document = rendered(result, model, "json")
        assert unsafe(document) == []
        json.loads(document)  # and still one valid document


def test_markdown_keeps_every_value_in_its_cell() -> None:
    model = poison(
        load_releases(str(THREE_RELEASES)), "\n# Heading\n| x | y |\r<script>alert(1)</script><img onerror=x>"
    )
    text = rendered(show_release(model, "1.2"), model, "markdown")
    assert "<script>" not in text and "<img" not in text
    assert "\n# Heading" not in text  # no injected heading: the title is one line
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            assert line.count(" | ") == 5, line  # six cells, the header's count, in every row
    assert "&lt;script&gt;" in text


def test_csv_quotes_a_bare_cr_and_neutralises_formulas(tmp_path: Path) -> None:
    import csv
    import io

    model = load_releases(str(THREE_RELEASES))
    model = model._replace(releases=tuple(r._replace(title=f'=HYPERLINK("x")\r{r.title}') for r in model.releases))
    text = rendered(list_releases(model), model, "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [row[2] for row in rows[1:]] == ["'=HYPERLINK(\"x\")\\x0dFirst", "'=HYPERLINK(\"x\")\\x0dSecond",
                                            "'=HYPERLINK(\"x\")\\x0dThird"]  # fmt: skip
    assert all(len(row) == 5 for row in rows)


def test_validate_reports_control_characters_and_hidden_characters_in_names(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        VALID.replace("title: Script compiler", 'title: "Script\\e]0;pwned\\a compiler"').replace(
            "{function: torch.jit.script}", '{function: "torch.jit.scr\\u200bipt"}'
        ),
        encoding="utf-8",
    )
    run = subprocess.run([*PTDIFF, "validate", str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        f"{path}:30:5: error [control-character] 'title' contains control or bidi characters: U+001B, U+0007",
        f"{path}:34:49: error [control-character] 'function' contains control or bidi characters: U+200B",
        f"{path}:34:49: error [api-name] 'torch.jit.scr\\u200bipt' is not a dotted Python name such as "
        "torch.nn.Linear in ASCII",
        f"{path}: 3 errors, 0 warnings",
    ]
    assert unsafe(run.stdout + run.stderr) == []


@pytest.mark.parametrize(
    "name",
    ["/tmp/\x1b]0;pwned\x07.yaml", "/tmp/\u202egnp.yaml", "/tmp/a\x9bb.yaml"],
)
def test_hostile_file_names_are_shown_escaped(name: str) -> None:
    run = subprocess.run([*PTDIFF, "show", "1.0", "--data", name], capture_output=True, timeout=60)
    assert run.returncode == 2
    stderr = run.stderr.decode()
    assert stderr.startswith("ptdiff: error: /tmp/") and stderr.endswith(": [file] no such file\n")
    assert unsafe(stderr) == []


def test_hostile_arguments_are_shown_escaped() -> None:
    for args in (["show", "\x1b[2J"], ["\x1b]0;x\x07"], ["show", "1.0", "--area", "\u202ejit"]):
        run = subprocess.run([*PTDIFF, *args], capture_output=True, timeout=60)
        assert run.returncode == 2, args
        assert unsafe(run.stderr.decode()) == [], args


# --- exit codes that hold ---------------------------------------------------------------


def many_errors(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(VALID + "".join(f"extra{i}: 1\n" for i in range(3000)), encoding="utf-8")
    return path


def test_a_reader_going_away_keeps_the_exit_code(tmp_path: Path) -> None:
    bad = many_errors(tmp_path)
    ptdiff_line = " ".join(PTDIFF)
    for command in (f"{ptdiff_line} validate {bad}", f"{ptdiff_line} compare 1.0 1.1 --fail-on any -f json"):
        for _ in range(3):
            run = subprocess.run(
                ["bash", "-c", f"set -o pipefail; {command} | head -c 10"], capture_output=True, timeout=60
            )
            assert run.returncode == 1, run.stderr
    ok = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {ptdiff_line} show 1.0 | head -1"], capture_output=True, timeout=60
    )
    assert (ok.returncode, ok.stderr) == (0, b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_full_disk_is_one_line_and_exit_4(fmt: str) -> None:
    with open("/dev/full", "w") as full:
        run = subprocess.run([*PTDIFF, "show", "1.0", "-f", fmt], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert run.returncode == 4
    assert run.stderr == b"ptdiff: error: cannot write the output: No space left on device\n"


def test_a_closed_stdout_is_one_line_and_exit_4() -> None:
    run = subprocess.run(["bash", "-c", " ".join(PTDIFF) + " show 1.0 >&-"], capture_output=True, timeout=60)
    assert run.returncode == 4
    assert run.stderr == b"ptdiff: error: cannot write the output: standard output is closed\n"


@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
def test_a_closed_or_full_stderr_keeps_the_exit_code(redirect: str) -> None:
    for args, code in (("show 9.9", 2), ("shwo", 2), ("compare 1.0 1.1 --fail-on any", 1)):
        run = subprocess.run(["bash", "-c", f"{' '.join(PTDIFF)} {args} >/dev/null {redirect}"], timeout=60)
        assert run.returncode == code, args


@pytest.mark.parametrize("columns", ["0", "-5", "abc"])
def test_an_absurd_width_falls_back_to_a_sane_one(columns: str) -> None:
    run = subprocess.run(
        [*PTDIFF, "versions"], capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": columns}
    )
    assert (run.returncode, run.stderr) == (0, "")
    lines = run.stdout.splitlines()
    assert lines[0] == "PyTorch releases" and "version: 1.0" in lines  # records: the URLs need the room
    assert max(len(line) for line in lines if "https://" not in line) <= 80


def test_a_huge_width_is_held_to_1000_columns() -> None:
    env = {**os.environ, "COLUMNS": "99999999"}
    run = subprocess.run([*PTDIFF, "show", "1.0", "--all"], capture_output=True, text=True, timeout=60, env=env)
    assert run.returncode == 0
    assert max(len(line) for line in run.stdout.splitlines()) <= 1000


# --- inputs that could crash or stall ---------------------------------------------------


def test_long_and_non_ascii_versions_are_refused_cleanly(tmp_path: Path) -> None:
    for name in ("1." + "9" * 5000, "١.٠", "１.０"):
        run = ptdiff("show", name)
        assert run.exit_code == 2
        assert run.stderr.startswith("ptdiff: error: unknown release ")
    path = tmp_path / "long.yaml"
    path.write_text(VALID.replace('version: "1.1"', 'version: "1.' + "1" * 5000 + '"'), encoding="utf-8")
    _, problems = check_releases(str(path))
    assert [(p.check, p.message[:50]) for p in problems if p.line == 22] == [
        ("type", "'version' must be a version like \"1.1\" (ASCII digi")
    ]


def test_matrix_cells_must_be_booleans_not_numbers(tmp_path: Path) -> None:
    path = tmp_path / "cells.yaml"
    path.write_text(VALID.replace("nccl: [false, false]}", "nccl: [1, 0.0]}", 1), encoding="utf-8")
    _, problems = check_releases(str(path))
    assert [(p.check, p.message) for p in problems] == [
        ("matrix-shape", 'nccl must be [CPU, GPU], each true, false or "?"; found [1, 0.0]')
    ]


def test_an_empty_data_name_is_named_as_given() -> None:
    run = ptdiff("show", "1.0", "--data", "")
    assert (run.exit_code, run.stderr) == (2, "ptdiff: error: --data '': [file] empty file name\n")


def test_devices_are_not_read_as_data() -> None:
    run = ptdiff("versions", "--data", "/dev/zero")
    assert (run.exit_code, run.stderr) == (
        2,
        "ptdiff: error: /dev/zero: [file] is not a regular file, not a data file\n",
    )


def test_many_plain_values_are_named_for_what_they_are(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(reader, "MAX_VALUES", 1000)
    path = tmp_path / "many.yaml"
    path.write_text("a:\n" + "".join(f"- {i}\n" for i in range(2000)), encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load_releases(str(path))
    assert "[value-limit] the document holds more than 1,000 values" in str(caught.value)
    path.write_text("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [" + ", ".join(["*a"] * 200) + "]\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load_releases(str(path))
    assert "[alias-limit] aliases expand the document past 1,000 values" in str(caught.value)


def test_suggestions_stop_before_they_get_expensive(tmp_path: Path) -> None:
    path = tmp_path / "unknown.yaml"
    features = "".join(
        f"  - {{id: f{i}, area: jat, title: T, summary: S, sources: [notes-a], "
        f'history: [{{release: "1.0", change: added, sources: [notes-a]}}]}}\n'
        for i in range(150)
    )
    path.write_text(VALID.replace("features:\n", "features:\n" + features), encoding="utf-8")
    _, problems = check_releases(str(path))
    unknown = [p.message for p in problems if p.check == "unknown-value"]
    assert len(unknown) == 150
    assert sum("did you mean" in m for m in unknown) == 100  # then plain "unknown area 'jat'"
    assert unknown[-1] == "unknown area 'jat'"


def test_search_offsets_survive_casefolding_and_strasse_finds_strasse() -> None:
    model = load_releases(str(THREE_RELEASES))
    feature = model.features[0]._replace(summary="İİİİ Straße and torch.jit here")
    model = model._replace(features=(feature,) + model.features[1:])
    hit = search(model, "STRASSE torch.jit").hits[0]
    assert hit.excerpt == "İİİİ Straße and torch.jit here"
    assert [hit.excerpt[a:b] for a, b in hit.marks] == ["Straße", "torch.jit"]


def test_arguments_in_a_c_locale_are_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(VALID.replace("Compiles a subset of Python.", "Compiles Straße."), encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "COLUMNS": "200"}
    run = subprocess.run([*PTDIFF, "search", "straße", "--data", str(path)], capture_output=True, timeout=60, env=env)
    assert run.returncode == 0
    assert b"Hits: 1" in run.stdout


def test_json_on_an_output_that_is_not_utf8_loses_nothing() -> None:
    utf8 = subprocess.run([*PTDIFF, "versions", "-f", "json"], capture_output=True, timeout=60)
    latin = subprocess.run(
        [*PTDIFF, "versions", "-f", "json"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )
    assert latin.returncode == 0
    assert latin.stdout.isascii()
    assert json.loads(latin.stdout) == json.loads(utf8.stdout)
    assert "大更新" in json.dumps(json.loads(latin.stdout), ensure_ascii=False)  # the seed article's title, whole
