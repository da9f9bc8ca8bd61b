"""Render an abstract's Markdown into HTML that is safe to put on a page.

Content arrives by pull request, so the Markdown of an abstract is hostile:
raw HTML is shown as text (the HTML parts of Python-Markdown are switched
off) and whatever HTML comes out is cleaned again by nh3 with an allow-list,
which also drops ``javascript:``, ``vbscript:`` and ``data:`` URLs.
"""

from __future__ import annotations

import html
import re

import markdown
import nh3
from markupsafe import Markup

from digest.text import mathml

ALLOWED_TAGS = {"p", "em", "strong", "code", "a", "br", "sub", "sup", "ul", "ol", "li",
                "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def new_markdown() -> markdown.Markdown:
    """A Markdown parser for abstracts: no raw HTML, no images; ``\\$`` escapes a dollar."""
    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.deregister("image_link")
    md.inlinePatterns.deregister("image_reference")
    md.inlinePatterns.deregister("short_image_ref")
    md.ESCAPED_CHARS.append("$")  # "\$5" is a price, not the start of a formula
    return md


_MD = new_markdown()


# The final pass sees the abstract with its formulas back in place.
_PAGE_TAGS = ALLOWED_TAGS | mathml.MATHML_TAGS | {"span"}
_PAGE_ATTRIBUTES = {**mathml.MATHML_ATTRIBUTES, **ALLOWED_ATTRIBUTES, "span": {"class"}}


# A start tag as nh3 writes it (values double-quoted, '"' escaped): no formula goes there.
_START_TAG = re.compile(r'<[a-z][a-z0-9]*(?:\s+[a-z][a-z0-9:-]*="[^"]*")*\s*/?>')


def _page_attribute(tag: str, name: str, value: str) -> str | None:
    if tag in mathml.MATHML_TAGS:
        return mathml._safe_attribute(tag, name, value)
    if tag == "span":
        return value if value == "digest-tex" else None
    return value


def _clean(fragment: str, **allowed: object) -> str:
    return nh3.clean(fragment, url_schemes=ALLOWED_SCHEMES,
                     link_rel="nofollow noopener noreferrer", strip_comments=True, **allowed)


# Text without these needs no Markdown at all: most abstracts are plain paragraphs, and
# Python-Markdown costs ~0.8 ms each (4 s of a 5,000-paper build).
_MARKDOWN_CHARS = frozenset("\\`*_[]<>&!")
_PLAIN_LINE_START = re.compile(r"^[^\s#>=+\-*|0-9]")


def plain_paragraphs(text: str) -> str | None:
    """The HTML Python-Markdown would make of plain paragraphs, or None if not plain."""
    if any(char in text for char in _MARKDOWN_CHARS) or "  \n" in text:
        return None
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]
    lines = [line for p in paragraphs for line in p.split("\n")]
    if not all(_PLAIN_LINE_START.match(line) for line in lines):
        return None
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def _to_html(text: str) -> str:
    global _MD
    plain = plain_paragraphs(text)
    if plain is not None:
        return plain
    _MD.reset()
    try:
        return _MD.convert(text)
    except RecursionError:  # nesting deeper than Python-Markdown can follow: show as text
        _MD = new_markdown()  # the failed run leaves its block-parser state behind
        return "".join(f"<p>{html.escape(part)}</p>" for part in text.split("\n\n"))


# A page of content/pages/ may also have headings below its title, rules and code blocks.
OWN_PAGE_TAGS = ALLOWED_TAGS | {"h2", "h3", "h4", "hr", "pre"}


def render_abstract(text: str, tags: set[str] = ALLOWED_TAGS) -> Markup:
    """Sanitized HTML for an abstract written in Markdown.

    Formulas are put back after the first cleaning, and a formula can land inside an
    attribute (``[x]($y$)``), so the whole fragment is cleaned once more: whatever
    the pieces, the page gets well-formed HTML from the allow-lists only.
    """
    text, math_spans = mathml.extract(text)  # TeX must not meet Markdown
    rendered = _to_html(text)
    cleaned = _clean(rendered, tags=tags, attributes=ALLOWED_ATTRIBUTES)
    if not math_spans:
        return Markup(cleaned)
    cleaned = _START_TAG.sub(lambda m: mathml._PLACEHOLDER.sub("", m.group(0)), cleaned)
    return Markup(_clean(mathml.insert(cleaned, math_spans), tags=tags | _PAGE_TAGS,
                         attributes=_PAGE_ATTRIBUTES, attribute_filter=_page_attribute))


def render_page(text: str) -> Markup:
    """Sanitized HTML for a page of content/pages/: an abstract's rules, and headings."""
    return render_abstract(text, OWN_PAGE_TAGS)


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace folded."""
    text = nh3.clean(mathml.flatten(fragment), tags=set())
    return " ".join(html.unescape(text).split())


# A candidate sentence end: . ! ? (with closing quotes or brackets) and a space.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)")


def first_sentence(text: str) -> str | None:
    """The text's first sentence of at least 40 characters, or None: a sentence ends
    before a word that starts with a capital or a digit, not at "e.g. the" or "et al. show"."""
    for end in _SENTENCE_END.finditer(text, 40):
        following = text[end.end():].lstrip().lstrip("\"'“‘([")
        if not following or following[0].isupper() or following[0].isdigit():
            return text[:end.end()]
    return None


def excerpt(abstract_html: str, limit: int = 200) -> str:
    """One-line excerpt: the first sentence, or the text cut between words before
    ``limit`` characters, with an ellipsis (and no dangling comma or colon)."""
    text = plain_text(abstract_html)
    first = first_sentence(text)
    if first and len(first) <= limit:
        return first
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(",;:—–-(") + "…"
