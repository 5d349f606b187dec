"""The ``ptdiff`` command line as a Typer app: declare and parse, then call ``commands.py``.

The most common command lines do not come here at all (``shortcut.py``).

Exit codes (the same for every command):
  0  success
  1  a check you asked for failed: ``validate`` found errors, ``compare --fail-on`` matched
  2  bad usage, an unknown name, or a data file that cannot be used
  3  ``doctor``: torch is not installed, or importing it failed, crashed or timed out
  130  interrupted (Ctrl-C): the process ends by SIGINT, which shells report as 130
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from . import __version__, commands
from .errors import EXIT_OK, PtdiffError
from .render import FORMATS

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 a check you asked for failed (validate found errors, --fail-on matched); "
    "2 bad usage, unknown name or unusable data; 3 torch not installed or not importable (doctor); "
    "130 interrupted."
)


class _Group(TyperGroup):
    """The ``ptdiff`` group.

    It builds only the command that runs (Typer would build all of them, ~10 ms of every
    start-up), and turns what the command returns, or the PtdiffError it raises, into the
    exit code (``commands.run_guarded``).
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        single = _COMMANDS.get(name)
        return typer.main.get_command(single) if single else None

    def invoke(self, ctx: Any) -> Any:
        code = TyperGroup.invoke(self, ctx) or EXIT_OK
        if code != EXIT_OK:
            raise typer.Exit(code)


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


def command(function: Callable[..., int]) -> Callable[..., int]:
    """Register a ptdiff command; it is turned into a Click command only when it runs."""
    single = typer.Typer(add_completion=False, **_SETTINGS)
    single.command()(function)
    _COMMANDS[function.__name__] = single
    return function


# The renderers' format names, as the choices Typer offers.
Format = enum.Enum("Format", [(name, name) for name in FORMATS], type=str)  # type: ignore[misc]


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
        from .load import load_releases

        return getattr(load_releases(_data(ctx, ctx.params.get("data"))), part)
    except PtdiffError:
        return ()


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
DataOption = Annotated[
    Optional[str],
    typer.Option(
        "--data",
        # No envvar here: the loader reads PTDIFF_DATA when no --data is given, so that a
        # --data before the command name still beats the environment.
        show_default=False,
        # Text, not a Path: the loader reports a missing, unreadable or empty name itself,
        # as one line, the same on each way into a command.
        help="Use this data file instead of the shipped one (PTDIFF_DATA does the same; --data wins).",
    ),
]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colour in tables (NO_COLOR does the same).")]
AreaOption = Annotated[
    Optional[list[str]], typer.Option("--area", "-a", help="Only this area (jit, distributed, ...); repeat for more.")
]
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
) -> int:
    """Everything in a release, grouped by area and marked new, changed or carried over."""
    return _run(lambda: commands.show(release, areas=area or (), data=_data(ctx, data)), format, no_color)


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
) -> int:
    """What changed between two releases: added, changed, deprecated, removed.

    Every release in between counts.  Naming the newer release first compares the same
    range and says so; comparing a release with itself shows no changes.
    """
    rule = fail_on.value if fail_on else None
    return _run(
        lambda: commands.compare(old, new, areas=area or (), fail_on=rule, data=_data(ctx, data)), format, no_color
    )


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
) -> int:
    """The tools announced beside PyTorch 1.1: Ax, BoTorch, idb, Memscout, mvfst."""
    return _run(lambda: commands.tools(name, data=_data(ctx, data)), format, no_color)


@command
def versions(
    ctx: typer.Context, format: FormatOption = Format.table, data: DataOption = None, no_color: NoColorOption = False
) -> int:
    """The known releases, with their dates."""
    return _run(lambda: commands.versions(data=_data(ctx, data)), format, no_color)


@command
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Text to look for, case-insensitively.")],
    format: FormatOption = Format.table,
    data: DataOption = None,
    no_color: NoColorOption = False,
) -> int:
    """Search features, API names, tools and ecosystem records in every release."""
    return _run(lambda: commands.search(text, data=_data(ctx, data)), format, no_color)


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
) -> int:
    """The torch.distributed backend support matrix (Gloo, NCCL, MPI on CPU and GPU)."""
    return _run(lambda: commands.matrix(release, new, data=_data(ctx, data)), format, no_color)


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
) -> int:
    """Check the model's API names against the installed torch: present, missing, not checkable.

    Reads the installed version from the package metadata, names the newest release in
    the model not newer than it, then imports torch once in a child Python, bounded by
    --timeout.  Missing names are a finding, not a failure: the exit code is 0.  Exits 3
    when torch is not installed, or importing it fails, crashes or times out.
    """
    return _run(lambda: commands.doctor(areas=area or (), timeout=timeout, data=_data(ctx, data)), format, no_color)


@command
def validate(
    ctx: typer.Context,
    file: Annotated[
        Optional[str],
        typer.Argument(help="The data file to check [default: --data, or the shipped one].", show_default=False),
    ] = None,
    format: FormatOption = Format.table,
    data: DataOption = None,
    no_color: NoColorOption = False,
) -> int:
    """Check a data file: schema, references, history order, and lint warnings.

    Prints each finding as FILE:LINE:COL: LEVEL [check] message.  Exits 0 when there are
    no errors, 1 when there are, and 2 when the file cannot be read or parsed at all.
    """
    chosen = file if file is not None else _data(ctx, data)
    return _run(lambda: commands.validate(chosen), format, no_color)


def _data(ctx: typer.Context, data: str | None) -> str | None:
    """The --data given after the command name, else the one before it."""
    return data if data is not None else ctx.obj


def _run(command: Callable[[], commands.Outcome], format: Format, no_color: bool) -> int:
    return commands.run(command, fmt=format.value, color=False if no_color else None)
