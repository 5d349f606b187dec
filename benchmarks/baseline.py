"""The floor for this stack: PyYAML loads releases.yaml, Rich prints the releases. No CLI framework.

    python benchmarks/baseline.py [FILE]

``benchmarks/run.py`` times ``ptdiff`` against this script.  It uses libyaml's C loader when
PyYAML has it, so the floor is as low as this stack goes; it does no validation, caching or
argument parsing.  Keep it minimal: anything added here raises the floor for every target.
"""

import sys
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data" / "releases.yaml"
with open(path, "rb") as handle:
    data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

table = Table(title="PyTorch releases", title_justify="left")
for name in ("version", "date", "title"):
    table.add_column(name, overflow="fold")
for release in data["releases"]:
    table.add_row(str(release["version"]), str(release.get("date", "")), str(release["title"]))
Console(highlight=False).print(table)
