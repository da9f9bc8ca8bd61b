"""Load site_config/: site settings and the topic taxonomy, with schema checks.

Both files are YAML read through :mod:`digest.content.yamlstrict`, so a typo names its
file, line and field instead of surfacing as a KeyError deep in the build.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from digest.content.schema import CATEGORY, PAPER_FIELD_NAMES, is_slug
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
    "mailto": "an email address sent with Crossref lookups (`digest add DOI`), as Crossref "
              "asks, so it can write to you instead of blocking you",
    "import": "the daily sources `digest import daily` runs: `none`, or a mapping with "
              "`huggingface: true` and/or `arxiv:` (a list of queries)",
    "logo": "an image file of the project shown in the header, e.g. content/assets/logo.svg",
    "favicon": "an icon file of the project shown in browser tabs, e.g. "
               "content/assets/favicon.png",
    "footer": "one line of text at the foot of every page, e.g. \"© 2026 Protein Lab\"",
    "fields": "extra front-matter fields of papers, each `name: text` or `name: markdown`, "
              "e.g. `fields: {presenter: text, notes: markdown}`",
}
# The file types browsers show as a logo (an <img>) and as a favicon.
IMAGE_SUFFIXES = {
    "logo": (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"),
    "favicon": (".ico", ".png", ".svg"),
}
FIELD_TYPES = ("text", "markdown")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
URL_FIELDS = ("url", "repo", "subscribe_url")
IMPORT_FIELDS = ("huggingface", "arxiv")
ARXIV_QUERY_FIELDS = ("category", "query")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class ArxivQuery:
    """One arXiv search: any of ``categories`` (OR), and every phrase of ``queries`` (AND)."""

    categories: tuple[str, ...] = ()
    queries: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportSources:
    """The daily sources of site.yml's ``import:``; without the setting, Hugging Face."""

    huggingface: bool = True
    arxiv: tuple[ArxivQuery, ...] = ()
TOPIC_FIELDS = ("slug", "title", "description", "keywords")


@dataclass(frozen=True)
class SiteSettings:
    name: str
    description: str
    url: str
    repo: str
    branch: str
    subscribe_url: str | None = None
    mailto: str | None = None
    imports: ImportSources = ImportSources()
    logo: str | None = None
    """The logo's path in the project (POSIX, relative to its root), or None."""
    favicon: str | None = None
    footer: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    """Extra front-matter fields of papers: (name, "text" or "markdown"), as declared."""

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
    for field in ("subscribe_url", "mailto", "footer"):
        if field in data:
            values[field] = _text(data[field], shown, data.key_lines[field], field, problems)
    for field in IMAGE_SUFFIXES:
        if field in data:
            values[field] = _project_file(root, data, field, shown, problems)
    fields = _fields(data, shown, problems) if "fields" in data else ()
    if values.get("mailto") and not _EMAIL.match(values["mailto"] or ""):
        problems.append(Problem(shown, data.key_lines["mailto"], "mailto",
                                "must be an email address, e.g. lab@example.org"))
    imports = _imports(data, shown, problems) if "import" in data else ImportSources()
    for field in URL_FIELDS:
        if values.get(field) and (urlsplit(values[field]).scheme not in ("http", "https")
                                  or not urlsplit(values[field]).netloc):
            problems.append(Problem(shown, data.key_lines[field], field,
                                    "must be an http(s) URL"))
    if problems:
        raise DigestError(f"{shown}: invalid settings", problems)
    return SiteSettings(**values, imports=imports, fields=fields)  # type: ignore[arg-type]


def _project_file(root: Path, data: YamlMap, field: str, shown: str,
                  problems: list[Problem]) -> str:
    """A file of the project named by ``field`` (logo, favicon): it exists, inside the
    project, and is an image of a kind browsers show there."""
    line = data.key_lines[field]
    value = _text(data[field], shown, line, field, problems)
    if not value:
        return ""
    relative = Path(value)
    path = (root / relative).resolve()
    if relative.is_absolute() or not path.is_relative_to(root.resolve()):
        problems.append(Problem(shown, line, field, f"{value!r} must be a path inside the "
                                f"project, e.g. content/assets/{field}.png"))
    elif not path.is_file():
        problems.append(Problem(shown, line, field, f"{value!r}: no such file in the "
                                "project; add it (e.g. under content/assets/) or fix the path"))
    elif path.suffix.lower() not in IMAGE_SUFFIXES[field]:
        problems.append(Problem(shown, line, field, f"{value!r} must be one of "
                                + ", ".join(IMAGE_SUFFIXES[field])))
    return relative.as_posix()


def _fields(data: YamlMap, shown: str, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """site.yml's ``fields:``, extra front-matter fields: a name and its type each."""
    node, line = data["fields"], data.key_lines["fields"]
    if not isinstance(node, YamlMap):
        problems.append(Problem(shown, line, "fields", "must be a mapping of field names to "
                                "types, e.g. `fields: {presenter: text, notes: markdown}`"))
        return ()
    declared = []
    for name in node:
        where, kind = node.key_lines[name], node[name]
        if not _FIELD_NAME.match(name) or name in PAPER_FIELD_NAMES:
            problems.append(Problem(shown, where, f"fields.{name}", "a field's name must be "
                                    "lowercase letters, digits and _, and none of the "
                                    "paper fields (" + ", ".join(PAPER_FIELD_NAMES) + ")"))
        elif not (isinstance(kind, Scalar) and kind.value in FIELD_TYPES):
            shown_kind = kind.raw if isinstance(kind, Scalar) else "a list or mapping"
            problems.append(Problem(shown, where, f"fields.{name}", f"unknown type "
                                    f"{shown_kind!r}; a field is `text` (one line) or "
                                    "`markdown` (paragraphs, links)"))
        else:
            declared.append((name, str(kind.value)))
    return tuple(declared)


def _phrases(node: object, shown: str, line: int, field: str,
             problems: list[Problem]) -> tuple[str, ...]:
    """A text or a list of texts, as a tuple."""
    items = list(node) if isinstance(node, YamlList) else [node]
    if not items:
        problems.append(Problem(shown, line, field, "must be non-empty text or a list of texts"))
    return tuple(_text(item, shown, line, field, problems) for item in items)


def _imports(data: YamlMap, shown: str, problems: list[Problem]) -> ImportSources:
    """site.yml's ``import:``: ``none``, or ``huggingface: true|false`` and ``arxiv:``
    queries, each with ``category`` and/or ``query`` (a text or a list)."""
    node, line = data["import"], data.key_lines["import"]
    if isinstance(node, Scalar) and (node.value is False or (
            node.kind == "str" and str(node.value).strip().lower() == "none")):
        return ImportSources(huggingface=False)
    if not isinstance(node, YamlMap):
        problems.append(Problem(shown, line, "import", "must be `none` or a mapping such as "
                                "`huggingface: true` and `arxiv: [{category: q-bio.BM}]`"))
        return ImportSources()
    _unknown(node, IMPORT_FIELDS, shown, problems)
    huggingface = node.get("huggingface")
    if huggingface is not None and not (isinstance(huggingface, Scalar)
                                        and huggingface.kind == "bool"):
        problems.append(Problem(shown, node.key_lines["huggingface"], "import.huggingface",
                                "must be true or false"))
    queries: list[ArxivQuery] = []
    items = node.get("arxiv")
    if items is not None and not isinstance(items, YamlList):
        problems.append(Problem(shown, node.key_lines["arxiv"], "import.arxiv",
                                "must be a list of queries, each with `category:` and/or "
                                "`query:`"))
        items = YamlList(node.key_lines["arxiv"])
    for item in items or []:
        where = getattr(item, "line", node.key_lines["arxiv"])
        if not isinstance(item, YamlMap) or not any(k in item for k in ARXIV_QUERY_FIELDS):
            problems.append(Problem(shown, where, "import.arxiv", "each query needs "
                                    "`category:` (e.g. q-bio.BM) and/or `query:` (words)"))
            continue
        _unknown(item, ARXIV_QUERY_FIELDS, shown, problems)
        categories = _phrases(item["category"], shown, item.key_lines["category"],
                              "import.arxiv.category", problems) if "category" in item else ()
        for category in categories:
            if category and not CATEGORY.match(category):
                problems.append(Problem(shown, item.key_lines["category"],
                                        "import.arxiv.category", f"{category!r} is not an "
                                        "arXiv category such as q-bio.BM or cs.LG"))
        words = _phrases(item["query"], shown, item.key_lines["query"], "import.arxiv.query",
                         problems) if "query" in item else ()
        queries.append(ArxivQuery(categories, words))
    enabled = isinstance(huggingface, Scalar) and huggingface.value is True
    return ImportSources(huggingface=enabled, arxiv=tuple(queries))


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
