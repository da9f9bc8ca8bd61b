"""The Jinja environment of digest's templates (pages, listings, feeds), and the text
helpers they share with Python: one set of settings, one spelling of a date.

Autoescaping is on everywhere: no field of a paper reaches a page or a feed unescaped,
and its escapes (``&lt;``, ``&#34;`` ...) are valid XML too.
"""

from __future__ import annotations

import datetime as dt
from jinja2 import Environment, PackageLoader, StrictUndefined

from digest.site import routes


def long_date(date: dt.date) -> str:
    """A date as pages and feeds print it: "3 March 2026"."""
    return f"{date:%-d %B %Y}"


ENV = Environment(
    loader=PackageLoader("digest.site", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    # The package's templates do not change while digest runs: without this, Jinja checks
    # a template's file (two stats) at every {% import %}, many times per paper page.
    auto_reload=False,
)
ENV.filters.update(
    long_date=long_date,
    paper_url=routes.paper_url,
    topic_url=routes.topic_url,
    edition_url=routes.edition_url,
    tag_url=routes.tag_url,
)
ENV.globals["routes"] = routes.TEMPLATE_ROUTES
