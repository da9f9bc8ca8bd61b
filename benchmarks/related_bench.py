"""Time the related-papers stage, alone and as a share of a whole `digest build`.

For each size: make a synthetic project (benchmarks/corpus.py), time
digest.enrich.related.related_papers on its papers (best of --repeat; wall clock and this
process's CPU time, which other jobs on a shared machine disturb less), then, with --build,
run one whole build and report every stage's time from the build's own timings.
Prints Markdown for the "Related papers" section of BENCHMARKS.md.

    .venv/bin/python -m benchmarks.related_bench --sizes 10000 20000 40000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import machine, make_project
from digest.build import build_site
from digest.config import load_config
from digest.content.load import load_content
from digest.enrich.related import related_papers


def run(sizes: list[int], repeat: int, build: bool) -> str:
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(Path(tmp) / "project", size)
            papers = load_content(load_config(project)).papers
            alone, cpu = [], []
            for _ in range(repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                related_papers(papers)
                alone.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            row = (f"| {size:,} | {min(alone):.2f} s | {min(cpu):.2f} s | "
                   f"{1000 * min(cpu) / size:.3f} s |")
            if build:
                timings = build_site(project, Path(tmp) / "site").timings
                total = sum(timings.values())
                # Worked out in a child while the pages are generated (digest.util.processes),
                # not a stage of its own since 2026-12-01.
                stage = timings.get("related papers")
                row += (f" {stage:.2f} s | {total:.1f} s | {100 * stage / total:.1f} % |"
                        if stage is not None else
                        f" beside the pages | {total:.1f} s | |")
            else:
                row += " | | |"
            rows.append(row)
            print(row, flush=True)
    head = (f"{machine()}; stage alone best of {repeat}.\n\n"
            "| papers | related papers alone | its CPU time | CPU per 1,000 papers "
            "| stage in `digest build` | whole build | share |\n"
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
    return head + "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", action="store_true", help="also time one whole build")
    print(run(**vars(parser.parse_args())))


if __name__ == "__main__":
    main()
