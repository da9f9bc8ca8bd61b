"""The metadata block at the top of every page: written as JSON lines, which YAML reads
as flow scalars and which is much faster to emit than YAML for thousands of pages, and
read back the same way for the pages handed to MkDocs in memory."""

from __future__ import annotations

import json

from markupsafe import escape


def _escaped(value: object) -> object:
    """Every text in ``value`` HTML-escaped, inside lists too."""
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, list | tuple):
        return [_escaped(item) for item in value]
    return value


def front_matter(meta: dict[str, object]) -> str:
    """Page metadata with every text escaped: the theme prints these without escaping."""
    lines = [f"{key}: {json.dumps(_escaped(v), ensure_ascii=False)}" for key, v in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def read_front_matter(text: str) -> tuple[dict[str, object], str]:
    """The metadata and body of a page written by front_matter, as MkDocs' YAML reader
    would give them (``mkdocs.utils.meta.get_data``), without YAML: each line is JSON.
    Text in any other shape raises ValueError."""
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    head, sep, body = text[4:].partition("\n---\n")
    if not sep:
        raise ValueError("unterminated front matter")
    meta: dict[str, object] = {}
    for line in head.split("\n"):
        key, sep, value = line.partition(": ")
        if not sep:
            raise ValueError(f"not a front-matter line: {line!r}")
        meta[key] = json.loads(value)
    return meta, body.lstrip("\n")
