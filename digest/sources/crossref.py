"""Crossref's REST API answer for one DOI (``GET /works/{doi}``), and DOIs as people
write them (``10.1038/...``, ``doi:10.1038/...``, ``https://doi.org/10.1038/...``).

The answer is JSON; its title and abstract are markup (JATS XML in ``abstract``, a few
HTML tags such as ``<i>`` in titles). They are read with lxml's HTML parser, which
neither fetches nor expands anything, and only their text is kept: no tag of a
publisher's reaches a page. The bibliographic record is kept field by field (entry
type, journal or proceedings, volume, issue, pages, publisher, year) for the exports;
``venue`` is the short line a page shows ("Nature 596(7873), 583-589 (2021)").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from digest.content.schema import DOI
from digest.errors import DigestError
from digest.model import Link, Paper, Problem
from digest.sources.base import Batch, Draft, links_in
from digest.text.cleanup import clean_abstract, clean_title

SOURCE = "Crossref"
_DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
_PARAGRAPHS = frozenset({"p", "para", "sec", "list-item", "title"})
DOI_HELP = "or a DOI such as 10.1038/s41586-021-03819-2 or https://doi.org/10.1038/..."
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)  # arXiv's own DOIs (DataCite's)


def parse_doi(text: str) -> str | None:
    """The DOI ``text`` names (bare, ``doi:`` or a doi.org URL), or None if it names none."""
    value = re.sub(r"^doi:\s*", "", text.strip(), flags=re.I)
    if re.match(r"^(https?://)?(www\.|dx\.)?doi\.org/", value, re.I):
        url = value if "://" in value else "https://" + value
        parts = urlsplit(url)
        if (parts.hostname or "").lower() not in _DOI_HOSTS:
            return None
        value = unquote(parts.path.lstrip("/"))
    return value if DOI.match(value) else None


def _strings(value: object) -> list[str]:
    """Crossref gives most text fields as lists of strings; keep the non-empty ones."""
    items = value if isinstance(value, list) else [value]
    return [" ".join(v.split()) for v in items if isinstance(v, str) and v.strip()]


def _markup_text(markup: str) -> str:
    """The text of a fragment of JATS or HTML markup, paragraphs separated by blank lines.

    The heading JATS abstracts start with ("Abstract") is dropped."""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for unwanted in list(root.iter("script", "style")):
        unwanted.drop_tree()
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        tag = element.tag.rsplit(":", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag == "title" and " ".join(element.text_content().split()).lower() == "abstract":
            parts.append("\n\n")
        elif tag in _PARAGRAPHS:
            parts.append("\n\n" + element.text_content() + "\n\n")
        else:
            parts.append(element.text or "")
            for child in element:
                walk(child)
        parts.append(element.tail or "")

    parts.append(root.text or "")
    for child in root:
        walk(child)
    return "".join(parts)


def _date(value: object) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a Crossref date ``{"date-parts": [[2021, 7, 15]]}``."""
    try:
        parts = [int(p) for p in value["date-parts"][0]]  # type: ignore[index]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if not parts:
        return None
    padded = (parts + [None, None])[:3]
    return padded[0], padded[1], padded[2]  # type: ignore[return-value]


def _published(message: dict[str, Any]) -> tuple[int | None, dt.date | None]:
    """The year, and the full date when Crossref has one: first the earliest of print
    and online (``published``), then published-online, published-print, issued."""
    year = None
    for key in ("published", "published-online", "published-print", "issued"):
        parts = _date(message.get(key))
        if parts is None:
            continue
        year = year or parts[0]
        if parts[1] and parts[2]:
            try:
                return year, dt.date(parts[0], parts[1], parts[2])
            except ValueError:
                continue
    return year, None


def _authors(value: object) -> tuple[str, ...]:
    names: list[str] = []
    for author in value if isinstance(value, list) else []:
        if not isinstance(author, dict):
            continue
        name = " ".join(_strings(author.get("given")) + _strings(author.get("family")))
        name = name or " ".join(_strings(author.get("name")))
        if name and name not in names:
            names.append(clean_title(name))
    return tuple(names)


def _venue(message: dict[str, Any], year: int | None) -> str | None:
    """'Nature 596(7873), 583-589 (2021)': journal, volume, issue, pages and year."""
    journal = next(iter(_strings(message.get("container-title"))), None)
    if journal is None:  # a preprint (posted-content) names its server as institution
        names = [i.get("name") for i in message.get("institution") or []
                 if isinstance(i, dict)]
        journal = next(iter(_strings(names)), None)
    if journal is None:
        return None
    venue = clean_title(_markup_text(journal))
    volume = next(iter(_strings(message.get("volume"))), "")
    issue = next(iter(_strings(message.get("issue"))), "")
    if volume:
        venue += f" {volume}" + (f"({issue})" if issue else "")
    page = next(iter(_strings(message.get("page"))), "")
    if page:
        venue += f", {page}"
    if year:
        venue += f" ({year})"
    return venue


# Crossref's work types as BibTeX entry types; any other type is misc.
_ENTRY_TYPES = {"journal-article": "article", "proceedings-article": "inproceedings",
                "book-chapter": "incollection", "book-section": "incollection",
                "book-part": "incollection", "book": "book", "monograph": "book",
                "edited-book": "book", "reference-book": "book", "dissertation": "phdthesis",
                "report": "techreport", "posted-content": "misc"}


def _record(message: dict[str, Any], year: int | None) -> dict[str, Any]:
    """The bibliographic fields of a work, as the paper record names them."""
    kind = _ENTRY_TYPES.get(str(message.get("type") or ""), "misc")
    container = next(iter(_strings(message.get("container-title"))), None)
    container = clean_title(_markup_text(container)) if container else None
    first = {name: next(iter(_strings(message.get(key))), None) or None
             for name, key in (("volume", "volume"), ("number", "issue"), ("pages", "page"),
                               ("publisher", "publisher"))}
    if first["pages"]:
        first["pages"] = re.sub(r"\s*[-\u2013]+\s*", "--", first["pages"])
    short = {name: value for name, value in first.items()
             if value is None or name == "publisher" or len(value) <= 40}
    return {"entry_type": kind, "year": year,
            "journal": container if kind == "article" else None,
            "booktitle": container if kind in ("inproceedings", "incollection") else None,
            **{name: short.get(name) for name in first}}


def _read(data: bytes, origin: str) -> dict[str, Any]:
    problem = None
    try:
        answer = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        answer, problem = None, f"{exc}; the answer is malformed or was cut off"
    if problem is None and not (isinstance(answer, dict) and answer.get("status") == "ok"
                                and isinstance(answer.get("message"), dict)):
        problem = 'expected {"status": "ok", "message": {...}} from api.crossref.org/works'
    if problem is not None:
        raise DigestError(f"{origin}: not a readable Crossref answer", [
            Problem(origin, None, "json", f"{problem}; run the command again later")])
    return answer["message"]  # type: ignore[index]


def parse_work(data: bytes, origin: str, doi: str, date: dt.date, batch: Batch) -> None:
    """Add the paper of a ``/works/{doi}`` answer to ``batch`` for the edition of ``date``,
    or skip it with its reason (no title, no abstract). DigestError if malformed."""
    message = _read(data, origin)
    title = " ".join(_strings(message.get("title"))[:1] + _strings(message.get("subtitle"))[:1])
    title = clean_title(_markup_text(title)) if title else ""
    abstract_markup = message.get("abstract")
    abstract_text = _markup_text(abstract_markup) if isinstance(abstract_markup, str) else ""
    abstract = clean_abstract(abstract_text)
    missing = [name for name, value in (("title", title), ("abstract", abstract)) if not value]
    if missing:
        batch.skipped.append((origin, f"Crossref has no {' and no '.join(missing)} for it; "
                              f"start it with `digest new --doi {doi}` and paste the "
                              "abstract"))
        return
    found = parse_doi(str(message.get("DOI") or "")) or doi
    year, published = _published(message)
    url = next(iter(_strings(message.get("URL"))), "")
    links = links_in(abstract_text)
    if url.startswith(("https://", "http://")) and \
            (urlsplit(url).hostname or "").lower() not in _DOI_HOSTS:
        links = (Link(url), *links)
    batch.drafts.append(Draft(Paper(
        slug="", title=title, date=date, abstract=abstract,
        authors=_authors(message.get("author")), doi=found, links=links,
        venue=_venue(message, year), published=published, source=SOURCE,
        **_record(message, None if published else year),
    ), origin))
