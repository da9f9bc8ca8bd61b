"""digest/util/files.py: the one atomic writer and the one tree walker."""

from __future__ import annotations

import os
from pathlib import Path

from digest.util.files import files_under, walk, write_atomic


def test_text_and_bytes_are_written_whole_and_as_asked(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "paper.md"
    write_atomic(target, "a\nb\n")
    assert target.read_bytes() == b"a\nb\n"
    write_atomic(target, b"kept\r\nas is\r\n")
    assert target.read_bytes() == b"kept\r\nas is\r\n"
    write_atomic(target, "x\r\ny\n", newline="")
    assert target.read_bytes() == b"x\r\ny\n"
    assert [p.name for p in target.parent.iterdir()] == ["paper.md"]  # no temporary left


def test_a_written_file_gets_the_permissions_of_a_new_file(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    plain, atomic = tmp_path / "plain", tmp_path / "atomic"
    plain.write_text("x")
    write_atomic(atomic, "x")
    assert atomic.stat().st_mode == plain.stat().st_mode


def test_the_walker_lists_files_and_linked_folders_sorted_and_skips_what_it_is_told(
        tmp_path: Path) -> None:
    (tmp_path / "b" / "__pycache__").mkdir(parents=True)
    (tmp_path / "b" / "__pycache__" / "x.pyc").write_bytes(b"")
    (tmp_path / "b" / "z.md").write_text("z")
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "b-c.md").write_text("c")
    (tmp_path / ".hidden").write_text("h")
    (tmp_path / "linked").symlink_to(tmp_path / "b", target_is_directory=True)
    names = [p.relative_to(tmp_path).as_posix()
             for p in walk(tmp_path, skip=lambda name: name in {"__pycache__", ".hidden"})]
    assert names == ["a.md", "b/z.md", "b-c.md", "linked"]  # as paths sort, by parts
    files = files_under([tmp_path / "a.md", tmp_path, tmp_path / "missing"],
                        skip=lambda name: name == "__pycache__")
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "a.md", ".hidden", "a.md", "b/z.md", "b-c.md"]
