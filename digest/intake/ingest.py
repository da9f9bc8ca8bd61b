"""`digest ingest`: a copied Hugging Face papers page through the one writer.

The page is one source among the others (digest/sources/hf_page.py);
digest/intake/writer.py decides slugs, de-duplication and what reaches content/, so
ingest is safe to repeat and never overwrites a file a person edited unless
``force``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from digest.config import SiteConfig
from digest.errors import DigestError
from digest.intake.writer import WriteReport, write_papers
from digest.model import Problem
from digest.sources.hf_page import parse_page, resolve_date
from digest.util.processes import map_in_processes

__all__ = ["ingest", "resolve_date"]


def ingest(raw_path: Path, config: SiteConfig, *, date: dt.date | None = None,
           today: dt.date | None = None, force: bool = False,
           dry_run: bool = False) -> WriteReport:
    """Turn a copied Hugging Face papers page into content/papers/*.md files."""
    if not raw_path.is_file():
        raise DigestError(f"{raw_path}: no such file",
                          [Problem(str(raw_path), None, "file", "give the path of a copied "
                                   "Hugging Face papers page (a .txt file)")])
    batch = parse_page(raw_path.read_bytes(), str(raw_path), date,
                       today or dt.datetime.now(dt.UTC).date(), map_in_processes)
    return write_papers([batch], config, force=force, dry_run=dry_run)
