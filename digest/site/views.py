"""What pages show of a paper (PaperView), made once and kept between plans (ViewCache),
and the "recent" bands of the newest papers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_plus

from markupsafe import Markup

from digest.config import SiteConfig
from digest.model import Link, Paper, Topic
from digest.site import citations
from digest.site.jinja import long_date
from digest.site.routes import paper_url
from digest.text.markup import excerpt, render_abstract
from digest.text.titles import render_title

# Listings name this many authors, then "et al.".
LISTED_AUTHORS = 3


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
    extra_html: tuple[tuple[str, Markup], ...] = ()
    """site.yml's extra fields the paper has: (label, sanitized HTML), in declared order."""

    @property
    def listed_authors(self) -> str:
        """The first authors for listings: "A, B, C et al." beyond LISTED_AUTHORS."""
        authors = self.paper.authors
        if len(authors) > LISTED_AUTHORS:
            return ", ".join(authors[:LISTED_AUTHORS]) + " et al."
        return ", ".join(authors)

    @property
    def published(self) -> tuple[str, str, bool] | None:
        """The publication date as the paper page labels it: (datetime attribute, text,
        whether it is arXiv's first version), as far as it is known ("2021", "March 2024",
        "29 May 2023"), or None; the edition date is a different one and shown apart."""
        when = self.paper.publication_date
        if when is None:
            return None
        year, month, day = when
        if month is None:
            return f"{year:04d}", str(year), False
        if day is None:
            return f"{year:04d}-{month:02d}", f"{dt.date(year, month, 1):%B} {year}", False
        # Only `published`, arXiv's first version, knows the day.
        return dt.date(year, month, day).isoformat(), long_date(dt.date(year, month, day)), True

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
        links = tuple(link for link in self.paper.links if link.kind != "code")
        url = self.paper.url  # the cited version's page, shown with the project pages
        if url and all(link.url != url for link in self.paper.links):
            links = (Link(url), *links)
        return links

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


def make_view(p: Paper, topics: tuple[Topic, ...], config: SiteConfig) -> PaperView:
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
        extra_html=extra_fields(p, config),
    )


def extra_fields(p: Paper, config: SiteConfig) -> tuple[tuple[str, Markup], ...]:
    """A paper's values of the extra fields site.yml declares, each as its page shows it:
    a text escaped, Markdown through the abstracts' sanitizer (both come by pull request)."""
    kinds = dict(config.site.fields)
    return tuple((name.replace("_", " ").capitalize(),
                  render_abstract(value) if kinds.get(name) == "markdown"
                  else Markup.escape(value))
                 for name, value in p.extra)


class ViewCache:
    """Paper views and BibTeX entries kept between plans, so that `digest serve` renders
    the abstract and title of an unchanged paper once (most of the work of planning).

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
            cached = self.views[p.slug] = (key, make_view(p, topics, config))
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
