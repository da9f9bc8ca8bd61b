"""The search index's last write beside MkDocs' listing pages (digest.render.search_index,
digest.render.renderer): MkDocs renders the paper pages first, Pagefind starts writing the last
shard as soon as the last of them is sent, and MkDocs renders the home, topic, edition
and other pages meanwhile. The site is the same as one built in the old order, with the
write after the render; a failure in a listing page stops Pagefind and leaves the
previous site as it was.
"""

from __future__ import annotations

import filecmp
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest import build as build_module
from digest.build import build_site
from digest.errors import DigestError
from digest.render import renderer as render_module
from digest.render import search_index
from digest.render.settings import PACKAGE_THEME
from tests.render.test_search_shards import SHARD_PAGES, spread  # noqa: F401


@pytest.fixture(params=[SHARD_PAGES, None], ids=["three shards", "one bundle"])
def shard_pages(request: pytest.FixtureRequest,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[int | None]:
    if request.param:
        monkeypatch.setenv("DIGEST_SEARCH_SHARD_PAGES", str(request.param))
    else:
        monkeypatch.delenv("DIGEST_SEARCH_SHARD_PAGES", raising=False)
    yield request.param


class Watch:
    """What the streaming index saw: each page handed over, whether the last bundle's
    write had begun by then, and which paper pages' files were written by then."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pages: list[tuple[str, bool]] = []
        self.files: list[int] = []
        add = search_index.StreamingIndex.add

        def watched(index: search_index.StreamingIndex, url: str, html: str) -> None:
            self.pages.append((url, index._closing is not None))
            self.files.append(sum(1 for _ in (index.site_dir / "papers").glob("*/index.html")))
            add(index, url, html)

        monkeypatch.setattr(search_index.StreamingIndex, "add", watched)


def _differences(compare: filecmp.dircmp) -> list[str]:
    found = [*compare.left_only, *compare.right_only, *compare.diff_files,
             *compare.funny_files]
    for sub in compare.subdirs.values():
        found += _differences(sub)
    return found


def _pagefind_children() -> list[str]:
    """Command lines of this process's child processes that run Pagefind."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"pagefind" in cmdline:
            found.append(cmdline.decode(errors="replace"))
    return found


def test_listing_pages_render_while_the_last_shard_is_written(
        spread: Path, tmp_path: Path, shard_pages: int | None,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    watch = Watch(monkeypatch)
    result = build_site(spread, tmp_path / "site")
    papers = [url for url, _ in watch.pages if url.startswith("papers/") and url != "papers/"]
    assert len(papers) == 51 == result.pages_indexed
    assert [url for url, _ in watch.pages[:51]] == papers  # every paper page first
    listings = watch.pages[51:]
    assert {"", "topics/", "tags/", "about/"} <= {url for url, _ in listings}
    assert all(writing for _, writing in listings)  # Pagefind was writing meanwhile
    assert not any(writing for _, writing in watch.pages[:51])
    # The last shard's paper pages are written after the listing pages are rendered,
    # beside Pagefind's write; the earlier shards' as they are rendered.
    last = 51 % (shard_pages or 51) or (shard_pages or 51)
    assert watch.files[51:] == [51 - last] * len(listings)
    assert len(list((tmp_path / "site" / "papers").glob("*/index.html"))) == 51


def test_the_site_is_the_one_the_old_order_builds(
        spread: Path, tmp_path: Path, shard_pages: int | None,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Byte for byte: every page (their shared frames included), the sitemap, 404.html
    and each shard of the search index, against a build that renders the static
    templates first and the pages in the docs folder's order, and writes the last
    shard after MkDocs is done."""
    overlapped = build_site(spread, tmp_path / "overlapped").site_dir
    with monkeypatch.context() as old:
        old.setattr(render_module, "render_order", render_module.walk_order)
        old.setattr(search_index.StreamingIndex, "_last_sent",
                    search_index.StreamingIndex._send)
        # the sitemap, 404.html and palette.js before the pages, as MkDocs has them
        old.setattr(render_module.DigestPlugin, "on_pre_template",
                    lambda self, template, template_name, config: template)
        old.setattr(render_module.DigestPlugin, "build_static_templates",
                    lambda self, config: None)
        old.setattr(build_module, "last_shard_pages", lambda streaming: [])  # written at once
        watch = Watch(old)
        before = build_site(spread, tmp_path / "before").site_dir
    assert watch.pages[0][0] == ""  # the home page first, as MkDocs lists it
    assert not any(writing for _, writing in watch.pages)
    filecmp.clear_cache()
    assert _differences(filecmp.dircmp(before, overlapped, ignore=[])) == []


def test_a_listing_page_failing_during_the_write_leaves_the_previous_site(
        spread: Path, tmp_path: Path, shard_pages: int | None,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    build_site(spread, site)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    main = spread / "theme" / "main.html"  # the project's override of the package's
    original = (PACKAGE_THEME / "main.html").read_text("utf-8")
    # A template mistake that only topic pages reach: they render after every paper.
    main.write_text(original.replace("{% block site_meta %}", "{% block site_meta %}{% if "
                                     'page and page.url.startswith("topics/") %}{{ oops() }}'
                                     "{% endif %}", 1), "utf-8")
    watch = Watch(monkeypatch)
    try:
        with pytest.raises(DigestError) as failed:
            build_site(spread, site)
    finally:
        main.unlink()
    assert "a theme template could not be rendered" in str(failed.value)
    assert "oops" in str(failed.value.problems[0])
    assert any(writing for _, writing in watch.pages)  # it failed while Pagefind wrote
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging left
    assert _pagefind_children() == []
    assert not [t for t in threading.enumerate() if t.name == "pagefind"]
