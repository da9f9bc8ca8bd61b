"""The search index built while MkDocs renders: Pagefind reads each batch of pages as it
is written, one bundle a shard (digest.render.search_bundles holds the bundles on disk)."""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import hashlib
import os
import re
import shutil
import tarfile
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from digest.render.compat import stop_without_writing
from digest.render.search_bundles import (
    INDEXED_PARTS,
    IncompleteBundle,
    build_search_index,
    bundle_name,
    finalize,
    pagefind_config,
    reference_assets,
    verify_bundle,
)
from digest.util.memory import release

SHARD_PAGES = 12_500
"""Pages per search shard. 10,000 papers stay one bundle: each further shard costs the
browser its own metadata and WebAssembly fetch on the first query (what that query
fetches is in BENCHMARKS.md, "Search")."""


def shard_size() -> int:
    """SHARD_PAGES, or ``DIGEST_SEARCH_SHARD_PAGES`` (tests: several shards of a small site)."""
    value = os.environ.get("DIGEST_SEARCH_SHARD_PAGES", "")
    return int(value) if value.isdigit() and int(value) > 0 else SHARD_PAGES


def shards_of(pages: Sequence[str]) -> list[list[str]]:
    """``pages`` (in the order MkDocs renders them) cut into runs of :func:`shard_size`.

    The build orders paper pages oldest first (by date, then slug), so a shard is a run
    of dates: new papers only ever change the last shard (a later build cache can
    reuse the others), and a search sorted by date is the shards' results one shard
    after another (search.js), which Pagefind's own ``mergeIndex`` cannot give.
    """
    size = shard_size()
    return [list(pages[start:start + size]) for start in range(0, len(pages), size)] or [[]]


SETTLE_SECONDS = 10.0


async def _write_whole(index: object, bundle: Path) -> None:
    """Write ``index`` into ``bundle`` and stop its service once every file is whole.

    The service answers the write request before its asynchronous file writes have all
    landed, and stopping it then truncates them (an empty pagefind-entry.json, on a
    loaded machine): the bundle is verified, waiting a little, before the service stops.
    Raises IncompleteBundle if it is still not whole after SETTLE_SECONDS.
    """
    try:
        await index.write_files()
        for attempt in range(int(SETTLE_SECONDS / 0.05) + 1):
            try:
                verify_bundle(bundle)
                return
            except IncompleteBundle:
                if attempt * 0.05 >= SETTLE_SECONDS:
                    raise
                await asyncio.sleep(0.05)
    finally:
        await stop_without_writing(index)


_BODY = re.compile(r"<article\b[^>]*\bdata-pagefind-body\b.*?</article>", re.S)
_LANG = re.compile(r'<html\b[^>]*\blang="([^"]*)"')
# A block of the article: each is matched whole (the abstract with its paragraphs, the
# fields with theirs), so that only the paper's own parts are dropped.
_PART = re.compile(r"<(section|p|dl)\b([^>]*)>.*?</\1>\n?", re.S)
_INDEXED_CLASSES = tuple(f'class="{name}"' for name in INDEXED_PARTS)


def _unindexed(match: re.Match[str]) -> str:
    """Drop a part whose text Pagefind does not index (search_bundles.INDEXED_PARTS),
    unless it holds a filter, meta or sort that Pagefind reads."""
    if "data-pagefind-" in match[0] or any(c in match[2] for c in _INDEXED_CLASSES):
        return match[0]
    return ""


def index_view(html: str) -> str:
    """What Pagefind needs of a page: its language and the element it indexes.

    Pagefind reads nothing outside ``data-pagefind-body`` once a site uses it (the
    title, date, filters and sort are attributes inside the paper's <article>), yet it
    parses the whole page; the frame is two thirds of a paper page. The index made
    from this view is byte-identical (tests/render/test_search_index.py) and costs Pagefind
    less time (BENCHMARKS.md). A page whose body is not one <article> with no
    other article inside is sent whole.
    """
    found = _BODY.findall(html)
    if len(found) != 1 or found[0].count("<article") != 1:
        return html
    lang = _LANG.search(html)
    head = f'<html lang="{lang[1]}">' if lang else "<html>"
    body = _PART.sub(_unindexed, found[0])
    return f'<!doctype html>{head}<head><meta charset="utf-8"></head><body>{body}</body></html>'


def _write_page(path: str, html: str) -> None:
    """Write one page for Pagefind with bare system calls: the render waits for every
    batch, and Path.mkdir and write_text cost more calls per file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        data = memoryview(html.encode("utf-8"))
        while data:
            data = data[os.write(fd, data):]
    finally:
        os.close(fd)


def _memory_dir() -> str | None:
    """A folder in memory (Linux's /dev/shm) for the batches of pages Pagefind reads, or
    None for the usual temporary folder. Creating and removing thousands of small files
    costs a disk's file system milliseconds each under load, a memory one far less; a
    batch is a few megabytes and is removed once read."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


class StreamingIndex:
    """Pagefind indexing that runs while MkDocs renders, on the machine's other core.

    MkDocs hands over each page as it renders it; every BATCH pages, the batch's HTML
    is written into a scratch folder of its own and Pagefind's service is asked to
    index that folder (``add_directory``), in MkDocs' order, so the index is the same
    on every build. A request walks every folder below the directory it names, so
    naming the site (with a glob for the batch) made each request cost as much as the
    site so far: indexing grew with the square of the papers.
    (One request per batch, not per page: the Python API reads one answer per 0.1 s.)

    The index is split into shards (:func:`shards_of`): ``pages``, the URLs of the
    paper pages in the order MkDocs renders them (oldest paper first, see
    digest/site/plan.py ``SitePlan.paper_order``), assigns each page its shard. Each
    shard has a Pagefind service of its own, told to write its bundle as soon as its
    last page is sent; the next shard's service starts then and reads pages while that
    write runs (and MkDocs renders). One write at a time: Pagefind's memory grows fast
    while it writes, with the pages of the bundle (BENCHMARKS.md, "50,000 papers").
    The last shard's write starts as soon as its last page is sent too: MkDocs renders
    the paper pages first (digest/render/renderer.py) and the listing pages while Pagefind writes.
    Without ``pages`` (`digest serve`), every page goes into one bundle, written by
    :meth:`finish`. :meth:`finish` waits for the last bundle and, should anything have
    gone wrong, indexes the written site the ordinary way.

    ``reuse(pages_digest)`` is a tar of the bundles made from exactly the pages sent
    (digest.render.cache), or None: asked once every page is sent, so that a build cache
    that has the index skips the write.
    """

    BATCH = 500
    _SAFE_PATH = re.compile(r"^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$")
    """A relative path of plain names, none of them . or .., that stays in its folder."""

    def __init__(self, site_dir: Path, pages: Sequence[str] | None = None,
                 reuse: Callable[[str], Path | None] | None = None) -> None:
        self.site_dir = site_dir
        self._reuse_of = reuse
        self._reuse: Path | None = None
        self._complete = False  # every page of every shard sent
        self.reused = False  # the index came from ``reuse``
        self.shards = shards_of(pages) if pages is not None else None
        self._shard_of = {url: number for number, urls in enumerate(self.shards or [])
                          for url in urls}
        self._left = [len(urls) for urls in self.shards or [[]]]
        self._shard = 0  # the shard the pending pages belong to
        self._pending: list[str] = []
        self._html: list[str] = []
        self._unsafe = False  # a page the shards cannot take: index the site instead
        self._unwritten = False  # a batch folder could not be written
        self._scratch = tempfile.TemporaryDirectory(prefix="digest-pagefind-", dir=_memory_dir())
        self._batches = 0
        self._indexed: collections.deque[Path] = collections.deque()  # batches read
        self._sent = hashlib.blake2b(digest_size=16)  # every page sent, in order
        # Created here, not in the loop, so add() can queue before the service is up.
        # Items: a batch folder for the current shard's service, or a shard number
        # (that shard is complete: write it, then start the next one's service).
        self._queue: asyncio.Queue[Path | int | None] = asyncio.Queue()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pagefind",
                                        daemon=True)
        self._thread.start()
        self._index: object | None = None
        self._writing: asyncio.Future | None = None
        self._closing: concurrent.futures.Future | None = None  # the last bundle's write
        self._opened = self._run(self._open(0))
        # Fetched while MkDocs renders, not after: a second, tiny Pagefind run.
        self._reference = self._run(reference_assets())

    def _run(self, coro: object) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def _open(self, shard: int) -> None:
        from pagefind.index import PagefindIndex

        self._index = PagefindIndex(config=pagefind_config(self.site_dir / bundle_name(shard)))
        await self._index.__aenter__()
        if shard == 0:
            self._consumer = asyncio.ensure_future(self._consume())

    async def _consume(self) -> None:
        while (item := await self._queue.get()) is not None:
            if isinstance(item, int):  # shard ``item`` is complete: write it, one at a time
                await self._written()
                index, self._index = self._index, None
                self._writing = asyncio.ensure_future(
                    _write_whole(index, self.site_dir / bundle_name(item)))
                await self._open(item + 1)
            else:
                await self._index.add_directory(str(item))
                self._indexed.append(item)  # removed by MkDocs' thread (_send)

    async def _written(self) -> None:
        """Wait for the shard being written, if any (its errors are raised here)."""
        writing, self._writing = self._writing, None
        if writing is not None:
            await writing

    async def _close_opened(self, write: bool) -> None:
        await asyncio.wrap_future(self._opened)
        await self._close(write)

    async def _close(self, write: bool) -> None:
        await self._queue.put(None)
        try:
            await self._consumer
        finally:
            try:
                await self._written()
            finally:
                if self._index is not None and write:
                    await _write_whole(self._index, self.site_dir / bundle_name(self._shard))
                elif self._index is not None:
                    await stop_without_writing(self._index)

    def _send(self) -> None:
        """Write the pending pages to a batch folder and queue it for Pagefind.

        Written here, on MkDocs' thread, not on Pagefind's: a thread doing file I/O
        while another runs Python waits for the GIL at every system call, so written
        there the index fell behind the render. Batches Pagefind has read are
        removed here too.
        """
        while self._indexed:
            shutil.rmtree(self._indexed.popleft(), ignore_errors=True)
        if not self._pending:
            return
        self._batches += 1
        batch = Path(self._scratch.name) / f"{self._batches:06d}"
        try:
            for path, html in zip(self._pending, self._html, strict=True):
                _write_page(f"{batch}/{path}", html)
        except OSError:
            self._unwritten = True
        else:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, batch)
        self._pending, self._html = [], []

    def add(self, url: str, html: str) -> None:
        """Note one page MkDocs is about to write (``url`` as MkDocs gives it).

        Pages without ``data-pagefind-body`` (listings, home, about) are left out of
        the index by Pagefind anyway, once one page has it: they are not sent, so
        Pagefind does not read and parse them (the topic pages are large).
        """
        if "data-pagefind-body" not in html or self._unsafe:
            return
        path = url if url.endswith(".html") else url + "index.html"
        shard = self._shard_of.get(url, 0) if self.shards is not None else 0
        if (not self._SAFE_PATH.match(path) or shard != self._shard
                or (self.shards is not None and url not in self._shard_of)):
            self._unsafe = True  # not a paper page, or out of the shards' order
            return
        html = index_view(html)
        self._pending.append(path)
        self._html.append(html)
        for part in (path, html):
            data = part.encode("utf-8")
            self._sent.update(len(data).to_bytes(8, "little") + data)
        self._left[shard] -= 1
        if self._left[shard] == 0 and shard + 1 < len(self._left):
            self._send()
            self._loop.call_soon_threadsafe(self._queue.put_nowait, shard)
            self._shard += 1
            release()  # the pages MkDocs has written and dropped, before the shard's write
        elif self._left[shard] == 0 and self.shards is not None:
            self._last_sent()
        elif len(self._pending) >= self.BATCH:
            self._send()

    def _last_sent(self) -> None:
        """Every page is sent: write the last bundle now, beside MkDocs' other pages,
        unless the build cache has this very index."""
        self._send()
        self._complete = True
        self._reuse = self._reuse_of(self.pages_digest) if self._reuse_of else None
        if self._reuse is None:
            self._closing = self._run(self._close_opened(write=True))
        release()

    @property
    def pages_digest(self) -> str:
        """A digest of every page sent to the index so far, paths included."""
        return self._sent.hexdigest()

    @property
    def bundle_names(self) -> list[str]:
        """The folders of the bundles, one a shard, relative to the site."""
        return [bundle_name(shard) for shard in range(len(self._left))]

    def finish(self, expected_pages: int | None = None) -> int:
        """Write the last bundle, or wait for its write; return the pages indexed in all
        of them. A tar from ``reuse`` is unpacked instead, and Pagefind stops without
        writing."""
        reuse = self._reuse
        if not self._complete and self._reuse_of is not None and not self._unsafe:
            reuse = self._reuse_of(self.pages_digest)
        if reuse is not None and not self._unsafe:
            try:
                reference = self._reference.result()
            except Exception:  # fetched again, the ordinary way
                reference = None
            self.abort()
            try:
                with tarfile.open(reuse) as tar:
                    tar.extractall(self.site_dir, filter="data")
                for name in self.bundle_names:
                    verify_bundle(self.site_dir / name)
            except (OSError, tarfile.TarError, IncompleteBundle):
                return build_search_index(self.site_dir, expected_pages, self.shards)
            self.reused = True
            return finalize(self.site_dir, expected_pages, reference, len(self._left))
        try:
            if self._unsafe:
                raise ValueError("a page path needs the ordinary indexing")
            if self._closing is None:
                self._send()
                self._closing = self._run(self._close_opened(write=True))
            self._closing.result()
            if self._unwritten:
                raise OSError("a batch of pages could not be written for Pagefind")
        except Exception:  # incomplete or failed: index the written files instead
            self.abort()
            return build_search_index(self.site_dir, expected_pages, self.shards)
        try:
            reference = self._reference.result()
        except Exception:  # fetched again, the ordinary way
            reference = None
        self._stop()
        return finalize(self.site_dir, expected_pages, reference, len(self._left))

    def abort(self) -> None:
        """Stop Pagefind without writing anything more (the render failed), and remove
        what it wrote. A write already under way (the last bundle's, begun before the
        listing pages) is waited for: stopping Pagefind's service while it writes would
        leave its Python API waiting for an answer that never comes."""
        if self._thread.is_alive():
            with contextlib.suppress(Exception):
                self._reference.result()
            with contextlib.suppress(Exception):
                if self._closing is None:
                    self._closing = self._run(self._close_opened(write=False))
                self._closing.result()
            self._stop()
        for shard in range(len(self._left)):
            shutil.rmtree(self.site_dir / bundle_name(shard), ignore_errors=True)

    def _stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
        self._scratch.cleanup()
