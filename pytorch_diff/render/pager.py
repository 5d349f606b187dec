"""Output taller than the terminal goes through a pager, as with git and gh.

``$PTDIFF_PAGER`` names the pager (empty: none), else ``$PAGER``, else ``less -FRX``
(quit when it fits, keep colours, leave the text on the screen).  Never used when the
output is not a terminal; ``--no-pager`` turns it off.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
from typing import IO

DEFAULT_PAGER = "less -FRX"


def pager_command() -> list[str]:
    """The pager to run, as a command line; [] for none."""
    chosen = os.environ.get("PTDIFF_PAGER")
    if chosen is None:
        chosen = os.environ.get("PAGER") or DEFAULT_PAGER
    try:
        return shlex.split(chosen)
    except ValueError:  # unbalanced quotes: no pager rather than a guess
        return []


def page(text: str, out: IO[str]) -> bool:
    """Show ``text`` through the pager when it is taller than the terminal; False if not paged."""
    try:
        height = os.get_terminal_size(out.fileno()).lines
    except (OSError, ValueError, AttributeError):
        return False
    command = pager_command()
    if not command or text.count("\n") < height:
        return False
    out.flush()
    env = {**os.environ, "LESSCHARSET": os.environ.get("LESSCHARSET", "utf-8")}
    # Ctrl-C belongs to the pager while it runs (less uses it to stop a search); ptdiff
    # waits, as git does, instead of dying under it.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, encoding="utf-8", env=env)
    except OSError:
        signal.signal(signal.SIGINT, previous)
        return False
    try:
        assert process.stdin is not None
        process.stdin.write(text)
        process.stdin.close()
    except BrokenPipeError:  # the reader quit before reading everything: that is its right
        pass
    finally:
        process.wait()
        signal.signal(signal.SIGINT, previous)
    return True
