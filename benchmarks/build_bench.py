"""Time `digest build` against the bare site a user would build instead, in the same run.

For each size: make a project (benchmarks/corpus.py: realistic, or --synthetic) and,
from the same abstracts, the bare project: its own mkdocs.yml (`theme: material`, `plugins: []`,
`nav: [index.md]`, the papers in `not_in_nav`), one page per paper holding `# title`
and the abstract. Then, alternating the two, `digest build` and `mkdocs build` followed
by the Pagefind CLI (`python -m pagefind --site site`), each as child processes. It
reports the time ratio (and the ratio of CPU time, user + system, which other jobs on
a shared machine disturb less), each build's peak memory (the summed resident memory of the
whole process tree, sampled every 20 ms), the site's bytes per paper (every file)
and `digest build`'s time by stage (the lines it prints). Prints Markdown for
BENCHMARKS.md.

    .venv/bin/python -m benchmarks.build_bench --sizes 1000 5000 --repeat 2

Each build's figures are also printed as it ends (to stderr), so a run stopped
part way still shows what it measured. ``--digest-only`` skips the bare builds (and
still reports what the site holds per paper, by part).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from benchmarks.corpus import REALISTIC, add_shape_argument, machine, make_project

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
_STAGE = re.compile(r"^(.+): (\d+\.\d+) s$")


@dataclass
class Run:
    seconds: float = 0.0
    cpu: float = 0.0  # user + system seconds of the whole process tree
    peak_rss: int = 0  # bytes, summed over the process tree
    stages: dict[str, float] = field(default_factory=dict)


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children[int(fields[1])].append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def _measure(commands: list[list[str]], cwd: Path) -> Run:
    """Run ``commands`` one after the other; time them and sample their memory."""
    run = Run()
    start = time.perf_counter()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = used.ru_utime + used.ru_stime
    for cmd in commands:
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        peak = [0]

        def sample(proc: subprocess.Popen = proc, peak: list[int] = peak) -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        output, _ = proc.communicate()
        sampler.join()
        if proc.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{output}")
        run.peak_rss = max(run.peak_rss, peak[0])
        for line in output.splitlines():
            if match := _STAGE.match(line.strip()):
                run.stages[match[1]] = float(match[2])
    run.seconds = time.perf_counter() - start
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = used.ru_utime + used.ru_stime - cpu_before
    return run


def make_bare(project: Path, target: Path) -> Path:
    """The bare MkDocs Material project of the same abstracts: what a user would build."""
    docs = target / "docs"
    (docs / "papers").mkdir(parents=True)
    (docs / "index.md").write_text("# Papers\n\nAbstracts of research papers.\n",
                                   encoding="utf-8")
    for path in sorted((project / "content" / "papers").glob("*.md")):
        post = frontmatter.load(path)
        (docs / "papers" / path.name).write_text(f"# {post['title']}\n\n{post.content}\n",
                                                 encoding="utf-8")
    config = {"site_name": "Bare", "theme": {"name": "material"}, "plugins": [],
              "nav": ["index.md"], "not_in_nav": "/papers/\n"}
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return target


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def site_parts(site: Path) -> dict[str, int]:
    """Bytes by part of the site: top folders, feeds, BibTeX files, other files by name."""
    parts: dict[str, int] = defaultdict(int)
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site)
            if len(rel.parts) > 1:
                key = rel.parts[0] + "/"
            elif path.name.startswith("feed"):
                key = "feed*.xml"
            elif path.suffix == ".bib":
                key = "*.bib"
            else:
                key = path.name
            parts[key] += path.stat().st_size
    return dict(sorted(parts.items(), key=lambda kv: -kv[1]))


def _digest(project: Path) -> Run:
    shutil.rmtree(project / "site", ignore_errors=True)
    return _measure([[str(BIN / "digest"), "build", "--root", str(project)]], project)


def _bare(bare: Path) -> Run:
    shutil.rmtree(bare / "site", ignore_errors=True)
    return _measure([[str(BIN / "mkdocs"), "build", "-q"],
                     [sys.executable, "-m", "pagefind", "--site", "site"]], bare)


def _fmt_stages(stages: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stages.items())


def _report(name: str, size: int, build: Run, site: Path) -> Run:
    """Print one build's figures as soon as it ends."""
    print(f"{name} {size:,}: {build.seconds:.1f} s wall, {build.cpu:.1f} s CPU, peak RSS "
          f"{build.peak_rss / 1024 ** 3:.2f} GB, {site_bytes(site) / size / 1024:.1f} KB "
          f"per paper; {_fmt_stages(build.stages)}; load {os.getloadavg()[0]:.1f}",
          file=sys.stderr, flush=True)
    return build


def _fmt_parts(parts: dict[str, int], size: int) -> str:
    return ", ".join(f"{k} {v / size / 1024:.2f} KB" for k, v in parts.items() if v / size >= 10)


def _digest_only(sizes: list[int], repeat: int, shape: str = REALISTIC) -> str:
    rows, part_lines = [], []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(Path(tmp) / "project", size, shape=shape)
            runs = [_report("digest", size, _digest(project), project / "site")
                    for _ in range(repeat)]
            kb = site_bytes(project / "site") / size / 1024
            parts = site_parts(project / "site")
        d = runs[-1]
        rows.append(f"| {size:,} | {d.seconds:.1f} s | {d.cpu:.1f} s "
                    f"| {max(r.peak_rss for r in runs) / 1024 ** 3:.2f} GB | {kb:.1f} KB "
                    f"| {_fmt_stages(d.stages)} |")
        part_lines.append(f"- {size:,} papers: {_fmt_parts(parts, size)}")
    return (f"{machine()}; `digest build` only, times of the last of {repeat}.\n\n"
            "| papers | wall | CPU | peak RSS | site per paper | stages |\n"
            "| ---: | ---: | ---: | ---: | ---: | --- |\n" + "\n".join(rows)
            + "\n\nWhat the site holds per paper:\n\n" + "\n".join(part_lines))


def run(sizes: list[int], repeat: int, shape: str = REALISTIC) -> str:
    rows, stage_lines = [], []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(Path(tmp) / "project", size, shape=shape)
            bare = make_bare(project, Path(tmp) / "bare")
            pairs = [(_report("digest", size, _digest(project), project / "site"),
                      _report("bare", size, _bare(bare), bare / "site"))
                     for _ in range(repeat)]
            digest_kb = site_bytes(project / "site") / size / 1024
            parts = site_parts(project / "site")
            bare_kb = site_bytes(bare / "site") / size / 1024
        ratios = [d.seconds / b.seconds for d, b in pairs]
        mean = sum(ratios) / repeat
        cpu = sum(d.cpu / b.cpu for d, b in pairs) / repeat
        d, b = pairs[-1]
        gb = 1024 ** 3
        rows.append(
            f"| {size:,} | {d.seconds:.1f} s | {b.seconds:.1f} s | **{mean:.2f}** "
            f"({', '.join(f'{r:.2f}' for r in ratios)}) | {cpu:.2f} "
            f"| {max(p[0].peak_rss for p in pairs) / gb:.2f} GB / "
            f"{max(p[1].peak_rss for p in pairs) / gb:.2f} GB "
            f"| {digest_kb:.1f} KB / {bare_kb:.1f} KB |")
        stage_lines.append(f"- {size:,} papers: {_fmt_stages(d.stages)}; site per paper: "
                           + _fmt_parts(parts, size))
        print(rows[-1], flush=True)
    head = (f"{machine()}; {repeat} alternating pair(s) per size: times of the last pair, "
            "the mean ratio (every pair's in brackets), the highest peaks.\n\n"
            "| papers | `digest build` | bare MkDocs + Pagefind CLI | ratio | CPU time ratio "
            "| peak RSS (digest / bare) | site per paper (digest / bare) |\n"
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
    return (head + "\n".join(rows) + "\n\n`digest build` by stage (the last pair), and what "
            "its site holds per paper:\n\n"
            + "\n".join(stage_lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--digest-only", action="store_true",
                        help="time `digest build` alone, without the bare site")
    add_shape_argument(parser)
    args = parser.parse_args()
    print(f"{args.shape} corpus (benchmarks/corpus.py)")
    print((_digest_only if args.digest_only else run)(args.sizes, args.repeat, args.shape))


if __name__ == "__main__":
    main()
