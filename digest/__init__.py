"""paper-digest: curated paper abstracts in, a searchable static site out.

The pipeline, one module per stage:
sources (hf_page, hf_api, arxiv, bibtex), readers (markdown) → schema/content (validate)
→ tagger → generate → render → search_index, orchestrated by build. Intake (intake,
ingest) turns sources into Batches and writer alone writes content/; http is its client.
"""

__version__ = "0.1.0"
