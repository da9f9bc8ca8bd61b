"""editions.xml: one Atom entry per edition for RSS-to-email services, its links on the
home and edition pages, the optional "Subscribe by email" form, and edition navigation.
"""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from digest.build import build_site
from digest.cli import main

from tests.conftest import copy_project, write_paper

BASE = "https://paper-digest.github.io/paper-digest/"


def _paper(title: str, date: str, authors: str, abstract: str) -> str:
    return (f'---\ntitle: "{title}"\ndate: {date}\ntopics: [llm-reasoning]\n'
            f"authors: [{authors}]\n---\n\n{abstract}\n")


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("editions") / "project", with_content=False)
    write_paper(project, "tree-search-agents.md", _paper(
        "Tree Search Agents", "2026-03-04", '"Ada Quillfeather", "Bo Li"',
        "Agents plan with tree search over tools."))
    write_paper(project, "q-a-b-agents-c.md", _paper(
        "Q&A <b>Agents</b> & <script>c</script>", "2026-03-11", '"Bo Li"',
        "Robot control with diffusion policies & <em>markup</em>."))
    write_paper(project, "sparse-diffusion-samplers.md", _paper(
        "Sparse Diffusion Samplers", "2026-03-11", '"Lisa Müller"',
        "We make diffusion samplers sparse so that they run fast."))
    write_paper(project, "older-paper.md", _paper(
        "Older Paper", "2026-02-20", '"Bo Li"', "An older paper on planning."))
    (project / "site_config" / "site.yml").open("a", encoding="utf-8").write(
        "subscribe_url: https://buttondown.example/paper-digest\n")
    return build_site(project).site_dir


def test_editions_feed_has_one_entry_per_edition(two_editions: Path) -> None:
    feed = feedparser.parse((two_editions / "editions.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.id == BASE + "editions.xml"
    assert [e.id for e in feed.entries] == [BASE + f"editions/2026-03-{d}/" for d in ("11", "04")] \
        + [BASE + "editions/2026-02-20/"]
    newest = feed.entries[0]
    assert newest.title == "Edition of 11 March 2026: 2 papers"
    assert newest.link == BASE + "editions/2026-03-11/"
    assert newest.published == newest.updated == "2026-03-11T00:00:00Z"  # no build clock
    assert feed.feed.updated == "2026-03-11T00:00:00Z"
    assert [t.term for t in newest.tags] == ["llm-reasoning"]
    html = newest.content[0].value
    # Each paper: its title linked, its authors, its topics and an excerpt, all escaped.
    assert f'<a href="{BASE}papers/q-a-b-agents-c/">Q&amp;A &lt;b&gt;Agents&lt;/b&gt; &amp; ' \
           "&lt;script&gt;c&lt;/script&gt;</a>" in html
    assert "<em>Bo Li</em>" in html and "<em>Lisa Müller</em>" in html
    assert f'<a href="{BASE}topics/llm-reasoning/">LLM reasoning and self-improvement</a>' in html
    assert "We make diffusion samplers sparse so that they run fast." in html
    assert "<script" not in html and "<b>" not in html
    assert "Tree Search Agents" not in html  # another edition's paper
    assert "Tree Search Agents" in feed.entries[1].content[0].value


def test_editions_feed_is_linked_and_email_is_offered(two_editions: Path, site: Path) -> None:
    home = (two_editions / "index.html").read_text("utf-8")
    edition = (two_editions / "editions" / "2026-03-04" / "index.html").read_text("utf-8")
    for page, root in ((home, ""), (edition, "../../")):
        assert re.search(r'<link rel="alternate feed" type="application/atom\+xml" '
                         rf'title="[^"]*editions[^"]*" href="{root}editions\.xml">', page)
        assert f'<a href="{root}editions.xml" type="application/atom+xml">Each edition' in page
        assert ('<a href="https://buttondown.example/paper-digest">'
                "Subscribe by email</a>") in page
    # A paper page offers the papers' feed, not the editions' (that is for email services).
    paper = next((two_editions / "papers").glob("*/index.html")).read_text("utf-8")
    assert 'href="../../feed.xml">' in paper and "editions.xml" not in paper
    # Without subscribe_url, nothing external appears.
    shipped = (site / "index.html").read_text("utf-8")
    assert "editions.xml" in shipped and "Subscribe by email" not in shipped
    # Edition pages link to the previous and next edition.
    nav = re.search(r'<nav class="digest-edition-nav".*?</nav>', edition, re.S).group(0)
    assert 'href="../2026-02-20/" rel="prev">← Previous edition:' in nav
    assert 'href="../2026-03-11/" rel="next">Next edition:' in nav
    newest = (two_editions / "editions" / "2026-03-11" / "index.html").read_text("utf-8")
    assert 'rel="next"' not in newest and 'rel="prev"' in newest


def test_the_fixture_editions_feed_parses(site: Path) -> None:
    feed = feedparser.parse((site / "editions.xml").read_bytes())
    assert not feed.bozo
    assert [e.id for e in feed.entries] == [BASE + "editions/2026-03-11/"]
    assert feed.entries[0].title == "Edition of 11 March 2026: 51 papers"


@pytest.mark.parametrize("value", ["javascript:alert(1)", "buttondown.example/x", "https://"])
def test_subscribe_url_must_be_http(project: Path, value: str) -> None:
    (project / "site_config" / "site.yml").open("a", encoding="utf-8").write(
        f'subscribe_url: "{value}"\n')
    result = CliRunner().invoke(main, ["build", "--root", str(project)])
    assert result.exit_code != 0
    assert "site_config/site.yml:" in result.output
    assert "subscribe_url: must be an http(s) URL" in result.output
    assert "Traceback" not in result.output
    assert not (project / "site").exists()
