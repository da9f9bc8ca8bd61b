"""Time a rebuild with `digest build --cache` against a clean build, in the same run.

For each size: make a synthetic project (benchmarks/corpus.py), build it once with
``--cache`` (the cache CI restores), add one paper dated the day after the newest
(a daily import), then alternate a rebuild from a copy of that cache with a clean
build of the same content. Reports the time ratio (target in issue 10: at most 0.25
at 10,000 papers), CPU times, peak memory, the pages reused, each build's stages,
and checks the two sites are byte-identical.

    .venv/bin/python -m benchmarks.cache_bench --sizes 10000 --repeat 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import shutil
import tempfile
from pathlib import Path

import frontmatter

from benchmarks.build_bench import BIN, Run, _fmt_stages, _measure, _report
from benchmarks.corpus import machine, make_project


def _build(project: Path, site: str, cache: Path | None) -> Run:
    shutil.rmtree(project / site, ignore_errors=True)
    cmd = [str(BIN / "digest"), "build", "--root", str(project), "--site-dir",
           str(project / site)]
    return _measure([cmd + (["--cache", str(cache)] if cache else [])], project)


def _add_paper(project: Path) -> None:
    """One more paper, the day after the newest, like a daily import."""
    papers = sorted((project / "content" / "papers").glob("*.md"))
    newest = max(frontmatter.load(p)["date"] for p in papers)
    post = frontmatter.load(papers[0])
    post["title"] = "A new paper on " + str(post["title"])
    post["date"] = newest + dt.timedelta(days=1)
    (papers[0].parent / "zz-a-new-paper.md").write_text(
        frontmatter.dumps(post, sort_keys=False) + "\n", encoding="utf-8")


def _same(a: Path, b: Path) -> bool:
    compared = filecmp.dircmp(a, b)
    todo = [compared]
    while todo:
        d = todo.pop()
        if d.left_only or d.right_only or d.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(d.left, d.right, d.common_files, shallow=False)
        if mismatch or errors:
            return False
        todo.extend(d.subdirs.values())
    return True


def run(sizes: list[int], repeat: int) -> str:
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(Path(tmp) / "project", size)
            warm = Path(tmp) / "warm-cache"
            _report("first build, cache written", size,
                    _build(project, "site-first", warm), project / "site-first")
            _add_paper(project)
            pairs = []
            for _ in range(repeat):
                cache = Path(tmp) / "cache"
                shutil.rmtree(cache, ignore_errors=True)
                shutil.copytree(warm, cache)
                cached = _report("rebuild with cache", size + 1,
                                 _build(project, "site-cached", cache), project / "site-cached")
                clean = _report("clean build", size + 1, _build(project, "site-clean", None),
                                project / "site-clean")
                pairs.append((cached, clean))
            identical = _same(project / "site-cached", project / "site-clean")
        ratios = [c.seconds / b.seconds for c, b in pairs]
        cached, clean = pairs[-1]
        rows.append(f"| {size:,} + 1 | {cached.seconds:.1f} s | {clean.seconds:.1f} s "
                    f"| **{ratios[-1]:.2f}** ({', '.join(f'{r:.2f}' for r in ratios)}) "
                    f"| {cached.cpu / clean.cpu:.2f} "
                    f"| {cached.peak_rss / 1024 ** 3:.2f} GB / {clean.peak_rss / 1024 ** 3:.2f} GB "
                    f"| {'yes' if identical else '**NO**'} |")
        rows.append(f"|  | {_fmt_stages(cached.stages)} | {_fmt_stages(clean.stages)} |"
                    "  |  |  |  |")
    return (f"{machine()}; {repeat} pair(s), times of the last.\n\n"
            "| papers | rebuild with `--cache` | clean build | ratio (each pair) "
            "| CPU time ratio | peak RSS (cached / clean) | byte-identical |\n"
            "| ---: | ---: | ---: | ---: | ---: | ---: | --- |\n" + "\n".join(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(run(args.sizes, args.repeat))


if __name__ == "__main__":
    main()
