"""The one door to other projects' internals: every private name of MkDocs, Material,
MkDocs' LiveReloadServer or Pagefind's files that digest uses is used here, and only here.

Each function says which version it was checked against and what it relies on;
tests/test_compat.py pins each against the installed versions, so an upgrade (or a move
to ProperDocs, the maintained fork of MkDocs 1.6) fails loudly in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# ----------------------------------------------------------------------------------------
# MkDocs and Material, for rendering (digest.render.renderer)
#
# Checked against MkDocs 1.6.1 and mkdocs-material 9.8.2. Material's own templates are
# relied on through theme/: the blocks main.html overrides (header, tabs, site_nav, config,
# scripts) and partials/header.html, a copy of Material's to keep in step.
# ----------------------------------------------------------------------------------------

MKDOCS_VERSIONS = ("1.6", "1.7")
"""The MkDocs releases the functions below were checked against: from the first, below the
second."""
MATERIAL_VERSIONS = ("9.7", "10")
"""The mkdocs-material releases theme/ was checked against: from the first, below the second."""


def build_theme_template(name: str, env: Any, files: Any, config: Any, nav: Any) -> None:
    """Render and write one of the theme's static templates (sitemap.xml, 404.html) as
    MkDocs' build does, at a time digest chooses rather than before the pages.

    Relies on the private ``mkdocs.commands.build._build_theme_template(template_name,
    env, files, config, nav)`` of MkDocs 1.6.1, which runs the template hooks and writes
    the file into ``site_dir``.
    """
    from mkdocs.commands.build import _build_theme_template

    _build_theme_template(name, env, files, config, nav)


def static_templates(config: Any) -> list[str]:
    """The theme's static templates, sorted: MkDocs renders each once per build.

    Relies on ``config.theme.static_templates``, a set in MkDocs 1.6.1's Theme.
    """
    return sorted(config.theme.static_templates)


def add_static_template(config: Any, name: str) -> None:
    """Render ``name`` (a file of the theme) as a template, as mkdocs.yml's
    ``theme.static_templates`` would; a plugin's on_config may add one.

    Relies on ``config.theme.static_templates`` being a mutable set (MkDocs 1.6.1).
    """
    config.theme.static_templates.add(name)


def generated_file(config: Any, src: str, text: str) -> Any:
    """A docs file that lives in memory, not in ``docs_dir``.

    Relies on ``File.generated(config, src_uri, *, content)``, new in MkDocs 1.6.
    """
    from mkdocs.structure.files import File

    return File.generated(config, src, content=text)


def replace_read_source(page: Any,
                        read_source: Callable[[Any, Callable[[Any], None]], None]) -> None:
    """Make MkDocs read ``page``'s source with ``read_source(config, mkdocs_read)``,
    where ``mkdocs_read(config)`` is MkDocs' own reading (YAML front matter) of the page.

    Relies on MkDocs 1.6.1's ``_populate_page`` calling ``page.read_source(config)``
    after the on_pre_page hook, so a method set on the page object there replaces
    ``Page.read_source`` for that page only.
    """
    own = type(page).read_source.__get__(page)  # MkDocs' own, not an earlier replacement
    page.read_source = lambda config: read_source(config, own)


def replace_render(page: Any, html: str) -> None:
    """Make MkDocs take ``html`` as ``page``'s rendered body: no Markdown, an empty table
    of contents, no anchors for link validation.

    Relies on MkDocs 1.6.1's ``_populate_page`` calling ``page.render(config, files)``
    after the on_page_markdown hook, and on what ``Page.render`` leaves for the build:
    ``content``, ``toc``, and ``present_anchor_ids`` and ``links_to_anchors``, which
    MkDocs' anchor validation reads after every page is rendered.
    """

    def render(config: Any, files: Any) -> None:
        from mkdocs.structure.toc import get_toc

        page.content = html
        page.toc = get_toc([])
        page.present_anchor_ids = set()
        page.links_to_anchors = {}

    page.render = render
