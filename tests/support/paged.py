"""A site whose listings run to many pages: a realistic corpus (benchmarks/corpus.py) of
PAPERS papers built with a listing page size of PAGE_SIZE (DIGEST_LISTING_PAGE_SIZE).

Import the fixture with ``from tests.support.paged import paged_site  # noqa: F401``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.corpus import make_project
from digest.build import build_site

PAGE_SIZE = 7  # 300 papers make several pages of every topic, tag and edition
PAPERS = 300


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = make_project(tmp_path_factory.mktemp("paged") / "project", PAPERS, seed=17)
    old = os.environ.get("DIGEST_LISTING_PAGE_SIZE")
    os.environ["DIGEST_LISTING_PAGE_SIZE"] = str(PAGE_SIZE)
    try:
        site = build_site(project, project / "site").site_dir
    finally:
        if old is None:
            os.environ.pop("DIGEST_LISTING_PAGE_SIZE", None)
        else:
            os.environ["DIGEST_LISTING_PAGE_SIZE"] = old
    yield site
