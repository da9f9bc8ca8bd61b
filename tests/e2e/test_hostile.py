"""Hostile and malformed paper files (tests/hostile/): rejected, or built into inert pages.

Every file of the corpus is either refused by `digest check` with the message a
contributor needs, or built, with all the others, in ONE site build. The built site is
then audited file by file: HTML, XML (feeds, sitemaps), JSON (exports) and the Pagefind
index, so exports and feeds added later are covered without changing this test. Every
payload carries the word "pwned" (and calls alert()), which must never reach a script, an
event-handler attribute, a style or a dangerous URL, and a real Chromium must run none of it.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import pytest

from digest.build import build_site
from digest.config import load_config
from digest.content.load import load_content
from digest.model import Problem
from digest.text.markup import render_abstract
from digest.text.mathml import MATHML_TAGS
from digest.text.titles import render_title
from tests.conftest import copy_project
from tests.support.browser import Watched, browser, page, serve_site  # noqa: F401

HOSTILE = Path(__file__).resolve().parent.parent / "hostile"
MARKER = "pwned"
P = "content/papers/"

# file -> the start of the error `digest check` must report for it
REJECTED: dict[str, str] = {
    "javascript-link.md": f"{P}javascript-link.md:6: links: \"javascript:alert('pwned')\" is "
                          "not allowed: links must start with http:// or https://",
    "data-link.md": f"{P}data-link.md:4: links: 'data:text/html;base64,",
    "vbscript-link.md": f"{P}vbscript-link.md:4: links: \"VBScript:MsgBox('pwned')\" is not "
                        "allowed",
    "link-attribute-breakout.md": f"{P}link-attribute-breakout.md:4: links: 'https://example."
                                  "org/\" onmouseover=\"alert(`pwned`)' contains '\"'",
    "arxiv-injection.md": f"{P}arxiv-injection.md:4: arxiv: '2310.10000\"><script>",
    "doi-javascript.md": f"{P}doi-javascript.md:4: doi: \"javascript:alert('pwned')\" is not "
                         "a DOI",
    "doi-breakout.md": f"{P}doi-breakout.md:4: doi: '10.1000/x\"><script>",
    "topic-injection.md": f"{P}topic-injection.md:4: topics: unknown topic \"<img src=x "
                          "onerror=alert('pwned')>\"",
    "added-by-injection.md": f"{P}added-by-injection.md:4: added_by: \"<script>alert('pwned')"
                             "</script>\" is not a GitHub handle",
    "unknown-field-script.md": f"{P}unknown-field-script.md:4: script: unknown field",
    "yaml-billion-laughs.md": f"{P}yaml-billion-laughs.md:5: authors: YAML anchors and aliases "
                              "(&name, *name) are not allowed",
    "yaml-python-object.md": f"{P}yaml-python-object.md:4: venue: YAML tag "
                             "'!!python/object/apply:os.system' is not allowed",
    "duplicate-title-key.md": f"{P}duplicate-title-key.md:4: title: duplicate key (first set "
                              "on line 2)",
    "no-front-matter.md": f"{P}no-front-matter.md:1: front matter: missing",
    "front-matter-not-closed.md": f"{P}front-matter-not-closed.md:1: front matter: is not "
                                  "closed",
    "title-is-a-list.md": f"{P}title-is-a-list.md:2: title: must be a single line of text",
    "bidi-override-title.md": f"{P}bidi-override-title.md:2: encoding: invisible character "
                              "U+202E (RIGHT-TO-LEFT OVERRIDE)",
    "nul-byte.md": f"{P}nul-byte.md:6: encoding: invisible character U+0000",
    "latin-1-bytes.md": f"{P}latin-1-bytes.md:6: encoding: byte 0xe9 is not UTF-8",
    "future-date.md": f"{P}future-date.md:3: date: 2999-01-01 is in the future",
    "impossible-date.md": f"{P}impossible-date.md:3: date: '2026-02-30' is not a real "
                          "calendar date",
    "too-many-brackets.md": f"{P}too-many-brackets.md: abstract: has 3,000 '[' characters",
    "oversized.md": f"{P}oversized.md: file: is 72,044 bytes; the limit is 65,536",
    "arxiv-as-number.md": f"{P}arxiv-as-number.md:4: arxiv: YAML reads 2310.10000 as the "
                          "number 2310.1",
}

# file -> texts a reader must see on the paper's page, exactly as written (shown as text)
BUILT: dict[str, list[str]] = {
    "script-in-title.md": ["<script>alert('pwned-title')</script> & <b>Bold</b> Title"],
    "title-breaks-out-of-head.md": ['</title><script>alert("pwned-head")</script>'],
    "title-breaks-out-of-attributes.md": ['x" onmouseover="alert(1)" data-pwned="'],
    "title-breaks-generated-front-matter.md": ['Title": "x"\\n---\\n<script>alert(1)</script>',
                                               "NeurIPS --- title: pwned"],
    "template-syntax.md": ["{{ 7 * 7 }} {% raw %}pwned{% endraw %} {{ config.site_name }}",
                           "{{ 8 * 8 }} and {% if true %}pwned{% endif %}",
                           "${{ secrets.GITHUB_TOKEN }}"],
    "entities-in-title.md": ["&lt;script&gt;alert('pwned')&lt;/script&gt; &amp;amp; &#60;b&#62;",
                             "Entities <script>alert('pwned')</script> and <b> stay text."],
    "fields-injection.md": ["<script>alert('pwned-author')</script>",
                            "<iframe src=javascript:alert('pwned-venue')></iframe>",
                            "\"><svg onload=alert('pwned-tag')>"],
    "raw-html-abstract.md": ["<script>alert('pwned-1')</script>",
                             "<img src=x onerror=\"alert('pwned-2')\">",
                             '<meta http-equiv="refresh"'],
    "markdown-links.md": ["one", "eight", "fine"],
    "math-injection.md": ["<script>alert('pwned-2')</script>"],
    "markdown-structure-breakout.md": ["</section></article><script>alert('pwned-1')</script>",
                                       "{: onclick=\"alert('pwned-4')\" }"],
    "unicode-oddities.md": ["🚀 emoji, العربية"],
    "crlf-bom-script.md": ["<script>alert('pwned')</script> survives as text."],
    "deeply-nested.md": ["pwned"],
    "tex-title-injection.md": ['"><svg onload=alert(\'pwned-svg\')>', "$\\frac{1}{$",
                               "\"><img src=x onerror=alert('pwned-author')>",
                               "</title><script>alert('pwned-head')</script>"],
}

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster",
                  "background", "cite", "srcset", "ping", "manifest", "codebase"}
DANGEROUS_SCHEMES = {"javascript", "vbscript", "data"}
# A URL of slugs (a tag's page, tags/i-pwned/, in its canonical link): lowercase letters,
# digits and hyphens carry no markup, whatever text they were made from.
SLUG_URL = re.compile(r"https?://[a-z0-9.-]+(/[a-z0-9-]+)*/?")
# Tags that must never carry content (or appear from content at all)
NEVER_WITH_CONTENT = {"script", "iframe", "frame", "object", "embed", "base", "style", "link",
                      "form", "input", "button", "textarea", "select", "img", "video", "audio",
                      "source", "svg", "image", "use", "animate", "set", "foreignobject"}


def dangerous_url(value: str) -> bool:
    """What a browser would run: the WHATWG URL parser drops surrounding spaces and every
    tab and newline before it reads the scheme."""
    url = re.sub(r"[\t\n\r]", "", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"
                                              "\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15"
                                              "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return bool(scheme) and scheme.group(1).lower() in DANGEROUS_SCHEMES


class Audit(HTMLParser):
    """Collects what in an HTML document could run: scripts, handlers, styles, URLs."""

    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.findings: list[str] = []
        self.in_raw: tuple[str, dict[str, str | None]] | None = None
        self.raw_text: list[str] = []

    def flag(self, what: str) -> None:
        self.findings.append(f"{self.where}: {what}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.flag(f"<{tag} {name}={value!r}>: event-handler attribute")
            if name in URL_ATTRIBUTES and dangerous_url(value):
                self.flag(f"<{tag} {name}={value!r}>: dangerous URL")
            if name in ("style", "srcdoc") and MARKER in value:
                self.flag(f"<{tag} {name}={value!r}>: content in {name}")
            if MARKER in value and tag in NEVER_WITH_CONTENT and not (
                    name in URL_ATTRIBUTES and SLUG_URL.fullmatch(value)):
                self.flag(f"<{tag} {name}={value!r}>: content in a <{tag}> attribute")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.flag(f"<meta http-equiv=refresh content={values.get('content')!r}>")
        if tag in ("base", "iframe", "frame", "object", "embed"):
            self.flag(f"<{tag}> in the page")
        if tag in ("script", "style"):
            self.in_raw, self.raw_text = (tag, values), []

    def handle_data(self, data: str) -> None:
        if self.in_raw:
            self.raw_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.in_raw and tag == self.in_raw[0]:
            kind, values = self.in_raw
            text = "".join(self.raw_text)
            self.in_raw = None
            if MARKER not in text and "alert(" not in text:
                return
            if kind == "script" and (values.get("type") or "") in (
                    "application/json", "application/ld+json"):
                json.loads(text)  # data, not code: it must parse as JSON
                return
            self.flag(f"<{kind}> holding content: {text[:120]!r}")


def audit_html(text: str, where: str) -> list[str]:
    audit = Audit(where)
    audit.feed(text)
    audit.close()
    return audit.findings


HTML_IN_XML = {"description", "encoded"}  # RSS description, content:encoded


def audit_xml(data: bytes, where: str) -> list[str]:
    """A feed or sitemap: well-formed, no script elements, HTML payloads inert."""
    findings: list[str] = []
    root = ET.fromstring(data)  # a file that does not parse breaks every feed reader
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower()
        if name == "script":
            findings.append(f"{where}: <script> element")
        for attr, value in element.attrib.items():
            attr = attr.rsplit("}", 1)[-1].lower()
            if attr.startswith("on"):
                findings.append(f"{where}: <{name} {attr}=...>")
            if attr in URL_ATTRIBUTES and dangerous_url(value):
                findings.append(f"{where}: <{name} {attr}={value!r}>: dangerous URL")
        is_html = element.attrib.get("type") == "html" or name in HTML_IN_XML
        if is_html and element.text:
            findings += audit_html(element.text, f"{where} <{name}>")
    return findings


def audit_json(text: str, where: str) -> list[str]:
    """An export: valid JSON, '<' escaped (safe to inline), HTML fields inert."""
    findings: list[str] = []
    if re.search(r"<\s*/?\s*script", text, re.I):
        findings.append(f"{where}: raw <script> in JSON; escape '<' as \\u003c")

    def walk(value: object, key: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if key.lower().endswith("html"):
                findings.extend(audit_html(value, f"{where} {key}"))
            elif key.lower() in ("url", "href", "link", "external_url") and dangerous_url(value):
                findings.append(f"{where} {key}: dangerous URL {value!r}")

    walk(json.loads(text), "")
    return findings


def pagefind_fragments(site: Path) -> dict[str, dict]:
    """Pagefind's per-page records: gzip, a signature, then JSON."""
    records = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), path
        record = json.loads(raw[len(b"pagefind_dcd"):])
        records[record["url"]] = record
    return records


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@dataclass
class Hostile:
    problems: list[Problem]
    titles: dict[str, str]  # slug -> title, of the papers built
    site: Path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """The whole corpus checked, then the files check accepts built in one site."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project", with_content=False)
    papers = project / "content" / "papers"
    for path in HOSTILE.iterdir():
        shutil.copy2(path, papers / path.name)
    content = load_content(load_config(project))
    for name in REJECTED:
        (papers / name).unlink()
    result = build_site(project)
    titles = {p.slug: p.title for p in content.papers}
    return Hostile(content.problems, titles, result.site_dir)


def test_corpus_is_classified() -> None:
    files = {p.name for p in HOSTILE.iterdir()}
    assert len(files) >= 20
    assert not set(REJECTED) & set(BUILT)
    assert files == set(REJECTED) | set(BUILT)


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_check_rejects_with_the_right_message(hostile: Hostile, name: str) -> None:
    errors = [str(p) for p in hostile.problems if p.path == P + name and p.is_error]
    assert errors, f"{name} was not rejected"
    assert errors[0].startswith(REJECTED[name]), errors


def test_accepted_files_have_no_errors(hostile: Hostile) -> None:
    errors = [str(p) for p in hostile.problems if p.is_error and p.path[len(P):] in BUILT]
    assert errors == []


@pytest.mark.parametrize("name", sorted(BUILT))
def test_payload_is_shown_as_text(hostile: Hostile, name: str) -> None:
    html = (hostile.site / "papers" / Path(name).stem / "index.html").read_text("utf-8")
    shown = text_of(html)
    for text in BUILT[name]:
        assert text in shown, f"{text!r} not shown on {name}"


class Head(HTMLParser):
    """The <title>, the <h1> and every <meta> of a page, as the browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.texts: dict[str, list[str]] = {"title": [], "h1": []}
        self.inner: dict[str, set[str]] = {"title": set(), "h1": set()}  # elements inside
        self.open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or values.get("property")):
            key = values.get("name") or values.get("property") or ""
            self.meta.setdefault(key, []).append(values.get("content") or "")
        if tag in self.texts:
            self.open = tag
            self.texts[tag].append("")
        elif self.open:
            self.texts[self.open][-1] += f"<{tag}>"  # an element inside: markup got through
            self.inner[self.open].add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.open:
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open:
            self.texts[self.open][-1] += data


@pytest.mark.parametrize("name", sorted(BUILT))
def test_title_element_and_meta_hold_the_exact_title(hostile: Hostile, name: str) -> None:
    slug = Path(name).stem
    head = Head()
    head.feed((hostile.site / "papers" / slug / "index.html").read_text("utf-8"))
    title = hostile.titles[slug]
    plain = render_title(title).text  # formulas read as text; else the title itself
    if plain == title:
        assert [t.strip() for t in head.texts["h1"]] == [title]
    else:  # formulas became MathML, and nothing else became markup
        assert len(head.texts["h1"]) == 1
        assert "math" in head.inner["h1"]
        assert head.inner["h1"] <= MATHML_TAGS | {"span"}
    assert head.texts["title"] == [f"{plain} - Paper Digest"]
    for key, values in head.meta.items():
        if key.endswith(":title") or key == "citation_title":
            assert values == [plain], key
    assert len(head.meta["description"]) == 1


@pytest.mark.parametrize("name", ["fields-injection.md", "tex-title-injection.md"])
def test_hostile_authors_reach_the_head_as_text(hostile: Hostile, name: str) -> None:
    """Zotero's citation_author tags: one per author, the exact name, no markup."""
    head = Head()
    head.feed((hostile.site / "papers" / Path(name).stem / "index.html").read_text("utf-8"))
    authors = frontmatter.load(HOSTILE / name)["authors"]
    assert head.meta["citation_author"] == authors


def test_no_built_file_runs_content(hostile: Hostile) -> None:
    """Every built file, by type: nothing from content can run."""
    findings: list[str] = []
    audited = 0
    for path in sorted(hostile.site.rglob("*")):
        if not path.is_file():
            continue
        where = str(path.relative_to(hostile.site))
        data = path.read_bytes()
        if path.suffix == ".gz":
            data, suffix = gzip.decompress(data), Path(path.stem).suffix
        else:
            suffix = path.suffix
        if suffix == ".html":
            findings += audit_html(data.decode("utf-8"), where)
        elif suffix == ".xml":
            findings += audit_xml(data, where)
        elif suffix == ".json":
            findings += audit_json(data.decode("utf-8"), where)
        elif suffix in (".js", ".css", ".map", ".mjs") and MARKER.encode() in data:
            findings.append(f"{where}: content reached a script or style sheet")
        else:
            continue
        audited += 1
    assert findings == []
    assert audited > 30


def test_search_index_holds_the_pages_text(hostile: Hostile) -> None:
    """Pagefind indexed what readers see: the payload as text, never as markup it skipped."""
    records = pagefind_fragments(hostile.site)
    raw = records["/papers/raw-html-abstract/"]
    assert "<script>alert('pwned-1')</script>" in raw["content"]
    assert "<img src=x onerror=\"alert('pwned-2')\">" in raw["content"]
    title = records["/papers/script-in-title/"]["meta"]["title"]
    assert title == "<script>alert('pwned-title')</script> & <b>Bold</b> Title"
    for slug, title in hostile.titles.items():  # the exact text: neither markup nor escaped
        assert records[f"/papers/{slug}/"]["meta"]["title"] == render_title(title).text
    tex = records["/papers/tex-title-injection/"]["meta"]["title"]
    assert tex.startswith("Galaxies at z∼10 \"><svg onload=")


def test_nesting_too_deep_for_markdown_is_shown_as_text() -> None:
    """Python-Markdown recurses per level: a deep list must not crash the build."""
    deep = "".join("  " * i + "- x\n" for i in range(600)) + "\n<script>alert('pwned')</script>"
    html = str(render_abstract(deep))
    assert "&lt;script&gt;alert('pwned')&lt;/script&gt;" in html and "<script" not in html


@pytest.mark.browser
def test_chromium_runs_nothing_from_content(hostile: Hostile, page: Watched,  # noqa: F811
                                            tmp_path: Path) -> None:
    """Every hostile page, the search page and a search for the payloads, in Chromium:
    no dialog opens, no element from content appears, nothing is fetched from elsewhere."""
    server, served = serve_site(hostile.site, tmp_path / "www")
    dialogs: list[str] = []
    pg = page.page
    pg.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        for name in sorted(BUILT):
            pg.goto(served.url(f"papers/{Path(name).stem}/"))
            pg.wait_for_load_state("load")
            injected = pg.evaluate("""() => [...document.querySelectorAll('*')].filter(e =>
                [...e.attributes].some(a => a.name.startsWith('on'))
                || (['SCRIPT', 'IMG', 'IFRAME', 'SVG', 'STYLE', 'BASE', 'OBJECT', 'EMBED', 'FORM',
                     'LINK'].includes(e.tagName.toUpperCase())
                    && [...e.attributes].some(a => a.value.includes('pwned')))
                || (e.tagName === 'META' && e.hasAttribute('http-equiv'))
                || (['SCRIPT', 'STYLE'].includes(e.tagName.toUpperCase())
                    && e.textContent.includes('pwned'))
            ).map(e => e.outerHTML.slice(0, 160))""")
            assert injected == [], name
            assert pg.locator("h1").count() >= 1
        pg.goto(served.url("search/?q=pwned"))
        pg.wait_for_function("document.body.innerText.includes('pwned')", timeout=15_000)
        pg.wait_for_timeout(500)
        assert pg.evaluate("document.querySelectorAll('img[src=\"x\"], [onerror], [onload]')"
                           ".length") == 0
    finally:
        server.shutdown()
    assert dialogs == []
    assert page.outside_requests == []
