"""What a build or an import adds to papers: keyword index, topic and tag suggestions,
related papers."""
