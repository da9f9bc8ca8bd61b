"""The one writer every source feeds: drafts in, checked paper files in content/papers/.

Whatever a paper came from (an arXiv id, the Hugging Face list, a .bib file, a copied
page), the same rules decide what reaches content/: topics and tags are suggested
when the source gave none; a paper already in content/ or earlier in the same run
(same arXiv id without version or DOI; or the same normalized title, unless different
arXiv ids or DOIs make them different papers) is not written twice; each
file passes the reader and schema of `digest check` before it is written; a file
whose text would not change is left alone, and a file that differs (a person edited
it) is kept unless ``force``. Nothing is written until every draft is planned, each
write is atomic, and a file that cannot be written undoes the run's earlier writes,
so a failed run leaves content/ as it was.

content/ is read once into an index (of each file's title, arXiv id and DOI), so
planning is linear in the number of drafts. A large run prepares its drafts (tags,
file text, check) on every core while the index is read (digest/util/processes.py).

The other commands that change content/ go through here too: `digest new` hands a
new file to :func:`write_new`, `digest enrich` its edited files to :func:`write_files`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Generic, TypeVar

from digest.config import SiteConfig
from digest.content.load import PAPERS_DIR, load_content, told_apart
from digest.content.reader import front_scalars, parse_paper
from digest.content.schema import PAPER_FIELD_NAMES, link_problem, paper_from_front_matter
from digest.content.yamlvalue import yaml_value
from digest.enrich.tagger import suggest_tags, suggest_topics
from digest.errors import DigestError
from digest.model import Paper, Problem
from digest.sources.arxiv import base_id
from digest.sources.base import Batch, Draft
from digest.text.slugs import free_slug, paper_slug
from digest.text.titles import normalize_title
from digest.util import processes
from digest.util.files import write_atomic

EDITED = ("differs from this entry (edited by a person, or imported from another "
          "source); --force replaces it")
_KEY_FIELDS = frozenset({"title", "arxiv", "doi"})  # what tells two papers apart
# Always quoted, so that editing "2310.10000v2" down to 2310.10000 cannot turn it into
# the number 2310.1.
QUOTED = ("arxiv", "doi", "volume", "number", "pages", "cite_key")


@dataclass
class WriteReport:
    """What a run did (or, with ``dry_run``, would do), for the person who ran it."""

    dry_run: bool = False
    read: int = 0
    written: list[Path] = field(default_factory=list)  # relative to the project root
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how dates were chosen

    @property
    def summary(self) -> str:
        return (f"{self.read} read, {len(self.written)} written, {len(self.unchanged)} "
                f"unchanged, {len(self.skipped)} skipped")


Keys = list[tuple[str, str, str]]
T = TypeVar("T")


def paper_keys(paper: Paper) -> Keys:
    """(kind, key, shown) for each identity of a paper, most specific first."""
    keys = []
    if paper.arxiv:
        arxiv = base_id(paper.arxiv)
        keys.append(("arxiv", arxiv, f"same arXiv id {arxiv}"))
    if paper.doi:
        keys.append(("doi", paper.doi.casefold(), f"same DOI {paper.doi}"))
    title = normalize_title(paper.title)
    if title:
        keys.append(("title", title, "same title"))
    return keys


class Identities(Generic[T]):
    """Papers met so far, by identity, each with a value (its file, or where it came from).

    The same arXiv id (any version) or DOI is the same paper. The same title is too,
    unless different arXiv ids or DOIs tell the two apart: two comments called
    "Discussion of ..." by different authors are different papers.
    """

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], T] = {}
        self.titles: dict[str, list[tuple[dict[str, str], T]]] = defaultdict(list)

    def add(self, keys: Keys, value: T) -> None:
        ids = _ids(keys)
        for kind, key, _ in keys:
            if kind == "title":
                self.titles[key].append((ids, value))
            else:
                self.ids.setdefault((kind, key), value)

    def find(self, keys: Keys) -> tuple[T, str] | None:
        """The value of the paper with these paper_keys, and why it is the same paper."""
        ids = _ids(keys)
        for kind, key, shown in keys:
            if kind != "title":
                if (kind, key) in self.ids:
                    return self.ids[(kind, key)], shown
                continue
            for other, value in self.titles.get(key, ()):
                if not told_apart(ids, other):
                    return value, shown
        return None

    def same_title(self, keys: Keys) -> list[T]:
        """Every paper with the title of these paper_keys that no id tells apart from it:
        more than one, and the title alone cannot say which it is."""
        ids = _ids(keys)
        return [value for kind, key, _ in keys if kind == "title"
                for other, value in self.titles.get(key, ()) if not told_apart(ids, other)]


def _ids(keys: Keys) -> dict[str, str]:
    return {kind: key for kind, key, _ in keys if kind != "title"}


@dataclass
class ContentIndex:
    """content/papers/ read once: each paper's identities -> its file, and taken names."""

    papers_dir: Path
    papers: Identities[Path] = field(default_factory=Identities)
    taken: set[str] = field(default_factory=set)

    @property
    def files(self) -> dict[tuple[str, str], Path]:
        """The file of each arXiv id and DOI in content/."""
        return self.papers.ids

    @classmethod
    def load(cls, papers_dir: Path) -> ContentIndex:
        index = cls(papers_dir)
        for path in sorted(papers_dir.glob("*.md")):
            index.taken.add(path.stem)
            try:
                found = front_scalars(path.read_bytes(), path.name, _KEY_FIELDS)
            except OSError:
                continue
            if found is None:  # an unreadable file keeps its name; `digest check` reports it
                continue
            values = {name: raw for name, raw in found.items() if raw}
            if "title" not in values:
                continue
            paper = Paper(slug=path.stem, title=values["title"], date=dt.date.min,
                          abstract="", arxiv=values.get("arxiv"), doi=values.get("doi"))
            index.papers.add(paper_keys(paper), path)
        return index

    def find(self, paper: Paper, keys: Keys | None = None) -> tuple[Path, str] | None:
        """The file already holding this paper (whose paper_keys may be given), and why
        it is the same paper."""
        return self.papers.find(paper_keys(paper) if keys is None else keys)


@dataclass
class _Plan:
    path: Path
    text: str
    origin: str
    match: str | None  # why an existing file holds this paper, if one does


def _fields(paper: Paper, links: list[str], topics: tuple[str, ...],
            tags: tuple[str, ...]) -> dict[str, object]:
    values: dict[str, object] = {
        "title": paper.title, "date": paper.date, "authors": list(paper.authors),
        "arxiv": paper.arxiv, "doi": paper.doi, "links": links, "topics": list(topics),
        "tags": list(tags), "venue": paper.venue, "published": paper.published,
        "categories": list(paper.categories), "upvotes": paper.upvotes,
        "added_by": paper.added_by, "source": paper.source,
    }
    return {name: values[name] if name in values else getattr(paper, name)
            for name in PAPER_FIELD_NAMES}


def paper_text(fields: dict[str, object], abstract: str) -> str:
    """A paper file's text: front matter in the order given (PAPER_FIELDS order), a blank
    line, the abstract. Empty values are left out."""
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


def render(draft: Draft, config: SiteConfig) -> tuple[str, list[str]]:
    """The file text of a draft, and a warning for each link it had to drop."""
    paper = draft.paper
    links: list[str] = []
    warnings: list[str] = []
    for link in paper.links:
        problem = link_problem(link.url)
        if problem:
            warnings.append(f"{draft.origin}: links: {problem}; dropped it, the rest of the "
                            "paper is kept")
        elif link.url not in links:
            links.append(link.url)
    topics = paper.topics or suggest_topics(paper.title, paper.abstract, config.topics)
    tags = paper.tags or suggest_tags(paper.title, paper.abstract)
    return paper_text(_fields(paper, links, topics, tags), paper.abstract.strip()), warnings


def check_text(text: str, path: Path, shown: str, config: SiteConfig,
               today: dt.date | None = None) -> list[Problem]:
    """The errors `digest check` would report for this file text."""
    parsed, problems = parse_paper(text.encode("utf-8"), path, shown)
    if parsed is not None and not any(p.is_error for p in problems):
        _, problems = paper_from_front_matter(parsed.front, parsed.body, slug=path.stem,
                                              path=shown, topics=config.topic_slugs,
                                              today=today, fields=config.site.fields)
    return [p for p in problems if p.is_error]


def prepare(draft: Draft, config: SiteConfig, today: dt.date | None = None
            ) -> tuple[str, list[str], list[Problem], str]:
    """A draft's file text, its warnings, the errors `digest check` would report, and
    the slug its title gives (before any -2 that keeps it apart from taken ones).

    None of it depends on the file's name (check_text's path only names the paper), so
    drafts are prepared before the writer gives them files, and in other processes.
    """
    text, warnings = render(draft, config)
    return (text, warnings, check_text(text, Path("draft.md"), draft.origin, config, today),
            paper_slug(draft.paper.title))


def write_papers(batches: Iterable[Batch], config: SiteConfig, *, force: bool = False,
                 dry_run: bool = False, today: dt.date | None = None) -> WriteReport:
    """Plan every draft of every batch, then write the files that are new or changed."""
    report = WriteReport(dry_run=dry_run)
    papers_dir = config.root / PAPERS_DIR
    batches = list(batches)  # every source is read before anything else is done
    drafts = [draft for batch in batches for draft in batch.drafts]
    keys_of = [paper_keys(draft.paper) for draft in drafts]
    # The first draft of each paper, prepared ahead (on every core when there are many);
    # a later one is prepared only if the earlier did not make it.
    met: Identities[int] = Identities()
    first = []
    for at, keys in enumerate(keys_of):
        if met.find(keys) is None:
            first.append(at)
        met.add(keys, at)
    prep = partial(prepare, config=config, today=today)
    firsts = [drafts[at] for at in first]
    shared = processes.SharedMap(prep, firsts, processes.enabled(len(firsts)))
    try:
        index = ContentIndex.load(papers_dir)  # meanwhile
        ready = dict(zip(first, shared.result(), strict=True))
    finally:
        shared.cancel()
    seen: Identities[str] = Identities()  # papers met earlier in this run -> origin
    planned: dict[Path, str] = {}  # file -> origin of the draft that will write it
    plans: list[_Plan] = []
    at = -1
    for batch in batches:
        if batch.date_note and batch.date_note not in report.notes:
            report.notes.append(batch.date_note)
        report.read += len(batch.drafts) + len(batch.skipped)
        report.skipped.extend(batch.skipped)
        for draft in batch.drafts:
            at += 1
            paper, keys = draft.paper, keys_of[at]
            earlier = seen.find(keys)
            if earlier is not None:
                report.skipped.append((draft.origin, f"the same paper as {earlier[0]} in "
                                       f"this run ({earlier[1]})"))
                continue
            text, warnings, errors, base = ready.pop(at) if at in ready else prep(draft)
            found = index.find(paper, keys)
            if found is not None and found[1] == "same title" and len(
                    holders := index.papers.same_title(keys)) > 1:
                report.skipped.append((draft.origin, "has the same title as " + " and ".join(
                    str(_shown(p, config)) for p in holders) + ", which their arXiv ids or "
                    "DOIs tell apart; give this entry its arXiv id or DOI to say which"))
                continue
            if found is not None:
                path, match = found
            else:
                path, match = papers_dir / f"{free_slug(base, index.taken)}.md", None
            if path in planned:
                report.skipped.append((draft.origin, f"the same paper as {planned[path]} in "
                                       f"this run (both match {_shown(path, config)})"))
                continue
            if errors:
                report.skipped.append((draft.origin, "; ".join(
                    f"{p.field}: {p.message}" for p in errors)))
                continue
            report.warnings.extend(warnings)
            seen.add(keys, draft.origin)
            if match is None:
                index.taken.add(path.stem)
            planned[path] = draft.origin
            plans.append(_Plan(path, text, draft.origin, match))

    writes: list[FileWrite] = []
    for plan in plans:
        shown = _shown(plan.path, config)
        old: bytes | None = None
        replaces = plan.match is not None and plan.path.exists()
        if replaces:
            old = _read_bytes(plan.path)
            if _text(old) == plan.text:
                report.unchanged.append(shown)
                continue
            if not force:
                report.skipped.append((plan.origin, f"already in {shown} ({plan.match}), "
                                       f"which {EDITED}"))
                continue
        writes.append(FileWrite(plan.path, plan.text, replaces, old))
        report.written.append(shown)
    if not dry_run:
        write_files(writes, config)
    return report


@dataclass(frozen=True)
class FileWrite:
    """One file a run writes: its new content, and what to put back if the run fails."""

    path: Path
    data: str | bytes  # text (written with "\n" line ends) or bytes exactly as they are
    replaces: bool  # a file is there
    old: bytes | None  # its bytes (None: unreadable), to put back if the run fails


def write_files(writes: list[FileWrite], config: SiteConfig) -> None:
    """Write every file, or none: when one cannot be written, the files written by then
    are put back as they were, and the error names the file that failed.

    One at a time: creating files in one folder takes the folder's lock in the kernel,
    so threads would only add system time."""
    done: list[FileWrite] = []
    for item in writes:
        try:
            write_atomic(item.path, item.data)
        except OSError as error:
            shown = str(_shown(item.path, config))
            stuck = [str(_shown(w.path, config)) for w in done if not _put_back(w)]
            outcome = (f"could not put back {', '.join(stuck)}; the other files of this run "
                       "were put back as they were" if stuck else
                       "nothing was written (content/ is as it was)")
            raise DigestError(f"{shown}: cannot write this file: "
                              f"{error.strerror or error}", [Problem(
                                  shown, None, "file", f"{outcome}: make room on the disk or "
                                  "fix the folder's permissions, then run the command again")]
                              ) from error
        done.append(item)


def _put_back(item: FileWrite) -> bool:
    """Undo one write of a failed run: remove a new file, restore a replaced one."""
    try:
        if not item.replaces:
            item.path.unlink(missing_ok=True)
        elif item.old is None:
            return False
        else:
            write_atomic(item.path, item.old)
    except OSError:
        return False
    return True


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _text(data: bytes | None) -> str | None:
    """A file's text as the writer compares it: read with universal newlines (a BOM and
    CRLF or CR line endings do not count)."""
    try:
        return None if data is None else (data.decode("utf-8-sig").replace("\r\n", "\n")
                                           .replace("\r", "\n"))
    except UnicodeDecodeError:
        return None


def _shown(path: Path, config: SiteConfig) -> Path:
    return path.relative_to(config.root)


def write_new(path: Path, text: str, config: SiteConfig) -> list[Problem]:
    """Create the paper file ``path`` (never over another file), then check it against
    every other paper as `digest check` would: on an error (a duplicate of another
    file) it is removed again and the errors raised; else its warnings are returned."""
    shown = _shown(path, config).as_posix()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as f:  # never overwrite
        f.write(text)
    content = load_content(config, [path])
    if content.errors:  # keep nothing half-done
        path.unlink()
        raise DigestError(f"{shown} was not written", content.errors)
    return [p for p in content.problems if p.path == shown]
