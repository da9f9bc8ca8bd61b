"""A title's two forms: HTML with its formulas as MathML, and readable plain text.

arXiv titles carry TeX (``Galaxies at $z\\sim10-16$ with JWST``). Headings and
listings show the formula as MathML (digest/text/mathml.py, sanitized); ``<title>``,
link-preview meta, feeds, papers.json.gz and the search index need text, so each formula
becomes its plain-text reading through pylatexenc (``z∼10–16``). A formula
latex2mathml cannot read is shown as typed, escaped, and its plain text is the typed
text too. Most titles hold no formula and skip all of this: it runs once per paper,
on sites of 10,000 papers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape
from pylatexenc.latex2text import LatexNodes2Text

from digest.text import mathml

# Outside a formula, "\$" is a literal dollar (TeX and MathJax agree).
_LITERAL_DOLLAR = "\\$"
# "10-16" in a formula is a range: readers expect an en dash, not a hyphen.
_RANGE = re.compile(r"(?<=\d)-(?=\d)")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_TO_TEXT = LatexNodes2Text(math_mode="text", strict_latex_spaces="based-on-source")


@dataclass(frozen=True)
class Title:
    """The forms of one title: ``html`` for pages (safe Markup), ``text`` for the rest."""

    html: Markup
    text: str


def has_tex(title: str) -> bool:
    """Whether a title may hold a formula (cheap: most titles have neither marker)."""
    return "$" in title or "\\(" in title


@lru_cache(maxsize=4096)
def formula_text(tex: str) -> str | None:
    """The plain-text reading of one formula (``z\\sim10-16`` gives ``z∼10–16``), or None
    when pylatexenc cannot read it."""
    try:
        text = _TO_TEXT.latex_to_text(tex)
    except Exception:  # pylatexenc raises assorted errors on malformed TeX
        return None
    return _RANGE.sub("–", " ".join(text.split())) or None


def render_title(title: str) -> Title:
    """Both forms of ``title``; the title itself (escaped) when it holds no formula."""
    if not has_tex(title):
        return Title(escape(title), title)
    html: list[str] = []
    text: list[str] = []
    end = 0
    for match in mathml.MATH_SPAN.finditer(title):
        between = title[end:match.start()].replace(_LITERAL_DOLLAR, "$")
        html.append(str(escape(between)))
        text.append(between)
        tex = match.group("display") or match.group("dollar") or match.group("paren")
        source = match.group(0)
        rendered = mathml.tex_to_mathml(tex.strip())  # inline, even for $$...$$
        html.append(rendered or mathml.render_span(source, tex, display=False))
        text.append(formula_text(tex.strip()) or source if rendered else source)
        end = match.end()
    rest = title[end:].replace(_LITERAL_DOLLAR, "$")
    html.append(str(escape(rest)))
    text.append(rest)
    return Title(Markup("".join(html)), " ".join("".join(text).split()))


def title_text(title: str) -> str:
    """The plain-text form alone: ``Scaling to $8$ GPUs`` reads ``Scaling to 8 GPUs``."""
    return render_title(title).text if has_tex(title) else title


def normalize_title(title: str) -> str:
    """The form two titles share when they name the same paper (importers and `digest
    check` both compare titles this way).

    Case, spacing, accents and punctuation do not count, and a formula counts as its
    text, so "Scaling to $8$ GPUs" and "Scaling to 8 GPUs." are the same title.
    """
    text = title_text(title).casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
    return " ".join(_PUNCTUATION.sub("", text).split())
