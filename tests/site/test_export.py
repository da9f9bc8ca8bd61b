"""The data export as published: papers.json.gz, the whole digest as one JSON document
(papers.schema.json), gzip-compressed so that a 50,000-paper digest stays under GitHub
Pages' 1 GB (#17), and the same bytes on every build so a rebuild changes nothing."""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path

import frontmatter
import jsonschema

from digest.build import build_site
from digest.site.export import DATA_PATH, SCHEMA_PATH
from tests.conftest import FIXTURE_PAPERS, copy_project
from tests.support.data_export import read_export

FNAME = 0x08  # gzip header flag: an original file name follows (RFC 1952)


def test_the_site_publishes_papers_json_gz_valid_against_its_schema(site: Path) -> None:
    """A reader gunzips papers.json.gz and gets the document the schema describes, every
    paper with its abstract; there is no uncompressed papers.json besides it."""
    assert DATA_PATH == "papers.json.gz"
    assert not (site / "papers.json").exists()
    raw = (site / DATA_PATH).read_bytes()
    assert raw[:3] == b"\x1f\x8b\x08"  # gzip, deflate
    text = gzip.decompress(raw).decode("utf-8")
    assert len(raw) < len(text.encode("utf-8")) / 2
    data = json.loads(text)
    assert data == read_export(site)
    schema = json.loads((site / SCHEMA_PATH).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator,
                        format_checker=jsonschema.FormatChecker())
    assert "papers.json.gz" in schema["description"]
    papers = {p["slug"]: p for p in data["papers"]}
    assert sorted(papers) == [p.stem for p in FIXTURE_PAPERS]
    for path in FIXTURE_PAPERS:
        body = " ".join(frontmatter.load(path).content.split())
        abstract = " ".join(papers[path.stem]["abstract"].split())
        if re.search(r"[*_`\\$<&]", body):  # Markdown or TeX: shown otherwise as text
            assert abstract[:40] in body.replace("*", ""), path.name
        else:
            assert abstract == body, path.name


def test_two_builds_write_the_same_papers_json_gz(site: Path, tmp_path: Path) -> None:
    """No build time and no file name in the gzip header, one compression level: a
    rebuild of the same papers publishes the same bytes (and deploys no change)."""
    raw = (site / DATA_PATH).read_bytes()
    assert raw[4:8] == bytes(4)  # the header's mtime: none
    assert not raw[3] & FNAME
    time.sleep(1.1)  # a header that held the time would differ by now
    again = build_site(copy_project(tmp_path / "project")).site_dir
    assert (again / DATA_PATH).read_bytes() == raw
