"""The site as a model: the papers indexed by topic, edition and tag, and every page made
from them one at a time.

Every page body is HTML from a Jinja template with autoescaping on, so no field of a
paper reaches a page unescaped; MkDocs passes such HTML blocks through untouched and
only adds the theme around them. Page metadata that the theme prints raw (title,
description) is escaped too (digest.site.front_matter). This stage knows nothing about
MkDocs beyond its page format, so another renderer could consume the same output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import NamedTuple, Protocol

from markupsafe import Markup

from digest.config import FALLBACK_TOPIC, SiteConfig, SiteSettings
from digest.enrich.related import related_papers
from digest.model import Paper, Topic
from digest.site import charts, citations, csl, export, feeds, highwire, listings
from digest.site.front_matter import front_matter
from digest.site.jinja import ENV, long_date
from digest.site.pages import OwnPage, load_pages
from digest.site.routes import (
    EDITION,
    OWN,
    PAPER,
    TAG,
    TOPIC,
    Route,
    page_source,
    page_url,
    paper_source,
    relative_url,
    route,
    search_url,
    tag_slug,
    topic_source,
    topic_url,
)
from digest.site.views import PaperView, ViewCache, recent_band
from digest.text.markup import plain_text


class Texts(Protocol):
    """Paper pages generated before, by fingerprint (digest.render.cache.BuildCache); a text
    it answers with is kept for the next build too."""

    def text(self, src: str, fingerprint: str) -> str | None: ...

    def keep_text(self, src: str, fingerprint: str, text: str) -> None: ...


class TagEntry(NamedTuple):
    """A tag on the tags index: its name, its page and how many papers it has."""

    name: str
    url: str
    count: int


def _tag_names(views: list[PaperView]) -> tuple[dict[str, list[PaperView]], dict[str, str]]:
    """Papers by tag slug, newest first, and each slug's name: tags spelled alike ("LLM",
    "llm") are one tag, named as most papers spell it."""
    by_tag: dict[str, list[PaperView]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for view in views:
        seen: set[str] = set()
        for tag in view.paper.tags:
            slug = tag_slug(tag)
            spellings[slug][tag] += 1
            if slug not in seen:
                seen.add(slug)
                by_tag[slug].append(view)
    names = {slug: min(counts, key=lambda t: (-counts[t], t))
             for slug, counts in spellings.items()}
    return by_tag, names


class _Templates:
    def __init__(self, config: SiteConfig) -> None:
        self.config = config

    def render(self, template: str, url: str, **context: object) -> str:
        """``template`` for the page at ``url``, its links relative to that page."""
        def url_for(target: str) -> str:
            return relative_url(url, target)

        return ENV.get_template(template).render(url=url_for, site=self.config.site,
                                                 **context)

    def page(self, where: Route, template: str, meta: dict[str, object],
             **context: object) -> str:
        return front_matter(meta) + self.render(template, where.url, **context)


def _topic_chart(topic: Topic, items: list[PaperView], topics: list[Topic],
                 counts: dict[str, int]) -> charts.Chart:
    """Papers per edition when the topic spans several; else where it stands among topics."""
    per_edition: dict[dt.date, int] = defaultdict(int)
    for view in items:
        per_edition[view.paper.date] += 1
    if len(per_edition) > 1:
        return charts.papers_per_edition(per_edition, f"Papers per edition in {topic.title}")
    return charts.papers_per_topic(topics, counts, current=topic.slug)


def _reader_files(views: list[PaperView], topics: list[Topic],
                  by_topic: dict[str, list[PaperView]], site: SiteSettings,
                  keys: Mapping[str, str], bibtex: Mapping[str, str],
                  related: Mapping[str, Sequence[str]],
                  by_edition: Mapping[dt.date, Sequence[PaperView]]) -> dict[str, bytes]:
    """Feeds, BibTeX files, papers.json.gz and papers.csl.json.gz, as the bytes published:
    files MkDocs copies as they are (text as UTF-8; the two data exports are gzip)."""
    texts = {
        feeds.feed_path(): feeds.atom_feed(views, site, title=site.name,
                                           subtitle=site.description,
                                           path=feeds.feed_path(), page=page_url("home")),
        feeds.EDITIONS_PATH: feeds.editions_feed(by_edition, site),
        citations.BIB_PATH: citations.bibliography([bibtex[v.paper.slug] for v in views]),
        export.SCHEMA_PATH: export.papers_schema(site),
    }
    for topic in topics:
        items = by_topic[topic.slug]
        texts[feeds.feed_path(topic.slug)] = feeds.atom_feed(
            items, site, title=f"{site.name}: {topic.title}", subtitle=topic.description,
            path=feeds.feed_path(topic.slug), page=topic_url(topic.slug))
        texts[citations.bib_path(topic.slug)] = citations.bibliography(
            [bibtex[v.paper.slug] for v in items])
    files = {path: texts.pop(path).encode("utf-8") for path in list(texts)}  # one copy each
    files[csl.CSL_PATH] = export.gzipped(csl.csl_json(
        [(v.paper, v.title_text) for v in views], keys))
    abstracts = {v.paper.slug: plain_text(v.abstract_html) for v in views}
    files[export.DATA_PATH] = export.papers_json(
        views, site, [(t, len(by_topic[t.slug]), topic_url(t.slug), feeds.feed_path(t.slug),
                       citations.bib_path(t.slug)) for t in topics], keys, related, abstracts)
    return files


class SiteModel:
    """Every page of the site, indexed once and rendered one at a time.

    ``page(src)`` is the Markdown text of one page; ``signature(src)`` is a cheap value
    that differs whenever that text would (the views, entries and listings it is made
    from), so `digest serve` re-renders only the pages a save changed.
    """

    def __init__(self, papers: list[Paper], config: SiteConfig,
                 related: Mapping[str, Sequence[str]] | None = None,
                 cache: ViewCache | None = None, texts: Texts | None = None) -> None:
        self.cache = cache = cache or ViewCache()
        topic_of = {t.slug: t for t in config.topics}
        ordered = sorted(papers, key=lambda p: (-p.date.toordinal(), p.slug))
        self.config = config
        self.site = site = config.site
        self.views = views = [cache.view(p, tuple(topic_of[s] for s in p.topics), config)
                              for p in ordered]
        self.related = related_papers(papers) if related is None else related
        self.by_slug = {view.paper.slug: view for view in views}
        self.rank = {view.paper.slug: rank for rank, view in enumerate(views)}
        self.keys = keys = citations.bibtex_keys(papers)
        self.bibtex = {v.paper.slug: cache.entry(v.paper, keys[v.paper.slug],
                                                 feeds.absolute_url(site, v.url))
                       for v in views}
        by_topic: dict[str, list[PaperView]] = defaultdict(list)
        by_edition: dict[dt.date, list[PaperView]] = defaultdict(list)
        for view in views:
            for topic in view.topics:
                by_topic[topic.slug].append(view)
            by_edition[view.paper.date].append(view)
        self.by_topic, self.by_edition = by_topic, by_edition
        self.by_tag, self.tag_names = _tag_names(views)  # by tag slug
        topics = [t for t in config.topics if by_topic.get(t.slug)]
        topics.sort(key=lambda t: t.slug == FALLBACK_TOPIC)  # stable: "other" last
        self.topics = topics
        self.editions = sorted(by_edition, reverse=True)
        self.tags = sorted(self.by_tag, key=lambda t: (self.tag_names[t].casefold(),
                                                       self.tag_names[t], t))
        self.page_size, self.index_size = listings.page_size(), listings.index_page_size()
        self.compact_size = listings.compact_page_size()
        self.newest = self.editions[0] if self.editions else None
        self.topic_counts = {slug: len(items) for slug, items in by_topic.items()}
        self._templates = _Templates(config)
        self._prints: dict[str, str] = {}
        self.texts = texts
        self.own = {page.name: page for page in load_pages(config.root)}
        self.nav = [
            {"Home": page_source("home")},
            {"Topics": [page_source("topics"),
                        *[{t.title: topic_source(t.slug)} for t in topics]]},
            {"Editions": page_source("editions")},
            {"Tags": page_source("tags")},
            {"Search": page_source("search")},
            {"Saved": page_source("saved")},
            *[{page.title: Route(OWN, page.name).src} for page in self.own.values()],
        ]

    def _items(self, where: Route) -> Sequence[object]:
        """Everything a paginated listing lists, on all of its pages."""
        if where.kind == TOPIC:
            return self.by_topic[where.key]
        if where.kind == EDITION:
            return self.by_edition[where.date]
        if where.kind == TAG:
            return self.by_tag[where.key]
        return self.editions if where.kind == "editions" else self.tags

    def _size(self, where: Route) -> int:
        if where.kind == TAG:
            return self.compact_size
        return self.index_size if where.kind in ("editions", "tags") else self.page_size

    def _pages(self, first: Route) -> list[str]:
        """The sources of every page of the listing whose first page is ``first``."""
        count = listings.page_count(len(self._items(first)), self._size(first))
        return [first.at(n).src for n in range(1, count + 1)]

    def sources(self) -> list[str]:
        """Every page's source path, in the order the site lists them."""
        return [page_source("home"), page_source("topics"),
                *[s for t in self.topics for s in self._pages(Route(TOPIC, t.slug))],
                *self._pages(Route("editions")),
                *[s for d in self.editions
                  for s in self._pages(Route(EDITION, d.isoformat()))],
                *self._pages(Route("tags")),
                *[s for t in self.tags for s in self._pages(Route(TAG, t))],
                *[paper_source(v.paper.slug) for v in self.views], page_source("search"),
                page_source("saved"), *[Route(OWN, name).src for name in self.own]]

    def _pager(self, where: Route) -> listings.Pager:
        search = None
        if where.kind == TOPIC:
            search = search_url(topic=self._topic(where.key).title, sort="newest")
        elif where.kind == TAG:
            search = search_url(tag=self.tag_names[where.key], sort="newest")
        return listings.pager(where, len(self._items(where)), self._size(where), search)

    def _on_page(self, where: Route) -> Sequence[object]:
        """The entries on the page ``where`` of its listing."""
        return listings.page_items(self._items(where), where.page, self._size(where))

    @staticmethod
    def _paged_title(title: str, pager: listings.Pager) -> str:
        return f"{title} (page {pager.number} of {pager.count})" if pager.paged else title

    def _newest_of(self, items: list[PaperView]) -> str | None:
        return items[0].paper.date.isoformat() if items else None

    def _topic(self, slug: str) -> Topic:
        return next(t for t in self.topics if t.slug == slug)

    def _listing(self, url: str, items: list[PaperView], show_date: bool,
                 compact: bool = False) -> Markup:
        """The entries of a paper listing on the page at ``url``, each rendered once;
        ``compact``: title, first authors and date only (_item.html)."""
        def render(v: PaperView) -> str:
            return self._templates.render("_item.html", url, view=v, show_date=show_date,
                                          compact=compact)

        def make(v: PaperView) -> str:
            if self.texts is None:
                return render(v)
            # An entry shows its paper (the view) as seen from the page at ``url``.
            key = f"item:{url}"
            fingerprint = repr((self.site, show_date, compact, self._print(v)))
            text = self.texts.text(key, fingerprint)
            if text is None:
                text = render(v)
                self.texts.keep_text(key, fingerprint, text)
            return text

        return Markup("".join(
            self.cache.fragment(("item", v.paper.slug, url, show_date, compact), v,
                                lambda v=v: make(v))
            for v in items))

    def _related(self, slug: str) -> list[PaperView]:
        return [self.by_slug[s] for s in self.related.get(slug, ())]

    def signature(self, src: str) -> tuple[object, ...]:
        """What the page ``src`` is made from: equal signatures, equal pages."""
        where = route(src)
        common = (self.site, self._newest_of(self.views))
        if where.kind == PAPER:
            slug = where.key
            return (*common, self.by_slug[slug], self.bibtex[slug],
                    tuple(self._related(slug)), recent_band(self.rank[slug]))
        if where.kind in (TOPIC, EDITION, TAG, "editions", "tags"):
            listed = (*common, where, self._pager(where), tuple(self._on_page(where)))
            if where.kind == TOPIC:
                topic, items = self._topic(where.key), self.by_topic[where.key]
                return (*listed, topic, where.page == 1 and
                        _topic_chart(topic, items, self.topics, self.topic_counts))
            if where.kind == EDITION:
                return (*listed, self._neighbours(where.date))
            if where.kind == TAG:
                return (*listed, self.tag_names[where.key])
            if where.kind == "tags":
                return (*listed, tuple(self._tag_entry(t) for t in self._on_page(where)))
            return (*listed, tuple(len(self.by_edition[d]) for d in self._on_page(where)))
        if where.kind == OWN:
            return (*common, self.own[where.key], len(self.views), len(self.topics),
                    len(self.editions))
        counts = tuple((t, self.topic_counts[t.slug]) for t in self.topics)
        editions = tuple((d, len(self.by_edition[d])) for d in self.editions)
        if where.kind == "home":
            latest = tuple(self.by_edition[self.newest]) if self.newest else ()
            return (*common, len(self.views), counts, editions, latest)
        return (*common, src, len(self.views), counts, editions)

    def _print(self, view: PaperView) -> str:
        """A digest of what a view is made from (ViewCache.view's key), stable across
        processes: the paper record, its topics' slugs and titles."""
        slug = view.paper.slug
        found = self._prints.get(slug)
        if found is None:
            made = repr((view.paper, tuple((t.slug, t.title) for t in view.topics)))
            found = self._prints[slug] = hashlib.blake2b(
                made.encode("utf-8"), digest_size=16).hexdigest()
        return found

    def fingerprint(self, src: str) -> str | None:
        """What a paper page is made from (its signature, less the newest date, which a
        paper page does not show), as a string that is the same in every process, for
        digest.render.cache; None for other pages, which are always generated."""
        where = route(src)
        if where.kind != PAPER:
            return None
        slug = where.key
        return repr((self.site, self._print(self.by_slug[slug]), self.bibtex[slug],
                     [self._print(v) for v in self._related(slug)],
                     recent_band(self.rank[slug])))

    def page(self, src: str) -> str:
        """The Markdown text of the page ``src``."""
        where = route(src)
        if where.kind == PAPER:
            return self._paper(self.by_slug[where.key])
        if where.kind == TOPIC:
            return self._topic_page(where)
        if where.kind == EDITION:
            return self._edition(where)
        if where.kind == TAG:
            return self._tag(where)
        if where.kind == OWN:
            return self._own_page(self.own[where.key])
        if where.kind == "editions":
            return self._edition_index(where)
        if where.kind == "tags":
            return self._tag_index(where)
        return {"home": self._home, "topics": self._topic_index,
                "search": self._search, "saved": self._saved}[where.kind]()

    def reader_files(self) -> dict[str, bytes]:
        """Feeds, BibTeX files and the data export, by path in the site."""
        return _reader_files(self.views, self.topics, self.by_topic, self.site, self.keys,
                             self.bibtex, self.related, self.by_edition)

    def _home(self) -> str:
        site, newest, editions = self.site, self.newest, self.editions
        return self._templates.page(
            Route("home"), "home.html",
            {"title": site.name, "description": site.description,
             "date": newest.isoformat() if newest else None},
            topics=self.topics, by_topic=self.by_topic, papers=self.views,
            latest=self.by_edition[newest] if newest else [], latest_date=newest,
            listing=self._listing(page_url("home"), list(listings.page_items(
                self.by_edition[newest], 1, self.page_size)) if newest else [], False),
            editions=editions, feed=feeds.feed_path(), bib=citations.BIB_PATH,
            editions_feed=feeds.EDITIONS_PATH, data=export.DATA_PATH,
            topic_chart=charts.papers_per_topic(self.topics, self.topic_counts),
            edition_chart=charts.papers_per_edition(
                {d: len(self.by_edition[d]) for d in editions}, "Papers per edition")
            if len(editions) > 1 else None)

    def _topic_index(self) -> str:
        return self._templates.page(
            Route("topics"), "topics.html",
            {"title": "Topics", "description": f"Browse {len(self.views)} papers by topic.",
             "date": self._newest_of(self.views)},
            topics=self.topics, by_topic=self.by_topic)

    def _topic_page(self, where: Route) -> str:
        site, topic = self.site, self._topic(where.key)
        items, pager = self.by_topic[topic.slug], self._pager(where)
        on_page = list(self._on_page(where))
        return self._templates.page(
            where, "topic.html",
            {"title": self._paged_title(topic.title, pager), "description": topic.description,
             "date": self._newest_of(items), "feed": feeds.feed_path(topic.slug),
             "feed_title": f"{site.name}: {topic.title}"},
            topic=topic, pager=pager, feed=feeds.feed_path(topic.slug),
            listing=self._listing(where.url, on_page, True, compact=where.page > 1),
            compact=where.page > 1,
            bib=citations.bib_path(topic.slug),
            chart=_topic_chart(topic, items, self.topics, self.topic_counts)
            if where.page == 1 else None)

    def _tag_entry(self, slug: str) -> TagEntry:
        return TagEntry(self.tag_names[slug], Route(TAG, slug).url, len(self.by_tag[slug]))

    def _tag_index(self, where: Route) -> str:
        pager = self._pager(where)
        return self._templates.page(
            where, "tags.html",
            {"title": self._paged_title("Tags", pager),
             "description": "Every tag, with how many papers it has.",
             "date": self._newest_of(self.views)},
            pager=pager, tags=[self._tag_entry(t) for t in self._on_page(where)])

    def _tag(self, where: Route) -> str:
        name, pager = self.tag_names[where.key], self._pager(where)
        items = self.by_tag[where.key]
        return self._templates.page(
            where, "tag.html",
            {"title": self._paged_title(f"Tag: {name}", pager),
             "description": f"{len(items)} papers tagged {name}, newest first.",
             "date": self._newest_of(items)},
            name=name, pager=pager,
            listing=self._listing(where.url, list(self._on_page(where)), True, compact=True))

    def _edition_index(self, where: Route) -> str:
        pager = self._pager(where)
        return self._templates.page(
            where, "editions.html",
            {"title": self._paged_title("Editions", pager),
             "description": "Every edition of the digest, newest first.",
             "date": self._newest_of(self.views)},
            editions=self._on_page(where), by_edition=self.by_edition, pager=pager)

    def _neighbours(self, date: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The editions just older and just newer than ``date``, for its page's links."""
        index = self.editions.index(date)  # newest first
        return (self.editions[index + 1] if index + 1 < len(self.editions) else None,
                self.editions[index - 1] if index else None)

    def _edition(self, where: Route) -> str:
        date, pager = where.date, self._pager(where)
        items = self.by_edition[date]
        older, newer = self._neighbours(date)
        return self._templates.page(
            where, "edition.html",
            {"title": self._paged_title(f"Edition of {long_date(date)}", pager),
             "description": f"{len(items)} papers added on {long_date(date)}.",
             "date": date.isoformat()},
            date=date, pager=pager, editions_feed=feeds.EDITIONS_PATH,
            newer=newer, older=older,
            listing=self._listing(where.url, list(self._on_page(where)), False))

    def _paper(self, view: PaperView) -> str:
        p = view.paper
        return self._templates.page(
            Route(PAPER, p.slug), "paper.html",
            {"title": view.title_text, "description": view.excerpt,
             "date": p.date.isoformat(), "og_type": "article",
             "citation": highwire.citation_meta(view.paper, view.title_text)},
            view=view, paper=p, bibtex=self.bibtex[p.slug], related=self._related(p.slug),
            recent_band=recent_band(self.rank[p.slug]))

    def _search(self) -> str:
        return self._templates.page(
            Route("search"), "search.html",
            {"title": "Search", "description": f"Search {len(self.views)} papers.",
             "date": self._newest_of(self.views),
             "hide": ["navigation", "toc"]},  # room for facets
            topics=self.topics)

    def _saved(self) -> str:
        return self._templates.page(
            Route("saved"), "saved.html",
            {"title": "Saved papers", "description": "The papers you saved, in this browser.",
             "date": self._newest_of(self.views)})

    def _own_page(self, page: OwnPage) -> str:
        return self._templates.page(
            Route(OWN, page.name), "own_page.html",
            {"title": page.title, "description": page.description or self.site.description,
             "date": self._newest_of(self.views)},
            page=page, count=len(self.views), topics=self.topics, editions=self.editions)
