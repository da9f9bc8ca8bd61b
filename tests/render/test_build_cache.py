"""`digest build --cache`: a rebuild reuses the previous build's pages and is the same
site, byte for byte, as a clean build of the same content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.build import build_site
from digest.cli import main
from digest.errors import DigestError
from tests.conftest import write_paper

NEW_PAPER = """---
title: Self-Play Preference Optimization for Reinforcement Learning from Human Feedback at Scale
date: 2026-03-12
topics: [reinforcement-learning, preference-optimization]
tags: [SPO, reinforcement learning, human feedback]
source: Hugging Face daily papers
---

We scale self-play preference optimization for reinforcement learning from human
feedback: a single policy plays against itself, a preference model compares its
trajectories, and the proportion of wins is the reward. Without a reward model or
adversarial training, it handles intransitive and stochastic preferences and learns
more efficiently than reward-model based approaches on continuous control tasks.
"""


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _same_site(a: Path, b: Path) -> None:
    left, right = _tree(a), _tree(b)
    assert sorted(left) == sorted(right)
    differ = [name for name in left if left[name] != right[name]]
    assert not differ, f"{len(differ)} files differ, first {differ[:5]}"


def _build(project: Path, site: Path, cache: Path | None) -> list[str]:
    lines: list[str] = []
    build_site(project, site, progress=lines.append, cache_dir=cache)
    return lines


def _reused(lines: list[str]) -> tuple[int, int]:
    line = next(line for line in lines if line.startswith("build cache: ") and "of" in line)
    hits, _, total = line.removeprefix("build cache: ").split(";")[0].split()[:3]
    return int(hits), int(total)


def test_a_new_paper_rebuilds_its_pages_and_the_site_equals_a_clean_build(
        project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _build(project, tmp_path / "first", cache)
    assert any("no build cache" in line for line in first)
    assert _reused(first)[0] == 0

    write_paper(project, "self-play-preference-optimization-at-scale.md", NEW_PAPER)
    lines = _build(project, tmp_path / "cached", cache)
    hits, total = _reused(lines)
    # The new page, its edition, topics, tags, home and the papers whose related
    # papers or recent band changed are rendered again (many, in 52 papers of which
    # a dozen are on reinforcement learning); the rest comes from the cache.
    assert total // 3 < hits < total, lines
    generated_before = int(next(line for line in lines if "not generated again" in line)
                           .split("; ")[1].split()[0])
    assert generated_before > 51  # paper pages and listing entries
    assert not any("search index reused" in line for line in lines)  # a new paper
    page = tmp_path / "cached" / "papers" / "self-play-preference-optimization-at-scale" / (
        "index.html")
    assert "proportion of wins is the reward" in page.read_text(encoding="utf-8")

    _build(project, tmp_path / "clean", None)
    _same_site(tmp_path / "cached", tmp_path / "clean")


def test_an_edited_abstract_shows_and_nothing_else_is_stale(project: Path,
                                                            tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(project, tmp_path / "first", cache)
    path = project / "content" / "papers" / (
        "a-minimaximalist-approach-to-reinforcement-learning-from-human-feedback.md")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "We present Self-Play", "We present, in this edited sentence, Self-Play"),
        encoding="utf-8")
    lines = _build(project, tmp_path / "cached", cache)
    hits, total = _reused(lines)
    assert hits < total
    page = (tmp_path / "cached" / "papers" / "a-minimaximalist-approach-to-reinforcement-"
            "learning-from-human-feedback" / "index.html").read_text(encoding="utf-8")
    assert "in this edited sentence" in page
    _build(project, tmp_path / "clean", None)
    _same_site(tmp_path / "cached", tmp_path / "clean")


def test_an_unchanged_rebuild_reuses_every_page_and_the_search_index(
        project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(project, tmp_path / "first", cache)
    size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    lines = _build(project, tmp_path / "again", cache)
    hits, total = _reused(lines)
    assert hits == total
    assert sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) == size
    assert "build cache: search index reused (no indexed page changed)" in lines
    _same_site(tmp_path / "first", tmp_path / "again")
    # What the second build took from the cache stays in it for the third.
    hits, total = _reused(_build(project, tmp_path / "third", cache))
    assert hits == total


def test_new_site_settings_render_every_page_again(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(project, tmp_path / "first", cache)
    settings = project / "site_config" / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "name: Paper Digest", "name: Renamed Digest"), encoding="utf-8")
    lines = _build(project, tmp_path / "cached", cache)
    assert any("made by other code, settings or theme files" in line for line in lines)
    assert _reused(lines)[0] == 0
    kinds = sorted(p.name.split("-")[0].split(".")[-1] for p in cache.iterdir())
    assert kinds == ["bundle", "json", "pages"]  # the old pack and index are gone
    assert "Renamed Digest" in (tmp_path / "cached" / "index.html").read_text("utf-8")
    _build(project, tmp_path / "clean", None)
    _same_site(tmp_path / "cached", tmp_path / "clean")


@pytest.mark.parametrize("damage", ["pack", "manifest"])
def test_a_damaged_cache_is_not_trusted(project: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    _build(project, tmp_path / "first", cache)
    if damage == "pack":
        pack = next(cache.glob("*.pack"))
        data = bytearray(pack.read_bytes())
        data[len(data) // 2] ^= 0xFF  # one flipped byte inside some page
        pack.write_bytes(bytes(data))
    else:
        (cache / "manifest.json").write_text("{not json", encoding="utf-8")
    write_paper(project, "self-play-preference-optimization-at-scale.md", NEW_PAPER)
    lines = _build(project, tmp_path / "cached", cache)
    if damage == "manifest":
        assert any("unreadable" in line and "ignoring it" in line for line in lines)
    _build(project, tmp_path / "clean", None)
    _same_site(tmp_path / "cached", tmp_path / "clean")


@pytest.mark.parametrize("breakage", ["paper", "template"])
def test_a_failed_build_keeps_the_previous_cache(project: Path, tmp_path: Path,
                                                 breakage: str) -> None:
    cache = tmp_path / "builds" / "cache"
    _build(project, tmp_path / "builds" / "first", cache)
    manifest = (cache / "manifest.json").read_bytes()
    if breakage == "paper":
        write_paper(project, "broken.md", "---\ntitle: [unclosed\n---\n\nText.\n")
    else:  # fails while MkDocs renders, after the cache was opened
        (project / "theme" / "main.html").write_text("{% block content %}{{ oops(",
                                                     encoding="utf-8")
    with pytest.raises(DigestError) as failed:
        _build(project, tmp_path / "builds" / "failed", cache)
    if breakage == "template":  # the file and line, not a traceback
        assert str(failed.value.problems[0]).startswith("theme/main.html:1: template: ")
    assert (cache / "manifest.json").read_bytes() == manifest
    assert sorted(p.name for p in cache.parent.iterdir()) == ["cache", "first"]
    if breakage == "paper":
        (project / "content" / "papers" / "broken.md").unlink()
    else:
        (project / "theme" / "main.html").unlink()  # the package's main.html again
    lines = _build(project, tmp_path / "builds" / "again", cache)  # the cache still works
    hits, total = _reused(lines)
    assert hits == total
    _same_site(tmp_path / "builds" / "first", tmp_path / "builds" / "again")


def test_the_command_line_takes_a_cache_folder(project: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["build", "--root", str(project), "--site-dir", str(tmp_path / "site"),
            "--cache", str(tmp_path / "cache")]
    assert runner.invoke(main, args).exit_code == 0
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "build cache: " in result.output and "pages reused" in result.output
    manifest = json.loads((tmp_path / "cache" / "manifest.json").read_text("utf-8"))
    assert manifest["pages"]
    assert "--cache" in runner.invoke(main, ["build", "--help"]).output


def test_the_pack_is_rewritten_when_most_of_it_is_stale(project: Path, tmp_path: Path) -> None:
    """Every edit appends; the pack never holds more than twice what is in use."""
    cache = tmp_path / "cache"
    _build(project, tmp_path / "first", cache)
    names = set()
    for round_ in range(3):
        for path in sorted((project / "content" / "papers").glob("*.md")):
            path.write_text(path.read_text(encoding="utf-8") + f"\nEdit {round_}.\n",
                            encoding="utf-8")
        _build(project, tmp_path / f"cached{round_}", cache)
        manifest = json.loads((cache / "manifest.json").read_text("utf-8"))
        packs = list(cache.glob("*.pack"))
        assert [p.name for p in packs] == [manifest["pack"]]
        assert packs[0].stat().st_size <= 2 * sum(e[1] for e in manifest["pages"].values())
        names.add(manifest["pack"])
    assert len(names) > 1  # rewritten at least once
    _build(project, tmp_path / "clean", None)
    _same_site(tmp_path / "cached2", tmp_path / "clean")


@pytest.mark.parametrize("change", ["none", "new paper"])
def test_a_sharded_index_is_reused_or_remade_whole(project: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   change: str) -> None:
    monkeypatch.setenv("DIGEST_SEARCH_SHARD_PAGES", "20")  # 51 papers: 3 shards
    cache = tmp_path / "cache"
    _build(project, tmp_path / "first", cache)
    assert (tmp_path / "first" / "pagefind-3" / "pagefind-entry.json").is_file()
    if change == "new paper":
        write_paper(project, "self-play-preference-optimization-at-scale.md", NEW_PAPER)
    lines = _build(project, tmp_path / "cached", cache)
    reused = "build cache: search index reused (no indexed page changed)" in lines
    assert reused == (change == "none")
    _build(project, tmp_path / "clean", None)
    _same_site(tmp_path / "cached", tmp_path / "clean")


def test_a_cache_folder_that_cannot_be_made_is_a_clear_error(project: Path,
                                                             tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(project), "--site-dir",
                                       str(tmp_path / "site"),
                                       "--cache", str(tmp_path / "a-file" / "cache")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{tmp_path / 'a-file' / 'cache'}: --cache: Not a directory" in result.output
    assert not (tmp_path / "site").exists()
