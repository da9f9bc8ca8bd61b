"""Lighter pages: what every page repeats, written once.

Material's templates indent every line and inline the same SVG icons (logo, search,
palette, repository) into every page, twice for some: a third of a paper page. Pages
keep their markup, without the indentation or the newlines beside block-level tags,
and each icon becomes a reference into one sprite file, ``assets/icons.svg``, that the
browser fetches once and caches.
Text inside ``<pre>``, ``<textarea>``, ``<code>``, ``<script>`` and ``<style>`` is left
exactly as it is.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

SPRITE = "assets/icons.svg"
_KEEP = re.compile(r"(<(pre|textarea|code|script|style)\b.*?</\2>)", re.S)
_INDENT = re.compile(r"\n\s+")
# A newline beside a block-level tag renders as nothing: it goes. Between inline (or
# inline-block, such as Material's tabs) elements it is a space, and stays.
_BLOCK = "html|head|body|meta|link|title|nav|header|footer|main|ul|ol|section|article|form|p|h[1-6]"
_AFTER_BLOCK = re.compile(rf"(</?(?:{_BLOCK})\b[^<>]*>)\n(?=<)")
_BEFORE_BLOCK = re.compile(rf">\n(?=</?(?:{_BLOCK})\b)")
_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([^"]+)">(.*?)</svg>', re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Material's places for a skip link (pages with a table of contents) and a banner, empty
# on this site's pages: its bundle mounts whatever it finds, here nothing.
_EMPTY_SLOTS = '<div data-md-component="skip">\n</div>\n<div data-md-component="announce">\n</div>'


def _relative(url: str, target: str) -> str:
    return "../" * url.count("/") + target


class Slimmer:
    """Slims pages one by one; :meth:`write_sprite` then writes the icons they use."""

    def __init__(self) -> None:
        self.icons: dict[str, tuple[str, str]] = {}  # id -> (viewBox, inner markup)
        self._uses: dict[tuple[str, str], str] = {}  # (sprite, inline SVG) -> reference

    def _use(self, sprite: str, match: re.Match[str]) -> str:
        """The reference to the icon ``match`` inlines: every page has the same few."""
        key = (sprite, match[0])
        use = self._uses.get(key)
        if use is None:
            use = self._uses[key] = self._icon(sprite, match)
        return use

    def _icon(self, sprite: str, match: re.Match[str]) -> str:
        view_box, inner = match[1], _COMMENT.sub("", match[2])
        key = "i" + hashlib.sha256(f"{view_box} {inner}".encode()).hexdigest()[:8]
        self.icons[key] = (view_box, inner)
        # Inline SVG in HTML needs no xmlns; the viewBox gives the icon its shape.
        return f'<svg viewBox="{view_box}"><use href="{sprite}#{key}"/></svg>'

    def page(self, url: str, html: str) -> str:
        """``html`` of the page at ``url`` (directory style, '' for home), slimmed.

        Pages that are not directory-style (404.html, served at any path) keep their
        icons inline: a relative sprite link would not resolve there.
        """
        parts = _KEEP.split(html)
        out = []
        for index in range(0, len(parts), 3):
            text = _INDENT.sub("\n", parts[index])
            out.append(_BEFORE_BLOCK.sub(">", _AFTER_BLOCK.sub(r"\1", text)))
            if index + 1 < len(parts):
                out.append(parts[index + 1])
        html = "".join(out).replace(_EMPTY_SLOTS, "", 1)
        if url == "" or url.endswith("/"):
            sprite = _relative(url, SPRITE)
            html = _SVG.sub(lambda m: self._use(sprite, m), html)
        return html

    def write_sprite(self, site_dir: Path) -> None:
        symbols = "".join(f'<symbol id="{key}" viewBox="{view_box}">{inner}</symbol>'
                          for key, (view_box, inner) in sorted(self.icons.items()))
        path = site_dir / SPRITE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n',
                        encoding="utf-8")
