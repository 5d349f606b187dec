"""Every format of every command, parsed back and held against the model."""

from __future__ import annotations

import pytest

from pytorch_diff.load import load_releases
from pytorch_diff.query import compare_releases, show_release

from .helpers import THREE_RELEASES, ptdiff

DATA = ("--data", str(THREE_RELEASES))
COMMANDS = {
    "show": ("show", "1.2"),
    "compare": ("compare", "1.0", "1.2"),
    "tools": ("tools",),
    "tool": ("tools", "ax"),
    "versions": ("versions",),
    "search": ("search", "function"),
    "matrix": ("matrix", "1.0", "1.2"),
    "validate": ("validate", str(THREE_RELEASES)),
}


def markdown_tables(text: str) -> list[list[list[str]]]:
    """The tables of a Markdown document, each a list of rows of cells (header first)."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            if not all(set(c) <= {"-", " "} for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


@pytest.mark.parametrize("command", COMMANDS)
def test_json_is_one_document_with_schema_version(command: str) -> None:
    run = ptdiff(*COMMANDS[command], "--format", "json", *DATA)
    assert run.exit_code == 0
    document = run.json()  # raises unless stdout is exactly one JSON document
    assert document["schema_version"] == 1
    assert list(document)[:2] == ["schema_version", "kind"]


@pytest.mark.parametrize("command", COMMANDS)
def test_csv_has_one_header_and_rows_of_its_width(command: str) -> None:
    rows = ptdiff(*COMMANDS[command], "--format", "csv", *DATA).csv()
    assert rows, "no header"
    assert all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.parametrize("command", COMMANDS)
def test_markdown_tables_have_the_header_width(command: str) -> None:
    text = ptdiff(*COMMANDS[command], "--format", "markdown", *DATA).stdout
    assert text.startswith("# ")
    for table in markdown_tables(text):
        assert all(len(row) == len(table[0]) for row in table), table


@pytest.mark.parametrize("fmt", ["json", "markdown", "csv"])
def test_no_escape_codes_in_machine_formats_even_when_forced(fmt: str) -> None:
    run = ptdiff("show", "1.0", "--format", fmt, *DATA, env={"FORCE_COLOR": "1"})
    assert "\x1b" not in run.stdout


def test_show_json_holds_every_feature_with_its_history_and_sources() -> None:
    model = load_releases(THREE_RELEASES)
    document = ptdiff("show", "1.2", "-f", "json", *DATA).json()
    view = show_release(model, "1.2")
    assert document["kind"] == "release"
    assert document["release"]["version"] == "1.2"
    assert [(f["feature"]["id"], f["status"]) for f in document["features"]] == [
        (f.feature.id, f.status) for f in view.features
    ]
    script = document["features"][0]
    assert script["apis"] == [
        {"kind": "function", "name": "torch.jit.script"},
        {"kind": "class", "name": "torch.jit.Attribute"},
    ]
    assert [s["release"] for s in script["feature"]["history"]] == ["1.0", "1.1", "1.2"]
    assert document["sources"] == {
        "notes-b": {"id": "notes-b", "title": "Release notes B", "url": "https://example.org/b", "checked": "official"},
        "notes-a": {"id": "notes-a", "title": "Release notes A", "url": "https://example.org/a", "checked": "official"},
    }


def test_compare_json_counts_match_the_model() -> None:
    model = load_releases(THREE_RELEASES)
    document = ptdiff("compare", "1.2", "1.0", "-f", "json", *DATA).json()
    diff = compare_releases(model, "1.0", "1.2")
    assert document["kind"] == "comparison"
    assert document["swapped"] is True
    assert document["counts"] == {"added": 1, "changed": 1, "deprecated": 0, "removed": 1, "breaking": 1}
    assert [(c["feature"]["id"], c["kind"]) for c in document["changes"]] == [
        (c.feature.id, c.kind) for c in diff.changes
    ]


def test_compare_csv_rows_match_the_model() -> None:
    rows = ptdiff("compare", "1.0", "1.2", "-f", "csv", *DATA).csv()
    assert rows[0] == ["change", "area", "id", "feature", "what changed", "breaking", "sources"]
    assert [(r[0], r[2], r[5]) for r in rows[1:]] == [
        ("Added", "api.new", ""),
        ("Changed", "jit.script", ""),
        ("Removed", "api.old", "yes"),
    ]
    assert rows[2][4] == "1.1: Gains dictionaries.\n1.2: Gains classes."


def test_show_markdown_has_a_section_per_area() -> None:
    text = ptdiff("show", "1.2", "-f", "markdown", *DATA).stdout
    assert "## JIT\n" in text and "## Core API\n" in text
    first = markdown_tables(text)[0]
    assert first[0] == ["status", "id", "feature", "summary", "in this release", "apis", "sources"]
    assert first[1] == [
        "changed",
        "jit.script",
        "Script compiler",
        "Compiles a subset of Python.",
        "Gains classes.",
        "torch.jit.script, torch.jit.Attribute",
        "https://example.org/b",
    ]


def test_matrix_csv_uses_words_and_json_marks_changes() -> None:
    rows = ptdiff("matrix", "1.0", "1.2", "-f", "csv", *DATA).csv()
    assert rows[0] == ["table", "operation", "gloo CPU", "gloo GPU", "mpi CPU", "mpi GPU", "nccl CPU", "nccl GPU"]
    assert rows[1] == ["operations", "send", "yes", "no", "yes", "depends", "no", "no→yes"]
    document = ptdiff("matrix", "1.0", "1.2", "-f", "json", *DATA).json()
    assert document["changed_cells"] == 2
    changed = [c for row in document["rows"] for c in row["cells"] if c["old"] != c["value"]]
    assert [(c["backend"], c["device"], c["old"], c["value"]) for c in changed] == [("nccl", "gpu", "no", "yes")] * 2


def test_validate_json_of_a_bad_file(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(THREE_RELEASES.read_text().replace("area: jit\n", "area: jat\n"), encoding="utf-8")
    run = ptdiff("validate", str(bad), "-f", "json")
    assert run.exit_code == 1
    document = run.json()
    assert (document["errors"], document["warnings"]) == (1, 0)
    assert document["problems"] == [
        {
            "file": str(bad),
            "line": 29,
            "column": 5,
            "level": "error",
            "check": "unknown-value",
            "message": "unknown area 'jat'; did you mean 'jit'?",
        }
    ]
