"""The README's output excerpts are what ptdiff prints today, and its tables say what the code does."""

from __future__ import annotations

import pytest

from pytorch_diff.errors import EXIT_CODES
from pytorch_diff.load import CHECKS

from .readme_excerpts import ILLUSTRATIONS, README, chunks, excerpts, output, width_of

TEXT = README.read_text(encoding="utf-8")


def test_the_readme_has_excerpts_to_check() -> None:
    assert len(excerpts(TEXT)) >= 8


@pytest.mark.parametrize(
    ("command", "excerpt"), [pytest.param(c, e, id=c) for _, c, e in excerpts(TEXT) if c not in ILLUSTRATIONS]
)
def test_readme_excerpt_matches_the_output(command: str, excerpt: list[str]) -> None:
    # Refresh them all with: python -m tests.readme_excerpts
    actual = output(command, width_of(excerpt))
    head, *middle, tail = parts if len(parts := chunks(excerpt)) > 1 else [parts[0], []]
    assert actual[: len(head)] == head
    position = len(head)
    for chunk in middle:
        found = next((i for i in range(position, len(actual)) if actual[i : i + len(chunk)] == chunk), None)
        assert found is not None, f"not in the output, in this order: {chunk}"
        position = found + len(chunk)
    if len(parts) == 1:
        assert actual == head
    elif tail:
        assert actual[-len(tail) :] == tail
        assert len(actual) - len(tail) >= position


def test_the_exit_code_table_is_the_one_in_errors_py() -> None:
    table = TEXT.split("## Exit codes")[1].split("\n\n")[2]
    assert table.splitlines()[2:] == [f"| {code} | {meaning} |" for code, meaning in EXIT_CODES]


def test_every_check_is_documented() -> None:
    section = TEXT.split("### Checks")[1].split("\n## ")[0]
    documented = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    assert documented == list(CHECKS)
    for check, (level, what) in CHECKS.items():
        assert f"| `{check}` | {level} | {what} |" in section
