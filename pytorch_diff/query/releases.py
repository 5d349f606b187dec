"""Questions about releases: what one contains, what changed between two, their backend matrices."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import UnknownNameError, did_you_mean
from ..model import BACKENDS, CHANGE_KINDS, DEVICES, Feature, Model, Release, Statement, Version
from .results import (
    CARRIED_OVER,
    FeatureChange,
    FeatureInRelease,
    MatrixCell,
    MatrixLine,
    MatrixView,
    ReleaseDiff,
    ReleaseList,
    ReleaseView,
)

LATEST = "latest"


def resolve_release(model: Model, name: str) -> tuple[Release, str]:
    """The release ``name`` names, and a note when it is not that release itself.

    "1.0", "1.0.0" and "v1.0" are the same; "latest" is the newest release.  A patch
    release the model does not have resolves to the newest release of its series not
    newer than it ("1.0.2" to "1.0.1", else "1.0"), and the note says so.
    """
    if name.strip().lower() == LATEST and model.releases:
        return model.releases[-1], ""
    version = Version.parse(name)
    if version is not None:
        for release in model.releases:
            if release.version == version:
                return release, ""
        series = [r for r in model.releases if r.version[:2] == version[:2] and r.version <= version]
        if series and version.patch:
            release = series[-1]
            return release, f"{version} is not in the model; showing {release.version}, the newest of its series"
    raise unknown("release", name, [str(r.version) for r in model.releases] + [LATEST])


def find_release(model: Model, name: str) -> Release:
    """The release ``name`` names, as ``resolve_release`` finds it."""
    return resolve_release(model, name)[0]


def check_areas(model: Model, areas: Sequence[str]) -> tuple[str, ...]:
    """The area ids ``areas`` name, case-insensitively, each once; UnknownNameError for any other."""
    by_lower = {area_id.lower(): area_id for area_id in model.areas}
    found: dict[str, None] = {}
    for area in areas:
        if area.strip().lower() not in by_lower:
            raise unknown("area", area, list(model.areas))
        found[by_lower[area.strip().lower()]] = None
    return tuple(found)


def features_of(model: Model, areas: Sequence[str] = ()) -> list[Feature]:
    """Features of ``areas`` (or all), in the order of the areas registry."""
    order = {area_id: index for index, area_id in enumerate(model.areas)}
    chosen = [f for f in model.features if not areas or f.area in areas]
    return sorted(chosen, key=lambda f: order.get(f.area, len(order)))


def show_release(model: Model, name: str, areas: Sequence[str] = (), everything: bool = False) -> ReleaseView:
    """Every feature present in release ``name`` (or removed by it), and what came with it."""
    release, note = resolve_release(model, name)
    areas = check_areas(model, areas)
    version = release.version
    found = []
    for feature in features_of(model, areas):
        statement = feature.statement_in(version)
        if statement is None and not feature.present_in(version):
            continue
        status = statement.change if statement else CARRIED_OVER
        found.append(
            FeatureInRelease(feature, status, statement, feature.apis_in(version), deprecation_of(feature, version))
        )
    # What came with the release belongs to it as a whole, not to the areas asked for.
    projects = () if areas else tuple(p for p in model.projects if version in (p.announced.release, p.mentioned_with))
    return ReleaseView(release, areas, tuple(found), projects, note, everything)


def deprecation_of(feature: Feature, version: Version) -> Statement | None:
    """The deprecation in force in ``version``: the latest one, unless a removal followed."""
    latest = None
    for statement in feature.history:
        if statement.release > version:
            break
        if statement.change == "deprecated":
            latest = statement
        elif statement.change == "removed":
            latest = None
    return latest


def compare_releases(model: Model, old_name: str, new_name: str, areas: Sequence[str] = ()) -> ReleaseDiff:
    """What changed from one release to another, accumulating every release in between.

    Naming the newer release first compares the same range and sets ``swapped``.  A
    feature that came and went between the two is left out: code on ``old`` cannot use it.
    """
    (old, old_note), (new, new_note) = resolve_release(model, old_name), resolve_release(model, new_name)
    areas = check_areas(model, areas)
    swapped = old.version > new.version
    if swapped:
        old, new = new, old
    changes = []
    for feature in features_of(model, areas):
        statements = tuple(s for s in feature.history if old.version < s.release <= new.version)
        was, now = feature.present_in(old.version), feature.present_in(new.version)
        if not statements or not (was or now):
            continue
        if not now:
            kind = "removed"
        elif not was:
            kind = "added"
        elif any(s.change == "deprecated" for s in statements):
            kind = "deprecated"
        else:
            kind = "changed"
        changes.append(FeatureChange(feature, kind, any(s.breaking for s in statements), statements))
    notes = tuple(note for note in (old_note, new_note) if note)
    changes.sort(key=lambda change: CHANGE_KINDS.index(change.kind))  # stable: areas order within a kind
    return ReleaseDiff(old, new, swapped, tuple(changes), areas, notes)


def list_releases(model: Model) -> ReleaseList:
    """Every release in the model, oldest first."""
    return ReleaseList(model.releases)


def backend_matrix(model: Model, name: str, new_name: str | None = None) -> MatrixView:
    """The distributed backend support matrix of release ``name``; with ``new_name``, the
    newer one's matrix with each cell also carrying the older release's value."""
    first = _release_with_matrix(model, name)
    second = _release_with_matrix(model, new_name) if new_name else None
    swapped = second is not None and first.version > second.version
    old, new = (None, first) if second is None else (second, first) if swapped else (first, second)
    matrix = model.matrices[new.version]
    before = model.matrices[old.version] if old else None
    old_rows = {row.operation: row for row in before.rows} if before else {}
    operations = [row.operation for row in matrix.rows]
    operations += [op for op in old_rows if op not in operations]
    rows = []
    for operation in operations:
        row = next((r for r in matrix.rows if r.operation == operation), None)
        previous = old_rows.get(operation)
        cells = tuple(
            MatrixCell(
                backend,
                device,
                (previous.support[backend][device] if previous else "no") if before else None,
                row.support[backend][device] if row else "no",
            )
            for backend in BACKENDS
            for device in DEVICES
        )
        rows.append(MatrixLine(operation, cells))
    shown = [m for m in (before, matrix) if m is not None]
    notes = tuple(m.notes for m in shown if m.notes)
    sources = tuple(dict.fromkeys(i for m in shown for i in m.sources))
    return MatrixView(old, new, swapped, tuple(rows), notes, sources)


def _release_with_matrix(model: Model, name: str) -> Release:
    release = find_release(model, name)
    if release.version not in model.matrices:
        with_matrix = [str(v) for v in sorted(model.matrices)]
        raise UnknownNameError(
            f"release {release.version} has no backend matrix in the data; "
            f"releases with one: {', '.join(with_matrix) or 'none'}"
        )
    return release


def unknown(what: str, name: str, known: list[str]) -> UnknownNameError:
    """The error for a name the data does not know, listing the known ones and the closest."""
    shown = f"{name!r:.60}"
    return UnknownNameError(f"unknown {what} {shown}; known: {', '.join(known)}{did_you_mean(name[:100], known)}")
