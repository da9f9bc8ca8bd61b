"""TeX in abstracts reaches readers as MathML, and hostile TeX comes out inert."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from digest.build import build_site
from digest.text.markup import excerpt, render_abstract
from digest.text.mathml import extract, tex_to_mathml
from tests.conftest import copy_project, write_paper
from tests.support.browser import browser, serve_site  # noqa: F401

ABSTRACT = r"""We bound the loss by $\alpha^2 + \beta$ where \(x_i\) is the *i*-th token
and $\frac{a}{b} < 1$ holds, so $$\sum_{k=1}^{n} w_k = 1$$ and \$5 is a price.
Hostile: $\href{javascript:alert(1)}{click}$, $<script>alert(2)</script>$,
$\text{<img src=x onerror=alert(3)>}$ and $\style{background:red}{y}\hspace{9999em}$.
Broken: $\left( z <b>$ stays as typed.
"""

PAPER = f"""---
title: "Bounds With Formulas"
date: 2026-03-11
topics: [llm-reasoning]
---

{ABSTRACT}"""


@pytest.fixture(scope="module")
def math_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("math") / "project", with_content=False)
    write_paper(project, "bounds-with-formulas.md", PAPER)
    return build_site(project).site_dir


def abstract_of(site: Path) -> str:
    page = (site / "papers" / "bounds-with-formulas" / "index.html").read_text("utf-8")
    return re.search(r'<section class="digest-abstract".*?</section>', page, re.S).group(0)


def test_formulas_render_as_mathml_on_the_paper_page(math_site: Path) -> None:
    html = abstract_of(math_site)
    assert '<msup><mi>α</mi><mn>2</mn></msup><mo>+</mo><mi>β</mi>' in html
    assert "<msub><mi>x</mi><mi>i</mi></msub>" in html
    assert "<mfrac>" in html and "<mo>&lt;</mo><mn>1</mn>" in html
    assert '<math display="block">' in html and "<munderover><mo>∑</mo>" in html
    assert "<em>i</em>-th token" in html  # Markdown outside the math still works
    assert " $5 is a price" in html  # an escaped dollar is no formula, and shows bare


def test_hostile_tex_comes_out_inert(math_site: Path) -> None:
    html = abstract_of(math_site)
    assert "javascript:" not in html and "href" not in html
    assert "<script" not in html and "<img" not in html
    assert not re.search(r"<[^>]*\son\w+=", html)  # no event attribute on any element
    assert "&lt;img&nbsp;src=x&nbsp;onerror=alert(3)&gt;" in html  # shown as text, escaped
    assert "style=" not in html and "9999em" not in html
    assert "<mi>c</mi><mi>l</mi><mi>i</mi><mi>c</mi><mi>k</mi>" in html  # the text, no link


def test_a_formula_that_cannot_be_read_shows_as_typed(math_site: Path) -> None:
    html = abstract_of(math_site)
    assert '<span class="digest-tex">$\\left( z &lt;b&gt;$</span> stays as typed' in html


def test_search_index_holds_symbols_not_tex(math_site: Path) -> None:
    fragments = [gzip.decompress(path.read_bytes()).decode("utf-8")
                 for path in (math_site / "pagefind" / "fragment").glob("*.pf_fragment")]
    text = next(f for f in fragments if "bounds-with-formulas" in f)
    assert "α2+β" in text and "xi is the i-th token" in text
    for tex in ("\\\\alpha", "\\\\frac", "\\\\sum", "\\\\href", "x_i", "\\\\("):
        assert tex not in text


@pytest.mark.browser
def test_formulas_draw_in_chromium_and_run_nothing(math_site: Path, browser: object,  # noqa: F811
                                                   tmp_path: Path) -> None:
    server, served = serve_site(math_site, tmp_path / "www")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(served.url("papers/bounds-with-formulas/"))
        base = page.locator("msup mi").first.bounding_box()
        exponent = page.locator("msup mn").first.bounding_box()
        assert exponent["y"] < base["y"]  # the 2 of α² sits raised: real MathML layout
        fraction = page.locator("mfrac").first.bounding_box()
        assert fraction["height"] > base["height"] * 1.3  # a stacked fraction
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        page.locator("math").nth(3).click()  # the \href formula is no link
        assert page.url.endswith("/papers/bounds-with-formulas/")
        assert dialogs == []
    finally:
        context.close()
        server.shutdown()


def test_abstract_rendering_keeps_markdown_out_of_math() -> None:
    html = render_abstract(r"Both $a_1 * b_2 * c$ and _emphasis_ here.")
    assert "<msub><mi>a</mi><mn>1</mn></msub><mo>*</mo>" in html
    assert "<em>emphasis</em>" in html


def test_placeholders_in_hostile_text_are_dropped() -> None:
    assert str(render_abstract("A \ue0200\ue021 B $x$")).startswith("<p>A 0 B <math")


def test_excerpt_of_a_formula_is_its_symbols() -> None:
    assert excerpt(render_abstract(r"The rate is $\mathcal{O}(n^2)$ in the length of the input.")) \
        == "The rate is 𝒪(n2) in the length of the input."


def test_unknown_macros_count_as_unreadable() -> None:
    assert tex_to_mathml(r"\notamacro x") is None


@pytest.fixture(scope="module")
def fixture_pages(site: Path) -> list[str]:
    return [p.read_text("utf-8") for p in (site / "papers").glob("*/index.html")]


def test_the_fixture_site_has_no_math(fixture_pages: list[str]) -> None:
    assert fixture_pages
    assert not any("<math" in page or "digest-tex" in page for page in fixture_pages)


def test_many_unclosed_parens_do_not_stall_the_build() -> None:
    import time

    start = time.perf_counter()  # the math pass alone: Markdown has its own costs
    text, spans = extract("\\(" * 20000 + " and \\(x_i\\)")
    assert time.perf_counter() - start < 1.0
    assert len(spans) == 1 and "<msub>" in spans[0]


def test_an_abstract_too_deep_for_markdown_leaves_the_next_one_intact() -> None:
    render_abstract("".join("  " * i + "- x\n" for i in range(600)))
    assert str(render_abstract(r"Then _b_ and $x_i$.")).startswith("<p>Then <em>b</em> and <math")


def test_sim_is_the_similarity_relation_not_a_tilde() -> None:
    """latex2mathml writes \\sim as the letter "~"; readers of "$\\sim$0.4 M$_\\odot$"
    expect ∼ spaced as a relation."""
    assert tex_to_mathml("z\\sim10") == ('<math display="inline"><mrow><mi>z</mi><mo>∼</mo>'
                                          "<mn>10</mn></mrow></math>")
    assert "~" not in str(render_abstract("About $\\sim$0.4 M$_\\odot$ of gas."))
