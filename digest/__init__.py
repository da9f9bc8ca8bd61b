"""paper-digest: curated paper abstracts in, a searchable static site out.

The public API, what the `digest` command itself calls (as sqlite-utils' CLI calls its
library)::

    from pathlib import Path
    import digest

    config = digest.load_config(Path("."))      # site_config/, with every problem at once
    content = digest.load_content(config)       # every paper, read and checked
    result = digest.build_site(Path("."))       # the site in site/, or a DigestError

The pipeline, one folder per stage (README.md, "How a build works"): ``content``
(read and validate) → ``enrich`` (topics, related papers) → ``site`` (pages, feeds,
citations) → ``render`` (MkDocs, Pagefind) → ``preview``; ``sources`` and ``intake``
bring papers into content/; ``text`` and ``util`` serve them all; ``build`` runs them.

Names load on first use, so that `digest --help` does not import MkDocs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "build_site": "digest.build",
    "BuildResult": "digest.build",
    "load_config": "digest.config",
    "SiteConfig": "digest.config",
    "load_content": "digest.content.load",
    "Content": "digest.content.load",
    "Paper": "digest.model",
    "Topic": "digest.model",
    "Problem": "digest.model",
    "DigestError": "digest.errors",
}

__all__ = ["BuildResult", "Content", "DigestError", "Paper", "Problem", "SiteConfig", "Topic",
           "__version__", "build_site", "load_config", "load_content"]

if TYPE_CHECKING:
    from digest.build import BuildResult, build_site
    from digest.config import SiteConfig, load_config
    from digest.content.load import Content, load_content
    from digest.errors import DigestError
    from digest.model import Paper, Problem, Topic


def __getattr__(name: str) -> Any:
    """The public names, imported from their stage when first asked for (PEP 562)."""
    if name in _API:
        value = getattr(import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'digest' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
