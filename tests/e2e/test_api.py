"""The public API in digest/__init__.py: what a script or another tool imports."""

from __future__ import annotations

import subprocess
import sys

import digest


def test_public_names_are_the_stages_own() -> None:
    from digest.build import build_site
    from digest.config import load_config
    from digest.content.load import load_content
    from digest.errors import DigestError
    from digest.model import Paper, Problem

    assert digest.build_site is build_site
    assert digest.load_config is load_config
    assert digest.load_content is load_content
    assert digest.Paper is Paper and digest.Problem is Problem
    assert digest.DigestError is DigestError
    assert set(digest.__all__) == {"build_site", "BuildResult", "load_config", "SiteConfig",
                                   "load_content", "Content", "Paper", "Topic", "Problem",
                                   "DigestError", "__version__"}
    assert all(hasattr(digest, name) for name in digest.__all__)


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        digest.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("digest.no_such_name did not raise")


def test_importing_digest_loads_no_renderer() -> None:
    """`digest --help` and `digest check` start without MkDocs, Pagefind or Jinja."""
    code = ("import sys, digest; print(sorted(m for m in ('mkdocs', 'pagefind', 'jinja2', "
            "'digest.build') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_load_content_through_the_api(tmp_path) -> None:
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "p", with_content=False)
    (project / "content" / "papers" / "a-paper.md").write_text(
        "---\ntitle: A Paper\ndate: 2026-01-02\ntopics: [other]\n---\n\nAn abstract.\n",
        encoding="utf-8")
    content = digest.load_content(digest.load_config(project))
    assert [p.title for p in content.papers] == ["A Paper"]
    assert content.errors == []
