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

from digest import mathml

ALLOWED_TAGS = {"p", "em", "strong", "code", "a", "br", "sub", "sup", "ul", "ol", "li",
                "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.deregister("image_link")
    md.inlinePatterns.deregister("image_reference")
    md.inlinePatterns.deregister("short_image_ref")
    return md


_MD = _markdown()


def render_abstract(text: str) -> Markup:
    """Sanitized HTML for an abstract written in Markdown."""
    text, math_spans = mathml.extract(text)  # TeX must not meet Markdown
    _MD.reset()
    rendered = _MD.convert(text)
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return Markup(mathml.insert(cleaned, math_spans))


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace folded."""
    text = nh3.clean(mathml.flatten(fragment), tags=set())
    return " ".join(html.unescape(text).split())


def excerpt(abstract_html: str, limit: int = 200) -> str:
    """One-line excerpt: the first sentence, or the text cut at a word near ``limit``."""
    text = plain_text(abstract_html)
    first = re.match(r"(.{40,}?[.!?])\s", text + " ")
    if first and len(first.group(1)) <= limit:
        return first.group(1)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
