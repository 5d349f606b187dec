"""What each command does once its arguments are known: load, query, and the exit code.

No argument parsing and no Typer here.  ``cli.py`` (the Typer app) and ``shortcut.py``
(the common invocations, run without building that app) both call these functions, so a
command behaves the same whichever way it was reached.  Each returns an ``Outcome``: the
result to render and the exit code decided before any output is written, so that a
reader that goes away early (``| head``) cannot change it.  ``run`` renders the outcome
and is the one place where errors meet the user.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple, TextIO

from .errors import EXIT_CHECK_FAILED, EXIT_OK, EXIT_OUTPUT, DataError, PtdiffError

if TYPE_CHECKING:
    from .model import Model
    from .query.results import Result


class Outcome(NamedTuple):
    result: Result
    model: Model | None
    code: int = EXIT_OK
    reason: str = ""  # why a check failed: one line on stderr after the output


def run(command: Callable[[], Outcome], *, fmt: str = "table", color: bool | None = None, pager: bool = True) -> int:
    """Run ``command`` and render its outcome; return the exit code.

    A PtdiffError becomes one line on stderr and its exit code.  An output that cannot be
    written is one line and EXIT_OUTPUT; a reader that went away keeps the decided code.
    """
    try:
        outcome = command()
    except PtdiffError as error:
        return report_error(str(error), error.exit_code)
    from .render import render

    try:
        return write_output(
            lambda out: render(outcome.result, outcome.model, fmt, out, color=color, pager=pager), outcome.code
        )
    finally:
        if outcome.reason:
            _say(f"ptdiff: {outcome.reason}")


def write_output(write: Callable[[TextIO], None], code: int) -> int:
    """Call ``write`` on stdout and return ``code``, or EXIT_OUTPUT with one line if it cannot be written."""
    out = sys.stdout
    if out is None:  # started with stdout closed (`ptdiff show 1.0 >&-`)
        return report_error("cannot write the output: standard output is closed", EXIT_OUTPUT)
    try:
        write(out)
        out.flush()
    except BrokenPipeError:
        # The reader went away (`ptdiff show 1.0 | head -1`): what it wanted was written,
        # and the exit code was decided before.
        _silence_stdout()
        return code
    except OSError as error:
        _silence_stdout()
        return report_error(f"cannot write the output: {error.strerror or error}", EXIT_OUTPUT)
    return code


def report_error(message: str, code: int) -> int:
    """Write ``ptdiff: error: MESSAGE`` as one safe line on stderr; return ``code``.

    A closed or full stderr loses the line but never the exit code.
    """
    _say(f"ptdiff: error: {message}")
    return code


def _say(line: str) -> None:
    """One safe line on stderr; a closed or full stderr loses it, and nothing else."""
    from .text import visible

    try:
        sys.stderr.write(visible(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def show(release: str, *, areas: Sequence[str] = (), everything: bool = False, data: str | None = None) -> Outcome:
    """What ``release`` did and what came with it; with ``everything``, what it carried over too."""
    from .query import show_release

    model = _model(data)
    return Outcome(show_release(model, release, areas, everything), model)


def compare(
    old: str, new: str, *, areas: Sequence[str] = (), fail_on: str | None = None, data: str | None = None
) -> Outcome:
    """What changed from ``old`` to ``new``; exit 1 if ``fail_on`` matches the changes."""
    from .query import compare_releases

    model = _model(data)
    diff = compare_releases(model, old, new, areas)
    failing = diff.failing(fail_on) if fail_on is not None else ()
    if not failing:
        return Outcome(diff, model)
    what = "breaking" if fail_on == "breaking" else fail_on if fail_on != "any" else ""
    count = f"{len(failing)} {what} change{'s' * (len(failing) != 1)}".replace("  ", " ")
    names = ", ".join(change.feature.id for change in failing[:5]) + (", …" if len(failing) > 5 else "")
    reason = f"--fail-on {fail_on} matched: {count} from {diff.old.version} to {diff.new.version} ({names})"
    return Outcome(diff, model, EXIT_CHECK_FAILED, reason)


def tools(name: str | None = None, *, data: str | None = None) -> Outcome:
    """The tools announced beside releases, or one tool's full record."""
    return projects(name, kinds=("tool",), data=data)


def projects(
    name: str | None = None, *, kinds: Sequence[str] = (), release: str | None = None, data: str | None = None
) -> Outcome:
    """The projects that came with releases (of some kinds, of one release), or one's full record."""
    from .query import find_project, list_projects

    model = _model(data)
    if name:
        return Outcome(find_project(model, name, kinds), model)
    return Outcome(list_projects(model, kinds, release), model)


def versions(*, data: str | None = None) -> Outcome:
    """The known releases."""
    from .query import list_releases

    model = _model(data)
    return Outcome(list_releases(model), model)


def search(text: str, *, data: str | None = None) -> Outcome:
    """Records anywhere in the model that mention ``text``."""
    from .query import search as search_model

    model = _model(data)
    return Outcome(search_model(model, text), model)


def matrix(release: str, new: str | None = None, *, data: str | None = None) -> Outcome:
    """The backend matrix of ``release``, or how it changed up to ``new``."""
    from .query import backend_matrix

    model = _model(data)
    return Outcome(backend_matrix(model, release, new), model)


def doctor(*, areas: Sequence[str] = (), timeout: float = 60.0, data: str | None = None) -> Outcome:
    """The model's API names checked against the installed torch."""
    from .doctor import doctor as check_model

    model = _model(data)
    progress = _Progress()
    try:
        return Outcome(check_model(model, areas, timeout, progress if progress.shown else None), model)
    finally:
        progress.clear()


class _Progress:
    """A status line on a terminal's stderr, erased once the work is done; nothing elsewhere."""

    def __init__(self) -> None:
        try:
            self.shown = sys.stderr.isatty()
        except (AttributeError, ValueError, OSError):
            self.shown = False
        self.written = False

    def __call__(self, text: str) -> None:
        from .text import visible

        try:
            sys.stderr.write(f"ptdiff: {visible(text)}")
            sys.stderr.flush()
            self.written = True
        except (OSError, ValueError):
            pass

    def clear(self) -> None:
        if self.written:
            try:
                sys.stderr.write("\r\x1b[K")  # back to the start of the line, and erase it
                sys.stderr.flush()
            except (OSError, ValueError):
                pass


def validate(file: str | None = None) -> Outcome:
    """Every finding in a data file: 0 without errors, 1 with, 2 if it cannot be read at all."""
    from .load import check_releases, data_path
    from .query.results import Validation

    try:
        path, _ = data_path(file)
        model, problems = check_releases(file)
        code = EXIT_CHECK_FAILED if any(p.level == "error" for p in problems) else EXIT_OK
        name = str(path)
    except DataError as error:  # the file could not be read or parsed at all
        model, problems, code = None, error.problems, error.exit_code
        name = error.problems[0].file
    return Outcome(Validation(name, tuple(problems)), model, code)


def _model(data: str | None) -> Model:
    from .load import load_releases

    return load_releases(data)


def _silence_stdout() -> None:
    # Point stdout at /dev/null so that the interpreter's final flush cannot fail again.
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
