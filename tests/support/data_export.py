"""The built site's data export as a reader gets it: papers.json.gz, read with gzip.open
(README.md, "Feeds, citations and data")."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from digest.site.csl import CSL_PATH
from digest.site.export import DATA_PATH


def read_export(site: Path) -> dict:
    """The document of ``site``'s papers.json.gz."""
    with gzip.open(site / DATA_PATH, "rt", encoding="utf-8") as file:
        return json.load(file)


def read_csl(site: Path) -> list[dict]:
    """The items of ``site``'s papers.csl.json.gz."""
    with gzip.open(site / CSL_PATH, "rt", encoding="utf-8") as file:
        return json.load(file)
