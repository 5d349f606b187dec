"""Questions asked of the model: pure functions that return plain result records.

Nothing here prints or reads files.  ``releases`` answers what a release contains and
what changed between two, ``projects`` what came with them, ``search`` where words
occur; ``results`` holds the records they return (import them from there).
"""

from .projects import check_kinds, find_project, list_projects
from .releases import (
    LATEST,
    backend_matrix,
    check_areas,
    compare_releases,
    deprecation_of,
    features_of,
    find_release,
    list_releases,
    resolve_release,
    show_release,
)
from .search import search

__all__ = [
    "LATEST",
    "backend_matrix",
    "check_areas",
    "check_kinds",
    "compare_releases",
    "deprecation_of",
    "features_of",
    "find_project",
    "find_release",
    "list_projects",
    "list_releases",
    "resolve_release",
    "search",
    "show_release",
]
