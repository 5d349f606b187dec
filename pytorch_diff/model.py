"""The release model: plain, immutable, typed records with no I/O.

``load.py`` builds a ``Model`` from ``releases.yaml``; ``query.py`` answers questions
about it.  Values that can be derived (release order, what a release contains, what
changed between two releases) are never stored here: they are computed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

CHANGE_KINDS = ("added", "changed", "deprecated", "removed")
PROJECT_KINDS = ("tool", "ecosystem", "cloud", "course", "roadmap")
BACKENDS = ("gloo", "mpi", "nccl")
DEVICES = ("cpu", "gpu")
SUPPORT_VALUES = ("yes", "no", "depends")

_VERSION = re.compile(r"[vV]?(\d+)\.(\d+)(?:\.(\d+))?")


class Version(NamedTuple):
    """A release number; "1.0", "1.0.0" and "v1.0" are the same ``Version``."""

    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> Version | None:
        """Return the version ``text`` names, or None if it is not a version number."""
        match = _VERSION.fullmatch(text.strip())
        if not match:
            return None
        major, minor, patch = match.groups()
        return cls(int(major), int(minor), int(patch or 0))

    def __str__(self) -> str:
        # PyTorch speaks of "1.0" and "1.1"; a patch release keeps its third number.
        return f"{self.major}.{self.minor}" + (f".{self.patch}" if self.patch else "")


class Source(NamedTuple):
    id: str
    title: str
    url: str


class Area(NamedTuple):
    id: str
    title: str


class Release(NamedTuple):
    version: Version
    date: dt.date
    title: str
    summary: str
    links: dict[str, str]
    sources: tuple[str, ...]


class Statement(NamedTuple):
    """What one release did to a feature."""

    release: Version
    change: str  # one of CHANGE_KINDS
    summary: str
    apis: tuple[str, ...] = ()
    breaking: bool = False
    sources: tuple[str, ...] = ()


class Feature(NamedTuple):
    id: str
    area: str
    title: str
    summary: str
    history: tuple[Statement, ...]  # ascending by release, one per release
    sources: tuple[str, ...]
    notes: str = ""

    @property
    def existed_before(self) -> bool:
        """True when the feature predates the first release that mentions it."""
        return self.history[0].change != "added"

    def statement_in(self, version: Version) -> Statement | None:
        """The statement of release ``version``, if that release did something to it."""
        return next((s for s in self.history if s.release == version), None)

    def present_in(self, version: Version) -> bool:
        """Whether the feature exists in release ``version``."""
        before = [s for s in self.history if s.release <= version]
        if not before:
            return self.existed_before
        return before[-1].change != "removed"

    def apis_in(self, version: Version) -> tuple[str, ...]:
        """The API names the feature has in ``version``, oldest first."""
        names: dict[str, None] = {}
        for statement in self.history:
            if statement.release > version:
                break
            if statement.change == "removed":
                for name in statement.apis or tuple(names):
                    names.pop(name, None)
            else:
                names.update(dict.fromkeys(statement.apis))
        return tuple(names)

    @property
    def all_apis(self) -> tuple[str, ...]:
        """Every API name any statement mentions."""
        return tuple(dict.fromkeys(name for s in self.history for name in s.apis))


class Announcement(NamedTuple):
    event: str = ""
    date: dt.date | None = None
    release: Version | None = None


class Project(NamedTuple):
    """A tool, ecosystem project, cloud partner, course or roadmap item."""

    id: str
    kind: str  # one of PROJECT_KINDS
    name: str
    summary: str
    relation: str
    url: str
    sources: tuple[str, ...]
    repository: str = ""
    announced: Announcement = Announcement()
    status: str = ""  # roadmap items only: "announced" or "shipped"
    shipped_in: Version | None = None
    notes: str = ""


class MatrixRow(NamedTuple):
    """One operation of a distributed backend support matrix."""

    operation: str
    # support[backend][device] is one of SUPPORT_VALUES
    support: dict[str, dict[str, str]]


class BackendMatrix(NamedTuple):
    release: Version
    rows: tuple[MatrixRow, ...]
    sources: tuple[str, ...]


class Model(NamedTuple):
    """Everything ``releases.yaml`` says, validated."""

    releases: tuple[Release, ...]  # ascending by version
    areas: dict[str, Area]
    features: tuple[Feature, ...]
    projects: tuple[Project, ...]
    matrices: dict[Version, BackendMatrix]
    sources: dict[str, Source]
