"""Shell completion in real bash, zsh and fish processes, with the script ptdiff prints for each.

Each test puts a ``ptdiff`` command on PATH that runs this checkout, loads the script
``ptdiff --show-completion SHELL`` prints, and asks the shell itself to complete.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import THREE_RELEASES, ptdiff

CASES = [
    ("ptdiff sh", ["show"]),
    ("ptdiff show ", ["1.0", "1.1", "1.2", "latest"]),
    ("ptdiff show 1.0 --area ", ["jit", "api", "breaking"]),
    ("ptdiff projects --kind c", ["cloud", "course"]),
    ("ptdiff tools a", ["ax"]),
]


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH starts with a ``ptdiff`` that runs this checkout's code."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "ptdiff"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pytorch_diff "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    root = str(Path(__file__).resolve().parent.parent)
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": root,
        "PTDIFF_DATA": str(THREE_RELEASES),
        "HOME": str(tmp_path),
    }


def need(shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed here (.ci/run installs it with apt-get where it can)")


@pytest.mark.parametrize(("line", "expected"), CASES)
def test_bash_completes(shell_env: dict[str, str], line: str, expected: list[str]) -> None:
    need("bash")
    words = line.split(" ")
    script = (
        "source <(ptdiff --show-completion bash)\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_ptdiff_completion ptdiff\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    run = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True, env=shell_env, timeout=60)
    assert run.stdout.split() == expected, run.stderr


@pytest.mark.parametrize(("line", "expected"), CASES)
def test_fish_completes(shell_env: dict[str, str], line: str, expected: list[str]) -> None:
    need("fish")
    script = f"ptdiff --show-completion fish | source; complete -C '{line}'"
    run = subprocess.run(
        ["fish", "--no-config", "-c", script], capture_output=True, text=True, env=shell_env, timeout=60
    )
    assert sorted(entry.split("\t")[0] for entry in run.stdout.splitlines()) == sorted(expected), run.stderr


@pytest.mark.parametrize(("line", "expected"), CASES[1:3])
def test_zsh_completes_on_tab(shell_env: dict[str, str], line: str, expected: list[str]) -> None:
    need("zsh")
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        "zsh",
        ["-f", "-i"],
        env={**shell_env, "PS1": "> ", "TERM": "dumb"},
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    try:
        child.sendline("autoload -Uz compinit && compinit -u && source <(ptdiff --show-completion zsh) && echo READY")
        child.expect("READY")
        child.send(line + "\t")
        last = sorted(expected)[-1]  # zsh lists the candidates under the line, sorted
        child.expect(last)
        listed = (str(child.before).split(line, 1)[-1] + last).split()
        assert all(word in listed for word in expected), listed
    finally:
        child.close(force=True)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_each_shell_gets_its_own_script(shell: str) -> None:
    run = ptdiff("--show-completion", shell)
    assert run.exit_code == 0
    marks = {
        "bash": "complete -o default -F _ptdiff_completion ptdiff",
        "zsh": "#compdef ptdiff",
        "fish": "complete --command ptdiff",
        "powershell": "Register-ArgumentCompleter -Native -CommandName ptdiff",
    }
    assert marks[shell] in run.stdout
    others = [mark for name, mark in marks.items() if name != shell]
    assert not any(mark in run.stdout for mark in others)


def test_an_unknown_shell_is_a_usage_error() -> None:
    run = ptdiff("--show-completion", "tcsh", env={"SHELL": "/bin/tcsh"})
    assert run.exit_code == 2
    run = ptdiff("--show-completion", "", env={"SHELL": "/bin/tcsh"})
    assert run.exit_code == 2
    assert run.stderr.startswith("ptdiff: error: cannot tell which shell this is")
