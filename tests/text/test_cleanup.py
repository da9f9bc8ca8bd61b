"""LaTeX residue from real seed lines becomes what a reader expects."""

from __future__ import annotations

import pytest

from digest.text.cleanup import clean_abstract, clean_tex_abstract, clean_tex_title, clean_title
from digest.text.markup import plain_text, render_abstract


def shown(raw: str) -> str:
    """What a reader sees: cleaned, rendered and reduced to text."""
    return plain_text(render_abstract(clean_abstract(raw)))


@pytest.mark.parametrize(("raw", "expected"), [
    ("The observed equivalent width is 88\\% the model prediction", "width is 88% the model"),
    ("super Earth (R=1.7 R_oplus, P=3.8 d)", "(R=1.7 R⊕, P=3.8 d)"),
    ("on CIFAR-10/FFHQ 64{times}64 datasets", "CIFAR-10/FFHQ 64×64 datasets"),
    ("diffusion models when D{to}infty. The", "diffusion models when D→∞. The"),
    ("distributed (i.\\,i.\\,d) data. It is known that under i.\\,i.\\,d assumption",
     "distributed (i.i.d.) data. It is known that under i.i.d. assumption"),
    ("self-energy Sigma_{F}(p_0) does not vanish when |p_0|rightarrowinfty and",
     "self-energy Σ_F(p_0) does not vanish when |p_0|→∞ and"),
    ("JWST/NIRSpec 2.8--5.2 mum transmission", "JWST/NIRSpec 2.8–5.2 μm transmission"),
    ("homogeneous space R^3 {times} S^2 is optimal", "homogeneous space R³ × S² is optimal"),
    ("i.e., |Params(M){-}Params(m)|{<}Delta. However", "i.e., |Params(M)-Params(m)|<Δ. However"),
    ("condition langle 0|phi|0rangle =0 of the", "condition ⟨ 0|φ|0⟩ =0 of the"),
    ("a triangle and a beta release", "a triangle and a beta release"),
    ("with alpha=0.5, eta_0 and (pi) but alphabet, metadata=1, api(x) and 2beta",
     "α=0.5, η_0 and (π) but alphabet, metadata=1, api(x) and 2β"),
    ("aleq b, leqslant, x leq y, 1leq2, infty-norm", "aleq b, leqslant, x ≤ y, 1≤2, ∞-norm"),
])
def test_residue_is_cleaned(raw: str, expected: str) -> None:
    assert expected in shown(raw)


def test_emphasis_becomes_italics() -> None:
    html = render_abstract(clean_abstract("descriptors is {\\em persistent homology}, which"))
    assert "<em>persistent homology</em>" in html


@pytest.mark.parametrize("text", [
    "ReST-MCTS* circumvents the per-step annotation; MCTS* is used",
    "snake_case_names and __dunder__ stay",
    "# not a heading",
    "a | b | c table-like text",
    "x <b>bold?</b> < 0.2%",
    "[not a link](javascript:alert(1))",
])
def test_markdown_specials_stay_literal(text: str) -> None:
    assert shown(text) == text


def test_titles_are_plain_text() -> None:
    assert clean_title("Out-of-Equilibrium phi^3 QFT") == "Out-of-Equilibrium φ³ QFT"
    assert clean_title("MC-NEST -- Enhancing") == "MC-NEST – Enhancing"
    assert clean_title("A {\\em new} view") == "A new view"


def test_prices_are_not_formulas() -> None:
    assert shown("It costs $5 or $10 per month.") == "It costs $5 or $10 per month."


def test_formulas_are_kept_verbatim_at_ingest() -> None:
    assert clean_abstract("a loss $x_i^2$ and \\(\\alpha\\) here") == \
        "a loss $x_i^2$ and \\(\\alpha\\) here"


def test_many_unclosed_parens_do_not_stall_ingest() -> None:
    text = "\\( " * 20_000
    assert clean_abstract(text).count("\\(") == 20_000


@pytest.mark.parametrize(("raw", "expected"), [
    ("Bj{\\\"o}rn and Ren{\\'e}e wrote it", "Björn and Renée wrote it"),
    ("{L}atent {D}iffusion {M}odels", "Latent Diffusion Models"),
    ("a 50\\% gain, 30% faster -- and --- so", "a 50% gain, 30% faster – and — so"),
    ("Fig.~1 \\& Table~2 use snake\\_case", "Fig. 1 & Table 2 use snake\\_case"),
    ("``quoted'' text", "“quoted” text"),
    ("\\emph{this} and \\textit{that} but \\textbf{bold}", "*this* and *that* but **bold**"),
    ("{\\em old} {\\bf style}", "*old* **style**"),
    ("the \\LaTeX\\ source, \\texttt{code}", "the LaTeX source, code"),
    ("see \\S 3, hy\\-phen, \\textless{}5 and 3\\,km", "see §3, hyphen, <5 and 3 km"),
    ("costs \\$5 and $5 or $10", "costs \\$5 and \\$5 or \\$10"),
    ("see https://github.com/a/b_c~d/ and \\url{https://x.org/~me}",
     "see https://github.com/a/b\\_c~d/ and https://x.org/~me"),
    ("a [link](javascript:alert(1)) and *stars* and <b>x</b>",
     "a \\[link\\](javascript:alert(1)) and \\*stars\\* and <b>x</b>"),
])
def test_tex_abstract_text_is_converted(raw: str, expected: str) -> None:
    assert clean_tex_abstract(raw) == expected


def test_tex_abstract_unwraps_hard_line_breaks_and_keeps_paragraphs() -> None:
    raw = ("  We study the first\n  thing at length.\n\n  A second\n  paragraph with "
           "$x_i\n  + y$ in it.\n")
    assert clean_tex_abstract(raw) == ("We study the first thing at length.\n\n"
                                       "A second paragraph with $x_i + y$ in it.")


@pytest.mark.parametrize("formula", [
    r"$\frac{a--b}{c}$", r"$\emph{x}\%\_y$", r"\(\'{e}~x\)", r"$$\sum_{k=1}^{n} w_k$$",
    r"$z\sim10-16$", r"$\mathrm{M}_\odot$",
])
def test_tex_formulas_are_never_rewritten(formula: str) -> None:
    assert clean_tex_abstract(f"Before {formula} after -- it.") == f"Before {formula} after – it."
    assert clean_tex_title(f"Title {formula} -- {{T}}itle") == f"Title {formula} – Title"


def test_tex_title_is_plain_text_with_formulas_verbatim() -> None:
    title = clean_tex_title("The JWST View of\n  Galaxies at $z\\sim10-16$: \\emph{A} Survey")
    assert title == "The JWST View of Galaxies at $z\\sim10-16$: A Survey"
    assert clean_tex_title("<script>alert(1)</script> *x*") == "<script>alert(1)</script> *x*"
    masses = r"($\sim$0.4 M$_\odot$), and ($\sim$0.9 M$_\odot$)"
    assert clean_tex_title(masses) == masses


def test_tex_title_dollars_stay_plain_unless_they_would_pair() -> None:
    assert clean_tex_title("A \\$5 Option and $x$") == "A $5 Option and $x$"
    assert clean_tex_title("The \\$a\\$ Trick") == "The \\$a\\$ Trick"  # "$a$" would be a formula


def test_tex_text_drops_our_private_markers_from_hostile_input() -> None:
    assert clean_tex_abstract("x\ue0120\ue013 \ue000y\ue001 \ue010z\ue011 $w$") == "x0 y z $w$"
