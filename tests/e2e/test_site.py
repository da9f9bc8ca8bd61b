"""End to end: the tests' fixture project built into a real MkDocs + Pagefind site."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import frontmatter
import pytest

from digest.build import build_site
from digest.errors import DigestError
from digest.site.views import recent_band
from digest.text.markup import plain_text, render_abstract
from tests.conftest import FIXTURE_PAPERS, PROJECT, write_paper


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def paper_page(site: Path, path: Path) -> str:
    return (site / "papers" / path.stem / "index.html").read_text(encoding="utf-8")


def test_one_page_per_paper(site: Path) -> None:
    pages = sorted(p.parent.name for p in (site / "papers").glob("*/index.html"))
    assert pages == [p.stem for p in FIXTURE_PAPERS]
    assert len(pages) == 51


@pytest.mark.parametrize("path", FIXTURE_PAPERS, ids=lambda p: p.stem[:40])
def test_title_and_cleaned_abstract_on_each_page(site: Path, path: Path) -> None:
    post = frontmatter.load(path)
    page = text_of(paper_page(site, path))
    assert post["title"] in page
    assert plain_text(render_abstract(post.content)) in page
    assert f"<title>{unescape(post['title'])}" in unescape(paper_page(site, path))


def test_no_latex_residue_anywhere(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for residue in ("\\%", "{\\em", "{times}", "R_oplus", "{to}infty"):
            assert residue not in text, f"{residue} in {page}"


def test_every_paper_is_linked_from_a_topic_page(site: Path) -> None:
    linked: set[str] = set()
    for topic in (site / "topics").glob("*/index.html"):
        linked.update(re.findall(r'href="\.\./\.\./papers/([a-z0-9-]+)/"', topic.read_text()))
    assert linked == {p.stem for p in FIXTURE_PAPERS}


def test_search_index_covers_all_papers(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 51
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    fragments = list((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == 51


def test_newest_papers_carry_their_recent_band(site: Path) -> None:
    """The header box finds the newest matches of a broad query through these bands."""
    bands = {}
    for page in (site / "papers").glob("*/index.html"):
        found = re.findall(r'data-pagefind-filter="recent:(\d+)"', page.read_text("utf-8"))
        bands[page.parent.name] = found
    newest_first = sorted(bands)  # one edition: then newest first is slug order
    assert [bands[slug] for slug in newest_first] == [["32"]] * 32 + [["64"]] * 19
    assert [recent_band(rank) for rank in (0, 31, 32, 63, 64, 1023, 1024, 5000)] == [
        32, 32, 64, 64, 128, 1024, None, None]


def test_nav_holds_no_paper(site: Path) -> None:
    """On paper pages the drawer is built from the tabs in the browser
    (test_page_weight.py checks it there)."""
    for page in [site / "index.html", next((site / "papers").glob("*/index.html"))]:
        html = page.read_text()
        tabs = re.search(r'<nav class="md-tabs".*?</nav>', html, re.S)
        primary = re.search(r'<nav class="md-nav md-nav--primary.*?md-sidebar--secondary',
                            html, re.S)
        assert tabs and primary, page
        navs = [tabs.group(0)] if "data-digest-drawer" in primary.group(0) else [
            tabs.group(0), primary.group(0)]
        assert len(navs) == (1 if page.parent.parent.name == "papers" else 2), page
        for nav in navs:
            assert "papers/" not in nav
            assert "Topics" in nav and "Search" in nav


def test_no_lunr_and_no_remote_fonts(site: Path) -> None:
    assert not (site / "search" / "search_index.json").exists()
    # Nor Material's lunr worker and language files, which no page loads (1.2 MB).
    scripts = site / "assets" / "javascripts"
    assert not (scripts / "lunr").exists() and not (scripts / "workers").exists()
    assert list(scripts.glob("bundle.*.min.js"))
    home = (site / "index.html").read_text()
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home
    assert 'action="search/"' in home


def test_paper_page_shows_chips_links_and_edit(site: Path) -> None:
    page = (site / "papers" / "pfgm-unlocking-the-potential-of-physics-inspired-generative-models"
            / "index.html").read_text()
    assert 'href="../../topics/generative-models/"' in page
    assert 'href="https://github.com/Newbeeer/pfgmpp"' in page
    assert "arxiv.org/search/?searchtype=title&amp;query=PFGM%2B%2B" in page
    assert ("github.com/paper-digest/paper-digest/edit/main/content/papers/"
            "pfgm-unlocking-the-potential-of-physics-inspired-generative-models.md") in page


def test_topic_page_lists_papers_newest_first_with_count(site: Path) -> None:
    page = text_of((site / "topics" / "time-series" / "index.html").read_text())
    assert "Forecasting, generating and explaining sequences" in page
    assert re.search(r"\d+ papers, newest first", page)


def test_second_build_is_byte_identical(site: Path, tmp_path: Path) -> None:
    again = build_site(PROJECT, tmp_path / "again").site_dir
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    different = [str(p) for p in first if first[p] != second[p]]
    assert different == []


def test_sitemap_has_no_build_clock(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text()
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2026-03-11"}


def test_failed_build_keeps_previous_site(project: Path) -> None:
    site = build_site(project).site_dir
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    write_paper(project, "broken.md", "---\ntitle: [unclosed\ndate: 2026-03-11\n---\nText\n")
    with pytest.raises(DigestError) as info:
        build_site(project)
    assert "content/papers/broken.md:3: yaml: YAML syntax error" in str(info.value)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
