"""digest/intake/writer.py: the one writer, fed Batches built here as a source would."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path

import frontmatter
import pytest

from digest.config import load_config
from digest.content.reader import front_scalars, parse_paper
from digest.content.yamlstrict import Scalar
from digest.errors import DigestError
from digest.intake.writer import normalize_title, write_papers
from digest.model import Link, Paper
from digest.sources.base import Batch, Draft
from digest.sources.hf_page import parse_page
from digest.util import processes
from tests.conftest import FIXTURE_PAPERS, SEED, copy_project, write_paper

DAY = dt.date(2026, 3, 11)


def draft(title: str, origin: str = "test", **fields: object) -> Draft:
    paper = Paper(slug="", title=title, date=DAY, abstract=fields.pop("abstract", "An "
                  "abstract about diffusion models."), **fields)  # type: ignore[arg-type]
    return Draft(paper, origin)


def write(project: Path, *drafts: Draft, **options: object):
    return write_papers([Batch("test", list(drafts))], load_config(project),
                        **options)  # type: ignore[arg-type]


def test_titles_match_whatever_their_case_spacing_punctuation_or_formulas() -> None:
    assert normalize_title("Scaling to $8$ GPUs") == normalize_title("scaling  to 8 GPUs.")
    assert normalize_title("Bj\u00f6rn's Model: A Study") == normalize_title("Bjorns model a study")
    assert normalize_title("$z\\sim10$ galaxies") == normalize_title("z\u223c10 galaxies")
    assert normalize_title("Scaling to 8 GPUs") != normalize_title("Scaling to 9 GPUs")


def test_duplicates_by_formula_title_doi_and_arxiv_version(empty_project: Path) -> None:
    report = write(empty_project,
                   draft("Scaling to $8$ GPUs", "a.bib: entry one"),
                   draft("Scaling to 8 GPUs", "b.json: item 1"),
                   draft("A Paper", "c", doi="10.1000/ABC"),
                   draft("Another Name", "d", doi="10.1000/abc"),
                   draft("Third", "e", arxiv="2305.18290v2"),
                   draft("Third, Renamed", "f", arxiv="2305.18290"))
    assert len(report.written) == 3
    assert report.skipped == [
        ("b.json: item 1", "the same paper as a.bib: entry one in this run (same title)"),
        ("d", "the same paper as c in this run (same DOI 10.1000/abc)"),
        ("f", "the same paper as e in this run (same arXiv id 2305.18290)")]


def test_different_arxiv_ids_or_dois_are_different_papers_whatever_their_titles(
        empty_project: Path) -> None:
    report = write(empty_project,
                   draft("Discussion of: A Find", "a.atom: 0808.0631", arxiv="0808.0631"),
                   draft("Discussion of: A Find", "a.atom: 0808.0638", arxiv="0808.0638v2"),
                   draft("Discussion of: a find.", "b.atom: 0808.0631v3", arxiv="0808.0631v3"),
                   draft("Reply", "c.bib: entry one", doi="10.1000/a"),
                   draft("Reply", "c.bib: entry two", doi="10.1000/b"),
                   draft("Reply!", "d.json: item 1"))
    assert [p.name for p in report.written] == [
        "discussion-of-a-find.md", "discussion-of-a-find-2.md", "reply.md", "reply-2.md"]
    assert report.skipped == [
        ("b.atom: 0808.0631v3", "the same paper as a.atom: 0808.0631 in this run (same arXiv "
                                "id 0808.0631)"),
        # Without an id, nothing tells it from the first "Reply".
        ("d.json: item 1", "the same paper as c.bib: entry one in this run (same title)")]
    papers = {p.name: frontmatter.load(empty_project / p) for p in report.written}
    assert papers["discussion-of-a-find-2.md"]["arxiv"] == "0808.0638v2"
    assert papers["reply-2.md"]["doi"] == "10.1000/b"


def test_a_title_in_content_matches_only_a_paper_its_ids_do_not_tell_apart(
        empty_project: Path) -> None:
    write_paper(empty_project, "discussion-of-a-find.md", "---\ntitle: 'Discussion of: A Find'\n"
                'date: 2026-01-02\narxiv: "0808.0631"\n---\n\nMine.\n')
    other = write(empty_project, draft("Discussion of: A Find", "a.atom", arxiv="0808.0638"))
    assert other.written == [Path("content/papers/discussion-of-a-find-2.md")]
    # Imported again, each file keeps its paper: the slug is not handed out twice.
    again = write(empty_project, draft("Discussion of: A Find", "a.atom", arxiv="0808.0638"))
    assert again.unchanged == [Path("content/papers/discussion-of-a-find-2.md")]
    # Without an id, an entry of that title could be either: neither file is touched.
    no_id = write(empty_project, draft("Discussion of: A Find", "x.bib: entry k"), force=True)
    assert no_id.written == []
    assert no_id.skipped == [("x.bib: entry k", "has the same title as content/papers/"
                              "discussion-of-a-find-2.md and content/papers/discussion-of-a-"
                              "find.md, which their arXiv ids or DOIs tell apart; give this "
                              "entry its arXiv id or DOI to say which")]
    (empty_project / "content/papers/discussion-of-a-find-2.md").unlink()
    one = write(empty_project, draft("Discussion of: A Find", "x.bib: entry k"))
    assert one.skipped[0][1].startswith("already in content/papers/discussion-of-a-find.md "
                                        "(same title)")


def test_a_paper_already_in_content_names_its_file(empty_project: Path) -> None:
    write_paper(empty_project, "by-hand.md", "---\ntitle: Scaling to 8 GPUs\ndate: "
                "2026-01-02\n---\n\nMine.\n")
    report = write(empty_project, draft("Scaling to $8$ GPUs", "x.bib: entry k"))
    assert report.written == []
    assert report.skipped == [("x.bib: entry k", "already in content/papers/by-hand.md (same "
                               "title), which differs from this entry (edited by a person, or "
                               "imported from another source); --force replaces it")]


def test_an_unsafe_link_is_dropped_and_reported_the_paper_kept(empty_project: Path) -> None:
    report = write(empty_project, draft("Safe Paper", "hf.json: 2603.05001", links=(
        Link("javascript:alert(1)"), Link("data:text/html,x"), Link("https://ok.example/x"),
        Link("https:///no-host"))))
    assert report.written == [Path("content/papers/safe-paper.md")]
    assert [w.split(":", 3)[2] for w in report.warnings] == [" links"] * 3
    assert report.warnings[0].startswith("hf.json: 2603.05001: links: 'javascript:alert(1)' "
                                         "is not allowed")
    post = frontmatter.load(empty_project / "content/papers/safe-paper.md")
    assert post["links"] == ["https://ok.example/x"]


def test_an_invalid_paper_is_skipped_with_the_schemas_reason(empty_project: Path) -> None:
    report = write(empty_project, draft("T" * 400, "big.bib: entry huge"),
                   draft("Hidden \u202e Override", "x.json: item 2"), draft("Fine Paper"))
    assert report.written == [Path("content/papers/fine-paper.md")]
    reasons = dict(report.skipped)
    assert reasons["big.bib: entry huge"].startswith("title: is 400 characters long; the "
                                                     "limit is 300")
    assert "invisible character U+202E" in reasons["x.json: item 2"]


def test_hostile_text_stays_inert_text(empty_project: Path) -> None:
    title = "<script>alert(1)</script> ---\nx: {y}"
    write(empty_project, draft(title, authors=("O'Brien: \"Eve\"", "- [a]"),
                               venue="#not a comment"))
    post = frontmatter.load(next((empty_project / "content/papers").glob("*.md")))
    assert post["title"] == "<script>alert(1)</script> ---\nx: {y}"
    assert post["authors"] == ["O'Brien: \"Eve\"", "- [a]"]
    assert post["venue"] == "#not a comment"


def test_fields_are_written_in_schema_order_with_suggested_topics(empty_project: Path) -> None:
    write(empty_project, draft("Diffusion Models Beat GANs", arxiv="2105.05233",
                               authors=("Prafulla Dhariwal", "Alex Nichol"),
                               categories=("cs.LG", "cs.CV"), published=dt.date(2021, 5, 11),
                               upvotes=0, links=(Link("https://github.com/openai/guided"),),
                               venue="NeurIPS 2021", source="arXiv API", tags=("guided",)))
    text = (empty_project / "content/papers/diffusion-models-beat-gans.md").read_text()
    keys = [line.split(":")[0] for line in text.split("---")[1].strip().splitlines()]
    assert keys == ["title", "date", "authors", "arxiv", "links", "topics", "tags", "venue",
                    "published", "categories", "upvotes", "source"]
    assert 'arxiv: "2105.05233"' in text and "upvotes: 0" in text
    assert frontmatter.loads(text)["topics"]  # suggested by the tagger


def test_slugs_of_different_titles_never_collide(empty_project: Path) -> None:
    report = write(empty_project, draft("C++ Models"), draft("C Models!"), draft("C-Models"))
    # "C Models!" is "C++ Models" without punctuation; "C-Models" is another title, with
    # the same slug.
    assert [p.name for p in report.written] == ["c-models.md", "c-models-2.md"]
    assert len(report.skipped) == 1


def test_nothing_is_written_until_every_batch_is_read(empty_project: Path) -> None:
    def batches() -> Iterator[Batch]:
        yield Batch("good", [draft("First Paper")])
        raise DigestError("second.bib: cannot read this file")

    with pytest.raises(DigestError):
        write_papers(batches(), load_config(empty_project))
    assert list((empty_project / "content/papers").iterdir()) == []


def test_dry_run_reports_the_same_and_writes_nothing(empty_project: Path) -> None:
    report = write(empty_project, draft("First Paper"), draft("first paper"), dry_run=True)
    assert report.dry_run and report.summary == "2 read, 1 written, 0 unchanged, 1 skipped"
    assert list((empty_project / "content/papers").iterdir()) == []


def test_a_title_ending_in_an_ellipsis_keeps_it(empty_project: Path) -> None:
    """YAML ends a document with a line "..."; the dots that end a title are not it."""
    report = write(empty_project, draft("Attention Is All You Need..."),
                   draft("Scaling Up ... and Down ...", authors=("A. Author ...",)))
    papers = {frontmatter.load(empty_project / p)["title"]: frontmatter.load(empty_project / p)
              for p in report.written}
    assert set(papers) == {"Attention Is All You Need...", "Scaling Up ... and Down ..."}
    assert papers["Scaling Up ... and Down ..."]["authors"] == ["A. Author ..."]


def test_work_in_other_processes_comes_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Started before this process does something else (the writer reads content/
    meanwhile); this process takes part once it asks for the results."""
    monkeypatch.setattr(processes, "workers", lambda: 2)

    def work(n: int) -> tuple[int, int]:
        time.sleep(0.002)  # long enough that the child takes its share
        return n * n, os.getpid()

    shared = processes.SharedMap(work, range(50), forked=True)
    time.sleep(0.05)  # meanwhile
    done = shared.result()
    assert [square for square, _ in done] == [n * n for n in range(50)]
    assert {pid for _, pid in done} - {os.getpid()}  # a share made in another process


def test_a_large_run_on_both_cores_does_what_one_process_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafts prepared in other processes: the same files and the same report, in the
    same order, as one process doing it all in turn."""
    seed = parse_page(SEED.read_bytes(), "seed.txt", DAY, DAY)
    extra = Batch("extra.json", [
        draft("T" * 400, "extra.json: too long"),
        draft(seed.drafts[3].paper.title.upper(), "extra.json: same title"),
        draft("A Linked Paper", "extra.json: links", links=(Link("javascript:alert(1)"),)),
        draft("Another Paper", "extra.json: doi", doi="10.1000/X"),
        draft("Another Paper, Again", "extra.json: same doi", doi="10.1000/x")],
        skipped=[("extra.json: item 9", "no title")])
    monkeypatch.setattr(processes, "workers", lambda: 2)
    monkeypatch.setattr(processes, "_alone", lambda: True)  # beside the tests' servers
    outcomes = []
    for name, least in (("serial", 10**9), ("parallel", 2)):
        monkeypatch.setattr(processes, "MIN_ITEMS", least)
        project = copy_project(tmp_path / name, with_content=False)
        write_paper(project, FIXTURE_PAPERS[5].name, FIXTURE_PAPERS[5].read_text())
        write_paper(project, FIXTURE_PAPERS[6].name, FIXTURE_PAPERS[6].read_text() + "Mine.\n")
        report = write_papers([seed, extra], load_config(project))
        files = {p.name: p.read_bytes() for p in (project / "content/papers").iterdir()}
        outcomes.append((report, files))
    assert outcomes[0] == outcomes[1]
    report = outcomes[1][0]
    assert report.summary == "57 read, 51 written, 1 unchanged, 5 skipped"
    assert [what for what, _ in report.skipped] == [
        "extra.json: item 9", "extra.json: too long", "extra.json: same title",
        "extra.json: same doi", "seed.txt:147"]
    assert report.unchanged == [Path("content/papers", FIXTURE_PAPERS[5].name)]
    assert report.warnings[0].startswith("extra.json: links: links: 'javascript:alert(1)'")


FRONTS = [
    "title: Plain Title\narxiv: 2305.18290\ndoi: 10.1/x\n",
    "title: 'Quoted: Title'\narxiv: '2305.18290'\n",
    'title: "Double \\"quoted\\""\ndoi: null\n',
    "title: A\ntitle: B\n",  # duplicate key: the first counts
    "title: !!binary aGk=\n", "title: !custom x\n", "!!map {title: T}\n",
    "title: [a, b]\narxiv: {x: 1}\n", "title:\n", "title: ''\n",
    "authors: &a [X]\ntitle: *a\n", "title: &t T\ndoi: *t\n", "x: &k title\n*k : T\n",
    "title: T\n  bad: indent\n", "- a list\n", "just text\n", "",
    "title: >\n  Folded\n  title\narxiv: 2305.18290v2 # comment\n",
    "? [complex, key]\n: v\ntitle: T\n", "title: 2024-01-02\narxiv: 2310.10000\n"]


@pytest.mark.parametrize("front", FRONTS)
def test_the_index_reads_what_the_full_reader_reads(front: str) -> None:
    """content/ is indexed by title, arXiv id and DOI without building every field; the
    index must read those three as `digest check`'s reader does, whatever the YAML."""
    data = f"---\n{front}---\n\nAn abstract.\n".encode()
    parsed, _ = parse_paper(data, Path("p.md"), "p.md")
    names = frozenset({"title", "arxiv", "doi"})
    full = None if parsed is None or parsed.front is None else {
        name: node.raw for name in names if isinstance(node := parsed.front.get(name), Scalar)}
    assert front_scalars(data, "p.md", names) == full


def test_the_index_reads_the_fixture_papers_as_the_full_reader() -> None:
    names = frozenset({"title", "arxiv", "doi"})
    for path in FIXTURE_PAPERS:
        parsed, _ = parse_paper(path.read_bytes(), path, path.name)
        assert parsed is not None and parsed.front is not None
        assert front_scalars(path.read_bytes(), path.name, names) == {
            name: node.raw for name in names
            if isinstance(node := parsed.front.get(name), Scalar)}, path.name
