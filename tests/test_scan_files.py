"""``ptdiff scan``: which files are read, the project's settings, and the torch floor it declares."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytorch_diff.errors import UsageError
from pytorch_diff.model import Version
from pytorch_diff.scan import toml_subset
from pytorch_diff.scan.config import declared_floor, find_project, load_config
from pytorch_diff.scan.files import Walk
from pytorch_diff.scan.notebook import NotebookError, blank_magics, code_cells


def tree(root: Path, *files: str) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def walked(root: Path, *exclude: str, paths: tuple[str, ...] = ()) -> list[str]:
    return [os.path.relpath(p, root) for p in Walk(list(paths) or [str(root)], exclude)]


def test_walk_reads_py_and_ipynb_and_skips_tool_and_environment_directories(tmp_path: Path) -> None:
    tree(
        tmp_path,
        "a.py",
        "b.ipynb",
        "notes.txt",
        "pkg/c.py",
        ".git/hook.py",
        ".venv/lib/d.py",
        "venv/e.py",
        "env/f.py",
        "myenv/pyvenv.cfg",
        "myenv/lib/g.py",
        "build/h.py",
        "dist/i.py",
        "pkg/__pycache__/j.py",
        ".tox/k.py",
        "node_modules/l.py",
        "ptdiff.egg-info/m.py",
        "environment/n.py",
    )
    assert walked(tmp_path) == ["a.py", "b.ipynb", "environment/n.py", "pkg/c.py"]


def test_exclude_globs_match_names_and_relative_paths(tmp_path: Path) -> None:
    tree(tmp_path, "a.py", "gen_pb2.py", "legacy/old.py", "legacy/sub/older.py", "src/legacy.py", "tests/t.py")
    assert walked(tmp_path, "*_pb2.py", "legacy/*", "tests") == ["a.py", "src/legacy.py"]
    assert walked(tmp_path, "legacy") == ["a.py", "gen_pb2.py", "src/legacy.py", "tests/t.py"]


def test_files_named_on_the_command_line_are_read_whatever_their_extension_once(tmp_path: Path) -> None:
    tree(tmp_path, "script", "a.py", "venv/b.py")
    named = (str(tmp_path / "script"), str(tmp_path), str(tmp_path / "a.py"), str(tmp_path / "venv"))
    assert walked(tmp_path, paths=named) == ["script", "a.py", os.path.join("venv", "b.py")]
    assert walked(tmp_path, "script", paths=(str(tmp_path / "script"),)) == []


def test_a_directory_that_cannot_be_listed_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, "a.py", "locked/b.py")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:  # what a directory without read permission does
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    walk = Walk([str(tmp_path)])
    assert [os.path.basename(p) for p in walk] == ["a.py"]
    assert walk.errors == [(str(tmp_path / "locked"), "Permission denied")]


# -- notebooks ----------------------------------------------------------------------


def test_magics_become_pass_at_their_indentation() -> None:
    assert blank_magics("%time x\nif a:\n    !ls\n    y = '100%'\n") == "pass\nif a:\n    pass\n    y = '100%'\n"


def test_cells_are_numbered_among_all_cells_and_other_kernels_have_none() -> None:
    text = '{"cells": [{"cell_type": "markdown", "source": "x"}, {"cell_type": "code", "source": ["a\\n", "b"]}]}'
    assert [(c.number, c.source) for c in code_cells(text)] == [(2, "a\nb")]
    other = '{"cells": [{"cell_type": "code", "source": "x"}], "metadata": {"kernelspec": {"language": "R"}}}'
    assert code_cells(other) == []
    for broken in ("{", "[]", '{"cells": 1}'):
        with pytest.raises(NotebookError):
            code_cells(broken)


# -- the project and its declared floor -----------------------------------------------


@pytest.mark.parametrize(
    ("requirement", "floor"),
    [
        ("torch>=1.0", "1.0"),
        ("torch >= 1.1.0, <2", "1.1"),
        ("torch==1.0.1", "1.0.1"),
        ("torch~=1.2", "1.2"),
        ("Torch[cuda]>=1.3 ; python_version >= '3.8'", "1.3"),
        ("torch==1.1.*", "1.1"),
        ("torch>=2.0.0rc1", "2.0"),
        ("torch<2", None),
        ("torch", None),
        ("torchvision>=0.3", None),
        ("torch-geometric>=1.0", None),
        ("pytorch-lightning>=1.0", None),
        ("torch @ https://example.org/torch.whl", None),
        ("# torch>=1.0", None),
        (3, None),
    ],
)
def test_declared_floor(requirement: object, floor: str | None) -> None:
    assert declared_floor(requirement) == (Version.parse(floor) if floor else None)


def test_config_reads_tool_ptdiff_and_the_lowest_declared_floor(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["numpy", "torch>=1.1"]\n'
        '[tool.ptdiff]\nto = "1.2"\nexclude = ["gen/*"]\nignore = ["PTD201"]\n'
    )
    (tmp_path / "requirements-dev.txt").write_text("-r requirements.txt\ntorch==1.0.1  # the oldest we test\n")
    (tmp_path / "src").mkdir()
    config = load_config([str(tmp_path / "src")])
    assert config.project == tmp_path.resolve()
    assert (config.from_, config.to, config.exclude, config.ignore) == (None, "1.2", ("gen/*",), ("PTD201",))
    assert (config.floor, config.floor_source) == (Version(1, 0, 1), "requirements-dev.txt")


def test_the_project_search_stops_at_the_top_of_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ptdiff]\nfrom = '1.0'\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "a.py").write_text("")
    assert find_project(tmp_path / "repo" / "a.py") is None
    assert load_config([str(tmp_path / "repo")]).from_ is None
    assert find_project(tmp_path / "repo" / "..") == tmp_path.resolve()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.ptdiff]\nfrom = 1.0\n", "must be a release name in quotes"),
        ("[tool.ptdiff]\nexclude = 'gen'\n", "exclude must be a list of strings"),
        ("[tool.ptdiff]\nselect = ['PTD1']\n", "has no setting 'select'"),
        ("[tool.ptdiff\n", "not valid TOML"),
    ],
)
def test_bad_settings_are_usage_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(UsageError, match=message):
        load_config([str(tmp_path)])


# -- the TOML reader for Python 3.10 ---------------------------------------------------

TOML_DOCUMENTS = [
    (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(),
    '[project]\nname = "x"\ndependencies = [\n  "torch>=1.0",  # floor\n  \'numpy\',\n]\n',
    'a = """\nline\\\n   joined"""\nb = \'\'\'raw\\n\'\'\'\nc = "\\u00e9\\t"\nd = """x""""\n',
    "[a.b]\nc = {d = 1, 'e f' = [true, false]}\n[[t]]\nx = 1\n[[t]]\nx = 2.5\n[t.sub]\ny = -3\n",
    "key.dotted = 'v'\n\"quoted key\" = 1\nempty = []\ndate = 1979-05-27T07:32:00Z\n",
]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="compares with tomllib")
@pytest.mark.parametrize("text", TOML_DOCUMENTS)
def test_toml_subset_reads_what_tomllib_reads(text: str) -> None:
    import tomllib

    expected = tomllib.loads(text)
    if "date" in expected:  # dates are kept as their text
        expected["date"] = "1979-05-27T07:32:00Z"
    assert toml_subset.loads(text) == expected


@pytest.mark.parametrize("text", ["a = ", "[a\n", "a = 'x\n", 'a = "\\q"\n', "a = 1\na = 2\n", "a = [1 2]\n"])
def test_toml_subset_refuses_broken_documents(text: str) -> None:
    with pytest.raises(toml_subset.TOMLError):
        toml_subset.loads(text)


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12), max_size=5))
def test_toml_subset_round_trips_string_arrays(values: list[str]) -> None:
    import json

    # A JSON string without \u escapes beyond the controls is a TOML basic string.
    text = "dependencies = [" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]\n"
    assert toml_subset.loads(text) == {"dependencies": values}
