"""The loader: safe parsing, strict validation, precise messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytorch_diff.errors import DataError
from pytorch_diff.load import check_releases, load_releases
from pytorch_diff.model import Version

from .helpers import THREE_RELEASES

VALID = THREE_RELEASES.read_text(encoding="utf-8")


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = check_releases(str(path))
    return [str(p).replace(str(path), "F") for p in problems]


def test_fixture_loads_with_releases_sorted_by_version() -> None:
    model = load_releases(THREE_RELEASES)
    assert [str(r.version) for r in model.releases] == ["1.0", "1.1", "1.2"]
    assert model.releases[0].links == {"announcement": "https://example.org/1.0"}
    assert set(model.matrices) == {Version(1, 0), Version(1, 2)}


def test_unknown_field_names_the_place_and_suggests(tmp_path: Path) -> None:
    text = VALID.replace("    title: Script compiler", "    titel: Script compiler")
    assert problems_of(tmp_path, text) == [
        "F:28:5: error [missing-field] a feature is missing required field 'title'",
        "F:30:5: error [unknown-field] unknown field 'titel'; did you mean 'title'?",
    ]


def test_unknown_release_in_a_statement(tmp_path: Path) -> None:
    text = VALID.replace(
        '{release: "1.2", change: added, apis: [{function: torch.new}]',
        '{release: "1.3", change: added, apis: [{function: torch.new}]',
    )
    assert problems_of(tmp_path, text) == [
        "F:51:10: error [unknown-reference] unknown release '1.3'; did you mean '1.2'?"
    ]


def test_unquoted_version_is_explained(tmp_path: Path) -> None:
    text = VALID.replace('  - version: "1.1"', "  - version: 1.1")
    problems = problems_of(tmp_path, text)
    assert problems[0] == "F:22:5: error [type] 'version' must be quoted: YAML reads 1.1 as a number; write \"1.1\""


def test_duplicate_ids_are_errors(tmp_path: Path) -> None:
    text = VALID.replace("  - id: api.new\n", "  - id: api.old\n")
    assert "F:45:5: error [duplicate-id] feature 'api.old' is defined twice (first at line 37)" in problems_of(
        tmp_path, text
    )


def test_unknown_source_and_unused_source(tmp_path: Path) -> None:
    text = VALID.replace("  - id: fancy\n", "  - id: fancy\n").replace(
        "    status: announced\n    sources: [notes-b]", "    status: announced\n    sources: [notes-c]"
    )
    problems = problems_of(tmp_path, text)
    assert "F:75:15: error [unknown-reference] unknown source 'notes-c'; did you mean 'notes-b'?" in problems
    # notes-b is still cited elsewhere; a source nobody cites is a warning at its own entry
    text = VALID.replace(
        "sources:\n", 'sources:\n  - {id: spare, title: S, url: "https://example.org/s", checked: official}\n', 1
    )
    assert problems_of(tmp_path, text) == ["F:4:5: warning [unused-source] source 'spare' is cited by no record"]
    text = VALID.replace(
        "sources:\n", 'sources:\n  - 3\n  - {id: spare, title: S, url: "https://e.org/s", checked: official}\n', 1
    )
    assert problems_of(tmp_path, text) == [
        "F:4:5: error [type] expected a source (a mapping), found a number",
        "F:5:5: warning [unused-source] source 'spare' is cited by no record",  # its own line, past a bad entry
    ]


def test_history_must_ascend_and_start_with_added(tmp_path: Path) -> None:
    text = VALID.replace(
        '      - {release: "1.2", change: changed, summary: Gains classes., sources: [notes-b]}',
        '      - {release: "1.0", change: added, sources: [notes-b]}',
    )
    assert problems_of(tmp_path, text) == [
        "F:36:9: error [history-order] statement for 1.0 must come after the one for 1.1, one statement per release",
        "F:36:9: error [history-sequence] 'added' can only be the first statement",
    ]


def test_changed_statement_needs_a_summary(tmp_path: Path) -> None:
    text = VALID.replace("change: changed, summary: Gains classes., ", "change: changed, ")
    assert problems_of(tmp_path, text) == [
        "F:36:9: error [missing-field] a statement is missing 'summary', required when changed"
    ]


def test_matrix_cells_must_be_pairs(tmp_path: Path) -> None:
    text = VALID.replace(
        '{name: barrier, gloo: [true, false], mpi: [true, "?"], nccl: [false, false]}',
        '{name: barrier, gloo: [true], mpi: [true, "?"], nccl: [false, false]}',
    )
    assert problems_of(tmp_path, text) == [
        'F:81:25: error [matrix-shape] gloo must be [CPU, GPU], each true, false or "?"; found [True]'
    ]


def test_warnings_do_not_stop_loading(tmp_path: Path) -> None:
    text = VALID.replace('"https://example.org/b"', '"http://example.org/b"').replace(
        "sources:\n", 'sources:\n  - {id: spare, title: Unused, url: "https://example.org/c", checked: official}\n', 1
    )
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    model, problems = check_releases(str(path))
    assert model is not None
    assert [(p.level, p.check, p.line) for p in problems] == [
        ("warning", "unused-source", 4),
        ("warning", "insecure-url", 6),
    ]


def test_invalid_file_raises_with_the_first_problem_and_a_count(tmp_path: Path) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(VALID.replace("change: added", "change: addded"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_releases(str(path))
    assert str(caught.value) == (
        f"{path}:34:26: [unknown-value] unknown change 'addded'; did you mean 'added'? "
        f"(and 1 more problem; run 'ptdiff validate {path}' for all)"
    )
