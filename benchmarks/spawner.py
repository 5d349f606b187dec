"""The bare helper that starts each measured command and measures it: wall time and peak memory.

    python -I -S benchmarks/spawner.py        (started by ``measure.Runner``, not by hand)

Why a helper at all: Linux reports, as a child's ``ru_maxrss``, at least the peak RSS of the
process it was spawned from (exec keeps the high-water mark of the memory it replaces), so a
child of ``run.py`` could never look smaller than ``run.py`` itself.  This helper is a bare
interpreter (``-I -S``, a few modules built into Python), smaller than any Python command it
starts; its own peak is sent back with every reply, so that the runner can show that floor.

It reads one JSON line per command on stdin, ``[argv, env, stdout_path, stderr_path]``, runs the
command with stdin from /dev/null and its output into those files, and writes one JSON line
back: ``[seconds, peak_bytes, exit_code, error, own_peak_bytes]``.  ``error`` is why the command
could not be started, else "".  It ends when stdin closes.

Keep it small: every module imported here raises the floor.  JSON (about 1 MiB more than
``marshal``) stays well below the smallest command measured, so it costs no measurement.
"""

import json
import os
import resource
import sys
import time

# ru_maxrss is in KiB on Linux, in bytes on macOS.
RSS_UNIT = 1 if sys.platform == "darwin" else 1024


def own_peak() -> int:
    """This process's high-water mark in bytes: what a child it spawns starts from.

    Not RUSAGE_SELF, which on Linux includes the peak of the runner this helper was spawned from.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * RSS_UNIT


def measure(argv: list[str], env: dict[str, str], out: str, err: str) -> list[object]:
    """Run one command to its end; return [seconds, peak_bytes, exit_code, error]."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, out, flags, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, err, flags, 0o600),
    ]
    try:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        # wait4: this child's own resource usage (RUSAGE_CHILDREN would be the largest so far).
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - start
    except OSError as error:
        return [0.0, 0, 127, str(error)]
    return [elapsed, usage.ru_maxrss * RSS_UNIT, os.waitstatus_to_exitcode(status), ""]


def serve() -> None:
    for line in sys.stdin:
        reply = measure(*json.loads(line)) + [own_peak()]
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
