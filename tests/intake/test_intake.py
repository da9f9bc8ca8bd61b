"""`digest add`, `digest import` and `digest enrich` as a curator runs them, against
recorded arXiv and Hugging Face answers served from 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import frontmatter
from click.testing import CliRunner

from digest.cli import main
from digest.config import load_config
from digest.intake.commands import import_hf
from digest.intake.http import hf_client
from tests.conftest import FIXTURES, PROJECT, REPO
from tests.support.recorded_server import RecordedServer, Reply, closed_port, server  # noqa: F401

INTAKE = FIXTURES / "intake"
NET = FIXTURES / "net"
EVERY_FORM = ["2305.18290", "2310.06825v2", "arXiv:2112.10752", "hep-th/9901001",
              "https://arxiv.org/abs/1706.03762", "https://arxiv.org/pdf/2501.03575v1",
              "https://huggingface.co/papers/2603.04512", "2401.99999"]


def run(project: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--root", str(project)])


def papers(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (project / "content/papers").glob("*.md")}


def test_add_by_every_id_and_url_form_asks_arxiv_once(empty_project: Path,
                                                      server: RecordedServer) -> None:
    server.serve_file("/api/query", "net/arxiv-add.atom")
    result = run(empty_project, "add", *EVERY_FORM, "--date", "2026-03-11")
    assert result.exit_code == 0, result.output
    assert len(server.requests) == 1
    asked = server.requests[0].query["id_list"][0].split(",")
    assert asked == ["2305.18290", "2310.06825v2", "2112.10752", "hep-th/9901001",
                     "1706.03762", "2501.03575v1", "2603.04512", "2401.99999"]
    assert "edition date 2026-03-11 from --date" in result.output
    assert "skipped arXiv API: 2401.99999: not found on arXiv: check the id" in result.output
    assert "8 read, 7 written, 0 unchanged, 1 skipped" in result.output
    dpo = frontmatter.load(empty_project / "content/papers/direct-preference-optimization-"
                           "your-language-model-is-secretly-a-reward-model.md")
    assert dpo["arxiv"] == "2305.18290"
    assert dpo["authors"] == ["Rafael Rafailov", "Archit Sharma", "Eric Mitchell"]
    assert dpo["published"] == dt.date(2023, 5, 29)
    assert dpo["categories"] == ["cs.LG", "cs.AI"]
    assert dpo["date"] == dt.date(2026, 3, 11)
    assert run(empty_project, "check").exit_code == 0


def test_add_without_date_uses_today_in_utc_and_says_so(empty_project: Path,
                                                        server: RecordedServer) -> None:
    server.serve_file("/api/query", "net/arxiv-add.atom")
    result = run(empty_project, "add", "1706.03762")
    today = dt.datetime.now(dt.UTC).date()
    assert f"edition date {today}: today in UTC; pass --date to change it" in result.output


def test_add_an_id_already_in_content_names_the_file(empty_project: Path,
                                                     server: RecordedServer) -> None:
    (empty_project / "content/papers/dpo.md").write_text(
        '---\ntitle: DPO, by hand\ndate: 2026-01-05\narxiv: "2305.18290v2"\n---\n\nMine.\n')
    server.serve_file("/api/query", "net/arxiv-add.atom")
    result = run(empty_project, "add", "2305.18290", "--date", "2026-03-11")
    assert result.exit_code == 0, result.output
    assert ("already in content/papers/dpo.md (same arXiv id 2305.18290), which differs "
            "from this entry") in result.output
    assert sorted(papers(empty_project)) == ["dpo.md"]


def test_add_a_malformed_id_is_one_line_and_asks_nothing(empty_project: Path,
                                                        server: RecordedServer) -> None:
    result = run(empty_project, "add", "2305.18290", "not-an-id")
    assert result.exit_code == 1
    assert result.output.startswith("error: nothing was added: fix the ids below and run the "
                                    "command again\nnot-an-id: id: is not an arXiv id, arXiv "
                                    "URL or DOI; give an arXiv id such as 2305.18290")
    assert result.output.rstrip().endswith("or a DOI such as 10.1038/s41586-021-03819-2 or "
                                           "https://doi.org/10.1038/...")
    assert "Traceback" not in result.output
    assert server.requests == [] and papers(empty_project) == {}


def test_a_truncated_arxiv_answer_writes_nothing(empty_project: Path,
                                                 server: RecordedServer) -> None:
    data = (NET / "arxiv-add.atom").read_bytes()
    server.on("/api/query", Reply(200, data[: len(data) // 2]))
    result = run(empty_project, "add", "2305.18290", "1706.03762")
    assert result.exit_code == 1
    assert "arXiv API: not a readable arXiv API answer" in result.output
    assert "malformed or was cut off" in result.output
    assert papers(empty_project) == {}


def test_import_hf_for_a_day(empty_project: Path, server: RecordedServer) -> None:
    server.serve_file("/hf/api/daily_papers", "intake/hf-daily-3.json")
    result = run(empty_project, "import", "hf", "--date", "2026-03-11")
    assert result.exit_code == 0, result.output
    assert server.requests[0].query == {"date": ["2026-03-11"]}
    assert "3 read, 3 written, 0 unchanged, 0 skipped" in result.output
    # A hostile githubRepo is dropped and reported, the rest of its paper is kept.
    assert ("warning: Hugging Face daily papers 2026-03-11: 2603.05001: links: "
            "'javascript:alert(1)' is not allowed") in result.output
    hostile = frontmatter.load(empty_project / "content/papers/script-alert-title-script-"
                               "robust-agents.md")
    assert hostile["title"] == "<script>alert('title')</script> Robust Agents"
    assert not any("javascript" in link for link in hostile.get("links", []))
    assert run(empty_project, "check").exit_code == 0


def test_import_hf_without_date_asks_for_yesterday_in_utc(empty_project: Path,
                                                          server: RecordedServer) -> None:
    server.serve_file("/hf/api/daily_papers", "intake/hf-daily-empty.json")
    result = run(empty_project, "import", "hf")
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    assert server.requests[0].query == {"date": [yesterday.isoformat()]}
    assert f"edition date {yesterday}: yesterday in UTC" in result.output
    assert f"Hugging Face lists no papers for {yesterday}" in result.output
    assert "0 read, 0 written, 0 unchanged, 0 skipped" in result.output
    assert result.exit_code == 0


def test_import_hf_for_a_future_date_is_one_line(empty_project: Path,
                                                 server: RecordedServer) -> None:
    server.on("/hf/api/daily_papers", Reply(400, b'{"error":"date is in the future"}'))
    result = run(empty_project, "import", "hf", "--date", "2026-12-02")
    assert result.exit_code == 1
    assert result.output == ("error: Hugging Face has no list for 2026-12-02 yet (it answers "
                             "400 for dates it considers the future, in UTC); try an earlier "
                             "--date\n")


def test_import_hf_404_429_500_timeout_and_no_server(empty_project: Path,
                                                     server: RecordedServer,
                                                     monkeypatch) -> None:
    url = f"{server.base}/hf/api/daily_papers"
    server.on("/hf/api/daily_papers", Reply(404))
    result = run(empty_project, "import", "hf", "--date", "2026-03-11")
    assert result.output == (f"error: Hugging Face API ({url}): HTTP 404 Not Found: no "
                             "daily-papers list at this address; check DIGEST_HF_API\n")

    server.requests.clear()
    server.on("/hf/api/daily_papers", Reply(500, headers={"Retry-After": "0"}))
    result = run(empty_project, "import", "hf", "--date", "2026-03-11")
    assert result.output == (f"error: Hugging Face API ({url}): HTTP 500 Internal Server "
                             "Error after 3 tries: the service has a problem; try again "
                             "later\n")
    assert len(server.requests) == 3

    server.on("/hf/api/daily_papers", Reply(429, headers={"Retry-After": "0"}))
    result = run(empty_project, "import", "hf", "--date", "2026-03-11")
    assert "HTTP 429 Too Many Requests after 3 tries" in result.output

    monkeypatch.setenv("DIGEST_HTTP_TIMEOUT", "0.3")
    server.on("/hf/api/daily_papers", Reply(200, b"[]", delay=1.5))
    result = run(empty_project, "import", "hf", "--date", "2026-03-11")
    assert result.output == (f"error: Hugging Face API ({url}): sent no answer within 0.3 s; "
                             "check your network or try again later\n")

    monkeypatch.setenv("DIGEST_HF_API", f"http://127.0.0.1:{closed_port()}/api")
    result = run(empty_project, "import", "hf", "--date", "2026-03-11")
    assert result.exit_code == 1
    assert "cannot connect" in result.output and "check your network" in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1
    assert papers(empty_project) == {}


def test_import_hf_429_with_retry_after_then_success(empty_project: Path,
                                                     server: RecordedServer) -> None:
    server.on("/hf/api/daily_papers", Reply(429, headers={"Retry-After": "5"}),
              Reply(200, (INTAKE / "hf-daily-3.json").read_bytes()))
    slept: list[float] = []
    report = import_hf(load_config(empty_project), date=dt.date(2026, 3, 11),
                       client=hf_client(REPO.as_uri(), sleep=slept.append))
    assert slept == [5.0]
    assert len(report.written) == 3


def test_malformed_or_truncated_json_writes_nothing(empty_project: Path,
                                                    server: RecordedServer) -> None:
    data = (INTAKE / "hf-daily-3.json").read_bytes()
    server.on("/hf/api/daily_papers", Reply(200, data[:-40]))
    result = run(empty_project, "import", "hf", "--date", "2026-03-11")
    assert result.exit_code == 1
    assert "not a readable Hugging Face daily-papers answer" in result.output
    server.on("/hf/api/daily_papers", Reply(200, data[:300], length=len(data)))
    result = run(empty_project, "import", "hf", "--date", "2026-03-11")
    assert result.exit_code == 1 and "broke off" in result.output
    assert papers(empty_project) == {}


def test_one_bad_file_among_several_writes_nothing(empty_project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "cut.bib"
    bad.write_text((INTAKE / "papers.bib").read_text()[:400])
    result = run(empty_project, "import", str(INTAKE / "hf-daily-3.json"), str(bad))
    assert result.exit_code == 1
    assert "cut.bib" in result.output and "Traceback" not in result.output
    assert papers(empty_project) == {}


def test_the_same_paper_from_hf_json_and_bibtex_is_one_file(empty_project: Path) -> None:
    result = run(empty_project, "import", str(INTAKE / "hf-daily-3.json"),
                 str(NET / "same-papers.bib"), "--date", "2026-03-11")
    assert result.exit_code == 0, result.output
    assert "5 read, 3 written, 0 unchanged, 2 skipped" in result.output
    bib, hf = NET / "same-papers.bib", INTAKE / "hf-daily-3.json"
    assert (f"skipped {bib}: entry lin2026sparse: the same paper as {hf}: 2603.04512 in this "
            "run (same arXiv id 2603.04512)") in result.output
    assert (f"skipped {bib}: entry okafor2026calibrated: the same paper as {hf}: 2603.03377 "
            "in this run (same title)") in result.output
    # Imported later, on its own, the .bib names the files that hold its papers.
    again = run(empty_project, "import", str(NET / "same-papers.bib"), "--date", "2026-03-11")
    assert ("already in content/papers/sparse-mixture-of-experts-scale-test-time-compute.md "
            "(same arXiv id 2603.04512)") in again.output
    assert ("already in content/papers/calibrated-uncertainty-for-diffusion-policies.md "
            "(same title)") in again.output
    assert len(papers(empty_project)) == 3


def test_two_arxiv_papers_with_one_title_are_both_imported(empty_project: Path,
                                                             tmp_path: Path) -> None:
    """0808.0631 and 0808.0638: one title, two authors, two papers."""
    answer = str(INTAKE / "arxiv-same-title.atom")
    result = run(empty_project, "import", answer, "--date", "2026-03-11")
    assert result.exit_code == 0, result.output
    assert "2 read, 2 written, 0 unchanged, 0 skipped" in result.output
    first = "discussion-of-statistical-analysis-of-an-archeological-find.md"
    second = "discussion-of-statistical-analysis-of-an-archeological-find-2.md"
    written = papers(empty_project)
    assert sorted(written) == [second, first]
    assert frontmatter.loads(written[first].decode())["authors"] == ["Hans R. Künsch"]
    assert frontmatter.loads(written[first].decode())["arxiv"] == "0808.0631"
    assert frontmatter.loads(written[second].decode())["authors"] == ["Grace L. Yang"]
    assert frontmatter.loads(written[second].decode())["arxiv"] == "0808.0638"
    checked = run(empty_project, "check")
    assert checked.exit_code == 0 and "0 errors, 0 warnings" in checked.output
    again = run(empty_project, "import", answer, "--date", "2026-03-11")
    assert "2 read, 0 written, 2 unchanged, 0 skipped" in again.output
    elsewhere = shutil.copytree(empty_project, tmp_path / "elsewhere")
    shutil.rmtree(elsewhere / "content/papers")
    (elsewhere / "content/papers").mkdir()
    assert run(elsewhere, "import", answer, "--date", "2026-03-11").exit_code == 0
    assert papers(elsewhere) == written  # the same names and text on every run


def test_running_twice_changes_nothing_and_edits_are_kept(empty_project: Path) -> None:
    files = [str(INTAKE / "hf-daily-3.json"), str(INTAKE / "papers.bib"),
             str(INTAKE / "arxiv-3.atom")]
    first = run(empty_project, "import", *files, "--date", "2026-03-11")
    assert first.exit_code == 0, first.output
    before = papers(empty_project)
    second = run(empty_project, "import", *files, "--date", "2026-03-11")
    assert f"0 written, {len(before)} unchanged" in second.output
    assert papers(empty_project) == before

    path = empty_project / "content/papers/attention-is-all-you-need.md"
    edited = path.read_text().replace("topics: [", "topics: [vision, ")
    path.write_text(edited)
    third = run(empty_project, "import", *files, "--date", "2026-03-11")
    assert "already in content/papers/attention-is-all-you-need.md (same title), which " \
           "differs from this entry" in third.output
    assert "--force replaces it" in third.output
    assert path.read_text() == edited
    forced = run(empty_project, "import", *files, "--date", "2026-03-11", "--force")
    assert "wrote content/papers/attention-is-all-you-need.md" in forced.output
    assert path.read_text() != edited


def test_dry_run_writes_nothing(empty_project: Path, server: RecordedServer) -> None:
    server.serve_file("/hf/api/daily_papers", "intake/hf-daily-3.json")
    result = run(empty_project, "import", "hf", "--date", "2026-03-11", "--dry-run")
    assert result.exit_code == 0
    assert "would write content/papers/sparse-mixture-of-experts-scale-test-time-compute.md" \
        in result.output
    assert "3 read, 3 written, 0 unchanged, 0 skipped (dry run: nothing was written)" in \
        result.output
    assert papers(empty_project) == {}


def test_import_format_can_be_forced_and_a_file_named_hf_is_dot_slash(
        empty_project: Path, monkeypatch, tmp_path: Path) -> None:
    shutil.copy(INTAKE / "papers.bib", tmp_path / "hf")
    monkeypatch.chdir(tmp_path)
    result = run(empty_project, "import", "./hf", "--format", "bibtex", "--date", "2026-03-11")
    assert result.exit_code == 0, result.output
    assert "4 read, 3 written, 0 unchanged, 1 skipped" in result.output
    wrong = run(empty_project, "import", "./hf", "--format", "hf-json")
    assert wrong.exit_code == 1 and "Traceback" not in wrong.output


# --- enrich ------------------------------------------------------------------------------

DEEPSEEK = """---
title: "DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models"
date: 2026-03-11
authors: [Z. Shao, and others]
topics: [llm-reasoning]
---

Mathematical reasoning poses a significant challenge.
"""


def _enrich_project(project: Path) -> None:
    papers_dir = project / "content/papers"
    (papers_dir / "deepseekmath-pushing-the-limits-of-mathematical-reasoning-in-open-language"
     ".md").write_text(DEEPSEEK)
    for name in ("random-teachers-are-good-teachers.md", "generative-marginalization-models.md"):
        shutil.copy(PROJECT / "content/papers" / name, papers_dir / name)


def test_enrich_fills_only_missing_fields_of_exact_matches(empty_project: Path,
                                                           server: RecordedServer) -> None:
    _enrich_project(empty_project)
    server.serve_file("/api/query", "net/arxiv-search.atom")
    before = papers(empty_project)
    result = run(empty_project, "enrich")
    assert result.exit_code == 0, result.output
    assert len(server.requests) == 1
    query = server.requests[0].query["search_query"][0]
    assert query.count(" OR ") == 2 and 'ti:"Random Teachers are Good Teachers"' in query
    deepseek = ("content/papers/deepseekmath-pushing-the-limits-of-mathematical-reasoning-in-"
                "open-language.md")
    assert (f"matched {deepseek}: arXiv 2402.03300 (added arxiv, published, categories)"
            in result.output)
    assert ("ambiguous content/papers/random-teachers-are-good-teachers.md: 2 arXiv papers "
            "have this exact title (2403.11111, 2403.22222)") in result.output
    assert ("not found content/papers/generative-marginalization-models.md: no arXiv paper "
            "has exactly this title") in result.output
    assert "3 looked up: 1 matched, 1 ambiguous, 1 not found, 0 skipped" in result.output
    after = papers(empty_project)
    name = deepseek.rsplit("/", 1)[1]
    # The person's authors line stays; the new lines go in before the closing '---'.
    assert after[name].decode() == DEEPSEEK.replace(
        "topics: [llm-reasoning]\n", 'topics: [llm-reasoning]\narxiv: "2402.03300"\n'
        "published: 2024-02-05\ncategories: [cs.CL, cs.AI, cs.LG]\n")
    assert {k: v for k, v in after.items() if k != name} == \
        {k: v for k, v in before.items() if k != name}
    assert run(empty_project, "check").exit_code == 0
    # Enriched papers have an arXiv id now: a second run has nothing to look up for them.
    again = run(empty_project, "enrich")
    assert "2 looked up: 0 matched, 1 ambiguous, 1 not found" in again.output


def test_enrich_dry_run_and_byte_for_byte_edits(empty_project: Path,
                                                server: RecordedServer) -> None:
    _enrich_project(empty_project)
    path = next((empty_project / "content/papers").glob("deepseek*.md"))
    crlf = ("\ufeff" + DEEPSEEK.replace("authors: [Z. Shao, and others]\n", "")
            ).replace("\n", "\r\n").encode()
    path.write_bytes(crlf)
    server.serve_file("/api/query", "net/arxiv-search.atom")
    dry = run(empty_project, "enrich", str(path), "--dry-run")
    assert "would add authors, arxiv, published, categories" in dry.output
    assert path.read_bytes() == crlf
    run(empty_project, "enrich", str(path))
    text = path.read_bytes()
    assert text.startswith(crlf.split(b"---\r\n\r\n")[0])
    assert b'authors: [Zhihong Shao, Peiyi Wang, Qihao Zhu]\r\narxiv: "2402.03300"\r\n' in text
    assert text.endswith(b"---\r\n\r\nMathematical reasoning poses a significant challenge.\r\n")


def test_enrich_gives_an_arxiv_id_to_one_file_only(empty_project: Path,
                                                   server: RecordedServer) -> None:
    _enrich_project(empty_project)
    copy = empty_project / "content/papers/deepseekmath-again.md"
    copy.write_text(DEEPSEEK)
    server.serve_file("/api/query", "net/arxiv-search.atom")
    result = run(empty_project, "enrich")
    assert ("skipped content/papers/deepseekmath-pushing-the-limits-of-mathematical-reasoning-"
            "in-open-language.md: arXiv 2402.03300 is already in content/papers/deepseekmath-"
            "again.md") in result.output
    assert copy.read_text() != DEEPSEEK
    # No arXiv id twice: what `check` still reports is the copy itself, one title in two
    # files that no id tells apart.
    checked = run(empty_project, "check", "--format", "text").output
    assert "arxiv:" not in checked and "is also in" not in checked
    assert ("content/papers/deepseekmath-again.md: title: the same title as content/papers/"
            "deepseekmath-pushing-the-limits-of-mathematical-reasoning-in-open-language.md"
            ) in checked


def test_add_asks_arxiv_for_at_most_100_ids_at_a_time(empty_project: Path,
                                                      server: RecordedServer) -> None:
    server.serve_file("/api/query", "net/arxiv-add.atom")
    ids = [f"2401.{n:05d}" for n in range(1, 151)]
    result = run(empty_project, "add", *ids, "2401.00001v2", "--date", "2026-03-11")
    assert [len(r.query["id_list"][0].split(",")) for r in server.requests] == [100, 50]
    assert "skipped 2401.00001v2: given twice (as 2401.00001)" in result.output
    assert "151 read, 0 written, 0 unchanged, 151 skipped" in result.output
    assert papers(empty_project) == {}
