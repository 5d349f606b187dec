"""Every command as a user runs it: the rows shown, the messages, the exit codes."""

from __future__ import annotations

import pytest

from pytorch_diff import __version__

from .helpers import THREE_RELEASES, ptdiff

DATA = ("--data", str(THREE_RELEASES))


COMMANDS = (
    "show",
    "compare",
    "tools",
    "projects",
    "versions",
    "search",
    "matrix",
    "doctor",
    "validate",
    "scan",
    "help",
)


def test_version_and_help() -> None:
    assert ptdiff("--version").stdout == f"ptdiff {__version__}\n"
    run = ptdiff("--help")
    assert run.exit_code == 0
    listed = run.stdout.split("Commands:\n")[1].split("\n\n")[0]
    assert [line.split()[0] for line in listed.splitlines() if line[:3] == "  " + line[2:3] and line[2] != " "] == list(
        COMMANDS
    )
    assert "..." not in listed  # every command's one-line description, whole
    for command in COMMANDS:
        run = ptdiff(command, "--help")
        assert run.exit_code == 0
        assert run.stdout.startswith(f"Usage: ptdiff {command} [OPTIONS]")
        assert "\n  Examples:\n    ptdiff " in run.stdout
        assert ptdiff("help", command).stdout == run.stdout


def test_help_defines_the_words_show_and_compare_use() -> None:
    flat = " ".join(ptdiff("--help").stdout.split())
    assert f"Words: {LEGEND}. Exit codes:" in flat


def test_help_lists_the_exit_codes_of_errors_py() -> None:
    from pytorch_diff.errors import EXIT_CODES

    text = ptdiff("--help").stdout
    for code, meaning in EXIT_CODES:
        assert f"    {code:<4} {meaning}\n" in text


def test_no_arguments_prints_help_on_stdout_and_succeeds() -> None:
    run = ptdiff()
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout == ptdiff("--help").stdout == ptdiff("help").stdout
    assert run.stdout.startswith("Usage: ptdiff [OPTIONS] COMMAND [ARGS]...")


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (("shwo", "1.0"), "no such command 'shwo'; did you mean 'show'?", "ptdiff"),
        (("version",), "no such command 'version'; did you mean 'versions'?", "ptdiff"),
        (("help", "comapre"), "no such command 'comapre'; did you mean 'compare'?", "ptdiff help"),
        (("show", "1.0", "--formt", "json"), "no such option: --formt; did you mean '--format'?", "ptdiff show"),
        (("compare", "1.0"), "missing argument 'NEW'", "ptdiff compare"),
        (
            ("show", "1.0", "-f", "xml"),
            "invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'markdown', 'csv'",
            "ptdiff show",
        ),
        (("--colour", "never", "tools"), "no such option: --colour; did you mean '--color'?", "ptdiff"),
    ],
)
def test_usage_errors_are_one_line_and_a_hint(args: tuple[str, ...], message: str, hint: str) -> None:
    run = ptdiff(*args)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"ptdiff: error: {message}\nRun '{hint} --help' for usage.\n"


def test_output_options_before_the_command_name() -> None:
    assert ptdiff("-f", "json", "show", "1.0", *DATA).stdout == ptdiff("show", "1.0", "-f", "json", *DATA).stdout
    assert ptdiff("--format", "csv", "versions", *DATA).stdout == ptdiff("versions", "-f", "csv", *DATA).stdout
    # given both ways, the one after the command name wins
    assert ptdiff("-f", "csv", "versions", "-f", "json", *DATA).json()["kind"] == "releases"
    forced = {"FORCE_COLOR": "1"}
    assert "\x1b[" not in ptdiff("--no-color", "show", "1.0", *DATA, env=forced).stdout
    assert "\x1b[" in ptdiff("--color", "always", "show", "1.0", *DATA).stdout
    assert "\x1b[" not in ptdiff("--color", "always", "show", "1.0", "--color", "never", *DATA).stdout


LEGEND = (
    "added, changed, deprecated, removed: what the release did; carried over: in the release unchanged from an "
    "earlier one"
)


def test_show_puts_the_gist_first_then_what_the_release_did_by_area() -> None:
    run = ptdiff("show", "1.2", *DATA)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[:4] == [
        "PyTorch 1.2: Third",
        "Released: 2019-08-08",
        "Features: 1 added, 1 changed, 1 removed",
        "The third release, listed out of order on purpose.",
    ]
    assert run.table_rows() == [
        ["changed", "Script compiler", "Gains classes."],  # the statement of 1.2, not the feature's summary
        ["removed, breaking", "Old function", "Gone."],
        ["added", "New function", "A new function."],
    ]
    assert ["JIT", "Core API"] == [line.strip() for line in lines if line.strip() in ("JIT", "Core API")]
    assert lines[-1] == LEGEND


def test_show_folds_carried_over_features_unless_all_and_keeps_deprecations_visible(tmp_path) -> None:
    data = tmp_path / "four.yaml"
    data.write_text(
        THREE_RELEASES.read_text(encoding="utf-8").replace(
            '  - version: "1.1"',
            '  - {version: "1.3", date: 2019-10-10, title: Fourth, summary: S., sources: [notes-a]}\n'
            '  - version: "1.1"',
        ),
        encoding="utf-8",
    )
    run = ptdiff("show", "1.1", "--data", str(data))
    assert "Features: 1 changed, 1 deprecated\n" in run.stdout
    run = ptdiff("show", "1.3", "--data", str(data))
    assert "Features: 2 carried over (--all lists them)\n" in run.stdout
    assert run.table_rows() == []
    assert "No features that changed recorded for this release." in run.stdout
    run = ptdiff("show", "1.3", "--all", "--data", str(data))
    assert run.table_rows() == [
        ["carried over", "Script compiler", "Compiles a subset of Python."],
        ["carried over", "New function", "A new function."],
    ]
    run = ptdiff("show", "1.1", "--all", "--area", "API", *DATA)  # areas ignore case
    assert run.table_rows() == [["deprecated", "Old function", "Use new instead."]]


def test_a_deprecated_feature_carried_over_says_so(tmp_path) -> None:
    data = tmp_path / "data.yaml"
    text = THREE_RELEASES.read_text(encoding="utf-8")
    text = text.replace(
        "apis: [{function: torch.old}], sources: [notes-a]}",
        "apis: [{function: torch.old, replaced_by: [torch.new]}], sources: [notes-a]}",
    ).replace(
        '{release: "1.2", change: removed, summary: Gone., apis: [{function: torch.old}], breaking: true, '
        "sources: [notes-b]}",
        '{release: "1.2", change: changed, summary: Still there., sources: [notes-b]}',
    )
    text = text.replace(
        '{release: "1.2", change: added, apis: [{function: torch.new}]',
        '{release: "1.1", change: added, apis: [{function: torch.new}]',
    )
    data.write_text(text, encoding="utf-8")
    run = ptdiff("show", "1.2", "--all", "--area", "api", "--data", str(data))
    assert run.table_rows() == [
        ["changed", "Old function", "Still there."],
        ["carried over", "New function", "A new function."],
    ]
    text = text.replace('      - {release: "1.2", change: changed, summary: Still there., sources: [notes-b]}\n', "")
    data.write_text(text, encoding="utf-8")
    run = ptdiff("show", "1.2", "--all", "--area", "api", "--data", str(data))
    assert run.table_rows()[0] == [
        "carried over, deprecated since 1.1; use torch.new",
        "Old function",
        "An old function.",
    ]


def test_show_lists_what_came_with_the_release() -> None:
    run = ptdiff("show", "1.1", *DATA)
    assert "Came with it: 1 tool\n" in run.stdout
    assert "Came with PyTorch 1.1\nTools\n" in run.stdout
    assert run.table_rows()[-1] == ["Ax", "Adaptive experimentation platform.", "https://ax.dev"]


@pytest.mark.parametrize("name", ["1.0", "1.0.0", "v1.0"])
def test_release_spellings_show_the_same(name: str) -> None:
    assert ptdiff("show", name, *DATA).stdout == ptdiff("show", "1.0", *DATA).stdout


def test_unknown_release_is_one_line_on_stderr_with_exit_2() -> None:
    run = ptdiff("show", "1.3", *DATA)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == "ptdiff: error: unknown release '1.3'; known: 1.0, 1.1, 1.2, latest; did you mean '1.2'?\n"


def test_latest_and_patch_releases() -> None:
    assert ptdiff("show", "latest", *DATA).stdout == ptdiff("show", "1.2", *DATA).stdout
    assert ptdiff("compare", "1.0", "LATEST", *DATA).stdout == ptdiff("compare", "1.0", "1.2", *DATA).stdout
    run = ptdiff("show", "1.2.1", *DATA)
    assert run.exit_code == 0
    assert run.stdout.splitlines()[:3] == [
        "PyTorch 1.2: Third",
        "Released: 2019-08-08",
        "Note: 1.2.1 is not in the model; showing 1.2, the newest of its series",
    ]
    assert ptdiff("show", "1.3.1", *DATA).exit_code == 2  # no 1.3 series at all


def test_unknown_area_names_the_known_ones() -> None:
    run = ptdiff("show", "1.0", "--area", "jti", *DATA)
    assert run.exit_code == 2
    assert run.stderr == "ptdiff: error: unknown area 'jti'; known: jit, api, breaking; did you mean 'jit'?\n"
    run = ptdiff("compare", "1.0", "1.1", "--area", "api", "--area", "jit", *DATA)
    assert [row[0] for row in run.table_rows()] == ["jit", "api"]  # several areas, in the registry's order
    run = ptdiff("compare", "1.1", "1.2", "--area", "breaking", *DATA)
    assert run.stdout.splitlines()[-1] == "No changes recorded between 1.1 and 1.2 in area breaking."


def test_compare_accumulates_every_release_in_between() -> None:
    run = ptdiff("compare", "1.0", "1.2", *DATA)
    assert run.exit_code == 0
    assert run.stdout.splitlines()[:2] == [
        "PyTorch 1.0 → 1.2",
        "Summary: 1 added, 1 changed, 0 deprecated, 1 removed (1 breaking)",
    ]
    assert run.table_rows() == [
        ["api", "New function", "1.2: A new function."],
        ["jit", "Script compiler", "1.1: Gains dictionaries."],
        ["", "", "1.2: Gains classes."],
        ["api", "Old function", "1.1: Use new instead."],
        ["", "(breaking)", "1.2 (breaking): Gone."],
    ]


def test_compare_adjacent_releases() -> None:
    run = ptdiff("compare", "1.0", "1.1", *DATA)
    assert run.stdout.splitlines()[1] == "Summary: 0 added, 1 changed, 1 deprecated, 0 removed (0 breaking)"


def test_compare_newer_first_compares_the_same_range_and_says_so() -> None:
    forward, backward = ptdiff("compare", "1.0", "1.2", *DATA), ptdiff("compare", "1.2", "1.0", *DATA)
    assert backward.exit_code == 0
    assert backward.table_rows() == forward.table_rows()
    assert "Note: 1.2 is newer than 1.0: showing what changed from 1.0 to 1.2" in backward.stdout
    swapped = ptdiff("matrix", "1.2", "1.0", *DATA)
    assert swapped.table_rows() == ptdiff("matrix", "1.0", "1.2", *DATA).table_rows()
    assert "Note: 1.2 is newer than 1.0: showing the change to 1.2" in swapped.stdout


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
    assert (run.stderr != "") == (code == 1)


def test_fail_on_says_why_in_one_line() -> None:
    run = ptdiff("compare", "1.0", "1.2", "--fail-on", "breaking", *DATA)
    assert run.stderr == "ptdiff: --fail-on breaking matched: 1 breaking change from 1.0 to 1.2 (api.old)\n"
    run = ptdiff("compare", "1.0", "1.1", "--fail-on", "deprecated", *DATA)
    assert (run.exit_code, run.stderr) == (
        1,
        "ptdiff: --fail-on deprecated matched: 1 deprecated change from 1.0 to 1.1 (api.old)\n",
    )
    run = ptdiff("compare", "1.0", "1.2", "--fail-on", "any", *DATA)
    assert run.stderr == "ptdiff: --fail-on any matched: 3 changes from 1.0 to 1.2 (api.new, jit.script, api.old)\n"


def test_fail_on_rejects_unknown_values() -> None:
    run = ptdiff("compare", "1.0", "1.1", "--fail-on", "everything", *DATA)
    assert run.exit_code == 2
    assert "everything" in run.stderr


def test_tools_table_and_one_tool() -> None:
    run = ptdiff("tools", *DATA)
    assert run.stdout.splitlines()[0] == "Tools announced beside PyTorch 1.1"
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
    run = ptdiff("tools", "fancy", *DATA)  # a project, but not a tool
    assert run.stderr == (
        "ptdiff: error: 'fancy' is not a tool: it is a roadmap project; run 'ptdiff projects fancy'\n"
    )


def test_projects_of_every_kind_by_kind_and_release_and_by_name() -> None:
    run = ptdiff("projects", *DATA)
    assert run.table_rows() == [
        ["Ax", "tool", "Adaptive experimentation platform.", "https://ax.dev"],
        ["Fancy tensors", "roadmap", "A planned feature.", "https://example.org/fancy"],
    ]
    run = ptdiff("projects", "--kind", "Roadmap", *DATA)
    assert run.stdout.splitlines()[0] == "Roadmap items"
    assert [row[0] for row in run.table_rows()] == ["Fancy tensors"]
    run = ptdiff("projects", "--release", "1.1", *DATA)
    assert run.stdout.splitlines()[0] == "Projects that came with PyTorch 1.1"
    assert [row[0] for row in run.table_rows()] == ["Ax"]
    run = ptdiff("projects", "FANCY TENSORS", *DATA)
    assert ["status", "announced"] in run.table_rows()
    run = ptdiff("projects", "--kind", "toool", *DATA)
    assert run.stderr.startswith("ptdiff: error: unknown project kind 'toool'; known: tool, ecosystem, cloud")


def test_versions_lists_releases_in_order() -> None:
    assert ptdiff("versions", *DATA).table_rows() == [  # no release has builds: the column is left out
        ["1.0", "2018-12-07", "First", "https://example.org/1.0"],
        ["1.1", "2019-05-01", "Second", ""],
        ["1.2", "2019-08-08", "Third", ""],
    ]


def test_search_is_case_insensitive_over_apis_and_projects() -> None:
    run = ptdiff("search", "TORCH.JIT.attribute", *DATA)
    assert run.table_rows() == [["1.1", "Script compiler", "apis", "torch.jit.Attribute"]]  # where it matched
    run = ptdiff("search", "botorch", *DATA)
    assert run.table_rows() == [["1.1", "Ax", "relation", "Built on BoTorch."]]
    run = ptdiff("search", "no such thing", *DATA)
    assert run.exit_code == 0
    assert run.stdout.splitlines() == ["Search: no such thing", "Hits: 0", "No matches."]


def test_search_takes_all_the_words_anywhere_and_kinds() -> None:
    run = ptdiff("search", "classes", "gains", *DATA)  # both words, in one statement, in any order
    assert run.table_rows() == [["1.2", "Script compiler", "1.2 changed", "Gains classes."]]
    run = ptdiff("search", "script dictionaries", *DATA)  # words in different fields of one record
    assert run.table_rows() == [["1.0", "Script compiler", "title", "Script compiler"]]
    run = ptdiff("search", "roadmap", *DATA)
    assert run.table_rows() == [["", "Fancy tensors", "kind", "roadmap"]]
    run = ptdiff("search", "", *DATA)
    assert (run.exit_code, run.stderr) == (2, "ptdiff: error: search needs some text to look for\n")


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
    # with more problems, the hint names the file that has them
    worse = tmp_path / "worse.yaml"
    worse.write_text(bad.read_text(encoding="utf-8").replace("area: api\n", "area: apy\n"), encoding="utf-8")
    run = ptdiff("show", "1.0", "--data", str(worse))
    assert run.stderr.endswith(f"(and 2 more problems; run 'ptdiff validate {worse}' for all)\n")
    run = ptdiff("show", "1.0", env={"PTDIFF_DATA": str(tmp_path / "none.yaml")})
    assert run.stderr == f"ptdiff: error: {tmp_path / 'none.yaml'} (from PTDIFF_DATA): [file] no such file\n"


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
    assert max(len(line) for line in text.splitlines() if "https://" not in line) <= columns  # a URL stays whole
    features = text.split("Came with PyTorch")[0]  # the features' tables, before what came with the release
    top_borders = {line for line in features.splitlines() if line.startswith("┏")}
    if not top_borders:  # the longest names do not fit side by side: one block per row instead
        first = {"show": "status: ", "compare": "area: ", "tools": "name: "}[args[0]]
        assert f"\n{first}" in text and "\n\n" in text
        assert columns <= 80  # wide terminals get tables
        return
    assert len(top_borders) == 1  # every section's table has the same column widths
    assert features.count("┏") >= (2 if args[0] != "tools" else 1)


def test_links_in_the_header_stay_whole_on_a_narrow_terminal() -> None:
    lines = ptdiff("show", "1.0", env={"COLUMNS": "80"}).stdout.splitlines()
    url = "https://engineering.fb.com/2018/12/07/ai-research/pytorch-developer-ecosystem-expands-1-0-stable-release/"
    assert f"Announcement: {url}" in lines  # left to the terminal to wrap, so it can be clicked
    assert lines[0] == "PyTorch 1.0: Stable 1.0 release: JIT/TorchScript, rebuilt distributed package,"


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
    assert rows[0][5] == "what changed"
    assert rows[1][5] == "1.1: Step 1.\n1.2: Step 2.\n1.3: Step 3.\n1.4: Step 4.\n1.5: Step 5."


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ptdiff show ", ["1.0", "1.1", "1.2", "latest"]),
        ("ptdiff tools a", ["ax"]),
        ("ptdiff sh", ["show"]),
        ("ptdiff show 1.0 --area ", ["jit", "api", "breaking"]),
        ("ptdiff projects --kind r", ["roadmap"]),
    ],
)
def test_shell_completion_of_commands_releases_and_tools(words: str, expected: list[str]) -> None:
    env = {
        "_PTDIFF_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
        "PTDIFF_DATA": str(THREE_RELEASES),
    }
    assert ptdiff(env=env).stdout.split() == expected


def test_redirected_output_has_no_trailing_spaces() -> None:
    for args in (("show", "1.0", "--all"), ("compare", "1.0", "1.1"), ("tools",), ("matrix", "1.0", "1.1")):
        text = ptdiff(*args, env={"COLUMNS": "80"}).stdout
        assert [line for line in text.splitlines() if line != line.rstrip()] == [], args


@pytest.mark.parametrize("columns", [80, 100])
def test_urls_and_api_names_are_never_split_across_lines(columns: int) -> None:
    from pytorch_diff.load import load_releases

    model = load_releases()
    words = {p.url for p in model.projects} | {a.name for f in model.features for a in f.all_apis if a.importable}
    for args in (("tools",), ("projects",), ("show", "1.1", "--all"), ("versions",), ("compare", "1.0", "1.1")):
        text = ptdiff(*args, env={"COLUMNS": str(columns)}).stdout
        for line in text.splitlines():
            tokens = line.replace("│", " ").split()
            last = tokens[-1].lstrip("(@") if tokens else ""
            # cut inside a name: the name goes on past the line with a letter, or the line ends at a dot
            cut = [
                w
                for w in words
                if len(last) >= 8
                and last not in words  # a whole name of its own, such as torch.jit.script
                and w.startswith(last)
                and (last.endswith(".") or w[len(last)] != ".")
            ]
            assert not cut, (args, line, cut)
