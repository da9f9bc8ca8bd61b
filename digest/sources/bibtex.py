"""BibTeX files (``.bib``), read with bibtexparser 2.

Each entry gives a title, authors ("Last, First" and "First Last", ``and``-separated,
``{Nvidia}`` kept whole), a venue (journal or booktitle, with the year), a DOI, an arXiv
id (``eprint`` with ``archivePrefix = arXiv``, a ``journal = {arXiv preprint
arXiv:...}`` or an arxiv.org ``url``), ``primaryClass``, its ``url`` and the abstract.
The bibliographic record is kept as it is for the exports to give back: entry type,
citation key, journal, booktitle, volume, number, pages, publisher, year and month.
TeX accents and protective braces are cleaned (``Bj{\\"o}rn`` is Björn,
``{L}atent`` is Latent); formulas stay verbatim. A file that does not parse is one error
naming the entry's line.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath

import bibtexparser
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry

from digest.content.schema import CATEGORY, CITE_KEY, DOI, ENTRY_TYPES, MONTHS
from digest.errors import DigestError
from digest.model import Link, Paper, Problem
from digest.sources.arxiv import base_id, parse_id
from digest.sources.base import Batch, Draft
from digest.text.cleanup import clean_tex_abstract, clean_tex_title

_ARXIV_JOURNAL = re.compile(r"^\s*arxiv(?:\s+preprint)?\s*(?:arxiv:|abs/)?\s*(\S+)\s*$", re.I)
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.I)


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DigestError(f"{origin}: not UTF-8 text", [
            Problem(origin, data[: exc.start].count(b"\n") + 1, "encoding",
                    f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as "
                    "UTF-8")]) from None


@contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs each broken block as a warning; we report it as an error instead."""
    logger = logging.getLogger("bibtexparser.splitter")
    was = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was


def _field(entry: Entry, *names: str) -> str | None:
    fields = {f.key.lower(): f.value for f in entry.fields}
    for name in names:
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _person(name: str) -> str:
    """'Last, First' or 'First Last' as 'First Last'; a braced {Corporate Name} stays whole."""
    try:
        parts = parse_single_name_into_parts(name, strict=False)
        words = [*parts.first, *parts.von, *parts.last]
        text = " ".join(words) + (", " + " ".join(parts.jr) if parts.jr else "")
    except InvalidNameError:
        text = name
    return clean_tex_title(text)


def _authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    names = [_person(n) for n in split_multiple_persons_names(value) if n.strip()]
    return tuple(dict.fromkeys(n for n in names if n and n.lower() != "others"))


def _arxiv(entry: Entry) -> str | None:
    """The arXiv id an entry names, without version."""
    prefix = (_field(entry, "archiveprefix", "eprinttype") or "").lower()
    eprint = _field(entry, "eprint")
    candidates = []
    if eprint and (prefix == "arxiv" or not prefix):
        candidates.append(eprint)
    journal = _field(entry, "journal")
    if journal and (match := _ARXIV_JOURNAL.match(journal)):
        candidates.append(match.group(1))
    candidates += [u for u in (_field(entry, "url"), _field(entry, "arxiv")) if u]
    for candidate in candidates:
        try:
            return base_id(parse_id(candidate))
        except DigestError:
            continue
    return None


def _doi(entry: Entry) -> str | None:
    value = _field(entry, "doi")
    if value is None:
        return None
    value = _DOI_PREFIX.sub("", value).strip()
    return value if DOI.match(value) else None


def _venue(entry: Entry) -> str | None:
    venue = _field(entry, "journal", "booktitle")
    if venue and _ARXIV_JOURNAL.match(venue):
        venue = None  # "arXiv preprint arXiv:2305.18290" is an id, not a venue
    venue = clean_tex_title(venue) if venue else None
    year = _field(entry, "year")
    if venue and year and year not in venue:
        venue = f"{venue} {year}"
    if not venue and (published := _field(entry, "howpublished")):
        venue = clean_tex_title(published)  # exported again as howpublished, as it was
    return venue or None


def _url(entry: Entry) -> str | None:
    """The entry's own ``url``, unless it is the arXiv page its eprint already names or
    a code repository (a link, see _links)."""
    url = _field(entry, "url")
    if not url or not re.match(r"^https?://", url, re.I) or Link(url).kind == "code":
        return None
    host = re.sub(r"^[a-z]+://(www\.)?", "", url.lower())
    if host.startswith(("arxiv.org/", "export.arxiv.org/")):
        return None
    return url


def _links(entry: Entry) -> tuple[Link, ...]:
    """A ``url`` naming a code repository is a link of the paper, not its page."""
    url = _field(entry, "url")
    return (Link(url),) if url and Link(url).kind == "code" else ()


def _number(entry: Entry, name: str) -> str | None:
    """A short field (volume, number, pages) as written, braces and TeX dashes undone."""
    value = _field(entry, name)
    if value is None:
        return None
    value = value.replace("{", "").replace("}", "").strip()
    if name == "pages":
        value = re.sub(r"\s*(-+|\u2013|\u2014)\s*", "--", value)
    return value if value and len(value) <= 40 else None


def _year(entry: Entry) -> int | None:
    match = re.fullmatch(r"\{?(\d{4})\}?", _field(entry, "year") or "")
    return int(match.group(1)) if match else None


def _month(entry: Entry) -> int | None:
    """BibTeX's month, as ``jul`` (a macro bibtexparser leaves as its name), ``July`` or 7."""
    value = (_field(entry, "month") or "").strip("{} ").lower()
    if value[:3] in MONTHS:
        return MONTHS.index(value[:3]) + 1
    return int(value) if value.isdigit() and 1 <= int(value) <= 12 else None


def _text_field(entry: Entry, name: str) -> str | None:
    value = _field(entry, name)
    if value is None or (name == "journal" and _ARXIV_JOURNAL.match(value)):
        return None
    return clean_tex_title(value) or None


def _categories(entry: Entry) -> tuple[str, ...]:
    primary = _field(entry, "primaryclass")
    return (primary,) if primary and CATEGORY.match(primary) else ()


def _line_of(block: object) -> int | None:
    start = getattr(block, "start_line", None)
    return start + 1 if isinstance(start, int) else None  # bibtexparser counts from 0


def parse_bibtex(data: bytes, origin: str, date: dt.date) -> Batch:
    """The papers of a BibTeX file, for the edition of ``date``.

    An entry without a title or abstract is skipped with a reason naming its citation
    key; a repeated key is skipped and reported; a block that does not parse is a
    DigestError naming the file and the entry's line.
    """
    text = _decode(data, origin)
    with _quiet():
        library = bibtexparser.parse_string(text)
    first_lines = {e.key: _line_of(e) for e in library.entries}
    problems: list[Problem] = []
    batch = Batch(source=origin)
    for block in library.failed_blocks:
        line = _line_of(block)
        if isinstance(block, DuplicateBlockKeyBlock):
            first = first_lines.get(block.key)
            batch.skipped.append((f"{origin}: entry {block.key} (line {line})",
                                  f"repeats the citation key {block.key!r} of line {first}; "
                                  "the first entry is kept"))
        elif isinstance(block, DuplicateFieldKeyBlock):
            keys = ", ".join(sorted(block.duplicate_keys))
            key = getattr(block.ignore_error_block, "key", "?")
            problems.append(Problem(origin, line, keys,
                                    f"entry {key!r} gives {keys} twice; keep one"))
        else:
            reason = getattr(getattr(block, "error", None), "abort_reason", None) or \
                str(getattr(block, "error", "") or "this entry does not parse")
            start = (getattr(block, "raw", "") or "").split("\n", 1)[0].strip()[:60]
            problems.append(Problem(origin, line, "bibtex",
                                    f"cannot read the entry {start!r}: {reason.strip()} "
                                    "Check its braces, quotes and commas."))
    if problems:
        raise DigestError(f"{origin}: cannot read this BibTeX file", problems)
    for entry in library.entries:
        where = f"{origin}: entry {entry.key}"
        title, abstract = _field(entry, "title"), _field(entry, "abstract")
        missing = [name for name, value in (("title", title), ("abstract", abstract))
                   if value is None]
        if missing:
            batch.skipped.append((where, f"has no {' and no '.join(missing)} (line "
                                  f"{_line_of(entry)}); add one to import it"))
            continue
        raw_abstract = next(f.value for f in entry.fields if f.key.lower() == "abstract")
        batch.drafts.append(Draft(Paper(
            slug="", title=clean_tex_title(title), date=date,
            abstract=clean_tex_abstract(raw_abstract),
            authors=_authors(_field(entry, "author")), arxiv=_arxiv(entry), doi=_doi(entry),
            links=_links(entry), venue=_venue(entry), categories=_categories(entry),
            source=PurePath(origin).name,
            entry_type=entry.entry_type.lower() if entry.entry_type.lower() in ENTRY_TYPES
            else None,
            cite_key=entry.key if CITE_KEY.match(entry.key) else None,
            journal=_text_field(entry, "journal"), booktitle=_text_field(entry, "booktitle"),
            volume=_number(entry, "volume"), number=_number(entry, "number"),
            pages=_number(entry, "pages"), publisher=_text_field(entry, "publisher"),
            year=_year(entry), month=_month(entry) if _year(entry) else None,
            url=_url(entry),
        ), where))
    return batch
