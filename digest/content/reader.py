"""Reader for paper files in content/: YAML front matter, then the abstract in Markdown."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from digest.model import Problem
from digest.content.yamlstrict import YamlMap, load, top_scalars

MAX_BYTES = 64 * 1024
_FENCE = re.compile(r"---[ \t]*$")
# C0/C1 controls other than tab and newline, and the invisible direction overrides of
# "Trojan Source" text, which make a title read differently from what it is.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class PaperFile:
    """A paper file split into its parts, before any schema check."""

    path: Path
    shown: str  # the path as reported to users (relative to the project)
    front: YamlMap | None
    body: str


def read_paper_file(path: Path, shown: str) -> tuple[PaperFile | None, list[Problem]]:
    """Split a paper file; report encoding, size and YAML problems with their lines."""
    return parse_paper(path.read_bytes(), path, shown)


def parse_paper(data: bytes, path: Path, shown: str) -> tuple[PaperFile | None, list[Problem]]:
    """Split the bytes of a paper file (see read_paper_file)."""
    parts, problems = _split(data, shown)
    if parts is None:
        return None, problems
    raw_front, body = parts
    front, problems = load(raw_front, shown, first_line=2)
    if front is not None and not isinstance(front, YamlMap):
        problems.append(Problem(shown, 2, "front matter", "must be YAML fields such as "
                                "'title: ...', one per line"))
        front = None
    return PaperFile(path, shown, front, body), problems


def front_scalars(data: bytes, shown: str, names: frozenset[str]) -> dict[str, str] | None:
    """The raw text of the named top-level scalar fields, as parse_paper's front matter
    holds them; None when parse_paper gives no front matter. Cheaper: the rest of the
    fields are not looked at (the writer's index of content/ needs three)."""
    parts, _ = _split(data, shown)
    return None if parts is None else top_scalars(parts[0], names)


def _split(data: bytes, shown: str) -> tuple[tuple[str, str] | None, list[Problem]]:
    """(YAML front matter, body) of a paper file's bytes, or None and why not."""
    if len(data) > MAX_BYTES:
        return None, [Problem(shown, None, "file", f"is {len(data):,} bytes; the limit is "
                              f"{MAX_BYTES:,}: a paper file holds one abstract, not the paper")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, "encoding", f"byte 0x{data[exc.start]:02x} is not "
                              "UTF-8; save the file as UTF-8")]
    text = text.replace("\r\n", "\n")
    hidden = _HIDDEN.search(text)
    if hidden:
        char = hidden.group(0)
        line = text.count("\n", 0, hidden.start()) + 1
        name = unicodedata.name(char, "control character")
        return None, [Problem(shown, line, "encoding", f"invisible character U+{ord(char):04X} "
                              f"({name}) is not allowed; delete it"
                              + (" (save with Unix line endings)" if char == "\r" else ""))]
    lines = text.split("\n")
    if not _FENCE.match(lines[0]):
        return None, [Problem(shown, 1, "front matter", "missing: the file must start with a "
                              "line '---', the YAML fields, and another '---'")]
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        return None, [Problem(shown, 1, "front matter", "is not closed: add a line '---' "
                              "after the last field")]
    return ("\n".join(lines[1:end]) + "\n", "\n".join(lines[end + 1:])), []
