"""The search index in shards (digest.render.search_index): every paper in exactly one shard,
the shards runs of dates, the output byte-identical, and in Chromium one search over
them all that answers as a single index of the same papers does.

The shipped papers (51), spread over three years in an order unlike their names', are
built with 20 pages a shard (three shards) and with the shipped size (one bundle).
"""

from __future__ import annotations

import datetime as dt
import filecmp
import gzip
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.build import BuildResult, build_site
from digest.render.search_bundles import SHARDS_FILE
from tests.browser.test_search_browser import (
    header_search,
    result_links,
    slug_of,
    wait_for_search_page,
)
from tests.conftest import FIXTURE_PAPERS, copy_project
from tests.support.browser import Served, Watched, browser, page, serve_site  # noqa: F401

SHARD_PAGES = 20
BUNDLES = ["pagefind/", "pagefind-2/", "pagefind-3/"]


@pytest.fixture(scope="module")
def spread(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped papers (all of one day), given 51 different dates."""
    project = copy_project(tmp_path_factory.mktemp("spread") / "project")
    for number, path in enumerate(sorted((project / "content" / "papers").glob("*.md"))):
        date = dt.date(2024, 1, 1) + dt.timedelta(days=17 * (number * 19 % 51))
        text = path.read_text("utf-8")
        path.write_text(re.sub(r"(?m)^date: .*$", f"date: {date}", text, count=1), "utf-8")
    return project


def _build(project: Path, out: Path, shard_pages: int | None = SHARD_PAGES) -> BuildResult:
    old = os.environ.pop("DIGEST_SEARCH_SHARD_PAGES", None)
    if shard_pages:
        os.environ["DIGEST_SEARCH_SHARD_PAGES"] = str(shard_pages)
    try:
        return build_site(project, out)
    finally:
        os.environ.pop("DIGEST_SEARCH_SHARD_PAGES", None)
        if old is not None:
            os.environ["DIGEST_SEARCH_SHARD_PAGES"] = old


@pytest.fixture(scope="module")
def sharded(spread: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return _build(spread, tmp_path_factory.mktemp("sharded") / "site")


@pytest.fixture(scope="module")
def single(spread: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return _build(spread, tmp_path_factory.mktemp("single") / "site", None)


def shard_papers(bundle: Path) -> dict[str, dict]:
    """{paper slug: its metadata and its edition's date} of every page in one shard's
    bundle."""
    papers = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        fragment = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        papers[slug_of(fragment["url"])] = {**fragment["meta"],
                                            "date": fragment["filters"]["edition"][0]}
    return papers


def test_the_first_bundle_lists_every_shard(sharded: BuildResult, single: BuildResult) -> None:
    listed = json.loads((sharded.site_dir / "pagefind" / SHARDS_FILE).read_text("utf-8"))
    assert listed == {"bundles": BUNDLES}
    assert not (sharded.site_dir / "pagefind-4").exists()
    # The shipped size keeps 51 papers (and 10,000) in one bundle.
    site = single.site_dir
    assert json.loads((site / "pagefind" / SHARDS_FILE).read_text("utf-8")) == {
        "bundles": ["pagefind/"]}
    assert not (site / "pagefind-2").exists()


def test_every_paper_is_in_exactly_one_shard(sharded: BuildResult) -> None:
    shards = [shard_papers(sharded.site_dir / name) for name in BUNDLES]
    assert [len(shard) for shard in shards] == [20, 20, 11]
    slugs = [slug for shard in shards for slug in shard]
    papers = sorted(path.stem for path in FIXTURE_PAPERS)
    assert sorted(slugs) == papers  # each once: none missing, none twice
    assert sharded.pages_indexed == len(papers)
    # Oldest first: each shard's papers are no newer than the next shard's.
    for older, newer in zip(shards, shards[1:], strict=False):
        assert max(meta["date"] for meta in older.values()) <= min(
            meta["date"] for meta in newer.values())


def test_sharded_builds_are_byte_identical(sharded: BuildResult, spread: Path,
                                           tmp_path: Path) -> None:
    again = _build(spread, tmp_path / "site").site_dir

    def differences(compare: filecmp.dircmp) -> list[str]:
        found = [*compare.left_only, *compare.right_only, *compare.diff_files,
                 *compare.funny_files]
        for sub in compare.subdirs.values():
            found += differences(sub)
        return found

    filecmp.clear_cache()
    assert differences(filecmp.dircmp(sharded.site_dir, again, ignore=[])) == []


# --- in Chromium ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def served_shards(sharded: BuildResult,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server, info = serve_site(sharded.site_dir, tmp_path_factory.mktemp("sharded-www"))
    yield info
    server.shutdown()


@pytest.fixture(scope="module")
def served(single: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server, info = serve_site(single.site_dir, tmp_path_factory.mktemp("single-www"))
    yield info
    server.shutdown()


def _status(pg: object, selector: str) -> str:
    return pg.locator(selector).inner_text()


@pytest.mark.browser
def test_the_header_box_finds_papers_of_every_shard(page: Watched, served_shards: Served,
                                                     served: Served) -> None:
    pg = page.page
    pg.goto(served_shards.url())
    for name in BUNDLES:
        slug, meta = sorted(shard_papers(served_shards.site_dir / name).items())[0]
        options = header_search(pg, meta["title"])
        first = options.first.get_attribute("href")
        assert slug_of(first) == slug, name
    # A broad query counts the matches of all three shards, as the single index does.
    header_search(pg, "learning")
    sharded_status = _status(pg, "#digest-search-status")
    pg.goto(served.url())
    header_search(pg, "learning")
    assert sharded_status == _status(pg, "#digest-search-status")
    assert re.match(r"\d+ papers match", sharded_status)
    page.assert_clean()


def _facets(pg: object) -> list[tuple[str, str]]:
    names = pg.locator(".digest-facet__name").all_inner_texts()
    counts = pg.locator(".digest-facet__count").all_inner_texts()
    return list(zip(names, counts, strict=True))


def _dates(pg: object) -> list[str]:
    return pg.locator("#digest-sp-list .digest-result__date").evaluate_all(
        "times => times.map(t => t.dateTime)")


@pytest.mark.browser
@pytest.mark.parametrize("query", ["search/?q=learning", "search/?q=learning&topic=Computer+vision",
                                   "search/?sort=newest", "search/?q=model&sort=oldest",
                                   "search/?q=model&year=2025"])
def test_the_search_page_answers_as_one_index(page: Watched, served_shards: Served,
                                              served: Served, query: str) -> None:
    """Counts, facets (topic, tag, year, edition) and date order match the single index."""
    pg = page.page
    answers = []
    for site in (served_shards, served):
        pg.goto(site.url(query))
        wait_for_search_page(pg)
        links = result_links(pg)
        answers.append((_status(pg, "#digest-sp-status"), _facets(pg), _dates(pg),
                        len(links), {slug_of(link) for link in links}))
    (status, facets, dates, shown, slugs), single_answer = answers
    assert (status, facets, shown) == (single_answer[0], single_answer[1], single_answer[3])
    assert shown > 0 and facets
    if shown < 20:  # all on the first page: the same papers
        assert slugs == single_answer[4]
    if "sort" in query:  # in date order, as the single index has them
        assert dates == single_answer[2]
        assert dates == sorted(dates, reverse="newest" in query)
    page.assert_clean()


@pytest.mark.browser
def test_the_search_page_shows_papers_of_every_shard(page: Watched,
                                                     served_shards: Served) -> None:
    pg = page.page
    shards = [set(shard_papers(served_shards.site_dir / name)) for name in BUNDLES]
    pg.goto(served_shards.url("search/?sort=oldest"))
    wait_for_search_page(pg)
    shown = [slug_of(link) for link in result_links(pg)]
    assert set(shown) == shards[0]  # the oldest papers are the first shard's
    pg.goto(served_shards.url("search/?sort=newest"))
    wait_for_search_page(pg)
    shown = [slug_of(link) for link in result_links(pg)]
    assert set(shown[:11]) == shards[2] and set(shown[11:]) <= shards[1]
    page.assert_clean()


@pytest.mark.browser
def test_one_bundle_fetches_only_its_shard_list_more(page: Watched, served: Served) -> None:
    """A site of one shard (10,000 papers) fetches what one index needs, and the list of
    shards (under 100 bytes) beside pagefind.js."""
    pg = page.page
    fetched: list[str] = []
    pg.on("request", lambda request: fetched.append(request.url))
    pg.goto(served.url())
    header_search(pg, "learning")
    search = [url.split("/paper-digest/", 1)[1].split("?")[0] for url in fetched
              if "/pagefind" in url]
    assert all(url.startswith("pagefind/") for url in search)
    names = {re.sub(r"(/[a-z]+_)?[0-9a-f]{7,}", "#", url) for url in search}
    assert names == {"pagefind/pagefind.js", "pagefind/shards.json",
                     "pagefind/pagefind-entry.json", "pagefind/pagefind.en_#.pf_meta",
                     "pagefind/wasm.en.pagefind", "pagefind/index#.pf_index",
                     "pagefind/filter#.pf_filter", "pagefind/fragment#.pf_fragment"}
    assert len((served.site_dir / "pagefind" / SHARDS_FILE).read_bytes()) < 100
    page.assert_clean()


@pytest.mark.browser
def test_every_shard_is_searched(page: Watched, served_shards: Served) -> None:
    pg = page.page
    fetched: list[str] = []
    pg.on("request", lambda request: fetched.append(request.url))
    pg.goto(served_shards.url())
    header_search(pg, "learning")
    for name in BUNDLES:
        assert [url for url in fetched if f"/{name}pagefind-entry.json" in url], name
    page.assert_clean()


def test_pages_out_of_order_are_indexed_into_the_same_shards(
        sharded: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages that do not come in the shards' order (not as `digest build` renders them)
    make the streaming index fall back to indexing the written pages, shard by shard."""
    from digest.render.search_index import StreamingIndex

    monkeypatch.setenv("DIGEST_SEARCH_SHARD_PAGES", str(SHARD_PAGES))
    site = Path(shutil.copytree(sharded.site_dir, tmp_path / "site"))
    for name in BUNDLES:
        shutil.rmtree(site / name)
    order = [f"papers/{slug}/" for name in BUNDLES
             for slug in sorted(shard_papers(sharded.site_dir / name))]
    streaming = StreamingIndex(site, order)
    for url in reversed(order):
        streaming.add(url, (site / url / "index.html").read_text("utf-8"))
    assert streaming.finish(expected_pages=51) == 51
    for name in BUNDLES:
        assert shard_papers(site / name).keys() == shard_papers(sharded.site_dir / name).keys()
