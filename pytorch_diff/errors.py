"""The one exception family of ptdiff, and the exit codes the CLI maps it to.

Every failure a user can cause (a bad data file, an unknown release name) is a
``PtdiffError``.  The CLI turns it into one line on stderr and ``exit_code``;
anything else reaching the top is a bug.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

EXIT_OK = 0
EXIT_CHECK_FAILED = 1  # a check the user asked for failed (validate, --fail-on)
EXIT_USAGE = 2  # bad usage, unknown name, unreadable or invalid data
EXIT_NO_TORCH = 3  # ``doctor``: torch is not installed or cannot be imported
EXIT_OUTPUT = 4  # the output could not be written (disk full, stdout closed)
EXIT_INTERRUPTED = 130  # Ctrl-C: the process ends by SIGINT, which shells report as 128 + 2

# The one table of exit codes: --help, README.md and the tests are held against it.
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "success (also when the reader of a pipe goes away early and nothing failed)"),
    (EXIT_CHECK_FAILED, "a check you asked for failed: validate found errors, --fail-on matched"),
    (EXIT_USAGE, "bad usage, an unknown name, or a data file that cannot be used"),
    (EXIT_NO_TORCH, "doctor: torch is not installed, or importing it failed, crashed or timed out"),
    (EXIT_OUTPUT, "the output could not be written: disk full, stdout closed"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C): ptdiff ends by the SIGINT itself"),
)


class Problem(NamedTuple):
    """One finding about a data file, printed as ``FILE:LINE:COL: LEVEL [check] message``."""

    file: str
    line: int  # 1-based; 0 when the problem has no position (e.g. the file is missing)
    column: int  # 1-based; 0 when unknown
    level: str  # "error" or "warning"
    check: str
    message: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.level} [{self.check}] {self.message}"


def did_you_mean(name: str, known: Collection[str]) -> str:
    """ "; did you mean 'x'?" for the closest of ``known`` (case-insensitively), or ""."""
    import difflib

    by_lower = {k.lower(): k for k in sorted(known)}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.5)
    return f"; did you mean {by_lower[close[0]]!r}?" if close else ""


class PtdiffError(Exception):
    """Base of every error ptdiff reports to the user."""

    exit_code = EXIT_USAGE


class UsageError(PtdiffError):
    """A command line that cannot be run as given."""


class UnknownNameError(PtdiffError):
    """A release, tool or area name that the data does not know."""


class TorchUnavailableError(PtdiffError):
    """``ptdiff doctor`` found no torch, or importing it failed, crashed or timed out."""

    exit_code = EXIT_NO_TORCH


class DataError(PtdiffError):
    """The data file could not be used; ``problems`` says why, first the decisive one.

    ``hint_file`` names the file for the hint to run ``ptdiff validate`` on it.
    """

    def __init__(self, problems: list[Problem], hint_file: str | None = None) -> None:
        self.problems = problems
        decisive = problems[0]
        first = f"{decisive.where}: [{decisive.check}] {decisive.message}"  # "error" is said once, before
        more = len(problems) - 1
        if more:
            command = "ptdiff validate" + (f" {_quoted(hint_file)}" if hint_file else "")
            first += f" (and {more} more problem{'s' if more > 1 else ''}; run '{command}' for all)"
        super().__init__(first)


def _quoted(name: str) -> str:
    import shlex

    return shlex.quote(name)
