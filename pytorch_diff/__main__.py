"""Entry point of ``ptdiff`` and ``python -m pytorch_diff``.

Kept tiny on purpose: Ctrl-C is handled before anything heavy is imported, so an
interrupt at any moment ends quietly.
"""

from __future__ import annotations

import os
import signal
import sys

from .errors import EXIT_INTERRUPTED


def main() -> None:
    """Run the ptdiff command line."""
    # Leave at once and quietly, with the code shells use for SIGINT.
    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(EXIT_INTERRUPTED))
    for stream in (sys.stdout, sys.stderr):
        # An ASCII-only terminal gets '?' for characters it cannot show, not a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(errors="replace")
    from .cli import app

    app()


if __name__ == "__main__":
    main()
