"""Checks of the shipped digest: the repository's own content/ and site_config/.

Every other test builds the tests' own projects (tests/fixtures/project and throw-away
copies), so a digest that replaces the examples keeps a green suite. These few check
whatever content this repository holds, assuming no slug, count, name or URL of it: that
every file passes `digest check`, that it builds, and that its BibTeX compiles.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.build import BuildResult, build_site
from digest.cli import main
from tests.conftest import REPO
from tests.site.test_bibtex_compiles import compile_bib


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The repository's own digest, built once into a temporary folder."""
    return build_site(REPO, tmp_path_factory.mktemp("shipped") / "site")


def test_every_file_of_the_shipped_digest_passes_check() -> None:
    result = CliRunner().invoke(main, ["check", "--root", str(REPO)], env={"CI": "false"})
    assert result.exit_code == 0, result.output
    assert " 0 errors" in result.stdout, result.stdout


def test_the_shipped_digest_builds_every_paper(shipped: BuildResult) -> None:
    files = list((REPO / "content" / "papers").rglob("*.md"))
    assert shipped.papers == len(files)
    assert (shipped.site_dir / "index.html").is_file()
    assert (shipped.site_dir / "pagefind").is_dir()


@pytest.mark.skipif(shutil.which("pdflatex") is None or shutil.which("bibtex") is None,
                    reason="pdflatex or bibtex not installed (tests/site/test_bibtex_compiles.py)")
def test_the_shipped_digest_bib_files_compile(shipped: BuildResult, tmp_path: Path) -> None:
    site = shipped.site_dir
    for n, bib in enumerate([site / "papers.bib", *sorted((site / "topics").glob("*/*.bib"))]):
        entries = len(re.findall(r"^@", bib.read_text(encoding="utf-8"), re.M))
        if entries:
            bbl = compile_bib(bib, tmp_path / str(n))
            assert bbl.count(r"\bibitem") == entries, bib.name
