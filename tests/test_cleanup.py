"""LaTeX residue from real seed lines becomes what a reader expects."""

from __future__ import annotations

import pytest

from digest.cleanup import clean_abstract, clean_title
from digest.markup import plain_text, render_abstract


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
