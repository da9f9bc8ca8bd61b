"""Sources: each module turns one input format into the same paper drafts.

Every source (a copied Hugging Face page, the Hugging Face daily-papers API, the
arXiv API's Atom, BibTeX) reads its whole input first and returns a :class:`Batch`;
``digest.intake.writer`` alone decides slugs, de-duplication and what reaches content/.
A source raises ``DigestError`` naming the source when its input is malformed, so a
run writes nothing unless all of its input parsed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from digest.errors import DigestError
from digest.model import Link, Paper, Problem

# The input formats `digest import --format` accepts, in the order detect() tries them.
FORMATS = ("hf-json", "arxiv-atom", "bibtex", "hf-page")


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


_BIBTEX_BLOCK = re.compile(rb"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.M)


def detect(data: bytes, name: str) -> str:
    """The format of ``data`` judged by its content (a file's name is often wrong): one of
    FORMATS, or a DigestError naming ``name`` and saying to pass --format."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"[", b"{"):
        return "hf-json"
    if head[:1] == b"<":
        if re.search(rb"<(\w+:)?feed\b", head[:4096]):
            return "arxiv-atom"
        what = "an HTML page" if re.search(rb"<html\b|<!doctype html", head[:4096], re.I) \
            else "XML that is not an Atom feed"
        raise DigestError(f"{name}: cannot tell its format", [
            Problem(name, None, "format",
                    f"the file is {what}; save the arXiv API answer itself, or copy the "
                    "Hugging Face page as plain text, or pass --format "
                    f"({', '.join(FORMATS)})")])
    if _BIBTEX_BLOCK.search(data):
        return "bibtex"
    from digest.sources.hf_page import has_date_line

    if has_date_line(data.decode("utf-8", errors="replace")):
        return "hf-page"
    raise DigestError(f"{name}: cannot tell its format", [
        Problem(name, None, "format",
                "it is not Hugging Face JSON, an arXiv Atom answer, BibTeX or a copied "
                f"Hugging Face page; pass --format ({', '.join(FORMATS)})")])


def parse(data: bytes, name: str, fmt: str | None, date: dt.date | None,
          today: dt.date) -> Batch:
    """Read ``data`` (named ``name`` in messages) in format ``fmt`` (None: detect it).

    ``date`` is the edition date (``--date``); without it a copied page's own date line
    decides, and any other format takes ``today`` (UTC), which ``Batch.date_note`` says.
    """
    from digest.sources import arxiv, bibtex, hf_api, hf_page

    fmt = fmt or detect(data, name)
    if fmt not in FORMATS:
        raise DigestError(f"{name}: unknown format {fmt!r}", [
            Problem(name, None, "format", f"choose one of {', '.join(FORMATS)}")])
    if fmt == "hf-page":
        return hf_page.parse_page(data, name, date, today)
    edition = date or today
    if fmt == "hf-json":
        batch = hf_api.parse_daily(data, name, edition)
    elif fmt == "arxiv-atom":
        batch = arxiv.parse_atom(data, name, edition)
    else:
        batch = bibtex.parse_bibtex(data, name, edition)
    batch.date_note = (f"edition date {date} from --date" if date else
                       f"edition date {today}: today in UTC; pass --date to change it")
    return batch
