"""The README's output excerpts are what ptdiff prints today."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import ptdiff

README = Path(__file__).resolve().parent.parent / "README.md"
# Excerpts that cannot be reproduced here: a made-up file, and the installed torch's report.
ILLUSTRATIONS = ("validate my-releases.yaml", "doctor")


def excerpts() -> list[tuple[str, list[str]]]:
    """(command line, the lines of its excerpt; "..." stands for lines left out)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    found = []
    for start, line in enumerate(lines):
        if line.startswith("$ ptdiff ") and lines[start - 1] == "```":
            end = lines.index("```", start)
            found.append((line.removeprefix("$ ptdiff "), lines[start + 1 : end]))
    return found


def test_the_readme_has_excerpts_to_check() -> None:
    assert len(excerpts()) >= 8


@pytest.mark.parametrize(
    ("command", "excerpt"), [pytest.param(*e, id=e[0]) for e in excerpts() if e[0] not in ILLUSTRATIONS]
)
def test_readme_excerpt_matches_the_output(command: str, excerpt: list[str]) -> None:
    # The excerpts were taken on a terminal as wide as their tables.
    width = max((len(line) for line in excerpt if line[:1] in "┏┃│"), default=100)
    actual = [line.rstrip() for line in ptdiff(*command.split(), env={"COLUMNS": str(width)}).stdout.splitlines()]
    # The excerpt's lines come in chunks between "..." (lines left out); the first chunk starts
    # the output unless the excerpt starts with "...", the last ends it unless it ends so.
    chunks: list[list[str]] = [[]]
    for line in excerpt:
        if line == "...":
            chunks.append([])
        else:
            chunks[-1].append(line)
    head, *middle, tail = chunks if len(chunks) > 1 else [chunks[0], []]
    assert actual[: len(head)] == head
    position = len(head)
    for chunk in middle:
        found = next((i for i in range(position, len(actual)) if actual[i : i + len(chunk)] == chunk), None)
        assert found is not None, f"not in the output, in this order: {chunk}"
        position = found + len(chunk)
    if len(chunks) == 1:
        assert actual == head
    elif tail:
        assert actual[-len(tail) :] == tail
        assert len(actual) - len(tail) >= position
