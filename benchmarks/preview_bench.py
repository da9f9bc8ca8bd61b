"""Time how long a save takes to show in `digest serve`, against a full `digest build`.

Makes a project (benchmarks/corpus.py: realistic, or --synthetic), times `digest build` of it, then
starts `digest serve` on it and, for each kind of save, writes the file and polls
the pages over HTTP until every one of them shows the change:

- edit: an older paper's title changes (its page, and the page of its topic's listing
  that lists it);
- add: a new paper in the newest edition, with the three most common tags and topics,
  so that every page of the biggest listings shifts (its page, page 1 of its first
  topic, of its most common tag and of the edition, and the home page);
- delete: a paper of the newest edition with the most common tag is removed (its page
  answers 404, its topic page drops it);
- topics.yml: a topic's description changes (its topic page and the home page).

A round makes the four saves one right after another, each as soon as the previous one
shows (the background work of the one before still pending), as a contributor saves;
each round starts after the preview has caught up (search index included). Prints a
Markdown table for BENCHMARKS.md.

    .venv/bin/python -m benchmarks.preview_bench --papers 10000
"""

from __future__ import annotations

import argparse
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
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import frontmatter
import yaml

from benchmarks.corpus import REALISTIC, add_shape_argument, machine, make_project
from digest.site.routes import edition_url, tag_url, topic_url

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


def _listing_page(preview: Preview, first: str, slug: str) -> str:
    """The page of the listing at ``first`` that lists the paper ``slug``."""
    number = 1
    while True:
        path = first if number == 1 else f"{first}page/{number}/"
        status, body = _get(preview.url + path)
        if status != 200:
            raise SystemExit(f"no page of {first} lists {slug}")
        if f"papers/{slug}/" in body:
            return path
        number += 1


KINDS = {"edit": "its page, the topic page that lists it",
         "add": "its page; its topic, tag and edition pages, home",
         "delete": "its page (404), its topic page",
         "topics.yml": "the topic page, the home page"}


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
        meta = {f: frontmatter.load(f).metadata for f in files}
        newest = max(m["date"] for m in meta.values())
        # The added paper shifts, and the deleted one pulls back, every page of the
        # biggest listings: the three most common tags and topics.
        tags = [t for t, _ in Counter(t for m in meta.values() for t in m["tags"])
                .most_common(3)]
        topics = [t for t, _ in Counter(t for m in meta.values() for t in m["topics"])
                  .most_common(3)]
        edited = files[100:100 + repeats]
        doomed = [f for f in files if meta[f]["date"] == newest and tags[0] in meta[f]["tags"]
                  and f not in edited]
        topics_yml = project / "site_config" / "topics.yml"
        preview = Preview(project)
        results: dict[str, list[float]] = {kind: [] for kind in KINDS}
        try:
            for n in range(repeats):
                # One round: the saves one right after another, each as soon as the
                # previous one shows, with the background work of the one before pending.
                preview.settle()
                path = edited[n]
                page = BASE + f"papers/{path.stem}/"
                listing = _listing_page(preview, BASE + topic_url(meta[path]["topics"][0]),
                                        path.stem)
                new_title = f"Edited Title {n} for the Preview Benchmark"
                path.write_text(re.sub(r"^title: .*$", f"title: {new_title}",
                                       path.read_text(encoding="utf-8"), count=1, flags=re.M),
                                encoding="utf-8")
                results["edit"].append(preview.wait({page: _shows(new_title),
                                                     listing: _shows(new_title)}))

                slug = f"a-new-paper-for-the-preview-benchmark-{n}"
                new = (f"---\ntitle: A New Paper for the Preview Benchmark {n}\n"
                       f"date: {newest.isoformat()}\ntopics: {json.dumps(topics)}\n"
                       f"tags: {json.dumps(tags)}\n---\n\nWe add one paper and time "
                       "how long the preview takes to show it on every listing.\n")
                (folder / f"{slug}.md").write_text(new, encoding="utf-8")
                results["add"].append(preview.wait({
                    BASE + f"papers/{slug}/": _shows("A New Paper for the Preview"),
                    BASE + topic_url(topics[0]): _shows(slug),
                    BASE + tag_url(tags[0]): _shows(slug),
                    BASE + edition_url(newest): _shows(slug),
                    BASE: _shows(slug)}))

                # A paper of the newest edition: on the first page of its topic.
                gone = doomed[n]
                gone.unlink()
                results["delete"].append(preview.wait({
                    BASE + f"papers/{gone.stem}/": _gone,
                    BASE + topic_url(meta[gone]["topics"][0]):
                    _lacks(f"papers/{gone.stem}/")}))

                taxonomy = yaml.safe_load(topics_yml.read_text(encoding="utf-8"))
                marker = f"Described anew for the preview benchmark, run {n}."
                next(t for t in taxonomy["topics"] if t["slug"] == topics[0])[
                    "description"] = marker
                topics_yml.write_text(yaml.safe_dump(taxonomy, sort_keys=False),
                                      encoding="utf-8")
                results["topics.yml"].append(preview.wait({
                    BASE + topic_url(topics[0]): _shows(marker), BASE: _shows(marker)}))
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
        for kind, times in results.items():
            print(f"| {kind} | {KINDS[kind]} | {len(times)} | "
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
