"""Dollars pair as MathJax pairs them, at ingest and at build, while prices written in
prose stay text; arXiv's TeX reaches readers with no raw TeX left (#9)."""

from __future__ import annotations

import re

from digest.text.cleanup import clean_abstract, clean_tex_abstract
from digest.text.markup import plain_text, render_abstract

SOLAR_MASSES = (r"two stars ($\sim$0.4 M$_\odot$), and later ($\sim$0.9 M$_\odot$) in the "
                "cluster")
SIM = "[~∼]"  # latex2mathml draws \sim as "~"; the build may draw it as the relation ∼


def test_dollars_before_digits_pair_as_in_mathjax_at_ingest() -> None:
    """Each "$" closes the formula the one before it opened, even right before a digit."""
    assert clean_abstract(SOLAR_MASSES) == SOLAR_MASSES  # the formulas are kept verbatim
    text = plain_text(render_abstract(clean_abstract(SOLAR_MASSES)))
    assert re.search(rf"\({SIM}0\.4 M⊙\), and later \({SIM}0\.9 M⊙\) in", text), text


def test_prices_with_a_range_are_not_formulas_at_ingest() -> None:
    assert plain_text(render_abstract(clean_abstract("It costs $5-$10, or $20 with $x$ extras."))) \
        == "It costs $5-$10, or $20 with x extras."


def test_dollars_before_digits_pair_as_in_mathjax_at_build() -> None:
    html = str(render_abstract(SOLAR_MASSES))
    formulas = re.findall(r"<math\b.*?</math>", html)
    assert len(formulas) == 4
    assert all(re.search(rf"<m[io]>{SIM}</m[io]>", f) for f in formulas[::2])
    assert all("⊙" in f for f in formulas[1::2])
    assert "0.4 M" not in "".join(formulas) and "0.9 M" not in "".join(formulas)
    text = re.sub(r"<math\b.*?</math>", "F", html)
    assert "(F0.4 MF), and later (F0.9 MF) in the cluster" in text


def test_prices_written_in_prose_stay_text_at_build() -> None:
    html = str(render_abstract("It costs $5 or $10, and $5-$10 with $x$ more."))
    assert html.count("<math") == 1
    assert "It costs $5 or $10, and $5-$10 with <math" in html
    assert str(render_abstract("Paid US$ 5 and US$ 10 in all.")).count("<math") == 0


def test_spaces_inside_dollars_still_make_a_formula_as_in_mathjax() -> None:
    html = str(render_abstract(r"A ratio $ \alpha \sim 2 $ and $$ \sum_k w_k $$ hold."))
    assert html.count("<math") == 2 and '<math display="block">' in html
    assert "<mi>α</mi>" in html and "$" not in html


def test_an_arxiv_abstract_shows_no_raw_tex_once_built() -> None:
    raw = ("  We present galaxies at $z\\sim10-16$ from 50 arcmin$^2$ of \\textit{JWST}\n"
           "imaging: companions ($\\sim$0.4 M$_\\odot$), and later ($\\sim$0.9 M$_\\odot$)\n"
           "are 30\\% more common, with $\\rho_{\\rm UV} \\propto (1+z)^{-2.5}$ --- and\n"
           "Schr{\\\"o}dinger's ``bursty'' \\emph{flows}, costing \\$5.\n")
    html = str(render_abstract(clean_tex_abstract(raw)))
    assert html.count("<math") == 7 and "digest-tex" not in html
    text = plain_text(html)
    assert "\\" not in text and "$" not in text.replace("costing $5", "")
    assert re.search(rf"companions \({SIM}0\.4 M⊙\), and later \({SIM}0\.9 M⊙\) are 30% more "
                     "common", text), text
    assert "<em>JWST</em>" in html and "<em>flows</em>" in html
    assert "— and Schrödinger's “bursty”" in text and text.endswith("costing $5.")
