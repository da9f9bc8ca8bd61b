"""Where every page lives: its source path in the docs dir and its URL in the site.

The one module that spells the site's paths, so that a page's maker, its signature
(`digest serve`), its fingerprint (digest.render.cache) and the templates' links
cannot disagree about them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import SimpleNamespace

from digest.text.slugs import slugify

# The kinds of page with one page per paper, topic, edition or page of content/pages/ ...
PAPER, TOPIC, EDITION, OWN = "paper", "topic", "edition", "own"
# ... and the single pages: kind -> (source path, URL).
SINGLE_PAGES = {
    "home": ("index.md", ""),
    "topics": ("topics/index.md", "topics/"),
    "editions": ("editions/index.md", "editions/"),
    "tags": ("tags.md", "tags/"),
    "search": ("search.md", "search/"),
    "saved": ("saved.md", "saved/"),
}
_FOLDERS = {"papers": PAPER, "topics": TOPIC, "editions": EDITION, "": OWN}

# Paper and single-edition pages stay out of the nav: MkDocs renders the whole nav into
# every page, so a nav that grows with the papers makes the build quadratic.
NOT_IN_NAV = "/papers/\n/editions/*-*.md\n"


def paper_url(slug: str) -> str:
    return f"papers/{slug}/"


def topic_url(slug: str) -> str:
    return f"topics/{slug}/"


def edition_url(date: dt.date) -> str:
    return f"editions/{date.isoformat()}/"


def page_url(kind: str) -> str:
    """The URL of a single page ("tags" -> "tags/"; "home" -> '')."""
    return SINGLE_PAGES[kind][1]


def tag_anchor(tag: str) -> str:
    """The id of a tag's section on the tags page."""
    return "tag-" + slugify(tag)


def own_url(name: str) -> str:
    """A page of content/pages/ (about.md) sits at the top: about/."""
    return f"{name}/"


def own_source(name: str) -> str:
    return f"{name}.md"


def reserved_page_names() -> frozenset[str]:
    """Names a page of content/pages/ cannot take: the site's own folders and pages."""
    return frozenset({*_FOLDERS, *(src.split("/")[0].removesuffix(".md")
                                   for src, _ in SINGLE_PAGES.values()),
                      "assets", "pagefind", "feeds", "search", "404", "sitemap"}) - {""}


def paper_source(slug: str) -> str:
    return f"papers/{slug}.md"


def topic_source(slug: str) -> str:
    return f"topics/{slug}.md"


def edition_source(date: dt.date) -> str:
    return f"editions/{date.isoformat()}.md"


def page_source(kind: str) -> str:
    """The source path of a single page ("tags" -> "tags.md")."""
    return SINGLE_PAGES[kind][0]


@dataclass(frozen=True)
class Route:
    """One page: its kind, and for a paper, topic or edition page which one it shows."""

    kind: str  # PAPER, TOPIC, EDITION, OWN or a key of SINGLE_PAGES
    key: str = ""  # the paper's, topic's or own page's name, or the edition's ISO date

    @property
    def date(self) -> dt.date:
        """An edition page's date."""
        return dt.date.fromisoformat(self.key)

    @property
    def src(self) -> str:
        if self.kind == PAPER:
            return paper_source(self.key)
        if self.kind == TOPIC:
            return topic_source(self.key)
        if self.kind == EDITION:
            return edition_source(self.date)
        if self.kind == OWN:
            return own_source(self.key)
        return page_source(self.kind)

    @property
    def url(self) -> str:
        if self.kind == PAPER:
            return paper_url(self.key)
        if self.kind == TOPIC:
            return topic_url(self.key)
        if self.kind == EDITION:
            return edition_url(self.date)
        if self.kind == OWN:
            return own_url(self.key)
        return page_url(self.kind)


_SINGLE_BY_SOURCE = {src: Route(kind) for kind, (src, _) in SINGLE_PAGES.items()}


def route(src: str) -> Route:
    """The page whose source path is ``src``; KeyError for a path that is no page."""
    single = _SINGLE_BY_SOURCE.get(src)
    if single is not None:
        return single
    folder, _, name = src.rpartition("/")
    return Route(_FOLDERS[folder], name.removesuffix(".md"))


def relative_url(from_url: str, to_url: str) -> str:
    """Link from one directory-style page URL to another ('' is the home page).

    "papers/x/" -> "topics/y/" gives "../../topics/y/"; "papers/x/" -> "" gives "../../".
    Hand-rolled because posixpath.relpath was a noticeable share of a large build.
    """
    src = from_url.split("/")[:-1]
    *dirs, leaf = to_url.split("/")
    common = 0
    while common < min(len(src), len(dirs)) and src[common] == dirs[common]:
        common += 1
    return "../" * (len(src) - common) + "".join(d + "/" for d in dirs[common:]) + leaf or "./"


# The single pages' URLs for templates: {{ url(routes.search) }}.
TEMPLATE_ROUTES = SimpleNamespace(**{kind: url for kind, (_, url) in SINGLE_PAGES.items()})


def site_file(field: str, path: str) -> str:
    """Where site.yml's ``logo`` or ``favicon`` (a file of the project) is in the site:
    named by its field, so two files of one name cannot collide."""
    return f"assets/site/{field}{PurePosixPath(path).suffix.lower()}"
