"""The results of the questions asked of the model: plain typed records, no I/O.

The renderers turn each into a table, JSON, Markdown or CSV.  Words that say what a
release did to a feature are ``STATUSES``: ``show``, ``compare`` and ``search`` use the
same ones, and ``LEGEND`` defines them once for the help and the output.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, Union, get_args

from ..errors import Problem
from ..model import CHANGE_KINDS, Api, Feature, Project, Release, Statement, Version

CARRIED_OVER = "carried over"
STATUSES = (*CHANGE_KINDS, CARRIED_OVER)
LEGEND = (
    "added, changed, deprecated, removed: what the release did; "
    "carried over: in the release unchanged from an earlier one"
)
FailOn = Literal["breaking", "removed", "deprecated", "any"]  # what a --fail-on gate rejects
FAIL_ON: tuple[str, ...] = get_args(FailOn)


class FeatureInRelease(NamedTuple):
    feature: Feature
    status: str  # one of STATUSES
    statement: Statement | None  # what this release did, if anything
    apis: tuple[Api, ...]  # the names the feature has in this release
    deprecation: Statement | None = None  # a deprecation still in force, for carried-over features


class ReleaseView(NamedTuple):
    """``ptdiff show``: one release, the features it contains and the projects that came with it."""

    release: Release
    areas: tuple[str, ...]  # the areas asked for; () for all
    features: tuple[FeatureInRelease, ...]
    projects: tuple[Project, ...]  # announced with this release, or named in its announcement
    note: str = ""  # how the name given was resolved, when it is not the release itself
    everything: bool = False  # show carried-over features too (JSON always has them)


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
    notes: tuple[str, ...] = ()  # how names were resolved, when not as given

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def breaking(self) -> int:
        return sum(1 for change in self.changes if change.breaking)

    def failing(self, fail_on: str) -> tuple[FeatureChange, ...]:
        """The changes that make a ``--fail-on`` gate reject this diff."""
        if fail_on == "breaking":
            return tuple(c for c in self.changes if c.breaking)
        if fail_on in ("removed", "deprecated"):
            return tuple(c for c in self.changes if c.kind == fail_on)
        return self.changes


class SearchHit(NamedTuple):
    release: str  # the release of the statement that matched, else the record's first
    area: str  # a feature's area, or a project's kind
    kind: str  # "feature" or "project"
    id: str
    title: str
    field: str  # where the words matched: title, summary, apis, "1.1 changed", ...
    excerpt: str
    marks: tuple[tuple[int, int], ...] = ()  # where in the excerpt the words are


class SearchResult(NamedTuple):
    """``ptdiff search``: every record that contains all the words of ``text``."""

    text: str
    hits: tuple[SearchHit, ...]


class ProjectList(NamedTuple):
    """``ptdiff projects`` and ``ptdiff tools``: projects of some kinds, or of one release."""

    kinds: tuple[str, ...]  # the kinds asked for; () for all
    release: Version | None  # the release asked for, if any
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
    """``ptdiff matrix``: the backend support matrix of ``new``, or how it changed since ``old``."""

    old: Release | None
    new: Release
    swapped: bool  # the user named the newer release first
    rows: tuple[MatrixLine, ...]
    notes: tuple[str, ...]  # the data's notes on the matrices shown
    sources: tuple[str, ...]

    @property
    def changed_cells(self) -> int:
        return sum(cell.changed for row in self.rows for cell in row.cells)


# -- ptdiff doctor: its checks touch the installed torch and live in doctor.py --------

# What a name's lookup in the installed torch means, given what the model says of it.
MISSING = "missing"  # the model says it exists in that release, and it does not: a finding
UNEXPECTED = "present, but removed"  # the model says it was removed by then, and it is there: a finding
NOT_CHECKABLE = "not checkable"
DEPRECATED = "deprecated"  # present, and deprecated in that release
PRESENT = "present"
NOT_YET = "not yet added"  # absent, and the model says it came later
REMOVED = "removed"  # absent, as the model says
FINDINGS = (MISSING, UNEXPECTED)
DOCTOR_STATUSES = (MISSING, UNEXPECTED, NOT_CHECKABLE, DEPRECATED, PRESENT, NOT_YET, REMOVED)  # report order


class ModelNote(NamedTuple):
    """What the model says about a name: a deprecation or a removal, or when it came."""

    feature: str
    release: Version
    change: str  # added | deprecated | removed
    summary: str
    replaced_by: tuple[str, ...]
    sources: tuple[str, ...]

    def __str__(self) -> str:
        use = f"; use {', '.join(self.replaced_by)}" if self.replaced_by else ""
        return f"{self.change} in {self.release}{use}"


class ApiCheck(NamedTuple):
    """One API name of the model, looked up in the installed torch."""

    name: str
    area: str  # the area of the first feature that lists the name
    features: tuple[str, ...]  # every feature (in the chosen areas) that lists it
    status: str  # one of DOCTOR_STATUSES
    reason: str  # why it is missing or not checkable; "" otherwise
    model_says: tuple[ModelNote, ...]  # the model's statements about it, as of the model release


class DoctorResult(NamedTuple):
    """``ptdiff doctor``: the installed torch and every API name of the model checked in it."""

    torch_version: str  # from the package metadata, e.g. "2.13.0+cpu"
    model_release: Version | None  # the newest release in the model not newer than torch_version
    imported_version: str  # torch.__version__ of the torch that was imported
    torch_path: str  # the directory it was imported from
    areas: tuple[str, ...]
    checks: tuple[ApiCheck, ...]  # in DOCTOR_STATUSES order; model order within

    def count(self, status: str) -> int:
        return sum(1 for check in self.checks if check.status == status)

    def counts(self) -> dict[str, int]:
        """How many names have each status, in the order summaries give them."""
        return {status: self.count(status) for status in DOCTOR_STATUSES if self.count(status)}


# Every result a command can return, for the renderers.
Result = Union[
    ReleaseView, ReleaseDiff, Project, ProjectList, ReleaseList, SearchResult, MatrixView, Validation, DoctorResult
]
