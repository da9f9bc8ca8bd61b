"""A real HTTP server on 127.0.0.1 serving recorded answers, for the network clients.

Tests queue replies per path (the last one repeats) and read back every request the
server received, so they exercise the real client: sockets, timeouts, headers,
retries, streaming.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    # A Content-Length other than the body's (a cut-off answer); -1 sends none, so the
    # body ends when the connection closes.
    length: int | None = None


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class RecordedServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                with server._lock:
                    server.requests.append(Seen(parts.path, parse_qs(parts.query),
                                                dict(self.headers.items())))
                    queue = server.routes.get(parts.path)
                    reply = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else \
                        Reply(404, b"not here")
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    length = len(reply.body) if reply.length is None else reply.length
                    if length >= 0:
                        self.send_header("Content-Length", str(length))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,),
                                       daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def on(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def serve_file(self, path: str, fixture: str, status: int = 200) -> None:
        self.on(path, Reply(status, (FIXTURES / fixture).read_bytes()))


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordedServer]:
    """The server, with the arXiv, Hugging Face and Crossref clients pointed at it, no
    spacing."""
    recorded = RecordedServer()
    recorded.thread.start()
    monkeypatch.setenv("DIGEST_ARXIV_API", recorded.base + "/api/query")
    monkeypatch.setenv("DIGEST_HF_API", recorded.base + "/hf/api")
    monkeypatch.setenv("DIGEST_ARXIV_INTERVAL", "0")
    monkeypatch.setenv("DIGEST_CROSSREF_API", recorded.base + "/crossref")
    monkeypatch.setenv("DIGEST_CROSSREF_INTERVAL", "0")
    monkeypatch.setenv("DIGEST_HTTP_TIMEOUT", "2")
    try:
        yield recorded
    finally:
        recorded.httpd.shutdown()
        recorded.httpd.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
