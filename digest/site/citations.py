"""BibTeX entries for papers: one per paper page, one file per topic, one for the digest.

BibTeX is a serialization like JSON, so entries are built here rather than in a
template (Jinja's HTML escaping is the wrong escaping for it). Every text field is
LaTeX that a bare document compiles (digest/site/latexenc.py): specials escaped, and
non-ASCII characters written as macros, as pdflatex stops at a character it has not
set up. An entry without authors carries a ``key`` field, the title's first words, as
BibTeX's styles sort by author or key. Cite keys are ASCII, deterministic and unique: the first
author's surname (or the title's first word), the year when known and a title word,
with b, c, ... added in (date, slug) order on a clash, so a paper added in a later
edition never changes the key of one already published.

Formulas in a title (``$z\\sim10-16$``) stay TeX, as LaTeX typesets them, when their
braces balance and they hold no character that would end or break the field; any
other formula is escaped like text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from anyascii import anyascii

from digest.model import Paper
from digest.site.latexenc import non_ascii_to_latex, to_latex
from digest.text.mathml import MATH_SPAN
from digest.text.titles import title_text

BIB_PATH = "papers.bib"

# Verbatim fields (url, doi) take characters as they are, except braces and backslashes,
# which would unbalance the field.
_VERBATIM = {"{": "%7B", "}": "%7D", "\\": "%5C"}
_KEY_STOP = frozenset("a an the of on in for to and with via from towards toward is are "
                      "by at as do does your our we how what when why".split())
_ARXIV_NEW_YEAR = re.compile(r"^(\d{2})\d{2}\.")
_ARXIV_OLD_YEAR = re.compile(r"/(\d{2})\d{5}")
_VENUE_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


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


def year(paper: Paper) -> int | None:
    """Publication year from the arXiv id or the venue ("NeurIPS 2024"); None if unknown.

    The digest date is when a paper was added, not when it appeared, so it is no year
    to cite.
    """
    if paper.arxiv:
        match = _ARXIV_NEW_YEAR.match(paper.arxiv) or _ARXIV_OLD_YEAR.search(paper.arxiv)
        if match:
            yy = int(match.group(1))
            return 1900 + yy if yy >= 91 else 2000 + yy
    found = _VENUE_YEAR.findall(paper.venue or "")
    return int(found[-1]) if found else None


def _base_key(paper: Paper) -> str:
    words = [w for w in _ascii_words(paper.title) if w not in _KEY_STOP] or ["paper"]
    first = paper.authors[0] if paper.authors else ""
    # "Lovelace, Ada" names the surname first; "Ada Lovelace" last.
    names = [w for w in _ascii_words(first.split(",")[0]) if len(w) > 1]
    lead = (names[0] if "," in first else names[-1]) if names else words.pop(0)
    word = words[0] if words else ""
    return f"{lead}{year(paper) or ''}{word}"


def _suffix(n: int) -> str:
    """b, c, ..., z, then -27, -28, ... for the n-th paper (n >= 2) sharing a key."""
    return chr(ord("a") + n - 1) if n <= 26 else f"-{n}"


def bibtex_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """A unique citation key for every paper slug."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for paper in sorted(papers, key=lambda p: (p.date, p.slug)):
        base = key = _base_key(paper)
        n = 1
        while key in taken:
            n += 1
            key = base + _suffix(n)
        taken.add(key)
        keys[paper.slug] = key
    return keys


def _author(name: str) -> str:
    name = latexto_latex(name)
    # A name with the word "and" in it would be read as two authors.
    return f"{{{name}}}" if re.search(r"\band\b", name, re.I) else name


def bibtex_entry(paper: Paper, key: str, page_url: str) -> str:
    """One @misc entry; ``page_url`` is the paper's digest page, used without an arXiv id."""
    fields: list[tuple[str, str]] = [("title", "{" + latex_title(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_author(a) for a in paper.authors)))
    else:
        fields.append(("key", sort_key(paper.title)))
    if year(paper):
        fields.append(("year", str(year(paper))))
    if paper.arxiv:
        fields += [("eprint", _verbatim(paper.arxiv)), ("archivePrefix", "arXiv")]
        if paper.primary_category:
            fields.append(("primaryClass", _verbatim(paper.primary_category)))
    if paper.doi:
        fields.append(("doi", _verbatim(paper.doi)))
    if paper.venue:
        fields.append(("howpublished", latexto_latex(paper.venue)))
    url = f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else page_url
    fields.append(("url", _verbatim(url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def bibliography(entries: Sequence[str]) -> str:
    """Entries joined into one .bib file."""
    return "\n".join(entries)
