"""The ``ptdiff`` command: parse arguments, call a query, render it, choose the exit code.

Exit codes (the same for every command):
  0  success
  1  a check you asked for failed: ``validate`` found errors, ``compare --fail-on`` matched
  2  bad usage, an unknown name, or a data file that cannot be used
  3  ``doctor``: torch is not installed, or importing it failed, crashed or timed out
  130  interrupted (Ctrl-C)
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import EXIT_CHECK_FAILED, EXIT_OK, DataError, PtdiffError

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 a check you asked for failed (validate found errors, --fail-on matched); "
    "2 bad usage, unknown name or unusable data; 3 torch not installed or not importable (doctor); "
    "130 interrupted."
)


class _Group(TyperGroup):
    """The ``ptdiff`` group.

    It builds only the command that runs (Typer would build all of them, ~10 ms of every
    start-up), and it turns every PtdiffError into one line on stderr and its exit code:
    the one place that does.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        single = _COMMANDS.get(name)
        return typer.main.get_command(single) if single else None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PtdiffError as error:
            sys.stderr.write(f"ptdiff: error: {error}\n")
            raise typer.Exit(error.exit_code) from None
        except BrokenPipeError:
            # The reader went away (`ptdiff show 1.0 | head -1`): what it wanted was written.
            _silence_stdout()
            raise typer.Exit(EXIT_OK) from None


_SETTINGS: dict[str, Any] = {
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(
    cls=_Group,
    name="ptdiff",
    help="What is in a PyTorch release, what changed between two, and what came with it.\n\n" + EXIT_CODES_HELP,
    no_args_is_help=True,
    **_SETTINGS,
)
_COMMANDS: dict[str, typer.Typer] = {}  # command name -> a Typer app holding just that command


def command(function: Callable[..., None]) -> Callable[..., None]:
    """Register a ptdiff command; it is turned into a Click command only when it runs."""
    single = typer.Typer(add_completion=False, **_SETTINGS)
    single.command()(function)
    _COMMANDS[function.__name__] = single
    return function


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"


class FailOn(str, enum.Enum):
    breaking = "breaking"
    removed = "removed"
    any = "any"


def _complete_releases(ctx: typer.Context, incomplete: str) -> list[str]:
    names = [str(r.version) for r in _completion_model(ctx, "releases")]
    return [name for name in names if name.startswith(incomplete)]


def _complete_tools(ctx: typer.Context, incomplete: str) -> list[str]:
    names = [p.id for p in _completion_model(ctx, "projects") if p.kind == "tool"]
    return [name for name in names if name.startswith(incomplete.lower())]


def _completion_model(ctx: typer.Context, part: str) -> tuple[Any, ...]:
    """One part of the model, or nothing: completion must never fail loudly."""
    try:
        return getattr(_model(ctx, ctx.params.get("data")), part)
    except PtdiffError:
        return ()


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
DataOption = Annotated[
    Optional[Path],
    typer.Option(
        "--data",
        envvar="PTDIFF_DATA",
        show_default=False,
        dir_okay=True,
        help="Use this data file instead of the shipped one.",
    ),
]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colour in tables (NO_COLOR does the same).")]
AreaOption = Annotated[Optional[str], typer.Option("--area", "-a", help="Only this area (jit, distributed, ...).")]
ReleaseArgument = Annotated[
    str, typer.Argument(help="A release: 1.0, 1.0.0 or v1.0.", autocompletion=_complete_releases, show_default=False)
]


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"ptdiff {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data: DataOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version_callback, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """What is in a PyTorch release, what changed between two, and what came with it."""
    ctx.obj = data  # `ptdiff --data FILE show 1.0` and `ptdiff show 1.0 --data FILE` both work


@command
def show(
    ctx: typer.Context,
    release: ReleaseArgument,
    area: AreaOption = None,
    format: FormatOption = Format.table,
    data: DataOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Everything in a release, grouped by area and marked new, changed or carried over."""
    from .query import show_release

    model = _model(ctx, data)
    _emit(show_release(model, release, area), model, format, no_color)


@command
def compare(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The release you have.", autocompletion=_complete_releases)],
    new: Annotated[str, typer.Argument(help="The release you move to.", autocompletion=_complete_releases)],
    area: AreaOption = None,
    fail_on: Annotated[
        Optional[FailOn],
        typer.Option("--fail-on", help="Exit 1 if the comparison has breaking changes, removals, or any change."),
    ] = None,
    format: FormatOption = Format.table,
    data: DataOption = None,
    no_color: NoColorOption = False,
) -> None:
    """What changed between two releases: added, changed, deprecated, removed.

    Every release in between counts.  Naming the newer release first compares the same
    range and says so; comparing a release with itself shows no changes.
    """
    from .query import compare_releases

    model = _model(ctx, data)
    diff = compare_releases(model, old, new, area)
    _emit(diff, model, format, no_color)
    if fail_on is not None and diff.fails(fail_on.value):
        raise typer.Exit(EXIT_CHECK_FAILED)


@command
def tools(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],
        typer.Argument(help="One tool's full record.", autocompletion=_complete_tools, show_default=False),
    ] = None,
    format: FormatOption = Format.table,
    data: DataOption = None,
    no_color: NoColorOption = False,
) -> None:
    """The tools announced beside PyTorch 1.1: Ax, BoTorch, idb, Memscout, mvfst."""
    from .query import find_project, list_projects

    model = _model(ctx, data)
    _emit(find_project(model, name) if name else list_projects(model, "tool"), model, format, no_color)


@command
def versions(
    ctx: typer.Context, format: FormatOption = Format.table, data: DataOption = None, no_color: NoColorOption = False
) -> None:
    """The known releases, with their dates."""
    from .query import list_releases

    model = _model(ctx, data)
    _emit(list_releases(model), model, format, no_color)


@command
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Text to look for, case-insensitively.")],
    format: FormatOption = Format.table,
    data: DataOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Search features, API names, tools and ecosystem records in every release."""
    from .query import search as search_model

    model = _model(ctx, data)
    _emit(search_model(model, text), model, format, no_color)


@command
def matrix(
    ctx: typer.Context,
    release: ReleaseArgument,
    new: Annotated[
        Optional[str],
        typer.Argument(
            help="Compare with this release and mark changed cells.",
            autocompletion=_complete_releases,
            show_default=False,
        ),
    ] = None,
    format: FormatOption = Format.table,
    data: DataOption = None,
    no_color: NoColorOption = False,
) -> None:
    """The torch.distributed backend support matrix (Gloo, NCCL, MPI on CPU and GPU)."""
    from .query import backend_matrix

    model = _model(ctx, data)
    view = backend_matrix(model, new, release) if new else backend_matrix(model, release)
    _emit(view, model, format, no_color)


def _positive(value: float) -> float:
    if value <= 0:
        raise typer.BadParameter("must be more than 0")
    return value


@command
def doctor(
    ctx: typer.Context,
    area: AreaOption = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", callback=_positive, help="Seconds to wait for importing torch and checking the names."
        ),
    ] = 60.0,
    format: FormatOption = Format.table,
    data: DataOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Check the model's API names against the installed torch: present, missing, not checkable.

    Reads the installed version from the package metadata, names the newest release in
    the model not newer than it, then imports torch once in a child Python, bounded by
    --timeout.  Missing names are a finding, not a failure: the exit code is 0.  Exits 3
    when torch is not installed, or importing it fails, crashes or times out.
    """
    from .doctor import doctor as check_model

    model = _model(ctx, data)
    _emit(check_model(model, area, timeout), model, format, no_color)


@command
def validate(
    ctx: typer.Context,
    file: Annotated[
        Optional[Path],
        typer.Argument(help="The data file to check [default: --data, or the shipped one].", show_default=False),
    ] = None,
    format: FormatOption = Format.table,
    data: DataOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Check a data file: schema, references, history order, and lint warnings.

    Prints each finding as FILE:LINE:COL: LEVEL [check] message.  Exits 0 when there are
    no errors, 1 when there are, and 2 when the file cannot be read or parsed at all.
    """
    from .load import check_releases, default_data_path
    from .query import Validation

    path = file or data or ctx.obj or default_data_path()
    try:
        model, problems = check_releases(path)
        code = EXIT_CHECK_FAILED if any(p.level == "error" for p in problems) else EXIT_OK
    except DataError as error:  # the file could not be read or parsed at all
        model, problems, code = None, error.problems, error.exit_code
    _emit_validation(Validation(str(path), tuple(problems)), model, format, no_color)
    if code != EXIT_OK:
        raise typer.Exit(code)


def _emit_validation(result: Any, model: Any, fmt: Format, no_color: bool) -> None:
    if fmt is Format.table:  # compiler-style lines, so that editors can jump to them
        from .render.report import validation_summary

        for problem in result.problems:
            sys.stdout.write(f"{problem}\n")
        sys.stdout.write(f"{result.file}: {validation_summary(result)}\n")
    else:
        _emit(result, model, fmt, no_color)


def _model(ctx: typer.Context, data: Path | None) -> Any:
    from .load import load_releases

    return load_releases(data or ctx.obj)  # ctx.obj: a --data given before the command name


def _emit(result: Any, model: Any, fmt: Format, no_color: bool) -> None:
    from .render import render

    render(result, model, fmt.value, sys.stdout, color=False if no_color else None)


def _silence_stdout() -> None:
    # Point stdout at /dev/null so that the interpreter's final flush cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
