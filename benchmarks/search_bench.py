"""Measure header search on a generated site: bytes for the first query, time to results.

Makes a project (benchmarks/corpus.py: realistic, or --synthetic), builds it with
`digest build`, serves it on 127.0.0.1 under the GitHub Pages sub-path and drives
Debian's Chromium with Playwright, as a reader would: open a paper page, focus the
header box, type a query.
For each query it records every byte fetched for search (our search.js/css, Pagefind's
JS, WASM, metadata, index chunks and fragments) and the time from the last keystroke to
the results being in the list. Beside them: the size of the search_index.json that
Material's lunr search plugin writes for the same pages (the project built once more
with `plugins: [search]`). Prints a Markdown section for BENCHMARKS.md.

    .venv/bin/python -m benchmarks.search_bench --papers 10000 --work /tmp/search-bench
"""

from __future__ import annotations

import argparse
import gzip
import html
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import yaml

from benchmarks.corpus import add_shape_argument, machine, make_project
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SUB_PATH, serve_site

BIN = Path(sys.executable).parent
TARGET_BYTES = 300_000
TARGET_MS = 300.0
TEXT_TYPES = (".js", ".css", ".json", ".html")
KEY_MS = 120  # a brisk typist: searches start between keys, so typing is really measured
REPEATS = 3

# Record when the last keystroke landed in a search box and when its result list first
# showed the target state (the header box: data-query; the search page: data-shows).
TIMING_HOOK = """({box, list, attribute}) => {
  const input = document.getElementById(box);
  const results = document.getElementById(list);
  window.__bench = {};
  input.addEventListener('input', () => { window.__bench.last = performance.now(); });
  new MutationObserver(() => {
    if (results.getAttribute(attribute) === window.__bench.target && !window.__bench.done) {
      window.__bench.done = performance.now();
    }
  }).observe(results, {attributes: true, attributeFilter: [attribute], childList: true});
}"""
HEADER_BOX = {"box": "digest-header-q", "list": "digest-search-list", "attribute": "data-query"}
SEARCH_PAGE_BOX = {"box": "digest-sp-q", "list": "digest-sp-list", "attribute": "data-shows"}
TARGET = "(target) => { window.__bench = {target: target}; }"
ELAPSED = "() => window.__bench.done - window.__bench.last"


def _build(project: Path, site: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "digest"), "build", "-q", "--root", str(project),
                    "--site-dir", str(site)], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start


def _lunr_project(project: Path) -> None:
    """Turn Material's lunr search plugin on in a copy of the project."""
    path = project / "mkdocs.yml"
    config = yaml.safe_load(path.read_text("utf-8"))
    config["plugins"] = ["search"]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def _category(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if "/assets/search" in path:
        return "our search.js + search.css"
    if name.endswith(".pf_fragment"):
        return "fragments"
    if name.endswith(".pf_index"):
        return "index chunks"
    if name.endswith(".pf_filter"):
        return "filter chunks"
    if name.endswith(".pagefind"):
        return "WASM"
    if name.endswith((".pf_meta", ".json")):
        return "metadata"
    if name.endswith(".js"):
        return "Pagefind JS"
    return "other"


class Probe:
    """One fresh browser context: a paper page, then queries typed into the header box."""

    def __init__(self, browser: object, served_root: str, site: Path, page_path: str) -> None:
        self.site = site
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.fetched: list[str] = []
        self.page.on("requestfinished", lambda request: self.fetched.append(request.url))
        self.page.goto(served_root + page_path)
        self.page.wait_for_load_state("networkidle")
        self.page.evaluate(TIMING_HOOK, HEADER_BOX)

    def query(self, text: str, paste: bool = False) -> tuple[float, int]:
        """Type (or paste) ``text``; return (ms from last keystroke to results, results)."""
        page = self.page
        page.evaluate(TARGET, text.strip())
        box = page.locator("#digest-header-q")
        box.focus()
        box.fill("")
        if paste:
            box.fill(text)
        else:
            box.press_sequentially(text, delay=KEY_MS)
        page.wait_for_function("() => window.__bench.done", timeout=60_000)
        done = page.evaluate(ELAPSED)
        count = page.locator("#digest-search-list [role=option]").count()
        return done, count

    def first_result(self) -> str:
        return self.page.locator("#digest-search-list [role=option]").first.get_attribute("href")

    def bytes_by_category(self, since: int = 0) -> dict[str, tuple[int, int]]:
        """{category: (bytes on the wire from our plain server, bytes gzip-served)}."""
        out: dict[str, list[int]] = {}
        for url in self.fetched[since:]:
            path = unquote(urlsplit(url).path)
            if not re.search(r"/pagefind(-[0-9]+)?/", path) and "/assets/search" not in path:
                continue  # every shard's bundle counts (digest.render.search_index)
            local = self.site / path[len(SUB_PATH):]
            raw = local.stat().st_size
            served = _gzip_size(local) if local.suffix in TEXT_TYPES else raw
            sums = out.setdefault(_category(path), [0, 0])
            sums[0] += raw
            sums[1] += served
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def close(self) -> None:
        self.context.close()


# Pagefind's own search, called directly with the query's index chunks already loaded:
# every match ranked, as the header box does not (its budget), as the search page does.
DIRECT = """async (queries) => {
  const pagefind = await window.DigestSearch.load();
  const out = {};
  for (const query of queries) {
    const response = await pagefind.search(query);  // loads the chunks
    const times = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await pagefind.search(query);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    out[query] = [times[1], response.results.length];
  }
  return out;
}"""


def _search_page(browser: object, root: str, query: str) -> float:
    """ms from filling the search page's box to its results and facets shown."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(root + "search/")
    page.wait_for_function("() => document.getElementById('digest-sp-list').dataset.shows",
                           timeout=60_000)
    page.evaluate(TIMING_HOOK, SEARCH_PAGE_BOX)
    page.evaluate(TARGET, SUB_PATH + "search/?" + urlencode({"q": query}))
    page.locator("#digest-sp-q").fill(query)
    page.wait_for_function("() => window.__bench.done", timeout=60_000)
    ms = page.evaluate(ELAPSED)
    context.close()
    return ms


def measure(site: Path, queries: list[str], warm_queries: list[str]) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()[0]

    paper = sorted((site / "papers").iterdir())[len(queries)].name
    with tempfile.TemporaryDirectory() as tmp:
        server, served = serve_site(site, Path(tmp) / "www")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                     args=CHROMIUM_ARGS)
                cold = []
                for text in queries:
                    for paste in (False, True):
                        runs = []
                        for _ in range(REPEATS):
                            probe = Probe(browser, served.root_url, site, f"papers/{paper}/")
                            ms, count = probe.query(text, paste=paste)
                            runs.append({"ms": ms, "results": count,
                                         "first": probe.first_result() if count else "",
                                         "bytes": probe.bytes_by_category()})
                            probe.close()
                        cold.append({"query": text, "paste": paste, "runs": runs})
                probe = Probe(browser, served.root_url, site, f"papers/{paper}/")
                probe.query(queries[0])
                warm = []
                for _ in range(3):
                    for text in warm_queries:
                        warm.append(probe.query(text)[0])
                direct = probe.page.evaluate(DIRECT, queries[1:])
                probe.close()
                search_page = {text: statistics.median(
                    _search_page(browser, served.root_url, text) for _ in range(REPEATS))
                    for text in queries[1:]}
                browser.close()
        finally:
            server.shutdown()
    return {"cold": cold, "warm": warm, "load": load, "direct": direct,
            "search_page": search_page}


def _kb(n: int) -> str:
    return f"{n / 1000:.0f} KB"


def _served(run: dict[str, object]) -> int:
    return sum(v[1] for v in run["bytes"].values())


def _most_bytes(entry: dict[str, object]) -> dict[str, object]:
    return max(entry["runs"], key=_served)


def _ms(entry: dict[str, object]) -> str:
    times = [run["ms"] for run in entry["runs"]]
    return f"**{statistics.median(times):.0f} ms** ({min(times):.0f}–{max(times):.0f})"


def report(papers: int, lunr: dict[str, int] | None, result: dict[str, object],
           title_slug: str) -> str:
    cold = result["cold"]
    typed = [c for c in cold if not c["paste"]]
    pasted = [c for c in cold if c["paste"]]
    categories = sorted({k for c in cold for run in c["runs"] for k in run["bytes"]})
    lines = [
        f"{machine()}, Chromium headless; load average "
        f"{result['load']:.1f} at the start. "
        f"Site of {papers:,} papers (benchmarks/corpus.py) built with `digest build`, "
        f"served from 127.0.0.1 under `{SUB_PATH}`. "
        "Each query in a fresh browser context on a paper page: the reader focuses the header "
        f"box (Pagefind loads from then on) and types the query at {KEY_MS} ms a key, "
        f"or pastes it; {REPEATS} runs of each.",
        "",
        "Bytes for the first query: everything search fetched, including our own "
        "search.js and search.css, in the run that fetched most. \"Wire\" is what our plain "
        "test server sent; \"gzip\" is what a gzip-serving host such as GitHub Pages sends "
        "(Pagefind's own files are already compressed, its JS is not). Times: median "
        "(fastest–slowest run).",
        "",
        "| first query | results shown | " + " | ".join(categories)
        + " | total wire | total gzip | last key → results (typed) | pasted: gzip | "
        "pasted: paste → results |",
        "| --- | ---: | " + " | ".join("---:" for _ in categories)
        + " | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t, p in zip(typed, pasted, strict=True):
        run = _most_bytes(t)
        per = run["bytes"]
        wire = sum(v[0] for v in per.values())
        cells = " | ".join(_kb(per.get(k, (0, 0))[1]) for k in categories)
        lines.append(f"| `{t['query']}` | {run['results']} | {cells} | {_kb(wire)} | "
                     f"**{_kb(_served(run))}** | {_ms(t)} | "
                     f"**{_kb(_served(_most_bytes(p)))}** | {_ms(p)} |")
    title_first = all(f"/papers/{title_slug}/" in run["first"]
                      for c in cold[:2] for run in c["runs"])
    warm = result["warm"]
    worst_served = max(_served(run) for c in cold for run in c["runs"])
    typed_medians = [statistics.median(run["ms"] for run in c["runs"]) for c in typed]
    pasted_medians = [statistics.median(run["ms"] for run in c["runs"]) for c in pasted]
    slowest_run = max(run["ms"] for c in typed for run in c["runs"])
    lines += [
        "",
        "(Category columns are gzip-served bytes.) The exact-title query put its paper first "
        f"in every run: {'yes' if title_first else 'NO'}.",
        "",
        f"Later queries on the same page (index and WASM cached): median "
        f"{statistics.median(warm):.0f} ms, worst {max(warm):.0f} ms from last key to results "
        f"over {len(warm)} queries.",
        "",
        "Pagefind ranking every match itself, index chunks loaded (what the header box "
        "avoids past its budget), median of 3: "
        + "; ".join(f"`{q}` {ms:.0f} ms ({n:,} matches)"
                    for q, (ms, n) in result["direct"].items()) + ".",
        "",
        f"The search page (its own box; every match ranked, every facet counted), from "
        f"filling the box to results and facets shown, median of {REPEATS}: "
        + "; ".join(f"`{q}` {ms:.0f} ms" for q, ms in result["search_page"].items()) + ".",
        "",
        *([f"Material's lunr search for the same pages: `search/search_index.json` is "
           f"{lunr['index_raw'] / 1e6:.1f} MB ({lunr['index_gzip'] / 1e6:.1f} MB gzip), "
           f"fetched whole on every page load, plus its search worker "
           f"({_kb(lunr['worker_gzip'])} gzip).", ""] if lunr else []),
        f"Targets: at most {_kb(TARGET_BYTES)} for the first query — most in any run "
        f"{_kb(worst_served)} gzip-served, "
        f"{'met' if worst_served <= TARGET_BYTES else 'NOT met'}; at most {TARGET_MS:.0f} ms "
        f"from the last key to results — slowest typed query {max(typed_medians):.0f} ms "
        f"(median; slowest single run {slowest_run:.0f} ms), "
        f"{'met' if max(typed_medians) <= TARGET_MS else 'NOT met'}. A paste right after "
        f"focusing the box, while Pagefind itself is still loading: slowest "
        f"{max(pasted_medians):.0f} ms (median).",
    ]
    return "\n".join(lines)


def _lunr_sizes(site: Path) -> dict[str, int]:
    index = site / "search" / "search_index.json"
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    return {"index_raw": index.stat().st_size, "index_gzip": _gzip_size(index),
            "worker_gzip": _gzip_size(worker)}


def _queries(site: Path) -> tuple[list[str], str]:
    """An exact title (and its paper's slug), a topic word, a common word, a topic phrase,
    and a query ending in a short word (the box waits longer before searching it)."""
    page = sorted((site / "papers").iterdir())[len(os.listdir(site / "papers")) // 2]
    text = (page / "index.html").read_text("utf-8")
    title = re.search(r'<h1 data-pagefind-meta="title[^"]*"[^>]*>(.*?)</h1>', text, re.S)
    title = re.sub(r"<[^>]+>", "", title.group(1))
    queries = [html.unescape(title), "diffusion", "model", "theorem proving", "reasoning RL"]
    return queries, page.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "search-bench")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the sites already built in --work")
    parser.add_argument("--no-lunr", action="store_true",
                        help="skip the lunr comparison (a second build of the whole site)")
    add_shape_argument(parser)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit("needs /usr/bin/chromium")
    work: Path = args.work
    site, lunr_site = work / "site", work / "site-lunr"
    if not (args.reuse and (site / "pagefind").is_dir()):
        project = make_project(work / "project", args.papers, shape=args.shape)
        print(f"built {args.papers} papers in {_build(project, site):.0f} s", file=sys.stderr)
    if not args.no_lunr and not (args.reuse and
                                 (lunr_site / "search" / "search_index.json").is_file()):
        project = make_project(work / "project-lunr", args.papers, shape=args.shape)
        _lunr_project(project)
        _build(project, lunr_site)
        print("built the lunr comparison", file=sys.stderr)
    queries, slug = _queries(site)
    result = measure(site, queries, ["reasoning", "graphs vision", queries[0].split()[0]])
    print(report(args.papers, None if args.no_lunr else _lunr_sizes(lunr_site), result, slug))


if __name__ == "__main__":
    main()
