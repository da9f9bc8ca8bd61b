"""content/: paper files read, their front matter validated, and the checks across files."""
