"""Render the generated pages into HTML with MkDocs and the Material theme."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from digest.config import SiteConfig
from digest.errors import DigestError
from digest.generate import SitePlan
from digest.model import Problem

# Material prints a banner about MkDocs 2.0 on import; we pin MkDocs 1.x.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class _Collect(logging.Handler):
    """Keep MkDocs warnings so they can be reported with the build's other problems."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def source_date(date: dt.date | None) -> Iterator[None]:
    """Pin MkDocs' idea of "now" to the newest paper so output never holds the build clock."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = dt.datetime.combine(date or dt.date(2000, 1, 1), dt.time(), dt.UTC).timestamp()
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def mkdocs_options(config: SiteConfig, plan: SitePlan) -> dict[str, object]:
    """The MkDocs settings that come from site_config/ and the generated pages."""
    site = config.site
    return {
        "site_name": site.name,
        "site_description": site.description,
        "site_url": site.url,
        "repo_url": site.repo,
        "docs_dir": str(plan.docs_dir),
        "nav": plan.nav,
        "not_in_nav": plan.not_in_nav,
    }


class _OnPage:
    """A MkDocs plugin that passes each page's final HTML to a callback."""

    def __init__(self, callback: Callable[[str, str], None]) -> None:
        self.callback = callback

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        self.callback(page.url, output)
        return output


def mkdocs_config(config: SiteConfig, plan: SitePlan, site_dir: Path,
                  on_page: Callable[[str, str], None] | None = None,
                  strict: bool = True) -> Any:
    """The MkDocs configuration of a build of ``plan`` into ``site_dir``, with the
    plugin that hands each page to ``on_page`` (also used by `digest serve`)."""
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin

    mkdocs_config = load_config(
        config_file=str(config.root / "mkdocs.yml"),
        site_dir=str(site_dir),
        strict=strict,
        **mkdocs_options(config, plan),
    )
    if on_page is not None:
        plugin = type("DigestOnPage", (_OnPage, BasePlugin), {})(on_page)
        mkdocs_config.plugins["digest-on-page"] = plugin
    return mkdocs_config


def render(config: SiteConfig, plan: SitePlan, site_dir: Path,
           on_page: Callable[[str, str], None] | None = None) -> None:
    """Run a strict MkDocs build of ``plan.docs_dir`` into ``site_dir``.

    ``on_page(url, html)`` sees every page as it is written (the search index is
    built from them while MkDocs renders the rest).
    """
    from mkdocs import exceptions
    from mkdocs.commands.build import build

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        with source_date(plan.newest):
            build(mkdocs_config(config, plan, site_dir, on_page))
    except (exceptions.MkDocsException, exceptions.ConfigurationError) as exc:
        problems = [Problem("mkdocs.yml", None, "mkdocs", m) for m in collect.messages]
        raise DigestError(f"MkDocs could not render the site: {exc}", problems) from None
    finally:
        logger.removeHandler(collect)
