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
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


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


class PtdiffError(Exception):
    """Base of every error ptdiff reports to the user."""

    exit_code = EXIT_USAGE


class UnknownNameError(PtdiffError):
    """A release, tool or area name that the data does not know."""


class TorchUnavailableError(PtdiffError):
    """``ptdiff doctor`` found no torch, or importing it failed, crashed or timed out."""

    exit_code = EXIT_NO_TORCH


class DataError(PtdiffError):
    """The data file could not be used.

    ``readable`` is False when the file could not be read or parsed at all, and True
    when it was read but found invalid; ``ptdiff validate`` exits differently on each.
    """

    def __init__(self, problems: list[Problem], *, readable: bool) -> None:
        self.problems = problems
        self.readable = readable
        first = str(problems[0])
        more = len(problems) - 1
        if more:
            first += f" (and {more} more problem{'s' if more > 1 else ''}; run 'ptdiff validate' for all)"
        super().__init__(first)
