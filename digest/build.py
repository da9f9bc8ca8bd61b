"""The whole pipeline: read → validate → tag → related papers → generate pages → render → index.

Related papers and the pages are worked out side by side on two cores (digest.util.processes_build).

The site is built next to the target directory and swapped in only when every
stage succeeded, so a failed build leaves the previous ``site/`` as it was.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from digest.config import SiteConfig, load_config
from digest.content.load import Content, load_content
from digest.errors import DigestError
from digest.model import Problem
from digest.render.cache import BuildCache, project_key
from digest.render.renderer import mkdocs_options, render
from digest.render.search_index import StreamingIndex
from digest.site.plan import plan_pages
from digest.util.memory import release


@dataclass
class BuildResult:
    site_dir: Path
    papers: int
    pages_indexed: int
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


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

    config = load_config(root)
    content = validated_content(config)
    lap("read and validate")
    site_dir = (site_dir or root / "site").resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    papers = len(content.papers)
    with tempfile.TemporaryDirectory(prefix=f".{site_dir.name}.", dir=site_dir.parent) as tmp:
        cache = _open_cache(cache_dir, root) if cache_dir else None
        if cache is not None and cache.note:
            progress(cache.note)
        try:
            built, indexed = _make(config, content, Path(tmp), cache, progress, lap)
        except BaseException:
            if cache is not None:
                cache.discard()
            raise
        _swap_in(built, site_dir)
    return BuildResult(site_dir, papers, indexed,
                       [p for p in content.problems if not p.is_error], timings)


def _open_cache(folder: Path, root: Path) -> BuildCache:
    try:
        return BuildCache(folder, project_key(root))
    except OSError as exc:
        problem = Problem(str(folder), None, "--cache", f"{exc.strerror or exc}: pass a "
                          "folder digest can create and write to")
        raise DigestError("the build cache folder cannot be used; nothing was built",
                          [problem]) from None


def last_shard_pages(streaming: StreamingIndex) -> list[str]:
    """The paper pages of the search index's last shard, whose files MkDocs writes once
    every page is rendered, beside Pagefind's last write (digest.render.renderer)."""
    return [url.removesuffix("/") + ".md" for url in (streaming.shards or [[]])[-1]]


def _make(config: SiteConfig, content: Content, staging: Path,
          cache: BuildCache | None, progress: Callable[[str], None],
          lap: Callable[[str], None]) -> tuple[Path, int]:
    """Generate, render and index into ``staging/site``; keep the cache's new entries.

    Related papers are worked out while the pages are generated (digest.site.plan.
    plan_pages), on another core.
    """
    plan = plan_pages(content.papers, config, staging / "docs", texts=cache)
    plan.docs_dir.mkdir()  # empty: MkDocs takes the pages from memory
    if cache is not None:
        cache.set_render_options({k: v for k, v in mkdocs_options(config, plan).items()
                                  if k != "docs_dir"})
    release(collect=True)  # the site model, done with
    lap("generate pages")
    papers = len(content.papers)
    del content.papers[:]  # in the pages now: free them before MkDocs renders
    release()
    built = staging / "site"
    # The paper pages' URLs in render order: the search index's shards. MkDocs renders
    # them first; the last shard is written while it renders the other pages.
    streaming = StreamingIndex(built, [src.removesuffix(".md") + "/"
                                       for src in plan.paper_order],
                               reuse=cache.bundle if cache is not None else None)
    try:
        render(config, plan, built, on_page=streaming.add, in_memory=True, cache=cache,
               release=True, write_later=last_shard_pages(streaming))
    except BaseException:
        streaming.abort()
        raise
    if cache is not None:
        pages = sum(1 for src in plan.pages if src.endswith(".md"))
        progress(f"build cache: {cache.hits} of {pages} pages reused; {cache.text_hits} "
                 "paper pages and listing entries not generated again")
    lap("render (MkDocs) and index (Pagefind), side by side")
    del plan  # written: free it while Pagefind writes
    release(collect=True)
    indexed = streaming.finish(expected_pages=papers)
    if streaming.reused:
        progress("build cache: search index reused (no indexed page changed)")
    lap("finish the search index")
    if cache is not None:
        cache.keep_bundle(streaming.pages_digest, built, streaming.bundle_names)
        try:
            cache.save()
        except OSError as exc:  # the site is fine; the next build renders every page
            progress(f"warning: the build cache could not be saved: {exc}")
        lap("save the build cache")
    return built, indexed
