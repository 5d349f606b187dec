"""Every command as a user runs it: the rows shown, the messages, the exit codes."""

from __future__ import annotations

import pytest

from pytorch_diff import __version__

from .helpers import THREE_RELEASES, ptdiff

DATA = ("--data", str(THREE_RELEASES))


def test_version_and_help() -> None:
    assert ptdiff("--version").stdout == f"ptdiff {__version__}\n"
    run = ptdiff("--help")
    assert run.exit_code == 0
    assert "Exit codes: 0 success; 1 a check you asked for failed" in " ".join(run.stdout.split())
    for command in ("show", "compare", "tools", "versions", "search", "matrix", "validate"):
        assert command in run.stdout
        assert ptdiff(command, "--help").exit_code == 0


def test_no_arguments_prints_help_and_fails() -> None:
    run = ptdiff()
    assert run.exit_code == 2
    assert "Usage: ptdiff" in run.stdout + run.stderr


def test_show_lists_features_by_area_with_status() -> None:
    run = ptdiff("show", "1.2", *DATA)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[:3] == ["PyTorch 1.2: Third", "Released: 2019-08-08", "Features: 1 new, 1 changed, 1 removed"]
    assert run.table_rows() == [
        ["changed", "Script compiler", "Compiles a subset of Python."],
        ["removed", "Old function", "An old function."],
        ["new", "New function", "A new function."],
    ]
    assert ["JIT", "Core API"] == [line.strip() for line in lines if line.strip() in ("JIT", "Core API")]


def test_show_marks_carried_over_features_and_filters_by_area() -> None:
    run = ptdiff("show", "1.1", "--area", "jit", *DATA)
    assert run.table_rows() == [["changed", "Script compiler", "Compiles a subset of Python."]]
    run = ptdiff("show", "v1.1.0", "--area", "api", *DATA)
    assert run.table_rows() == [["deprecated", "Old function", "An old function."]]


@pytest.mark.parametrize("name", ["1.0", "1.0.0", "v1.0"])
def test_release_spellings_show_the_same(name: str) -> None:
    assert ptdiff("show", name, *DATA).stdout == ptdiff("show", "1.0", *DATA).stdout


def test_unknown_release_is_one_line_on_stderr_with_exit_2() -> None:
    run = ptdiff("show", "1.3", *DATA)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == "ptdiff: error: unknown release '1.3'; known: 1.0, 1.1, 1.2; did you mean '1.2'?\n"


def test_unknown_area_names_the_known_ones() -> None:
    run = ptdiff("show", "1.0", "--area", "jti", *DATA)
    assert run.exit_code == 2
    assert run.stderr == "ptdiff: error: unknown area 'jti'; known: jit, api, breaking; did you mean 'jit'?\n"


def test_compare_accumulates_every_release_in_between() -> None:
    run = ptdiff("compare", "1.0", "1.2", *DATA)
    assert run.exit_code == 0
    assert run.stdout.splitlines()[:2] == [
        "PyTorch 1.0 → 1.2",
        "Summary: 1 added, 1 changed, 0 deprecated, 1 removed (1 breaking)",
    ]
    assert run.table_rows() == [
        ["api", "New function", "1.2: A new function.", ""],
        ["jit", "Script compiler", "1.1: Gains dictionaries.", ""],
        ["", "", "1.2: Gains classes.", ""],
        ["api", "Old function", "1.1: Use new instead.", "yes"],
        ["", "", "1.2: Gone.", ""],
    ]


def test_compare_adjacent_releases() -> None:
    run = ptdiff("compare", "1.0", "1.1", *DATA)
    assert run.stdout.splitlines()[1] == "Summary: 0 added, 1 changed, 1 deprecated, 0 removed (0 breaking)"


def test_compare_newer_first_compares_the_same_range_and_says_so() -> None:
    forward, backward = ptdiff("compare", "1.0", "1.2", *DATA), ptdiff("compare", "1.2", "1.0", *DATA)
    assert backward.exit_code == 0
    assert backward.table_rows() == forward.table_rows()
    assert "Note: 1.2 is newer than 1.0: showing what changed from 1.0 to 1.2" in backward.stdout


def test_compare_a_release_with_itself_shows_no_changes() -> None:
    run = ptdiff("compare", "1.1", "v1.1", *DATA)
    assert run.exit_code == 0
    assert run.stdout.splitlines() == [
        "PyTorch 1.1 → 1.1",
        "Summary: 0 added, 0 changed, 0 deprecated, 0 removed (0 breaking)",
        "No changes recorded between 1.1 and 1.1.",
    ]


@pytest.mark.parametrize(
    ("old", "new", "fail_on", "code"),
    [
        ("1.0", "1.2", "breaking", 1),
        ("1.0", "1.1", "breaking", 0),
        ("1.0", "1.2", "removed", 1),
        ("1.0", "1.1", "removed", 0),
        ("1.0", "1.1", "any", 1),
        ("1.1", "1.1", "any", 0),
    ],
)
def test_fail_on_gates_an_upgrade(old: str, new: str, fail_on: str, code: int) -> None:
    run = ptdiff("compare", old, new, "--fail-on", fail_on, *DATA)
    assert run.exit_code == code
    assert run.stdout.startswith(f"PyTorch {old} → {new}")  # the report is printed either way


def test_fail_on_rejects_unknown_values() -> None:
    run = ptdiff("compare", "1.0", "1.1", "--fail-on", "everything", *DATA)
    assert run.exit_code == 2
    assert "everything" in run.stderr


def test_tools_table_and_one_tool() -> None:
    run = ptdiff("tools", *DATA)
    assert run.table_rows() == [["Ax", "Adaptive experimentation platform.", "Built on BoTorch.", "https://ax.dev"]]
    run = ptdiff("tools", "AX", *DATA)
    assert run.exit_code == 0
    assert run.table_rows() == [
        ["name", "Ax"],
        ["kind", "tool"],
        ["what it is", "Adaptive experimentation platform."],
        ["relation to PyTorch", "Built on BoTorch."],
        ["homepage", "https://ax.dev"],
        ["announced", "F8 2019, 2019-05-01, with PyTorch 1.1"],
        ["source", "Release notes A <https://example.org/a>"],
    ]


def test_unknown_tool() -> None:
    run = ptdiff("tools", "axe", *DATA)
    assert run.exit_code == 2
    assert run.stderr == "ptdiff: error: unknown tool 'axe'; known: ax; did you mean 'ax'?\n"


def test_versions_lists_releases_in_order() -> None:
    assert ptdiff("versions", *DATA).table_rows() == [
        ["1.0", "2018-12-07", "First", "https://example.org/1.0"],
        ["1.1", "2019-05-01", "Second", ""],
        ["1.2", "2019-08-08", "Third", ""],
    ]


def test_search_is_case_insensitive_over_apis_and_projects() -> None:
    run = ptdiff("search", "TORCH.JIT.attribute", *DATA)
    assert run.table_rows() == [["1.0", "jit", "Script compiler", "apis", "torch.jit.script torch.jit.Attribute"]]
    run = ptdiff("search", "botorch", *DATA)
    assert run.table_rows() == [["1.1", "tool", "Ax", "relation", "Built on BoTorch."]]
    run = ptdiff("search", "no such thing", *DATA)
    assert run.exit_code == 0
    assert run.stdout.splitlines() == ["Search: no such thing", "Hits: 0", "No matches."]


def test_matrix_of_one_release_has_a_legend() -> None:
    run = ptdiff("matrix", "1.0", *DATA)
    assert run.table_rows() == [["send", "✓", "✘", "✓", "?", "✘", "✘"], ["barrier", "✓", "✘", "✓", "?", "✘", "✘"]]
    assert run.stdout.splitlines()[-1] == "✓ supported, ✘ not supported, ? depends on the MPI build"


def test_matrix_of_two_releases_marks_changed_cells() -> None:
    run = ptdiff("matrix", "1.0", "1.2", *DATA)
    assert "Changed cells: 2" in run.stdout
    assert run.table_rows() == [
        ["send", "✓", "✘", "✓", "?", "✘", "✘→✓"],
        ["barrier", "✓", "✘", "✓", "?", "✘", "✘→✓"],
    ]


def test_matrix_for_a_release_without_one() -> None:
    run = ptdiff("matrix", "1.1", *DATA)
    assert run.exit_code == 2
    assert run.stderr == ("ptdiff: error: release 1.1 has no backend matrix in the data; releases with one: 1.0, 1.2\n")


def test_data_option_before_the_command_and_from_the_environment() -> None:
    expected = ptdiff("versions", *DATA).stdout
    assert ptdiff(*DATA, "versions").stdout == expected
    assert ptdiff("versions", env={"PTDIFF_DATA": str(THREE_RELEASES)}).stdout == expected


def test_data_option_beats_the_environment_wherever_it_is_given() -> None:
    expected = ptdiff("versions", *DATA).stdout
    env = {"PTDIFF_DATA": "/nonexistent/releases.yaml"}
    assert ptdiff(*DATA, "versions", env=env).stdout == expected
    assert ptdiff("versions", *DATA, env=env).stdout == expected


def test_validate_clean_file() -> None:
    run = ptdiff("validate", str(THREE_RELEASES))
    assert run.exit_code == 0
    assert run.stdout == f"{THREE_RELEASES}: 0 errors, 0 warnings\n"


def test_validate_prints_compiler_style_lines_and_exits_1(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(THREE_RELEASES.read_text().replace("area: jit\n", "area: jat\n"), encoding="utf-8")
    run = ptdiff("validate", str(bad))
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [
        f"{bad}:29:5: error [unknown-value] unknown area 'jat'; did you mean 'jit'?",
        f"{bad}: 1 error, 0 warnings",
    ]
    # the same file through --data on another command: exit 2, one line on stderr
    run = ptdiff("show", "1.0", "--data", str(bad))
    assert run.exit_code == 2
    assert run.stderr == f"ptdiff: error: {bad}:29:5: [unknown-value] unknown area 'jat'; did you mean 'jit'?\n"


def test_no_color_means_no_escape_codes_even_when_forced() -> None:
    forced = ptdiff("show", "1.0", *DATA, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    for args, env in ((("--no-color",), {"FORCE_COLOR": "1"}), ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}), ((), {})):
        run = ptdiff("show", "1.0", *DATA, *args, env=env)
        assert "\x1b" not in run.stdout


@pytest.mark.parametrize("columns", [60, 80, 120, 200])
@pytest.mark.parametrize("args", [("show", "1.0"), ("show", "1.1"), ("compare", "1.0", "1.1"), ("tools",)])
def test_tables_fit_the_terminal_and_line_up(args: tuple[str, ...], columns: int) -> None:
    text = ptdiff(*args, env={"COLUMNS": str(columns)}).stdout
    table_lines = [line for line in text.splitlines() if line[:1] in "┏┃┡│└"]
    assert max(len(line) for line in table_lines) <= columns
    top_borders = {line for line in text.splitlines() if line.startswith("┏")}
    assert len(top_borders) == 1  # every section's table has the same column widths
    assert text.count("┏") >= (2 if args[0] != "tools" else 1)


def test_links_in_the_header_stay_whole_on_a_narrow_terminal() -> None:
    lines = ptdiff("show", "1.0", env={"COLUMNS": "80"}).stdout.splitlines()
    url = "https://engineering.fb.com/2018/12/07/ai-research/pytorch-developer-ecosystem-expands-1-0-stable-release/"
    assert f"Announcement: {url}" in lines  # left to the terminal to wrap, so it can be clicked
    assert "Features: 5 new, 8 changed, 2 deprecated, 2 removed, 1 carried over" in lines


def test_long_histories_are_shortened_in_the_terminal_only(tmp_path) -> None:
    releases = "".join(
        f'  - {{version: "1.{i}", date: 2019-0{i + 1}-01, title: R{i}, summary: S., sources: [s]}}\n' for i in range(6)
    )
    history = '      - {release: "1.0", change: added, sources: [s]}\n' + "".join(
        f'      - {{release: "1.{i}", change: changed, summary: Step {i}., sources: [s]}}\n' for i in range(1, 6)
    )
    data = tmp_path / "six.yaml"
    data.write_text(
        'schema_version: 2\nsources: [{id: s, title: S, url: "https://example.org", checked: official}]\n'
        "areas: [{id: api, title: API}]\n"
        f"releases:\n{releases}features:\n  - id: f\n    area: api\n    title: F\n    summary: A feature.\n"
        f"    sources: [s]\n    history:\n{history}projects: []\nbackend_matrices: []\n",
        encoding="utf-8",
    )
    table = ptdiff("compare", "1.0", "1.5", "--data", str(data))
    assert [row[2] for row in table.table_rows()] == ["(3 earlier changes)", "1.4: Step 4.", "1.5: Step 5."]
    note = "Long histories show their latest 2 changes; --format markdown, csv or json has all."
    assert table.stdout.endswith(f"\n{note}\n")
    assert note not in ptdiff("compare", "1.0", "1.2", "--data", str(data)).stdout  # nothing was shortened
    rows = ptdiff("compare", "1.0", "1.5", "--data", str(data), "-f", "csv").csv()
    assert rows[1][4] == "1.1: Step 1.\n1.2: Step 2.\n1.3: Step 3.\n1.4: Step 4.\n1.5: Step 5."


@pytest.mark.parametrize(
    ("words", "expected"),
    [("ptdiff show ", ["1.0", "1.1", "1.2"]), ("ptdiff tools a", ["ax"]), ("ptdiff sh", ["show"])],
)
def test_shell_completion_of_commands_releases_and_tools(words: str, expected: list[str]) -> None:
    from typer.testing import CliRunner

    from pytorch_diff.cli import app

    env = {
        "_PTDIFF_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
        "PTDIFF_DATA": str(THREE_RELEASES),
    }
    result = CliRunner().invoke(app, [], env=env, prog_name="ptdiff")
    assert result.stdout.split() == expected
