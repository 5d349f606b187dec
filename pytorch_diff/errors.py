"""The one exception family of ptdiff, and the exit codes the CLI maps it to.

Every failure a user can cause (a bad data file, an unknown release name) is a
``PtdiffError``.  The CLI turns it into one line on stderr and ``exit_code``;
anything else reaching the top is a bug.
"""

from __future__ import annotations

from typing import NamedTuple

EXIT_OK = 0
EXIT_CHECK_FAILED = 1  # a check the user asked for failed (validate, --fail-on)
EXIT_USAGE = 2  # bad usage, unknown name, unreadable or invalid data
EXIT_NO_TORCH = 3  # ``doctor``: torch is not installed or cannot be imported


class Problem(NamedTuple):
    """One finding about a data file, printed as ``FILE:LINE:COL: LEVEL [check] message``."""

    file: str
    line: int  # 1-based; 0 when the problem has no position (e.g. the file is missing)
    column: int  # 1-based; 0 when unknown
    level: str  # "error" or "warning"
    check: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.level} [{self.check}] {self.message}"


def did_you_mean(name: str, known: list[str] | set[str]) -> str:
    """ "; did you mean 'x'?" for the closest of ``known`` (case-insensitively), or ""."""
    import difflib

    by_lower = {k.lower(): k for k in sorted(known)}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.5)
    return f"; did you mean {by_lower[close[0]]!r}?" if close else ""


class PtdiffError(Exception):
    """Base of every error ptdiff reports to the user."""

    exit_code = EXIT_USAGE


class UnknownNameError(PtdiffError):
    """A release, tool or area name that the data does not know."""


class TorchUnavailableError(PtdiffError):
    """``ptdiff doctor`` found no torch, or importing it failed, crashed or timed out."""

    exit_code = EXIT_NO_TORCH


class DataError(PtdiffError):
    """The data file could not be used; ``problems`` says why, first the decisive one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0])
        more = len(problems) - 1
        if more:
            first += f" (and {more} more problem{'s' if more > 1 else ''}; run 'ptdiff validate' for all)"
        super().__init__(first)
