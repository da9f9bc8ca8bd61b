"""The `digest` command: a thin layer over the library's functions.

User errors (DigestError) print as `path:line: field: message` lines and exit 1,
never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from digest.errors import DigestError
from digest.model import Problem

if TYPE_CHECKING:
    from digest.intake.writer import WriteReport


def find_root(start: Path) -> Path:
    """The project root: the nearest folder upward holding site_config/ (mkdocs.yml is
    optional: digest.render.settings)."""
    for folder in (start, *start.parents):
        if (folder / "site_config").is_dir():
            return folder
    raise DigestError(f"{start}: not inside a paper-digest project",
                      [Problem(str(start), None, "project",
                               "run digest from the project folder (the one with "
                               "site_config/), pass --root, or start one with `digest init`")])


def _escape_data(text: str) -> str:
    """Escape a workflow-command message, so content cannot start a command of its own."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _problem_line(problem: Problem, fmt: str) -> str:
    if fmt == "github":
        level = "error" if problem.is_error else "warning"
        line = f",line={problem.line}" if problem.line else ""
        message = _escape_data(f"{problem.field}: {problem.message}")
        return (f"::{level} file={_escape_property(problem.path)}{line},"
                f"title={_escape_property(problem.field)}::{message}")
    prefix = "" if problem.is_error else "warning: "
    return f"{prefix}{problem}"


def _fail(error: DigestError) -> None:
    click.echo(f"error: {error.args[0]}", err=True)
    for problem in error.problems:
        click.echo(_problem_line(problem, "text"), err=True)
    sys.exit(1)


def _print_report(report: WriteReport) -> None:
    """The lines every intake command prints: notes, each file, warnings, the summary."""
    for note in report.notes:
        click.echo(note)
    verb = "would write" if report.dry_run else "wrote"
    for path in report.written:
        click.echo(f"{verb} {path}")
    for what, reason in report.skipped:
        click.echo(f"skipped {what}: {reason}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    click.echo(report.summary + (" (dry run: nothing was written)" if report.dry_run else ""))


def handles_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DigestError as error:
            _fail(error)
    return wrapper


root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Project folder (with site_config/). Default: found from the "
         "current folder upward.")


def _root(root: Path | None) -> Path:
    return (root or find_root(Path.cwd())).resolve()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="paper-digest")
def main() -> None:
    """Build a searchable static site from curated paper abstracts.

    Typical use: `digest add 2305.18290` to add a paper by its arXiv id, `digest import
    papers.bib` or `digest import hf` to import many, `digest check` before a pull
    request, `digest serve` to preview, `digest build` to produce site/.
    """


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Edition date YYYY-MM-DD. The page's date line has no year; without "
                   "--date the most recent such date not after today is used.")
@click.option("--force", is_flag=True,
              help="Replace paper files that differ from what ingest would write "
                   "(for example files a person edited). Off by default.")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@root_option
@handles_errors
def ingest(file: Path, date: dt.datetime | None, force: bool, dry_run: bool,
           root: Path | None) -> None:
    """Add the papers of a copied Hugging Face papers page to content/papers/.

    FILE is the page saved as text: header lines, a date line such as "Mar 11", then
    title and abstract paragraphs. Each paper becomes content/papers/<slug>.md with
    cleaned text, topics and tags. Running it again changes nothing.
    """
    from digest.config import load_config
    from digest.intake.ingest import ingest as run

    project = _root(root)
    report = run(file, load_config(project), date=date.date() if date else None, force=force,
                 dry_run=dry_run)
    _print_report(report)


def _date_option(default_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        metavar="YYYY-MM-DD",
        help=f"Edition date: the day the papers enter the digest. Default: {default_text}.")


dry_run_option = click.option("--dry-run", is_flag=True,
                              help="Show what would be written; write nothing.")
force_option = click.option("--force", is_flag=True,
                            help="Replace paper files that differ from what would be written "
                                 "(for example files a person edited). Off by default.")


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@main.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID_URL_OR_DOI...")
@_date_option("today in UTC")
@dry_run_option
@force_option
@root_option
@handles_errors
def add(ids: tuple[str, ...], date: dt.datetime | None, dry_run: bool, force: bool,
        root: Path | None) -> None:
    """Add papers by arXiv id or URL, or by DOI, with their authors and dates.

    \b
      digest add 2305.18290
      digest add 2305.18290v2 arXiv:2310.06825 hep-th/9901001
      digest add https://arxiv.org/abs/2305.18290 https://huggingface.co/papers/2305.18290
      digest add 10.1038/s41586-021-03819-2 https://doi.org/10.1126/science.abj8754

    All arXiv ids go to arXiv's API in one request; each DOI is read from Crossref
    (site.yml's mailto, if set, goes with it). Each paper becomes
    content/papers/<slug>.md with topics and tags suggested; a paper already in
    content/ is reported, not added twice. Ids arXiv or Crossref do not know, and
    DOIs Crossref has no abstract for, are reported.
    """
    from digest.config import load_config
    from digest.intake.commands import add as run

    project = _root(root)
    _print_report(run(load_config(project), ids, date=_day(date), force=force,
                      dry_run=dry_run))


_SEARCH_OPTIONS = ("category", "query", "since", "until", "max_papers")


@main.command("import")
@click.argument("sources", nargs=-1, required=True, metavar="FILE... | hf | arxiv | daily")
@_date_option("today in UTC for files and `arxiv`, yesterday in UTC for `hf` and `daily`")
@click.option("--format", "fmt", type=click.Choice(["hf-json", "arxiv-atom", "bibtex",
                                                    "hf-page"]), default=None,
              help="The files' format. Default: detected from their content.")
@click.option("--category", "category", multiple=True, metavar="CAT",
              help="`arxiv`: an arXiv category such as q-bio.BM; repeat for more (any of "
                   "them).")
@click.option("--query", "query", multiple=True, metavar="WORDS",
              help="`arxiv`: words or a phrase the paper must have; repeat for more (all "
                   "of them).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD",
              help="`arxiv`: the first submission day. Default: yesterday in UTC.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD", help="`arxiv`: the last submission day. Default: today.")
@click.option("--max", "max_papers", type=int, default=None, metavar="N",
              help="`arxiv`: at most N papers, newest first. Default: 200.")
@dry_run_option
@force_option
@root_option
@handles_errors
def import_(sources: tuple[str, ...], date: dt.datetime | None, fmt: str | None,
            category: tuple[str, ...], query: tuple[str, ...], since: dt.datetime | None,
            until: dt.datetime | None, max_papers: int | None, dry_run: bool, force: bool,
            root: Path | None) -> None:
    """Import papers from files, an arXiv search, or one day of the daily sources.

    \b
      digest import papers.bib
      digest import answer.atom daily.json --date 2026-03-11
      digest import hf --date 2026-03-11      (the Hugging Face list of that day)
      digest import hf                        (yesterday's list, in UTC)
      digest import arxiv --category q-bio.BM --query "protein design" --since 2026-11-01
      digest import daily                     (yesterday, from site.yml's import: sources)

    Files may be Hugging Face daily-papers JSON, an arXiv API answer (Atom), BibTeX
    or a copied Hugging Face page; the format is detected from the content
    (--format forces it). A file named hf, arxiv or daily is given as ./hf. Every
    file and answer is read before anything is written; running it again changes
    nothing.
    """
    from digest.config import load_config
    from digest.intake.commands import import_files, import_hf
    from digest.intake.feeds import MAX_PAPERS, import_arxiv, import_daily

    words = {"hf", "arxiv", "daily"} & set(sources)
    if words and len(sources) > 1:
        raise click.UsageError(f"`digest import {sorted(words)[0]}` takes no files; import "
                               "files in a separate run (a file named hf is ./hf)")
    if fmt and words:
        raise click.UsageError("--format is for files")
    given = [f"--{name.replace('_papers', '')}" for name, value in zip(
        _SEARCH_OPTIONS, (category, query, since, until, max_papers), strict=True) if value]
    if given and words != {"arxiv"}:
        raise click.UsageError(f"{', '.join(given)}: for `digest import arxiv` only")
    project = _root(root)
    config = load_config(project)
    if words == {"hf"}:
        report = import_hf(config, date=_day(date), force=force, dry_run=dry_run)
    elif words == {"arxiv"}:
        report = import_arxiv(config, category, query, since=_day(since), until=_day(until),
                              max_papers=MAX_PAPERS if max_papers is None else max_papers,
                              date=_day(date), force=force, dry_run=dry_run)
    elif words == {"daily"}:
        report = import_daily(config, date=_day(date), force=force, dry_run=dry_run)
    else:
        report = import_files(config, [Path(s) for s in sources], fmt=fmt, date=_day(date),
                              force=force, dry_run=dry_run)
    _print_report(report)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=False, path_type=Path))
@dry_run_option
@root_option
@handles_errors
def enrich(paths: tuple[Path, ...], dry_run: bool, root: Path | None) -> None:
    """Find papers without an arXiv id on arXiv by title, and fill in what it knows.

    \b
      digest enrich                                  (every paper in content/papers/)
      digest enrich content/papers/some-paper.md --dry-run

    Only an exact match of the title (ignoring case, spacing and punctuation)
    counts. arxiv, authors, published and categories are added to the front
    matter where the file has none; a field a person set is never changed and the
    rest of the file stays as it is. Titles with several or no exact matches are
    reported. Review the changes with `git diff`, then run `digest check`.
    """
    from digest.config import load_config
    from digest.intake.commands import enrich as run

    project = _root(root)
    report = run(load_config(project), [p.resolve() for p in paths], dry_run=dry_run)
    verb = "would add" if dry_run else "added"
    for path, arxiv, fields in report.matched:
        click.echo(f"matched {path}: arXiv {arxiv} ({verb} {', '.join(fields) or 'nothing'})")
    for path, ids in report.ambiguous:
        click.echo(f"ambiguous {path}: {len(ids)} arXiv papers have this exact title "
                   f"({', '.join(ids)}); add the right arxiv: line by hand")
    for path in report.not_found:
        click.echo(f"not found {path}: no arXiv paper has exactly this title")
    for path, reason in report.skipped:
        click.echo(f"skipped {path}: {reason}")
    click.echo(report.summary + (" (dry run: nothing was written)" if dry_run else ""))


def _count(n: int, noun: str) -> str:
    """``1 file``, ``2 files``: a summary reads as a sentence."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default=None,
              help="Output style. 'github' prints workflow annotations; it is the default "
                   "when CI=true.")
@root_option
@handles_errors
def check(paths: tuple[Path, ...], fmt: str | None, root: Path | None) -> None:
    """Validate paper files (all of content/ by default) and report every problem.

    Each problem prints as `path:line: field: message`. Exits 1 if any error was found;
    warnings are printed but do not fail.
    """
    from digest.config import load_config
    from digest.content.load import Content, load_content
    from digest.site.pages import PAGES_DIR, read_pages

    fmt = fmt or ("github" if os.environ.get("CI") == "true" else "text")
    project = _root(root)
    # Pages of content/pages/ are checked as `digest build` reads them: every one when
    # no path is given, else those named.
    pages_dir = (project / PAGES_DIR).resolve()
    named = [p.resolve() for p in paths]
    page_paths = [p for p in named if p.parent == pages_dir and p.suffix == ".md"]
    papers = [p for p in named if p not in page_paths]
    config = load_config(project)
    content = load_content(config, papers) if papers or not named else Content()
    _, page_problems, page_files = (read_pages(project, page_paths if named else None)
                                    if page_paths or not named else ([], [], 0))
    content.problems = sorted([*content.problems, *page_problems])
    if named:  # the summary counts the files named; by default, the paper files
        content.files += page_files
    for problem in content.problems:
        click.echo(_problem_line(problem, fmt))
    errors = len(content.errors)
    warnings = len(content.problems) - errors
    click.echo(f"{_count(content.files, 'file')} checked: "
               f"{_count(len(content.papers), 'valid paper')}, {_count(errors, 'error')}, "
               f"{_count(warnings, 'warning')}", err=fmt == "github")
    if errors:
        sys.exit(1)


@main.command()
@click.argument("title", required=False)
@click.option("--abstract", "abstract", default=None, metavar="TEXT",
              help="The abstract, as text.")
@click.option("--from", "from_file", type=click.File("r", encoding="utf-8"), default=None,
              metavar="FILE",
              help="Read the abstract from a text file ('-' for standard input). Without "
                   "TITLE, the file's first line is the title and the rest the abstract.")
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Edition date YYYY-MM-DD. Default: today.")
@click.option("--arxiv", default=None, help='arXiv id such as 2310.10000 (or its URL).')
@click.option("--doi", default=None, help="DOI such as 10.1000/xyz123.")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="An author; repeat for each author.")
@click.option("--link", "links", multiple=True, metavar="URL",
              help="A code or project link (http/https); repeat for more.")
@click.option("--venue", default=None, help="Where it appeared, e.g. 'NeurIPS 2024'.")
@click.option("--added-by", default=None, metavar="HANDLE", help="Your GitHub handle.")
@root_option
@handles_errors
def new(title: str | None, abstract: str | None, from_file: Any, date: dt.datetime | None,
        arxiv: str | None, doi: str | None, authors: tuple[str, ...], links: tuple[str, ...],
        venue: str | None, added_by: str | None, root: Path | None) -> None:
    """Start a paper file from a title and an abstract, and print its path.

    \b
      digest new "Paper title" --abstract "The abstract ..."
      digest new "Paper title" --from abstract.txt
      digest new --from paper.txt      (first line: title; the rest: abstract)

    Topics and tags are suggested by the auto-tagger; edit them, then run
    `digest check` on the file.
    """
    from digest.config import load_config
    from digest.intake.scaffold import looks_like_arxiv_url, new_paper, split_text_file

    if from_file is not None:
        text = from_file.read()
        if title is None:
            title, file_abstract = split_text_file(text)
        else:
            file_abstract = text
        if abstract is not None:
            raise click.UsageError("give the abstract with --abstract or --from, not both")
        abstract = file_abstract
    if not title or abstract is None:
        raise click.UsageError("give a TITLE and --abstract TEXT, or --from FILE")
    project = _root(root)
    made = new_paper(load_config(project), title, abstract,
                     date=date.date() if date else dt.date.today(),
                     arxiv=looks_like_arxiv_url(arxiv) if arxiv else None, doi=doi,
                     authors=authors, links=links, venue=venue, added_by=added_by)
    click.echo(f"wrote {made.path}")
    shown = ", ".join(made.topics) or "none matched: add topics from site_config/topics.yml"
    click.echo(f"topics suggested by the auto-tagger: {shown}")
    if made.tags:
        click.echo(f"tags suggested: {', '.join(made.tags)}")
    for problem in made.warnings:
        click.echo(_problem_line(problem, "text"))
    click.echo(f"Next: edit {made.path} (check title, topics, tags; add authors and links), "
               f"then run `.venv/bin/digest check {made.path}` and preview with `make serve`.")


@main.command()
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site. Default: site/ in the project.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems and the summary.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None,
              help="Reuse the pages (and, if no paper page changed, the search index) of "
                   "the previous build kept in this folder, then keep this build's there. "
                   "The site is the same as without it, only faster to make. "
                   "CI keeps .digest-cache/ between runs with actions/cache.")
@root_option
@handles_errors
def build(site_dir: Path | None, quiet: bool, cache_dir: Path | None,
          root: Path | None) -> None:
    """Check content/, generate pages, render with MkDocs and index with Pagefind.

    The new site replaces the old one only if every step succeeds: on any error the
    previous site/ is left as it was.
    """
    from digest.build import build_site

    project = _root(root)
    result = build_site(project, site_dir, progress=(lambda _: None) if quiet else click.echo,
                        cache_dir=cache_dir)
    for problem in result.warnings:
        click.echo(_problem_line(problem, "text"))
    click.echo(f"Built {result.papers} papers into {result.site_dir} "
               f"({result.pages_indexed} pages in the search index)")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", required=True, help="The site's name, shown on every page.")
@click.option("--url", required=True,
              help="Where the site will be published, e.g. https://OWNER.github.io/NAME/.")
@click.option("--repo", default=None,
              help="The GitHub repository as OWNER/NAME. Default: read from a github.io "
                   "--url.")
@handles_errors
def init(path: Path, name: str, url: str, repo: str | None) -> None:
    """Start a new digest in PATH (a new or empty folder): settings, example topics, an
    About page, GitHub workflows and a README saying what to do next.

    It builds at once: `cd PATH && digest build`.
    """
    from digest.project.init import init_project

    written = init_project(path, name, url, repo)
    click.echo(f"Wrote a new digest into {path} ({len(written)} files). Next: read "
               f"{path / 'README.md'}, then `cd {path} && digest build`.")


@main.command()
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address and port to serve on.")
@root_option
@handles_errors
def serve(dev_addr: str, root: Path | None) -> None:
    """Preview the site at http://127.0.0.1:8000 and update it when a file changes.

    A saved paper file or site_config/ re-renders only the pages it changes and
    reloads the browser; the search index catches up in the background (pages say
    so meanwhile). Problems in a file are printed and the preview keeps its last
    good version until they are fixed. A change to theme/ or mkdocs.yml builds
    every page again.
    """
    from digest.preview.server import serve as run

    run(_root(root), dev_addr)


if __name__ == "__main__":
    main()
