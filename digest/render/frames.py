"""The frame a folder's pages share: rendered once, then filled in for each page.

Every page outside the nav in one folder (every paper page) has the same frame around
it: Material's head, header, tabs, navigation, footer and scripts. Only four parts
differ from page to page: the head's own tags (description, canonical link, OpenGraph,
Highwire), the title in the header, and the content. The first such page is rendered
whole by Material's templates, with markers (comments) around those parts; the frame
is that page with the parts cut out. The other pages render only the parts
(theme/digest-stamp.html, from the same partials) and go into the frame: Material's
templates, most of a page's rendering time, run once per folder instead of once per
page. The result is the page Material would have rendered (tests/render prove it
against whole renders).

The theme's templates take the markers from ``digest_marks``; they are named here only.
No final page keeps one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

FRAME_PARTS = ("header", "tabs", "nav")
"""Parts of the frame rendered for the first page of a folder and handed to the others'
templates as ``digest_frame`` (theme/main.html): pages the frame cannot take whole
(see :class:`Frame`) still skip rendering these."""

PAGE_PARTS = ("head", "title", "content")
"""The parts that differ from page to page within a frame, in page order."""


def _mark(part: str, close: bool = False) -> str:
    return f"<!--{'/' if close else ''}digest-{part}-->"


MARKS: Mapping[str, str] = MappingProxyType({
    f"{part.replace('-', '_')}_{end}": _mark(part, close=end == "close")
    for part in (*FRAME_PARTS, *PAGE_PARTS, "reuse-header")
    for end in ("open", "close")})
"""The markers by name (``header_open``, ``header_close``, ... ``reuse_header_close``),
given to every template as ``digest_marks``."""

STAMP_TEMPLATE = "digest-stamp.html"
"""Renders a page's own parts, each between its markers, and nothing else."""

_FRAME = re.compile(_mark(f"({'|'.join(FRAME_PARTS)})") + "(.*?)" + _mark(r"\1", True), re.S)
_PART = re.compile(_mark(f"({'|'.join(PAGE_PARTS)})") + "(.*?)" + _mark(r"\1", True), re.S)
_REUSE = re.compile(_mark("reuse-header") + "(.*?)" + _mark("reuse-header", True), re.S)
_SLOT = "\x00slot\x00"
_OPEN = {name: _mark(name) for name in PAGE_PARTS}
_CLOSE = {name: _mark(name, True) for name in PAGE_PARTS}


def unmark(html: str) -> str:
    """``html`` without the markers, the parts they held kept in place."""
    return _PART.sub(r"\2", _FRAME.sub(r"\2", html))


def unmark_frame(html: str) -> str:
    """``html`` without the markers of header, tabs and navigation (its parts' kept)."""
    return _FRAME.sub(r"\2", html)


def frame_folder(page: Any) -> str | None:
    """Pages outside the nav in one folder, hiding the same parts of the frame (front
    matter ``hide``), share their frame: the key they share."""
    if page.file.inclusion.is_in_nav() or not page.url.endswith("/"):
        return None
    hide = ",".join((page.meta or {}).get("hide") or ())
    return page.url.rstrip("/").rpartition("/")[0] + "|" + hide


def frame_parts(html: str) -> dict[str, str]:
    """The header, tabs and navigation of a whole page, the header's title left as a
    slot (between its markers) that :func:`reuse_header` fills."""
    parts = {m[1]: m[2] for m in _FRAME.finditer(html)}
    if "header" in parts:
        slot = _mark("title") + _SLOT + _mark("title", True)
        parts["header"] = _part("title").sub(lambda _: slot, parts["header"])
    return parts


def reuse_header(html: str, parts: Mapping[str, str]) -> str:
    """``html`` with the header a page's template left out (theme/main.html) put back."""
    if "header" not in parts:
        return html
    header = parts["header"]
    return _REUSE.sub(lambda m: header.replace(_SLOT, m[1]), html)


def _part(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(_mark(name)) + "(.*?)" + re.escape(_mark(name, True)), re.S)


@dataclass(frozen=True)
class Frame:
    """A whole page with its own parts cut out: the frame the folder's pages go into."""

    pieces: tuple[str, ...]  # len(PAGE_PARTS) + 1 pieces, the parts go between them

    @classmethod
    def of(cls, html: str) -> Frame | None:
        """The frame of ``html``, a whole page with markers, finished (slimmed) as pages
        are written; None when its parts are not each marked exactly once, in order (a
        project's own main.html may leave markers out): such pages are rendered whole."""
        html = unmark_frame(html)
        found = list(_PART.finditer(html))
        if [m[1] for m in found] != list(PAGE_PARTS):
            return None
        pieces, start = [], 0
        for match in found:
            pieces.append(html[start:match.start()])
            start = match.end()
        pieces.append(html[start:])
        return cls(tuple(pieces))

    def fill(self, parts_html: str) -> str | None:
        """The page whose parts STAMP_TEMPLATE rendered as ``parts_html`` (finished as
        the frame was), in this frame; None when they are not all there."""
        out, at = [self.pieces[0]], 0
        for name, piece in zip(PAGE_PARTS, self.pieces[1:], strict=True):
            start = parts_html.find(_OPEN[name], at)
            end = parts_html.find(_CLOSE[name], start)
            if start < 0 or end < 0:
                return None
            out += (parts_html[start + len(_OPEN[name]):end], piece)
            at = end
        return "".join(out)
