"""Listings in pages: no page over its budget, no paper lost between pages, every paper
a few clicks from the home page, every page in the sitemap.

The site is a realistic corpus (benchmarks/corpus.py: authors, ids, tags from a shared
vocabulary, daily editions of 50) with a small page size, so that topics, tags, editions
and the tags index all run to several pages.
"""

from __future__ import annotations

import json
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from digest.site import listings
from digest.text.slugs import slugify
from tests.support.data_export import read_export
from tests.support.paged import PAGE_SIZE, PAPERS, paged_site  # noqa: F401

BUDGET = 200_000  # bytes of HTML a page may weigh, at any size of digest
MAX_CLICKS = 5  # home -> editions -> an editions page -> an edition -> its page -> paper


class Links(HTMLParser):
    """The hrefs of a page, its rel=next link, and the papers its listing shows."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.next: str | None = None
        self.listed: list[str] = []
        self._item = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li" and a.get("class") == "digest-item":
            self._item = True
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
            if a.get("rel") == "next" and self.next is None:
                self.next = a["href"]
            if self._item and "/papers/" in "/" + (a["href"] or ""):
                self.listed.append(a["href"] or "")
                self._item = False


def links(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target(page: Path, href: str, site: Path) -> Path | None:
    """The index.html a relative link of ``page`` leads to, if it is a page of the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = (page.parent / unquote(parts.path)).resolve()
    path = path / "index.html" if href.split("?")[0].endswith("/") else path
    return path if path.suffix == ".html" and path.is_relative_to(site.resolve()) else None


def slug_of(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1]


def walk(first: Path, site: Path) -> tuple[list[Path], list[str]]:
    """The pages of a listing, from its first by rel=next, and the papers they list."""
    pages, papers, page = [], [], first
    while page is not None:
        assert page not in pages, f"{page}: the next links go round in a circle"
        pages.append(page)
        found = links(page)
        papers += [slug_of(h) for h in found.listed]
        page = target(page, found.next, site) if found.next else None
    return pages, papers


def papers_json(site: Path) -> list[dict]:
    return read_export(site)["papers"]


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_page_over_its_budget(paged_site: Path) -> None:
    """Every page is under 200 KB; and at the default page sizes the largest listing
    page, entries of the largest size seen here, stays under it too: 50 full entries,
    or a tag's 100 compact ones."""
    sizes = {p: p.stat().st_size for p in html_pages(paged_site)}
    assert max(sizes.values()) < BUDGET, max(sizes, key=sizes.get)
    entry_bytes, frame_bytes = {"full": 0, "compact": 0}, 0
    for path in [*paged_site.glob("topics/*/index.html"), *paged_site.glob("tags/*/index.html"),
                 *paged_site.glob("editions/*/index.html")]:
        html = path.read_text(encoding="utf-8")
        entries = re.findall(r'<li class="digest-item">.*?</li>', html, re.S)
        compact = path.parts[-3] == "tags"
        assert len(entries) <= (2 if compact else 1) * PAGE_SIZE, path
        if entries:
            kind = "compact" if compact else "full"
            entry_bytes[kind] = max(entry_bytes[kind], *(len(e.encode()) for e in entries))
            frame_bytes = max(frame_bytes, len(html.encode()) - sum(len(e.encode())
                                                                    for e in entries))
    assert frame_bytes + listings.PAGE_SIZE * entry_bytes["full"] < BUDGET, entry_bytes
    assert frame_bytes + listings.COMPACT_PAGE_SIZE * entry_bytes["compact"] < BUDGET, \
        entry_bytes


def test_tags_index_lists_tags_with_counts_and_links_each_to_its_pages(
        paged_site: Path) -> None:
    papers = papers_json(paged_site)
    counts: dict[str, set[str]] = {}
    for paper in papers:
        for tag in paper["tags"]:
            counts.setdefault(slugify(tag), set()).add(paper["slug"])
    pages, _ = walk(paged_site / "tags" / "index.html", paged_site)
    assert len(pages) > 1  # the index itself runs to several pages
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    linked = re.findall(r'<a href="(?:\.\./)*(?:tags/)?([a-z0-9-]+)/">[^<]+</a> '
                        r'<span class="digest-count">\((\d+)\)</span>', text)
    assert {slug: int(n) for slug, n in linked} == {s: len(v) for s, v in counts.items()}


@pytest.mark.parametrize("kind", ["topics", "tags", "editions"])
def test_no_paper_lost_between_pages(paged_site: Path, kind: str) -> None:
    """Walking a listing's pages by "Next" gives each of its papers once, newest first,
    and "page N of M" and the total agree with it."""
    papers = papers_json(paged_site)
    date = {p["slug"]: (p["date"], p["slug"]) for p in papers}
    expected: dict[str, list[str]] = {}
    for paper in papers:
        keys = {"topics": paper["topics"], "tags": {slugify(t) for t in paper["tags"]},
                "editions": [paper["date"]]}[kind]
        for key in keys:
            expected.setdefault(key, []).append(paper["slug"])
    several = 0
    for key, slugs in expected.items():
        pages, listed = walk(paged_site / kind / key / "index.html", paged_site)
        assert sorted(listed) == sorted(slugs), (kind, key)
        assert listed == sorted(listed, key=lambda s: (-int(date[s][0].replace("-", "")),
                                                       date[s][1])), (kind, key)
        count = len(pages)
        assert count == -(-len(slugs) // ((2 if kind == "tags" else 1) * PAGE_SIZE))
        for number, page in enumerate(pages, 1):
            html = page.read_text(encoding="utf-8")
            if count > 1:
                assert f"Page {number} of {count}: papers" in html, page
                assert f"of {len(slugs)}</p>" in html, page
        several += count > 1
    assert several >= 3, kind  # the test saw listings of several pages


def test_every_paper_is_a_few_clicks_from_the_home_page(paged_site: Path) -> None:
    depth = {(paged_site / "index.html").resolve(): 0}
    queue = deque(depth)
    while queue:
        page = queue.popleft()
        if depth[page] == MAX_CLICKS or page.parent.parent.name == "papers":
            continue  # a paper page is where a path ends
        for href in links(page).hrefs:
            found = target(page, href, paged_site)
            if found is not None and found not in depth and found.is_file():
                depth[found] = depth[page] + 1
                queue.append(found)
    papers = {p.resolve() for p in paged_site.glob("papers/*/index.html")}
    assert len(papers) == PAPERS
    assert papers <= set(depth), sorted(papers - set(depth))[:3]


def test_the_sitemap_lists_every_page(paged_site: Path) -> None:
    sitemap = (paged_site / "sitemap.xml").read_text(encoding="utf-8")
    base = "https://paper-digest.github.io/paper-digest/"
    listed = {loc.removeprefix(base) for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
    pages = {str(p.parent.relative_to(paged_site)) + "/" for p in html_pages(paged_site)
             if p.name == "index.html" and p.parent != paged_site}
    assert pages - listed == set()
    assert {"topics/vision/page/2/", "tags/page/2/"} <= listed


def test_feeds_and_exports_still_hold_every_paper(paged_site: Path) -> None:
    assert len(papers_json(paged_site)) == PAPERS
    bib = (paged_site / "papers.bib").read_text(encoding="utf-8")
    assert len(re.findall(r"^@\w+\{", bib, re.M)) == PAPERS
    pagefind = paged_site / "pagefind" / "pagefind-entry.json"
    assert json.loads(pagefind.read_text())["languages"]["en"]["page_count"] == PAPERS


def test_tag_pages_and_topic_archives_list_compact_entries_first_topic_pages_excerpts(
        paged_site: Path) -> None:
    """A tag page, and a topic's pages after the first (its archive), list each paper by
    title, first authors and date, without the excerpt and topic links a topic's first
    page shows (tag pages were a tenth of the site, topic archives an eighth)."""
    def entries(*globs: str) -> list[str]:
        return [e for glob in globs for p in paged_site.glob(glob)
                for e in re.findall(r'<li class="digest-item">.*?</li>',
                                    p.read_text(encoding="utf-8"), re.S)]

    compact = entries("tags/*/index.html", "tags/*/page/*/index.html",
                      "topics/*/page/*/index.html")
    newest = entries("topics/*/index.html")
    assert compact and newest and entries("topics/*/page/*/index.html")
    for entry in compact:
        assert "<p>" not in entry and "/topics/" not in entry, entry
        assert re.search(r'<div class="digest-item__meta">[^<]* · <time datetime=', entry), entry
    topic_links = r'<div class="digest-item__meta">[^\n]*<a href='
    assert all("<p>" in e and re.search(topic_links, e) for e in newest)
    mean = {name: sum(map(len, found)) / len(found)
            for name, found in (("compact", compact), ("newest", newest))}
    assert mean["compact"] < 0.6 * mean["newest"], mean
