"""A running `digest serve`, read over HTTP as a browser reads it.

``serving(project)`` starts the preview on a free port, waits for its home page and
stops it afterwards; ``Running`` polls its pages and reads what it printed.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from digest.site.export import DATA_PATH

BASE = "paper-digest/"
ENTRY = BASE + "pagefind/pagefind-entry.json"
STATUS = BASE + "__preview/search-status"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Running:
    url: str
    project: Path
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def paper(self, slug: str) -> Path:
        return self.project / "content" / "papers" / f"{slug}.md"

    def get(self, path: str) -> tuple[int, str]:
        status, body = self.get_bytes(path)
        return status, body.decode("utf-8", "replace" if status != 200 else "strict")

    def get_bytes(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def export(self) -> list[str]:
        """The slugs in the served papers.json.gz (gzip bytes, as a build writes it)."""
        status, body = self.get_bytes(BASE + DATA_PATH)
        assert status == 200 and body[:2] == b"\x1f\x8b"
        return [p["slug"] for p in json.loads(gzip.decompress(body))["papers"]]

    def wait_for(self, path: str, check, what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        body = ""
        while time.monotonic() < deadline:
            try:
                status, body = self.get(path)
                if check(status, body):
                    return body
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"{what} at {path} within {timeout} s; output:\n{self.output}")

    def shows(self, path: str, text: str, timeout: float = 60) -> str:
        return self.wait_for(path, lambda s, b: s == 200 and text in b,
                             f"{text!r} did not appear", timeout)

    def lacks(self, path: str, text: str) -> str:
        return self.wait_for(path, lambda s, b: s == 200 and text not in b,
                             f"{text!r} did not go away")

    def said(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} was not printed; output:\n{self.output}")
            time.sleep(0.2)

    def caught_up(self, timeout: float = 120) -> None:
        """Wait until the background work of the last save is done (search index too)."""
        time.sleep(1.5)  # past the preview's grace period after a save
        self.wait_for(STATUS, lambda s, b: s == 200 and b == "ready",
                      "the search index did not catch up", timeout)

    def indexed(self) -> int:
        return json.loads(self.get(ENTRY)[1])["languages"]["en"]["page_count"]


@contextmanager
def serving(project: Path, env: dict[str, str] | None = None) -> Iterator[Running]:
    """`digest serve` of ``project`` (``env``: more environment variables) while in use."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "digest.cli", "serve", "--root", str(project),
         "--dev-addr", f"127.0.0.1:{port}"], env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    running = Running(f"http://127.0.0.1:{port}/", project)
    reader = threading.Thread(target=lambda: running.lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        running.shows(BASE, "Latest edition", timeout=120)
        yield running
    finally:
        server.terminate()
        server.wait(timeout=20)
        reader.join(timeout=5)
    assert "Serving on" in running.output
