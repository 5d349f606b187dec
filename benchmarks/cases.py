"""What is measured, and the targets it is held to.

Four sections, each a function that runs its commands through a ``Runner`` and returns plain
results for ``report.py`` to print:

* ``commands``: common command lines against ``baseline.py``, alternated, with ratio targets;
* ``scale``: ``ptdiff compare FIRST LAST`` on generated files of 2 to 50 releases;
* ``hostile``: worst-case files within the limits (``hostile.py``), with absolute targets;
* ``cache_differences``: every command prints the same with and without the cache.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from measure import MIB, Command, Runner, Samples, SetupError

HERE = Path(__file__).resolve().parent
SHIPPED = HERE.parent / "data" / "releases.yaml"
BASELINE = HERE / "baseline.py"

# -- targets: ratios to a baseline measured in the same run ---------------------------
TIME_TARGET = 1.25  # table output and --help: x the baseline's median wall time
JSON_TIME_TARGET = 1.0  # --format json
MEMORY_TARGET = 1.3  # peak memory, every command
SCALE_TARGET = 1.5  # compare first..last on 50 releases, x compare 1.0 1.1 on the shipped data
SCALE_RELEASES = (2, 10, 25, 50)
SCALE_FEATURES = 60

# -- targets: absolute, as the security issue states them ------------------------------
HOSTILE_SECONDS = 5.0  # any file within the limits is checked in at most this (median of the runs)
HOSTILE_MIB = 300.0  # and no run peaks above this

# Each command line, and its time target (x the baseline).  All but --help run without Typer.
COMMANDS: list[tuple[list[str], float]] = [
    (["show", "1.0"], TIME_TARGET),
    (["compare", "1.0", "1.1"], TIME_TARGET),
    (["tools"], TIME_TARGET),
    (["--help"], TIME_TARGET),
    (["show", "1.0", "--format", "json"], JSON_TIME_TARGET),
    (["compare", "1.0", "1.1", "--format", "json"], JSON_TIME_TARGET),
    (["tools", "--format", "json"], JSON_TIME_TARGET),
]
NO_CACHE = {"PTDIFF_NO_CACHE": "1"}


def baseline_command(python: str, data: Path = SHIPPED) -> Command:
    return Command("baseline", [python, str(BASELINE), str(data)])


# -- commands against the baseline ------------------------------------------------------


@dataclass
class Compared:
    """One command's samples beside the baseline's, taken in the same rounds."""

    label: str
    case: Samples
    base: Samples
    time_target: float | None  # None: for information only

    @property
    def ratio(self) -> float:
        return self.case.ms / self.base.ms

    @property
    def memory_ratio(self) -> float:
        return self.case.mib / self.base.mib

    @property
    def ok(self) -> bool | None:
        if self.time_target is None:
            return None
        return self.ratio <= self.time_target and self.memory_ratio <= MEMORY_TARGET


def commands(runner: Runner, ptdiff: str, python: str, runs: int, warmup: int) -> list[Compared]:
    """Each of COMMANDS alternated with the baseline; then, for information, one with the cache off."""
    baseline = baseline_command(python)
    measured: list[tuple[Command, float | None]] = [
        (Command("ptdiff " + " ".join(words), [ptdiff, *words]), target) for words, target in COMMANDS
    ]
    # The first run after installing, or any run with the cache off.
    cold = Command("ptdiff show 1.0 (cold: PTDIFF_NO_CACHE=1)", [ptdiff, "show", "1.0"], NO_CACHE)
    measured.append((cold, None))
    results = []
    for command, target in measured:
        case, base = runner.interleaved([command, baseline], runs, warmup)
        results.append(Compared(command.label, case, base, target))
    return results


# -- scale ----------------------------------------------------------------------------


@dataclass
class ScaleFile:
    """A file written by generate.py, as its JSON line describes it."""

    path: str
    releases: int
    statements: int
    first: str
    last: str

    def compare(self, ptdiff: str) -> list[str]:
        return [ptdiff, "compare", self.first, self.last, "--data", self.path]


@dataclass
class Scale:
    reference: Samples  # compare 1.0 1.1 on the shipped data
    files: list[ScaleFile]
    samples: list[Samples]  # compare first..last on each file, warm cache
    floors: list[Samples]  # baseline.py reading each file
    cold: Samples  # the largest file with the cache off

    @property
    def ok(self) -> bool:
        """The target holds for the largest file; the smaller ones show how time grows."""
        return self.samples[-1].ms / self.reference.ms <= SCALE_TARGET


def scale_files(runner: Runner, ptdiff: str, python: str, scratch: Path) -> list[ScaleFile]:
    """Write one generated file per size; each must validate without any finding."""
    files = []
    for count in SCALE_RELEASES:
        path = scratch / f"releases-{count}.yaml"
        argv = [python, str(HERE / "generate.py"), "--releases", str(count), "--features", str(SCALE_FEATURES)]
        done = subprocess.run([*argv, "-o", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            raise SetupError(f"generate.py failed: {done.stderr.strip()}")
        made = json.loads(done.stdout)
        file = ScaleFile(str(path), made["releases"], made["statements"], made["first"], made["last"])
        # No findings proves the file is usable, and fills the cache: only such files are cached.
        report = runner.output(Command("validate", [ptdiff, "validate", file.path])).decode()
        if "0 errors, 0 warnings" not in report:
            raise SetupError(f"generated file {path} does not validate cleanly:\n{report[-2000:]}")
        files.append(file)
    return files


def scale(runner: Runner, ptdiff: str, python: str, files: list[ScaleFile], runs: int, warmup: int) -> Scale:
    reference = Command("reference", [ptdiff, "compare", "1.0", "1.1"])
    samples = runner.interleaved([reference] + [Command(f.path, f.compare(ptdiff)) for f in files], runs, warmup)
    # What the same files cost the floor: PyYAML reading them, Rich printing their releases.
    few = max(5, runs // 3)
    floors = runner.interleaved([baseline_command(python, Path(f.path)) for f in files], few, 1)
    cold = runner.interleaved([Command("cold", files[-1].compare(ptdiff), NO_CACHE)], few, 1)[0]
    return Scale(samples[0], files, samples[1:], floors, cold)


# -- hostile files -----------------------------------------------------------------------


@dataclass
class HostileFile:
    """A file written by hostile.py, as its JSON line describes it."""

    name: str
    path: str
    bytes: int
    values: int
    depth: int
    about: str
    check: str  # the check most findings must name; "" when there must be none
    accepted: bool
    findings: str = ""  # the summary line of ptdiff validate, once checked


@dataclass
class Hostile:
    file: HostileFile
    command: str  # validate or versions
    samples: Samples

    @property
    def max_ms(self) -> float:
        return max(self.samples.seconds) * 1000

    @property
    def max_mib(self) -> float:
        return max(self.samples.peak_bytes) / MIB

    @property
    def ok(self) -> bool:
        return self.samples.ms <= HOSTILE_SECONDS * 1000 and self.max_mib <= HOSTILE_MIB


def hostile_files(python: str, scratch: Path) -> tuple[dict[str, int], list[HostileFile]]:
    """Write the worst-case files with the measured ptdiff's Python; return that ptdiff's limits, and the files."""
    directory = scratch / "hostile"
    directory.mkdir()
    done = subprocess.run([python, str(HERE / "hostile.py"), str(directory)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SetupError(f"hostile.py failed: {done.stderr.strip()[-2000:]}")
    first, *rest = (json.loads(line) for line in done.stdout.splitlines())
    return first["limits"], [HostileFile(**record) for record in rest]


def hostile_commands(ptdiff: str, file: HostileFile) -> list[Command]:
    """validate and versions on ``file``, the cache off, each expected to exit as such a file must."""
    return [
        Command("validate", [ptdiff, "validate", file.path], NO_CACHE, exit_code=0 if file.accepted else 1),
        Command("versions", [ptdiff, "versions", "--data", file.path], NO_CACHE, exit_code=0 if file.accepted else 2),
    ]


def hostile(runner: Runner, ptdiff: str, files: list[HostileFile], runs: int) -> list[Hostile]:
    """Each file through each command, alternated; a first, unmeasured run checks the file is what it claims."""
    results = []
    for file in files:
        validate, versions = hostile_commands(ptdiff, file)
        runner.once(validate)
        file.findings = claimed_findings(runner.stdout, file)
        runner.once(versions)
        samples = runner.interleaved([validate, versions], runs, 0)
        results += [Hostile(file, command.label, s) for command, s in zip((validate, versions), samples, strict=True)]
    return results


def claimed_findings(output: Path, file: HostileFile) -> str:
    """The summary line of ``ptdiff validate FILE``; raise unless the findings are what the file claims.

    Without this, a generator that slipped past a limit would be refused at once, and its fast
    refusal would pass for a fast check.
    """
    findings = named = 0
    last = ""
    with output.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:  # one finding a line, then the summary: read as it comes, it can be 100 MB
            findings += 1
            if file.check and f"[{file.check}]" in line:
                named += 1
            last = line
    findings -= 1  # the summary line
    summary = last.removeprefix(f"{file.path}: ").strip()
    if not (named * 2 > findings if file.check else findings == 0):
        wanted = f"mostly [{file.check}] findings" if file.check else "no finding"
        raise SetupError(f"{file.path} should give {wanted}; ptdiff validate found {summary or 'nothing'}")
    return summary


# -- the cache --------------------------------------------------------------------------


def cache_differences(runner: Runner, ptdiff: str, files: list[ScaleFile]) -> tuple[int, list[str]]:
    """How many command lines were compared, and those whose output differs with the (warm) cache and without."""
    argvs = [[ptdiff, *words] for words, _ in COMMANDS if words != ["--help"]]
    argvs += [file.compare(ptdiff) for file in files]
    differ = []
    for argv in argvs:
        if runner.output(Command("warm", argv)) != runner.output(Command("cold", argv, NO_CACHE)):
            differ.append(" ".join(argv[1:]))
    return len(argvs), differ
