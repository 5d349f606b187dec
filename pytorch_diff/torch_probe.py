"""The child process of ``ptdiff doctor``: import torch once, then look each name up.

Run as a script by path (``python .../torch_probe.py``), in exactly the interpreter and
environment ptdiff runs in.  It reads the names as JSON on stdin and writes one JSON
line per result on the original stdout; whatever torch prints goes to stderr.  It
imports nothing of ptdiff: its own folder is taken off ``sys.path`` first, so that no
module of ptdiff can shadow one that torch imports.
"""
# ruff: noqa: E402  (the path is fixed before anything is imported)

from __future__ import annotations

import os
import sys

if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]  # this file's folder: never a place to import from

import importlib
import json
import types
from typing import IO, Any

Result = list[str]  # [status, reason]
imported: dict[str, tuple[types.ModuleType | None, str | None]] = {}


def main() -> None:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever torch prints goes to stderr, not into the results
    names: list[str] = json.loads(sys.stdin.read())
    try:
        torch = importlib.import_module("torch")
    except BaseException as error:
        emit(out, {"import_error": first_line(error)})
        return
    if getattr(torch, "__file__", None) is None:  # a namespace package: some folder named torch
        where = ", ".join(getattr(torch, "__path__", None) or ["?"])
        emit(out, {"import_error": "found a folder without __init__.py at " + where + ", not PyTorch"})
        return
    emit(out, {"version": str(getattr(torch, "__version__", "")), "path": os.path.dirname(str(torch.__file__))})
    for name in names:
        emit(out, {"name": name, "result": check(name)})


def emit(out: IO[str], value: dict[str, Any]) -> None:
    out.write(json.dumps(value) + "\n")
    out.flush()


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return type(error).__name__ + (": " + text[0] if text else "")


def load(module: str) -> tuple[types.ModuleType | None, str | None]:
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


def culprit(module: str) -> str:
    # The module whose import failed: the first one of the chain that did not stay imported.
    parts = module.split(".")
    prefixes = (".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return next((prefix for prefix in prefixes if prefix not in sys.modules), module)


def what(value: object, owner: str) -> str:
    # " (the class typing_extensions.deprecated)" when a name resolves to something defined elsewhere
    kind = "class" if isinstance(value, type) else "function" if callable(value) else ""
    where = str(getattr(value, "__module__", "")) + "." + str(getattr(value, "__qualname__", ""))
    if not kind:
        return " (a " + type(value).__name__ + ")"
    return "" if where == owner else " (the " + kind + " " + where + ")"


def check(name: str) -> Result:
    parts = name.split(".")
    module: types.ModuleType | None = None
    end = len(parts)
    for end in range(len(parts), 0, -1):
        module, problem = load(".".join(parts[:end]))
        if problem:
            return ["not checkable", problem]
        if module is not None:
            break
    value: object = module
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


if __name__ == "__main__":
    main()
