"""Reports about records: projects, search hits, validation findings and doctor's checks."""

from __future__ import annotations

from typing import Any

from ..model import Model, Project
from ..query.results import FINDINGS, ApiCheck, DoctorResult, ModelNote, ProjectList, SearchResult, Validation
from .release_reports import PROJECT_WORDS, project_row
from .report import Cell, Report, Row, Section, Table, cell, links, source_title


def _projects_report(listing: ProjectList, model: Model, **_: Any) -> Report:
    rows = [(cell(p.id),) + project_row(p, model) + (cell(p.relation), cell(_came_with(p))) for p in listing.projects]
    one_kind = len({p.kind for p in listing.projects}) <= 1
    narrow = (
        ("name", "what it is", "relation to PyTorch", "link") if one_kind else ("name", "kind", "what it is", "link")
    )
    table = Table(
        ("id", "kind", "name", "what it is", "link", "status", "sources", "relation to PyTorch", "came with"),
        [Section("", "", rows)],
        narrow=narrow,
    )
    return Report(_listing_title(listing), [], [table], empty="No projects recorded.")


def _listing_title(listing: ProjectList) -> str:
    """ "Tools announced beside PyTorch 1.1", "Cloud partners", "Projects that came with PyTorch 1.0"."""
    releases = {p.announced.release for p in listing.projects}
    if listing.kinds == ("tool",) and listing.release is None:
        only = releases.pop() if len(releases) == 1 else None
        return f"Tools announced beside PyTorch {only or 'releases'}"
    words = " and ".join(PROJECT_WORDS[k][0] for k in listing.kinds) or "Projects"
    title = words[:1] + words[1:].lower()
    if listing.release is None:
        return title
    how = "came or were named" if any(p.named_only for p in listing.projects) else "came"
    return f"{title} that {how} with PyTorch {listing.release}"


def _came_with(project: Project) -> str:
    release = project.announced.release or project.mentioned_with
    return str(release) if release else ""


def _project_report(project: Project, model: Model, **_: Any) -> Report:
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
    fields: list[tuple[str, Cell]] = [
        ("name", cell(project.name)),
        ("kind", cell(project.kind)),
        ("what it is", cell(project.summary)),
        ("relation to PyTorch", cell(project.relation)),
        ("homepage", links([(project.url, project.url)])),
        ("repository", links([(project.repository, project.repository)]) if project.repository else cell("")),
        ("announced", cell(when)),
        ("named with", cell(f"PyTorch {project.mentioned_with}" if project.mentioned_with else "")),
        ("status", cell(project.status)),
        ("shipped in", cell(str(project.shipped_in or ""))),
        ("shipped as", cell(", ".join(project.shipped_as))),
        ("notes", cell(project.notes)),
    ]
    fields += [("source", _source(model, i)) for i in project.sources]
    rows: list[Row] = [(cell(name), value) for name, value in fields if value.text]
    table = Table(("field", "value"), [Section("", project.id, rows)], group="project", labelled=True)
    return Report(project.name, [], [table])


def _source(model: Model, source_id: str) -> Cell:
    title = source_title(model.sources[source_id])
    return Cell(f"{title} <{model.sources[source_id].url}>", links=((title, model.sources[source_id].url),))


def _search_report(result: SearchResult, model: Model, **_: Any) -> Report:
    rows: list[Row] = [
        (
            cell(h.release),
            cell(h.area),
            cell(h.kind),
            cell(h.id),
            cell(h.title),
            cell(h.field),
            Cell(h.excerpt, marks=h.marks),
        )
        for h in result.hits
    ]
    table = Table(
        ("release", "area", "kind", "id", "title", "matched", "excerpt"),
        [Section("", "", rows)],
        narrow=("release", "title", "matched", "excerpt"),
    )
    return Report(f"Search: {result.text}", [("Hits", cell(str(len(rows))))], [table], empty="No matches.")


def _validation_report(result: Validation, model: Model, **_: Any) -> Report:
    rows: list[Row] = [
        (cell(p.file), cell(str(p.line)), cell(str(p.column)), Cell(p.level, p.level), cell(p.check), cell(p.message))
        for p in result.problems
    ]
    table = Table(("file", "line", "column", "level", "check", "message"), [Section("", "", rows)])
    facts = [("Result", cell(validation_summary(result)))]
    return Report(f"Validation of {result.file}", facts, [table], empty="No problems found.")


def validation_summary(result: Validation) -> str:
    """The closing line of ``ptdiff validate``."""
    return f"{result.errors} error{'s' * (result.errors != 1)}, {result.warnings} warning{'s' * (result.warnings != 1)}"


def _doctor_report(result: DoctorResult, model: Model, **_: Any) -> Report:
    footnotes: dict[tuple[str, str], int] = {}  # one note per statement, however many names it covers
    rows = [_check_row(check, footnotes) for check in result.checks]
    if result.model_release is not None:
        release = f"{result.model_release} (the newest in the model not newer than {result.torch_version})"
    else:
        release = f"none (every release in the model is newer than {result.torch_version})"
    facts = [("Installed torch", cell(result.torch_version)), ("Model release", cell(release))]
    facts.append(("Imported", cell(f"torch {result.imported_version} from {result.torch_path}")))
    if result.areas:
        facts.append(("Area", cell(", ".join(result.areas))))
    facts.append(("Summary", cell(doctor_summary(result))))
    notes = []
    if result.imported_version != result.torch_version:
        notes.append(
            f"The package metadata says torch {result.torch_version} but torch {result.imported_version} "
            "was imported: another torch comes first on the path."
        )
    notes += [f"[{n}] {feature}: {summary}" for (feature, summary), n in footnotes.items()]
    table = Table(
        ("status", "api", "area", "features", "reason", "model says"),
        [Section("", "", rows)],
        narrow=("status", "api", "reason", "model says"),
    )
    empty = "No API names recorded" + (f" in area {', '.join(result.areas)}." if result.areas else ".")
    return Report(f"Model API names in the installed torch {result.torch_version}", facts, [table], notes, empty=empty)


def _check_row(check: ApiCheck, footnotes: dict[tuple[str, str], int]) -> Row:
    said = []
    for note in check.model_says:
        number = footnotes.setdefault(_footnote_key(note), len(footnotes) + 1)
        said.append(f"{note} [{number}]")
    return (
        Cell(check.status, "error" if check.status in FINDINGS else check.status),
        cell(check.name),
        cell(check.area),
        cell(", ".join(check.features)),
        cell(check.reason),
        cell("\n".join(said)),
    )


def _footnote_key(note: ModelNote) -> tuple[str, str]:
    return (f"{note.change} in {note.release} ({note.feature})", note.summary)


def doctor_summary(result: DoctorResult) -> str:
    """The one-line count summary of ``ptdiff doctor``."""
    counts = ", ".join(f"{n} {status}" for status, n in result.counts().items())
    total = len(result.checks)
    return f"{total} name{'s' * (total != 1)} checked: {counts}"


BUILDERS: dict[type, Any] = {
    ProjectList: _projects_report,
    Project: _project_report,
    SearchResult: _search_report,
    Validation: _validation_report,
    DoctorResult: _doctor_report,
}
