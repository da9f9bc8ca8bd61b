"""The whole pipeline: read → validate → tag → related papers → generate pages → render → index.

:func:`build_site` runs it as named steps: read and validate, generate pages, render and
index, finish the index, save the cache. Related papers and the pages are worked out side
by side on two cores (digest.util.processes); MkDocs renders while Pagefind indexes.

The site is built next to the target directory and swapped in only when every
stage succeeded, so a failed build leaves the previous ``site/`` as it was.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from digest.config import SiteConfig, load_config
from digest.content.load import Content, load_content
from digest.errors import DigestError
from digest.model import Paper, Problem
from digest.render.cache import BuildCache, project_key
from digest.render.pages import PageStore
from digest.render.renderer import RenderOptions, mkdocs_options, render
from digest.render.search_index import StreamingIndex
from digest.site import citations
from digest.site.plan import SitePlan, plan_pages
from digest.util.memory import no_cycle_collection, release


@dataclass
class BuildResult:
    site_dir: Path
    papers: int
    pages_indexed: int
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class _Held:
    """What a build holds from one step to the next, and where it lets go of it.

    A build of 50,000 papers that kept every stage's data to the end would hold its
    papers, its site model and two copies of its pages at once; each step's input is
    freed instead as soon as the next step has what it needs. These methods are the
    build's memory releases, all of them, in the order they happen.
    """

    def __init__(self, papers: list[Paper]) -> None:
        self.papers: list[Paper] | None = papers
        self.plan: SitePlan | None = None

    def free_site_model(self) -> None:
        """Once the pages are generated: the site model that made them is done with."""
        release(collect=True)

    def free_papers_before_render(self) -> None:
        """Before MkDocs renders: everything the papers say is in the pages now."""
        self.papers = None
        release()

    def hand_pages_to_renderer(self) -> PageStore:
        """The pages and files go to a store that drops each once it is written: the
        plan keeps none, so the build holds one copy of them, shrinking as MkDocs renders."""
        store = PageStore(self.plan.pages, consume_once=True, files=self.plan.files)
        self.plan = dataclasses.replace(self.plan, pages={}, files={})
        return store

    def free_plan_before_index(self) -> None:
        """Once the pages are written: the plan, freed while Pagefind writes."""
        self.plan = None
        release(collect=True)


def validated_content(config: SiteConfig) -> Content:
    """All papers, or a DigestError listing every error (warnings do not stop a build)."""
    content = load_content(config)
    if content.errors:
        raise DigestError(f"{len(content.errors)} problem(s) in content/; nothing was published",
                          content.errors)
    return content


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` with two renames: never a half-written site."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build_site(root: Path, site_dir: Path | None = None,
               progress: Callable[[str], None] = lambda _: None,
               cache_dir: Path | None = None) -> BuildResult:
    """Build the deployable site from ``root`` (the project) into ``site_dir``.

    With ``cache_dir`` (digest.render.cache), pages the previous build rendered from the same
    text are taken from there, and the cache is then replaced by this build's pages:
    the site is byte-identical to a build without it.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now
        progress(f"{stage}: {timings[stage]:.2f} s")

    with no_cycle_collection():
        config = load_config(root)
        content = validated_content(config)
    lap("read and validate")
    warnings = [p for p in content.problems if not p.is_error]
    warnings += citations.key_clashes(content.papers)
    papers = len(content.papers)
    held = _Held(content.papers)
    del content  # ``held`` alone keeps the papers, to free them before MkDocs renders
    site_dir = (site_dir or root / "site").resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{site_dir.name}.", dir=site_dir.parent) as tmp:
        cache = _open_cache(cache_dir, root) if cache_dir else None
        if cache is not None and cache.note:
            progress(cache.note)
        try:
            built, indexed = _make(config, held, Path(tmp), cache, progress, lap)
        except BaseException:
            if cache is not None:
                cache.discard()
            raise
        _swap_in(built, site_dir)
    return BuildResult(site_dir, papers, indexed, warnings, timings)


def _open_cache(folder: Path, root: Path) -> BuildCache:
    try:
        return BuildCache(folder, project_key(root))
    except OSError as exc:
        problem = Problem(str(folder), None, "--cache", f"{exc.strerror or exc}: pass a "
                          "folder digest can create and write to")
        raise DigestError("the build cache folder cannot be used; nothing was built",
                          [problem]) from None


def _make(config: SiteConfig, held: _Held, staging: Path, cache: BuildCache | None,
          progress: Callable[[str], None], lap: Callable[[str], None]) -> tuple[Path, int]:
    """Generate, render and index into ``staging/site``; keep the cache's new entries."""
    papers = len(held.papers)
    with no_cycle_collection():
        _generate_pages(config, held, staging, cache)  # collects once, at its end
    lap("generate pages")
    held.free_papers_before_render()
    built = staging / "site"
    streaming = _render_and_index(config, held, built, cache, progress)
    lap("render (MkDocs) and index (Pagefind), side by side")
    held.free_plan_before_index()
    indexed = _finish_index(streaming, papers, progress)
    lap("finish the search index")
    if cache is not None:
        _save_cache(cache, streaming, built, progress)
        lap("save the build cache")
    return built, indexed


def _generate_pages(config: SiteConfig, held: _Held, staging: Path,
                    cache: BuildCache | None) -> None:
    """The pages' texts, into ``held.plan``. Related papers are worked out meanwhile
    (digest.site.plan.plan_pages), on another core."""
    held.plan = plan_pages(held.papers, config, staging / "docs", texts=cache)
    held.plan.docs_dir.mkdir()  # empty: MkDocs takes the pages from memory
    if cache is not None:
        cache.set_render_options({k: v for k, v in mkdocs_options(config, held.plan).items()
                                  if k != "docs_dir"})
    held.free_site_model()


def last_shard_pages(streaming: StreamingIndex) -> list[str]:
    """The paper pages of the search index's last shard, whose files MkDocs writes once
    every page is rendered, beside Pagefind's last write (digest.render.renderer)."""
    return [url.removesuffix("/") + ".md" for url in (streaming.shards or [[]])[-1]]


def _render_and_index(config: SiteConfig, held: _Held, built: Path,
                      cache: BuildCache | None,
                      progress: Callable[[str], None]) -> StreamingIndex:
    """Render the pages into ``built``; Pagefind indexes each as it is written.

    The paper pages' URLs in render order are the search index's shards: MkDocs renders
    them first, and the last shard is written while it renders the other pages.
    """
    pages = held.hand_pages_to_renderer()
    streaming = StreamingIndex(built, [src.removesuffix(".md") + "/"
                                       for src in held.plan.paper_order],
                               reuse=cache.bundle if cache is not None else None)
    options = RenderOptions(pages=pages, on_page=streaming.add, cache=cache,
                            write_later=last_shard_pages(streaming))
    try:
        render(config, held.plan, built, options)
    except BaseException:
        streaming.abort()
        raise
    if cache is not None:
        count = sum(1 for src in pages if src.endswith(".md"))
        progress(f"build cache: {cache.hits} of {count} pages reused; {cache.text_hits} "
                 "paper pages and listing entries not generated again")
    return streaming


def _finish_index(streaming: StreamingIndex, papers: int,
                  progress: Callable[[str], None]) -> int:
    """Wait for Pagefind's last write; the number of pages indexed."""
    indexed = streaming.finish(expected_pages=papers)
    if streaming.reused:
        progress("build cache: search index reused (no indexed page changed)")
    return indexed


def _save_cache(cache: BuildCache, streaming: StreamingIndex, built: Path,
                progress: Callable[[str], None]) -> None:
    """Keep this build's pages and search index for the next build."""
    cache.keep_bundle(streaming.pages_digest, built, streaming.bundle_names)
    try:
        cache.save()
    except OSError as exc:  # the site is fine; the next build renders every page
        progress(f"warning: the build cache could not be saved: {exc}")
