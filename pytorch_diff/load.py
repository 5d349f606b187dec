"""Load ``releases.yaml`` into a validated ``Model``.

Every check has a name and a level, so that ``ptdiff validate`` can print each finding
as ``FILE:LINE:COL: LEVEL [check] message``.  Errors stop a command from using the
file; warnings do not.  The checks:

========================  =======  ==================================================
check                     level    what it finds
========================  =======  ==================================================
file, size-limit,         error    the file cannot be read, is too large, is not
encoding, yaml-syntax,             UTF-8 or YAML, nests too deep or expands too much
depth-limit, alias-limit
yaml-tag                  error    a tag other than the plain ones (``!!python/...``)
duplicate-key             error    a mapping key given twice
type                      error    a value of the wrong type
missing-field             error    a required field is absent or empty
unknown-field             error    a field the schema does not have
unknown-value             error    a value outside its fixed set (area, kind, change)
duplicate-id              error    two records with one id (or one release version)
unknown-reference         error    a source, area or release id that is not defined
history-order             error    statements not in ascending release order, or two
                                   for one release
history-sequence          error    added after the start, anything after removed
matrix-shape              error    a backend matrix cell that is not [CPU, GPU]
unused-source             warning  a source that no record cites
insecure-url              warning  a URL that is not https
========================  =======  ==================================================
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from .errors import DataError, Problem, did_you_mean
from .model import (
    BACKENDS,
    CHANGE_KINDS,
    PROJECT_KINDS,
    Announcement,
    Area,
    BackendMatrix,
    Feature,
    MatrixRow,
    Model,
    Project,
    Release,
    Source,
    Statement,
    Version,
)
from .reader import Document, Path_, parse_yaml, read_bytes

SCHEMA_VERSION = 1
DATA_ENV = "PTDIFF_DATA"

_TOP = ("schema_version", "sources", "areas", "releases", "features", "projects", "backend_matrices")
_SUPPORT = {True: "yes", False: "no", "?": "depends"}
READER_CHECKS = ("duplicate-key", "yaml-tag")


def default_data_path() -> Path:
    """The data file to use when none is named: ``$PTDIFF_DATA``, else the shipped one."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    packaged = Path(__file__).parent / "data" / "releases.yaml"
    if packaged.is_file():
        return packaged
    # A source checkout or an editable install: the file at the top of the repository.
    return Path(__file__).resolve().parent.parent / "data" / "releases.yaml"


def load_releases(path: Path | None = None) -> Model:
    """Load and validate the data file; raise DataError if it has any error."""
    model, problems = check_releases(path)
    # The reader's findings first: a duplicate key or a refused tag explains the rest.
    errors = sorted((p for p in problems if p.level == "error"), key=lambda p: p.check not in READER_CHECKS)
    if errors or model is None:
        raise DataError(errors)
    return model


def check_releases(path: Path | None = None) -> tuple[Model | None, list[Problem]]:
    """Load the data file and return the model (None if it has errors) and every finding.

    Raises DataError when the file cannot be read or parsed at all.
    """
    path = path or default_data_path()
    data = read_bytes(path)
    from . import cache  # deferred: only loading needs it

    cached = cache.get(data)
    if cached is not None:
        return cached, []
    doc = parse_yaml(data, str(path))
    model = _Validator(doc).model()
    problems = sorted(doc.problems, key=lambda p: (p.line, p.column))
    if model is not None and not any(p.level == "error" for p in problems):
        if not problems:
            cache.put(data, model)
        return model, problems
    return None, problems


def _kind(value: Any) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "nothing",
        dt.date: "a date",
        dt.datetime: "a date and time",
    }
    return names.get(type(value), type(value).__name__)


class _Validator:
    """Turns a parsed document into a Model, recording every problem it finds."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.cited: set[str] = set()

    def model(self) -> Model | None:
        root = self.doc.value
        if root is None:
            self.doc.problem((), "missing-field", "file is empty: expected a mapping with " + ", ".join(_TOP[1:]))
            return None
        top = self.record(root, (), "the data file", required=_TOP[1:], optional=("schema_version",))
        if top is None:
            return None
        version = top.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            self.doc.problem(
                ("schema_version",),
                "unknown-value",
                f"schema_version {version!r} is not supported; this ptdiff reads {SCHEMA_VERSION}",
            )
            return None
        sources = {s.id: s for s in self.each(top, "sources", self.source)}
        self.source_ids = set(sources)
        areas = {a.id: a for a in self.each(top, "areas", self.area)}
        self.area_ids = set(areas)
        releases = sorted(self.each(top, "releases", self.release), key=lambda r: r.version)
        self.versions = {r.version for r in releases}
        features = self.each(top, "features", self.feature)
        projects = self.each(top, "projects", self.project)
        matrices = {m.release: m for m in self.each(top, "backend_matrices", self.matrix)}
        for source_id in sorted(set(sources) - self.cited):
            index = list(sources).index(source_id)
            self.doc.problem(
                ("sources", index), "unused-source", f"source {source_id!r} is cited by no record", level="warning"
            )
        return Model(tuple(releases), areas, tuple(features), tuple(projects), matrices, sources)

    # -- records ----------------------------------------------------------------

    def source(self, raw: Any, path: Path_) -> Source | None:
        rec = self.record(raw, path, "a source", required=("id", "title", "url"))
        if rec is None:
            return None
        return Source(self.text(rec, "id", path), self.text(rec, "title", path), self.url(rec, "url", path))

    def area(self, raw: Any, path: Path_) -> Area | None:
        rec = self.record(raw, path, "an area", required=("id", "title"))
        return Area(self.text(rec, "id", path), self.text(rec, "title", path)) if rec else None

    def release(self, raw: Any, path: Path_) -> Release | None:
        rec = self.record(
            raw, path, "a release", required=("version", "date", "title", "summary", "sources"), optional=("links",)
        )
        if rec is None:
            return None
        links = rec.get("links", {})
        if not isinstance(links, dict):
            self.doc.problem(
                path + ("links",), "type", f"'links' must be a mapping of name to URL, found {_kind(links)}"
            )
            links = {}
        return Release(
            version=self.version(rec, "version", path) or Version(0, 0),
            date=self.date(rec, "date", path),
            title=self.text(rec, "title", path),
            summary=self.text(rec, "summary", path),
            links={str(name): self.url(links, name, path + ("links",)) for name in links},
            sources=self.cites(rec, path),
        )

    def feature(self, raw: Any, path: Path_) -> Feature | None:
        rec = self.record(
            raw,
            path,
            "a feature",
            required=("id", "area", "title", "summary", "sources", "history"),
            optional=("notes",),
        )
        if rec is None:
            return None
        area = self.text(rec, "area", path)
        if area and area not in self.area_ids:
            self.unknown(path + ("area",), "area", area, self.area_ids)
        history = tuple(self.each(rec, "history", self.statement, path))
        self.check_history(history, path)
        return Feature(
            self.text(rec, "id", path),
            area,
            self.text(rec, "title", path),
            self.text(rec, "summary", path),
            history,
            self.cites(rec, path),
            self.text(rec, "notes", path, required=False),
        )

    def statement(self, raw: Any, path: Path_) -> Statement | None:
        rec = self.record(
            raw,
            path,
            "a statement",
            required=("release", "change", "sources"),
            optional=("summary", "apis", "breaking"),
        )
        if rec is None:
            return None
        change = self.choice(rec, "change", path, CHANGE_KINDS)
        summary = self.text(rec, "summary", path, required=change not in ("added", ""))
        if change not in ("added", "") and "summary" not in rec:
            self.doc.problem(path, "missing-field", f"a statement is missing 'summary', required when {change}")
        breaking = rec.get("breaking", False)
        if not isinstance(breaking, bool):
            self.doc.problem(path + ("breaking",), "type", f"'breaking' must be true or false, found {_kind(breaking)}")
        return Statement(
            self.known_release(rec, "release", path) or Version(0, 0),
            change,
            summary,
            self.names(rec, "apis", path),
            breaking is True,
            self.cites(rec, path),
        )

    def project(self, raw: Any, path: Path_) -> Project | None:
        rec = self.record(
            raw,
            path,
            "a project",
            required=("id", "kind", "name", "summary", "relation", "url", "sources"),
            optional=("repository", "announced", "status", "shipped_in", "notes"),
        )
        if rec is None:
            return None
        kind = self.choice(rec, "kind", path, PROJECT_KINDS)
        status = self.text(rec, "status", path, required=kind == "roadmap")
        if status and kind != "roadmap":
            self.doc.problem(path + ("status",), "unknown-field", "only roadmap items have a 'status'")
        elif status and status not in ("announced", "shipped"):
            self.unknown(path + ("status",), "status", status, {"announced", "shipped"})
        announced = Announcement()
        if "announced" in rec:
            sub = path + ("announced",)
            ann = self.record(rec["announced"], sub, "an announcement", optional=("event", "date", "release"))
            if ann is not None:
                announced = Announcement(
                    self.text(ann, "event", sub, required=False),
                    self.date(ann, "date", sub) if "date" in ann else None,
                    self.known_release(ann, "release", sub) if "release" in ann else None,
                )
        return Project(
            id=self.text(rec, "id", path),
            kind=kind,
            name=self.text(rec, "name", path),
            summary=self.text(rec, "summary", path),
            relation=self.text(rec, "relation", path),
            url=self.url(rec, "url", path),
            sources=self.cites(rec, path),
            repository=self.url(rec, "repository", path) if "repository" in rec else "",
            announced=announced,
            status=status,
            shipped_in=self.version(rec, "shipped_in", path) if "shipped_in" in rec else None,
            notes=self.text(rec, "notes", path, required=False),
        )

    def matrix(self, raw: Any, path: Path_) -> BackendMatrix | None:
        rec = self.record(raw, path, "a backend matrix", required=("release", "operations", "sources"))
        if rec is None:
            return None
        rows = tuple(self.each(rec, "operations", self.matrix_row, path))
        return BackendMatrix(self.known_release(rec, "release", path) or Version(0, 0), rows, self.cites(rec, path))

    def matrix_row(self, raw: Any, path: Path_) -> MatrixRow | None:
        rec = self.record(raw, path, "a matrix row", required=("name",) + BACKENDS)
        if rec is None:
            return None
        support: dict[str, dict[str, str]] = {}
        for backend in BACKENDS:
            cell = rec.get(backend)
            if not (isinstance(cell, list) and len(cell) == 2 and all(_hashable(v) and v in _SUPPORT for v in cell)):
                self.doc.problem(
                    path + (backend,),
                    "matrix-shape",
                    f'{backend} must be [CPU, GPU], each true, false or "?"; found {cell!r}',
                )
                cell = ["?", "?"]
            support[backend] = {"cpu": _SUPPORT[cell[0]], "gpu": _SUPPORT[cell[1]]}
        return MatrixRow(self.text(rec, "name", path), support)

    def check_history(self, history: tuple[Statement, ...], path: Path_) -> None:
        for index, (before, after) in enumerate(zip(history, history[1:], strict=False), start=1):
            where = path + ("history", index)
            if after.release <= before.release:
                self.doc.problem(
                    where,
                    "history-order",
                    f"statement for {after.release} must come after the one for {before.release}, "
                    "one statement per release",
                )
            elif before.change == "removed":
                self.doc.problem(where, "history-sequence", f"nothing can happen after removal in {before.release}")
            if after.change == "added":
                self.doc.problem(where, "history-sequence", "'added' can only be the first statement")

    # -- fields -----------------------------------------------------------------

    def record(
        self, raw: Any, path: Path_, what: str, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()
    ) -> dict[Any, Any] | None:
        if not isinstance(raw, dict):
            self.doc.problem(path, "type", f"expected {what} (a mapping), found {_kind(raw)}")
            return None
        allowed = required + optional
        for key in raw:
            if key not in allowed:
                self.unknown(path + (key,), "field", key, set(allowed), check="unknown-field")
        for key in required:
            if key not in raw:
                self.doc.problem(path, "missing-field", f"{what} is missing required field '{key}'")
        return raw

    def each(self, rec: dict[Any, Any], key: str, build: Any, path: Path_ = ()) -> list[Any]:
        """Build every item of list field ``key``; check that ids are unique."""
        items = rec.get(key, [])
        if not isinstance(items, list):
            self.doc.problem(path + (key,), "type", f"'{key}' must be a list, found {_kind(items)}")
            return []
        built, seen = [], {}
        for index, raw in enumerate(items):
            item = build(raw, path + (key, index))
            if item is None:
                continue
            ident = getattr(item, "id", None) or getattr(item, "version", None) or getattr(item, "release", None)
            if key != "history" and ident is not None:
                if ident in seen:
                    line = self.doc.position(path + (key, seen[ident]))[0]
                    self.doc.problem(
                        path + (key, index),
                        "duplicate-id",
                        f"{key} entry {str(ident)!r} is defined twice (first at line {line})",
                    )
                    continue
                seen[ident] = index
            built.append(item)
        return built

    def text(self, rec: dict[Any, Any], key: str, path: Path_, required: bool = True) -> str:
        value = rec.get(key)
        if value is None or value == "":
            if required and key in rec:  # an absent key is reported once, by record()
                self.doc.problem(path + (key,), "missing-field", f"'{key}' must not be empty")
            return ""
        if not isinstance(value, str):
            self.doc.problem(path + (key,), "type", f"'{key}' must be text, found {_kind(value)}")
            return ""
        return value.strip()

    def url(self, rec: dict[Any, Any], key: Any, path: Path_) -> str:
        value = self.text(rec, key, path)
        if value and not value.startswith(("https://", "http://")):
            self.doc.problem(path + (key,), "type", f"'{key}' must be an http(s) URL, found {value!r}")
        elif value.startswith("http://"):
            self.doc.problem(path + (key,), "insecure-url", f"'{key}' is not https: {value}", level="warning")
        return value

    def date(self, rec: dict[Any, Any], key: str, path: Path_) -> dt.date:
        value = rec.get(key)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if key in rec:
            self.doc.problem(path + (key,), "type", f"'{key}' must be a date like 2019-05-01, found {value!r}")
        return dt.date.min

    def version(self, rec: dict[Any, Any], key: str, path: Path_) -> Version | None:
        value = rec.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.doc.problem(
                path + (key,), "type", f"'{key}' must be quoted: YAML reads {value!r} as a number; write \"{value}\""
            )
            return None
        parsed = Version.parse(value) if isinstance(value, str) else None
        if parsed is None and key in rec:
            self.doc.problem(path + (key,), "type", f"'{key}' must be a version like \"1.1\", found {value!r}")
        return parsed

    def known_release(self, rec: dict[Any, Any], key: str, path: Path_) -> Version | None:
        version = self.version(rec, key, path)
        if version is not None and version not in self.versions:
            self.unknown(
                path + (key,), "release", str(version), {str(v) for v in self.versions}, check="unknown-reference"
            )
        return version

    def choice(self, rec: dict[Any, Any], key: str, path: Path_, allowed: tuple[str, ...]) -> str:
        value = self.text(rec, key, path)
        if value and value not in allowed:
            self.unknown(path + (key,), key, value, set(allowed))
            return ""
        return value

    def names(self, rec: dict[Any, Any], key: str, path: Path_) -> tuple[str, ...]:
        value = rec.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.doc.problem(path + (key,), "type", f"'{key}' must be a list of names")
            return ()
        return tuple(v.strip() for v in value)

    def cites(self, rec: dict[Any, Any], path: Path_) -> tuple[str, ...]:
        ids = self.names(rec, "sources", path)
        if "sources" in rec and not ids:
            self.doc.problem(path + ("sources",), "missing-field", "every record needs at least one source")
        for index, source_id in enumerate(ids):
            if source_id not in self.source_ids:
                self.unknown(path + ("sources", index), "source", source_id, self.source_ids, check="unknown-reference")
        self.cited.update(ids)
        return ids

    def unknown(self, path: Path_, what: str, value: Any, known: set[str], check: str = "unknown-value") -> None:
        message = f"unknown {what} {str(value)!r}"
        suggestion = did_you_mean(str(value), known)
        if suggestion:
            message += suggestion
        elif known and len(known) <= 12:
            message += f"; expected one of: {', '.join(sorted(known))}"
        self.doc.problem(path, check, message)


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, bool, int, float, type(None)))
