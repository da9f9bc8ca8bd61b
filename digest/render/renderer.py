"""Render the generated pages into HTML with MkDocs and the Material theme.

Every private name of MkDocs or Material this needs is reached through
digest.render.compat; this module uses MkDocs' public API (its config, plugin hooks and
structure classes) and compat's functions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape

from digest.config import IMAGE_SUFFIXES, SiteConfig
from digest.errors import DigestError
from digest.model import Problem
from digest.render import compat
from digest.render.cache import BuildCache
from digest.render.frames import (
    MARKS,
    STAMP_TEMPLATE,
    Frame,
    frame_folder,
    frame_parts,
    reuse_header,
    unmark,
    unmark_frame,
)
from digest.render.pages import PageStore
from digest.render.settings import PROJECT_FILE, project_settings, theme_layers
from digest.render.slim import Slimmer
from digest.site.front_matter import read_front_matter
from digest.site.plan import SitePlan
from digest.site.routes import site_file

# Material prints a banner about MkDocs 2.0 on import; we pin MkDocs 1.x.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


PALETTE_SCRIPT = "assets/palette.js"
_CACHED = "digest-cached.html"  # an empty template for pages the cache answers
_FRAMED = "digest-page.html"  # the paper pages': whole, or their parts for the frame
_ICON_USE = re.compile(r'<use href="[^"#]*#(i[0-9a-f]{8})"/>')


class _Collect(logging.Handler):
    """Keep MkDocs warnings so they can be reported with the build's other problems."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def source_date(date: dt.date | None) -> Iterator[None]:
    """Pin MkDocs' idea of "now" to the newest paper so output never holds the build clock."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = dt.datetime.combine(date or dt.date(2000, 1, 1), dt.time(), dt.UTC).timestamp()
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def site_files(config: SiteConfig) -> dict[str, Path]:
    """The project's files site.yml names (logo, favicon), by their place in the site."""
    site = config.site
    named = {field: getattr(site, field) for field in IMAGE_SUFFIXES}
    return {site_file(field, path): config.root / path for field, path in named.items()
            if path}


def mkdocs_options(config: SiteConfig, plan: SitePlan) -> dict[str, object]:
    """The MkDocs settings that come from site_config/ and the generated pages.

    ``theme`` holds only the keys site.yml sets (logo, favicon): merged into the theme's
    other settings by :func:`mkdocs_config`. The footer is text, escaped here: Material
    prints ``copyright`` as HTML.
    """
    site = config.site
    theme = {field: site_file(field, path) for field in IMAGE_SUFFIXES
             if (path := getattr(site, field))}
    return {
        "site_name": site.name,
        "site_description": site.description,
        "site_url": site.url,
        "repo_url": site.repo,
        "docs_dir": str(plan.docs_dir),
        "nav": plan.nav,
        "not_in_nav": plan.not_in_nav,
        "theme": theme,
        **({"copyright": str(escape(site.footer))} if site.footer else {}),
    }


@dataclass(frozen=True)
class RenderOptions:
    """How MkDocs renders a plan, besides what it renders."""

    pages: PageStore | None = None
    """The pages from memory, MkDocs' docs_dir left empty: thousands of files are
    neither written nor read back. None: MkDocs reads the plan's docs_dir."""
    on_page: Callable[[str, str], None] | None = None
    """Called with each page's URL and final HTML as it is written (the search index is
    built from them while MkDocs renders the rest)."""
    cache: BuildCache | None = None
    """Pages whose text the previous build rendered take its HTML (pages from memory only)."""
    write_later: Collection[str] = ()
    """Pages whose files are written once every page is rendered (the search index's
    last shard, written meanwhile)."""
    strict: bool = True
    """MkDocs' strict mode: a warning fails the render."""
    reuse_frames: bool = True
    """Pages outside the nav take the header, tabs and navigation rendered for the first
    page of their folder, and paper pages its whole frame (digest.render.frames). False
    renders every page whole: the site is the same, only slower."""


def walk_order(src: str, rank: dict[str, int]) -> tuple:
    """The order MkDocs lists docs files in (os.walk, sorted, index files first), but
    for the pages in ``rank``, which come in that order within their folder (the paper
    pages oldest first: the search index's shards, digest.render.search_index). The sitemap's
    order."""
    *dirs, name = src.split("/")
    return (*[(1, d) for d in dirs], (0, name.rsplit(".", 1)[0] != "index",
                                      rank.get(src, -1), name))


def render_order(src: str, rank: dict[str, int]) -> tuple:
    """The order MkDocs renders the pages in: those in ``rank`` (the paper pages, the
    only ones in the search index) first, then the others in :func:`walk_order`. The
    search index's last shard is written while MkDocs renders the listing pages."""
    return (0, rank[src]) if src in rank else (1, walk_order(src, rank))


class DigestPlugin:
    """A MkDocs plugin for generated pages: their bodies skip Markdown, their final HTML
    is slimmed and passed to a callback.

    digest/site/model.py writes every body as finished HTML, which Python-Markdown would
    only parse to pass through untouched: half of MkDocs' time on a large site. Each
    page's render step (Markdown, its table of contents, link checks, all empty for
    such a body) is replaced by taking the body as the content.
    Header, tabs and navigation, the same on every page outside the nav in a folder
    (every paper page) but for the title in the header, are rendered once per folder
    and reused (theme/main.html); paper pages go into the whole frame of their folder,
    and only their own parts are rendered (digest.render.frames).
    With a consume-once page store, MkDocs keeps no copy of a body from reading the
    pages (all of them, before it renders any) to rendering it: the body is taken from
    the store then, and the store drops the source once the page is written.
    With a build cache (digest.render.cache), a page whose text the previous build rendered
    takes that HTML and skips the template: only changed pages are rendered.
    The pages in ``write_later`` (the search index's last shard) are written after the
    others, in on_post_build: the files, thousands of them, are made while Pagefind
    writes its last shard on the other core, not while MkDocs renders and Pagefind
    reads its pages.
    """

    def __init__(self, slimmer: Slimmer, callback: Callable[[str, str], None] | None,
                 pages: PageStore | None, order: Sequence[str] = (),
                 cache: BuildCache | None = None, write_later: Collection[str] = (),
                 site_files: Mapping[str, Path] | None = None,
                 reuse_frames: bool = True) -> None:
        self.slimmer = slimmer
        self.site_files = dict(site_files or {})  # the lab's logo and favicon
        self.write_later = frozenset(write_later)
        self.unwritten: list[tuple[str, str]] = []  # (file, HTML) of write_later pages
        self.callback = callback
        self.pages = pages
        self.rank = {src: rank for rank, src in enumerate(order)}
        self.release = pages is not None and pages.consume_once
        self.deferred: dict[str, int] = {}  # src -> length of its body, not yet taken
        self.copied: list[Any] = []  # generated files other than pages, to drop
        self.cache = cache if pages is not None else None
        self.cached: dict[str, str] = {}  # src -> HTML from the cache, until written
        self.reuse_frames = reuse_frames
        self.frames: dict[str, dict[str, str]] = {}  # folder -> header, tabs and nav
        self.stamps: dict[str, Frame | None] = {}  # folder -> frame of its paper pages
        self.checked: set[str] = set()  # folders whose frame two whole pages agreed on
        self.stamped: set[str] = set()  # pages whose template rendered their parts only
        self._icons = cache.icons() if self.cache is not None else {}
        self._later: list[str] = []  # static templates, rendered after the pages
        self._built: tuple[Any, Any, Any] | None = None  # env, files and nav of the build

    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        self._built = (None, files, nav)
        return nav

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        """Every template (pages, 404.html) sees the theme markers as ``digest_marks``.
        A build's templates do not change while it runs: each is read once, not checked
        on disk at every include of every page."""
        env.globals["digest_marks"] = MARKS
        if self.release:
            env.auto_reload = False
        if self.cache is not None:
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({_CACHED: ""}), env.loader])
        if self.rank and self._built is not None:
            self._built = (env, files, self._built[2])
            self._later = compat.static_templates(config)
        return env

    def on_pre_template(self, template: Any, template_name: str, config: Any) -> Any:
        """The static templates (the sitemap, 404.html, palette.js), which MkDocs renders
        before the pages, render empty then (MkDocs writes nothing for them) and for
        real after the pages (on_post_build), beside the search index's last write."""
        if template_name in self._later:
            return self._built[0].from_string("")
        return template

    def on_post_build(self, config: Any) -> None:
        self.build_static_templates(config)
        self.write_unwritten()

    def build_static_templates(self, config: Any) -> None:
        names, self._later = self._later, []
        env, files, nav = self._built
        for name in names:
            compat.build_theme_template(name, env, files, config, nav)

    def write_unwritten(self) -> None:
        """Write the pages held back, as MkDocs writes a page."""
        from mkdocs.utils import write_file

        pages, self.unwritten = self.unwritten, []
        for path, html in pages:
            write_file(html.encode("utf-8", errors="xmlcharrefreplace"), path)

    def on_config(self, config: Any) -> Any:
        """theme/assets/palette.js holds the palette toggle from mkdocs.yml: a template."""
        compat.add_static_template(config, PALETTE_SCRIPT)
        return config

    def on_files(self, files: Any, config: Any) -> Any:
        """Pages handed over in memory, not read back from the docs dir; the project's
        files site.yml names (logo, favicon) copied in; Material's lunr search files (the
        header search is Pagefind's) not published."""
        files = compat.without_lunr(files, config)
        for src, path in sorted(self.site_files.items()):
            files.append(compat.copied_file(config, src, path))
        if self.pages is None:
            return files
        from mkdocs.structure.files import Files

        generated = [compat.generated_file(config, src, self.pages.peek(src))
                     for src in sorted(self.pages, key=lambda s: render_order(s, self.rank))]
        copied = [compat.generated_file(config, path, self.pages.take_file(path))
                  for path in self.pages.file_paths]
        if self.release:  # copied before the first page is built (data export, feeds)
            self.copied = copied
        return Files([*generated, *copied, *files])  # docs files first, as MkDocs lists them

    def on_pre_page(self, page: Any, config: Any, files: Any) -> Any:
        """Pages from memory are read without YAML (their front matter is JSON lines);
        `digest serve` replaces a page's text in its File, so that is where it is read."""
        if self.pages is not None:
            def read_source(config: Any, read_yaml: Callable[[Any], None]) -> None:
                try:
                    page.meta, page.markdown = read_front_matter(page.file.content_string)
                except ValueError:
                    read_yaml(config)

            compat.replace_read_source(page, read_source)
        return page

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        src = page.file.src_uri
        if self.cache is not None and src in self.pages:
            html = self.cache.lookup(src, self.pages.peek(src))
            icons = _ICON_USE.findall(html) if html is not None else ()
            if html is not None and all(k in self._icons for k in icons):
                self.slimmer.icons.update((k, self._icons[k]) for k in icons)
                self.cached[src] = html
                self.cache.hits += 1
                page.meta["template"] = _CACHED
                markdown = ""  # the empty template shows none of it
        if self.reuse_frames and src in self.rank and src not in self.cached:
            page.meta["template"] = _FRAMED
        if src not in self.cached and self.release and self.pages.peek(src).endswith(markdown):
            # the body is the end of the source: taken from it when rendered
            self.deferred[src] = len(markdown)
            markdown = ""
        compat.replace_render(page, markdown)
        return markdown

    def on_page_context(self, context: dict, page: Any, config: Any, nav: Any) -> dict:
        folder = frame_folder(page) if self.reuse_frames else None
        context["digest_frame"] = self.frames.get(folder) if folder is not None else None
        if folder in self.checked and self.stamps.get(folder) is not None \
                and page.file.src_uri in self.rank:
            context["digest_stamp"] = True
            self.stamped.add(page.file.src_uri)
        for file in self.copied:  # written by now
            file.content_bytes = b""
        self.copied = []
        if (length := self.deferred.pop(page.file.src_uri, None)) is not None:
            source = self.pages.peek(page.file.src_uri)
            page.content = source[len(source) - length:] if length else ""
        return context

    def on_template_context(self, context: dict, template_name: str, config: Any) -> dict:
        """The sitemap lists the pages in the order of the docs folder, not the order
        they are rendered in."""
        if template_name == "sitemap.xml" and self.pages is not None:
            context["pages"] = sorted(context["pages"], key=lambda f: (
                (0, walk_order(f.src_uri, self.rank)) if f.src_uri in self.pages else (1,)))
        return context

    def on_post_template(self, output: str, template_name: str, config: Any) -> str:
        return compat.valid_toggles(unmark(output))  # 404.html

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        src = page.file.src_uri
        text = self.pages.take(src) if self.pages is not None else ""
        if src in self.cached:  # the cache keeps what it answered with
            output = self.cached.pop(src)
        else:
            output = self._render(output, page)
            if self.cache is not None and src in self.pages:
                self.cache.keep(src, text, output)
        if self.callback is not None:
            self.callback(page.url, output)
        if self.release:
            page.content = page.markdown = None
            page.file.content_string = ""
        if src in self.write_later:
            self.unwritten.append((page.file.abs_dest_path, output))
            return ""  # MkDocs writes no file for an empty page
        return output

    def _render(self, output: str, page: Any) -> str:
        """The page as written. A paper page is slimmed with the markers of its own
        parts still in: they keep the seams where slimming a framed page's parts alone
        (digest.render.frames) finds them."""
        folder = frame_folder(page) if self.reuse_frames else None
        src = page.file.src_uri
        if folder is not None and src in self.stamped:
            self.stamped.discard(src)
            whole = self.stamps[folder].fill(self.slimmer.page(page.url, output))
            if whole is None:
                raise RuntimeError(f"{src}: {STAMP_TEMPLATE} left a part out")
            return whole
        if folder is not None and folder in self.frames:
            output = reuse_header(output, self.frames[folder])
        elif folder is not None:
            self.frames[folder] = frame_parts(output)
        if folder is None or src not in self.rank:
            return self.slimmer.page(page.url, compat.valid_toggles(unmark(output)))
        finished = self.slimmer.page(page.url, compat.valid_toggles(unmark_frame(output)))
        if folder not in self.stamps:
            self.stamps[folder] = Frame.of(finished)
        elif folder not in self.checked:
            self.checked.add(folder)
            self.stamps[folder] = _same_frame(self.stamps[folder], finished)
        return unmark(finished)


def _same_frame(frame: Frame | None, html: str) -> Frame | None:
    """``frame`` (the folder's first paper page's) if the second page, rendered whole as
    ``html``, has the same frame: a project's template that shows something of the page
    outside its parts (theme/main.html) gives a frame that differs, and every page of
    the folder is then rendered whole."""
    return frame if frame is not None and Frame.of(html) == frame else None


def mkdocs_config(config: SiteConfig, plan: SitePlan, site_dir: Path,
                  options: RenderOptions) -> Any:
    """The MkDocs configuration of a build of ``plan`` into ``site_dir``, with digest's
    plugin (``config.plugins["digest-on-page"]``, see DigestPlugin); `digest serve`
    renders single pages with it too."""
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin

    source, settings = project_settings(config.root)
    ours = mkdocs_options(config, plan)
    ours["theme"] = {**settings["theme"], **ours["theme"]}  # type: ignore[dict-item]
    mkdocs_config = load_config(
        config_file=str(source),
        config_file_path=str(config.root / PROJECT_FILE),
        **{**settings, **ours, "site_dir": str(site_dir), "strict": options.strict},
    )
    compat.layer_theme(mkdocs_config, theme_layers(mkdocs_config.theme.custom_dir))
    plugin = type("DigestOnPage", (DigestPlugin, BasePlugin), {})(
        Slimmer(), options.on_page, options.pages, plan.paper_order, options.cache,
        options.write_later, site_files(config), options.reuse_frames)
    mkdocs_config.plugins["digest-on-page"] = plugin
    return mkdocs_config


def _template_path(filename: str, root: Path) -> str:
    """A template's path relative to the project when it is one of the project's."""
    path = Path(filename)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return filename


def render(config: SiteConfig, plan: SitePlan, site_dir: Path,
           options: RenderOptions | None = None) -> None:
    """Run a MkDocs build of ``plan`` into ``site_dir``, as ``options`` say.

    Pages are slimmed (digest.render.slim) on the way; the icon sprite they refer to is
    written last. MkDocs' and Jinja's errors come out as a DigestError naming the
    file to fix.
    """
    from mkdocs import exceptions
    from mkdocs.commands.build import build

    options = options or RenderOptions()
    collect = _Collect()
    logger = logging.getLogger(compat.RENDERER)
    logger.addHandler(collect)
    try:
        with source_date(plan.newest):
            built = mkdocs_config(config, plan, site_dir, options)
            build(built)
            slimmer = built.plugins["digest-on-page"].slimmer
            slimmer.write_sprite(site_dir)
            if options.cache is not None:
                options.cache.keep_icons(slimmer.icons)
    except (exceptions.MkDocsException, exceptions.ConfigurationError) as exc:
        problems = [Problem("mkdocs.yml", None, "mkdocs", m) for m in collect.messages]
        raise DigestError(f"MkDocs could not render the site: {exc}", problems) from None
    except jinja2.TemplateSyntaxError as exc:  # a theme override contributors edit
        where = _template_path(exc.filename, config.root) if exc.filename else exc.name
        raise DigestError("a theme template could not be read", [Problem(
            where or "theme/", exc.lineno, "template",
            f"{exc.message}; fix the Jinja syntax on that line")]) from None
    except jinja2.TemplateError as exc:
        raise DigestError("a theme template could not be rendered", [Problem(
            "theme/", None, "template", f"{exc}; check the theme overrides in theme/")]) from None
    finally:
        logger.removeHandler(collect)
