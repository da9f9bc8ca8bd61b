"""Paginated listings in Chromium: Next and Previous walk a topic's pages, the counts
agree with what is listed, no paper is lost between pages, and the search link opens
the search page filtered the same way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import Served, Watched, browser, page, serve_site  # noqa: F401
from tests.support.data_export import read_export
from tests.support.paged import PAGE_SIZE, paged_site  # noqa: F401

TOPIC = "vision"


@pytest.fixture(scope="module")
def paged(paged_site: Path, tmp_path_factory: pytest.TempPathFactory,  # noqa: F811
          ) -> Iterator[Served]:
    server, info = serve_site(paged_site, tmp_path_factory.mktemp("paged-www"))
    yield info
    server.shutdown()


def listed(pg: object) -> list[str]:
    return [h.rstrip("/").rsplit("/", 1)[-1] for h in pg.locator(
        "li.digest-item > a").evaluate_all("links => links.map(a => a.href)")]


def test_next_and_previous_walk_every_page_of_a_topic(page: Watched, paged: Served) -> None:
    data = read_export(paged.site_dir)
    expected = [p["slug"] for p in data["papers"] if TOPIC in p["topics"]]
    title = next(t["title"] for t in data["topics"] if t["slug"] == TOPIC)
    count = -(-len(expected) // PAGE_SIZE)
    assert count > 2
    pg = page.page
    pg.goto(paged.url(f"topics/{TOPIC}/"))
    seen: list[str] = []
    for number in range(1, count + 1):
        status = pg.locator(".digest-pager__status").inner_text()
        first = (number - 1) * PAGE_SIZE + 1
        last = min(number * PAGE_SIZE, len(expected))
        assert status == f"Page {number} of {count}: papers {first}–{last} of {len(expected)}"
        assert pg.locator('[aria-current="page"]').inner_text() == str(number)
        seen += listed(pg)
        assert (pg.locator('a[rel="prev"]').count() == 0) == (number == 1)
        if number < count:
            pg.locator('a[rel="next"]').click()
            pg.wait_for_url(f"**/topics/{TOPIC}/page/{number + 1}/")
    assert pg.locator('a[rel="next"]').count() == 0
    assert seen == expected  # newest first (papers.json.gz's order), none lost or twice
    last_page = listed(pg)
    pg.locator('a[rel="prev"]').click()
    pg.wait_for_url(f"**/topics/{TOPIC}/page/{count - 1}/")
    assert listed(pg) == expected[(count - 2) * PAGE_SIZE:(count - 1) * PAGE_SIZE]
    assert listed(pg) != last_page
    pg.get_by_role("link", name="Page 1", exact=True).click()
    pg.wait_for_url(f"**/topics/{TOPIC}/")
    assert listed(pg) == expected[:PAGE_SIZE]
    # Anything deeper: the search page, filtered by the topic, newest first.
    pg.get_by_role("link", name=re.compile(r"^Search, sort and filter these")).click()
    pg.wait_for_url("**/search/?topic=*")
    assert pg.locator("#digest-sp-sort").input_value() == "newest"
    pg.wait_for_function("document.querySelectorAll('#digest-sp-list li').length > 0")
    assert f"{len(expected)}" in pg.locator("#digest-sp-status").inner_text()
    assert title in pg.locator("#digest-sp-facets").inner_text()
    page.assert_clean()


def test_a_tag_page_and_the_tags_index_page_by_page(page: Watched, paged: Served) -> None:
    pg = page.page
    pg.goto(paged.url("tags/"))
    total = int(re.match(r"(\d+) tags", pg.locator(".digest-count").first.inner_text())[1])
    names = []
    while True:
        names += pg.locator(".digest-tag-cloud > a").all_inner_texts()
        if pg.locator('a[rel="next"]').count() == 0:
            break
        pg.locator('a[rel="next"]').click()
        pg.wait_for_load_state()
    assert len(names) == len(set(names)) == total
    pg.goto(paged.url("tags/"))
    tag = pg.locator(".digest-tag-cloud > a").first
    count = int(pg.locator(".digest-tag-cloud > .digest-count").first.inner_text().strip("()"))
    tag.click()
    pg.wait_for_url("**/tags/*/")
    assert pg.locator(".digest-count").first.inner_text().startswith(f"{count} paper")
    page.assert_clean()
