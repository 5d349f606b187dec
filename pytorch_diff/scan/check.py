"""One file in, its findings out: read, decode, parse, resolve, apply ``# noqa``.

Python files are decoded as Python does (PEP 263 coding cookie, UTF-8 by default, BOM
allowed).  A file that cannot be read, decoded or parsed (Python 2 code, a syntax error, a
notebook that is not JSON) is one PTD900 finding at the place of the error: it is counted,
and never stops the scan.  Columns are 1-based and count characters, as ruff's do (``ast``
counts UTF-8 bytes).

Suppression: ``# noqa`` on the line where a finding starts silences every finding there;
``# noqa: PTD102`` or ``# noqa: PTD101, PTD102`` only those codes.  The comment is looked
for with a pattern, as flake8 does, so a string holding ``# noqa`` counts too.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Sequence
from pathlib import Path

from .findings import UNPARSABLE, Finding, Fix, Position
from .notebook import NotebookError, code_cells
from .resolve import Hit, Resolver
from .rules import RuleTable

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,?\s*[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
_NEWLINE = re.compile(r"\r\n|\r|\n")  # what ends a line for Python's tokenizer (not \f, not \u2028)


def check_file(path: str, rules: RuleTable) -> list[Finding]:
    """Every finding in the file at ``path`` (a .py file, or a notebook if it ends in .ipynb)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return [unparsable(path, f"cannot read it: {error.strerror or error}")]
    try:
        if path.lower().endswith(".ipynb"):
            return check_notebook(path, data, rules)
        return check_python(path, data, rules)
    except (RecursionError, MemoryError):
        return [unparsable(path, "nested too deeply to check")]
    except Exception as error:  # a bug of ptdiff: shown as such, and the scan goes on
        return [unparsable(path, f"ptdiff failed on this file ({type(error).__name__}: {error}); please report it")]


def check_python(path: str, data: bytes, rules: RuleTable) -> list[Finding]:
    """The findings of Python source ``data``."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        return [unparsable(path, f"cannot decode it: {error}")]
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as error:
        return [_syntax_error(path, error, None)]
    except ValueError as error:  # null bytes, before Python 3.12
        return [unparsable(path, str(error))]
    if not _may_use(text, rules):
        return []
    lines = split_lines(text)
    resolver = Resolver(rules)
    resolver.run(tree, lines)
    return findings(path, resolver.finish(), {None: lines})


def check_notebook(path: str, data: bytes, rules: RuleTable) -> list[Finding]:
    """The findings of notebook ``data``.

    Its code cells share one namespace, in order; a cell that does not parse is skipped.
    """
    try:
        cells = code_cells(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        return [unparsable(path, f"cannot decode it: {error}")]
    except NotebookError as error:
        return [unparsable(path, str(error))]
    if not any(_may_use(cell.source, rules) for cell in cells):
        return []
    resolver = Resolver(rules)
    lines_of: dict[int | None, list[str]] = {}
    for cell in cells:
        try:
            tree = ast.parse(cell.source, filename=path)
        except (SyntaxError, ValueError):
            continue
        lines_of[cell.number] = split_lines(cell.source)
        resolver.run(tree, lines_of[cell.number], cell.number)
    return findings(path, resolver.finish(), lines_of)


def findings(path: str, hits: Sequence[Hit], lines_of: dict[int | None, list[str]]) -> list[Finding]:
    """The hits as findings with character columns, less those a ``# noqa`` silences."""
    found: list[Finding] = []
    seen: set[tuple[object, ...]] = set()
    for hit in hits:
        lines = lines_of.get(hit.cell, [])
        rule = hit.rule
        if _silenced(_line(lines, hit.line), rule.code):
            continue
        key = (hit.cell, hit.line, hit.col, rule.code, rule.api)
        if key in seen:
            continue
        seen.add(key)
        fix = None
        if hit.edit is not None and rule.rename:
            edit = hit.edit
            text = _line(lines, edit.line)
            fix = Fix(
                edit.old,
                edit.new,
                Position(edit.line, column(text, edit.col)),
                Position(edit.line, column(text, edit.end_col)),
            )
        found.append(
            Finding(
                path=path,
                cell=hit.cell,
                start=Position(hit.line, column(_line(lines, hit.line), hit.col)),
                end=Position(hit.end_line, column(_line(lines, hit.end_line), hit.end_col)),
                code=rule.code,
                api=rule.api,
                release=rule.release,
                change=rule.change,
                summary=rule.summary,
                replacement=rule.replacement,
                short_replacement=rule.short_replacement,
                safe_fix=rule.rename,
                fix=fix,
                sources=rule.sources,
                guarded=hit.guarded,
            )
        )
    return found


def unparsable(path: str, reason: str, line: int = 1, col: int = 1, cell: int | None = None) -> Finding:
    """The PTD900 finding of a file that could not be checked."""
    where = Position(max(line, 1), max(col, 1))
    return Finding(path, cell, where, where, UNPARSABLE, "", "", "", reason)


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as Python numbers them."""
    return _NEWLINE.split(text)


def column(line: str, byte_offset: int) -> int:
    """The 1-based character column of a UTF-8 byte offset into ``line``."""
    if line.isascii():
        return byte_offset + 1
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")) + 1


def _syntax_error(path: str, error: SyntaxError, cell: int | None) -> Finding:
    reason = f"syntax error: {error.msg}"
    if "print" in (error.msg or "") or "Missing parentheses" in (error.msg or ""):
        reason += " (Python 2 code?)"
    return unparsable(path, reason, error.lineno or 1, error.offset or 1, cell)


def _may_use(text: str, rules: RuleTable) -> bool:
    """Whether the text names a package the rules are about: otherwise nothing can resolve."""
    return any(root in text for root in rules.roots)


def _line(lines: Sequence[str], number: int) -> str:
    return lines[number - 1] if 1 <= number <= len(lines) else ""


def _silenced(line: str, code: str) -> bool:
    if "noqa" not in line.lower():
        return False
    match = _NOQA.search(line)
    if match is None:
        return False
    codes = match.group("codes")
    return codes is None or code.upper() in {c.upper() for c in _CODE.findall(codes)}
