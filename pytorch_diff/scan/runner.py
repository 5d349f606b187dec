"""Every core at work: files go to worker processes in chunks, findings come back.

The rule table is built once and handed to each worker when it starts (it is plain data).
Files are read, parsed and checked inside the workers, and only their findings travel back,
so no syntax tree outlives its file and the parent never holds more than a few chunks of
paths.  A scan of few files (or on one core) runs in this process: starting workers would
cost more than it saves.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from .check import check_file
from .findings import Finding
from .rules import RuleTable

MIN_PARALLEL = 48  # fewer files than this: no worker processes
CHUNK = 16  # files per task: small enough to balance the cores, large enough to keep the overhead low
RECURSION_LIMIT = 20_000  # resolving walks the tree recursively; a long a + b + … chain is deep

_rules: RuleTable | None = None  # a worker's rule table, set when it starts


def available_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def scan_files(
    paths: Iterable[str], rules: RuleTable, *, jobs: int | None = None, min_parallel: int = MIN_PARALLEL
) -> Iterator[tuple[str, list[Finding]]]:
    """Each file of ``paths`` with its findings, in the order the paths come (chunk by chunk)."""
    workers = jobs or available_cores()
    iterator = iter(paths)
    head = list(itertools.islice(iterator, min_parallel))
    if workers < 2 or len(head) < min_parallel:
        with _deep_recursion():
            for path in itertools.chain(head, iterator):
                yield path, check_file(path, rules)
        return
    yield from _parallel(itertools.chain(head, iterator), rules, workers)


def _parallel(paths: Iterator[str], rules: RuleTable, workers: int) -> Iterator[tuple[str, list[Finding]]]:
    chunks = iter(lambda: list(itertools.islice(paths, CHUNK)), [])
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(rules,)) as pool:
        # A bounded number of chunks in flight: the walk is consumed as the workers progress.
        pending: deque[Future[list[tuple[str, list[Finding]]]]] = deque(
            pool.submit(_check_chunk, chunk) for chunk in itertools.islice(chunks, workers * 3)
        )
        while pending:
            done = pending.popleft().result()
            following = next(chunks, None)
            if following is not None:
                pending.append(pool.submit(_check_chunk, following))
            yield from done


def _start_worker(rules: RuleTable) -> None:
    global _rules
    _rules = rules
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))


def _check_chunk(paths: list[str]) -> list[tuple[str, list[Finding]]]:
    assert _rules is not None, "the worker was started without its rules"
    return [(path, check_file(path, _rules)) for path in paths]


class _deep_recursion:
    """Raise the recursion limit for an in-process scan, and put it back after."""

    def __enter__(self) -> None:
        self.before = sys.getrecursionlimit()
        sys.setrecursionlimit(max(self.before, RECURSION_LIMIT))

    def __exit__(self, *exc: object) -> None:
        sys.setrecursionlimit(self.before)
