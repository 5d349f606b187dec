"""``ptdiff doctor``: hold the model's API names against the installed PyTorch.

The installed version comes from the package metadata, without importing torch.  The
names are then checked in a child Python (``sys.executable``) that imports torch once:
a crash or a hang there cannot take ptdiff down, and ``timeout`` bounds the wait.  The
child reads the names as JSON on stdin and writes one JSON line per result on the
original stdout; anything torch itself prints goes to stderr, which ptdiff keeps only
for its error messages.

Each name is ``present``, ``missing`` (an attribute or a torch module that does not
exist) or ``not checkable`` (not a Python name, or its module cannot be imported for
another reason, such as an optional package like ``tensorboard`` not being installed).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import NamedTuple

from .errors import TorchUnavailableError
from .model import Feature, Model, Version
from .query import NOT_CHECKABLE, STATUSES, ApiCheck, DoctorResult, ModelNote, check_areas, features_of

_NUMBERS = re.compile(r"\d+\.\d+(?:\.\d+)?")
_PRERELEASE = re.compile(r"\.?(a|b|c|rc|alpha|beta|pre|preview|dev)\d*", re.IGNORECASE)


class _Name(NamedTuple):
    name: str
    area: str
    features: tuple[str, ...]
    model_says: tuple[ModelNote, ...]


def doctor(model: Model, areas: Sequence[str], timeout: float) -> DoctorResult:
    """Check every API name of the model (of one area, or all) in the installed torch.

    Raises TorchUnavailableError when torch is not installed, cannot be imported, or
    the check does not finish within ``timeout`` seconds.
    """
    areas = check_areas(model, areas)
    version = installed_torch_version()
    if version is None:
        raise TorchUnavailableError(
            f"torch is not installed for this Python ({sys.executable}): no 'torch' package metadata found"
        )
    names = model_api_names(model, areas)
    problems = {entry.name: _problem(entry.name) for entry in names}
    found = check_names([name for name, problem in problems.items() if not problem], timeout)
    checks = []
    for entry in names:
        problem = problems[entry.name]
        status, reason = (NOT_CHECKABLE, problem) if problem else found["results"][entry.name]
        checks.append(ApiCheck(entry.name, entry.area, entry.features, status, reason, entry.model_says))
    checks.sort(key=lambda check: STATUSES.index(check.status))  # stable: model order within a status
    return DoctorResult(
        version,
        release_for(model, version),
        found["version"],
        found["path"],
        areas,
        tuple(checks),
    )


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
    if version is None:
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
    return [
        _Name(
            name,
            found[0].area,
            tuple(f.id for f in found),
            tuple(note for f in found for note in _notes_about(f, name)),
        )
        for name, found in owners.items()
    ]


def _notes_about(feature: Feature, name: str) -> list[ModelNote]:
    return [
        ModelNote(feature.id, s.release, s.change, s.summary or feature.summary, s.sources)
        for s in feature.history
        if s.change in ("deprecated", "removed")
        and (name in (api.name for api in s.apis) or (s.change == "removed" and not s.apis))
    ]


def _problem(name: str) -> str:
    """Why ``name`` cannot be looked up in torch at all, or "" when it can."""
    import keyword

    parts = name.split(".")
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        return "not a Python name"
    if parts[0] != "torch":
        return "not in the torch package"
    return ""


# The child: import torch once, then look each name up.  Written as a -c script so that
# it runs in exactly the interpreter and environment ptdiff runs in.
_CHECKER = r"""
import importlib, json, os, sys, types

if sys.path and sys.path[0] == "":
    del sys.path[0]  # the current directory must not shadow the installed torch
out = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)  # whatever torch prints goes to stderr, not into the results


def emit(value):
    out.write(json.dumps(value) + "\n")
    out.flush()


def first_line(error):
    text = str(error).strip().splitlines()
    return type(error).__name__ + (": " + text[0] if text else "")


names = json.loads(sys.stdin.read())
try:
    import torch
except BaseException as error:
    emit({"import_error": first_line(error)})
    raise SystemExit(0)
if getattr(torch, "__file__", None) is None:  # a namespace package: some folder named torch
    where = ", ".join(getattr(torch, "__path__", None) or ["?"])
    emit({"import_error": "found a folder without __init__.py at " + where + ", not PyTorch"})
    raise SystemExit(0)
emit({"version": str(getattr(torch, "__version__", "")), "path": os.path.dirname(torch.__file__)})

imported = {}


def load(module):
    # (module, None), or (None, None) when there is no such module, or (None, problem)
    if module not in imported:
        try:
            imported[module] = (importlib.import_module(module), None)
        except ModuleNotFoundError as error:
            missing = error.name or ""
            if missing and (missing == module or module.startswith(missing + ".")):
                imported[module] = (None, None)  # no such module: the rest may be attributes
            elif missing and missing.split(".")[0] != "torch":
                imported[module] = (None, culprit(module) + " needs " + repr(missing) + ", which is not installed")
            else:
                imported[module] = (None, "importing " + culprit(module) + " failed: " + first_line(error))
        except BaseException as error:
            imported[module] = (None, "importing " + culprit(module) + " failed: " + first_line(error))
    return imported[module]


def culprit(module):
    # The module whose import failed: the first one of the chain that did not stay imported.
    parts = module.split(".")
    prefixes = (".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return next((prefix for prefix in prefixes if prefix not in sys.modules), module)


def what(value, owner):
    # " (the class typing_extensions.deprecated)" when a name resolves to something defined elsewhere
    kind = "class" if isinstance(value, type) else "function" if callable(value) else ""
    where = str(getattr(value, "__module__", "")) + "." + str(getattr(value, "__qualname__", ""))
    if not kind:
        return " (a " + type(value).__name__ + ")"
    return "" if where == owner else " (the " + kind + " " + where + ")"


def check(name):
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        module, problem = load(".".join(parts[:end]))
        if problem:
            return ["not checkable", problem]
        if module is not None:
            break
    value = module
    for index in range(end, len(parts)):
        owner = ".".join(parts[:index])
        try:
            value = getattr(value, parts[index])
        except AttributeError:
            if isinstance(value, types.ModuleType):
                return ["missing", owner + " has no attribute or submodule " + repr(parts[index])]
            return ["missing", owner + what(value, owner) + " has no attribute " + repr(parts[index])]
        except BaseException as error:
            return ["not checkable", "getting " + ".".join(parts[: index + 1]) + " failed: " + first_line(error)]
    return ["present", ""]


for name in names:
    emit({"name": name, "result": check(name)})
"""


def check_names(names: list[str], timeout: float) -> dict:
    """Import torch in a child Python and look up ``names`` there.

    Returns ``{"version", "path", "results": {name: (status, reason)}}``.  Raises
    TorchUnavailableError when torch cannot be imported, or the child crashes or does
    not finish within ``timeout`` seconds before every name has its result.
    """
    import json
    import subprocess

    limit = f"within {timeout:g} s; stopped it (--timeout sets the limit)"
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHECKER],
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


def _raise_import_error(lines: list[dict]) -> None:
    if lines and "import_error" in lines[0]:
        raise TorchUnavailableError(f"importing torch failed: {lines[0]['import_error']}")


def _doing(lines: list[dict], names: list[str]) -> str:
    """What the child was doing when it stopped, given the lines it wrote."""
    if not lines:
        return "importing torch"
    return f"checking {names[len(lines) - 1]}"


def _results(lines: list[dict]) -> dict:
    return {
        "version": lines[0]["version"],
        "path": lines[0]["path"],
        "results": {line["name"]: tuple(line["result"]) for line in lines[1:]},
    }


def _lines(text: str | bytes | None) -> list[dict]:
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
