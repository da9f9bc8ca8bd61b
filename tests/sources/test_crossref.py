"""Crossref answers and DOIs as people write them (digest/sources/crossref.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from digest.sources.base import Batch
from digest.sources.crossref import parse_doi, parse_work


@pytest.mark.parametrize(("given", "doi"), [
    ("10.1038/s41586-021-03819-2", "10.1038/s41586-021-03819-2"),
    ("doi:10.1038/X", "10.1038/X"),
    ("https://doi.org/10.1126/science.abj8754", "10.1126/science.abj8754"),
    ("http://dx.doi.org/10.1126/science.abj8754", "10.1126/science.abj8754"),
    ("https://evil.example/10.1038/x", None),
    ("2305.18290", None),
])
def test_doi_forms(given: str, doi: str | None) -> None:
    assert parse_doi(given) == doi


def _work(**message: object) -> bytes:
    return json.dumps({"status": "ok", "message": {"DOI": "10.1/x", **message}}).encode()


def test_a_preprint_with_only_a_year_and_markup_in_its_title() -> None:
    batch = Batch("Crossref")
    parse_work(_work(title=["Folding <i>E. coli</i> proteins"], type="posted-content",
                     institution=[{"name": "bioRxiv"}], issued={"date-parts": [[2024]]},
                     abstract="<p>One &lt;two&gt; <script>alert(1)</script>three.</p>"),
               "Crossref: 10.1/x", "10.1/x", dt.date(2026, 1, 2), batch)
    paper = batch.drafts[0].paper
    assert paper.title == "Folding E. coli proteins"
    assert paper.venue == "bioRxiv (2024)" and paper.published is None
    assert "alert" not in paper.abstract and "two" in paper.abstract


def test_a_journal_article_keeps_its_record_field_by_field() -> None:
    """Journal, volume, issue, pages and publisher come back in every export, not only
    folded into the venue line a page shows."""
    batch = Batch("Crossref")
    parse_work(_work(title=["Highly accurate protein structure prediction with AlphaFold"],
                     type="journal-article", **{"container-title": ["Nature"]},
                     volume="596", issue="7873", page="583-589",
                     publisher="Springer Science and Business Media LLC",
                     published={"date-parts": [[2021, 7, 15]]},
                     abstract="<jats:p>Proteins are essential to life.</jats:p>"),
               "Crossref: 10.1/x", "10.1/x", dt.date(2026, 12, 7), batch)
    paper = batch.drafts[0].paper
    assert (paper.entry_type, paper.journal, paper.volume, paper.number, paper.pages) == (
        "article", "Nature", "596", "7873", "583--589")
    assert paper.publisher == "Springer Science and Business Media LLC"
    assert paper.cited_date == (2021, 7, 15) and paper.year is None  # the date says it
    assert paper.venue == "Nature 596(7873), 583-589 (2021)"


def test_a_proceedings_paper_with_only_a_year() -> None:
    batch = Batch("Crossref")
    parse_work(_work(title=["Deep Residual Learning"], type="proceedings-article",
                     **{"container-title": ["2016 IEEE Conference on CVPR"]},
                     issued={"date-parts": [[2016]]}, abstract="<p>Deeper nets.</p>"),
               "Crossref: 10.1/x", "10.1/x", dt.date(2026, 1, 2), batch)
    paper = batch.drafts[0].paper
    assert (paper.entry_type, paper.booktitle, paper.journal) == (
        "inproceedings", "2016 IEEE Conference on CVPR", None)
    assert paper.year == 2016 and paper.cited_year == 2016
