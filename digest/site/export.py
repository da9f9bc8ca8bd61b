"""The whole digest as data: papers.json.gz, described by papers.schema.json (both at site root).

The schema file ships with the package (digest/site/templates/papers.schema.json) and is
the documentation of the format; the tests validate the built papers.json.gz, once
decompressed, against it. ``<``, ``>`` and ``&`` are written as JSON escapes
(``\\u003c`` ...), so the document stays inert even if someone pastes it into an HTML page.

The document is published gzip-compressed: mostly abstracts, it was 2.8 KB a paper of
a site meant to stay near 20 KB (140 MB at 50,000 papers, all of which the Saved page
downloads), and GitHub Pages caps a site at 1 GB (#17); gzip takes it to a quarter.
Its bytes are the same on every build (no time or file name in the gzip header, one
fixed level), given the same zlib: another zlib may deflate differently.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from importlib import resources

from digest.config import SiteSettings
from digest.site.csl import record
from digest.site.feeds import FeedItem, absolute_url
from digest.text.markup import plain_text
from digest.model import Topic

DATA_PATH = "papers.json.gz"
SCHEMA_PATH = "papers.schema.json"
VERSION = 1


def _dumps(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            + "\n")


def gzipped(text: str) -> bytes:
    """``text`` as UTF-8 in gzip, byte-identical from one build to the next: mtime 0,
    no file name in the header, level 9 (written once, downloaded many times: 0.5 %
    smaller than level 6 for a quarter more time, 0.2 s on 2,000 papers)."""
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def papers_schema(site: SiteSettings) -> str:
    """The JSON Schema of the data export (papers.json.gz, decompressed), with its own
    URL as $id and the site's name in its title."""
    text = (resources.files("digest.site") / "templates" / SCHEMA_PATH).read_text(encoding="utf-8")
    schema = json.loads(text)
    schema = {"$schema": schema.pop("$schema"), "$id": absolute_url(site) + SCHEMA_PATH, **schema,
              "title": f"{site.name}: data export"}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def papers_json(items: Sequence[FeedItem], site: SiteSettings,
                topics: Sequence[tuple[Topic, int, str, str, str]],
                bibtex_keys: Mapping[str, str],
                related: Mapping[str, Sequence[str]],
                abstracts: Mapping[str, str] | None = None) -> bytes:
    """papers.json.gz, the file at DATA_PATH: ``items`` in site order; ``topics`` as
    (topic, paper count, page path, feed path, .bib path); ``abstracts`` the plain text
    of each slug's, if known."""
    base = absolute_url(site)
    newest = max((v.paper.date for v in items), default=None)
    data = {
        "$schema": base + SCHEMA_PATH,
        "version": VERSION,
        "site": {"name": site.name, "description": site.description, "url": base},
        "updated": newest.isoformat() if newest else None,
        "topics": [{"slug": t.slug, "title": t.title, "description": t.description,
                    "url": base + page, "feed": base + feed, "bibtex": base + bib,
                    "papers": count}
                   for t, count, page, feed, bib in topics],
        "papers": [
            {
                "slug": (p := v.paper).slug,
                "title": v.title_text,
                "title_tex": p.title,
                "date": p.date.isoformat(),
                "published": p.published.isoformat() if p.published else None,
                "url": base + v.url,
                "abstract": abstracts[p.slug] if abstracts is not None
                else plain_text(v.abstract_html),
                "authors": list(p.authors),
                "topics": [t.slug for t in v.topics],
                "tags": list(p.tags),
                "categories": list(p.categories),
                "upvotes": p.upvotes,
                "arxiv": p.arxiv,
                "arxiv_url": f"https://arxiv.org/abs/{p.arxiv}" if p.arxiv else None,
                "pdf_url": f"https://arxiv.org/pdf/{p.arxiv}" if p.arxiv else None,
                "doi": p.doi,
                "venue": p.venue,
                "citation": record(p),
                "links": [{"url": link.url, "kind": link.kind} for link in p.links],
                "bibtex_key": bibtex_keys[p.slug],
                "related": list(related.get(p.slug, ())),
            }
            for v in items
        ],
    }
    return gzipped(_dumps(data))
