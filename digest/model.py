"""The records every stage passes along: a paper, a topic, and a problem report.

One record type per concept keeps the pipeline honest: readers produce these,
validators check them, generators only read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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
    path: Path | None = None
    extra: tuple[tuple[str, str], ...] = ()  # site.yml's extra `fields:`: (name, value)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def primary_category(self) -> str | None:
        return self.categories[0] if self.categories else None


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
