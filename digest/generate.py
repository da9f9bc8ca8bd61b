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
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from digest import charts, citations, export, feeds, highwire
from digest.config import FALLBACK_TOPIC, SiteConfig, SiteSettings
from digest.markup import excerpt, render_abstract
from digest.model import Link, Paper, Topic
from digest.related import related_papers
from digest.slugs import slugify
from digest.titles import render_title

ENV = Environment(
    loader=PackageLoader("digest", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
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
    title_html: Markup  # the title with its formulas as MathML (digest.titles)
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


class _Pages:
    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.pages: dict[str, str] = {}

    def add(self, src: str, url: str, template: str, meta: dict[str, object],
            **context: object) -> None:
        def url_for(target: str) -> str:
            return relative_url(url, target)

        body = ENV.get_template(template).render(url=url_for, site=self.config.site,
                                                 **context)
        self.pages[src] = _front_matter(meta) + body


def _views(papers: list[Paper], config: SiteConfig) -> list[PaperView]:
    topics = {t.slug: t for t in config.topics}
    return [
        PaperView(
            paper=p,
            url=paper_url(p.slug),
            abstract_html=(html := render_abstract(p.abstract)),
            excerpt=excerpt(html),
            topics=tuple(topics[s] for s in p.topics),
            edit_url=config.site.edit_url(str(p.path) if p.path else
                                          f"content/papers/{p.slug}.md"),
            title_html=(title := render_title(p.title)).html,
            title_text=title.text,
        )
        for p in papers
    ]


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


def plan_pages(papers: list[Paper], config: SiteConfig, docs_dir: Path,
               related: Mapping[str, Sequence[str]] | None = None) -> SitePlan:
    """Every page of the site as {source path: Markdown text}, plus the nav.

    ``related`` maps each slug to its related papers' slugs (digest.related), computed
    here when not given.
    """
    views = _views(sorted(papers, key=lambda p: (-p.date.toordinal(), p.slug)), config)
    related = related_papers(papers) if related is None else related
    by_slug = {view.paper.slug: view for view in views}
    keys = citations.bibtex_keys(papers)
    bibtex = {view.paper.slug: citations.bibtex_entry(view.paper, keys[view.paper.slug],
                                                      feeds.absolute_url(config.site, view.url))
              for view in views}
    by_topic: dict[str, list[PaperView]] = defaultdict(list)
    by_edition: dict[dt.date, list[PaperView]] = defaultdict(list)
    by_tag: dict[str, list[PaperView]] = defaultdict(list)
    for view in views:
        for topic in view.topics:
            by_topic[topic.slug].append(view)
        by_edition[view.paper.date].append(view)
        for tag in view.paper.tags:
            by_tag[tag].append(view)
    topics = [t for t in config.topics if by_topic.get(t.slug)]
    topics.sort(key=lambda t: t.slug == FALLBACK_TOPIC)  # stable: "other" last
    editions = sorted(by_edition, reverse=True)
    tags = sorted(by_tag, key=lambda t: (t.casefold(), t))
    newest = editions[0] if editions else None
    site = config.site
    pages = _Pages(config)
    topic_counts = {slug: len(items) for slug, items in by_topic.items()}

    def newest_of(items: list[PaperView]) -> str | None:
        return items[0].paper.date.isoformat() if items else None

    pages.add("index.md", "", "home.html", {"title": site.name, "description": site.description,
                                            "date": newest.isoformat() if newest else None},
              topics=topics, by_topic=by_topic, papers=views,
              latest=by_edition[newest] if newest else [], latest_date=newest,
              editions=editions, feed=feeds.feed_path(), bib=citations.BIB_PATH,
              editions_feed=feeds.EDITIONS_PATH,
              data=export.DATA_PATH, topic_chart=charts.papers_per_topic(topics, topic_counts),
              edition_chart=charts.papers_per_edition(
                  {d: len(by_edition[d]) for d in editions}, "Papers per edition")
              if len(editions) > 1 else None)
    pages.add("topics/index.md", "topics/", "topics.html",
              {"title": "Topics", "description": f"Browse {len(views)} papers by topic.",
               "date": newest_of(views)},
              topics=topics, by_topic=by_topic)
    for topic in topics:
        items = by_topic[topic.slug]
        pages.add(f"topics/{topic.slug}.md", topic_url(topic.slug), "topic.html",
                  {"title": topic.title, "description": topic.description,
                   "date": newest_of(items), "feed": feeds.feed_path(topic.slug),
                   "feed_title": f"{site.name}: {topic.title}"},
                  topic=topic, papers=items, feed=feeds.feed_path(topic.slug),
                  bib=citations.bib_path(topic.slug), chart=_topic_chart(topic, items, topics,
                                                                topic_counts))
    pages.add("editions/index.md", "editions/", "editions.html",
              {"title": "Editions", "description": "Every edition of the digest, newest first.",
               "date": newest_of(views)},
              editions=editions, by_edition=by_edition)
    for index, date in enumerate(editions):  # newest first
        pages.add(f"editions/{date.isoformat()}.md", edition_url(date), "edition.html",
                  {"title": f"Edition of {date:%-d %B %Y}",
                   "description": f"{len(by_edition[date])} papers added on {date:%-d %B %Y}.",
                   "date": date.isoformat()},
                  date=date, papers=by_edition[date], editions_feed=feeds.EDITIONS_PATH,
                  newer=editions[index - 1] if index else None,
                  older=editions[index + 1] if index + 1 < len(editions) else None)
    pages.add("tags.md", "tags/", "tags.html",
              {"title": "Tags", "description": "Every tag, with its papers.",
               "date": newest_of(views)},
              tags=tags, by_tag=by_tag, anchor=tag_anchor)
    for rank, view in enumerate(views):  # newest first
        p = view.paper
        pages.add(f"papers/{p.slug}.md", view.url, "paper.html",
                  {"title": view.title_text, "description": view.excerpt,
                   "date": p.date.isoformat(), "og_type": "article",
                   "citation": highwire.citation_meta(view.paper, view.title_text)},
                  view=view, paper=p, anchor=tag_anchor, bibtex=bibtex[p.slug],
                  related=[by_slug[s] for s in related.get(p.slug, ())],
                  recent_band=recent_band(rank))
    pages.add("search.md", "search/", "search.html",
              {"title": "Search", "description": f"Search {len(views)} papers.",
               "date": newest_of(views), "hide": ["navigation", "toc"]},  # room for facets
              topics=topics)
    pages.add("saved.md", "saved/", "saved.html",
              {"title": "Saved papers", "description": "The papers you saved, in this browser.",
               "date": newest_of(views)})
    pages.add("about.md", "about/", "about.html",
              {"title": "About", "description": site.description, "date": newest_of(views)},
              count=len(views), topics=topics, editions=editions)

    pages.pages.update(_reader_files(views, topics, by_topic, site, keys, bibtex, related,
                                     by_edition))

    nav = [
        {"Home": "index.md"},
        {"Topics": ["topics/index.md", *[{t.title: f"topics/{t.slug}.md"} for t in topics]]},
        {"Editions": "editions/index.md"},
        {"Tags": "tags.md"},
        {"Search": "search.md"},
        {"Saved": "saved.md"},
        {"About": "about.md"},
    ]
    return SitePlan(docs_dir=docs_dir, nav=nav,
                    newest=newest, pages=pages.pages)


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
