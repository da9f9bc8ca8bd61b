"""The one place digest starts processes: pure-Python work on every core, in forked children.

Reading papers, working out related papers and generating pages (a build), cleaning a
source's entries and preparing drafts (intake) are pure Python, so one process uses
one core while the others idle. A forked child starts with the parent's papers, site
model or drafts already in memory (shared copy-on-write), so it is told only which
items to do and sends back only its results. Children live for one stage and are
gone before rendering starts Pagefind's thread and process.

One rule decides when to fork (:func:`enabled`): where ``fork`` exists, with more than
one core, with at least MIN_ITEMS items (forking a process costs more than a few
hundred items take), and only while the process has one thread (a child gets only
the forking thread, and a lock another thread held would stay locked in it: `digest
serve` builds beside its server thread). Otherwise the same work runs in this
process, in the same order, so the output is the same either way. An exception in a
child is raised again in the parent, a DigestError as the same clear error.

The children are multiprocessing's fork-context processes with a pipe each, not a
``concurrent.futures`` pool: here this process takes part in the work and reads the
children's chunks as they come, between its own. On 5,000 papers (2 cores), reading
the papers and planning the pages took 5.0 to 6.0 s this way against 6.1 to 8.3 s
with a forked ProcessPoolExecutor handed the same chunks (BENCHMARKS.md).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items forking costs about what it saves (BENCHMARKS.md).
MIN_ITEMS = 500
# Items a process takes at a time: small, so that a topic page (the largest) does not
# leave one process working alone at the end.
CHUNK = 4


def workers() -> int:
    """The processes a shared stage uses, this one included: one per core."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _alone() -> bool:
    """Whether this process runs one thread only, so that a fork is safe."""
    return threading.active_count() == 1


def enabled(items: int) -> bool:
    """Whether work on ``items`` items is shared with forked children."""
    return (items >= MIN_ITEMS and workers() > 1 and _alone()
            and "fork" in multiprocessing.get_all_start_methods())


def _fork(target: Callable[[Connection], None]) -> tuple[Any, Connection]:
    """Start a child running ``target(connection)``; the parent's end of the pipe."""
    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe(duplex=False)
    gc.freeze()  # the child never scans the inherited objects: no copies of their pages
    try:
        child = context.Process(target=_child, args=(target, child_end), daemon=True)
        child.start()
    finally:
        gc.unfreeze()
    child_end.close()
    return child, parent_end


def _child(target: Callable[[Connection], None], connection: Connection) -> None:
    """A child's life: Ctrl-C is the parent's to handle (it stops the children), and a
    parent that has stopped listening ends the child without a word."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(BrokenPipeError):  # the parent has given up on this child
        target(connection)


def _send(connection: Connection, make: Callable[[], object]) -> None:
    """In a child: send ("ok", make()) or the exception it raised."""
    try:
        message: tuple[str, object] = ("ok", make())
    except BrokenPipeError:
        raise  # a chunk could not be sent: the parent is gone
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the parent
        message = ("error", exc)
    try:
        connection.send(message)
    except (pickle.PicklingError, TypeError, AttributeError):  # send the traceback as text
        text = "".join(traceback.format_exception(message[1])) if message[0] == "error" \
            else traceback.format_exc()
        connection.send(("error", RuntimeError(f"in a worker process:\n{text}")))
    connection.close()


def _receive(child: Any, connection: Connection,
             chunks: dict[int, Any] | None = None, wait: bool = True) -> tuple[bool, object]:
    """Read the child's messages: (True, its value) once it has finished, (False, None)
    when ``wait`` is false and it has no more for now. Chunks it sends on the way go
    into ``chunks``; its exception is raised here."""
    while wait or connection.poll():
        try:
            status, value = connection.recv()
        except EOFError:
            connection.close()
            child.join()
            raise RuntimeError(f"a worker process ended without its result (exit "
                               f"code {child.exitcode})") from None
        if status == "chunk" and chunks is not None:
            start, made = value
            chunks[start] = made
            continue
        connection.close()
        child.join()
        if status == "error":
            raise value
        return True, value
    return False, None


def _stop(child: Any) -> None:
    if child.is_alive():
        child.terminate()
    child.join()


class Background(Generic[R]):
    """``make()`` in a forked child while this process does something else; ``result()``
    waits for its value. When not ``forked``, ``result()`` calls ``make()`` here."""

    def __init__(self, make: Callable[[], R], forked: bool) -> None:
        self._make = make
        self._child: Any = None
        if forked:
            self._child, self._connection = _fork(lambda connection: _send(connection, make))

    def result(self) -> R:
        if self._child is None:
            return self._make()
        try:
            return _receive(self._child, self._connection)[1]  # type: ignore[return-value]
        finally:
            _stop(self._child)
            self._child = None

    def ready(self) -> bool:
        """Whether a child has sent its value (``result()`` would not wait for it)."""
        return self._child is not None and self._connection.poll()

    def cancel(self) -> None:
        """Stop the child, if any (the work is not wanted: something else failed)."""
        if self._child is not None:
            self._connection.close()
            _stop(self._child)
            self._child = None


class SharedMap(Generic[T, R]):
    """``[work(item) for item in items]``, started now and collected by ``result()``.

    When ``forked``, one child per other core starts at once, taking CHUNK items at a
    time from a shared counter (so a busy core takes fewer); this process may do
    something else meanwhile, then takes part from ``result()`` on, reading each
    child's chunks between its own. Results come back in the order of ``items``, held
    once, here, as they would be without children. When not ``forked``, ``result()``
    does all the work here.
    """

    def __init__(self, work: Callable[[T], R], items: Sequence[T], forked: bool) -> None:
        self._work = work
        self._items = items
        self._chunks = range(0, len(items), CHUNK)
        self._children: list[tuple[Any, Connection]] = []
        self._counter: Any = None
        if forked:
            self._counter = multiprocessing.get_context("fork").Value("l", 0)
            self._children = [_fork(self._child) for _ in range(workers() - 1)]

    def _take(self, hand_over: Callable[[int, list[R]], None]) -> None:
        """Take chunks from the shared counter until none is left."""
        while True:
            with self._counter.get_lock():
                index = self._counter.value
                self._counter.value += 1
            if index >= len(self._chunks):
                return
            start = self._chunks[index]
            hand_over(start, [self._work(item) for item in self._items[start:start + CHUNK]])

    def _child(self, connection: Connection) -> None:
        _send(connection, lambda: self._take(
            lambda start, made: connection.send(("chunk", (start, made)))))

    def result(self) -> list[R]:
        if self._counter is None:
            return [self._work(item) for item in self._items]
        done: dict[int, list[R]] = {}
        running = list(self._children)

        def keep(start: int, made: list[R]) -> None:
            done[start] = made
            for pair in list(running):
                if _receive(*pair, done, wait=False)[0]:
                    running.remove(pair)

        try:
            self._take(keep)
            for pair in running:
                _receive(*pair, done)
        finally:
            self.cancel()
        results: list[R] = []
        for start in sorted(done):
            results += done[start]
        if len(results) != len(self._items):  # a chunk lost: never silently an item short
            raise RuntimeError(f"{len(self._items) - len(results)} of {len(self._items)} "
                               "items were not made")
        return results

    def cancel(self) -> None:
        """Stop the children, if any (the work is done, or not wanted)."""
        for process, connection in self._children:
            connection.close()
            _stop(process)
        self._children = []


def shared_map(work: Callable[[T], R], items: Sequence[T], forked: bool) -> list[R]:
    """``[work(item) for item in items]``, shared with forked children when ``forked``."""
    return SharedMap(work, items, forked).result()


def map_in_processes(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[work(item) for item in items]``, on every core when :func:`enabled` says so:
    the ``map`` that intake hands to the sources."""
    listed = items if isinstance(items, Sequence) else list(items)
    return shared_map(work, listed, enabled(len(listed)))
