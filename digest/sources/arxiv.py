"""The arXiv API's Atom answer (``id_list=`` or ``search_query=``), and arXiv ids as people
write them (``2305.18290v2``, ``arXiv:hep-th/9901001``, abs/pdf and Hugging Face URLs).

The answer is parsed with lxml, strictly and with entities, DTDs and the network off: a
truncated download is an error naming the source, never a half-read batch. Each entry's
title and abstract are TeX written for MathJax; :mod:`digest.text.cleanup` converts the text
around the formulas and keeps the formulas verbatim.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree

from digest.content.schema import ARXIV_NEW, ARXIV_OLD, CATEGORY, DOI
from digest.errors import DigestError
from digest.model import Paper, Problem
from digest.sources.base import Batch, Draft, links_in
from digest.text.cleanup import clean_tex_abstract, clean_tex_title

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
SOURCE = "arXiv API"
_VERSION = re.compile(r"v\d+$")
_ARXIV_HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")
_HF_HOSTS = ("huggingface.co", "www.huggingface.co", "hf.co")
_ID_HELP = ("give an arXiv id such as 2305.18290, 2305.18290v2, arXiv:2305.18290 or "
            "hep-th/9901001, or a URL such as https://arxiv.org/abs/2305.18290, "
            "https://arxiv.org/pdf/2305.18290v2 or https://huggingface.co/papers/2305.18290")


def _is_id(text: str) -> bool:
    return bool(ARXIV_NEW.match(text) or ARXIV_OLD.match(text))


def parse_id(text: str) -> str:
    """The arXiv id (with its version, if one was given) that ``text`` names.

    Accepts bare ids new and old style, an ``arXiv:`` prefix, arxiv.org ``/abs/`` and
    ``/pdf/`` URLs (with or without ``.pdf`` and version) and huggingface.co/papers URLs.
    """
    given = text.strip()
    value = re.sub(r"^arxiv:\s*", "", given, flags=re.I)
    if _is_id(value):
        return value
    url = value if re.match(r"^[a-z]+://", value, re.I) else "https://" + value
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is not None and parts.scheme.lower() in ("http", "https"):
        path = unquote(parts.path).rstrip("/")
        candidate = None
        if host in _ARXIV_HOSTS:
            match = re.match(r"^/(?:abs|pdf|html|format)/(.+)$", path)
            candidate = match.group(1).removesuffix(".pdf") if match else None
        elif host in _HF_HOSTS:
            match = re.match(r"^/papers/(.+)$", path)
            candidate = match.group(1) if match else None
        if candidate is not None:
            candidate = re.sub(r"^arxiv:", "", candidate, flags=re.I)
            if _is_id(candidate):
                return candidate
    raise DigestError(f"{given!r} is not an arXiv id or URL",
                      [Problem(given or "(empty)", None, "id", _ID_HELP)])


def base_id(arxiv_id: str) -> str:
    """The id without its version or prefix: ``arXiv:2305.18290v2`` is ``2305.18290``."""
    return _VERSION.sub("", re.sub(r"^arxiv:", "", arxiv_id.strip(), flags=re.I))


def version_of(arxiv_id: str) -> int | None:
    """The version number an id carries (``2305.18290v2`` is 2), or None."""
    match = _VERSION.search(arxiv_id.strip())
    return int(match.group(0)[1:]) if match else None


@dataclass(frozen=True)
class AtomEntry:
    """One entry of an arXiv answer, as arXiv wrote it (text not yet cleaned)."""

    id: str  # with version, e.g. "2305.18290v3"
    line: int
    title: str
    summary: str
    authors: tuple[str, ...]
    published: dt.date | None
    updated: dt.date | None
    categories: tuple[str, ...]  # primary first
    comment: str | None
    journal_ref: str | None
    doi: str | None

    @property
    def base_id(self) -> str:
        return base_id(self.id)

    @property
    def version(self) -> int | None:
        return version_of(self.id)


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    value = " ".join("".join(element.itertext()).split())
    return value or None


def _raw_text(element: etree._Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _date(element: etree._Element | None) -> dt.date | None:
    value = _text(element)
    if value is None:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC)
    return stamp.date()


def _parse_xml(data: bytes, origin: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise DigestError(f"{origin}: not a readable arXiv API answer", [
            Problem(origin, exc.lineno or None, "xml",
                    f"{exc.msg}; the answer is malformed or was cut off: run the command "
                    "again, or check the file")]) from None
    if root is None or root.tag != f"{ATOM}feed":
        found = root.tag if root is not None else "nothing"
        raise DigestError(f"{origin}: not an arXiv API answer", [
            Problem(origin, getattr(root, "sourceline", None), "xml",
                    f"expected an Atom <feed> from export.arxiv.org/api/query, found "
                    f"{found!r}; pass --format if the file is something else")])
    return root


def _categories(entry: etree._Element) -> tuple[str, ...]:
    """Primary category first, then the others, as arXiv categories (ACM and MSC codes
    such as ``I.2.7`` or ``68T05`` are not categories and are left out)."""
    terms: list[str] = []
    primary = entry.find(f"{ARXIV}primary_category")
    if primary is not None:
        terms.append(primary.get("term", ""))
    terms += [c.get("term", "") for c in entry.findall(f"{ATOM}category")]
    kept: list[str] = []
    for term in (t.strip() for t in terms):
        if CATEGORY.match(term) and term not in kept:
            kept.append(term)
    return tuple(kept)


def _doi(text: str | None) -> str | None:
    """The first DOI of arXiv's field (it sometimes lists several)."""
    for word in (text or "").split():
        word = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", word, flags=re.I)
        if DOI.match(word):
            return word
    return None


def read_atom(data: bytes, origin: str) -> list[AtomEntry]:
    """Every paper entry of an arXiv answer; DigestError for an unreadable answer or one
    that reports an error (arXiv answers a bad query with a single entry titled Error)."""
    return _entries(_parse_xml(data, origin), origin)


def read_page(data: bytes, origin: str) -> tuple[list[AtomEntry], int | None]:
    """The entries of one page of a search answer, and how many results the search has
    in all (its ``opensearch:totalResults``; None if the answer does not say)."""
    root = _parse_xml(data, origin)
    total = _text(root.find(f"{OPENSEARCH}totalResults"))
    return _entries(root, origin), int(total) if total and total.isdigit() else None


def _entries(root: etree._Element, origin: str) -> list[AtomEntry]:
    entries: list[AtomEntry] = []
    for element in root.findall(f"{ATOM}entry"):
        raw_id = _text(element.find(f"{ATOM}id")) or ""
        title = _raw_text(element.find(f"{ATOM}title"))
        if "/api/errors" in raw_id or " ".join(title.split()) == "Error":
            message = _text(element.find(f"{ATOM}summary")) or "no reason given"
            raise DigestError(f"{origin}: arXiv answered with an error", [
                Problem(origin, element.sourceline, "arXiv",
                        f"{message}; check the ids or the query and try again")])
        arxiv_id = raw_id.rsplit("/abs/", 1)[-1] if "/abs/" in raw_id else raw_id
        entries.append(AtomEntry(
            id=arxiv_id,
            line=element.sourceline or 0,
            title=title,
            summary=_raw_text(element.find(f"{ATOM}summary")),
            authors=tuple(name for a in element.findall(f"{ATOM}author")
                          if (name := _text(a.find(f"{ATOM}name")))),
            published=_date(element.find(f"{ATOM}published")),
            updated=_date(element.find(f"{ATOM}updated")),
            categories=_categories(element),
            comment=_text(element.find(f"{ARXIV}comment")),
            journal_ref=_text(element.find(f"{ARXIV}journal_ref")),
            doi=_doi(_text(element.find(f"{ARXIV}doi"))),
        ))
    return entries


def draft_of(entry: AtomEntry, date: dt.date, origin: str) -> Draft:
    """The paper an entry describes, for the edition of ``date``."""
    abstract = clean_tex_abstract(entry.summary)
    links = links_in(entry.summary + "\n" + (entry.comment or ""), tex=True)
    paper = Paper(
        slug="", title=clean_tex_title(entry.title), date=date, abstract=abstract,
        authors=tuple(dict.fromkeys(a for a in map(clean_tex_title, entry.authors) if a)),
        arxiv=entry.base_id, doi=entry.doi,
        links=links,
        venue=clean_tex_title(entry.journal_ref) if entry.journal_ref else None,
        published=entry.published, categories=entry.categories, source=SOURCE,
    )
    return Draft(paper, f"{origin}: {entry.id}")


def parse_atom(data: bytes, origin: str, date: dt.date,
               requested: Iterable[str] = ()) -> Batch:
    """The papers of an arXiv answer, for the edition of ``date``.

    ``origin`` names the answer in messages ("arXiv API" or a file name). An entry without
    a valid id, title or abstract, or repeating an id, is skipped with its reason; each id
    of ``requested`` (what ``digest add`` asked for) that arXiv did not return is skipped
    as not found. An empty answer is an empty batch.
    """
    return batch_of(read_atom(data, origin), origin, date, requested)


def batch_of(entries: Iterable[AtomEntry], origin: str, date: dt.date,
             requested: Iterable[str] = ()) -> Batch:
    """The papers of arXiv entries, as :func:`parse_atom` describes."""
    batch = Batch(source=origin)
    seen: dict[str, str] = {}
    answered: set[str] = set()  # every id arXiv answered for, kept or skipped
    for entry in entries:
        where = f"{origin}: {entry.id or f'entry at line {entry.line}'}"
        if not _is_id(entry.id):
            batch.skipped.append((where, f"{entry.id!r} is not an arXiv id"))
            continue
        answered.add(entry.base_id)
        if entry.base_id in seen:
            batch.skipped.append((where, f"arXiv {entry.base_id} appears twice in this answer "
                                  f"(first as {seen[entry.base_id]}); the first is kept"))
            continue
        missing = [name for name, value in (("title", entry.title), ("abstract", entry.summary))
                   if not value.strip()]
        if missing:
            batch.skipped.append((where, f"arXiv gave no {' and no '.join(missing)}"))
            continue
        seen[entry.base_id] = entry.id
        batch.drafts.append(draft_of(entry, date, origin))
    for wanted in requested:
        if base_id(wanted) not in answered:
            batch.skipped.append((f"{origin}: {wanted}", "not found on arXiv: check the id"))
    return batch
