"""Highwire Press ``citation_*`` meta tags, which Zotero's browser connector (and Google
Scholar) read to save a paper page as a citation in one click.

The tags are (name, content) pairs in page order; digest.site.model passes them to the theme
through the page's front matter, escaped there like every value the theme prints.
"""

from __future__ import annotations

import re

from digest.model import Paper

# Venue names that say what kind of venue they are; anything else is left out rather
# than guessed.
_CONFERENCE = re.compile(
    r"\b(conference|proceedings|workshop|symposium|neurips|nips|icml|iclr|cvpr|iccv|eccv|"
    r"acl|emnlp|naacl|coling|aaai|ijcai|kdd|www|sigir|siggraph|interspeech|icassp|corl|"
    r"rss|icra|iros|aistats|uai|colt|miccai|wacv|bmvc|3dv)\b", re.I)
_JOURNAL = re.compile(
    r"\b(journal|transactions|letters|review|reviews|magazine|nature|science|jmlr|tmlr|"
    r"tpami|pami|ijcv|cell|physical|astrophysical|annals)\b", re.I)


def venue_kind(venue: str) -> str | None:
    """'conference' or 'journal' when the venue's name tells, else None."""
    if _CONFERENCE.search(venue):
        return "conference"
    if _JOURNAL.search(venue):
        return "journal"
    return None


def _date(paper: Paper) -> str:
    """The cited date as Highwire writes it: 2021/07/15, or 2021 alone when that is all
    that is known (Zotero and Google Scholar read both)."""
    year, month, day = paper.cited_date
    if month and day:
        return f"{year:04d}/{month:02d}/{day:02d}"
    return f"{year:04d}/{month:02d}" if month else f"{year:04d}"


def _page_range(pages: str | None) -> tuple[str | None, str | None]:
    """First and last page of ``583--589`` (a lone page is its own first page)."""
    if not pages:
        return None, None
    first, _, last = pages.partition("--")
    return first or None, last or None


def citation_meta(paper: Paper, title: str) -> list[list[str]]:
    """The paper's citation_* tags; ``title`` is its plain-text title (digest.text.titles)."""
    tags = [["citation_title", title]]
    tags += [["citation_author", author] for author in paper.authors]
    # One date: Google Scholar asks for citation_publication_date, and Zotero reads it
    # as it reads the older citation_date, which said it again on every page.
    tags.append(["citation_publication_date", _date(paper)])
    if paper.arxiv:
        tags += [["citation_arxiv_id", paper.arxiv],
                 ["citation_pdf_url", f"https://arxiv.org/pdf/{paper.arxiv}"]]
    if paper.doi:
        tags.append(["citation_doi", paper.doi])
    if paper.journal:
        tags.append(["citation_journal_title", paper.journal])
    elif paper.booktitle:
        chapter = paper.entry_type in ("incollection", "inbook")
        tags.append(["citation_inbook_title" if chapter else "citation_conference_title",
                     paper.booktitle])
    elif paper.venue and (kind := venue_kind(paper.venue)):
        tags.append([f"citation_{kind}_title", paper.venue])
    first, last = _page_range(paper.pages)
    for name, value in (("volume", paper.volume), ("issue", paper.number),
                        ("firstpage", first), ("lastpage", last),
                        ("publisher", paper.publisher)):
        if value:
            tags.append([f"citation_{name}", value])
    return tags
