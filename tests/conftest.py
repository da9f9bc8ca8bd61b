"""Shared fixtures: the tests' own project, throw-away copies of it, and one built site.

Tests build tests/fixtures/project (a frozen copy of the example digest: its site.yml,
taxonomy, pages and papers), never the repository's own content/ or site_config/, so a
digest that replaces its examples, name, URL and topics keeps a green suite. Only the
checks in tests/e2e/test_shipped_digest.py look at the repository's content.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# First, so that under ProperDocs (.ci/properdocs) every test's `import mkdocs` is ProperDocs.
import digest.render.compat  # noqa: F401
from digest.build import BuildResult, build_site

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "hf-papers-2026-03-11.txt"
PROJECT = FIXTURES / "project"
FIXTURE_PAPERS = sorted((PROJECT / "content" / "papers").glob("*.md"))


def copy_project(target: Path, with_content: bool = True) -> Path:
    """A copy of the fixture project's inputs to change freely (without its papers if asked)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "site_config", "theme", "content/pages"):
        src = PROJECT / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)
    papers = target / "content" / "papers"
    papers.mkdir(parents=True)
    if with_content:
        for path in FIXTURE_PAPERS:
            shutil.copy2(path, papers / path.name)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", with_content=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fixture project built once into a temporary site directory."""
    out = tmp_path_factory.mktemp("built") / "site"
    return build_site(PROJECT, out)


@pytest.fixture(scope="session")
def site(built: BuildResult) -> Path:
    return built.site_dir


def write_paper(project: Path, name: str, text: str) -> Path:
    path = project / "content" / "papers" / name
    path.write_text(text, encoding="utf-8")
    return path
