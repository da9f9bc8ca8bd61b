"""`digest check` and `digest new`: every rule, as the line a contributor reads.

Each test writes paper files into a throw-away project and runs the real command,
then asserts the exact `path:line: field: message` report (or its key part).
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from digest.config import load_config
from digest.content.load import load_content, near_duplicate_titles
from digest.content.reader import MAX_BYTES
from digest.content.schema import PAPER_FIELDS
from digest.model import Paper

from tests.conftest import REPO, write_paper

ABSTRACT = "We study a problem and propose a method that works well on benchmarks.\n"


def paper(title: str = "A Study of Things", extra: str = "", date: str = "2026-03-11",
          body: str = ABSTRACT) -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}"


def check(project: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--root", str(project), *args],
                                env={"CI": "false", **(env or {})})
    return result.exit_code, result.stdout


def problems(project: Path, *paths: Path) -> list[str]:
    content = load_content(load_config(project), list(paths), today=dt.date(2026, 3, 12))
    return [("warning: " if not p.is_error else "") + str(p) for p in content.problems]


def one_problem(project: Path, name: str, text: str) -> str:
    """Write one paper file and return the only problem reported for it."""
    write_paper(project, name, text)
    found = problems(project)
    assert len(found) == 1, found
    return found[0]


def test_valid_paper_passes(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra=(
        'authors: [Ada Lovelace, "Grace Hopper"]\narxiv: "2310.10000v2"\n'
        'doi: "10.1000/xyz123"\nlinks: [https://github.com/example/things]\n'
        "topics: [llm-reasoning]\ntags: [things, NO-REF]\nvenue: NeurIPS 2024\n"
        "added_by: octocat\npublished: 2023-10-16\ncategories: [cs.LG, stat.ML]\n"
        "upvotes: 12\n")))
    code, out = check(empty_project)
    assert (code, out) == (0, "1 file checked: 1 valid paper, 0 errors, 0 warnings\n")


def test_yaml_syntax_error_has_its_line(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md",
                        "---\ntitle: A Study of Things\ndate: 2026-03-11\ntags: [a, b\n---\n\nx\n")
    assert found.startswith("content/papers/a-study-of-things.md:5: yaml: YAML syntax error")


def test_tab_indentation_gets_a_hint(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md",
                        "---\ntitle: A Study of Things\ndate: 2026-03-11\ntags:\n\t- a\n---\n\nx\n")
    assert ":5: yaml: YAML syntax error" in found and "indent with spaces, not tabs" in found


def test_colon_in_unquoted_title_gets_a_hint(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md",
                        paper(title="Things: A Study: Of Things"))
    assert ":2: yaml: YAML syntax error" in found
    assert "put quotes around a value that contains ': '" in found


def test_duplicate_key_names_both_lines(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md",
                        paper(extra="tags: [a]\ntags: [b]\n"))
    assert found == ("content/papers/a-study-of-things.md:5: tags: duplicate key (first set on "
                     "line 4); YAML would silently keep only the last one: remove one of them")


@pytest.mark.parametrize(("line", "expected"), [
    ("arxiv: 2310.10000", "arxiv: YAML reads 2310.10000 as the number 2310.1, losing its "
                          'trailing zeros; put it in quotes: arxiv: "2310.10000"'),
    # No zero to lose: the message says only what YAML really does.
    ("arxiv: 2006.11239", "arxiv: YAML reads 2006.11239 as a number, not an arXiv id; put it "
                          'in quotes: arxiv: "2006.11239"'),
    ("venue: NO", "venue: YAML reads 'NO' as false, not text; put it in quotes: venue: \"NO\""),
    ("venue: 2024", "venue: YAML reads '2024' as the number 2024, not text"),
    ("venue: 12:30", "venue: YAML reads '12:30' as the number 750, not text"),
    ("tags: [yes, RL]", "tags: YAML reads 'yes' as true, not text"),
    ("venue: 2024-05-01", "venue: YAML reads '2024-05-01' as the date 2024-05-01, not text"),
    ("venue:", "venue: is empty; give it a value or remove the line"),
])
def test_values_yaml_would_convert_silently(empty_project: Path, line: str,
                                            expected: str) -> None:
    found = one_problem(empty_project, "a-study-of-things.md", paper(extra=line + "\n"))
    assert found.startswith("content/papers/a-study-of-things.md:4: ")
    assert expected in found


def test_title_read_as_boolean(empty_project: Path) -> None:
    found = one_problem(empty_project, "no.md", paper(title="NO"))
    assert found == ("content/papers/no.md:2: title: YAML reads 'NO' as false, not text; "
                     'put it in quotes: title: "NO"')


@pytest.mark.parametrize("value", ["2026-03-11", '"2026-03-11"', "'2026-03-11'"])
def test_a_date_is_a_date_quoted_or_not(empty_project: Path, value: str) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(date=value))
    content = load_content(load_config(empty_project))
    assert content.problems == []
    assert content.papers[0].date == dt.date(2026, 3, 11)


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-03-11 10:30:00", "date: '2026-03-11 10:30:00' has a time of day; write the date "
                            "only, as YYYY-MM-DD"),
    ("2026-02-30", "date: '2026-02-30' is not a real calendar date (day is out of range for "
                   "month); write YYYY-MM-DD"),
    ('"2026-02-30"', "date: '2026-02-30' is not a real calendar date"),
    ("2026-13-01", "date: '2026-13-01' is not a real calendar date (month must be in 1..12)"),
    ("2026/03/11", "date: '2026/03/11' is not a date; write YYYY-MM-DD, e.g. 2026-03-11"),
    ("11.03.2026", "date: '11.03.2026' is not a date; write YYYY-MM-DD"),
    ("20260311", "date: '20260311' is not a date"),
    ("1899-01-01", "date: 1899-01-01 is before 1990; check the year"),
    ("2062-03-11", "date: 2062-03-11 is in the future (today is 2026-03-12); the date is the "
                   "day the paper entered the digest"),
    ("[2026-03-11]", "date: must be a date such as 2026-03-11"),
])
def test_impossible_dates(empty_project: Path, value: str, expected: str) -> None:
    found = one_problem(empty_project, "a-study-of-things.md", paper(date=value))
    assert found.startswith("content/papers/a-study-of-things.md:3: "), found
    assert expected in found


def test_tomorrow_is_allowed_for_time_zones_ahead(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(date="2026-03-13"))
    assert problems(empty_project) == []
    write_paper(empty_project, "a-study-of-things.md", paper(date="2026-03-14"))
    assert "is in the future" in problems(empty_project)[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("---\ndate: 2026-03-11\n---\n\nx\n",
     "content/papers/untitled.md:2: title: is required: The paper's title, as plain text."),
    ('---\ntitle: ""\ndate: 2026-03-11\n---\n\nx\n',
     "content/papers/untitled.md:2: title: is empty; give it a value or remove the line"),
    ("---\ntitle: '   '\ndate: 2026-03-11\n---\n\nx\n",
     "content/papers/untitled.md:2: title: is empty; give it a value or remove the line"),
    ("---\ntitle:\ndate: 2026-03-11\n---\n\nx\n",
     "content/papers/untitled.md:2: title: is empty; give it a value or remove the line"),
    ("---\ntitle: Untitled\n---\n\nx\n",
     "content/papers/untitled.md:2: date: is required: Edition date, YYYY-MM-DD"),
    ("---\ntitle: Untitled\ndate: 2026-03-11\n---\n\n  \n",
     "content/papers/untitled.md: abstract: the abstract (text after the front matter) is "
     "empty"),
    ("title: Untitled\ndate: 2026-03-11\n\nx\n",
     "content/papers/untitled.md:1: front matter: missing: the file must start with a line "
     "'---'"),
    ("---\ntitle: Untitled\ndate: 2026-03-11\n\nx\n",
     "content/papers/untitled.md:1: front matter: is not closed"),
    ("---\n- title\n- date\n---\n\nx\n",
     "content/papers/untitled.md:2: front matter: must be YAML fields"),
    ("---\n---\n\nx\n", "content/papers/untitled.md:1: front matter: must be a YAML mapping"),
])
def test_missing_or_empty_required_parts(empty_project: Path, text: str, expected: str) -> None:
    found = one_problem(empty_project, "untitled.md", text)
    assert found.startswith(expected), found


def test_a_title_that_is_an_abstract_is_refused(empty_project: Path) -> None:
    found = one_problem(empty_project, "x.md", paper(title="x" * 301))
    assert found == ("content/papers/x.md:2: title: is 301 characters long; the limit is 300: "
                     "is the abstract in the title?")


def test_abstract_limits(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md", paper(body="word " * 2001))
    assert found == ("content/papers/a-study-of-things.md: abstract: is 10,004 characters long; "
                     "the limit is 10,000: paste the abstract, not the paper")
    found = one_problem(empty_project, "a-study-of-things.md", paper(body="[1] " * 201))
    assert found.startswith("content/papers/a-study-of-things.md: abstract: has 201 '[' "
                            "characters; the limit is 200")
    write_paper(empty_project, "a-study-of-things.md", paper(body="[1] " * 200))
    assert problems(empty_project) == []


def test_unknown_key_suggests_the_field(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md", paper(extra="topcis: [x]\n"))
    assert found.startswith("content/papers/a-study-of-things.md:4: topcis: unknown field; "
                            "did you mean 'topics'? allowed fields: title, date, authors, ")


def test_unknown_topic_suggests_the_topic_on_its_line(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md",
                        paper(extra="topics:\n  - llm-reasoning\n  - generative-model\n"))
    assert found == ("content/papers/a-study-of-things.md:6: topics: unknown topic "
                     "'generative-model'; did you mean 'generative-models'? (topics are listed "
                     "in site_config/topics.yml)")


def test_every_unknown_topic_of_a_file_at_once(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md",
                paper(extra="topics: [protein-desing, llm-reasoning, other-thing, vision2]\n"))
    found = [p for p in problems(empty_project) if ": topics: " in p]
    assert sorted(p.split("unknown topic ")[1].split(";")[0].split(" ")[0] for p in found) == [
        "'other-thing'", "'protein-desing'", "'vision2'"]


@pytest.mark.parametrize(("link", "expected"), [
    ("javascript:alert(1)", "'javascript:alert(1)' is not allowed: links must start with "
                            "http:// or https:// and name a host"),
    ('"JavaScript:alert(1)"', "is not allowed: links must start with http://"),
    ("vbscript:msgbox(1)", "is not allowed"),
    ('"data:text/html,<script>alert(1)</script>"', "is not allowed"),
    ("ftp://example.org/x", "is not allowed"),
    ("//example.org/x", "is not allowed"),
    ("https://", "is not allowed"),
    ('"https://example.org/a b"', "contains ' ', which does not belong in a link; "
                                  "percent-encode it (a space is %20)"),
    ("'https://example.org/\"onmouseover=\"alert(1)'", "contains '\"'"),
    ('"https://example.org/<script>"', "contains '<'"),
    ("https://[::1", "is not allowed"),
])
def test_links_are_http_only(empty_project: Path, link: str, expected: str) -> None:
    found = one_problem(empty_project, "a-study-of-things.md",
                        paper(extra=f"links:\n  - https://example.org/ok\n  - {link}\n"))
    assert found.startswith("content/papers/a-study-of-things.md:6: links: "), found
    assert expected in found


@pytest.mark.parametrize(("line", "expected"), [
    ('arxiv: "2310.100"', "arxiv: '2310.100' is not an arXiv id; use 2310.10000, "
                          "2310.10000v2 or hep-th/9901001"),
    ('arxiv: "https://arxiv.org/abs/2310.10000"', "is not an arXiv id"),
    ('doi: "doi.org/10.1000/x"', "doi: 'doi.org/10.1000/x' is not a DOI"),
    ("authors: {name: Ada}", "authors: must be a list"),
    ("authors: [[Ada, Grace]]", "authors: must be a single line of text"),
    ("added_by: '@not a handle'", "added_by: '@not a handle' is not a GitHub handle"),
    ('upvotes: "12"', "upvotes: '12' is not a whole number; write it as digits"),
    ("upvotes: 1.5", "upvotes: '1.5' is not a whole number"),
    ("upvotes: -3", "upvotes: -3 is negative; give 0 or more"),
    ("categories: [cs LG]", "categories: 'cs LG' is not an arXiv category"),
    ("published: 2026-04-01", "published: 2026-04-01 is in the future (today is 2026-03-12); "
                              "check the year"),
    ("published: 2026-03-11T10:00:00", "published: '2026-03-11T10:00:00' has a time of day"),
])
def test_field_formats(empty_project: Path, line: str, expected: str) -> None:
    found = one_problem(empty_project, "a-study-of-things.md", paper(extra=line + "\n"))
    assert expected in found, found


@pytest.mark.parametrize("arxiv", ['"2310.10000"', '"2310.10000v12"', '"0704.0001"',
                                   '"hep-th/9901001"', '"hep-th/9901001v3"', '"math.GT/0309136"',
                                   '"arXiv:2310.10000"', "2310.10000v2"])
def test_arxiv_id_forms_accepted(empty_project: Path, arxiv: str) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra=f"arxiv: {arxiv}\n"))
    assert problems(empty_project) == []


def test_yaml_aliases_and_tags_are_refused(empty_project: Path) -> None:
    bomb = paper(extra="tags: &a [x, x, x]\nauthors: &b [*a, *a, *a]\n")
    found = one_problem(empty_project, "a-study-of-things.md", bomb)
    assert found == ("content/papers/a-study-of-things.md:5: authors: YAML anchors and aliases "
                     "(&name, *name) are not allowed; write the value out in full")
    found = one_problem(empty_project, "a-study-of-things.md",
                        paper(extra="venue: !!python/object/apply:os.system [id]\n"))
    assert found == ("content/papers/a-study-of-things.md:4: venue: YAML tag "
                     "'!!python/object/apply:os.system' is not allowed; remove it (quote the "
                     "value if it must be text)")


def test_recursive_alias_does_not_crash(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md", paper(extra="tags: &a [*a]\n"))
    assert "YAML anchors and aliases" in found


def test_duplicate_slugs(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper())
    (empty_project / "content/papers/2026").mkdir()
    write_paper(empty_project, "2026/a-study-of-things.md", paper(title="A Study of Things"))
    found = [p for p in problems(empty_project) if "slug" in p]
    assert found == [
        "content/papers/2026/a-study-of-things.md: file name: duplicate slug "
        "'a-study-of-things': content/papers/a-study-of-things.md has the same file name; "
        "rename one of them",
        "content/papers/a-study-of-things.md: file name: duplicate slug 'a-study-of-things': "
        "content/papers/2026/a-study-of-things.md has the same file name; rename one of them",
    ]


def test_duplicate_arxiv_ids_whatever_the_version(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra='arxiv: "2310.10000"\n'))
    write_paper(empty_project, "another-paper.md",
                paper(title="Another Paper", extra='arxiv: "2310.10000v3"\n'))
    code, out = check(empty_project)
    assert code == 1
    assert out.splitlines() == [
        "content/papers/a-study-of-things.md: arxiv: arXiv id 2310.10000 is also in "
        "content/papers/another-paper.md; a paper appears once: remove the duplicate",
        "content/papers/another-paper.md: arxiv: arXiv id 2310.10000 is also in "
        "content/papers/a-study-of-things.md; a paper appears once: remove the duplicate",
        "2 files checked: 2 valid papers, 2 errors, 0 warnings",
    ]


def test_checking_one_file_still_finds_its_duplicate(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra='arxiv: "2310.10000"\n'))
    new = write_paper(empty_project, "another-paper.md",
                      paper(title="Another Paper", extra='arxiv: "2310.10000"\n'))
    code, out = check(empty_project, str(new))
    assert code == 1
    assert out.splitlines() == [
        "content/papers/another-paper.md: arxiv: arXiv id 2310.10000 is also in "
        "content/papers/a-study-of-things.md; a paper appears once: remove the duplicate",
        "1 file checked: 1 valid paper, 1 error, 0 warnings",
    ]


@pytest.mark.parametrize(("first", "second"), [
    ("Scaling Laws for Neural Language Models", "Scaling Laws for Neural Language Model"),
    ("Scaling Laws for Neural Language Models", "Scaling Laws for Large Neural Language Models"),
    ("Scaling Laws for Neural Language Models", "Scaling Laws of Neural Language Models"),
    ("Flow Matching for Generative Modeling", "Flow Matching for Generative Modelling"),
    ("Diffusion Models Beat GANs on Image Synthesis",
     "Diffusion Models Beat GANs on Image Synthesis (Extended Version)"),
    ("Learning to Rank with Graphs", "Graphs: Learning to Rank with"),
])
def test_near_duplicate_titles_warn(empty_project: Path, first: str, second: str) -> None:
    write_paper(empty_project, "first.md", paper(title=f'"{first}"'))
    write_paper(empty_project, "second.md", paper(title=f'"{second}"'))
    code, out = check(empty_project)
    assert code == 0, out  # a warning does not fail
    assert (f"warning: content/papers/second.md: title: nearly the same title as "
            f"content/papers/first.md ({first!r}); is this the same paper?") in out


@pytest.mark.parametrize(("first", "second"), [
    ("Attention Is All You Need", "Attention Is All You Need"),
    ("Attention Is All You Need", "Attention is all you need!"),
    ("Pre-Training Transformers at Scale", "Pretraining Transformers at Scale"),
    ("Émergence de l'Abstraction", "Emergence de l’Abstraction"),
    ("Scaling to $8$ GPUs", "Scaling to 8 GPUs"),
])
def test_the_same_title_twice_without_ids_is_an_error(empty_project: Path, first: str,
                                                      second: str) -> None:
    """What an import would skip as the same paper fails the check, naming both files."""
    write_paper(empty_project, "first.md", paper(title=f'"{first}"'))
    write_paper(empty_project, "second.md", paper(title=f'"{second}"'))
    code, out = check(empty_project)
    assert code == 1, out
    lines = [line for line in out.splitlines() if not line.startswith("warning:")]
    assert lines == [
        "content/papers/first.md: title: the same title as content/papers/second.md, and no "
        "arXiv id or DOI tells them apart: if they are different papers, give each its arxiv "
        "or doi; if not, remove one",
        "content/papers/second.md: title: the same title as content/papers/first.md, and no "
        "arXiv id or DOI tells them apart: if they are different papers, give each its arxiv "
        "or doi; if not, remove one",
        "2 files checked: 2 valid papers, 2 errors, 2 warnings",
    ]
    assert "nearly the same title" not in out  # one report per pair, not two


@pytest.mark.parametrize(("one", "two"), [
    ('arxiv: "0808.0631"\n', 'arxiv: "0808.0638"\n'),
    ('doi: "10.1214/08-aoas001a"\n', 'doi: "10.1214/08-aoas001b"\n'),
    ('arxiv: "0808.0631"\ndoi: "10.1000/a"\n', 'doi: "10.1000/b"\narxiv: "0808.0638v2"\n'),
])
def test_the_same_title_with_different_ids_is_no_problem(empty_project: Path, one: str,
                                                         two: str) -> None:
    """Two comments on one paper, both called "Discussion of ...", are two papers."""
    title = "Discussion of: Statistical Analysis of an Archeological Find"
    write_paper(empty_project, "discussion-of-statistical-analysis-of-an-archeological-find.md",
                paper(title=f'"{title}"', extra=one))
    write_paper(empty_project, "discussion-of-statistical-analysis-of-an-archeological-find-2"
                ".md", paper(title=f'"{title}."', extra=two))
    write_paper(empty_project, "discussion-of-statistical-analysis-of-an-archeological-finding"
                ".md", paper(title=f'"{title}ing"', extra=two.replace(
                    "0638", "0639").replace("1b", "1c").replace("/b", "/c")))
    assert check(empty_project) == (0, "3 files checked: 3 valid papers, 0 errors, 0 warnings\n")


def test_the_same_title_with_an_id_on_one_side_only_is_an_error(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra='arxiv: "2310.10000"\n'))
    write_paper(empty_project, "a-study-of-things-2.md", paper(extra='doi: "10.1000/xyz"\n'))
    write_paper(empty_project, "a-study-of-things-3.md", paper())
    code, out = check(empty_project)
    assert code == 1
    assert [line.split(" title: ")[0] for line in out.splitlines()[:-1]] == [
        "content/papers/a-study-of-things-2.md:", "content/papers/a-study-of-things-3.md:",
        "content/papers/a-study-of-things.md:"]
    assert out.splitlines()[-1] == "3 files checked: 3 valid papers, 3 errors, 0 warnings"


def test_duplicate_dois_are_an_error_once_per_pair(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra='doi: "10.1000/XYZ"\n'))
    write_paper(empty_project, "another-paper.md",
                paper(title="Another Paper", extra='doi: "10.1000/xyz"\n'))
    write_paper(empty_project, "third-paper.md", paper(title="Third Paper", extra=(
        'arxiv: "2310.10000"\ndoi: "10.2000/same"\n')))
    write_paper(empty_project, "fourth-paper.md", paper(title="Fourth Paper", extra=(
        'arxiv: "2310.10000v2"\ndoi: "10.2000/same"\n')))
    code, out = check(empty_project)
    assert code == 1
    assert out.splitlines() == [
        "content/papers/a-study-of-things.md: doi: DOI 10.1000/XYZ is also in "
        "content/papers/another-paper.md; a paper appears once: remove the duplicate",
        "content/papers/another-paper.md: doi: DOI 10.1000/xyz is also in "
        "content/papers/a-study-of-things.md; a paper appears once: remove the duplicate",
        "content/papers/fourth-paper.md: arxiv: arXiv id 2310.10000 is also in "
        "content/papers/third-paper.md; a paper appears once: remove the duplicate",
        "content/papers/third-paper.md: arxiv: arXiv id 2310.10000 is also in "
        "content/papers/fourth-paper.md; a paper appears once: remove the duplicate",
        "4 files checked: 4 valid papers, 4 errors, 0 warnings",
    ]


def test_near_duplicate_titles_with_different_ids_do_not_warn(empty_project: Path) -> None:
    write_paper(empty_project, "first.md", paper(
        title="Flow Matching for Generative Modeling", extra='arxiv: "2210.02747"\n'))
    write_paper(empty_project, "second.md", paper(
        title="Flow Matching for Generative Modelling", extra='arxiv: "2210.02748"\n'))
    write_paper(empty_project, "third.md", paper(
        title="Flow Matching for Generative Modeling Revisited"))
    # The paper without an id is still a question.
    assert [line.split(" (")[0] for line in problems(empty_project) if "title:" in line] == [
        "warning: content/papers/first.md: title: nearly the same title as "
        "content/papers/third.md",
        "warning: content/papers/third.md: title: nearly the same title as "
        "content/papers/first.md"]


def test_the_summary_counts_files_not_only_valid_papers(empty_project: Path) -> None:
    broken = write_paper(empty_project, "broken.md", "---\ntitle: [Broken\n---\n")
    code, out = check(empty_project, str(broken))
    assert code == 1 and out.startswith("content/papers/broken.md:3: yaml: YAML syntax error")
    assert out.splitlines()[-1] == "1 file checked: 0 valid papers, 1 error, 0 warnings"
    write_paper(empty_project, "a-study-of-things.md", paper())
    write_paper(empty_project, "notes.txt", "not a paper")
    code, out = check(empty_project)
    assert out.splitlines()[-1] == "3 files checked: 1 valid paper, 2 errors, 0 warnings"
    code, out = check(empty_project, str(empty_project / "content/papers/a-study-of-things.md"))
    assert (code, out) == (0, "1 file checked: 1 valid paper, 0 errors, 0 warnings\n")


@pytest.mark.parametrize(("first", "second"), [
    ("Deep Learning for Graphs", "Deep Learning for Images"),
    ("Scaling Laws for Neural Language Models", "Scaling Laws for Neural Machine Translation"),
    ("Language Models Are Few-Shot Learners", "Language Models Are Unsupervised Multitask "
                                              "Learners"),
    ("Mamba", "Mamba-2"),
    ("A Survey on Large Language Models for Code", "A Survey on Large Language Models for Law"),
    ("Large Language Models for Code: A Survey", "Large Language Models for Law: A Survey"),
])
def test_different_titles_do_not_warn(empty_project: Path, first: str, second: str) -> None:
    write_paper(empty_project, "first.md", paper(title=f'"{first}"'))
    write_paper(empty_project, "second.md", paper(title=f'"{second}"'))
    assert not [p for p in problems(empty_project) if "nearly the same title" in p]


def test_near_duplicates_among_many_titles() -> None:
    """20,000 titles: the two near-duplicates are found, nothing else is."""
    rng = random.Random(4)
    words = [f"w{i}" for i in range(5000)]
    titles = [" ".join(rng.sample(words, rng.randint(3, 14))) for _ in range(20_000)]
    titles += ["Generative Flow Networks for Discrete Probabilistic Modeling",
               "Generative Flow Networks for Discrete Probabilistic Modelling"]
    papers = [Paper(slug=f"p{i}", title=t, date=dt.date(2026, 1, 1), abstract="x",
                    path=Path(f"p{i:05d}.md")) for i, t in enumerate(titles)]
    pairs = near_duplicate_titles(papers)
    assert {(a.slug, b.slug) for a, b in pairs} == {("p20000", "p20001"), ("p20001", "p20000")}


def test_file_size_cap(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md",
                        paper(body="word " * (MAX_BYTES // 5 + 10)))
    assert found.startswith("content/papers/a-study-of-things.md: file: is ")
    assert f"the limit is {MAX_BYTES:,}" in found


def test_non_utf8_bytes_with_line(empty_project: Path) -> None:
    path = empty_project / "content/papers/a-study-of-things.md"
    path.write_bytes(paper(body="Caf\xe9 society.\n").encode("latin-1"))
    assert problems(empty_project) == [
        "content/papers/a-study-of-things.md:6: encoding: byte 0xe9 is not UTF-8; save the "
        "file as UTF-8"]


def test_bom_and_crlf_are_accepted_and_lines_still_right(empty_project: Path) -> None:
    path = empty_project / "content/papers/a-study-of-things.md"
    path.write_bytes(b"\xef\xbb\xbf" + paper().replace("\n", "\r\n").encode())
    assert problems(empty_project) == []
    path.write_bytes(b"\xef\xbb\xbf" + paper(extra="venue: NO\n").replace("\n", "\r\n").encode())
    assert problems(empty_project)[0].startswith("content/papers/a-study-of-things.md:4: venue:")


@pytest.mark.parametrize(("char", "name"), [
    ("\x00", "U+0000"), ("\x1b", "U+001B"), ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\r", "U+000D"), ("\x85", "U+0085"),
])
def test_hidden_characters_are_refused(empty_project: Path, char: str, name: str) -> None:
    found = one_problem(empty_project, "a-study-of-things.md",
                        paper(extra=f"venue: Neur{char}IPS\n"))
    assert found.startswith(f"content/papers/a-study-of-things.md:4: encoding: invisible "
                            f"character {name}")


def test_blank_lines_after_the_fence_keep_line_numbers(empty_project: Path) -> None:
    found = one_problem(empty_project, "a-study-of-things.md",
                        "---\n\n\ntitle: A Study of Things\ndate: 2026-03-11\nvenue: NO\n"
                        "---\n\nx\n")
    assert found.startswith("content/papers/a-study-of-things.md:6: venue:")


def test_file_name_must_be_a_slug_and_should_match_the_title(empty_project: Path) -> None:
    write_paper(empty_project, "A Study.md", paper())
    write_paper(empty_project, "study.md", paper(title="Another Study"))
    code, out = check(empty_project)
    assert code == 1
    assert out.splitlines()[:2] == [
        "content/papers/A Study.md: file name: 'A Study.md' must be lowercase words joined by "
        "hyphens, e.g. a-study.md",
        "warning: content/papers/study.md:2: file name: does not match the title; rename the "
        "file to another-study.md (the file name is the page's address)",
    ]


def test_numbered_slug_for_a_repeated_title_is_fine(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things-2.md", paper())
    assert problems(empty_project) == []


def test_files_that_are_not_papers_are_reported(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.markdown", paper())
    write_paper(empty_project, ".gitkeep", "")
    assert problems(empty_project) == [
        "content/papers/a-study-of-things.markdown: file name: is not a paper file: paper files "
        "end in .md; rename it or remove it"]


def test_symbolic_links_are_refused(empty_project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(paper())
    (empty_project / "content/papers/a-study-of-things.md").symlink_to(secret)
    (empty_project / "content/papers/folder").symlink_to(tmp_path, target_is_directory=True)
    assert problems(empty_project) == [
        "content/papers/a-study-of-things.md: file: is a symbolic link; a paper must be a "
        "regular file in content/papers/",
        "content/papers/folder: file: is a symbolic link; a paper must be a regular file in "
        "content/papers/",
    ]


def test_every_problem_of_every_file_in_one_run(empty_project: Path) -> None:
    write_paper(empty_project, "one.md", paper(title="One", extra="venue: NO\ntopics: [nope]\n"))
    write_paper(empty_project, "two.md", "---\ntitle: [Two\n---\n")
    write_paper(empty_project, "three.md", paper(title="Three"))
    code, out = check(empty_project)
    assert code == 1
    lines = out.splitlines()
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        "content/papers/one.md:4", "content/papers/one.md:5", "content/papers/two.md:3"]
    assert lines[-1] == "3 files checked: 1 valid paper, 3 errors, 0 warnings"


def test_github_annotations(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra="venue: NO\n"))
    write_paper(empty_project, "study.md", paper(title="Another Study"))
    code, out = check(empty_project, "--format", "github")
    assert code == 1
    assert out.splitlines() == [
        "::error file=content/papers/a-study-of-things.md,line=4,title=venue::venue: YAML reads "
        "'NO' as false, not text; put it in quotes: venue: \"NO\"",
        "::warning file=content/papers/study.md,line=2,title=file name::file name: does not "
        "match the title; rename the file to another-study.md (the file name is the page's "
        "address)",
    ]


def test_github_annotations_are_the_default_under_ci(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra="venue: NO\n"))
    code, out = check(empty_project, env={"CI": "true"})
    assert code == 1 and out.startswith("::error file=content/papers/a-study-of-things.md,")
    code, out = check(empty_project, "--format", "text", env={"CI": "true"})
    assert out.startswith("content/papers/a-study-of-things.md:4: venue:")


def test_github_annotations_cannot_be_forged_by_content(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md",
                paper(extra='topics: ["x\\n::error file=README.md::pwned, 100%"]\n'))
    code, out = check(empty_project, "--format", "github")
    lines = out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error file=content/papers/")
    assert "%0A" not in lines[0] or "::error file=README.md" not in lines[0].split("%0A")[0]
    assert "100%25" in lines[0]


def test_build_refuses_invalid_content(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra="venue: NO\n"))
    result = CliRunner().invoke(main, ["build", "--root", str(empty_project)])
    assert result.exit_code == 1
    assert "1 problem(s) in content/; nothing was published" in result.stderr
    assert "content/papers/a-study-of-things.md:4: venue: YAML reads 'NO'" in result.stderr
    assert not (empty_project / "site").exists()


def test_contributing_documents_every_field() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for field in PAPER_FIELDS:
        assert f"`{field.name}`" in guide, field.name


# --- digest new -------------------------------------------------------------------------

def new(project: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["new", "--root", str(project), *args], input=stdin)
    return result.exit_code, result.output


FLOW_ABSTRACT = ("We introduce flow matching, a simulation-free approach for training "
                 "continuous normalizing flows with diffusion paths. Flow matching with "
                 "optimal transport paths trains faster and samples better image generation.")


def test_new_from_arguments_writes_a_valid_file(empty_project: Path) -> None:
    code, out = new(empty_project, "Flow Matching for Generative Modeling", "--abstract",
                    FLOW_ABSTRACT, "--arxiv", "https://arxiv.org/abs/2210.02747",
                    "--author", "Yaron Lipman", "--author", "Ricky T. Q. Chen",
                    "--link", "https://github.com/example/flow", "--added-by", "octocat",
                    "--date", "2026-03-11")
    assert code == 0, out
    path = "content/papers/flow-matching-for-generative-modeling.md"
    assert out.splitlines()[0] == f"wrote {path}"
    assert "topics suggested by the auto-tagger: generative-models" in out
    assert f"Next: edit {path}" in out and f".venv/bin/digest check {path}" in out
    text = (empty_project / path).read_text()
    assert text.startswith(
        "---\ntitle: Flow Matching for Generative Modeling\ndate: 2026-03-11\n"
        "authors: [Yaron Lipman, Ricky T. Q. Chen]\narxiv: \"2210.02747\"\n"
        "links: ['https://github.com/example/flow']\ntopics: [generative-models]\n")
    assert text.endswith("added_by: octocat\n---\n\n" + FLOW_ABSTRACT + "\n")
    assert check(empty_project) == (0, "1 file checked: 1 valid paper, 0 errors, 0 warnings\n")


def test_new_from_a_text_file(empty_project: Path, tmp_path: Path) -> None:
    source = tmp_path / "paper.txt"
    source.write_text("Flow Matching for Generative Modeling\n\n" + FLOW_ABSTRACT + "\n\n"
                      "Second paragraph with 50% more $x_1$.\n")
    code, out = new(empty_project, "--from", str(source), "--date", "2026-03-11")
    assert code == 0, out
    text = (empty_project / "content/papers/flow-matching-for-generative-modeling.md").read_text()
    assert "title: Flow Matching for Generative Modeling\n" in text
    assert text.endswith(FLOW_ABSTRACT + "\n\nSecond paragraph with 50% more $x_1$.\n")
    assert check(empty_project)[0] == 0


def test_new_with_title_argument_and_abstract_on_stdin(empty_project: Path) -> None:
    code, out = new(empty_project, "Yes", "--from", "-", "--date", "2026-03-11",
                    stdin=FLOW_ABSTRACT)
    assert code == 0, out
    assert "title: 'Yes'\n" in (empty_project / "content/papers/yes.md").read_text()
    assert check(empty_project)[0] == 0


def test_new_never_overwrites_and_writes_nothing_invalid(empty_project: Path) -> None:
    args = ["Flow Matching for Generative Modeling", "--abstract", FLOW_ABSTRACT,
            "--date", "2026-03-11"]
    assert new(empty_project, *args)[0] == 0
    code, out = new(empty_project, *args)
    assert code == 1
    assert ("content/papers/flow-matching-for-generative-modeling.md: file name: a paper with "
            "this title is already in the digest; edit that file instead") in out
    code, out = new(empty_project, "Another Paper", "--abstract", "Text.", "--arxiv", "2310.1",
                    "--link", "javascript:alert(1)")
    assert code == 1
    assert "content/papers/another-paper.md:4: arxiv: '2310.1' is not an arXiv id" in out
    assert "links: 'javascript:alert(1)' is not allowed" in out
    assert not (empty_project / "content/papers/another-paper.md").exists()


def test_new_refuses_a_duplicate_arxiv_id(empty_project: Path) -> None:
    write_paper(empty_project, "a-study-of-things.md", paper(extra='arxiv: "2210.02747"\n'))
    code, out = new(empty_project, "Flow Matching", "--abstract", FLOW_ABSTRACT,
                    "--arxiv", "2210.02747v1")
    assert code == 1
    assert "arXiv id 2210.02747 is also in content/papers/a-study-of-things.md" in out
    assert not (empty_project / "content/papers/flow-matching.md").exists()


def test_new_needs_title_and_abstract(empty_project: Path) -> None:
    code, out = new(empty_project, "Only a Title")
    assert code == 2 and "give a TITLE and --abstract TEXT, or --from FILE" in out


def test_new_works_from_a_subfolder(empty_project: Path) -> None:
    cwd = os.getcwd()
    os.chdir(empty_project / "content")
    try:
        result = CliRunner().invoke(main, ["new", "A Study of Things", "--abstract", "Text."])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert (empty_project / "content/papers/a-study-of-things.md").is_file()


def test_one_run_reports_every_problem_of_a_file(empty_project: Path) -> None:
    """A bad date (found while reading the YAML) must not hide the other fields' problems."""
    write_paper(empty_project, "bad.md", "---\ntitle: Bad\ndate: 2026-02-30\n"
                "arxiv: 2310.10000\nvenue: NO\ntopic: [x]\n---\nText\n")
    found = problems(empty_project)
    assert [p.split(": ")[0:2] for p in found] == [
        ["content/papers/bad.md:3", "date"],
        ["content/papers/bad.md:4", "arxiv"],
        ["content/papers/bad.md:5", "venue"],
        ["content/papers/bad.md:6", "topic"],
    ]


def test_a_tex_title_is_named_after_its_plain_text(empty_project: Path) -> None:
    title = r"'Galaxies at $z\sim10-16$ with JWST'"
    write_paper(empty_project, "galaxies-at-z-10-16-with-jwst.md", paper(title=title))
    assert problems(empty_project) == []
    (empty_project / "content" / "papers" / "galaxies-at-z-10-16-with-jwst.md").rename(
        empty_project / "content" / "papers" / "galaxies-at-z-sim10-16-with-jwst.md")
    assert problems(empty_project) == [
        "warning: content/papers/galaxies-at-z-sim10-16-with-jwst.md:2: file name: does not "
        "match the title; rename the file to galaxies-at-z-10-16-with-jwst.md (the file name "
        "is the page's address)"]
