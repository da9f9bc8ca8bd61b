"""The records every stage passes along: a paper, a topic, and a problem report.

One record type per concept keeps the pipeline honest: readers produce these,
validators check them, generators only read them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

_ARXIV_NEW_YEAR = re.compile(r"^(\d{2})\d{2}\.")
_ARXIV_OLD_YEAR = re.compile(r"/(\d{2})\d{5}")
_VENUE_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co")


@dataclass(frozen=True)
class Link:
    """An outbound link of a paper (code repository, project page, ...)."""

    url: str

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").removeprefix("www.")

    @property
    def kind(self) -> str:
        """'code' for known source hosts, 'project' for anything else."""
        host = self.host
        if any(host == h or host.endswith("." + h) for h in CODE_HOSTS) and not host.endswith(
            "github.io"
        ):
            return "code"
        return "project"

    @property
    def label(self) -> str:
        parts = urlsplit(self.url)
        path = parts.path.rstrip("/")
        return f"{self.host}{path}" if path else self.host


@dataclass(frozen=True)
class Paper:
    """One paper: the front matter of its file plus the abstract body (Markdown)."""

    slug: str
    title: str
    date: dt.date
    abstract: str
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    arxiv: str | None = None
    doi: str | None = None
    links: tuple[Link, ...] = ()
    venue: str | None = None
    published: dt.date | None = None  # first version on arXiv
    categories: tuple[str, ...] = ()  # arXiv categories, primary first
    upvotes: int | None = None  # Hugging Face daily-papers upvotes
    added_by: str | None = None
    source: str | None = None
    # The bibliographic record of the version cited (BibTeX's names): exports keep it.
    entry_type: str | None = None  # article, inproceedings, misc, ...
    cite_key: str | None = None
    journal: str | None = None
    booktitle: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    year: int | None = None  # publication year, when no full date says it
    month: int | None = None
    url: str | None = None  # the cited version's own page (a publisher's), if not arXiv's
    path: Path | None = None
    extra: tuple[tuple[str, str], ...] = ()  # site.yml's extra `fields:`: (name, value)

    @property
    def publication_date(self) -> tuple[int, int | None, int | None] | None:
        """(year, month, day) of the version cited, as far as known, or None: an explicit
        ``year`` (and ``month``) wins, then ``published`` (the whole date when it agrees),
        then the year of the arXiv id or the venue."""
        published = self.published
        if self.year is not None:
            if published and published.year == self.year and self.month in (
                    None, published.month):
                return published.year, published.month, published.day
            return self.year, self.month, None
        if published is not None:
            return published.year, published.month, published.day
        inferred = _inferred_year(self)
        return (inferred, None, None) if inferred is not None else None

    @property
    def cited_date(self) -> tuple[int, int | None, int | None]:
        """What every export dates the paper by: its publication date as far as known
        (publication_date), else the edition date, the day the digest took the paper."""
        return self.publication_date or (self.date.year, self.date.month, self.date.day)

    @property
    def cited_year(self) -> int:
        """The publication year to cite (see cited_date); not the edition's year."""
        return self.cited_date[0]

    @property
    def primary_category(self) -> str | None:
        return self.categories[0] if self.categories else None


def _inferred_year(paper: Paper) -> int | None:
    """The year an arXiv id (2106.xxxxx, hep-th/9901001) or a venue ("NeurIPS 2024") says."""
    if paper.arxiv:
        match = _ARXIV_NEW_YEAR.match(paper.arxiv) or _ARXIV_OLD_YEAR.search(paper.arxiv)
        if match:
            yy = int(match.group(1))
            return 1900 + yy if yy >= 91 else 2000 + yy
    found = _VENUE_YEAR.findall(paper.venue or "")
    return int(found[-1]) if found else None


@dataclass(frozen=True)
class Topic:
    """A browsable topic from site_config/topics.yml."""

    slug: str
    title: str
    description: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input file, phrased for the person who must fix it."""

    path: str
    line: int | None
    field: str
    message: str
    severity: str = field(default="error", compare=False)

    def __lt__(self, other: Problem) -> bool:
        """File order, then line order; problems of the whole file (no line) first."""
        return ((self.path, self.line or 0, self.field, self.message)
                < (other.path, other.line or 0, other.field, other.message))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
