"""Time `digest build` against a bare MkDocs Material build plus Pagefind, same pages.

For each size: make a synthetic project (benchmarks/corpus.py), run `digest build`
(read, validate, tag, generate, render, index), then build the very pages it
generated with plain `mkdocs build` (Material, papers out of nav, no search
plugin, no digest theme overrides) followed by a Pagefind run. Prints a Markdown
table for BENCHMARKS.md.

    .venv/bin/python -m benchmarks.build_bench --sizes 1000 5000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.corpus import machine, make_project
from digest.config import load_config
from digest.content import load_content
from digest.generate import generate

BIN = Path(sys.executable).parent


def _timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start


def _bare_baseline(project: Path, work: Path) -> tuple[float, float]:
    """(mkdocs seconds, pagefind seconds) for a bare build of the generated pages."""
    config = load_config(project)
    plan = generate(load_content(config).papers, config, work / "docs")
    bare = {
        "site_name": "Bare", "docs_dir": str(work / "docs"), "site_dir": str(work / "site"),
        "theme": {"name": "material", "font": False}, "plugins": [], "nav": plan.nav,
        "not_in_nav": plan.not_in_nav, "use_directory_urls": True,
    }
    (work / "mkdocs.yml").write_text(yaml.safe_dump(bare), encoding="utf-8")
    mkdocs = _timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(work / "mkdocs.yml")], work)
    start = time.perf_counter()
    from pagefind.index import IndexConfig, PagefindIndex

    async def index() -> None:
        cfg = IndexConfig(output_path=str(work / "site" / "pagefind"))
        async with PagefindIndex(config=cfg) as idx:
            await idx.add_directory(str(work / "site"))

    asyncio.run(index())
    return mkdocs, time.perf_counter() - start


def run(sizes: list[int], repeat: int) -> str:
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(Path(tmp) / "project", size)
            digest_times, bare_times = [], []
            for _ in range(repeat):
                shutil.rmtree(project / "site", ignore_errors=True)
                digest_times.append(_timed([str(BIN / "digest"), "build", "-q", "--root",
                                            str(project)], project))
                work = Path(tmp) / "bare"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir()
                mk, pf = _bare_baseline(project, work)
                bare_times.append((mk + pf, mk, pf))
            d = min(digest_times)
            b, mk, pf = min(bare_times)
            rows.append(f"| {size:,} | {d:.1f} s | {b:.1f} s ({mk:.1f} s + {pf:.1f} s) "
                        f"| {d / b:.2f} |")
            print(rows[-1], flush=True)
    head = (f"{machine()}; best of {repeat}.\n\n"
            "| papers | `digest build` | bare MkDocs Material + Pagefind (MkDocs + Pagefind) "
            "| ratio |\n"
            "| ---: | ---: | ---: | ---: |\n")
    return head + "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=1)
    print(run(**vars(parser.parse_args())))


if __name__ == "__main__":
    main()
