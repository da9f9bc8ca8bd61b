"""Light pages: no indentation, icons from one cached sprite, and still whole for readers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digest.render.slim import Slimmer
from tests.support.browser import Served, Watched, browser, page, served  # noqa: F401

USE = re.compile(r'<use href="([^"#]+)#([^"]+)"/>')


def _papers(site: Path) -> list[Path]:
    return sorted((site / "papers").glob("*/index.html"))


def test_paper_pages_stay_light(site: Path) -> None:
    for path in _papers(site):
        html = path.read_text(encoding="utf-8")
        article = re.search(r'<article class="digest-paper".*?</article>', html, re.S)[0]
        # Everything around the paper itself: head, header, tabs, navigation, scripts
        # (19 KB before pages were slimmed; 11 KB while they carried the drawer's links,
        # the palette toggle, the search panel and Material's inline scripts and config).
        assert len((html.replace(article, "")).encode()) < 7_400, path
        assert "\n  " not in html.replace(article, "")
        assert "<path" not in html  # every icon comes from the sprite


def test_listing_entries_stay_light(site: Path) -> None:
    """A listed paper is its title, authors, date, topics and excerpt: the markup around
    them stays under 420 bytes (650 while each entry carried its Save toggle, its slug
    as data and an id for the toggle's name)."""
    import html as html_lib

    pages = [site / "index.html", *sorted((site / "topics").glob("*/index.html")),
             *sorted((site / "editions").glob("*/index.html"))]
    entries = [entry for path in pages
               for entry in re.findall(r'<li class="digest-item">.*?</li>',
                                       path.read_text(encoding="utf-8"), re.S)]
    assert len(entries) > 100
    for entry in entries:
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", entry))
        assert len(entry.encode()) - len(text.encode()) < 420, entry


def test_every_icon_resolves_to_a_symbol_of_the_sprite(site: Path) -> None:
    sprite = (site / "assets" / "icons.svg").read_text(encoding="utf-8")
    symbols = set(re.findall(r'<symbol id="([^"]+)"', sprite))
    seen = set()
    for path in [site / "index.html", site / "topics" / "index.html", *_papers(site)[:5]]:
        for href, key in USE.findall(path.read_text(encoding="utf-8")):
            assert (path.parent / href).resolve() == (site / "assets" / "icons.svg").resolve()
            assert key in symbols, (path, key)
            seen.add(key)
    assert seen == symbols  # the sprite holds no icon that no page uses


def test_text_that_keeps_its_whitespace_is_left_alone() -> None:
    html = ('<div>\n    <p>a\n      b</p>\n<pre><code>@misc{x,\n  title = {T}\n}</code></pre>'
            '\n  <textarea>\n  kept</textarea>\n  <script>if (a)\n    b();</script></div>')
    slim = Slimmer().page("papers/x/", html)
    assert slim == ('<div><p>a\nb</p>\n<pre><code>@misc{x,\n  title = {T}\n}</code></pre>'
                    '\n<textarea>\n  kept</textarea>\n<script>if (a)\n    b();</script></div>')


def test_newlines_go_only_where_they_render_as_nothing() -> None:
    """Beside a block-level tag a newline shows nothing; between inline elements (tags
    after "Tags:", Material's inline-block tabs and repository parts) it is a space."""
    html = ('<ul class="t">\n  <li><a>A</a></li>\n  <li><a>B</a></li>\n</ul>\n'
            '<p><span>Tags:</span>\n<a>x</a>\n<a>y</a></p>\n<nav>\n<div>\n<div>i</div>\n'
            '<div>r</div>\n</div>\n</nav>')
    assert Slimmer().page("papers/x/", html) == (
        '<ul class="t"><li><a>A</a></li>\n<li><a>B</a></li></ul><p><span>Tags:</span>\n'
        '<a>x</a>\n<a>y</a></p><nav><div>\n<div>i</div>\n<div>r</div>\n</div></nav>')


def test_the_404_page_keeps_its_icons_inline(site: Path) -> None:
    html = (site / "404.html").read_text(encoding="utf-8")
    assert "<use href" not in html and "<path" in html


@pytest.mark.browser
def test_icons_show_and_the_palette_still_toggles(page: Watched, served: Served) -> None:
    pg = page.page
    first = _papers(served.site_dir)[0].parent.name
    # Pages carry the palette's form empty: palette.js, rendered from mkdocs.yml, fills it.
    html = (served.site_dir / "papers" / first / "index.html").read_text(encoding="utf-8")
    assert '<form class="md-header__option" data-md-component="palette"></form>' in html
    script = (served.site_dir / "assets" / "palette.js").read_text(encoding="utf-8")
    assert "{%" not in script and "Switch to dark mode" in script
    # So does Material's config, which its bundle reads (the BibTeX copy button's title
    # comes from it: test_reader_features_browser.py).
    assert 'id="__config"' not in html
    pg.goto(served.url(f"papers/{first}/"))
    assert pg.locator("label[for=__palette_1]").get_attribute("title") == "Switch to dark mode"
    assert pg.evaluate("JSON.parse(document.getElementById('__config').textContent).base") == (
        served.url())
    # The sprite's icons are drawn: the logo and the search button have painted shapes.
    for selector in (".md-header .md-logo svg", ".md-header .md-source__icon svg"):
        box = pg.locator(selector).first.evaluate(
            "svg => svg.querySelector('use').getBBox().width")
        assert box > 0, selector
    before = pg.locator("body").get_attribute("data-md-color-scheme")
    pg.locator("label[for=__palette_1]").click()
    assert pg.locator("body").get_attribute("data-md-color-scheme") != before
    pg.reload()  # the saved choice is restored before the page is shown
    assert pg.locator("body").get_attribute("data-md-color-scheme") != before
    page.assert_clean()


def test_reused_tabs_and_navigation_link_right_from_every_folder(site: Path) -> None:
    """Header, tabs and navigation are rendered once per folder of out-of-nav pages and
    reused; each page keeps its own title in the header."""
    editions = sorted((site / "editions").glob("*-*/index.html"))
    for path in [*_papers(site), *editions]:
        html = path.read_text(encoding="utf-8")
        frame = re.search(r'<nav class="md-tabs".*?</nav>', html, re.S)[0]
        frame += re.search(r'<header.*?</header>', html, re.S)[0]  # the drawer copies both
        hrefs = re.findall(r'href="([^"#]+)"', frame)
        assert len(hrefs) >= 9
        for href in hrefs:
            if href.startswith("http"):
                continue
            target = (path.parent / href).resolve()
            assert (target / "index.html").is_file() or target.is_file(), (path, href)
        assert "<!--digest-" not in html and "<!--/digest-" not in html
        title = re.search(r"<title>(.*) - Paper Digest</title>", html)[1]
        topic = re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">\s*'
                          r"(.*?)\s*</span>", html, re.S)[1]
        assert topic == title, path


def test_reused_frame_respects_what_a_page_hides(tmp_path: Path) -> None:
    """Two pages in one folder, one hiding the navigation: each gets its own frame."""
    from mkdocs.structure.files import File, InclusionLevel

    from digest.render.frames import frame_folder

    class _Page:
        def __init__(self, url: str, meta: dict) -> None:
            self.url, self.meta = url, meta
            self.file = File("x.md", None, None, True, inclusion=InclusionLevel.NOT_IN_NAV)

    plain, hiding = _Page("papers/a/", {}), _Page("papers/b/", {"hide": ["navigation"]})
    assert frame_folder(plain) != frame_folder(hiding)
    assert frame_folder(plain) == frame_folder(_Page("papers/c/", {}))


def test_listing_entries_carry_only_what_readers_see(site: Path) -> None:
    pages = [site / "index.html", *sorted((site / "topics").glob("*/index.html")),
             *sorted((site / "editions").glob("*/index.html"))]
    for path in pages:
        html = path.read_text(encoding="utf-8")
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), path
        for labels in re.findall(r'aria-labelledby="([^"]+)"', html):
            for target in labels.split():
                assert target in ids, (path, target)
        entries = re.findall(r'<li class="digest-item">.*?</li>', html, re.S)
        assert entries, path
        for entry in entries:
            # The slug stands once, in the title's link: reading.js reads it there and
            # makes the Save toggle (test_listed_papers_and_paper_pages_get_named_...).
            slug = re.search(r'<li class="digest-item">\s*<a href="[./]*papers/([^/"]+)/"',
                             entry)[1]
            assert entry.count(slug) == 1, entry
            assert "<button" not in entry and " id=" not in entry, entry


def _drawer_links(browser: object, url: str) -> tuple[list[str], list[str]]:
    """The links in the drawer a reader opens at phone width, and the page's errors."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto(url)
        pg.locator("label.md-header__button[for=__drawer]").click()
        links = pg.locator(".md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link")
        links.last.wait_for(state="visible")
        assert pg.locator(".md-nav--primary > .md-nav__title").inner_text().strip() == (
            "Paper Digest")
        assert pg.locator(".md-nav--primary > .md-nav__source a").get_attribute("href") == (
            "https://github.com/paper-digest/paper-digest")
        return [links.nth(i).get_attribute("href") for i in range(links.count())], errors
    finally:
        context.close()


@pytest.mark.browser
def test_the_drawer_of_a_paper_page_lists_the_sections_on_a_phone(
        browser: object, served: Served) -> None:  # noqa: F811
    """The drawer of paper pages is built from the tabs by drawer.js: on a phone it lists
    every section, and each link opens its page."""
    first = _papers(served.site_dir)[0].parent.name
    on_paper, errors = _drawer_links(browser, served.url(f"papers/{first}/"))
    assert errors == []
    names = [href.rstrip("/").rpartition("/")[2] for href in on_paper]
    assert names == ["..", "topics", "editions", "tags", "search", "saved", "about"]
    for href in on_paper:
        target = (served.site_dir / "papers" / first / href).resolve()
        assert (target / "index.html").is_file(), href


@pytest.mark.browser
def test_without_javascript_a_phone_keeps_the_tabs(browser: object, served: Served) -> None:  # noqa: F811
    first = _papers(served.site_dir)[0].parent.name
    context = browser.new_context(viewport={"width": 375, "height": 800},
                                  java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(served.url(f"papers/{first}/"))
        tabs = pg.locator(".md-tabs")
        assert tabs.is_visible()
        assert tabs.locator(".md-tabs__link").first.is_visible()
        hrefs = tabs.locator(".md-tabs__link").evaluate_all("as => as.map(a => a.href)")
        assert len(hrefs) >= 7 and any(h.endswith("/topics/") for h in hrefs)
    finally:
        context.close()


@pytest.mark.browser
def test_the_header_search_panel_made_by_search_js_shows_results(
        page: Watched, served: Served) -> None:
    """Pages carry the header box as a plain form (it opens the search page without
    JavaScript); search.js adds the result panel, the combobox roles and the hints for
    phone keyboards (only with JavaScript does the search page find anything)."""
    first = _papers(served.site_dir)[0]
    html = first.read_text(encoding="utf-8")
    assert "md-search__output" not in html and 'role="combobox"' not in html
    assert "autocapitalize" not in html and "enterkeyhint" not in html
    assert re.search(r'<form class="md-search__form" action="\.\./\.\./search/"', html)
    pg = page.page
    pg.goto(served.url(f"papers/{first.parent.name}/"))
    box = pg.locator("#digest-header-q")
    assert box.get_attribute("role") == "combobox"
    assert [box.get_attribute(name) for name in ("autocapitalize", "autocorrect",
                                                 "autocomplete", "spellcheck",
                                                 "enterkeyhint")] == [
        "off", "off", "off", "false", "search"]
    # The logo and the Clear button are named by their titles alone.
    assert pg.get_by_role("link", name="Paper Digest", exact=True).first.is_visible()
    assert pg.get_by_role("button", name="Clear", exact=True).count() == 1
    box.fill("diffusion")
    pg.wait_for_function(
        "() => document.getElementById('digest-search-list').dataset.query === 'diffusion'",
        timeout=15_000)
    assert pg.locator("#digest-search-list [role=option]").first.is_visible()
    assert "match" in pg.locator("#digest-search-status").inner_text()
    assert pg.locator("[data-digest-search-all]").get_attribute("href").endswith(
        "/search/?q=diffusion")
    page.assert_clean()


@pytest.mark.browser
def test_listed_papers_and_paper_pages_get_named_save_toggles(
        page: Watched, served: Served) -> None:
    """reading.js gives every listed paper, and the paper of a paper page, its Save
    toggle: named "Save" and the paper's title, and it saves."""
    pg = page.page
    pg.goto(served.url("topics/time-series/"))
    items = pg.locator("li.digest-item")
    assert items.count() >= 2
    assert items.locator("button.digest-save").count() == items.count()
    assert pg.locator("li.digest-item[data-digest-item]").count() == items.count()
    ids = pg.locator("[id]").evaluate_all("els => els.map(e => e.id)")
    assert len(ids) == len(set(ids))
    first = items.first.locator("button.digest-save")
    title = items.first.locator(":scope > a").inner_text()
    assert pg.get_by_role("button", name=f"Save {title}", exact=True).count() == 1
    assert first.is_visible() and first.get_attribute("aria-pressed") == "false"
    first.click()
    pg.wait_for_function("() => document.querySelector('li.digest-item .digest-save')"
                         ".getAttribute('aria-pressed') === 'true'")
    slug = items.first.get_attribute("data-digest-item")
    pg.goto(served.url(f"papers/{slug}/"))
    toggle = pg.locator("[data-digest-paper] .digest-actions button.digest-save")
    assert toggle.count() == 1 and toggle.get_attribute("aria-pressed") == "true"
    # Between the topics and the abstract, where the page showed it before.
    assert toggle.evaluate("b => b.parentNode.nextElementSibling.className") == (
        "digest-abstract")
    page.assert_clean()
