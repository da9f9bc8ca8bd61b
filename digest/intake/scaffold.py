"""`digest new`: write a new paper file from a title and an abstract.

A contributor pastes a title and an abstract; this writes
``content/papers/<slug>.md`` with the front matter filled in (topics and tags
suggested by the auto-tagger, for the contributor to edit), after checking the
result with the same schema as `digest check`, so a new file starts valid.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from digest.config import SiteConfig
from digest.content.load import PAPERS_DIR, load_content
from digest.content.reader import parse_paper
from digest.content.schema import paper_from_front_matter
from digest.content.yamlvalue import yaml_value
from digest.enrich.tagger import suggest_tags, suggest_topics
from digest.errors import DigestError
from digest.model import Problem
from digest.text.cleanup import clean_abstract, clean_title
from digest.text.slugs import paper_slug

# Always quoted, so that editing "2310.10000v2" down to 2310.10000 cannot turn it into
# the number 2310.1.
QUOTED = ("arxiv", "doi")


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


def paper_text(fields: dict[str, object], abstract: str) -> str:
    """The file's text: front matter in PAPER_FIELDS order, a blank line, the abstract."""
    lines = ["---"]
    for key, value in fields.items():
        if value in (None, (), []):
            continue
        if isinstance(value, tuple):
            value = list(value)
        if isinstance(value, dt.date):
            lines.append(f"{key}: {value.isoformat()}")
        elif key in QUOTED:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {yaml_value(value)}")
    return "\n".join([*lines, "---", "", abstract, ""])


def new_paper(config: SiteConfig, title: str, abstract: str, *, date: dt.date,
              arxiv: str | None = None, doi: str | None = None,
              authors: Sequence[str] = (), links: Sequence[str] = (),
              venue: str | None = None, added_by: str | None = None) -> NewPaper:
    """Write content/papers/<slug>.md; refuse if it would not pass `digest check`."""
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
    _validate(config, path, shown, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as f:  # never overwrite
        f.write(text)
    content = load_content(config, [path])
    if content.errors:  # a duplicate of another file: keep nothing half-done
        path.unlink()
        raise DigestError(f"{shown} was not written", content.errors)
    return NewPaper(Path(shown), topics, tags, [p for p in content.problems if p.path == shown])


def _validate(config: SiteConfig, path: Path, shown: str, text: str) -> None:
    """Check the text with the reader and the schema before anything is written."""
    parsed, problems = parse_paper(text.encode("utf-8"), path, shown)
    if parsed is not None and not problems:
        _, problems = paper_from_front_matter(parsed.front, parsed.body, slug=path.stem,
                                              path=shown, topics=config.topic_slugs)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise DigestError(f"{shown} was not written: fix the values given", errors)


def looks_like_arxiv_url(value: str) -> str:
    """Accept an arXiv URL for --arxiv: https://arxiv.org/abs/2310.10000v2 -> 2310.10000v2."""
    match = re.match(r"https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?$", value)
    return match.group(1) if match else value
