"""``ptdiff scan`` as a user runs it: real processes of ``python -m pytorch_diff``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SCAN = FIXTURES / "scan"
MODEL = str(FIXTURES / "scan_model.yaml")


def ptdiff(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PTDIFF_DATA", "NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "pytorch_diff", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_text_and_the_exit_code(tmp_path: Path) -> None:
    shutil.copy(SCAN / "noqa.py", tmp_path / "noqa.py")
    (tmp_path / ".git").mkdir()  # no project settings from the directories above
    done = ptdiff("scan", "noqa.py", "--data", MODEL, "--from", "1.0", "--to", "1.3", cwd=tmp_path)
    gesv = "PTD101 [*] torch.gesv was removed in 1.3; use torch.solve (https://example.org/1.3)"
    assert done.stdout.splitlines() == [
        f"noqa.py:5:1: {gesv}",
        f"noqa.py:8:13: {gesv}",
        f"noqa.py:9:1: {gesv}",
        "1 file scanned, 3 findings (PTD101: 3); torch 1.0 → 1.3, floor from --from",
    ]
    assert (done.returncode, done.stderr) == (1, "")
    again = ptdiff("scan", "noqa.py", "--data", MODEL, "--exit-zero", "--ignore", "PTD900", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout.endswith("floor from the oldest release in the model\n")


def test_options_before_the_command_name_and_usage_errors() -> None:
    done = ptdiff("-f", "json", "--data", MODEL, "scan", str(SCAN / "strings.py"), "--from", "1.0")
    document = json.loads(done.stdout)
    assert [(f["line"], f["column"], f["code"]) for f in document["findings"]] == [
        (4, 25, "PTD101"),
        (5, 33, "PTD101"),
        (6, 50, "PTD101"),
    ]
    unknown = ptdiff("scan", str(SCAN), "--data", MODEL, "--to", "9.9")
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr.startswith("ptdiff: error: unknown release '9.9'") and unknown.stderr.count("\n") == 1
    bad = ptdiff("scan", str(SCAN), "--fail-on", "sometimes")
    assert bad.returncode == 2 and "--fail-on" in bad.stderr and bad.stdout == ""


def test_worker_processes_in_a_real_run_give_the_one_process_answer(tmp_path: Path) -> None:
    for index in range(5):  # 60 files: enough for worker processes
        shutil.copytree(SCAN, tmp_path / f"copy{index}")
    many = ptdiff("scan", ".", "--data", MODEL, "--from", "1.0", "-f", "json", cwd=tmp_path)
    one = ptdiff("scan", "copy0", "--data", MODEL, "--from", "1.0", "-f", "json", cwd=tmp_path)
    found, single = json.loads(many.stdout), json.loads(one.stdout)
    assert (found["files"], single["files"]) == (60, 12)
    copy0 = [f for f in found["findings"] if f["path"].startswith("copy0")]
    assert copy0 == single["findings"] and len(found["findings"]) == 5 * len(single["findings"])
    assert many.returncode == 1 and many.stderr == ""
