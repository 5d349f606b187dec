"""Print the results of ``cases.py`` as plain tables; each section returns the targets it missed.

The layout is the one benchmarks/README.md explains ("Reading the output"): change both together.
"""

from __future__ import annotations

from itertools import pairwise

from cases import (
    HOSTILE_MIB,
    HOSTILE_SECONDS,
    MEMORY_TARGET,
    SCALE_FEATURES,
    SCALE_TARGET,
    Compared,
    Hostile,
    HostileFile,
    Scale,
)
from measure import MIB, Runner


def verdict(ok: bool | None) -> str:
    return "info" if ok is None else "PASS" if ok else "FAIL"


def table(headers: list[str], rows: list[list[str]], left: int = 1) -> None:
    """Plain columns: the first ``left`` columns left-aligned, the rest right-aligned."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in pairs).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def commands(results: list[Compared]) -> list[str]:
    """The commands against the baseline, and how noisy the baseline was."""
    headers = ["case", "median ms", "baseline ms", "ratio", "target", "peak MiB", "baseline MiB", "mem ratio", "target"]
    rows = [
        [
            r.label,
            f"{r.case.ms:.1f}",
            f"{r.base.ms:.1f}",
            f"{r.ratio:.2f}x",
            f"{r.time_target:.2f}x" if r.time_target else "-",
            f"{r.case.mib:.1f}",
            f"{r.base.mib:.1f}",
            f"{r.memory_ratio:.2f}x",
            f"{MEMORY_TARGET:.2f}x" if r.time_target else "-",
            verdict(r.ok),
        ]
        for r in results
    ]
    print("Commands against the baseline (medians; ratio = ptdiff median / baseline median)")
    print()
    table(headers + ["result"], rows)
    print()
    baselines = [r.base.ms for r in results]
    print(
        f"Noise: the baseline's median over the {len(baselines)} lines above ranges "
        f"{min(baselines):.1f} .. {max(baselines):.1f} ms; a ratio closer to its target "
        "than that spread is within noise."
    )
    return [r.label for r in results if r.ok is False]


def scale(result: Scale) -> list[str]:
    """compare FIRST LAST on each generated file, and how the time grows with releases."""
    ref, files = result.reference, result.files
    rows = []
    for index, (file, samples, floor) in enumerate(zip(files, result.samples, result.floors, strict=True)):
        last = index == len(files) - 1  # only the largest file has a target
        rows.append(
            [
                f"{file.releases} releases ({file.first} .. {file.last})",
                str(file.statements),
                f"{samples.ms:.1f}",
                f"{samples.ms / ref.ms:.2f}x",
                f"{SCALE_TARGET:.2f}x" if last else "-",
                f"{samples.mib:.1f}",
                f"{floor.ms:.1f}",
                verdict(result.ok if last else None),
            ]
        )
    biggest = files[-1]
    cold = result.cold
    rows.append(
        [
            f"{biggest.releases} releases, cold (PTDIFF_NO_CACHE=1)",
            str(biggest.statements),
            f"{cold.ms:.1f}",
            f"{cold.ms / ref.ms:.2f}x",
            "-",
            f"{cold.mib:.1f}",
            f"{result.floors[-1].ms:.1f}",
            "info",
        ]
    )
    print()
    print(
        f"Scale: ptdiff compare FIRST LAST on generated files ({SCALE_FEATURES} features each), "
        f"against ptdiff compare 1.0 1.1 on the shipped data: {ref.ms:.1f} ms, {ref.mib:.1f} MiB"
    )
    print()
    table(["data", "statements", "median ms", "vs 1.0 1.1", "target", "peak MiB", "floor ms", "result"], rows)
    print()
    timed = list(zip(files, (s.ms for s in result.samples), strict=True))
    steps = ", ".join(f"{a.releases}->{b.releases}: {y - x:+.1f} ms" for (a, x), (b, y) in pairwise(timed))
    growth = timed[-1][1] - timed[0][1]
    print(
        f"Growth: {steps}; {growth / (biggest.releases - files[0].releases):.2f} ms per release "
        f"({growth / (biggest.statements - files[0].statements) * 1000:.1f} us per statement) "
        f"from {files[0].releases} to {biggest.releases} releases."
    )
    print("floor ms: baseline.py on the same file (PyYAML parse + Rich table of its releases), for comparison.")
    return [] if result.ok else [f"compare {biggest.first} {biggest.last} on {biggest.releases} releases"]


def hostile(results: list[Hostile], files: list[HostileFile], limits: dict[str, int], runs: int) -> list[str]:
    """Each hostile file: its size and shape, then each command's time and peak; what each file is."""
    rows = []
    for r in results:
        file = r.file
        first = r.command == "validate"  # the file's own columns, once
        rows.append(
            [
                file.name if first else "",
                f"{file.bytes / MIB:.2f}" if first else "",
                f"{file.values:,}" if first else "",
                str(file.depth) if first else "",
                r.command,
                f"{r.samples.ms / 1000:.2f}",
                f"{r.max_ms / 1000:.2f}",
                f"{r.max_mib:.1f}",
                verdict(r.ok),
            ]
        )
    print()
    print(
        f"Hostile files: ptdiff validate FILE and ptdiff versions --data FILE, cache off, {runs} runs each. "
        f"Absolute targets: median at most {HOSTILE_SECONDS:.0f} s, every peak at most {HOSTILE_MIB:.0f} MiB."
    )
    print(
        f"Limits: {limits['max_bytes'] / MIB:.0f} MiB, {limits['max_values']:,} values, {limits['max_depth']} levels."
    )
    print()
    headers = ["file", "MiB", "values", "depth", "command", "median s", "max s", "peak MiB", "result"]
    table(headers, rows)
    print()
    for file in files:
        print(f"{file.name}: {file.about} ptdiff validate: {file.findings}.")
    return [f"{r.command} {r.file.name}" for r in results if not r.ok]


def cache(compared: int, differ: list[str], entries: int) -> list[str]:
    """Whether the cache changed any output."""
    if differ:
        print(f"Cache: {entries} entries; output DIFFERS with and without the cache for: {'; '.join(differ)}")
        return ["cached output differs"]
    print(
        f"Cache: {entries} {'entry' if entries == 1 else 'entries'} written during the run; with and without "
        f"the cache, all {compared} commands print byte-identical output."
    )
    return []


def memory_floor(runner: Runner) -> None:
    """Whether every peak measured is the command's own, above what the spawner adds."""
    if runner.lowest > runner.floor * 1.05:
        print(
            f"Memory: each command's own peak RSS (ru_maxrss from os.wait4); the lowest, "
            f"{runner.lowest / MIB:.1f} MiB, is above the {runner.floor / MIB:.1f} MiB the process "
            "that starts them adds, so every peak above is the command's own."
        )
    else:
        print(
            f"Memory: WARNING: a peak of {runner.lowest / MIB:.1f} MiB is at the {runner.floor / MIB:.1f} MiB "
            "floor of the process that starts the commands; such peaks are that floor, not the command's."
        )
