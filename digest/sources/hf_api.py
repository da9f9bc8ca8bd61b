"""Hugging Face's daily-papers API (``GET /api/daily_papers?date=YYYY-MM-DD``).

The answer is a JSON list of items, each with a nested ``paper`` (``id`` is the arXiv id,
``title``, ``summary``, ``authors[].name``, ``publishedAt``, ``upvotes``, and when present
``githubRepo`` and ``projectPage``). Item-level fields (``numComments``, ``thumbnail``,
``submittedBy``, a copy of the title) and unknown fields are ignored. The data is as
untrusted as a pull request: links pass through as given, for the writer to check.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from digest.errors import DigestError
from digest.model import Link, Paper, Problem
from digest.sources.arxiv import base_id, parse_id
from digest.sources.base import Batch, Draft, MapEach, in_this_process
from digest.text.cleanup import clean_tex_abstract, clean_tex_title

SOURCE = "Hugging Face daily papers"


def _decode(data: bytes, origin: str) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DigestError(f"{origin}: not UTF-8 text", [
            Problem(origin, data[: exc.start].count(b"\n") + 1, "encoding",
                    f"byte 0x{data[exc.start]:02x} is not valid UTF-8; the answer is "
                    "damaged: run the command again")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DigestError(f"{origin}: not a readable Hugging Face daily-papers answer", [
            Problem(origin, exc.lineno, "json",
                    f"{exc.msg} (column {exc.colno}); the answer is malformed or was cut "
                    "off: run the command again, or check the file")]) from None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _published(value: object) -> dt.date | None:
    text = _text(value)
    if text is None:
        return None
    try:
        stamp = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC)
    return stamp.date()


def _authors(value: object) -> tuple[str, ...]:
    names: list[str] = []
    for author in value if isinstance(value, list) else []:
        name = _text(author.get("name")) if isinstance(author, dict) else None
        cleaned = clean_tex_title(name) if name else ""
        if cleaned and cleaned not in names:
            names.append(cleaned)
    return tuple(names)


def _upvotes(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 \
        else None


def parse_daily(data: bytes, origin: str, date: dt.date,
                map_each: MapEach = in_this_process) -> Batch:
    """The papers of one daily-papers answer, for the edition of ``date``.

    ``[]`` is an empty day. An item without an arXiv id, title or summary, or repeating
    an id, is skipped with a reason naming it; an answer that is not a JSON list is a
    DigestError naming ``origin``. The papers' texts are cleaned with ``map_each``.
    """
    items = _decode(data, origin)
    if isinstance(items, dict) and _text(items.get("error")):
        raise DigestError(f"{origin}: Hugging Face answered with an error", [
            Problem(origin, None, "json", f"{items['error'].strip()}; check the date")])
    if not isinstance(items, list):
        raise DigestError(f"{origin}: not a Hugging Face daily-papers answer", [
            Problem(origin, None, "json",
                    f"expected a JSON list of papers, found a {type(items).__name__}; "
                    "pass --format if the file is something else")])
    batch = Batch(source=origin)
    seen: dict[str, int] = {}
    kept: list[tuple[dict[str, object], str]] = []  # (paper, arXiv id)
    for number, item in enumerate(items, start=1):
        paper = item.get("paper") if isinstance(item, dict) else None
        where = f"{origin}: item {number}"
        if not isinstance(paper, dict):
            batch.skipped.append((where, "has no paper object"))
            continue
        raw_id, title, summary = (_text(paper.get(k)) for k in ("id", "title", "summary"))
        if raw_id:
            where += f" ({raw_id.strip()})"
        elif title:
            where += f" ({' '.join(title.split())!r})"
        missing = [name for name, value in (("id", raw_id), ("title", title),
                                            ("summary", summary)) if value is None]
        if missing:
            batch.skipped.append((where, f"has no {', no '.join(missing)}"))
            continue
        try:
            arxiv = base_id(parse_id(raw_id))
        except DigestError:
            batch.skipped.append((where, f"id {raw_id.strip()!r} is not an arXiv id"))
            continue
        if arxiv in seen:
            batch.skipped.append((where, f"arXiv {arxiv} appears twice in this answer "
                                  f"(first as item {seen[arxiv]}); the first is kept"))
            continue
        seen[arxiv] = number
        kept.append((paper, arxiv))
    cleaned = map_each(_cleaned, [paper for paper, _ in kept])
    for (paper, arxiv), (title, abstract, authors) in zip(kept, cleaned, strict=True):
        links = [url.strip() for key in ("githubRepo", "projectPage")
                 if (url := _text(paper.get(key)))]
        batch.drafts.append(Draft(Paper(
            slug="", title=title, date=date, abstract=abstract, authors=authors,
            arxiv=arxiv, links=tuple(Link(u) for u in dict.fromkeys(links)),
            published=_published(paper.get("publishedAt")),
            upvotes=_upvotes(paper.get("upvotes")), source=SOURCE,
        ), f"{origin}: {arxiv}"))
    return batch


def _cleaned(paper: dict[str, object]) -> tuple[str, str, tuple[str, ...]]:
    """A paper's title, abstract and authors, cleaned (its title and summary are text)."""
    return (clean_tex_title(str(paper["title"])), clean_tex_abstract(str(paper["summary"])),
            _authors(paper.get("authors")))
