"""Every page of the site, made by this process and forked children together: what the
renderer gets from this stage (SitePlan)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from digest.config import SiteConfig
from digest.enrich.related import related_papers
from digest.model import Paper
from digest.site.model import SiteModel, Texts
from digest.site.routes import NOT_IN_NAV, PAPER, paper_source, route
from digest.site.views import ViewCache
from digest.util import processes as parallel


@dataclass
class SitePlan:
    """What the renderer needs besides the pages: the nav and the pages kept out of it."""

    docs_dir: Path
    nav: list = field(default_factory=list)
    not_in_nav: str = NOT_IN_NAV
    newest: dt.date | None = None
    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    """The other generated files (feeds, BibTeX files, the data export) by path in the
    site: the bytes published, as a file need not be text (the data export is gzip)."""
    paper_order: list[str] = field(default_factory=list)
    """The paper pages' sources, oldest first (by date, then slug): the order MkDocs
    renders them in, which cuts the search index into shards (digest.render.search_index)."""


class _NotYet(Mapping[str, Sequence[str]]):
    """Related papers still being worked out: no listing page may show them."""

    def __getitem__(self, slug: str) -> Sequence[str]:
        raise RuntimeError("related papers were asked for before they were worked out")

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("related papers were asked for before they were worked out")

    def __len__(self) -> int:
        raise RuntimeError("related papers were asked for before they were worked out")


READER_FILES = "(feeds, BibTeX files and the data export)"


def make_site(papers: list[Paper], config: SiteConfig,
              related: Mapping[str, Sequence[str]] | None = None,
              texts: Texts | None = None, views: ViewCache | None = None,
              ) -> tuple[SiteModel, dict[str, str], dict[str, bytes]]:
    """The site model, every page's Markdown text by source path (in the order the site
    lists them), and the reader files' bytes (feeds, BibTeX files, the data export).

    ``related`` maps each slug to its related papers' slugs (digest.enrich.related), computed
    here when not given: in a forked child (digest.util.processes) while this process
    makes the paper views and listing pages, which do not show them. The paper pages, the
    reader files and the listing pages not made by then are shared between this
    process and forked children. With ``texts``, a paper page made from the same
    inputs before is taken from there instead of being generated again. ``texts`` and
    ``views`` (`digest serve`'s, kept between plans) are used in this process only, so
    with either every listing page is made here: their entries are read from and kept
    in them.
    """
    later = None
    if related is None:
        later = parallel.Background(lambda: related_papers(papers),
                                    parallel.enabled(len(papers)))
    try:
        model = SiteModel(papers, config, related if later is None else _NotYet(),
                          cache=views, texts=texts)
        sources = model.sources()
        pages: dict[str, str] = {}
        for src in sources:
            if route(src).kind == PAPER:
                continue
            if texts is None and views is None and later is not None and later.ready():
                break  # the other listing pages are shared with a child, as paper pages
            pages[src] = model.page(src)
        if later is not None:
            model.related = later.result()
    except BaseException:
        if later is not None:
            later.cancel()
        raise
    todo: list[str] = []
    fingerprints: dict[str, str] = {}
    for src in sources:
        if src in pages:
            continue
        if texts is not None and route(src).kind == PAPER:
            fingerprints[src] = fingerprint = model.fingerprint(src) or ""
            text = texts.text(src, fingerprint)
            if text is not None:
                pages[src] = text
                continue
        todo.append(src)
    # The reader files first: the largest item, best not left for last.
    made = parallel.shared_map(
        lambda src: model.reader_files() if src == READER_FILES else model.page(src),
        [READER_FILES, *todo], parallel.enabled(len(todo)))
    for src, text in zip(todo, made[1:], strict=True):
        pages[src] = text
        if texts is not None:
            texts.keep_text(src, fingerprints[src], text)
    return model, {src: pages[src] for src in sources}, made[0]


def plan_pages(papers: list[Paper], config: SiteConfig, docs_dir: Path,
               related: Mapping[str, Sequence[str]] | None = None,
               texts: Texts | None = None) -> SitePlan:
    """Every page of the site as {source path: Markdown text}, the reader files, and
    the nav (make_site says how ``related`` and ``texts`` are used)."""
    model, pages, reader_files = make_site(papers, config, related, texts)
    order = [paper_source(v.paper.slug)
             for v in sorted(model.views, key=lambda v: (v.paper.date, v.paper.slug))]
    return SitePlan(docs_dir=docs_dir, nav=model.nav, newest=model.newest, pages=pages,
                    files=reader_files, paper_order=order)
