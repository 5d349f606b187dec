"""Questions asked of the model: pure functions that return plain result values.

Nothing here prints or reads files.  Each result is a typed record that the renderers
turn into a table, JSON, Markdown or CSV.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Union

from .errors import Problem, UnknownNameError, did_you_mean
from .model import BACKENDS, DEVICES, Feature, Model, Project, Release, Statement, Version

# What a release did to a feature, as `show` marks it.
STATUS_OF_CHANGE = {"added": "new", "changed": "changed", "deprecated": "deprecated", "removed": "removed"}
FAIL_ON = ("breaking", "removed", "any")


class FeatureInRelease(NamedTuple):
    feature: Feature
    status: str  # new | changed | deprecated | removed | carried over
    statement: Statement | None  # what this release did, if anything
    apis: tuple[str, ...]  # the names the feature has in this release


class ReleaseView(NamedTuple):
    """``ptdiff show``: one release and the features it contains."""

    release: Release
    areas: tuple[str, ...]  # the areas asked for; () for all
    features: tuple[FeatureInRelease, ...]


class FeatureChange(NamedTuple):
    """How one feature changed across a range of releases."""

    feature: Feature
    kind: str  # added | changed | deprecated | removed
    breaking: bool
    statements: tuple[Statement, ...]  # every statement in the range, oldest first


class ReleaseDiff(NamedTuple):
    """``ptdiff compare``: what changed from ``old`` to ``new`` (``old`` <= ``new``)."""

    old: Release
    new: Release
    swapped: bool  # the user named the newer release first
    changes: tuple[FeatureChange, ...]
    areas: tuple[str, ...] = ()  # the areas asked for; () for all

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def fails(self, fail_on: str) -> bool:
        """Whether a ``--fail-on`` gate should reject this diff."""
        if fail_on == "breaking":
            return any(change.breaking for change in self.changes)
        if fail_on == "removed":
            return any(change.kind == "removed" for change in self.changes)
        return bool(self.changes)


class SearchHit(NamedTuple):
    release: str  # the release the record belongs to ("" for projects not tied to one)
    area: str  # a feature's area, or a project's kind
    kind: str  # "feature" or "project"
    id: str
    title: str
    field: str  # where the text matched: title, summary, apis, ...
    excerpt: str


class SearchResult(NamedTuple):
    """``ptdiff search``: every record that mentions ``text``."""

    text: str
    hits: tuple[SearchHit, ...]


class ProjectList(NamedTuple):
    kind: str
    projects: tuple[Project, ...]


class ReleaseList(NamedTuple):
    releases: tuple[Release, ...]


class Validation(NamedTuple):
    """``ptdiff validate``: the findings about one data file."""

    file: str
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.level == "error")

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


class MatrixCell(NamedTuple):
    backend: str
    device: str
    old: str | None  # the old release's value when comparing, else None
    value: str  # yes | no | depends

    @property
    def changed(self) -> bool:
        return self.old is not None and self.old != self.value


class MatrixLine(NamedTuple):
    operation: str
    cells: tuple[MatrixCell, ...]  # backends × devices, in BACKENDS and DEVICES order


class MatrixView(NamedTuple):
    """``ptdiff matrix``: the backend support matrix of a release, or how it changed."""

    release: Release
    old_release: Release | None
    rows: tuple[MatrixLine, ...]
    sources: tuple[str, ...]

    @property
    def changed_cells(self) -> int:
        return sum(cell.changed for row in self.rows for cell in row.cells)


# -- ptdiff doctor: its checks touch the installed torch and live in doctor.py --------

PRESENT, MISSING, NOT_CHECKABLE = "present", "missing", "not checkable"
STATUSES = (MISSING, NOT_CHECKABLE, PRESENT)  # the order a report lists them in


class ModelNote(NamedTuple):
    """What the model says about a name's deprecation or removal."""

    feature: str
    release: Version
    change: str  # deprecated | removed
    summary: str
    sources: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.change} in {self.release}: {self.summary}"


class ApiCheck(NamedTuple):
    """One API name of the model, looked up in the installed torch."""

    name: str
    area: str  # the area of the first feature that lists the name
    features: tuple[str, ...]  # every feature (in the chosen area) that lists it
    status: str  # present | missing | not checkable
    reason: str  # why it is missing or not checkable; "" when present
    model_says: tuple[ModelNote, ...]  # the model's deprecation and removal statements about it


class DoctorResult(NamedTuple):
    """``ptdiff doctor``: the installed torch and every API name of the model checked in it."""

    torch_version: str  # from the package metadata, e.g. "2.13.0+cpu"
    model_release: Version | None  # the newest release in the model not newer than torch_version
    imported_version: str  # torch.__version__ of the torch that was imported
    torch_path: str  # the directory it was imported from
    areas: tuple[str, ...]
    checks: tuple[ApiCheck, ...]  # missing first, then not checkable, then present; model order within

    def count(self, status: str) -> int:
        return sum(1 for check in self.checks if check.status == status)

    def counts(self) -> dict[str, int]:
        """How many names have each status, in the order summaries give them."""
        return {status: self.count(status) for status in (PRESENT, MISSING, NOT_CHECKABLE)}


def find_release(model: Model, name: str) -> Release:
    """The release ``name`` names ("1.0", "1.0.0" and "v1.0" are the same)."""
    version = Version.parse(name)
    for release in model.releases:
        if release.version == version:
            return release
    raise _unknown("release", name, [str(r.version) for r in model.releases])


def find_project(model: Model, name: str, kind: str = "tool") -> Project:
    """The project of ``kind`` whose id or name is ``name``, case-insensitively."""
    candidates = [p for p in model.projects if p.kind == kind]
    wanted = name.strip().lower()
    for project in candidates:
        if wanted in (project.id.lower(), project.name.lower()) or project.name.lower().startswith(wanted + " "):
            return project
    raise _unknown(kind, name, [p.id for p in candidates])


def check_areas(model: Model, areas: Sequence[str]) -> tuple[str, ...]:
    """The area ids ``areas`` name, case-insensitively, each once; UnknownNameError for any other."""
    by_lower = {area_id.lower(): area_id for area_id in model.areas}
    found: dict[str, None] = {}
    for area in areas:
        if area.strip().lower() not in by_lower:
            raise _unknown("area", area, list(model.areas))
        found[by_lower[area.strip().lower()]] = None
    return tuple(found)


def show_release(model: Model, name: str, areas: Sequence[str] = ()) -> ReleaseView:
    """Every feature present in release ``name`` (or removed by it), marked by status."""
    release = find_release(model, name)
    areas = check_areas(model, areas)
    version = release.version
    found = []
    for feature in features_of(model, areas):
        statement = feature.statement_in(version)
        if statement is None and not feature.present_in(version):
            continue
        status = STATUS_OF_CHANGE[statement.change] if statement else "carried over"
        found.append(FeatureInRelease(feature, status, statement, feature.apis_in(version)))
    return ReleaseView(release, areas, tuple(found))


def compare_releases(model: Model, old_name: str, new_name: str, areas: Sequence[str] = ()) -> ReleaseDiff:
    """What changed from one release to another, accumulating every release in between.

    Naming the newer release first compares the same range and sets ``swapped``.
    """
    old, new = find_release(model, old_name), find_release(model, new_name)
    areas = check_areas(model, areas)
    swapped = old.version > new.version
    if swapped:
        old, new = new, old
    changes = []
    for feature in features_of(model, areas):
        statements = tuple(s for s in feature.history if old.version < s.release <= new.version)
        if not statements:
            continue
        was, now = feature.present_in(old.version), feature.present_in(new.version)
        if not now:
            kind = "removed"
        elif not was:
            kind = "added"
        elif any(s.change == "deprecated" for s in statements):
            kind = "deprecated"
        else:
            kind = "changed"
        breaking = any(s.breaking for s in statements)
        changes.append(FeatureChange(feature, kind, breaking, statements))
    return ReleaseDiff(old, new, swapped, tuple(changes), areas)


def list_projects(model: Model, kind: str = "tool") -> ProjectList:
    """The projects of one kind, in data order."""
    return ProjectList(kind, tuple(p for p in model.projects if p.kind == kind))


def list_releases(model: Model) -> ReleaseList:
    return ReleaseList(model.releases)


def search(model: Model, text: str) -> SearchResult:
    """Case-insensitive search over features (titles, summaries, notes, API names) and projects."""
    needle = text.strip().lower()
    if not needle:
        return SearchResult(text, ())
    hits = []
    for feature in model.features:
        fields = [
            ("title", feature.title),
            ("summary", feature.summary),
            ("apis", " ".join(map(str, feature.all_apis))),
            ("id", feature.id),
        ]
        fields += [(f"{s.release} {s.change}", s.summary) for s in feature.history]
        fields.append(("notes", feature.notes))
        match = _first_match(fields, needle)
        if match:
            release = str(feature.history[0].release)
            hits.append(SearchHit(release, feature.area, "feature", feature.id, feature.title, *match))
    for project in model.projects:
        fields = [
            ("name", project.name),
            ("summary", project.summary),
            ("relation", project.relation),
            ("id", project.id),
            ("url", project.url),
            ("notes", project.notes),
        ]
        match = _first_match(fields, needle)
        if match:
            release = str(project.announced.release) if project.announced.release else ""
            hits.append(SearchHit(release, project.kind, "project", project.id, project.name, *match))
    return SearchResult(text, tuple(hits))


def backend_matrix(model: Model, name: str, new_name: str | None = None) -> MatrixView:
    """The distributed backend support matrix of release ``name``; with ``new_name``, the
    newer one's matrix with each cell also carrying the older release's value."""
    release = _release_with_matrix(model, new_name or name)
    old_release = _release_with_matrix(model, name) if new_name else None
    matrix = model.matrices[release.version]
    old = model.matrices[old_release.version] if old_release else None
    old_rows = {row.operation: row for row in old.rows} if old else {}
    operations = [row.operation for row in matrix.rows]
    operations += [op for op in old_rows if op not in operations]
    rows = []
    for operation in operations:
        row = next((r for r in matrix.rows if r.operation == operation), None)
        before = old_rows.get(operation)
        cells = tuple(
            MatrixCell(
                backend,
                device,
                (before.support[backend][device] if before else "no") if old else None,
                row.support[backend][device] if row else "no",
            )
            for backend in BACKENDS
            for device in DEVICES
        )
        rows.append(MatrixLine(operation, cells))
    return MatrixView(release, old_release, tuple(rows), matrix.sources)


def _release_with_matrix(model: Model, name: str) -> Release:
    release = find_release(model, name)
    if release.version not in model.matrices:
        with_matrix = [str(v) for v in sorted(model.matrices)]
        raise UnknownNameError(
            f"release {release.version} has no backend matrix in the data; "
            f"releases with one: {', '.join(with_matrix) or 'none'}"
        )
    return release


def features_of(model: Model, areas: Sequence[str] = ()) -> list[Feature]:
    """Features of ``areas`` (or all), in the order of the areas registry."""
    order = {area_id: index for index, area_id in enumerate(model.areas)}
    chosen = [f for f in model.features if not areas or f.area in areas]
    return sorted(chosen, key=lambda f: order.get(f.area, len(order)))


def _first_match(fields: list[tuple[str, str]], needle: str) -> tuple[str, str] | None:
    for name, value in fields:
        at = value.lower().find(needle)
        if at >= 0:
            start = max(0, at - 30)
            excerpt = ("…" if start else "") + value[start : at + len(needle) + 50].strip()
            if at + len(needle) + 50 < len(value):
                excerpt += "…"
            return name, excerpt
    return None


def _unknown(what: str, name: str, known: list[str]) -> UnknownNameError:
    return UnknownNameError(f"unknown {what} {name!r}; known: {', '.join(known)}{did_you_mean(name, known)}")


# Every result a command can return, for the renderers.
Result = Union[
    ReleaseView, ReleaseDiff, Project, ProjectList, ReleaseList, SearchResult, MatrixView, Validation, DoctorResult
]
