"""`digest init`: a new project that builds at once, made from the package's templates.

The templates (digest/project/templates/) are files with ``@@name@@`` slots, not Jinja:
the workflows among them are full of GitHub's own ``${{ ... }}``. Each value is escaped
for the file it goes into: YAML values as double-quoted scalars (a name with a colon or
a quote stays one string), Markdown text with its special characters backslashed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from digest import __version__
from digest.errors import DigestError

# template (under digest/project/templates/) -> the file it becomes in the project
FILES = {
    "README.md": "README.md",
    "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore",
    "mkdocs.yml": "mkdocs.yml",
    "site_config/site.yml": "site_config/site.yml",
    "site_config/topics.yml": "site_config/topics.yml",
    "about.md": "content/pages/about.md",
    "gitkeep": "content/papers/.gitkeep",
    "theme/README.md": "theme/README.md",
    "github/workflows/pages.yml": ".github/workflows/pages.yml",
    "github/workflows/ci.yml": ".github/workflows/ci.yml",
    "github/workflows/import.yml": ".github/workflows/import.yml",
}
_SLOT = re.compile(r"@@([a-z_]+)@@")
_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_PAGES_HOST = re.compile(r"([A-Za-z0-9-]+)\.github\.io")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~-])")


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def _markdown(value: str) -> str:
    """Text shown as written in Markdown, whatever characters it holds."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def _problem(option: str, message: str) -> DigestError:
    return DigestError(f"{option}: {message}")


def check_name(name: str) -> str:
    """The site's name, one line of printable text."""
    name = " ".join(name.split())
    if not name or not name.isprintable():
        raise _problem("--name", "give the site's name as one line of text, e.g. "
                                 "--name \"Protein Design Reading Group\"")
    return name


def check_url(url: str) -> str:
    """The site's address: http(s), with a host; a trailing slash added."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or not url.isprintable():
        raise _problem("--url", f"{url!r} is not an http(s) address; give where the site "
                                "will be published, e.g. https://OWNER.github.io/NAME/")
    url = url.strip()
    return url if url.endswith("/") else url + "/"


def check_repo(repo: str | None, url: str) -> str:
    """OWNER/NAME of the GitHub repository: as given, or read from a GitHub Pages URL."""
    if repo is None:
        parts = urlsplit(url)
        host = _PAGES_HOST.fullmatch(parts.hostname or "")
        if host is None:
            raise _problem("--repo", "give the GitHub repository as OWNER/NAME (it cannot "
                                     "be read from a URL outside github.io)")
        project = parts.path.strip("/").split("/")[0]  # none: a user site, OWNER.github.io
        repo = f"{host[1]}/{project or parts.hostname}"
    if not _REPO.fullmatch(repo):
        raise _problem("--repo", f"{repo!r} is not OWNER/NAME, e.g. --repo my-lab/digest")
    return repo


def _fill(text: str, values: Mapping[str, str], template: str) -> str:
    def slot(match: re.Match[str]) -> str:
        if match[1] not in values:
            raise KeyError(f"{template}: no value for @@{match[1]}@@")
        return values[match[1]]

    return _SLOT.sub(slot, text)


def init_project(path: Path, name: str, url: str, repo: str | None = None) -> list[Path]:
    """Write a new digest project into ``path`` (missing or empty); the files written."""
    name, url = check_name(name), check_url(url)
    repo = check_repo(repo, url)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise DigestError(f"{path}: not empty; give a new or empty folder for the digest")
    repo_url = f"https://github.com/{repo}"
    description = (f"Research papers read by {name}, grouped by topic and searchable "
                   "in your browser.")
    values = {
        "name": _yaml(name), "description": _yaml(description), "url": _yaml(url),
        "repo": _yaml(repo_url), "version": __version__,
        "name_md": _markdown(name), "description_md": _markdown(description),
        "url_md": url, "repo_md": repo_url,
    }
    templates = files("digest.project") / "templates"
    written = []
    for template, target in FILES.items():
        text = _fill(templates.joinpath(template).read_text(encoding="utf-8"), values,
                     template)
        out = path / target
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        written.append(out)
    return written
