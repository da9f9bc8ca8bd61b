"""The MkDocs settings of a project: the package's defaults, what the project changes.

A lab's project holds only what it customises. Its mkdocs.yml is optional and merged over
the package's defaults.yml the way MkDocs merges a file it INHERITs (mappings key by key,
lists replaced), so a lab upgrading the package takes new defaults without editing it. Its
theme/ overrides the package's theme file by file: templates and static assets are looked
up in the project's theme/ (or mkdocs.yml's ``theme.custom_dir``), then in the package's
theme/, then in Material's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mergedeep
import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_THEME = PACKAGE_DIR / "theme"
"""The package's overrides of Material: main.html, partials/, assets/, sitemap.xml."""
DEFAULTS = PACKAGE_DIR / "defaults.yml"
"""The rendering settings every project starts from."""
PROJECT_FILE = "mkdocs.yml"
PROJECT_THEME = "theme"


def _read(path: Path) -> dict[str, Any]:
    """A settings file as MkDocs reads it (``!ENV`` tags, INHERIT), a mapping."""
    from mkdocs.utils.yaml import yaml_load

    with path.open("rb") as fd:
        data = yaml_load(fd)
    theme = data.get("theme")
    if isinstance(theme, str):  # `theme: material` names the theme and keeps its defaults
        data["theme"] = {"name": theme}
    return data


def project_settings(root: Path) -> tuple[Path, dict[str, Any]]:
    """The file MkDocs is told it reads (the project's mkdocs.yml, or the defaults when
    the project has none) and every setting: the defaults, the project's over them.

    A project theme/ folder becomes ``theme.custom_dir`` unless mkdocs.yml names one.
    """
    with DEFAULTS.open(encoding="utf-8") as fd:
        settings = yaml.safe_load(fd)
    own = root / PROJECT_FILE
    source = DEFAULTS
    if own.is_file():
        mergedeep.merge(settings, _read(own))
        source = own
    theme = settings["theme"]
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    elif (root / PROJECT_THEME).is_dir():
        theme["custom_dir"] = str((root / PROJECT_THEME).resolve())
    return source, settings


def theme_layers(custom_dir: str | None) -> list[str]:
    """The theme folders before Material's, first found first: the project's own
    overrides, then the package's."""
    return [*([custom_dir] if custom_dir else []), str(PACKAGE_THEME)]
