"""The reading list, in real Chromium on the built site: save from a paper page, a
listing and search results; the Saved page after a reload; export as BibTeX, RIS and
JSON; import into a fresh browser; read marks; the keyboard; all of it in localStorage,
with no request leaving 127.0.0.1 and the full script loaded only where it is used.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest

from digest.render.settings import PACKAGE_THEME
from digest.site.export import DATA_PATH
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_search_browser import header_search, wait_for_search_page
from tests.site.test_citation_roundtrip import EDITION, lab_site
from tests.support.browser import (  # noqa: F401
    Quiet,
    Served,
    Watched,
    browser,
    page,
    serve_site,
    served,
)
from tests.support.data_export import read_csl, read_export

pytestmark = [pytest.mark.browser]

AUTOFORMER = "autoformer-decomposition-transformers-with-auto-correlation-for-long-term-series"
REST_MCTS = "rest-mcts-llm-self-training-via-process-reward-guided-tree-search"
MCTS_BOOSTS = "monte-carlo-tree-search-boosts-reasoning-via-iterative-preference-learning"
KEY = "paper-digest:/paper-digest/"
FULL_SCRIPT = "assets/reading-list.js"


def saved_page(pg: object, served: Served) -> list[str]:
    """Open the Saved page, wait for its list; return its papers' titles in order."""
    pg.goto(served.url("saved/"))
    pg.wait_for_function("() => document.getElementById('digest-saved-list').dataset.shown")
    return pg.locator("#digest-saved-list > li > .digest-item__title").all_inner_texts()


def papers_json(served: Served) -> dict[str, dict]:
    return {p["slug"]: p for p in read_export(served.site_dir)["papers"]}


def pressed(locator: object) -> str:
    return locator.get_attribute("aria-pressed")


def test_save_from_a_paper_page_a_listing_and_search_results(page: Watched,
                                                            served: Served) -> None:
    pg = page.page
    fetched: list[str] = []
    pg.on("request", lambda request: fetched.append(request.url))
    titles = {slug: p["title"] for slug, p in papers_json(served).items()}
    pg.goto(served.url(f"papers/{REST_MCTS}/"))
    pg.wait_for_load_state("networkidle")
    assert not [url for url in fetched if url.endswith(FULL_SCRIPT)]  # not before it is used
    save = pg.get_by_role("button", name="Save", exact=True)
    assert pressed(save) == "false"
    save.click()
    pg.wait_for_function("() => document.querySelector('[data-digest-save]')"
                         ".getAttribute('aria-pressed') === 'true'")
    pg.wait_for_function("t => document.getElementById('digest-reading-status')"
                         ".textContent === t",
                         arg=f"Saved “{titles[REST_MCTS]}” to your reading list")
    # The search page: each result has its own toggle, named after its paper.
    pg.goto(served.url("search/?q=Autoformer"))
    wait_for_search_page(pg)
    pg.get_by_role("button", name=f"Save {titles[AUTOFORMER]}").click()
    pg.wait_for_function("() => document.querySelector('#digest-sp-list [data-digest-save]')"
                         ".getAttribute('aria-pressed') === 'true'")
    # The header box: Alt+S saves the highlighted result.
    pg.goto(served.url("editions/"))
    header_search(pg, "iterative preference learning")
    box = pg.locator("#digest-header-q")
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    slug = pg.locator(f"#{active}").get_attribute("href").split("/")[3]
    box.press("Alt+s")
    pg.wait_for_function("() => (document.getElementById('digest-reading-status') || {})"
                         ".textContent?.startsWith('Saved')")
    assert box.input_value() == "iterative preference learning"  # nothing typed
    # The Saved page lists them newest saved first, after a reload too.
    expected = [titles[slug], titles[AUTOFORMER], titles[REST_MCTS]]
    assert saved_page(pg, served) == expected
    pg.reload()
    pg.wait_for_function("() => document.getElementById('digest-saved-list').dataset.shown")
    assert pg.locator("#digest-saved-list > li > .digest-item__title").all_inner_texts() == expected
    first = pg.locator("#digest-saved-list > li").nth(1)
    meta = first.locator(".digest-item__meta").inner_text()
    assert "11 March 2026" in meta and "Time series" in meta
    assert pg.locator("#digest-saved-status").inner_text() == "3 saved papers"
    # A listing's toggle: unsaving on the Saved page shows on the paper's own page.
    pg.get_by_role("button", name=f"Saved {titles[AUTOFORMER]}").click()
    pg.wait_for_function("([key, slug]) => !JSON.parse(localStorage.getItem(key)).saved[slug]",
                         arg=[KEY, AUTOFORMER])
    pg.goto(served.url(f"papers/{AUTOFORMER}/"))
    assert pressed(pg.get_by_role("button", name="Save", exact=True)) == "false"
    page.assert_clean()


PRESSED = "state => document.querySelector('[data-digest-save]').ariaPressed === state"


def shown_word(button: object) -> str:
    """What a toggle shows: its text, or the word drawn in its place (digest.css)."""
    return button.evaluate("""b => {
        const after = getComputedStyle(b, '::after').content;
        if (after === 'none' || parseFloat(getComputedStyle(b).fontSize) > 0) return b.textContent;
        return after.split('/')[0].trim().replace(/"/g, '');
    }""")


def test_a_saved_toggle_says_saved_and_offers_remove(page: Watched, served: Served) -> None:
    """Once saved, a toggle says "Saved" (and is pressed); under the pointer, or focused
    from the keyboard, it shows "Remove", what pressing it does, but not right after the
    press that saved it. Listings and search results name it "Saved" and the title."""
    pg = page.page
    titles = {slug: p["title"] for slug, p in papers_json(served).items()}
    pg.goto(served.url(f"papers/{REST_MCTS}/"))
    save = pg.locator("article [data-digest-save]")
    assert shown_word(save) == "Save" and pressed(save) == "false"
    save.click()
    pg.wait_for_function(PRESSED, arg="true")
    assert shown_word(save) == "Saved"  # still under the pointer that saved it
    assert pg.get_by_role("button", name="Saved", exact=True).count() == 1
    pg.mouse.move(0, 0)
    assert shown_word(save) == "Saved"
    save.hover()
    assert shown_word(save) == "Remove"
    assert pressed(pg.get_by_role("button", name="Saved", exact=True)) == "true"
    pg.mouse.move(0, 0)
    pg.keyboard.press("Tab")  # keyboard use: focus from here on shows the focus ring
    save.focus()
    assert shown_word(save) == "Remove"
    pg.keyboard.press("Enter")
    pg.wait_for_function(PRESSED, arg="false")
    assert shown_word(save) == "Save"
    assert pg.get_by_role("button", name="Save", exact=True).count() == 1
    save.click()  # saved again, for the listing and the search results
    pg.wait_for_function(PRESSED, arg="true")
    pg.goto(served.url("topics/llm-reasoning/"))
    saved = pg.get_by_role("button", name=f"Saved {titles[REST_MCTS]}", exact=True)
    assert saved.count() == 1 and shown_word(saved) == "Saved"
    pg.goto(served.url("search/?q=REST-MCTS"))
    wait_for_search_page(pg)
    assert pg.get_by_role("button", name=f"Saved {titles[REST_MCTS]}", exact=True).count() == 1
    page.assert_clean()


def test_listing_toggles_exports_and_import_in_a_fresh_browser(
        page: Watched, served: Served, browser: object, tmp_path: Path) -> None:  # noqa: F811
    pg = page.page
    known = papers_json(served)
    pg.goto(served.url("topics/time-series/"))
    items = pg.locator("li.digest-item")
    slugs = [items.nth(i).get_attribute("data-digest-item") for i in range(2)]
    for i in range(2):
        title = items.nth(i).locator(":scope > a").inner_text()
        items.nth(i).get_by_role("button", name=f"Save {title}", exact=True).click()
        pg.wait_for_function(f"() => document.querySelectorAll('li.digest-item')[{i}]"
                             ".querySelector('[data-digest-save]').ariaPressed === 'true'")
    # A paper saved once that has since left the digest stays, marked as such.
    pg.evaluate("""([key]) => {
        const state = JSON.parse(localStorage.getItem(key));
        state.saved['a-paper-that-left'] = {at: '2000-01-01T00:00:00Z', date: '2025-01-02',
            title: 'Gone <img src=x onerror="window.pwned=1"> Paper'};
        localStorage.setItem(key, JSON.stringify(state));
    }""", [KEY])
    titles = saved_page(pg, served)
    gone_title = 'Gone <img src=x onerror="window.pwned=1"> Paper'
    assert titles == [known[slugs[1]]["title"], known[slugs[0]]["title"], gone_title]
    gone = pg.locator("#digest-saved-list > li").nth(2)
    assert "no longer in the digest" in gone.inner_text()
    assert "2 January 2025" in gone.inner_text()
    assert gone.locator("img").count() == 0 and pg.evaluate("window.pwned") is None
    assert pg.locator("#digest-saved-status").inner_text() == (
        "3 saved papers (1 no longer in the digest)")

    def export(kind: str) -> str:
        with pg.expect_download() as info:
            pg.locator(f'[data-export="{kind}"]').click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        return path.read_bytes().decode("utf-8")  # as written: RIS lines end in CRLF

    bib = bibtexparser.parse_string(export("bibtex"))
    assert [e.key for e in bib.entries] == [known[s]["bibtex_key"] for s in reversed(slugs)]
    assert bib.entries[0].fields_dict["title"].value.strip("{}") == known[slugs[1]]["title"]
    assert "1 no longer in the digest left out" in pg.locator("#digest-saved-message").inner_text()
    ris = export("ris")
    records = [r for r in ris.split("ER  - ") if r.strip()]
    assert len(records) == 2
    assert f"TI  - {known[slugs[1]]['title']}\r\n" in records[0]
    first = known[slugs[0]]
    assert f"UR  - {first['citation']['url'] or first['arxiv_url'] or first['url']}\r\n" \
        in records[1]
    assert f"PY  - {known[slugs[1]]['citation']['year']}\r\n" in records[0]
    assert records[0].startswith("TY  - ")
    exported = export("json")
    data = json.loads(exported)
    assert [p["slug"] for p in data["papers"]] == [slugs[1], slugs[0], "a-paper-that-left"]
    assert data["papers"][2]["in_digest"] is False
    # A fresh browser (no localStorage) imports the JSON export.
    (tmp_path / "list.json").write_text(exported, encoding="utf-8")
    context = browser.new_context()
    try:
        other = context.new_page()
        assert saved_page(other, served) == []
        assert "No saved papers yet" in other.locator("#digest-saved-status").inner_text()
        other.locator("#digest-saved-import").set_input_files(str(tmp_path / "list.json"))
        other.wait_for_function(
            "() => document.getElementById('digest-saved-list').dataset.shown === '3'")
        assert other.locator("#digest-saved-message").inner_text() == "Imported 3 papers."
        assert other.locator("#digest-saved-list > li > .digest-item__title").all_inner_texts() \
            == titles
        assert other.locator("#digest-saved-list img").count() == 0
        # Not an export: one clear message, nothing changed.
        (tmp_path / "bad.json").write_text('{"papers": 3}', encoding="utf-8")
        other.locator("#digest-saved-import").set_input_files(str(tmp_path / "bad.json"))
        other.wait_for_function("() => document.getElementById('digest-saved-message')"
                                ".textContent.startsWith('This file is not')")
        assert other.locator("#digest-saved-list > li").count() == 3
    finally:
        context.close()
    page.assert_clean()


def test_read_marks_in_listings_and_search_results(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url("topics/llm-reasoning/"))
    item = pg.locator(f'li[data-digest-item="{MCTS_BOOSTS}"]')
    assert item.get_attribute("data-read") is None
    item.locator(":scope > a").click()
    pg.wait_for_url(f"**/papers/{MCTS_BOOSTS}/")
    pg.go_back()  # the listing, perhaps from the browser's back-forward cache
    pg.wait_for_function("slug => document.querySelector(`li[data-digest-item='${slug}']`)"
                         ".hasAttribute('data-read')", arg=MCTS_BOOSTS)
    mark = item.locator(".digest-item__meta").evaluate(
        "node => getComputedStyle(node, '::before').content")
    assert mark == '"Read"'
    assert pg.locator("li.digest-item[data-read]").count() == 1
    pg.goto(served.url("search/?q=monte+carlo"))
    wait_for_search_page(pg)
    assert pg.locator(f'#digest-sp-list article[data-slug="{MCTS_BOOSTS}"]').get_attribute(
        "data-read") == ""
    header_search(pg, "iterative preference")
    assert pg.locator(f'#digest-search-list article[data-slug="{MCTS_BOOSTS}"][data-read]') \
        .count() == 1
    # The setting turns the marks off; "Clear" empties them.
    saved_page(pg, served)
    pg.get_by_label("Mark the papers I open as read").uncheck()
    pg.goto(served.url("topics/llm-reasoning/"))
    assert pg.locator("li.digest-item[data-read]").count() == 0
    saved_page(pg, served)
    pg.get_by_label("Mark the papers I open as read").check()
    pg.goto(served.url("topics/llm-reasoning/"))
    assert pg.locator("li.digest-item[data-read]").count() == 1
    saved_page(pg, served)
    pg.get_by_role("button", name="Clear read marks").click()
    assert pg.locator("#digest-saved-message").inner_text() == "Read marks cleared."
    pg.goto(served.url("topics/llm-reasoning/"))
    assert pg.locator("li.digest-item[data-read]").count() == 0
    assert "cookie" not in pg.evaluate("document.cookie") and pg.evaluate("document.cookie") == ""
    page.assert_clean()


def test_keyboard_moves_saves_and_explains(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url("editions/2026-03-11/"))
    titles = pg.locator("li.digest-item > a")
    pg.keyboard.press("j")
    assert pg.evaluate("document.activeElement.textContent") == titles.nth(0).inner_text()
    pg.keyboard.press("j")
    pg.keyboard.press("j")
    pg.keyboard.press("k")
    assert pg.evaluate("document.activeElement.textContent") == titles.nth(1).inner_text()
    pg.keyboard.press("s")  # in a listing: saves the paper in focus, not the search box
    second = pg.locator("li.digest-item").nth(1).locator("[data-digest-save]")
    pg.wait_for_function("() => document.querySelectorAll('li.digest-item')[1]"
                         ".querySelector('[data-digest-save]').ariaPressed === 'true'")
    assert pressed(second) == "true"
    assert pg.evaluate("document.activeElement.id") != "digest-header-q"
    pg.keyboard.press("?")
    dialog = pg.get_by_role("dialog", name="Keyboard shortcuts")
    dialog.wait_for()
    assert "save or unsave the paper in focus" in dialog.inner_text()
    assert serious_violations(pg) == []
    pg.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    # Outside a listing's papers, s still focuses the search box.
    pg.locator("h1").click()
    pg.keyboard.press("s")
    assert pg.evaluate("document.activeElement.id") == "digest-header-q"
    page.assert_clean()


def test_saved_page_and_save_controls_pass_axe(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url("topics/time-series/"))
    pg.locator("li.digest-item [data-digest-save]").first.click()
    pg.wait_for_function("key => localStorage.getItem(key)", arg=KEY)
    pg.goto(served.url(f"papers/{AUTOFORMER}/"))  # read: marked in the listing
    problems = {}
    for path in ["saved/", "topics/time-series/", f"papers/{REST_MCTS}/", "search/?q=diffusion"]:
        if path == "saved/":
            saved_page(pg, served)
        else:
            pg.goto(served.url(path))
            pg.wait_for_load_state("networkidle")
        found = serious_violations(pg)
        if found:
            problems[path] = found
    header_search(pg, "diffusion")
    # Material fades the search panel in: contrast is measured once it has.
    pg.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    if found := serious_violations(pg):
        problems["header results"] = found
    assert problems == {}
    page.assert_clean()


def test_reading_list_scripts_are_small() -> None:
    hook = (PACKAGE_THEME / "assets/reading.js").read_bytes()
    full = (PACKAGE_THEME / "assets/reading-list.js").read_bytes()
    assert len(gzip.compress(hook + full, 9)) <= 10_000
    assert len(gzip.compress(hook, 9)) <= 3_000  # what every page loads


class _Encoded(Quiet):
    """A server that sends papers.json.gz as the JSON, gzip-encoded for the transfer
    (``Content-Encoding: gzip``): the browser hands the page the JSON decompressed."""

    def guess_type(self, path: str) -> str:
        return "application/json" if path.endswith(DATA_PATH) else super().guess_type(path)

    def end_headers(self) -> None:
        if self.path.endswith(DATA_PATH):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()


@pytest.fixture(scope="module")
def encoded(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server, info = serve_site(site, tmp_path_factory.mktemp("encoded-www"), _Encoded)
    yield info
    server.shutdown()


def save_and_open_saved(pg: object, served: Served, slug: str) -> list[str]:
    """Save ``slug`` from its page, then open the Saved page: its titles."""
    pg.goto(served.url(f"papers/{slug}/"))
    pg.get_by_role("button", name="Save", exact=True).click()
    pg.wait_for_function("key => localStorage.getItem(key)", arg=KEY)
    return saved_page(pg, served)


def test_the_saved_page_reads_papers_json_gz_however_it_is_sent(
        page: Watched, served: Served, encoded: Served) -> None:
    """GitHub Pages sends papers.json.gz's own bytes (the ``served`` site): the page
    decompresses them. A server that sends it with Content-Encoding: gzip has the
    browser decompress it: the page must not try again."""
    pg = page.page
    known = papers_json(served)
    for where, raw in ((served, True), (encoded, False)):
        with pg.expect_response(lambda r: r.url.endswith(DATA_PATH)) as info:
            titles = save_and_open_saved(pg, where, AUTOFORMER)
        response = info.value
        assert response.body()[:2] == (b"\x1f\x8b" if raw else b"{\"")
        assert ("content-encoding" in response.headers) is not raw
        assert titles == [known[AUTOFORMER]["title"]]
        meta = pg.locator("#digest-saved-list > li .digest-item__meta").first.inner_text()
        assert "Time series" in meta  # the topic's title, from papers.json.gz
    page.assert_clean()


@pytest.mark.parametrize("answer", [
    {"status": 404, "body": "Not found"},
    {"status": 200, "body": b"\x1f\x8b\x08\x00 not gzip at all",
     "content_type": "application/gzip"},
])
def test_a_data_export_that_cannot_be_read_is_said_on_the_saved_page(
        page: Watched, served: Served, answer: dict) -> None:
    pg = page.page
    pg.route(f"**/{DATA_PATH}", lambda route: route.fulfill(**answer))
    pg.goto(served.url(f"papers/{AUTOFORMER}/"))
    pg.get_by_role("button", name="Save", exact=True).click()
    pg.goto(served.url("saved/"))
    status = pg.locator("#digest-saved-status")
    status.filter(has_text="could not load").wait_for()
    text = status.inner_text()
    assert text.startswith(f"The list of papers could not load ({DATA_PATH}: ")
    if answer["status"] == 404:
        assert text == f"The list of papers could not load ({DATA_PATH}: HTTP 404)."
    assert page.outside_requests == []


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site = lab_site(tmp_path_factory.mktemp("lab"))
    server, info = serve_site(site, tmp_path_factory.mktemp("lab-www"))
    yield info
    server.shutdown()


def test_ris_and_csl_json_exports_cite_the_publication(page: Watched, lab: Served,
                                                        tmp_path: Path) -> None:
    """An imported Nature article exports as a journal article of 2021 with its volume and
    pages (RIS and CSL-JSON), not as an unpublished item of the year it was imported."""
    pg = page.page
    pg.goto(lab.url("papers/highly-accurate-protein-structure-prediction-with-alphafold-"
                    "the-protein-folding/"))
    pg.locator("[data-digest-save]").first.click()
    pg.wait_for_function("() => document.querySelector('[data-digest-save]')"
                         ".ariaPressed === 'true'")
    # The page shows two dates (published August 2021, and the edition's): the list keeps
    # the edition's, as listings show it.
    saved = pg.evaluate("() => Object.values(JSON.parse(localStorage.getItem(Object.keys("
                        "localStorage).find(k => k.startsWith('paper-digest:')))).saved)")
    assert [entry["date"] for entry in saved] == [EDITION.isoformat()]
    saved_page(pg, lab)

    def export(kind: str) -> str:
        with pg.expect_download() as info:
            pg.locator(f'[data-export="{kind}"]').click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        return path.read_bytes().decode("utf-8")

    ris = export("ris").split("\r\n")
    for line in ("TY  - JOUR", "PY  - 2021", "DA  - 2021/08", "JO  - Nature", "VL  - 596",
                 "IS  - 7873", "SP  - 583", "EP  - 589", "PB  - Nature Publishing Group",
                 "DO  - 10.1038/s41586-021-03819-2",
                 "UR  - https://www.nature.com/articles/s41586-021-03819-2"):
        assert line in ris, line
    assert not any(line.startswith("PY  - 2026") for line in ris)
    items = json.loads(export("csl"))
    assert [item["id"] for item in items] == ["jumper2021highly"]
    assert items[0]["type"] == "article-journal"
    assert items[0]["issued"] == {"date-parts": [[2021, 8]]}
    assert (items[0]["container-title"], items[0]["volume"], items[0]["page"]) == (
        "Nature", "596", "583-589")
    # papers.csl.json.gz carries no abstracts; the export takes each from papers.json.gz.
    site_items = read_csl(lab.site_dir)
    assert all("abstract" not in item for item in site_items)
    assert items[0]["abstract"] == "Proteins are essential to life."
    assert "CSL-JSON" in pg.locator("#digest-saved-message").inner_text()
    page.assert_clean()
