"""Intake's heavy work on every core: drafts cleaned and prepared in forked processes.

Cleaning a source's entry, and preparing a draft (suggesting its tags and topics,
rendering its file and checking that text as `digest check` would), depend on nothing
but the entry or draft, the site config and the day, so a large run does them in a
few forked processes, in chunks, and gets the results back in order; the writer
still decides, in order, which drafts become which files. A small run stays in one
process: forking costs more than it saves.

The files themselves are written by one thread: creating files in one folder takes
the folder's lock in the kernel, and from several threads it took as long, with
twice the system time.

The build shares its stages differently (digest.util.processes_build: the parent takes part, and
children stream their results back); both fork, so that nothing is pickled on the way in.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from digest.util import processes_build as parallel

T = TypeVar("T")
R = TypeVar("R")

# Below this many items the work stays in this process (fork and pickling cost more).
MIN_PARALLEL = 400
CHUNKS_PER_WORKER = 4

# The job of the forked processes: set while they run (each is forked with it), so
# one run at a time: the work itself must not start another.
_JOB: tuple[Callable[..., object], Sequence[object]] | None = None


def _run_chunk(start: int, stop: int) -> list[object]:
    assert _JOB is not None
    func, items = _JOB
    return [func(item) for item in items[start:stop]]


@contextmanager
def mapped_in_processes(func: Callable[[T], R], items: Sequence[T],
                        minimum: int | None = None) -> Iterator[Callable[[], list[R]]]:
    """Start [func(item) for item in items]; yields a function that waits for the list.

    The work runs in forked processes when there are many items, while this process
    goes on until it asks for the results. ``func`` and the items reach the children
    by the fork (nothing is pickled on the way in); only the results travel back.
    Without fork, with one core or under ``minimum`` items (default
    MIN_PARALLEL), it runs here when asked.
    """
    minimum = MIN_PARALLEL if minimum is None else minimum
    workers = min(parallel.workers(), len(items) // max(minimum // 2, 1))
    if (len(items) < minimum or workers < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        yield lambda: [func(item) for item in items]
        return
    global _JOB
    chunks = workers * CHUNKS_PER_WORKER
    bounds = [len(items) * i // chunks for i in range(chunks + 1)]
    _JOB = (func, items)
    try:
        # A worker that dies (out of memory) breaks the pool: an error, not a hang.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")
                                 ) as pool:
            parts = [pool.submit(_run_chunk, start, stop)
                     for start, stop in zip(bounds, bounds[1:], strict=False)]
            yield lambda: [result for part in parts for result in part.result()]
    finally:
        _JOB = None


def map_in_processes(func: Callable[[T], R], items: Sequence[T],
                     minimum: int | None = None) -> list[R]:
    """[func(item) for item in items], in forked processes when there are many items."""
    with mapped_in_processes(func, items, minimum) as results:
        return results()
