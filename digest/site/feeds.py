"""Atom feeds: one for the whole digest, one per topic, and editions.xml.

editions.xml has one entry per edition (its papers, with titles, authors, topics, links
and excerpts), the shape RSS-to-email services send as one email per edition.

Rendered from templates of the one Jinja environment (digest.site.jinja). Everything is derived from the papers, never from the
clock: a feed's <updated> is its newest paper's date, entries run newest first
(ties by slug), and an entry's id is the paper's canonical URL, so a feed reader
sees the same entry in the digest feed and in a topic feed, build after build.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup

from digest.config import SiteSettings
from digest.model import Paper, Topic
from digest.site import routes
from digest.site.jinja import ENV, long_date

# Feed readers poll the newest entries; the archive is the site itself.
FEED_LIMIT = 100
# An edition entry holds all of its papers: fewer entries keep the file small.
EDITIONS_LIMIT = 20
EDITIONS_PATH = "editions.xml"
# The date a feed without papers claims, so that it too never holds the build clock.
EPOCH = dt.date(2000, 1, 1)
# Characters XML 1.0 forbids even as references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class FeedItem(Protocol):
    """What a feed needs of a paper (digest.site.views.PaperView provides it)."""

    paper: Paper
    url: str
    abstract_html: Markup
    excerpt: str
    topics: tuple[Topic, ...]
    title_text: str  # the title as plain text (its TeX read out)


@dataclass(frozen=True)
class _Entry:
    id: str
    title: str
    url: str
    date: str
    authors: tuple[str, ...]
    categories: tuple[tuple[str, str], ...]
    summary: str
    content: str


@dataclass(frozen=True)
class _Feed:
    id: str
    title: str
    subtitle: str
    self_url: str
    page_url: str
    updated: str
    author: str
    author_uri: str
    category_scheme: str
    entries: tuple[_Entry, ...]


def feed_path(topic_slug: str | None = None) -> str:
    """Where a feed lives in the site: feed.xml, or feed-<topic slug>.xml.

    Every feed sits at the site root: Material fetches ``sitemap.xml`` next to the
    target of each <link rel="alternate"> (it takes them for language versions), and
    only at the root is there one; a feed in a folder would cost a 404 per page view.
    """
    return f"feed-{topic_slug}.xml" if topic_slug else "feed.xml"


def absolute_url(site: SiteSettings, path: str = "") -> str:
    """A site path ('' for the home page) as an absolute URL under site_config's url."""
    return (site.url if site.url.endswith("/") else site.url + "/") + path


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _stamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def atom_feed(items: Sequence[FeedItem], site: SiteSettings, *, title: str, subtitle: str,
              path: str, page: str) -> str:
    """An Atom document of the newest FEED_LIMIT ``items``.

    ``path`` is the feed's own path in the site and ``page`` the path of the page it
    mirrors ('' for the home page); both become absolute with the site URL.
    """
    base = absolute_url(site)
    newest = sorted(items, key=lambda v: (-v.paper.date.toordinal(), v.paper.slug))[:FEED_LIMIT]
    entries = tuple(
        _Entry(
            id=base + view.url,
            title=_xml(view.title_text),
            url=base + view.url,
            date=_stamp(view.paper.date),
            authors=tuple(_xml(a) for a in view.paper.authors),
            categories=tuple((t.slug, _xml(t.title)) for t in view.topics),
            summary=_xml(view.excerpt),
            content=_xml(str(view.abstract_html)),
        )
        for view in newest
    )
    feed = _Feed(
        id=base + path, title=_xml(title), subtitle=_xml(subtitle), self_url=base + path,
        page_url=base + page,
        updated=_stamp(newest[0].paper.date if newest else EPOCH),
        author=_xml(site.name), author_uri=base,
        category_scheme=base + routes.page_url("topics"), entries=entries,
    )
    return ENV.get_template("feed.xml").render(feed=feed)


def editions_feed(editions: Mapping[dt.date, Sequence[FeedItem]], site: SiteSettings) -> str:
    """editions.xml: the newest EDITIONS_LIMIT editions, newest first, one entry each.

    An entry's id is its edition page's URL and its dates are the edition's date, so
    an email service sends each edition once, however often the site is rebuilt.
    """
    base = absolute_url(site)
    dates = sorted(editions, reverse=True)[:EDITIONS_LIMIT]
    template = ENV.get_template("edition_entry.html")
    entries = []
    for date in dates:
        papers = sorted(editions[date], key=lambda v: v.paper.slug)
        page = base + routes.edition_url(date)
        topics: dict[str, str] = {}
        for view in papers:
            for topic in view.topics:
                topics.setdefault(topic.slug, topic.title)
        count = f"{len(papers)} {'paper' if len(papers) == 1 else 'papers'}"
        entries.append(_Entry(
            id=page, title=_xml(f"Edition of {long_date(date)}: {count}"), url=page,
            date=_stamp(date), authors=(),
            categories=tuple((slug, _xml(title)) for slug, title in topics.items()),
            summary=_xml(f"{count}: " + "; ".join(v.title_text for v in papers)),
            content=_xml(template.render(papers=papers, date=date, page_url=page, base=base)),
        ))
    feed = _Feed(
        id=base + EDITIONS_PATH, title=_xml(f"{site.name}: editions"),
        subtitle=_xml(f"{site.description} One entry per edition."),
        self_url=base + EDITIONS_PATH, page_url=base + routes.page_url("editions"),
        updated=_stamp(dates[0] if dates else EPOCH), author=_xml(site.name), author_uri=base,
        category_scheme=base + routes.page_url("topics"), entries=tuple(entries),
    )
    return ENV.get_template("feed.xml").render(feed=feed)
