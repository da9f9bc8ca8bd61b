"""Turn the TeX in abstracts (``$...$``, ``$$...$$``, ``\\(...\\)``) into MathML at build time.

Browsers draw MathML natively, so the site needs no script and nothing from a CDN,
and search indexes the formula's symbols rather than its TeX source. The TeX comes
from a pull request, so it is hostile: latex2mathml's output goes through nh3 with
a MathML-only allow-list (no ``href``, ``style``, colours, annotations or events),
and lengths are bounded so a formula cannot push the page sideways. A span that
latex2mathml cannot read is shown as its original text, escaped.

Math is taken out of the Markdown before Markdown runs (so ``_`` and ``*`` in a
formula are not emphasis) and put back after the abstract's HTML is sanitized.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from xml.etree.ElementTree import Element, tostring

import nh3
from latex2mathml.converter import convert_to_element

# Same shapes as the spans digest/text/cleanup.py keeps verbatim at ingest, plus $$...$$.
MATH_SPAN = re.compile(
    r"(?<!\\)\$\$(?P<display>\s*[^\s$][^$]*?)(?<!\\)\$\$"
    # "$" pairs with the next "$" as in MathJax ("$\sim$0.4 M$_\odot$" is two formulas, and
    # "$ \alpha $" one), except for prices written in prose: a span that starts with a digit
    # must not end before a digit or after a space ("$5-$10", "$5 or $ 10" are text).
    r"|(?<![\\$])\$(?!\$)(?P<dollar>\d[^$\n]*?(?<![\s\\])(?=\$(?!\d))"
    r"|(?!\s*\d)\s*[^\s$][^$\n]*?(?<!\\)(?=\$))\$"
    # No "\(" inside a "\(...\)" span: each try stops at the next one, so a line of
    # many unclosed "\(" takes linear time, not quadratic.
    r"|\\\((?P<paren>(?:[^\\\n]|\\(?!\())+?)\\\)"
)
_OPEN, _CLOSE = "\ue020", "\ue021"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")

MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts",
}
_LENGTHS = {"width", "height", "depth", "lspace", "rspace", "minsize", "maxsize", "voffset"}
_COMMON = {"mathvariant", "displaystyle", "scriptlevel"}
MATHML_ATTRIBUTES: dict[str, set[str]] = {
    "math": {"display"} | _COMMON,
    "mo": {"stretchy", "fence", "form", "separator", "largeop", "movablelimits", "symmetric",
           "accent", "lspace", "rspace", "minsize", "maxsize"} | _COMMON,
    "mover": {"accent"} | _COMMON,
    "munder": {"accentunder"} | _COMMON,
    "munderover": {"accent", "accentunder"} | _COMMON,
    "mfrac": {"linethickness"} | _COMMON,
    "mtable": {"columnalign", "rowalign", "columnlines", "rowlines", "columnspacing",
               "rowspacing", "frame", "displaystyle"},
    "mtr": {"columnalign", "rowalign"},
    "mtd": {"columnalign", "rowalign", "columnspan", "rowspan"},
    "mspace": {"width", "height", "depth"},
    "mpadded": {"width", "height", "depth", "lspace", "voffset"},
    "menclose": {"notation"},
    **{tag: set(_COMMON) for tag in ("mi", "mn", "mtext", "ms", "mrow", "mstyle", "msub",
                                     "msup", "msubsup", "msqrt", "mroot", "mphantom")},
}
# A length: a number of em/ex/px/pt/mu up to 5 em or so, or a word such as "true".
_LENGTH = re.compile(r"[+-]?(\d{1,2}(\.\d+)?|\.\d+)(em|ex|mu|pt|px|%)?")
_WORD = re.compile(r"[A-Za-z0-9 .+-]{1,40}")


def _safe_attribute(tag: str, name: str, value: str) -> str | None:
    """Keep short, plain values; bound lengths so a formula cannot take over the page."""
    if name in _LENGTHS:
        if not _LENGTH.fullmatch(value):
            return None
        number = float(re.match(r"[+-]?[\d.]+", value).group(0))
        unit = value.lstrip("+-0123456789.")
        limit = {"px": 80, "pt": 60, "%": 200, "mu": 90}.get(unit, 5)
        return value if abs(number) <= limit else None
    return value if _WORD.fullmatch(value) else None


def _plain_text(element: Element) -> None:
    """Resolve latex2mathml's character references so serializing escapes every text."""
    for node in element.iter():
        if node.text:
            node.text = html.unescape(node.text)
        if node.tail:
            node.tail = html.unescape(node.tail)


def _fix_symbols(element: Element) -> None:
    """latex2mathml writes ``\\sim`` as the identifier "~" (ASCII tilde); it is the
    relation ∼ (U+223C), spaced as an operator."""
    for node in element.iter("mi"):
        if node.text == "~":
            node.tag, node.text = "mo", "\u223c"


def _understood(element: Element) -> bool:
    """False when latex2mathml passed a macro through as text (it did not know it)."""
    return not any("\\" in (node.text or "") for node in element.iter())


@lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, display: bool = False) -> str | None:
    """Sanitized MathML for one formula, or None when it cannot be converted."""
    try:
        element = convert_to_element(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many error types on malformed TeX
        return None
    if not _understood(element):
        return None
    _plain_text(element)
    _fix_symbols(element)
    mathml = tostring(element, encoding="unicode", short_empty_elements=False)
    return nh3.clean(mathml, tags=MATHML_TAGS, attributes=MATHML_ATTRIBUTES,
                     attribute_filter=_safe_attribute, strip_comments=True)


def render_span(source: str, tex: str, display: bool) -> str:
    """HTML for one math span: MathML, or the span's original text when that fails."""
    mathml = tex_to_mathml(tex.strip(), display)
    if mathml is None:
        return f'<span class="digest-tex">{html.escape(source)}</span>'
    return mathml


def extract(text: str) -> tuple[str, list[str]]:
    """Replace each math span with a placeholder Markdown leaves alone; return the HTML
    of each span. Placeholder characters already in the text are dropped first."""
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    if "$" not in text and "\\(" not in text:  # most abstracts: no formula to look for
        return text, []
    spans: list[str] = []

    def swap(match: re.Match[str]) -> str:
        display = match.group("display") is not None
        tex = match.group("display") or match.group("dollar") or match.group("paren")
        spans.append(render_span(match.group(0), tex, display))
        return f"{_OPEN}{len(spans) - 1}{_CLOSE}"

    return MATH_SPAN.sub(swap, text), spans


def insert(fragment: str, spans: list[str]) -> str:
    """Put the rendered spans back in place of their placeholders."""
    if not spans:
        return fragment
    return _PLACEHOLDER.sub(lambda m: spans[int(m.group(1))] if int(m.group(1)) < len(spans)
                            else "", fragment)


_MATH_ELEMENT = re.compile(r"<math\b[^>]*>.*?</math>", re.S)
_TAG = re.compile(r"<[^>]+>")


def flatten(fragment: str) -> str:
    """Replace each formula of sanitized HTML with its text (``α2+β``), for plain-text uses
    such as excerpts: tag strippers drop MathML's foreign content whole."""
    return _MATH_ELEMENT.sub(lambda m: _TAG.sub("", m.group(0)), fragment)
