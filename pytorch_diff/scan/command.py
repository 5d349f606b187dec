"""``ptdiff scan PATH...``: the entry point the command line calls.

Settings come from the command line, then ``[tool.ptdiff]``, then the project's declared
torch floor (``--from`` only), then the model: ``--from`` defaults to the oldest release in
the model and ``--to`` to the newest.  Release names resolve as everywhere in ptdiff
(``1.0``, ``v1.0``, ``1.0.0``, ``latest``); a declared floor is used as declared, so
``torch>=0.4.1`` scans from 0.4.1, before the model's first release.

Exit codes: 0 when no finding counts toward ``--fail-on`` (guarded ones never do), 1 when
one does, 2 for usage and data errors (an unknown release, a missing path, a bad
``[tool.ptdiff]``), 4 when the output cannot be written; ``--exit-zero`` turns 1 into 0.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from ..errors import EXIT_CHECK_FAILED, EXIT_OK, PtdiffError, UsageError, did_you_mean
from ..model import Model, Version
from .config import Config
from .findings import CODES, DEFAULT_FAIL_ON, FAIL_ON, Finding
from .formats import FORMATS, Report


def scan(build: Callable[[], Report], *, fmt: str = "text", exit_zero: bool = False) -> int:
    """Write the report ``build`` makes (see ``build_report``) in ``fmt`` to stdout; return the exit code.

    Errors are one line on stderr (``ptdiff: error: …``) and their exit code, as every
    command's are.
    """
    from ..commands import report_error, write_output
    from .formats import write

    try:
        if fmt not in FORMATS:
            raise UsageError(
                f"unknown format {fmt!r:.40}; choose from {', '.join(FORMATS)}{did_you_mean(fmt, FORMATS)}"
            )
        report = build()
    except PtdiffError as error:
        return report_error(str(error), error.exit_code)
    fails = any(report.fails(f) for f in report.findings)
    code = EXIT_CHECK_FAILED if fails and not exit_zero else EXIT_OK
    return write_output(lambda out: write(report, fmt, out), code)


def build_report(
    paths: Sequence[str],
    *,
    from_: str | None = None,
    to: str | None = None,
    exclude: Sequence[str] = (),
    ignore: Sequence[str] = (),
    fail_on: str | None = None,
    data: str | None = None,
    jobs: int | None = None,
) -> Report:
    """The scan without output: the report, or a PtdiffError."""
    from ..load import load_releases
    from .config import load_config
    from .files import Walk
    from .rules import build_rules
    from .runner import scan_files

    paths = list(paths) or ["."]
    fail_on = fail_on or DEFAULT_FAIL_ON
    if fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on takes {', '.join(FAIL_ON)}, not {fail_on!r:.40}{did_you_mean(fail_on, FAIL_ON)}")
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"no such file or directory: {path}")
    config = load_config(paths)
    ignored = _ignored([*config.ignore, *ignore])
    model = load_releases(data)
    start, end, source = _range(model, config, from_, to)
    rules = build_rules(model, start, end)
    walk = Walk(paths, [*config.exclude, *exclude])
    found: list[Finding] = []
    files = 0
    for _path, findings in scan_files(walk, rules, jobs=jobs):
        files += 1
        found += (f for f in findings if f.code not in ignored)
    if "PTD900" not in ignored:
        from .check import unparsable

        found += (unparsable(directory, f"cannot list this directory: {why}") for directory, why in walk.errors)
    found.sort(key=lambda f: f.sort_key)
    return Report(tuple(found), files, str(start), str(end), source, FAIL_ON[fail_on] - ignored)


def _range(model: Model, config: Config, from_: str | None, to: str | None) -> tuple[Version, Version, str]:
    """The floor and the target, and where the floor came from."""
    from ..query import resolve_release

    if not model.releases:
        raise UsageError("the data file has no releases to scan against")

    def configured(name: str, key: str) -> Version:
        try:
            return resolve_release(model, name)[0].version
        except PtdiffError as error:
            raise UsageError(f"{config.project}/pyproject.toml: [tool.ptdiff] {key}: {error}") from None

    if to is not None:
        end = resolve_release(model, to)[0].version
    else:
        end = configured(config.to, "to") if config.to is not None else model.releases[-1].version
    if from_ is not None:
        start, source = resolve_release(model, from_)[0].version, "--from"
    elif config.from_ is not None:
        start, source = configured(config.from_, "from"), "[tool.ptdiff] in pyproject.toml"
    elif config.floor is not None:
        start, source = config.floor, f"the torch requirement in {config.floor_source}"
    else:
        start, source = model.releases[0].version, "the oldest release in the model"
    if start > end:
        raise UsageError(f"the floor {start} (from {source}) is newer than the target {end}; pass --from or --to")
    return start, end, source


def _ignored(codes: Sequence[str]) -> frozenset[str]:
    """The codes ``--ignore`` and ``ignore`` name: whole codes or prefixes (``PTD1``)."""
    chosen: set[str] = set()
    for given in codes:
        name = given.strip().upper()
        matching = {code for code in CODES if code.startswith(name)} if name else set()
        if not matching:
            raise UsageError(f"unknown code {given!r:.40} to ignore; the codes are {', '.join(CODES)}")
        chosen |= matching
    return frozenset(chosen)
