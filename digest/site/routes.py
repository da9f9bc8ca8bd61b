"""Where every page lives: its source path in the docs dir and its URL in the site.

The one module that spells the site's paths, so that a page's maker, its signature
(`digest serve`), its fingerprint (digest.render.cache) and the templates' links
cannot disagree about them.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import SimpleNamespace
from urllib.parse import urlencode

from digest.text.slugs import slugify

# The kinds of page with one page per paper, topic, edition, tag or page of content/pages/ ...
PAPER, TOPIC, EDITION, TAG, OWN = "paper", "topic", "edition", "tag", "own"
# ... and the single pages: kind -> (source path, URL).
SINGLE_PAGES = {
    "home": ("index.md", ""),
    "topics": ("topics/index.md", "topics/"),
    "editions": ("editions/index.md", "editions/"),
    "tags": ("tags.md", "tags/"),
    "search": ("search.md", "search/"),
    "saved": ("saved.md", "saved/"),
}
_FOLDERS = {"papers": PAPER, "topics": TOPIC, "editions": EDITION, "tags": TAG}
# The listings cut into pages (page 2 on is ``<page 1's folder>/page/<n>/``): a topic's,
# an edition's and a tag's papers, and the indexes of all editions and all tags.
PAGINATED = frozenset({TOPIC, EDITION, TAG, "editions", "tags"})

# Paper, single-edition and tag pages, and every listing's pages after the first, stay
# out of the nav: MkDocs renders the whole nav into every page, so a nav that grows with
# the papers makes the build quadratic.
NOT_IN_NAV = "/papers/\n/editions/*-*.md\n/editions/*/\n/topics/*/\n/tags/\n"


def _paged(first_url: str, page: int) -> str:
    return first_url if page == 1 else f"{first_url}page/{page}/"


def _paged_source(first_src: str, page: int) -> str:
    """topics/x.md -> topics/x/page/2.md; editions/index.md -> editions/page/2.md."""
    if page == 1:
        return first_src
    folder = first_src.removesuffix(".md").removesuffix("/index")
    return f"{folder}/page/{page}.md"


def paper_url(slug: str) -> str:
    return f"papers/{slug}/"


def topic_url(slug: str, page: int = 1) -> str:
    return _paged(f"topics/{slug}/", page)


def edition_url(date: dt.date, page: int = 1) -> str:
    return _paged(f"editions/{date.isoformat()}/", page)


@functools.lru_cache(maxsize=65536)
def tag_slug(tag: str) -> str:
    """A tag's slug: tags spelled alike ("LLM", "llm") share it, and their page."""
    return slugify(tag)


def tag_url(tag: str, page: int = 1) -> str:
    """The page of the papers tagged ``tag`` (tags/<tag slug>/)."""
    return _paged(f"tags/{tag_slug(tag)}/", page)


def page_url(kind: str, page: int = 1) -> str:
    """The URL of a single page ("tags" -> "tags/"; "home" -> ''), or of page ``page`` of
    a paginated index ("editions", 2 -> "editions/page/2/")."""
    return _paged(SINGLE_PAGES[kind][1], page)


def search_url(**filters: str) -> str:
    """The search page filtered as theme/assets/search-page.js reads its address:
    search_url(topic="Vision", sort="newest") -> "search/?topic=Vision&sort=newest"."""
    return page_url("search") + "?" + urlencode(filters)


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


def topic_source(slug: str, page: int = 1) -> str:
    return _paged_source(f"topics/{slug}.md", page)


def edition_source(date: dt.date, page: int = 1) -> str:
    return _paged_source(f"editions/{date.isoformat()}.md", page)


def tag_source(slug: str, page: int = 1) -> str:
    """The source of a tag's page, by the tag's slug (tag_slug)."""
    return _paged_source(f"tags/{slug}.md", page)


def page_source(kind: str, page: int = 1) -> str:
    """The source path of a single page ("tags" -> "tags.md"), or of page ``page`` of a
    paginated index ("tags", 2 -> "tags/page/2.md")."""
    return _paged_source(SINGLE_PAGES[kind][0], page)


@dataclass(frozen=True)
class Route:
    """One page: its kind, for a paper, topic, edition or tag page which one it shows,
    and for a paginated listing which of its pages."""

    kind: str  # PAPER, TOPIC, EDITION, TAG, OWN or a key of SINGLE_PAGES
    key: str = ""  # the paper's, topic's, tag's or own page's name, or the edition's date
    page: int = 1

    @property
    def date(self) -> dt.date:
        """An edition page's date."""
        return dt.date.fromisoformat(self.key)

    @property
    def src(self) -> str:
        if self.kind == PAPER:
            return paper_source(self.key)
        if self.kind == TOPIC:
            return topic_source(self.key, self.page)
        if self.kind == EDITION:
            return edition_source(self.date, self.page)
        if self.kind == TAG:
            return tag_source(self.key, self.page)
        if self.kind == OWN:
            return own_source(self.key)
        return page_source(self.kind, self.page)

    @property
    def url(self) -> str:
        if self.kind == PAPER:
            return paper_url(self.key)
        if self.kind == TOPIC:
            return topic_url(self.key, self.page)
        if self.kind == EDITION:
            return edition_url(self.date, self.page)
        if self.kind == TAG:
            return _paged(f"tags/{self.key}/", self.page)
        if self.kind == OWN:
            return own_url(self.key)
        return page_url(self.kind, self.page)

    def at(self, page: int) -> Route:
        """Page ``page`` of the same listing."""
        return Route(self.kind, self.key, page)


_SINGLE_BY_SOURCE = {src: Route(kind) for kind, (src, _) in SINGLE_PAGES.items()}
_INDEX_FOLDERS = {"editions": "editions", "tags": "tags"}


def route(src: str) -> Route:
    """The page whose source path is ``src``; KeyError for a path that is no page."""
    single = _SINGLE_BY_SOURCE.get(src)
    if single is not None:
        return single
    parts = src.removesuffix(".md").split("/")
    if len(parts) == 1:  # a page of content/pages/: about.md
        return Route(OWN, parts[0])
    if len(parts) == 2:
        return Route(_FOLDERS[parts[0]], parts[1])
    if len(parts) == 3 and parts[1] == "page" and parts[2].isdigit():
        return Route(_INDEX_FOLDERS[parts[0]], "", int(parts[2]))
    if len(parts) == 4 and parts[2] == "page" and parts[3].isdigit():
        return Route(_FOLDERS[parts[0]], parts[1], int(parts[3]))
    raise KeyError(src)


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
