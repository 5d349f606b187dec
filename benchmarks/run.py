"""Time whole ``ptdiff`` processes against the floor of this stack, in the same run.

    python benchmarks/run.py [--runs 15] [--warmup 1] [--hostile-runs 3] [--ptdiff PATH]
                             [--no-scale] [--no-hostile] [--check]

Sections, in order (benchmarks/README.md explains each):

* common commands against ``baseline.py`` (PyYAML + Rich, no CLI framework), alternated;
* scale: ``ptdiff compare FIRST LAST`` on generated files of 2 to 50 releases;
* hostile files: ``validate`` and ``versions`` on worst-case files within the limits;
* the cache: every command prints the same with and without it.

The modules: ``cases.py`` says what is measured and the targets, ``measure.py`` runs commands
through ``spawner.py`` (the bare process that takes wall time and peak memory), ``report.py``
prints the tables; ``generate.py`` and ``hostile.py`` write the data files.

The cache lives in a temporary directory for the run, so the user's cache is neither used nor
touched; settings that change what is measured (CLEARED_ENV, e.g. PYTHONDONTWRITEBYTECODE,
which would make every run compile ptdiff from source) are removed from the environment.

Exit status: 0, or with ``--check`` 1 when any target is missed; 2 when the benchmark cannot
run at all (no ptdiff, a generated file that is not what it should be, a command that fails).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cases
import report
from measure import Command, Runner, SetupError

ROOT = Path(__file__).resolve().parent.parent

# Settings that would change what is measured if they leaked in from the caller's shell.
CLEARED_ENV = (
    "PTDIFF_DATA",
    "PTDIFF_NO_CACHE",
    "NO_COLOR",
    "FORCE_COLOR",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONTRACEMALLOC",
    "PYTHONDEVMODE",
    "PYTHONMALLOC",
    "PYTHONWARNINGS",
)

# Run with the measured ptdiff's Python: the versions of the stack it runs on.
STACK = """
import importlib.metadata as m, platform
def v(name):
    try:
        return m.version(name)
    except m.PackageNotFoundError:
        return None
try:
    import yaml
    c = "libyaml" if yaml.__with_libyaml__ else "pure Python"
except ImportError:
    c = "?"
parts = [f"Python {platform.python_version()}", f"PyYAML {v('PyYAML')} ({c})"]
parts += [f"Rich {v('rich')}", f"Typer {v('typer')}"]
if v("click"):
    parts.append(f"Click {v('click')}")
print(", ".join(parts))
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time ptdiff against a PyYAML + Rich baseline (see README.md).")
    parser.add_argument("--runs", type=int, default=15, help="measured runs of each command (default 15, min 10)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first; fills the cache (default 1)")
    parser.add_argument("--hostile-runs", type=int, default=3, help="measured runs per hostile file (default 3)")
    parser.add_argument(
        "--ptdiff",
        type=Path,
        default=Path(sys.executable).parent / "ptdiff",
        help="the ptdiff executable to measure (default: the one next to this Python)",
    )
    parser.add_argument("--no-scale", action="store_true", help="skip the scale section")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile-files section")
    parser.add_argument("--check", action="store_true", help="exit 1 if any target is missed")
    args = parser.parse_args(argv)
    if args.runs < 10:
        parser.error("--runs must be at least 10")
    if args.warmup < 1:
        parser.error("--warmup must be at least 1: it is what fills the cache")
    if args.hostile_runs < 1:
        parser.error("--hostile-runs must be at least 1")
    return args


def interpreter_of(script: Path) -> str:
    """The Python a console script runs with (its shebang), so the baseline uses the same one."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline(512).decode(errors="replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!"):
        words = first[2:].split()
        if words and "python" in Path(words[0]).name and Path(words[0]).is_file():
            return words[0]
    return sys.executable


def describe_stack(python: str) -> str:
    try:
        done = subprocess.run([python, "-c", STACK], capture_output=True, text=True, check=True)
    except (subprocess.CalledProcessError, OSError):
        return f"python {python}"
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ptdiff = args.ptdiff if args.ptdiff.is_absolute() else Path.cwd() / args.ptdiff
    if not (ptdiff.is_file() and os.access(ptdiff, os.X_OK)):
        print(f"run.py: no ptdiff executable at {ptdiff}; install the project or pass --ptdiff PATH", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="ptdiff-bench-") as scratch:
            failures = benchmark(args, str(ptdiff), Path(scratch))
    except SetupError as error:
        print(f"run.py: {error}", file=sys.stderr)
        return 2
    return 1 if failures and args.check else 0


def benchmark(args: argparse.Namespace, ptdiff: str, scratch: Path) -> list[str]:
    """Run every section; print the report; return the targets missed."""
    started = time.perf_counter()
    python = interpreter_of(Path(ptdiff))
    env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
    env.update({"XDG_CACHE_HOME": str(scratch / "cache"), "COLUMNS": "80", "LINES": "25"})
    failures: list[str] = []
    with Runner(env, scratch) as runner:
        version = runner.output(Command("version", [ptdiff, "--version"])).decode().strip()
        print(f"ptdiff benchmark: {args.runs} runs of each command after {args.warmup} warm-up, alternated")
        print(f"  measured:  {ptdiff} ({version})")
        print(f"  baseline:  {python} {cases.BASELINE.relative_to(ROOT)} (PyYAML + Rich, no CLI framework)")
        print(f"  stack:     {describe_stack(python)}")
        print(f"  machine:   {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
        print(f"  data:      {cases.SHIPPED.relative_to(ROOT)}; cache in a temporary XDG_CACHE_HOME, warm")
        print()

        failures += report.commands(cases.commands(runner, ptdiff, python, args.runs, args.warmup))
        scale_files = []
        if not args.no_scale:
            scale_files = cases.scale_files(runner, ptdiff, python, scratch)
            failures += report.scale(cases.scale(runner, ptdiff, python, scale_files, args.runs, args.warmup))
        if not args.no_hostile:
            limits, files = cases.hostile_files(python, scratch)
            results = cases.hostile(runner, ptdiff, files, args.hostile_runs)
            failures += report.hostile(results, files, limits, args.hostile_runs)
        print()
        compared, differ = cases.cache_differences(runner, ptdiff, scale_files)
        entries = len(list((scratch / "cache" / "ptdiff").glob("*.json")))
        failures += report.cache(compared, differ, entries)
        report.memory_floor(runner)

    print()
    if failures:
        print(f"{len(failures)} target(s) missed: {', '.join(failures)}")
    else:
        print("All targets met.")
    print(f"({time.perf_counter() - started:.0f} s)")
    return failures


if __name__ == "__main__":
    sys.exit(main())
