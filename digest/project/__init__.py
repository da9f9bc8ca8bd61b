"""Starting a digest project of one's own: `digest init` (digest.project.init)."""
