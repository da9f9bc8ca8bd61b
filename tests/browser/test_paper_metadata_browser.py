"""A paper's metadata in real Chromium: the TeX title drawn as MathML, the author filter
in the Pagefind index, and axe-core content with the new elements."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from tests.browser.test_accessibility import serious_violations
from tests.e2e.test_paper_metadata import AUTHORS, JWST, build_metadata_site
from tests.support.browser import Served, Watched, browser, page, serve_site  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def metadata_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site = build_metadata_site(tmp_path_factory)
    server, served = serve_site(site, tmp_path_factory.mktemp("www"))
    yield served
    server.shutdown()


def test_tex_title_renders_as_mathml_in_the_heading(page: Watched,  # noqa: F811
                                                    metadata_served: Served) -> None:
    pg = page.page
    pg.goto(metadata_served.url(f"papers/{JWST}/"))
    heading = pg.locator("article h1")
    assert pg.evaluate("document.querySelector('article h1 math') instanceof MathMLElement")
    box = pg.locator("article h1 math").bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10  # drawn, not hidden
    text = heading.inner_text()
    assert text.startswith("Galaxies at") and "$" not in text and "\\sim" not in text
    assert text.rstrip().endswith("with JWST")
    page.assert_clean()


def test_author_link_opens_the_search_page_and_author_is_a_pagefind_filter(
        page: Watched, metadata_served: Served) -> None:  # noqa: F811
    """search.js makes each author's name a link to the search page filtered by them."""
    pg = page.page
    pg.goto(metadata_served.url(f"papers/{JWST}/"))
    hrefs = [pg.get_by_role("link", name=name, exact=True).get_attribute("href")
             for name in AUTHORS]
    assert hrefs == [f"/paper-digest/search/?{urlencode({'author': name})}"
                     for name in AUTHORS]
    assert "?author=Zo%C3%AB+O%27Brien-M%C3%BCller" in hrefs[0]
    pg.get_by_role("link", name="Grace Hopper").click()
    pg.wait_for_url("**/search/?author=Grace+Hopper")
    found = pg.evaluate("""async (root) => {
        const pagefind = await import(root + 'pagefind/pagefind.js');
        const filters = await pagefind.filters();
        const search = await pagefind.search(null, {filters: {author: 'Grace Hopper'}});
        const data = await Promise.all(search.results.map(r => r.data()));
        return {authors: Object.keys(filters.author || {}).sort(),
                titles: data.map(d => d.meta.title)};
    }""", metadata_served.url())
    assert found["authors"] == sorted([*AUTHORS, "Ada Lovelace", "Charles Babbage"])
    assert found["titles"] == ["Galaxies at z∼10–16 with JWST"]
    page.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_paper_page_and_listing_with_metadata_pass_axe(browser: object,  # noqa: F811
                                                        metadata_served: Served,
                                                        scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    pg = context.new_page()
    problems: dict[str, list[str]] = {}
    try:
        for path in (f"papers/{JWST}/", "papers/two-authors-one-upvote/",
                     "editions/2026-03-11/"):
            pg.goto(metadata_served.url(path))
            pg.wait_for_load_state("networkidle")
            if found := serious_violations(pg):
                problems[path] = found
    finally:
        context.close()
    assert problems == {}
