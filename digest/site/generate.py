"""Generate the MkDocs pages (docs dir) from validated papers.

Every page body is HTML from a Jinja template with autoescaping on, so no
field of a paper reaches a page unescaped; MkDocs passes such HTML blocks
through untouched and only adds the theme around them. Page metadata that
the theme prints raw (title, description) is escaped here for the same reason.
This stage knows nothing about MkDocs beyond its page format, so another
renderer could consume the same output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import quote_plus

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from digest.site import charts

from digest.site import citations

from digest.site import export

from digest.site import feeds

from digest.site import highwire

from digest.util import processes as parallel
from digest.config import FALLBACK_TOPIC, SiteConfig, SiteSettings
from digest.text.markup import excerpt, render_abstract
from digest.model import Link, Paper, Topic
from digest.enrich.related import related_papers
from digest.text.slugs import slugify
from digest.text.titles import render_title

ENV = Environment(
    loader=PackageLoader("digest.site", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    # The package's templates do not change while digest runs: without this, Jinja checks
    # a template's file (two stats) at every {% import %}, 16 per paper on a big site.
    auto_reload=False,
)
# A search-page address for one field (search/?author=Ada+Lovelace), as the search page
# reads it back with URLSearchParams.
ENV.filters["query"] = lambda value: quote_plus(str(value))

# Listings name this many authors, then "et al.".
LISTED_AUTHORS = 3


def relative_url(from_url: str, to_url: str) -> str:
    """Link from one directory-style page URL to another ('' is the home page).

    "papers/x/" -> "topics/y/" gives "../../topics/y/"; "papers/x/" -> "" gives "../../".
    Hand-rolled because posixpath.relpath took 2 s of a 5,000-paper build.
    """
    src = from_url.split("/")[:-1]
    *dirs, leaf = to_url.split("/")
    common = 0
    while common < min(len(src), len(dirs)) and src[common] == dirs[common]:
        common += 1
    return "../" * (len(src) - common) + "".join(d + "/" for d in dirs[common:]) + leaf or "./"


def paper_url(slug: str) -> str:
    return f"papers/{slug}/"


def topic_url(slug: str) -> str:
    return f"topics/{slug}/"


def edition_url(date: dt.date) -> str:
    return f"editions/{date.isoformat()}/"


def tag_anchor(tag: str) -> str:
    return "tag-" + slugify(tag)


@dataclass(frozen=True)
class PaperView:
    """A paper with everything its pages show, computed once."""

    paper: Paper
    url: str
    abstract_html: Markup
    excerpt: str
    topics: tuple[Topic, ...]
    edit_url: str
    title_html: Markup  # the title with its formulas as MathML (digest.text.titles)
    title_text: str  # the title as plain text: <title>, meta, feeds, search index

    @property
    def listed_authors(self) -> str:
        """The first authors for listings: "A, B, C et al." beyond LISTED_AUTHORS."""
        authors = self.paper.authors
        if len(authors) > LISTED_AUTHORS:
            return ", ".join(authors[:LISTED_AUTHORS]) + " et al."
        return ", ".join(authors)

    @property
    def category_url(self) -> str | None:
        """arXiv's listing of recent papers in the primary category."""
        category = self.paper.primary_category
        return f"https://arxiv.org/list/{category}/recent" if category else None

    @property
    def upvotes_url(self) -> str | None:
        """The paper's Hugging Face page, where its upvotes come from."""
        return f"https://huggingface.co/papers/{self.paper.arxiv}" if self.paper.arxiv else None

    @property
    def code_links(self) -> tuple[Link, ...]:
        return tuple(link for link in self.paper.links if link.kind == "code")

    @property
    def project_links(self) -> tuple[Link, ...]:
        return tuple(link for link in self.paper.links if link.kind != "code")

    @property
    def arxiv_abs(self) -> str | None:
        return f"https://arxiv.org/abs/{self.paper.arxiv}" if self.paper.arxiv else None

    @property
    def arxiv_pdf(self) -> str | None:
        return f"https://arxiv.org/pdf/{self.paper.arxiv}" if self.paper.arxiv else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.paper.doi}" if self.paper.doi else None

    @property
    def lookup_url(self) -> str:
        """arXiv title search, for papers whose id we do not know."""
        return ("https://arxiv.org/search/?searchtype=title&query="
                + quote_plus(self.paper.title))


# The newest papers carry a "recent" search filter: the size of the band they fall in
# (the newest 32, the next 32, then the next 64, 128, ... up to the newest 1,024). When a
# query matches too many papers for Pagefind to rank them while the reader types, the
# header box shows the newest matches, found through these bands (theme/assets/search.js).
RECENT_BANDS = (32, 64, 128, 256, 512, 1024)


def recent_band(rank: int) -> int | None:
    """The band of the paper that is ``rank``-th newest (0 = newest), or None if older."""
    if rank >= RECENT_BANDS[-1]:
        return None  # most papers, asked for on every save in `digest serve`
    return next((size for size in RECENT_BANDS if rank < size), None)


# Paper and single-edition pages stay out of the nav: MkDocs renders the whole nav into
# every page, so a nav that grows with the papers makes the build quadratic.
NOT_IN_NAV = "/papers/\n/editions/*-*.md\n"


@dataclass
class SitePlan:
    """What the renderer needs besides the pages: the nav and the pages kept out of it."""

    docs_dir: Path
    nav: list = field(default_factory=list)
    not_in_nav: str = NOT_IN_NAV
    newest: dt.date | None = None
    pages: dict[str, str] = field(default_factory=dict)
    paper_order: list[str] = field(default_factory=list)
    """The paper pages' sources, oldest first (by date, then slug): the order MkDocs
    renders them in, which cuts the search index into shards (digest.render.search_index)."""


def _escaped(value: object) -> object:
    """Every text in ``value`` HTML-escaped, inside lists too."""
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, list | tuple):
        return [_escaped(item) for item in value]
    return value


def _front_matter(meta: dict[str, object]) -> str:
    """Page metadata with every text escaped: the theme prints these without escaping.

    Values are written as JSON, which YAML reads as flow scalars, and is much faster
    to emit than YAML for thousands of pages.
    """
    lines = [f"{key}: {json.dumps(_escaped(v), ensure_ascii=False)}" for key, v in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def read_front_matter(text: str) -> tuple[dict[str, object], str]:
    """The metadata and body of a page written by _front_matter, as MkDocs' YAML reader
    would give them (``mkdocs.utils.meta.get_data``), without YAML: each line is JSON.
    Used for the pages handed to MkDocs in memory; text in any other shape raises
    ValueError."""
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    head, sep, body = text[4:].partition("\n---\n")
    if not sep:
        raise ValueError("unterminated front matter")
    meta: dict[str, object] = {}
    for line in head.split("\n"):
        key, sep, value = line.partition(": ")
        if not sep:
            raise ValueError(f"not a front-matter line: {line!r}")
        meta[key] = json.loads(value)
    return meta, body.lstrip("\n")


class _Pages:
    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.pages: dict[str, str] = {}

    def render(self, template: str, url: str, **context: object) -> str:
        """``template`` for the page at ``url``, its links relative to that page."""
        def url_for(target: str) -> str:
            return relative_url(url, target)

        return ENV.get_template(template).render(url=url_for, site=self.config.site,
                                                 **context)

    def add(self, src: str, url: str, template: str, meta: dict[str, object],
            **context: object) -> None:
        self.pages[src] = _front_matter(meta) + self.render(template, url, **context)


def _view(p: Paper, topics: tuple[Topic, ...], config: SiteConfig) -> PaperView:
    return PaperView(
        paper=p,
        url=paper_url(p.slug),
        abstract_html=(html := render_abstract(p.abstract)),
        excerpt=excerpt(html),
        topics=topics,
        edit_url=config.site.edit_url(str(p.path) if p.path else
                                      f"content/papers/{p.slug}.md"),
        title_html=(title := render_title(p.title)).html,
        title_text=title.text,
    )


class ViewCache:
    """Paper views and BibTeX entries kept between plans, so that `digest serve` renders
    the abstract and title of an unchanged paper once (most of planning 10,000 papers).

    A reused view is the same object, so a page whose inputs are unchanged has an
    equal signature (SiteModel.signature) at the cost of identity checks.
    """

    def __init__(self) -> None:
        self.views: dict[str, tuple[tuple[object, ...], PaperView]] = {}
        self.bibtex: dict[str, tuple[tuple[object, ...], str]] = {}
        # Listing entries and tag sections: (what they show, their HTML).
        self.fragments: dict[tuple[object, ...], tuple[object, Markup]] = {}

    def fragment(self, key: tuple[object, ...], inputs: object,
                 make: Callable[[], str]) -> Markup:
        cached = self.fragments.get(key)
        if cached is None or not (cached[0] is inputs or cached[0] == inputs):
            cached = self.fragments[key] = (inputs, Markup(make()))
        return cached[1]

    def view(self, p: Paper, topics: tuple[Topic, ...], config: SiteConfig) -> PaperView:
        # Pages show a topic's slug and title only: a new description keeps the view.
        key = (p, tuple((t.slug, t.title) for t in topics), config.site)
        cached = self.views.get(p.slug)
        if cached is None or cached[0] != key:
            cached = self.views[p.slug] = (key, _view(p, topics, config))
        return cached[1]

    def entry(self, p: Paper, key: str, url: str) -> str:
        inputs = (p, key, url)
        cached = self.bibtex.get(p.slug)
        if cached is None or cached[0] != inputs:
            cached = self.bibtex[p.slug] = (inputs, citations.bibtex_entry(p, key, url))
        return cached[1]

    def keep_only(self, slugs: set[str]) -> None:
        """Forget deleted papers."""
        for table in (self.views, self.bibtex):
            for slug in [s for s in table if s not in slugs]:
                del table[slug]
        for key in [k for k in self.fragments if k[0] == "item" and k[1] not in slugs]:
            del self.fragments[key]


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
                  by_edition: Mapping[dt.date, Sequence[PaperView]]) -> dict[str, str]:
    """Feeds, BibTeX files and papers.json: files MkDocs copies into the site as they are."""
    files = {
        feeds.feed_path(): feeds.atom_feed(views, site, title=site.name,
                                           subtitle=site.description,
                                           path=feeds.feed_path(), page=""),
        feeds.EDITIONS_PATH: feeds.editions_feed(by_edition, site, edition_url=edition_url),
        citations.BIB_PATH: citations.bibliography([bibtex[v.paper.slug] for v in views]),
        export.SCHEMA_PATH: export.papers_schema(site),
    }
    for topic in topics:
        items = by_topic[topic.slug]
        files[feeds.feed_path(topic.slug)] = feeds.atom_feed(
            items, site, title=f"{site.name}: {topic.title}", subtitle=topic.description,
            path=feeds.feed_path(topic.slug), page=topic_url(topic.slug))
        files[citations.bib_path(topic.slug)] = citations.bibliography(
            [bibtex[v.paper.slug] for v in items])
    files[export.DATA_PATH] = export.papers_json(
        views, site, [(t, len(by_topic[t.slug]), topic_url(t.slug), feeds.feed_path(t.slug),
                       citations.bib_path(t.slug)) for t in topics], keys, related)
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
        by_tag: dict[str, list[PaperView]] = defaultdict(list)
        for view in views:
            for topic in view.topics:
                by_topic[topic.slug].append(view)
            by_edition[view.paper.date].append(view)
            for tag in view.paper.tags:
                by_tag[tag].append(view)
        self.by_topic, self.by_edition, self.by_tag = by_topic, by_edition, by_tag
        topics = [t for t in config.topics if by_topic.get(t.slug)]
        topics.sort(key=lambda t: t.slug == FALLBACK_TOPIC)  # stable: "other" last
        self.topics = topics
        self.editions = sorted(by_edition, reverse=True)
        self.tags = sorted(by_tag, key=lambda t: (t.casefold(), t))
        self.newest = self.editions[0] if self.editions else None
        self.topic_counts = {slug: len(items) for slug, items in by_topic.items()}
        self._pages = _Pages(config)
        self._prints: dict[str, str] = {}
        self.texts = texts
        self.nav = [
            {"Home": "index.md"},
            {"Topics": ["topics/index.md", *[{t.title: f"topics/{t.slug}.md"} for t in topics]]},
            {"Editions": "editions/index.md"},
            {"Tags": "tags.md"},
            {"Search": "search.md"},
            {"Saved": "saved.md"},
            {"About": "about.md"},
        ]

    def sources(self) -> list[str]:
        """Every page's source path, in the order the site lists them."""
        return ["index.md", "topics/index.md",
                *[f"topics/{t.slug}.md" for t in self.topics], "editions/index.md",
                *[f"editions/{d.isoformat()}.md" for d in self.editions], "tags.md",
                *[f"papers/{v.paper.slug}.md" for v in self.views], "search.md", "saved.md",
                "about.md"]

    def _newest_of(self, items: list[PaperView]) -> str | None:
        return items[0].paper.date.isoformat() if items else None

    def _listing(self, url: str, items: list[PaperView], show_date: bool) -> Markup:
        """The entries of a paper listing on the page at ``url``, each rendered once."""
        def make(v: PaperView) -> str:
            if self.texts is None:
                return self._pages.render("_item.html", url, view=v, show_date=show_date)
            # An entry shows its paper (the view) as seen from the page at ``url``.
            key, fingerprint = f"item:{url}", repr((self.site, show_date, self._print(v)))
            text = self.texts.text(key, fingerprint)
            if text is None:
                text = self._pages.render("_item.html", url, view=v, show_date=show_date)
                self.texts.keep_text(key, fingerprint, text)
            return text

        return Markup("".join(
            self.cache.fragment(("item", v.paper.slug, url, show_date), v,
                                lambda v=v: make(v))
            for v in items))

    def _sections(self) -> Markup:
        """The tags page's sections, each rendered once while its papers are the same."""
        return Markup("".join(
            self.cache.fragment(("tag", tag), tuple(self.by_tag[tag]),
                                lambda tag=tag: self._pages.render(
                                    "_tag_section.html", "tags/", tag=tag,
                                    views=self.by_tag[tag], anchor=tag_anchor))
            for tag in self.tags))

    def _related(self, slug: str) -> list[PaperView]:
        return [self.by_slug[s] for s in self.related.get(slug, ())]

    def signature(self, src: str) -> tuple[object, ...]:
        """What the page ``src`` is made from: equal signatures, equal pages."""
        folder, _, name = src.rpartition("/")
        stem = name.removesuffix(".md")
        common = (self.site, self._newest_of(self.views))
        if folder == "papers":
            return (*common, self.by_slug[stem], self.bibtex[stem],
                    tuple(self._related(stem)), recent_band(self.rank[stem]))
        if folder == "topics" and stem != "index":
            topic = next(t for t in self.topics if t.slug == stem)
            items = self.by_topic[stem]
            return (*common, topic, tuple(items),
                    _topic_chart(topic, items, self.topics, self.topic_counts))
        if folder == "editions" and stem != "index":
            date = dt.date.fromisoformat(stem)
            return (*common, stem, tuple(self.by_edition[date]), self._neighbours(date))
        if src == "tags.md":
            return (*common, tuple((tag, tuple(self.by_tag[tag])) for tag in self.tags))
        counts = tuple((t, self.topic_counts[t.slug]) for t in self.topics)
        editions = tuple((d, len(self.by_edition[d])) for d in self.editions)
        if src == "index.md":
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
        folder, _, name = src.rpartition("/")
        if folder != "papers":
            return None
        stem = name.removesuffix(".md")
        return repr((self.site, self._print(self.by_slug[stem]), self.bibtex[stem],
                     [self._print(v) for v in self._related(stem)],
                     recent_band(self.rank[stem])))

    def page(self, src: str) -> str:
        """The Markdown text of the page ``src``."""
        self._pages.pages.clear()
        folder, _, name = src.rpartition("/")
        stem = name.removesuffix(".md")
        if folder == "papers":
            self._paper(self.by_slug[stem])
        elif folder == "topics" and stem != "index":
            self._topic(next(t for t in self.topics if t.slug == stem))
        elif folder == "editions" and stem != "index":
            self._edition(dt.date.fromisoformat(stem))
        else:
            {"index.md": self._home, "topics/index.md": self._topic_index,
             "editions/index.md": self._edition_index, "tags.md": self._tag_page,
             "search.md": self._search, "saved.md": self._saved,
             "about.md": self._about}[src]()
        return self._pages.pages[src]

    def reader_files(self) -> dict[str, str]:
        """Feeds, BibTeX files and papers.json."""
        return _reader_files(self.views, self.topics, self.by_topic, self.site, self.keys,
                             self.bibtex, self.related, self.by_edition)

    def _home(self) -> None:
        site, newest, editions = self.site, self.newest, self.editions
        self._pages.add(
            "index.md", "", "home.html", {"title": site.name, "description": site.description,
                                          "date": newest.isoformat() if newest else None},
            topics=self.topics, by_topic=self.by_topic, papers=self.views,
            latest=self.by_edition[newest] if newest else [], latest_date=newest,
            listing=self._listing("", self.by_edition[newest] if newest else [], False),
            editions=editions, feed=feeds.feed_path(), bib=citations.BIB_PATH,
            editions_feed=feeds.EDITIONS_PATH, data=export.DATA_PATH,
            topic_chart=charts.papers_per_topic(self.topics, self.topic_counts),
            edition_chart=charts.papers_per_edition(
                {d: len(self.by_edition[d]) for d in editions}, "Papers per edition")
            if len(editions) > 1 else None)

    def _topic_index(self) -> None:
        self._pages.add("topics/index.md", "topics/", "topics.html",
                        {"title": "Topics",
                         "description": f"Browse {len(self.views)} papers by topic.",
                         "date": self._newest_of(self.views)},
                        topics=self.topics, by_topic=self.by_topic)

    def _topic(self, topic: Topic) -> None:
        site, items = self.site, self.by_topic[topic.slug]
        self._pages.add(
            f"topics/{topic.slug}.md", topic_url(topic.slug), "topic.html",
            {"title": topic.title, "description": topic.description,
             "date": self._newest_of(items), "feed": feeds.feed_path(topic.slug),
             "feed_title": f"{site.name}: {topic.title}"},
            topic=topic, papers=items, feed=feeds.feed_path(topic.slug),
            listing=self._listing(topic_url(topic.slug), items, True),
            bib=citations.bib_path(topic.slug),
            chart=_topic_chart(topic, items, self.topics, self.topic_counts))

    def _edition_index(self) -> None:
        self._pages.add("editions/index.md", "editions/", "editions.html",
                        {"title": "Editions",
                         "description": "Every edition of the digest, newest first.",
                         "date": self._newest_of(self.views)},
                        editions=self.editions, by_edition=self.by_edition)

    def _neighbours(self, date: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The editions just older and just newer than ``date``, for its page's links."""
        index = self.editions.index(date)  # newest first
        return (self.editions[index + 1] if index + 1 < len(self.editions) else None,
                self.editions[index - 1] if index else None)

    def _edition(self, date: dt.date) -> None:
        items = self.by_edition[date]
        older, newer = self._neighbours(date)
        self._pages.add(f"editions/{date.isoformat()}.md", edition_url(date), "edition.html",
                        {"title": f"Edition of {date:%-d %B %Y}",
                         "description": f"{len(items)} papers added on {date:%-d %B %Y}.",
                         "date": date.isoformat()},
                        date=date, papers=items, editions_feed=feeds.EDITIONS_PATH,
                        newer=newer, older=older,
                        listing=self._listing(edition_url(date), items, False))

    def _tag_page(self) -> None:
        self._pages.add("tags.md", "tags/", "tags.html",
                        {"title": "Tags", "description": "Every tag, with its papers.",
                         "date": self._newest_of(self.views)},
                        tags=self.tags, by_tag=self.by_tag, anchor=tag_anchor,
                        sections=self._sections())

    def _paper(self, view: PaperView) -> None:
        p = view.paper
        self._pages.add(f"papers/{p.slug}.md", view.url, "paper.html",
                        {"title": view.title_text, "description": view.excerpt,
                         "date": p.date.isoformat(), "og_type": "article",
                         "citation": highwire.citation_meta(view.paper, view.title_text)},
                        view=view, paper=p, anchor=tag_anchor, bibtex=self.bibtex[p.slug],
                        related=self._related(p.slug),
                        recent_band=recent_band(self.rank[p.slug]))

    def _search(self) -> None:
        self._pages.add("search.md", "search/", "search.html",
                        {"title": "Search", "description": f"Search {len(self.views)} papers.",
                         "date": self._newest_of(self.views),
                         "hide": ["navigation", "toc"]},  # room for facets
                        topics=self.topics)

    def _saved(self) -> None:
        self._pages.add("saved.md", "saved/", "saved.html",
                        {"title": "Saved papers",
                         "description": "The papers you saved, in this browser.",
                         "date": self._newest_of(self.views)})

    def _about(self) -> None:
        self._pages.add("about.md", "about/", "about.html",
                        {"title": "About", "description": self.site.description,
                         "date": self._newest_of(self.views)},
                        count=len(self.views), topics=self.topics, editions=self.editions)


class Texts(Protocol):
    """Paper pages generated before, by fingerprint (digest.render.cache.BuildCache); a text
    it answers with is kept for the next build too."""

    def text(self, src: str, fingerprint: str) -> str | None: ...

    def keep_text(self, src: str, fingerprint: str, text: str) -> None: ...


class _NotYet(Mapping[str, Sequence[str]]):
    """Related papers still being worked out: no listing page may show them."""

    def __getitem__(self, slug: str) -> Sequence[str]:
        raise RuntimeError("related papers were asked for before they were worked out")

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("related papers were asked for before they were worked out")

    def __len__(self) -> int:
        raise RuntimeError("related papers were asked for before they were worked out")


READER_FILES = "(feeds, BibTeX files and papers.json)"


def make_site(papers: list[Paper], config: SiteConfig,
              related: Mapping[str, Sequence[str]] | None = None,
              texts: Texts | None = None, views: ViewCache | None = None,
              ) -> tuple[SiteModel, dict[str, str], dict[str, str]]:
    """The site model, every page's Markdown text by source path (in the order the site
    lists them), and the reader files (feeds, BibTeX files, papers.json).

    ``related`` maps each slug to its related papers' slugs (digest.enrich.related), computed
    here when not given: in a forked child (digest.util.processes_build) while this process makes
    the paper views and listing pages, which do not show them. The paper pages, the
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
            if src.startswith("papers/"):
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
        if texts is not None and src.startswith("papers/"):
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
    """Every page of the site as {source path: Markdown text}, plus the nav (make_site
    says how ``related`` and ``texts`` are used)."""
    model, pages, reader_files = make_site(papers, config, related, texts)
    pages.update(reader_files)
    order = [f"papers/{v.paper.slug}.md"
             for v in sorted(model.views, key=lambda v: (v.paper.date, v.paper.slug))]
    return SitePlan(docs_dir=docs_dir, nav=model.nav, newest=model.newest, pages=pages,
                    paper_order=order)


def write_pages(plan: SitePlan) -> int:
    """Write the pages, touching only files whose text changed; remove stale ones.

    Writing only changes keeps `digest serve` from rebuilding in a loop.
    Returns the number of files written.
    """
    docs = plan.docs_dir
    written = 0
    for src, text in plan.pages.items():
        path = docs / src
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    if docs.is_dir():
        for path in sorted(docs.rglob("*"), reverse=True):
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif path.relative_to(docs).as_posix() not in plan.pages:
                path.unlink()
    return written


def generate(papers: list[Paper], config: SiteConfig, docs_dir: Path,
             related: Mapping[str, Sequence[str]] | None = None) -> SitePlan:
    """Plan and write the docs dir for MkDocs."""
    plan = plan_pages(papers, config, docs_dir, related)
    write_pages(plan)
    return plan
