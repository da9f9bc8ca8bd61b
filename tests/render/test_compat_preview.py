"""digest.render.compat against the installed MkDocs and Pagefind: the preview's and the
search index's private names.

Each test pins one name digest relies on (it exists, takes what digest passes, and does
what digest needs), so an upgrade of MkDocs or Pagefind fails here, in one place.
"""

from __future__ import annotations

import gzip
import inspect
import json
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from digest.render import compat
from digest.render.search_bundles import run_async


def _parameters(func: Any) -> list[str]:
    return list(inspect.signature(func).parameters)


# --- digest serve: LiveReloadServer and single-page builds ---


def test_the_serve_url_is_mkdocs_own() -> None:
    from mkdocs.livereload import _serve_url

    assert _parameters(_serve_url) == ["host", "port", "path"]
    assert compat.serve_url("127.0.0.1", 8000, "paper-digest") == \
        "http://127.0.0.1:8000/paper-digest/"
    assert compat.serve_url("127.0.0.1", 8000, "/") == "http://127.0.0.1:8000/"


def test_the_server_methods_digest_overrides_keep_their_signatures() -> None:
    from mkdocs.livereload import LiveReloadServer

    assert _parameters(LiveReloadServer._inject_js_into_html) == ["self", "content", "epoch"]
    assert _parameters(LiveReloadServer._serve_request) == ["self", "environ",
                                                            "start_response"]
    assert _parameters(LiveReloadServer.__init__)[:6] == ["self", "builder", "host", "port",
                                                         "root", "mount_path"]


@pytest.fixture
def server(tmp_path: Path) -> Any:
    """A server that is never started (MkDocs binds its port only in serve())."""
    shown = {"notice": None}
    asked: list[str] = []

    def before(path: str) -> None:  # writes the page it is asked for, as the preview does
        asked.append(path)
        if path == "later/":
            (tmp_path / "later").mkdir(exist_ok=True)
            (tmp_path / "later" / "index.html").write_text("<p>written when asked for</p>")

    server = compat.live_reload_server(
        lambda: None, "127.0.0.1", 0, tmp_path, "/site/",
        notice=lambda: shown["notice"], routes={"/site/status": lambda: b"ready"},
        before=before)
    server.shown, server.asked = shown, asked
    return server


def test_the_notice_goes_after_the_reload_script_before_the_body_ends(server: Any) -> None:
    page = b"<html><body><p>x</p></body></html>"
    plain = server._inject_js_into_html(page, 1)
    assert b"livereload" in plain and plain.endswith(b"</body></html>")
    server.shown["notice"] = b"<div>notice</div>"
    noticed = server._inject_js_into_html(page, 1)
    assert noticed.endswith(b"<div>notice</div></body></html>")
    assert noticed.index(b"livereload") < noticed.index(b"<div>notice</div>")


def test_a_route_is_answered_and_other_paths_reach_mkdocs(server: Any, tmp_path: Path) -> None:
    answered: list[tuple[str, list]] = []
    body = server._serve_request({"PATH_INFO": "/site/status"},
                                 lambda status, headers: answered.append((status, headers)))
    assert body == [b"ready"]
    assert answered == [("200 OK", [("Content-Type", "text/plain"),
                                    ("Cache-Control", "no-store")])]
    assert server._serve_request({"PATH_INFO": "/elsewhere"}, lambda *a: None) is None


def test_a_page_written_before_its_request_is_answered_is_served(server: Any) -> None:
    assert server.mount_path == "/site/"
    assert isinstance(server._epoch_cond, type(threading.Condition()))
    assert server._visible_epoch == server._wanted_epoch  # no rebuild under way
    body = server._serve_request({"PATH_INFO": "/site/later/"}, lambda *a: None)
    assert b"written when asked for" in b"".join(body)
    assert server._serve_request({"PATH_INFO": "/elsewhere/"}, lambda *a: None) is None
    assert server._serve_request({"PATH_INFO": "/site/status"}, lambda *a: None) == [b"ready"]
    assert server.asked == ["later/"]  # not the route, nor what is outside the site


def test_a_rebuild_is_requested_as_the_watcher_requests_it(server: Any) -> None:
    assert isinstance(server._rebuild_cond, type(threading.Condition()))
    assert server._want_rebuild is False
    compat.request_rebuild(server)
    assert server._want_rebuild is True


def test_watched_paths_are_known(server: Any, tmp_path: Path) -> None:
    assert isinstance(server._watched_paths, dict)
    assert not compat.is_watched(server, str(tmp_path))
    server.watch(str(tmp_path))
    assert compat.is_watched(server, str(tmp_path))
    server.unwatch(str(tmp_path))
    assert not compat.is_watched(server, str(tmp_path))


def test_mkdocs_page_steps_keep_their_signatures() -> None:
    from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
    from mkdocs.structure.files import set_exclusions

    assert _parameters(_populate_page)[:3] == ["page", "config", "files"]
    assert _parameters(_build_page)[:5] == ["page", "config", "doc_files", "nav", "env"]
    assert _parameters(_build_theme_template) == ["template_name", "env", "files", "config",
                                                  "nav"]
    assert _parameters(set_exclusions) == ["files", "config"]


def test_a_page_added_after_a_build_is_rendered_with_that_build(tmp_path: Path) -> None:
    """As the preview does on a save: a new page, rendered alone, and the sitemap again."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: pin\nsite_url: https://example.org/\ntheme: material\n", encoding="utf-8")
    kept: dict[str, Any] = {}

    class Keep(BasePlugin):
        def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
            kept.update(nav=nav, files=files)
            return nav

        def on_env(self, env: Any, config: Any, files: Any) -> Any:
            kept["env"] = env
            return env

    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins["keep"] = Keep()
    build(config)
    site = Path(config.site_dir)
    page = compat.add_generated_page(config, kept["files"], "added.md",
                                     "# Added\n\nA [link](index.md).\n")
    assert kept["files"].get_file_from_path("added.md").page is page
    (site / "sitemap.xml").unlink()
    compat.render_pages([page], config, kept["files"], kept["nav"], kept["env"])
    html = (site / "added" / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"added\">Added</h1>" in html and 'href=".."' in html
    compat.build_theme_template("sitemap.xml", kept["env"], kept["files"], config, kept["nav"])
    assert "https://example.org/added/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert (site / "sitemap.xml.gz").is_file()


# --- Pagefind's index files ---


async def _one_page(bundle: Path, write: bool = True) -> list[str]:
    """A real one-page index with a filter; the paths of its files (relative)."""
    from pagefind.index import IndexConfig, PagefindIndex

    index = PagefindIndex(config=IndexConfig(output_path=str(bundle), force_language="en"))
    await index.__aenter__()
    await index.add_custom_record(url="/a/", content="one page", language="en",
                                  meta={"title": "A"}, filters={"author": ["B", "A"]})
    files = [f["path"] for f in await index.get_files()]
    if write:
        await index.write_files()
    await compat.stop_without_writing(index)
    return files


@pytest.fixture(scope="module")
def one_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    bundle = tmp_path_factory.mktemp("pagefind") / "pagefind"
    return bundle, run_async(_one_page, bundle)


def test_pagefind_files_carry_the_signature_and_cbor(one_page: tuple[Path, list[str]]) -> None:
    bundle, _ = one_page
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    meta_path = bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    assert gzip.decompress(meta_path.read_bytes()).startswith(compat.PAGEFIND_SIGNATURE)
    meta = compat.read_pagefind_file(meta_path)
    assert [len(part) for part in meta[1:4]] == [1, 1, 1]  # fragments, chunks, filters
    assert meta[3][0][0] == "author"
    name, values = compat.read_pagefind_file(bundle / "filter" / f"{meta[3][0][1]}.pf_filter")
    assert name == "author" and sorted(value for value, _ in values) == ["A", "B"]
    compat.check_bundle_files(bundle)
    assert compat.bundle_page_count(bundle) == 1


def test_sorted_filter_files_still_make_a_whole_bundle(
        one_page: tuple[Path, list[str]], tmp_path: Path) -> None:
    bundle = Path(shutil.copytree(one_page[0], tmp_path / "pagefind"))
    compat.sort_filter_files(bundle)
    compat.check_bundle_files(bundle)
    once = {p.name: p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    compat.sort_filter_files(bundle)
    assert {p.name: p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == once


def test_a_truncated_file_is_found(one_page: tuple[Path, list[str]], tmp_path: Path) -> None:
    bundle = Path(shutil.copytree(one_page[0], tmp_path / "pagefind"))
    fragment = next((bundle / "fragment").iterdir())
    fragment.write_bytes(fragment.read_bytes()[:20])
    with pytest.raises((OSError, EOFError)):
        compat.check_bundle_files(bundle)


def test_index_files_and_assets_are_told_apart(one_page: tuple[Path, list[str]]) -> None:
    _, files = one_page
    assets = {path for path in files if not compat.is_index_file(path)}
    assert {"pagefind.js", "pagefind-ui.js", "pagefind-ui.css"} <= assets
    assert not any(path.endswith((".pf_meta", ".pf_fragment", ".pf_index", ".pf_filter"))
                   or path == "pagefind-entry.json" for path in assets)


def test_stopping_without_writing_writes_nothing(tmp_path: Path) -> None:
    from pagefind.index import PagefindIndex

    assert _parameters(PagefindIndex.__aexit__) == ["self", "exc_type", "exc_value",
                                                    "traceback"]
    run_async(_one_page, tmp_path / "pagefind", False)
    assert not (tmp_path / "pagefind").exists()
