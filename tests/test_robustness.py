"""Bad data files and hostile environments: one clear line, the documented exit code, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytorch_diff import reader
from pytorch_diff.errors import DataError
from pytorch_diff.load import check_releases

from .helpers import SHIPPED, THREE_RELEASES, ptdiff


def _libyaml_version() -> tuple[int, ...]:
    try:
        from yaml import _yaml  # type: ignore[attr-defined]
    except ImportError:
        return ()
    return tuple(int(part) for part in _yaml.get_version_string().split("."))


LIBYAML_LIMITS_NESTING = _libyaml_version() >= (0, 2, 6)
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)

# name -> (file content, message after "FILE", exit code of `validate FILE`)
BAD_FILES = {
    "empty": (
        b"",
        ":1:1: error [missing-field] file is empty: expected a mapping with sources, areas, "
        "releases, features, projects, backend_matrices",
        1,
    ),
    "not YAML": (
        b"a: [1, 2\n",
        ":2:1: error [yaml-syntax] not valid YAML: while parsing a flow sequence did not find expected ',' or ']'",
        2,
    ),
    "not UTF-8": (b"title: caf\xe9\n", ":1:11: error [encoding] file is not valid UTF-8", 2),
    "wrong shape": (b"- 1\n- 2\n", ":1:1: error [type] expected the data file (a mapping), found a list", 1),
    "two documents": (b"a: 1\n---\nb: 2\n", ":2:1: error [yaml-syntax] expected one YAML document, found several", 2),
    "duplicate key": (
        b"sources: []\nsources: []\n",
        ":2:1: error [duplicate-key] duplicate key 'sources': also at line 1; YAML would keep only the last",
        1,
    ),
    "python tag": (
        b"sources: !!python/object/apply:os.system ['echo pwned']\n",
        ":1:10: error [yaml-tag] YAML tag '!!python/object/apply:os.system' is not allowed here",
        1,
    ),
    "NUL byte": (
        b"sources: []\n\x00\n",
        ":2:1: error [yaml-syntax] not valid YAML: character '\\x00' is not allowed",
        2,
    ),
    "deep nesting": (
        b"a: " + b"[" * 60 + b"]" * 60 + b"\n",
        ":1:53: error [depth-limit] nesting is deeper than 50 levels",
        2,
    ),
    # libyaml 0.2.6 stops at 1,000 levels while it looks ahead for a key, before the reader
    # sees the 51st: the same check, at the position where libyaml stopped.
    "very deep nesting": (
        b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        f":1:{1003 if LIBYAML_LIMITS_NESTING else 53}: error [depth-limit] nesting is deeper than 50 levels",
        2,
    ),
    "alias bomb": (LAUGHS.encode(), ":6:12: error [alias-limit] aliases expand the document past 200,000 values", 2),
    "too large": (b"#" * (reader.MAX_BYTES + 1), ": error [size-limit] file is larger than 5 MiB", 2),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_gives_one_line_and_exit_2_through_data(tmp_path: Path, case: str) -> None:
    content, message, _ = BAD_FILES[case]
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    run = ptdiff("show", "1.0", "--data", str(path))
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"ptdiff: error: {path}{message.replace(': error [', ': [')}")
    assert run.stderr.count("\n") == 1


@pytest.mark.parametrize("case", BAD_FILES)
def test_validate_exits_1_when_read_and_invalid_2_when_unreadable(tmp_path: Path, case: str) -> None:
    content, message, code = BAD_FILES[case]
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    run = ptdiff("validate", str(path))
    assert run.exit_code == code
    assert f"{path}{message}" in run.stdout.splitlines()


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "bad.yaml"
    path.write_text(f"sources: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    assert ptdiff("validate", str(path)).exit_code == 1
    assert not marker.exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.yaml", ": error [file] no such file"),
        (lambda tmp: tmp, ": error [file] is a directory, not a data file"),
    ],
)
def test_missing_file_and_directory(tmp_path: Path, make, message: str) -> None:
    path = make(tmp_path)
    for args, code in ((("show", "1.0", "--data", str(path)), 2), (("validate", str(path)), 2)):
        run = ptdiff(*args)
        assert run.exit_code == code
        assert f"{path}{message}" in run.stdout + run.stderr.replace(": [", ": error [")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root can read any file, so the permission error is simulated where the file is opened.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reader.os, "open", refuse)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # what a non-root user would be told
    path = tmp_path / "locked.yaml"
    path.write_text("releases: []\n", encoding="utf-8")
    run = ptdiff("show", "1.0", "--data", str(path))
    assert (run.exit_code, run.stderr) == (2, f"ptdiff: error: {path}: [file] permission denied\n")
    run = ptdiff("validate", str(path))
    assert (run.exit_code, run.stdout) == (2, f"{path}: error [file] permission denied\n{path}: 1 error, 0 warnings\n")


def test_unknown_field_wrong_type_missing_field_duplicate_id(tmp_path: Path) -> None:
    text = THREE_RELEASES.read_text(encoding="utf-8")
    text = text.replace("    relation: Planned.\n", "    relashun: Planned.\n")  # unknown field, and so a missing one
    text = text.replace("  - id: api.new\n", "  - id: api.old\n")  # duplicate id
    text = text.replace("    date: 2019-08-08\n", "    date: soon\n")  # wrong type
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    run = ptdiff("validate", str(path))
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [
        f"{path}:18:5: error [type] 'date' must be a date like 2019-05-01, found 'soon'",
        f"{path}:45:5: error [duplicate-id] feature 'api.old' is defined twice (first at line 37)",
        f"{path}:68:5: error [missing-field] a project is missing required field 'relation'",
        f"{path}:72:5: error [unknown-field] unknown field 'relashun'; did you mean 'relation'?",
        f"{path}: 4 errors, 0 warnings",
    ]


# -- hostile environments: real processes ------------------------------------------

PTDIFF = [sys.executable, "-m", "pytorch_diff"]


# The common invocations run without Typer (shortcut.py); --no-color sends the same one through it.
BOTH_PATHS = pytest.mark.parametrize("extra", [[], ["--no-color"]], ids=["shortcut", "full CLI"])


@BOTH_PATHS
def test_output_into_a_pipe_closed_early(extra: list[str]) -> None:
    process = subprocess.Popen([*PTDIFF, "show", "1.0", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the process can write anything
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert stderr == b""


@BOTH_PATHS
def test_ctrl_c_ends_the_process_quietly_by_sigint(tmp_path: Path, extra: list[str]) -> None:
    fifo = tmp_path / "data.yaml"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [*PTDIFF, "show", "1.0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PTDIFF_DATA": str(fifo)},
    )
    writer = None
    while writer is None:  # the process has the FIFO open once a non-blocking writer can open it
        try:
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            assert process.poll() is None, process.stderr.read()
    try:
        process.send_signal(signal.SIGINT)  # it is now blocked reading the data file
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(writer)
    # Killed by the signal itself: a shell shows 130 and stops a script that ran it.
    assert (process.returncode, stdout, stderr) == (-signal.SIGINT, b"", b"")


def test_sigint_ignored_by_the_parent_stays_ignored(tmp_path: Path) -> None:
    # As for a background job started by a shell script: Ctrl-C is meant for the script.
    fifo = tmp_path / "data.yaml"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [*PTDIFF, "versions"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PTDIFF_DATA": str(fifo)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    with open(fifo, "wb") as writer:  # returns once the process has the FIFO open
        process.send_signal(signal.SIGINT)  # discarded: the process ignores it
        writer.write(SHIPPED.read_bytes())
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (0, b"")
    assert b"2018-12-07" in stdout


@pytest.mark.parametrize(
    "env",
    [{"COLUMNS": "20"}, {"TERM": "dumb"}, {"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C"}],
    ids=["20 columns", "dumb terminal", "ascii output", "C locale"],
)
def test_hostile_terminals_stay_readable(env: dict[str, str]) -> None:
    for args in (("compare", "1.0", "1.1"), ("matrix", "1.0"), ("tools",)):
        result = subprocess.run([*PTDIFF, *args], capture_output=True, env={**os.environ, **env}, timeout=60)
        assert (result.returncode, result.stderr) == (0, b"")
        text = result.stdout.decode("utf-8")
        assert "\x1b" not in text
        if env.get("PYTHONIOENCODING") == "ascii":
            assert text.isascii()
        if args[0] == "matrix":
            legend = "+ supported, - not supported" if text.isascii() else "✓ supported, ✘ not supported"
            assert legend in " ".join(text.split())
        if env.get("COLUMNS") == "20" and args[0] == "compare":
            assert "== Added\narea: jit\nfeature: Fast custom\n" in text  # records, not a squeezed table
            assert max(len(line) for line in text.splitlines()) <= 20


# -- properties ---------------------------------------------------------------------

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SHIPPED_LINES = SHIPPED.read_text(encoding="utf-8").splitlines(keepends=True)

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
top_level = st.fixed_dictionaries(
    {},
    optional={
        key: yaml_values
        for key in (
            "schema_version",
            "sources",
            "areas",
            "releases",
            "features",
            "projects",
            "backend_matrices",
            "extra",
        )
    },
)


@st.composite
def mutated_shipped(draw) -> bytes:
    lines = list(SHIPPED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "garble"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif action == "truncate":
            lines = lines[:at]
        elif action == "garble" and lines[at].strip():
            column = draw(st.integers(0, len(lines[at]) - 1))
            char = draw(st.sampled_from(list(":-[]{}&*!|>'\"#% \tx1") + ["\x00", "\xe9"]))
            lines[at] = lines[at][:column] + char + lines[at][column + 1 :]
    return "".join(lines).encode("utf-8")


def assert_handled(path: Path) -> None:
    """Through the loader and the CLI: exit 0 or 2 (validate: 0, 1 or 2), a message when not 0."""
    try:
        check_releases(path)
    except DataError as error:
        assert error.problems
    run = ptdiff("show", "1.0", "--data", str(path))
    assert run.exit_code in (0, 2)
    if run.exit_code == 2:
        assert run.stderr.startswith("ptdiff: error: ") and run.stderr.count("\n") == 1
    run = ptdiff("validate", str(path))
    assert run.exit_code in (0, 1, 2)
    assert run.stdout.splitlines()[-1].startswith(f"{path}: ")


@FAST
@given(document=top_level)
def test_generated_documents_never_crash(tmp_path_factory: pytest.TempPathFactory, document: dict) -> None:
    path = tmp_path_factory.mktemp("generated") / "data.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert_handled(path)


@FAST
@given(content=mutated_shipped())
def test_mutations_of_the_shipped_data_never_crash(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    path = tmp_path_factory.mktemp("mutated") / "data.yaml"
    path.write_bytes(content)
    assert_handled(path)
