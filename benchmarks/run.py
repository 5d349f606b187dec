"""Time whole ``ptdiff`` processes against the floor of this stack, in the same run.

    python benchmarks/run.py [--runs 15] [--warmup 1] [--ptdiff PATH] [--check]

Each case runs as a fresh process, alternating with ``benchmarks/baseline.py`` (PyYAML + Rich,
no CLI framework), after a warm-up that also fills ptdiff's cache of parsed data.  For each
case it prints the median wall time and peak memory (the child's own ``ru_maxrss``, from
``os.wait4`` in a bare helper process: see SPAWNER) of both, their ratios, and whether the
ratios meet the targets.  A scale section times ``ptdiff compare FIRST LAST`` on generated
files of 2, 10, 25 and 50 releases against ``ptdiff compare 1.0 1.1`` on the shipped data.

The cache lives in a temporary directory for the run, so the user's cache is neither used nor
touched; settings that change what is measured (CLEARED_ENV, e.g. PYTHONDONTWRITEBYTECODE,
which would make every run compile ptdiff from source) are removed from the environment.

Exit status: 0, or with ``--check`` 1 when any target is missed; 2 when the benchmark cannot
run at all (no ptdiff, a generated file that does not validate, a case that errors).
"""

from __future__ import annotations

import argparse
import marshal
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHIPPED = ROOT / "data" / "releases.yaml"
BASELINE = HERE / "baseline.py"
GENERATE = HERE / "generate.py"

TIME_TARGET = 1.25  # table output and --help: x the baseline's median wall time
JSON_TIME_TARGET = 1.0  # --format json
MEMORY_TARGET = 1.3  # peak memory, every case
SCALE_TARGET = 1.5  # compare first..last on 50 releases, x compare 1.0 1.1 on the shipped data
SCALE_RELEASES = (2, 10, 25, 50)
SCALE_FEATURES = 60

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


class SetupError(Exception):
    """The benchmark cannot run: say why and exit 2."""


@dataclass
class Command:
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)  # on top of the run's environment


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def mib(self) -> float:
        return statistics.median(self.peak_bytes) / (1024 * 1024)


# The process that starts every measured command.  Linux reports, as a child's ru_maxrss,
# at least the peak RSS of the process it was spawned from (exec keeps the high-water mark
# of the memory it replaces), so a child of this runner could never look smaller than the
# runner itself.  This helper is a bare interpreter (-I -S, builtin modules only), smaller
# than any Python command it starts; the peak it adds is printed as the measurement floor.
SPAWNER = r"""
import marshal, os, resource, time

def read(n):
    data = b""
    while len(data) < n:
        chunk = os.read(0, n - len(data))
        if not chunk:
            raise SystemExit(0)
        data += chunk
    return data

def peak_of_self():
    # The high-water mark of this process's memory, which a child it spawns inherits; not
    # RUSAGE_SELF, which includes the peak of the runner this helper was itself spawned from.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

while True:
    argv, env, out, err = marshal.loads(read(int.from_bytes(read(4), "little")))
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, out, flags, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, err, flags, 0o600),
    ]
    try:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        # wait4: this child's own resource usage (RUSAGE_CHILDREN would be the largest so far).
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - start
        reply = (elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status), "")
    except OSError as error:
        reply = (0.0, 0, 127, str(error))
    reply += (peak_of_self(),)
    data = marshal.dumps(reply)
    os.write(1, len(data).to_bytes(4, "little") + data)
"""

# ru_maxrss is in KiB on Linux, in bytes on macOS.
RSS_UNIT = 1 if sys.platform == "darwin" else 1024


class Runner:
    """Runs commands as child processes, one at a time, and measures each one alone."""

    def __init__(self, env: dict[str, str], scratch: Path) -> None:
        self.env = env
        self.out = scratch / "stdout"
        self.err = scratch / "stderr"
        self.floor = 0  # the spawner's own peak RSS, in bytes: no child can report less
        self.lowest = 0  # the lowest peak any measured command reported
        self.spawner = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def close(self) -> None:
        assert self.spawner.stdin is not None
        self.spawner.stdin.close()
        self.spawner.wait()

    def _spawn(self, argv: list[str], env: dict[str, str]) -> tuple[float, int, int, str]:
        assert self.spawner.stdin is not None and self.spawner.stdout is not None
        request = marshal.dumps((argv, env, str(self.out), str(self.err)))
        self.spawner.stdin.write(len(request).to_bytes(4, "little") + request)
        self.spawner.stdin.flush()
        head = self.spawner.stdout.read(4)
        if len(head) < 4:
            raise SetupError("the process that starts the commands died")
        elapsed, peak, code, error, own = marshal.loads(self.spawner.stdout.read(int.from_bytes(head, "little")))
        self.floor = max(self.floor, own * RSS_UNIT)
        return elapsed, peak * RSS_UNIT, code, error

    def once(self, command: Command) -> tuple[float, int, bytes]:
        """Run ``command``; return its wall time, peak RSS in bytes and stdout.  Raise if it fails."""
        elapsed, peak, code, error = self._spawn(command.argv, {**self.env, **command.env})
        if error:
            raise SetupError(f"cannot run `{command.argv[0]}`: {error}")
        stdout = self.out.read_bytes()
        if code != 0:
            stderr = self.err.read_text(errors="replace").strip()
            raise SetupError(f"`{' '.join(command.argv)}` exited with {code}: {stderr[-400:]}")
        if not stdout:
            raise SetupError(f"`{' '.join(command.argv)}` printed nothing")
        self.lowest = min(self.lowest, peak) if self.lowest else peak
        return elapsed, peak, stdout

    def interleaved(self, commands: list[Command], runs: int, warmup: int) -> list[Samples]:
        """Measure ``commands`` round-robin, ``runs`` times each, after ``warmup`` unmeasured rounds.

        The order rotates every round (A B, B A, ... or A B C, B C A, ...), so that no command
        always runs first or always follows the same one.
        """
        for _ in range(warmup):
            for command in commands:
                self.once(command)
        samples = [Samples() for _ in commands]
        for round_ in range(runs):
            shift = round_ % len(commands)
            order = list(range(shift, len(commands))) + list(range(shift))
            for index in order:
                seconds, peak, _ = self.once(commands[index])
                samples[index].seconds.append(seconds)
                samples[index].peak_bytes.append(peak)
        return samples


# -- output ------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_table(headers: list[str], rows: list[list[str]], left: int = 1) -> None:
    """Plain columns: the first ``left`` columns left-aligned, the rest right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        parts = [str(c).ljust(w) if i < left else str(c).rjust(w) for i, (c, w) in pairs]
        return "  ".join(parts).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


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


def describe_stack(python: str) -> str:
    try:
        done = subprocess.run([python, "-c", STACK], capture_output=True, text=True, check=True)
    except (subprocess.CalledProcessError, OSError):
        return f"python {python}"
    return done.stdout.strip()


# -- the benchmark -----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time ptdiff against a PyYAML + Rich baseline (see README.md).")
    parser.add_argument("--runs", type=int, default=15, help="measured runs of each command (default 15, min 10)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first; fills the cache (default 1)")
    parser.add_argument(
        "--ptdiff",
        type=Path,
        default=Path(sys.executable).parent / "ptdiff",
        help="the ptdiff executable to measure (default: the one next to this Python)",
    )
    parser.add_argument("--no-scale", action="store_true", help="skip the scale section")
    parser.add_argument("--check", action="store_true", help="exit 1 if any target is missed")
    args = parser.parse_args(argv)
    if args.runs < 10:
        parser.error("--runs must be at least 10")
    if args.warmup < 1:
        parser.error("--warmup must be at least 1: it is what fills the cache")
    ptdiff = args.ptdiff if args.ptdiff.is_absolute() else Path.cwd() / args.ptdiff
    if not (ptdiff.is_file() and os.access(ptdiff, os.X_OK)):
        print(f"run.py: no ptdiff executable at {ptdiff}; install the project or pass --ptdiff PATH", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="ptdiff-bench-") as scratch:
            return benchmark(args, str(ptdiff), Path(scratch))
    except SetupError as error:
        print(f"run.py: {error}", file=sys.stderr)
        return 2


def benchmark(args: argparse.Namespace, ptdiff: str, scratch: Path) -> int:
    started = time.perf_counter()
    python = interpreter_of(Path(ptdiff))
    env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
    env.update({"XDG_CACHE_HOME": str(scratch / "cache"), "COLUMNS": "80", "LINES": "25"})
    runner = Runner(env, scratch)
    failures: list[str] = []
    try:
        version = runner.once(Command("version", [ptdiff, "--version"]))[2].decode().strip()
        print(f"ptdiff benchmark: {args.runs} runs of each command after {args.warmup} warm-up, alternated")
        print(f"  measured:  {ptdiff} ({version})")
        print(f"  baseline:  {python} {BASELINE.relative_to(ROOT)} (PyYAML + Rich, no CLI framework)")
        print(f"  stack:     {describe_stack(python)}")
        print(f"  machine:   {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
        print(f"  data:      {SHIPPED.relative_to(ROOT)}; cache in a temporary XDG_CACHE_HOME, warm")
        print()

        failures += main_section(runner, ptdiff, python, args)
        if not args.no_scale:
            failures += scale_section(runner, ptdiff, python, scratch, args)
        print()
        message, cache_ok = cache_check(runner, ptdiff, scratch)
        print(message)
        if not cache_ok:
            failures.append("cached output differs")
        mib = 1024 * 1024
        if runner.lowest > runner.floor * 1.05:
            print(
                f"Memory: each command's own peak RSS (ru_maxrss from os.wait4); the lowest, "
                f"{runner.lowest / mib:.1f} MiB, is above the {runner.floor / mib:.1f} MiB the process "
                "that starts them adds, so every peak above is the command's own."
            )
        else:
            print(
                f"Memory: WARNING: a peak of {runner.lowest / mib:.1f} MiB is at the {runner.floor / mib:.1f} MiB "
                "floor of the process that starts the commands; such peaks are that floor, not the command's."
            )
    finally:
        runner.close()

    print()
    if failures:
        print(f"{len(failures)} target(s) missed: {', '.join(failures)}")
    else:
        print("All targets met.")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 1 if failures and args.check else 0


CASES: list[tuple[list[str], float]] = [
    (["show", "1.0"], TIME_TARGET),
    (["compare", "1.0", "1.1"], TIME_TARGET),
    (["tools"], TIME_TARGET),
    (["--help"], TIME_TARGET),
    (["show", "1.0", "--format", "json"], JSON_TIME_TARGET),
    (["compare", "1.0", "1.1", "--format", "json"], JSON_TIME_TARGET),
    (["tools", "--format", "json"], JSON_TIME_TARGET),
]


def main_section(runner: Runner, ptdiff: str, python: str, args: argparse.Namespace) -> list[str]:
    baseline = Command("baseline", [python, str(BASELINE), str(SHIPPED)])
    headers = [
        "case",
        "median ms",
        "baseline ms",
        "ratio",
        "target",
        "peak MiB",
        "baseline MiB",
        "mem ratio",
        "target",
        "result",
    ]
    rows, failures, baseline_medians = [], [], []

    def row(label: str, case: Samples, base: Samples, time_target: float | None) -> list[str]:
        ratio, mem_ratio = case.ms / base.ms, case.mib / base.mib
        if time_target is None:
            result = "info"
        else:
            ok = ratio <= time_target and mem_ratio <= MEMORY_TARGET
            result = verdict(ok)
            if not ok:
                failures.append(label)
        return [
            label,
            f"{case.ms:.1f}",
            f"{base.ms:.1f}",
            f"{ratio:.2f}x",
            f"{time_target:.2f}x" if time_target else "-",
            f"{case.mib:.1f}",
            f"{base.mib:.1f}",
            f"{mem_ratio:.2f}x",
            f"{MEMORY_TARGET:.2f}x" if time_target else "-",
            result,
        ]

    for words, target in CASES:
        label = "ptdiff " + " ".join(words)
        case, base = runner.interleaved([Command(label, [ptdiff, *words]), baseline], args.runs, args.warmup)
        baseline_medians.append(base.ms)
        rows.append(row(label, case, base, target))

    # For information: the first run after installing, or any run with the cache off.
    label = "ptdiff show 1.0 (cold: PTDIFF_NO_CACHE=1)"
    cold = Command(label, [ptdiff, "show", "1.0"], {"PTDIFF_NO_CACHE": "1"})
    case, base = runner.interleaved([cold, baseline], args.runs, args.warmup)
    baseline_medians.append(base.ms)
    rows.append(row(label, case, base, None))

    print("Commands against the baseline (medians; ratio = ptdiff median / baseline median)")
    print()
    print_table(headers, rows)
    print()
    print(
        f"Noise: the baseline's median over the {len(baseline_medians)} lines above ranges "
        f"{min(baseline_medians):.1f} .. {max(baseline_medians):.1f} ms; a ratio closer to its target "
        "than that spread is within noise."
    )
    return failures


def scale_section(runner: Runner, ptdiff: str, python: str, scratch: Path, args: argparse.Namespace) -> list[str]:
    files = {}
    statements = {}
    for count in SCALE_RELEASES:
        path = scratch / f"releases-{count}.yaml"
        done = subprocess.run(
            [python, str(GENERATE), "--releases", str(count), "--features", str(SCALE_FEATURES), "-o", str(path)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SetupError(f"generate.py failed: {done.stderr.strip()}")
        match = re.search(r"(\d+) statements", done.stderr)
        statements[count] = match.group(1) if match else "?"
        # Validating the file proves it is usable, and (with no findings) fills the cache.
        report = runner.once(Command("validate", [ptdiff, "validate", str(path)]))[2].decode()
        if "0 errors, 0 warnings" not in report:
            raise SetupError(f"generated file {path} does not validate cleanly:\n{report}")
        files[count] = path

    def last_version(count: int) -> str:
        return f"{1 + (count - 1) // 10}.{(count - 1) % 10}"

    reference = Command("reference", [ptdiff, "compare", "1.0", "1.1"])
    commands = [reference] + [
        Command(f"{count}", [ptdiff, "compare", "1.0", last_version(count), "--data", str(files[count])])
        for count in SCALE_RELEASES
    ]
    samples = runner.interleaved(commands, args.runs, args.warmup)
    ref, scaled = samples[0], dict(zip(SCALE_RELEASES, samples[1:], strict=True))

    # What the same files cost the floor: PyYAML reading them, Rich printing their releases.
    floors = runner.interleaved(
        [Command(f"floor {count}", [python, str(BASELINE), str(files[count])]) for count in SCALE_RELEASES],
        max(5, args.runs // 3),
        1,
    )
    floor = dict(zip(SCALE_RELEASES, floors, strict=True))

    # For information: the largest file with the cache off.
    biggest = SCALE_RELEASES[-1]
    cold_command = Command(
        "cold",
        [ptdiff, "compare", "1.0", last_version(biggest), "--data", str(files[biggest])],
        {"PTDIFF_NO_CACHE": "1"},
    )
    cold = runner.interleaved([cold_command], max(5, args.runs // 3), 1)[0]

    failures = []
    rows = []
    for count in SCALE_RELEASES:
        s = scaled[count]
        ratio = s.ms / ref.ms
        if count == biggest:
            ok = ratio <= SCALE_TARGET
            target, result = f"{SCALE_TARGET:.2f}x", verdict(ok)
            if not ok:
                failures.append(f"compare 1.0 {last_version(count)} on {count} releases")
        else:
            target, result = "-", "info"
        rows.append(
            [
                f"{count} releases (1.0 .. {last_version(count)})",
                statements[count],
                f"{s.ms:.1f}",
                f"{ratio:.2f}x",
                target,
                f"{s.mib:.1f}",
                f"{floor[count].ms:.1f}",
                result,
            ]
        )
    rows.append(
        [
            f"{biggest} releases, cold (PTDIFF_NO_CACHE=1)",
            statements[biggest],
            f"{cold.ms:.1f}",
            f"{cold.ms / ref.ms:.2f}x",
            "-",
            f"{cold.mib:.1f}",
            f"{floor[biggest].ms:.1f}",
            "info",
        ]
    )

    print()
    print(
        f"Scale: ptdiff compare FIRST LAST on generated files ({SCALE_FEATURES} features each), "
        f"against ptdiff compare 1.0 1.1 on the shipped data: {ref.ms:.1f} ms, {ref.mib:.1f} MiB"
    )
    print()
    headers = ["data", "statements", "median ms", "vs 1.0 1.1", "target", "peak MiB", "floor ms", "result"]
    print_table(headers, rows)
    print()
    first, last = SCALE_RELEASES[0], SCALE_RELEASES[-1]
    growth = scaled[last].ms - scaled[first].ms
    steps = ", ".join(f"{a}->{b}: {scaled[b].ms - scaled[a].ms:+.1f} ms" for a, b in pairwise(SCALE_RELEASES))
    print(
        f"Growth: {steps}; {growth / (last - first):.2f} ms per release "
        f"({growth / (int(statements[last]) - int(statements[first])) * 1000:.1f} us per statement) "
        "from 2 to 50 releases."
    )
    print("floor ms: baseline.py on the same file (PyYAML parse + Rich table of its releases), for comparison.")
    return failures


def cache_check(runner: Runner, ptdiff: str, scratch: Path) -> tuple[str, bool]:
    """Each case's output must be the same with the (now warm) cache and without it."""
    commands = [[ptdiff, *words] for words, _ in CASES if words != ["--help"]]
    commands += [
        [ptdiff, "compare", "1.0", f"{1 + (n - 1) // 10}.{(n - 1) % 10}", "--data", str(scratch / f"releases-{n}.yaml")]
        for n in SCALE_RELEASES
        if (scratch / f"releases-{n}.yaml").exists()
    ]
    differ = []
    for argv in commands:
        warm = runner.once(Command("warm", argv))[2]
        cold = runner.once(Command("cold", argv, {"PTDIFF_NO_CACHE": "1"}))[2]
        if warm != cold:
            differ.append(" ".join(argv[1:]))
    entries = len(list((scratch / "cache" / "ptdiff").glob("*.pickle")))
    if differ:
        return f"Cache: {entries} entries; output DIFFERS with and without the cache for: {'; '.join(differ)}", False
    message = (
        f"Cache: {entries} {'entry' if entries == 1 else 'entries'} written during the run; with and without "
        f"the cache, all {len(commands)} commands print byte-identical output."
    )
    return message, True


if __name__ == "__main__":
    sys.exit(main())
