"""What every source returns, and what sources share: drafts, batches, links, date notes.

Every source (a copied Hugging Face page, the Hugging Face daily-papers API, the
arXiv API's Atom, BibTeX) reads its whole input first and returns a :class:`Batch`;
``digest.intake.writer`` alone decides slugs, de-duplication and what reaches content/.
A source raises ``DigestError`` naming the source when its input is malformed, so a
run writes nothing unless all of its input parsed. A source does not decide where its
work runs: a long input's entries are cleaned with the ``map_each`` its caller gives
(intake gives digest.util.processes' map; the default is this process).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from digest.model import Link, Paper

T = TypeVar("T")
R = TypeVar("R")


class MapEach(Protocol):
    """How a source has its entries cleaned: ``[work(item) for item in items]``, in order."""

    def __call__(self, work: Callable[[T], R], items: Sequence[T], /) -> list[R]: ...


def in_this_process(work: Callable[[T], R], items: Sequence[T], /) -> list[R]:
    """The ``map_each`` of a caller that does not share work with other processes."""
    return [work(item) for item in items]


def edition_note(edition: dt.date, given: bool, why: str = "today in UTC",
                 aside: str = "") -> str:
    """How a run's edition date was chosen, for its report: from ``--date`` (``given``,
    with an ``aside`` such as what the page says), or by ``why`` and how to change it."""
    if given:
        return f"edition date {edition} from --date{aside}"
    return f"edition date {edition}: {why}; pass --date to change it"

@dataclass(frozen=True)
class Draft:
    """A paper as a source read it, before the writer gives it a file.

    ``paper.slug`` is empty and ``paper.path`` None; its text is cleaned (a plain-text
    title and a Markdown abstract, TeX formulas kept verbatim for the build to render).
    Its links are not yet checked: the writer drops and reports unsafe ones.
    """

    paper: Paper
    origin: str  # for reports, e.g. "papers.bib: entry vaswani2017", "arXiv API: 2305.18290"


@dataclass
class Batch:
    """What one source read: drafts, the entries it could not use and why."""

    source: str  # e.g. "arXiv API", "papers.bib", "Hugging Face daily papers 2026-03-11"
    drafts: list[Draft] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    date_note: str | None = None  # how the edition date was chosen, when the source chose it


_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")
# In TeX, braces, dollars and backslashes end a link: \url{https://x.org}, $...$.
_TEX_URL = re.compile(r"https?://[^\s<>()\[\]\"'`{}$\\]+")


def links_in(text: str, *, tex: bool = False) -> tuple[Link, ...]:
    """http(s) links written in a text, in order, without trailing punctuation."""
    seen: list[str] = []
    pattern = _TEX_URL if tex else _URL
    for match in pattern.finditer(text.replace("\\_", "_")):
        url = match.group(0).rstrip(".,;:!?*\\")
        if url not in seen:
            seen.append(url)
    return tuple(Link(u) for u in seen)
