"""`digest import arxiv`, `digest import daily` and `digest add` by DOI as a curator runs
them, against recorded arXiv-search and Crossref answers served from 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter
from click.testing import CliRunner

from digest.cli import main
from tests.conftest import FIXTURES
from tests.support.recorded_server import RecordedServer, Reply, closed_port, server  # noqa: F401

NET = FIXTURES / "net"
ALPHAFOLD = "/crossref/works/10.1038/s41586-021-03819-2"
ROSETTAFOLD = "/crossref/works/10.1126/science.abj8754"


def run(project: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--root", str(project)])


def papers(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (project / "content/papers").glob("*.md")}


def serve_search(server: RecordedServer) -> None:
    server.on("/api/query", Reply(200, (NET / "arxiv-search-page1.atom").read_bytes()),
              Reply(200, (NET / "arxiv-search-page2.atom").read_bytes()))


def test_import_arxiv_pages_newest_first_and_stops_at_since(empty_project: Path,
                                                           server: RecordedServer) -> None:
    serve_search(server)
    result = run(empty_project, "import", "arxiv", "--category", "q-bio.BM", "--query",
                 "protein design", "--since", "2026-11-01", "--until", "2026-11-12",
                 "--date", "2026-11-13")
    assert result.exit_code == 0, result.output
    assert len(server.requests) == 2  # the second page reaches 2026-10-31: no third request
    first, second = (r.query for r in server.requests)
    assert first["search_query"] == ['cat:q-bio.BM AND all:"protein design" AND '
                                     "submittedDate:[202611010000 TO 202611122359]"]
    assert first["sortBy"] == ["submittedDate"] and first["sortOrder"] == ["descending"]
    assert (first["start"], second["start"]) == (["0"], ["3"])
    assert "4 read, 4 written, 0 unchanged, 0 skipped" in result.output
    assert "older paper" not in result.output
    names = sorted(papers(empty_project))
    assert "designing-thermostable-minibinders-with-language-model-priors.md" in names
    binders = frontmatter.load(empty_project / "content/papers/de-novo-design-of-picomolar-"
                               "binders-to-flexible-peptide-targets.md")
    assert binders["arxiv"] == "2611.07731"
    assert binders["authors"] == ["Ana Ruiz", "Kenji Sato", "Priya Natarajan"]
    assert binders["published"] == dt.date(2026, 11, 11)
    assert binders["date"] == dt.date(2026, 11, 13)
    assert binders["categories"] == ["q-bio.BM", "cs.LG"]
    assert run(empty_project, "check").exit_code == 0
    # Run again: the same papers are already there, nothing changes.
    serve_search(server)
    again = run(empty_project, "import", "arxiv", "--category", "q-bio.BM", "--query",
                "protein design", "--since", "2026-11-01", "--until", "2026-11-12",
                "--date", "2026-11-13")
    assert "4 read, 0 written, 4 unchanged" in again.output


def test_import_arxiv_categories_or_queries_and_max(empty_project: Path,
                                                    server: RecordedServer) -> None:
    serve_search(server)
    result = run(empty_project, "import", "arxiv", "--category", "q-bio.BM", "--category",
                 "q-bio.QM", "--query", "protein design", "--query", "ti:enzyme",
                 "--since", "2026-11-01", "--until", "2026-11-12", "--max", "2",
                 "--dry-run")
    assert result.exit_code == 0, result.output
    assert server.requests[0].query["search_query"] == [
        '(cat:q-bio.BM OR cat:q-bio.QM) AND all:"protein design" AND (ti:enzyme) AND '
        "submittedDate:[202611010000 TO 202611122359]"]
    assert server.requests[0].query["max_results"] == ["2"]
    assert len(server.requests) == 1
    assert "stopped after 2 papers (--max)" in result.output
    assert "2 read, 2 written" in result.output and "(dry run: nothing was written)" in \
        result.output
    assert papers(empty_project) == {}


def test_import_arxiv_needs_a_category_or_query(empty_project: Path,
                                                server: RecordedServer) -> None:
    result = run(empty_project, "import", "arxiv", "--since", "2026-11-01")
    assert result.exit_code == 1
    assert "give at least one --category" in result.output and "Traceback" not in \
        result.output
    assert server.requests == []
    files = run(empty_project, "import", "papers.bib", "--category", "q-bio.BM")
    assert files.exit_code == 2 and "--category: for `digest import arxiv` only" in \
        files.output


def test_import_arxiv_dead_host_and_malformed_answer_are_one_line(
        empty_project: Path, server: RecordedServer, monkeypatch) -> None:
    (empty_project / "content/papers/mine.md").write_text(
        "---\ntitle: Mine\ndate: 2026-01-05\n---\n\nMy own paper.\n")
    before = papers(empty_project)
    data = (NET / "arxiv-search-page1.atom").read_bytes()
    server.on("/api/query", Reply(200, data[: len(data) // 2]))
    args = ("import", "arxiv", "--category", "q-bio.BM", "--since", "2026-11-01")
    result = run(empty_project, *args)
    assert result.exit_code == 1
    assert result.output.startswith("error: arXiv search q-bio.BM: not a readable arXiv API "
                                    "answer\n")
    assert "Traceback" not in result.output
    monkeypatch.setenv("DIGEST_ARXIV_API", f"http://127.0.0.1:{closed_port()}/api/query")
    dead = run(empty_project, *args)
    assert dead.exit_code == 1 and dead.output.count("\n") == 1
    assert dead.output.startswith("error: arXiv API (") and "cannot connect" in dead.output
    assert papers(empty_project) == before


# --- add by DOI ---------------------------------------------------------------------------

def test_add_by_doi_reads_crossref(empty_project: Path, server: RecordedServer) -> None:
    server.serve_file(ALPHAFOLD, "net/crossref-work.json")
    with (empty_project / "site_config/site.yml").open("a") as file:
        file.write("mailto: lab@example.org\n")
    result = run(empty_project, "add", "https://doi.org/10.1038/s41586-021-03819-2",
                 "--date", "2026-11-13")
    assert result.exit_code == 0, result.output
    assert "1 read, 1 written, 0 unchanged, 0 skipped" in result.output
    assert [r.path for r in server.requests] == [ALPHAFOLD]
    agent = server.requests[0].headers["User-Agent"]
    assert agent.startswith("paper-digest/") and agent.endswith("; mailto:lab@example.org)")
    path = empty_project / "content/papers/highly-accurate-protein-structure-prediction-with-" \
                           "alphafold.md"
    paper = frontmatter.load(path)
    assert paper["title"] == "Highly accurate protein structure prediction with AlphaFold"
    assert paper["authors"] == ["John Jumper", "Richard Evans", "Alexander Pritzel",
                                "Žiga Avsec", "CASP14 Assessors"]
    assert paper["doi"] == "10.1038/s41586-021-03819-2"
    assert paper["venue"] == "Nature 596(7873), 583-589 (2021)"
    assert paper["published"] == dt.date(2021, 7, 15)
    assert paper["links"] == ["https://github.com/deepmind/alphafold"]
    # The JATS markup is gone, its text and paragraphs kept.
    assert paper.content.startswith("Proteins are essential to life")
    assert "with atomic accuracy" in paper.content and "<" not in paper.content
    assert "\n\nThe method was validated in CASP14 & its source code" in paper.content
    assert "Abstract" not in paper.content
    assert run(empty_project, "check").exit_code == 0


def test_add_mixed_ids_and_dois_skips_what_has_no_abstract_or_is_unknown(
        empty_project: Path, server: RecordedServer) -> None:
    server.serve_file("/api/query", "net/arxiv-add.atom")
    server.serve_file(ALPHAFOLD, "net/crossref-work.json")
    server.serve_file(ROSETTAFOLD, "net/crossref-no-abstract.json")
    result = run(empty_project, "add", "2305.18290", "doi:10.1038/s41586-021-03819-2",
                 "10.1126/science.abj8754", "10.5555/no-such-doi",
                 "https://doi.org/10.1038/S41586-021-03819-2", "--date", "2026-11-13")
    assert result.exit_code == 0, result.output
    assert server.requests[0].query["id_list"] == ["2305.18290"]
    assert ("skipped https://doi.org/10.1038/S41586-021-03819-2: given twice (as "
            "10.1038/s41586-021-03819-2)") in result.output
    assert ("skipped Crossref: 10.1126/science.abj8754: Crossref has no abstract for it; "
            "start it with `digest new --doi 10.1126/science.abj8754` and paste the "
            "abstract") in result.output
    assert "skipped Crossref: 10.5555/no-such-doi: not found on Crossref" in result.output
    assert "5 read, 2 written, 0 unchanged, 3 skipped" in result.output
    assert len(papers(empty_project)) == 2


def test_add_an_arxiv_doi_asks_arxiv(empty_project: Path, server: RecordedServer) -> None:
    server.serve_file("/api/query", "net/arxiv-add.atom")
    result = run(empty_project, "add", "https://doi.org/10.48550/arXiv.2305.18290")
    assert result.exit_code == 0, result.output
    assert [r.path for r in server.requests] == ["/api/query"]
    assert server.requests[0].query["id_list"] == ["2305.18290"]


def test_add_by_doi_dead_host_and_malformed_answer_write_nothing(
        empty_project: Path, server: RecordedServer, monkeypatch) -> None:
    server.serve_file("/api/query", "net/arxiv-add.atom")
    data = (NET / "crossref-work.json").read_bytes()
    server.on(ALPHAFOLD, Reply(200, data[:700]))
    result = run(empty_project, "add", "2305.18290", "10.1038/s41586-021-03819-2")
    assert result.exit_code == 1
    assert result.output.startswith("error: Crossref: 10.1038/s41586-021-03819-2: not a "
                                    "readable Crossref answer\n")
    assert "malformed or was cut off" in result.output and "Traceback" not in result.output
    server.on(ALPHAFOLD, Reply(200, b'{"status": "failed", "message-type": "validation"}'))
    odd = run(empty_project, "add", "10.1038/s41586-021-03819-2")
    assert odd.exit_code == 1 and "not a readable Crossref answer" in odd.output
    monkeypatch.setenv("DIGEST_CROSSREF_API", f"http://127.0.0.1:{closed_port()}")
    dead = run(empty_project, "add", "10.1038/s41586-021-03819-2")
    assert dead.exit_code == 1 and dead.output.count("\n") == 1
    assert dead.output.startswith("error: Crossref API (") and "cannot connect" in dead.output
    assert papers(empty_project) == {}


# --- import daily ---------------------------------------------------------------------------

def _configure(project: Path, text: str) -> None:
    """site.yml with ``text`` in place of its own ``import:`` setting."""
    path = project / "site_config/site.yml"
    kept = [line for line in path.read_text().split("\n")
            if not line.startswith(("import:", "  huggingface:"))]
    path.write_text("\n".join(kept).rstrip("\n") + "\n" + text)


def test_import_daily_runs_exactly_the_configured_sources(empty_project: Path,
                                                          server: RecordedServer) -> None:
    _configure(empty_project, "import:\n  huggingface: false\n  arxiv:\n"
                              "    - category: q-bio.BM\n      query: protein design\n"
                              "    - category: [q-bio.QM, cs.LG]\n")
    server.serve_file("/api/query", "net/arxiv-search-page2.atom")
    result = run(empty_project, "import", "daily", "--date", "2026-11-04")
    assert result.exit_code == 0, result.output
    assert all(r.path == "/api/query" for r in server.requests)  # no Hugging Face request
    queries = [r.query["search_query"][0] for r in server.requests]
    # The day and the three before it: arXiv announces late submissions a day or more after.
    assert queries == ['cat:q-bio.BM AND all:"protein design" AND '
                       "submittedDate:[202611010000 TO 202611042359]",
                       "(cat:q-bio.QM OR cat:cs.LG) AND "
                       "submittedDate:[202611010000 TO 202611042359]"]
    # The second search finds the same paper again: one file.
    assert "edition date 2026-11-04 from --date" in result.output
    assert "wrote content/papers/designing-thermostable-minibinders-with-language-model-" \
           "priors.md" in result.output
    assert len(papers(empty_project)) == 1


def test_import_daily_with_hugging_face_and_with_none(empty_project: Path,
                                                      server: RecordedServer) -> None:
    server.serve_file("/hf/api/daily_papers", "intake/hf-daily-3.json")
    result = run(empty_project, "import", "daily", "--date", "2026-03-11")  # the default
    assert result.exit_code == 0, result.output
    assert [r.path for r in server.requests] == ["/hf/api/daily_papers"]
    assert "3 read, 3 written" in result.output
    _configure(empty_project, "import: none\n")
    server.requests.clear()
    off = run(empty_project, "import", "daily")
    assert off.exit_code == 0
    assert "names no daily source (import: none); nothing to import" in off.output
    assert server.requests == []
