"""Helpers for the tests: a CLI runner with a wide, colourless output, and fixture paths."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from pytorch_diff.__main__ import run
from pytorch_diff.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
THREE_RELEASES = FIXTURES / "three_releases.yaml"
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "releases.yaml"


class Run:
    """The outcome of one ptdiff invocation."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def json(self) -> dict:
        return json.loads(self.stdout)

    def csv(self) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.stdout)))

    def table_rows(self) -> list[list[str]]:
        """The body rows of every Rich table in the output, as lists of cell texts."""
        return [
            [cell.strip() for cell in line.strip("│").split("│")]
            for line in self.stdout.splitlines()
            if line.startswith("│")
        ]


def ptdiff(*args: str, env: dict[str, str | None] | None = None) -> Run:
    """Run ptdiff in-process as ``ptdiff ARGS`` runs it, on a 200-column output that is no terminal.

    ``env`` adds variables, or removes those given as None, for the run.
    """
    return _in_process(lambda: run(list(args)), env)


def full_cli(*args: str, env: dict[str, str | None] | None = None) -> Run:
    """The same through the Typer app only, as any command line but the common ones goes."""
    return _in_process(lambda: main(list(args)), env)


def in_process(call: Callable[[], int | None], env: dict[str, str | None] | None) -> tuple[int | None, Run]:
    """Call ``call`` with stdout, stderr and ``env`` as the runners above give them: its result, and what it wrote."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    settings = {"COLUMNS": "200", **(env or {})}
    with mock.patch.dict(os.environ), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        for name, value in settings.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        code = call()
    return code, Run(code if code is not None else -1, _text(stdout), _text(stderr))


def _in_process(call: Callable[[], int], env: dict[str, str | None] | None) -> Run:
    return in_process(call, env)[1]


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode()  # type: ignore[attr-defined]
