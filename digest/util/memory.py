"""Give memory the build has freed back to the system, for Pagefind's service.

Python hands freed objects back to its allocator, and glibc's malloc keeps the pages:
a build of 50,000 papers stays as large as its largest stage (2.4 GB) while
Pagefind's service, a process of its own, writes the search index. ``malloc_trim``
returns glibc's free pages; elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

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
