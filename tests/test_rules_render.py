"""What each command's report says, drawn in every format, from models built in Python.

The Markdown documents show everything a report holds (title, facts, introduction,
tables, notes), so they are compared whole; the terminal, CSV and JSON tests hold what
only those formats do.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from pytorch_diff.errors import Problem
from pytorch_diff.model import Api
from pytorch_diff.query import (
    backend_matrix,
    compare_releases,
    find_project,
    list_projects,
    list_releases,
    search,
    show_release,
)
from pytorch_diff.query.results import ApiCheck, DoctorResult, ModelNote, ProjectList, Validation
from pytorch_diff.render import release_reports
from pytorch_diff.render.record_reports import doctor_summary, validation_summary
from pytorch_diff.render.release_reports import builds_change, builds_text, diff_summary
from pytorch_diff.render.report import Cell, Report, Section, Table, build_report, cell, cite, links, source_title

from .rules_helpers import (
    SOURCES,
    announced,
    builds,
    drawn,
    feature,
    matrix,
    model,
    project,
    release,
    row,
    say,
    version,
)

R10 = release("1.0", date=dt.date(2018, 12, 7), builds=builds(("8.0", "9.0"), False, "0.2.1"))
R11 = release(
    "1.1",
    date=dt.date(2019, 5, 1),
    links={"release_notes": "https://example.org/n", "announcement": "https://example.org/a"},
    builds=builds(("9.0", "10.0"), True, "0.3.0"),
    notes="A note on 1.1.",
)
R12 = release("1.2")
JIT = feature(
    "jit.a",
    "jit",
    say("1.0", "added", "", "torch.a"),
    say("1.1", "changed", "Faster.", "torch.a", "torch.b"),
    say("1.2", "changed", "", sources=("s3",)),
)
DEP = feature(
    "api.dep",
    "api",
    say(
        "1.0",
        "deprecated",
        "Use new.",
        Api("function", "torch.dep", replaced_by=("torch.new", "torch.newer")),
        Api("function", "torch.dep2", replaced_by=("torch.new",)),
    ),
)
OLD = feature(
    "api.old",
    "api",
    say("1.1", "changed", "Still here."),
    say("1.2", "removed", "Gone.", "torch.old", breaking=True, sources=("s2",)),
)
NEW = feature("api.new", "api", say("1.2", "added", "", "torch.new", "torch.newer"))
AX = project("ax", announced=announced("1.1", "F8", dt.date(2019, 5, 1)))
BO = project("bo", "ecosystem", mentioned_with=version("1.1"), repository="https://github.com/x/bo")
RM = project("rm", "roadmap", status="shipped", shipped_in=version("1.2"), announced=announced("1.1"), notes="Note.")
RN = project("rn", "roadmap", status="announced", mentioned_with=version("1.1"))
BIG = model(releases=[R10, R11, R12], features=[JIT, DEP, OLD, NEW], projects=[AX, BO, RM, RN])
LEGEND = (
    "added, changed, deprecated, removed: what the release did; "
    "carried over: in the release unchanged from an earlier one"
)


def markdown(result, data=BIG) -> str:
    return drawn(result, data, "markdown")


def table(result, data=BIG, columns: int = 80, **options) -> str:
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(columns)
    try:
        return drawn(result, data, "table", **options)
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


# -- show ---------------------------------------------------------------------------------


def test_show_of_a_release_with_everything_in_its_header() -> None:
    assert (
        markdown(show_release(BIG, "1.1"))
        == f"""\
# PyTorch 1.1: Title 1.1

- **Released:** 2019-05-01
- **Release notes:** [Release notes](https://example.org/n)
- **Announcement:** [Announcement](https://example.org/a)
- **Builds:** CUDA 9.0, 10.0; CPU; torchvision 0.3.0
- **Features:** 2 changed, 1 carried over (--all lists them)
- **Came with it:** 1 tool, 1 roadmap item
- **Named with it:** 1 ecosystem project, 1 roadmap item

Summary 1.1.

A note on 1.1.

## JIT

| status | id | feature | in this release | apis | sources |
| --- | --- | --- | --- | --- | --- |
| changed | jit.a | jit.a title | Faster. | torch.a, torch.b | [Notes one](https://example.org/one) |

## Core API

| status | id | feature | in this release | apis | sources |
| --- | --- | --- | --- | --- | --- |
| changed | api.old | api.old title | Still here. |  | [Notes one](https://example.org/one) |

## Came with PyTorch 1.1

### Tools

| kind | name | what it is | link | status | sources |
| --- | --- | --- | --- | --- | --- |
| tool | Ax | What ax is. | <https://example.org/ax> |  | [Notes one](https://example.org/one) |

### Ecosystem projects

| kind | name | what it is | link | status | sources |
| --- | --- | --- | --- | --- | --- |
| ecosystem | Bo | What bo is. | <https://example.org/bo> | named with 1.1 \
| [Notes one](https://example.org/one) |

### Roadmap items

| kind | name | what it is | link | status | sources |
| --- | --- | --- | --- | --- | --- |
| roadmap | Rm | What rm is. | <https://example.org/rm> | shipped in 1.2 | [Notes one](https://example.org/one) |
| roadmap | Rn | What rn is. | <https://example.org/rn> | announced | [Notes one](https://example.org/one) |

{LEGEND}

"""
    )


def test_show_of_some_areas_with_carried_over_features() -> None:
    assert (
        markdown(show_release(BIG, "1.2", ["api", "jit"], everything=True))
        == f"""\
# PyTorch 1.2: Title 1.2

- **Released:** date not recorded
- **Area:** api, jit
- **Features:** 1 added, 1 changed, 1 removed, 1 carried over

Summary 1.2.

## JIT

| status | id | feature | in this release | apis | sources |
| --- | --- | --- | --- | --- | --- |
| changed | jit.a | jit.a title | jit.a summary. |  \
| [News (news article only, not in official material)](https://example.org/three) |

## Core API

| status | id | feature | in this release | apis | sources |
| --- | --- | --- | --- | --- | --- |
| carried over, deprecated since 1.0; use torch.new, torch.newer | api.dep | api.dep title | api.dep summary. \
| torch.dep, torch.dep2 | [Notes one](https://example.org/one) |
| removed, breaking | api.old | api.old title | Gone. | torch.old | [A copy (read in a copy)](https://example.org/two) |
| added | api.new | api.new title | api.new summary. | torch.new, torch.newer | [Notes one](https://example.org/one) |

{LEGEND}

"""
    )


def test_a_deprecation_without_replacements_says_only_since_when() -> None:
    plain = feature("api.p", "api", say("1.0", "deprecated", "Going.", "torch.p"))
    data = model(features=[plain])
    row_ = build_report(show_release(data, "1.1", everything=True), data).tables[0].sections[0].rows[0]
    assert (row_[0].text, row_[0].style) == ("carried over, deprecated since 1.0", "deprecated")


def test_show_rows_carry_their_role_for_colour() -> None:
    report = build_report(show_release(BIG, "1.2", everything=True), BIG)
    rows = [r for section in report.tables[0].sections for r in section.rows]
    assert [(r[0].text, r[0].style) for r in rows] == [
        ("changed", "changed"),
        ("carried over, deprecated since 1.0; use torch.new, torch.newer", "deprecated"),
        ("removed, breaking", "breaking"),
        ("added", "added"),
    ]
    assert [(s.title, s.key) for s in report.tables[0].sections] == [("JIT", "jit"), ("Core API", "api")]
    assert report.tables[0].group == "area"
    assert report.tables[0].narrow == ("status", "feature", "in this release")


def test_show_with_nothing_to_show_says_why() -> None:
    quiet = model(releases=[R10, R11], features=[DEP])
    assert (
        markdown(show_release(quiet, "1.1"))
        == f"""\
# PyTorch 1.1: Title 1.1

- **Released:** 2019-05-01
- **Release notes:** [Release notes](https://example.org/n)
- **Announcement:** [Announcement](https://example.org/a)
- **Builds:** CUDA 9.0, 10.0; CPU; torchvision 0.3.0
- **Features:** 1 carried over (--all lists them)

Summary 1.1.

A note on 1.1.

No features that changed recorded for this release.

{LEGEND}

"""
    )
    empty = model(releases=[R12])
    report = build_report(show_release(empty, "1.2"), empty)
    assert report.facts[-1] == ("Features", Cell("none recorded"))
    assert report.empty == "No features recorded for this release."
    assert build_report(show_release(BIG, "1.0", ["dist"]), BIG).empty == (
        "No features recorded for this release in area dist."
    )
    two = build_report(show_release(quiet, "1.1", ["dist", "api"]), quiet)
    assert two.empty == "No features that changed recorded for this release in areas dist, api."
    assert two.facts[-2:] == [("Area", Cell("dist, api")), ("Features", Cell("1 carried over (--all lists them)"))]


def test_a_resolved_name_is_a_note_in_the_header() -> None:
    report = build_report(show_release(BIG, "1.2.3"), BIG)
    assert report.facts[:2] == [
        ("Released", Cell("date not recorded")),
        ("Note", Cell("1.2.3 is not in the model; showing 1.2, the newest of its series")),
    ]


def test_counts_of_projects_and_features_are_worded_by_number() -> None:
    many = model(projects=[project("a", announced=announced("1.0")), project("b", announced=announced("1.0"))])
    report = build_report(show_release(many, "1.0"), many)
    assert report.facts[-1] == ("Came with it", Cell("2 tools"))
    assert report.tables[1].heading == "Came with PyTorch 1.0"
    assert report.tables[1].narrow == ("name", "what it is", "link", "status")


# -- builds -------------------------------------------------------------------------------------


def test_builds_in_one_line() -> None:
    assert builds_text(R11) == "CUDA 9.0, 10.0; CPU; torchvision 0.3.0"
    assert builds_text(R10) == "CUDA 8.0, 9.0; no CPU-only build; torchvision 0.2.1"
    assert builds_text(release("2.0", builds=builds((), True, "0.15"))) == "no CUDA build; CPU; torchvision 0.15"
    assert builds_text(R12) == ""


def test_what_changed_in_the_builds() -> None:
    assert (
        builds_change(R10, R11) == "CUDA 8.0 dropped; CUDA 10.0 added; CPU-only build added; torchvision 0.2.1 → 0.3.0"
    )
    assert (
        builds_change(R11, R10)
        == "CUDA 10.0 dropped; CUDA 8.0 added; CPU-only build dropped; torchvision 0.3.0 → 0.2.1"
    )
    assert builds_change(R11, R11) == "unchanged"
    assert builds_change(R11, R12) == builds_change(R12, R11) == ""
    more = release("1.3", builds=builds(("9.0", "10.0", "10.1", "11.0"), True, "0.3.0"))
    assert builds_change(R11, more) == "CUDA 10.1, 11.0 added"
    assert builds_change(more, R10) == "CUDA 10.0, 10.1, 11.0 dropped; CUDA 8.0 added; CPU-only build dropped; " + (
        "torchvision 0.3.0 → 0.2.1"
    )


# -- compare ------------------------------------------------------------------------------------


def test_compare_newer_first_in_some_areas() -> None:
    assert (
        markdown(compare_releases(BIG, "1.2", "1.0", ["api"]))
        == """\
# PyTorch 1.0 → 1.2

- **Summary:** 1 added, 0 changed, 0 deprecated, 1 removed (1 breaking)
- **Area:** api
- **Note:** 1.2 is newer than 1.0: showing what changed from 1.0 to 1.2

## Added

| breaking | area | id | feature | what changed | apis | sources |
| --- | --- | --- | --- | --- | --- | --- |
|  | api | api.new | api.new title | 1.2: api.new summary. | torch.new, torch.newer \
| [Notes one](https://example.org/one) |

## Removed

| breaking | area | id | feature | what changed | apis | sources |
| --- | --- | --- | --- | --- | --- | --- |
| yes | api | api.old | api.old title<br>(breaking) | 1.1: Still here.<br>1.2 (breaking): Gone. | torch.old \
| [Notes one](https://example.org/one); [A copy (read in a copy)](https://example.org/two) |

"""
    )


def test_compare_with_builds_and_resolved_names_and_nothing_changed() -> None:
    report = build_report(compare_releases(BIG, "1.0.2", "1.1"), BIG, cells="ascii")
    assert report.title == "PyTorch 1.0 -> 1.1"
    assert report.facts == [
        ("Summary", Cell("0 added, 2 changed, 0 deprecated, 0 removed (0 breaking)")),
        ("Builds", Cell("CUDA 8.0 dropped; CUDA 10.0 added; CPU-only build added; torchvision 0.2.1 → 0.3.0")),
        ("Note", Cell("1.0.2 is not in the model; showing 1.0, the newest of its series")),
    ]
    assert [(s.title, s.key, len(s.rows)) for s in report.tables[0].sections] == [("Changed", "changed", 2)]
    assert report.tables[0].group == "change"
    assert report.tables[0].narrow == ("area", "feature", "what changed")
    same = build_report(compare_releases(BIG, "1.1", "1.1"), BIG)
    assert (same.title, same.empty) == ("PyTorch 1.1 → 1.1", "No changes recorded between 1.1 and 1.1.")
    assert same.tables[0].sections == []
    assert build_report(compare_releases(BIG, "1.1", "1.1", ["jit"]), BIG).empty == (
        "No changes recorded between 1.1 and 1.1 in area jit."
    )
    assert build_report(compare_releases(BIG, "1.1", "1.1", ["jit", "api"]), BIG).empty == (
        "No changes recorded between 1.1 and 1.1 in areas jit, api."
    )
    assert build_report(compare_releases(BIG, "1.1", "1.2", ["jit", "api"]), BIG).facts[1] == ("Area", Cell("jit, api"))


def test_a_long_history_is_shortened_on_a_terminal_only() -> None:
    long = feature("long", "jit", *(say(v, "changed", f"Step {v}.") for v in ("1.1", "1.2", "1.3", "1.4")))
    short = feature("short", "api", *(say(v, "changed", f"Step {v}.") for v in ("1.2", "1.3", "1.4")))
    data = model(releases=[release(v) for v in ("1.0", "1.1", "1.2", "1.3", "1.4")], features=[long, short])
    diff = compare_releases(data, "1.0", "1.4")
    brief = build_report(diff, data, brief=True)
    rows = brief.tables[0].sections[0].rows
    assert rows[0][4].text == "(2 earlier changes)\n1.3: Step 1.3.\n1.4: Step 1.4."
    assert rows[1][4].text == "1.2: Step 1.2.\n1.3: Step 1.3.\n1.4: Step 1.4."  # three fit
    assert brief.notes == ["Long histories show their latest 2 changes; --format markdown, csv or json has all."]
    whole = build_report(diff, data)
    assert (
        whole.tables[0].sections[0].rows[0][4].text == "1.1: Step 1.1.\n1.2: Step 1.2.\n1.3: Step 1.3.\n1.4: Step 1.4."
    )
    assert whole.notes == []
    assert build_report(compare_releases(data, "1.1", "1.4"), data, brief=True).notes == []


def test_a_change_row_names_its_apis_once_and_its_sources_once() -> None:
    twice = feature(
        "f",
        "api",
        say("1.1", "changed", "One.", "torch.x", "torch.y", sources=("s1", "s2")),
        say("1.2", "changed", "Two.", "torch.y", Api("keyword", "k", of="torch.x"), sources=("s2",)),
    )
    data = model(features=[twice])
    (row_,) = build_report(compare_releases(data, "1.0", "1.2"), data).tables[0].sections[0].rows
    assert [c.text for c in row_] == [
        "",
        "api",
        "f",
        "f title",
        "1.1: One.\n1.2: Two.",
        "torch.x, torch.y, torch.x(k=)",
        "https://example.org/one; https://example.org/two",
    ]
    assert row_[3].style == ""
    breaking = build_report(compare_releases(BIG, "1.1", "1.2", ["api"]), BIG).tables[0].sections[-1].rows[0]
    assert (breaking[0].text, breaking[3]) == ("yes", Cell("api.old title\n(breaking)", "breaking"))
    assert row_[6].links == (
        ("Notes one", "https://example.org/one"),
        ("A copy (read in a copy)", "https://example.org/two"),
    )


def test_the_summary_of_a_comparison() -> None:
    assert diff_summary(compare_releases(BIG, "1.0", "1.2")) == (
        "1 added, 1 changed, 0 deprecated, 1 removed (1 breaking)"
    )


# -- matrix --------------------------------------------------------------------------------------

M10 = matrix("1.0", row("send", gloo=("yes", "no"), mpi=("yes", "depends")), notes="Old note.")
M12 = matrix("1.2", row("send", gloo=("yes", "yes"), mpi=("yes", "depends")), sources=("s2",), notes="New note.")
MATRICES = model(matrices=[M10, M12])


def test_matrix_of_two_releases_newer_first() -> None:
    assert (
        markdown(backend_matrix(MATRICES, "1.2", "1.0"), MATRICES)
        == """\
# Distributed backends: PyTorch 1.0 → 1.2

- **Changed cells:** 1
- **Note:** 1.2 is newer than 1.0: showing the change to 1.2

| operation | gloo CPU | gloo GPU | mpi CPU | mpi GPU | nccl CPU | nccl GPU |
| --- | --- | --- | --- | --- | --- | --- |
| send | ✓ | ✘→✓ | ✓ | ? | ✘ | ✘ |

✓ supported, ✘ not supported, ? depends on the MPI build; old→new where a cell changed

Old note.

New note.

"""
    )


def test_matrix_of_one_release_in_each_kind_of_cell() -> None:
    view = backend_matrix(MATRICES, "1.0")
    symbols = build_report(view, MATRICES)
    assert symbols.title == "Distributed backends in PyTorch 1.0"
    assert symbols.facts == []
    assert [(c.text, c.style) for c in symbols.tables[0].sections[0].rows[0]] == [
        ("send", ""),
        ("✓", "yes"),
        ("✘", "no"),
        ("✓", "yes"),
        ("?", "depends"),
        ("✘", "no"),
        ("✘", "no"),
    ]
    assert symbols.notes == ["✓ supported, ✘ not supported, ? depends on the MPI build", "Old note."]
    assert symbols.empty == "No operations recorded."
    ascii_ = build_report(backend_matrix(MATRICES, "1.0", "1.2"), MATRICES, cells="ascii")
    assert ascii_.title == "Distributed backends: PyTorch 1.0 -> 1.2"
    assert [c.text for c in ascii_.tables[0].sections[0].rows[0]] == ["send", "+", "-->+", "+", "?", "-", "-"]
    assert ascii_.tables[0].sections[0].rows[0][2].style == "changed-cell"
    assert ascii_.notes[0] == "+ supported, - not supported, ? depends on the MPI build; old->new where a cell changed"
    assert ascii_.facts == [("Changed cells", Cell("1"))]
    assert drawn(view, MATRICES, "csv") == (
        "operation,gloo CPU,gloo GPU,mpi CPU,mpi GPU,nccl CPU,nccl GPU\r\nsend,yes,no,yes,depends,no,no\r\n"
    )


# -- versions -----------------------------------------------------------------------------------


def test_versions_with_dates_builds_and_announcements() -> None:
    assert (
        markdown(list_releases(BIG))
        == """\
# PyTorch releases

| version | date | title | builds | announcement |
| --- | --- | --- | --- | --- |
| 1.0 | 2018-12-07 | Title 1.0 | CUDA 8.0, 9.0; no CPU-only build; torchvision 0.2.1 |  |
| 1.1 | 2019-05-01 | Title 1.1 | CUDA 9.0, 10.0; CPU; torchvision 0.3.0 | <https://example.org/a> |
| 1.2 |  | Title 1.2 |  |  |

"""
    )
    report = build_report(list_releases(model(releases=[])), None)
    assert (report.title, report.empty) == ("PyTorch releases", "No releases recorded.")
    assert report.tables[0].narrow == ("version", "date", "title", "announcement")


# -- projects -------------------------------------------------------------------------------------


def test_projects_of_two_kinds() -> None:
    assert (
        markdown(list_projects(BIG, ["roadmap", "tool"]))
        == """\
# Roadmap items and tools

| id | kind | name | what it is | link | status | sources | relation to PyTorch | came with |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| ax | tool | Ax | What ax is. | <https://example.org/ax> |  | [Notes one](https://example.org/one) \
| How ax relates. | 1.1 |
| rm | roadmap | Rm | What rm is. | <https://example.org/rm> | shipped in 1.2 | [Notes one](https://example.org/one) \
| How rm relates. | 1.1 |
| rn | roadmap | Rn | What rn is. | <https://example.org/rn> | announced | [Notes one](https://example.org/one) \
| How rn relates. | 1.1 |

"""
    )


@pytest.mark.parametrize(
    ("kinds", "release_", "title"),
    [
        (["tool"], None, "Tools announced beside PyTorch 1.1"),
        (["tool"], "1.1", "Tools that came with PyTorch 1.1"),
        ([], None, "Projects"),
        ([], "1.1", "Projects that came or were named with PyTorch 1.1"),  # BO is only named with 1.1
        (["cloud"], None, "Cloud partners"),
        (["ecosystem", "course"], None, "Ecosystem projects and courses"),
    ],
)
def test_a_listing_is_titled_by_what_was_asked(kinds: list[str], release_: str | None, title: str) -> None:
    assert build_report(list_projects(BIG, kinds, release_), BIG).title == title


def test_tools_of_several_releases_or_none() -> None:
    tools = [project("a", announced=announced("1.0")), project("b", announced=announced("1.1"))]
    several = model(projects=tools)
    assert build_report(list_projects(several, ["tool"]), several).title == "Tools announced beside PyTorch releases"
    listing = ProjectList(("tool",), None, ())
    report = build_report(listing, several)
    assert (report.title, report.empty) == ("Tools announced beside PyTorch releases", "No projects recorded.")


def test_the_columns_a_terminal_shows_depend_on_the_kinds_listed() -> None:
    one = build_report(list_projects(BIG, ["roadmap"]), BIG).tables[0]
    assert one.narrow == ("name", "what it is", "relation to PyTorch", "link")
    mixed = build_report(list_projects(BIG), BIG).tables[0]
    assert mixed.narrow == ("name", "kind", "what it is", "link")
    assert [r[-1].text for r in mixed.sections[0].rows] == ["1.1", "1.1", "1.1", "1.1"]
    lone = model(projects=[project("z")])
    row_ = build_report(list_projects(lone), lone).tables[0].sections[0].rows[0]
    assert (row_[5].text, row_[-1].text) == ("", "")  # no status, came with no release


def test_one_project_as_a_record() -> None:
    assert (
        markdown(find_project(BIG, "rm"))
        == """\
# Rm

| field | value |
| --- | --- |
| name | Rm |
| kind | roadmap |
| what it is | What rm is. |
| relation to PyTorch | How rm relates. |
| homepage | <https://example.org/rm> |
| announced | with PyTorch 1.1 |
| status | shipped |
| shipped in | 1.2 |
| notes | Note. |
| source | [Notes one](https://example.org/one) |

"""
    )
    assert (
        markdown(find_project(BIG, "bo"))
        == """\
# Bo

| field | value |
| --- | --- |
| name | Bo |
| kind | ecosystem |
| what it is | What bo is. |
| relation to PyTorch | How bo relates. |
| homepage | <https://example.org/bo> |
| repository | <https://github.com/x/bo> |
| named with | PyTorch 1.1 |
| source | [Notes one](https://example.org/one) |

"""
    )


def test_a_roadmap_item_names_the_features_that_shipped_it() -> None:
    item = project("r", "roadmap", status="shipped", shipped_in=version("1.2"), shipped_as=("jit.a", "api.new"))
    rows = build_report(item, BIG).tables[0].sections[0].rows
    assert [(r[0].text, r[1].text) for r in rows if r[0].text.startswith("shipped")] == [
        ("shipped in", "1.2"),
        ("shipped as", "jit.a, api.new"),
    ]


def test_a_project_record_names_its_announcement_and_each_source() -> None:
    report = build_report(find_project(BIG, "ax"), BIG)
    fields = {r[0].text: r[1] for r in report.tables[0].sections[0].rows}
    assert fields["announced"] == Cell("F8, 2019-05-01, with PyTorch 1.1")
    both = project("both", sources=("s1", "s3"), announced=announced("1.0", date=dt.date(2018, 1, 2)))
    data = model(projects=[both])
    rows = build_report(both, data).tables[0].sections[0].rows
    assert [(r[0].text, r[1].text) for r in rows if r[0].text in ("announced", "source")] == [
        ("announced", "2018-01-02, with PyTorch 1.0"),
        ("source", "Notes one <https://example.org/one>"),
        ("source", "News (news article only, not in official material) <https://example.org/three>"),
    ]
    assert rows[-1][1].links == (("News (news article only, not in official material)", "https://example.org/three"),)
    table_ = build_report(both, data).tables[0]
    assert (table_.group, table_.labelled, table_.sections[0].key) == ("project", True, "both")


# -- search, validate, doctor --------------------------------------------------------------------


def test_search_hits_with_their_marks() -> None:
    assert (
        markdown(search(BIG, "faster"))
        == """\
# Search: faster

- **Hits:** 1

| release | area | kind | id | title | matched | excerpt |
| --- | --- | --- | --- | --- | --- | --- |
| 1.1 | jit | feature | jit.a | jit.a title | 1.1 changed | Faster. |

"""
    )
    report = build_report(search(BIG, "faster"), BIG)
    assert report.tables[0].sections[0].rows[0][-1] == Cell("Faster.", marks=((0, 6),))
    assert report.tables[0].narrow == ("release", "title", "matched", "excerpt")
    none = build_report(search(BIG, "nothing-here"), BIG)
    assert (none.facts, none.empty) == ([("Hits", Cell("0"))], "No matches.")


PROBLEMS = (Problem("f.yaml", 3, 5, "error", "type", "bad"), Problem("f.yaml", 0, 0, "warning", "insecure-url", "http"))


def test_validation_findings() -> None:
    assert (
        markdown(Validation("f.yaml", PROBLEMS), None)
        == """\
# Validation of f.yaml

- **Result:** 1 error, 1 warning

| file | line | column | level | check | message |
| --- | --- | --- | --- | --- | --- |
| f.yaml | 3 | 5 | error | type | bad |
| f.yaml | 0 | 0 | warning | insecure-url | http |

"""
    )
    rows = build_report(Validation("f.yaml", PROBLEMS), None).tables[0].sections[0].rows
    assert [r[3].style for r in rows] == ["error", "warning"]
    assert build_report(Validation("g", ()), None).empty == "No problems found."


@pytest.mark.parametrize(
    ("levels", "summary"),
    [
        ((), "0 errors, 0 warnings"),
        (("error",), "1 error, 0 warnings"),
        (("warning", "warning"), "0 errors, 2 warnings"),
    ],
)
def test_the_validation_summary_counts_with_plurals(levels: tuple[str, ...], summary: str) -> None:
    problems = tuple(Problem("f", 1, 1, level, "type", "m") for level in levels)
    assert validation_summary(Validation("f", problems)) == summary


NOTE = ModelNote("api.old", version("1.1"), "deprecated", "Use new.", ("torch.new",), ("s1",))
GONE = ModelNote("api.old", version("1.2"), "removed", "Gone.", (), ("s1",))
CHECKS = (
    ApiCheck("torch.old", "api", ("api.old",), "missing", "no attribute", (NOTE, GONE)),
    ApiCheck("torch.a", "jit", ("jit.a", "jit.b"), "present", "", (NOTE,)),
)
DOCTOR = DoctorResult("1.2.0+cpu", version("1.2"), "1.2.1", "/site/torch", ("api", "jit"), CHECKS)


def test_doctor_numbers_what_the_model_says_once() -> None:
    assert (
        markdown(DOCTOR)
        == """\
# Model API names in the installed torch 1.2.0+cpu

- **Installed torch:** 1.2.0+cpu
- **Model release:** 1.2 (the newest in the model not newer than 1.2.0+cpu)
- **Imported:** torch 1.2.1 from /site/torch
- **Area:** api, jit
- **Summary:** 2 names checked: 1 missing, 1 present

| status | api | area | features | reason | model says |
| --- | --- | --- | --- | --- | --- |
| missing | torch.old | api | api.old | no attribute \
| deprecated in 1.1; use torch.new \\[1\\]<br>removed in 1.2 \\[2\\] |
| present | torch.a | jit | jit.a, jit.b |  | deprecated in 1.1; use torch.new \\[1\\] |

The package metadata says torch 1.2.0+cpu but torch 1.2.1 was imported: another torch comes first on the path.

\\[1\\] deprecated in 1.1 (api.old): Use new.

\\[2\\] removed in 1.2 (api.old): Gone.

"""
    )
    rows = build_report(DOCTOR, BIG).tables[0].sections[0].rows
    assert [r[0].style for r in rows] == ["error", "present"]


def test_doctor_on_a_terminal_shows_status_name_reason_and_what_the_model_says() -> None:
    header = next(line for line in table(DOCTOR, columns=100).splitlines() if line.startswith("┃"))
    assert [name.strip() for name in header.strip("┃").split("┃")] == ["status", "api", "reason", "model says"]


def test_doctor_without_a_model_release_or_names() -> None:
    result = DoctorResult("0.4.0", None, "0.4.0", "/t", (), ())
    report = build_report(result, BIG)
    assert report.facts == [
        ("Installed torch", Cell("0.4.0")),
        ("Model release", Cell("none (every release in the model is newer than 0.4.0)")),
        ("Imported", Cell("torch 0.4.0 from /t")),
        ("Summary", Cell("0 names checked: ")),
    ]
    assert (report.notes, report.empty) == ([], "No API names recorded.")
    assert build_report(result._replace(areas=("jit", "api")), BIG).empty == "No API names recorded in area jit, api."
    one = result._replace(checks=(CHECKS[1]._replace(status="unexpected"),))
    assert doctor_summary(one) == "1 name checked: "
    assert build_report(one, BIG).tables[0].sections[0].rows[0][0] == Cell("unexpected", "unexpected")


def test_doctor_footnotes_differ_by_feature_and_by_summary() -> None:
    other = NOTE._replace(feature="api.other")
    reworded = NOTE._replace(summary="Use newer.")
    checks = (ApiCheck("torch.x", "api", ("f",), "present", "", (NOTE, other, reworded, NOTE)),)
    report = build_report(DoctorResult("1.2", version("1.2"), "1.2", "/t", (), checks), BIG)
    assert report.tables[0].sections[0].rows[0][5].text == "\n".join(
        f"deprecated in 1.1; use torch.new [{n}]" for n in (1, 2, 3, 1)
    )
    assert report.notes == [
        "[1] deprecated in 1.1 (api.old): Use new.",
        "[2] deprecated in 1.1 (api.other): Use new.",
        "[3] deprecated in 1.1 (api.old): Use newer.",
    ]


# -- the shapes every report shares ------------------------------------------------------------


def test_a_cell_keeps_its_text_and_role() -> None:
    assert cell("x", "added") == Cell("x", "added")
    assert cell("y") == Cell("y", "")


def test_sources_are_titled_by_how_they_were_read() -> None:
    assert [source_title(s) for s in SOURCES.values()] == [
        "Notes one",
        "A copy (read in a copy)",
        "News (news article only, not in official material)",
        "Report (news report, not official material)",
    ]
    assert cite(("s2", "s1", "s2"), BIG) == Cell(
        "https://example.org/two; https://example.org/one",
        links=(("A copy (read in a copy)", "https://example.org/two"), ("Notes one", "https://example.org/one")),
    )
    assert links([("a", "https://x"), ("a", "https://x"), ("b", "https://x")]) == Cell(
        "https://x; https://x", links=(("a", "https://x"), ("b", "https://x"))
    )


def test_every_text_of_a_report_is_made_safe_to_show() -> None:
    evil = "\x1b[2J"
    report = Report(
        f"T{evil}",
        [(f"L{evil}", Cell(f"a\nb{evil}", "added", ((0, 1),), ((f"n{evil}", "https://ok"),)))],
        [
            Table(
                ("c",),
                [
                    Section(
                        f"S{evil}", f"k{evil}", [(Cell(f"x\ny{evil}", marks=((0, 1),)), Cell("plain", marks=((0, 5),)))]
                    )
                ],
                heading=f"H{evil}",
            )
        ],
        notes=[f"N{evil}"],
        intro=[f"I{evil}"],
        empty=f"E{evil}",
    )
    release_reports.BUILDERS[Report] = lambda result, model, **_: result
    try:
        safe = build_report(report, None)
    finally:
        del release_reports.BUILDERS[Report]
    shown = "\\x1b[2J"
    assert safe.title == f"T{shown}"
    assert safe.facts == [(f"L{shown}", Cell(f"a\\x0ab{shown}", "added", (), ((f"n{shown}", "https://ok"),)))]
    assert safe.notes == [f"N{shown}"] and safe.intro == [f"I{shown}"] and safe.empty == f"E{shown}"
    (table_,) = safe.tables
    assert table_.heading == f"H{shown}"
    assert table_.sections == [
        Section(f"S{shown}", f"k{shown}", [(Cell(f"x\ny{shown}"), Cell("plain", marks=((0, 5),)))])
    ]


def test_a_link_whose_url_would_need_escaping_is_dropped() -> None:
    cell_ = Cell(
        "t", links=(("ok", "https://a"), ("bad", "https://a b"), ("bad", "https://a\x1b"), ("n\x07", "https://c"))
    )
    report = Report("t", [("l", cell_)], [])
    release_reports.BUILDERS[Report] = lambda result, model, **_: result
    try:
        safe = build_report(report, None)
    finally:
        del release_reports.BUILDERS[Report]
    assert safe.facts[0][1].links == (("ok", "https://a"), ("n\\x07", "https://c"))
