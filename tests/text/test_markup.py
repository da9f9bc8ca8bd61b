"""Plain abstracts skip Python-Markdown: the shortcut must give exactly its output."""

from __future__ import annotations

import frontmatter
import pytest

from digest.site.routes import relative_url
from digest.text.markup import excerpt, new_markdown, plain_paragraphs
from tests.conftest import FIXTURE_PAPERS

SAMPLES = [frontmatter.load(p).content for p in FIXTURE_PAPERS] + [
    "One paragraph.\n\nTwo paragraphs, with \"quotes\" and 'apostrophes'.",
    "A line\nwrapped inside one paragraph.",
    "Unicode: R⊕, 64×64, D→∞, Σ_F is not plain",
    "ends with trailing spaces   ",
    "one trailing space \n\nthen another paragraph",
]


PLAIN = [t for t in SAMPLES if plain_paragraphs(t) is not None]


@pytest.mark.parametrize("text", PLAIN, ids=range(len(PLAIN)))
def test_shortcut_matches_markdown(text: str) -> None:
    assert plain_paragraphs(text) == new_markdown().convert(text)


def test_most_fixture_abstracts_take_the_shortcut() -> None:
    plain = [t for t in SAMPLES[: len(FIXTURE_PAPERS)] if plain_paragraphs(t) is not None]
    assert len(plain) > len(FIXTURE_PAPERS) // 2


@pytest.mark.parametrize("text", [
    "*emphasis*", "a_b", "[link](x)", "<b>", "AT&T", "1. list", "- item", "# heading",
    "    code", "> quote", "Title\n=====", "hard  \nbreak", "bang!", "`code`",
])
def test_markdown_syntax_is_never_shortcut(text: str) -> None:
    assert plain_paragraphs(text) is None


@pytest.mark.parametrize(("src", "dst", "expected"), [
    ("papers/x/", "topics/y/", "../../topics/y/"),
    ("", "topics/y/", "topics/y/"),
    ("papers/x/", "", "../../"),
    ("papers/x/", "papers/x/", "./"),
    ("papers/x/", "tags/#tag-x", "../../tags/#tag-x"),
    ("topics/y/", "topics/z/", "../z/"),
    ("topics/y/", "topics/y/y.bib", "y.bib"),
])
def test_relative_urls(src: str, dst: str, expected: str) -> None:
    assert relative_url(src, dst) == expected


def test_a_listing_excerpt_is_the_first_sentence_not_cut_at_an_abbreviation() -> None:
    assert excerpt("<p>We compare samplers of many kinds, after Song et al. and others. "
                   "Then we go on.</p>") == ("We compare samplers of many kinds, after Song "
                                             "et al. and others.")
    assert excerpt("<p>Models for long series forecasting, e.g. weather, are hard. "
                   "2 more.</p>") == "Models for long series forecasting, e.g. weather, are hard."


def test_a_long_listing_excerpt_is_cut_between_words_with_an_ellipsis() -> None:
    words = "abcd " * 39 + "abcd, efgh ijkl mnop"  # a complete word ends at character 200
    cut = excerpt(f"<p>{words}</p>")
    assert cut == ("abcd " * 40).strip() + "…"  # the last whole word kept, its comma dropped
    assert excerpt("<p>" + "x" * 300 + "</p>") == "x" * 200 + "…"
