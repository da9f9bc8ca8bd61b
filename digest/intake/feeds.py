"""`digest import arxiv` (arXiv searches by category and keywords) and `digest import
daily` (the daily sources site_config/site.yml names), shaped like digest/intake/commands.py:
every page of every source is read into Batches first, then the one writer writes them.

An arXiv search asks for the newest submissions first (``sortBy=submittedDate``,
descending) and pages on with ``start`` until it reaches a paper submitted before
``since``, the end of the results or ``max_papers``; the arXiv client keeps its three
seconds between requests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from digest.config import ArxivQuery, SiteConfig
from digest.errors import DigestError
from digest.intake.commands import hf_batch, today_utc
from digest.intake.http import Client, arxiv_api, arxiv_client
from digest.intake.writer import WriteReport, write_papers
from digest.model import Problem
from digest.sources.arxiv import AtomEntry, batch_of, read_page
from digest.sources.base import Batch, edition_note

PAGE = 100  # results per arXiv request: arXiv allows 2,000, and a day of a category fits
MAX_PAPERS = 200  # papers per search unless --max says otherwise
_FIELDED = re.compile(r"\b(ti|au|abs|co|jr|cat|rn|id|all|submittedDate):", re.I)


def search_query(query: ArxivQuery, since: dt.date, until: dt.date) -> str:
    """arXiv's ``search_query``: the categories OR'ed, each keyword phrase AND'ed with them,
    and the submission days. A phrase that already names arXiv fields (``ti:...``) is
    passed as written."""
    parts = []
    if query.categories:
        cats = " OR ".join(f"cat:{c}" for c in query.categories)
        parts.append(f"({cats})" if len(query.categories) > 1 else cats)
    for phrase in query.queries:
        if _FIELDED.search(phrase):
            parts.append(f"({phrase})")
            continue
        words = " ".join(phrase.replace('"', " ").split())
        parts.append(f'all:"{words}"' if " " in words else f"all:{words}")
    parts.append(f"submittedDate:[{since:%Y%m%d}0000 TO {until:%Y%m%d}2359]")
    return " AND ".join(parts)


def _describe(query: ArxivQuery) -> str:
    """The search as a person reads it, e.g. 'q-bio.BM "protein design"'."""
    return " ".join([*query.categories, *(f'"{q}"' for q in query.queries)])


def arxiv_batch(http: Client, query: ArxivQuery, since: dt.date, until: dt.date,
                edition: dt.date, max_papers: int = MAX_PAPERS) -> tuple[Batch, list[str]]:
    """The papers one search finds submitted from ``since`` to ``until`` (UTC days), newest
    first, and notes for the report (none found, or stopped at ``max_papers``)."""
    origin = f"arXiv search {_describe(query)}"
    wanted = search_query(query, since, until)
    kept: list[AtomEntry] = []
    seen: set[str] = set()
    start, done, full = 0, False, False
    while not done:
        body = http.get(arxiv_api(), {"search_query": wanted, "sortBy": "submittedDate",
                                      "sortOrder": "descending", "start": str(start),
                                      "max_results": str(min(PAGE, max_papers))})
        entries, total = read_page(body, origin)
        for entry in entries:
            if entry.published is not None and entry.published < since:
                done = True  # sorted newest first: every later result is older still
                break
            if (entry.published is not None and entry.published > until) or \
                    entry.base_id in seen:  # a result that moved to the next page
                continue
            seen.add(entry.base_id)
            kept.append(entry)
            if len(kept) >= max_papers:
                done = full = True
                break
        start += len(entries)
        done = done or not entries or (total is not None and start >= total)
    notes = []
    days = str(since) if since == until else f"{since} to {until}"
    if not kept:
        notes.append(f"{origin}: no papers submitted {days}")
    elif full:
        notes.append(f"{origin}: stopped after {max_papers} papers (--max); more submitted "
                     f"{days} may match: pass a larger --max or a later --since")
    return batch_of(kept, origin, edition), notes


def import_arxiv(config: SiteConfig, categories: Sequence[str], queries: Sequence[str], *,
                 since: dt.date | None = None, until: dt.date | None = None,
                 max_papers: int = MAX_PAPERS, date: dt.date | None = None,
                 today: dt.date | None = None, force: bool = False, dry_run: bool = False,
                 client: Client | None = None) -> WriteReport:
    """Import the arXiv papers of the categories and keywords submitted from ``since``
    (default: yesterday in UTC) to ``until`` (default: today)."""
    today = today or today_utc()
    since = since or today - dt.timedelta(days=1)
    until = until or today
    problems = []
    if not categories and not queries:
        problems.append(Problem("--category", None, "search", "give at least one --category "
                                "(e.g. q-bio.BM) or --query (e.g. \"protein design\")"))
    if since > until:
        problems.append(Problem("--since", None, "since", f"{since} is after --until "
                                f"{until}; give an earlier --since"))
    if max_papers < 1:
        problems.append(Problem("--max", None, "max", "must be 1 or more"))
    if problems:
        raise DigestError("nothing was imported: fix the options below", problems)
    edition = date or today
    with client or arxiv_client(config.site.repo) as http:
        batch, notes = arxiv_batch(http, ArxivQuery(tuple(categories), tuple(queries)),
                                   since, until, edition, max_papers)
    batch.date_note = edition_note(edition, given=date is not None)
    report = write_papers([batch], config, force=force, dry_run=dry_run)
    report.notes.extend(notes)
    return report


# arXiv's API returns a paper once it is announced: one submitted after 14:00 US Eastern
# on day D appears the evening of D+1, later over a weekend. A daily search of D alone,
# run the morning after, would never see those, so it looks back this many days too;
# papers already in content/ are reported as such, not written twice.
ARXIV_LOOKBACK_DAYS = 3


def import_daily(config: SiteConfig, *, date: dt.date | None = None,
                 today: dt.date | None = None, force: bool = False,
                 dry_run: bool = False) -> WriteReport:
    """Import one day (default: yesterday in UTC) from each source of site.yml's ``import:``:
    Hugging Face's list of that day, and each arXiv search's papers submitted that day
    or in the ARXIV_LOOKBACK_DAYS before it."""
    today = today or today_utc()
    day = date or today - dt.timedelta(days=1)
    sources = config.site.imports
    if not sources.huggingface and not sources.arxiv:
        report = WriteReport(dry_run=dry_run)
        report.notes.append("site_config/site.yml names no daily source (import: none); "
                            "nothing to import")
        return report
    batches: list[Batch] = []
    notes: list[str] = []
    if sources.huggingface:
        batches.append(hf_batch(config, day))
        if not batches[-1].drafts and not batches[-1].skipped:
            notes.append(f"Hugging Face lists no papers for {day}")
    if sources.arxiv:
        with arxiv_client(config.site.repo) as http:
            for query in sources.arxiv:
                since = day - dt.timedelta(days=ARXIV_LOOKBACK_DAYS)
                batch, found = arxiv_batch(http, query, since, day, day)
                batches.append(batch)
                notes.extend(found)
    batches[0].date_note = edition_note(day, given=date is not None, why=(
        "yesterday in UTC, the last full day of every source"))
    report = write_papers(batches, config, force=force, dry_run=dry_run)
    report.notes.extend(notes)
    return report
