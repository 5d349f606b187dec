"""The ``ptdiff`` command line as a Typer app: declare and parse, then call ``commands.py``.

The most common command lines do not come here at all (``shortcut.py``).  ``main`` runs
the app and is the one place where a usage error becomes ``ptdiff: error: …`` and a hint
on stderr, with exit 2.  Options that shape the output (``--format``, ``--color``,
``--no-pager``, ``--data``) can be given before the command name or after it; after wins.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import typing
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, NamedTuple, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__, commands
from .errors import EXIT_CODES, EXIT_OK, EXIT_USAGE, PtdiffError, did_you_mean
from .query.results import LEGEND, FailOn
from .render import Format

# No public site yet: the README ships in the source distribution and is the package's description.
DOCS = "README.md (also `pip show --verbose ptdiff`'s description); `ptdiff help COMMAND` for each command"
SHELLS = ("bash", "zsh", "fish", "powershell")
COMPLETE_VAR = "_PTDIFF_COMPLETE"  # set by the completion scripts when they ask ptdiff for words
Color = Literal["auto", "always", "never"]


def _exit_codes_help() -> str:
    lines = "\n".join(f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES)
    return f"\b\nExit codes:\n{lines}"


def _examples(*lines: str) -> str:
    # "\b" keeps Click from rewrapping the lines of the paragraph that follows it.
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


class _Group(TyperGroup):
    """The ``ptdiff`` group.

    It builds only the command that runs (Typer would build all of them, ~10 ms of every
    start-up), suggests the closest command for a misspelt one, and turns what a command
    returns into the exit code.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        single = _COMMANDS.get(name)
        return typer.main.get_command(single) if single else None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0]
        if name not in _COMMANDS and not name.startswith("-"):
            raise _usage(ctx, f"no such command {name!r:.60}{did_you_mean(name[:60], list(_COMMANDS))}")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        code = TyperGroup.invoke(self, ctx) or EXIT_OK
        if code != EXIT_OK:
            raise typer.Exit(code)
        return code


class _Command(TyperCommand):
    """A ptdiff command: its usage line names required arguments plainly (OLD, not {OLD})."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [piece[1:-1] if piece[:1] == "{" else piece for piece in super().collect_usage_pieces(ctx)]


_SETTINGS: dict[str, Any] = {
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "add_completion": False,
    "context_settings": {"help_option_names": ["-h", "--help"], "max_content_width": 100},
}
app = typer.Typer(
    cls=_Group,
    name="ptdiff",
    help="What is in a PyTorch release, what changed between two, and what came with it.",
    epilog=_examples(
        "ptdiff show 1.0            everything in a release",
        "ptdiff compare 1.0 1.1     what changed between two releases",
        "ptdiff tools               Ax, BoTorch, idb, Memscout, mvfst",
        "ptdiff -f json show 1.1    one JSON document, for scripts",
    )
    + "\n\n"
    + "Words: "
    + LEGEND
    + "."
    + "\n\n"
    + _exit_codes_help()
    + f"\n\nDocumentation: {DOCS}.",
    invoke_without_command=True,
    **_SETTINGS,
)
_COMMANDS: dict[str, typer.Typer] = {}  # command name -> a Typer app holding just that command


def command(*examples: str) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Register a ptdiff command, with the examples its help ends with.

    The command is turned into a Click command only when it runs.  Its one-line summary
    is the first line of its docstring, shown whole in ``ptdiff --help``.  A command that
    takes ``out: Output`` gets the output options (--format, --data, --color, --no-color,
    --no-pager) declared for it, merged with those given before the command name.
    """

    def register(function: Callable[..., int]) -> Callable[..., int]:
        single = typer.Typer(**_SETTINGS)
        summary = (function.__doc__ or "").strip().splitlines()[0]
        entry = _with_output_options(function) if "out" in inspect.signature(function).parameters else function
        epilog = _examples(*examples) if examples else None
        single.command(cls=_Command, short_help=summary, epilog=epilog)(entry)
        _COMMANDS[function.__name__] = single
        return function

    return register


def _with_output_options(function: Callable[..., int]) -> Callable[..., int]:
    """``function`` as Typer sees it: its own parameters, then the output options in place of ``out``."""
    hints = typing.get_type_hints(function, include_extras=True)
    own = [p for p in inspect.signature(function).parameters.values() if p.name != "out"]
    options = {
        "format": (FormatOption, None),
        "data": (DataOption, None),
        "color": (ColorOption, None),
        "no_color": (NoColorOption, False),
        "no_pager": (NoPagerOption, False),
    }
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
        for name, (kind, default) in options.items()
    ]

    @functools.wraps(function)
    def entry(ctx: typer.Context, **values: Any) -> int:
        out = _output(ctx, *(values.pop(name) for name in ("data", "format", "color", "no_color", "no_pager")))
        return function(ctx, **values, out=out)

    parameters = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in own]
    parameters = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.name != "ctx" else p for p in parameters]
    entry.__signature__ = inspect.Signature(parameters + extra)  # type: ignore[attr-defined]
    entry.__annotations__ = {p.name: p.annotation for p in parameters + extra}
    del entry.__wrapped__  # Typer must read the signature above, not the original's
    return entry


class Output(NamedTuple):
    """How to show the result: set before the command name, after it, or not at all."""

    data: str | None = None
    fmt: Format | None = None
    color: Color | None = None
    pager: bool | None = None

    def merged(self, later: Output) -> Output:
        """These settings, with those given after the command name taking precedence."""
        return Output(
            data=self.data if later.data is None else later.data,
            fmt=self.fmt if later.fmt is None else later.fmt,
            color=self.color if later.color is None else later.color,
            pager=self.pager if later.pager is None else later.pager,
        )


NO_OUTPUT_OPTIONS = Output()  # what a command's `out` holds before the decorator fills it in


def _complete_releases(ctx: typer.Context, incomplete: str) -> list[str]:
    names = [str(r.version) for r in _completion_model(ctx, "releases")] + ["latest"]
    return [name for name in names if name.startswith(incomplete)]


def _complete_tools(ctx: typer.Context, incomplete: str) -> list[str]:
    names = [p.id for p in _completion_model(ctx, "projects") if p.kind == "tool"]
    return [name for name in names if name.startswith(incomplete.lower())]


def _complete_projects(ctx: typer.Context, incomplete: str) -> list[str]:
    names = [p.id for p in _completion_model(ctx, "projects")]
    return [name for name in names if name.startswith(incomplete.lower())]


def _complete_areas(ctx: typer.Context, incomplete: str) -> list[str]:
    names = list(_completion_model(ctx, "areas"))
    return [name for name in names if name.startswith(incomplete.lower())]


def _complete_kinds(ctx: typer.Context, incomplete: str) -> list[str]:
    from .model import PROJECT_KINDS

    return [kind for kind in PROJECT_KINDS if kind.startswith(incomplete.lower())]


def _completion_model(ctx: typer.Context, part: str) -> Any:
    """One part of the model, or nothing: completion must never fail loudly."""
    try:
        from .load import load_releases

        before = ctx.find_root().obj
        given = ctx.params.get("data") or (before.data if isinstance(before, Output) else None)
        return getattr(load_releases(given), part)
    except PtdiffError:
        return ()


FormatOption = Annotated[
    Optional[Format],
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="Output format: table, json, markdown or csv.", show_default=False
    ),
]
DataOption = Annotated[
    Optional[str],
    typer.Option(
        "--data",
        metavar="FILE",
        # No envvar here: the loader reads PTDIFF_DATA when no --data is given, so that a
        # --data before the command name still beats the environment.  Text, not a Path:
        # the loader reports a missing, unreadable or empty name itself, as one line.
        show_default=False,
        help="Read this data file instead of the shipped one (PTDIFF_DATA does the same; --data wins).",
    ),
]
ColorOption = Annotated[
    Optional[Color],
    typer.Option(
        "--color",
        metavar="WHEN",
        show_default=False,
        help="Colour: auto (on a terminal, unless NO_COLOR is set), always, or never.",
    ),
]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="Same as --color never.")]
NoPagerOption = Annotated[
    bool, typer.Option("--no-pager", help="Never page long output (PTDIFF_PAGER= does the same).")
]
AreaOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--area",
        "-a",
        metavar="AREA",
        autocompletion=_complete_areas,
        help="Only this area (jit, distributed, ...); repeat for several.",
    ),
]
ReleaseArgument = Annotated[
    str,
    typer.Argument(metavar="VERSION", help="A release: 1.0, 1.0.0, v1.0 or latest.", autocompletion=_complete_releases),
]


def _output(
    ctx: typer.Context, data: str | None, fmt: Format | None, color: Color | None, no_color: bool, no_pager: bool
) -> Output:
    before = ctx.find_root().obj if isinstance(ctx.find_root().obj, Output) else Output()
    after = Output(data, fmt, "never" if no_color else color, False if no_pager else None)
    return before.merged(after)


def _run(output: Output, command: Callable[[], commands.Outcome]) -> int:
    color = {"always": True, "never": False}.get(output.color or "auto")
    return commands.run(command, fmt=output.fmt or "table", color=color, pager=output.pager is not False)


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"ptdiff {__version__}\n")
        raise typer.Exit()


def _completion_callback(ctx: typer.Context, value: str | None) -> None:
    if value is None:
        return
    from typer._completion_shared import get_completion_script

    shell = value or os.path.basename(os.environ.get("SHELL", ""))
    if shell not in SHELLS:
        raise _usage(ctx, f"cannot tell which shell this is; name it: --show-completion {{{','.join(SHELLS)}}}")
    sys.stdout.write(get_completion_script(prog_name="ptdiff", complete_var=COMPLETE_VAR, shell=shell) + "\n")
    raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data: DataOption = None,
    format: FormatOption = None,
    color: ColorOption = None,
    no_color: NoColorOption = False,
    no_pager: NoPagerOption = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version_callback, is_eager=True, help="Show the version and exit."),
    ] = False,
    show_completion: Annotated[
        Optional[str],
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            callback=_completion_callback,
            is_eager=True,
            help="Print the completion script for SHELL (bash, zsh, fish, powershell) and exit.",
        ),
    ] = None,
) -> None:
    """What is in a PyTorch release, what changed between two, and what came with it."""
    ctx.obj = Output(data, format, "never" if no_color else color, False if no_pager else None)
    if ctx.invoked_subcommand is None:  # plain `ptdiff`: the help, on stdout, as gh and git do
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit(EXIT_OK)


@command("ptdiff show 1.0", "ptdiff show 1.1 --area jit --all", "ptdiff show latest -f markdown")
def show(
    ctx: typer.Context,
    release: ReleaseArgument,
    area: AreaOption = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Also list what the release carried over unchanged.")
    ] = False,
    out: Output = NO_OUTPUT_OPTIONS,
) -> int:
    """What a release did, feature by feature, and the projects that came with it.

    Each feature is marked added, changed, deprecated or removed: what the release did.
    Features it carried over unchanged are counted, and listed with --all; a deprecated
    one stays marked as such.
    """
    return _run(out, lambda: commands.show(release, areas=area or (), everything=everything, data=out.data))


@command(
    "ptdiff compare 1.0 1.1",
    "ptdiff compare 1.0 1.1 --area distributed",
    "ptdiff compare 1.0 latest --fail-on breaking",
)
def compare(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(metavar="OLD", help="The release you have.", autocompletion=_complete_releases)],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="The release you move to.", autocompletion=_complete_releases)
    ],
    area: AreaOption = None,
    fail_on: Annotated[
        Optional[FailOn],
        typer.Option(
            "--fail-on",
            metavar="WHAT",
            help="Exit 1 if the comparison has breaking changes, removals, deprecations, or any change at all.",
        ),
    ] = None,
    out: Output = NO_OUTPUT_OPTIONS,
) -> int:
    """What changed between two releases: added, changed, deprecated, removed, and what breaks.

    Every release in between counts.  Naming the newer release first compares the same
    range and says so; comparing a release with itself shows no changes.  With --fail-on,
    a match prints one line on stderr saying why, and exits 1.
    """
    return _run(out, lambda: commands.compare(old, new, areas=area or (), fail_on=fail_on, data=out.data))


@command("ptdiff tools", "ptdiff tools botorch")
def tools(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],
        typer.Argument(
            metavar="NAME", help="One tool's full record.", autocompletion=_complete_tools, show_default=False
        ),
    ] = None,
    out: Output = NO_OUTPUT_OPTIONS,
) -> int:
    """The tools announced beside PyTorch 1.1: Ax, BoTorch, idb, Memscout, mvfst."""
    return _run(out, lambda: commands.tools(name, data=out.data))


@command("ptdiff projects", "ptdiff projects --kind cloud", "ptdiff projects --release 1.0", "ptdiff projects horovod")
def projects(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],
        typer.Argument(
            metavar="NAME",
            help="One project's full record, by id or name.",
            autocompletion=_complete_projects,
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        Optional[list[str]],
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            autocompletion=_complete_kinds,
            help="Only this kind: tool, ecosystem, cloud, course, roadmap; repeat for several.",
        ),
    ] = None,
    release: Annotated[
        Optional[str],
        typer.Option(
            "--release",
            "-r",
            metavar="VERSION",
            help="Only what came with this release.",
            autocompletion=_complete_releases,
        ),
    ] = None,
    out: Output = NO_OUTPUT_OPTIONS,
) -> int:
    """Everything that came with the releases: tools, ecosystem projects, cloud partners, courses, roadmap."""
    return _run(out, lambda: commands.projects(name, kinds=kind or (), release=release, data=out.data))


@command("ptdiff versions", "ptdiff versions -f csv")
def versions(
    ctx: typer.Context,
    out: Output = NO_OUTPUT_OPTIONS,
) -> int:
    """The known releases, with their dates, builds and announcements."""
    return _run(out, lambda: commands.versions(data=out.data))


@command("ptdiff search tensorboard", "ptdiff search nccl barrier", "ptdiff search cloud")
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str], typer.Argument(metavar="TEXT...", help="Words to look for, in any case and any order.")
    ],
    out: Output = NO_OUTPUT_OPTIONS,
) -> int:
    """Find the features and projects that contain every word, with the release where each matched."""
    return _run(out, lambda: commands.search(" ".join(words), data=out.data))


@command("ptdiff matrix 1.0", "ptdiff matrix 1.0 1.1")
def matrix(
    ctx: typer.Context,
    release: ReleaseArgument,
    new: Annotated[
        Optional[str],
        typer.Argument(
            metavar="NEW",
            help="Compare with this release and mark changed cells.",
            autocompletion=_complete_releases,
            show_default=False,
        ),
    ] = None,
    out: Output = NO_OUTPUT_OPTIONS,
) -> int:
    """The torch.distributed backend support matrix (Gloo, MPI, NCCL on CPU and GPU), or how it changed."""
    return _run(out, lambda: commands.matrix(release, new, data=out.data))


def _positive(value: float) -> float:
    if value <= 0:
        raise typer.BadParameter("must be more than 0")
    return value


@command("ptdiff doctor", "ptdiff doctor --area jit", "ptdiff doctor -f json --timeout 120")
def doctor(
    ctx: typer.Context,
    area: AreaOption = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            callback=_positive,
            help="Seconds to wait for importing torch and checking the names.",
        ),
    ] = 60.0,
    out: Output = NO_OUTPUT_OPTIONS,
) -> int:
    """Check the model's API names against the installed torch, judged by the release it is.

    Reads the installed version from the package metadata, takes the newest release in
    the model not newer than it, then imports torch once in a child Python, bounded by
    --timeout.  A name is missing, present but removed (the two findings), not
    checkable, deprecated, present, not yet added, or removed.  Findings are not
    failures: the exit code is 0.  Exits 3 when torch is not installed, or importing it
    fails, crashes or times out.
    """
    return _run(out, lambda: commands.doctor(areas=area or (), timeout=timeout, data=out.data))


@command("ptdiff validate", "ptdiff validate my-releases.yaml", "ptdiff validate -f json my-releases.yaml")
def validate(
    ctx: typer.Context,
    file: Annotated[
        Optional[str],
        typer.Argument(
            metavar="FILE", help="The data file to check [default: --data, or the shipped one].", show_default=False
        ),
    ] = None,
    out: Output = NO_OUTPUT_OPTIONS,
) -> int:
    """Check a data file: schema, references, history order, characters, and lint warnings.

    Prints each finding as FILE:LINE:COL: LEVEL [check] message.  Exits 0 when there are
    no errors, 1 when there are, and 2 when the file cannot be read or parsed at all.
    """
    chosen = file if file is not None else out.data
    return _run(out._replace(pager=False), lambda: commands.validate(chosen))


@command(
    "ptdiff scan src",
    "ptdiff scan . --from 1.0 --to 1.1",
    "ptdiff scan src --format sarif > ptdiff.sarif",
    "ptdiff scan src --format github --fail-on deprecated",
)
def scan(
    ctx: typer.Context,
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="Files and directories to scan (.py files and notebooks).")
    ],
    from_: Annotated[
        Optional[str],
        typer.Option(
            "--from",
            metavar="VERSION",
            autocompletion=_complete_releases,
            show_default=False,
            help="The lowest release you support [default: the torch your project declares, else the oldest].",
        ),
    ] = None,
    to: Annotated[
        Optional[str],
        typer.Option(
            "--to",
            metavar="VERSION",
            autocompletion=_complete_releases,
            show_default=False,
            help="The release you upgrade to [default: the newest].",
        ),
    ] = None,
    format: Annotated[
        Optional[Literal["text", "json", "sarif", "markdown", "github"]],
        typer.Option(
            "--format", "-f", metavar="FORMAT", show_default=False, help="text, json, sarif, markdown or github."
        ),
    ] = None,
    fail_on: Annotated[
        Optional[Literal["removed", "breaking", "deprecated", "floor", "any"]],
        typer.Option(
            "--fail-on",
            metavar="WHAT",
            show_default=False,
            help="Exit 1 on findings of this kind or worse: removed, breaking (default), deprecated, floor, any.",
        ),
    ] = None,
    exclude: Annotated[
        Optional[list[str]],
        typer.Option("--exclude", metavar="GLOB", help="Skip files and directories matching GLOB; repeat for several."),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],
        typer.Option("--ignore", metavar="CODE", help="Drop findings of CODE or a prefix (PTD2); repeat for several."),
    ] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings match --fail-on.")] = False,
    data: DataOption = None,
) -> int:
    """Find in your code what an upgrade of torch breaks: removed, deprecated and changed names.

    Codes: PTD101 removed, PTD102 deprecated, PTD103 changed in a breaking way, PTD201
    newer than the lowest release you support, PTD900 a file that could not be parsed.
    Settings also come from [tool.ptdiff] in pyproject.toml.  A "# noqa" comment (or
    "# noqa: PTD102") silences its line.  Exits 1 when a finding matches --fail-on, 2 on
    a usage or data error.
    """
    from .scan.command import build_report, scan

    before = ctx.find_root().obj if isinstance(ctx.find_root().obj, Output) else Output()
    fmt = format or {"table": "text"}.get(before.fmt or "table", before.fmt or "text")
    chosen = data if data is not None else before.data
    return scan(
        lambda: build_report(
            paths, from_=from_, to=to, exclude=exclude or (), ignore=ignore or (), fail_on=fail_on, data=chosen
        ),
        fmt=fmt,
        exit_zero=exit_zero,
    )


@command("ptdiff help", "ptdiff help compare")
def help(
    ctx: typer.Context,
    name: Annotated[
        Optional[str], typer.Argument(metavar="COMMAND", help="The command to explain.", show_default=False)
    ] = None,
) -> int:
    """Show the help of ptdiff, or of one command."""
    root = ctx.find_root()
    if name is None:
        sys.stdout.write(root.get_help() + "\n")
        return EXIT_OK
    if name not in _COMMANDS:
        raise _usage(ctx, f"no such command {name!r:.60}{did_you_mean(name[:60], list(_COMMANDS))}")
    target = typer.main.get_command(_COMMANDS[name])
    with target.make_context(name, [], parent=root, resilient_parsing=True) as sub:
        sys.stdout.write(sub.get_help() + "\n")
    return EXIT_OK


class UsageProblem(Exception):
    """A command line that cannot be parsed; ``main`` prints it and the hint."""

    def __init__(self, message: str, command_path: str) -> None:
        super().__init__(message)
        self.command_path = command_path


def _usage(ctx: Any, message: str) -> UsageProblem:
    return UsageProblem(message, ctx.command_path if ctx is not None else "ptdiff")


def main(argv: Sequence[str]) -> int:
    """Run the command line ``argv``; return the exit code."""
    if COMPLETE_VAR in os.environ:  # a shell asks for completions: Typer's shell classes answer
        from typer._completion_classes import completion_init

        completion_init()
    try:
        result = app(args=list(argv), prog_name="ptdiff", standalone_mode=False)
    except typer.Exit as done:
        return int(done.exit_code)
    except SystemExit as done:  # shell completion ends with sys.exit
        return done.code if isinstance(done.code, int) else EXIT_OK
    except typer.Abort:
        return commands.report_error("aborted", EXIT_USAGE)
    except UsageProblem as problem:
        return _usage_lines(str(problem), problem.command_path)
    except Exception as error:
        # Click's usage errors (unknown option, bad value, missing argument) carry exit
        # code 2 and their context; anything else is a bug and is raised as such.
        if getattr(error, "exit_code", None) != EXIT_USAGE or not hasattr(error, "format_message"):
            raise
        ctx = getattr(error, "ctx", None)
        return _usage_lines(_click_message(error), ctx.command_path if ctx is not None else "ptdiff")
    return int(result) if isinstance(result, int) else EXIT_OK


def _click_message(error: Any) -> str:
    """Click's message for a usage error, as one line in ptdiff's words, with a suggestion."""
    import re

    message = " ".join(str(error.format_message()).split())
    message = re.sub(r"\s*(\(Possible options:[^)]*\)|Did you mean [^?]*\?)", "", message).rstrip(".")
    message = message[:1].lower() + message[1:]
    possibilities = sorted(getattr(error, "possibilities", None) or ())
    if possibilities:
        message += f"; did you mean {possibilities[0]!r}?"
    return message


def _usage_lines(message: str, command_path: str) -> int:
    commands.report_error(message, EXIT_USAGE)
    path = "ptdiff" if command_path.split()[-1:] in (["ptdiff"], []) else command_path
    try:
        sys.stderr.write(f"Run '{path} --help' for usage.\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_USAGE
