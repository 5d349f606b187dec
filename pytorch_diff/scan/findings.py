"""The codes of ``ptdiff scan`` and the ``Finding`` record that every output format reads.

Codes are grouped like ruff's: PTD1xx is what the upgrade from ``--from`` to ``--to`` does
to a name (removes it, deprecates it, breaks it), PTD2xx what the lowest supported torch
(the floor, ``--from``) lacks, PTD9xx what stopped a file from being checked at all.
"""

from __future__ import annotations

import re
from typing import NamedTuple

REMOVED = "PTD101"
DEPRECATED = "PTD102"
BREAKING = "PTD103"
FLOOR = "PTD201"
UNPARSABLE = "PTD900"


class Code(NamedTuple):
    """What a code means: a short name (SARIF's rule name), one line, and its help text."""

    name: str
    title: str
    help: str


CODES: dict[str, Code] = {
    REMOVED: Code(
        "removed-api",
        "uses an API that a release up to --to removed",
        "The name no longer exists in the target release: the code fails there. Use the replacement the "
        "release notes give; a safe fix is offered when the replacement is a plain rename.",
    ),
    DEPRECATED: Code(
        "deprecated-api",
        "uses an API that is deprecated as of --to",
        "The name still works in the target release but is on its way out. Move to the replacement; a safe "
        "fix is offered when the replacement is a plain rename.",
    ),
    BREAKING: Code(
        "breaking-change",
        "uses an API that a release after --from changed in a way that breaks code",
        "The name still exists but behaves differently from the floor release on: read what changed and "
        "check the call site.",
    ),
    FLOOR: Code(
        "newer-than-floor",
        "uses an API that the lowest supported release (--from) does not have",
        "The name appeared after the lowest torch the project supports: the code fails on that release. "
        "Raise the declared floor or guard the use.",
    ),
    UNPARSABLE: Code(
        "unparsable-file",
        "a file that could not be read or parsed, so it was not checked",
        "Python 2 code, a syntax error, an undecodable or unreadable file, or a notebook that is not JSON. "
        "Fix the file or exclude it (--exclude, or ignore PTD900).",
    ),
}

# --fail-on WHAT: the codes that make the exit code 1, from the strictest choice to the widest.
# PTD900 always counts (unless ignored): a file that could not be checked is not a pass.
FAIL_ON: dict[str, frozenset[str]] = {
    "removed": frozenset({REMOVED, UNPARSABLE}),
    "breaking": frozenset({REMOVED, BREAKING, UNPARSABLE}),
    "deprecated": frozenset({REMOVED, BREAKING, DEPRECATED, UNPARSABLE}),
    "floor": frozenset({REMOVED, BREAKING, DEPRECATED, FLOOR, UNPARSABLE}),
    "any": frozenset(CODES),
}
DEFAULT_FAIL_ON = "breaking"


class Position(NamedTuple):
    """A place in a file (or a notebook cell): 1-based line, 1-based column in characters."""

    line: int
    column: int


class Fix(NamedTuple):
    """A safe, mechanical edit: replace the text from ``start`` up to (not including) ``end``."""

    replace: str
    with_: str
    start: Position
    end: Position


class Finding(NamedTuple):
    """One use of an API that the range ``--from``..``--to`` affects, or one file not checked."""

    path: str
    cell: int | None  # notebooks: the 1-based index of the cell among all cells; None for .py files
    start: Position
    end: Position
    code: str
    api: str  # str(api): "torch.gesv", "torch.distributed.init_process_group(backend='tcp')"; "" for PTD900
    release: str  # the release whose statement this is; "" for PTD900
    change: str  # what that release did: added, changed, deprecated, removed; "" for PTD900
    summary: str  # the statement's summary (PTD900: why the file could not be checked)
    replacement: tuple[str, ...] = ()  # what to use instead, each in the display form of ``api``
    short_replacement: tuple[str, ...] = ()  # the same, short: "torch.solve", "gloo", "device_ids="
    safe_fix: bool = False  # the model calls the one replacement a rename with the same signature
    fix: Fix | None = None  # the edit, where the site allows one
    sources: tuple[str, ...] = ()  # URLs
    guarded: bool = False  # under a try/except ImportError-like handler or a version/hasattr test

    @property
    def sort_key(self) -> tuple[str, int, int, int, str, str]:
        """Findings print in file order: path, cell, line, column, then code and API."""
        return (self.path, self.cell or 0, self.start.line, self.start.column, self.code, self.api)

    @property
    def where(self) -> str:
        """``path:line:col`` or, in a notebook, ``path:cell N:line:col`` (ruff's form)."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.path}:{cell}{self.start.line}:{self.start.column}"


def message(finding: Finding, floor: str) -> str:
    """The one-line message of a finding, without location, code or link: plain text, not yet made visible."""
    use = _use(finding)
    guarded = " (guarded)" if finding.guarded else ""
    if finding.code == REMOVED:
        return f"{finding.api} was removed in {finding.release}{use}{guarded}"
    if finding.code == DEPRECATED:
        return f"{finding.api} is deprecated since {finding.release}{use}{guarded}"
    if finding.code == BREAKING:
        what = _first_sentence(finding.summary)
        return f"{finding.api} changed in {finding.release} in a way that breaks code: {what}{guarded}"
    if finding.code == FLOOR:
        return f"{finding.api} is newer than the floor {floor}: added in {finding.release}{guarded}"
    return f"cannot check this file: {finding.summary}"


def _first_sentence(text: str) -> str:
    """The first sentence of a summary: a finding is one line; its sources and JSON have the rest."""
    end = re.search(r"\. (?=[A-Z(])", text)
    return text[: end.start() + 1] if end else text


def _use(finding: Finding) -> str:
    if not finding.short_replacement:
        return ""
    return "; use " + " or ".join(finding.short_replacement)
