"""The lab's words are the lab's: its name, logo, favicon, footer and extra paper fields
from site.yml, search examples from its own taxonomy, and `digest check` reading its
pages (issue #16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.build import build_site
from digest.cli import main
from digest.config import load_config
from digest.errors import DigestError

LAB = "Ada & Grace's <Protein> Lab"
URL = "https://protein-lab.github.io/reading/"
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n'
ICON = b"\x89PNG\r\n\x1a\n the lab's icon"
TOPICS = """topics:
  - slug: binder-design
    title: Binder design
    description: Designing proteins that bind a target.
    keywords: [binder*, "protein binder"]
  - slug: other
    title: Other
    description: Everything else.
    keywords: []
"""


def _run(*args: str) -> object:
    """The command as a contributor runs it: check prints text, also under CI=true."""
    extra = ["--format", "text"] if args[:1] == ("check",) else []
    return CliRunner().invoke(main, [*args, *extra])


def _settings(lab: Path, extra: str) -> None:
    site = lab / "site_config" / "site.yml"
    site.write_text(site.read_text("utf-8") + extra, encoding="utf-8")


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    path = tmp_path / "lab"
    result = _run("init", str(path), "--name", LAB, "--url", URL)
    assert result.exit_code == 0, result.output
    (path / "site_config" / "topics.yml").write_text(TOPICS, encoding="utf-8")
    (path / "content" / "assets").mkdir()
    (path / "content" / "assets" / "logo.svg").write_bytes(LOGO)
    (path / "content" / "assets" / "icon.png").write_bytes(ICON)
    return path


def _paper(lab: Path, front: str = "") -> Path:
    path = lab / "content" / "papers" / "binder-design-at-scale.md"
    path.write_text("---\ntitle: Binder design at scale\ndate: 2026-01-05\n"
                    f"topics: [binder-design]\n{front}---\n\n"
                    "We design protein binders with a diffusion model.\n", encoding="utf-8")
    return path


def test_logo_favicon_and_footer_are_the_labs(lab: Path, tmp_path: Path) -> None:
    _settings(lab, "logo: content/assets/logo.svg\nfavicon: content/assets/icon.png\n"
                   'footer: "© 2026 <Protein> Lab & friends"\n')
    _paper(lab)
    site = build_site(lab, tmp_path / "site").site_dir
    assert (site / "assets" / "site" / "logo.svg").read_bytes() == LOGO
    assert (site / "assets" / "site" / "favicon.png").read_bytes() == ICON
    for page in ("index.html", "papers/binder-design-at-scale/index.html"):
        html = (site / page).read_text("utf-8")
        prefix = "" if page == "index.html" else "../../"
        assert f'<img src="{prefix}assets/site/logo.svg"' in html, page
        assert f'<link rel="icon" href="{prefix}assets/site/favicon.png">' in html, page
        assert "© 2026 &lt;Protein&gt; Lab &amp; friends" in html, page
        assert "<Protein> Lab &" not in html, page
    assert "Ada &amp; Grace&#39;s &lt;Protein&gt; Lab" in (site / "index.html").read_text()


def test_without_them_material_keeps_its_own(lab: Path, tmp_path: Path) -> None:
    site = build_site(lab, tmp_path / "site").site_dir
    home = (site / "index.html").read_text("utf-8")
    assert not (site / "assets" / "site").exists()
    assert "md-copyright__highlight" not in home  # no empty footer
    assert 'href="assets/images/favicon.png"' in home


def test_nothing_says_paper_digest_unless_that_is_the_name(lab: Path,
                                                           tmp_path: Path) -> None:
    _paper(lab)
    site = build_site(lab, tmp_path / "site").site_dir
    texts = [p for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json", ".js",
                                                         ".css", ".bib", ".txt")]
    assert len(texts) > 10
    for path in texts:
        assert "paper digest" not in path.read_text("utf-8").casefold(), path
    schema = (site / "papers.schema.json").read_text("utf-8")
    assert '"title": "Ada & Grace\'s <Protein> Lab: data export"' in schema


def test_search_examples_come_from_the_projects_taxonomy(lab: Path, tmp_path: Path) -> None:
    _paper(lab)
    search = (build_site(lab, tmp_path / "site").site_dir / "search" / "index.html"
              ).read_text("utf-8")
    assert "<code>topic:binder-design</code>" in search
    assert 'placeholder="For example: binder"' in search
    assert "time-series" not in search and "diffusion models" not in search


def test_extra_fields_are_shown_on_paper_pages_escaped_and_sanitized(
        lab: Path, tmp_path: Path) -> None:
    _settings(lab, "fields:\n  presenter: text\n  journal_club_notes: markdown\n")
    _paper(lab, 'presenter: "Ada <b>Lovelace</b>"\njournal_club_notes: |\n'
                "  We **liked** the [assay](https://example.org/a).\n"
                "  <script>alert(1)</script>\n")
    page = (build_site(lab, tmp_path / "site").site_dir / "papers" / "binder-design-at-scale"
            / "index.html").read_text("utf-8")
    assert "<dt>Presenter</dt>\n<dd>Ada &lt;b&gt;Lovelace&lt;/b&gt;</dd>" in page
    assert "<dt>Journal club notes</dt>" in page
    assert "<strong>liked</strong>" in page and 'href="https://example.org/a"' in page
    assert "<script>alert(1)" not in page


def test_a_paper_without_the_extra_fields_shows_none(lab: Path, tmp_path: Path) -> None:
    _settings(lab, "fields: {presenter: text}\n")
    _paper(lab)
    page = (build_site(lab, tmp_path / "site").site_dir / "papers" / "binder-design-at-scale"
            / "index.html").read_text("utf-8")
    assert "digest-fields" not in page


def test_a_field_of_the_wrong_type_is_named_with_its_line(lab: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          ) -> None:
    _settings(lab, "fields:\n  presenter: text\n  notes: markdown\n")
    _paper(lab, "presenter: [Ada, Grace]\nnotes: 12\nspeaker: Ada\n")
    monkeypatch.chdir(lab)
    result = _run("check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    shown = "content/papers/binder-design-at-scale.md"
    assert f"{shown}:5: presenter: must be a single line of text, not a list or mapping" \
        in lines
    assert any(line.startswith(f"{shown}:6: notes: YAML reads '12' as the number 12")
               for line in lines), lines
    unknown = [line for line in lines if line.startswith(f"{shown}:7: speaker: unknown field")]
    assert unknown and "presenter, notes (site_config/site.yml's `fields:` declares more)" \
        in unknown[0], lines


@pytest.mark.parametrize(("setting", "said"), [
    ("logo: content/assets/missing.svg",
     "logo: 'content/assets/missing.svg': no such file in the project"),
    ("favicon: ../outside.png", "favicon: '../outside.png' must be a path inside the project"),
    ("logo: content/assets/notes.txt", "logo: 'content/assets/notes.txt' must be one of .svg"),
    ("fields: {presenter: number}", "fields.presenter: unknown type 'number'"),
    ("fields: {title: text}", "fields.title: a field's name must be lowercase letters"),
    ("fields: [presenter]", "fields: must be a mapping of field names to types"),
    ("footer: [a, b]", "footer: must be non-empty text"),
])
def test_a_bad_setting_is_named_with_its_line(lab: Path, monkeypatch: pytest.MonkeyPatch,
                                              setting: str, said: str) -> None:
    (lab / "content" / "assets" / "notes.txt").write_text("no image\n")
    lines = (lab / "site_config" / "site.yml").read_text("utf-8").count("\n")
    _settings(lab, setting + "\n")
    monkeypatch.chdir(lab)
    result = _run("check")
    assert result.exit_code == 1
    assert f"site_config/site.yml:{lines + 1}: {said}" in result.output, result.output
    with pytest.raises(DigestError):
        load_config(lab)


def test_check_reads_the_pages_too(lab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = lab / "content" / "pages"
    (pages / "members.md").write_text("---\ntitel: Members\n---\n\nAda.\n", encoding="utf-8")
    _paper(lab)
    monkeypatch.chdir(lab)
    result = _run("check")
    assert result.exit_code == 1
    assert "content/pages/members.md:2: titel: unknown field; a page has title, " \
           "description, figures" in result.output
    assert "content/pages/members.md:2: title: is required" in result.output
    assert result.output.splitlines()[-1] == \
        "1 file checked: 1 valid paper, 2 errors, 0 warnings"
    # Asked about one file, it reports on that file only.
    about = _run("check", "content/pages/about.md")
    assert (about.exit_code, about.output) == (
        0, "1 file checked: 0 valid papers, 0 errors, 0 warnings\n")
    only = _run("check", "content/pages/members.md")
    assert only.exit_code == 1 and "members.md" in only.output
    assert "binder-design" not in only.output
    assert _run("check", "content/papers/binder-design-at-scale.md").exit_code == 0


CLICKS = (
    "Settings → Pages → Build and deployment → Source: **GitHub Actions**",
    "Settings → Actions → General → Workflow permissions → tick **Allow GitHub Actions to "
    "create and approve pull requests**",
    "Settings → Secrets and variables → Actions → New repository secret",
    "`DIGEST_PR_TOKEN`",
    "Settings → Pages → Custom domain",
    "`import: none`",
)


def test_both_readmes_walk_a_first_timer_through_deploying(lab: Path) -> None:
    from tests.conftest import REPO

    ours = " ".join((REPO / "README.md").read_text("utf-8").split())
    theirs = " ".join((lab / "README.md").read_text("utf-8").split())
    for readme in (ours, theirs):
        for click in CLICKS:
            assert click in readme, click
    for step in ("pip install paper-digest", "digest init", "site_config/topics.yml",
                 "content/pages/about.md", "digest add", "digest serve", "git push"):
        assert step in ours, step
    guide = (REPO / "CONTRIBUTING.md").read_text("utf-8")
    assert "## Start your own digest" in guide and "digest init" in guide
    site_yml = (lab / "site_config" / "site.yml").read_text("utf-8")
    assert "#     huggingface: true" in site_yml and "#       - category: q-bio.BM" in site_yml
