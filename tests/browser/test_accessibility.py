"""axe-core finds no serious or critical problem on the main pages, in light and dark,
on a desktop and at phone width; and nothing scrolls sideways on a phone.

axe-core comes bundled with axe-playwright-python and is injected into the page, so
the check needs no network.
"""

from __future__ import annotations

import pytest

from tests.support.browser import Served, browser, served  # noqa: F401

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "topic": "topics/time-series/",
    "paper": "papers/autoformer-decomposition-transformers-with-auto-correlation-for-long-term-"
             "series/",
    "search": "search/?q=diffusion",
}
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's scheme


def serious_violations(page: object) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_main_pages_pass_axe(served: Served, browser: object, scheme: str,  # noqa: F811
                             width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    try:
        for name, path in PAGES.items():
            page.goto(served.url(path))
            assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
            page.wait_for_load_state("networkidle")  # search results drawn, if any
            found = serious_violations(page)
            if found:
                problems[name] = found
            if width == 375:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= 375, f"{name} scrolls sideways at 375 px ({scroll} px wide)"
    finally:
        context.close()
    assert problems == {}


def test_palette_toggle_switches_to_a_dark_scheme_that_passes(
        served: Served, browser: object) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    try:
        page.goto(served.url("topics/time-series/"))
        page.get_by_title("Switch to dark mode").first.click()
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background != "rgb(255, 255, 255)"
        assert serious_violations(page) == []
    finally:
        context.close()
