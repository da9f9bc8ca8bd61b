"""`digest serve` on listings of many pages: a paper added or deleted near the top of a
listing shifts every later page of it, which the preview renders when it is asked for
(or in the background), so that a save is shown as fast on 100 pages as on one.

The project is a realistic corpus of PAPERS papers with PAGE_SIZE entries to a listing
page (twice as many to a tag's), so its commonest tag runs to about 10 pages.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import frontmatter
import pytest

from benchmarks.corpus import make_project
from digest.build import build_site
from digest.site import listings
from digest.site.listings import page_count
from digest.site.routes import tag_url, topic_url
from digest.text.slugs import paper_slug
from tests.support.paged import PAGE_SIZE, PAPERS
from tests.support.serving import BASE, Running, serving

pytestmark = pytest.mark.slow

T = TypeVar("T")
TITLE = "A Paper Added atop Long Listings"
SLUG = paper_slug(TITLE)
_PAPER_LINK = re.compile(r'href="(?:\.\./)*papers/([a-z0-9-]+)/"')
_UPDATED = re.compile(r"updated (\d+) page\(s\), removed (\d+)"
                      r"(?:; (\d+) later listing page\(s\) follow when asked for)?")


def _paged(make: Callable[[], T]) -> T:
    """``make()`` with PAGE_SIZE entries to a listing page."""
    old = os.environ.get("DIGEST_LISTING_PAGE_SIZE")
    os.environ["DIGEST_LISTING_PAGE_SIZE"] = str(PAGE_SIZE)
    try:
        return make()
    finally:
        if old is None:
            del os.environ["DIGEST_LISTING_PAGE_SIZE"]
        else:
            os.environ["DIGEST_LISTING_PAGE_SIZE"] = old


def _build(project: Path, site: Path) -> Path:
    return _paged(lambda: build_site(project, site).site_dir)


TAG_SIZE = _paged(listings.compact_page_size)  # entries to a page of a tag's listing


@dataclass
class Paged:
    preview: Running
    update: tuple[int, int, int]  # what the update of the add printed (_update_after)
    before: Path  # the site a build made before any save
    newest: str  # the newest edition's date
    commonest: str  # the commonest tag: a paper added to it shifts ~20 pages
    filled: str  # a tag whose last page is full: one more paper makes a new page
    topic: str  # the biggest topic
    counts: Counter[str]  # papers by tag and by topic, before any save


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Paged]:
    tmp = tmp_path_factory.mktemp("serve-paged")
    project = make_project(tmp / "project", PAPERS, seed=17)
    metas = [frontmatter.load(p).metadata for p in (project / "content" / "papers").glob("*.md")]
    tags = Counter(t for m in metas for t in m["tags"])
    topics = Counter(t for m in metas for t in m["topics"])
    filled = max((t for t, n in tags.items() if n % TAG_SIZE == 0 and n > TAG_SIZE),
                 key=lambda t: (tags[t], t))
    before = _build(project, tmp / "before")
    with serving(project, {"DIGEST_LISTING_PAGE_SIZE": str(PAGE_SIZE)}) as running:
        yield Paged(running, (0, 0, 0), before, str(max(m["date"] for m in metas)),
                    tags.most_common(1)[0][0], filled, topics.most_common(1)[0][0],
                    tags + topics)


def _listed(html: str) -> list[str]:
    return _PAPER_LINK.findall(html)


def _same_listing(preview: Running, site: Path, first: str) -> int:
    """Every page of the listing at ``first`` lists what the built ``site``'s does, and
    the page after its last is not found; how many pages it has."""
    number = 1
    while True:
        path = first if number == 1 else f"{first}page/{number}/"
        built = site / path / "index.html"
        status, body = preview.get(BASE + path)
        if not built.is_file():
            assert status == 404, f"{path} is served but a build has no such page"
            return number - 1
        assert status == 200, f"{path}: {status}"
        assert _listed(body) == _listed(built.read_text(encoding="utf-8")), path
        number += 1


def _update_after(preview: Running, mark: int) -> tuple[int, int, int]:
    """What the first update printed after ``mark`` characters of output: pages updated,
    removed, and later listing pages left until asked for."""
    deadline = time.monotonic() + 60
    while not (found := _UPDATED.search(preview.output, mark)):
        assert time.monotonic() < deadline, preview.output
        time.sleep(0.2)
    return int(found[1]), int(found[2]), int(found[3] or 0)


@pytest.fixture(scope="module")
def added(paged: Paged) -> Paged:
    """A paper in the newest edition, the commonest tag and the biggest topic: it comes
    first in each, and every later page of them shifts by one."""
    mark = len(paged.preview.output)
    paged.preview.paper(SLUG).write_text(
        f"---\ntitle: {TITLE}\ndate: {paged.newest}\ntopics: [{paged.topic}]\n"
        f"tags: [{paged.commonest}, {paged.filled}]\n---\n\n"
        "A paper saved into the preview comes first in its listings.\n", encoding="utf-8")
    paged.preview.shows(BASE + f"papers/{SLUG}/", TITLE)
    paged.update = _update_after(paged.preview, mark)
    return paged


def test_an_added_paper_renders_first_pages_and_later_pages_when_asked_for(
        added: Paged, tmp_path: Path) -> None:
    preview, counts = added.preview, added.counts
    updated, removed, later = added.update
    shifted = sum(page_count(counts[name] + 1, size) - 1 for name, size in (
        (added.commonest, TAG_SIZE), (added.filled, TAG_SIZE), (added.topic, PAGE_SIZE)))
    # The save renders the first pages of the paper's listings, its own page, home, the
    # indexes and the project's pages: as many whatever the listings' length.
    assert updated <= 25 and removed == 0, (updated, shifted)
    assert later >= shifted
    # The page the paper adds to a tag whose last page was full is rendered in the
    # background before anyone asks for it: the sitemap lists it.
    preview.caught_up()
    new_page = tag_url(added.filled, page_count(counts[added.filled] + 1, TAG_SIZE))
    assert f"{new_page}</loc>" in preview.get(BASE + "sitemap.xml")[1]
    # Every page shows what a build of the project as it is now shows.
    after = _build(preview.project, tmp_path / "after")
    for first in (tag_url(added.commonest), tag_url(added.filled), topic_url(added.topic)):
        assert _same_listing(preview, after, first) > 1
    assert SLUG in _listed(preview.get(BASE + tag_url(added.commonest))[1])


def test_a_deleted_paper_pulls_every_later_page_back(added: Paged) -> None:
    preview = added.preview
    mark = len(preview.output)
    preview.paper(SLUG).unlink()
    preview.wait_for(BASE + f"papers/{SLUG}/", lambda s, b: s == 404,
                     "the deleted paper's page did not go")
    # The page it had made is gone at once; the others are as before the save.
    preview.wait_for(BASE + tag_url(added.filled, page_count(
        added.counts[added.filled] + 1, TAG_SIZE)), lambda s, b: s == 404,
        "the page the paper had made did not go")
    updated, removed, later = _update_after(preview, mark)
    assert removed >= 1 and later > 0
    for first in (tag_url(added.commonest), tag_url(added.filled), topic_url(added.topic)):
        assert _same_listing(preview, added.before, first) > 1
