"""Clean the LaTeX residue that copied abstracts carry, and make text Markdown-safe.

Copies of arXiv abstracts keep LaTeX fragments, often with their backslashes
lost on the way: ``88\\%``, ``{\\em ...}``, ``64{times}64``, ``D{to}infty``,
``R_oplus``, ``Sigma_{F}``. Readers should see ``88%``, *...*, ``64×64``,
``D→∞``, ``R⊕`` and ``Σ_F``. Macro names are mapped to Unicode through
pylatexenc's tables rather than a hand-written list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    SpecialsTextSpec,
    get_default_latex_context_db,
)
from pylatexenc.macrospec import LatexContextDb

from digest.text.mathml import MATH_SPAN

EM_OPEN, EM_CLOSE, STRONG_OPEN, STRONG_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
MATH_OPEN, MATH_CLOSE = "\ue010", "\ue011"

# Macro names whose backslash was lost; safe to convert wherever they appear.
_ANYWHERE = ("leftrightarrow", "Rightarrow", "Leftarrow", "rightarrow", "leftarrow",
             "infty", "mapsto")
# Safe when not glued to other letters (so "triangle" keeps its "rangle").
_STANDALONE = ("langle", "rangle", "oplus", "otimes", "odot", "leq", "geq", "neq",
               "approx", "cdot", "nabla", "propto")
# Greek names are English words too ("beta release"): convert only next to math.
_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
          "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon",
          "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
          "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega")
# Readers expect the common glyph, not pylatexenc's variant.
_PREFERRED = {"phi": "φ", "varphi": "ϕ", "to": "→", "epsilon": "ε"}
_SUPERSCRIPTS = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_MATH_CHARS = r"_^{}|<>=()\[\]0-9"

_ESCAPED_CHAR = re.compile(r"\\([%&#$_{}])")
_THIN_SPACE = re.compile(r"\\[,;:! ]")
_GROUP_STYLE = re.compile(r"\{\\(em|it|sl|bf)\s+([^{}]*)\}")
_COMMAND_STYLE = re.compile(r"\\(emph|textit|textbf|textsl)\{([^{}]*)\}")
_MACRO = re.compile(r"\\([A-Za-z]+)")
_BRACED = re.compile(r"\{\s*([^{}\s]{1,14})\s*\}")
_SUBSCRIPT_SYMBOL = re.compile(r"_(?=[^\w\s{(\\])")
_SUPERSCRIPT_DIGITS = re.compile(r"\^\{?([0-9+-]{1,3})\}?(?![0-9.])")
_MICRONS = re.compile(r"(\d)\s?mum\b")
_IID = re.compile(r"\bi\.\\?,?\s?i\.\\?,?\s?d\b\.?")


@lru_cache(maxsize=512)
def macro_to_unicode(name: str) -> str | None:
    """Unicode for a LaTeX macro name (without backslash), or None if unknown."""
    if name in _PREFERRED:
        return _PREFERRED[name]
    text = LatexNodes2Text().latex_to_text("\\" + name)
    return text if text and text != name else None


def _name_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each name's pattern, the name first so that the regex engine looks for it fast:
    what precedes it is tested after it, "(?<![A-Za-z]eta)" for "not after a letter"."""
    anywhere = [(name, re.compile(re.escape(name))) for name in _ANYWHERE]
    standalone = [(name, re.compile(rf"{name}(?<![A-Za-z]{name})(?![A-Za-z])"))
                  for name in _STANDALONE]
    # Next to math on one side: after a math character and before no letter, or after
    # no letter and before a math character.
    greek = [(name, re.compile(rf"{name}(?:(?<=[{_MATH_CHARS}]{name})(?![A-Za-z])"
                               rf"|(?<![A-Za-z]{name})(?=[{_MATH_CHARS}]))")) for name in _GREEK]
    return anywhere + standalone + greek


_NAME_PATTERNS = _name_patterns()


def _replace_names(text: str) -> str:
    for name, pattern in _NAME_PATTERNS:
        if name in text:  # each pattern matches the name itself: else nothing to replace
            glyph = macro_to_unicode(name)
            if glyph:
                text = pattern.sub(glyph, text)
    return text


def _convert(text: str) -> tuple[str, list[str]]:
    """Turn residue into Unicode; return text with math spans swapped for markers."""
    spans: list[str] = []

    def keep_math(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"{MATH_OPEN}{len(spans) - 1}{MATH_CLOSE}"

    # Each step is taken only when the text holds a character every match of its
    # pattern needs ("\\" for a macro): most abstracts hold few of them.
    if "$" in text or "\\(" in text:
        text = MATH_SPAN.sub(keep_math, text)  # formulas stay verbatim; mathml.py renders them
    if "i." in text:
        text = _IID.sub("i.i.d.", text)
    if "\\" in text:
        text = _ESCAPED_CHAR.sub(r"\1", text)
        text = _THIN_SPACE.sub(" ", text)

    def style(match: re.Match[str]) -> str:
        kind, inner = match.group(1), match.group(2).strip()
        if kind in ("bf", "textbf"):
            return f"{STRONG_OPEN}{inner}{STRONG_CLOSE}"
        return f"{EM_OPEN}{inner}{EM_CLOSE}"

    if "{" in text:
        text = _GROUP_STYLE.sub(style, text)
    if "\\" in text:
        text = _COMMAND_STYLE.sub(style, text)
        text = _MACRO.sub(lambda m: macro_to_unicode(m.group(1)) or m.group(1), text)
    if "{" in text:
        text = _BRACED.sub(lambda m: macro_to_unicode(m.group(1)) or m.group(1)
                           if m.group(1).isalpha() and len(m.group(1)) > 1 else m.group(1),
                           text)
    text = _replace_names(text)
    if "_" in text:
        text = _SUBSCRIPT_SYMBOL.sub("", text)
    if "^" in text:
        text = _SUPERSCRIPT_DIGITS.sub(lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    if "mum" in text:
        text = _MICRONS.sub(r"\1 μm", text)
    text = text.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”")
    text = " ".join(text.split(" "))
    return re.sub(r"[ \t]+", " ", text).strip(), spans


def _restore_math(text: str, spans: list[str]) -> str:
    return re.sub(f"{MATH_OPEN}(\\d+){MATH_CLOSE}", lambda m: spans[int(m.group(1))], text)


_MD_INLINE = re.compile(r"([\\`*_\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+\.)", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Backslash-escape characters Markdown would treat as formatting."""
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "".join("\\" + c for c in m.group(2))
                              if not m.group(2)[0].isdigit()
                              else m.group(1) + m.group(2)[:-1] + "\\.", text)


def clean_title(raw: str) -> str:
    """Plain-text title: residue converted, styling dropped (titles are never Markdown)."""
    text, spans = _convert(" ".join(raw.split()))
    for marker in (EM_OPEN, EM_CLOSE, STRONG_OPEN, STRONG_CLOSE):
        text = text.replace(marker, "")
    return _restore_math(text, spans)


def clean_abstract(raw: str) -> str:
    """Markdown abstract: residue converted, emphasis kept, other specials literal."""
    paragraphs = [p for p in re.split(r"\n\s*\n", raw.strip()) if p.strip()]
    out = []
    for paragraph in paragraphs:
        text, spans = _convert(" ".join(paragraph.split()))
        text = escape_markdown(text)
        text = (text.replace(EM_OPEN, "*").replace(EM_CLOSE, "*")
                .replace(STRONG_OPEN, "**").replace(STRONG_CLOSE, "**"))
        out.append(_restore_math(text, spans))
    return "\n\n".join(out)


# --- TeX written for MathJax: the text of the arXiv API, Hugging Face's API and BibTeX ----
#
# Unlike copied pages, this text keeps its backslashes: it is TeX, and only what lies outside
# a formula is converted (accents, escapes, dashes, quotes, styles). Formulas stay verbatim.

_TEX_URL = re.compile(r"https?://[^\s<>\"'`{}\\$]+")
_TEX_PLACEHOLDER = re.compile("\ue012(\\d+)\ue013")
_BARE_PERCENT = re.compile(r"(?<!\\)((?:\\\\)*)%")  # a TeX comment in LaTeX, a percent here
_BARE_DOLLAR = re.compile(r"(?<!\\)((?:\\\\)*)\$")  # a "$" MATH_SPAN paired with nothing
_PRIVATE_USE = re.compile("[\ue000-\ue0ff]")
_HREF = re.compile(r"\\href\{[^{}]*\}\{([^{}]*)\}")  # pylatexenc's parser knows no \href


def _tex_context() -> LatexContextDb:
    context = get_default_latex_context_db()
    styles = [MacroTextSpec(name, simplify_repl=f"{EM_OPEN}%s{EM_CLOSE}")
              for name in ("emph", "textit", "textsl")]
    styles.append(MacroTextSpec("textbf", simplify_repl=f"{STRONG_OPEN}%s{STRONG_CLOSE}"))
    plain = [MacroTextSpec(name, simplify_repl="%s")
             for name in ("texttt", "textsc", "textrm", "textsf", "textup", "textnormal",
                          "mbox", "text")]
    # Text symbols pylatexenc drops; a line break in an abstract is a space.
    words = [MacroTextSpec(name, simplify_repl=text) for name, text in (
        ("LaTeX", "LaTeX"), ("TeX", "TeX"), ("S", "§"), ("textless", "<"),
        ("textgreater", ">"), ("textbar", "|"), ("textasciicircum", "^"),
        ("\\", " "), ("newline", " "), ("-", ""))]
    # A malformed \href (its usual form is handled before parsing) keeps its group's text.
    links = [MacroTextSpec("url", simplify_repl="%s"), MacroTextSpec("href", discard=True)]
    context.add_context_category(
        "digest-abstracts", prepend=True, macros=styles + plain + words + links,
        specials=[SpecialsTextSpec("&", "&"), SpecialsTextSpec("~", " ")])
    return context


_TEX_TO_TEXT = LatexNodes2Text(latex_context=_tex_context(), math_mode="verbatim")


# pylatexenc takes ~5 ms an abstract, most of an import's time, so text without macros
# or groups is converted here, to the same result: without a backslash or a brace, "%",
# "$", "&", "^", "_" and "#" stay as they are, and its other specials become these.
_TEX_SYNTAX = re.compile(r"[\\{}]")
_TEX_SPECIALS = re.compile(r"---|--|``|''|!`|\?`|~")
# TeX's single quotes, `like this', are typographic quotes; pylatexenc leaves them as typed.
_SINGLE_QUOTED = re.compile(r"(?<![`!?])`([^`']+)'(?!')")
_SPECIAL_TEXT = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d",
                 "!`": "\u00a1", "?`": "\u00bf", "~": " "}


def _tex_text(text: str) -> str:
    """Unicode for TeX text that holds no formula (placeholders pass through)."""
    text = _SINGLE_QUOTED.sub("\u2018\\1\u2019", text)
    if not _TEX_SYNTAX.search(text):
        text = _TEX_SPECIALS.sub(lambda m: _SPECIAL_TEXT[m.group(0)], text)
        return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()
    text = _BARE_PERCENT.sub(r"\1\\%", text)
    text = _BARE_DOLLAR.sub(r"\1\\$", text)
    try:
        converted = _TEX_TO_TEXT.latex_to_text(text)
    except Exception:  # pylatexenc raises on some malformed input; keep the text as written
        converted = _ESCAPED_CHAR.sub(r"\1", text)
    return re.sub(r"\s+", " ", converted.replace("\xa0", " ")).strip()


# What any step of _tex_convert acts on: a macro, group or formula, a link, a special.
# Most names and titles, and many abstracts, hold none (the rest takes ~0.1 ms).
_TEX_ANYTHING = re.compile(r"[\\{}$~`]|--|''|https?://")


def _tex_convert(paragraph: str, *, markdown: bool) -> str:
    """One paragraph: math and links kept verbatim, the rest converted from TeX."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\ue012{len(kept) - 1}\ue013"

    text = " ".join(_PRIVATE_USE.sub("", paragraph).split())  # our markers mean nothing here
    if not _TEX_ANYTHING.search(text):  # the steps below would leave it as it is
        return escape_markdown(text) if markdown else text
    text = MATH_SPAN.sub(keep, text)
    formulas = len(kept)
    text = _HREF.sub(r"\1", text)
    text = _GROUP_STYLE.sub(lambda m: ("\\textbf{" if m.group(1) == "bf" else "\\emph{")
                            + m.group(2) + "}", text)
    text = _TEX_URL.sub(keep, text)
    text = _tex_text(text)
    if markdown:
        text = escape_markdown(text).replace("$", "\\$")
        text = (text.replace(EM_OPEN, "*").replace(EM_CLOSE, "*")
                .replace(STRONG_OPEN, "**").replace(STRONG_CLOSE, "**"))
    else:
        for marker in (EM_OPEN, EM_CLOSE, STRONG_OPEN, STRONG_CLOSE):
            text = text.replace(marker, "")

    def restore(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(kept):
            return ""
        value = kept[index]
        return escape_markdown(value) if markdown and index >= formulas else value

    result = _TEX_PLACEHOLDER.sub(restore, text)
    if not markdown and [m.group(0) for m in MATH_SPAN.finditer(result)] != kept[:formulas]:
        # A literal "$" of the title would pair with another: write it "\$", as TeX does.
        result = _TEX_PLACEHOLDER.sub(restore, text.replace("$", "\\$"))
    return result


def clean_tex_title(raw: str) -> str:
    """Plain-text title from TeX: line breaks unwrapped, text converted, formulas verbatim.

    A literal dollar is written ``$``, or ``\\$`` where a build would otherwise pair it
    with another dollar into a formula."""
    return _tex_convert(raw, markdown=False)


def clean_tex_abstract(raw: str) -> str:
    """Markdown abstract from TeX: hard line breaks unwrapped (blank lines keep paragraphs),
    text converted, emphasis kept, Markdown specials literal, formulas verbatim."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", raw.strip()) if p.strip()]
    return "\n\n".join(_tex_convert(p, markdown=True) for p in paragraphs)
