"""Renderers: one module per output format, each drawing a query result and nothing else.

Each renderer is imported only when its format is asked for, so that ``--format json``
never pays for importing Rich.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from ..model import Model
    from ..query.results import Result

Format = Literal["table", "json", "markdown", "csv"]
FORMATS: tuple[str, ...] = get_args(Format)


def render(
    result: Result, model: Model | None, fmt: str, out: IO[str], *, color: bool | None = None, pager: bool = True
) -> None:
    """Write ``result`` to ``out`` in format ``fmt``.

    ``color``: None follows the terminal and the environment, True and False force it.
    ``pager``: a table taller than the terminal may go through a pager.
    """
    if fmt == "json":
        from .json_doc import write_json

        write_json(result, model, out)
        return
    if fmt == "table":
        from .table import write_table

        write_table(result, model, out, color=color, pager=pager)
        return
    from .report import build_report

    if fmt == "markdown":
        from .markdown import write_markdown

        write_markdown(build_report(result, model), out)
    else:
        from .csv_rows import write_csv

        write_csv(build_report(result, model, cells="words"), out)
