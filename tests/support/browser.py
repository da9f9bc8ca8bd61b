"""Browser-test support: the built site served on 127.0.0.1 under a sub-path, and
Chromium pages that record console errors and every request that leaves 127.0.0.1.

Import the fixtures into a test module with
``from tests.support.browser import browser, served, page  # noqa: F401``.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SUB_PATH = "/paper-digest/"  # the path of the fixture project's url: a GitHub project site
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require_chromium() -> None:
    """Skip without a browser, except under CI=true where browser tests must run."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: .ci/run must install it")
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Served:
    root_url: str  # e.g. http://127.0.0.1:PORT/paper-digest/
    site_dir: Path

    def url(self, path: str = "") -> str:
        return self.root_url + path.lstrip("/")


def serve_site(site_dir: Path, mount: Path, handler: type[SimpleHTTPRequestHandler] = Quiet,
               ) -> tuple[ThreadingHTTPServer, Served]:
    """Serve ``site_dir`` at SUB_PATH from a fresh folder ``mount``, every file's own
    bytes (papers.json.gz as gzip, as GitHub Pages sends it) unless ``handler`` says
    otherwise."""
    mount.mkdir(parents=True, exist_ok=True)
    (mount / SUB_PATH.strip("/")).symlink_to(site_dir, target_is_directory=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(handler, directory=str(mount)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    return server, Served(f"http://127.0.0.1:{port}{SUB_PATH}", site_dir)


@pytest.fixture(scope="session")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server, info = serve_site(site, tmp_path_factory.mktemp("www"))
    yield info
    server.shutdown()


_SHARED: dict[str, object] = {"users": 0}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for the whole session.

    Every test module that imports this fixture gets its own session-scoped copy, and
    Playwright's sync API allows only one running instance: the copies share it.
    """
    require_chromium()
    if not _SHARED["users"]:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["chromium"] = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                         args=CHROMIUM_ARGS)
    _SHARED["users"] += 1
    try:
        yield _SHARED["chromium"]
    finally:
        _SHARED["users"] -= 1
        if not _SHARED["users"]:
            _SHARED.pop("chromium").close()
            _SHARED.pop("playwright").stop()


@dataclass
class Watched:
    """A page plus what it did: console errors and requests that left 127.0.0.1."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.outside_requests == [], "requests left 127.0.0.1"
        assert self.console_errors == [], "console errors"


@pytest.fixture
def page(browser: object) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watched = Watched(pg)

    def on_console(message: object) -> None:
        if message.type == "error":
            watched.console_errors.append(message.text)

    def on_request(request: object) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host != "127.0.0.1":
            watched.outside_requests.append(request.url)

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: watched.console_errors.append(str(exc)))
    context.on("request", on_request)
    yield watched
    context.close()
