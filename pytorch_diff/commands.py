"""What each command does once its arguments are known: load, query, render, exit code.

No argument parsing and no Typer here.  ``cli.py`` (the Typer app) and ``shortcut.py``
(the common invocations, run without building that app) both call these functions, so a
command behaves the same whichever way it was reached.  Each returns its exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import EXIT_CHECK_FAILED, EXIT_OK, DataError, PtdiffError


def run_guarded(command: Callable[[], int]) -> int:
    """Run ``command``; a PtdiffError becomes one line on stderr and its exit code.

    The one place where errors meet the user, for both ways into a command.
    """
    try:
        return command()
    except PtdiffError as error:
        sys.stderr.write(f"ptdiff: error: {error}\n")
        return error.exit_code
    except BrokenPipeError:
        # The reader went away (`ptdiff show 1.0 | head -1`): what it wanted was written.
        _silence_stdout()
        return EXIT_OK


def show(
    release: str, area: str | None = None, fmt: str = "table", data: Path | None = None, no_color: bool = False
) -> int:
    """Everything in ``release``, or in one area of it."""
    from .query import show_release

    model = _model(data)
    return _emit(show_release(model, release, area), model, fmt, no_color)


def compare(
    old: str,
    new: str,
    area: str | None = None,
    fail_on: str | None = None,
    fmt: str = "table",
    data: Path | None = None,
    no_color: bool = False,
) -> int:
    """What changed from ``old`` to ``new``; exit 1 if ``fail_on`` matches the changes."""
    from .query import compare_releases

    model = _model(data)
    diff = compare_releases(model, old, new, area)
    _emit(diff, model, fmt, no_color)
    return EXIT_CHECK_FAILED if fail_on is not None and diff.fails(fail_on) else EXIT_OK


def tools(name: str | None = None, fmt: str = "table", data: Path | None = None, no_color: bool = False) -> int:
    """The announced tools, or one tool's full record."""
    from .query import find_project, list_projects

    model = _model(data)
    return _emit(find_project(model, name) if name else list_projects(model, "tool"), model, fmt, no_color)


def versions(fmt: str = "table", data: Path | None = None, no_color: bool = False) -> int:
    """The known releases."""
    from .query import list_releases

    model = _model(data)
    return _emit(list_releases(model), model, fmt, no_color)


def search(text: str, fmt: str = "table", data: Path | None = None, no_color: bool = False) -> int:
    """Records anywhere in the model that mention ``text``."""
    from .query import search as search_model

    model = _model(data)
    return _emit(search_model(model, text), model, fmt, no_color)


def matrix(
    release: str, new: str | None = None, fmt: str = "table", data: Path | None = None, no_color: bool = False
) -> int:
    """The backend matrix of ``release``, or how it changed up to ``new``."""
    from .query import backend_matrix

    model = _model(data)
    view = backend_matrix(model, new, release) if new else backend_matrix(model, release)
    return _emit(view, model, fmt, no_color)


def doctor(
    area: str | None, timeout: float, fmt: str = "table", data: Path | None = None, no_color: bool = False
) -> int:
    """The model's API names checked against the installed torch."""
    from .doctor import doctor as check_model

    model = _model(data)
    return _emit(check_model(model, area, timeout), model, fmt, no_color)


def validate(path: Path | None = None, fmt: str = "table", no_color: bool = False) -> int:
    """Every finding in a data file: 0 without errors, 1 with, 2 if it cannot be read at all."""
    from .load import check_releases, default_data_path
    from .query import Validation

    path = path or default_data_path()
    try:
        model, problems = check_releases(path)
        code = EXIT_CHECK_FAILED if any(p.level == "error" for p in problems) else EXIT_OK
    except DataError as error:  # the file could not be read or parsed at all
        model, problems, code = None, error.problems, error.exit_code
    _emit(Validation(str(path), tuple(problems)), model, fmt, no_color)
    return code


def _model(data: Path | None) -> Any:
    from .load import load_releases

    return load_releases(data)


def _emit(result: Any, model: Any, fmt: str, no_color: bool) -> int:
    from .render import render

    render(result, model, fmt, sys.stdout, color=False if no_color else None)
    return EXIT_OK


def _silence_stdout() -> None:
    # Point stdout at /dev/null so that the interpreter's final flush cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
