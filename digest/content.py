"""Load every paper in content/ and check the rules that span files."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from digest.config import SiteConfig
from digest.model import Paper, Problem
from digest.readers.markdown import read_paper_file
from digest.schema import is_slug, paper_from_front_matter
from digest.slugs import slugify
from digest.tagger import suggest_topics

PAPERS_DIR = Path("content") / "papers"


@dataclass
class Content:
    """The papers that passed validation, and every problem found on the way."""

    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def paper_files(root: Path, paths: Iterable[Path] = ()) -> list[Path]:
    """The Markdown files under content/papers (or the given files and folders), sorted."""
    found: set[Path] = set()
    for path in list(paths) or [root / PAPERS_DIR]:
        if path.is_dir():
            found.update(p for p in path.rglob("*.md") if p.is_file())
        else:
            found.add(path)
    return sorted(found)


def _title_key(title: str) -> str:
    return " ".join(sorted(set(re.findall(r"[a-z0-9]+", title.lower()))))


def load_content(config: SiteConfig, paths: Iterable[Path] = ()) -> Content:
    """Read and validate papers; cross-file checks run over everything read."""
    root = config.root
    result = Content()

    def auto_topics(title: str, abstract: str) -> tuple[str, ...]:
        return suggest_topics(title, abstract, config.topics)

    for path in paper_files(root, paths):
        shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        if not path.exists():
            result.problems.append(Problem(shown, None, "file", "does not exist"))
            continue
        slug = path.stem
        if not is_slug(slug):
            result.problems.append(Problem(shown, None, "file name", f"{path.name!r} must be "
                                           f"lowercase words joined by hyphens, e.g. "
                                           f"{slugify(slug)}.md"))
            continue
        parsed, problems = read_paper_file(path, shown)
        result.problems.extend(problems)
        if parsed is None or any(p.is_error for p in problems):
            continue
        paper, problems = paper_from_front_matter(
            parsed.front, parsed.body, slug=slug, path=shown, topics=config.topic_slugs,
            auto_topics=auto_topics)
        result.problems.extend(problems)
        if paper is not None:
            result.papers.append(replace(paper, path=Path(shown)))
            expected = slugify(paper.title)
            if slug != expected and not re.fullmatch(re.escape(expected) + r"-\d+", slug):
                line = parsed.front.key_lines.get("title") if parsed.front else None
                result.problems.append(Problem(
                    shown, line, "file name", f"does not match the title; rename the file to "
                    f"{expected}.md", severity="warning"))
    _check_across(result)
    result.papers.sort(key=lambda p: (-p.date.toordinal(), p.slug))
    result.problems.sort()
    return result


def _check_across(result: Content) -> None:
    by_slug: dict[str, list[Paper]] = defaultdict(list)
    by_arxiv: dict[str, list[Paper]] = defaultdict(list)
    by_title: dict[str, list[Paper]] = defaultdict(list)
    for paper in result.papers:
        by_slug[paper.slug].append(paper)
        if paper.arxiv:
            by_arxiv[re.sub(r"v\d+$", "", paper.arxiv)].append(paper)
        by_title[_title_key(paper.title)].append(paper)

    for slug, papers in by_slug.items():
        for other in papers[1:]:
            result.problems.append(Problem(_shown(other), None, "file name",
                                   f"duplicate slug {slug!r}: {_shown(papers[0])} has the "
                                   "same file name; rename one of them"))
    for arxiv, papers in by_arxiv.items():
        for other in papers[1:]:
            result.problems.append(Problem(_shown(other), None, "arxiv",
                                   f"arXiv id {arxiv} is also in {_shown(papers[0])}; "
                                   "a paper appears once: remove the duplicate"))
    for papers in by_title.values():
        for other in papers[1:]:
            result.problems.append(Problem(_shown(other), None, "title",
                                   f"nearly the same title as {_shown(papers[0])}; "
                                   "is this the same paper?", severity="warning"))


def _shown(paper: Paper) -> str:
    """The path users see: relative to the project root."""
    return str(paper.path)
