"""The Pagefind stage guards against the service stopping before its files are written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest.search_index import IncompleteBundle, repair_assets, verify_bundle


@pytest.fixture
def bundle(site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(site / "pagefind", tmp_path / "pagefind"))


def test_a_complete_bundle_verifies(bundle: Path) -> None:
    verify_bundle(bundle)


def test_a_truncated_fragment_is_detected(bundle: Path) -> None:
    fragment = next((bundle / "fragment").glob("*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes()[:20])
    with pytest.raises(IncompleteBundle):
        verify_bundle(bundle)


def test_an_empty_entry_file_is_detected(bundle: Path) -> None:
    (bundle / "pagefind-entry.json").write_text("")
    with pytest.raises(IncompleteBundle):
        verify_bundle(bundle)


def test_truncated_or_missing_assets_are_restored(bundle: Path, site: Path) -> None:
    ui = bundle / "pagefind-ui.js"
    ui.write_bytes(ui.read_bytes()[:100])
    (bundle / "pagefind.js").unlink()
    assert repair_assets(bundle) == 2
    assert ui.read_bytes() == (site / "pagefind" / "pagefind-ui.js").read_bytes()
    assert (bundle / "pagefind.js").read_bytes() == (site / "pagefind" / "pagefind.js").read_bytes()
    assert repair_assets(bundle) == 0
