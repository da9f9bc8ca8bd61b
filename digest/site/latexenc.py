"""Unicode to LaTeX that a bare ``article`` compiles, for BibTeX fields.

pdflatex stops at any character its input encoding has not set up (``φ``), and BibTeX
sorts and abbreviates ``{\\'e}`` but not raw UTF-8, so every non-ASCII character of a
field is written as LaTeX by pylatexenc's tables. Some of pylatexenc's replacements need
packages a citing document may not load (``\\k{a}`` needs T1 fonts, ``\\mathbb``
amssymb, ``\\cyra`` T2A): a replacement is kept only when every macro in it is one the
LaTeX kernel defines in its default encodings (``_KERNEL_MACROS``, found by compiling
each of pylatexenc's replacements in a bare ``article``;
tests/site/test_bibtex_compiles.py compiles them all again). Any other character is
transliterated to ASCII by anyascii (``Жуков`` → ``Zhukov``), or becomes ``?``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

# Special in LaTeX or in BibTeX. Braces become text macros rather than ``\{``: BibTeX
# counts every brace, escaped or not, and a lone one would end the field early. ``<``,
# ``>`` and ``|`` print as ``¡``, ``¿`` and ``—`` in LaTeX's default OT1 fonts.
ASCII_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_SPECIAL_OR_NON_ASCII = re.compile("[" + re.escape("".join(ASCII_SPECIAL)) + r"]|[^\x00-\x7f]")

# Accents and symbols are one-character macros (\\' \\" \\~ ...); the rest are named.
_KERNEL_MACROS = frozenset("!\"',-.;=^`~") | frozenset("""
AE Delta Downarrow Gamma H IJ L Lambda Leftarrow Leftrightarrow Longleftarrow
Longleftrightarrow Longrightarrow O OE Omega Phi Pi Psi Rightarrow Sigma Theta Uparrow
Updownarrow Upsilon Vert Xi acute ae aleph alpha amalg angle approx asymp beta bigcap
bigcirc bigcup bigtriangledown bigtriangleup bigvee bigwedge bowtie bullet c cap cdot
cdots chi circ cong coprod cup dashv ddot ddots delta diamond dot doteq ell enskip
ensuremath epsilon equiv eta exists fbox forall frown gamma geq gg hbar hookleftarrow
hookrightarrow hspace i ij in infty int iota kappa kern l lambda langle lceil
leftharpoondown leftharpoonup leftrightarrow leq lfloor ll lmoustache longleftarrow
longleftrightarrow longmapsto longrightarrow mapsto mathbf mathbin mathchar mathit
mathsf mathtt mid mp mu nabla nearrow neq ni not notin nu nwarrow o odot oe oint omega
ominus oplus oslash otimes parallel partial perp phi pi pm prec preceq prod propto psi
quad r rangle rceil rfloor rho rightharpoondown rightharpoonup rightleftharpoons
rmoustache searrow sigma sim simeq smile sqcap sqcup sqrt sqsubseteq sqsupseteq ss
stackrel star subset subseteq succ succeq sum supset supseteq swarrow tau textacutedbl
textasciiacute textasciibreve textasciicaron textasciicircum textasciidieresis
textasciimacron textasciitilde textasteriskcentered textbaht textbigcircle textblank
textbrokenbar textbullet textcelsius textcent textcircledP textcolonmonetary
textcompwordmark textcopyright textcurrency textdagger textdaggerdbl textdegree
textdiscount textdiv textdong textdownarrow textellipsis textemdash textendash
textestimated texteuro textexclamdown textflorin textfractionsolidus textinterrobang
textleftarrow textlira textlnot textmho textmu textmusicalnote textnaira textnumero
textonehalf textonequarter textonesuperior textopenbullet textordfeminine
textordmasculine textparagraph textperiodcentered textpertenthousand textperthousand
textpeso textquestiondown textquotedblleft textquotedblright textquoteleft
textquoteright textrecipe textreferencemark textregistered textrightarrow textsc
textsection textservicemark textsterling textsuperscript textthreequarters
textthreesuperior texttimes texttrademark texttwosuperior textuparrow textvisiblespace
textwon textyen theta times top triangleleft triangleright u updownarrow uplus upsilon v
varepsilon varphi varpi varrho varsigma vartheta vdash vdots vee wedge wp wr xi zeta
""".split())

# pylatexenc writes these math macros without \ensuremath, which fails in text.
_MATH_FIXES = UnicodeToLatexConversionRule(RULE_DICT, {
    0x025B: r"\ensuremath{\varepsilon}", 0x03D2: r"\ensuremath{\Upsilon}",
    0x0390: r"\ensuremath{\acute{\ddot{\iota}}}"})
_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[_MATH_FIXES, "defaults"], non_ascii_only=True,
    replacement_latex_protection="braces-all", unknown_char_policy="ignore",
    unknown_char_warning=False)
_MACRO = re.compile(r"\\([A-Za-z]+|.)")


def _fallback(char: str) -> str:
    ascii_text = anyascii(char)
    if ascii_text:
        return "".join(ASCII_SPECIAL.get(c, c) for c in ascii_text)
    # Marks and invisible characters (a zero-width joiner) vanish; anything else shows.
    return "" if unicodedata.category(char)[0] in "CMZ" else "?"


@lru_cache(maxsize=4096)
def encode_char(char: str) -> str:
    """One character as LaTeX that compiles without packages."""
    if char in ASCII_SPECIAL:
        return ASCII_SPECIAL[char]
    latex = _ENCODER.unicode_to_latex(char)
    if latex and latex != char and set(_MACRO.findall(latex)) <= _KERNEL_MACROS:
        return latex
    return _fallback(char)


def to_latex(text: str) -> str:
    """Text for a braced BibTeX field: specials escaped, non-ASCII written as LaTeX."""
    text = unicodedata.normalize("NFC", text)
    return _SPECIAL_OR_NON_ASCII.sub(lambda m: encode_char(m.group(0)), text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def non_ascii_to_latex(tex: str) -> str:
    """A formula kept as TeX, its non-ASCII characters (``$φ^3$``) written as macros."""
    return _NON_ASCII.sub(lambda m: encode_char(m.group(0)),
                          unicodedata.normalize("NFC", tex))
