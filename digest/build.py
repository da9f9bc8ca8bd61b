"""The whole pipeline: read → validate → tag → related papers → generate pages → render → index.

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
from digest.content import Content, load_content
from digest.errors import DigestError
from digest.generate import plan_pages
from digest.memory import release
from digest.model import Problem
from digest.related import related_papers
from digest.render import render
from digest.search_index import StreamingIndex


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
               progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build the deployable site from ``root`` (the project) into ``site_dir``."""
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
    related = related_papers(content.papers)
    release()  # the comparisons' scratch memory
    lap("related papers")
    site_dir = (site_dir or root / "site").resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{site_dir.name}.", dir=site_dir.parent) as tmp:
        staging = Path(tmp)
        plan = plan_pages(content.papers, config, staging / "docs", related)
        plan.docs_dir.mkdir()  # empty: MkDocs takes the pages from memory
        release(collect=True)  # the site model, done with
        lap("generate pages")
        built = staging / "site"
        # The paper pages' URLs in render order: the search index's shards.
        streaming = StreamingIndex(built, [src.removesuffix(".md") + "/"
                                           for src in plan.paper_order])
        try:
            render(config, plan, built, on_page=streaming.add, in_memory=True, release=True)
        except BaseException:
            streaming.abort()
            raise
        lap("render (MkDocs) and index (Pagefind), side by side")
        papers = len(content.papers)
        del plan, related, content.papers[:]  # written: free them while Pagefind writes
        release(collect=True)
        indexed = streaming.finish(expected_pages=papers)
        lap("finish the search index")
        _swap_in(built, site_dir)
    return BuildResult(site_dir, papers, indexed,
                       [p for p in content.problems if not p.is_error], timings)
