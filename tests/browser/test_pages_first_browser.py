"""Pages that put papers first: the first paper of a topic page and of the home page's
latest edition is on the first screen, on a laptop and on a phone; the chart follows."""

from __future__ import annotations

import pytest

from tests.support.browser import Served, browser, served  # noqa: F401

pytestmark = [pytest.mark.browser]


def first_paper_box(browser: object, served: Served, path: str,  # noqa: F811
                    width: int, height: int) -> dict:
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(served.url(path))
        return page.evaluate("""() => {
            const item = document.querySelector('li.digest-item');
            const chart = document.querySelector('figure.digest-chart');
            const box = item.getBoundingClientRect();
            return {top: box.top, bottom: box.bottom, scrolled: window.scrollY,
                    title: item.querySelector(':scope > a').getBoundingClientRect().bottom,
                    chartAfter: !chart || !!(item.compareDocumentPosition(chart)
                                             & Node.DOCUMENT_POSITION_FOLLOWING)};
        }""")
    finally:
        context.close()


@pytest.mark.parametrize("path", ["topics/time-series/", "topics/llm-reasoning/"])
def test_topic_page_shows_its_first_paper_without_scrolling(browser: object,  # noqa: F811
                                                            served: Served, path: str) -> None:
    box = first_paper_box(browser, served, path, 1280, 900)
    assert box["scrolled"] == 0 and box["top"] > 0 and box["bottom"] <= 900
    assert box["chartAfter"]  # the chart comes after the papers


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (375, 800)])
def test_home_page_shows_the_latest_papers_above_the_fold(browser: object,  # noqa: F811
                                                          served: Served, width: int,
                                                          height: int) -> None:
    box = first_paper_box(browser, served, "", width, height)
    assert box["scrolled"] == 0 and box["bottom"] <= height
