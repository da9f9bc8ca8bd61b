"""Search that understands what readers type, in real Chromium on built sites:
"exact phrase", -word, author:Name, topic:slug, year:2026, together with the facets, the
whole query in the address, and the papers matching most of the words when every word
matching finds fewer than three.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote_plus

import pytest

from digest.build import build_site
from tests.browser.test_reading_list_browser import lab  # noqa: F401 (the imported-entries site)
from tests.browser.test_search_browser import (
    header_search,
    result_links,
    slug_of,
    wait_for_search_page,
)
from tests.conftest import copy_project, write_paper
from tests.support.browser import Served, Watched, browser, page, serve_site, served  # noqa: F401

pytestmark = [pytest.mark.browser]

MCTS_BOOSTS = "monte-carlo-tree-search-boosts-reasoning-via-iterative-preference-learning"
MC_NEST = "mc-nest-enhancing-mathematical-reasoning-in-large-language-models-with-a-monte"
REST_MCTS = "rest-mcts-llm-self-training-via-process-reward-guided-tree-search"
UPO = "self-evolutionary-large-language-models-through-uncertainty-enhanced-preference"
NEAR_TITLE = "Also matching some of your words"


def search_page(pg: object, served: Served, query: str) -> tuple[list[str], list[str]]:
    """Open the search page for ``query``; return (exact matches, near misses) as slugs."""
    pg.goto(served.url("search/?q=" + quote_plus(query)))
    wait_for_search_page(pg)
    near = pg.locator("#digest-sp-near-list .digest-result__title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return [slug_of(h) for h in result_links(pg)], [slug_of(h) for h in near]


def options(pg: object) -> tuple[list[str], list[str]]:
    """The header box's (exact, near-miss) options as slugs."""
    exact = pg.locator("#digest-search-list > li > [role=option]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    near = pg.locator("#digest-search-list [role=group] [role=option]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return [slug_of(h) for h in exact], [slug_of(h) for h in near]


def test_monte_carlo_tree_search_finds_every_mcts_paper(page: Watched, served: Served) -> None:
    pg = page.page
    exact, near = search_page(pg, served, "Monte Carlo tree search")
    assert exact == [MCTS_BOOSTS]
    assert {MC_NEST, REST_MCTS} <= set(near) and MCTS_BOOSTS not in near
    assert near[0] == MC_NEST  # three of the four words before two of them
    box = pg.locator("#digest-sp-near")
    assert box.get_by_role("heading", name=NEAR_TITLE).is_visible()
    first = box.locator("li").first
    assert "has Monte Carlo tree; lacks search" in first.inner_text()
    assert first.locator(".digest-result__near").inner_text() == "Some of your words"
    assert pg.locator("#digest-sp-status").inner_text() == (
        f"1 paper matches “Monte Carlo tree search”; {len(near)} more match some of your words")
    # The header box: the same, the near misses a named group of the listbox. The code
    # for them loads only when a query needs it: not for a plain query with enough matches.
    fetched: list[str] = []
    pg.on("request", lambda request: fetched.append(request.url))
    pg.goto(served.url("topics/"))
    header_search(pg, "diffusion models")
    assert not [url for url in fetched if url.endswith("/search-syntax.js")]
    header_search(pg, "Monte Carlo tree search")
    assert [url for url in fetched if url.endswith("/search-syntax.js")]
    exact, near = options(pg)
    assert exact == [MCTS_BOOSTS] and {MC_NEST, REST_MCTS} <= set(near)
    group = pg.get_by_role("group", name=NEAR_TITLE)
    assert group.get_by_role("option").count() == len(near)
    assert "more match some of your words" in pg.locator("#digest-search-status").inner_text()
    page.assert_clean()


def test_phrases_exclusions_topics_and_years(page: Watched, served: Served) -> None:
    pg = page.page
    assert set(search_page(pg, served, "monte carlo")[0]) == {MCTS_BOOSTS, MC_NEST, UPO}
    # An exact phrase: the dropout paper says "Monte Carlo (MC) dropout", not "Monte Carlo tree".
    exact, near = search_page(pg, served, '"monte carlo tree"')
    assert set(exact) == {MCTS_BOOSTS, MC_NEST} and near == []
    # -word leaves out the papers with that word.
    assert set(search_page(pg, served, "monte carlo -dropout")[0]) == {MCTS_BOOSTS, MC_NEST}
    assert set(search_page(pg, served, 'monte carlo -"tree search"')[0]) == {MC_NEST, UPO}
    # topic:slug is the topic of that page; year:YYYY the papers of that year.
    assert set(search_page(pg, served, "topic:preference-optimization monte carlo")[0]) == {
        MCTS_BOOSTS, UPO}
    assert set(search_page(pg, served, "monte carlo year:2026")[0]) == {MCTS_BOOSTS, MC_NEST, UPO}
    exact, near = search_page(pg, served, "monte carlo year:2025")
    assert exact == [] and near == []
    assert pg.locator("#digest-sp-status").inner_text().startswith("No paper matches")
    # The header box understands the same syntax.
    pg.goto(served.url())
    header_search(pg, "monte carlo -dropout topic:llm-reasoning")
    assert set(options(pg)[0]) == {MCTS_BOOSTS, MC_NEST}
    page.assert_clean()


def test_query_syntax_with_facets_and_in_the_address(page: Watched, served: Served) -> None:
    pg = page.page
    pg.goto(served.url("search/?q=monte+carlo+-dropout"))
    wait_for_search_page(pg)
    pg.locator('input[name="topic"][value="Preference optimization and RLHF"]').check()
    pg.wait_for_url("**/search/?q=monte+carlo+-dropout&topic=Preference+optimization+and+RLHF")
    wait_for_search_page(pg)
    assert [slug_of(h) for h in result_links(pg)] == [MCTS_BOOSTS]
    # Typed on the search page, the whole query goes to the address as typed.
    pg.locator("#digest-sp-q").fill('"tree search" -monte')
    pg.wait_for_url("**/search/?q=%22tree+search%22+-monte&topic=*")
    pg.locator("#digest-sp-clear").click()
    pg.wait_for_url("**/search/?q=%22tree+search%22+-monte")
    wait_for_search_page(pg)
    assert [slug_of(h) for h in result_links(pg)] == [REST_MCTS]
    # Enter in the header box opens the search page with the query, syntax and all.
    pg.goto(served.url("tags/"))
    header_search(pg, "topic:llm-reasoning mcts")
    pg.locator("#digest-header-q").press("Enter")
    pg.wait_for_url("**/search/?q=topic%3Allm-reasoning+mcts")
    wait_for_search_page(pg)
    assert set(map(slug_of, result_links(pg))) == {MCTS_BOOSTS, MC_NEST, REST_MCTS}
    assert "Search tips" in pg.locator("#digest-sp-tips").inner_text()
    page.assert_clean()


# --- authors: the shipped papers have none, so a small site of our own -------------------
def _paper(title: str, date: str, authors: str, abstract: str) -> str:
    return (f'---\ntitle: "{title}"\ndate: {date}\ntopics: [llm-reasoning]\n'
            f"authors: [{authors}]\n---\n\n{abstract}\n")


@pytest.fixture(scope="module")
def authored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    project = copy_project(tmp_path_factory.mktemp("authored") / "project", with_content=False)
    write_paper(project, "tree-search-agents.md", _paper(
        "Tree Search Agents", "2025-06-01", '"Ada Quillfeather", "Bo Li"',
        "Agents plan with tree search over tools and diffusion of value estimates."))
    write_paper(project, "sparse-diffusion-samplers.md", _paper(
        "Sparse Diffusion Samplers", "2026-01-05", '"Lisa Müller"',
        "We make diffusion samplers sparse so that they run fast on small machines."))
    write_paper(project, "diffusion-policies-for-robot-control.md", _paper(
        "Diffusion Policies for Robot Control", "2026-02-01", '"Bo Li"',
        "Robot control with diffusion policies trained with tree search."))
    site = build_site(project).site_dir
    server, info = serve_site(site, tmp_path_factory.mktemp("authored-www"))
    yield info
    server.shutdown()


def test_author_queries_and_author_links(page: Watched, authored: Served) -> None:
    pg = page.page
    both = ["diffusion-policies-for-robot-control", "tree-search-agents"]
    # A last name is a whole word of the name: "Li" is Bo Li, not Lisa.
    assert search_page(pg, authored, "author:Li")[0] == both  # newest first without words
    assert search_page(pg, authored, "author:muller")[0] == ["sparse-diffusion-samplers"]
    assert search_page(pg, authored, 'author:"Bo Li" diffusion -robot')[0] == [
        "tree-search-agents"]
    assert search_page(pg, authored, "author:Li year:2025")[0] == ["tree-search-agents"]
    search_page(pg, authored, "author:Nobody diffusion")
    assert pg.locator("#digest-sp-status").inner_text() == "Nothing matches author:Nobody"
    # ?author=Name, the address author links use, is the query author:"Name".
    pg.goto(authored.url("search/?author=Bo+Li"))
    pg.wait_for_url("**/search/?q=author%3A%22Bo+Li%22")
    wait_for_search_page(pg)
    assert pg.locator("#digest-sp-q").input_value() == 'author:"Bo Li"'
    assert [slug_of(h) for h in result_links(pg)] == both
    pg.goto(authored.url())
    header_search(pg, "author:quillfeather")
    assert options(pg) == (["tree-search-agents"], [])
    page.assert_clean()


def test_year_is_the_publication_year_not_the_edition(page: Watched, lab: Served) -> None:
    """Imported in 2026, AlphaFold (Nature 2021) and ResNet (CVPR 2016) are found by the
    years they were published, and the Year filter lists those years."""
    pg = page.page
    assert search_page(pg, lab, "year:2021")[0] == [
        "highly-accurate-protein-structure-prediction-with-alphafold-the-protein-folding"]
    assert search_page(pg, lab, "year:2016")[0] == [
        "deep-residual-learning-for-image-recognition"]
    assert search_page(pg, lab, "protein year:2026") == ([], [])
    page.assert_clean()
