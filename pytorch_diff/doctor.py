"""``ptdiff doctor``: hold the model's API names against the installed PyTorch.

The installed version comes from the package metadata, without importing torch.  The
names are then checked in a child Python (``sys.executable``) that imports torch once:
a crash or a hang there cannot take ptdiff down, and ``timeout`` bounds the wait.  The
child reads the names as JSON on stdin and writes one JSON line per result on the
original stdout; anything torch itself prints goes to stderr, which ptdiff keeps only
for its error messages.

Each name is judged against the release of the model the installed torch corresponds
to (the newest not newer than it): a name the model says came later is "not yet added"
when it is absent, a name removed by then is "removed" when absent and a finding when
present, a name that should be there and is not is "missing" (the other finding), and a
present name deprecated by then is "deprecated".  A name whose module cannot be imported
for another reason (an optional package such as ``tensorboard``) is "not checkable".
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .errors import TorchUnavailableError
from .model import BEFORE_MODEL, Feature, Model, Version, api_introductions
from .query import check_areas, features_of
from .query.results import (
    DEPRECATED,
    DOCTOR_STATUSES,
    MISSING,
    NOT_CHECKABLE,
    NOT_YET,
    PRESENT,
    REMOVED,
    UNEXPECTED,
    ApiCheck,
    DoctorResult,
    ModelNote,
)

_NUMBERS = re.compile(r"\d+\.\d+(?:\.\d+)?")
_PRERELEASE = re.compile(r"\.?(a|b|c|rc|alpha|beta|pre|preview|dev)\d*", re.IGNORECASE)


class Found(NamedTuple):
    """What the child found: the torch it imported, and each name's (status, reason)."""

    version: str
    path: str
    results: dict[str, tuple[str, str]]


class _Name(NamedTuple):
    name: str
    area: str
    features: tuple[str, ...]
    introduced: Version  # BEFORE_MODEL when it predates the model
    model_says: tuple[ModelNote, ...]  # deprecations and removals, oldest first


def doctor(
    model: Model, areas: Sequence[str], timeout: float, progress: Callable[[str], None] | None = None
) -> DoctorResult:
    """Check every API name of the model (of some areas, or all) in the installed torch.

    ``progress`` is told what is going on while torch imports.  Raises
    TorchUnavailableError when torch is not installed, cannot be imported, or the check
    does not finish within ``timeout`` seconds.
    """
    areas = check_areas(model, areas)
    version = installed_torch_version()
    if version is None:
        raise TorchUnavailableError(
            f"torch is not installed for this Python ({sys.executable}): no 'torch' package metadata found"
        )
    release = release_for(model, version)
    names = model_api_names(model, areas)
    problems = {entry.name: _problem(entry.name) for entry in names}
    if progress:
        progress(f"importing torch {version} to check {len(names)} names…")
    found = check_names([name for name, problem in problems.items() if not problem], timeout)
    checks = []
    for entry in names:
        problem = problems[entry.name]
        looked_up, reason = (NOT_CHECKABLE, problem) if problem else found.results[entry.name]
        status = judge(entry, looked_up, release)
        notes = tuple(n for n in entry.model_says if release is None or n.release <= release) or entry.model_says
        checks.append(
            ApiCheck(
                entry.name,
                entry.area,
                entry.features,
                status,
                reason if status in (MISSING, NOT_CHECKABLE) else "",
                notes,
            )
        )
    checks.sort(key=lambda check: DOCTOR_STATUSES.index(check.status))  # stable: model order within
    return DoctorResult(version, release, found.version, found.path, areas, tuple(checks))


def judge(entry: _Name, looked_up: str, release: Version | None) -> str:
    """What a lookup in torch means for ``entry``, given what the model says of ``release``."""
    if looked_up == NOT_CHECKABLE:
        return NOT_CHECKABLE
    as_of = release or BEFORE_MODEL  # a torch older than the model: only older names are expected
    later = entry.introduced > as_of
    removed = any(n.change == "removed" and n.release <= as_of for n in entry.model_says)
    deprecated = any(n.change == "deprecated" and n.release <= as_of for n in entry.model_says)
    if looked_up == PRESENT:
        if removed:
            return UNEXPECTED
        return DEPRECATED if deprecated else PRESENT
    if removed:
        return REMOVED
    return NOT_YET if later else MISSING


def installed_torch_version() -> str | None:
    """The version of the ``torch`` distribution on ``sys.path``, read from its metadata."""
    from importlib import metadata  # imported here: it costs more than the rest of ptdiff's startup

    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return None


def release_for(model: Model, version_text: str) -> Version | None:
    """The newest release in the model that is not newer than ``version_text``.

    Local tags ("+cpu") are ignored; a pre-release ("2.1.0rc1", "1.1.0a0") counts as
    older than its final release.
    """
    public = version_text.strip().split("+")[0]
    match = _NUMBERS.match(public.lstrip("vV"))
    version = Version.parse(match.group()) if match else None
    if match is None or version is None:
        return None
    prerelease = bool(_PRERELEASE.match(public.lstrip("vV")[match.end() :]))
    older = [r.version for r in model.releases if r.version < version or (r.version == version and not prerelease)]
    return max(older, default=None)


def model_api_names(model: Model, areas: Sequence[str] = ()) -> list[_Name]:
    """Every API name the model lists (in ``areas``, or all), once, in areas-registry order."""
    owners: dict[str, list[Feature]] = {}
    for feature in features_of(model, areas):
        for api in feature.all_apis:
            if api.importable:  # a keyword or a string value is not an attribute to look up
                owners.setdefault(api.name, []).append(feature)
    introduced = api_introductions(model.features)
    return [
        _Name(
            name,
            found[0].area,
            tuple(f.id for f in found),
            introduced.get(name, BEFORE_MODEL),
            tuple(sorted((note for f in found for note in _notes_about(f, name)), key=lambda n: n.release)),
        )
        for name, found in owners.items()
    ]


def _notes_about(feature: Feature, name: str) -> list[ModelNote]:
    notes = []
    for statement in feature.history:
        if statement.change not in ("deprecated", "removed"):
            continue
        entry = next((api for api in statement.apis if api.importable and api.name == name), None)
        if entry is not None or (statement.change == "removed" and not statement.apis):
            replaced_by = entry.replaced_by if entry else ()
            summary = statement.summary or feature.summary
            notes.append(
                ModelNote(feature.id, statement.release, statement.change, summary, replaced_by, statement.sources)
            )
    return notes


def _problem(name: str) -> str:
    """Why ``name`` cannot be looked up in torch at all, or "" when it can."""
    if name.split(".")[0] != "torch":
        return "not in the torch package"
    return ""


def check_names(names: list[str], timeout: float) -> Found:
    """Import torch in a child Python and look up ``names`` there.

    Returns the imported torch's version and path, and each name's (status, reason).  Raises
    TorchUnavailableError when torch cannot be imported, or the child crashes or does
    not finish within ``timeout`` seconds before every name has its result.
    """
    import json
    import subprocess

    limit = f"within {timeout:g} s; stopped it (--timeout sets the limit)"
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("torch_probe.py"))],
            input=json.dumps(names),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as expired:
        lines = _lines(expired.stdout)
        _raise_import_error(lines)
        if len(lines) == len(names) + 1:  # every result is in: it hung on the way out
            return _results(lines)
        raise TorchUnavailableError(f"{_doing(lines, names)} did not finish {limit}") from None
    except OSError as error:
        raise TorchUnavailableError(f"cannot start {sys.executable} to import torch: {error}") from None
    lines = _lines(done.stdout)
    _raise_import_error(lines)
    if len(lines) == len(names) + 1:  # every result is in, whatever happened on the way out
        return _results(lines)
    how = f"exited with code {done.returncode}"
    if done.returncode < 0:
        import signal

        try:
            how = f"was killed by {signal.Signals(-done.returncode).name}"
        except ValueError:
            how = f"was killed by signal {-done.returncode}"
    last = (done.stderr or "").strip().splitlines()
    detail = f": {last[-1].strip()}" if last else ""
    raise TorchUnavailableError(f"Python {how} while {_doing(lines, names)}{detail}")


def _raise_import_error(lines: list[dict[str, Any]]) -> None:
    if lines and "import_error" in lines[0]:
        raise TorchUnavailableError(f"importing torch failed: {lines[0]['import_error']}")


def _doing(lines: list[dict[str, Any]], names: list[str]) -> str:
    """What the child was doing when it stopped, given the lines it wrote."""
    if not lines:
        return "importing torch"
    return f"checking {names[len(lines) - 1]}"


def _results(lines: list[dict[str, Any]]) -> Found:
    results = {str(line["name"]): (str(line["result"][0]), str(line["result"][1])) for line in lines[1:]}
    return Found(str(lines[0]["version"]), str(lines[0]["path"]), results)


def _lines(text: str | bytes | None) -> list[dict[str, Any]]:
    """The complete JSON lines the child wrote (a line cut off by a kill is dropped)."""
    import json

    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    found = []
    for line in (text or "").splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            break
    return found
