"""The output formats of ``ptdiff scan``, one module each, all reading one ``Report``.

``text`` is ruff's one line per finding and a summary; ``json`` one document for scripts;
``sarif`` SARIF 2.1.0 for code-scanning services; ``markdown`` a table for a pull request
or an issue; ``github`` workflow commands that annotate the lines of a pull request.
"""

from __future__ import annotations

import importlib
from typing import IO, NamedTuple

from ..findings import CODES, Finding

FORMATS = ("text", "json", "sarif", "markdown", "github")
_MODULES = {"text": "text", "json": "json_doc", "sarif": "sarif", "markdown": "markdown", "github": "github"}


class Report(NamedTuple):
    """A finished scan."""

    findings: tuple[Finding, ...]  # in file order
    files: int  # files scanned
    start: str  # the floor, --from
    end: str  # the target, --to
    from_source: str  # where --from came from: "--from", a file name, or "the model"
    fail_codes: frozenset[str]  # the codes that make the exit code 1

    def counts(self) -> dict[str, int]:
        """How many findings of each code, every code listed."""
        counts = dict.fromkeys(CODES, 0)
        for finding in self.findings:
            counts[finding.code] += 1
        return counts

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` counts toward the exit code (guarded uses never do)."""
        return finding.code in self.fail_codes and not finding.guarded

    def summary(self) -> str:
        """One line: files scanned, findings per code, guarded, and the range."""
        files = f"{self.files} file{'s' if self.files != 1 else ''} scanned"
        counted = [f"{code}: {n}" for code, n in self.counts().items() if n]
        found = len(self.findings)
        what = f"{found} finding{'s' if found != 1 else ''} ({', '.join(counted)})" if found else "no findings"
        guarded = sum(f.guarded for f in self.findings)
        guard_note = f", {guarded} guarded" if guarded else ""
        return f"{files}, {what}{guard_note}; torch {self.start} → {self.end}, floor from {self.from_source}"


def write(report: Report, fmt: str, out: IO[str]) -> None:
    """Write ``report`` in format ``fmt`` (one of FORMATS) to ``out``."""
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    module.write(report, out)
