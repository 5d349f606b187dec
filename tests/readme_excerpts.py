"""The README's output excerpts: found, checked by ``test_readme.py``, and refreshed by running this.

An excerpt is a fenced block whose first line is ``$ ptdiff ARGS``; the lines after it are
the output, with ``...`` standing for lines left out.  It is taken at the width of its
widest table line (100 columns when it has none).

    python -m tests.readme_excerpts     # rerun every excerpt and rewrite README.md

keeps each excerpt's shape: as many lines before the first ``...`` as it had, and as many
after the last.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
# The files that ``ptdiff scan`` excerpts name, relative to this directory.
EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "readme"
# Excerpts that cannot be reproduced here: a made-up file, and the installed torch's report.
ILLUSTRATIONS = ("validate my-releases.yaml", "doctor")


def excerpts(text: str) -> list[tuple[int, str, list[str]]]:
    """(line index of the command, the command line, the lines of its excerpt)."""
    lines = text.splitlines()
    found = []
    for start, line in enumerate(lines):
        if line.startswith("$ ptdiff ") and lines[start - 1] == "```":
            end = lines.index("```", start)
            found.append((start, line.removeprefix("$ ptdiff "), lines[start + 1 : end]))
    return found


def width_of(excerpt: list[str]) -> int:
    return max((len(line) for line in excerpt if line[:1] and line[:1] in "┏┃│"), default=100)


def output(command: str, width: int) -> list[str]:
    """What ``ptdiff COMMAND`` prints at ``width`` columns, line by line."""
    from .helpers import ptdiff

    before = Path.cwd()
    os.chdir(EXAMPLES)  # so that a scan's paths read as the README shows them
    try:
        return ptdiff(*command.split(), env={"COLUMNS": str(width)}).stdout.splitlines()
    finally:
        os.chdir(before)


def chunks(excerpt: list[str]) -> list[list[str]]:
    """The excerpt's runs of lines between the "..." that stand for lines left out."""
    found: list[list[str]] = [[]]
    for line in excerpt:
        if line == "...":
            found.append([])
        else:
            found[-1].append(line)
    return found


def refreshed(excerpt: list[str], actual: list[str]) -> list[str]:
    """``actual`` cut to the shape of ``excerpt``."""
    parts = chunks(excerpt)
    if len(parts) == 1:
        return actual
    head, tail = len(parts[0]), len(parts[-1])
    if head + tail >= len(actual):
        return actual
    return actual[:head] + ["..."] + (actual[-tail:] if tail else [])


def main() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    for start, command, excerpt in reversed(excerpts("\n".join(lines))):
        if command in ILLUSTRATIONS:
            continue
        new = refreshed(excerpt, output(command, width_of(excerpt)))
        lines[start + 1 : start + 1 + len(excerpt)] = new
    README.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(f"refreshed {README}\n")


if __name__ == "__main__":
    main()
