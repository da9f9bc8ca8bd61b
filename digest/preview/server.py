"""`digest serve`: a live preview that re-renders only what a save changed.

The first start builds everything, as `digest build` does, and keeps what it made in
memory: the papers by file (digest.content.load.ReadCache), the page signatures
(digest.site.model.SiteModel) and MkDocs' config, files and navigation. On a save only
the changed files are read again, only the pages whose signature changed are
regenerated, and only those go through MkDocs' own page pipeline (populate, then
build the page with the existing files and nav) into the served folder; MkDocs'
LiveReloadServer then reloads the browser. Paper and edition pages are outside the
nav, so adding or deleting a paper leaves the nav, and every other page, alone.

A paper added or removed near the top of a listing shifts every later page of it (at
10,000 papers the commonest tag has 43 pages and each topic about 37), so a listing's
pages after the first are rendered when they are asked for, or else in the background:
the server renders such a page before it answers a request for it.

What spans the whole site follows in the background, after the pages are served:
the checks across files, related papers, feeds and papers.json.gz, the sitemap, and the
search index, whose lag every page mentions in a small notice until it catches up.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from digest.config import SiteConfig, load_config
from digest.content.load import ReadCache, check_across, load_content
from digest.enrich.related import related_papers
from digest.errors import DigestError
from digest.model import Paper, Problem
from digest.preview.live import live_server, show_mkdocs_log, watch
from digest.render.compat import (
    add_generated_page,
    build_theme_template,
    render_pages,
    request_rebuild,
    serve_url,
)
from digest.render.pages import PageStore
from digest.render.renderer import RenderOptions, mkdocs_config, source_date
from digest.render.search_bundles import BUNDLE_DIR, index_whole, write_shards_file
from digest.render.search_index import StreamingIndex
from digest.site.model import SiteModel
from digest.site.plan import SitePlan, make_site
from digest.site.routes import PAGINATED, route
from digest.site.views import ViewCache
from digest.util.files import files_under, write_atomic

log = logging.getLogger("mkdocs.digest")

# Seconds the background work waits after an update, and after every further one.
GRACE = 1.0
# Later listing pages the background renders at a time, the lock free between batches.
BATCH = 20


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _stamps(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Modification time and size of every file under ``paths``."""
    found: dict[str, tuple[int, int]] = {}
    for path in files_under(paths):
        st = path.stat()
        found[str(path)] = (st.st_mtime_ns, st.st_size)
    return found


def _later_page(src: str) -> bool:
    """A listing's page after the first: rendered when asked for (see the module's text)."""
    where = route(src)
    return where.kind in PAGINATED and where.page > 1


def _report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        (log.error if problem.is_error else log.warning)(str(problem))


class _Capture:
    """A MkDocs plugin that keeps the files, nav and template environment of a build."""

    files: Any = None
    nav: Any = None
    env: Any = None

    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        self.nav, self.files = nav, files
        return nav

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        self.env = env
        return env


class Preview:
    """The state of the last build, and how to bring it up to date with content/."""

    def __init__(self, root: Path, site_dir: Path, serve_url: str) -> None:
        self.root = root
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.docs_dir = site_dir.parent / "docs"
        self.lock = threading.RLock()  # the state below, and MkDocs, one update at a time
        self.reads = ReadCache()
        self.views = ViewCache()
        self.papers: dict[str, Paper] = {}  # by file, as shown to the user
        self.related: dict[str, tuple[str, ...]] = {}
        self.fresh_related: dict[str, tuple[str, ...]] | None = None  # from the background
        self.related_exact = True  # computed from the papers as they are now
        self.signatures: dict[str, tuple[object, ...]] = {}
        self.texts: dict[str, bytes] = {}  # a digest of each page's text as served
        self.later: dict[str, str] = {}  # URL -> source of later listing pages not yet rendered
        self.reported: set[str] = set()  # files whose checks across files are due
        self.generation = 0
        self.behind = threading.Event()  # the search index lags behind the pages
        self.wake = threading.Event()
        self.stopping = False
        self.config: SiteConfig
        self.model: SiteModel
        self.mkdocs: Any = None
        self.capture = _Capture()
        self.frame_stamps: dict[str, tuple[int, int]] = {}
        self.config_stamps: dict[str, tuple[int, int]] = {}
        self.server: Any = None

    # --- the whole site ------------------------------------------------------------------

    def _frame(self) -> dict[str, tuple[int, int]]:
        """What every page is rendered with: a change means a full build."""
        return _stamps([self.root / "mkdocs.yml", self.root / "theme",
                        self.root / "content" / "pages"])

    def _settings(self) -> dict[str, tuple[int, int]]:
        return _stamps([self.root / "site_config"])

    def full_build(self) -> None:
        """Build every page and the search index, keeping what an update needs."""
        from mkdocs.commands.build import build
        from mkdocs.plugins import BasePlugin

        with self.lock:
            gc.unfreeze()  # what the last build kept can be collected now
            self.frame_stamps, self.config_stamps = self._frame(), self._settings()
            self.config = config = load_config(self.root)
            papers = self._read(config, everything=True)
            # On both cores at the first start (digest.util.processes; later, beside the
            # server's threads, in this process only).
            model, pages, files = make_site(list(papers.values()), config, views=self.views)
            self.related = dict(model.related)
            plan = SitePlan(docs_dir=self.docs_dir, nav=model.nav, newest=model.newest,
                            pages=pages, files=files)
            self.docs_dir.mkdir(parents=True, exist_ok=True)  # empty: pages stay in memory
            index = StreamingIndex(self.site_dir)
            self.capture = type("DigestPreview", (_Capture, BasePlugin), {})()
            self.mkdocs = mkdocs_config(config, plan, self.site_dir, RenderOptions(
                pages=PageStore(plan.pages, files=plan.files), on_page=index.add,
                strict=False))
            self.mkdocs.plugins["digest-preview"] = self.capture
            self.mkdocs.site_url = self.serve_url
            try:
                with source_date(model.newest):
                    build(self.mkdocs, serve_url=self.serve_url)
            except BaseException:
                index.abort()
                raise
            digest_plugin = self.mkdocs.plugins["digest-on-page"]
            digest_plugin.slimmer.write_sprite(self.site_dir)
            digest_plugin.callback = None  # updates are indexed in the background
            index.finish()
            self.papers, self.model = papers, model
            self.signatures = {src: model.signature(src) for src in pages}
            self.texts = {src: _digest(text) for src, text in pages.items()}
            self.reported = set(papers)
            self.later = {}
            self.related_exact = True
            self.generation += 1
            self.behind.clear()
            self.wake.set()  # the checks across files
            # What the build keeps lives as long as the preview: frozen, it is left out of
            # the collector's full passes, which took 0.5 to 0.8 s of every other save at
            # 10,000 papers (BENCHMARKS.md, "Preview").
            gc.collect()
            gc.freeze()

    def _read(self, config: SiteConfig, everything: bool = False) -> dict[str, Paper]:
        """The papers of content/, re-reading only changed files; report their problems.

        A file with errors keeps its last good version in the preview.
        """
        content = load_content(config, cache=self.reads, across=False)
        fresh = self.reads.fresh
        _report(p for p in content.problems if everything or p.path in fresh)
        papers = {str(p.path): p for p in content.papers}
        failed = {p.path for p in content.problems if p.is_error}
        for shown, paper in self.papers.items():
            if shown not in papers and shown in failed:
                log.warning(f"{shown}: the preview shows its last good version until the "
                            "problems above are fixed")
                papers[shown] = paper
        self.reported |= fresh
        return dict(sorted(papers.items()))

    # --- a save ---------------------------------------------------------------------------

    def update(self) -> None:
        """Bring the served site up to date with the project (the server's builder)."""
        with self.lock:
            try:
                if self._frame() != self.frame_stamps:
                    log.info("mkdocs.yml or theme/ changed: building every page")
                    self.full_build()
                    return
                self._update()
            except DigestError as error:
                log.error(str(error))
                _report(error.problems)
                log.error("the preview keeps showing the last good build")

    def _update(self) -> None:
        settings = self._settings()
        config = self.config
        if settings != self.config_stamps:
            config = load_config(self.root)  # on an error, the last good settings stay
            self.config_stamps = settings
        papers = self._read(config)
        slugs = {p.slug for p in papers.values()}
        related = self.fresh_related if self.fresh_related is not None else self.related
        # Related papers are worked out again in the background whenever papers changed.
        self.related_exact = (self.related_exact or self.fresh_related is not None) \
            and not self.reads.fresh
        self.fresh_related = None
        related = {slug: tuple(s for s in related.get(slug, ()) if s in slugs)
                   for slug in sorted(slugs)}
        model = SiteModel(list(papers.values()), config, related, self.views)
        self.views.keep_only(slugs)
        if model.nav != self.model.nav:
            log.info("the navigation changed (a topic was added, removed or renamed): "
                     "building every page")
            self.full_build()
            return
        changed: dict[str, str] = {}
        later: list[str] = []
        signatures: dict[str, tuple[object, ...]] = {}
        for src in model.sources():
            signatures[src] = signature = model.signature(src)
            if self.signatures.get(src) != signature:
                if _later_page(src):
                    later.append(src)
                    continue
                text = model.page(src)
                if self.texts.get(src) != _digest(text):
                    changed[src] = text
        removed = [src for src in self.signatures if src not in signatures]
        for src in removed:
            self.later.pop(route(src).url, None)
        self.later.update((route(src).url, src) for src in later)
        if changed or removed:
            self._render(model, changed, removed)
        if changed or removed or later:
            log.info(f"updated {len(changed)} page(s), removed {len(removed)}" + (
                f"; {len(later)} later listing page(s) follow when asked for" if later else ""))
        for src in removed:
            self.texts.pop(src, None)
        self.texts.update((src, _digest(text)) for src, text in changed.items())
        self.config, self.papers, self.related, self.model = config, papers, related, model
        self.signatures = signatures
        if changed or removed or later:
            self.generation += 1
            self.behind.set()
            self.wake.set()

    def fresh(self, path: str) -> None:
        """Render the page at ``path`` (a URL under the site) first if it is a later
        listing page not rendered since a save changed it (the server's hook)."""
        url = path.removesuffix("index.html").rstrip("/") + "/"
        if url in self.later:  # read without the lock: most requests are for other pages
            with self.lock:
                src = self.later.pop(url, None)
                if src is not None:
                    self._render_later([src])

    def _render_later(self, sources: list[str]) -> None:
        """Render later listing pages from the current model (under the lock)."""
        changed = {}
        for src in sources:
            text = self.model.page(src)
            if self.texts.get(src) != _digest(text):  # a save can undo another's shift
                changed[src] = text
        if changed:
            self._render(self.model, changed, [])
            self.texts.update((src, _digest(text)) for src, text in changed.items())

    def _render(self, model: SiteModel, changed: dict[str, str], removed: list[str]) -> None:
        """Render ``changed`` pages through MkDocs' page pipeline; delete ``removed`` ones."""
        mk, files = self.mkdocs, self.capture.files
        for src in removed:
            file = files.get_file_from_path(src)
            if file is None:
                continue
            files.remove(file)
            target = Path(file.abs_dest_path)
            target.unlink(missing_ok=True)
            if target.name == "index.html" and target.parent != self.site_dir:
                with contextlib.suppress(OSError):
                    target.parent.rmdir()
        pages = []
        for src, text in changed.items():
            file = files.get_file_from_path(src)
            if file is None:
                pages.append(add_generated_page(mk, files, src, text))
            else:
                file.content_string = text
                pages.append(file.page)
        with source_date(model.newest):
            render_pages(pages, mk, files, self.capture.nav, self.capture.env)

    # --- in the background ----------------------------------------------------------------

    def background(self) -> None:
        """Catch up with the latest update: checks, related papers, site files, search."""
        while not self.stopping:
            self.wake.wait()
            # Browsers reload right after an update: serve them before this thread takes
            # its share of the interpreter.
            while self.wake.is_set() and not self.stopping:
                self.wake.clear()
                time.sleep(GRACE)
            if self.stopping:
                return
            try:
                self._catch_up()
            except Exception as error:  # reported, and tried again on the next save
                log.error(f"the preview could not catch up: {error}")

    def _catch_up(self) -> None:
        with self.lock:
            generation, model, papers = self.generation, self.model, list(self.papers.values())
            reported, self.reported = self.reported, set()
            exact = self.related_exact
        _report(p for p in check_across(papers) if p.path in reported)
        if not exact:
            related = related_papers(papers)
            with self.lock:
                if generation != self.generation:
                    return  # a newer save: start again from it
                self.related_exact = True
                if related != model.related:
                    self.fresh_related = related
                    self._rebuild_soon()
                    return  # the rebuild wakes this thread again
        if not self.behind.is_set() or not self._catch_up_later(generation):
            return
        files = model.reader_files()
        with self.lock:
            if generation != self.generation:
                return
            for path, data in files.items():
                write_atomic(self.site_dir / path, data)
            with source_date(model.newest):
                build_theme_template("sitemap.xml", self.capture.env, self.capture.files,
                                     self.mkdocs, self.capture.nav)
        self._index(generation)

    def _catch_up_later(self, generation: int) -> bool:
        """Render every later listing page not rendered yet, BATCH at a time so that a
        save waits for one batch at most; False if a save came in between."""
        while True:
            with self.lock:
                if generation != self.generation:
                    return False
                batch = list(self.later)[:BATCH]
                if not batch:
                    return True
                self._render_later([self.later.pop(url) for url in batch])

    def _index(self, generation: int) -> None:
        """Index the served site into a new bundle, then swap it in."""
        staging = Path(tempfile.mkdtemp(prefix=".pagefind.", dir=self.site_dir.parent))
        try:
            index_whole(self.site_dir, staging, self.site_dir)
            write_shards_file(staging, 1)
            bundle = self.site_dir / BUNDLE_DIR
            old = staging.with_name(staging.name + ".old")
            with self.lock:
                if generation != self.generation:
                    return  # pages changed while Pagefind read them: index them again
                if bundle.exists():
                    bundle.rename(old)
                staging.rename(bundle)
                self.behind.clear()
            shutil.rmtree(old, ignore_errors=True)
            log.info("search index up to date")
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _rebuild_soon(self) -> None:
        """Ask the server for a rebuild, as a watched file change does."""
        if self.server is not None:
            request_rebuild(self.server)


def serve(root: Path, dev_addr: str) -> None:
    """Serve a live preview on ``dev_addr`` (host:port) until interrupted."""
    host, _, port = dev_addr.rpartition(":")
    host = host or "127.0.0.1"
    mount_path = urlsplit(load_config(root).site.url).path or "/"
    show_mkdocs_log()
    with tempfile.TemporaryDirectory(prefix="digest-serve-") as tmp:
        preview = Preview(root, Path(tmp) / "site", serve_url(host, int(port), mount_path))
        log.info("Building the preview (every page, once)...")
        preview.full_build()
        server = preview.server = live_server(preview, host, int(port), mount_path)
        watch(server, [root / p for p in ("content", "site_config", "theme", "mkdocs.yml")])
        worker = threading.Thread(target=preview.background, name="catch-up", daemon=True)
        worker.start()
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            preview.stopping = True
            preview.wake.set()
            server.shutdown()
            worker.join(timeout=10)
