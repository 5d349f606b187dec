"""Questions about the projects that came with releases: tools, ecosystem, cloud, courses, roadmap."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import UnknownNameError
from ..model import PROJECT_KINDS, Model, Project
from .releases import find_release, unknown
from .results import ProjectList


def check_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """The project kinds ``kinds`` name, case-insensitively; UnknownNameError for any other."""
    found: dict[str, None] = {}
    for kind in kinds:
        wanted = kind.strip().lower()
        if wanted not in PROJECT_KINDS:
            raise unknown("project kind", kind, list(PROJECT_KINDS))
        found[wanted] = None
    return tuple(found)


def list_projects(model: Model, kinds: Sequence[str] = (), release: str | None = None) -> ProjectList:
    """The projects of ``kinds`` (or all), of one release or all, in data order."""
    kinds = check_kinds(kinds)
    version = find_release(model, release).version if release else None
    chosen = tuple(
        p
        for p in model.projects
        if (not kinds or p.kind in kinds) and (version is None or version in (p.announced.release, p.mentioned_with))
    )
    return ProjectList(kinds, version, chosen)


def find_project(model: Model, name: str, kinds: Sequence[str] = ()) -> Project:
    """The project whose id or name is ``name``, case-insensitively, among ``kinds`` (or all).

    A name's first word also finds it ("idb" for "idb (iOS Development Bridge)").
    """
    kinds = check_kinds(kinds)
    wanted = name.strip().casefold()
    matches = [
        p
        for p in model.projects
        if wanted in (p.id.casefold(), p.name.casefold()) or p.name.casefold().startswith(wanted + " ")
    ]
    for project in matches:
        if not kinds or project.kind in kinds:
            return project
    candidates = [p.id for p in model.projects if not kinds or p.kind in kinds]
    what = " or ".join(kinds) if kinds else "project"
    if matches:  # it is there, as another kind: say where
        found = matches[0]
        raise UnknownNameError(
            f"{name!r:.60} is not a {what}: it is a {found.kind} project; run 'ptdiff projects {found.id}'"
        )
    raise unknown(what, name, candidates)
