"""The code cells of a Jupyter notebook (nbformat 4 JSON), ready to parse.

Cells are numbered from 1 among all the cells of the notebook, markdown included, as they
appear on screen; a finding reads ``path:cell N:line:col`` with the line and column inside
the cell.  Lines that are IPython magics or shell escapes (``%time``, ``%%bash``, ``!pip``)
become ``pass`` at the same indentation, so that the rest of the cell parses and its line
numbers stay right.  A notebook whose kernel is not Python has no code cells to check.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple


class Cell(NamedTuple):
    number: int  # 1-based, among all cells
    source: str  # with magics blanked


class NotebookError(ValueError):
    """The file is not a notebook this scanner can read; the message says why."""


def code_cells(text: str) -> list[Cell]:
    """The Python code cells of the notebook ``text``; NotebookError if it is not one."""
    try:
        document: Any = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise NotebookError(f"not a JSON notebook ({str(error)[:120]})") from None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise NotebookError("not an nbformat 4 notebook: no list of cells")
    if not _is_python(document.get("metadata")):
        return []
    cells: list[Cell] = []
    for index, cell in enumerate(document["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if isinstance(source, str):
            cells.append(Cell(index, blank_magics(source)))
    return cells


def blank_magics(source: str) -> str:
    """``source`` with every line that starts with ``%`` or ``!`` replaced by ``pass``, indentation kept."""
    if "%" not in source and "!" not in source:
        return source
    lines = source.split("\n")
    for number, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            lines[number] = line[: len(line) - len(stripped)] + "pass"
    return "\n".join(lines)


def _is_python(metadata: Any) -> bool:
    """True unless the notebook's metadata names another language."""
    if not isinstance(metadata, dict):
        return True
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        section = metadata.get(key)
        if isinstance(section, dict) and isinstance(section.get(field), str):
            return bool(section[field].lower() == "python")
    return True
