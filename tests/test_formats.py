"""Every format of every command, parsed back and held against the model."""

from __future__ import annotations

import json

import jsonschema
import pytest

from pytorch_diff.load import load_releases
from pytorch_diff.query import compare_releases, show_release
from pytorch_diff.render.json_schema import SCHEMAS, all_schemas

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
    "projects": ("projects",),
    "project": ("projects", "fancy"),
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
    assert document["schema_version"] == 2
    assert list(document)[:2] == ["schema_version", "kind"]
    assert list(document)[-1] == "sources"  # always last, every cited source resolved
    jsonschema.validate(document, json.loads((SCHEMAS / f"{document['kind']}.schema.json").read_text()))


def test_shipped_schemas_are_the_ones_the_records_give() -> None:
    shipped = {path.name.split(".")[0]: json.loads(path.read_text()) for path in SCHEMAS.glob("*.schema.json")}
    assert shipped == all_schemas()  # regenerate with: python -m pytorch_diff.render.json_schema


def test_the_same_thing_has_the_same_key_everywhere() -> None:
    compare = ptdiff("compare", "1.0", "1.2", "-f", "json", *DATA).json()
    matrix = ptdiff("matrix", "1.0", "1.2", "-f", "json", *DATA).json()
    assert compare["old"]["version"] == matrix["old"]["version"] == "1.0"
    assert compare["new"]["version"] == matrix["new"]["version"] == "1.2"
    tools = ptdiff("tools", "-f", "json", *DATA).json()
    assert tools["kind"] == "projects"  # the document's kind, not the projects'
    assert [p["kind"] for p in tools["projects"]] == ["tool"]
    tool = ptdiff("tools", "ax", "-f", "json", *DATA).json()
    assert (tool["kind"], tool["project"]["kind"]) == ("project", "tool")


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
    assert rows[0] == ["change", "breaking", "area", "id", "feature", "what changed", "apis", "sources"]
    assert [(r[0], r[1], r[2], r[3]) for r in rows[1:]] == [
        ("added", "", "api", "api.new"),
        ("changed", "", "jit", "jit.script"),
        ("removed", "yes", "api", "api.old"),
    ]
    assert rows[2][5] == "1.1: Gains dictionaries.\n1.2: Gains classes."
    assert rows[3][5] == "1.1: Use new instead.\n1.2 (breaking): Gone."
    assert rows[3][6:] == ["torch.old", "https://example.org/a; https://example.org/b"]


def test_show_csv_area_is_the_id_as_in_compare() -> None:
    rows = ptdiff("show", "1.2", "-f", "csv", *DATA).csv()
    assert rows[0] == ["area", "status", "id", "feature", "in this release", "apis", "sources"]
    assert [row[:3] for row in rows[1:]] == [
        ["jit", "changed", "jit.script"],
        ["api", "removed, breaking", "api.old"],
        ["api", "added", "api.new"],
    ]


def test_show_markdown_has_a_section_per_area_and_sources_as_links() -> None:
    text = ptdiff("show", "1.1", "-f", "markdown", *DATA).stdout
    assert "## JIT\n" in text and "## Core API\n" in text
    first = markdown_tables(text)[0]
    assert first[0] == ["status", "id", "feature", "in this release", "apis", "sources"]
    assert first[1] == [
        "changed",
        "jit.script",
        "Script compiler",
        "Gains dictionaries.",
        "torch.jit.Attribute",
        "[Release notes A](https://example.org/a)",
    ]
    assert "## Came with PyTorch 1.1\n\n### Tools\n" in text
    assert markdown_tables(text)[-1][1] == [
        "tool",
        "Ax",
        "Adaptive experimentation platform.",
        "<https://ax.dev>",
        "",
        "[Release notes A](https://example.org/a)",
    ]


def test_matrix_csv_uses_words_and_json_marks_changes() -> None:
    rows = ptdiff("matrix", "1.0", "1.2", "-f", "csv", *DATA).csv()
    assert rows[0] == ["operation", "gloo CPU", "gloo GPU", "mpi CPU", "mpi GPU", "nccl CPU", "nccl GPU"]
    assert rows[1] == ["send", "yes", "no", "yes", "depends", "no", "no→yes"]
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
