"""The loader's checks: each finding's exact place and message, and the model a clean file gives.

Documents are written from Python values with ``yaml.safe_dump``, so that each test
states only what it changes; positions are those of the dumped text.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from pytorch_diff import cache, load, reader
from pytorch_diff.errors import DataError
from pytorch_diff.load import check_releases, data_path, default_data_path, load_releases
from pytorch_diff.model import (
    Announcement,
    Api,
    Area,
    BackendMatrix,
    Builds,
    MatrixRow,
    Project,
    Release,
    Source,
    Statement,
    Version,
)

V10, V11, V12 = Version(1, 0), Version(1, 1), Version(1, 2)


def base() -> dict[str, Any]:
    """A small valid document: two sources, two areas, three releases, one feature."""
    return {
        "schema_version": 2,
        "sources": [
            {"id": "s1", "title": "One", "url": "https://e.org/1", "checked": "official"},
            {"id": "s2", "title": "Two", "url": "https://e.org/2", "checked": "mirror"},
        ],
        "areas": [{"id": "jit", "title": "JIT"}, {"id": "api", "title": "Core API"}],
        "releases": [
            {"version": "1.0", "title": "First", "summary": "S.", "sources": ["s1"]},
            {"version": "1.2", "title": "Third", "summary": "S.", "sources": ["s1"]},
            {"version": "1.1", "title": "Second", "summary": "S.", "sources": ["s2"]},
        ],
        "features": [
            {
                "id": "f",
                "area": "jit",
                "title": "F",
                "summary": "Does f.",
                "sources": ["s1"],
                "history": [
                    {"release": "1.0", "change": "added", "apis": [{"function": "torch.f"}], "sources": ["s1"]}
                ],
            }
        ],
        "projects": [],
        "backend_matrices": [],
    }


def write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "data.yaml"
    text = document if isinstance(document, str) else yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(tmp_path: Path, document: Any) -> list[str]:
    """Every finding of the document, as ``LINE:COL level [check] message``."""
    _, problems = check_releases(str(write(tmp_path, document)))
    return [f"{p.line}:{p.column} {p.level} [{p.check}] {p.message}" for p in problems]


def messages(tmp_path: Path, document: Any) -> list[str]:
    """Every finding without its place: ``[check] message``."""
    return [f.split(" ", 2)[2] for f in findings(tmp_path, document)]


def loaded(tmp_path: Path, document: Any):
    model, problems = check_releases(str(write(tmp_path, document)))
    assert problems == []
    assert model is not None
    return model


def feature_with(*history: dict[str, Any], **fields: Any) -> dict[str, Any]:
    doc = base()
    doc["features"][0]["history"] = list(history)
    doc["features"][0].update(fields)
    return doc


def statement(release: str, change: str, *apis: Any, **fields: Any) -> dict[str, Any]:
    result = {"release": release, "change": change, "sources": ["s1"], **fields}
    if change != "added":
        result.setdefault("summary", f"{change}.")
    if apis:
        result["apis"] = [{"function": a} if isinstance(a, str) else a for a in apis]
    return result


# -- a clean file -----------------------------------------------------------------------------


def test_a_clean_file_gives_the_whole_model(tmp_path: Path) -> None:
    doc = base()
    doc["releases"][2].update(
        date="2019-05-01",
        links={"release_notes": "https://e.org/rn"},
        builds={"cuda": ["9.0", "10.0"], "cpu": True, "torchvision": "0.3.0"},
        notes=" Notes. ",
    )
    doc["releases"][0]["date"] = dt.date(2018, 12, 7)
    doc["features"][0]["notes"] = "Feature notes."
    doc["features"][0]["history"].append(
        statement(
            "1.1",
            "deprecated",
            {"function": "torch.f", "replaced_by": ["torch.g"], "rename": True},
            {"keyword": "k", "of": "torch.f"},
            {"value": "tcp", "of": "torch.f", "argument": "backend", "position": 0},
            "torch.g",
            breaking=True,
        )
    )
    doc["projects"] = [
        {
            "id": "p",
            "kind": "roadmap",
            "name": " P ",
            "summary": "What.",
            "relation": "How.",
            "url": "https://e.org/p",
            "repository": "https://github.com/p",
            "announced": {"event": "F8", "date": "2019-05-01", "release": "1.1"},
            "mentioned_with": "1.0",
            "status": "shipped",
            "shipped_in": "1.2",
            "shipped_as": ["f"],
            "notes": "N.",
            "sources": ["s2"],
        },
        {
            "id": "q",
            "kind": "tool",
            "name": "Q",
            "summary": "W.",
            "relation": "H.",
            "url": "https://q",
            "sources": ["s1"],
        },
    ]
    doc["backend_matrices"] = [
        {
            "release": "1.0",
            "operations": [{"name": "send", "gloo": [True, False], "mpi": [True, "?"], "nccl": [False, True]}],
            "sources": ["s1"],
            "notes": "M.",
        }
    ]
    model = loaded(tmp_path, doc)
    assert model.sources == {
        "s1": Source("s1", "One", "https://e.org/1", "official"),
        "s2": Source("s2", "Two", "https://e.org/2", "mirror"),
    }
    assert model.areas == {"jit": Area("jit", "JIT"), "api": Area("api", "Core API")}
    assert model.releases == (
        Release(V10, dt.date(2018, 12, 7), "First", "S.", {}, ("s1",)),
        Release(
            V11,
            dt.date(2019, 5, 1),
            "Second",
            "S.",
            {"release_notes": "https://e.org/rn"},
            ("s2",),
            Builds(("9.0", "10.0"), True, "0.3.0"),
            "Notes.",
        ),
        Release(V12, None, "Third", "S.", {}, ("s1",)),
    )
    (feature,) = model.features
    assert (feature.id, feature.area, feature.title, feature.summary, feature.sources, feature.notes) == (
        "f",
        "jit",
        "F",
        "Does f.",
        ("s1",),
        "Feature notes.",
    )
    assert feature.history == (
        Statement(V10, "added", "", (Api("function", "torch.f"),), False, ("s1",)),
        Statement(
            V11,
            "deprecated",
            "deprecated.",
            (
                Api("function", "torch.f", replaced_by=("torch.g",), rename=True),
                Api("keyword", "k", of="torch.f"),
                Api("value", "tcp", "torch.f", "backend", 0),
                Api("function", "torch.g"),
            ),
            True,
            ("s1",),
        ),
    )
    assert model.projects == (
        Project(
            id="p",
            kind="roadmap",
            name="P",
            summary="What.",
            relation="How.",
            url="https://e.org/p",
            sources=("s2",),
            repository="https://github.com/p",
            announced=Announcement("F8", dt.date(2019, 5, 1), V11),
            mentioned_with=V10,
            status="shipped",
            shipped_in=V12,
            shipped_as=("f",),
            notes="N.",
        ),
        Project(id="q", kind="tool", name="Q", summary="W.", relation="H.", url="https://q", sources=("s1",)),
    )
    support = {"gloo": {"cpu": "yes", "gpu": "no"}, "mpi": {"cpu": "yes", "gpu": "depends"}}
    support["nccl"] = {"cpu": "no", "gpu": "yes"}
    assert model.matrices == {V10: BackendMatrix(V10, (MatrixRow("send", support),), ("s1",), "M.")}


# -- the file as a whole ---------------------------------------------------------------------


def test_an_empty_document_names_what_it_needs(tmp_path: Path) -> None:
    assert findings(tmp_path, "# nothing\n") == [
        "1:1 error [missing-field] file is empty: expected a mapping with sources, areas, releases, features, "
        "projects, backend_matrices"
    ]


@pytest.mark.parametrize(
    ("version", "shown"), [(3, "3"), ("2", "'2'"), (None, "None"), ("x" * 30, "'xxxxxxxxxxxxxxxxxxx")]
)
def test_an_unsupported_schema_version_stops_the_check(tmp_path: Path, version: Any, shown: str) -> None:
    doc = base()
    doc["schema_version"] = version
    doc["areas"] = "not even a list"
    assert findings(tmp_path, doc) == [
        f"1:1 error [unknown-value] schema_version {shown} is not supported; this ptdiff reads 2"
    ]


def test_the_top_level_needs_every_part_and_only_those(tmp_path: Path) -> None:
    doc = base()
    del doc["projects"]
    doc["extra"] = 1
    assert findings(tmp_path, doc) == [
        "1:1 error [missing-field] the data file is missing required field 'projects'",
        "47:1 error [unknown-field] unknown field 'extra'; expected one of: areas, backend_matrices, features, "
        "projects, releases, schema_version, sources",
    ]


def test_a_part_that_is_not_a_list(tmp_path: Path) -> None:
    doc = base()
    doc["areas"] = {"id": "jit"}
    assert messages(tmp_path, doc)[:1] == ["[type] 'areas' must be a list, found a mapping"]


# -- records ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "what"),
    [
        ("sources", "a source"),
        ("areas", "an area"),
        ("releases", "a release"),
        ("features", "a feature"),
        ("projects", "a project"),
        ("backend_matrices", "a backend matrix"),
    ],
)
def test_a_record_that_is_not_a_mapping(tmp_path: Path, part: str, what: str) -> None:
    doc = base()
    doc[part].insert(0, ["a", "list"])
    assert f"[type] expected {what} (a mapping), found a list" in messages(tmp_path, doc)


@pytest.mark.parametrize(
    ("part", "ident", "what", "line"),
    [
        ("sources", "id", "source", 3),
        ("areas", "id", "area", 12),
        ("releases", "version", "release", 17),
        ("features", "id", "feature", 33),
    ],
)
def test_two_records_with_one_id(tmp_path: Path, part: str, ident: str, what: str, line: int) -> None:
    doc = base()
    doc[part].append(copy.deepcopy(doc[part][0]))
    found = [f for f in findings(tmp_path, doc) if "[duplicate-id]" in f]
    key = doc[part][0][ident]
    assert len(found) == 1
    assert found[0].endswith(f"error [duplicate-id] {what} {key!r} is defined twice (first at line {line})")


# A complete project record: each test changes only what it is about.
PROJECT = {
    "id": "p",
    "kind": "tool",
    "name": "P",
    "summary": "S",
    "relation": "R",
    "url": "https://p",
    "sources": ["s1"],
}


def test_two_projects_or_matrices_with_one_id(tmp_path: Path) -> None:
    doc = base()
    one = dict(PROJECT)
    doc["projects"] = [one, dict(one)]
    matrix = {"release": "1.0", "operations": [], "sources": ["s1"]}
    doc["backend_matrices"] = [matrix, dict(matrix)]
    assert [m for m in messages(tmp_path, doc) if "[duplicate-id]" in m] == [
        "[duplicate-id] project 'p' is defined twice (first at line 47)",
        "[duplicate-id] backend matrix '1.0' is defined twice (first at line 63)",
    ]


def test_a_source_needs_known_checks_and_a_url(tmp_path: Path) -> None:
    doc = base()
    doc["sources"][0].update(checked="Official", url="ftp://e.org")
    doc["sources"][1]["url"] = "http://e.org/2"
    assert findings(tmp_path, doc) == [
        "5:3 error [type] 'url' must be an http(s) URL without spaces, found 'ftp://e.org'",
        "6:3 error [unknown-value] unknown checked 'Official'; did you mean 'official'?",
        "9:3 warning [insecure-url] 'url' is not https: http://e.org/2",
    ]


def test_an_unused_source_is_a_warning_at_its_entry(tmp_path: Path) -> None:
    doc = base()
    doc["releases"][2]["sources"] = ["s1"]
    assert findings(tmp_path, doc) == ["7:3 warning [unused-source] source 's2' is cited by no record"]


def test_citations_must_name_known_sources(tmp_path: Path) -> None:
    doc = base()
    doc["releases"][0]["sources"] = []
    doc["releases"][1]["sources"] = ["s3", "s1"]
    doc["features"][0]["sources"] = "s1"
    assert messages(tmp_path, doc) == [
        "[missing-field] every record needs at least one source",
        "[unknown-reference] unknown source 's3'; did you mean 's2'?",
        "[type] 'sources' must be a list of names",
        "[missing-field] every record needs at least one source",
    ]


def test_a_release_and_its_links_and_builds(tmp_path: Path) -> None:
    doc = base()
    doc["releases"][0].update(links=["https://e.org"], date="May 2019", notes=3)
    doc["releases"][1].update(
        links={"doc\x1bs": "https://e.org/d", "spaced": "https://e.org/a b"},
        builds={"cuda": ["9.0", "ten", "10"], "cpu": "yes", "torchvision": ""},
    )
    doc["releases"][2]["builds"] = ["9.0"]
    assert messages(tmp_path, doc) == [
        "[type] 'links' must be a mapping of name to URL",
        "[type] 'date' must be a date like 2019-05-01, found 'May 2019'",
        "[type] 'notes' must be text, found a number",
        "[control-character] a link name contains control or bidi characters: U+001B",
        "[type] 'spaced' must be an http(s) URL without spaces, found 'https://e.org/a b'",
        "[type] a CUDA version must look like \"10.0\", found 'ten'",
        "[type] a CUDA version must look like \"10.0\", found '10'",
        "[type] 'cpu' must be true or false, found a string",
        "[missing-field] 'torchvision' must not be empty",
        "[type] expected the builds of a release (a mapping), found a list",
    ]


def test_a_long_cuda_version_is_cut_in_the_message(tmp_path: Path) -> None:
    doc = base()
    doc["releases"][0]["builds"] = {"cuda": ["x" * 50], "cpu": False, "torchvision": "0.2"}
    assert findings(tmp_path, doc) == [
        '24:7 error [type] a CUDA version must look like "10.0", found ' + repr("x" * 50)[:20]  # at the version itself
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1.1, "[type] 'version' must be quoted: YAML reads 1.1 as a number; write \"1.1\""),
        (2, "[type] 'version' must be quoted: YAML reads 2 as a number; write \"2\""),
        (10**30, "[type] 'version' must be a quoted version like \"1.1\", found a number"),
        ("one", "[type] 'version' must be a version like \"1.1\" (ASCII digits), found 'one'"),
        (True, "[type] 'version' must be a version like \"1.1\" (ASCII digits), found True"),
        ("9" * 50, "[type] 'version' must be a version like \"1.1\" (ASCII digits), found " + repr("9" * 50)[:40]),
    ],
)
def test_a_version_must_be_a_quoted_version(tmp_path: Path, value: Any, message: str) -> None:
    doc = base()
    doc["releases"].append({"version": value, "title": "T", "summary": "S", "sources": ["s1"]})
    assert messages(tmp_path, doc) == [message]


def test_dates_read_as_dates_or_iso_text(tmp_path: Path) -> None:
    doc = base()
    doc["releases"][0]["date"] = "2019-05-01"
    doc["releases"][1]["date"] = dt.date(2019, 8, 8)
    doc["releases"][2]["date"] = "２０１９-05-01"  # full-width digits: fromisoformat may take them, the file may not
    assert messages(tmp_path, doc) == ["[type] 'date' must be a date like 2019-05-01, found '２０１９-05-01'"]
    doc["releases"][2]["date"] = dt.datetime(2019, 5, 1, 12, 0)
    assert messages(tmp_path, doc) == [
        "[type] 'date' must be a date like 2019-05-01, found datetime.datetime(2019, 5, 1, 12, 0)"
    ]
    del doc["releases"][2]["date"]
    model = loaded(tmp_path, doc)
    assert [r.date for r in model.releases] == [dt.date(2019, 5, 1), None, dt.date(2019, 8, 8)]


# -- features and their histories ---------------------------------------------------------------


def test_a_feature_s_area_must_be_known(tmp_path: Path) -> None:
    assert findings(tmp_path, feature_with(statement("1.0", "added"), area="jat")) == [
        "34:3 error [unknown-value] unknown area 'jat'; did you mean 'jit'?"
    ]
    assert messages(tmp_path, feature_with(statement("1.0", "added"), area="")) == [
        "[missing-field] 'area' must not be empty"
    ]


def test_statements_ascend_one_per_release(tmp_path: Path) -> None:
    doc = feature_with(statement("1.1", "added"), statement("1.0", "changed"), statement("1.0", "changed"))
    assert findings(tmp_path, doc) == [
        "44:5 error [history-order] statement for 1.0 must come after the one for 1.1, one statement per release",
        "49:5 error [history-order] statement for 1.0 must come after the one for 1.0, one statement per release",
    ]


def test_nothing_happens_after_a_removal(tmp_path: Path) -> None:
    doc = feature_with(statement("1.0", "added"), statement("1.1", "removed"), statement("1.2", "changed"))
    assert findings(tmp_path, doc) == [
        "49:5 error [history-sequence] nothing can happen after removal in 1.1",
    ]
    doc = feature_with(statement("1.0", "removed"), statement("1.1", "deprecated"))
    assert messages(tmp_path, doc) == ["[history-sequence] nothing can happen after removal in 1.0"]
    fine = feature_with(statement("1.0", "deprecated"), statement("1.1", "removed"))
    assert messages(tmp_path, fine) == []


def test_added_only_as_the_first_statement(tmp_path: Path) -> None:
    doc = feature_with(statement("1.0", "changed"), statement("1.1", "added"))
    assert findings(tmp_path, doc) == ["45:5 error [history-sequence] 'added' can only be the first statement"]
    doc = feature_with(statement("1.0", "removed"), statement("1.1", "added"))
    assert messages(tmp_path, doc) == [
        "[history-sequence] nothing can happen after removal in 1.0",
        "[history-sequence] 'added' can only be the first statement",
    ]


def test_a_statement_needs_a_known_change_a_release_and_a_summary_unless_added(tmp_path: Path) -> None:
    doc = feature_with(
        {"release": "1.0", "change": "added", "summary": "", "sources": ["s1"]},
        {"release": "1.1", "change": "changed", "sources": ["s1"]},
        {"release": "1.2", "change": "renamed", "sources": ["s1"], "breaking": "yes"},
        {"release": "1.3", "change": "deprecated", "summary": "", "sources": ["s1"]},
        {"change": "removed", "summary": "x"},
    )
    assert messages(tmp_path, doc) == [
        "[missing-field] a statement is missing 'summary', required when changed",
        "[unknown-value] unknown change 'renamed'; did you mean 'removed'?",
        "[type] 'breaking' must be true or false, found a string",
        "[unknown-reference] unknown release '1.3'; did you mean '1.2'?",
        "[missing-field] 'summary' must not be empty",
        "[missing-field] a statement is missing required fields 'release', 'sources'",
        "[history-order] statement for 0.0 must come after the one for 1.3, one statement per release",
    ]


def test_a_history_must_be_a_list_of_statements(tmp_path: Path) -> None:
    assert messages(tmp_path, feature_with(history="1.0")) == ["[type] 'history' must be a list, found a string"]
    assert messages(tmp_path, feature_with("added in 1.0")) == [
        "[type] expected a statement (a mapping), found a string"
    ]


# -- API entries ----------------------------------------------------------------------------------


def api_findings(tmp_path: Path, *apis: Any, change: str = "added") -> list[str]:
    doc = feature_with(statement("1.0", "added"), statement("1.1", "changed"))
    doc["features"][0]["history"][0 if change == "added" else 1] = statement(
        "1.0" if change == "added" else "1.1", change, *apis
    )
    return messages(tmp_path, doc)


def test_an_api_entry_is_a_mapping_naming_one_kind(tmp_path: Path) -> None:
    assert api_findings(tmp_path, ["torch.f"], {"function": "torch.f", "class": "torch.F"}, {"name": "x"}) == [
        "[type] an API entry must be a mapping such as {function: torch.jit.trace}",
        "[missing-field] an API entry names exactly one of: module, function, class, attribute, keyword, value",
        "[missing-field] an API entry names exactly one of: module, function, class, attribute, keyword, value",
    ]


def test_api_names_are_dotted_ascii_python_names(tmp_path: Path) -> None:
    assert api_findings(
        tmp_path,
        {"module": "torch.nn"},
        {"class": "torch.nn.Linear"},
        {"attribute": "torch.__version__"},
        {"function": "torch.jit.trace()"},
        {"function": "tor\u200bch.f"},
        {"module": "torch..nn"},
        {"class": "1torch"},
    ) == [
        "[api-name] 'torch.jit.trace()' is not a dotted Python name such as torch.nn.Linear in ASCII",
        "[control-character] 'function' contains control or bidi characters: U+200B",
        "[api-name] 'tor\\u200bch.f' is not a dotted Python name such as torch.nn.Linear in ASCII",
        "[api-name] 'torch..nn' is not a dotted Python name such as torch.nn.Linear in ASCII",
        "[api-name] '1torch' is not a dotted Python name such as torch.nn.Linear in ASCII",
    ]


def test_keywords_and_values_belong_to_a_callable(tmp_path: Path) -> None:
    assert api_findings(
        tmp_path,
        {"keyword": "find_unused"},
        {"keyword": "a.b", "of": "torch.f"},
        {"keyword": "k", "of": "torch.f()"},
        {"value": "tcp", "of": "torch.f"},
        {"value": "tcp", "of": "torch.f", "argument": "back end", "position": 100},
        {"value": "x y", "of": "torch.f", "argument": "b", "position": True},
        {"value": "x", "of": "torch.f", "argument": "b", "position": -1},
        {"value": "x", "of": "torch.f", "argument": "b", "position": 99},
        {"keyword": "k", "of": "torch.f", "position": 1},
        {"function": "torch.f", "of": "torch"},
    ) == [
        "[missing-field] a keyword entry is missing required field 'of'",
        "[api-name] 'a.b' is not a Python identifier in ASCII",
        "[api-name] 'torch.f()' is not a dotted Python name such as torch.nn.Linear in ASCII",
        "[missing-field] a value entry is missing required field 'argument'",
        "[api-name] 'back end' is not a Python identifier in ASCII",
        "[type] 'position' must be a whole number from 0 to 99",
        "[type] 'position' must be a whole number from 0 to 99",
        "[type] 'position' must be a whole number from 0 to 99",
        "[unknown-field] unknown field 'position'; expected one of: keyword, of, rename, replaced_by",
        "[unknown-field] unknown field 'of'; expected one of: function, rename, replaced_by",
    ]


def test_replacements_belong_to_deprecations_and_removals(tmp_path: Path) -> None:
    assert api_findings(tmp_path, {"function": "torch.f", "replaced_by": ["torch.f"]}) == [
        "[replacement] only a deprecated or removed name has 'replaced_by', not a added"
    ]
    doc = feature_with(statement("1.0", "added", "torch.g"))
    doc["features"][0]["history"].append(
        {"release": "1.1", "change": "", "summary": "s", "sources": ["s1"]}
        | {"apis": [{"function": "torch.f", "replaced_by": ["torch.g"]}]}
    )
    assert messages(tmp_path, doc) == [
        "[missing-field] 'change' must not be empty",
        "[replacement] only a deprecated or removed name has 'replaced_by', not a statement",
    ]


def test_a_replacement_must_exist_by_the_release_that_names_it(tmp_path: Path) -> None:
    doc = feature_with(
        statement("1.0", "added", "torch.f", {"keyword": "old", "of": "torch.f"}),
        statement(
            "1.1",
            "deprecated",
            {"function": "torch.f", "replaced_by": ["torch.g", "torch.h", "torch.f"]},
            {"keyword": "old", "of": "torch.f", "replaced_by": ["new", "old", "gone"]},
        ),
        statement("1.2", "changed", "torch.g", {"keyword": "new", "of": "torch.f"}),
    )
    assert findings(tmp_path, doc) == [
        "55:7 error [replacement] replacement 'torch.g' first appears in 1.2, after 1.1",
        "55:7 error [unknown-reference] replacement 'torch.h' is not an API name listed by any statement",
        "61:7 error [replacement] replacement 'torch.f(new=)' first appears in 1.2, after 1.1",
        "61:7 error [unknown-reference] replacement 'torch.f(gone=)' is not an API name listed by any statement",
    ]


def test_a_replacement_listed_in_the_same_release_is_fine(tmp_path: Path) -> None:
    doc = feature_with(
        statement("1.0", "added", "torch.f"),
        statement("1.1", "deprecated", {"function": "torch.f", "replaced_by": ["torch.g"]}, "torch.g"),
    )
    assert messages(tmp_path, doc) == []
    doc = feature_with(statement("1.1", "removed", {"function": "torch.f", "replaced_by": ["torch.g"]}))
    assert messages(tmp_path, doc) == [
        "[unknown-reference] replacement 'torch.g' is not an API name listed by any statement"
    ]


def test_replacement_names_of_a_function_are_dotted_those_of_a_keyword_are_not(tmp_path: Path) -> None:
    assert api_findings(
        tmp_path,
        {"function": "torch.f", "replaced_by": ["torch g"], "rename": True},
        {"keyword": "k", "of": "torch.f", "replaced_by": ["torch g"]},
        change="deprecated",
    ) == [
        "[unknown-reference] replacement 'torch g' is not an API name listed by any statement",
        "[api-name] 'torch g' is not a dotted Python name such as torch.nn.Linear in ASCII",
        "[unknown-reference] replacement 'torch.f(torch g=)' is not an API name listed by any statement",
    ]


def test_a_rename_has_exactly_one_replacement(tmp_path: Path) -> None:
    doc = feature_with(
        statement("1.0", "added", "torch.g", "torch.h"),
        statement(
            "1.1",
            "deprecated",
            {"function": "torch.f", "replaced_by": ["torch.g", "torch.h"], "rename": True},
            {"function": "torch.e", "rename": True},
            {"function": "torch.d", "replaced_by": ["torch.g"], "rename": "yes"},
        ),
    )
    assert findings(tmp_path, doc) == [
        "57:7 error [replacement] 'rename' needs exactly one name in 'replaced_by'",
        "59:7 error [replacement] 'rename' needs exactly one name in 'replaced_by'",
        "63:7 error [type] 'rename' must be true or false, found a string",
    ]
    rename = feature_with(
        statement("1.0", "added", "torch.g"),
        statement("1.1", "deprecated", {"function": "torch.f", "replaced_by": ["torch.g"], "rename": True}),
    )
    assert loaded(tmp_path, rename).features[0].history[1].apis[0].rename is True


def test_replaced_by_must_be_a_list_of_names(tmp_path: Path) -> None:
    assert (
        api_findings(
            tmp_path,
            {"function": "torch.f", "replaced_by": "torch.g"},
            {"function": "torch.f", "replaced_by": ["torch.g", " "]},
            {"function": "torch.f", "replaced_by": ["torch.g", 3]},
            change="deprecated",
        )
        == ["[type] 'replaced_by' must be a list of names"] * 3
    )


# -- projects ----------------------------------------------------------------------------------


def project_findings(tmp_path: Path, **fields: Any) -> list[str]:
    doc = base()
    record = {**PROJECT, **fields}
    doc["projects"] = [{k: v for k, v in record.items() if v is not None}]
    return messages(tmp_path, doc)


def test_only_roadmap_items_have_a_status_of_announced_or_shipped(tmp_path: Path) -> None:
    assert project_findings(tmp_path, kind="roadmap") == [
        "[missing-field] a roadmap item is missing required field 'status'"
    ]
    assert project_findings(tmp_path, kind="roadmap", status="") == ["[missing-field] 'status' must not be empty"]
    assert project_findings(tmp_path, status="shipped") == ["[unknown-field] only roadmap items have a 'status'"]
    assert project_findings(tmp_path, kind="roadmap", status="shiped") == [
        "[unknown-value] unknown status 'shiped'; did you mean 'shipped'?"
    ]
    assert project_findings(tmp_path, kind="roadmap", status="zzz") == [
        "[unknown-value] unknown status 'zzz'; expected one of: announced, shipped"
    ]
    assert project_findings(tmp_path, kind="roadmap", status="announced") == []
    assert project_findings(tmp_path, status="") == []  # an empty status on a tool is no status
    assert project_findings(tmp_path, kind="tools") == ["[unknown-value] unknown kind 'tools'; did you mean 'tool'?"]


def test_a_project_s_announcement_and_releases(tmp_path: Path) -> None:
    assert project_findings(
        tmp_path, announced={"event": "F8", "date": "soon", "release": "1.5", "where": "x"}, mentioned_with="2.0"
    ) == [
        "[type] 'date' must be a date like 2019-05-01, found 'soon'",
        "[unknown-reference] unknown release '1.5'; did you mean '1.2'?",
        "[unknown-field] unknown field 'where'; expected one of: date, event, release",
        "[unknown-reference] unknown release '2.0'; did you mean '1.0'?",
    ]
    assert project_findings(tmp_path, announced="F8", repository="git@github.com:x", shipped_in="soon") == [
        "[type] expected an announcement (a mapping), found a string",
        "[type] 'repository' must be an http(s) URL without spaces, found 'git@github.com:x'",
        "[type] 'shipped_in' must be a version like \"1.1\" (ASCII digits), found 'soon'",
    ]
    assert project_findings(tmp_path, announced={}, url="") == ["[missing-field] 'url' must not be empty"]


def test_an_empty_announcement_is_no_announcement(tmp_path: Path) -> None:
    doc = base()
    doc["projects"] = [
        {"id": "p", "kind": "tool", "name": "P", "summary": "S", "relation": "R", "url": "https://p"}
        | {"sources": ["s1"], "announced": {"release": "1.1"}}
    ]
    (project,) = loaded(tmp_path, doc).projects
    assert project.announced == Announcement("", None, V11)
    assert (project.repository, project.mentioned_with, project.status, project.notes) == ("", None, "", "")
    assert (project.shipped_in, project.shipped_as) == (None, ())


def test_a_roadmap_item_ships_in_a_known_release_as_known_features(tmp_path: Path) -> None:
    assert project_findings(tmp_path, kind="roadmap", status="shipped", shipped_in="3.0", shipped_as=["f", "g"]) == [
        "[unknown-reference] unknown release '3.0'; did you mean '1.0'?",
        "[unknown-reference] unknown feature 'g'; expected one of: f",
    ]
    assert project_findings(tmp_path, shipped_as="f") == ["[type] 'shipped_as' must be a list of names"]


# -- backend matrices ------------------------------------------------------------------------------


def matrix_findings(tmp_path: Path, **cells: Any) -> list[str]:
    doc = base()
    operation = {"name": "send", "gloo": [True, True], "mpi": [True, True], "nccl": [True, True]}
    operation.update(cells)
    doc["backend_matrices"] = [{"release": "1.0", "operations": [operation], "sources": ["s1"]}]
    return findings(tmp_path, doc)


@pytest.mark.parametrize(
    ("cell", "found"),
    [
        ([True], "[True]"),
        ([True, False, True], "[True, False, True]"),
        ([1, 0], "[1, 0]"),
        ([True, "yes"], "[True, 'yes']"),
        ("yes", "'yes'"),
        (None, "None"),
        ([["nested", "list", "long", "enough"], ["to", "pass", "forty", "chars"]], "a list"),
    ],
)
def test_a_matrix_cell_is_a_pair_of_true_false_or_question_mark(tmp_path: Path, cell: Any, found: str) -> None:
    assert matrix_findings(tmp_path, mpi=cell)[0].endswith(
        f'error [matrix-shape] mpi must be [CPU, GPU], each true, false or "?"; found {found}'
    )


def test_a_bad_matrix_cell_reads_as_unknown(tmp_path: Path) -> None:
    doc = base()
    doc["backend_matrices"] = [
        {"release": "1.0", "operations": [{"name": "x", "gloo": [True, 1], "mpi": ["?", False], "nccl": [0, 1]}]}
        | {"sources": ["s1"]}
    ]
    model, problems = check_releases(str(write(tmp_path, doc)))
    assert model is None
    assert [p.check for p in problems] == ["matrix-shape", "matrix-shape"]
    assert [(p.line, p.column) for p in problems] == [(51, 5), (57, 5)]  # the gloo and the nccl cell


def test_matrices_of_unreadable_releases_and_their_notes(tmp_path: Path) -> None:
    doc = base()
    doc["backend_matrices"] = [
        {"release": "x", "operations": [], "sources": ["s1"], "notes": ""},
        {"release": 1.1, "operations": [], "sources": ["s1"]},
    ]
    assert messages(tmp_path, doc) == [
        "[type] 'release' must be a version like \"1.1\" (ASCII digits), found 'x'",
        "[type] 'release' must be quoted: YAML reads 1.1 as a number; write \"1.1\"",
        "[duplicate-id] backend matrix '0.0' is defined twice (first at line 48)",
    ]  # an empty note is no note


@pytest.mark.parametrize(("size", "found"), [(40, repr(["x" * 36])), (41, "a list")])
def test_a_bad_cell_is_quoted_up_to_forty_characters(tmp_path: Path, size: int, found: str) -> None:
    cell = ["x" * (size - 4)]
    assert len(repr(cell)) == size
    assert matrix_findings(tmp_path, nccl=cell)[0].endswith(f"found {found}")


def test_a_matrix_row_needs_every_backend(tmp_path: Path) -> None:
    doc = base()
    doc["backend_matrices"] = [{"release": "1.3", "operations": [{"name": "x", "gloo": [True, True]}], "sources": []}]
    assert messages(tmp_path, doc) == [
        "[unknown-reference] unknown release '1.3'; did you mean '1.2'?",
        "[missing-field] a matrix row is missing required fields 'mpi', 'nccl'",
        '[matrix-shape] mpi must be [CPU, GPU], each true, false or "?"; found None',
        '[matrix-shape] nccl must be [CPU, GPU], each true, false or "?"; found None',
        "[missing-field] every record needs at least one source",
    ]


# -- text and names -----------------------------------------------------------------------------------


def test_text_must_be_text_free_of_control_characters(tmp_path: Path) -> None:
    doc = base()
    doc["areas"][0]["title"] = "J\u202eI\x07T\x07 \x1b\u200b\u2028\x85"
    doc["areas"][1]["title"] = ["Core"]
    doc["features"][0]["summary"] = "Two\nlines are fine."
    assert findings(tmp_path, doc) == [
        "13:3 error [control-character] 'title' contains control or bidi characters: "
        "U+202E, U+0007, U+001B, U+200B, U+2028",
        "15:3 error [type] 'title' must be text, found a list",
    ]


def test_names_in_lists_must_be_on_one_line(tmp_path: Path) -> None:
    doc = base()
    doc["releases"][0]["sources"] = ["s1\n"]
    doc["releases"][1]["sources"] = ["s\n1"]
    assert messages(tmp_path, doc) == [
        "[control-character] a name in 'sources' contains control or bidi characters: U+000A",
        "[control-character] a name in 'sources' contains control or bidi characters: U+000A",
        "[unknown-reference] unknown source 's\\n1'; did you mean 's1'?",
    ]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ({}, "a mapping"),
        ([], "a list"),
        ("x", "a string"),
        (True, "a boolean"),
        (3, "a number"),
        (2.5, "a number"),
        (None, "nothing"),
        (dt.date(2019, 1, 1), "a date"),
        (dt.datetime(2019, 1, 1, 1, 1), "a date and time"),
        (b"x", "bytes"),
    ],
)
def test_values_are_named_for_what_they_are(value: Any, kind: str) -> None:
    from pytorch_diff.fields import kind_of

    assert kind_of(value) == kind


def test_suggestions_stop_after_a_hundred_and_among_many_names(tmp_path: Path, monkeypatch) -> None:
    from pytorch_diff import fields

    doc = base()
    doc["features"] = [
        dict(doc["features"][0], id=f"f{n}", area="jat", sources=["s1"]) for n in range(fields.MAX_SUGGESTIONS + 2)
    ]
    found = messages(tmp_path, doc)
    assert found.count("[unknown-value] unknown area 'jat'; did you mean 'jit'?") == fields.MAX_SUGGESTIONS
    assert found[-2:] == ["[unknown-value] unknown area 'jat'"] * 2
    monkeypatch.setattr(fields, "MAX_SUGGESTION_CANDIDATES", 1)
    assert messages(tmp_path, feature_with(statement("1.0", "added"), area="jat")) == [
        "[unknown-value] unknown area 'jat'"
    ]
    monkeypatch.setattr(fields, "MAX_SUGGESTION_CANDIDATES", 2)
    assert messages(tmp_path, feature_with(statement("1.0", "added"), area="jat")) == [
        "[unknown-value] unknown area 'jat'; did you mean 'jit'?"
    ]


def test_a_list_of_many_known_names_is_not_spelled_out(tmp_path: Path) -> None:
    doc = base()
    doc["areas"] = [{"id": f"area{n}", "title": "A"} for n in range(13)]
    doc["features"][0]["area"] = "zzz"
    assert messages(tmp_path, doc) == ["[unknown-value] unknown area 'zzz'"]
    doc["areas"] = doc["areas"][:12]
    assert messages(tmp_path, doc) == [
        "[unknown-value] unknown area 'zzz'; expected one of: " + ", ".join(sorted(f"area{n}" for n in range(12)))
    ]


def test_only_the_first_hundred_characters_of_an_unknown_value_are_compared(tmp_path: Path) -> None:
    close = "x" * 33 + "z"  # close to the whole name below, not to its first hundred characters
    doc = feature_with(statement("1.0", "added"), area="x" * 100 + "z")
    doc["areas"][0]["id"] = close
    assert messages(tmp_path, doc) == [
        "[unknown-value] unknown area " + repr("x" * 101)[:60] + f"; expected one of: api, {close}"
    ]


def test_a_long_unknown_name_is_cut(tmp_path: Path) -> None:
    assert messages(tmp_path, feature_with(statement("1.0", "added"), area="q" * 100)) == [
        "[unknown-value] unknown area " + repr("q" * 100)[:60] + "; expected one of: api, jit"
    ]


# -- which file, and what a load does with the findings -------------------------------------------------


def test_the_data_file_is_the_option_else_the_environment_else_the_shipped_one(monkeypatch) -> None:
    monkeypatch.delenv("PTDIFF_DATA", raising=False)
    assert data_path("a.yaml") == (Path("a.yaml"), "")
    assert data_path(None) == (default_data_path(), "")
    monkeypatch.setenv("PTDIFF_DATA", "b.yaml")
    assert data_path(None) == (Path("b.yaml"), "PTDIFF_DATA")
    assert data_path("a.yaml") == (Path("a.yaml"), "")


def test_an_empty_file_name_is_named_by_where_it_came_from(monkeypatch) -> None:
    with pytest.raises(DataError) as caught:
        data_path("")
    assert str(caught.value) == "--data '': [file] empty file name"
    monkeypatch.setenv("PTDIFF_DATA", "")
    with pytest.raises(DataError) as caught:
        data_path(None)
    assert str(caught.value) == "PTDIFF_DATA '': [file] empty file name"
    assert caught.value.problems[0][1:] == (0, 0, "error", "file", "empty file name")


def test_the_shipped_file_is_inside_the_package_when_installed(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "site" / "pytorch_diff"
    monkeypatch.setattr(load, "__file__", str(package / "load.py"))
    assert default_data_path() == tmp_path / "site" / "data" / "releases.yaml"  # a checkout: beside the package
    (package / "data").mkdir(parents=True)
    (package / "data" / "releases.yaml").write_text("", encoding="utf-8")
    assert default_data_path() == package / "data" / "releases.yaml"


def test_a_load_reports_what_the_reader_found_first(tmp_path: Path) -> None:
    text = yaml.safe_dump(feature_with(statement("1.0", "added"), area="jat"), sort_keys=False)
    text += "areas: []\n"  # a key given twice, at the end of the file
    path = write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_releases(str(path))
    assert str(caught.value) == (
        f"{path}:46:1: [duplicate-key] duplicate key 'areas': also at line 11; YAML would keep only the last "
        f"(and 1 more problem; run 'ptdiff validate {path}' for all)"
    )


def test_a_load_names_the_file_from_the_environment_for_the_hint(tmp_path: Path, monkeypatch) -> None:
    doc = base()
    doc["areas"][0]["id"] = 7
    doc["sources"][0]["id"] = []
    path = write(tmp_path, doc)
    monkeypatch.setenv("PTDIFF_DATA", str(path))
    with pytest.raises(DataError) as caught:
        load_releases()
    assert str(caught.value) == (
        f"{path}:3:3: [type] 'id' must be text, found a list "
        f"(and 6 more problems; run 'ptdiff validate {path}' for all)"
    )
    assert [p.check for p in caught.value.problems] == ["type", "type"] + ["unknown-reference"] * 2 + [
        "unknown-value"
    ] + ["unknown-reference"] * 2


def test_warnings_load_and_only_clean_files_are_cached(tmp_path: Path, monkeypatch) -> None:
    doc = base()
    doc["sources"][1]["url"] = "http://e.org/2"
    warned = write(tmp_path, doc)
    model = load_releases(str(warned))
    assert [r.version for r in model.releases] == [V10, V11, V12]
    assert cache.get(warned.read_bytes()) is None  # warnings must show every time
    clean = tmp_path / "clean.yaml"
    clean.write_text(yaml.safe_dump(base(), sort_keys=False), encoding="utf-8")
    first = load_releases(str(clean))
    assert cache.get(clean.read_bytes()) == first

    def refuse(*_: Any) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(load, "parse_yaml", refuse)
    assert load_releases(str(clean)) == first
    assert check_releases(str(clean), use_cache=True) == (first, [])
    with pytest.raises(AssertionError):
        check_releases(str(clean))  # validate reads the file itself


def test_findings_come_in_file_order(tmp_path: Path) -> None:
    doc = base()
    doc["sources"].append({"id": "s3", "title": "Three", "url": "http://e.org/3", "checked": "official"})
    doc["features"][0]["area"] = "jat"
    assert findings(tmp_path, doc) == [
        "11:3 warning [unused-source] source 's3' is cited by no record",
        "13:3 warning [insecure-url] 'url' is not https: http://e.org/3",
        "38:3 error [unknown-value] unknown area 'jat'; did you mean 'jit'?",
    ]


# -- the reader ---------------------------------------------------------------------------------------


def read(tmp_path: Path, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return reader.parse_yaml(data, "F")


def fatal(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(DataError) as caught:
        reader.parse_yaml(data, "F")
    (problem,) = caught.value.problems
    return str(problem)


def located(doc: reader.Document) -> list[str]:
    return [str(p) for p in doc.locate()]


def test_a_problem_is_placed_at_its_value_or_its_nearest_ancestor(tmp_path: Path) -> None:
    doc = read(tmp_path, "a:\n  - x\n  -  {b: 1,   c: [2, 3]}\nd: e\n")
    assert doc.value == {"a": ["x", {"b": 1, "c": [2, 3]}], "d": "e"}
    assert doc.locate() == []
    for path in [(), ("a",), ("a", 0), ("a", 1), ("a", 1, "b"), ("a", 1, "c"), ("a", 1, "c", 1), ("d",)]:
        doc.problem(path, "type", f"at {path}")
    doc.problem(("a", 1, "c", 1, "deeper", 3), "type", "below", "warning")
    doc.problem(("nowhere",), "type", "nowhere")
    assert located(doc) == [
        "F:1:1: error [type] at ()",
        "F:1:1: error [type] at ('a',)",
        "F:2:5: error [type] at ('a', 0)",
        "F:3:6: error [type] at ('a', 1)",
        "F:3:7: error [type] at ('a', 1, 'b')",
        "F:3:15: error [type] at ('a', 1, 'c')",
        "F:3:22: error [type] at ('a', 1, 'c', 1)",
        "F:4:1: error [type] at ('d',)",
        "F:3:22: warning [type] below",
        "F:1:1: error [type] nowhere",
    ]
    assert located(doc) == located(doc)  # placed once
    assert doc.position(("a", 1, "b")) == (3, 7)


def test_a_message_may_name_the_line_of_another_value(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\nb:\n  c: 2\n")
    doc.problem(("b", "c"), "duplicate-id", "first at line \x00line\x00, here", also_at=("a",))
    doc.problem(("a",), "duplicate-id", "first at line \x00line\x00", also_at=("b", "c"))
    doc.problem(("a",), "type", "keeps \x00line\x00 without also_at")
    assert located(doc) == [
        "F:3:3: error [duplicate-id] first at line 1, here",
        "F:1:1: error [duplicate-id] first at line 3",
        "F:1:1: error [type] keeps \x00line\x00 without also_at",
    ]


def test_the_reader_s_own_problems_come_first_and_stay(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: !!set {}\nb: 1\n")
    doc.problem(("b",), "type", "later")
    assert located(doc) == [
        "F:1:4: error [yaml-tag] YAML tag '!!set' is not allowed here",
        "F:2:1: error [type] later",
    ]


def test_a_bom_is_allowed_and_other_bad_bytes_are_placed(tmp_path: Path) -> None:
    assert read(tmp_path, b"\xef\xbb\xbfa: 1\n").value == {"a": 1}
    assert fatal(b"a: 1\nb: ok\xff\n") == "F:2:6: error [encoding] file is not valid UTF-8"


def test_tags_other_than_the_plain_ones_are_refused(tmp_path: Path) -> None:
    doc = read(
        tmp_path,
        "a: !!str 1\nb: !!set {x}\nc: !!python/name:os.system x\nd: !custom 3\ne: ! 4\nf: !!map {}\ng: !!seq []\n"
        "h: !!binary aGk=\n",
    )
    assert (doc.value["a"], doc.value["e"]) == ("1", 4)  # "!" resolves as PyYAML does
    assert [str(p) for p in doc.problems] == [
        "F:2:4: error [yaml-tag] YAML tag '!!set' is not allowed here",
        "F:3:4: error [yaml-tag] YAML tag '!!python/name:os.system' is not allowed; only plain values are",
        "F:4:4: error [yaml-tag] YAML tag '!custom' is not allowed; only plain values are",
        "F:8:4: error [yaml-tag] YAML tag '!!binary' is not allowed; only plain values are",
    ]
    assert (doc.value["c"], doc.value["d"], doc.value["f"], doc.value["g"]) == (None, None, {}, [])
    seq = read(tmp_path, "a: !!map [1]\n")
    assert [str(p) for p in seq.problems] == ["F:1:4: error [yaml-tag] YAML tag '!!map' is not allowed here"]


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    doc = read(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert [str(p) for p in doc.problems] == [
        "F:3:3: error [yaml-tag] merge keys ('<<') are not supported; write the fields out"
    ]
    assert doc.value["other"] == {"<<": {"x": 1}, "y": 2}


def test_a_value_that_cannot_be_read_as_its_type(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: !!int twelve\nb: !!float " + "x" * 50 + "\nc: 2019-02-30\n")
    assert [str(p) for p in doc.problems] == [
        "F:1:4: error [type] cannot read value 'twelve' as int",
        "F:2:4: error [type] cannot read value '" + "x" * 40 + "' as float",
        "F:3:4: error [type] cannot read value '2019-02-30' as timestamp",
    ]
    assert doc.value == {"a": None, "b": None, "c": None}


def test_duplicate_and_non_scalar_keys(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: 1\nb: 2\n? [x]\n: 3\nlist:\n  - {k: 1, k: 2, k: 3}\na: 4\n")
    assert [str(p) for p in doc.problems] == [
        "F:3:4: error [type] a mapping key must be a plain value",
        "F:6:12: error [duplicate-key] duplicate key 'k': also at line 6; YAML would keep only the last",
        "F:6:18: error [duplicate-key] duplicate key 'k': also at line 6; YAML would keep only the last",
        "F:7:1: error [duplicate-key] duplicate key 'a': also at line 1; YAML would keep only the last",
    ]
    assert doc.value == {"a": 4, "b": 2, "['x']": 3, "list": [{"k": 3}]}
    doc.problem(("a",), "type", "a")
    doc.problem(("list", 0, "k"), "type", "k")
    assert located(doc)[-2:] == ["F:7:1: error [type] a", "F:6:18: error [type] k"]  # where the kept value is


def test_aliases_repeat_their_anchor_s_value(tmp_path: Path) -> None:
    doc = read(tmp_path, "a: &x [1, {b: &y 2}]\nc: *x\nd: *y\n")
    assert doc.value == {"a": [1, {"b": 2}], "c": [1, {"b": 2}], "d": 2}
    doc.problem(("c", 1, "b"), "type", "in an alias")
    assert located(doc) == ["F:2:1: error [type] in an alias"]  # the alias stands for its value
    assert fatal("a: *nowhere\n") == "F:1:4: error [yaml-syntax] alias *nowhere names no anchor"


def test_values_are_counted_with_what_aliases_expand_to(monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_VALUES", 10)
    assert reader.parse_yaml(b"[1, 2, 3, 4, 5, 6, 7, 8, 9]\n", "F").value == list(range(1, 10))  # 10 with the list
    assert fatal("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n") == (
        "F:1:29: error [value-limit] the document holds more than 10 values"
    )
    monkeypatch.setattr(reader, "MAX_VALUES", 11)
    assert reader.parse_yaml(b"a: &a [1, 2, 3]\nb: *a\n", "F").value["b"] == [1, 2, 3]  # 1 + 1 + 4 + 1 + 4
    assert (
        fatal("a: &a [1, 2, 3]\nb: *a\nc: 1\n")
        == "F:3:1: error [alias-limit] aliases expand the document past 11 values"
    )
    assert fatal("a: &a 1\nb: [*a, *a, *a, *a, *a, *a, *a, *a]\n") == (
        "F:2:29: error [alias-limit] aliases expand the document past 11 values"
    )


def test_nesting_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_DEPTH", 3)
    assert reader.parse_yaml(b"[[[1]]]\n", "F").value == [[[1]]]
    assert fatal("[[[[1]]]]\n") == "F:1:4: error [depth-limit] nesting is deeper than 3 levels"
    assert fatal("a: {b: {c: {d: 1}}}\n") == "F:1:12: error [depth-limit] nesting is deeper than 3 levels"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\n---\nb: 2\n", "F:2:1: error [yaml-syntax] expected one YAML document, found several"),
        (
            "a: [1,\n",
            "F:2:1: error [yaml-syntax] not valid YAML: while parsing a flow node did not find expected node content",
        ),
        (
            "a: b\nc\n",
            "F:3:1: error [yaml-syntax] not valid YAML: while scanning a simple key could not find expected ':'",
        ),
        ("a: 1\n\x00x\n", "F:2:1: error [yaml-syntax] not valid YAML: character '\\x00' is not allowed"),
        ("ab\x00\n", "F:1:3: error [yaml-syntax] not valid YAML: character '\\x00' is not allowed"),
    ],
)
def test_syntax_errors_are_one_line_with_their_place(text: str, message: str) -> None:
    assert fatal(text) == message


def test_a_yaml_error_without_a_place_is_still_one_line(monkeypatch) -> None:
    import yaml as pyyaml

    def broken(*_: Any, **__: Any) -> Any:
        raise pyyaml.YAMLError("first line\n   second   line")
        yield

    monkeypatch.setattr(pyyaml, "parse", broken)
    assert fatal("a: 1\n") == "F: error [yaml-syntax] not valid YAML: first line second line"

    def unplaced(*_: Any, **__: Any) -> Any:
        raise pyyaml.MarkedYAMLError(problem="  lost\n  somewhere ")
        yield

    monkeypatch.setattr(pyyaml, "parse", unplaced)
    assert fatal("a: 1\n") == "F: error [yaml-syntax] not valid YAML: lost somewhere"

    def silent(*_: Any, **__: Any) -> Any:
        raise pyyaml.MarkedYAMLError()
        yield

    monkeypatch.setattr(pyyaml, "parse", silent)
    assert fatal("a: 1\n") == "F: error [yaml-syntax] not valid YAML: invalid YAML"


def test_a_scalar_document_and_an_empty_one(tmp_path: Path) -> None:
    assert read(tmp_path, "just text\n").value == "just text"
    assert read(tmp_path, "").value is None
    assert read(tmp_path, "[]\n").value == []


# -- reading the bytes ----------------------------------------------------------------------------------


def unreadable(path: Any, named_by: str = "") -> str:
    with pytest.raises(DataError) as caught:
        reader.read_bytes(path, named_by)
    return str(caught.value)


def test_files_that_cannot_be_read_say_why(tmp_path: Path, monkeypatch) -> None:
    missing = tmp_path / "missing.yaml"
    assert unreadable(missing) == f"{missing}: [file] no such file"
    assert unreadable(missing, "--data") == f"{missing} (from --data): [file] no such file"
    assert unreadable(tmp_path) == f"{tmp_path}: [file] is a directory, not a data file"
    assert unreadable(Path("/dev/null")) == "/dev/null: [file] is not a regular file, not a data file"
    assert unreadable(tmp_path / "a\x00b") == f"{tmp_path / 'a'}\x00b: [file] the file name contains a NUL character"

    real_open = os.open

    def fail(error: OSError):
        def opener(*args: Any, **kwargs: Any) -> int:
            raise error

        return opener

    path = write(tmp_path, "a: 1\n")
    monkeypatch.setattr(reader.os, "open", fail(PermissionError(13, "Permission denied")))
    assert unreadable(path) == f"{path}: [file] permission denied"
    monkeypatch.setattr(reader.os, "open", fail(IsADirectoryError(21, "Is a directory")))
    assert unreadable(path) == f"{path}: [file] is a directory, not a data file"
    monkeypatch.setattr(reader.os, "open", fail(OSError(5, "Input/output error")))
    assert unreadable(path) == f"{path}: [file] cannot be read: Input/output error"
    monkeypatch.setattr(reader.os, "open", fail(OSError("odd")))
    assert unreadable(path) == f"{path}: [file] cannot be read: odd"
    monkeypatch.setattr(reader.os, "open", real_open)
    assert reader.read_bytes(path) == b"a: 1\n"


def test_a_file_that_cannot_be_read_has_no_line_or_column(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        reader.read_bytes(tmp_path / "missing.yaml")
    assert caught.value.problems[0][1:] == (0, 0, "error", "file", "no such file")


def test_the_size_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (2 * 1024 * 1024))
    assert len(reader.read_bytes(path)) == 2 * 1024 * 1024
    path.write_bytes(b"#" * (2 * 1024 * 1024 + 1))
    assert unreadable(path) == f"{path}: [file] file is larger than 2 MiB".replace("[file]", "[size-limit]")


def test_a_named_pipe_is_read_to_its_end(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as writer:
            writer.write(b"a: 1\n")

    thread = threading.Thread(target=feed)
    thread.start()
    try:
        assert reader.read_bytes(fifo) == b"a: 1\n"
    finally:
        thread.join(timeout=10)


def test_optional_texts_may_be_empty(tmp_path: Path) -> None:
    doc = base()
    doc["releases"][0]["notes"] = ""
    doc["projects"] = [{**PROJECT, "notes": "", "announced": {"event": "", "release": "1.1"}}]
    assert findings(tmp_path, doc) == []


def test_an_announcement_may_name_no_release(tmp_path: Path) -> None:
    doc = base()
    doc["projects"] = [{**PROJECT, "announced": {"event": "F8"}}]
    (project,) = loaded(tmp_path, doc).projects
    assert project.announced == Announcement("F8", None, None)


def test_release_and_project_problems_sit_on_their_field(tmp_path: Path) -> None:
    doc = base()
    doc["releases"][0]["links"] = ["https://e.org"]
    doc["releases"][1]["links"] = {"a\nb": "https://e.org"}
    doc["projects"] = [{**PROJECT, "status": "shipped"}, {**PROJECT, "id": "q", "kind": "roadmap", "status": "zzz"}]
    assert findings(tmp_path, doc) == [
        "22:3 error [type] 'links' must be a mapping of name to URL",
        "30:7 error [control-character] a link name contains control or bidi characters: U+000A",
        "62:3 error [unknown-field] only roadmap items have a 'status'",
        "70:3 error [unknown-value] unknown status 'zzz'; expected one of: announced, shipped",
    ]


def test_a_file_with_errors_does_not_load(tmp_path: Path) -> None:
    doc = base()
    doc["features"][0]["area"] = "nope"
    with pytest.raises(DataError) as raised:
        load_releases(str(write(tmp_path, doc)))
    assert str(raised.value).endswith(":34:3: [unknown-value] unknown area 'nope'; expected one of: api, jit")


def test_api_problems_sit_on_the_field_that_has_them(tmp_path: Path) -> None:
    value = {"value": "tcp", "of": "torch.x-y", "argument": "back end"}
    assert findings(tmp_path, feature_with(statement("1.0", "added", value, {"keyword": "k", "of": "a b"}))) == [
        "46:7 error [api-name] 'torch.x-y' is not a dotted Python name such as torch.nn.Linear in ASCII",
        "47:7 error [api-name] 'back end' is not a Python identifier in ASCII",
        "49:7 error [api-name] 'a b' is not a dotted Python name such as torch.nn.Linear in ASCII",
    ]


def test_where_the_top_level_problems_sit(tmp_path: Path) -> None:
    doc = base()
    doc["schema_version"] = doc.pop("schema_version")  # last, so that its line is not the document's
    doc["schema_version"] = 3
    assert findings(tmp_path, doc) == [
        "47:1 error [unknown-value] schema_version 3 is not supported; this ptdiff reads 2"
    ]
    assert findings(tmp_path, "") == [
        "1:1 error [missing-field] file is empty: expected a mapping with "
        "sources, areas, releases, features, projects, backend_matrices"
    ]


def test_empty_notes_of_a_feature_are_no_notes(tmp_path: Path) -> None:
    assert findings(tmp_path, feature_with(statement("1.0", "added"), notes="")) == []


def test_a_statement_without_a_change_needs_no_summary(tmp_path: Path) -> None:
    # what it needs depends on its change: only the missing change is reported
    assert messages(tmp_path, feature_with({"release": "1.0", "summary": "", "sources": ["s1"]})) == [
        "[missing-field] a statement is missing required field 'change'"
    ]


def test_a_version_given_as_a_number_is_shown_up_to_twenty_characters(tmp_path: Path) -> None:
    assert project_findings(tmp_path, mentioned_with=10**19) == [
        "[type] 'mentioned_with' must be quoted: YAML reads 10000000000000000000 as a number; "
        'write "10000000000000000000"'
    ]
    assert project_findings(tmp_path, mentioned_with=10**20) == [
        "[type] 'mentioned_with' must be a quoted version like \"1.1\", found a number"
    ]


def test_ids_after_a_repeated_or_empty_one_still_count(tmp_path: Path) -> None:
    doc = base()
    doc["sources"] = [doc["sources"][0], dict(doc["sources"][0]), doc["sources"][1]]  # s2, cited, comes last
    empty = {**doc["features"][0], "id": ""}
    doc["features"] = [empty, dict(empty), doc["features"][0]]  # two empty ids are not one id twice
    assert findings(tmp_path, doc) == [
        "7:3 error [duplicate-id] source 's1' is defined twice (first at line 3)",
        "37:3 error [missing-field] 'id' must not be empty",
        "50:3 error [missing-field] 'id' must not be empty",
    ]


def test_a_value_of_the_wrong_type_is_one_finding(tmp_path: Path) -> None:
    assert project_findings(tmp_path, url=3) == ["[type] 'url' must be text, found a number"]


def test_the_non_specific_tag_is_plain_yaml() -> None:
    document = reader.parse_yaml(b"a: ! [1]\nb: ! {c: 1}\n", "F")
    assert document.value == {"a": [1], "b": {"c": 1}}
    assert located(document) == []


def test_a_repeated_complex_key_is_named_by_its_first_forty_characters() -> None:
    key = "[" + ", ".join(str(n) for n in range(30)) + "]"
    assert located(reader.parse_yaml(f"? {key}\n: 1\n? {key}\n: 2\n".encode(), "F")) == [
        "F:1:110: error [type] a mapping key must be a plain value",
        "F:3:110: error [type] a mapping key must be a plain value",
        "F:3:110: error [duplicate-key] duplicate key '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1': also at line 1; "
        "YAML would keep only the last",
    ]


def test_bad_bytes_after_blank_lines_are_placed_on_their_own_line() -> None:
    assert fatal(b"\n\na\xff\n") == "F:3:2: error [encoding] file is not valid UTF-8"
    assert fatal("\n\nab\x00\n") == "F:3:3: error [yaml-syntax] not valid YAML: character '\\x00' is not allowed"
    assert fatal(b"\nab\xff\n") == "F:2:3: error [encoding] file is not valid UTF-8"  # the only newline at 0
    assert fatal("\nab\x00\n") == "F:2:3: error [yaml-syntax] not valid YAML: character '\\x00' is not allowed"


def test_a_problem_on_an_alias_is_placed_at_the_alias() -> None:
    document = reader.parse_yaml(b"a: &x 1\nb: [2, *x]\nc:\n- *x\n", "F")
    document.problem(("b", 1), "type", "aliased")
    document.problem(("c", 0), "type", "aliased too")
    assert located(document) == ["F:2:8: error [type] aliased", "F:4:3: error [type] aliased too"]
