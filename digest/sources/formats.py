"""The formats intake reads, by name: which module reads which, and telling them apart.

A new source is a module in digest/sources/ returning a :class:`Batch`, a name in
FORMATS, and a line in :func:`parse` (and in :func:`detect` if its content shows it).
"""

from __future__ import annotations

import datetime as dt
import re

from digest.errors import DigestError
from digest.model import Problem
from digest.sources import arxiv, bibtex, hf_api, hf_page
from digest.sources.base import Batch, MapEach, edition_note, in_this_process

# The input formats `digest import --format` accepts, in the order detect() tries them.
FORMATS = ("hf-json", "arxiv-atom", "bibtex", "hf-page")

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
    if hf_page.has_date_line(data.decode("utf-8", errors="replace")):
        return "hf-page"
    raise DigestError(f"{name}: cannot tell its format", [
        Problem(name, None, "format",
                "it is not Hugging Face JSON, an arXiv Atom answer, BibTeX or a copied "
                f"Hugging Face page; pass --format ({', '.join(FORMATS)})")])


def parse(data: bytes, name: str, fmt: str | None, date: dt.date | None,
          today: dt.date, map_each: MapEach = in_this_process) -> Batch:
    """Read ``data`` (named ``name`` in messages) in format ``fmt`` (None: detect it).

    ``date`` is the edition date (``--date``); without it a copied page's own date line
    decides, and any other format takes ``today`` (UTC), which ``Batch.date_note`` says.
    A long input's entries are cleaned with ``map_each``.
    """
    fmt = fmt or detect(data, name)
    if fmt not in FORMATS:
        raise DigestError(f"{name}: unknown format {fmt!r}", [
            Problem(name, None, "format", f"choose one of {', '.join(FORMATS)}")])
    if fmt == "hf-page":
        return hf_page.parse_page(data, name, date, today, map_each)
    edition = date or today
    if fmt == "hf-json":
        batch = hf_api.parse_daily(data, name, edition, map_each)
    elif fmt == "arxiv-atom":
        batch = arxiv.parse_atom(data, name, edition)
    else:
        batch = bibtex.parse_bibtex(data, name, edition)
    batch.date_note = edition_note(edition, given=date is not None)
    return batch
