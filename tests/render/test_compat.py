"""Each private name of MkDocs and Material that digest.render.compat relies on, pinned
against the installed versions: an upgrade that moves one fails here, by name."""

from __future__ import annotations

import gzip
import inspect
from importlib.metadata import version
from pathlib import Path

from packaging.version import Version

from digest.render import compat


def _within(installed: str, versions: tuple[str, str]) -> bool:
    low, high = versions
    return Version(low) <= Version(installed) < Version(high)


def test_mkdocs_is_a_version_compat_was_checked_against() -> None:
    """MkDocs, or ProperDocs (its fork keeps MkDocs' version numbers) in .ci/properdocs."""
    installed = version(compat.RENDERER)
    assert _within(installed, compat.MKDOCS_VERSIONS), (
        f"{compat.RENDERER} {installed}: check digest/render/compat.py against it, "
        f"then widen MKDOCS_VERSIONS {compat.MKDOCS_VERSIONS}")


def test_material_is_a_version_the_theme_was_checked_against() -> None:
    assert _within(version("mkdocs-material"), compat.MATERIAL_VERSIONS), (
        f"mkdocs-material {version('mkdocs-material')}: check theme/ (main.html's blocks, "
        f"partials/header.html, partials/nav-item.html, compat.valid_toggles) against it, "
        f"then widen MATERIAL_VERSIONS {compat.MATERIAL_VERSIONS}")


def test_build_theme_template_takes_a_name_env_files_config_and_nav() -> None:
    from mkdocs.commands import build

    signature = inspect.signature(build._build_theme_template)
    assert list(signature.parameters) == ["template_name", "env", "files", "config", "nav"]


def test_a_page_reads_its_source_then_renders_it_as_build_calls_them() -> None:
    from mkdocs.commands import build
    from mkdocs.structure.pages import Page

    assert list(inspect.signature(Page.read_source).parameters) == ["self", "config"]
    assert list(inspect.signature(Page.render).parameters) == ["self", "config", "files"]
    populate = inspect.getsource(build._populate_page)
    assert "page.read_source(config)" in populate
    assert "page.render(config, files)" in populate
    assert populate.index("on_pre_page") < populate.index("page.read_source(")
    assert populate.index("on_page_markdown") < populate.index("page.render(")


def test_what_a_render_leaves_for_anchor_validation_is_still_read() -> None:
    from mkdocs.structure.pages import Page

    annotations = inspect.get_annotations(Page)
    assert {"present_anchor_ids", "links_to_anchors", "content", "toc"} <= set(annotations)
    assert "links_to_anchors" in inspect.getsource(Page.validate_anchor_links)


def test_a_generated_file_takes_its_content_in_memory() -> None:
    from mkdocs.structure.files import File

    parameters = inspect.signature(File.generated).parameters
    assert list(parameters)[:2] == ["config", "src_uri"]
    assert parameters["content"].kind is inspect.Parameter.KEYWORD_ONLY


def test_a_generated_file_of_bytes_is_copied_as_they_are(tmp_path: Path) -> None:
    """The data export reaches the site through compat.generated_file as gzip bytes: MkDocs
    writes them unchanged (File.copy_file), and the renderer then frees them by setting
    ``content_bytes``."""
    from types import SimpleNamespace

    config = SimpleNamespace(site_dir=str(tmp_path), use_directory_urls=True,
                             plugins=SimpleNamespace(_current_plugin=None))
    data = gzip.compress(b'{"papers": []}\n', mtime=0)
    file = compat.generated_file(config, "papers.json.gz", data)
    assert not file.is_documentation_page()
    file.copy_file()
    assert (tmp_path / "papers.json.gz").read_bytes() == data
    file.content_bytes = b""
    assert file.content_bytes == b""


def test_the_themes_static_templates_are_a_set_a_plugin_can_add_to() -> None:
    from mkdocs.theme import Theme

    theme = Theme(name="material")  # installed beside MkDocs and ProperDocs alike
    assert isinstance(theme.static_templates, set)
    assert "404.html" in theme.static_templates
