"""Search as readers use it, in real Chromium against the built site under a sub-path.

The header box on every page (results as you type, keyboard), the search page (facets,
sort, state in the URL, back button) and the highlight on the page a result opens.
Every test also checks that nothing left 127.0.0.1 and the console stayed clean.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.build import build_site
from tests.conftest import copy_project, write_paper
from tests.support.browser import SUB_PATH, Served, Watched, browser, page, serve_site, served  # noqa: F401

pytestmark = [pytest.mark.browser]

SELF_CORRECT = "Training Language Models to Self-Correct via Reinforcement Learning"
SELF_CORRECT_SLUG = "training-language-models-to-self-correct-via-reinforcement-learning"
TIME_SERIES_BOX = 'input[name="topic"][value="Time series"]'


# --- helpers -------------------------------------------------------------------------
def header_search(pg: object, text: str) -> object:
    """Type ``text`` into the header box; wait until the list shows it; return the options."""
    pg.locator("#digest-header-q").fill(text)
    pg.wait_for_function(
        "q => document.getElementById('digest-search-list').dataset.query === q",
        arg=text.strip(), timeout=15_000)
    return pg.locator("#digest-search-list [role=option]")


def wait_for_search_page(pg: object) -> None:
    """Wait until the search page's results show the state in the address bar (also
    across a navigation to the search page, when the old page has no result list)."""
    pg.wait_for_function(
        "() => { const list = document.getElementById('digest-sp-list'); return !!list && "
        "list.dataset.shows === location.pathname + location.search; }", timeout=15_000)


def result_links(pg: object) -> list[str]:
    return pg.locator("#digest-sp-list .digest-result__title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")


def slug_of(href: str) -> str:
    match = re.search(r"/papers/([a-z0-9-]+)/", href)
    assert match, href
    return match.group(1)


def topic_papers(site: Path, topic: str) -> set[str]:
    text = (site / "topics" / topic / "index.html").read_text("utf-8")
    return set(re.findall(r'<li class="digest-item">\s*<a href="\.\./\.\./papers/([a-z0-9-]+)/"',
                          text))


def abstract_text(site: Path, slug: str) -> str:
    text = (site / "papers" / slug / "index.html").read_text("utf-8")
    section = re.search(r'<section class="digest-abstract".*?</section>', text, re.S).group(0)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


# --- the header box, on every page ---------------------------------------------------
def test_exact_title_puts_that_paper_first(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url("topics/"))
    options = header_search(pg, SELF_CORRECT)
    first = options.first
    # Links carry the sub-path the site is served from, and the words to highlight.
    href = first.get_attribute("href")
    assert href.startswith(f"{SUB_PATH}papers/{SELF_CORRECT_SLUG}/?pagefind-highlight=")
    assert first.locator(".digest-result__title").inner_text() == SELF_CORRECT
    assert first.locator(".digest-result__date").inner_text() == "11 March 2026"
    chips = first.locator(".digest-result__chip").all_inner_texts()
    assert "Reinforcement learning" in chips
    # The excerpt is abstract text with the matched words marked, not the page's meta line.
    excerpt = " ".join(first.locator(".digest-result__excerpt").inner_text().split())
    assert first.locator(".digest-result__excerpt mark").count() > 0
    assert "Edition" not in excerpt and "March 2026" not in excerpt
    assert excerpt.strip("…").rstrip(".") in abstract_text(served.site_dir, SELF_CORRECT_SLUG)
    page.assert_clean()


def test_topic_phrase_returns_papers_of_that_topic(page: Watched, served: Served) -> None:
    pg = page.page
    expected = topic_papers(served.site_dir, "time-series")
    assert len(expected) >= 3
    pg.goto(served.url("search/?q=time+series"))
    wait_for_search_page(pg)
    found = [slug_of(href) for href in result_links(pg)]
    assert set(found[:len(expected)]) == expected  # the topic's papers come first
    page.assert_clean()


def test_keyboard_focus_arrows_enter_and_highlight(page: Watched, served: Served) -> None:
    pg = page.page
    fetched: list[str] = []
    pg.on("request", lambda request: fetched.append(request.url))
    pg.goto(served.url("papers/" + SELF_CORRECT_SLUG + "/"))
    pg.wait_for_load_state("networkidle")
    # Ordinary page loads fetch nothing for search: Pagefind loads on first use.
    assert not [url for url in fetched if "/pagefind/" in url]
    pg.keyboard.press("/")
    assert pg.evaluate("document.activeElement.id") == "digest-header-q"
    assert pg.locator("#__search").is_checked()  # Material's search box is open
    options = header_search(pg, "diffusion")
    assert options.count() >= 3
    box = pg.locator("#digest-header-q")
    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert second.get_attribute("aria-selected") == "true"
    target = second.get_attribute("href")
    box.press("Enter")
    pg.wait_for_url(lambda url: url.endswith(target))
    # On a page other than the search page, Pagefind runs without its web worker.
    assert not [url for url in fetched if url.endswith("pagefind-worker.js")]
    # The page the result opened marks the matched word.
    marks = pg.locator("article.digest-paper mark.digest-highlight")
    marks.first.wait_for(timeout=10_000)
    assert all("diffusion" in t.lower() for t in marks.all_inner_texts())
    assert pg.locator(".digest-abstract mark.digest-highlight").count() > 0
    page.assert_clean()


def test_escape_closes_and_s_reopens(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url())
    pg.keyboard.press("s")
    box = pg.locator("#digest-header-q")
    header_search(pg, "reward")
    assert box.get_attribute("aria-expanded") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert not pg.locator("#__search").is_checked()
    box.press("Escape")
    assert pg.evaluate("document.activeElement.id") != "digest-header-q"
    pg.keyboard.press("s")  # typed outside a field: focuses the box, types nothing
    assert pg.evaluate("document.activeElement.id") == "digest-header-q"
    assert box.input_value() == "reward"
    page.assert_clean()


def test_header_enter_without_choice_opens_the_search_page(page: Watched,
                                                            served: Served) -> None:
    pg = page.page
    pg.goto(served.url("editions/"))
    header_search(pg, "reward model")
    pg.locator("#digest-header-q").press("Enter")
    pg.wait_for_url("**/search/?q=reward+model")
    wait_for_search_page(pg)
    assert pg.locator("#digest-sp-q").input_value() == "reward model"
    assert pg.locator("#digest-sp-list > li").count() > 0
    page.assert_clean()


# --- the search page -----------------------------------------------------------------
def test_topic_facet_narrows_and_back_restores(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url("search/?q=diffusion"))
    wait_for_search_page(pg)
    before = result_links(pg)
    time_series = topic_papers(served.site_dir, "time-series")
    assert len(before) > 2 and not set(map(slug_of, before)) <= time_series
    pg.locator(TIME_SERIES_BOX).check()
    pg.wait_for_url(re.compile(r"\?q=diffusion&topic=Time\+series$"))
    wait_for_search_page(pg)
    after = result_links(pg)
    assert 0 < len(after) < len(before)
    assert set(map(slug_of, after)) <= time_series
    assert pg.locator("#digest-sp-status").inner_text().startswith(f"{len(after)} paper")
    pg.go_back()
    pg.wait_for_url(re.compile(r"/search/\?q=diffusion$"))
    wait_for_search_page(pg)
    assert result_links(pg) == before
    assert not pg.locator(TIME_SERIES_BOX).is_checked()
    page.assert_clean()


def test_results_arriving_do_not_shift_the_page(page: Watched, served: Served) -> None:
    """The filters' column and the status line are kept before the results arrive, so
    nothing a reader is looking at moves (Lighthouse counted 0.18 of layout shift), and
    each filter is a touch target at least 24 px high (WCAG 2.5.8)."""
    pg = page.page
    pg.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver(list => list.getEntries().forEach(e => {
            if (!e.hadRecentInput) window.__shift += e.value;
        })).observe({type: "layout-shift", buffered: true});""")
    pg.goto(served.url("search/?q=diffusion"))
    wait_for_search_page(pg)
    assert len(result_links(pg)) > 2 and pg.locator(TIME_SERIES_BOX).is_visible()
    pg.wait_for_timeout(300)  # shifts are reported after the frame that made them
    assert pg.evaluate("window.__shift") < 0.02
    heights = pg.locator(".digest-facet__value").evaluate_all(
        "labels => labels.map(l => l.getBoundingClientRect().height)")
    assert heights and min(heights) >= 24, heights
    page.assert_clean()


def test_url_restores_query_filters_and_sort(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url("search/?q=Autoformer&sort=newest"))
    wait_for_search_page(pg)
    assert pg.locator("#digest-sp-q").input_value() == "Autoformer"
    assert pg.locator("#digest-sp-sort").input_value() == "newest"
    first = pg.locator("#digest-sp-list .digest-result__title").first
    assert first.inner_text().startswith("Autoformer")
    pg.locator("h1").click()
    pg.keyboard.press("/")  # on the search page, / goes to the page's own box
    assert pg.evaluate("document.activeElement.id") == "digest-sp-q"
    # Filters without a query browse by facet.
    pg.goto(served.url("search/?topic=Time+series"))
    wait_for_search_page(pg)
    assert pg.locator("#digest-sp-q").input_value() == ""
    assert set(map(slug_of, result_links(pg))) == topic_papers(served.site_dir, "time-series")
    assert pg.locator(TIME_SERIES_BOX).is_checked()
    page.assert_clean()


# --- a small site of our own: dates to sort by, authors, markup in a title -----------
def _paper(title: str, date: str, topics: str, abstract: str, extra: str = "") -> str:
    return (f'---\ntitle: "{title}"\ndate: {date}\ntopics: [{topics}]\n{extra}---\n\n'
            f"{abstract}\n")


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    project = copy_project(tmp_path_factory.mktemp("dated") / "project", with_content=False)
    write_paper(project, "q-a-agents.md", _paper(
        "Q&A <b>Agents</b> Learn to Plan", "2024-06-01", "llm-reasoning",
        "Agents that answer questions learn to plan with a diffusion of search over tools "
        "and keep their plans short, even when a page says <script>alert(1)</script> & more.",
        'authors: ["Ada Quillfeather", "Bo Li"]\n'))
    write_paper(project, "sparse-diffusion-samplers.md", _paper(
        "Sparse Diffusion Samplers", "2025-01-05", "generative-models",
        "We make diffusion samplers sparse so that they run fast on small machines."))
    write_paper(project, "diffusion-policies-for-robot-control.md", _paper(
        "Diffusion Policies for Robot Control", "2026-02-01",
        "generative-models, reinforcement-learning",
        "Robot control with diffusion policies trained by reinforcement learning."))
    write_paper(project, "calibrated-weather-forecasts.md", _paper(
        "Calibrated Weather Forecasts", "2025-07-20", "time-series",
        "Forecasts of weather that are calibrated over long horizons."))
    site = build_site(project).site_dir
    server, info = serve_site(site, tmp_path_factory.mktemp("dated-www"))
    yield info
    server.shutdown()


def test_sort_by_date_and_year_facet(page: Watched, dated: Served) -> None:
    pg = page.page
    pg.goto(dated.url("search/?q=diffusion"))
    wait_for_search_page(pg)
    assert len(result_links(pg)) == 3
    pg.locator("#digest-sp-sort").select_option("newest")
    pg.wait_for_url(re.compile(r"sort=newest"))
    wait_for_search_page(pg)
    newest = [slug_of(h) for h in result_links(pg)]
    assert newest == ["diffusion-policies-for-robot-control", "sparse-diffusion-samplers",
                      "q-a-agents"]
    pg.locator("#digest-sp-sort").select_option("oldest")
    wait_for_search_page(pg)
    pg.wait_for_url(re.compile(r"sort=oldest"))
    wait_for_search_page(pg)
    assert [slug_of(h) for h in result_links(pg)] == newest[::-1]
    # Year facet, with no query: papers of 2025 only.
    pg.goto(dated.url("search/?year=2025"))
    wait_for_search_page(pg)
    years = pg.get_by_role("group", name=re.compile("^Year"))
    assert years.locator(".digest-facet__name").all_inner_texts() == ["2026", "2025", "2024"]
    assert years.locator(".digest-facet__count").all_inner_texts() == ["1", "2", "1"]
    assert years.get_by_role("checkbox", name=re.compile("^2025")).is_checked()
    assert {slug_of(h) for h in result_links(pg)} == {"sparse-diffusion-samplers",
                                                      "calibrated-weather-forecasts"}
    page.assert_clean()


def test_authors_are_searchable_and_titles_show_as_text(page: Watched, dated: Served) -> None:
    pg = page.page
    pg.goto(dated.url())
    options = header_search(pg, "Quillfeather")
    assert options.count() == 1
    title = options.first.locator(".digest-result__title")
    assert title.inner_text() == "Q&A <b>Agents</b> Learn to Plan"  # shown, not run
    assert title.locator("b").count() == 0
    # Hostile text in an abstract reaches the excerpt as text, marks and all.
    options = header_search(pg, "alert")
    excerpt = options.first.locator(".digest-result__excerpt")
    assert "says <script>alert(1)</script> & more" in excerpt.inner_text()
    assert excerpt.locator("mark").all_inner_texts() == ["<script>alert(1)</script>"]
    assert pg.locator("#digest-search-list script").count() == 0
    # The edition facet lists dates; topic chips show topic titles.
    pg.goto(dated.url("search/?q=robot"))
    wait_for_search_page(pg)
    chips = pg.locator("#digest-sp-list .digest-result__chip").all_inner_texts()
    assert chips == ["Diffusion and generative models", "Reinforcement learning"]
    editions = pg.get_by_role("group", name=re.compile("^Edition"))
    assert "1 February 2026" in editions.inner_text()
    page.assert_clean()


def hrefs(options: object) -> list[str]:
    return [slug_of(h) for h in options.evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")]


def test_broad_query_shows_the_newest_matches(page: Watched, dated: Served) -> None:
    """A query that matches too many papers to rank as you type (here any query: the
    budget is set to nothing) shows the newest papers that match, and says so."""
    pg = page.page
    pg.goto(dated.url())
    pg.evaluate("() => { window.DigestSearch.rankBudget = 0; }")
    options = header_search(pg, "diffusion")
    assert hrefs(options) == ["diffusion-policies-for-robot-control",
                              "sparse-diffusion-samplers", "q-a-agents"]
    assert pg.locator("#digest-search-list").get_attribute("data-order") == "newest"
    assert pg.locator("#digest-search-status").inner_text() == (
        "3 papers match; showing the newest 3. Press Enter to rank them all.")
    # Within the budget the same query is ranked: the paper that says it most comes first.
    pg.reload()
    options = header_search(pg, "diffusion")
    assert pg.locator("#digest-search-list").get_attribute("data-order") == "relevance"
    assert hrefs(options)[0] != "q-a-agents"
    page.assert_clean()


def test_pagefind_counts_matches_without_ranking(page: Watched, dated: Served) -> None:
    """The header box counts a query's matches by searching with a filter value that no
    paper has: Pagefind then ranks nothing but counts every match, per band too."""
    pg = page.page
    pg.goto(dated.url())
    answer = pg.evaluate("""async () => {
        const pagefind = await window.DigestSearch.load();
        const counted = await pagefind.search("diffusion", {filters: {recent: "none"}});
        const ranked = await pagefind.search("diffusion");
        return [counted.results.length, counted.unfilteredResultCount,
                counted.totalFilters.recent, ranked.results.length];
    }""")
    assert answer == [0, 3, {"32": 3}, 3]
    page.assert_clean()


def test_results_show_the_edition_date_and_dates_are_not_search_words(
        page: Watched, dated: Served) -> None:
    """A result shows its edition's date, read from the edition filter: a date among the
    metadata was indexed as words, and "2025" found every paper of a 2025 edition."""
    pg = page.page
    pg.goto(dated.url())
    date = header_search(pg, "robot").first.locator(".digest-result__date")
    assert (date.get_attribute("datetime"), date.inner_text()) == ("2026-02-01",
                                                                   "1 February 2026")
    found = pg.evaluate("""async () => {
        const pagefind = await window.DigestSearch.load();
        return (await pagefind.search("2025")).unfilteredResultCount;
    }""")
    assert found == 0  # two papers came in 2025 editions; no abstract says 2025
    page.assert_clean()


def test_long_queries_search_their_first_words(page: Watched, dated: Served) -> None:
    pg = page.page
    pg.goto(dated.url())
    # Content words: robot control diffusion policies | reinforcement learning.
    options = header_search(
        pg, "the robot control with diffusion policies and reinforcement learning")
    assert hrefs(options) == ["diffusion-policies-for-robot-control"]
    assert pg.locator("#digest-search-status").inner_text() == (
        "1 paper matches (the first 4 words; Enter searches all)")
    # Words found in nearly every abstract narrow nothing down: they are not searched.
    pg.locator("#digest-header-q").fill("the of and")
    pg.wait_for_function(
        "() => document.getElementById('digest-search-status').textContent === 'Keep typing…'")
    assert pg.locator("#digest-search-list [role=option]").count() == 0
    page.assert_clean()


def test_typing_shows_results_once_the_keys_pause(page: Watched, served: Served) -> None:
    """Keys in quick succession do not each fetch and show results: only the pause after
    the last one does (and a longer pause mid-word shows the words so far)."""
    pg = page.page
    pg.goto(served.url("topics/"))
    pg.evaluate("""() => {
        window.__shown = [];
        const list = document.getElementById('digest-search-list');
        new MutationObserver(() => window.__shown.push(list.dataset.query))
            .observe(list, {attributes: true, attributeFilter: ['data-query']});
    }""")
    box = pg.locator("#digest-header-q")
    box.focus()
    box.press_sequentially("diff", delay=20)
    pg.wait_for_function(
        "() => document.getElementById('digest-search-list').dataset.query === 'diff'")
    box.press_sequentially("usion mod", delay=60)  # searches run between these keys
    box.press_sequentially("els", delay=60)
    pg.wait_for_function(
        "() => document.getElementById('digest-search-list').dataset.query === "
        "'diffusion models'")
    shown = [q for q in pg.evaluate("window.__shown") if q]
    # Twelve keys, two pauses: the list showed "diff", then the whole query (a stalled
    # machine may add a state in between, never one per key).
    assert shown[0] == "diff" and shown[-1] == "diffusion models" and len(shown) <= 3
    assert pg.locator("#digest-search-list [role=option]").count() >= 1
    assert "match" in pg.locator("#digest-search-status").inner_text()
    page.assert_clean()
