"""paper-digest: curated paper abstracts in, a searchable static site out.

The pipeline, one module per stage:
sources (hf_page, hf_api, arxiv, bibtex), readers (markdown) → schema/content (validate)
→ tagger → generate → render → search_index, orchestrated by build. Intake (intake,
ingest) turns sources into Batches and writer alone writes content/; http is its client.
"""

import importlib.util

__version__ = "0.1.0"

if importlib.util.find_spec("mkdocs") is None:
    # ProperDocs, MkDocs 1.6's maintained fork, installs only `properdocs`; its replacement
    # module makes every `mkdocs.*` import (digest's and Material's) load `properdocs.*`.
    import properdocs.replacement  # noqa: F401
