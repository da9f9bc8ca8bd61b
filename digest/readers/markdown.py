"""Reader for paper files in content/: YAML front matter, then the abstract in Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import frontmatter

from digest.model import Problem
from digest.yamlstrict import YamlMap, load

MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class PaperFile:
    """A paper file split into its parts, before any schema check."""

    path: Path
    shown: str  # the path as reported to users (relative to the project)
    front: YamlMap | None
    body: str


def read_paper_file(path: Path, shown: str) -> tuple[PaperFile | None, list[Problem]]:
    """Split a paper file; report encoding, size and YAML problems with their lines."""
    data = path.read_bytes()
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
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        return None, [Problem(shown, 1, "front matter", "missing: the file must start with a "
                              "line '---', the YAML fields, and another '---'")]
    try:
        raw_front, body = handler.split(text)
    except ValueError:
        return None, [Problem(shown, 1, "front matter", "is not closed: add a line '---' "
                              "after the last field")]
    front, problems = load(raw_front, shown, first_line=1)
    if front is not None and not isinstance(front, YamlMap):
        problems.append(Problem(shown, 2, "front matter", "must be YAML fields such as "
                                "'title: ...', one per line"))
        front = None
    return PaperFile(path, shown, front, body), problems
