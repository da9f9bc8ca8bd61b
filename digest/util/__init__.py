"""Mechanisms every stage shares, each with one owner: processes, files, memory."""
