"""`digest new`: a new paper file from a title and an abstract.

A contributor pastes a title and an abstract; this makes the text of
``content/papers/<slug>.md`` with the front matter filled in (topics and tags
suggested by the auto-tagger, for the contributor to edit), checks it as `digest
check` would (the writer's check_text), so a new file starts valid, and hands it to
the writer, which alone writes content/.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from digest.config import SiteConfig
from digest.content.load import PAPERS_DIR
from digest.enrich.tagger import suggest_tags, suggest_topics
from digest.errors import DigestError
from digest.intake.writer import check_text, paper_text, write_new
from digest.model import Problem
from digest.text.cleanup import clean_abstract, clean_title
from digest.text.slugs import paper_slug


@dataclass(frozen=True)
class NewPaper:
    path: Path  # relative to the project root
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    warnings: list[Problem]


def split_text_file(text: str) -> tuple[str, str]:
    """(title, abstract) of a text file: the first non-empty line, then the rest."""
    lines = text.strip().splitlines()
    if not lines:
        return "", ""
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def new_paper(config: SiteConfig, title: str, abstract: str, *, date: dt.date,
              arxiv: str | None = None, doi: str | None = None,
              authors: Sequence[str] = (), links: Sequence[str] = (),
              venue: str | None = None, added_by: str | None = None) -> NewPaper:
    """Have the writer write content/papers/<slug>.md; refuse if it would not pass
    `digest check`."""
    title = clean_title(title)
    abstract = clean_abstract(abstract)
    slug = paper_slug(title)
    shown = (PAPERS_DIR / f"{slug}.md").as_posix()
    path = config.root / shown
    if not title:
        raise DigestError("a paper needs a title", [Problem(shown, None, "title",
                                                            "give the paper's title")])
    if not abstract:
        raise DigestError("a paper needs an abstract",
                          [Problem(shown, None, "abstract", "give the abstract, with "
                                   "--abstract TEXT or --from FILE")])
    if path.exists() or path.is_symlink():
        raise DigestError(f"{shown} already exists", [Problem(
            shown, None, "file name", "a paper with this title is already in the digest; "
            "edit that file instead")])
    topics = suggest_topics(title, abstract, config.topics)
    tags = suggest_tags(title, abstract)
    fields: dict[str, object] = {
        "title": title, "date": date, "authors": [" ".join(a.split()) for a in authors],
        "arxiv": arxiv, "doi": doi, "links": list(links), "topics": topics, "tags": tags,
        "venue": venue, "added_by": added_by,
    }
    text = paper_text(fields, abstract)
    errors = check_text(text, path, shown, config)  # before anything is written
    if errors:
        raise DigestError(f"{shown} was not written: fix the values given", errors)
    return NewPaper(Path(shown), topics, tags, write_new(path, text, config))


def looks_like_arxiv_url(value: str) -> str:
    """Accept an arXiv URL for --arxiv: https://arxiv.org/abs/2310.10000v2 -> 2310.10000v2."""
    match = re.match(r"https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?$", value)
    return match.group(1) if match else value
