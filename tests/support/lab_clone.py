"""Does the suite hold for a lab's digest? Clone this repository, make the clone a lab's own
(name, url, taxonomy, three papers and an About page of its own in place of the examples),
then run the lint and the whole suite in the clone, from the clone's tests/ folder.

    .venv/bin/python -m tests.support.lab_clone [--keep] [pytest options and paths...]

Issue #16's proof that the tests stand on their own fixtures. Not a test: it runs the suite.
It clones the committed HEAD (uncommitted changes are not in the clone) and runs with this
interpreter, so `digest` is this checkout's package and the tests are the clone's.
Exits with pytest's status.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VNU = Path("build/vnu")  # the Nu Html Checker `make vnu` fetches (not in git)

SITE = """\
name: Protein Design Reading Group
description: Papers our lab reads on designing proteins, binders and enzymes.
url: https://pd-lab.example.org/reading/
repo: https://github.com/pd-lab/reading
branch: main
import:
  arxiv:
    - category: q-bio.BM
      query: protein design
"""

TOPICS = """\
topics:
  - slug: de-novo-design
    title: De novo design
    description: Proteins designed from scratch.
    keywords: [de novo, design*, hallucinat*, diffusion]
  - slug: structure-prediction
    title: Structure prediction
    description: From sequence to structure.
    keywords: [structure prediction, fold*, AlphaFold, predict*]
  - slug: binders
    title: Binders
    description: Proteins that bind a chosen target.
    keywords: [binder*, binding, affinity]
  - slug: other
    title: Other
    description: Everything else.
    keywords: []
"""

PAPERS = {
    "designing-binders-with-diffusion.md": """\
---
title: Designing Binders with Diffusion
date: 2026-05-04
authors: [Ada Lovelace, Grace Hopper]
topics: [binders, de-novo-design]
---

We generate protein binders for chosen targets with a diffusion model and test them.
""",
    "folding-without-templates.md": """\
---
title: Folding Without Templates
date: 2026-05-04
topics: [structure-prediction]
---

A model predicts protein structure from a single sequence, with no templates.
""",
    "enzymes-from-scratch.md": """\
---
title: Enzymes from Scratch
date: 2026-05-11
---

We design enzymes de novo and measure their activity.
""",
}

ABOUT = """\
---
title: About
---

The reading list of the protein design lab: one Markdown file per paper.
"""


def make_lab(clone: Path) -> None:
    """Turn a clone of this repository into a lab's digest."""
    (clone / "site_config" / "site.yml").write_text(SITE, encoding="utf-8")
    (clone / "site_config" / "topics.yml").write_text(TOPICS, encoding="utf-8")
    papers = clone / "content" / "papers"
    shutil.rmtree(papers)
    papers.mkdir()
    for name, text in PAPERS.items():
        (papers / name).write_text(text, encoding="utf-8")
    (clone / "content" / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")


def main(args: list[str]) -> int:
    keep = "--keep" in args
    args = [a for a in args if a != "--keep"]
    work = Path(tempfile.mkdtemp(prefix="lab-clone-"))
    clone = work / "lab"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    make_lab(clone)
    if (REPO / VNU).is_dir():
        shutil.copytree(REPO / VNU, clone / VNU, symlinks=True)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import tests.conftest as c; print(c.REPO, c.PROJECT)"],
        cwd=clone, env=env, capture_output=True, text=True, check=True).stdout.strip()
    print(f"clone: {clone}\nthe clone's tests.conftest REPO, PROJECT: {where}", flush=True)
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "digest", "tests",
                           "benchmarks"], cwd=clone, env=env, check=False)
    chosen = [a for a in args if (clone / a.split("::")[0]).exists()]  # else the whole suite
    tests = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                            "--rootdir", str(clone), *([] if chosen else ["tests"]), *args],
                           cwd=clone, env=env, check=False)
    if not keep:
        shutil.rmtree(work)
    return tests.returncode or lint.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
