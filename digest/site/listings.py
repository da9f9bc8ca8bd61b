"""Listings cut into pages: how many entries a page holds, and each page's pager.

A topic's, an edition's or a tag's papers, newest first, PAGE_SIZE to a page, keep
every page small however many papers the digest holds (50 listing entries are about
50 KB of HTML; a tag's pages hold COMPACT_PAGE_SIZE compact entries); the indexes of all editions and all tags hold INDEX_PAGE_SIZE short
entries to a page. Page 1 is the listing's own URL and page n is ``<it>/page/n/``
(digest.site.routes), so a page's address stays as long as the listing's papers do.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from digest.site.routes import Route

PAGE_SIZE = 50
COMPACT_PAGE_SIZE = 100  # a tag's pages: title, authors and date, a third of an entry
INDEX_PAGE_SIZE = 200
# A pager names every page up to this many; beyond, the first, the last and the two on
# either side of the current one.
ALL_PAGES = 20
T = TypeVar("T")


def page_size() -> int:
    """PAGE_SIZE, or ``DIGEST_LISTING_PAGE_SIZE`` (tests: many pages of a small site)."""
    value = os.environ.get("DIGEST_LISTING_PAGE_SIZE", "")
    return int(value) if value.isdigit() and int(value) > 0 else PAGE_SIZE


def compact_page_size() -> int:
    """COMPACT_PAGE_SIZE, or two listing pages' worth under ``DIGEST_LISTING_PAGE_SIZE``:
    a page of compact entries (tag pages) weighs about what a page of 50 full ones does,
    and half as many pages is half as many frames (about a tenth of the site's tag pages
    at 10,000 papers)."""
    return COMPACT_PAGE_SIZE if page_size() == PAGE_SIZE else 2 * page_size()


def index_page_size() -> int:
    """INDEX_PAGE_SIZE, or four listing pages' worth under ``DIGEST_LISTING_PAGE_SIZE``."""
    return INDEX_PAGE_SIZE if page_size() == PAGE_SIZE else 4 * page_size()


def page_count(total: int, size: int) -> int:
    """Pages of a listing of ``total`` entries: at least one, even when empty."""
    return max(1, -(-total // size))


@dataclass(frozen=True)
class PageLink:
    """One numbered link of a pager; ``url`` None for the page it is on."""

    number: int
    url: str | None


@dataclass(frozen=True)
class Pager:
    """Where a page stands in its listing, and the links to the others."""

    number: int
    count: int
    total: int
    first: int  # the 1-based position of the page's first entry
    last: int
    prev: str | None
    next: str | None
    links: tuple[PageLink | None, ...]  # None: a gap ("…")
    search: str | None  # the search page filtered as the listing is

    @property
    def paged(self) -> bool:
        return self.count > 1


def _numbers(number: int, count: int) -> list[int | None]:
    if count <= ALL_PAGES:
        return list(range(1, count + 1))
    shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def pager(where: Route, total: int, size: int, search: str | None = None) -> Pager:
    """The pager of page ``where.page`` of a listing of ``total`` entries."""
    number, count = where.page, page_count(total, size)
    links = tuple(None if n is None else PageLink(n, None if n == number else where.at(n).url)
                  for n in _numbers(number, count))
    return Pager(number=number, count=count, total=total,
                 first=min(total, (number - 1) * size + 1), last=min(total, number * size),
                 prev=where.at(number - 1).url if number > 1 else None,
                 next=where.at(number + 1).url if number < count else None,
                 links=links, search=search)


def page_items(items: Sequence[T], page: int, size: int) -> Sequence[T]:
    """The entries on page ``page`` (1-based)."""
    return items[(page - 1) * size:page * size]
