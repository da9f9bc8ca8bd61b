"""Lighthouse (mobile) on the five page types of a realistic digest, served as Pages serves it.

Builds a realistic project (benchmarks/corpus.py, one paper given formulas so that a paper
page with math is measured), or takes a built site folder (``--site``), serves it with gzip
and cache headers (benchmarks/serve_gzip.py) and runs Lighthouse's default mobile preset
(slow 4G, 4x CPU slowdown) on the home page, the largest topic's page, the paper with
math, the tags index and the search page with a query (and that page once more with the
desktop preset, where its layout shift was worst). Prints a Markdown table of the
four category scores, the main metrics and the audits that fail, for BENCHMARKS.md.

Needs Node, Chromium (``CHROME_PATH``, default /usr/bin/chromium) and Lighthouse 12:

    npm install --no-save --prefix build/lighthouse lighthouse@12.2.3
    .venv/bin/python -m benchmarks.lighthouse_bench --papers 10000
    .venv/bin/python -m benchmarks.lighthouse_bench --site /tmp/lh-corpus/site --math-paper SLUG

Slow (a minute a page): not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import frontmatter

from benchmarks.corpus import machine, make_project
from benchmarks.serve_gzip import serve

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "build" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
           "cumulative-layout-shift": "CLS", "dom-size": "DOM"}
# Formulas inline and on their own line, as arXiv abstracts write them.
MATH = (" We bound the regret by $O(\\sqrt{T \\log T})$ and show that"
        " $$\\mathcal{L}(\\theta) = \\sum_{i=1}^{n} \\ell(f_\\theta(x_i), y_i) + "
        "\\lambda \\|\\theta\\|_2^2$$ has a unique minimum when $\\lambda > 0$.")


def add_math(project: Path) -> str:
    """Give the first paper (by file name) formulas; its slug."""
    path = sorted((project / "content" / "papers").glob("*.md"))[0]
    post = frontmatter.load(path)
    post.content = post.content.rstrip() + MATH + "\n"
    path.write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")
    return path.stem


def pages(site: Path, math_slug: str) -> dict[str, str]:
    """The five measured pages: name -> path under the site's root."""
    topics = [p.parent for p in (site / "topics").glob("*/index.html")]
    largest = max(topics, key=lambda t: len(list(t.glob("page/*/index.html"))))
    return {"home": "", f"topic ({largest.name})": f"topics/{largest.name}/",
            "paper with math": f"papers/{math_slug}/", "tags index": "tags/",
            "search ?q=diffusion": "search/?q=diffusion",
            "search ?q=diffusion, desktop": "search/?q=diffusion"}


def lighthouse(url: str, out: Path, desktop: bool = False) -> dict:
    """One Lighthouse run (mobile, the default form factor, unless ``desktop``); its
    JSON report."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(
        ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         "--chrome-flags=--headless=new --no-sandbox",
         "--only-categories=" + ",".join(CATEGORIES),
         *(["--preset=desktop"] if desktop else [])],
        check=True, env=env)
    return json.loads(out.read_text(encoding="utf-8"))


def failing(report: dict) -> list[str]:
    """The audits of the four categories that fail, worst first (titles)."""
    ids = {ref["id"] for c in report["categories"].values() for ref in c["auditRefs"]
           if ref.get("weight", 0) > 0 or c["id"] != "performance"}
    bad = [a for i, a in report["audits"].items() if i in ids and a.get("score") is not None
           and a["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
           and a["score"] < 0.9]
    return [f"{a['id']} ({a['score']:.2f})" for a in sorted(bad, key=lambda a: a["score"])]


def row(name: str, report: dict) -> str:
    scores = " | ".join(str(round((report["categories"][c]["score"] or 0) * 100))
                        for c in CATEGORIES)
    metrics = ", ".join(f"{short} {report['audits'][k]['displayValue']}"
                        for k, short in METRICS.items() if k in report["audits"])
    return f"| {name} | {scores} | {metrics} | {', '.join(failing(report)) or '–'} |"


def run(site: Path, math_slug: str, keep: Path | None = None) -> str:
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_port}/"
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, path in pages(site, math_slug).items():
                desktop = name.endswith("desktop")
                out = (keep or Path(tmp)) / (name.split()[0] + "-desktop" * desktop + ".json")
                report = lighthouse(base + path, out, desktop)
                rows.append(row(name, report))
                print(rows[-1], file=sys.stderr, flush=True)
    finally:
        server.shutdown()
    return (f"{machine()}; Lighthouse 12 mobile preset, served with gzip and "
            "`Cache-Control: max-age=600` (benchmarks/serve_gzip.py).\n\n"
            "| page | performance | accessibility | best practices | SEO | metrics "
            "| failing audits |\n| --- | ---: | ---: | ---: | ---: | --- | --- |\n"
            + "\n".join(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--site", type=Path, help="a built site instead of a new build")
    parser.add_argument("--math-paper", help="with --site: the slug of a paper with math")
    parser.add_argument("--keep", type=Path, help="a folder for the JSON reports")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    if args.site:
        print(run(args.site, args.math_paper, args.keep))
        return
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "project", args.papers)
        slug = add_math(project)
        subprocess.run([str(Path(sys.executable).parent / "digest"), "build", "--root",
                        str(project)], check=True)
        print(run(project / "site", slug, args.keep))


if __name__ == "__main__":
    main()
