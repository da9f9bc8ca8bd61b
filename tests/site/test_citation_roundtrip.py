"""BibTeX in is BibTeX out: a .bib imported, built, and every export compared with it.

A lab imports its own .bib and cites the digest's papers.bib from LaTeX: the entry type,
the citation key and the fields must come back as they went in, and every export (the
page's BibTeX, papers.bib, Highwire tags, papers.json.gz, papers.csl.json.gz, the search
filter) must date a paper by its publication, not by the day the digest took it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from digest.build import build_site
from digest.config import load_config
from digest.intake.commands import import_files
from tests.conftest import copy_project
from tests.support.data_export import read_csl, read_export

BIB = r"""
@article{jumper2021highly,
  title = {Highly accurate protein structure prediction with {AlphaFold}: the `protein folding problem'},
  author = {Jumper, John and Evans, Richard and Pritzel, Alexander},
  journal = {Nature},
  volume = {596},
  number = {7873},
  pages = {583--589},
  year = {2021},
  month = aug,
  publisher = {Nature Publishing Group},
  doi = {10.1038/s41586-021-03819-2},
  url = {https://www.nature.com/articles/s41586-021-03819-2},
  abstract = {Proteins are essential to life.}
}

@inproceedings{he2016deep,
  title = {Deep Residual Learning for Image Recognition},
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  booktitle = {Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition},
  pages = {770--778},
  year = {2016},
  abstract = {Deeper neural networks are more difficult to train.}
}

@misc{Mueller:2019:phi,
  title = {Out-of-Equilibrium $\phi^3$ {QFT}: {\"U}ber die {\'E}quations of {\O}rsted and \(\beta\)-functions},
  author = {M{\"u}ller, J{\"o}rg and {\v{S}}koda, Ale{\v{s}} and Papadopoulos, {\Sigma}},
  year = {2019},
  howpublished = {Lecture notes},
  abstract = {Notes on $\phi^3$ theory.}
}
"""
EDITION = dt.date(2026, 3, 12)
_TEXT = LatexNodes2Text(math_mode="verbatim")


def _fields(bib: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Each entry of a .bib text: key -> (type, fields as text, TeX undone)."""
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks
    return {e.key: (e.entry_type.lower(),
                    {f.key.lower(): " ".join(_TEXT.latex_to_text(str(f.value)).split())
                     for f in e.fields})
            for e in library.entries}


def lab_site(root: Path) -> Path:
    """A site built from BIB imported into an empty project (also the browser tests')."""
    project = copy_project(root / "project", with_content=False)
    bib = root / "lab.bib"
    bib.write_text(BIB, encoding="utf-8")
    report = import_files(load_config(project), [bib], date=EDITION,
                          today=dt.date(2026, 3, 12))
    assert len(report.written) == 3, report.skipped
    return build_site(project, project / "site").site_dir


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lab_site(tmp_path_factory.mktemp("roundtrip"))


def _page(site: Path, slug_part: str) -> str:
    page = next(p for p in (site / "papers").glob("*/index.html") if slug_part in p.parent.name)
    return page.read_text(encoding="utf-8")


def _page_bibtex(page: str) -> str:
    match = re.search(r"<pre[^>]*>(?:<code[^>]*>)?(@\w+\{.*?\n\})", page, re.S)
    assert match, "no BibTeX block on the page"
    return html.unescape(match.group(1))


def test_the_imported_files_keep_the_record(site: Path) -> None:
    text = (site.parent / "content/papers").glob("highly-accurate*.md")
    front = next(text).read_text(encoding="utf-8")
    for line in ('entry_type: article', 'cite_key: "jumper2021highly"', "journal: Nature",
                 'volume: "596"', 'number: "7873"', 'pages: "583--589"', "year: 2021",
                 "month: 8", "publisher: Nature Publishing Group",
                 "url: https://www.nature.com/articles/s41586-021-03819-2"):
        assert line in front, line
    assert "‘protein folding problem’" in front  # not a literal backtick


@pytest.mark.parametrize("where", ["page", "papers.bib"])
def test_entries_come_back_field_by_field(site: Path, where: str) -> None:
    given = _fields(BIB)
    if where == "page":
        out = {}
        for part in ("highly-accurate", "deep-residual", "out-of-equilibrium"):
            out.update(_fields(_page_bibtex(_page(site, part))))
    else:
        out = _fields((site / "papers.bib").read_text(encoding="utf-8"))
    assert set(out) == set(given)  # every imported key kept
    for key, (kind, fields) in given.items():
        got_kind, got = out[key]
        assert got_kind == kind, key
        for name, value in fields.items():
            if name in ("abstract",):
                continue
            if name == "title":  # the typographic quotes are the same text
                value = value.replace("`", "‘").replace("'", "’")
            if name == "month":
                value = "aug"
            if name == "author":  # "Jumper, John" and "John Jumper" are one name to BibTeX
                value = " and ".join(" ".join(reversed(n.split(", ", 1)))
                                     for n in value.split(" and "))
            assert got.get(name) == value, (key, name, got.get(name), value)


def test_highwire_tags_carry_the_publication(site: Path) -> None:
    page = _page(site, "highly-accurate")
    meta = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', page))
    assert meta["citation_publication_date"] == "2021/08"
    assert "citation_date" not in meta  # Zotero reads the date above; Scholar asks for it
    assert meta["citation_journal_title"] == "Nature"
    assert meta["citation_volume"] == "596"
    assert meta["citation_issue"] == "7873"
    assert (meta["citation_firstpage"], meta["citation_lastpage"]) == ("583", "589")
    assert html.unescape(meta["citation_publisher"]) == "Nature Publishing Group"
    resnet = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"',
                             _page(site, "deep-residual")))
    assert resnet["citation_publication_date"] == "2016"
    assert resnet["citation_conference_title"].startswith("Proceedings of the IEEE")


def test_the_search_year_filter_is_the_publication_year(site: Path) -> None:
    assert 'data-pagefind-filter="year:2021"' in _page(site, "highly-accurate")
    assert 'data-pagefind-filter="year:2016"' in _page(site, "deep-residual")
    assert 'data-pagefind-filter="year:2026"' not in _page(site, "deep-residual")


def test_papers_json_and_csl_json_date_by_publication(site: Path) -> None:
    data = read_export(site)
    by_key = {p["bibtex_key"]: p for p in data["papers"]}
    alphafold = by_key["jumper2021highly"]
    assert alphafold["date"] == EDITION.isoformat()  # the edition date stays the edition's
    assert alphafold["citation"] == {
        "type": "article", "year": 2021, "issued": "2021-08", "journal": "Nature",
        "booktitle": None, "volume": "596", "number": "7873", "pages": "583--589",
        "publisher": "Nature Publishing Group",
        "url": "https://www.nature.com/articles/s41586-021-03819-2"}
    assert by_key["he2016deep"]["citation"]["type"] == "inproceedings"
    csl = {item["id"]: item for item in
           read_csl(site)}
    item = csl["jumper2021highly"]
    assert item["type"] == "article-journal"
    assert item["issued"] == {"date-parts": [[2021, 8]]}
    assert (item["container-title"], item["volume"], item["issue"], item["page"]) == (
        "Nature", "596", "7873", "583-589")
    assert item["author"][0] == {"family": "Jumper", "given": "John"}
    assert csl["he2016deep"]["type"] == "paper-conference"
    assert csl["Mueller:2019:phi"]["author"][0] == {"family": "Müller", "given": "Jörg"}


def test_papers_csl_json_leaves_abstracts_to_papers_json(site: Path) -> None:
    """Abstracts were three quarters of papers.csl.json.gz; papers.json.gz holds them, and
    the reading list's CSL-JSON export takes them from there (test_reading_list_browser.py).
    The file is gzip, as papers.json.gz is, and the same bytes on every build."""
    items = read_csl(site)
    assert len(items) == 3 and not any("abstract" in item for item in items)
    assert not (site / "papers.csl.json").exists()
    assert (site / "papers.csl.json.gz").read_bytes()[4:8] == bytes(4)  # no time in it
    data = read_export(site)
    by_key = {p["bibtex_key"]: p for p in data["papers"]}
    assert by_key["jumper2021highly"]["abstract"] == "Proteins are essential to life."


def test_papers_bib_of_imported_entries_compiles(site: Path, tmp_path: Path) -> None:
    from tests.site.test_bibtex_compiles import _MISSING, compile_bib
    if _MISSING:
        pytest.skip("pdflatex or bibtex not installed")
    bbl = compile_bib(site / "papers.bib", tmp_path / "bib")
    assert bbl.count(r"\bibitem") == 3
    assert "Nature" in bbl and "596" in bbl


def test_a_cite_key_two_papers_want_gets_a_suffix_and_a_warning(tmp_path: Path) -> None:
    """Keys stay unique: the paper of the later edition gets b, and the build says so."""
    project = copy_project(tmp_path / "project", with_content=False)
    for name, date in (("first.md", "2026-03-10"), ("second.md", "2026-03-11")):
        (project / "content/papers" / name).write_text(
            f"---\ntitle: Paper {name}\ndate: {date}\ntopics: [llm-reasoning]\n"
            'cite_key: "smith2020"\n---\n\nAn abstract.\n', encoding="utf-8")
    result = build_site(project, project / "site")
    keys = {p["slug"]: p["bibtex_key"] for p in read_export(result.site_dir)["papers"]}
    assert keys == {"first": "smith2020", "second": "smith2020b"}
    warned = [str(p) for p in result.warnings if p.field == "cite_key"]
    assert len(warned) == 1 and "second.md" in warned[0] and "smith2020b" in warned[0]
    assert "first.md" in warned[0]
