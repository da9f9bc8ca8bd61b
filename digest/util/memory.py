"""Give memory the build has freed back to the system, for Pagefind's service.

Python hands freed objects back to its allocator, and glibc's malloc keeps the pages:
a build of 50,000 papers stays as large as its largest stage (2.4 GB) while
Pagefind's service, a process of its own, writes the search index. ``malloc_trim``
returns glibc's free pages; elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
from collections.abc import Iterator

try:
    _TRIM = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
except (OSError, AttributeError):
    _TRIM = None


def release(collect: bool = False) -> None:
    """Return free heap pages to the system; with ``collect``, collect cycles first
    (seconds on a large site: only between stages)."""
    if collect:
        gc.collect()
    if _TRIM is not None:
        _TRIM(0)


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: for the stages that only add objects (reading
    the papers, making the pages), whose data holds no cycles to collect. Each full
    pass of the collector walks every object made so far, and the passes come as the
    heap grows: at 50,000 papers they were a quarter of reading the papers (3.7 of
    13.7 s) and 20 s of making the pages. Cycles left meanwhile (parsers' trees) go at
    the next ``release(collect=True)``."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
