"""Time `digest import` and `digest ingest` of N papers from one file into an empty project.

`import`: a Hugging Face daily-papers file of N items shaped like the API's answer
(arXiv id, title, a 150-250 word abstract from benchmarks/corpus.py's model of the
seed, three authors, a date, upvotes and a code link). `ingest`: a copied papers page
of the same titles and abstracts. The project has the fixture's topic taxonomy, so the
tagger does its real work. Times the first run (parse, tag, render, check, write) and
a second, which finds every file unchanged. Target (issue 10): 5,000 papers in at
most 5 s.

Creating files is slow on ext4 for minutes after many files were deleted near them
(the inode allocator steps over each recently freed inode): the runs keep their
projects until the end, and a run right after another benchmark's clean-up (or a
build's old site/) measures that, not digest. Leave the disk a few minutes' rest.

    .venv/bin/python -m benchmarks.import_bench --sizes 1000 5000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import shutil
import tempfile
import time
from functools import partial
from pathlib import Path

from benchmarks.corpus import FIXTURE, _bigrams, _text, machine, make_project
from digest.config import load_config
from digest.intake.commands import import_files
from digest.intake.ingest import ingest


def daily_file(path: Path, papers: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    chain, starts = _bigrams()
    items = [{"paper": {
        "id": f"2401.{i:05d}",
        "title": _text(rng, chain, starts, rng.randint(6, 12)).rstrip(".") + f" ({i})",
        "summary": _text(rng, chain, starts, rng.randint(150, 250)),
        "authors": [{"name": f"Author {rng.randint(1, 999)}"} for _ in range(3)],
        "publishedAt": "2024-01-02T17:00:00.000Z",
        "upvotes": rng.randint(0, 200),
        "githubRepo": f"https://github.com/lab/repo-{i}",
    }} for i in range(papers)]
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def page_file(path: Path, papers: int) -> Path:
    """A copied papers page of the same titles and abstracts as daily_file's."""
    items = json.loads(daily_file(path.with_suffix(".json"), papers).read_text("utf-8"))
    entries = [f"{item['paper']['title']}\n\n{item['paper']['summary']}" for item in items]
    path.write_text("Daily Papers\n\nJan 2\n\n" + "\n\n".join(entries) + "\n", "utf-8")
    return path


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run(papers: int, command: str, work: Path) -> tuple[float, float, float]:
    """One import into a new project under ``work``, which the caller removes at the end:
    on ext4, files deleted in the last minutes make every new file slow to create (its
    inode allocator skips recently freed inodes one by one), so a run must not follow
    the previous run's clean-up."""
    tmp = tempfile.mkdtemp(dir=work)
    project = make_project(Path(tmp) / "project", 0)
    shutil.copy2(FIXTURE / "site_config" / "topics.yml", project / "site_config")
    config = load_config(project)
    if command == "import":
        once = partial(import_files, config, [daily_file(Path(tmp) / "daily.json", papers)])
    else:
        once = partial(ingest, page_file(Path(tmp) / "page.txt", papers), config,
                       date=dt.date(2024, 1, 2))
    start, cpu = time.perf_counter(), _cpu()
    report = once()
    first, first_cpu = time.perf_counter() - start, _cpu() - cpu
    assert len(report.written) == papers, report.summary
    start = time.perf_counter()
    report = once()
    again = time.perf_counter() - start
    assert len(report.unchanged) == papers, report.summary
    return first, first_cpu, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--commands", nargs="+", choices=["import", "ingest"],
                        default=["import", "ingest"])
    args = parser.parse_args()
    print(machine())
    print("\n| command | papers | first run (CPU, workers included) | second run, all "
          "unchanged |")
    print("| --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as work:
        for command in args.commands:
            for size in args.sizes:
                first, cpu, again = run(size, command, Path(work))
                print(f"| `digest {command}` | {size:,} | {first:.1f} s ({cpu:.1f} s) "
                      f"| {again:.1f} s |")


if __name__ == "__main__":
    main()
