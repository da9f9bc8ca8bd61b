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


def citation_meta(paper: Paper, title: str) -> list[list[str]]:
    """The paper's citation_* tags; ``title`` is its plain-text title (digest.text.titles)."""
    tags = [["citation_title", title]]
    tags += [["citation_author", author] for author in paper.authors]
    date = paper.published or paper.date
    tags.append(["citation_publication_date", date.strftime("%Y/%m/%d")])
    if paper.arxiv:
        tags += [["citation_arxiv_id", paper.arxiv],
                 ["citation_pdf_url", f"https://arxiv.org/pdf/{paper.arxiv}"]]
    if paper.doi:
        tags.append(["citation_doi", paper.doi])
    if paper.venue and (kind := venue_kind(paper.venue)):
        tags.append([f"citation_{kind}_title", paper.venue])
    return tags
