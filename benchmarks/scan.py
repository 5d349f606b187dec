"""Files per second of ``ptdiff scan`` on the torch package itself, against TorchFix, in the same run.

    python benchmarks/scan.py [--venv DIR] [--runs 3] [--torchfix-runs 1] [--torchfix-timeout 900]
                              [--sample K] [--check]

The files are the ``.py`` files of an installed ``torch==2.13.0``, as ``ptdiff scan``'s walk
finds them; every tool gets that same list of paths on its command line, so none of them
applies its own exclusions.  The torch package and TorchFix live in a separate virtual
environment (``--venv``, default /tmp/benchvenv), created and filled by this script when it is
missing: ``pip install torch==2.13.0 torchfix ruff`` (torch installs from a local wheel on this
project's machines; the README says so).  Nothing of theirs is copied into the repository.

Measured, each as a whole process, wall time, the median of its runs:

* ``python -m pytorch_diff scan FILES --from 1.0 --format json`` (this checkout's ptdiff,
  every core);
* ``torchfix FILES`` (TorchFix's own CLI; it uses every core by default);
* for reference, ``ruff check --select TID251`` with one banned-api entry per name of the
  model's rules (written to a temporary ruff.toml), ``--no-cache``.

Prints files/second for each and the ratio ptdiff/TorchFix (the target is at least 10).
TorchFix (LibCST) is slow on the largest files: a run that passes ``--torchfix-timeout``
seconds is stopped, with all its processes, and reported as a bound (at most N/timeout
files per second, so the ratio is at least so much).  ``--sample K`` measures every tool on
every K-th file only (the same files for all), for a quicker run.
Exit status: 0; with ``--check``, 1 when the ratio is below the target; 2 when a tool cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 10.0
TORCH = "torch==2.13.0"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", default="/tmp/benchvenv", help="environment with torch and torchfix")
    parser.add_argument("--runs", type=int, default=3, help="runs of ptdiff and ruff (median)")
    parser.add_argument("--torchfix-runs", type=int, default=1, help="runs of TorchFix (slow)")
    parser.add_argument("--torchfix-timeout", type=float, default=900.0, help="seconds before TorchFix is stopped")
    parser.add_argument("--sample", type=int, default=1, help="every K-th file only, for every tool")
    parser.add_argument("--check", action="store_true", help=f"exit 1 when ptdiff is not {TARGET_RATIO:g}x TorchFix")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    venv = Path(options.venv)
    try:
        prepare(venv)
        files = torch_files(venv)[:: max(1, options.sample)]
    except subprocess.CalledProcessError as error:
        print(f"cannot set up the environment: {error}", file=sys.stderr)
        return 2
    print(f"{len(files)} files, {sum(os.path.getsize(f) for f in files) / 1e6:.1f} MB: the .py files of {TORCH}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "XDG_CACHE_HOME": scratch}
        env.pop("PTDIFF_DATA", None)
        ptdiff = [sys.executable, "-m", "pytorch_diff", "scan", "--from", "1.0", "--format", "json", *files]
        torchfix = [str(venv / "bin" / "torchfix"), *files]
        config = ruff_config(Path(scratch))
        ruff = [str(venv / "bin" / "ruff"), "check", "--config", str(config), "--no-cache", "--exit-zero", *files]
        results: dict[str, float] = {}
        stopped: set[str] = set()
        for name, command, runs, timeout in (
            ("ptdiff scan", ptdiff, options.runs, None),
            ("torchfix", torchfix, options.torchfix_runs, options.torchfix_timeout),
            ("ruff TID251", ruff, options.runs, None),
        ):
            seconds, output = timed(command, runs, env, ok=(0, 1), timeout=timeout)
            results[name] = seconds
            if output is None:
                stopped.add(name)
                print(f"{name:12} > {seconds:6.0f} s  < {len(files) / seconds:6.1f} files/s  (stopped: did not finish)")
            else:
                print(f"{name:12} {seconds:8.2f} s  {len(files) / seconds:8.1f} files/s  ({findings(name, output)})")
    ratio = results["torchfix"] / results["ptdiff scan"]
    bound = "at least " if "torchfix" in stopped else ""
    print(f"ptdiff scan / TorchFix: {bound}{ratio:.1f}x files per second (target: at least {TARGET_RATIO:g}x)")
    print(f"ptdiff scan / ruff TID251: {results['ruff TID251'] / results['ptdiff scan']:.2f}x")
    return 1 if options.check and ratio < TARGET_RATIO else 0


def prepare(venv: Path) -> None:
    """Create the environment with torch, TorchFix and ruff unless it is there."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    missing = [p for p, exe in (("torchfix", "torchfix"), ("ruff", "ruff")) if not (venv / "bin" / exe).exists()]
    has_torch = subprocess.run(
        [str(python), "-c", "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is None)"],
        check=False,
    )
    if has_torch.returncode:
        missing.insert(0, TORCH)
    if missing:
        subprocess.run([str(python), "-m", "pip", "install", "-q", *missing], check=True)


def torch_files(venv: Path) -> list[str]:
    """The .py files of the installed torch, as ptdiff's walk lists them (without importing torch)."""
    from pytorch_diff.scan.files import Walk

    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import importlib.util; print(importlib.util.find_spec('torch').submodule_search_locations[0])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return [path for path in Walk([where]) if path.endswith(".py")]


def ruff_config(directory: Path) -> Path:
    """A ruff.toml banning every importable name of the model's rules, 1.0 to the newest release."""
    from pytorch_diff.load import load_releases
    from pytorch_diff.model import Version
    from pytorch_diff.scan.rules import build_rules

    model = load_releases()
    rules = build_rules(model, Version(1, 0), model.releases[-1].version)
    lines = ["[lint]", 'select = ["TID251"]', "[lint.flake8-tidy-imports.banned-api]"]
    lines += [f'"{name}".msg = "{found[0].code}"' for name, found in sorted(rules.names.items())]
    path = directory / "ruff.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def timed(
    command: list[str], runs: int, env: dict[str, str], ok: tuple[int, ...], timeout: float | None = None
) -> tuple[float, str | None]:
    """The median wall time of ``runs`` runs and the output of the last one; (timeout, None) if one is stopped."""
    times: list[float] = []
    output: str | None = ""
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        # A session of its own: a run that is stopped takes its worker processes with it.
        with subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        ) as process:
            try:
                stdout, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
                return float(timeout or 0), None
        times.append(time.perf_counter() - start)
        if process.returncode not in ok:
            raise SystemExit(f"{command[0]} failed ({process.returncode}): {stderr[-2000:]}")
        output = stdout
    return statistics.median(times), output


def findings(name: str, output: str) -> str:
    """How many findings a tool reported, for the record."""
    if name.startswith("ptdiff"):
        document = json.loads(output)
        return f"{len(document['findings'])} findings, {document['files']} files scanned"
    if name == "torchfix":
        return f"{sum(1 for line in output.splitlines() if ': TOR' in line)} findings"
    return f"{sum(1 for line in output.splitlines() if 'TID251' in line)} findings"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
