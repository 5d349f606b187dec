"""Helpers for the tests: a CLI runner with a wide, colourless output, and fixture paths."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from pytorch_diff.cli import app

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


def ptdiff(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run the CLI in-process on a 200-column terminal-less output."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    # The bytes as written: Click's ``result.stdout`` would turn CSV's CRLF into LF.
    return Run(result.exit_code, result.stdout_bytes.decode(), result.stderr_bytes.decode())
