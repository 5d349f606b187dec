"""``ptdiff doctor``: the model's API names held against a fake torch, and against a real one.

The fake torch (tests/fake_torch, see its README) is put first on ``sys.path`` for the
metadata that ptdiff reads in-process, and on ``PYTHONPATH`` for the child Python that
imports it.  The real test runs where ``pip install torch==2.13.0`` has been done
(``.ci/run`` does it) and is skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

import pytest

from pytorch_diff import doctor
from pytorch_diff.errors import EXIT_NO_TORCH
from pytorch_diff.load import load_releases
from pytorch_diff.model import Version

from .helpers import FIXTURES, SHIPPED, Run, ptdiff

FAKE_TORCH = Path(__file__).parent / "fake_torch"
DATA = ("--data", str(FIXTURES / "doctor.yaml"))

HEADER = [
    "Model API names in the installed torch 1.1.0+cpu",
    "Installed torch: 1.1.0+cpu",
    "Model release: 1.1 (the newest in the model not newer than 1.1.0+cpu)",
    f"Imported: torch 1.1.0+cpu from {FAKE_TORCH / 'torch'}",
    "Summary: 13 names checked: 4 missing, 3 not checkable, 4 present, 2 removed",
]
ROWS = [
    # the model says these are in 1.1, and they are not: the findings
    ["missing", "torch.jit.Attribute", "torch.jit has no attribute or submodule 'Attribute'", ""],
    ["missing", "torch.jit.ScriptModule.define", "torch.jit.ScriptModule has no attribute 'define'", ""],
    [
        "missing",
        "torch.old_solve",
        "torch has no attribute or submodule 'old_solve'",
        "deprecated in 1.1; use torch.solve [1]",
    ],
    [
        "missing",
        "torch.nn.parallel.deprecated.DistributedDataParallel",
        "torch.nn.parallel.deprecated (the class functools.partial) has no attribute 'DistributedDataParallel'",
        "deprecated in 1.0 [2]",
    ],
    ["not checkable", "torch.broken.thing", "importing torch.broken failed: RuntimeError: no backend available", ""],
    [
        "not checkable",
        "torch.utils.tensorboard.SummaryWriter",
        "torch.utils.tensorboard needs 'tensorboard', which is not installed",
        "",
    ],
    ["not checkable", "numpy.ndarray", "not in the torch package", ""],
    ["present", "torch.jit.script", "", ""],
    ["present", "torch.jit.ScriptModule.save", "", ""],
    ["present", "torch.solve", "", ""],
    ["present", "torch.nn.SyncBatchNorm.convert_sync_batchnorm", "", ""],
    # removed by 1.1, as the model says: not findings; one note for both names
    ["removed", "torch.legacy", "", "deprecated in 1.0 [3]"],
    ["", "", "", "removed in 1.1 [4]"],
    ["removed", "torch.legacy.nn", "", "deprecated in 1.0 [3]"],
    ["", "", "", "removed in 1.1 [4]"],
]
NOTES = [
    "[1] deprecated in 1.1 (api.old-solve): Use torch.solve instead.",
    "[2] deprecated in 1.0 (api.old-ddp): Kept under a deprecated namespace.",
    "[3] deprecated in 1.0 (api.legacy): Do not use.",
    "[4] removed in 1.1 (api.legacy): No longer shipped.",
]


def wide(*args: str) -> Run:
    """``ptdiff`` on a terminal wide enough that no cell of the doctor's table wraps."""
    return ptdiff(*args, env={"COLUMNS": "300"})


def use_torch(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """Make the torch in ``directory`` the installed one, for ptdiff and for the child it starts."""
    monkeypatch.syspath_prepend(str(directory))
    monkeypatch.setenv("PYTHONPATH", str(directory))


@pytest.fixture
def fake_torch(monkeypatch: pytest.MonkeyPatch) -> Path:
    use_torch(monkeypatch, FAKE_TORCH)
    return FAKE_TORCH


def broken_torch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, init: str) -> None:
    """A torch 1.1.0 whose ``__init__`` is ``init``, made the installed one."""
    (tmp_path / "torch").mkdir(parents=True)
    (tmp_path / "torch" / "__init__.py").write_text(init, encoding="utf-8")
    (tmp_path / "torch-1.1.0.dist-info").mkdir()
    (tmp_path / "torch-1.1.0.dist-info" / "METADATA").write_text("Name: torch\nVersion: 1.1.0\n", encoding="utf-8")
    use_torch(monkeypatch, tmp_path)


def no_torch_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if no torch distribution were installed (where the tests run, one may be)."""
    version = metadata.version

    def without_torch(name: str) -> str:
        if name == "torch":
            raise metadata.PackageNotFoundError(name)
        return version(name)

    monkeypatch.setattr(metadata, "version", without_torch)


def test_doctor_reports_every_name_present_missing_or_not_checkable(fake_torch: Path) -> None:
    run = wide("doctor", *DATA)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[:5] == HEADER
    assert run.table_rows() == ROWS
    assert run.stdout.splitlines()[-4:] == NOTES
    assert run.stderr == ""  # what the fake torch prints while importing stays out of the output


def test_doctor_judges_by_the_release_torch_is(fake_torch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same torch, taken for 1.0: what the model adds in 1.1 is not yet there, and that is no finding.
    monkeypatch.setattr(metadata, "version", lambda name: "1.0.1")
    rows = {row[1]: row[0] for row in wide("doctor", *DATA).table_rows() if row[1]}
    assert rows["torch.jit.Attribute"] == "not yet added"
    assert rows["torch.jit.ScriptModule.define"] == "not yet added"
    assert rows["torch.solve"] == "present"  # there already, though the model has it from 1.1
    assert rows["torch.legacy"] == "missing"  # deprecated in 1.0, removed only in 1.1
    assert rows["torch.old_solve"] == "missing"


def test_doctor_json_has_the_counts_and_what_the_model_says(fake_torch: Path) -> None:
    document = ptdiff("doctor", "--format", "json", *DATA).json()
    assert document["kind"] == "doctor"
    assert document["torch_version"] == document["imported_version"] == "1.1.0+cpu"
    assert document["model_release"] == "1.1"
    assert document["torch_path"] == str(FAKE_TORCH / "torch")
    assert document["counts"] == {"checked": 13, "missing": 4, "not_checkable": 3, "present": 4, "removed": 2}
    checks = {check["name"]: check for check in document["checks"]}
    assert list(checks) == [row[1] for row in ROWS if row[1]]
    assert checks["torch.old_solve"] == {
        "name": "torch.old_solve",
        "area": "api",
        "features": ["api.old-solve"],
        "status": "missing",
        "reason": "torch has no attribute or submodule 'old_solve'",
        "model_says": [
            {
                "feature": "api.old-solve",
                "release": "1.1",
                "change": "deprecated",
                "summary": "Use torch.solve instead.",
                "replaced_by": ["torch.solve"],
                "sources": ["notes-a"],
            }
        ],
    }
    assert [(n["change"], n["release"]) for n in checks["torch.legacy"]["model_says"]] == [
        ("deprecated", "1.0"),
        ("removed", "1.1"),
    ]
    assert list(document["sources"]) == ["notes-a", "notes-b"]


def test_doctor_markdown_and_csv_show_the_same_rows(fake_torch: Path) -> None:
    rows = ptdiff("doctor", "--format", "csv", *DATA).csv()
    assert rows[0] == ["status", "api", "area", "features", "reason", "model says"]
    assert rows[3] == [
        "missing",
        "torch.old_solve",
        "api",
        "api.old-solve",
        "torch has no attribute or submodule 'old_solve'",
        "deprecated in 1.1; use torch.solve [1]",
    ]
    assert rows[-1][-1] == "deprecated in 1.0 [3]\nremoved in 1.1 [4]"
    assert [row[0:2] for row in rows[1:]] == [row[:2] for row in ROWS if row[1]]
    text = ptdiff("doctor", "--format", "markdown", *DATA).stdout
    assert text.startswith("# Model API names in the installed torch 1.1.0+cpu\n")
    assert "- **Summary:** 13 names checked: 4 missing, 3 not checkable, 4 present, 2 removed\n" in text
    assert (
        "| missing | torch.old\\_solve | api | api.old-solve | torch has no attribute or submodule 'old\\_solve' "
        "| deprecated in 1.1; use torch.solve \\[1\\] |\n"
    ) in text
    assert "\\[4\\] removed in 1.1 (api.legacy): No longer shipped.\n" in text


def test_doctor_area_filters_the_names(fake_torch: Path) -> None:
    run = wide("doctor", "--area", "visualization", *DATA)
    assert run.exit_code == 0
    assert run.stdout.splitlines()[4:6] == [
        "Area: visualization",
        "Summary: 1 name checked: 1 not checkable",
    ]
    assert run.table_rows() == [ROWS[5][:3]]  # nothing in "model says": the column is left out
    assert wide("doctor", "-a", "jit", *DATA).table_rows() == [row[:3] for row in ROWS[:2] + ROWS[7:9]]


def test_doctor_unknown_area_is_a_usage_error(fake_torch: Path) -> None:
    run = ptdiff("doctor", "--area", "visualisation", *DATA)
    assert run.exit_code == 2
    assert run.stderr == (
        "ptdiff: error: unknown area 'visualisation'; known: jit, api, visualization, cpp; "
        "did you mean 'visualization'?\n"
    )


def test_doctor_names_no_release_for_a_torch_older_than_the_model_and_a_version_mismatch(
    fake_torch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metadata, "version", lambda name: "0.4.1")
    lines = ptdiff("doctor", *DATA).stdout.splitlines()
    assert lines[2] == "Model release: none (every release in the model is newer than 0.4.1)"
    assert (
        "The package metadata says torch 0.4.1 but torch 1.1.0+cpu was imported: another torch comes first on the path."
    ) in lines


@pytest.mark.parametrize(
    ("installed", "release"),
    [
        ("1.1.0", "1.1"),
        ("1.1.0+cpu", "1.1"),
        ("1.1.2", "1.1"),
        ("v1.2", "1.2"),
        ("2.13.0+cu121", "1.2"),
        ("1.1.0a0+git1234abc", "1.0"),  # a pre-release of 1.1.0 is older than 1.1
        ("1.2.0rc1", "1.1"),
        ("1.2.0.dev20190601", "1.1"),
        ("1.1.0.post1", "1.1"),
        ("0.4.1", None),
        ("unknown", None),
    ],
)
def test_release_for_is_the_newest_release_not_newer_than_torch(installed: str, release: str | None) -> None:
    model = load_releases(FIXTURES / "doctor.yaml")
    found = doctor.release_for(model, installed)
    assert (str(found) if found else None) == release


def test_no_torch_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    no_torch_metadata(monkeypatch)
    run = ptdiff("doctor", *DATA)
    assert run.exit_code == EXIT_NO_TORCH == 3
    assert run.stdout == ""
    assert run.stderr == (
        f"ptdiff: error: torch is not installed for this Python ({sys.executable}): no 'torch' package metadata found\n"
    )


def test_torch_that_fails_to_import_is_one_line_and_exit_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken_torch(tmp_path, monkeypatch, 'raise ImportError("libtorch_cpu.so: cannot open shared object file")\n')
    run = ptdiff("doctor", *DATA)
    assert run.exit_code == 3
    assert run.stdout == ""
    assert run.stderr == (
        "ptdiff: error: importing torch failed: ImportError: libtorch_cpu.so: cannot open shared object file\n"
    )


@pytest.fixture
def python_without_site_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ptdiff starts its child as ``python -S``: a Python where no real torch is installed."""
    wrapper = tmp_path / "python-S"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(wrapper))


@pytest.mark.usefixtures("python_without_site_packages")
def test_metadata_without_the_package_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken_torch(tmp_path / "stale", monkeypatch, "")
    shutil.rmtree(tmp_path / "stale" / "torch")  # the metadata of a torch whose files are gone
    run = ptdiff("doctor", *DATA)
    assert run.exit_code == 3
    assert run.stderr == "ptdiff: error: importing torch failed: ModuleNotFoundError: No module named 'torch'\n"


@pytest.mark.usefixtures("python_without_site_packages")
def test_a_torch_folder_that_is_not_a_package_is_not_pytorch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken_torch(tmp_path / "stray", monkeypatch, "")
    (tmp_path / "stray" / "torch" / "__init__.py").unlink()
    run = ptdiff("doctor", *DATA)
    assert run.exit_code == 3
    assert run.stderr == (
        f"ptdiff: error: importing torch failed: found a folder without __init__.py at {tmp_path / 'stray' / 'torch'}, "
        "not PyTorch\n"
    )


def test_torch_import_that_hangs_is_stopped_by_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken_torch(tmp_path, monkeypatch, "import time\n\ntime.sleep(600)\n")
    run = ptdiff("doctor", "--timeout", "0.5", *DATA)
    assert run.exit_code == 3
    assert run.stderr == (
        "ptdiff: error: importing torch did not finish within 0.5 s; stopped it (--timeout sets the limit)\n"
    )


def test_a_name_whose_check_hangs_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FAKE_TORCH, tmp_path, dirs_exist_ok=True)
    (tmp_path / "torch" / "broken.py").write_text("import time\n\ntime.sleep(600)\n", encoding="utf-8")
    use_torch(monkeypatch, tmp_path)
    run = ptdiff("doctor", "--timeout", "3", *DATA)
    assert run.exit_code == 3
    assert run.stderr == (
        "ptdiff: error: checking torch.broken.thing did not finish within 3 s; stopped it (--timeout sets the limit)\n"
    )


@pytest.mark.parametrize(
    ("init", "message"),
    [
        (
            'import os, sys\nsys.stderr.write("fatal: out of memory\\n")\nsys.stderr.flush()\nos._exit(7)\n',
            "Python exited with code 7 while importing torch: fatal: out of memory",
        ),
        (
            "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
            "Python was killed by SIGKILL while importing torch",
        ),
    ],
)
def test_torch_import_that_crashes_is_one_line_and_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, init: str, message: str
) -> None:
    broken_torch(tmp_path, monkeypatch, init)
    run = ptdiff("doctor", *DATA)
    assert run.exit_code == 3
    assert run.stderr == f"ptdiff: error: {message}\n"


def test_a_torch_folder_in_the_current_directory_does_not_shadow_the_installed_one(
    fake_torch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "torch").mkdir()
    (tmp_path / "torch" / "__init__.py").write_text('raise ImportError("the source tree, not a build")\n')
    monkeypatch.chdir(tmp_path)
    run = wide("doctor", *DATA)
    assert run.exit_code == 0, run.stderr
    assert run.table_rows() == ROWS


def test_doctor_timeout_must_be_positive(fake_torch: Path) -> None:
    run = ptdiff("doctor", "--timeout", "0", *DATA)
    assert run.exit_code == 2
    assert "must be more than 0" in run.stderr


def test_help_documents_doctor_and_exit_code_3() -> None:
    run = ptdiff("--help")
    assert "doctor" in run.stdout
    assert "    3    doctor: torch is not installed, or importing it failed, crashed or timed out\n" in run.stdout
    assert ptdiff("doctor", "--help").exit_code == 0


# --- against a real PyTorch --------------------------------------------------------------


def _real_torch() -> str:
    """Why the real test cannot run here, or "" when it can."""
    if importlib.util.find_spec("torch") is None:
        return "torch is not installed here (.ci/run installs it with pip install torch==2.13.0)"
    try:
        metadata.version("torch")
    except metadata.PackageNotFoundError:
        return "torch is importable but has no package metadata"
    return ""


@pytest.mark.skipif(bool(_real_torch()), reason=_real_torch() or "torch is installed")
def test_doctor_against_the_real_torch() -> None:
    model = load_releases(SHIPPED)
    installed = metadata.version("torch")
    run = ptdiff("doctor", "--format", "json", "--data", str(SHIPPED), "--timeout", "300")
    assert run.exit_code == 0, run.stderr
    document = run.json()
    assert document["torch_version"] == installed
    version = Version.parse(re.match(r"\d+\.\d+(\.\d+)?", installed).group())
    older = [r.version for r in model.releases if r.version <= version]
    assert document["model_release"] == (str(max(older)) if older else None)

    checks = {check["name"]: check for check in document["checks"]}
    assert set(checks) == {api.name for feature in model.features for api in feature.all_apis if api.importable}
    counts = document["counts"]
    assert counts["checked"] == len(checks) == sum(n for status, n in counts.items() if status != "checked")
    assert counts["present"] > 0

    for name in ("torch.jit.script", "torch.jit.trace", "torch.nn.SyncBatchNorm", "torch.distributed.new_group"):
        assert checks[name]["status"] == "present", checks[name]
    legacy = checks["torch.legacy"]  # the shipped data records its removal in 1.0: absent as expected
    assert (legacy["status"], legacy["reason"]) == ("removed", "")
    assert [(n["change"], n["release"]) for n in legacy["model_says"]] == [("removed", "1.0")]
    writer = checks["torch.utils.tensorboard.SummaryWriter"]
    if importlib.util.find_spec("tensorboard") is None:
        assert writer["status"] == "not checkable"
        assert writer["reason"] == "torch.utils.tensorboard needs 'tensorboard', which is not installed"
    else:
        assert writer["status"] == "present"

    table = wide("doctor", "--data", str(SHIPPED), "--timeout", "300")
    assert f"Summary: {counts['checked']} names checked: " in table.stdout
    assert ["removed", "torch.legacy"] in [row[:2] for row in table.table_rows()]
