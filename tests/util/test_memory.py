"""The build pauses Python's cycle collector while it reads papers and makes pages, and
gives it back as it found it, whatever happens: a library caller's program keeps it."""

from __future__ import annotations

import gc

import pytest

from digest.build import build_site
from digest.util.memory import no_cycle_collection
from tests.conftest import copy_project


def test_the_collector_is_paused_inside_and_restored_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), no_cycle_collection():
        assert not gc.isenabled()
        raise RuntimeError("a stage failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()


def test_a_build_leaves_the_collector_on(tmp_path) -> None:  # type: ignore[no-untyped-def]
    project = copy_project(tmp_path / "project")
    build_site(project, tmp_path / "site")
    assert gc.isenabled()
    assert len(list((tmp_path / "site" / "papers").glob("*/index.html"))) > 40
