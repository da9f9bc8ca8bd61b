"""The site as pages: the URL routes, the site model and its views, feeds, citations and
data exports, charts, Zotero tags, and the Jinja templates. Knows nothing of MkDocs."""
