"""Reports about releases: ``show``, ``compare``, ``versions`` and ``matrix``."""

from __future__ import annotations

from typing import Any

from ..model import BACKENDS, CHANGE_KINDS, DEVICES, Model, Project, Release, Statement
from ..query.results import (
    CARRIED_OVER,
    LEGEND,
    FeatureChange,
    FeatureInRelease,
    MatrixView,
    ReleaseDiff,
    ReleaseList,
    ReleaseView,
)
from .report import Cell, Report, Row, Section, Table, cell, cite, links

# How a kind of change and a kind of project are named: a section title, a noun and its plural.
CHANGE_TITLES = {kind: kind.capitalize() for kind in CHANGE_KINDS}
PROJECT_WORDS = {
    "tool": ("Tools", "tool", "tools"),
    "ecosystem": ("Ecosystem projects", "ecosystem project", "ecosystem projects"),
    "cloud": ("Cloud partners", "cloud partner", "cloud partners"),
    "course": ("Courses", "course", "courses"),
    "roadmap": ("Roadmap items", "roadmap item", "roadmap items"),
}
# Cell text for a backend support value, by how cells are drawn.
SUPPORT_TEXT = {
    "symbols": {"yes": "✓", "no": "✘", "depends": "?"},
    "ascii": {"yes": "+", "no": "-", "depends": "?"},
    "words": {"yes": "yes", "no": "no", "depends": "depends"},
}
# In a terminal, a change that spans more statements than this shows only the latest ones.
BRIEF_STATEMENTS = 3
BRIEF_KEPT = 2


def release_facts(release: Release, note: str = "") -> list[tuple[str, Cell]]:
    """The header lines of a release: its date, how it was resolved, its links and builds."""
    facts = [("Released", cell(release.date.isoformat() if release.date else "date not recorded"))]
    if note:
        facts.append(("Note", cell(note)))
    for name, url in release.links.items():
        label = name.replace("_", " ").capitalize()
        facts.append((label, links([(label, url)])))
    if release.builds:
        facts.append(("Builds", cell(builds_text(release))))
    return facts


def builds_text(release: Release) -> str:
    builds = release.builds
    if builds is None:
        return ""
    parts = [f"CUDA {', '.join(builds.cuda)}" if builds.cuda else "no CUDA build"]
    parts.append("CPU" if builds.cpu else "no CPU-only build")
    parts.append(f"torchvision {builds.torchvision}")
    return "; ".join(parts)


def builds_change(old: Release, new: Release) -> str:
    """What changed in the published builds from ``old`` to ``new``: CUDA versions, CPU, torchvision."""
    if old.builds is None or new.builds is None:
        return ""
    parts = []
    dropped = [v for v in old.builds.cuda if v not in new.builds.cuda]
    added = [v for v in new.builds.cuda if v not in old.builds.cuda]
    if dropped:
        parts.append(f"CUDA {', '.join(dropped)} dropped")
    if added:
        parts.append(f"CUDA {', '.join(added)} added")
    if old.builds.cpu != new.builds.cpu:
        parts.append("CPU-only build " + ("added" if new.builds.cpu else "dropped"))
    if old.builds.torchvision != new.builds.torchvision:
        parts.append(f"torchvision {old.builds.torchvision} → {new.builds.torchvision}")
    return "; ".join(parts) or "unchanged"


def _show_report(view: ReleaseView, model: Model, **_: Any) -> Report:
    release = view.release
    counts = {s: sum(1 for f in view.features if f.status == s) for s in (*CHANGE_TITLES, CARRIED_OVER)}
    said = ", ".join(f"{n} {status}" for status, n in counts.items() if n and status != CARRIED_OVER)
    if counts[CARRIED_OVER]:
        hint = "" if view.everything else " (--all lists them)"
        said = ", ".join(filter(None, [said, f"{counts[CARRIED_OVER]} {CARRIED_OVER}{hint}"]))
    facts = release_facts(release, view.note)
    if view.areas:
        facts.append(("Area", cell(", ".join(view.areas))))
    facts.append(("Features", cell(said or "none recorded")))
    if launched := tuple(p for p in view.projects if not p.named_only):
        facts.append(("Came with it", cell(_project_counts(launched))))
    if named := tuple(p for p in view.projects if p.named_only):
        facts.append(("Named with it", cell(_project_counts(named))))
    sections: dict[str, Section] = {}
    for item in view.features:
        if item.status == CARRIED_OVER and not view.everything:
            continue
        area = model.areas[item.feature.area]
        sections.setdefault(area.id, Section(area.title, area.id, [])).rows.append(_feature_row(item, model))
    features = Table(
        ("status", "id", "feature", "in this release", "apis", "sources"),
        list(sections.values()),
        narrow=("status", "feature", "in this release"),
        group="area",
    )
    tables = [features]
    if view.projects:
        tables.append(_came_with(view.projects, release, model))
    where = f" in area{'s' * (len(view.areas) > 1)} {', '.join(view.areas)}" if view.areas else ""
    folded = " that changed" if counts[CARRIED_OVER] and not view.everything else ""
    return Report(
        f"PyTorch {release.version}: {release.title}",
        facts,
        tables,
        notes=[LEGEND],
        intro=[release.summary] + ([release.notes] if release.notes else []),
        empty=f"No features{folded} recorded for this release{where}.",
    )


def _feature_row(item: FeatureInRelease, model: Model) -> Row:
    """One feature in a release: what the release did to it, else that it carried over."""
    status = Cell(item.status, item.status)
    statement = item.statement
    if statement is not None:
        did = statement.summary or item.feature.summary
        names = statement.apis
        sources = statement.sources
    else:
        did = item.feature.summary
        names = item.apis
        sources = item.feature.sources
        if item.deprecation is not None:
            status = Cell(f"{CARRIED_OVER}, {_deprecated_since(item.deprecation)}", "deprecated")
    if statement is not None and statement.breaking:
        status = Cell(f"{item.status}, breaking", "breaking")
    return (
        status,
        cell(item.feature.id),
        cell(item.feature.title),
        cell(did),
        cell(", ".join(map(str, names))),
        cite(sources, model),
    )


def _deprecated_since(deprecation: Statement) -> str:
    replacements = [name for api in deprecation.apis for name in api.replaced_by]
    use = f"; use {', '.join(dict.fromkeys(replacements))}" if replacements else ""
    return f"deprecated since {deprecation.release}{use}"


def _project_counts(projects: tuple[Project, ...]) -> str:
    kinds: dict[str, int] = {}
    for project in projects:
        kinds[project.kind] = kinds.get(project.kind, 0) + 1
    return ", ".join(f"{n} {PROJECT_WORDS[kind][1 + (n != 1)]}" for kind, n in kinds.items())


def _came_with(projects: tuple[Project, ...], release: Release, model: Model) -> Table:
    sections: dict[str, Section] = {}
    for project in projects:
        title = PROJECT_WORDS[project.kind][0]
        sections.setdefault(project.kind, Section(title, project.kind, [])).rows.append(project_row(project, model))
    return Table(
        ("kind", "name", "what it is", "link", "status", "sources"),
        list(sections.values()),
        heading=f"Came with PyTorch {release.version}",
        narrow=("name", "what it is", "link", "status"),
    )


def project_row(project: Project, model: Model) -> Row:
    """A project in one line: kind, name, what it is, link, roadmap status, sources."""
    status = ""
    if project.kind == "roadmap":
        status = project.status + (f" in {project.shipped_in}" if project.shipped_in else "")
    elif project.named_only:
        # "named with", not "in the announcement": for some, only news coverage names them
        status = f"named with {project.mentioned_with}"
    return (
        cell(project.kind),
        cell(project.name),
        cell(project.summary),
        links([(project.url, project.url)]),
        cell(status),
        cite(project.sources, model),
    )


def _compare_report(diff: ReleaseDiff, model: Model, *, cells: str, brief: bool, **_: Any) -> Report:
    arrow = "->" if cells == "ascii" else "→"
    sections = []
    for kind, title in CHANGE_TITLES.items():
        rows = [_change_row(change, model, brief) for change in diff.changes if change.kind == kind]
        if rows:
            sections.append(Section(title, kind, rows))
    facts = [("Summary", cell(diff_summary(diff)))]
    builds = builds_change(diff.old, diff.new)
    if builds:
        facts.append(("Builds", cell(builds)))
    if diff.areas:
        facts.append(("Area", cell(", ".join(diff.areas))))
    facts += [("Note", cell(note)) for note in diff.notes]
    if diff.swapped:
        note = f"{diff.new.version} is newer than {diff.old.version}: showing what changed from {diff.old.version}"
        facts.append(("Note", cell(f"{note} to {diff.new.version}")))
    notes = []
    if brief and any(len(change.statements) > BRIEF_STATEMENTS for change in diff.changes):
        notes.append(f"Long histories show their latest {BRIEF_KEPT} changes; --format markdown, csv or json has all.")
    where = f" in area{'s' * (len(diff.areas) > 1)} {', '.join(diff.areas)}" if diff.areas else ""
    table = Table(
        ("breaking", "area", "id", "feature", "what changed", "apis", "sources"),
        sections,
        narrow=("area", "feature", "what changed"),
        group="change",
    )
    return Report(
        f"PyTorch {diff.old.version} {arrow} {diff.new.version}",
        facts,
        [table],
        notes,
        empty=f"No changes recorded between {diff.old.version} and {diff.new.version}{where}.",
    )


def _change_row(change: FeatureChange, model: Model, brief: bool) -> Row:
    statements = change.statements
    lines = []
    if brief and len(statements) > BRIEF_STATEMENTS:
        lines.append(f"({len(statements) - BRIEF_KEPT} earlier changes)")  # the report's note says where
        statements = statements[-BRIEF_KEPT:]
    lines += [
        f"{s.release}{' (breaking)' if s.breaking else ''}: {s.summary or change.feature.summary}" for s in statements
    ]
    names = dict.fromkeys(str(api) for s in change.statements for api in s.apis)
    return (
        cell("yes" if change.breaking else ""),
        cell(change.feature.area),
        cell(change.feature.id),
        Cell(change.feature.title + ("\n(breaking)" if change.breaking else ""), "breaking" if change.breaking else ""),
        cell("\n".join(lines)),
        cell(", ".join(names)),
        cite(tuple(i for s in change.statements for i in s.sources), model),
    )


def diff_summary(diff: ReleaseDiff) -> str:
    """The one-line count summary of a comparison."""
    counts = ", ".join(f"{diff.count(kind)} {kind}" for kind in CHANGE_TITLES)
    return f"{counts} ({diff.breaking} breaking)"


def _matrix_report(view: MatrixView, model: Model, *, cells: str, **_: Any) -> Report:
    text = SUPPORT_TEXT[cells]
    arrow = "->" if cells == "ascii" else "→"
    columns = ("operation",) + tuple(f"{b} {d.upper()}" for b in BACKENDS for d in DEVICES)
    rows: list[Row] = []
    for line in view.rows:
        values = tuple(
            Cell(f"{text[c.old]}{arrow}{text[c.value]}", "changed-cell")
            if c.changed and c.old
            else Cell(text[c.value], c.value)
            for c in line.cells
        )
        rows.append((cell(line.operation),) + values)
    release = view.new.version
    title = f"Distributed backends in PyTorch {release}"
    facts = []
    if view.old:
        title = f"Distributed backends: PyTorch {view.old.version} {arrow} {release}"
        facts.append(("Changed cells", cell(str(view.changed_cells))))
        if view.swapped:
            facts.append(("Note", cell(f"{release} is newer than {view.old.version}: showing the change to {release}")))
    legend = f"{text['yes']} supported, {text['no']} not supported, {text['depends']} depends on the MPI build"
    if view.old:
        legend += f"; old{arrow}new where a cell changed"
    table = Table(columns, [Section("", "", rows)])
    return Report(title, facts, [table], [legend, *view.notes], empty="No operations recorded.")


def _versions_report(listing: ReleaseList, model: Model, **_: Any) -> Report:
    rows: list[Row] = [
        (
            cell(str(r.version)),
            cell(r.date.isoformat() if r.date else ""),
            cell(r.title),
            cell(builds_text(r)),
            links([(url, url)]) if (url := r.links.get("announcement")) else cell(""),
        )
        for r in listing.releases
    ]
    table = Table(
        ("version", "date", "title", "builds", "announcement"),
        [Section("", "", rows)],
        narrow=("version", "date", "title", "announcement"),
    )
    return Report("PyTorch releases", [], [table], empty="No releases recorded.")


BUILDERS: dict[type, Any] = {
    ReleaseView: _show_report,
    ReleaseDiff: _compare_report,
    MatrixView: _matrix_report,
    ReleaseList: _versions_report,
}
