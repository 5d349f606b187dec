"""Load ``releases.yaml`` into a validated ``Model``.

Every check has a name and a level, so that ``ptdiff validate`` can print each finding
as ``FILE:LINE:COL: LEVEL [check] message``.  Errors stop a command from using the
file; warnings do not.  ``CHECKS`` lists them; README.md ("The data") describes them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import DataError, Problem
from .fields import Fields, kind_of
from .model import (
    API_KINDS,
    BACKENDS,
    CHANGE_KINDS,
    PROJECT_KINDS,
    SOURCE_CHECKS,
    Announcement,
    Api,
    Area,
    BackendMatrix,
    Builds,
    Feature,
    MatrixRow,
    Model,
    Project,
    Release,
    Source,
    Statement,
    Version,
    api_introductions,
)
from .reader import READER_CHECKS, Document, Path_, parse_yaml, read_bytes

SCHEMA_VERSION = 2
DATA_ENV = "PTDIFF_DATA"

# Every check, with its level and what it finds: the one list that README.md and the
# tests are held against.
CHECKS: dict[str, tuple[str, str]] = {
    "file": ("error", "the file cannot be read"),
    "size-limit": ("error", "the file is larger than 5 MiB"),
    "encoding": ("error", "the file is not UTF-8"),
    "yaml-syntax": ("error", "the file is not one YAML document"),
    "depth-limit": ("error", "values nest more than 50 levels deep"),
    "value-limit": ("error", "the file holds more than 200,000 values"),
    "alias-limit": ("error", "aliases expand the file past 200,000 values"),
    "yaml-tag": ("error", "a tag other than the plain ones, such as !!python/object"),
    "duplicate-key": ("error", "a mapping key given twice"),
    "type": ("error", "a value of the wrong type"),
    "missing-field": ("error", "a required field is absent or empty"),
    "unknown-field": ("error", "a field the schema does not have"),
    "unknown-value": ("error", "a value outside its fixed set (area, kind, change)"),
    "control-character": ("error", "a control, bidi or invisible character in text"),
    "api-name": ("error", "an API name that is not a dotted ASCII Python name"),
    "duplicate-id": ("error", "two records with one id (or one release version)"),
    "unknown-reference": ("error", "a source, area, release, feature or replacement that is not defined"),
    "history-order": ("error", "statements out of release order, or two for one release"),
    "history-sequence": ("error", "'added' after the start, or anything after 'removed'"),
    "replacement": ("error", "a replacement that is misplaced or exists only later"),
    "matrix-shape": ("error", "a backend matrix cell that is not [CPU, GPU]"),
    "unused-source": ("warning", "a source that no record cites"),
    "insecure-url": ("warning", "a URL that is not https"),
}

_TOP = ("schema_version", "sources", "areas", "releases", "features", "projects", "backend_matrices")
_SUPPORT_VALUES = {True: "yes", False: "no", "?": "depends"}


def default_data_path() -> Path:
    """The shipped data file."""
    packaged = Path(__file__).parent / "data" / "releases.yaml"
    if packaged.is_file():
        return packaged
    # A source checkout or an editable install: the file at the top of the repository.
    return Path(__file__).resolve().parent.parent / "data" / "releases.yaml"


def data_path(given: str | None) -> tuple[Path, str]:
    """The data file to read and how it was named: ``--data``, else $PTDIFF_DATA, else the shipped one.

    The second value names the environment variable when the path came from it, for messages.
    """
    if given is not None:
        return _named(given, "--data"), ""
    env = os.environ.get(DATA_ENV)
    if env is not None:
        return _named(env, DATA_ENV), DATA_ENV
    return default_data_path(), ""


def _named(text: str, where: str) -> Path:
    if not text:  # Path("") would read as "." and be reported as a directory
        raise DataError([Problem(f"{where} ''", 0, 0, "error", "file", "empty file name")])
    return Path(text)


def load_releases(given: str | None = None) -> Model:
    """Load and validate the data file; raise DataError if it has any error."""
    model, problems = check_releases(given, use_cache=True)
    # The reader's findings first: a duplicate key or a refused tag explains the rest.
    errors = sorted((p for p in problems if p.level == "error"), key=lambda p: p.check not in READER_CHECKS)
    if errors or model is None:
        raise DataError(errors, hint_file=given if given is not None else os.environ.get(DATA_ENV))
    return model


def check_releases(given: str | None = None, use_cache: bool = False) -> tuple[Model | None, list[Problem]]:
    """Load the data file and return the model (None if it has errors) and every finding.

    Only ``load_releases`` uses the cache: ``validate`` always checks the file itself.
    Raises DataError when the file cannot be read or parsed at all.
    """
    path, named_by = data_path(given)
    data = read_bytes(path, named_by)
    if use_cache:
        from . import cache  # deferred: only loading needs it

        cached = cache.get(data)
        if cached is not None:
            return cached, []
    doc = parse_yaml(data, str(path))
    model = _Builder(doc).model()
    problems = sorted(doc.locate(), key=lambda p: (p.line, p.column))
    if model is None or any(p.level == "error" for p in problems):
        return None, problems
    if use_cache and not problems:
        cache.put(data, model)
    return model, problems


class _Builder:
    """Turns a parsed document into a Model, recording every problem it finds."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.fields = Fields(doc)
        # What later records are checked against, filled in file order by model().
        self.source_ids: set[str] = set()
        self.area_ids: set[str] = set()
        self.versions: set[Version] = set()
        self.cited: set[str] = set()
        # Replacements named by statements, checked once every statement is read.
        self.replacements: list[tuple[str, Api, Version, Path_]] = []

    def model(self) -> Model | None:
        root = self.doc.value
        if root is None:
            self.doc.problem((), "missing-field", "file is empty: expected a mapping with " + ", ".join(_TOP[1:]))
            return None
        top = self.fields.record(root, (), "the data file", required=_TOP)
        if top is None:
            return None
        if top.get("schema_version") != SCHEMA_VERSION:
            found = top.get("schema_version")
            message = f"schema_version {found!r:.20} is not supported; this ptdiff reads {SCHEMA_VERSION}"
            self.doc.problem(("schema_version",), "unknown-value", message)
            return None
        sources = self.build(top, "sources", self.source, lambda s: s.id, "source")
        self.source_ids = {s.id for s, _ in sources}
        areas = self.build(top, "areas", self.area, lambda a: a.id, "area")
        self.area_ids = {a.id for a, _ in areas}
        releases = self.build(top, "releases", self.release, lambda r: r.version, "release")
        self.versions = {r.version for r, _ in releases}
        features = self.build(top, "features", self.feature, lambda f: f.id, "feature")
        projects = self.build(top, "projects", self.project, lambda p: p.id, "project")
        matrices = self.build(top, "backend_matrices", self.matrix, lambda m: m.release, "backend matrix")
        self.check_replacements([f for f, _ in features])
        feature_ids = {f.id for f, _ in features}
        for project, path in projects:
            for index, feature_id in enumerate(project.shipped_as):
                if feature_id not in feature_ids:
                    where = path + ("shipped_as", index)
                    self.fields.unknown(where, "feature", feature_id, feature_ids, check="unknown-reference")
        for source, path in sources:
            if source.id not in self.cited:
                self.doc.problem(path, "unused-source", f"source {source.id!r} is cited by no record", "warning")
        return Model(
            releases=tuple(sorted((r for r, _ in releases), key=lambda r: r.version)),
            areas={a.id: a for a, _ in areas},
            features=tuple(f for f, _ in features),
            projects=tuple(p for p, _ in projects),
            matrices={m.release: m for m, _ in matrices},
            sources={s.id: s for s, _ in sources},
        )

    def build(self, rec: dict[Any, Any], key: str, builder: Any, ident: Any, what: str) -> list[tuple[Any, Path_]]:
        """Every record of list ``key`` that could be built, with its path; ids are unique."""
        built = []
        for raw, path in self.fields.items(rec, key, ()):
            record = builder(raw, path)
            if record is not None:
                built.append((record, path))
        return self.fields.unique(built, ident, what)

    # -- records ----------------------------------------------------------------

    def source(self, raw: Any, path: Path_) -> Source | None:
        f = self.fields
        rec = f.record(raw, path, "a source", required=("id", "title", "url", "checked"))
        if rec is None:
            return None
        checked = f.choice(rec, "checked", path, SOURCE_CHECKS)
        return Source(f.text(rec, "id", path), f.text(rec, "title", path), f.url(rec, "url", path), checked)

    def area(self, raw: Any, path: Path_) -> Area | None:
        rec = self.fields.record(raw, path, "an area", required=("id", "title"))
        return Area(self.fields.text(rec, "id", path), self.fields.text(rec, "title", path)) if rec else None

    def release(self, raw: Any, path: Path_) -> Release | None:
        f = self.fields
        rec = f.record(
            raw,
            path,
            "a release",
            required=("version", "title", "summary", "sources"),
            optional=("date", "links", "builds", "notes"),
        )
        if rec is None:
            return None
        links = rec.get("links", {})
        if not isinstance(links, dict):
            f.problem(path + ("links",), "type", "'links' must be a mapping of name to URL")
            links = {}
        for name in links:
            f.characters(str(name), path + ("links", name), "a link name", newlines=False)
        return Release(
            version=f.version(rec, "version", path) or Version(0, 0),
            date=f.date(rec, "date", path) if "date" in rec else None,
            title=f.text(rec, "title", path),
            summary=f.text(rec, "summary", path),
            links={str(name): f.url(links, name, path + ("links",)) for name in links},
            sources=self.cites(rec, path),
            builds=self.builds(rec["builds"], path + ("builds",)) if "builds" in rec else None,
            notes=f.text(rec, "notes", path, required=False),
        )

    def builds(self, raw: Any, path: Path_) -> Builds | None:
        f = self.fields
        rec = f.record(raw, path, "the builds of a release", required=("cuda", "cpu", "torchvision"))
        if rec is None:
            return None
        cuda = f.names(rec, "cuda", path)
        for index, version in enumerate(cuda):
            if Version.parse(version) is None:
                f.problem(
                    path + ("cuda", index), "type", f'a CUDA version must look like "10.0", found {version!r:.20}'
                )
        return Builds(cuda, f.flag(rec, "cpu", path), f.text(rec, "torchvision", path))

    def feature(self, raw: Any, path: Path_) -> Feature | None:
        f = self.fields
        rec = f.record(
            raw,
            path,
            "a feature",
            required=("id", "area", "title", "summary", "sources", "history"),
            optional=("notes",),
        )
        if rec is None:
            return None
        area = f.text(rec, "area", path)
        if area and area not in self.area_ids:
            f.unknown(path + ("area",), "area", area, self.area_ids)
        history = tuple(s for raw_s, p in f.items(rec, "history", path) if (s := self.statement(raw_s, p)))
        self.check_history(history, path)
        return Feature(
            f.text(rec, "id", path),
            area,
            f.text(rec, "title", path),
            f.text(rec, "summary", path),
            history,
            self.cites(rec, path),
            f.text(rec, "notes", path, required=False),
        )

    def statement(self, raw: Any, path: Path_) -> Statement | None:
        f = self.fields
        rec = f.record(
            raw,
            path,
            "a statement",
            required=("release", "change", "sources"),
            optional=("summary", "apis", "breaking"),
        )
        if rec is None:
            return None
        change = f.choice(rec, "change", path, CHANGE_KINDS)
        if change not in ("added", "") and "summary" not in rec:
            f.problem(path, "missing-field", f"a statement is missing 'summary', required when {change}")
        release = self.known_release(rec, "release", path) or Version(0, 0)
        apis = tuple(a for raw_a, p in f.items(rec, "apis", path) if (a := self.api(raw_a, p)))
        for index, api in enumerate(apis):
            if api.replaced_by:
                where = path + ("apis", index)
                if change not in ("deprecated", "removed"):
                    f.problem(
                        where,
                        "replacement",
                        f"only a deprecated or removed name has 'replaced_by', not a {change or 'statement'}",
                    )
                self.replacements.append((change, api, release, where))
        return Statement(
            release,
            change,
            f.text(rec, "summary", path, required=change not in ("added", "")),
            apis,
            f.flag(rec, "breaking", path),
            self.cites(rec, path),
        )

    def api(self, raw: Any, path: Path_) -> Api | None:
        """An API entry: ``{function: torch.gesv, replaced_by: [torch.solve]}`` and the like."""
        f = self.fields
        if not isinstance(raw, dict):
            f.problem(path, "type", "an API entry must be a mapping such as {function: torch.jit.trace}")
            return None
        kinds = [k for k in raw if k in API_KINDS]
        if len(kinds) != 1:
            f.problem(path, "missing-field", f"an API entry names exactly one of: {', '.join(API_KINDS)}")
            return None
        kind = kinds[0]
        belongs = kind in ("keyword", "value")
        required = (kind, "of") + (("argument",) if kind == "value" else ())
        optional = ("replaced_by", "rename") + (("position",) if kind == "value" else ())
        rec = f.record(raw, path, f"a {kind} entry", required=required if belongs else (kind,), optional=optional)
        if rec is None:
            return None
        name = f.text(rec, kind, path)
        if kind == "keyword":
            f.dotted(name, path + (kind,), identifier=True)
        elif not belongs and name:
            f.dotted(name, path + (kind,))
        of = f.text(rec, "of", path) if belongs else ""
        if of:
            f.dotted(of, path + ("of",))
        argument = f.text(rec, "argument", path) if kind == "value" else ""
        if argument:
            f.dotted(argument, path + ("argument",), identifier=True)
        position = rec.get("position")
        if position is not None and (type(position) is not int or not 0 <= position < 100):
            f.problem(path + ("position",), "type", "'position' must be a whole number from 0 to 99")
            position = None
        replaced_by = f.names(rec, "replaced_by", path, dotted=not belongs)
        rename = f.flag(rec, "rename", path)
        if rename and len(replaced_by) != 1:
            f.problem(path + ("rename",), "replacement", "'rename' needs exactly one name in 'replaced_by'")
            rename = False
        return Api(kind, name, of, argument, position, replaced_by, rename)

    def project(self, raw: Any, path: Path_) -> Project | None:
        f = self.fields
        rec = f.record(
            raw,
            path,
            "a project",
            required=("id", "kind", "name", "summary", "relation", "url", "sources"),
            optional=("repository", "announced", "mentioned_with", "status", "shipped_in", "shipped_as", "notes"),
        )
        if rec is None:
            return None
        kind = f.choice(rec, "kind", path, PROJECT_KINDS)
        status = f.text(rec, "status", path, required=kind == "roadmap")
        if kind == "roadmap" and "status" not in rec:
            f.problem(path, "missing-field", "a roadmap item is missing required field 'status'")
        if status and kind != "roadmap":
            f.problem(path + ("status",), "unknown-field", "only roadmap items have a 'status'")
        elif status and status not in ("announced", "shipped"):
            f.unknown(path + ("status",), "status", status, ("announced", "shipped"))
        announced = Announcement()
        if "announced" in rec:
            sub = path + ("announced",)
            ann = f.record(rec["announced"], sub, "an announcement", optional=("event", "date", "release"))
            if ann is not None:
                announced = Announcement(
                    f.text(ann, "event", sub, required=False),
                    f.date(ann, "date", sub) if "date" in ann else None,
                    self.known_release(ann, "release", sub) if "release" in ann else None,
                )
        return Project(
            id=f.text(rec, "id", path),
            kind=kind,
            name=f.text(rec, "name", path),
            summary=f.text(rec, "summary", path),
            relation=f.text(rec, "relation", path),
            url=f.url(rec, "url", path),
            sources=self.cites(rec, path),
            repository=f.url(rec, "repository", path) if "repository" in rec else "",
            announced=announced,
            mentioned_with=self.known_release(rec, "mentioned_with", path) if "mentioned_with" in rec else None,
            status=status,
            shipped_in=self.known_release(rec, "shipped_in", path) if "shipped_in" in rec else None,
            shipped_as=f.names(rec, "shipped_as", path),
            notes=f.text(rec, "notes", path, required=False),
        )

    def matrix(self, raw: Any, path: Path_) -> BackendMatrix | None:
        required = ("release", "operations", "sources")
        rec = self.fields.record(raw, path, "a backend matrix", required=required, optional=("notes",))
        if rec is None:
            return None
        rows = tuple(r for raw_r, p in self.fields.items(rec, "operations", path) if (r := self.matrix_row(raw_r, p)))
        release = self.known_release(rec, "release", path) or Version(0, 0)
        notes = self.fields.text(rec, "notes", path, required=False)
        return BackendMatrix(release, rows, self.cites(rec, path), notes)

    def matrix_row(self, raw: Any, path: Path_) -> MatrixRow | None:
        rec = self.fields.record(raw, path, "a matrix row", required=("name",) + BACKENDS)
        if rec is None:
            return None
        support: dict[str, dict[str, str]] = {}
        for backend in BACKENDS:
            cell = rec.get(backend)
            # `type(v) is bool`: 1 and 0.0 equal True and False, but they are not what was meant.
            if not (isinstance(cell, list) and len(cell) == 2 and all(type(v) is bool or v == "?" for v in cell)):
                found = repr(cell) if len(repr(cell)) <= 40 else kind_of(cell)
                message = f'{backend} must be [CPU, GPU], each true, false or "?"; found {found}'
                self.fields.problem(path + (backend,), "matrix-shape", message)
                cell = ["?", "?"]
            support[backend] = {"cpu": _SUPPORT_VALUES[cell[0]], "gpu": _SUPPORT_VALUES[cell[1]]}
        return MatrixRow(self.fields.text(rec, "name", path), support)

    # -- references and order ---------------------------------------------------

    def known_release(self, rec: dict[Any, Any], key: str, path: Path_) -> Version | None:
        version = self.fields.version(rec, key, path)
        if version is not None and version not in self.versions:
            known = {str(v) for v in self.versions}
            self.fields.unknown(path + (key,), "release", str(version), known, check="unknown-reference")
        return version

    def cites(self, rec: dict[Any, Any], path: Path_) -> tuple[str, ...]:
        ids = self.fields.names(rec, "sources", path)
        if "sources" in rec and not ids:
            self.fields.problem(path + ("sources",), "missing-field", "every record needs at least one source")
        for index, source_id in enumerate(ids):
            if source_id not in self.source_ids:
                where = path + ("sources", index)
                self.fields.unknown(where, "source", source_id, self.source_ids, check="unknown-reference")
        self.cited.update(ids)
        return ids

    def check_history(self, history: tuple[Statement, ...], path: Path_) -> None:
        for index, (before, after) in enumerate(zip(history, history[1:], strict=False), start=1):
            where = path + ("history", index)
            if after.release <= before.release:
                message = f"statement for {after.release} must come after the one for {before.release}"
                self.doc.problem(where, "history-order", message + ", one statement per release")
            elif before.change == "removed":
                self.doc.problem(where, "history-sequence", f"nothing can happen after removal in {before.release}")
            if after.change == "added":
                self.doc.problem(where, "history-sequence", "'added' can only be the first statement")

    def check_replacements(self, features: list[Feature]) -> None:
        """Every replacement is an API the model lists, present by the release that needs it."""
        since = api_introductions(features)
        for _change, api, release, path in self.replacements:
            for name in api.replaced_by:
                key = str(api._replace(name=name)) if not api.importable else name
                first = since.get(key)
                if first is None:
                    message = f"replacement {key!r:.80} is not an API name listed by any statement"
                    self.doc.problem(path + ("replaced_by",), "unknown-reference", message)
                elif first > release:
                    message = f"replacement {key!r:.80} first appears in {first}, after {release}"
                    self.doc.problem(path + ("replaced_by",), "replacement", message)
