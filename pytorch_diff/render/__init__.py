"""Renderers: one module per output format, each drawing a query result and nothing else.

Each renderer is imported only when its format is asked for, so that ``--format json``
never pays for importing Rich.
"""

from __future__ import annotations

from typing import IO, Any

from ..model import Model

FORMATS = ("table", "json", "markdown", "csv")


def render(result: Any, model: Model | None, fmt: str, out: IO[str], *, color: bool | None = None) -> None:
    """Write ``result`` to ``out`` in format ``fmt``.

    ``color``: None follows the terminal and the environment, False turns colour off.
    """
    if fmt == "json":
        from .json_doc import write_json

        write_json(result, model, out)
        return
    from .report import build_report

    if fmt == "table":
        from .table import write_table

        write_table(result, model, out, color=color)
    elif fmt == "markdown":
        from .markdown import write_markdown

        write_markdown(build_report(result, model), out)
    else:
        from .csv_rows import write_csv

        write_csv(build_report(result, model, cells="words"), out)
