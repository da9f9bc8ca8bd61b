"""`digest init` makes a project of a lab's own that builds at once, outside this repository's
content and settings (issue #16)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from digest.build import build_site
from digest.cli import main
from digest.config import load_config
from digest.errors import DigestError

LAB = "Protein Design Reading Group"
URL = "https://protein-lab.github.io/reading/"


def _init(path: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["init", str(path), *args])


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    path = tmp_path / "lab"
    result = _init(path, "--name", LAB, "--url", URL)
    assert result.exit_code == 0, result.output
    return path


def _paper(lab: Path, slug: str, title: str, date: str) -> None:
    (lab / "content" / "papers" / f"{slug}.md").write_text(
        f"---\ntitle: {title}\ndate: {date}\ntopics: [methods]\n---\n\n"
        "We design binders for a target protein with a diffusion model and test them.\n",
        encoding="utf-8")


def test_a_new_project_has_what_a_lab_needs(lab: Path) -> None:
    files = sorted(p.relative_to(lab).as_posix() for p in lab.rglob("*") if p.is_file())
    assert files == [".github/workflows/ci.yml", ".github/workflows/import.yml",
                     ".github/workflows/pages.yml", ".gitignore", "README.md",
                     "content/pages/about.md", "content/papers/.gitkeep", "mkdocs.yml",
                     "requirements.txt", "site_config/site.yml", "site_config/topics.yml",
                     "theme/README.md"]
    from digest import __version__
    assert f"paper-digest=={__version__}" in (lab / "requirements.txt").read_text()
    readme = " ".join((lab / "README.md").read_text().split())
    assert "Settings → Pages → Build and deployment → Source: **GitHub Actions**" in readme
    assert ("Settings → Actions → General → Workflow permissions → tick **Allow GitHub "
            "Actions to create and approve pull requests**") in readme
    for name in ("pages", "ci", "import"):
        workflow = (lab / ".github" / "workflows" / f"{name}.yml").read_text()
        assert "pip install --quiet -r requirements.txt" in workflow
        assert "make install" not in workflow and "-e ." not in workflow
    imported = yaml.safe_load((lab / ".github" / "workflows" / "import.yml").read_text())
    runs = " ".join(s.get("run", "") for s in imported["jobs"]["import"]["steps"])
    assert ".venv/bin/digest import daily" in runs and "import hf" not in runs
    assert "if" not in imported["jobs"]["import"]  # site.yml's `import:` decides
    config = load_config(lab)
    # The import is off until the lab names its sources in site.yml.
    assert not config.site.imports.huggingface and not config.site.imports.arxiv
    assert (config.site.name, config.site.url) == (LAB, URL)
    assert config.site.repo == "https://github.com/protein-lab/reading"
    assert "other" in config.topic_slugs


def test_with_no_papers_it_builds_and_the_home_page_says_how_to_add_one(
        lab: Path, tmp_path: Path) -> None:
    result = build_site(lab, tmp_path / "site")
    home = (result.site_dir / "index.html").read_text("utf-8")
    assert result.papers == 0
    assert "No papers yet" in home and "digest add 2305.18290" in home
    assert f"<title>{LAB}</title>" in home


def test_with_papers_every_page_is_the_labs(lab: Path, tmp_path: Path) -> None:
    _paper(lab, "binder-design", "Binder design with diffusion", "2026-11-02")
    _paper(lab, "enzyme-design", "Enzyme design from scratch", "2026-11-03")
    (lab / "content" / "pages" / "about.md").write_text(
        "---\ntitle: About us\n---\n\nWe read protein design papers on Thursdays.\n"
        "<script>alert(1)</script>\n", encoding="utf-8")
    (lab / "content" / "pages" / "members.md").write_text(
        "---\ntitle: Members\n---\n\n## Current\n\nAda, Grace.\n", encoding="utf-8")
    site = build_site(lab, tmp_path / "site").site_dir
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        html = page.read_text("utf-8")
        assert "Paper Digest" not in html, page
        if page.name == "index.html":
            assert LAB in html, page
            canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
            assert canonical and canonical[1].startswith(URL), page
    about = (site / "about" / "index.html").read_text("utf-8")
    assert "We read protein design papers on Thursdays." in about
    assert "<script>alert(1)" not in about and "&lt;script&gt;" in about
    members = (site / "members" / "index.html").read_text("utf-8")
    assert "<h2>Current</h2>" in members
    nav = re.findall(r'class="md-tabs__link">\s*([^<]+?)\s*<', members)
    assert nav[-2:] == ["About us", "Members"]  # the lab's pages, by title
    assert (site / "papers" / "binder-design" / "index.html").is_file()


def test_a_page_with_a_problem_is_named_and_nothing_is_built(lab: Path,
                                                             tmp_path: Path) -> None:
    (lab / "content" / "pages" / "topics.md").write_text(
        "---\ntitel: Oops\n---\n\nText.\n", encoding="utf-8")
    with pytest.raises(DigestError) as failed:
        build_site(lab, tmp_path / "site")
    shown = [str(p) for p in failed.value.problems]
    assert any(s.startswith("content/pages/topics.md") and "cannot be a page's name" in s
               for s in shown)
    assert any("titel: unknown field" in s for s in shown)
    assert any("title: is required" in s for s in shown)
    assert not (tmp_path / "site").exists()


def test_a_projects_theme_overrides_the_packages_file_by_file(lab: Path,
                                                              tmp_path: Path) -> None:
    (lab / "theme" / "assets").mkdir()
    (lab / "theme" / "assets" / "digest.css").write_text("/* the lab's colours */\n")
    (lab / "theme" / "partials").mkdir()  # the package overrides this partial too
    (lab / "theme" / "partials" / "source.html").write_text(
        "<div>Made by the protein lab</div>\n")
    site = build_site(lab, tmp_path / "site").site_dir
    assert (site / "assets" / "digest.css").read_text() == "/* the lab's colours */\n"
    assert (site / "assets" / "search.js").is_file()  # still the package's
    home = (site / "index.html").read_text("utf-8")
    assert "Made by the protein lab" in home
    assert 'id="digest-header-q"' in home  # the package's header.html, around it


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    result = _init(tmp_path, "--name", LAB, "--url", URL)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: {tmp_path}: not empty; give a new or empty folder for the digest"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(("args", "said"), [
    (["--url", "ftp://lab.example/"], "--url: 'ftp://lab.example/' is not an http(s) address"),
    (["--url", "lab.example"], "--url: 'lab.example' is not an http(s) address"),
    (["--url", "https://lab.example/"], "--repo: give the GitHub repository as OWNER/NAME"),
    (["--url", URL, "--repo", "just-a-name"], "--repo: 'just-a-name' is not OWNER/NAME"),
    (["--url", URL, "--repo", "a/b/c"], "--repo: 'a/b/c' is not OWNER/NAME"),
])
def test_init_checks_the_url_and_repository(tmp_path: Path, args: list[str],
                                            said: str) -> None:
    result = _init(tmp_path / "lab", "--name", LAB, *args)
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {said}")
    assert not (tmp_path / "lab").exists()


@pytest.mark.parametrize("name", [
    'Lab: "Protein" design', "#1 lab", "- dash first", "Ada's & Grace's *lab* [x]",
    "yes", "null", "Größe Lab ✓", "{braces}: 1",
])
def test_names_yaml_would_misread_stay_the_name(tmp_path: Path, name: str) -> None:
    result = _init(tmp_path / "lab", "--name", name, "--url", URL, "--repo", "lab/x")
    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / "lab")
    assert config.site.name == name
    home = build_site(tmp_path / "lab", tmp_path / "site").site_dir / "index.html"
    assert "No papers yet" in home.read_text("utf-8")
