"""The common invocations, run without Typer: same output, messages and exit codes as the full CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from pytorch_diff.shortcut import ARITY, CommonForm, parse_common, run_common

from .helpers import FIXTURES, SHIPPED, THREE_RELEASES, Run, full_cli, in_process


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["show", "1.0"], CommonForm("show", ["1.0"])),
        (["compare", "1.0", "1.1"], CommonForm("compare", ["1.0", "1.1"])),
        (["tools"], CommonForm("tools", [])),
        (["tools", "ax", "-f", "json"], CommonForm("tools", ["ax"], "json")),
        (["versions", "--format", "csv"], CommonForm("versions", [], "csv")),
        (["show", "--format=markdown", "v1.1"], CommonForm("show", ["v1.1"], "markdown")),
        (["show", "-f", "json", "json"], CommonForm("show", ["json"], "json")),
        (["--data", "x.yaml", "show", "1.0"], CommonForm("show", ["1.0"], data="x.yaml")),
        (["compare", "1.0", "--data=x.yaml", "1.1"], CommonForm("compare", ["1.0", "1.1"], data="x.yaml")),
    ],
)
def test_common_forms_are_recognised(argv: list[str], expected: CommonForm) -> None:
    assert parse_common(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["--version"],
        ["--data", "x.yaml", "--data", "y.yaml", "show", "1.0"],  # repeated
        ["--data", "show", "1.0"],  # "show" is the file: "1.0" is no command
        ["--data=", "show", "1.0"],
        ["show", "1.0", "--data"],
        ["-f", "json", "show", "1.0"],  # --format belongs after the command name
        ["show"],  # too few arguments
        ["show", "1.0", "1.1"],  # too many
        ["compare", "1.0"],
        ["versions", "1.0"],
        ["show", "1.0", "--no-color"],
        ["show", "1.0", "--area", "jit"],
        ["compare", "1.0", "1.1", "--fail-on", "any"],
        ["show", "1.0", "-h"],
        ["show", "--", "1.0"],
        ["show", "-"],
        ["show", "1.0", "-f"],  # a format option without its value
        ["show", "1.0", "-f", "JSON"],  # not a format name
        ["show", "1.0", "--format="],
        ["show", "1.0", "-fjson"],
        ["show", "1.0", "-f", "json", "-f", "csv"],
        ["search", "jit"],  # other commands always go through the full CLI
        ["matrix", "1.0"],
        ["validate"],
        ["doctor"],
        ["SHOW", "1.0"],
    ],
)
def test_other_command_lines_are_left_to_the_full_cli(argv: list[str]) -> None:
    assert parse_common(argv) is None
    assert run_common(argv, {}) is None


def test_shell_completion_is_left_to_the_full_cli() -> None:
    assert run_common(["show", "1.0"], {"_PTDIFF_COMPLETE": "bash_complete"}) is None


def shortcut(*args: str, env: dict[str, str | None] | None = None) -> Run | None:
    """Run ``args`` through the shortcut in-process, as ``helpers.ptdiff`` runs the full CLI."""
    code, run = in_process(lambda: run_common(list(args), os.environ), env)
    if code is None:
        assert (run.stdout, run.stderr) == ("", "")  # nothing happened: the full CLI takes over
        return None
    return run


@pytest.mark.parametrize(
    "args",
    [
        ("show", "1.0"),
        ("show", "v1.1", "-f", "json"),
        ("compare", "1.0", "1.1"),
        ("compare", "1.1", "1.0", "--format", "markdown"),
        ("compare", "1.0", "1.0"),
        ("tools",),
        ("tools", "BoTorch", "--format=csv"),
        ("versions",),
        ("show", "9.9"),  # unknown release: exit 2, one line on stderr
        ("tools", "nope"),
    ],
)
def test_shortcut_and_full_cli_agree(args: tuple[str, ...]) -> None:
    quick = shortcut(*args)
    assert quick is not None
    full = full_cli(*args)
    assert (quick.exit_code, quick.stdout, quick.stderr) == (full.exit_code, full.stdout, full.stderr)


def test_shortcut_error_is_one_line_with_exit_2() -> None:
    quick = shortcut("show", "9.9")
    assert quick is not None
    assert quick.exit_code == 2
    assert quick.stdout == ""
    assert quick.stderr.startswith("ptdiff: error: unknown release '9.9'")
    assert quick.stderr.count("\n") == 1


COMMANDS = ["show", "compare", "tools", "versions", "search", "matrix"]
NAMES = ["1.0", "1.1", "1.2", "v1.0", "1.0.0", "9.9", "ax", "BoTorch", "nope", "x y", "", "json", "show"]
OPTIONS = [
    ("-f", "json"), ("--format", "csv"), ("--format=markdown",), ("-f", "table"), ("-f", "JSON"), ("--format=",),
    ("-f",), ("--no-color",), ("--area", "jit"), ("--",), ("-",), ("-h",),
    ("--data", str(THREE_RELEASES)), (f"--data={SHIPPED}",), ("--data", "/nonexistent/releases.yaml"),
    ("--data", str(FIXTURES)), ("--data",), ("--data=",),
]  # fmt: skip
DATA = [None, "", str(THREE_RELEASES), "/nonexistent/releases.yaml"]
words = st.one_of(st.sampled_from(NAMES).map(lambda name: (name,)), st.sampled_from(OPTIONS))
any_lines = st.tuples(st.sampled_from(COMMANDS), st.lists(words, max_size=3)).map(
    lambda t: [t[0], *(token for word in t[1] for token in word)]
)


@st.composite
def common_lines(draw: st.DrawFn) -> list[str]:
    """A common form, mostly: the right number of arguments, a format option somewhere or not."""
    name = draw(st.sampled_from(sorted(ARITY)))
    argv = draw(st.lists(st.sampled_from(NAMES), min_size=min(ARITY[name]), max_size=max(ARITY[name])))
    option = draw(st.sampled_from([(), *OPTIONS]))
    at = draw(st.integers(-1, len(argv)))  # -1: before the command name
    line = [name, *argv]
    return [*line[: at + 1], *option, *line[at + 1 :]]


command_lines = st.one_of(common_lines(), any_lines)


@settings(max_examples=200, deadline=None)
@given(argv=command_lines, data=st.sampled_from(DATA))
def test_any_command_line_the_shortcut_takes_gives_the_full_cli_outcome(argv: list[str], data: str | None) -> None:
    quick = shortcut(*argv, env={"PTDIFF_DATA": data})
    event("taken by the shortcut" if quick else "left to the full CLI")
    if quick is not None:
        full = full_cli(*argv, env={"PTDIFF_DATA": data})
        assert (quick.exit_code, quick.stdout, quick.stderr) == (full.exit_code, full.stdout, full.stderr)


def imported_modules(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pytorch_diff", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_common_invocations_do_not_import_typer() -> None:
    # What makes them fast: Typer is imported only for the command lines that need it.
    assert not any(name.startswith("typer") for name in imported_modules("show", "1.0"))
    assert not any(name.startswith("typer") for name in imported_modules("compare", "1.0", "1.1", "-f", "json"))
    assert "typer" in imported_modules("show", "1.0", "--no-color")


@pytest.mark.parametrize("args", [("compare", "1.0", "1.1"), ("tools", "ax", "-f", "json"), ("show", "0.4")])
def test_real_processes_print_the_same_both_ways(args: tuple[str, ...]) -> None:
    # Piped output has no colour, so --no-color changes nothing but the way in.
    quick, full = (
        subprocess.run([sys.executable, "-m", "pytorch_diff", *args, *extra], capture_output=True, timeout=60)
        for extra in ([], ["--no-color"])
    )
    assert (quick.returncode, quick.stdout, quick.stderr) == (full.returncode, full.stdout, full.stderr)
    assert quick.stdout or quick.stderr.startswith(b"ptdiff: error: unknown release '0.4'")


def test_the_shortcut_takes_only_what_the_typer_app_declares() -> None:
    # What the shortcut accepts is written in shortcut.py; here it is derived from the app.
    import typer

    from pytorch_diff import cli
    from pytorch_diff.shortcut import OPTIONS

    root = {name for param in typer.main.get_command(cli.app).params for name in param.opts}
    for name, arity in ARITY.items():
        command = typer.main.get_command(cli._COMMANDS[name])
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        required = sum(1 for p in arguments if p.required)
        assert set(arity) == set(range(required, len(arguments) + 1)), name
        options = {opt: p.name for p in command.params if p.param_type_name == "option" for opt in p.opts}
        for option, parameter in OPTIONS.items():
            assert options.get(option) == {"fmt": "format", "data": "data"}[parameter], (name, option)
        assert "--data" in root  # --data is also taken before the command name
    assert set(ARITY) <= set(cli._COMMANDS)


def test_the_drift_test_would_see_a_wrong_arity(monkeypatch: pytest.MonkeyPatch) -> None:
    from pytorch_diff import shortcut

    monkeypatch.setitem(shortcut.ARITY, "tools", (0, 1, 2))
    with pytest.raises(AssertionError):
        test_the_shortcut_takes_only_what_the_typer_app_declares()
