"""Small models built in Python for the rule tests (``test_rules_*.py``), and the output of a render."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from pytorch_diff.model import (
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
)
from pytorch_diff.render import render

SOURCES = {
    "s1": Source("s1", "Notes one", "https://example.org/one"),
    "s2": Source("s2", "A copy", "https://example.org/two", "mirror"),
    "s3": Source("s3", "News", "https://example.org/three", "seed-only"),
    "s4": Source("s4", "Report", "https://example.org/four", "press"),
}
AREAS = {"jit": Area("jit", "JIT"), "api": Area("api", "Core API"), "dist": Area("dist", "Distributed")}


def version(text: str) -> Version:
    parsed = Version.parse(text)
    assert parsed is not None
    return parsed


def release(text: str, **fields: Any) -> Release:
    values: dict[str, Any] = {
        "version": version(text),
        "date": None,
        "title": f"Title {text}",
        "summary": f"Summary {text}.",
        "links": {},
        "sources": ("s1",),
    }
    values.update(fields)
    return Release(**values)


def say(release_: str, change: str, summary: str = "", *apis: str | Api, **fields: Any) -> Statement:
    """A statement; plain strings among ``apis`` name functions."""
    names = tuple(Api("function", a) if isinstance(a, str) else a for a in apis)
    return Statement(version(release_), change, summary, names, **{"sources": ("s1",), **fields})


def feature(ident: str, area: str, *history: Statement, **fields: Any) -> Feature:
    values: dict[str, Any] = {"title": f"{ident} title", "summary": f"{ident} summary.", "sources": ("s1",)}
    values.update(fields)
    return Feature(ident, area, values.pop("title"), values.pop("summary"), tuple(history), **values)


def project(ident: str, kind: str = "tool", **fields: Any) -> Project:
    values: dict[str, Any] = {
        "name": ident.capitalize(),
        "summary": f"What {ident} is.",
        "relation": f"How {ident} relates.",
        "url": f"https://example.org/{ident}",
        "sources": ("s1",),
    }
    values.update(fields)
    return Project(ident, kind, **values)


def announced(release_: str, event: str = "", date: dt.date | None = None) -> Announcement:
    return Announcement(event, date, version(release_))


def row(operation: str, **cells: tuple[str, str]) -> MatrixRow:
    support = {b: {"cpu": "no", "gpu": "no"} for b in ("gloo", "mpi", "nccl")}
    for backend, (cpu, gpu) in cells.items():
        support[backend] = {"cpu": cpu, "gpu": gpu}
    return MatrixRow(operation, support)


def matrix(release_: str, *rows: MatrixRow, sources: tuple[str, ...] = ("s1",), notes: str = "") -> BackendMatrix:
    return BackendMatrix(version(release_), rows, sources, notes)


def model(
    releases: list[Release] | None = None,
    features: list[Feature] | None = None,
    projects: list[Project] | None = None,
    matrices: list[BackendMatrix] | None = None,
    areas: dict[str, Area] | None = None,
) -> Model:
    chosen = releases if releases is not None else [release(v) for v in ("1.0", "1.1", "1.2")]
    return Model(
        releases=tuple(sorted(chosen, key=lambda r: r.version)),
        areas=dict(AREAS if areas is None else areas),
        features=tuple(features or ()),
        projects=tuple(projects or ()),
        matrices={m.release: m for m in matrices or ()},
        sources=dict(SOURCES),
    )


def builds(cuda: tuple[str, ...] = ("9.0", "10.0"), cpu: bool = True, torchvision: str = "0.3.0") -> Builds:
    return Builds(cuda, cpu, torchvision)


def drawn(result: Any, data: Model | None, fmt: str, **options: Any) -> str:
    """What ``render`` writes for ``result`` into a UTF-8 file that is not a terminal."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    render(result, data, fmt, out, **{"pager": False, **options})
    out.flush()
    return out.buffer.getvalue().decode()  # type: ignore[attr-defined]
