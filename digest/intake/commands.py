"""The intake commands as library functions: add, import, import hf, enrich.

Each reads its whole input (network answers or files) into Batches first, then hands
them to :func:`digest.intake.writer.write_papers` (enrich: its edited files to
:func:`digest.intake.writer.write_files`), so a failed download or a malformed file
writes nothing. Intake, not the sources, decides where work runs: it gives the sources
digest.util.processes' map. The CLI (digest/cli.py) only parses options and prints
the report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from digest.config import SiteConfig
from digest.content.load import PAPERS_DIR
from digest.content.reader import parse_paper
from digest.content.schema import PAPER_FIELD_NAMES
from digest.errors import DigestError
from digest.intake.http import (
    HF_API_ENV,
    Client,
    arxiv_api,
    arxiv_client,
    crossref_api,
    crossref_client,
    hf_api,
    hf_client,
)
from digest.intake.writer import (
    ContentIndex,
    FileWrite,
    WriteReport,
    check_text,
    normalize_title,
    paper_text,
    write_files,
    write_papers,
)
from digest.model import Problem
from digest.sources.arxiv import AtomEntry, base_id, parse_atom, parse_id, read_atom
from digest.sources.base import Batch, edition_note
from digest.sources.crossref import ARXIV_DOI, DOI_HELP, parse_doi, parse_work
from digest.sources.formats import parse
from digest.sources.hf_api import parse_daily
from digest.text.cleanup import clean_tex_title
from digest.text.titles import title_text
from digest.util.processes import map_in_processes

ID_CHUNK = 100  # ids per arXiv request: arXiv's own examples stay well under its URL limit
TITLE_CHUNK = 10  # titles per arXiv search request
SEARCH_RESULTS = 20  # results asked for per title of a search request


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def add(config: SiteConfig, ids: Sequence[str], *, date: dt.date | None = None,
        today: dt.date | None = None, force: bool = False, dry_run: bool = False,
        client: Client | None = None, crossref: Client | None = None) -> WriteReport:
    """Add papers by arXiv id or URL (one arXiv request per ID_CHUNK ids) and by DOI (one
    Crossref request each)."""
    today = today or today_utc()
    edition = date or today
    problems: list[Problem] = []
    wanted: dict[str, str] = {}  # base id -> the id as requested (with its version if given)
    dois: dict[str, str] = {}  # casefolded DOI -> the DOI
    repeated: list[tuple[str, str]] = []
    for given in ids:
        doi = parse_doi(given)
        if doi and (own := ARXIV_DOI.match(doi)):  # arXiv's DOIs are DataCite's: ask arXiv
            given = own.group(1)
        elif doi:
            if doi.casefold() in dois:
                repeated.append((given, f"given twice (as {dois[doi.casefold()]})"))
            else:
                dois[doi.casefold()] = doi
            continue
        try:
            arxiv = parse_id(given)
        except DigestError as error:
            problems.extend(Problem(p.path, None, p.field, f"is not an arXiv id, arXiv URL "
                                    f"or DOI; {p.message}; {DOI_HELP}") for p in error.problems)
            continue
        if base_id(arxiv) in wanted:
            repeated.append((given, f"given twice (as {wanted[base_id(arxiv)]})"))
        else:
            wanted[base_id(arxiv)] = arxiv
    if problems:
        raise DigestError("nothing was added: fix the ids below and run the command again",
                          problems)
    requested = list(wanted.values())
    batches: list[Batch] = []
    if requested:
        with client or arxiv_client(config.site.repo) as http:
            for start in range(0, len(requested), ID_CHUNK):
                chunk = requested[start:start + ID_CHUNK]
                body = http.get(arxiv_api(), {"id_list": ",".join(chunk),
                                              "max_results": str(len(chunk))})
                batch = parse_atom(body, "arXiv API", edition, requested=chunk)
                asked = {base_id(arxiv) for arxiv in chunk}  # arXiv answers only these
                batch.drafts = [d for d in batch.drafts
                                if base_id(d.paper.arxiv or "") in asked]
                batches.append(batch)
    if dois:
        batches.append(_crossref_batch(config, list(dois.values()), edition, crossref))
    if batches:
        batches[0].date_note = edition_note(edition, given=date is not None)
        batches[0].skipped[:0] = repeated
    return write_papers(batches, config, force=force, dry_run=dry_run)


def _crossref_batch(config: SiteConfig, dois: Sequence[str], edition: dt.date,
                    client: Client | None) -> Batch:
    """One Crossref request per DOI; a DOI Crossref does not know is skipped."""
    batch = Batch(source="Crossref API")
    with client or crossref_client(config.site.repo, config.site.mailto) as http:
        for doi in dois:
            origin = f"Crossref: {doi}"
            body = http.find(f"{crossref_api()}/works/{quote(doi, safe='/')}")
            if body is None:
                batch.skipped.append((origin, "not found on Crossref: check the DOI (DOIs "
                                      "registered elsewhere, e.g. with DataCite, are not "
                                      "there)"))
                continue
            parse_work(body, origin, doi, edition, batch)
    return batch


def import_files(config: SiteConfig, files: Sequence[Path], *, fmt: str | None = None,
                 date: dt.date | None = None, today: dt.date | None = None,
                 force: bool = False, dry_run: bool = False) -> WriteReport:
    """Import HF JSON, arXiv Atom, BibTeX or copied-page files (format detected)."""
    today = today or today_utc()
    batches = []
    for path in files:
        shown = str(path)
        if not path.is_file():
            raise DigestError(f"{shown}: no such file", [Problem(
                shown, None, "file", "give the path of a file to import (a .json, .atom, "
                ".bib or copied-page .txt file); nothing was written")])
        batches.append(parse(path.read_bytes(), shown, fmt, date, today, map_in_processes))
    return write_papers(batches, config, force=force, dry_run=dry_run)


def hf_batch(config: SiteConfig, day: dt.date, client: Client | None = None) -> Batch:
    """The Hugging Face daily papers of ``day``, read but not written."""
    with client or hf_client(config.site.repo) as http:
        body = http.get(f"{hf_api()}/daily_papers", {"date": day.isoformat()},
                        not_found=f"no daily-papers list at this address; check {HF_API_ENV}",
                        explain={400: f"Hugging Face has no list for {day} yet (it answers "
                                      "400 for dates it considers the future, in UTC); try "
                                      "an earlier --date"})
    return parse_daily(body, f"Hugging Face daily papers {day}", day, map_in_processes)


def import_hf(config: SiteConfig, *, date: dt.date | None = None,
              today: dt.date | None = None, force: bool = False, dry_run: bool = False,
              client: Client | None = None) -> WriteReport:
    """Import one day of Hugging Face daily papers (default: yesterday in UTC)."""
    today = today or today_utc()
    day = date or today - dt.timedelta(days=1)
    batch = hf_batch(config, day, client)
    batch.date_note = edition_note(day, given=date is not None, why=(
        "yesterday in UTC, the last full day of Hugging Face's list"))
    report = write_papers([batch], config, force=force, dry_run=dry_run)
    if not batch.drafts and not batch.skipped:
        report.notes.append(f"Hugging Face lists no papers for {day}")
    return report


# --- enrich -----------------------------------------------------------------------------

@dataclass
class EnrichReport:
    """Papers without an arXiv id, looked up by title."""

    dry_run: bool = False
    looked_up: int = 0
    matched: list[tuple[Path, str, tuple[str, ...]]] = field(default_factory=list)
    ambiguous: list[tuple[Path, tuple[str, ...]]] = field(default_factory=list)
    not_found: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (f"{self.looked_up} looked up: {len(self.matched)} matched, "
                f"{len(self.ambiguous)} ambiguous, {len(self.not_found)} not found, "
                f"{len(self.skipped)} skipped")


@dataclass
class _Candidate:
    path: Path
    shown: Path
    data: bytes
    title: str
    present: frozenset[str]


def _candidates(config: SiteConfig, paths: Sequence[Path],
                report: EnrichReport) -> list[_Candidate]:
    """Paper files without an arxiv field, in file order."""
    root = config.root
    files: list[Path] = []
    for path in paths or [root / PAPERS_DIR]:
        path = path if path.is_absolute() else Path.cwd() / path
        if path.is_dir():
            files.extend(sorted(path.glob("*.md")))
        elif path.is_file():
            files.append(path)
        else:
            raise DigestError(f"{path}: no such file or folder", [Problem(
                str(path), None, "file", "give paper files or folders in content/papers/")])
    found = []
    for path in dict.fromkeys(p.resolve() for p in files):
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        data = path.read_bytes()
        parsed, problems = parse_paper(data, path, str(shown))
        front = parsed.front if parsed else None
        title = front.get("title") if front else None
        if front is None or any(p.is_error for p in problems) or \
                getattr(title, "kind", None) != "str":
            report.skipped.append((shown, "cannot be read; run `digest check` on it"))
            continue
        if "arxiv" in front:
            continue
        found.append(_Candidate(path, shown, data, " ".join(str(title.value).split()),
                                frozenset(front)))
    return found


def _query(titles: Sequence[str]) -> str:
    """arXiv search for titles: ti:"..." phrases joined by OR, punctuation as spaces."""
    phrases = []
    for title in titles:
        words = " ".join(re.sub(r"[^\w\s]|_", " ", title_text(title)).split())
        if words:  # a title of symbols only cannot be searched; it is "not found"
            phrases.append(f'ti:"{words}"')
    return " OR ".join(phrases)


def _new_lines(entry: AtomEntry, present: frozenset[str]) -> list[str]:
    """Front-matter lines for the fields the file does not have, in schema order."""
    values: dict[str, object] = {  # what enrich fills, and nothing else
        "arxiv": entry.base_id,
        "authors": [a for a in dict.fromkeys(map(clean_tex_title, entry.authors)) if a],
        "published": entry.published,
        "categories": list(entry.categories),
    }
    fields = {name: values[name] for name in PAPER_FIELD_NAMES
              if name in values and name not in present}
    text = paper_text(fields, "")
    return text.split("\n")[1:text.split("\n").index("---", 1)]


def _insert(data: bytes, lines: list[str]) -> bytes:
    """The file with ``lines`` added just before the front matter's closing '---'."""
    newline = b"\r\n" if b"\r\n" in data.split(b"\n", 1)[0] + b"\n" else b"\n"
    rows = data.split(b"\n")
    closing = next(i for i in range(1, len(rows)) if re.fullmatch(rb"---[ \t]*\r?", rows[i]))
    added = newline.join(line.encode("utf-8") for line in lines) + newline
    head = b"\n".join(rows[:closing]) + b"\n"
    return head + added + b"\n".join(rows[closing:])


def enrich(config: SiteConfig, paths: Sequence[Path] = (), *, dry_run: bool = False,
           client: Client | None = None) -> EnrichReport:
    """Fill arxiv, authors, published and categories of papers found on arXiv by title.

    Only an exact match of normalized titles counts; a field the file already has is
    never changed, and everything else in the file stays byte for byte.
    """
    report = EnrichReport(dry_run=dry_run)
    candidates = _candidates(config, paths, report)
    report.looked_up = len(candidates)
    index = ContentIndex.load(config.root / PAPERS_DIR)
    results: dict[str, dict[str, AtomEntry]] = {}  # normalized title -> base id -> entry
    with client or arxiv_client(config.site.repo) as http:
        for start in range(0, len(candidates), TITLE_CHUNK):
            chunk = candidates[start:start + TITLE_CHUNK]
            query = _query([c.title for c in chunk])
            if not query:
                continue
            body = http.get(arxiv_api(), {"search_query": query,
                                          "max_results": str(SEARCH_RESULTS * len(chunk))})
            for entry in read_atom(body, "arXiv API"):
                key = normalize_title(clean_tex_title(entry.title))
                results.setdefault(key, {}).setdefault(entry.base_id, entry)
    writes: list[FileWrite] = []
    claimed: dict[str, Path] = {}  # arXiv id -> the file this run gives it
    for candidate in candidates:
        found = results.get(normalize_title(candidate.title), {})
        if not found:
            report.not_found.append(candidate.shown)
            continue
        if len(found) > 1:
            report.ambiguous.append((candidate.shown, tuple(sorted(found))))
            continue
        entry = next(iter(found.values()))
        holder = index.files.get(("arxiv", entry.base_id)) or claimed.get(entry.base_id)
        if holder is not None and holder.resolve() != candidate.path:
            report.skipped.append((candidate.shown, f"arXiv {entry.base_id} is already in "
                                   f"{holder.relative_to(config.root)}"))
            continue
        lines = _new_lines(entry, candidate.present)
        data = _insert(candidate.data, lines)
        errors = check_text(data.decode("utf-8-sig").replace("\r\n", "\n"), candidate.path,
                            str(candidate.shown), config)
        if errors:
            report.skipped.append((candidate.shown, "; ".join(
                f"{p.field}: {p.message}" for p in errors)))
            continue
        claimed[entry.base_id] = candidate.path
        added = tuple(line.split(":", 1)[0] for line in lines)
        report.matched.append((candidate.shown, entry.base_id, added))
        writes.append(FileWrite(candidate.path, data, replaces=True, old=candidate.data))
    if not dry_run:
        write_files(writes, config)  # bytes as they are: the file's line endings stay
    return report
