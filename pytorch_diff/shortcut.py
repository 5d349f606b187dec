"""The most common invocations, run without building the Typer app.

Importing Typer takes about a quarter of the time of ``ptdiff show 1.0`` and half of
``ptdiff compare 1.0 1.1 -f json`` (see README.md, Benchmarks), yet most invocations are
a command name and its positional arguments.
This module recognises exactly these forms:

    ptdiff show RELEASE        ptdiff compare OLD NEW
    ptdiff tools [NAME]        ptdiff versions

with at most one ``--format F`` / ``-f F`` (F a format name) after the command name and
at most one ``--data FILE`` anywhere, either option also written ``--option=VALUE``.  It
calls the same functions as the Typer app (``commands.py``), so the output, the error
lines and the exit codes are the same; tests check that over generated command lines.
Anything else (another option, a wrong number of arguments, ``--help``, shell
completion) is left to the Typer app, which parses it fully.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

# command -> how many positional arguments the shortcut accepts for it
ARITY: dict[str, tuple[int, ...]] = {"show": (1,), "compare": (2,), "tools": (0, 1), "versions": (0,)}
OPTIONS = {"--format": "fmt", "-f": "fmt", "--data": "data"}  # option -> the command's parameter


class CommonForm(NamedTuple):
    command: str
    args: list[str]
    fmt: str = "table"
    data: str | None = None


def parse_common(argv: Sequence[str]) -> CommonForm | None:
    """The command line as a common form, or None for any other."""
    words: list[str] = []
    values: dict[str, str] = {}
    tokens = iter(argv)
    for token in tokens:
        if not token.startswith("-"):
            words.append(token)
            continue
        option, equals, value = token.partition("=") if token.startswith("--") else (token, "", "")
        parameter = OPTIONS.get(option)
        if parameter is None or parameter in values or (parameter == "fmt" and not words):
            return None  # another option, "--", a repeated option, or a format before the command
        if not equals:
            value = next(tokens, "")
        if not value or value.startswith("-") or (parameter == "fmt" and not _is_format(value)):
            return None  # a missing or odd value: the Typer app explains or decides
        values[parameter] = value
    if not words or words[0] not in ARITY or len(words) - 1 not in ARITY[words[0]]:
        return None
    return CommonForm(words[0], words[1:], values.get("fmt", "table"), values.get("data"))


def _is_format(value: str) -> bool:
    from .render import FORMATS

    return value in FORMATS


def run_common(argv: Sequence[str], environ: Mapping[str, str]) -> int | None:
    """Run ``argv`` if it is a common form and return its exit code; None if it is not."""
    # Shell completion is driven by an environment variable named after the program.
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ):
        return None
    form = parse_common(argv)
    if form is None:
        return None
    from . import commands

    command = getattr(commands, form.command)
    return commands.run(lambda: command(*form.args, data=form.data), fmt=form.fmt)
