"""The Pagefind stage guards against the service stopping before its files are written."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from digest.render import search_index
from digest.render.search_bundles import IncompleteBundle, repair_assets, verify_bundle
from digest.render.search_index import StreamingIndex


@pytest.fixture
def bundle(site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(site / "pagefind", tmp_path / "pagefind"))


def test_a_complete_bundle_verifies(bundle: Path) -> None:
    verify_bundle(bundle)


def test_a_truncated_fragment_is_detected(bundle: Path) -> None:
    fragment = next((bundle / "fragment").glob("*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes()[:20])
    with pytest.raises(IncompleteBundle):
        verify_bundle(bundle)


def test_an_empty_entry_file_is_detected(bundle: Path) -> None:
    (bundle / "pagefind-entry.json").write_text("")
    with pytest.raises(IncompleteBundle):
        verify_bundle(bundle)


def test_truncated_or_missing_assets_are_restored(bundle: Path, site: Path) -> None:
    ui = bundle / "pagefind-ui.js"
    ui.write_bytes(ui.read_bytes()[:100])
    (bundle / "pagefind.js").unlink()
    assert repair_assets(bundle) == 2
    assert ui.read_bytes() == (site / "pagefind" / "pagefind-ui.js").read_bytes()
    assert (bundle / "pagefind.js").read_bytes() == (site / "pagefind" / "pagefind.js").read_bytes()
    assert repair_assets(bundle) == 0


def _pages(site: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(site)) + "/" if p.parent != site else ""
                  for p in site.rglob("index.html") if "pagefind" not in p.parts)


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def unindexed(site: Path, tmp_path: Path) -> Path:
    copy = Path(shutil.copytree(site, tmp_path / "site"))
    shutil.rmtree(copy / "pagefind")
    return copy


def test_streaming_index_covers_every_paper_without_fallback(
        unindexed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fallback(*args: object, **kwargs: object) -> int:
        raise AssertionError(f"fell back to indexing the directory: {sys.exc_info()[1]!r}")

    monkeypatch.setattr(search_index, "build_search_index", no_fallback)
    monkeypatch.setattr(StreamingIndex, "BATCH", 7)  # several batches on the shipped site
    streaming = StreamingIndex(unindexed)
    for url in _pages(unindexed):
        streaming.add(url, _html(unindexed, url))
    assert streaming.finish(expected_pages=51) == 51
    verify_bundle(unindexed / "pagefind")


def test_streaming_index_falls_back_when_a_path_is_not_glob_safe(unindexed: Path) -> None:
    streaming = StreamingIndex(unindexed)
    for url in _pages(unindexed):
        streaming.add(url, _html(unindexed, url))
    streaming.add("odd{name}/", "<article data-pagefind-body></article>")
    assert streaming.finish(expected_pages=51) == 51


def test_aborted_streaming_index_writes_nothing(unindexed: Path) -> None:
    streaming = StreamingIndex(unindexed)
    url = "papers/random-teachers-are-good-teachers/"
    streaming.add(url, _html(unindexed, url))
    streaming.abort()
    assert not (unindexed / "pagefind").exists()


def test_streaming_index_sends_pagefind_only_pages_it_would_index(unindexed: Path) -> None:
    """Listings, home and about carry no data-pagefind-body: Pagefind is not sent them."""
    streaming = StreamingIndex(unindexed)
    for url in _pages(unindexed):
        streaming.add(url, _html(unindexed, url))
    sent = streaming._pending[:]
    streaming.abort()
    assert sent and all(path.startswith("papers/") for path in sent)
    assert len(sent) == 51


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pagefind_is_sent_only_the_indexed_article_and_makes_the_same_index(
        unindexed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = "papers/random-teachers-are-good-teachers/"
    view = search_index.index_view(_html(unindexed, url))
    assert len(view) < len(_html(unindexed, url)) / 2
    assert "md-header" not in view and 'lang="en"' in view and "data-pagefind-body" in view
    # Of the article, the parts whose text is not indexed are dropped, unless they hold
    # what Pagefind reads (the title, date sort, filters, metadata).
    assert '<section class="digest-abstract"' in view and "data-pagefind-sort" in view
    assert "@misc" not in view and "Edit this page" not in view and "Related" not in view

    def streamed(site: Path) -> dict[str, bytes]:
        streaming = StreamingIndex(site)
        for page in _pages(site):
            streaming.add(page, _html(site, page))
        assert streaming.finish(expected_pages=51) == 51
        return _tree(site / "pagefind")

    reduced = streamed(unindexed)
    whole = Path(shutil.copytree(unindexed, tmp_path / "whole",
                                 ignore=shutil.ignore_patterns("pagefind")))
    monkeypatch.setattr(search_index, "index_view", lambda html: html)
    assert streamed(whole) == reduced


def test_the_view_keeps_the_abstract_and_fields_whole() -> None:
    """Paragraphs inside the abstract and the extra fields stay, however many."""
    page = ('<html lang="en"><body><article class="digest-paper" data-pagefind-body>'
            '<h1 data-pagefind-meta="title">T</h1><p class="digest-edit"><a>Edit</a></p>'
            '<section class="digest-abstract"><p>One.</p><p>Two.</p></section>'
            '<dl class="digest-fields"><dt>Data</dt><dd><p>Three.</p></dd></dl>'
            '<section class="digest-cite"><p>x</p></section></article></body></html>')
    view = search_index.index_view(page)
    assert ('<h1 data-pagefind-meta="title">T</h1><section class="digest-abstract"><p>One.</p>'
            '<p>Two.</p></section><dl class="digest-fields"><dt>Data</dt><dd><p>Three.</p>'
            '</dd></dl></article>') in view


def test_a_page_without_one_plain_article_body_is_sent_whole() -> None:
    nested = ('<html lang="en"><body><article data-pagefind-body><article>x</article>'
              "</article></body></html>")
    assert search_index.index_view(nested) == nested
    unmarked = '<html lang="en"><body><main data-pagefind-body>x</main></body></html>'
    assert search_index.index_view(unmarked) == unmarked
