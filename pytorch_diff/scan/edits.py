"""Safe fixes: the one-line edits that apply a rename the model calls safe (``rename: true``).

An edit is offered only where the text at the site is exactly what the syntax tree says
it is, on one line, and where the replacement reads correctly in place:

- ``torch.gesv`` / ``th.gesv`` becomes ``torch.solve`` / ``th.solve`` (the alias is kept)
  when the replacement lives beside the old name; a chain written out in full becomes the
  full replacement;
- ``from torch import gesv`` becomes ``from torch import solve as gesv``, so that the uses
  of ``gesv`` keep working (``… import gesv as g`` becomes ``… import solve as g``);
  ``import a.b as c`` becomes ``import a.new as c``;
- a keyword name is replaced by the new keyword, a string value by the new value in the
  same quotes.

A bare use of a from-imported name gets no edit: the import's edit covers it.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import NamedTuple

from .rules import Rule


class Edit(NamedTuple):
    """A one-line replacement, in ast's terms: 1-based line, UTF-8 byte offsets."""

    line: int
    col: int
    end_col: int
    old: str
    new: str


def text_between(lines: Sequence[str], line: int, col: int, end_col: int) -> str | None:
    """The source between two byte offsets of one line, or None."""
    if not 1 <= line <= len(lines):
        return None
    try:
        return lines[line - 1].encode("utf-8")[col:end_col].decode("utf-8")
    except UnicodeDecodeError:
        return None


def chain_edit(rule: Rule, base: ast.Name, end: ast.AST, lines: Sequence[str]) -> Edit | None:
    """The edit of an attribute chain from ``base`` to ``end`` (``th.gesv``)."""
    if not rule.rename or not isinstance(end, ast.Attribute) or end.end_lineno != base.lineno:
        return None
    old = text_between(lines, base.lineno, base.col_offset, end.end_col_offset or 0)
    if old is None or not old.endswith(end.attr):
        return None
    parent = rule.name.rpartition(".")[0]
    new_parent, _, new_last = rule.new_name.rpartition(".")
    if parent == new_parent:
        new = old[: len(old) - len(end.attr)] + new_last
    elif old == rule.name and rule.name.split(".")[0] == rule.new_name.split(".")[0]:
        new = rule.new_name  # written out in full: the full replacement reads the same way
    else:
        return None
    return Edit(base.lineno, base.col_offset, end.end_col_offset or 0, old, new)


def import_edit(rule: Rule, alias: ast.alias, module: str, lines: Sequence[str]) -> Edit | None:
    """The edit of an imported name; ``module`` is the from-module, "" for a plain import."""
    if not rule.rename:
        return None
    end = alias.col_offset + len(alias.name.encode("utf-8"))
    if text_between(lines, alias.lineno, alias.col_offset, end) != alias.name:
        return None
    new_parent, _, new_last = rule.new_name.rpartition(".")
    if module:  # from M import name [as x]: the replacement must live in M too
        if new_parent != module:
            return None
        new = new_last if alias.asname else f"{new_last} as {alias.name}"
    elif rule.new_name.split(".")[0] != alias.name.split(".")[0]:
        return None
    else:
        new = rule.new_name if alias.asname or "." in alias.name else f"{rule.new_name} as {alias.name}"
    return Edit(alias.lineno, alias.col_offset, end, alias.name, new)


def keyword_edit(rule: Rule, keyword: ast.keyword, end: int, lines: Sequence[str]) -> Edit | None:
    """The edit of a keyword argument's name, which ends at byte offset ``end``."""
    name = keyword.arg or ""
    if not rule.rename or text_between(lines, keyword.lineno, keyword.col_offset, end) != name:
        return None
    return Edit(keyword.lineno, keyword.col_offset, end, name, rule.new_name)


def value_edit(rule: Rule, node: ast.Constant, lines: Sequence[str]) -> Edit | None:
    """The edit of a string value: the new value in the same quotes."""
    if not rule.rename or node.end_lineno != node.lineno or set(rule.new_name) & set("\\'\"\r\n"):
        return None
    old = text_between(lines, node.lineno, node.col_offset, node.end_col_offset or 0)
    if old is None or len(old) < 2 or not old[0] == old[-1] in "'\"" or old[1:-1] != node.value:
        return None
    return Edit(node.lineno, node.col_offset, node.end_col_offset or 0, old, old[0] + rule.new_name + old[0])
