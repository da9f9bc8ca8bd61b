"""Serve a built site as GitHub Pages serves it, for Lighthouse (benchmarks/lighthouse_bench.py).

Pages compresses text responses with gzip when the browser accepts it, sends
``Cache-Control: max-age=600`` with an ETag and a Last-Modified date, and answers a
matching If-None-Match with 304. Measuring the site over plain ``http.server`` instead
(no compression, no cache headers) would blame the site for bytes and requests that a
reader never pays for. Binds 127.0.0.1 only.

    .venv/bin/python -m benchmarks.serve_gzip /tmp/lh-corpus/site --port 8017
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import http.server
import os
import threading
from functools import partial
from pathlib import Path

# What Pages compresses (by type); images, fonts and Pagefind's own packed files are not.
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
              "image/svg+xml", "application/atom+xml", "application/wasm")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """http.server's file handler, answering as GitHub Pages does."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "application/javascript", ".mjs": "application/javascript",
                      ".wasm": "application/wasm", ".json": "application/json",
                      ".xml": "application/xml", ".svg": "image/svg+xml",
                      ".pagefind": "application/octet-stream",
                      ".pf_meta": "application/octet-stream",
                      ".pf_index": "application/octet-stream",
                      ".pf_fragment": "application/octet-stream",
                      ".pf_filter": "application/octet-stream"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        """Quiet: Lighthouse makes hundreds of requests."""

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404, "Not found")
            return None
        data = path.read_bytes()
        stat = path.stat()
        etag = '"' + hashlib.blake2b(data, digest_size=8).hexdigest() + '"'
        ctype = self.guess_type(str(path))
        zipped = (ctype.startswith(TEXT_TYPES)
                  and "gzip" in self.headers.get("Accept-Encoding", ""))
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self._cache_headers(etag, stat.st_mtime)
            self.end_headers()
            return None
        if zipped:
            data = gzip.compress(data, compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if zipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self._cache_headers(etag, stat.st_mtime)
        self.end_headers()
        return _Body(data)

    def _cache_headers(self, etag: str, mtime: float) -> None:
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))


class _Body:
    """The bytes to send, as the file object SimpleHTTPRequestHandler copies from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1) -> bytes:
        data, self._data = self._data, b""
        return data

    def close(self) -> None:
        self._data = b""


def serve(site: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """Start serving ``site`` on 127.0.0.1 in a thread; the server (``server_port``)."""
    handler = partial(GzipHandler, directory=os.fspath(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--port", type=int, default=8017)
    args = parser.parse_args()
    handler = partial(GzipHandler, directory=os.fspath(args.site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving {args.site} on http://127.0.0.1:{args.port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
