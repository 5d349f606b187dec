"""Run commands one at a time through the bare spawner, and collect their wall times and peaks.

``Runner`` is the runner's side of ``spawner.py``: it sends each command as one JSON line and
reads back what the spawner measured.  ``interleaved`` is how every comparison is taken: the
commands compared run in turn, round after round, so that both see the same machine.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

SPAWNER = Path(__file__).resolve().parent / "spawner.py"
MIB = 1024 * 1024


class SetupError(Exception):
    """The benchmark cannot run: say why and exit 2."""


@dataclass
class Command:
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)  # on top of the run's environment
    exit_code: int = 0  # what it must exit with; anything else means the benchmark cannot run


@dataclass
class Samples:
    """Every measured run of one command."""

    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def mib(self) -> float:
        return statistics.median(self.peak_bytes) / MIB


class Runner:
    """Runs commands as children of the spawner, one at a time, and measures each one alone.

    ``floor`` is the spawner's own peak (no child can report less); ``lowest`` the lowest peak
    any command reported.  Use it as a context manager, so that the spawner always ends.
    """

    def __init__(self, env: dict[str, str], scratch: Path) -> None:
        self.env = env
        self.stdout = scratch / "stdout"  # the last command's output, for the caller to read
        self.stderr = scratch / "stderr"
        self.floor = 0
        self.lowest = 0
        self.spawner = subprocess.Popen(
            [sys.executable, "-I", "-S", str(SPAWNER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        assert self.spawner.stdin is not None
        self.spawner.stdin.close()
        self.spawner.wait()

    def once(self, command: Command) -> tuple[float, int]:
        """Run ``command``; return its wall time in seconds and peak RSS in bytes.

        Raise SetupError if it cannot start, exits otherwise than expected, or exits 0 having
        printed nothing: then it did not do what is meant to be measured.
        """
        assert self.spawner.stdin is not None and self.spawner.stdout is not None
        request = [command.argv, {**self.env, **command.env}, str(self.stdout), str(self.stderr)]
        self.spawner.stdin.write(json.dumps(request) + "\n")
        self.spawner.stdin.flush()
        reply = self.spawner.stdout.readline()
        if not reply:
            raise SetupError("the process that starts the commands died")
        seconds, peak, code, error, own = json.loads(reply)
        self.floor = max(self.floor, own)
        shown = " ".join(command.argv)
        if error:
            raise SetupError(f"cannot run `{command.argv[0]}`: {error}")
        if code != command.exit_code:
            stderr = self.stderr.read_text(errors="replace").strip()
            raise SetupError(f"`{shown}` exited with {code}, not {command.exit_code}: {stderr[-400:]}")
        if code == 0 and self.stdout.stat().st_size == 0:
            raise SetupError(f"`{shown}` printed nothing")
        self.lowest = min(self.lowest, peak) if self.lowest else peak
        return seconds, peak

    def output(self, command: Command) -> bytes:
        """Run ``command`` once, unmeasured; return what it printed."""
        self.once(command)
        return self.stdout.read_bytes()

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
            for index in list(range(shift, len(commands))) + list(range(shift)):
                seconds, peak = self.once(commands[index])
                samples[index].seconds.append(seconds)
                samples[index].peak_bytes.append(peak)
        return samples
