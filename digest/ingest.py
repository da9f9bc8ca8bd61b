"""`digest ingest`: a copied Hugging Face papers page through the one writer.

The page is one source among the others (digest/sources/); digest/writer.py
decides slugs, de-duplication and what reaches content/, so ingest is safe to
repeat and never overwrites a file a person edited unless ``force``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from digest.cleanup import clean_abstract, clean_title
from digest.config import SiteConfig
from digest.errors import DigestError
from digest.model import Link, Paper, Problem
from digest.readers.hf_papers import read_hf_papers
from digest.sources import Batch, Draft
from digest.writer import WriteReport, write_papers

_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
SOURCE = "Hugging Face daily papers"


def resolve_date(month: int, day: int, given: dt.date | None, today: dt.date) -> tuple[dt.date,
                                                                                        str]:
    """The edition date, and a sentence saying how it was chosen."""
    if given is not None:
        if (given.month, given.day) != (month, day):
            return given, (f"edition date {given} from --date (the page says "
                           f"{dt.date(2000, month, day):%b} {day})")
        return given, f"edition date {given} from --date"
    year = today.year
    while True:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # Feb 29 in a non-leap year
            year -= 1
            continue
        if candidate <= today:
            return candidate, (f"edition date {candidate}: the most recent "
                               f"{candidate:%b} {day} not after today; pass --date to change it")
        year -= 1


def links_in(text: str) -> tuple[Link, ...]:
    """http(s) links written in an abstract, in order, without trailing punctuation."""
    seen: list[str] = []
    for match in _URL.finditer(text.replace("\\_", "_")):
        url = match.group(0).rstrip(".,;:!?*\\")
        if url not in seen:
            seen.append(url)
    return tuple(Link(u) for u in seen)


def read_page(raw_path: Path, *, date: dt.date | None = None,
              today: dt.date | None = None) -> Batch:
    """The papers of a copied page as drafts, dated by its date lines (or ``date``)."""
    digest = read_hf_papers(raw_path)
    first = digest.entries[0]
    edition, note = resolve_date(first.month, first.day, date,
                                 today or dt.datetime.now(dt.UTC).date())
    batch = Batch(source=str(raw_path), date_note=note)
    for entry in digest.entries:
        entry_date = edition if (entry.month, entry.day) == (first.month, first.day) else \
            resolve_date(entry.month, entry.day, None, edition)[0]
        paper = Paper(slug="", title=clean_title(entry.title), date=entry_date,
                      abstract=clean_abstract(entry.abstract), links=links_in(entry.abstract),
                      source=SOURCE)
        batch.drafts.append(Draft(paper, f"{raw_path}:{entry.line}"))
    return batch


def ingest(raw_path: Path, config: SiteConfig, *, date: dt.date | None = None,
           today: dt.date | None = None, force: bool = False,
           dry_run: bool = False) -> WriteReport:
    """Turn a copied Hugging Face papers page into content/papers/*.md files."""
    if not raw_path.is_file():
        raise DigestError(f"{raw_path}: no such file",
                          [Problem(str(raw_path), None, "file", "give the path of a copied "
                                   "Hugging Face papers page (a .txt file)")])
    return write_papers([read_page(raw_path, date=date, today=today)], config, force=force,
                        dry_run=dry_run)
