"""Which files a scan reads: the files named, and the .py and .ipynb files under the directories named.

Walking a directory skips version-control and tool directories (.git, __pycache__, .tox,
node_modules, build, dist, ``*.egg-info``, caches), virtual environments (a directory named
.venv, venv or env, or any directory holding a ``pyvenv.cfg``), and whatever matches an
``--exclude`` glob.  A glob is matched against the name of each file and directory and
against its path relative to the directory named on the command line (``*`` also matches
``/``): ``--exclude tests``, ``--exclude 'legacy/*'``, ``--exclude '*_pb2.py'``.  A file
named on the command line is read whatever its extension (as a notebook if it ends in
.ipynb), unless an exclude glob matches it.  Symbolic links to directories are not
followed.  Files come out in a stable order, one at a time, each once.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence

SKIPPED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".tox",
        ".nox",
        "node_modules",
        "build",
        "dist",
        ".venv",
        "venv",
        "env",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".ipynb_checkpoints",
    }
)
SUFFIXES = (".py", ".ipynb")


class Walk:
    """The files under ``paths``; directories that could not be listed end up in ``errors``."""

    def __init__(self, paths: Sequence[str], exclude: Sequence[str] = ()) -> None:
        self.paths = paths
        self.exclude = tuple(exclude)
        self.errors: list[tuple[str, str]] = []  # (directory, why it could not be listed)
        self._seen: set[str] = set()

    def __iter__(self) -> Iterator[str]:
        for given in self.paths:
            if os.path.isdir(given):
                yield from self._directory(given)
            elif not self._excluded(os.path.basename(given), given):
                yield from self._once([os.path.normpath(given)])

    def _directory(self, top: str) -> Iterator[str]:
        def failed(error: OSError) -> None:
            self.errors.append((os.path.normpath(error.filename or top), error.strerror or str(error)))

        for root, directories, files in os.walk(top, onerror=failed):
            relative = os.path.relpath(root, top)
            relative = "" if relative == "." else relative.replace(os.sep, "/") + "/"
            directories[:] = sorted(
                d for d in directories if not self._skipped(root, d) and not self._excluded(d, relative + d)
            )
            chosen = (f for f in sorted(files) if f.lower().endswith(SUFFIXES) and not self._excluded(f, relative + f))
            yield from self._once(os.path.normpath(os.path.join(root, f)) for f in chosen)

    def _once(self, paths: Iterable[str]) -> Iterator[str]:
        for path in paths:
            if path not in self._seen:
                self._seen.add(path)
                yield path

    @staticmethod
    def _skipped(root: str, name: str) -> bool:
        if name in SKIPPED_DIRECTORIES or name.endswith(".egg-info"):
            return True
        return os.path.isfile(os.path.join(root, name, "pyvenv.cfg"))

    def _excluded(self, name: str, relative: str) -> bool:
        return any(fnmatch.fnmatchcase(name, g) or fnmatch.fnmatchcase(relative, g) for g in self.exclude)
