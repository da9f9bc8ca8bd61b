"""The intake sources (#9) on recorded answers and files made by us: what each reads, what
it skips and why, and the one clear error a damaged input gives."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from digest.errors import DigestError
from digest.sources.arxiv import base_id, parse_atom, parse_id, read_atom, version_of
from digest.sources.bibtex import parse_bibtex
from digest.sources.formats import FORMATS, detect, parse
from digest.sources.hf_api import parse_daily
from digest.sources.hf_page import parse_page
from digest.util import processes
from digest.util.processes import map_in_processes
from tests.conftest import SEED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "intake"
EDITION = dt.date(2026, 3, 12)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def error_of(call, *args) -> str:
    with pytest.raises(DigestError) as info:
        call(*args)
    return str(info.value)


# --- arXiv API (Atom) ------------------------------------------------------------------

@pytest.fixture(scope="module")
def atom() -> dict[str, object]:
    batch = parse_atom(fixture("arxiv-3.atom"), "arxiv-3.atom", EDITION)
    return {d.paper.arxiv: d for d in batch.drafts} | {"batch": batch}


def test_arxiv_answer_gives_every_entry_with_ids_without_version(atom) -> None:
    batch = atom["batch"]
    assert [d.paper.arxiv for d in batch.drafts] == ["2305.18290", "hep-th/9901001",
                                                     "2311.04399"]
    assert [d.origin for d in batch.drafts] == ["arxiv-3.atom: 2305.18290v3",
                                                "arxiv-3.atom: hep-th/9901001v2",
                                                "arxiv-3.atom: 2311.04399v1"]
    assert batch.skipped == [] and batch.source == "arxiv-3.atom"
    assert all(d.paper.date == EDITION and d.paper.slug == "" for d in batch.drafts)
    assert {d.paper.source for d in batch.drafts} == {"arXiv API"}


def test_arxiv_entry_fields(atom) -> None:
    dpo = atom["2305.18290"].paper
    assert dpo.title == ("Direct Preference Optimization: Your Language Model is Secretly a "
                         "Reward Model")
    assert dpo.authors == ("Rafael Rafailov", "Archit Sharma", "Eric Mitchell",
                           "Stefano Ermon", "Christopher D. Manning", "Chelsea Finn")
    assert dpo.published == dt.date(2023, 5, 29)
    assert dpo.categories == ("cs.LG", "cs.AI", "cs.CL")  # the ACM class I.2.7 is left out
    assert [link.url for link in dpo.links] == [
        "https://github.com/eric-mitchell/direct-preference-optimization"]
    assert dpo.doi is None and dpo.venue is None


def test_arxiv_doi_journal_ref_and_comment_links(atom) -> None:
    jwst = atom["2311.04399"].paper
    assert jwst.doi == "10.3847/2041-8213/ad1234"
    assert jwst.venue == "ApJL 960 (2024) L5"
    assert jwst.categories == ("astro-ph.GA", "astro-ph.CO")
    assert [link.url for link in jwst.links] == ["https://ceers.github.io/dr1.html"]
    assert atom["hep-th/9901001"].paper.categories == ("hep-th",)


def test_arxiv_tex_title_keeps_formulas_verbatim(atom) -> None:
    title = atom["2311.04399"].paper.title
    assert title == ("The JWST View of Galaxies at $z\\sim10-16$: Number Densities and Binary "
                     "Stars of ($\\sim$0.4 M$_\\odot$) Mass")
    assert atom["hep-th/9901001"].paper.title == ("Boundary States and Open String Fields in "
                                                  "D-brane Backgrounds")


def test_arxiv_tex_abstract_is_unwrapped_cleaned_and_keeps_its_formulas(atom) -> None:
    abstract = atom["2311.04399"].paper.abstract
    assert "\n" not in abstract.split("\n\n")[0]  # hard line breaks are spaces
    assert abstract.split("\n\n")[1] == ("We discuss the **implications** for “bursty” star "
                                         "formation, Fig. 3 & Table 2.")
    assert "of *JWST* imaging" in abstract and "30% larger" in abstract
    assert "Two companions ($\\sim$0.4 M$_\\odot$), and later ($\\sim$0.9 M$_\\odot$) " \
        in abstract
    assert "$\\rho_{\\rm UV} \\propto (1+z)^{-2.5}$ — a slower decline" in abstract
    dpo = atom["2305.18290"].paper.abstract
    assert "we call *Direct Preference Optimization* (DPO)" in dpo and "by 10–20% over" in dpo
    old = atom["hep-th/9901001"]
    assert "Schrödinger-type" in old.paper.abstract and "Born–Infeld" in old.paper.abstract
    assert old.paper.authors == ("José A. García", "Renée Müller")


def test_arxiv_versions_and_updated_dates_are_kept_on_the_entries() -> None:
    entries = read_atom(fixture("arxiv-3.atom"), "arxiv-3.atom")
    assert [(e.id, e.version) for e in entries] == [
        ("2305.18290v3", 3), ("hep-th/9901001v2", 2), ("2311.04399v1", 1)]
    assert entries[0].updated == dt.date(2024, 7, 29)
    assert entries[1].comment == "12 pages, LaTeX; v2: references added"


def test_arxiv_error_entry_is_one_clear_error() -> None:
    message = error_of(parse_atom, fixture("arxiv-error.atom"), "arXiv API", EDITION)
    assert message.splitlines()[0] == "arXiv API: arXiv answered with an error"
    assert "incorrect id format for 2305.182901; check the ids" in message


def test_arxiv_empty_answer_is_an_empty_batch() -> None:
    batch = parse_atom(fixture("arxiv-empty.atom"), "arXiv API", EDITION)
    assert batch.drafts == [] and batch.skipped == []


def test_arxiv_ids_asked_for_but_not_returned_are_skipped_as_not_found() -> None:
    batch = parse_atom(fixture("arxiv-3.atom"), "arXiv API", EDITION,
                       requested=["2305.18290v2", "hep-th/9901001", "2401.00001"])
    assert batch.skipped == [("arXiv API: 2401.00001", "not found on arXiv: check the id")]


def test_arxiv_duplicate_id_in_one_answer_is_skipped_with_a_reason() -> None:
    text = fixture("arxiv-3.atom").decode()
    first = re.search(r"  <entry>.*?</entry>\n", text, re.S).group(0)
    again = first.replace("2305.18290v3", "2305.18290v2")
    data = text.replace("</feed>", again + "</feed>").encode()
    batch = parse_atom(data, "arXiv API", EDITION)
    assert len(batch.drafts) == 3
    assert batch.skipped == [("arXiv API: 2305.18290v2", "arXiv 2305.18290 appears twice in "
                              "this answer (first as 2305.18290v3); the first is kept")]


def test_arxiv_entry_without_abstract_is_skipped() -> None:
    text = fixture("arxiv-3.atom").decode()
    data = re.sub(r"<summary>.*?</summary>", "<summary>  </summary>", text, count=1,
                  flags=re.S).encode()
    batch = parse_atom(data, "arXiv API", EDITION, requested=["2305.18290"])
    assert batch.skipped == [("arXiv API: 2305.18290v3", "arXiv gave no abstract")]


def test_malformed_xml_names_the_source_and_line() -> None:
    data = fixture("arxiv-3.atom").replace(b"</title>", b"</titel>", 1)
    message = error_of(parse_atom, data, "answer.xml", EDITION)
    assert message.startswith("answer.xml: not a readable arXiv API answer\nanswer.xml:")
    assert re.search(r"answer\.xml:\d+: xml: .*malformed or was cut off: run the command "
                     "again, or check the file", message)


def test_truncated_xml_is_one_clear_error() -> None:
    data = fixture("arxiv-3.atom")
    message = error_of(parse_atom, data[: len(data) // 2], "arXiv API", EDITION)
    assert message.startswith("arXiv API: not a readable arXiv API answer")
    assert "cut off" in message and "Traceback" not in message


def test_xml_that_is_not_an_atom_feed_is_refused() -> None:
    message = error_of(parse_atom, b"<rss><channel/></rss>", "feed.xml", EDITION)
    assert "feed.xml:1: xml: expected an Atom <feed>" in message


def test_xml_entities_are_never_expanded_or_fetched() -> None:
    data = (b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">'
            b'<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
            b"<id>http://arxiv.org/abs/2305.18290v1</id><title>T &x; &b;</title>"
            b"<summary>S &b;</summary></entry></feed>")
    paper = parse_atom(data, "arXiv API", EDITION).drafts[0].paper
    assert "root:" not in paper.title and "aaaa" not in paper.title + paper.abstract


# --- arXiv ids as people write them ----------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2305.18290", "2305.18290"),
    ("2305.18290v2", "2305.18290v2"),
    ("arXiv:2305.18290", "2305.18290"),
    ("arxiv: 2305.18290v2", "2305.18290v2"),
    ("  2305.18290 ", "2305.18290"),
    ("hep-th/9901001", "hep-th/9901001"),
    ("arXiv:math.GT/0309136v1", "math.GT/0309136v1"),
    ("1501.00001", "1501.00001"),
    ("https://arxiv.org/abs/2305.18290", "2305.18290"),
    ("http://arxiv.org/abs/2305.18290v3", "2305.18290v3"),
    ("https://arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001v1"),
    ("arxiv.org/abs/2305.18290/", "2305.18290"),
    ("https://www.arxiv.org/pdf/2305.18290", "2305.18290"),
    ("https://arxiv.org/pdf/2305.18290v2", "2305.18290v2"),
    ("https://arxiv.org/pdf/2305.18290v2.pdf", "2305.18290v2"),
    ("https://arxiv.org/pdf/2305.18290.pdf", "2305.18290"),
    ("https://export.arxiv.org/abs/2305.18290?context=cs", "2305.18290"),
    ("https://arxiv.org/pdf/hep-th/9901001.pdf", "hep-th/9901001"),
    ("https://huggingface.co/papers/2305.18290", "2305.18290"),
    ("huggingface.co/papers/2305.18290#community", "2305.18290"),
])
def test_parse_id_accepts_every_form(text: str, expected: str) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize("text", [
    "", "2305.182", "23051.8290", "arXiv:", "https://example.org/abs/2305.18290",
    "https://arxiv.org/list/cs.LG/recent", "https://huggingface.co/2305.18290",
    "javascript:alert(1)", "HEP-TH/9901001", "2305.18290v", "10.1000/xyz123",
])
def test_parse_id_refuses_other_text_and_says_what_it_takes(text: str) -> None:
    message = error_of(parse_id, text)
    assert f"{text.strip()!r} is not an arXiv id or URL" in message
    assert "2305.18290v2" in message and "hep-th/9901001" in message
    assert "https://huggingface.co/papers/2305.18290" in message


def test_base_id_and_version() -> None:
    assert base_id("2305.18290v12") == "2305.18290" and base_id("2305.18290") == "2305.18290"
    assert base_id("hep-th/9901001v2") == "hep-th/9901001"
    assert version_of("2305.18290v12") == 12 and version_of("hep-th/9901001") is None


# --- Hugging Face daily papers (JSON) ------------------------------------------------

@pytest.fixture(scope="module")
def daily() -> dict[str, object]:
    batch = parse_daily(fixture("hf-daily-3.json"), "hf-daily-3.json", EDITION)
    return {d.paper.arxiv: d for d in batch.drafts} | {"batch": batch}


def test_daily_papers_give_every_item(daily) -> None:
    batch = daily["batch"]
    assert [d.paper.arxiv for d in batch.drafts] == ["2603.04512", "2603.05001", "2603.03377"]
    assert batch.skipped == []
    assert {d.paper.source for d in batch.drafts} == {"Hugging Face daily papers"}
    paper = daily["2603.04512"].paper
    assert paper.title == "Sparse Mixture-of-Experts Scale Test-Time Compute"
    assert paper.authors == ("Mei Lin", "Jonas Björk", "Ana Ferreira")
    assert paper.published == dt.date(2026, 3, 9) and paper.upvotes == 57
    assert paper.date == EDITION
    assert [link.url for link in paper.links] == ["https://github.com/meilin/sparse-ttc",
                                                  "https://meilin.github.io/sparse-ttc/"]
    assert [link.kind for link in paper.links] == ["code", "project"]
    # the paper's own summary, cleaned, not the item-level copy
    assert paper.abstract == ("We show that sparse mixture-of-experts models trade parameters "
                              "for test-time compute more efficiently than dense models, "
                              "reaching 88% of the accuracy of a model $4\\times$ larger at "
                              "half the cost.")


def test_daily_papers_hostile_item_passes_through_inert(daily) -> None:
    paper = daily["2603.05001"].paper
    assert paper.title == "<script>alert('title')</script> Robust Agents"  # text; escaped later
    assert [link.url for link in paper.links] == ["javascript:alert(1)"]  # the writer drops it
    assert "\\[this\\](javascript:alert(2))" in paper.abstract  # Markdown link made literal
    assert paper.authors == ("<img src=x onerror=alert(1)>", "R. Okafor")


def test_daily_papers_item_without_optional_fields(daily) -> None:
    paper = daily["2603.03377"].paper
    assert paper.title == "Calibrated Uncertainty for Diffusion Policies"
    assert paper.abstract.endswith("cut failures by 30–40%.")
    assert (paper.authors, paper.links, paper.published, paper.upvotes) == ((), (), None, None)


def test_empty_day_is_an_empty_batch() -> None:
    batch = parse_daily(fixture("hf-daily-empty.json"), "Hugging Face daily papers 2026-03-12",
                        EDITION)
    assert batch.drafts == [] and batch.skipped == []


def test_daily_items_missing_id_title_or_summary_are_skipped_with_reasons() -> None:
    data = (b'[{"paper": {"title": "No Id Here", "summary": "S"}},'
            b' {"paper": {"id": "2603.00001", "summary": "S"}},'
            b' {"paper": {"id": "2603.00002", "title": "T", "summary": "  "}},'
            b' {"paper": {"id": "not-an-id", "title": "T", "summary": "S"}},'
            b' {"numComments": 2},'
            b' {"paper": {"id": "2603.00003v2", "title": "Kept", "summary": "S"}},'
            b' {"paper": {"id": "2603.00003", "title": "Again", "summary": "S"}}]')
    batch = parse_daily(data, "hf.json", EDITION)
    assert [d.paper.title for d in batch.drafts] == ["Kept"]
    assert batch.drafts[0].paper.arxiv == "2603.00003"
    assert batch.skipped == [
        ("hf.json: item 1 ('No Id Here')", "has no id"),
        ("hf.json: item 2 (2603.00001)", "has no title"),
        ("hf.json: item 3 (2603.00002)", "has no summary"),
        ("hf.json: item 4 (not-an-id)", "id 'not-an-id' is not an arXiv id"),
        ("hf.json: item 5", "has no paper object"),
        ("hf.json: item 7 (2603.00003)",
         "arXiv 2603.00003 appears twice in this answer (first as item 6); the first is kept"),
    ]


@pytest.mark.parametrize(("data", "expected"), [
    (b'[{"paper": {"id": "2603.04512", "title": "T",', "hf.json:1: json: Expecting"),
    (b'[{"paper": {"id": "2603.04512"}} oops]', "hf.json:1: json: Expecting ',' delimiter"),
    (b'\n\n[{"paper": }]', "hf.json:3: json: Expecting value"),
    (b'{"papers": []}', "hf.json: json: expected a JSON list of papers, found a dict"),
    (b'{"error": "Invalid date"}', "hf.json: json: Invalid date; check the date"),
    (b"[\xff]", "hf.json:1: encoding: byte 0xff is not valid UTF-8"),
])
def test_malformed_or_truncated_json_is_one_clear_error(data: bytes, expected: str) -> None:
    message = error_of(parse_daily, data, "hf.json", EDITION)
    assert message.splitlines()[0].startswith("hf.json: ")
    assert expected in message


def test_truncated_daily_answer_says_what_to_do() -> None:
    data = fixture("hf-daily-3.json")
    message = error_of(parse_daily, data[:-40], "Hugging Face daily papers", EDITION)
    assert "malformed or was cut off: run the command again, or check the file" in message


# --- BibTeX ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bib() -> dict[str, object]:
    batch = parse_bibtex(fixture("papers.bib"), "refs/papers.bib", EDITION)
    return {d.origin.rsplit(" ", 1)[-1]: d for d in batch.drafts} | {"batch": batch}


def test_bibtex_entries_and_the_one_without_abstract(bib) -> None:
    batch = bib["batch"]
    assert [d.origin for d in batch.drafts] == ["refs/papers.bib: entry ommer2022latent",
                                                "refs/papers.bib: entry vaswani2017attention",
                                                "refs/papers.bib: entry nvidia2025cosmos"]
    assert batch.skipped == [("refs/papers.bib: entry garcia2024noabstract",
                              "has no abstract (line 43); add one to import it")]
    assert {d.paper.source for d in batch.drafts} == {"papers.bib"}


def test_bibtex_article_fields(bib) -> None:
    paper = bib["ommer2022latent"].paper
    assert paper.title == "High-Resolution Image Synthesis with Latent Diffusion Models"
    assert paper.authors == ("Robin Rombach", "Andreas Blattmann", "Dominik Lorenz",
                             "Patrick Esser", "Björn Ommer")
    assert paper.venue == "IEEE Transactions on Pattern Analysis and Machine Intelligence 2022"
    assert paper.doi == "10.1109/TPAMI.2022.3140001"
    assert [link.url for link in paper.links] == ["https://github.com/CompVis/latent-diffusion"]
    assert paper.arxiv is None and paper.date == EDITION
    assert "\n" not in paper.abstract and "detail preservation — at a fraction" in paper.abstract


def test_bibtex_inproceedings_booktitle_from_a_string_macro(bib) -> None:
    paper = bib["vaswani2017attention"].paper
    assert paper.venue == "Advances in Neural Information Processing Systems 2017"
    assert paper.authors[6] == "Łukasz Kaiser" and len(paper.authors) == 8
    assert "We propose the *Transformer*" in paper.abstract
    assert "on WMT 2014 English-to-German" in paper.abstract
    assert "($\\approx 7\\%$)" in paper.abstract  # inside a formula nothing changes


def test_bibtex_eprint_corporate_author_and_category(bib) -> None:
    paper = bib["nvidia2025cosmos"].paper
    assert paper.title == "Cosmos World Foundation Model Platform for Physical AI"
    assert paper.authors == ("Nvidia", "Niket Agarwal", "Arslan Ali")
    assert paper.arxiv == "2501.03575" and paper.categories == ("cs.CV",)
    assert paper.venue is None
    assert "models at $10^{9}$–$10^{10}$ parameters" in paper.abstract


def test_bibtex_arxiv_ids_from_journal_or_url_and_no_self_links() -> None:
    data = br"""
@article{a, title={A}, abstract={x}, journal={arXiv preprint arXiv:2402.01234}, year=2024}
@misc{b, title={B}, abstract={x}, url={https://arxiv.org/abs/2403.00002v3}}
@misc{c, title={C}, abstract={x}, doi={10.1000/xyz123}, url={https://doi.org/10.1000/xyz123}}
@misc{d, title={D}, abstract={x}, eprint={1234.5678}, archivePrefix={HAL}}
"""
    papers = [d.paper for d in parse_bibtex(data, "x.bib", EDITION).drafts]
    assert [(p.arxiv, p.venue, p.links) for p in papers] == [
        ("2402.01234", None, ()), ("2403.00002", None, ()), (None, None, ()),
        (None, None, ())]
    assert papers[2].doi == "10.1000/xyz123"


def test_bibtex_duplicate_key_is_skipped_and_reported() -> None:
    data = (b"@misc{k, title={First}, abstract={x}}\n\n"
            b"@misc{k,\n title={Second}, abstract={y}}\n")
    batch = parse_bibtex(data, "dup.bib", EDITION)
    assert [d.paper.title for d in batch.drafts] == ["First"]
    assert batch.skipped == [("dup.bib: entry k (line 3)", "repeats the citation key 'k' of "
                              "line 1; the first entry is kept")]


def test_malformed_bibtex_names_the_file_and_the_broken_entry_line() -> None:
    data = fixture("papers.bib").replace(b"{Attention is All you Need},",
                                         b"{Attention is All you Need,")
    message = error_of(parse_bibtex, data, "papers.bib", EDITION)
    assert message.startswith("papers.bib: cannot read this BibTeX file\n")
    assert "papers.bib:19: bibtex: cannot read the entry '@inproceedings{vaswani2017attention,'" \
        in message
    assert "Check its braces, quotes and commas." in message


def test_truncated_bibtex_is_one_clear_error() -> None:
    data = fixture("papers.bib")
    message = error_of(parse_bibtex, data[: data.index(b"year          = {2025}")],
                       "papers.bib", EDITION)
    assert "papers.bib:31: bibtex: cannot read the entry '@misc{nvidia2025cosmos,'" in message
    assert "end of file" in message


def test_bibtex_field_given_twice_is_an_error() -> None:
    message = error_of(parse_bibtex, b"@misc{k, title={A}, title={B}, abstract={x}}",
                       "twice.bib", EDITION)
    assert "twice.bib:1: title: entry 'k' gives title twice; keep one" in message


# --- the copied Hugging Face page ------------------------------------------------------

def test_copied_page_is_a_batch_with_the_date_it_chose() -> None:
    batch = parse_page(SEED.read_bytes(), "hf-papers-2026-03-11.txt", None, dt.date(2026, 11, 27))
    assert len(batch.drafts) == 51
    assert batch.date_note == ("edition date 2026-03-11: the most recent Mar 11 not after "
                               "today; pass --date to change it")
    first = batch.drafts[0]
    assert first.origin == "hf-papers-2026-03-11.txt:11"  # the title's line
    assert first.paper.date == dt.date(2026, 3, 11) and first.paper.title.startswith("Towards")
    pfgm = next(d.paper for d in batch.drafts if d.paper.title.startswith("PFGM++"))
    assert [link.url for link in pfgm.links] == ["https://github.com/Newbeeer/pfgmpp"]
    assert "64×64" in pfgm.abstract
    given = parse_page(SEED.read_bytes(), "x.txt", dt.date(2026, 3, 12), dt.date(2026, 11, 27))
    assert given.date_note == "edition date 2026-03-12 from --date (the page says Mar 11)"


# --- format detection and the one entry point ------------------------------------------

@pytest.mark.parametrize(("name", "fmt"), [
    ("arxiv-3.atom", "arxiv-atom"), ("arxiv-error.atom", "arxiv-atom"),
    ("arxiv-empty.atom", "arxiv-atom"), ("hf-daily-3.json", "hf-json"),
    ("hf-daily-empty.json", "hf-json"), ("papers.bib", "bibtex"),
])
def test_formats_are_detected_from_content(name: str, fmt: str) -> None:
    assert detect(fixture(name), "renamed.txt") == fmt


def test_copied_page_and_damaged_inputs_are_detected() -> None:
    assert detect(SEED.read_bytes(), "digest.json") == "hf-page"
    assert detect(b"\xef\xbb\xbf\n  [{", "x") == "hf-json"  # truncated JSON is still JSON
    assert detect(fixture("arxiv-3.atom")[:300], "x") == "arxiv-atom"
    assert detect(b"% my refs\n@Article{k,\n", "x") == "bibtex"


@pytest.mark.parametrize(("data", "hint"), [
    (b"Just some notes about papers.\n\nNothing else.\n", "it is not Hugging Face JSON"),
    (b"<!DOCTYPE html><html><body>Daily Papers</body></html>", "the file is an HTML page"),
    (b"", "it is not Hugging Face JSON"),
])
def test_unknown_content_says_to_pass_format(data: bytes, hint: str) -> None:
    message = error_of(detect, data, "notes.txt")
    assert message.startswith("notes.txt: cannot tell its format\nnotes.txt: format: ")
    assert hint in message and f"pass --format ({', '.join(FORMATS)})" in message


def test_parse_dispatches_and_says_how_the_date_was_chosen() -> None:
    today = dt.date(2026, 3, 13)
    batch = parse(fixture("papers.bib"), "papers.bib", None, None, today)
    assert len(batch.drafts) == 3 and {d.paper.date for d in batch.drafts} == {today}
    assert batch.date_note == "edition date 2026-03-13: today in UTC; pass --date to change it"
    batch = parse(fixture("arxiv-3.atom"), "a.atom", None, EDITION, today)
    assert batch.date_note == "edition date 2026-03-12 from --date"
    assert {d.paper.date for d in batch.drafts} == {EDITION}
    assert len(parse(SEED.read_bytes(), "seed.txt", "hf-page", None, today).drafts) == 51


def test_forced_format_that_does_not_fit_is_a_clear_error() -> None:
    message = error_of(parse, fixture("papers.bib"), "papers.bib", "hf-json", None, EDITION)
    assert message.startswith("papers.bib: not a readable Hugging Face daily-papers answer")
    message = error_of(parse, b"x", "x.bin", "csv", None, EDITION)
    assert "x.bin: format: choose one of hf-json, arxiv-atom, bibtex, hf-page" in message


def test_a_long_answer_and_page_cleaned_on_both_cores_read_as_in_one_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    items = json.loads(fixture("hf-daily-3.json"))
    many = [json.loads(json.dumps(item).replace(item["paper"]["id"], f"2603.{n:05d}"))
            for n in range(40) for item in items[n % len(items):][:1]]
    many[7]["paper"].pop("title")
    many[9]["paper"]["id"] = many[8]["paper"]["id"]
    answer = json.dumps(many).encode()
    monkeypatch.setattr(processes, "workers", lambda: 2)
    monkeypatch.setattr(processes, "_alone", lambda: True)  # beside the tests' servers
    read = []
    for least in (10**9, 2):
        monkeypatch.setattr(processes, "MIN_ITEMS", least)
        read.append((parse_daily(answer, "many.json", EDITION, map_in_processes),
                     parse_page(SEED.read_bytes(), "seed.txt", EDITION, EDITION,
                                map_in_processes)))
    assert read[0] == read[1]
    daily, page = read[1]
    assert len(daily.drafts) == 38 and len(daily.skipped) == 2
    assert [d.paper.arxiv for d in daily.drafts][:3] == ["2603.00000", "2603.00001",
                                                          "2603.00002"]
    assert len(page.drafts) == 51
