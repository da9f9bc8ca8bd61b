"""Time how long a save takes to show in `digest serve`, against a full `digest build`.

Makes a project (benchmarks/corpus.py: realistic, or --synthetic), times `digest build` of it, then
starts `digest serve` on it and, for each kind of save, writes the file and polls
the pages over HTTP until every one of them shows the change:

- edit: a paper's title changes (its page, and its topic page);
- add: a new paper in the newest edition (its page, its topic, edition and tags
  pages, and the home page);
- delete: a paper file is removed (its page answers 404, its topic page drops it);
- topics.yml: a topic's description changes (its topic page and the home page).

Each kind runs a few times, each time after the preview has caught up (search
index included). Prints a Markdown table for BENCHMARKS.md.

    .venv/bin/python -m benchmarks.preview_bench --papers 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import REALISTIC, add_shape_argument, machine, make_project

BIN = Path(sys.executable).parent
BASE = "paper-digest/"
Check = Callable[[int, str], bool]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def _shows(text: str) -> Check:
    return lambda status, body: status == 200 and text in body


def _lacks(text: str) -> Check:
    return lambda status, body: status == 200 and text not in body


def _gone(status: int, body: str) -> bool:
    return status == 404


class Preview:
    def __init__(self, project: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        start = time.perf_counter()
        self.process = subprocess.Popen(
            [str(BIN / "digest"), "serve", "--root", str(project),
             "--dev-addr", f"127.0.0.1:{self.port}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout),
                         daemon=True).start()
        self.wait({BASE: _shows("Latest edition")}, timeout=900)
        self.startup = time.perf_counter() - start

    def wait(self, checks: dict[str, Check], timeout: float = 300) -> float:
        """Seconds until every page passes its check, polling every 20 ms."""
        start = time.perf_counter()
        pending = dict(checks)
        while pending:
            if time.perf_counter() - start > timeout:
                raise SystemExit(f"no change at {list(pending)} after {timeout} s:\n"
                                 + "".join(self.lines[-30:]))
            for path, check in list(pending.items()):
                try:
                    if check(*_get(self.url + path)):
                        del pending[path]
                except (urllib.error.URLError, ConnectionError):
                    pass
            time.sleep(0.02)
        return time.perf_counter() - start

    def settle(self) -> None:
        """Wait until the background work (related papers, search index) is done."""
        status = BASE + "__preview/search-status"
        time.sleep(1.0)
        self.wait({status: lambda s, b: s == 200 and b == "ready"}, timeout=900)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _front(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {k: v for k, v in re.findall(r"^(title|date): (.*)$", text, re.M)}


def run(papers: int, repeats: int, shape: str = REALISTIC) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "project", papers, shape=shape)
        start = time.perf_counter()
        subprocess.run([str(BIN / "digest"), "build", "-q", "--root", str(project),
                        "--site-dir", str(Path(tmp) / "site")], check=True,
                       stdout=subprocess.DEVNULL)
        build = time.perf_counter() - start
        folder = project / "content" / "papers"
        files = sorted(folder.glob("*.md"))
        newest = max(dt.date.fromisoformat(_front(f)["date"]) for f in files)
        topics_yml = project / "site_config" / "topics.yml"
        preview = Preview(project)
        results: dict[str, list[float]] = {"edit": [], "add": [], "delete": [], "topics.yml": []}
        try:
            for n in range(repeats):
                preview.settle()
                path = files[100 + n]
                page = BASE + f"papers/{path.stem}/"
                topic = re.search(r"^- (\S+)$", path.read_text(), re.M)[1]
                title = _front(path)["title"].strip("'\"")
                new_title = f"Edited Title {n} for the Preview Benchmark"
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace(title, new_title, 1), encoding="utf-8")
                results["edit"].append(preview.wait({page: _shows(new_title),
                                                     BASE + f"topics/{topic}/":
                                                     _shows(new_title)}))

                preview.settle()
                slug = f"a-new-paper-for-the-preview-benchmark-{n}"
                new = (f"---\ntitle: A New Paper for the Preview Benchmark {n}\n"
                       f"date: {newest.isoformat()}\ntopics: [{topic}]\n"
                       f"tags: [preview benchmark {n}]\n---\n\nWe add one paper and time "
                       "how long the preview takes to show it on every listing.\n")
                (folder / f"{slug}.md").write_text(new, encoding="utf-8")
                results["add"].append(preview.wait({
                    BASE + f"papers/{slug}/": _shows("A New Paper for the Preview"),
                    BASE + f"topics/{topic}/": _shows(slug),
                    BASE + f"editions/{newest.isoformat()}/": _shows(slug),
                    BASE + "tags/": _shows(f"preview benchmark {n}"),
                    BASE: _shows(slug)}))

                preview.settle()
                gone = files[200 + n]
                gone_topic = re.search(r"^- (\S+)$", gone.read_text(), re.M)[1]
                gone.unlink()
                results["delete"].append(preview.wait({
                    BASE + f"papers/{gone.stem}/": _gone,
                    BASE + f"topics/{gone_topic}/": _lacks(f"papers/{gone.stem}/")}))

                preview.settle()
                taxonomy = topics_yml.read_text(encoding="utf-8")
                marker = f"Described anew for the preview benchmark, run {n}."
                taxonomy = re.sub(rf"(slug: {topic}\n.*?description: )[^\n]*",
                                  rf"\g<1>{marker}", taxonomy, count=1, flags=re.S)
                topics_yml.write_text(taxonomy, encoding="utf-8")
                results["topics.yml"].append(preview.wait({
                    BASE + f"topics/{topic}/": _shows(marker), BASE: _shows(marker)}))
            preview.settle()
            indexed = json.loads(_get(preview.url + BASE + "pagefind/pagefind-entry.json")[1])
        finally:
            preview.stop()
        print(machine())
        print(f"\n{papers} papers: `digest build` {build:.1f} s; `digest serve` first start "
              f"{preview.startup:.1f} s ({preview.startup / build:.2f}x the build); "
              f"search index at the end: {indexed['languages']['en']['page_count']} pages\n")
        print("| save | pages checked | runs | median | max | max / build |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        checked = {"edit": "its page, its topic page",
                   "add": "its page; topic, edition, tags and home listings",
                   "delete": "its page (404), its topic page",
                   "topics.yml": "the topic page, the home page"}
        for kind, times in results.items():
            print(f"| {kind} | {checked[kind]} | {len(times)} | "
                  f"{statistics.median(times):.2f} s | {max(times):.2f} s | "
                  f"{max(times) / build:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    add_shape_argument(parser)
    args = parser.parse_args()
    run(args.papers, args.repeats, args.shape)


if __name__ == "__main__":
    main()
