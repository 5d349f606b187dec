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
# What an API entry names.  Methods count as functions.  A keyword argument or a string
# value belongs to a callable (``of``): ``init_process_group(backend="tcp")``.
API_KINDS = ("module", "function", "class", "attribute", "keyword", "value")
# How a source was read: the publisher's own page, a copy of it, or only the news article
# the project started from.
SOURCE_CHECKS = ("official", "mirror", "press", "seed-only")
BACKENDS = ("gloo", "mpi", "nccl")
DEVICES = ("cpu", "gpu")

# ASCII digits only (``\d`` would take "١.٠"), and few of them: int() of thousands of digits
# is slow and, past Python's limit, an error.
MAX_VERSION_DIGITS = 6
_DIGITS = f"([0-9]{{1,{MAX_VERSION_DIGITS}}})"
_VERSION = re.compile(rf"[vV]?{_DIGITS}\.{_DIGITS}(?:\.{_DIGITS})?")


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
    checked: str = "official"  # one of SOURCE_CHECKS


class Area(NamedTuple):
    id: str
    title: str


class Builds(NamedTuple):
    """The binaries published for a release, as the official install page lists them."""

    cuda: tuple[str, ...]  # CUDA versions with a build, e.g. ("9.0", "10.0")
    cpu: bool  # a CPU-only build
    torchvision: str  # the torchvision version installed with it


class Release(NamedTuple):
    version: Version
    date: dt.date | None  # None where no source that was read gives it
    title: str
    summary: str
    links: dict[str, str]
    sources: tuple[str, ...]
    builds: Builds | None = None
    notes: str = ""


class Api(NamedTuple):
    """One API name a statement is about."""

    kind: str  # one of API_KINDS
    name: str  # dotted for module/function/class/attribute; the bare keyword or value otherwise
    of: str = ""  # keyword and value: the callable they are passed to
    argument: str = ""  # value: the parameter that takes it
    position: int | None = None  # value: that parameter's position, when it can be positional
    replaced_by: tuple[str, ...] = ()  # deprecated or removed names: what to use instead
    rename: bool = False  # the one replacement takes the same arguments: a safe automatic fix

    def __str__(self) -> str:
        if self.kind == "keyword":
            return f"{self.of}({self.name}=)"
        if self.kind == "value":
            return f"{self.of}({self.argument}={self.name!r})"
        return self.name

    @property
    def importable(self) -> bool:
        """Whether the name can be looked up as an attribute path (not a keyword or value)."""
        return self.kind not in ("keyword", "value")


class Statement(NamedTuple):
    """What one release did to a feature."""

    release: Version
    change: str  # one of CHANGE_KINDS
    summary: str
    apis: tuple[Api, ...] = ()
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

    def apis_in(self, version: Version) -> tuple[Api, ...]:
        """The API names the feature has in ``version``, oldest first.

        A removal without names removes every name; a deprecation keeps them.
        """
        names: dict[str, Api] = {}
        for statement in self.history:
            if statement.release > version:
                break
            if statement.change == "removed":
                for api in statement.apis or tuple(names.values()):
                    names.pop(str(api), None)
            else:
                names.update((str(api), api) for api in statement.apis)
        return tuple(names.values())

    @property
    def all_apis(self) -> tuple[Api, ...]:
        """Every API name any statement mentions, once, in the first form it appears."""
        names: dict[str, Api] = {}
        for statement in self.history:
            for api in statement.apis:
                names.setdefault(str(api), api)
        return tuple(names.values())


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
    mentioned_with: Version | None = None  # named with a release (its announcement or news), not launched there
    status: str = ""  # roadmap items only: "announced" or "shipped"
    shipped_in: Version | None = None
    shipped_as: tuple[str, ...] = ()  # roadmap items: the features that delivered them
    notes: str = ""

    @property
    def named_only(self) -> bool:
        """Whether the project was only named with a release, not launched with one."""
        return self.mentioned_with is not None and self.announced.release is None


class MatrixRow(NamedTuple):
    """One operation of a distributed backend support matrix."""

    operation: str
    # support[backend][device]: "yes", "no", or "depends" (on the MPI build)
    support: dict[str, dict[str, str]]


class BackendMatrix(NamedTuple):
    release: Version
    rows: tuple[MatrixRow, ...]
    sources: tuple[str, ...]
    notes: str = ""


class Model(NamedTuple):
    """Everything ``releases.yaml`` says, validated."""

    releases: tuple[Release, ...]  # ascending by version
    areas: dict[str, Area]
    features: tuple[Feature, ...]
    projects: tuple[Project, ...]
    matrices: dict[Version, BackendMatrix]
    sources: dict[str, Source]


BEFORE_MODEL = Version(0, 0)  # the release of a name that predates every release in the model


def api_introductions(features: tuple[Feature, ...] | list[Feature]) -> dict[str, Version]:
    """The release in which each API name first appears, keyed by ``str(api)``.

    A name appears where a statement that is not a removal first lists it.  Names listed
    by the first statement of a feature that existed before the model (its history
    starts with ``changed``, ``deprecated`` or ``removed``) predate it: ``BEFORE_MODEL``.
    """
    first: dict[str, Version] = {}
    for feature in features:
        for index, statement in enumerate(feature.history):
            if statement.change == "removed":
                continue
            release = BEFORE_MODEL if index == 0 and feature.existed_before else statement.release
            for api in statement.apis:
                key = str(api)
                if key not in first or release < first[key]:
                    first[key] = release
    return first
