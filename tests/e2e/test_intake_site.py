"""From intake to the built site, as a curator and then a reader meet it.

A day of Hugging Face papers and an arXiv answer (recorded, served from 127.0.0.1) are
imported with the real commands, the site is built with `digest build`, and the pages,
head meta, feeds and search index are read back: authors, ids, links and TeX titles
must reach the reader, and the plain-text form of a title the places that hold text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from digest.cli import main
from tests.conftest import copy_project
from tests.support.recorded_server import RecordedServer, closed_port

JWST = "the-jwst-view-of-galaxies-at-z-10-16-number-densities-and-binary-stars-of-0-4-m"
MOE = "sparse-mixture-of-experts-scale-test-time-compute"


def run(project: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--root", str(project)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty project filled by `digest import hf` and `digest add`, then built."""
    project = copy_project(tmp_path_factory.mktemp("intake") / "project", with_content=False)
    recorded = RecordedServer()
    recorded.thread.start()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIGEST_ARXIV_API", recorded.base + "/api/query")
        patch.setenv("DIGEST_HF_API", recorded.base + "/hf/api")
        patch.setenv("DIGEST_ARXIV_INTERVAL", "0")
        try:
            recorded.serve_file("/hf/api/daily_papers", "intake/hf-daily-3.json")
            recorded.serve_file("/api/query", "intake/arxiv-3.atom")
            assert "3 read, 3 written" in run(project, "import", "hf", "--date", "2026-03-11")
            assert "3 written" in run(project, "add", "2305.18290", "hep-th/9901001",
                                      "https://arxiv.org/abs/2311.04399", "--date",
                                      "2026-03-12")
            assert len(recorded.requests) == 2  # one day, and one batch of three ids
        finally:
            recorded.httpd.shutdown()
            recorded.httpd.server_close()
    run(project, "check")
    run(project, "build", "--quiet")
    return project


def page(project: Path, slug: str) -> str:
    return (project / "site" / "papers" / slug / "index.html").read_text(encoding="utf-8")


def meta(text: str, name: str) -> list[str]:
    return [html.unescape(m) for m in
            re.findall(rf'<meta name="{name}" content="([^"]*)"', text)]


def test_an_imported_paper_page_shows_authors_ids_and_links(imported: Path) -> None:
    text = page(imported, MOE)
    for author in ("Mei Lin", "Jonas Björk", "Ana Ferreira"):
        assert f'data-pagefind-filter="author">{author}</a>' in text
    assert 'href="https://arxiv.org/abs/2603.04512"' in text
    assert 'href="https://arxiv.org/pdf/2603.04512"' in text
    assert 'href="https://github.com/meilin/sparse-ttc"' in text
    assert 'href="https://meilin.github.io/sparse-ttc/"' in text
    assert "57 upvotes on Hugging Face" in text


def test_zotero_finds_the_citation_meta_of_an_arxiv_paper(imported: Path) -> None:
    text = page(imported, "direct-preference-optimization-your-language-model-is-secretly-a"
                "-reward-model")
    assert meta(text, "citation_title") == [
        "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"]
    assert meta(text, "citation_author")[:2] == ["Rafael Rafailov", "Archit Sharma"]
    assert len(meta(text, "citation_author")) == 6
    assert meta(text, "citation_arxiv_id") == ["2305.18290"]
    assert meta(text, "citation_pdf_url") == ["https://arxiv.org/pdf/2305.18290"]
    assert meta(text, "citation_publication_date") == ["2023/05/29"]


def test_a_tex_title_renders_as_mathml_and_reads_as_text_in_head_and_feeds(
        imported: Path) -> None:
    text = page(imported, JWST)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)
    assert heading.count("<math") >= 2 and "$" not in heading and "\\sim" not in heading
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert html.unescape(title).startswith("The JWST View of Galaxies at z∼10–16: Number")
    assert "$" not in title
    feed = feedparser.parse(imported / "site" / "feed.xml")
    assert not feed.bozo
    entry = next(e for e in feed.entries if "JWST" in e.title)
    assert entry.title.startswith("The JWST View of Galaxies at z∼10–16")
    assert [a.name for a in entry.authors][:1] == ["Steven L. Finkelstein"]
    # The abstract: formulas as MathML, TeX text cleaned, nothing raw left.
    abstract = re.search(r'<section class="digest-abstract".*?</section>', text, re.S).group(0)
    visible = re.sub(r"<math\b.*?</math>", "", abstract, flags=re.S)
    for raw in ("$", "\\textit", "\\textbf", "``", "---", "\\%", "~3"):
        assert raw not in visible, raw
    assert "30% larger" in visible and "<em>JWST</em>" in visible


def test_every_imported_paper_is_on_the_site_and_in_the_index(imported: Path) -> None:
    slugs = {p.stem for p in (imported / "content" / "papers").glob("*.md")}
    assert len(slugs) == 6
    for slug in slugs:
        assert (imported / "site" / "papers" / slug / "index.html").is_file(), slug
    feed = feedparser.parse(imported / "site" / "feed.xml")
    assert len(feed.entries) == 6
    fragments = list((imported / "site" / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == 6


def test_a_dead_network_gives_one_line_and_writes_nothing(imported: Path) -> None:
    before = {p.name: p.read_bytes() for p in (imported / "content" / "papers").glob("*.md")}
    result = CliRunner().invoke(main, ["add", "2401.00001", "--root", str(imported)],
                                env={"DIGEST_ARXIV_API": f"http://127.0.0.1:{closed_port()}/api/query",
                                     "DIGEST_HTTP_TIMEOUT": "2"})
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) <= 2 and "arXiv API" in lines[0] and "Traceback" not in result.output
    after = {p.name: p.read_bytes() for p in (imported / "content" / "papers").glob("*.md")}
    assert after == before
