"""site_config/site.yml's `import:` and `mailto:` settings: what a lab writes, and the one
clear line per mistake (file:line: field: message) that `digest import daily` prints."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from digest.cli import main
from digest.config import ArxivQuery, ImportSources, load_config

BASE = ("name: Lab Digest\ndescription: Papers we read.\nurl: https://lab.example.org/\n"
        "repo: https://github.com/lab/digest\nbranch: main\n")


def _site(project: Path, text: str) -> Path:
    (project / "site_config/site.yml").write_text(BASE + text)
    return project


def test_without_import_the_daily_source_is_hugging_face(empty_project: Path) -> None:
    config = load_config(_site(empty_project, ""))
    assert config.site.imports == ImportSources(huggingface=True, arxiv=())
    assert config.site.mailto is None


def test_import_names_arxiv_queries_and_hugging_face(empty_project: Path) -> None:
    config = load_config(_site(empty_project, (
        "mailto: lab@example.org\nimport:\n  huggingface: true\n  arxiv:\n"
        "    - category: q-bio.BM\n      query: protein design\n"
        "    - query: [cryo-EM, ti:denoising]\n")))
    assert config.site.mailto == "lab@example.org"
    assert config.site.imports == ImportSources(huggingface=True, arxiv=(
        ArxivQuery(("q-bio.BM",), ("protein design",)),
        ArxivQuery((), ("cryo-EM", "ti:denoising"))))
    assert load_config(_site(empty_project, "import: none\n")).site.imports == \
        ImportSources(huggingface=False)


def test_every_mistake_in_import_is_one_line_with_file_line_and_field(
        empty_project: Path) -> None:
    _site(empty_project, (
        "mailto: not-an-address\n"        # line 6
        "import:\n"                       # line 7
        "  huggingface: yes please\n"     # line 8
        "  arxive: []\n"                  # line 9
        "  arxiv:\n"                      # line 10
        "    - category: Protein Design\n"  # line 11
        "    - {}\n"                      # line 12
        "    - query: []\n"))             # line 13
    result = CliRunner().invoke(main, ["import", "daily", "--root", str(empty_project)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.splitlines() == [
        "error: site_config/site.yml: invalid settings",
        "site_config/site.yml:6: mailto: must be an email address, e.g. lab@example.org",
        "site_config/site.yml:8: import.huggingface: must be true or false",
        "site_config/site.yml:9: arxive: unknown setting; did you mean 'arxiv'?",
        "site_config/site.yml:11: import.arxiv.category: 'Protein Design' is not an arXiv "
        "category such as q-bio.BM or cs.LG",
        "site_config/site.yml:12: import.arxiv: each query needs `category:` (e.g. "
        "q-bio.BM) and/or `query:` (words)",
        "site_config/site.yml:13: import.arxiv.query: must be non-empty text or a list of "
        "texts",
    ]


def test_import_must_be_none_or_a_mapping(empty_project: Path) -> None:
    _site(empty_project, "import: arxiv\n")
    result = CliRunner().invoke(main, ["import", "daily", "--root", str(empty_project)])
    assert result.exit_code == 1
    assert "site_config/site.yml:6: import: must be `none` or a mapping" in result.output
