"""Lay a query result out as a ``Report``: a title, header facts, and sections of rows.

The table, Markdown and CSV renderers all draw the same ``Report``, so they cannot
disagree about what a command shows.  JSON is built from the results themselves
(``json_doc.py``) so that nothing is lost.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..model import BACKENDS, DEVICES, Model, Project
from ..query import (
    PRESENT,
    DoctorResult,
    FeatureChange,
    MatrixView,
    ProjectList,
    ReleaseDiff,
    ReleaseList,
    ReleaseView,
    SearchResult,
    Validation,
)
from ..text import visible

# Cell text for a backend support value, by style; "ascii" is for terminals that
# cannot show the symbols, "words" for CSV.
SUPPORT_TEXT = {
    "symbols": {"yes": "✓", "no": "✘", "depends": "?"},
    "ascii": {"yes": "+", "no": "-", "depends": "?"},
    "words": {"yes": "yes", "no": "no", "depends": "depends"},
}
CHANGE_KINDS_SHOWN = (("added", "Added"), ("changed", "Changed"), ("deprecated", "Deprecated"), ("removed", "Removed"))


class Section(NamedTuple):
    title: str
    rows: list[tuple[str, ...]]


class Report(NamedTuple):
    title: str
    columns: tuple[str, ...]
    sections: list[Section]
    facts: list[tuple[str, str]] = []  # header lines: (label, value); never mutated
    notes: list[str] = []  # footer lines; never mutated
    group: str = "section"  # what a section is, as a CSV column name
    narrow: tuple[str, ...] = ()  # columns a terminal table shows; all when empty
    empty: str = "Nothing to show."


# In a terminal, a change that spans more statements than this shows only the latest ones.
BRIEF_STATEMENTS = 3
BRIEF_KEPT = 2


def build_report(result: Any, model: Model, cells: str = "symbols", brief: bool = False) -> Report:
    """The ``Report`` of any query result.

    ``brief`` (terminal tables) shortens long histories; files and pipes get everything.
    """
    if isinstance(result, MatrixView):
        report = _matrix_report(result, cells)
    elif isinstance(result, ReleaseDiff):
        report = _diff_report(result, model, "->" if cells == "ascii" else "→", brief)
    else:
        report = _BUILDERS[type(result)](result, model)
    return _visible(report)


def _visible(report: Report) -> Report:
    """The report with every control, bidi and invisible character escaped.

    Cells may keep their line breaks (each renderer keeps them inside the cell); titles,
    facts and notes are one line each.
    """
    return report._replace(
        title=visible(report.title),
        facts=[(visible(label), visible(value)) for label, value in report.facts],
        notes=[visible(note) for note in report.notes],
        sections=[
            Section(visible(s.title), [tuple(visible(c, newlines=True) for c in row) for row in s.rows])
            for s in report.sections
        ],
        empty=visible(report.empty),
    )


def _release_report(view: ReleaseView, model: Model) -> Report:
    release = view.release
    columns = ("status", "id", "feature", "summary", "in this release", "apis", "sources")
    sections: dict[str, Section] = {}
    for item in view.features:
        area = model.areas[item.feature.area].title
        row = (
            item.status,
            item.feature.id,
            item.feature.title,
            item.feature.summary,
            item.statement.summary if item.statement else "",
            ", ".join(map(str, item.apis)),
            _cite(item.statement.sources if item.statement else item.feature.sources, model),
        )
        sections.setdefault(area, Section(area, [])).rows.append(row)
    counts = {
        status: sum(1 for f in view.features if f.status == status)
        for status in ("new", "changed", "deprecated", "removed", "carried over")
    }
    facts = [("Released", release.date.isoformat())]
    facts += [(name.replace("_", " ").capitalize(), url) for name, url in release.links.items()]
    if view.areas:
        facts.append(("Area", ", ".join(view.areas)))
    facts.append(("Features", ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "none"))
    return Report(
        f"PyTorch {release.version}: {release.title}",
        columns,
        list(sections.values()),
        facts,
        notes=[release.summary],
        group="area",
        narrow=("status", "feature", "summary"),
        empty="No features recorded for this release" + _in_areas(view.areas),
    )


def _diff_report(diff: ReleaseDiff, model: Model, arrow: str, brief: bool) -> Report:
    columns = ("area", "id", "feature", "what changed", "breaking", "sources")
    sections = []
    for kind, title in CHANGE_KINDS_SHOWN:
        rows = [
            (
                change.feature.area,
                change.feature.id,
                change.feature.title,
                _what_changed(change, brief),
                "yes" if change.breaking else "",
                _cite(tuple(i for s in change.statements for i in s.sources), model),
            )
            for change in diff.changes
            if change.kind == kind
        ]
        if rows:
            sections.append(Section(title, rows))
    facts = [("Summary", diff_summary(diff))]
    notes = []
    if brief and any(len(change.statements) > BRIEF_STATEMENTS for change in diff.changes):
        notes.append(f"Long histories show their latest {BRIEF_KEPT} changes; --format markdown, csv or json has all.")
    if diff.swapped:
        facts.append(
            (
                "Note",
                f"{diff.new.version} is newer than {diff.old.version}: showing what changed "
                f"from {diff.old.version} to {diff.new.version}",
            )
        )
    return Report(
        f"PyTorch {diff.old.version} {arrow} {diff.new.version}",
        columns,
        sections,
        facts,
        notes,
        group="change",
        narrow=("area", "feature", "what changed", "breaking"),
        empty=f"No changes recorded between {diff.old.version} and {diff.new.version}.",
    )


def _what_changed(change: FeatureChange, brief: bool) -> str:
    statements = change.statements
    lines = []
    if brief and len(statements) > BRIEF_STATEMENTS:
        lines.append(f"({len(statements) - BRIEF_KEPT} earlier changes)")  # the report's note says where
        statements = statements[-BRIEF_KEPT:]
    lines += [f"{s.release}: {s.summary or change.feature.summary}" for s in statements]
    return "\n".join(lines)


def diff_summary(diff: ReleaseDiff) -> str:
    """The one-line count summary of a comparison."""
    counts = ", ".join(f"{diff.count(kind)} {kind}" for kind, _ in CHANGE_KINDS_SHOWN)
    breaking = sum(1 for change in diff.changes if change.breaking)
    return f"{counts} ({breaking} breaking)"


def _matrix_report(view: MatrixView, cells: str) -> Report:
    text = SUPPORT_TEXT[cells]
    arrow = "->" if cells == "ascii" else "→"
    columns = ("operation",) + tuple(f"{b} {d.upper()}" for b in BACKENDS for d in DEVICES)
    rows = []
    for line in view.rows:
        rows.append(
            (line.operation,)
            + tuple(f"{text[c.old]}{arrow}{text[c.value]}" if c.changed else text[c.value] for c in line.cells)
        )
    release = view.release.version
    title = f"Distributed backends in PyTorch {release}"
    facts = []
    if view.old_release:
        title = f"Distributed backends: PyTorch {view.old_release.version} {arrow} {release}"
        facts.append(("Changed cells", str(view.changed_cells)))
    legend = f"{text['yes']} supported, {text['no']} not supported, {text['depends']} depends on the MPI build"
    if view.old_release:
        legend += f"; old{arrow}new where a cell changed"
    return Report(title, columns, [Section("operations", rows)], facts, [legend], group="table")


def _project_report(project: Project, model: Model) -> Report:
    announced = project.announced
    when = ", ".join(
        filter(
            None,
            [
                announced.event,
                announced.date.isoformat() if announced.date else "",
                f"with PyTorch {announced.release}" if announced.release else "",
            ],
        )
    )
    fields = [
        ("name", project.name),
        ("kind", project.kind),
        ("what it is", project.summary),
        ("relation to PyTorch", project.relation),
        ("homepage", project.url),
        ("repository", project.repository),
        ("announced", when),
        ("status", project.status),
        ("shipped in", str(project.shipped_in or "")),
        ("notes", project.notes),
    ]
    fields += [("source", f"{model.sources[i].title} <{model.sources[i].url}>") for i in project.sources]
    rows = [(name, value) for name, value in fields if value]
    return Report(project.name, ("field", "value"), [Section(project.id, rows)], group="project")


def _projects_report(listing: ProjectList, model: Model) -> Report:
    rows = [(p.id, p.name, p.summary, p.relation, p.url) for p in listing.projects]
    return Report(
        "Tools announced beside PyTorch 1.1",
        ("id", "name", "what it is", "relation to PyTorch", "link"),
        [Section("tools", rows)],
        group="kind",
        narrow=("name", "what it is", "relation to PyTorch", "link"),
    )


def _releases_report(listing: ReleaseList, model: Model) -> Report:
    rows = [(str(r.version), r.date.isoformat(), r.title, r.links.get("announcement", "")) for r in listing.releases]
    return Report(
        "PyTorch releases", ("version", "date", "title", "announcement"), [Section("releases", rows)], group="list"
    )


def _search_report(result: SearchResult, model: Model) -> Report:
    rows = [(h.release, h.area, h.kind, h.id, h.title, h.field, h.excerpt) for h in result.hits]
    return Report(
        f"Search: {result.text}",
        ("release", "area", "kind", "id", "title", "matched", "excerpt"),
        [Section("hits", rows)] if rows else [],
        facts=[("Hits", str(len(rows)))],
        group="list",
        narrow=("release", "area", "title", "matched", "excerpt"),
        empty="No matches.",
    )


def _validation_report(result: Validation, model: Model) -> Report:
    rows = [(p.file, str(p.line), str(p.column), p.level, p.check, p.message) for p in result.problems]
    return Report(
        f"Validation of {result.file}",
        ("file", "line", "column", "level", "check", "message"),
        [Section("problems", rows)] if rows else [],
        group="list",
        facts=[("Result", validation_summary(result))],
        empty="No problems found.",
    )


def validation_summary(result: Validation) -> str:
    """The closing line of ``ptdiff validate``."""
    return f"{result.errors} error{'s' * (result.errors != 1)}, {result.warnings} warning{'s' * (result.warnings != 1)}"


def _doctor_report(result: DoctorResult, model: Model) -> Report:
    rows = [
        (
            check.status,
            check.name,
            check.area,
            ", ".join(check.features),
            check.reason,
            # what the model says matters where the name is not there (a present name's
            # notes, e.g. the tcp backend's removal beside init_process_group, are in JSON)
            "" if check.status == PRESENT else "\n".join(str(note) for note in check.model_says),
        )
        for check in result.checks
    ]
    if result.model_release is not None:
        release = f"{result.model_release} (the newest in the model not newer than {result.torch_version})"
    else:
        release = f"none (every release in the model is newer than {result.torch_version})"
    facts = [("Installed torch", result.torch_version), ("Model release", release)]
    facts.append(("Imported", f"torch {result.imported_version} from {result.torch_path}"))
    if result.areas:
        facts.append(("Area", ", ".join(result.areas)))
    facts.append(("Summary", doctor_summary(result)))
    notes = []
    if result.imported_version != result.torch_version:
        notes.append(
            f"The package metadata says torch {result.torch_version} but torch {result.imported_version} "
            "was imported: another torch comes first on the path."
        )
    return Report(
        f"Model API names in the installed torch {result.torch_version}",
        ("status", "api", "area", "features", "reason", "model says"),
        [Section("names", rows)] if rows else [],
        facts,
        notes,
        group="list",
        narrow=("status", "api", "reason", "model says"),
        empty="No API names recorded" + _in_areas(result.areas),
    )


def doctor_summary(result: DoctorResult) -> str:
    """The one-line count summary of ``ptdiff doctor``."""
    counts = ", ".join(f"{n} {status}" for status, n in result.counts().items())
    total = len(result.checks)
    return f"{total} name{'s' * (total != 1)} checked: {counts}"


def _cite(source_ids: tuple[str, ...], model: Model) -> str:
    return "; ".join(model.sources[i].url for i in dict.fromkeys(source_ids))


def _in_areas(areas: tuple[str, ...]) -> str:
    """ " in area jit." / " in areas jit, hub." / "." for the end of an empty-result sentence."""
    if not areas:
        return "."
    return f" in area{'s' * (len(areas) > 1)} {', '.join(areas)}."


# The builder of each kind of result but the two that take the cell style.
_BUILDERS: dict[type, Any] = {
    ReleaseView: _release_report,
    Project: _project_report,
    ProjectList: _projects_report,
    ReleaseList: _releases_report,
    SearchResult: _search_report,
    Validation: _validation_report,
    DoctorResult: _doctor_report,
}
