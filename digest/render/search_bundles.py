"""Pagefind's bundles on disk: one-shot indexing, and making a written bundle whole and
the same on every build.

Pagefind is driven through its Python API. A bundle it writes is checked (its service
can stop before the last files land), its filter files put in a fixed order, its assets
compared with Pagefind's own copy, and the shards listed for the search page. How the
files are encoded is digest.render.compat's business; the streaming index that runs
during a build is digest.render.search_index.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from digest.errors import DigestError
from digest.render.compat import (
    bundle_page_count,
    check_bundle_files,
    is_index_file,
    sort_filter_files,
)

BUNDLE_DIR = "pagefind"
ATTEMPTS = 3
SHARDS_FILE = "shards.json"
"""In the first bundle: the folders of every shard, for theme/assets/search.js."""

T = TypeVar("T")


def bundle_name(shard: int) -> str:
    """The folder of shard ``shard`` (0-based): pagefind/, pagefind-2/, pagefind-3/..."""
    return BUNDLE_DIR if shard == 0 else f"{BUNDLE_DIR}-{shard + 1}"


INDEXED_PARTS = ("digest-abstract", "digest-fields")
"""The parts of a paper page (the children of its ``<article class="digest-paper">``,
paper.html) whose text search indexes: the abstract and the extra fields. The others
(title, dates, authors, topics, tags, links, BibTeX, related papers, the Edit link) give
search only the metadata, filters and sort in their attributes. Said once here rather
than by data-pagefind-ignore on each part of every page, 190 bytes of each."""
EXCLUDE = ".digest-paper > " + "".join(f":not(.{name})" for name in INDEXED_PARTS)


def pagefind_config(output_path: Path | str) -> Any:
    """The one configuration of every Pagefind index: English, only the INDEXED_PARTS of
    paper pages as text, written to ``output_path``."""
    from pagefind.index import IndexConfig

    return IndexConfig(output_path=str(output_path), force_language="en",
                       exclude_selectors=[EXCLUDE])


async def _index_folder(source: Path, bundle: Path) -> None:
    from pagefind.index import PagefindIndex

    async with PagefindIndex(config=pagefind_config(bundle)) as index:
        await index.add_directory(str(source))


def index_folder(source: Path, bundle: Path) -> None:
    """Index the HTML files under ``source`` into ``bundle``, in one Pagefind run."""
    run_async(_index_folder, source, bundle)


class IncompleteBundle(Exception):
    """Pagefind's service answered before its files were all on disk."""


def verify_bundle(bundle: Path) -> None:
    """Check every file the index refers to exists and decompresses (gzip checks CRC).

    Pagefind's service writes through async file handles and may be stopped by the
    Python API before the last writes land; this catches the truncated result.
    """
    try:
        check_bundle_files(bundle)
    except (OSError, ValueError, EOFError, KeyError, IndexError, DigestError) as exc:
        raise IncompleteBundle(str(exc)) from exc


def normalize_bundle(bundle: Path) -> None:
    """Make Pagefind's filter indexes byte-identical across runs.

    Pagefind (1.5) writes filter values in hash-map order, so each run names and orders
    the filter files differently: they are sorted and renamed by content hash.
    """
    sort_filter_files(bundle)


async def reference_assets() -> dict[str, bytes]:
    """Pagefind's JS, CSS and WASM, fetched in memory from a one-record index."""
    from pagefind.index import PagefindIndex

    with tempfile.TemporaryDirectory() as scratch:
        async with PagefindIndex(config=pagefind_config(scratch)) as index:
            await index.add_custom_record(url="/", content="reference", language="en",
                                          meta={"title": "reference"})
            files = await index.get_files()
    return {f["path"]: f["content"] for f in files if not is_index_file(f["path"])}


def repair_assets(bundle: Path, reference: dict[str, bytes] | None = None) -> int:
    """Rewrite any Pagefind asset that is missing or differs from Pagefind's own copy.

    The same early stop that can truncate index files can truncate pagefind-ui.js;
    the assets do not depend on the site, so a reference copy is exact (``reference``,
    or fetched now). Returns how many files were rewritten.
    """
    repaired = 0
    for name, content in (reference or run_async(reference_assets)).items():
        path = bundle / name
        if not path.is_file() or path.read_bytes() != content:
            path.write_bytes(content)
            repaired += 1
    return repaired


def shard_bundles(site_dir: Path) -> list[Path]:
    """Every shard's bundle folder, as the first bundle's SHARDS_FILE lists them."""
    listed = site_dir / BUNDLE_DIR / SHARDS_FILE
    if not listed.is_file():
        return [site_dir / BUNDLE_DIR]
    names = json.loads(listed.read_text("utf-8"))["bundles"]
    return [site_dir / name.rstrip("/") for name in names]


def write_shards_file(bundle: Path, shards: int) -> None:
    """List the shards' folders (relative to the site root) in the first ``bundle``."""
    names = [bundle_name(shard) + "/" for shard in range(shards)]
    (bundle / SHARDS_FILE).write_text(
        json.dumps({"bundles": names}, separators=(",", ":")), encoding="utf-8")


def indexed_pages(site_dir: Path) -> int:
    """Pages in the written index, every shard (add_directory's own count includes
    skipped pages)."""
    return sum(bundle_page_count(bundle) for bundle in shard_bundles(site_dir))


def run_async(func: Callable[..., Coroutine[Any, Any, T]], *args: object) -> T:
    """Run a coroutine function to completion, also when called inside a running loop
    (Jupyter, Playwright's sync API): then it runs on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(func(*args))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, func(*args)).result()


def finalize(site_dir: Path, expected_pages: int | None,
             reference: dict[str, bytes] | None = None, shards: int = 1) -> int:
    """Make the written bundles deterministic and whole; check every paper is in one."""
    reference = reference or run_async(reference_assets)
    for shard in range(shards):
        bundle = site_dir / bundle_name(shard)
        normalize_bundle(bundle)
        repair_assets(bundle, reference)
    write_shards_file(site_dir / BUNDLE_DIR, shards)
    count = indexed_pages(site_dir)
    if expected_pages is not None and count != expected_pages:
        raise DigestError(f"Pagefind indexed {count} pages but the site has {expected_pages} "
                          "papers; every paper page must carry data-pagefind-body")
    return count


def _shard_folder(site_dir: Path, urls: list[str], scratch: Path) -> Path:
    """A folder holding (links to) the written pages of one shard, to index alone."""
    for url in urls:
        path = url if url.endswith(".html") else url + "index.html"
        source = (site_dir / path).resolve()
        if site_dir.resolve() not in source.parents or not source.is_file():
            continue  # not a page of the site: the page count reports it
        target = scratch / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return scratch


def index_whole(source: Path, bundle: Path, site_dir: Path) -> None:
    """Index ``source`` (the site at ``site_dir``, or a shard of it) into ``bundle``, and
    run Pagefind again, up to ATTEMPTS times, when it wrote an incomplete bundle."""
    for attempt in range(1, ATTEMPTS + 1):
        shutil.rmtree(bundle, ignore_errors=True)
        try:
            index_folder(source, bundle)
            verify_bundle(bundle)
            return
        except IncompleteBundle as exc:
            if attempt == ATTEMPTS:
                raise DigestError(f"Pagefind wrote an incomplete index {ATTEMPTS} times: "
                                  f"{exc}") from None
        except Exception as exc:  # the Pagefind binary reports its own failures
            raise DigestError(f"Pagefind could not index {site_dir}: {exc}") from None


def build_search_index(site_dir: Path, expected_pages: int | None = None,
                       shards: list[list[str]] | None = None) -> int:
    """Index the HTML files of a built site into ``site_dir/pagefind``, or each of
    ``shards`` (lists of page URLs) into its own bundle; return the pages indexed.

    Only paper pages carry ``data-pagefind-body``, so the count must equal the
    number of papers: anything else means a paper would be missing from search.
    """
    for shard, urls in enumerate(shards or [None]):
        with tempfile.TemporaryDirectory(prefix="digest-shard-") as scratch:
            source = site_dir if urls is None else _shard_folder(site_dir, urls, Path(scratch))
            index_whole(source, site_dir / bundle_name(shard), site_dir)
    return finalize(site_dir, expected_pages, shards=len(shards or [None]))
