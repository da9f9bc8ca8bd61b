"""What readers see of a paper's metadata (issue 9, items 4 and 5): authors linked to the
search page, arXiv date, category, upvotes and links; TeX titles as MathML with a
plain-text form in <title>, meta, feeds, papers.json.gz and the index; Highwire tags for
Zotero; BibTeX fields. One small project, built once for the whole module.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import jsonschema
import pytest

from digest.build import build_site
from digest.site.highwire import venue_kind
from digest.text.titles import formula_text, render_title
from tests.conftest import copy_project, write_paper
from tests.e2e.test_hostile import pagefind_fragments
from tests.e2e.test_reader_features import bib_entries, meta, section, tags_of
from tests.support.data_export import read_export

JWST = "galaxies-at-z-10-16-with-jwst"
TEX_TITLE = "Galaxies at $z\\sim10-16$ with JWST"
PLAIN_TITLE = "Galaxies at z∼10–16 with JWST"
AUTHORS = ["Zoë O'Brien-Müller", "Grace Hopper", "Emmy Noether", "Sofia Kovalevskaya"]


def build_metadata_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project of papers with authors, ids, dates, upvotes and a TeX title."""
    project = copy_project(tmp_path_factory.mktemp("metadata") / "project", with_content=False)
    write_paper(project, f"{JWST}.md", f"""---
title: {json.dumps(TEX_TITLE)}
date: 2026-03-11
authors: {json.dumps(AUTHORS, ensure_ascii=False)}
arxiv: "2305.18290"
doi: "10.1000/jwst.42"
published: 2023-05-29
categories: [astro-ph.GA, astro-ph.CO]
upvotes: 42
venue: "NeurIPS 2023"
topics: [generative-models]
tags: [JWST]
links: [https://github.com/example/jwst, https://jwst.example.org/]
---

We find galaxies at redshift $z\\sim10$ with the James Webb Space Telescope.
""")
    write_paper(project, "two-authors-one-upvote.md", """---
title: Two authors and one upvote
date: 2026-03-10
authors: ["Ada Lovelace", "Charles Babbage"]
upvotes: 1
venue: "Journal of Analytical Engines"
topics: [generative-models]
---

Distant galaxies seen by the James Webb Space Telescope at high redshift, in a paper
without an arXiv id, whose upvote cannot link to Hugging Face.
""")
    write_paper(project, "no-authors-at-all.md", """---
title: No authors at all
date: 2026-03-10
topics: [generative-models]
---

A paper that names no authors and comes from nowhere in particular.
""")
    # Words in more than half the papers are no evidence of relatedness: add other papers.
    for i, words in enumerate(["Graph kernels compare molecules", "Sparse quokka lattices",
                               "Protein folding with diffusion"]):
        write_paper(project, f"filler-{i}.md", f"""---
title: Filler paper {i}
date: 2026-03-09
topics: [generative-models]
---

{words} in a paper about something else entirely.
""")
    return build_site(project).site_dir


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_metadata_site(tmp_path_factory)


def page(site: Path, slug: str) -> str:
    return (site / "papers" / slug / "index.html").read_text(encoding="utf-8")


def anchors(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link, both unescaped, tags inside the text dropped."""
    return [(unescape(h), " ".join(unescape(re.sub(r"<[^>]+>", "", t)).split()))
            for h, t in re.findall(r'<a [^>]*?href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)]


class Heading(HTMLParser):
    """The elements and the text inside a page's <h1>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.elements: list[str] = []
        self.text = ""
        self.attributes: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1" and not self.depth:
            self.attributes = {k: v or "" for k, v in attrs}
        if self.depth or tag == "h1":
            self.depth += 1
            if tag != "h1":
                self.elements.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text += data


def heading(html: str) -> Heading:
    parser = Heading()
    parser.feed(html)
    return parser


# --- the two forms of a title -------------------------------------------------------


def test_tex_title_reads_as_plain_text() -> None:
    title = render_title(TEX_TITLE)
    assert title.text == PLAIN_TITLE
    assert str(title.html).startswith('Galaxies at <math display="inline">')
    assert "$" not in str(title.html) and "\\sim" not in str(title.html)
    assert formula_text("\\alpha^{2}+\\beta") == "α^2+β"
    # The spaces as typed: "n log n", not "n logn".
    assert render_title("An $O(n \\log n)$ sort").text == "An O(n log n) sort"


def test_title_without_tex_is_left_as_it_is() -> None:
    title = render_title('Costs & "quotes" <b>')
    assert title.text == 'Costs & "quotes" <b>'
    assert str(title.html) == "Costs &amp; &#34;quotes&#34; &lt;b&gt;"


def test_unreadable_formula_shows_as_typed_and_a_literal_dollar_stays_one() -> None:
    title = render_title("A $\\notamacro{x}$ formula for \\$5")
    assert str(title.html) == ('A <span class="digest-tex">$\\notamacro{x}$</span> formula '
                               "for $5")
    assert title.text == "A $\\notamacro{x}$ formula for $5"


def test_heading_holds_mathml_and_the_head_plain_text(site: Path) -> None:
    html = page(site, JWST)
    h1 = heading(html)
    assert "math" in h1.elements and "$" not in h1.text
    assert " ".join(h1.text.split()).startswith("Galaxies at z")
    assert h1.attributes["data-pagefind-meta"] == "title[data-title]"
    assert h1.attributes["data-title"] == PLAIN_TITLE
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert unescape(title).strip() == f"{PLAIN_TITLE} - Paper Digest"
    assert meta(html, "og:title") == [PLAIN_TITLE]
    description = meta(html, "description")[0]
    assert description == "We find galaxies at redshift z∼10 with the James Webb Space Telescope."


def test_a_plain_title_is_indexed_from_the_heading_itself(site: Path) -> None:
    """Without formulas the heading's text is the title (Pagefind's default, the first
    h1's): no second copy in an attribute, nor an attribute to say so."""
    h1 = heading(page(site, "two-authors-one-upvote"))
    assert h1.attributes == {}
    record = pagefind_fragments(site)["/papers/two-authors-one-upvote/"]
    assert record["meta"]["title"] == " ".join(h1.text.split())


def test_search_index_holds_the_plain_title_and_author_filters(site: Path) -> None:
    record = pagefind_fragments(site)[f"/papers/{JWST}/"]
    assert record["meta"]["title"] == PLAIN_TITLE
    assert record["meta"]["authors"] == ", ".join(AUTHORS)
    assert record["filters"]["author"] == AUTHORS
    assert "\\sim" not in record["content"]


@pytest.mark.parametrize("where", ["", "editions/2026-03-11/", "topics/generative-models/",
                                   "tags/jwst/", "papers/two-authors-one-upvote/"])
def test_listings_and_related_boxes_show_the_tex_title_as_mathml(site: Path,
                                                                  where: str) -> None:
    html = (site / where / "index.html").read_text(encoding="utf-8")
    link = next(t for h, t in re.findall(r'<a [^>]*?href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
                if h.endswith(f"{JWST}/"))
    assert link.startswith('Galaxies at <math display="inline">') and "$" not in link


# --- the paper page -----------------------------------------------------------------


def test_authors_are_named_once_each_as_search_filters(site: Path) -> None:
    """The page names each author once, as a Pagefind filter; search.js makes each name
    a link to the search page filtered by it (test_paper_metadata_browser.py)."""
    html = page(site, JWST)
    authors = re.search(r'<p [^>]*data-pagefind-meta="authors"[^>]*>(.*?)</p>', html,
                        re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", authors)) == ", ".join(AUTHORS)
    tags = [t for t in tags_of(authors) if t[0] == "a"]
    assert [attrs for _tag, attrs in tags] == [{"data-pagefind-filter": "author"}] * len(AUTHORS)
    assert "search/?author=" not in html


def test_paper_page_shows_arxiv_date_category_upvotes_and_links(site: Path) -> None:
    html = page(site, JWST)
    line = re.search(r'<p class="digest-meta"[^>]*>(.*?)</p>', html, re.S).group(1)
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", line)).split())
    assert text.startswith("Published on arXiv 29 May 2023 · Added to the digest in the edition "
                           "of 11 March 2026 · astro-ph.GA · ▲ 42 upvotes on Hugging Face")
    assert ("../../editions/2026-03-11/", "edition of 11 March 2026") in anchors(line)
    assert '<time datetime="2023-05-29">29 May 2023</time>' in line
    assert ("https://arxiv.org/list/astro-ph.GA/recent", "astro-ph.GA") in anchors(line)
    assert ("https://huggingface.co/papers/2305.18290",
            "▲ 42 upvotes on Hugging Face") in anchors(line)
    box = anchors(section(html, "digest-links"))
    assert ("https://arxiv.org/abs/2305.18290", "arXiv abstract (2305.18290)") in box
    assert ("https://arxiv.org/pdf/2305.18290", "PDF on arXiv") in box
    assert ("https://github.com/example/jwst", "Code: github.com/example/jwst") in box
    assert ("https://jwst.example.org/", "Project page: jwst.example.org") in box


def meta_line(html: str) -> str:
    """The paper page's line of dates and sources, as text."""
    line = re.search(r'<p class="digest-meta"[^>]*>(.*?)</p>', html, re.S).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", line)).split())


def test_the_date_line_labels_publication_and_edition_dates_once_each(tmp_path: Path) -> None:
    """The publication date says as much as is known (a year, a month, arXiv's day) and
    the edition date is the day the digest took the paper: each once, each labelled."""
    project = copy_project(tmp_path / "project", with_content=False)
    papers = {
        "journal-year": ("year: 2021\nvenue: Nature", "Published 2021 · "),
        "journal-month": ("year: 2016\nmonth: 6", "Published June 2016 · "),
        "arxiv-day": ('arxiv: "2403.01234"\npublished: 2024-03-12',
                      "Published on arXiv 12 March 2024 · "),
        "undated": ("", ""),
    }
    for slug, (fields, _) in papers.items():
        write_paper(project, f"{slug}.md", f"""---
title: A paper called {slug}
date: 2026-03-12
topics: [generative-models]
{fields}
---

An abstract long enough to say something about {slug}.
""")
    site = build_site(project).site_dir
    for slug, (_, published) in papers.items():
        text = meta_line(page(site, slug))
        assert text.startswith(published + "Added to the digest in the edition of 12 March 2026")
        assert text.count("2026") == 1 and "Edition 2026" not in text
    line = page(site, "journal-month")
    assert '<time datetime="2016-06">June 2016</time>' in line
    assert '<time datetime="2021">2021</time>' in page(site, "journal-year")


def test_upvotes_without_arxiv_id_are_text_and_unknown_ones_are_left_out(site: Path) -> None:
    html = page(site, "two-authors-one-upvote")
    line = re.search(r'<p class="digest-meta"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert re.search(r"▲</span> 1 upvote on Hugging Face\s", line)  # text, not a link
    assert "huggingface.co" not in line and "Published on arXiv" not in line
    bare = page(site, "no-authors-at-all")
    line = re.search(r'<p class="digest-meta"[^>]*>(.*?)</p>', bare, re.S).group(1)
    assert "upvote" not in line and 'data-pagefind-meta="authors"' not in bare


def test_listings_name_the_first_three_authors(site: Path) -> None:
    html = (site / "editions" / "2026-03-11" / "index.html").read_text(encoding="utf-8")
    authors = re.findall(r'<div class="digest-item__authors">(.*?)</div>', html)
    assert [unescape(a) for a in authors] == [
        "Zoë O'Brien-Müller, Grace Hopper, Emmy Noether et al."]
    older = (site / "editions" / "2026-03-10" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<div class="digest-item__authors">(.*?)</div>', older) == [
        "Ada Lovelace, Charles Babbage"]


# --- Zotero -------------------------------------------------------------------------


def citation_tags(html: str) -> list[tuple[str, str]]:
    head = html.split("</head>")[0]
    return [(a["name"], a["content"]) for t, a in tags_of(head)
            if t == "meta" and a.get("name", "").startswith("citation_")]


def test_highwire_meta_lets_zotero_save_the_paper(site: Path) -> None:
    assert citation_tags(page(site, JWST)) == [
        ("citation_title", PLAIN_TITLE),
        *[("citation_author", name) for name in AUTHORS],
        ("citation_publication_date", "2023/05/29"),
        ("citation_arxiv_id", "2305.18290"),
        ("citation_pdf_url", "https://arxiv.org/pdf/2305.18290"),
        ("citation_doi", "10.1000/jwst.42"),
        ("citation_conference_title", "NeurIPS 2023"),
    ]
    assert citation_tags(page(site, "two-authors-one-upvote")) == [
        ("citation_title", "Two authors and one upvote"),
        ("citation_author", "Ada Lovelace"), ("citation_author", "Charles Babbage"),
        # No publication date or year known: the edition's.
        ("citation_publication_date", "2026/03/10"),
        ("citation_journal_title", "Journal of Analytical Engines"),
    ]
    assert citation_tags(page(site, "no-authors-at-all")) == [
        ("citation_title", "No authors at all"), ("citation_publication_date", "2026/03/10")]
    assert citation_tags((site / "index.html").read_text(encoding="utf-8")) == []


def test_venue_kind_is_told_only_when_the_name_says_it() -> None:
    assert venue_kind("Proceedings of ACL 2024") == "conference"
    assert venue_kind("ICLR 2025 (oral)") == "conference"
    assert venue_kind("IEEE Transactions on Pattern Analysis") == "journal"
    assert venue_kind("Nature Physics") == "journal"
    assert venue_kind("Preprint") is None


# --- BibTeX, feeds, papers.json.gz --------------------------------------------------


def test_bibtex_keeps_the_tex_title_and_gains_arxiv_fields(site: Path) -> None:
    entries = bib_entries((site / "papers.bib").read_text(encoding="utf-8"))
    entry = entries["muller2023galaxies"]
    assert "  title = {{Galaxies at $z\\sim10-16$ with JWST}}," in entry
    # Accents as LaTeX: pdflatex and BibTeX's sorting read {\"e}, not every UTF-8 letter.
    assert ("  author = {Zo{\\\"e} O'Brien-M{\\\"u}ller and Grace Hopper and Emmy Noether and "
            "Sofia Kovalevskaya},") in entry
    for field in ("eprint = {2305.18290}", "archivePrefix = {arXiv}",
                  "primaryClass = {astro-ph.GA}", "doi = {10.1000/jwst.42}", "year = {2023}"):
        assert f"  {field}," in entry
    other = entries["lovelacetwo"]  # no arXiv id: no arXiv fields
    assert "eprint" not in other and "primaryClass" not in other and "$" not in other


def entry_xml(feed: Path, slug: str) -> str:
    return next(e for e in feed.read_text(encoding="utf-8").split("<entry>")[1:]
                if f"/papers/{slug}/</id>" in e)


def test_feeds_carry_authors_and_the_plain_title(site: Path) -> None:
    for name in ("feed.xml", "feed-generative-models.xml"):
        feed = feedparser.parse((site / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        entries = {e.id.rstrip("/").rsplit("/", 1)[-1]: e for e in feed.entries}
        jwst = entries[JWST]
        assert jwst.title == PLAIN_TITLE
        assert [a.name for a in jwst.authors] == AUTHORS
        assert [a.name for a in entries["two-authors-one-upvote"].authors] == [
            "Ada Lovelace", "Charles Babbage"]
        assert feed.feed.author == "Paper Digest"  # the fallback for entries without authors
        assert "<author>" not in entry_xml(site / name, "no-authors-at-all")


def test_the_editions_feed_reads_tex_titles_as_text(site: Path) -> None:
    """An email client draws no MathML: editions.xml names papers by their plain title."""
    feed = feedparser.parse((site / "editions.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    edition = next(e for e in feed.entries if PLAIN_TITLE in e.summary)
    content = edition.content[0].value
    assert f">{PLAIN_TITLE}</a></h2>" in content
    assert "$" not in content and "\\sim" not in content and "$" not in edition.summary


def test_papers_json_carries_the_new_fields_and_follows_its_schema(site: Path) -> None:
    schema = json.loads((site / "papers.schema.json").read_text(encoding="utf-8"))
    data = read_export(site)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator,
                        format_checker=jsonschema.FormatChecker())
    papers = {p["slug"]: p for p in data["papers"]}
    jwst = papers[JWST]
    assert jwst["title"] == PLAIN_TITLE and jwst["title_tex"] == TEX_TITLE
    assert jwst["authors"] == AUTHORS
    assert jwst["published"] == "2023-05-29"
    assert jwst["categories"] == ["astro-ph.GA", "astro-ph.CO"]
    assert jwst["upvotes"] == 42
    assert jwst["arxiv"] == "2305.18290" and jwst["doi"] == "10.1000/jwst.42"
    bare = papers["no-authors-at-all"]
    assert (bare["published"], bare["categories"], bare["upvotes"]) == (None, [], None)
    assert bare["title"] == bare["title_tex"] == "No authors at all"
