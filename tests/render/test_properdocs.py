"""What digest needs from its renderer, checked under MkDocs and ProperDocs alike (#19).

`.ci/properdocs` runs the whole suite with ProperDocs, MkDocs 1.6's maintained fork, in
place of MkDocs. Digest runs the renderer's build without its command line, so these tests
hold the part a command line would otherwise provide: a warning, the renderer's own or a
plugin's, stops a strict build and is listed among the build's problems.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from digest.build import BuildResult, build_site
from digest.errors import DigestError


def _configure(project: Path, setting: str) -> None:
    """Add a setting to the project's mkdocs.yml, merged over the package's defaults."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + setting + "\n", encoding="utf-8")


def test_a_warning_of_the_renderer_stops_the_build_and_is_listed(empty_project: Path,
                                                                   tmp_path: Path) -> None:
    _configure(empty_project, "site_colour: blue")
    with pytest.raises(DigestError) as failed:
        build_site(empty_project, tmp_path / "site")
    messages = [problem.message for problem in failed.value.problems]
    assert any("site_colour" in message for message in messages), str(failed.value)


def test_a_warning_of_a_material_plugin_stops_the_build(empty_project: Path,
                                                       tmp_path: Path) -> None:
    """Material logs to `mkdocs.material.*`: the strict count must see those loggers too."""
    _configure(empty_project, "plugins: [{search: {jieba_dict: missing.txt}}]")
    with pytest.raises(DigestError) as failed:
        build_site(empty_project, tmp_path / "site")
    messages = [problem.message for problem in failed.value.problems]
    assert any("jieba_dict" in message for message in messages), str(failed.value)


@pytest.mark.skipif(importlib.util.find_spec("properdocs") is None,
                    reason="ProperDocs is not installed (see .ci/properdocs)")
def test_with_properdocs_installed_every_mkdocs_module_is_properdocs(built: BuildResult) -> None:
    """Material and digest would otherwise mix MkDocs and ProperDocs in one build."""
    assert built.site_dir.joinpath("index.html").is_file()
    loaded = {name: module for name, module in sys.modules.items()
              if name == "mkdocs" or name.startswith("mkdocs.")}
    assert loaded, "the build imported no mkdocs.* module"
    assert {name: module.__name__ for name, module in loaded.items()
            if not module.__name__.startswith("properdocs")} == {}
