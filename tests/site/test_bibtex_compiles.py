"""papers.bib and the topic .bib files compile with pdflatex + bibtex (style plain).

A lab cites the digest from LaTeX: an entry that stops pdflatex (``φ`` not set up) or
that BibTeX warns about (no author and no key to sort by) is a broken citation. The
documents here load no package, the hardest case: what compiles here compiles with
any preamble.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from pylatexenc.latexencode import get_builtin_conversion_rules

from digest.build import build_site
from digest.site import citations
from digest.site.latexenc import encode_char
from tests.conftest import copy_project, write_paper

_TOOLS = ("pdflatex", "bibtex")
_MISSING = [tool for tool in _TOOLS if shutil.which(tool) is None]
if _MISSING and os.environ.get("CI") == "true":
    raise RuntimeError(
        f"{', '.join(_MISSING)} not found, and CI must run the BibTeX compile test: install "
        "Debian's texlive-latex-base and texlive-bibtex-extra (see .ci/run).")
pytestmark = pytest.mark.skipif(
    bool(_MISSING), reason=f"{', '.join(_MISSING)} not installed (apt-get install "
    "texlive-latex-base texlive-bibtex-extra); CI runs this test")

DOCUMENT = r"""\documentclass{article}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, errors="replace",
                          timeout=120, check=False)


def compile_bib(bib: Path, work: Path) -> str:
    """Typeset every entry of ``bib``; fail on any error or warning. Returns the .bbl."""
    work.mkdir(parents=True)
    shutil.copy2(bib, work / "refs.bib")
    (work / "doc.tex").write_text(DOCUMENT, encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    first = _run(latex, work)
    assert first.returncode == 0, first.stdout[-3000:]
    run = _run(["bibtex", "doc"], work)
    blg = (work / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, blg
    assert "Warning" not in blg and "error" not in blg.lower(), blg
    for _ in range(2):
        done = _run(latex, work)
        assert done.returncode == 0, done.stdout[-3000:]
    log = (work / "doc.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("! ")]
    assert not errors, log[-3000:]
    assert "LaTeX Warning" not in log, log[-3000:]
    return (work / "doc.bbl").read_text(encoding="utf-8", errors="replace")


def _paper(title: str, authors: list[str] | None, topic: str = "llm-reasoning",
           extra: str = "") -> str:
    names = "" if authors is None else "authors: [" + ", ".join(
        '"' + a.replace('"', '\\"') + '"' for a in authors) + "]\n"
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (f"---\ntitle: {quoted}\ndate: 2026-03-10\ntopics: [{topic}]\n{names}{extra}"
            "---\n\nAn abstract.\n")


CORPUS = {
    "greek.md": _paper("Out-of-Equilibrium φ³ QFT and the β-function at Λ → ∞",
                       ["Σωκράτης Παπαδόπουλος", "Zoë O'Brien-Müller"],
                       extra='arxiv: "2403.01234"\n'),
    "accents.md": _paper("Équations über Ørsted: Ångström’s “łatwy” test — a note",
                         ["Søren Kierkegaard", "Łukasz Kaiser", "Anders Ångström",
                          "José Núñez-García", "Jean-Pierre Serre and Sons"]),
    "math.md": _paper(r"Galaxies at $z\sim10-16$ with $\alpha \le 0.5$ and ≤ 3σ bounds",
                      ["Emmy Noether"], extra='venue: "NeurIPS 2024 — spotlight"\n'),
    "no-authors.md": _paper("Framework for fast inference without authors", None),
    "specials.md": _paper("Costs & benefits: 100% of x_1 in #hashtags, {braces} ~ ^ \\ <>|",
                          ["Ada Lovelace"]),
    "beyond.md": _paper("Жуков's ℝ-valued ą test with 한국어 and 🙂 ⊨ ≲", ["Иван Жуков"]),
}


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("bib") / "project", with_content=False)
    for name, text in CORPUS.items():
        write_paper(project, name, text)
    return build_site(project, project / "site").site_dir


def test_papers_bib_with_greek_accents_math_and_specials_compiles(
        corpus_site: Path, tmp_path: Path) -> None:
    bbl = compile_bib(corpus_site / "papers.bib", tmp_path / "all")
    assert bbl.count(r"\bibitem") == len(CORPUS)
    # The characters arrive as LaTeX, not as dropped or question-marked text.
    for expected in (r"\varphi", r"\textthreesuperior", r"\Lambda", r"\'e", r"\o",
                     r"\r{A}", r"\l", r"\textemdash", r"\textquotedblleft", r"\sim",
                     r"\&", r"100\%", r"x\_1", r"\#hashtags", r"\textbraceleft",
                     "Zhukov", r"\ensuremath{\leq}"):
        assert expected in bbl, expected


def test_papers_bib_still_parses_with_bibtexparser(corpus_site: Path) -> None:
    """The reading list's export and reference managers read the same file."""
    library = bibtexparser.parse_string((corpus_site / "papers.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert len(library.entries) == len(CORPUS)
    titles = [e.fields_dict["title"].value for e in library.entries]
    assert any(r"{\ensuremath{\varphi}}{\textthreesuperior}" in t for t in titles)


def test_entry_without_authors_sorts_by_its_title(corpus_site: Path) -> None:
    bib = (corpus_site / "papers.bib").read_text(encoding="utf-8")
    entry = next(e for e in bib.split("\n@") if "without authors" in e)
    assert "  key = {Framework for fast inference}," in entry
    assert "author =" not in entry


def test_a_topic_bib_compiles(corpus_site: Path, tmp_path: Path) -> None:
    bbl = compile_bib(corpus_site / citations.bib_path("llm-reasoning"), tmp_path / "topic")
    assert bbl.count(r"\bibitem") == len(CORPUS)


def test_every_character_pylatexenc_knows_compiles_as_written(tmp_path: Path) -> None:
    """pylatexenc's replacements we keep, and the fallbacks for the rest, all typeset."""
    table = get_builtin_conversion_rules("defaults")[0].rule
    chars = [chr(c) for c in sorted(table) if c > 127]
    lines = [f"{ord(c):04X}: {encode_char(c)}\\par" for c in chars]
    (tmp_path / "chars.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n" + "\n".join(lines)
        + "\n\\end{document}\n", encoding="utf-8")
    run = _run(["pdflatex", "-interaction=nonstopmode", "chars.tex"], tmp_path)
    log = (tmp_path / "chars.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("! ")]
    assert run.returncode == 0 and not errors, "\n".join(errors[:20])
    assert encode_char("Ж") == "Zh" and encode_char("\u200d") == ""
