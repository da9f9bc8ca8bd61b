"""Shared fixtures: the repository, throw-away project copies, and one built site."""

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
SHIPPED_PAPERS = sorted((REPO / "content" / "papers").glob("*.md"))


def copy_project(target: Path, with_content: bool = True) -> Path:
    """A copy of the project's inputs (not its .venv or site) to change freely."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "site_config", "theme", "content/pages"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)
    papers = target / "content" / "papers"
    papers.mkdir(parents=True)
    if with_content:
        for path in SHIPPED_PAPERS:
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
    """The shipped content built once into a temporary site directory."""
    out = tmp_path_factory.mktemp("built") / "site"
    return build_site(REPO, out)


@pytest.fixture(scope="session")
def site(built: BuildResult) -> Path:
    return built.site_dir


def write_paper(project: Path, name: str, text: str) -> Path:
    path = project / "content" / "papers" / name
    path.write_text(text, encoding="utf-8")
    return path
