"""`digest serve`: a contributor edits a paper file and the preview shows the change."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PAGE = "paper-digest/papers/random-teachers-are-good-teachers/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
            if text in body:
                return body
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{text!r} did not appear at {url} within {timeout} s")


def test_preview_picks_up_an_edited_paper(project: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "digest.cli", "serve", "--root", str(project),
         "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base + PAGE, "Random Teachers are Good Teachers")
        _wait_for(base + "paper-digest/pagefind/pagefind-entry.json", '"page_count":51')
        paper = project / "content" / "papers" / "random-teachers-are-good-teachers.md"
        paper.write_text(paper.read_text().replace("title: Random Teachers are Good Teachers",
                                                   "title: Random Teachers are Great Teachers"))
        _wait_for(base + PAGE, "Random Teachers are Great Teachers")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "Serving on" in output
    assert "does not match the title; rename the file to " \
           "random-teachers-are-great-teachers.md" in output
