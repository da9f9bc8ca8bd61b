"""Load every paper in content/ and check the rules that span files."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from digest.config import SiteConfig
from digest.content.reader import read_paper_file
from digest.content.schema import is_slug, paper_from_front_matter
from digest.enrich.tagger import suggest_topics
from digest.model import Paper, Problem
from digest.text.slugs import paper_slug, slugify
from digest.text.titles import normalize_title
from digest.util import processes
from digest.util.files import walk

PAPERS_DIR = Path("content") / "papers"


@dataclass
class Content:
    """The papers that passed validation, and every problem found on the way."""

    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0  # files read and reported on: `digest check` counts them, not only papers

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def _files(root: Path, paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Every file to look at, and whether it was named explicitly.

    Files in a folder that do not end in .md are returned too, so that a paper saved
    as .markdown or .txt is reported rather than silently left out of the site.
    """
    found: dict[Path, bool] = {}
    for path in list(paths) or [root / PAPERS_DIR]:
        if path.is_dir() and not path.is_symlink():
            for file in walk(path, skip=lambda name: name.startswith(".")):
                found.setdefault(file, False)  # a linked folder too, to be reported
        else:
            found[path] = True
    return sorted(found.items(), key=lambda item: item[0].parts)  # as Path sorts, faster


def _read_one(path: Path, shown: str, config: SiteConfig, today: dt.date | None,
              ) -> tuple[Paper | None, list[Problem]]:
    """One file through the reader and the schema."""
    if path.is_symlink():
        return None, [Problem(shown, None, "file", "is a symbolic link; a paper must be a "
                              "regular file in content/papers/")]
    if not path.exists():
        return None, [Problem(shown, None, "file", "does not exist")]
    slug = path.stem
    if not is_slug(slug):
        return None, [Problem(shown, None, "file name", f"{path.name!r} must be lowercase "
                              f"words joined by hyphens, e.g. {slugify(slug)}.md")]
    parsed, problems = read_paper_file(path, shown)
    if parsed is None or (parsed.front is None and problems):
        return None, problems
    # Check the fields even when the YAML had problems, so one run reports them all;
    # a field the YAML step already reported is not reported twice.
    paper, more = paper_from_front_matter(
        parsed.front, parsed.body, slug=slug, path=shown, topics=config.topic_slugs,
        auto_topics=lambda title, abstract: suggest_topics(title, abstract, config.topics),
        today=today, fields=config.site.fields)
    told = {(p.line, p.field) for p in problems}
    problems += [p for p in more if (p.line, p.field) not in told]
    if paper is None or any(p.is_error for p in problems):
        return None, problems
    expected = paper_slug(paper.title)
    if slug != expected and not re.fullmatch(re.escape(expected) + r"-\d+", slug):
        line = parsed.front.key_lines.get("title") if parsed.front else None
        problems.append(Problem(
            shown, line, "file name", f"does not match the title; rename the file to "
            f"{expected}.md (the file name is the page's address)", severity="warning"))
    return replace(paper, path=Path(shown)), problems


class ReadCache:
    """Papers read before, by file: `digest serve` re-reads only the files that changed.

    A file is read again when its modification time, size or inode differ, or when
    the topics' slugs or keywords did.
    """

    def __init__(self) -> None:
        self.entries: dict[Path, tuple[tuple[object, ...], Paper | None, list[Problem]]] = {}
        self.fresh: set[str] = set()  # shown paths read by the last load_content

    def read(self, path: Path, shown: str, config: SiteConfig, today: dt.date | None,
             ) -> tuple[Paper | None, list[Problem]]:
        try:
            st = path.lstat()
        except OSError:
            return _read_one(path, shown, config, today)
        # Validation reads the topics' slugs and keywords (the tagger), not their titles.
        topics = tuple((t.slug, t.keywords) for t in config.topics)
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino, topics, config.site.fields, today)
        hit = self.entries.get(path)
        if hit is None or hit[0] != stamp:
            self.fresh.add(shown)
            hit = self.entries[path] = (stamp, *_read_one(path, shown, config, today))
        return hit[1], list(hit[2])


def load_content(config: SiteConfig, paths: Iterable[Path] = (), *,
                 today: dt.date | None = None, cache: ReadCache | None = None,
                 across: bool = True) -> Content:
    """Read and validate papers, and check the rules that span files.

    With ``paths``, only those files (or folders) are reported on, but duplicates and
    near-duplicates are still looked for across all of content/papers. A ``cache``
    keeps what files held between calls; ``across=False`` leaves out the checks
    across files (check_across runs them), for a preview that shows pages first.
    """
    root = config.root
    selected = _files(root, paths)
    everything = selected
    if paths:
        everything = sorted(dict(_files(root, []) + selected).items())
    chosen = {p for p, _ in selected}
    result = Content(files=len(selected))
    papers: list[Paper] = []
    read = cache.read if cache is not None else _read_one
    if cache is not None:
        cache.fresh = set()
        cache.entries = {p: cache.entries[p] for p, _ in everything if p in cache.entries}
    prefix = str(root).rstrip(os.sep) + os.sep
    files = []
    for path, named in everything:
        shown = str(path)  # relative to the root when under it (cheaper than relative_to)
        files.append((path, shown[len(prefix):] if shown.startswith(prefix) else shown,
                      path.suffix != ".md" and not named and not path.is_symlink()))

    def look(file: tuple[Path, str, bool]) -> tuple[Paper | None, list[Problem]] | None:
        path, shown, other = file
        return None if other else read(path, shown, config, today)

    # Files are read on every core (digest.util.processes), except into a cache: its
    # entries must be made in this process.
    found = processes.shared_map(look, files, cache is None and processes.enabled(len(files)))
    for (path, shown, _), looked in zip(files, found, strict=True):
        if looked is None:
            if path not in chosen:  # only the files asked about are reported on
                continue
            result.problems.append(Problem(shown, None, "file name", "is not a paper file: "
                                           "paper files end in .md; rename it or remove it"))
            continue
        paper, problems = looked
        if path in chosen:
            result.problems.extend(problems)
        if paper is not None:
            papers.append(paper)
            if path in chosen:
                result.papers.append(paper)
    shown_chosen = {str(p.path) for p in result.papers}
    if across:
        result.problems.extend(p for p in check_across(papers) if p.path in shown_chosen)
    result.papers.sort(key=lambda p: (-p.date.toordinal(), p.slug))
    result.problems.sort()
    return result


def paper_ids(paper: Paper) -> dict[str, str]:
    """What tells a paper apart from another of the same title: its arXiv id without
    version and its DOI (in lower case), whichever it has."""
    ids = {}
    if paper.arxiv:
        ids["arxiv"] = _VERSION.sub("", paper.arxiv)
    if paper.doi:
        ids["doi"] = paper.doi.casefold()
    return ids


def told_apart(a: dict[str, str], b: dict[str, str]) -> bool:
    """Whether two papers' ids (paper_ids) make them different papers, whatever their
    titles: both have arXiv ids and they differ, or both have DOIs and they differ.

    The same arXiv id or DOI makes them the same paper, so only then do titles count.
    """
    if any(a.get(kind) == b.get(kind) is not None for kind in ("arxiv", "doi")):
        return False
    return any(kind in a and kind in b for kind in ("arxiv", "doi"))


_VERSION = re.compile(r"v\d+$")


def check_across(papers: list[Paper]) -> list[Problem]:
    """Duplicate slugs, arXiv ids and DOIs, and identical titles that no id tells apart
    (errors); near-duplicate titles that no id tells apart (warnings).

    Each file of a duplicate pair gets its own report, naming the other file, so the
    report is the same whichever of the two files a contributor checks.
    """
    problems: list[Problem] = []
    by_slug: dict[str, list[Paper]] = defaultdict(list)
    by_id: dict[tuple[str, str], list[Paper]] = defaultdict(list)
    by_title: dict[str, list[Paper]] = defaultdict(list)
    ids: dict[str, dict[str, str]] = {}
    for paper in sorted(papers, key=_shown):
        by_slug[paper.slug].append(paper)
        ids[_shown(paper)] = paper_ids(paper)
        for kind, value in ids[_shown(paper)].items():
            by_id[(kind, value)].append(paper)
        by_title[normalize_title(paper.title)].append(paper)

    def each_other(group: list[Paper]) -> Iterable[tuple[Paper, Paper]]:
        for paper in group:
            yield paper, next(other for other in group if other is not paper)

    for slug, group in by_slug.items():
        for paper, other in each_other(group) if len(group) > 1 else ():
            problems.append(Problem(_shown(paper), None, "file name",
                                    f"duplicate slug {slug!r}: {_shown(other)} has the same "
                                    "file name; rename one of them"))
    reported: set[tuple[str, str]] = set()  # (file, other): one report per pair
    for (kind, value), group in sorted(by_id.items()):  # arXiv ids first, then DOIs
        for paper, other in each_other(group) if len(group) > 1 else ():
            if (_shown(paper), _shown(other)) in reported:
                continue
            reported.add((_shown(paper), _shown(other)))
            shown = f"arXiv id {value}" if kind == "arxiv" else f"DOI {paper.doi}"
            problems.append(Problem(_shown(paper), None, kind,
                                    f"{shown} is also in {_shown(other)}; "
                                    "a paper appears once: remove the duplicate"))

    def apart(a: Paper, b: Paper) -> bool:
        """Whether a title match between two papers says nothing: their ids tell them
        apart, or they share one (reported above as a duplicate id)."""
        one, two = ids[_shown(a)], ids[_shown(b)]
        return told_apart(one, two) or any(one.get(k) == two.get(k) is not None
                                           for k in ("arxiv", "doi"))

    same_title: set[frozenset[str]] = set()
    for title, group in by_title.items():
        for paper in group if title and len(group) > 1 else ():
            other = next((o for o in group if o is not paper and not apart(paper, o)), None)
            if other is None:
                continue
            same_title.add(frozenset((_shown(paper), _shown(other))))
            problems.append(Problem(
                _shown(paper), None, "title",
                f"the same title as {_shown(other)}, and no arXiv id or DOI tells them "
                "apart: if they are different papers, give each its arxiv or doi; if not, "
                "remove one"))
    for paper, other in near_duplicate_titles(papers, skip=apart):
        if frozenset((_shown(paper), _shown(other))) in same_title:
            continue
        problems.append(Problem(_shown(paper), None, "title",
                                f"nearly the same title as {_shown(other)} "
                                f"({other.title!r}); is this the same paper?",
                                severity="warning"))
    return problems


def _shown(paper: Paper) -> str:
    """The path users see: relative to the project root."""
    return str(paper.path)


# --- near-duplicate titles -------------------------------------------------------------
#
# Comparing every pair of titles is quadratic: 200 million pairs for 20,000 papers. Each
# title instead gets a few keys, and two titles are candidates when they share a key:
#   j: the words run together, so case, punctuation and spacing do not count
#      ("Pre-Training" and "Pretraining");
#   s: the set of words, so word order does not count;
#   d: the words with one of them left out, plus all of them, so one word added,
#      removed or changed shows up as a shared key (for titles of 4+ words);
#   p: the first six words, for "X" and "X (Extended Version)".
# A candidate that differs by one changed word must be long (MIN_WORDS_CHANGED) or
# the two words must be spelling variants ("Model"/"Models", "Modeling"/"Modelling",
# "for"/"of"), so "Deep Learning for Graphs" and "... for Images" stay apart.
MIN_WORDS_DELETION = 4
MIN_WORDS_CHANGED = 9
MIN_WORDS_PREFIX = 6
_SMALL_WORDS = frozenset("a an the of for in on to with by via from and or at as".split())
KEY_BUCKET = 8  # titles compared per key: keeps "A Survey of X" keys from going quadratic


_WORDS = re.compile(r"[^\W_]+")


def title_words(title: str) -> tuple[str, ...]:
    """Lowercase words of a title, accents removed ("Émergence" -> "emergence")."""
    text = title.casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    return tuple(_WORDS.findall(text))


def _keys(words: tuple[str, ...]) -> Iterable[str]:
    yield "j:" + "".join(words)
    distinct = sorted(set(words))
    if len(distinct) >= 3:
        yield "s:" + " ".join(distinct)
    if len(words) >= MIN_WORDS_DELETION - 1:
        yield "d:" + " ".join(words)
    if len(words) >= MIN_WORDS_DELETION:
        for i in range(len(words)):
            yield "d:" + " ".join(words[:i] + words[i + 1:])
    if len(words) >= MIN_WORDS_PREFIX:
        yield "p:" + " ".join(words[:MIN_WORDS_PREFIX])


def _spelling_variants(a: str, b: str) -> bool:
    if a in _SMALL_WORDS and b in _SMALL_WORDS:
        return True
    if a.startswith(b) or b.startswith(a):
        return abs(len(a) - len(b)) <= 3
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _close(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two titles that share a key really are near-duplicates."""
    if "".join(a) == "".join(b) or sorted(set(a)) == sorted(set(b)):
        return True
    shorter, longer = sorted((a, b), key=len)
    if (len(shorter) >= MIN_WORDS_PREFIX and len(longer) - len(shorter) <= 3
            and longer[:len(shorter)] == shorter):
        return True  # "X" and "X (Extended Version)"
    if len(longer) - len(shorter) == 1:  # one word added, to a title of 3+ words
        return len(shorter) >= MIN_WORDS_DELETION - 1 and any(
            longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))
    if len(a) != len(b):
        return False
    changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(changed) != 1:
        return False  # same words minus one, in another order: not a single change
    return len(a) >= MIN_WORDS_CHANGED or _spelling_variants(*changed[0])


def near_duplicate_titles(papers: Iterable[Paper],
                          skip: Callable[[Paper, Paper], bool] | None = None,
                          ) -> list[tuple[Paper, Paper]]:
    """(paper, the first other paper with a near-identical title), both ways round;
    a pair ``skip`` says is no question (other ids) is passed over.

    Linear in the number of papers: each paper is compared with at most KEY_BUCKET
    earlier papers per key.
    """
    seen: dict[str, list[int]] = {}
    ordered = sorted(papers, key=_shown)
    words = [title_words(p.title) for p in ordered]
    pairs: dict[int, int] = {}
    for i, title in enumerate(words):
        for key in dict.fromkeys(_keys(title)):  # a repeated word repeats keys
            earlier = seen.setdefault(key, [])
            if i not in pairs:
                j = next((j for j in earlier if _close(words[j], title) and not (
                    skip and skip(ordered[j], ordered[i]))), None)
                if j is not None:
                    pairs[i] = j
                    pairs.setdefault(j, i)
            if len(earlier) < KEY_BUCKET:
                earlier.append(i)
    return [(ordered[i], ordered[j]) for i, j in sorted(pairs.items())]
