"""Details a reader notices, in real Chromium on a small built site: search excerpts that
start where a sentence starts and are cut between words with an ellipsis, the first
authors in search results, a 404 page that offers the search and the home page, and a
BibTeX block that wraps instead of hiding its long lines."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from digest.build import build_site
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_search_browser import header_search, wait_for_search_page
from tests.conftest import copy_project, write_paper
from tests.support.browser import SUB_PATH, Served, Watched, browser, page  # noqa: F401

pytestmark = [pytest.mark.browser]

AUTHORS = ["Ada Quillfeather", "Bo Li", "Chen Wu", "Dana Ortiz", "Eve Adams"]
LONG_URL = "https://example.org/records/" + "x" * 150
FILLER = ("Every filler sentence here goes on about nothing in particular for a good many "
          "words so that the abstract is long enough to need cutting somewhere.")
# "quokka" is early in a sentence; "wombat" deep inside one sentence of fifty words.
ABSTRACT = " ".join([
    "Opening words set out the general problem that this made-up paper studies at length.",
    "A second sentence adds more of the same general discussion without saying much.",
    "Here the quokka hops into its sentence early and the sentence then keeps going with "
    "ordinary words for a while longer.",
    FILLER, FILLER,
    "This single sentence is written to be very long indeed, running on and on with "
    "clause after clause and word after word, past the point where any reader would "
    "want it to stop, until at last the wombat digs its burrow under the old fence "
    "near the river bank, where the water runs slowly past the reeds and the stones and "
    "the roots of the willows, and then on past the mill and the bridge and the meadow "
    "where the cows stand, and further still until the sentence ends.",
    FILLER, FILLER, FILLER,
])


def _paper(slug: str, title: str, abstract: str, extra: str = "") -> tuple[str, str]:
    return f"{slug}.md", (f'---\ntitle: "{title}"\ndate: 2026-03-12\n'
                          f"topics: [generative-models]\n{extra}---\n\n{abstract}\n")


class _NotFoundPage(SimpleHTTPRequestHandler):
    """A static host as GitHub Pages is: a missing address gets the site's 404.html."""

    site: Path

    def log_message(self, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (self.site / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def details(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    project = copy_project(tmp_path_factory.mktemp("details") / "project", with_content=False)
    for name, text in [
        _paper("marsupials-in-abstracts", "Marsupials in Abstracts", ABSTRACT,
               f"authors: {AUTHORS}\n"),
        _paper("two-authors", "Two Authors Write About a Quokka",
               "A short abstract about a quokka.", 'authors: ["Ada Quillfeather", "Bo Li"]\n'),
        _paper("a-very-long-bibtex-entry", "A Title Long Enough to Run Past the Edge of the "
               "Citation Box on a Wide Screen: Scaling Laws, Sparse Mixtures of Experts and "
               "Everything Else a Long Title Can Hold in One Line of BibTeX",
               "An abstract about long citations.",
               f"authors: {[f'Author Number {i}' for i in range(15)]}\n"
               f"url: {LONG_URL}\nyear: 2021\n"),
    ]:
        write_paper(project, name, text)
    site = build_site(project).site_dir
    mount = tmp_path_factory.mktemp("details-www")
    (mount / SUB_PATH.strip("/")).symlink_to(site, target_is_directory=True)
    handler = type("Handler", (_NotFoundPage,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler,
                                                                    directory=str(mount)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Served(f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}", site)
    server.shutdown()


def result(pg: object, slug: str) -> object:
    return pg.locator(f'#digest-sp-list li:has(a[href*="/papers/{slug}/"])')


def excerpt_of(pg: object, slug: str) -> str:
    return " ".join(result(pg, slug).locator(".digest-result__excerpt").inner_text().split())


def whole_words_of(text: str, abstract: str) -> bool:
    """Whether ``text`` is a run of the abstract's words, none cut in two (its last may
    have lost a comma or colon before an ellipsis)."""
    pattern = r"(?:^|\s)" + re.escape(text) + r"(?:[,;:]?)(?:\s|$)"
    return re.search(pattern, abstract) is not None


def test_excerpts_start_at_a_sentence_and_end_with_an_ellipsis_between_words(
        page: Watched, details: Served) -> None:
    pg = page.page
    pg.goto(details.url("search/?q=quokka"))
    wait_for_search_page(pg)
    text = excerpt_of(pg, "marsupials-in-abstracts")
    # The sentence holding the match starts two words before it: the excerpt starts there.
    # It ends where that sentence ends, near enough to the window's end.
    assert text == ("Here the quokka hops into its sentence early and the sentence then "
                    "keeps going with ordinary words for a while longer.")
    assert result(pg, "marsupials-in-abstracts").locator("mark").all_inner_texts() == ["quokka"]
    # A short abstract is shown whole: no ellipsis at all.
    assert excerpt_of(pg, "two-authors") == "A short abstract about a quokka."
    # A match deep in a long sentence: the excerpt starts inside it, marked as a cut, at a
    # word's start, and ends at the sentence's end or with an ellipsis.
    pg.goto(details.url("search/?q=wombat"))
    wait_for_search_page(pg)
    text = excerpt_of(pg, "marsupials-in-abstracts")
    assert text.startswith("…") and text.endswith("…") and "wombat" in text
    assert not text.startswith("… ") and not text.endswith(" …")
    inner = text.removeprefix("…").removesuffix("…")
    assert whole_words_of(inner, ABSTRACT) and not inner.endswith(",")
    assert result(pg, "marsupials-in-abstracts").locator("mark").all_inner_texts() == ["wombat"]
    # The header box shows the same excerpts.
    options = header_search(pg, "quokka")
    texts = [" ".join(t.split()) for t in
             options.locator(".digest-result__excerpt").all_inner_texts()]
    assert any(t.startswith("Here the quokka hops") for t in texts)
    page.assert_clean()


def test_search_results_name_the_first_authors(page: Watched, details: Served) -> None:
    pg = page.page
    pg.goto(details.url("search/?q=quokka"))
    wait_for_search_page(pg)
    shown = pg.locator("#digest-sp-list .digest-result__authors").all_inner_texts()
    assert sorted(shown) == ["Ada Quillfeather, Bo Li", "Ada Quillfeather, Bo Li, Chen Wu et al."]
    options = header_search(pg, "quokka")
    assert sorted(options.locator(".digest-result__authors").all_inner_texts()) == sorted(shown)
    assert serious_violations(pg) == []
    page.assert_clean()


def test_the_404_page_offers_search_and_the_home_page(page: Watched, details: Served) -> None:
    pg = page.page
    response = pg.goto(details.url("papers/marsupials-in-abstract/"))  # a mistyped address
    assert response.status == 404
    assert pg.locator("h1").inner_text() == "Page not found"
    assert serious_violations(pg) == []
    box = pg.get_by_role("searchbox", name="Search the digest")
    assert box.input_value() == "marsupials in abstract"  # the address, as words
    pg.get_by_role("button", name="Search", exact=True).click()
    wait_for_search_page(pg)
    assert pg.locator("#digest-sp-list .digest-result__title").first.inner_text() == (
        "Marsupials in Abstracts")
    pg.goto(details.url("no/such/page/"))
    pg.get_by_role("link", name="Home page", exact=True).click()
    pg.wait_for_load_state()
    assert pg.url == details.url()
    pg.goto(details.url("no/such/page/"))
    pg.get_by_role("link", name="Search page", exact=True).click()
    pg.wait_for_load_state()
    assert pg.url == details.url("search/")
    # Chromium logs each 404 answer (the page asked for) as a console error: nothing else.
    assert set(page.console_errors) == {
        "Failed to load resource: the server responded with a status of 404 (Not Found)"}
    assert page.outside_requests == []


@pytest.mark.parametrize("width", [1280, 375])
def test_the_bibtex_block_wraps_its_long_lines(browser: object, details: Served,  # noqa: F811
                                               width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(details.url("papers/a-very-long-bibtex-entry/"))
        code = pg.locator("pre.digest-bibtex > code")
        assert LONG_URL in code.inner_text().replace("\n", "")  # all of it, in order
        sizes = code.evaluate("c => [c.scrollWidth, c.clientWidth, c.getClientRects()[0].right,"
                              " c.closest('article').getBoundingClientRect().right]")
        scroll_width, client_width, right, article_right = sizes
        assert scroll_width <= client_width, "the BibTeX block scrolls sideways"
        assert right <= article_right + 1
        # Copying gets the lines as written: the wrapping is the browser's only.
        lines = code.text_content().splitlines()
        assert any(LONG_URL in line for line in lines)
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
