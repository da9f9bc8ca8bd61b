"""Source: a Hugging Face "daily papers" page copied as plain text (``digest ingest``).

The copy looks like: a few header lines, a date line such as ``Mar 11`` (no
year), then title and abstract paragraphs separated by blank lines. Its text is
copied residue, not TeX: :func:`digest.text.cleanup.clean_abstract` repairs it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from digest.errors import DigestError
from digest.model import Link, Paper, Problem
from digest.sources.base import Batch, Draft, MapEach, edition_note, in_this_process, links_in
from digest.text.cleanup import clean_abstract, clean_title

SOURCE = "Hugging Face daily papers"

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_LINE = re.compile(r"^(?P<month>[A-Za-z]{3})[a-z]*\.? (?P<day>\d{1,2})$")
# A title is one short line; anything longer or sentence-like is an abstract.
TITLE_MAX = 300


@dataclass(frozen=True)
class RawEntry:
    title: str
    abstract: str
    line: int  # line of the title, 1-based
    month: int
    day: int


@dataclass(frozen=True)
class RawDigest:
    path: Path
    entries: tuple[RawEntry, ...]
    header_lines: int


def has_date_line(text: str) -> bool:
    """Whether a text holds a date line such as ``Mar 11``, as a copied page does."""
    return any((m := DATE_LINE.match(line.strip())) and m["month"].lower()[:3] in MONTHS
               for line in text.splitlines())


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DigestError(
            f"{path} is not UTF-8 text",
            [Problem(str(path), line, "encoding",
                     f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")],
        ) from None


def _paragraphs(lines: list[str], start: int) -> list[tuple[int, list[str]]]:
    """Group non-blank lines into (first line number, lines) blocks."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, text in enumerate(lines[start:], start=start + 1):
        if text.strip():
            if not current:
                first = number
            current.append(" ".join(text.split()))
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _looks_like_title(block: list[str]) -> bool:
    text = block[0]
    return len(block) == 1 and len(text) <= TITLE_MAX and not text.endswith(".")


def read_hf_papers(path: Path) -> RawDigest:
    """Parse the copied page; raise DigestError naming every malformed line."""
    return read_page(path.read_bytes(), path)


def read_page(data: bytes, path: Path) -> RawDigest:
    """Parse a copied page read from ``path`` (named in every message)."""
    text = _decode(path, data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    where = str(path)
    problems: list[Problem] = []
    entries: list[RawEntry] = []

    date_lines = [
        (i, m) for i, raw in enumerate(lines)
        if (m := DATE_LINE.match(raw.strip())) and m["month"].lower()[:3] in MONTHS
    ]
    if not date_lines:
        raise DigestError(
            f"{where}: no date line found",
            [Problem(where, None, "date",
                     "expected a line such as 'Mar 11' before the first paper title")],
        )

    for n, (index, match) in enumerate(date_lines):
        month = MONTHS.index(match["month"].lower()[:3]) + 1
        day = int(match["day"])
        end = date_lines[n + 1][0] if n + 1 < len(date_lines) else len(lines)
        blocks = _paragraphs(lines[:end], index + 1)
        if not blocks:
            problems.append(Problem(where, index + 1, "papers",
                                    "no title/abstract pairs follow this date line"))
            continue
        i = 0
        while i < len(blocks):
            line, title_block = blocks[i]
            if not _looks_like_title(title_block):
                problems.append(Problem(where, line, "title",
                                        "expected a one-line paper title here, found a paragraph; "
                                        "is a title missing above it?"))
                i += 1
                continue
            if i + 1 >= len(blocks):
                problems.append(Problem(where, line, "abstract",
                                        f"title {title_block[0]!r} has no abstract after it"))
                break
            abstract_line, abstract_block = blocks[i + 1]
            if _looks_like_title(abstract_block) and (
                i + 2 < len(blocks) and not _looks_like_title(blocks[i + 2][1])
            ):
                problems.append(Problem(where, line, "abstract",
                                        f"title {title_block[0]!r} has an empty abstract "
                                        f"(line {abstract_line} looks like the next title)"))
                i += 1
                continue
            entries.append(RawEntry(title_block[0], "\n\n".join(abstract_block), line,
                                    month, day))
            i += 2

    seen: dict[str, int] = {}
    for entry in entries:
        key = entry.title.casefold()
        if key in seen:
            problems.append(Problem(where, entry.line, "title",
                                    f"duplicate title {entry.title!r} (first at line {seen[key]})"))
        else:
            seen[key] = entry.line

    if not entries and not problems:
        problems.append(Problem(where, None, "papers", "no title/abstract pairs found"))
    if problems:
        raise DigestError(f"{where}: cannot read this digest", problems)
    return RawDigest(path, tuple(entries), date_lines[0][0])


def resolve_date(month: int, day: int, given: dt.date | None, today: dt.date) -> tuple[dt.date,
                                                                                        str]:
    """The edition date, and a sentence saying how it was chosen."""
    if given is not None:
        aside = "" if (given.month, given.day) == (month, day) else \
            f" (the page says {dt.date(2000, month, day):%b} {day})"
        return given, edition_note(given, given=True, aside=aside)
    year = today.year
    while True:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # Feb 29 in a non-leap year
            year -= 1
            continue
        if candidate <= today:
            return candidate, edition_note(candidate, given=False, why=(
                f"the most recent {candidate:%b} {day} not after today"))
        year -= 1


def _cleaned(entry: RawEntry) -> tuple[str, str, tuple[Link, ...]]:
    """An entry's title and abstract cleaned, and the links its abstract names."""
    return clean_title(entry.title), clean_abstract(entry.abstract), links_in(entry.abstract)


def parse_page(data: bytes, origin: str, date: dt.date | None, today: dt.date,
               map_each: MapEach = in_this_process) -> Batch:
    """The papers of a copied page. The edition date is ``date`` or, without it, the page's
    date line in the most recent year not after ``today``; ``Batch.date_note`` says which.
    Papers under a later date line of the same copy get that day's date. The entries'
    texts are cleaned with ``map_each``."""
    digest = read_page(data, Path(origin))
    first = digest.entries[0]
    edition, note = resolve_date(first.month, first.day, date, today)
    batch = Batch(source=origin, date_note=note)
    cleaned = map_each(_cleaned, digest.entries)
    for entry, (title, abstract, links) in zip(digest.entries, cleaned, strict=True):
        entry_date = edition if (entry.month, entry.day) == (first.month, first.day) else \
            resolve_date(entry.month, entry.day, None, edition)[0]
        paper = Paper(slug="", title=title, date=entry_date, abstract=abstract, links=links,
                      source=SOURCE)
        batch.drafts.append(Draft(paper, f"{origin}:{entry.line}"))
    return batch
