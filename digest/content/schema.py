"""The one schema of a paper's front matter, and the checks that apply it.

CONTRIBUTING.md documents these fields; ``digest check`` and ``digest build``
both validate through :func:`paper_from_front_matter`, so the rules live here
only.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from digest.content.yamlstrict import Scalar, YamlMap
from digest.model import Link, Paper, Problem

ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
ARXIV_OLD = re.compile(r"^[a-z][a-z.-]*(\.[A-Z]{2})?/\d{7}(v\d+)?$")
# cs.LG, hep-th, astro-ph.GA, cond-mat.mes-hall, physics.comp-ph
CATEGORY = re.compile(r"^[a-z]+(-[a-z]+)?(\.[A-Za-z]+(-[a-z]+)?)?$")
DOI = re.compile(r"^10\.\d{4,9}/[^\s\"<>\\`]+$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HANDLE = re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$")
# Characters that never belong in a link as written: percent-encode them instead.
URL_UNSAFE = re.compile(r"[\s\"<>\\`]")
EARLIEST_YEAR = 1990
# A date may be at most this far ahead of today (UTC): an edition dated "tomorrow" in a
# time zone ahead of UTC is real, a date further out is a typo. Checked against the
# clock, but the build output never depends on it, and a date only gets less "future".
FUTURE_SLACK = dt.timedelta(days=1)
MAX_TITLE = 300
# Real abstracts are under 2,000 characters. The limits keep a hostile file from making
# the build slow: Markdown's link parser takes seconds on thousands of '['.
MAX_ABSTRACT = 10_000
MAX_BRACKETS = 200
# BibTeX's entry types (the standard styles' and biblatex's common ones).
ENTRY_TYPES = ("article", "book", "booklet", "inbook", "incollection", "inproceedings",
               "conference", "manual", "mastersthesis", "misc", "online", "phdthesis",
               "proceedings", "techreport", "thesis", "unpublished")
# A citation key LaTeX's \cite takes as it is: no spaces, braces, commas, quotes or %#~\.
CITE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:./+@-]{0,99}$")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
EARLIEST_CITED_YEAR = 1600


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool
    help: str


PAPER_FIELDS: tuple[Field, ...] = (
    Field("title", "title", True, "The paper's title, as plain text."),
    Field("date", "date", True, "Edition date, YYYY-MM-DD: the day the paper entered the digest."),
    Field("authors", "text_list", False, "List of author names."),
    Field("arxiv", "arxiv", False, 'arXiv id as a quoted string: "2310.10000", '
          '"2310.10000v2" or "hep-th/9901001".'),
    Field("doi", "doi", False, 'DOI such as "10.1000/xyz123".'),
    Field("links", "url_list", False, "List of http(s) links: code, project page, data."),
    Field("topics", "topic_list", False, "Topic slugs from site_config/topics.yml; "
          "leave out to let the auto-tagger choose."),
    Field("tags", "text_list", False, "A few free-form key phrases."),
    Field("venue", "text", False, "Where the paper appeared, e.g. NeurIPS 2024."),
    Field("published", "date", False, "Date of the paper's first version on arXiv, "
          "YYYY-MM-DD."),
    Field("year", "year", False, "Publication year of the version cited, e.g. 2021, when "
          "it differs from published or no full date is known; exports cite this year."),
    Field("month", "month", False, "Publication month (1-12 or jan..dec), with year."),
    Field("entry_type", "entry_type", False, "BibTeX entry type: article, inproceedings, "
          "misc, book, incollection, phdthesis, techreport, ..."),
    Field("cite_key", "cite_key", False, "BibTeX citation key to keep, e.g. "
          "jumper2021highly; a key another paper has gets a suffix."),
    Field("journal", "text", False, "Journal of an article, e.g. Nature."),
    Field("booktitle", "text", False, "Proceedings of a conference paper, e.g. Advances "
          "in Neural Information Processing Systems."),
    Field("volume", "bib_text", False, "Volume, e.g. 596."),
    Field("number", "bib_text", False, "Issue number, e.g. 7873."),
    Field("pages", "pages", False, "Pages, e.g. 583--589 or e1234."),
    Field("publisher", "text", False, "Publisher, e.g. Springer."),
    Field("url", "url", False, "The cited version's own page (a publisher's), when not "
          "arXiv's; exports cite it. Code and project pages go in links."),
    Field("categories", "category_list", False, "arXiv categories, primary first, "
          "e.g. [cs.LG, stat.ML]."),
    Field("upvotes", "count", False, "Upvotes on Hugging Face daily papers: a whole "
          "number, 0 or more."),
    Field("added_by", "handle", False, "Who added the paper: your GitHub handle."),
    Field("source", "text", False, "Where the entry came from, e.g. a digest file."),
)
PAPER_FIELD_NAMES = tuple(f.name for f in PAPER_FIELDS)


def _type_surprise(field: str, node: Scalar) -> str:
    """Explain a scalar YAML converted into something other than text."""
    shown = {True: "true", False: "false", None: "empty (null)"}.get(node.value, repr(node.value))
    if node.kind in ("int", "float"):
        shown = f"the number {node.value!r}"
    elif node.kind == "timestamp":
        shown = f"the date {node.value}"
    if node.kind == "null":
        return "is empty; give it a value or remove the line"
    return (f"YAML reads {node.raw!r} as {shown}, not text; "
            f'put it in quotes: {field}: "{node.raw}"')


def _item_lines(node: Any, line: int) -> dict[str, int]:
    """The line of each text item of a list (or of a lone value), for precise reports."""
    items = node if isinstance(node, list) else [node]
    return {" ".join(str(n.value).split()): n.line for n in reversed(items)
            if isinstance(n, Scalar)}


class _Checker:
    def __init__(self, path: str, topics: Iterable[str], today: dt.date) -> None:
        self.path = path
        self.topics = tuple(topics)
        self.today = today
        self.problems: list[Problem] = []

    def error(self, line: int | None, field: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, line, field, message, severity))

    def text(self, field: str, node: Any, line: int) -> str | None:
        if not isinstance(node, Scalar):
            self.error(line, field, "must be a single line of text, not a list or mapping")
            return None
        if node.kind != "str":
            self.error(node.line, field, _type_surprise(field, node))
            return None
        value = " ".join(str(node.value).split())
        if not value:
            self.error(node.line, field, "is empty; give it a value or remove the line")
            return None
        return value

    def date(self, field: str, node: Any, line: int) -> dt.date | None:
        if not isinstance(node, Scalar):
            self.error(line, field, "must be a date such as 2026-03-11")
            return None
        value = node.value
        if isinstance(value, dt.datetime):
            self.error(node.line, field, f"{node.raw!r} has a time of day; "
                       "write the date only, as YYYY-MM-DD")
            return None
        if isinstance(value, str):
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                self.error(node.line, field, f"{node.raw!r} is not a date; write YYYY-MM-DD, "
                           "e.g. 2026-03-11")
                return None
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                self.error(node.line, field, f"{node.raw!r} is not a real calendar date")
                return None
        if not isinstance(value, dt.date):
            self.error(node.line, field, f"{node.raw!r} is not a date; write YYYY-MM-DD")
            return None
        if value.year < EARLIEST_YEAR:
            self.error(node.line, field, f"{value} is before {EARLIEST_YEAR}; check the year")
            return None
        if value > self.today + FUTURE_SLACK:
            meaning = ("the date is the day the paper entered the digest" if field == "date"
                       else "check the year")
            self.error(node.line, field, f"{value} is in the future (today is {self.today}); "
                       + meaning)
            return None
        return value

    def count(self, field: str, node: Any, line: int) -> int | None:
        if not isinstance(node, Scalar) or node.kind != "int" or isinstance(node.value, bool):
            raw = node.raw if isinstance(node, Scalar) else "a list or mapping"
            self.error(getattr(node, "line", line), field,
                       f"{raw!r} is not a whole number; write it as digits, e.g. {field}: 12")
            return None
        if node.value < 0:
            self.error(node.line, field, f"{node.value} is negative; give 0 or more")
            return None
        return int(node.value)

    def bib_text(self, field: str, node: Any, line: int) -> str | None:
        """A short bibliographic value that YAML may read as a number (volume: 596)."""
        if isinstance(node, Scalar) and node.kind == "int" and not isinstance(node.value, bool):
            return str(node.raw).strip()
        value = self.text(field, node, line)
        if value is not None and len(value) > 40:
            self.error(node.line, field, f"{value!r} is {len(value)} characters long; "
                       "a volume or number is short, e.g. 596")
            return None
        return value

    def pages(self, field: str, node: Any, line: int) -> str | None:
        value = self.bib_text(field, node, line)
        if value is None:
            return None
        value = re.sub(r"\s*(--?|\u2013|\u2014)\s*", "--", value)
        if not re.fullmatch(r"[A-Za-z0-9.:]+(--[A-Za-z0-9.:]+)?(,\s*[A-Za-z0-9.:-]+)*", value):
            self.error(node.line, field, f"{value!r} is not a page range; write it as "
                       "583--589, 583 or e1234")
            return None
        return value

    def year(self, field: str, node: Any, line: int) -> int | None:
        raw = node.raw if isinstance(node, Scalar) else "a list or mapping"
        if isinstance(node, Scalar) and node.kind == "str" and str(node.value).strip().isdigit():
            value: object = int(str(node.value).strip())
        else:
            value = node.value if isinstance(node, Scalar) and node.kind == "int" else None
        if not isinstance(value, int) or isinstance(value, bool):
            self.error(getattr(node, "line", line), field,
                       f"{raw!r} is not a year; write four digits, e.g. {field}: 2021")
            return None
        if not EARLIEST_CITED_YEAR <= value <= self.today.year + 1:
            self.error(node.line, field, f"{value} is not a plausible publication year "
                       f"(today is {self.today}); check it")
            return None
        return value

    def month(self, field: str, node: Any, line: int) -> int | None:
        value = node.value if isinstance(node, Scalar) else None
        if isinstance(value, str) and value.strip()[:3].lower() in MONTHS:
            return MONTHS.index(value.strip()[:3].lower()) + 1
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12:
            return value
        raw = node.raw if isinstance(node, Scalar) else "a list or mapping"
        self.error(getattr(node, "line", line), field,
                   f"{raw!r} is not a month; write 1 to 12 or jan to dec")
        return None

    def entry_type(self, field: str, node: Any, line: int) -> str | None:
        value = self.text(field, node, line)
        if value is None:
            return None
        value = value.lower().lstrip("@")
        if value not in ENTRY_TYPES:
            hint = difflib.get_close_matches(value, ENTRY_TYPES, n=1)
            suggestion = f"did you mean {hint[0]!r}? " if hint else ""
            self.error(node.line, field, f"{value!r} is not a BibTeX entry type; "
                       f"{suggestion}use one of {', '.join(ENTRY_TYPES)}")
            return None
        return value

    def cite_key(self, field: str, node: Any, line: int) -> str | None:
        value = self.text(field, node, line)
        if value is not None and not CITE_KEY.match(value):
            self.error(node.line, field, f"{value!r} is not a citation key LaTeX can cite; "
                       "use letters, digits and _:./+@- only (no spaces, braces or commas), "
                       "e.g. jumper2021highly")
            return None
        return value

    def url(self, field: str, node: Any, line: int) -> str | None:
        value = self.text(field, node, line)
        if value is None:
            return None
        problem = link_problem(value)
        if problem:
            self.error(node.line, field, problem)
            return None
        return value

    def category_list(self, field: str, node: Any, line: int) -> tuple[str, ...] | None:
        values = self.text_list(field, node, line)
        if values is None:
            return None
        lines = _item_lines(node, line)
        for value in values:
            if not CATEGORY.match(value):
                self.error(lines.get(value, line), field,
                           f"{value!r} is not an arXiv category; write it as arXiv does, "
                           "e.g. cs.LG, hep-th or astro-ph.GA")
                return None
        return values

    def markdown(self, field: str, node: Any, line: int) -> str | None:
        """Text of one or more paragraphs (a YAML block, ``notes: |``), kept as written."""
        if not isinstance(node, Scalar):
            self.error(line, field, "must be text (Markdown), not a list or mapping; "
                       f"for paragraphs write `{field}: |` and indent the lines below it")
            return None
        if node.kind != "str":
            self.error(node.line, field, _type_surprise(field, node))
            return None
        value = str(node.value).strip()
        if not value:
            self.error(node.line, field, "is empty; give it a value or remove the line")
        elif len(value) > MAX_ABSTRACT or value.count("[") > MAX_BRACKETS:
            self.error(node.line, field, f"is too long: at most {MAX_ABSTRACT:,} characters "
                       f"and {MAX_BRACKETS} '[' characters")
        else:
            return value
        return None

    def title(self, field: str, node: Any, line: int) -> str | None:
        value = self.text(field, node, line)
        if value is not None and len(value) > MAX_TITLE:
            self.error(node.line, field, f"is {len(value)} characters long; the limit is "
                       f"{MAX_TITLE}: is the abstract in the title?")
            return None
        return value

    def handle(self, field: str, node: Any, line: int) -> str | None:
        value = self.text(field, node, line)
        if value is None:
            return None
        match = HANDLE.match(value)
        if not match or "--" in value or value.endswith("-"):
            self.error(node.line, field, f"{value!r} is not a GitHub handle; write your "
                       "user name, e.g. octocat")
            return None
        return match.group(1)

    def text_list(self, field: str, node: Any, line: int) -> tuple[str, ...] | None:
        items = [node] if isinstance(node, Scalar) and node.kind == "str" else node
        if not isinstance(items, list):
            self.error(line, field, f"must be a list, e.g. {field}: [first, second]")
            return None
        values = [self.text(field, item, getattr(items, "line", line)) for item in items]
        if any(v is None for v in values):
            return None
        seen: list[str] = []
        for v in values:
            if v not in seen:
                seen.append(v)
        return tuple(seen)

    def url_list(self, field: str, node: Any, line: int) -> tuple[Link, ...] | None:
        urls = self.text_list(field, node, line)
        if urls is None:
            return None
        lines = _item_lines(node, line)
        links = []
        for url in urls:
            problem = link_problem(url)
            if problem:
                self.error(lines.get(url, line), field, problem)
                return None
            links.append(Link(url))
        return tuple(links)

    def arxiv(self, field: str, node: Any, line: int) -> str | None:
        if isinstance(node, Scalar) and node.kind in ("int", "float"):
            lost = (f"the number {node.value!r}, losing its trailing zeros"
                    if repr(node.value) != node.raw else "a number, not an arXiv id")
            self.error(node.line, field, f"YAML reads {node.raw} as {lost}; "
                       f'put it in quotes: {field}: "{node.raw}"')
            return None
        value = self.text(field, node, line)
        if value is None:
            return None
        value = value.removeprefix("arXiv:").removeprefix("arxiv:")
        if not (ARXIV_NEW.match(value) or ARXIV_OLD.match(value)):
            self.error(getattr(node, "line", line), field,
                       f"{value!r} is not an arXiv id; use 2310.10000, 2310.10000v2 "
                       "or hep-th/9901001")
            return None
        return value

    def doi(self, field: str, node: Any, line: int) -> str | None:
        value = self.text(field, node, line)
        if value is None:
            return None
        value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.I)
        if not DOI.match(value):
            self.error(getattr(node, "line", line), field,
                       f"{value!r} is not a DOI; a DOI looks like 10.1000/xyz123")
            return None
        return value

    def topic_list(self, field: str, node: Any, line: int) -> tuple[str, ...] | None:
        values = self.text_list(field, node, line)
        if values is None:
            return None
        lines = _item_lines(node, line)
        unknown = [value for value in values if value not in self.topics]
        for value in unknown:  # every one at once, not one per run
            hint = difflib.get_close_matches(value, self.topics, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            self.error(lines.get(value, line), field, f"unknown topic {value!r}{suggestion} "
                       "(topics are listed in site_config/topics.yml)")
        return None if unknown else values


def paper_from_front_matter(
    front: YamlMap | None,
    body: str,
    *,
    slug: str,
    path: str,
    topics: Iterable[str],
    auto_topics: Callable[[str, str], tuple[str, ...]] | None = None,
    today: dt.date | None = None,
    fields: Sequence[tuple[str, str]] = (),
) -> tuple[Paper | None, list[Problem]]:
    """Validate front matter against PAPER_FIELDS; build a Paper or report why not.

    ``today`` bounds the date (default: today in UTC). ``fields`` are the extra fields
    site.yml declares, (name, "text" or "markdown"): a paper may have them too.
    """
    check = _Checker(path, topics, today or dt.datetime.now(dt.UTC).date())
    if front is None or not isinstance(front, YamlMap):
        check.error(1, "front matter", "must be a YAML mapping between two '---' lines, "
                    "starting with title: and date:")
        return None, check.problems
    allowed = (*PAPER_FIELD_NAMES, *(name for name, _ in fields))
    for key in front:
        if key not in allowed:
            hint = difflib.get_close_matches(key, allowed, n=1)
            suggestion = f"did you mean {hint[0]!r}? " if hint else ""
            check.error(front.key_lines[key], key, f"unknown field; {suggestion}"
                        f"allowed fields: {', '.join(allowed)} (site_config/site.yml's "
                        "`fields:` declares more)")
    values: dict[str, Any] = {}
    for field in PAPER_FIELDS:
        if field.name not in front:
            if field.required:
                check.error(front.line, field.name, f"is required: {field.help}")
            continue
        validate = getattr(check, field.kind)
        value = validate(field.name, front[field.name], front.key_lines[field.name])
        if value is not None:
            values[field.name] = value
    if "month" in values and "year" not in values:
        check.error(front.key_lines["month"], "month", "needs a year: add year: beside it")
    extra = []
    for name, kind in fields:
        if name in front:
            value = getattr(check, kind)(name, front[name], front.key_lines[name])
            if value is not None:
                extra.append((name, value))
    abstract = body.strip()
    if not abstract:
        check.error(None, "abstract", "the abstract (text after the front matter) is empty")
    elif len(abstract) > MAX_ABSTRACT:
        check.error(None, "abstract", f"is {len(abstract):,} characters long; the limit is "
                    f"{MAX_ABSTRACT:,}: paste the abstract, not the paper")
    elif abstract.count("[") > MAX_BRACKETS:
        check.error(None, "abstract", f"has {abstract.count('['):,} '[' characters; the "
                    f"limit is {MAX_BRACKETS} (Markdown reads long runs of brackets very "
                    "slowly)")
    if any(p.is_error for p in check.problems):
        return None, check.problems
    topics_value = values.pop("topics", None)
    if not topics_value and auto_topics is not None:
        topics_value = auto_topics(values["title"], abstract)
    paper = Paper(slug=slug, abstract=abstract, topics=tuple(topics_value or ()),
                  extra=tuple(extra), **values)
    return paper, check.problems


def link_problem(url: str) -> str | None:
    """Why a link may not appear on a page, or None when it may."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        return f"{url!r} is not allowed: links must start with http:// or https:// and name a host"
    bad = URL_UNSAFE.search(url)
    if bad:
        return (f"{url!r} contains {bad.group(0)!r}, which does not belong in a link; "
                "percent-encode it (a space is %20)")
    return None


def is_slug(text: str) -> bool:
    return bool(SLUG.match(text))
