"""Pages into HTML: MkDocs and Material render them, Pagefind indexes them, the build
cache keeps what a rebuild can reuse."""
