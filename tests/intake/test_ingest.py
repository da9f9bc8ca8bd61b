"""`digest ingest`: what a contributor sees when adding a raw digest."""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections import Counter
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.config import load_config
from digest.intake.ingest import ingest, resolve_date
from tests.conftest import FIXTURE_PAPERS, PROJECT, SEED, write_paper


def run(project: Path, *args: str):
    return CliRunner().invoke(main, ["ingest", *args, "--root", str(project)])


def test_seed_ingest_reproduces_the_fixture_papers(empty_project: Path) -> None:
    result = run(empty_project, str(SEED), "--date", "2026-03-11")
    assert result.exit_code == 0, result.output
    assert "51 read, 51 written, 0 unchanged, 0 skipped" in result.output
    written = sorted((empty_project / "content" / "papers").glob("*.md"))
    assert [p.name for p in written] == [p.name for p in FIXTURE_PAPERS]
    for ours, shipped in zip(written, FIXTURE_PAPERS, strict=True):
        assert ours.read_text() == shipped.read_text(), ours.name


def test_front_matter_of_an_ingested_paper(empty_project: Path) -> None:
    run(empty_project, str(SEED), "--date", "2026-03-11")
    post = frontmatter.load(empty_project / "content/papers/pfgm-unlocking-the-potential-of-"
                            "physics-inspired-generative-models.md")
    assert post["title"] == "PFGM++: Unlocking the Potential of Physics-Inspired Generative Models"
    assert post["date"] == dt.date(2026, 3, 11)
    assert "generative-models" in post["topics"]
    assert post["links"] == ["https://github.com/Newbeeer/pfgmpp"]
    assert "64×64" in post.content and "D→∞" in post.content


def test_reingest_changes_nothing(project: Path) -> None:
    before = {p: p.read_bytes() for p in (project / "content/papers").glob("*.md")}
    result = run(project, str(SEED), "--date", "2026-03-11")
    assert result.exit_code == 0
    assert "51 read, 0 written, 51 unchanged, 0 skipped" in result.output
    assert {p: p.read_bytes() for p in (project / "content/papers").glob("*.md")} == before


def test_edited_file_is_reported_not_overwritten(project: Path) -> None:
    path = project / "content/papers/random-teachers-are-good-teachers.md"
    edited = path.read_text().replace("topics: [", "topics: [vision, ")
    path.write_text(edited)
    result = run(project, str(SEED), "--date", "2026-03-11")
    assert ("hf-papers-2026-03-11.txt:47: already in content/papers/random-teachers-are-"
            "good-teachers.md (same title), which differs from this entry") in result.output
    assert "--force replaces it" in result.output
    assert path.read_text() == edited
    forced = run(project, str(SEED), "--date", "2026-03-11", "--force")
    assert "1 written" in forced.output
    assert path.read_text() != edited


def test_date_without_year_is_inferred_and_explained() -> None:
    date, note = resolve_date(3, 11, None, dt.date(2026, 11, 27))
    assert date == dt.date(2026, 3, 11)
    assert "most recent Mar 11 not after today" in note
    assert resolve_date(12, 24, None, dt.date(2026, 11, 27))[0] == dt.date(2025, 12, 24)
    assert resolve_date(2, 29, None, dt.date(2026, 11, 27))[0] == dt.date(2024, 2, 29)


def test_malformed_digest_writes_nothing(empty_project: Path, tmp_path: Path) -> None:
    raw = tmp_path / "bad.txt"
    raw.write_text(SEED.read_text() + "\n\nA title with no abstract\n")
    result = run(empty_project, str(raw), "--date", "2026-03-11")
    assert result.exit_code == 1
    assert "bad.txt:215: abstract: title 'A title with no abstract' has no abstract" in \
        result.output
    assert "Traceback" not in result.output
    assert not list((empty_project / "content/papers").glob("*.md"))


def test_missing_file_is_a_clear_error(empty_project: Path) -> None:
    result = run(empty_project, "nope.txt")
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.output


def test_slugs_are_readable_ascii_and_unique(empty_project: Path) -> None:
    report = ingest(SEED, load_config(empty_project), date=dt.date(2026, 3, 11))
    names = [p.stem for p in report.written]
    assert len(set(names)) == 51
    assert all(n.isascii() and n == n.lower() and " " not in n for n in names)
    assert "b-star-monitoring-and-balancing-exploration-and-exploitation-in-self-taught" in names


def test_topics_are_balanced_on_the_seed() -> None:
    config = load_config(PROJECT)
    counts: Counter[str] = Counter()
    for path in FIXTURE_PAPERS:
        topics = frontmatter.load(path)["topics"]
        assert 1 <= len(topics) <= 3, path.name
        counts.update(topics)
    assert set(counts) <= set(config.topic_slugs)
    for topic, count in counts.items():
        assert count <= 0.4 * len(FIXTURE_PAPERS), topic
        assert count >= 2 or topic == "other", topic


def test_a_file_that_cannot_be_written_is_named_and_nothing_is_written(
        empty_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that fills up on the last file: one clear error naming the file, and
    content/ as it was, the replaced file included."""
    edited = write_paper(empty_project, FIXTURE_PAPERS[0].name,
                         FIXTURE_PAPERS[0].read_text() + "Edited by a person.\n")
    before = edited.read_bytes()
    # The last file to write: every other one is written (and put back) by then.
    full = ingest(SEED, load_config(empty_project), date=dt.date(2026, 3, 11), force=True,
                  dry_run=True).written[-1].name
    replace = os.replace

    def disk_full(src: str, dst: str | Path) -> None:
        if Path(dst).name == full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    result = run(empty_project, str(SEED), "--date", "2026-03-11", "--force")
    assert result.exit_code == 1
    assert f"error: content/papers/{full}: cannot write this file: No space left on device" \
        in result.output
    assert "nothing was written (content/ is as it was)" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in (empty_project / "content/papers").iterdir()] == [edited.name]
    assert edited.read_bytes() == before
