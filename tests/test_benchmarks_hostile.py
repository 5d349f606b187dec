"""The benchmark's own parts: its data files are what they claim, and its spawner measures a child.

Timings are never asserted here (benchmarks/run.py does that); these only keep the benchmark
runnable as ptdiff changes: a generated model that no longer validates, or a hostile file that
drifted past a limit, would otherwise surface only when someone runs the benchmark.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pytorch_diff.load import check_releases
from pytorch_diff.reader import MAX_BYTES, MAX_DEPTH, MAX_VALUES

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
if not (BENCHMARKS / "hostile.py").is_file():  # a copy of the tests without it, such as mutmut's
    pytest.skip("benchmarks/ is not beside these tests", allow_module_level=True)
sys.path.insert(0, str(BENCHMARKS))  # its modules import each other by name, as scripts

import generate  # noqa: E402
import hostile  # noqa: E402
from measure import Command, Runner, SetupError  # noqa: E402


def test_a_generated_model_validates_without_findings(tmp_path: Path) -> None:
    path = tmp_path / "generated.yaml"
    generate.write(path, releases=12, features=9)
    model, problems = check_releases(str(path))
    assert problems == []
    assert model is not None
    assert [str(r.version) for r in model.releases][::11] == ["1.0", "2.1"]


@pytest.mark.parametrize(("name", "build"), [(name, build) for name, build, _, _ in hostile.CASES])
def test_each_hostile_file_is_just_within_the_limits(name: str, build: object) -> None:
    assert callable(build)
    text = build()
    size = len(text.encode())
    values, depth = hostile.shape(text)
    assert size <= MAX_BYTES and values <= MAX_VALUES and depth <= MAX_DEPTH
    if name == "deep-nesting":
        assert depth == MAX_DEPTH - 2
        assert hostile.DEEP_BYTES - 2 * hostile.SLACK_BYTES <= size <= hostile.DEEP_BYTES
    else:  # as many values as fit: the limit on values is the one that binds
        assert values >= MAX_VALUES - 2 * hostile.SLACK_VALUES
    if name not in ("deep-nesting", "largest-valid"):  # and padded to just under the size limit
        assert size >= MAX_BYTES - 2 * hostile.SLACK_BYTES


def test_the_spawner_measures_a_child_and_refuses_an_unexpected_exit(tmp_path: Path) -> None:
    with Runner({}, tmp_path) as runner:
        seconds, peak = runner.once(Command("echo", [sys.executable, "-c", "print('hello')"]))
        assert runner.stdout.read_text() == "hello\n"
        assert seconds > 0 and peak > 0 and runner.floor > 0
        with pytest.raises(SetupError, match="exited with 3, not 0"):
            runner.once(Command("fail", [sys.executable, "-c", "raise SystemExit(3)"]))
