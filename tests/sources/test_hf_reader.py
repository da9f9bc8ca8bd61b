"""The Hugging Face page reader, on the real seed and on broken copies of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.errors import DigestError
from digest.sources.hf_page import read_hf_papers
from tests.conftest import SEED


def test_reads_every_pair_of_the_seed() -> None:
    digest = read_hf_papers(SEED)
    assert len(digest.entries) == 51
    first = digest.entries[0]
    assert first.title == ("Towards Generic Image Manipulation Detection with "
                           "Weakly-Supervised Self-Consistency Learning")
    assert first.abstract.startswith("As advanced image manipulation techniques emerge")
    assert (first.month, first.day) == (3, 11)
    assert digest.entries[-1].title == ("Quantifying and Optimizing Global Faithfulness in "
                                        "Persona-driven Role-playing")
    assert "Subscribe" not in {e.title for e in digest.entries}


def _broken(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "raw.txt"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> str:
    with pytest.raises(DigestError) as info:
        read_hf_papers(path)
    return str(info.value)


HEAD = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nMar 11\n\n"
ABSTRACT = ("We study a thing at length. It matters for many reasons, and we show why with "
            "several experiments that cover a broad range of settings and models.")


def test_dangling_title_names_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, HEAD + f"Paper One\n\n{ABSTRACT}\n\nLonely Title\n")
    message = _problems(path)
    assert "raw.txt:13: abstract: title 'Lonely Title' has no abstract" in message


def test_empty_abstract_is_reported(tmp_path: Path) -> None:
    path = _broken(tmp_path, HEAD + f"Paper One\n\nPaper Two\n\n{ABSTRACT}\n")
    assert "raw.txt:9: abstract: title 'Paper One' has an empty abstract" in _problems(path)


def test_duplicate_titles_are_reported(tmp_path: Path) -> None:
    path = _broken(tmp_path, HEAD + f"Same\n\n{ABSTRACT}\n\nSame\n\n{ABSTRACT}\n")
    assert "raw.txt:13: title: duplicate title 'Same' (first at line 9)" in _problems(path)


def test_no_pairs(tmp_path: Path) -> None:
    assert "no title/abstract pairs" in _problems(_broken(tmp_path, HEAD))


def test_missing_date_line(tmp_path: Path) -> None:
    assert "no date line" in _problems(_broken(tmp_path, f"Paper\n\n{ABSTRACT}\n"))


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    data = (HEAD + "Caf").encode() + b"\xe9 Paper\n\n" + ABSTRACT.encode()
    assert "raw.txt:9: encoding: byte 0xe9 is not valid UTF-8" in _problems(
        _broken(tmp_path, data))
