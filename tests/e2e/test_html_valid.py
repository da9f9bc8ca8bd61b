"""Every kind of page is valid HTML: the Nu Html Checker (vnu.jar) finds no error.

The checker is the `vnu-jar` npm package, installed by `make vnu` (which `make test`
runs) into build/vnu; it needs Java. Without either the test skips, except under CI=true,
where .ci/run installs both and a skip would hide invalid pages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from digest.build import build_site
from tests.conftest import REPO, copy_project, write_paper

VNU_JAR = REPO / "build/vnu/node_modules/vnu-jar/build/dist/vnu.jar"  # see the Makefile

# One page of every kind the site has, as paths under the site folder.
PAGE_KINDS = {
    "home": "index.html",
    "topic": "topics/generative-models/index.html",
    "topics index": "topics/index.html",
    "edition": "editions/2026-03-11/index.html",
    "editions index": "editions/index.html",
    "tags": "tags/index.html",
    "paper": "papers/galaxies-at-z-10-16-with-jwst/index.html",
    "search": "search/index.html",
    "saved": "saved/index.html",
    "about": "about/index.html",
    "404": "404.html",
}

# A control page the checker must reject: proof that it ran and reports errors.
INVALID = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>
<body><input type="checkbox" id="t" autocomplete="off"><label for="t" aria-hidden="true">t</label>
</body></html>
"""


def checker() -> list[str]:
    """The command that runs vnu.jar; skips (fails under CI=true) where it cannot run."""
    java = shutil.which("java")
    missing = ("java" if java is None else None) or (None if VNU_JAR.is_file() else str(VNU_JAR))
    if missing:
        message = f"the Nu Html Checker needs {missing}: install Java and run `make vnu`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {message} (.ci/run installs both)")
        pytest.skip(message)
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html"]


def small_site(root: Path) -> Path:
    """Papers over two editions and three topics, with authors, math, links, tags and ids."""
    project = copy_project(root / "project", with_content=False)
    write_paper(project, "galaxies-at-z-10-16-with-jwst.md", """---
title: "Galaxies at $z\\\\sim10-16$ with JWST"
date: 2026-03-11
authors: ["Zoë O'Brien-Müller", "Grace Hopper"]
arxiv: "2305.18290"
doi: "10.1000/jwst.42"
published: 2023-05-29
categories: [astro-ph.GA]
upvotes: 42
venue: "NeurIPS 2023"
topics: [physics-astronomy, generative-models]
tags: [JWST, high redshift]
links: [https://github.com/example/jwst, https://jwst.example.org/]
---

We find galaxies at redshift $z\\sim10$ where $\\alpha < \\beta$ & "quotes" <b>stay text</b>.
""")
    write_paper(project, "denoising-diffusion-for-proteins.md", """---
title: Denoising diffusion for proteins
date: 2026-03-11
authors: ["Ada Lovelace"]
topics: [generative-models]
tags: [diffusion, proteins]
---

A diffusion model folds proteins with *score matching* and `code` in the abstract.
""")
    write_paper(project, "time-series-forecasting-with-transformers.md", """---
title: Time-series forecasting with transformers
date: 2026-03-10
authors: ["Charles Babbage", "Emmy Noether"]
arxiv: "2106.13008"
topics: [time-series]
tags: [forecasting, diffusion]
---

Long-horizon forecasting of seasonal series with attention, compared on six benchmarks.
""")
    return build_site(project).site_dir


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_site(tmp_path_factory.mktemp("valid"))


def test_every_kind_of_page_has_no_html_error(site: Path, tmp_path: Path) -> None:
    command = checker()
    missing = [kind for kind, path in PAGE_KINDS.items() if not (site / path).is_file()]
    assert not missing, f"the test site has no page of kind {missing}"
    control = tmp_path / "invalid.html"
    control.write_text(INVALID, encoding="utf-8")

    run = subprocess.run([*command, str(site), str(control)], capture_output=True, text=True,
                         timeout=300, check=False)
    messages = json.loads(run.stderr)["messages"]
    problems: dict[str, list[str]] = {}
    for message in messages:
        name = message.get("url", "").removeprefix("file:")
        where = (str(Path(name).relative_to(site)) if name.startswith(str(site))
                 else Path(name).name)
        problems.setdefault(where, []).append(
            f"{where}:{message.get('lastLine', '?')}: {message['type']}: {message['message']}")

    assert len(problems.pop("invalid.html", [])) == 2, "the checker missed the control page"
    checked = len(list(site.rglob("*.html")))
    assert not problems, (f"{sum(map(len, problems.values()))} error(s) on {len(problems)} "
                          f"of {checked} pages:\n" + "\n".join(
                              line for lines in problems.values() for line in lines[:20]))
