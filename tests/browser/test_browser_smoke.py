"""A reader opens the home page, follows a topic, opens a paper: in real Chromium."""

from __future__ import annotations

from tests.support.browser import Served, Watched, browser, page, served  # noqa: F401

pytestmark = [__import__("pytest").mark.browser]


def test_reader_browses_from_home_to_a_paper(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url())
    assert "Paper Digest" in pg.title()
    pg.get_by_role("link", name="Time series").first.click()
    pg.wait_for_url("**/topics/time-series/")
    assert pg.locator("h1").inner_text() == "Time series"
    pg.get_by_role("link", name="Autoformer: Decomposition Transformers with Auto-Correlation "
                   "for Long-Term Series Forecasting").click()
    pg.wait_for_url("**/papers/autoformer-*/")
    assert "Autoformer" in pg.title()
    assert pg.locator(".digest-abstract").inner_text().startswith("Extending the forecasting")
    page.assert_clean()


def test_header_search_shows_results_and_opens_search(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url("topics/"))
    box = pg.locator("#digest-header-q")
    box.fill("Autoformer")
    first = pg.locator("#digest-search-list [role=option] .digest-result__title").first
    first.wait_for(timeout=10_000)
    assert first.inner_text().startswith("Autoformer")
    box.press("Enter")  # no result chosen: the search page takes the query
    pg.wait_for_url("**/search/?q=Autoformer")
    first = pg.locator("#digest-sp-list .digest-result__title").first
    first.wait_for(timeout=10_000)
    assert first.inner_text().startswith("Autoformer")
    page.assert_clean()


def test_drawer_and_search_are_closed_when_the_reader_comes_back(page: Watched,
                                                                  served: Served) -> None:
    """Material's toggles are checkboxes: a browser restores a checked one on Back unless
    told not to. HTML allows that only through their form (compat.valid_toggles)."""
    pg = page.page
    pg.set_viewport_size({"width": 375, "height": 800})
    pg.goto(served.url("topics/"))
    pg.click('label.md-header__button[for="__drawer"]')
    pg.locator("#__search").dispatch_event("click")  # as the search icon's label does
    assert pg.is_checked("#__drawer") and pg.is_checked("#__search")
    pg.goto(served.url("about/"))
    pg.go_back()
    pg.wait_for_url("**/topics/")
    assert not pg.is_checked("#__drawer"), "the drawer is open again on Back"
    assert not pg.is_checked("#__search"), "the search box is open again on Back"
    page.assert_clean()
