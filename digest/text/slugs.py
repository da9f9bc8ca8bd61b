"""Readable, ASCII, stable slugs for papers, topics and tags."""

from __future__ import annotations

from slugify import slugify as _slugify

MAX_WORDS_LENGTH = 80


def slugify(text: str, max_length: int = MAX_WORDS_LENGTH) -> str:
    """ASCII slug cut at a word boundary: 'B-STaR: Monitoring ...' -> 'b-star-monitoring-...'."""
    slug = _slugify(text, max_length=max_length, word_boundary=True, save_order=True)
    return slug or "untitled"


def paper_slug(title: str) -> str:
    """A paper's slug: from the title as readers see it, so ``$z\\sim10-16$`` gives
    ``z-10-16`` rather than ``z-sim10-16``."""
    from digest.text.titles import has_tex, render_title  # only titles with TeX need it

    return slugify(render_title(title).text if has_tex(title) else title)


def unique_slug(title: str, taken: set[str]) -> str:
    """Slug for a title that is not in ``taken``; adds -2, -3 ... on collision.

    Callers pass slugs of other titles only, so the same title keeps its slug
    across re-ingests.
    """
    return free_slug(paper_slug(title), taken)


def free_slug(base: str, taken: set[str]) -> str:
    """``base``, or the first of ``base``-2, -3 ... that is not in ``taken``."""
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug
