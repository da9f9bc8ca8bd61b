"""BibTeX entries for papers: one per paper page, one file per topic, one for the digest.

BibTeX is a serialization like JSON, so entries are built here rather than in a
template (Jinja's HTML escaping is the wrong escaping for it). Every text field is
LaTeX that a bare document compiles (digest/site/latexenc.py): specials escaped, and
non-ASCII characters written as macros, as pdflatex stops at a character it has not
set up. An entry without authors carries a ``key`` field, the title's first words, as
BibTeX's styles sort by author or key. Each entry has the paper's entry type and every
field of its record (journal, booktitle, volume, number, pages, publisher), dated by
the version cited (Paper.cited_date), never by the edition. Cite keys are deterministic
and unique: the paper's ``cite_key``, else the first author's surname (or the title's
first word), the year when known and a title word, with b, c, ... added in (date, slug)
order on a clash, so a paper added in a later edition never changes the key of one
already published.

Formulas in a title (``$z\\sim10-16$``) stay TeX, as LaTeX typesets them, when their
braces balance and they hold no character that would end or break the field; any
other formula is escaped like text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from anyascii import anyascii

from digest.model import Paper, Problem
from digest.site.latexenc import non_ascii_to_latex, to_latex
from digest.text.mathml import MATH_SPAN
from digest.text.titles import title_text

BIB_PATH = "papers.bib"

# Verbatim fields (url, doi) take characters as they are, except braces and backslashes,
# which would unbalance the field.
_VERBATIM = {"{": "%7B", "}": "%7D", "\\": "%5C"}
_KEY_STOP = frozenset("a an the of on in for to and with via from towards toward is are "
                      "by at as do does your our we how what when why".split())


def bib_path(topic_slug: str) -> str:
    """Where a topic's BibTeX file lives in the site."""
    return f"topics/{topic_slug}/{topic_slug}.bib"


def latexto_latex(text: str) -> str:
    """Text safe in a braced BibTeX field: LaTeX specials escaped, non-ASCII written as
    LaTeX, whitespace folded."""
    return to_latex(" ".join(text.split()))


# An unescaped character that ends a formula's field early or breaks LaTeX.
_UNSAFE_IN_MATH = re.compile(r"(?<!\\)[%#&]")


def _balanced(tex: str) -> bool:
    depth = 0
    for char in tex:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def latex_title(title: str) -> str:
    """The title for a braced field: text escaped, safe formulas kept as TeX."""
    parts: list[str] = []
    end = 0
    for match in MATH_SPAN.finditer(title) if "$" in title or "\\(" in title else ():
        formula = match.group(0)
        safe = _balanced(formula) and not _UNSAFE_IN_MATH.search(formula)
        parts += [to_latex(title[end:match.start()].replace("\\$", "$")),
                  non_ascii_to_latex(formula) if safe else to_latex(formula)]
        end = match.end()
    parts.append(to_latex(title[end:].replace("\\$", "$")))
    return " ".join("".join(parts).split())


def _verbatim(text: str) -> str:
    return "".join(_VERBATIM.get(c, c) for c in "".join(text.split()))


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", folded.lower())


def sort_key(title: str) -> str:
    """What BibTeX sorts an entry without authors by: the title's first words, in ASCII."""
    words = re.findall(r"[A-Za-z0-9]+", anyascii(title_text(title)))
    return " ".join(words[:4]) or "Untitled"


def year(paper: Paper) -> int:
    """The year to cite: the publication year of the version cited (Paper.cited_date)."""
    return paper.cited_year


def _base_key(paper: Paper) -> str:
    words = [w for w in _ascii_words(paper.title) if w not in _KEY_STOP] or ["paper"]
    first = paper.authors[0] if paper.authors else ""
    # "Lovelace, Ada" names the surname first; "Ada Lovelace" last.
    names = [w for w in _ascii_words(first.split(",")[0]) if len(w) > 1]
    lead = (names[0] if "," in first else names[-1]) if names else words.pop(0)
    word = words[0] if words else ""
    known = paper.publication_date  # a paper of unknown year keeps the key it always had
    return f"{lead}{known[0] if known else ''}{word}"


def _suffix(n: int) -> str:
    """b, c, ..., z, then -27, -28, ... for the n-th paper (n >= 2) sharing a key."""
    return chr(ord("a") + n - 1) if n <= 26 else f"-{n}"


def bibtex_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """A unique citation key for every paper slug: its ``cite_key`` when it has one,
    else one made from its author, year and title; the later of two papers wanting the
    same key (date, then slug order) gets a suffix (key_clashes reports it)."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for paper in sorted(papers, key=lambda p: (p.date, p.slug)):
        base = key = paper.cite_key or _base_key(paper)
        n = 1
        while key in taken:
            n += 1
            key = base + _suffix(n)
        taken.add(key)
        keys[paper.slug] = key
    return keys


def key_clashes(papers: Sequence[Paper]) -> list[Problem]:
    """A warning for each paper whose ``cite_key`` another paper already has: a LaTeX
    document citing that key would get the other paper."""
    keys = bibtex_keys(papers)
    holder = {key: paper for paper in papers for key in (keys[paper.slug],)}
    problems = []
    for paper in papers:
        if paper.cite_key and keys[paper.slug] != paper.cite_key:
            other = holder.get(paper.cite_key)
            shown = f" of {other.path or other.slug}" if other else ""
            problems.append(Problem(
                str(paper.path or paper.slug), None, "cite_key",
                f"{paper.cite_key!r} is already the key{shown}; this paper's BibTeX key "
                f"is {keys[paper.slug]!r}: give it a key of its own", severity="warning"))
    return problems


def _author(name: str) -> str:
    name = latexto_latex(name)
    # A name with the word "and" in it would be read as two authors.
    return f"{{{name}}}" if re.search(r"\band\b", name, re.I) else name


def entry_type(paper: Paper) -> str:
    """The paper's ``entry_type``, else article for a journal, inproceedings for a
    booktitle, misc for anything else."""
    if paper.entry_type:
        return paper.entry_type
    return "article" if paper.journal else "inproceedings" if paper.booktitle else "misc"


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_entry(paper: Paper, key: str, page_url: str) -> str:
    """One entry of the paper's type, with every field its record knows; ``page_url`` is
    the paper's digest page, its url without an own url or arXiv id."""
    fields: list[tuple[str, str]] = [("title", "{" + latex_title(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_author(a) for a in paper.authors)))
    else:
        fields.append(("key", sort_key(paper.title)))
    for name in ("journal", "booktitle"):
        if value := getattr(paper, name):
            fields.append((name, latexto_latex(value)))
    for name in ("volume", "number", "pages"):
        if value := getattr(paper, name):
            fields.append((name, latexto_latex(value)))
    if paper.publisher:
        fields.append(("publisher", latexto_latex(paper.publisher)))
    fields.append(("year", str(paper.cited_year)))
    month = (paper.publication_date or (0, None))[1]
    if month:
        fields.append(("month", _MONTHS[month - 1]))
    if paper.arxiv:
        fields += [("eprint", _verbatim(paper.arxiv)), ("archivePrefix", "arXiv")]
        if paper.primary_category:
            fields.append(("primaryClass", _verbatim(paper.primary_category)))
    if paper.doi:
        fields.append(("doi", _verbatim(paper.doi)))
    if paper.venue and not (paper.journal or paper.booktitle):
        fields.append(("howpublished", latexto_latex(paper.venue)))
    url = paper.url or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else page_url)
    fields.append(("url", _verbatim(url)))
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}"
                      for name, value in fields)
    return f"@{entry_type(paper)}{{{key},\n{body}\n}}\n"


def bibliography(entries: Sequence[str]) -> str:
    """Entries joined into one .bib file."""
    return "\n".join(entries)
