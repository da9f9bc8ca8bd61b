"""Readers turn one input format each into records; they never write files."""
