"""Reader features in real Chromium: the BibTeX copy button and the related-papers box."""

from __future__ import annotations

import pytest

from tests.support.browser import Served, Watched, browser, page, served  # noqa: F401

pytestmark = [pytest.mark.browser]


def test_bibtex_copy_button_copies_the_entry(page: Watched, served: Served) -> None:  # noqa: F811
    slug = "pfgm-unlocking-the-potential-of-physics-inspired-generative-models"
    pg = page.page
    pg.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                 origin=served.url().split("/paper-digest/")[0])
    pg.goto(served.url(f"papers/{slug}/"))
    button = pg.locator(".digest-cite pre button[title='Copy to clipboard']")
    button.wait_for(timeout=10_000)
    entry = pg.locator(".digest-cite pre code").inner_text()
    assert entry.startswith("@misc{pfgmunlocking,")
    button.click()
    copied = pg.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == entry.strip()
    assert pg.get_by_role("heading", name="Related papers").is_visible()
    page.assert_clean()


def test_feed_links_cost_no_extra_download(page: Watched, served: Served) -> None:
    """Feed links must not make Material fetch sitemap.xml (megabytes on a big digest)."""
    pg = page.page
    failed: list[str] = []
    sitemaps: list[str] = []
    pg.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    pg.on("request", lambda r: sitemaps.append(r.url) if "sitemap" in r.url else None)
    for path in ("", "topics/time-series/", "papers/generative-marginalization-models/"):
        pg.goto(served.url(path))
        pg.wait_for_load_state("networkidle")
        subscribe = pg.locator(".digest-subscribe a[type='application/atom+xml']").first
        if path != "papers/generative-marginalization-models/":
            assert subscribe.is_visible()
            feed = pg.request.get(subscribe.evaluate("a => a.href"))
            assert feed.ok and b"<feed xmlns=\"http://www.w3.org/2005/Atom\"" in feed.body()
    assert failed == []
    assert sitemaps == []
    page.assert_clean()
