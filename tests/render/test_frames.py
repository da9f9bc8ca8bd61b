"""Paper pages put into their folder's frame (digest.render.frames) are the pages
Material renders whole, byte for byte, and a project's template that shows something
of each page outside the parts a frame leaves open still gets every page right."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import digest.build
from digest.build import build_site
from digest.render.renderer import render
from tests.conftest import copy_project


def _html(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*.html"))}


def _build(project: Path, name: str) -> dict[str, bytes]:
    site = project.parent / name
    build_site(project, site)
    return _html(site)


def test_framed_pages_are_the_pages_material_renders(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     ) -> None:
    project = copy_project(tmp_path / "project")
    framed = _build(project, "framed")
    # the same build, every page rendered whole by Material's templates
    monkeypatch.setattr(digest.build, "render", lambda config, plan, site, options: render(
        config, plan, site, dataclasses.replace(options, reuse_frames=False)))
    whole = _build(project, "whole")
    papers = [path for path in framed if path.startswith("papers/")]
    assert len(papers) > 40
    assert framed.keys() == whole.keys()
    for path in framed:
        assert framed[path] == whole[path], path


def test_a_frame_that_shows_the_page_is_not_shared(tmp_path: Path) -> None:
    """A lab's override of a partial in the frame that shows the page's own address:
    each paper page keeps its own, not the first page's."""
    project = copy_project(tmp_path / "project")
    override = project / "theme" / "partials" / "javascripts" / "content.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text('<script>var digestHere = "{{ page.url }}";</script>\n',
                        encoding="utf-8")
    site = tmp_path / "site"
    build_site(project, site)
    pages = sorted((site / "papers").glob("*/index.html"))
    assert len(pages) > 40
    for path in pages:
        here = f"papers/{path.parent.name}/"
        assert f'var digestHere = "{here}";' in path.read_text(encoding="utf-8"), path
