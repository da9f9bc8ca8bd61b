"""The citation fields of the front matter (entry_type, cite_key, journal, volume, pages,
year, month, url ...): each error names the file, the field and what to write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.config import load_config
from digest.content.load import load_content
from tests.conftest import write_paper

TODAY = dt.date(2026, 3, 12)


def _load(project: Path, extra: str):
    path = write_paper(project, "a-paper.md", f"---\ntitle: A Paper\ndate: 2026-03-11\n"
                       f"topics: [llm-reasoning]\n{extra}---\n\nAn abstract.\n")
    return load_content(load_config(project), [path], today=TODAY)


def test_a_full_record_is_read(empty_project: Path) -> None:
    content = _load(empty_project, "entry_type: Article\ncite_key: \"Jumper:2021\"\n"
                    "journal: Nature\nvolume: 596\nnumber: \"7873\"\npages: 583-589\n"
                    "publisher: Springer\nyear: 2021\nmonth: Aug\n"
                    "url: https://www.nature.com/articles/x\n")
    assert not content.errors, content.errors
    paper = content.papers[0]
    assert (paper.entry_type, paper.cite_key, paper.journal, paper.volume, paper.number,
            paper.pages, paper.publisher, paper.year, paper.month, paper.url) == (
        "article", "Jumper:2021", "Nature", "596", "7873", "583--589", "Springer", 2021, 8,
        "https://www.nature.com/articles/x")
    assert paper.cited_year == 2021 and paper.date.year == 2026


@pytest.mark.parametrize(("extra", "field", "says"), [
    ("entry_type: artcle\n", "entry_type", "did you mean 'article'?"),
    ("cite_key: \"my key, 2021\"\n", "cite_key", "no spaces, braces or commas"),
    ("year: 21\n", "year", "not a plausible publication year"),
    ("year: twenty\n", "year", "write four digits"),
    ("year: 2021\nmonth: 13\n", "month", "write 1 to 12 or jan to dec"),
    ("month: 5\n", "month", "needs a year"),
    ("pages: \"583 to 589\"\n", "pages", "write it as 583--589"),
    ("url: ftp://example.org/x\n", "url", "must start with http:// or https://"),
    ("journal: [Nature, Science]\n", "journal", "single line of text"),
])
def test_each_bad_field_is_named_with_what_to_write(empty_project: Path, extra: str,
                                                     field: str, says: str) -> None:
    content = _load(empty_project, extra)
    messages = [str(p) for p in content.errors]
    assert any("a-paper.md:" in m and f": {field}: " in m and says in m for m in messages), \
        messages


def test_every_bad_citation_field_at_once(empty_project: Path) -> None:
    content = _load(empty_project, "entry_type: paper\ncite_key: \"a b\"\nyear: 99\n")
    assert {p.field for p in content.errors} == {"entry_type", "cite_key", "year"}
