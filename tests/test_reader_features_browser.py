"""Reader features in real Chromium: the BibTeX copy button and the related-papers box."""

from __future__ import annotations

import pytest

from .browser import Served, Watched, browser, page, served  # noqa: F401

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
