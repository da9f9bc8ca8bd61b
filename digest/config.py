"""Load site_config/: site settings and the topic taxonomy, with schema checks.

Both files are YAML read through :mod:`digest.content.yamlstrict`, so a typo names its
file, line and field instead of surfacing as a KeyError deep in the build.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from digest.content.schema import is_slug
from digest.content.yamlstrict import Scalar, YamlList, YamlMap, load
from digest.errors import DigestError
from digest.model import Problem, Topic

FALLBACK_TOPIC = "other"
SITE_FIELDS = {
    "name": "the site's name, shown in the header and <title>",
    "description": "one sentence about the site, used in meta tags and feeds",
    "url": "the full URL the site is published at, e.g. https://USER.github.io/REPO/",
    "repo": "the repository URL, e.g. https://github.com/USER/REPO",
    "branch": "the branch contributors target, e.g. main",
}
OPTIONAL_SITE_FIELDS = {
    "subscribe_url": "an email subscription form, e.g. one fed by editions.xml "
                     "(https://buttondown.com/...); shown as \"Subscribe by email\"",
}
TOPIC_FIELDS = ("slug", "title", "description", "keywords")


@dataclass(frozen=True)
class SiteSettings:
    name: str
    description: str
    url: str
    repo: str
    branch: str
    subscribe_url: str | None = None

    @property
    def base_path(self) -> str:
        """The path the site is served under, e.g. '/paper-digest/'."""
        path = urlsplit(self.url).path or "/"
        return path if path.endswith("/") else path + "/"

    def edit_url(self, source: str) -> str:
        """Link to edit a repository file (given relative to the repository root)."""
        return f"{self.repo.rstrip('/')}/edit/{self.branch}/{source}"


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    site: SiteSettings
    topics: tuple[Topic, ...]

    @property
    def topic_slugs(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self.topics)


def _read(path: Path, root: Path) -> tuple[YamlMap, str]:
    shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    if not path.is_file():
        raise DigestError(f"{shown}: missing", [Problem(shown, None, "file",
                          "this settings file is required; restore it from the repository")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DigestError(f"{shown}: not UTF-8",
                          [Problem(shown, None, "encoding", "save the file as UTF-8")]) from None
    data, problems = load(text, shown)
    if not problems and not isinstance(data, YamlMap):
        problems = [Problem(shown, 1, "yaml", "expected a mapping of settings")]
    if problems:
        raise DigestError(f"{shown}: invalid settings", problems)
    return data, shown


def _text(node: object, shown: str, line: int, field: str, problems: list[Problem]) -> str:
    if isinstance(node, Scalar) and node.kind == "str" and str(node.value).strip():
        return " ".join(str(node.value).split())
    problems.append(Problem(shown, getattr(node, "line", line), field, "must be non-empty text"))
    return ""


def _unknown(data: YamlMap, allowed: tuple[str, ...] | dict, shown: str,
             problems: list[Problem]) -> None:
    for key in data:
        if key not in allowed:
            hint = difflib.get_close_matches(key, list(allowed), n=1)
            problems.append(Problem(shown, data.key_lines[key], key, "unknown setting"
                                    + (f"; did you mean {hint[0]!r}?" if hint else "")))


def load_site(root: Path) -> SiteSettings:
    data, shown = _read(root / "site_config" / "site.yml", root)
    problems: list[Problem] = []
    _unknown(data, {**SITE_FIELDS, **OPTIONAL_SITE_FIELDS}, shown, problems)
    values: dict[str, str | None] = {}
    for field, help_text in SITE_FIELDS.items():
        if field not in data:
            problems.append(Problem(shown, None, field, f"is required: {help_text}"))
            continue
        values[field] = _text(data[field], shown, data.key_lines[field], field, problems)
    for field in OPTIONAL_SITE_FIELDS:
        if field in data:
            values[field] = _text(data[field], shown, data.key_lines[field], field, problems)
    for field in ("url", "repo", *OPTIONAL_SITE_FIELDS):
        if values.get(field) and (urlsplit(values[field]).scheme not in ("http", "https")
                                  or not urlsplit(values[field]).netloc):
            problems.append(Problem(shown, data.key_lines[field], field,
                                    "must be an http(s) URL"))
    if problems:
        raise DigestError(f"{shown}: invalid settings", problems)
    return SiteSettings(**values)


def load_topics(root: Path) -> tuple[Topic, ...]:
    data, shown = _read(root / "site_config" / "topics.yml", root)
    problems: list[Problem] = []
    _unknown(data, ("topics",), shown, problems)
    items = data.get("topics")
    if not isinstance(items, YamlList) or not items:
        raise DigestError(f"{shown}: invalid topics", [Problem(
            shown, data.line, "topics", "must be a list of topics with slug, title, "
            "description and keywords")])
    topics: list[Topic] = []
    for item in items:
        if not isinstance(item, YamlMap):
            problems.append(Problem(shown, getattr(item, "line", None), "topics",
                                    "each topic must be a mapping"))
            continue
        _unknown(item, TOPIC_FIELDS, shown, problems)
        slug = _text(item.get("slug"), shown, item.line, "slug", problems)
        if slug and not is_slug(slug):
            problems.append(Problem(shown, item.key_lines["slug"], "slug",
                                    f"{slug!r} must be lowercase letters, digits and hyphens"))
        if slug in {t.slug for t in topics}:
            problems.append(Problem(shown, item.key_lines["slug"], "slug",
                                    f"duplicate topic {slug!r}"))
        title = _text(item.get("title"), shown, item.line, "title", problems)
        description = _text(item.get("description"), shown, item.line, "description", problems)
        keywords_node = item.get("keywords")
        keywords: list[str] = []
        if not isinstance(keywords_node, YamlList):
            problems.append(Problem(shown, item.line, "keywords",
                                    "must be a list of phrases, e.g. [diffusion, RLHF]"))
        else:
            keywords = [_text(k, shown, keywords_node.line, "keywords", problems)
                        for k in keywords_node]
        if not keywords and slug != FALLBACK_TOPIC:
            problems.append(Problem(shown, item.line, "keywords",
                                    f"topic {slug!r} needs at least one keyword phrase"))
        topics.append(Topic(slug, title, description, tuple(keywords)))
    if FALLBACK_TOPIC not in {t.slug for t in topics}:
        problems.append(Problem(shown, None, "topics", f"a topic with slug {FALLBACK_TOPIC!r} "
                                "is required: it holds papers that match no other topic"))
    if problems:
        raise DigestError(f"{shown}: invalid topics", problems)
    return tuple(topics)


def load_config(root: Path) -> SiteConfig:
    """Read site_config/ under the project root."""
    return SiteConfig(root=root, site=load_site(root), topics=load_topics(root))
