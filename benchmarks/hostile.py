"""Worst-case data files just within ptdiff's limits, for the hostile-validation section of ``run.py``.

    python benchmarks/hostile.py DIRECTORY

The security target: any file within the limits (``pytorch_diff/reader.py``: 5 MiB, 50 levels,
200,000 values) is checked in at most 5 s on two cores, and stays under 300 MiB.  Each case
below makes one part of the checking as expensive as the limits allow: as many findings, or
suggestions, or levels as fit.  Run this with the Python of the ptdiff being measured: it reads
the limits from that ptdiff, so the files follow them when they change.

It writes one file per case into DIRECTORY and prints one JSON line with the limits, then one
per file::

    {"limits": {"max_bytes": 5242880, "max_depth": 50, "max_values": 200000}}
    {"name": "unknown-names", "path": "DIRECTORY/unknown-names.yaml", "bytes": 5226496,
     "values": 198966, "depth": 4, "about": "Features whose ...", "check": "unknown-reference",
     "accepted": false}

``values`` and ``depth`` are counted the way the reader counts them (every scalar, key and
collection), so ``run.py`` can show how close to each limit a file is.  ``check`` is the check
that most of the file's findings must name, and ``accepted`` whether the file has no errors;
``run.py`` holds the output of ``ptdiff validate`` against both before timing anything.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import generate
import yaml

from pytorch_diff.fields import MAX_SUGGESTION_CANDIDATES
from pytorch_diff.reader import MAX_BYTES, MAX_DEPTH, MAX_VALUES

# How far below each limit a file stops: close enough to be the worst case, far enough that a
# small change to the skeleton cannot push it over.
SLACK_VALUES = 1_000
SLACK_BYTES = 16 * 1024
DEEP_BYTES = 2 * 1024 * 1024  # the nested case: about 2 MB, as the security issue puts it
DEEP_LEVELS = MAX_DEPTH - 2  # 48 with today's limit: deep, and still read

# A unit is one repeated record: unit(index, pad) is its text, ``pad`` characters longer than
# unit(index, 0), whose length is the same for every index.
Unit = Callable[[int, int], str]


def padding(length: int) -> str:
    """Text of exactly ``length`` characters, without spaces: it reads as part of any plain scalar."""
    return ("padding-" * (length // 8 + 1))[:length]


# The smallest valid section of each kind: one source, one area, one release.
SKELETON = {
    "sources": '  - {id: notes, title: Notes, url: "https://example.org/notes", checked: official}\n',
    "areas": "  - {id: jit, title: JIT}\n",
    "releases": '  - {version: "1.0", title: First, summary: The first., sources: [notes]}\n',
    "features": "",
    "projects": "",
    "backend_matrices": "",
}


def skeleton(open_list: str = "features", **sections: str) -> str:
    """A minimal valid model whose last line opens list ``open_list``: units appended become its items.

    ``sections`` replace the skeleton's items of those lists.  The order of the top-level
    fields does not matter to ptdiff, so the open list can always come last.
    """
    sections = {**SKELETON, **sections}
    items = sections.pop(open_list, "")
    text = "".join(f"{key}:\n{value}" if value else f"{key}: []\n" for key, value in sections.items())
    return f"schema_version: 2\n{text}{open_list}:\n{items}"


def shape(text: str) -> tuple[int, int]:
    """(values, depth) of a YAML text, counted as ``pytorch_diff/reader.py`` counts them."""
    values = depth = deepest = 0
    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            values += 1
        elif isinstance(event, yaml.CollectionStartEvent):
            values += 1
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return values, deepest


def fill(head: str, unit: Unit, size: int = MAX_BYTES) -> str:
    """``head``, then as many units as fit under the value limit, padded to end just under ``size`` bytes."""
    fixed = shape(head)[0]
    per_unit = shape(head + unit(0, 0))[0] - fixed
    bare = len(unit(0, 0).encode())
    budget = size - SLACK_BYTES - len(head.encode())
    count = min((MAX_VALUES - SLACK_VALUES - fixed) // per_unit, budget // bare)
    pad, longer = divmod(budget - count * bare, count)  # the first ``longer`` units take one more
    return head + "".join(unit(index, pad + (index < longer)) for index in range(count))


# -- the cases -----------------------------------------------------------------------


def unknown_names() -> str:
    """Features whose area and sources are all unknown, among as many known names as suggestions consider."""
    known = MAX_SUGGESTION_CANDIDATES  # the most names a "did you mean" is still looked for among
    cited = ", ".join(f"source-{i:03d}" for i in range(known))  # by the release: no source is unused
    head = skeleton(
        sources="".join(
            f'  - {{id: source-{i:03d}, title: S, url: "https://example.org/{i}", checked: official}}\n'
            for i in range(known)
        ),
        areas="".join(f"  - {{id: area-{i:03d}, title: A}}\n" for i in range(known)),
        releases=f'  - {{version: "1.0", title: First, summary: The first., sources: [{cited}]}}\n',
    )
    refs = ", ".join(f"sourse-{k:03d}" for k in range(100))  # each one letter off a known source

    def unit(index: int, pad: int) -> str:
        return (
            f"  - {{id: feature-{index:06d}, area: arae-{index % known:03d}, title: T{padding(pad)}, "
            f"summary: S, history: [], sources: [{refs}]}}\n"
        )

    return fill(head, unit)


def unused_sources() -> str:
    """As many sources as fit, none of them cited: a warning each and no error, so commands use the file."""

    def unit(index: int, pad: int) -> str:
        url = f"https://example.org/unused/{index:06d}"
        return f'  - {{id: unused-{index:06d}, title: "T{padding(pad)}", url: "{url}", checked: official}}\n'

    return fill(skeleton("sources"), unit)


def deep_nesting() -> str:
    """Block mappings nested two levels short of the depth limit, 2 MB of them, in a field ptdiff does not know."""

    def unit(index: int, pad: int) -> str:
        # The document and the list hold levels 1 and 2; each line of a chain opens one more.
        lines = [f"  - k{index:06d}:"] + [f"{'  ' * (level + 2)}k:" for level in range(1, DEEP_LEVELS - 2)]
        return "\n".join(lines) + f" v{padding(pad)}\n"

    return fill(skeleton("notes"), unit, size=DEEP_BYTES + SLACK_BYTES)


def duplicate_keys() -> str:
    """One feature whose summary is given again and again: a duplicate-key error each time."""
    head = skeleton() + "  - id: feature\n    area: jit\n    title: T\n    sources: [notes]\n    history: []\n"

    def unit(index: int, pad: int) -> str:
        return f"    summary: S{index:06d}{padding(pad)}\n"

    return fill(head, unit)


def empty_records() -> str:
    """Empty features up to the value limit: one value each, each missing every field, all with one (empty) id."""

    def unit(index: int, pad: int) -> str:
        # The comment only brings the file near the size limit: more bytes to read, twice.
        return f"  - {{}} #{padding(pad)}\n"

    return fill(skeleton(), unit)


def largest_valid() -> str:
    """The largest model generate.py writes within the value limit: no finding, so every command uses it."""
    releases, budget = 100, MAX_VALUES - SLACK_VALUES
    small, large = (shape(generate.document(releases, features)[1])[0] for features in (10, 20))
    features = 10 + (budget - small) * 10 // (large - small)  # values grow about linearly with features
    while True:
        text = generate.document(releases, features)[1]
        if shape(text)[0] <= budget:
            return text
        features -= 1


# name, how it is built (its docstring says what it is), the check most of its findings name
# ("" for none at all), and whether it has no errors, so that commands use it.
CASES: list[tuple[str, Callable[[], str], str, bool]] = [
    ("unknown-names", unknown_names, "unknown-reference", False),
    ("unused-sources", unused_sources, "unused-source", True),
    ("deep-nesting", deep_nesting, "unknown-field", False),
    ("duplicate-keys", duplicate_keys, "duplicate-key", False),
    ("empty-records", empty_records, "missing-field", False),
    ("largest-valid", largest_valid, "", True),
]


def write(directory: Path) -> list[dict[str, object]]:
    """Write every case into ``directory``; return what ``main`` prints for each."""
    written = []
    for name, build, check, accepted in CASES:
        text = build()
        path = directory / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        values, depth = shape(text)
        size = path.stat().st_size
        if size > MAX_BYTES or values > MAX_VALUES or depth > MAX_DEPTH:
            raise ValueError(f"{path}: {size} bytes, {values} values, {depth} levels: beyond the limits")
        written.append(
            {
                "name": name,
                "path": str(path),
                "bytes": size,
                "values": values,
                "depth": depth,
                "about": " ".join((build.__doc__ or "").split()),
                "check": check,
                "accepted": accepted,
            }
        )
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="where to write the files")
    args = parser.parse_args(argv)
    limits = {"max_bytes": MAX_BYTES, "max_depth": MAX_DEPTH, "max_values": MAX_VALUES}
    print(json.dumps({"limits": limits}))
    for record in write(args.directory):
        print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
