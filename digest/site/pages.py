"""The lab's own pages: content/pages/*.md, each a Markdown page with the site's frame.

A page file is front matter (``title``, optional ``description`` and ``figures``) and a
Markdown body, split and checked like a paper file (digest.content.reader) and rendered
through the abstracts' sanitizer (digest.text.markup.render_page): pages arrive by pull
request too. ``content/pages/about.md`` is the About page, at about/.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup

from digest.content.reader import read_paper_file
from digest.content.schema import is_slug
from digest.content.yamlstrict import Scalar
from digest.errors import DigestError
from digest.model import Problem
from digest.site.routes import reserved_page_names
from digest.text.markup import render_page

PAGES_DIR = Path("content") / "pages"
FIELDS = {
    "title": "the page's title, shown as its heading and in the navigation",
    "description": "one sentence for search engines and link previews (default: the "
                   "site's description)",
    "figures": "true to add a line counting the papers, topics and editions",
}


@dataclass(frozen=True)
class OwnPage:
    """One page of content/pages/: its name (the file's, the page's address) and what
    it shows."""

    name: str
    title: str
    description: str | None
    figures: bool
    body: Markup


def _text(node: object) -> str | None:
    if isinstance(node, Scalar) and node.kind == "str" and str(node.value).strip():
        return " ".join(str(node.value).split())
    return None


def _page(path: Path, shown: str, problems: list[Problem]) -> OwnPage | None:
    found, problems_here = read_paper_file(path, shown)
    problems += problems_here
    if found is None or found.front is None:
        return None
    front, before = found.front, len(problems)
    name = path.stem
    if not is_slug(name) or name in reserved_page_names():
        problems.append(Problem(shown, None, "file", f"{name!r} cannot be a page's name: use "
                                "lowercase letters, digits and hyphens, and none of "
                                + ", ".join(sorted(reserved_page_names()))))
    for key in front:
        if key not in FIELDS:
            problems.append(Problem(shown, front.key_lines[key], key, "unknown field; a "
                                    "page has " + ", ".join(FIELDS)))
    title = _text(front.get("title"))
    if title is None:
        problems.append(Problem(shown, front.key_lines.get("title", 2), "title",
                                f"is required: {FIELDS['title']}"))
    description = _text(front.get("description"))
    if "description" in front and description is None:
        problems.append(Problem(shown, front.key_lines["description"], "description",
                                "must be non-empty text"))
    figures = front.get("figures")
    if figures is not None and not (isinstance(figures, Scalar) and figures.kind == "bool"):
        problems.append(Problem(shown, front.key_lines["figures"], "figures",
                                "must be true or false"))
    if len(problems) > before:
        return None
    return OwnPage(name, title, description, bool(figures and figures.value),
                   render_page(found.body))


def read_pages(root: Path, paths: Iterable[Path] | None = None,
               ) -> tuple[list[OwnPage], list[Problem], int]:
    """The pages of content/pages/ (or those of ``paths``), their problems, and how many
    files were read: `digest check` reports them with the papers'."""
    folder = root / PAGES_DIR
    files = (sorted(folder.glob("*.md")) if folder.is_dir() else []) if paths is None \
        else list(paths)
    problems: list[Problem] = []
    pages = [page for path in files
             if (page := _page(path, (PAGES_DIR / path.name).as_posix(), problems))]
    return pages, problems, len(files)


def load_pages(root: Path) -> tuple[OwnPage, ...]:
    """Every page of content/pages/, in the navigation's order (by title), or a
    DigestError naming every problem."""
    pages, problems, _ = read_pages(root)
    if problems:
        raise DigestError(f"{len(problems)} problem(s) in {PAGES_DIR.as_posix()}/; nothing "
                          "was published", problems)
    return tuple(sorted(pages, key=lambda p: (p.title.casefold(), p.name)))
