"""`digest serve`: MkDocs' live-reloading server, regenerating pages on every rebuild.

MkDocs reloads its config on each rebuild and calls the hooks in
digest/preview_hooks.py, which call back into this module: pages are
regenerated from content/ before the build and indexed after it, so a saved
paper file shows up in the browser, search included.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from digest.config import load_config
from digest.content import load_content
from digest.errors import DigestError
from digest.generate import generate
from digest.render import mkdocs_options
from digest.search_index import build_search_index

log = logging.getLogger("mkdocs.digest")
HOOKS = Path(__file__).with_name("preview_hooks.py")


def _root_of(mkdocs_config: Any) -> Path:
    return Path(mkdocs_config.config_file_path).resolve().parent


def regenerate(root: Path, docs_dir: Path):
    """Regenerate the pages from content/, leaving out papers that have errors."""
    config = load_config(root)
    content = load_content(config)
    for problem in content.problems:
        (log.error if problem.is_error else log.warning)(str(problem))
    return config, generate(content.papers, config, docs_dir)


def on_config(mkdocs_config: Any) -> Any:
    try:
        _, plan = regenerate(_root_of(mkdocs_config), Path(mkdocs_config.docs_dir))
    except DigestError as error:
        log.error(str(error))
        return mkdocs_config
    mkdocs_config.nav = plan.nav
    return mkdocs_config


def on_post_build(config: Any) -> None:
    try:
        build_search_index(Path(config.site_dir))
    except DigestError as error:
        log.error(str(error))


def serve(root: Path, dev_addr: str) -> None:
    """Serve a live preview until interrupted."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    docs = root / "build" / "docs"
    config, plan = regenerate(root, docs)
    options = mkdocs_options(config, plan)
    options.pop("nav")
    mkdocs_serve(
        config_file=str(root / "mkdocs.yml"),
        livereload=True,
        watch=[str(root / "content"), str(root / "site_config"), str(root / "theme")],
        dev_addr=dev_addr,
        strict=False,
        hooks=[str(HOOKS)],
        **options,
    )
