"""MkDocs' live-reload server around a Preview: the notice while the search index catches
up and the route that answers whether it has, later listing pages rendered before they
are served, the site's own error pages, and watching with inotify.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest.render.compat import RENDERER, is_watched, live_reload_server

if TYPE_CHECKING:
    from digest.preview.server import Preview

log = logging.getLogger("mkdocs.digest")

# Served at this path under the site: "ready" once the search index has caught up.
STATUS_PATH = "__preview/search-status"
NOTICE = """<div class="digest-preview-notice" role="status" style="position:fixed;\
z-index:10;right:1rem;bottom:1rem;padding:.5rem .8rem;border-radius:.2rem;font-size:.7rem;\
background:var(--md-default-fg-color);color:var(--md-default-bg-color)">\
Preview: search is catching up with your last save.</div>
<script>(function(){var n=document.querySelector(".digest-preview-notice");\
var t=setInterval(function(){fetch("%s").then(function(r){return r.text()})\
.then(function(s){if(s==="ready"){n.remove();clearInterval(t)}}).catch(function(){})},1000)\
})()</script>"""


def show_mkdocs_log() -> None:
    """Print MkDocs' own messages ("Serving on ...", rebuilds) as its CLI would."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger(RENDERER)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def live_server(preview: Preview, host: str, port: int, mount_path: str) -> Any:
    """MkDocs' server, with a notice on pages while the search index catches up, and
    the notice's question (is it still catching up?) answered at STATUS_PATH."""
    status = mount_path.rstrip("/") + "/" + STATUS_PATH
    notice = (NOTICE % status).encode()

    def footer() -> bytes | None:
        return notice if preview.behind.is_set() else None

    def state() -> bytes:
        return b"catching up" if preview.behind.is_set() else b"ready"

    server = live_reload_server(preview.update, host, port, preview.site_dir, mount_path,
                                notice=footer, routes={status: state}, before=preview.fresh)

    def error_page(code: int) -> bytes | None:
        page = preview.site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    return server


def watch(server: Any, paths: list[Path]) -> None:
    """Watch with inotify where there is one: MkDocs' polling stats every file of
    content/ twice a second, which grows with the papers (BENCHMARKS.md, "Preview")."""
    polling = server.observer
    try:
        from watchdog.observers.inotify import InotifyObserver

        server.observer = InotifyObserver()
        for path in paths:
            server.watch(str(path))
    except (ImportError, OSError) as error:  # no inotify, or too few watches
        log.info(f"watching by polling ({error})")
        for path in paths:
            if is_watched(server, str(path.resolve())):
                server.unwatch(str(path))
        server.observer = polling
        for path in paths:
            server.watch(str(path))
