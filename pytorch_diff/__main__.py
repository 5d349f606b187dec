"""Entry point of ``ptdiff`` and ``python -m pytorch_diff``.

Kept tiny on purpose: Ctrl-C is set up before anything heavy is imported, so an interrupt
at any moment ends quietly; and the common invocations run without importing Typer at
all (``shortcut.py``).
"""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    """Run the ptdiff command line."""
    # Ctrl-C ends the process by the signal itself, at once and without a traceback, even
    # inside a blocking read; shells then report 130 and stop a script that was running it.
    # (A Python-level handler runs only between bytecodes, so it can miss a signal that
    # arrives just before a read that blocks.)  A SIGINT ignored by the parent stays ignored.
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    for stream in (sys.stdout, sys.stderr):
        # An ASCII-only terminal gets "\u2192" for a character it cannot show: no crash, and
        # no text silently turned into "?".
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(errors="backslashreplace")
    sys.exit(run([_decoded(arg) for arg in sys.argv[1:]]))


def run(argv: list[str]) -> int:
    """Run the command line ``argv``: a common form without Typer, anything else with it."""
    from .shortcut import run_common

    code = run_common(argv, os.environ)
    if code is not None:
        return code
    from .cli import main as run_cli

    return run_cli(argv)


def _decoded(arg: str) -> str:
    """An argument as UTF-8 text, also where the locale made Python decode it as ASCII.

    In a C locale without UTF-8 mode, "Straße" arrives as surrogate escapes that match
    nothing; its bytes are valid UTF-8, so they are read as such.  Bytes that are not
    stay escaped, and are shown escaped.
    """
    if arg.isascii() or not any("\udc80" <= char <= "\udcff" for char in arg):
        return arg
    try:
        return os.fsencode(arg).decode("utf-8")
    except UnicodeDecodeError:
        return arg


if __name__ == "__main__":
    main()
