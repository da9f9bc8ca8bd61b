"""Papers into content/: the commands (add, import, enrich, ingest, new), the polite HTTP
client, and the one writer that alone writes content/."""
