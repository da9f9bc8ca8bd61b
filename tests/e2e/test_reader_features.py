"""Reader features on the built site: feeds, related papers, citations, data export,
paper links and link previews (issue 5, items 1, 2, 3, 5 and 7).

Most checks read the shipped site (built once per session); the hostile-title and
arXiv-id checks share one build of a small temporary project.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import frontmatter
import jsonschema
import pytest
import yaml

from digest.build import build_site
from digest.site.export import DATA_PATH
from digest.site.feeds import FEED_LIMIT
from tests.conftest import FIXTURE_PAPERS, PROJECT, copy_project, write_paper
from tests.support.data_export import read_export

SITE_URL = yaml.safe_load((PROJECT / "site_config" / "site.yml").read_text())["url"]
HOSTILE = '<script>alert(1)</script> & "quotes" {50%} \\cite #1'


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes (values unescaped)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags_of(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def meta(html: str, key: str) -> list[str]:
    """Contents of <meta property=key> or <meta name=key>."""
    return [a.get("content", "") for t, a in tags_of(html)
            if t == "meta" and key in (a.get("property"), a.get("name"))]


def links(html: str, rel: str) -> list[dict[str, str]]:
    return [a for t, a in tags_of(html) if t == "link" and rel in a.get("rel", "").split()]


def resolve(page: Path, site: Path, href: str) -> Path:
    """The file a link on ``page`` points to: relative, or absolute under the site's path
    (as on 404.html, which MkDocs links absolutely)."""
    base_path = urlsplit(SITE_URL).path
    if href.startswith(base_path):
        page, href = site / "index.html", href.removeprefix(base_path)
    target = Path(posixpath.normpath(str(page.parent / href)))
    target = target / "index.html" if href.endswith("/") else target
    assert target.is_relative_to(site), href
    return target


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def section(html: str, css_class: str) -> str:
    found = re.search(rf'<section class="{css_class}"[^>]*>.*?</section>', html, re.S)
    return found.group(0) if found else ""


def bib_entries(text: str) -> dict[str, str]:
    """BibTeX entries by key, checking that each entry's braces balance."""
    entries: dict[str, str] = {}
    for chunk in re.split(r"\n(?=@)", text.strip()):
        match = re.match(r"@(\w+)\{([^,\s]+),\n", chunk)
        assert match, chunk
        depth = 0
        for i, char in enumerate(chunk):
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, chunk
            if depth == 0 and char == "}":
                assert chunk[i + 1:].strip() == "", chunk
        assert depth == 0, chunk
        assert match.group(2) not in entries, f"duplicate key {match.group(2)}"
        entries[match.group(2)] = chunk.strip()
    return entries


# --- feeds --------------------------------------------------------------------------


def all_feeds(site: Path) -> list[Path]:
    return [site / "feed.xml", *sorted(site.glob("feed-*.xml"))]


def test_every_feed_parses_and_lists_papers_newest_first(site: Path) -> None:
    topic_pages = {p.parent.name for p in (site / "topics").glob("*/index.html")}
    assert {p.stem.removeprefix("feed-") for p in site.glob("feed-*.xml")} == topic_pages
    for path in all_feeds(site):
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
        assert feed.version == "atom10"
        entries = feed.entries
        assert entries, path
        dates = [e.published_parsed for e in entries]
        assert dates == sorted(dates, reverse=True)
        assert feed.feed.updated_parsed == dates[0]
        for entry in entries:
            assert entry.id == entry.link and entry.id.startswith(SITE_URL + "papers/")
            page = site / entry.id.removeprefix(SITE_URL) / "index.html"
            assert page.is_file(), entry.id
            assert entry.title in unescape(page.read_text(encoding="utf-8"))
            assert entry.content[0].type == "text/html"
            assert entry.content[0].value.startswith("<p>")
    whole = feedparser.parse((site / "feed.xml").read_bytes())
    assert len(whole.entries) == min(len(FIXTURE_PAPERS), FEED_LIMIT)
    assert whole.feed.title == "Paper Digest"
    assert whole.feed.links[0].href == SITE_URL + "feed.xml"


def test_topic_feed_holds_exactly_the_topic_papers(site: Path) -> None:
    data = read_export(site)
    for topic in data["topics"]:
        feed = feedparser.parse((site / f"feed-{topic['slug']}.xml").read_bytes())
        expected = [p["url"] for p in data["papers"] if topic["slug"] in p["topics"]]
        assert [e.id for e in feed.entries] == expected[:FEED_LIMIT]
        assert all(topic["slug"] in [t.term for t in e.tags] for e in feed.entries)


def test_feed_entry_content_is_the_abstract(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if "autoformer" in e.id)
    post = frontmatter.load(PROJECT / "content" / "papers"
                            / (entry.id.rstrip("/").split("/")[-1] + ".md"))
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", entry.content[0].value)).split())
    assert text.startswith("Extending the forecasting time is a critical demand")
    assert text.endswith(post.content.split()[-1])
    assert entry.published == "2026-03-11T00:00:00Z"


def test_every_page_links_the_feed_and_topic_pages_their_own(site: Path) -> None:
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        alternates = [a for a in links(html, "alternate")
                      if a.get("type") == "application/atom+xml"]
        assert alternates, page
        assert resolve(page, site, alternates[0]["href"]) == site / "feed.xml", page
    for page in (site / "topics").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        hrefs = [resolve(page, site, a["href"]) for a in links(html, "alternate")]
        assert site / f"feed-{page.parent.name}.xml" in hrefs


def test_home_and_topic_pages_show_a_subscribe_link(site: Path) -> None:
    for page in [site / "index.html", *(site / "topics").glob("*/index.html")]:
        html = page.read_text(encoding="utf-8")
        box = re.search(r'<p class="digest-subscribe">(.*?)</p>', html, re.S)
        assert box and "Subscribe" in box.group(1), page
        feed = re.search(r'href="([^"]+)" type="application/atom\+xml">Subscribe', box.group(1))
        expected = site / ("feed.xml" if page.parent == site else f"feed-{page.parent.name}.xml")
        assert resolve(page, site, feed.group(1)) == expected


# --- citations and data -------------------------------------------------------------


def test_the_data_export_follows_its_schema_and_holds_every_paper(site: Path) -> None:
    schema = json.loads((site / "papers.schema.json").read_text(encoding="utf-8"))
    data = read_export(site)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator,
                        format_checker=jsonschema.FormatChecker())
    assert schema["$id"] == SITE_URL + "papers.schema.json" == data["$schema"]
    assert sorted(p["slug"] for p in data["papers"]) == [p.stem for p in FIXTURE_PAPERS]
    for path in FIXTURE_PAPERS:
        post = frontmatter.load(path)
        paper = next(p for p in data["papers"] if p["slug"] == path.stem)
        assert paper["title"] == paper["title_tex"] == post["title"]  # no TeX in these
        assert (paper["published"], paper["categories"], paper["upvotes"]) == (None, [], None)
        assert paper["date"] == str(post["date"])
        assert paper["topics"] == post["topics"]
        assert paper["url"] == f"{SITE_URL}papers/{path.stem}/"
        assert paper["abstract"][:40] in " ".join(post.content.replace("*", "").split())
    assert sum(t["papers"] for t in data["topics"]) == sum(len(p["topics"])
                                                           for p in data["papers"])
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="papers.json.gz" type="application/gzip" download>as JSON (gzip)<' in home


def test_bib_files_hold_one_entry_per_paper_with_unique_keys(site: Path) -> None:
    data = read_export(site)
    entries = bib_entries((site / "papers.bib").read_text(encoding="utf-8"))
    assert sorted(entries) == sorted(p["bibtex_key"] for p in data["papers"])
    for paper in data["papers"]:
        entry = entries[paper["bibtex_key"]]
        assert entry.startswith(f"@misc{{{paper['bibtex_key']},")
        assert re.search(r"^  title = \{\{.+\}\},$", entry, re.M)
        assert f"  url = {{{paper['url']}}}" in entry  # no arXiv id in the shipped content
    for topic in data["topics"]:
        page = site / "topics" / topic["slug"] / "index.html"
        html = page.read_text(encoding="utf-8")
        href = re.search(r'<a href="([^"]+\.bib)" download>', html).group(1)
        bib = resolve(page, site, href)
        assert bib.read_text(encoding="utf-8") and topic["bibtex"] == SITE_URL + str(
            bib.relative_to(site))
        keys = sorted(bib_entries(bib.read_text(encoding="utf-8")))
        assert keys == sorted(p["bibtex_key"] for p in data["papers"]
                              if topic["slug"] in p["topics"])


def test_paper_page_shows_its_bibtex_entry_out_of_search(site: Path) -> None:
    data = read_export(site)
    entries = bib_entries((site / "papers.bib").read_text(encoding="utf-8"))
    for paper in data["papers"]:
        html = (site / "papers" / paper["slug"] / "index.html").read_text(encoding="utf-8")
        cite = section(html, "digest-cite")  # out of search: the test below
        code = re.search(r'<pre class="digest-bibtex"><code>(.*?)</code></pre>', cite, re.S)
        assert unescape(code.group(1)).strip() == entries[paper["bibtex_key"]]


# --- related papers -----------------------------------------------------------------


def test_related_boxes_link_other_existing_papers_out_of_search(site: Path) -> None:
    data = read_export(site)
    with_related = 0
    for paper in data["papers"]:
        page = site / "papers" / paper["slug"] / "index.html"
        box = section(page.read_text(encoding="utf-8"), "digest-related")
        hrefs = re.findall(r'<a href="([^"]+)"', box)
        assert len(hrefs) <= 5
        if not hrefs:
            assert paper["related"] == []
            continue
        with_related += 1  # out of search: test_search_index_holds_the_abstract_alone
        assert "Related papers" in box
        targets = [resolve(page, site, h) for h in hrefs]
        assert all(t.is_file() for t in targets)
        assert page not in targets
        assert len(set(targets)) == len(targets)
        assert [t.parent.name for t in targets] == paper["related"]
    assert with_related >= 45  # a few papers may share too little text with any other


def test_related_papers_make_sense(site: Path) -> None:
    data = {p["slug"]: p for p in read_export(site)["papers"]}
    autoformer = next(s for s in data if s.startswith("autoformer"))
    # Autoformer is a time-series forecasting paper: its nearest neighbours share the topic.
    first = data[data[autoformer]["related"][0]]
    assert "time-series" in first["topics"]


def test_search_index_holds_the_abstract_alone(site: Path) -> None:
    """Of a paper page, search indexes the abstract's text: not the title line, links,
    BibTeX, related papers' titles or the Edit link (search_bundles.INDEXED_PARTS), which
    would match every paper and fill excerpts."""
    fragments = sorted((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == len(FIXTURE_PAPERS)
    for path in fragments:
        fragment = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
        for never in ("Related papers", "@misc", "Edit this page", "Cite", "Links",
                      "arXiv abstract", "Added to the digest", "Tags:"):
            assert never not in fragment["content"], (fragment["url"], never)
        html = (site / fragment["url"].lstrip("/") / "index.html").read_text(encoding="utf-8")
        abstract = " ".join(unescape(re.sub(r"<[^>]+>", " ", section(
            html, "digest-abstract"))).split())
        assert abstract.startswith(" ".join(fragment["content"].split()[:4])), fragment["url"]


# --- sharing ------------------------------------------------------------------------


def test_paper_page_has_link_preview_meta(site: Path) -> None:
    slug = "pfgm-unlocking-the-potential-of-physics-inspired-generative-models"
    html = (site / "papers" / slug / "index.html").read_text(encoding="utf-8")
    url = f"{SITE_URL}papers/{slug}/"
    title = "PFGM++: Unlocking the Potential of Physics-Inspired Generative Models"
    excerpt = ("We introduce a new family of physics-inspired generative models termed PFGM++ "
               "that unifies diffusion models and Poisson Flow Generative Models (PFGM).")
    assert [a["href"] for a in links(html, "canonical")] == [url]
    assert meta(html, "og:url") == [url]
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == [title]
    assert meta(html, "og:description") == [excerpt]
    # X falls back to og:title and og:description; saying them twice costs every page.
    assert meta(html, "twitter:title") == meta(html, "twitter:description") == []
    assert meta(html, "description") == [excerpt]
    assert meta(html, "twitter:card") == ["summary"]
    assert meta(html, "og:site_name") == ["Paper Digest"]
    assert meta(html, "article:published_time") == ["2026-03-11"]


def test_every_page_is_canonical_under_the_site_url_and_in_the_sitemap(site: Path) -> None:
    sitemap = set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text()))
    for page in html_pages(site):
        if page.name == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        path = page.parent.relative_to(site).as_posix()
        url = SITE_URL + ("" if path == "." else path + "/")
        assert [a["href"] for a in links(html, "canonical")] == [url], page
        assert meta(html, "og:url") == [url]
        assert meta(html, "og:type") == ["article" if path.startswith("papers/") else "website"]
        assert meta(html, "og:title") and meta(html, "og:description")
        assert url in sitemap
    assert all(loc.startswith(SITE_URL) for loc in sitemap)


# --- a temporary project: hostile text, arXiv ids, keys -----------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("reader") / "project", with_content=False)
    write_paper(project, "hostile.md", f"""---
title: {json.dumps(HOSTILE)}
date: 2026-03-10
arxiv: "2310.10000"
doi: "10.1000/x{{y}}_z"
authors: ["Ada <b>Lovelace</b>", "Barnes & Noble and Sons"]
venue: "NeurIPS 2023 & friends"
topics: [time-series]
links: [https://github.com/example/quokka, https://quokka.example.org/]
---

Quokka lattices forecast marsupial migration with sparse seasonal decomposition.
We train quokka lattices on migration records. <img src=x onerror=alert(1)>
""")
    write_paper(project, "quokka-lattices-for-migration.md", """---
title: Quokka lattices for migration forecasting
date: 2026-03-11
topics: [time-series]
---

Quokka lattices forecast migration of marsupials; seasonal decomposition of lattices helps.
""")
    write_paper(project, "graph-kernels.md", """---
title: Graph kernels for molecules
date: 2026-03-11
topics: [representation-learning]
---

Graph kernels compare molecules through shared substructures and walks.
""")
    write_paper(project, "graph-kernels-again.md", """---
title: Graph kernels for proteins
date: 2026-03-11
topics: [representation-learning]
---

Graph kernels compare proteins through shared substructures and folds.
""")
    return build_site(project).site_dir


def test_hostile_title_is_escaped_in_feeds(hostile_site: Path) -> None:
    for path in [hostile_site / "feed.xml", hostile_site / "feed-time-series.xml"]:
        raw = path.read_text(encoding="utf-8")
        assert "<script>" not in raw and "<img" not in raw and "<b>" not in raw
        feed = feedparser.parse(raw.encode())
        assert not feed.bozo, feed.get("bozo_exception")
        entry = next(e for e in feed.entries if e.id.endswith("/papers/hostile/"))
        assert entry.title == HOSTILE
        assert [a.name for a in entry.authors] == ["Ada <b>Lovelace</b>",
                                                    "Barnes & Noble and Sons"]
        # The abstract arrives as sanitized HTML: the img tag is text, not an element.
        assert "<img" not in entry.content[0].value.replace("&lt;img", "")


def test_hostile_title_is_escaped_in_json(hostile_site: Path) -> None:
    raw = gzip.decompress((hostile_site / DATA_PATH).read_bytes()).decode("utf-8")
    assert "<" not in raw and ">" not in raw and "&" not in raw
    paper = next(p for p in json.loads(raw)["papers"] if p["slug"] == "hostile")
    assert paper["title"] == HOSTILE
    assert paper["authors"] == ["Ada <b>Lovelace</b>", "Barnes & Noble and Sons"]
    assert paper["arxiv_url"] == "https://arxiv.org/abs/2310.10000"
    assert paper["pdf_url"] == "https://arxiv.org/pdf/2310.10000"
    assert paper["related"][0] == "quokka-lattices-for-migration"


def test_hostile_title_is_escaped_in_meta_tags(hostile_site: Path) -> None:
    html = (hostile_site / "papers" / "hostile" / "index.html").read_text(encoding="utf-8")
    head = html.split("</head>")[0]
    assert "<script>alert" not in html
    assert meta(html, "og:title") == [HOSTILE]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in head
    assert meta(html, "og:description")[0].startswith("Quokka lattices forecast")


def test_bibtex_escapes_latex_specials(hostile_site: Path) -> None:
    entries = bib_entries((hostile_site / "papers.bib").read_text(encoding="utf-8"))
    entry = next(e for e in entries.values() if "eprint = {2310.10000}" in e)
    assert entry.startswith("@misc{lovelace2023script,")
    # < and > are text macros: OT1 fonts would print them as ¡ and ¿.
    assert ("title = {{\\textless{}script\\textgreater{}alert(1)\\textless{}/script"
            "\\textgreater{} \\& \"quotes\" "
            "\\textbraceleft{}50\\%\\textbraceright{} \\textbackslash{}cite \\#1}}") in entry
    assert ("author = {Ada \\textless{}b\\textgreater{}Lovelace\\textless{}/b\\textgreater{} "
            "and {Barnes \\& Noble and Sons}}") in entry
    assert "year = {2023}" in entry and "archivePrefix = {arXiv}" in entry
    assert "doi = {10.1000/x%7By%7D_z}" in entry
    assert "url = {https://arxiv.org/abs/2310.10000}" in entry
    # Same leading word and no year: the newer-by-slug paper gets a suffix.
    assert {"graphkernels", "graphkernelsb"} <= set(entries)
    page = (hostile_site / "papers/hostile/index.html").read_text(encoding="utf-8")
    assert "alert(1)\\textless{}/script\\textgreater{} \\&amp; &#34;quotes&#34;" in page


def test_paper_links_to_arxiv_code_and_project(hostile_site: Path) -> None:
    html = (hostile_site / "papers" / "hostile" / "index.html").read_text(encoding="utf-8")
    box = section(html, "digest-links")
    hrefs = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', box)
    assert ("https://arxiv.org/abs/2310.10000", "arXiv abstract (2310.10000)") in hrefs
    assert ("https://arxiv.org/pdf/2310.10000", "PDF on arXiv") in hrefs
    assert ("https://github.com/example/quokka", "Code: github.com/example/quokka") in hrefs
    assert ("https://quokka.example.org/", "Project page: quokka.example.org") in hrefs
    assert ("https://doi.org/10.1000/x{y}_z", "DOI 10.1000/x{y}_z") in [
        (unescape(h), unescape(t)) for h, t in hrefs]
    assert "arxiv.org/search" not in box
    other = section((hostile_site / "papers/graph-kernels/index.html").read_text(), "digest-links")
    assert ('href="https://arxiv.org/search/?searchtype=title&amp;query=Graph+kernels+for+'
            'molecules"') in other
    assert "arxiv.org/abs" not in other



def test_related_papers_ignore_input_order_and_break_ties_by_slug() -> None:
    import datetime as dt
    import random

    from digest.enrich.related import related_papers
    from digest.model import Paper

    def paper(slug: str, text: str) -> Paper:
        return Paper(slug=slug, title=slug.replace("-", " "), date=dt.date(2026, 3, 11),
                     abstract=text)

    twins = "Sparse quokka lattices forecast seasonal marsupial migration."
    papers = [paper(f"twin-{c}", twins) for c in "dbeac"]
    papers += [paper("loner", "Graph kernels compare molecules by shared walks."),
               paper("quokka-review", "A review of quokka migration and lattice models.")]
    # Words in more than half the papers are dropped as uninformative: add unrelated ones.
    papers += [paper(f"filler-{i}", f"Topic{i} unrelated vocabulary{i} only.") for i in range(6)]
    expected = related_papers(papers)
    shuffled = papers[:]
    random.Random(5).shuffle(shuffled)
    assert related_papers(shuffled) == expected
    # Four equally similar twins: listed by slug, then the weaker match.
    assert expected["twin-a"] == ("twin-b", "twin-c", "twin-d", "twin-e", "quokka-review")
    assert expected["loner"] == ()


def test_related_papers_found_through_words_most_papers_share(monkeypatch) -> None:
    """Each term finds candidates through its CHAMPIONS heaviest papers only (bounded work
    per paper): a pair sharing a rare word is still found among many sharing common ones."""
    import datetime as dt

    from digest.enrich import related
    from digest.model import Paper

    monkeypatch.setattr(related, "CHAMPIONS", 4)
    monkeypatch.setattr(related, "CANDIDATES", 3)

    def paper(slug: str, text: str) -> Paper:
        return Paper(slug=slug, title=slug.replace("-", " "), date=dt.date(2026, 3, 11),
                     abstract=text)

    common = "Transformer attention benchmark results improve accuracy."
    papers = [paper(f"paper-{i:02d}", f"{common} Word{i} alone.") for i in range(40)]
    papers += [paper("wombat-a", f"{common} Wombat burrows."),
               paper("wombat-b", f"{common} Wombat burrows.")]
    found = related.related_papers(papers)
    assert found["wombat-a"][0] == "wombat-b"
    assert found["wombat-b"][0] == "wombat-a"
    assert all(len(found[p.slug]) <= related.CANDIDATES for p in papers)
