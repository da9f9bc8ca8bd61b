"""The one door to other projects' internals: every private name of MkDocs, Material,
MkDocs' LiveReloadServer or Pagefind's files that digest uses is used here, and only here.

Each function says which version it was checked against and what it relies on;
tests/render/test_compat.py pins each against the installed versions, so an upgrade (or a move
to ProperDocs, the maintained fork of MkDocs 1.6) fails loudly in one place.
MkDocs and Pagefind are imported where they are used: the commands that need neither
(intake, ``--help``) do not load them.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import cbor2

from digest.errors import DigestError

# ----------------------------------------------------------------------------------------
# MkDocs and Material, for rendering (digest.render.renderer)
#
# Checked against MkDocs 1.6.1 and mkdocs-material 9.8.2. Material's own templates are
# relied on through digest/render/theme/: the blocks main.html overrides (header, tabs,
# site_nav, config, scripts), partials/header.html and partials/nav-item.html, copies of
# Material's to keep in step, and the markup of its toggles (valid_toggles).
# ----------------------------------------------------------------------------------------

def _renderer() -> str:
    """Which MkDocs renders: "mkdocs", or "properdocs" where only ProperDocs, MkDocs 1.6's
    maintained fork, is installed (`.ci/properdocs`).

    ProperDocs installs the module ``properdocs`` only; ``properdocs.replacement`` makes
    every ``mkdocs.*`` import, digest's and Material's, load ``properdocs.*``, and, as
    ProperDocs' own command line does, Material's ``mkdocs.*`` loggers become children of
    ``properdocs``, so that their warnings count in strict mode. Checked against
    ProperDocs 1.6.7. Every module that imports MkDocs imports this one first.
    """
    if importlib.util.find_spec("mkdocs") is None and importlib.util.find_spec("properdocs"):
        import properdocs.replacement  # noqa: F401

        logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")
        return "properdocs"
    return "mkdocs"


RENDERER = _renderer()
"""The renderer's module, distribution and logger name."""

MKDOCS_VERSIONS = ("1.6", "1.7")
"""The MkDocs (or ProperDocs, which keeps its version numbers) releases the functions below
were checked against: from the first, below the second."""
MATERIAL_VERSIONS = ("9.7", "10")
"""The mkdocs-material releases theme/ was checked against: from the first, below the second."""


def build_theme_template(name: str, env: Any, files: Any, config: Any, nav: Any) -> None:
    """Render and write one of the theme's static templates (sitemap.xml, 404.html) as
    MkDocs' build does, at a time digest chooses rather than before the pages.

    Relies on the private ``mkdocs.commands.build._build_theme_template(template_name,
    env, files, config, nav)`` of MkDocs 1.6.1, which runs the template hooks and writes
    the file into ``site_dir``.
    """
    from mkdocs.commands.build import _build_theme_template

    _build_theme_template(name, env, files, config, nav)


def static_templates(config: Any) -> list[str]:
    """The theme's static templates, sorted: MkDocs renders each once per build.

    Relies on ``config.theme.static_templates``, a set in MkDocs 1.6.1's Theme.
    """
    return sorted(config.theme.static_templates)


def layer_theme(config: Any, layers: list[str]) -> None:
    """Look templates and static files up in ``layers`` first, in that order, then in the
    theme's own folders: MkDocs has one ``custom_dir``, digest layers the project's
    overrides over the package's (digest.render.settings).

    Relies on ``config.theme.dirs``, the list MkDocs 1.6.1's Theme builds its Jinja
    loader (``Theme.get_env``) and the build its theme files (``Files.add_files_from_theme``)
    from, both read after the plugins' on_config; set here, right after load_config.
    """
    dirs = config.theme.dirs
    dirs[:] = [*layers, *(d for d in dirs if d not in layers)]


def add_static_template(config: Any, name: str) -> None:
    """Render ``name`` (a file of the theme) as a template, as mkdocs.yml's
    ``theme.static_templates`` would; a plugin's on_config may add one.

    Relies on ``config.theme.static_templates`` being a mutable set (MkDocs 1.6.1).
    """
    config.theme.static_templates.add(name)


def generated_file(config: Any, src: str, content: str | bytes) -> Any:
    """A docs file that lives in memory, not in ``docs_dir``: a page's text, or the
    bytes of a file copied into the site as they are (the data export is gzip).

    Relies on ``File.generated(config, src_uri, *, content)``, new in MkDocs 1.6, which
    takes either and writes bytes unchanged (``File.copy_file``).
    """
    from mkdocs.structure.files import File

    return File.generated(config, src, content=content)


def copied_file(config: Any, src: str, path: Path) -> Any:
    """A file of the project copied into the site as ``src`` (the lab's logo, favicon),
    with ``File.generated`` (MkDocs 1.6) as :func:`generated_file`."""
    from mkdocs.structure.files import File

    return File.generated(config, src, abs_src_path=str(path))


def replace_read_source(page: Any,
                        read_source: Callable[[Any, Callable[[Any], None]], None]) -> None:
    """Make MkDocs read ``page``'s source with ``read_source(config, mkdocs_read)``,
    where ``mkdocs_read(config)`` is MkDocs' own reading (YAML front matter) of the page.

    Relies on MkDocs 1.6.1's ``_populate_page`` calling ``page.read_source(config)``
    after the on_pre_page hook, so a method set on the page object there replaces
    ``Page.read_source`` for that page only.
    """
    own = type(page).read_source.__get__(page)  # MkDocs' own, not an earlier replacement
    page.read_source = lambda config: read_source(config, own)


def replace_render(page: Any, html: str) -> None:
    """Make MkDocs take ``html`` as ``page``'s rendered body: no Markdown, an empty table
    of contents, no anchors for link validation.

    Relies on MkDocs 1.6.1's ``_populate_page`` calling ``page.render(config, files)``
    after the on_page_markdown hook, and on what ``Page.render`` leaves for the build:
    ``content``, ``toc``, and ``present_anchor_ids`` and ``links_to_anchors``, which
    MkDocs' anchor validation reads after every page is rendered.
    """

    def render(config: Any, files: Any) -> None:
        from mkdocs.structure.toc import get_toc

        page.content = html
        page.toc = get_toc([])
        page.present_anchor_ids = set()
        page.links_to_anchors = {}

    page.render = render


# Material's base.html, outside any block, opens <body> with the drawer and search toggles
# as checkboxes with autocomplete="off", which keeps browsers from restoring a toggle
# left checked when the reader comes back to a page; HTML allows the attribute on
# checkboxes nowhere but on their form. The toggles join an empty form that carries it:
# same effect (browsers skip saving state of controls whose form says "off"), valid HTML.
# Where Material changes this markup, the toggles stay as Material wrote them and
# tests/e2e/test_html_valid.py fails.
TOGGLES_FORM = "__md-toggles"
_TOGGLES = re.compile(r'<input class="md-toggle" data-md-toggle="drawer" type="checkbox" '
                      r'id="__drawer" autocomplete="off">(\s*)<input class="md-toggle" '
                      r'data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">')
_VALID_TOGGLES = (f'<form id="{TOGGLES_FORM}" autocomplete="off" hidden></form>\\1'
                  '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
                  f'form="{TOGGLES_FORM}">\\1<input class="md-toggle" data-md-toggle="search" '
                  f'type="checkbox" id="__search" form="{TOGGLES_FORM}">')


def valid_toggles(html: str) -> str:
    """``html`` of a page with Material's toggles made valid HTML, as they behave."""
    return _TOGGLES.sub(_VALID_TOGGLES, html, count=1)


# --- digest serve: LiveReloadServer and single-page builds ---


def serve_url(host: str, port: int, mount_path: str) -> str:
    """The address MkDocs' server announces and gives a build as ``serve_url``.

    Relies on ``mkdocs.livereload._serve_url(host, port, path)`` (mkdocs 1.6.1), which
    also normalizes the mount path to start and end with a slash, as the server does.
    """
    from mkdocs.livereload import _serve_url

    return _serve_url(host, port, mount_path)


def live_reload_server(builder: Callable[[], None], host: str, port: int, root: Path,
                       mount_path: str, notice: Callable[[], bytes | None],
                       routes: Mapping[str, Callable[[], bytes]],
                       before: Callable[[str], None] = lambda path: None) -> Any:
    """MkDocs' LiveReloadServer, with three additions the preview needs.

    ``notice()``, when not None, goes before the last ``</body>`` of every HTML page
    served (after MkDocs' reload script); each path of ``routes`` (mount path included)
    is answered with its function's bytes as uncached plain text; ``before(path)`` is
    called with the path of every other request under the mount path (without it)
    before the request is answered, so that a page can be written first. The server has
    no hook for any of them, so this overrides two private methods of
    ``mkdocs.livereload.LiveReloadServer`` (mkdocs 1.6.1):
    ``_inject_js_into_html(content, epoch)``, which adds the reload script to each HTML
    page, and ``_serve_request(environ, start_response)``, which answers a request
    under the mount path (None: not found); ``before`` is called once the rebuild under
    way (if any) is done, as MkDocs waits before it opens a file, through the server's
    ``mount_path``, ``_epoch_cond``, ``_visible_epoch`` and ``_wanted_epoch``.
    """
    from mkdocs.livereload import LiveReloadServer

    class Server(LiveReloadServer):
        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            content = super()._inject_js_into_html(content, epoch)
            extra = notice()
            if extra is not None:
                end = content.rfind(b"</body>")
                end = len(content) if end < 0 else end
                content = content[:end] + extra + content[end:]
            return content

        def _serve_request(self, environ: dict, start_response: Any) -> Any:
            answer = routes.get(environ["PATH_INFO"])
            if answer is not None:
                start_response("200 OK", [("Content-Type", "text/plain"),
                                          ("Cache-Control", "no-store")])
                return [answer()]
            path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
            if path.startswith(self.mount_path):
                with self._epoch_cond:  # after the rebuild under way, as MkDocs serves
                    self._epoch_cond.wait_for(
                        lambda: self._visible_epoch == self._wanted_epoch)
                before(path[len(self.mount_path):])
            return super()._serve_request(environ, start_response)

    return Server(builder=builder, host=host, port=port, root=str(root), mount_path=mount_path)


def request_rebuild(server: Any) -> None:
    """Ask ``server`` for a rebuild, exactly as its own watcher does on a file change.

    Relies on LiveReloadServer's ``_rebuild_cond`` (a threading.Condition) guarding
    ``_want_rebuild`` (mkdocs 1.6.1): the server has no public way to ask for a build.
    """
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def is_watched(server: Any, path: str) -> bool:
    """Whether ``server.watch(path)`` has been called (and not undone by ``unwatch``).

    Relies on LiveReloadServer's ``_watched_paths`` (mkdocs 1.6.1), a dict keyed by
    absolute path: ``unwatch`` of a path never watched raises, so a caller undoing a
    half-done set of watches needs to know which ones took.
    """
    return path in server._watched_paths


# Material's lunr search: its worker and the lunr language files it loads. Unused while
# Material's search plugin is off (Pagefind searches, theme/assets/search.js), yet copied
# with the theme's static files: 1.2 MB no page loads.
_LUNR_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def without_lunr(files: Any, config: Any) -> Any:
    """``files`` less Material's lunr search files, unless Material's search plugin is on.

    Relies on the folders mkdocs-material 9.x keeps them in (``assets/javascripts/lunr/``
    and ``assets/javascripts/workers/``) and on its search plugin's names in ``plugins``;
    ``Files`` iteration and ``File.src_uri`` are public MkDocs API.
    """
    if any(name in config.plugins for name in ("search", "material/search")):
        return files
    from mkdocs.structure.files import Files

    return Files([f for f in files if not f.src_uri.startswith(_LUNR_FILES)])


def add_generated_page(config: Any, files: Any, src: str, text: str) -> Any:
    """A new page of Markdown ``text`` at ``src``, added to ``files`` as MkDocs' build adds
    one generated by a plugin; returns its Page.

    Relies on ``mkdocs.structure.files.set_exclusions(files, config)`` (mkdocs 1.6.1,
    undocumented), which marks a file included or excluded from ``exclude_docs``,
    ``not_in_nav`` and the draft rules; ``File.generated`` and ``Page`` are public.
    """
    from mkdocs.structure.files import File, set_exclusions
    from mkdocs.structure.pages import Page

    file = File.generated(config, src, content=text)
    set_exclusions([file], config)
    files.append(file)
    return Page(None, file, config)


def render_pages(pages: Iterable[Any], config: Any, files: Any, nav: Any, env: Any) -> None:
    """Render ``pages`` again with the files, navigation and theme environment of an
    earlier full build, and write them to the site: a save re-renders only its pages.

    Relies on ``mkdocs.commands.build._populate_page(page, config, files)`` (read and
    convert the Markdown, run the page's plugin events) and
    ``_build_page(page, config, doc_files, nav, env)`` (render the template and write
    the page), mkdocs 1.6.1: the steps of ``build()`` for one page. Every page is
    populated before any is built, as ``build()`` does, so links between them resolve.
    """
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.files import InclusionLevel

    pages = list(pages)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for page in pages:
        _populate_page(page, config, files)
    for page in pages:
        _build_page(page, config, doc_files, nav, env)


# --- Pagefind's index files ---
#
# A bundle (pagefind/) holds pagefind-entry.json, naming a metadata file per language;
# the metadata, filter, fragment and index files are gzip-compressed. The metadata and
# filter files are a signature followed by CBOR (pagefind 1.5.2, the ``pagefind`` and
# ``pagefind_bin`` packages; checked against what a real index writes). Metadata fields
# by position: 1 the fragments ([hash, words]), 2 the index chunks ([from, to, hash]),
# 3 the filters ([name, hash]); a filter file is [name, [[value, [pages]]]].

PAGEFIND_SIGNATURE = b"pagefind_dcd"
_FRAGMENTS, _CHUNKS, _FILTERS = 1, 2, 3


def read_pagefind_file(path: Path) -> Any:
    """The decoded content of a Pagefind metadata or filter file.

    Relies on Pagefind 1.x's private file format: gzip around PAGEFIND_SIGNATURE
    and one CBOR value. Raises DigestError if the signature or CBOR is wrong, OSError or
    EOFError if the gzip stream is.
    """
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(PAGEFIND_SIGNATURE):
        raise DigestError(f"{path}: not a Pagefind index file")
    try:
        return cbor2.loads(data[len(PAGEFIND_SIGNATURE):])
    except cbor2.CBORDecodeError as exc:
        raise DigestError(f"{path}: {exc}") from None


def write_pagefind_file(folder: Path, prefix: str, suffix: str, obj: object,
                        digits: int) -> str:
    """Write ``obj`` as a Pagefind file named by its content hash; return the name's hash
    part (what the metadata and pagefind-entry.json refer to).

    Relies on Pagefind 1.x's private format (see read_pagefind_file) and its naming:
    ``{prefix}{first digits of the payload's SHA-256}{suffix}``. The gzip header's time is
    zero, so the same content makes the same bytes.
    """
    payload = PAGEFIND_SIGNATURE + cbor2.dumps(obj)
    name = f"{prefix}{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(payload, mtime=0))
    return name.split(".", 1)[-1]


def _languages(bundle: Path) -> dict[str, dict[str, Any]]:
    return json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]


def check_bundle_files(bundle: Path) -> None:
    """Read every file the bundle's entry refers to: each language's metadata, its
    fragments, index chunks and filters (gzip checks each CRC), and its WebAssembly.

    Relies on Pagefind 1.x's layout and metadata fields (see above). Raises OSError,
    ValueError, EOFError, KeyError, IndexError or DigestError on a missing or truncated
    file.
    """
    for language, info in _languages(bundle).items():
        meta = read_pagefind_file(bundle / f"pagefind.{info['hash']}.pf_meta")
        for fragment, _words in meta[_FRAGMENTS]:
            gzip.decompress((bundle / "fragment" / f"{fragment}.pf_fragment").read_bytes())
        for _start, _end, chunk in meta[_CHUNKS]:
            gzip.decompress((bundle / "index" / f"{chunk}.pf_index").read_bytes())
        for _name, filter_hash in meta[_FILTERS]:
            read_pagefind_file(bundle / "filter" / f"{filter_hash}.pf_filter")
        if not (bundle / f"wasm.{info['wasm']}.pagefind").is_file():
            raise FileNotFoundError(f"no wasm file for {language}")


def sort_filter_files(bundle: Path) -> None:
    """Rewrite the bundle's filter files with their values and pages sorted, named by
    their new content hash, and point the metadata and entry files at the new names.

    Relies on Pagefind 1.x's layout, metadata fields and naming (7 hex digits for a
    filter file, 10 for a metadata file, each after ``{language}_``).
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read_pagefind_file(meta_path)
        filters = []
        for name, old_hash in meta[_FILTERS]:
            old = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = read_pagefind_file(old)
            values = sorted([value, sorted(pages)] for value, pages in values)
            old.unlink()
            new_hash = write_pagefind_file(bundle / "filter", f"{language}_", ".pf_filter",
                                           [filter_name, values], 7)
            filters.append([name, new_hash])
        meta[_FILTERS] = sorted(filters)
        meta_path.unlink()
        info["hash"] = write_pagefind_file(bundle, f"pagefind.{language}_", ".pf_meta",
                                           meta, 10)
    entry_path.write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")


def bundle_page_count(bundle: Path) -> int:
    """The pages in the bundle's index, every language, as pagefind-entry.json counts them.

    Relies on the entry's ``languages.*.page_count`` (Pagefind 1.x).
    """
    return sum(int(info["page_count"]) for info in _languages(bundle).values())


def is_index_file(path: str) -> bool:
    """Whether ``path`` (relative to a bundle) is part of the site's index, not one of
    Pagefind's assets (its JavaScript, CSS and WebAssembly, the same for every site).

    Relies on Pagefind 1.x's layout (see above).
    """
    return (path.startswith(("fragment/", "index/", "filter/"))
            or path.endswith((".pf_meta", "pagefind-entry.json")))


class _Stop(Exception):
    """Raised into ``PagefindIndex.__aexit__`` so that it stops without writing."""


async def stop_without_writing(index: Any) -> None:
    """Stop the service of an open ``pagefind.index.PagefindIndex`` without writing.

    The Python API has no such call: its ``__aexit__`` writes the index unless it is
    given an exception, then closes the service (pagefind 1.5.2).
    """
    await index.__aexit__(_Stop, _Stop(), None)
