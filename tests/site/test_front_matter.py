"""Pages handed to MkDocs in memory are read without YAML: the same metadata MkDocs'
own reader gives, for every page and for hostile values."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from digest.config import load_config
from digest.content.load import load_content
from digest.site.front_matter import front_matter, read_front_matter
from digest.site.plan import plan_pages

from tests.conftest import PROJECT

HOSTILE = ['"quoted" and \\\\ backslash', "colon: inside", "line\nbreak", "--- dashes ---",
           "<script>alert(1)</script>", "emoji \U0001f600 and accents é", "tab\there",
           "trailing space ", "", "null", "yes", "1.0", "#comment", "{a: b}", "[1, 2]",
           "next\x85line", "line\u2028separator"]


def _mkdocs(text: str) -> tuple[dict, str]:
    body, meta = get_data(text)
    return meta, body


def test_every_generated_page_reads_as_mkdocs_reads_it() -> None:
    config = load_config(PROJECT)
    content = load_content(config)
    plan = plan_pages(content.papers, config, Path(tempfile.mkdtemp()) / "docs")
    pages = [text for src, text in plan.pages.items() if src.endswith(".md")]
    assert len(pages) > 51
    for text in pages:
        assert read_front_matter(text) == _mkdocs(text)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_read_back_as_written(value: str) -> None:
    text = front_matter({"title": value, "hide": [value, "toc"], "date": "2026-03-11",
                          "n": 3}) + "<p>body</p>\n"
    meta, body = read_front_matter(text)
    assert body == "<p>body</p>\n"
    assert meta["hide"][1] == "toc" and meta["n"] == 3
    assert meta["title"] == value.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    if "\x85" not in value:  # YAML 1.1 folds NEL into a space; JSON keeps what was written
        assert (meta, body) == _mkdocs(text)


def test_other_text_is_refused() -> None:
    for text in ("no front matter", "---\ntitle: x\n", "---\nnot json\n---\n\nbody"):
        with pytest.raises(ValueError):
            read_front_matter(text)
