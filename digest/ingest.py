"""Ingest a raw digest: read it, clean it, tag it, write one content file per paper.

Ingest is safe to repeat: a file whose text would not change is left alone,
and a file that differs from what ingest would write (a person edited it, or
the paper came from another digest) is reported and kept unless ``force``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter

from digest.cleanup import clean_abstract, clean_title
from digest.config import SiteConfig
from digest.content import PAPERS_DIR
from digest.errors import DigestError
from digest.model import Problem
from digest.slugs import unique_slug
from digest.sources import links_in
from digest.sources.hf_page import RawDigest, RawEntry, read_hf_papers, resolve_date
from digest.tagger import suggest_tags, suggest_topics


@dataclass
class IngestReport:
    date: dt.date
    date_note: str
    read: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def render_paper_file(entry: RawEntry, date: dt.date, config: SiteConfig, source: str) -> tuple[
        str, str]:
    """(title, file text) for one raw entry."""
    title = clean_title(entry.title)
    abstract = clean_abstract(entry.abstract)
    meta: dict[str, object] = {
        "title": title,
        "date": date,
        "topics": list(suggest_topics(title, abstract, config.topics)),
        "tags": list(suggest_tags(title, abstract)),
    }
    links = links_in(entry.abstract)
    if links:
        meta["links"] = [link.url for link in links]
    meta["source"] = source
    post = frontmatter.Post(abstract, **meta)
    text = frontmatter.dumps(post, sort_keys=False, default_flow_style=None, width=100)
    return title, text + "\n"


def _existing_titles(papers_dir: Path) -> dict[str, Path]:
    """casefolded title -> file, for keeping slugs stable across re-ingests."""
    titles: dict[str, Path] = {}
    for path in sorted(papers_dir.glob("*.md")):
        try:
            meta = frontmatter.loads(path.read_text(encoding="utf-8-sig")).metadata
        except Exception:  # an unreadable file keeps its name; `digest check` reports it
            continue
        if isinstance(meta.get("title"), str):
            titles.setdefault(" ".join(meta["title"].split()).casefold(), path)
    return titles


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ingest-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ingest(raw_path: Path, config: SiteConfig, *, date: dt.date | None = None,
           today: dt.date | None = None, force: bool = False) -> IngestReport:
    """Turn a copied Hugging Face papers page into content/papers/*.md files."""
    if not raw_path.is_file():
        raise DigestError(f"{raw_path}: no such file",
                          [Problem(str(raw_path), None, "file", "give the path of a copied "
                                   "Hugging Face papers page (a .txt file)")])
    digest: RawDigest = read_hf_papers(raw_path)
    first = digest.entries[0]
    edition, note = resolve_date(first.month, first.day, date, today or dt.date.today())
    report = IngestReport(date=edition, date_note=note, read=len(digest.entries))
    papers_dir = config.root / PAPERS_DIR
    existing = _existing_titles(papers_dir)
    taken = {p.stem for p in papers_dir.glob("*.md")}
    source = "Hugging Face daily papers"

    planned: list[tuple[Path, str]] = []
    for entry in digest.entries:
        entry_date = edition if (entry.month, entry.day) == (first.month, first.day) else \
            resolve_date(entry.month, entry.day, None, edition)[0]
        title, text = render_paper_file(entry, entry_date, config, source)
        path = existing.get(title.casefold())
        if path is None:
            slug = unique_slug(title, taken)
            taken.add(slug)
            path = papers_dir / f"{slug}.md"
        planned.append((path, text))

    for path, text in planned:
        shown = path.relative_to(config.root)
        if not path.exists():
            _write_atomic(path, text)
            report.written.append(shown)
        elif path.read_text(encoding="utf-8-sig").replace("\r\n", "\n") == text:
            report.unchanged.append(shown)
        elif force:
            _write_atomic(path, text)
            report.written.append(shown)
        else:
            report.skipped.append((shown, "differs from this digest's entry (edited by a person "
                                   "or ingested from another digest); --force replaces it"))
    return report
