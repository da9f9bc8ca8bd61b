"""Related papers and pages made on several cores (digest.util.processes): the same site, byte
for byte, as when one process makes them, and a failure in a child is the build's
failure, reported as it would be without children."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.build import build_site, validated_content
from digest.cli import main
from digest.config import load_config
from digest.content.load import load_content
from digest.errors import DigestError
from digest.model import Problem
from digest.site import plan
from digest.site.model import SiteModel
from digest.util import processes as parallel
from tests.conftest import PROJECT

pytestmark = pytest.mark.skipif(parallel.workers() < 2 or "fork" not in
                                multiprocessing.get_all_start_methods(),
                                reason="needs fork and two cores")


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fork children even for the 51 shipped papers; the pids of the children forked.

    The test session serves sites on threads of its own (tests/support/browser.py), which a
    build never forks beside; those threads wait on sockets and hold nothing a child
    needs, so here the children are forked anyway.
    """
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(parallel, "_alone", lambda: True)
    monkeypatch.setattr(parallel, "CHUNK", 1)
    forked: list[int] = []
    fork = parallel._fork

    def counted(target):  # type: ignore[no-untyped-def]
        child, connection = fork(target)
        forked.append(child.pid)
        return child, connection

    monkeypatch.setattr(parallel, "_fork", counted)
    return forked


def test_no_child_is_forked_beside_another_thread() -> None:
    """`digest serve` generates pages beside its server thread: no fork there."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.enabled(100_000)
    finally:
        stop.set()
        other.join()


def test_shared_work_comes_back_in_order_from_several_processes(forking: list[int]) -> None:
    def work(item: int) -> tuple[int, int]:
        time.sleep(0.002)  # long enough that the child takes its share
        return item * item, os.getpid()

    made = parallel.shared_map(work, range(200), forked=True)
    assert [square for square, _ in made] == [i * i for i in range(200)]
    assert {pid for _, pid in made} == {os.getpid(), *forking}
    assert multiprocessing.active_children() == []


def test_pages_made_by_several_processes_are_the_same_pages_in_the_same_order(
        forking: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = load_config(PROJECT)
    papers = validated_content(config).papers
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    serial = plan.plan_pages(papers, config, tmp_path / "docs")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    forking.clear()  # reading the papers forked

    page = SiteModel.page

    def slow_page(self: SiteModel, src: str) -> str:
        time.sleep(0.002)  # so that the child makes a share of the 51 paper pages
        return page(self, src)

    monkeypatch.setattr(SiteModel, "page", slow_page)
    shared = plan.plan_pages(papers, config, tmp_path / "docs")
    assert len(forking) == 2  # related papers, then the pages
    assert list(shared.pages) == list(serial.pages)  # the order MkDocs renders in
    differ = [src for src in serial.pages if shared.pages[src] != serial.pages[src]]
    assert differ == []
    assert shared.files == serial.files  # the data export's bytes too, made in a child
    assert shared.paper_order == serial.paper_order


def test_a_site_built_on_several_cores_is_byte_identical(
        forking: list[int], site: Path, tmp_path: Path) -> None:
    shared = build_site(PROJECT, tmp_path / "shared").site_dir
    assert forking  # the session's `site` was built by one process (51 papers)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(shared): p.read_bytes() for p in shared.rglob("*")
              if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [str(p) for p in first if first[p] != second[p]] == []


def _fails_in_child(problem: Problem):  # type: ignore[no-untyped-def]
    parent = os.getpid()

    def fail(*args: object, **kwargs: object) -> object:
        assert os.getpid() != parent, "meant to run in a forked child"
        raise DigestError("1 problem(s) in content/; nothing was published", [problem])

    return fail


def test_an_error_in_a_child_is_the_same_clear_error(
        forking: list[int], monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    site = build_site(project).site_dir
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    problem = Problem("content/papers/x.md", 3, "abstract", "cannot be compared: fix it")
    monkeypatch.setattr(plan, "related_papers", _fails_in_child(problem))
    result = CliRunner().invoke(main, ["build", "--root", str(project)])
    assert result.exit_code == 1
    assert "content/papers/x.md:3: abstract: cannot be compared: fix it" in result.output
    assert "Traceback" not in result.output
    assert multiprocessing.active_children() == []
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_an_error_making_a_page_in_a_child_stops_the_build(
        forking: list[int], monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    problem = Problem("content/papers/y.md", None, "title", "cannot be shown")
    parent, fail = os.getpid(), _fails_in_child(problem)

    def page(self: SiteModel, src: str) -> str:
        if os.getpid() != parent:
            fail()
        time.sleep(0.01)  # the child takes pages meanwhile
        return ""

    monkeypatch.setattr(SiteModel, "page", page)
    config = load_config(project)
    with pytest.raises(DigestError) as raised:
        plan.plan_pages(validated_content(config).papers, config, project / "docs",
                        related={})
    assert raised.value.problems == [problem]
    assert multiprocessing.active_children() == []


def test_a_child_that_dies_is_an_error_not_a_hang(forking: list[int]) -> None:
    parent = os.getpid()

    def work(item: int) -> int:
        if os.getpid() != parent:
            os._exit(3)
        time.sleep(0.01)
        return item

    with pytest.raises(RuntimeError, match="exit code 3"):
        parallel.shared_map(work, range(50), forked=True)
    assert multiprocessing.active_children() == []


def test_papers_read_by_several_processes_are_the_same_papers_and_problems(
        forking: list[int], monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    papers = project / "content" / "papers"
    (papers / "broken.md").write_text("---\ntitle: [unclosed\ndate: 2026-03-11\n---\nText\n")
    (papers / "notes.txt").write_text("not a paper\n")
    (papers / "Bad Name.md").write_text((papers / "broken.md").read_text())
    config = load_config(project)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10**9)
    serial = load_content(config)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    shared = load_content(config)
    assert forking  # the files were shared with a child
    assert len(serial.papers) == 51 and len(serial.errors) >= 3
    assert shared.papers == serial.papers
    assert shared.problems == serial.problems
