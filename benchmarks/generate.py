"""Write a synthetic but valid data file: N releases x F features, with per-release statements.

    python benchmarks/generate.py --releases 50 --features 60 -o /tmp/big.yaml

It prints one JSON line on stdout, for ``run.py`` and for people alike::

    {"path": "/tmp/big.yaml", "releases": 50, "features": 60, "statements": 2952, "first": "1.0", "last": "5.9"}

The file follows the schema ``pytorch_diff/load.py`` checks and passes ``ptdiff validate`` with no
findings at all (no errors and no warnings: a file with warnings is never cached, so it would
not measure normal use).  Most features have a statement in every release from the one that
adds them, so 50 x 60 gives about 3,000 statements.  Some features predate the first release,
some arrive later, some are deprecated and then removed; some changes are breaking.  The
output is deterministic for given arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

AREAS = [
    ("jit", "JIT compiler and TorchScript"),
    ("distributed", "Distributed training"),
    ("nn", "Neural network modules"),
    ("tensor", "Tensors and operators"),
    ("data", "Data loading"),
    ("cpp", "C++ front end"),
    ("quantization", "Quantization"),
    ("mobile", "Mobile"),
]
WORDS = (
    "faster kernels for strided inputs, a clearer error when shapes disagree, support for half precision, "
    "a new keyword argument that controls reduction, fewer copies on the GPU path, documented edge cases "
    "for empty tensors, deterministic results under a fixed seed, and better interaction with autograd"
).split(", ")
TOOLS = ("alpha", "beta", "gamma", "delta", "epsilon")


def version_name(index: int) -> str:
    """The index-th release: 1.0 .. 1.9, 2.0 .. 2.9, ..."""
    return f"{1 + index // 10}.{index % 10}"


def source(ident: str, title: str, url: str) -> dict[str, str]:
    """A source record; every source says how it was checked."""
    return {"id": ident, "title": title, "url": url, "checked": "official"}


def build_model(releases: int, features: int) -> dict[str, Any]:
    """The data file's content as plain Python values, ready for ``yaml.dump``."""
    if releases < 2 or features < 1:
        raise ValueError("need at least 2 releases and 1 feature")
    versions = [version_name(i) for i in range(releases)]
    notes = [f"notes-{v}" for v in versions]
    first_day = dt.date(2018, 12, 7)

    sources = [
        source(note, f"Release notes for synthetic PyTorch {v}", f"https://example.org/notes/{v}")
        for note, v in zip(notes, versions, strict=True)
    ]
    sources += [
        source("design-docs", "Synthetic design documents", "https://example.org/design"),
        source("tools-blog", "Synthetic tools announcement", "https://example.org/tools"),
    ]
    areas = [{"id": ident, "title": title} for ident, title in AREAS]

    release_records = []
    for index, version in enumerate(versions):
        release_records.append(
            {
                "version": version,
                "date": first_day + dt.timedelta(days=45 * index),
                "title": f"Synthetic release {version}: {WORDS[index % len(WORDS)]}",
                "summary": (
                    f"PyTorch {version} is a generated release for benchmarks. It brings "
                    f"{WORDS[index % len(WORDS)]} and {WORDS[(index + 3) % len(WORDS)]} across "
                    f"{features} features in {len(AREAS)} areas."
                ),
                "links": {
                    "release_notes": f"https://example.org/releases/v{version}.0",
                    "docs": f"https://example.org/docs/{version}.0/",
                },
                "sources": [notes[index]],
            }
        )

    feature_records = []
    for j in range(features):
        area = AREAS[j % len(AREAS)][0]
        ident = f"{area}.feature-{j:03d}"
        existed_before = j % 5 == 0  # its first statement is a change, not "added"
        start = 0 if existed_before or releases < 4 else j % 3  # a few arrive in a later release
        retired = j % 7 == 3 and releases - start >= 3  # deprecated, then removed in the last release
        history = []
        for index in range(start, releases):
            version = versions[index]
            apis = [{"function": f"torch.{area}.f{j:03d}"}] if index == start else []
            if index % 10 == 9:
                apis.append({"function": f"torch.{area}.f{j:03d}_v{index}"})
            statement: dict[str, Any] = {"release": version}
            if index == start and not existed_before:
                statement["change"] = "added"
            elif retired and index == releases - 2:
                statement["change"] = "deprecated"
                statement["summary"] = f"Deprecated in {version}; it is removed in the next release."
            elif retired and index == releases - 1:
                statement["change"] = "removed"
                statement["summary"] = f"Removed in {version}."
                statement["breaking"] = True
            else:
                statement["change"] = "changed"
                statement["summary"] = f"In {version}: {WORDS[(j + index) % len(WORDS)]}."
                if (j + index) % 13 == 0:
                    statement["breaking"] = True
            if apis:
                statement["apis"] = apis
            statement["sources"] = [notes[index]]
            history.append(statement)
        feature_records.append(
            {
                "id": ident,
                "area": area,
                "title": f"Synthetic feature {j} ({area})",
                "summary": f"A generated feature of the {area} area, with {WORDS[j % len(WORDS)]}.",
                "sources": ["design-docs", notes[start]],
                "history": history,
            }
        )

    projects = [
        {
            "id": name,
            "kind": "tool",
            "name": name.capitalize(),
            "summary": f"A synthetic tool called {name}.",
            "relation": "Announced beside the first synthetic release.",
            "url": f"https://example.org/tools/{name}",
            "repository": f"https://github.com/example/{name}",
            "announced": {"event": "Synthetic launch", "date": first_day, "release": versions[0]},
            "sources": ["tools-blog"],
        }
        for name in TOOLS
    ]

    def matrix(index: int) -> dict[str, Any]:
        gpu = index > 0
        return {
            "release": versions[index],
            "sources": [notes[index]],
            "operations": [
                {"name": op, "gloo": [True, False], "mpi": [True, "?"], "nccl": [False, gpu]}
                for op in ("send", "recv", "broadcast", "all_reduce", "barrier")
            ],
        }

    return {
        "schema_version": 2,
        "sources": sources,
        "areas": areas,
        "releases": release_records,
        "features": feature_records,
        "projects": projects,
        "backend_matrices": [matrix(0), matrix(releases - 1)],
    }


def statement_count(model: dict[str, Any]) -> int:
    """How many statements (one feature in one release) ``model`` holds."""
    return sum(len(feature["history"]) for feature in model["features"])


def document(releases: int, features: int) -> tuple[dict[str, Any], str]:
    """The model and its text, as ``write`` writes it."""
    model = build_model(releases, features)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    header = f"# Synthetic ptdiff data: {releases} releases x {features} features. Written by benchmarks/generate.py.\n"
    return model, header + yaml.dump(model, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)


def write(path: Path, releases: int, features: int) -> dict[str, Any]:
    """Write the file; return the model written."""
    model, text = document(releases, features)
    path.write_text(text, encoding="utf-8")
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=50, help="number of releases (default 50, at least 2)")
    parser.add_argument("--features", type=int, default=60, help="number of features (default 60)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    args = parser.parse_args(argv)
    try:
        model = write(args.output, args.releases, args.features)
    except ValueError as error:
        parser.error(str(error))
    versions = [release["version"] for release in model["releases"]]
    summary = {
        "path": str(args.output),
        "releases": args.releases,
        "features": args.features,
        "statements": statement_count(model),
        "first": versions[0],
        "last": versions[-1],
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
