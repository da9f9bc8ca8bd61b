"""The TeX cleaner's shortcut for text without macros gives exactly pylatexenc's result."""

from __future__ import annotations

import random
import re

import pytest

from digest.text import cleanup

TRICKY = ["a -- b --- c ---- d", "``quoted'' and 'single'", "!`Hola! ?`Que?", "a~b ~ c",
          "88% of $5 & more", "Σ_F(p_0) and ReST^EM #1", "tabs\tand\xa0spaces  here ",
          "'''", "-----", "`` ` ''' ` ``"]


def _slow(text: str) -> str:
    """pylatexenc's conversion, as _tex_text does it for text with macros (after the
    `single quotes' both paths make typographic)."""
    text = cleanup._SINGLE_QUOTED.sub("\u2018\\1\u2019", text)
    text = cleanup._BARE_PERCENT.sub(r"\1\\%", text)
    text = cleanup._BARE_DOLLAR.sub(r"\1\\$", text)
    return " ".join(cleanup._TEX_TO_TEXT.latex_to_text(text).replace("\xa0", " ").split())


@pytest.mark.parametrize("text", TRICKY)
def test_the_shortcut_matches_pylatexenc(text: str) -> None:
    assert not cleanup._TEX_SYNTAX.search(text)
    assert cleanup._tex_text(text) == _slow(text)


@pytest.mark.parametrize("text", ["the `protein folding problem' here",
                                  r"the `protein {folding} problem' \emph{here}"])
def test_tex_single_quotes_are_typographic_on_both_paths(text: str) -> None:
    assert "\u2018protein" in cleanup._tex_text(text) and "`" not in cleanup._tex_text(text)
    assert "problem\u2019" in cleanup._tex_text(text)


def test_the_shortcut_matches_pylatexenc_on_random_text() -> None:
    rng = random.Random(0)
    alphabet = "ab XY.,;:!?'\"()[]<>*-`~%$&_^#\t\n\xa009"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert cleanup._tex_text(text) == _slow(text), repr(text)


@pytest.mark.parametrize("markdown", [False, True])
def test_text_nothing_acts_on_is_only_unwrapped_and_escaped(
        markdown: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A title, name or abstract holding no macro, group, formula, link or TeX special
    skips the conversion's steps, to the same result as taking them all."""
    rng = random.Random(1)
    alphabet = "ab XY.,;:!?'\"()[]<>*+-_^#%&|=@/\t\n\xa009éΣ\ue000\ue012"
    texts = [*TRICKY, "Author 12", "O'Neil", "  A\n title\t", "1. Intro", "# no", "+ item",
             "a_b*c*", "<b>x</b>", "x-y - z", "http:/x", "ftp://x.org/a_b", "a'b' 'c'"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
              for _ in range(3000)]
    quick = [cleanup._tex_convert(t, markdown=markdown) for t in texts]
    monkeypatch.setattr(cleanup, "_TEX_ANYTHING", re.compile(""))  # every step, always
    for text, result in zip(texts, quick, strict=True):
        assert result == cleanup._tex_convert(text, markdown=markdown), repr(text)
