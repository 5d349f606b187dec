"""The project's settings for a scan: ``[tool.ptdiff]`` and the torch floor it declares.

The project is the nearest directory, from the first PATH upward, that holds a
pyproject.toml or a requirements*.txt; the search stops at the top of a git repository
(a directory holding .git).  From it:

- ``[tool.ptdiff]`` in pyproject.toml: ``from``, ``to`` (release names, as on the command
  line), ``exclude`` and ``ignore`` (lists of globs and codes).  The command line wins for
  ``from`` and ``to``; its ``--exclude`` and ``--ignore`` add to the lists.
- the declared floor: the lowest version in a ``torch>=X``, ``torch==X`` or ``torch~=X``
  requirement of ``[project] dependencies`` or of a requirements*.txt beside it.  Other
  forms (``torch<2``, ``torch @ URL``, ``-r other.txt``) declare no floor.

On Python 3.10, which has no ``tomllib``, pyproject.toml is read with ``toml_subset``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import UsageError
from ..model import Version

KEYS = ("from", "to", "exclude", "ignore")
_REQUIREMENT = re.compile(r"^\s*torch(?![A-Za-z0-9._-])\s*(?:\[[^\]]*\])?\s*(?P<specs>[^;#@]*)", re.IGNORECASE)
_SPEC = re.compile(r"^\s*(?:>=|==|~=|===)\s*v?(?P<version>[0-9]+(?:\.[0-9]+){0,2})")


class Config(NamedTuple):
    """What the project says; empty when there is no project file."""

    project: Path | None = None  # the directory the settings came from
    from_: str | None = None
    to: str | None = None
    exclude: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    floor: Version | None = None  # the lowest torch the project declares
    floor_source: str = ""  # the file that declares it


class ConfigError(UsageError):
    """The project's settings cannot be used."""


def load_config(paths: Sequence[str]) -> Config:
    """The settings of the project the first of ``paths`` belongs to."""
    project = find_project(Path(paths[0]) if paths else Path.cwd())
    if project is None:
        return Config()
    settings: dict[str, Any] = {}
    floors: list[tuple[Version, str]] = []
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        document = _read_toml(pyproject)
        tool = document.get("tool", {})
        settings = tool.get("ptdiff", {}) if isinstance(tool, dict) else {}
        if not isinstance(settings, dict):
            raise ConfigError(f"{pyproject}: [tool.ptdiff] must be a table")
        project_table = document.get("project", {})
        dependencies = project_table.get("dependencies", []) if isinstance(project_table, dict) else []
        if isinstance(dependencies, list):
            floors += [(v, pyproject.name) for v in map(declared_floor, dependencies) if v is not None]
    for requirements in sorted(project.glob("requirements*.txt")):
        try:
            lines = requirements.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        floors += [(v, requirements.name) for v in map(declared_floor, lines) if v is not None]
    floor, source = min(floors) if floors else (None, "")
    return Config(project, *_settings(settings, pyproject), floor=floor, floor_source=source)


def find_project(start: Path) -> Path | None:
    """The nearest directory from ``start`` upward with a pyproject.toml or requirements*.txt."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for candidate in (directory, *directory.parents):
        if (candidate / "pyproject.toml").is_file() or any(candidate.glob("requirements*.txt")):
            return candidate
        if (candidate / ".git").exists():
            return None
    return None


def declared_floor(requirement: object) -> Version | None:
    """The lowest torch version a requirement line allows, for ``>=``, ``==`` and ``~=``; else None."""
    if not isinstance(requirement, str):
        return None
    match = _REQUIREMENT.match(requirement)
    if match is None:
        return None
    found = []
    for spec in match.group("specs").split(","):
        version = _SPEC.match(spec)
        if version is not None:
            numbers = [int(n) for n in version.group("version").split(".")] + [0, 0]
            found.append(Version(numbers[0], numbers[1], numbers[2]))
    return min(found) if found else None


def _settings(
    settings: dict[str, Any], pyproject: Path
) -> tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]]:
    unknown = sorted(set(settings) - set(KEYS))
    if unknown:
        raise ConfigError(f"{pyproject}: [tool.ptdiff] has no setting {unknown[0]!r}; it takes {', '.join(KEYS)}")
    release: dict[str, str | None] = {}
    for key in ("from", "to"):
        value = settings.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f'{pyproject}: [tool.ptdiff] {key} must be a release name in quotes, such as "1.0"')
        release[key] = value
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("exclude", "ignore"):
        value = settings.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{pyproject}: [tool.ptdiff] {key} must be a list of strings")
        lists[key] = tuple(value)
    return release["from"], release["to"], lists["exclude"], lists["ignore"]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it: {error}") from None
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: not valid TOML: {error}") from None
    from . import toml_subset  # Python 3.10

    try:
        return toml_subset.loads(text)
    except toml_subset.TOMLError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
