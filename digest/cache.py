"""A cache of the last build, so that a rebuild makes only the pages that changed.

Two steps make a page, and each is a function of known inputs. Generating a paper's
page reads the paper, its topics, its BibTeX entry, its related papers and its
recency band (digest.generate.SiteModel.fingerprint). MkDocs renders a page from its
generated text, the nav, the settings and the theme. Under the same code, versions
and project files (``project_key``), the cache keeps each paper page's text under its
fingerprint, each page's final HTML under a key of its text and the MkDocs options,
and the Pagefind bundle under a key of every page the index was given. Unchanged
papers skip generation and Material's template; the search index is reused only when
no indexed page changed (Pagefind cannot add to an index, so one new paper means a
new index).

The cache is a folder (``.digest-cache/`` by default, restored in CI by
actions/cache): ``manifest.json`` (format, settings key, each page's place in the
pack, the icons the pages use), ``pages.pack`` (the pages' HTML, one after the other)
and ``bundle/`` (the search index). A cache made by other code, other settings or
other theme files is not used; nor is one whose pages fail their checksums. Either
way the build goes on from scratch, and says why.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import mmap
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

FORMAT = 1
MANIFEST = "manifest.json"
PACK = "pages.pack"
BUNDLE = "bundle"
_PACKAGES = ("mkdocs", "mkdocs-material", "pagefind", "jinja2", "markupsafe")


def _hash(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _files(paths: Iterable[Path], base: Path) -> list[bytes]:
    found: list[bytes] = []
    for top in paths:
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            found += [path.relative_to(base).as_posix().encode(), path.read_bytes()]
    return found


def project_key(root: Path) -> str:
    """What every page depends on besides the papers: digest's code and templates, the
    versions of MkDocs, Material and Pagefind, mkdocs.yml, the theme overrides and
    site_config/."""
    package = Path(__file__).resolve().parent
    versions = [f"{name}=={importlib.metadata.version(name)}".encode() for name in _PACKAGES]
    project = [root / "mkdocs.yml", root / "theme", root / "site_config"]
    return _hash(str(FORMAT).encode(), *versions, *_files([package], package.parent),
                 *_files([p for p in project if p.exists()], root))


class BuildCache:
    """The pages and search index of the previous build, and those of this one.

    ``lookup`` answers from the previous build; ``keep`` records what this build
    made; ``save`` replaces the folder with this build's entries only, so the cache
    never grows past one site.
    """

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self._render_key = key
        self.note = ""  # why the previous cache could not be used, if it could not
        self.hits = 0  # rendered pages taken from the cache
        self.text_hits = 0  # generated paper pages taken from the cache
        self._index: dict[str, list] = {}
        self._icons: dict[str, list[str]] = {}
        self._bundle_key: str | None = None
        self._pack: mmap.mmap | None = None
        self._pack_file = None
        self._new_icons: dict[str, tuple[str, str]] = {}
        self._new_bundle: tuple[str, Path] | None = None
        self._open()
        # This build's pages go straight to a new pack, not into memory.
        folder.parent.mkdir(parents=True, exist_ok=True)
        self._staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        self._out = (self._staging / PACK).open("wb")
        self._written: dict[str, list] = {}
        self._offset = 0

    def _open(self) -> None:
        manifest_path = self.folder / MANIFEST
        if not manifest_path.is_file():
            self.note = f"no build cache in {self.folder} yet"
            return
        try:
            manifest = json.loads(manifest_path.read_text("utf-8"))
            if manifest.get("format") != FORMAT or manifest.get("key") != self.key:
                self.note = ("the build cache was made by other code, settings or theme "
                             "files; rendering every page")
                return
            pack = self.folder / PACK
            self._pack_file = pack.open("rb")
            if pack.stat().st_size:
                self._pack = mmap.mmap(self._pack_file.fileno(), 0, access=mmap.ACCESS_READ)
            self._index = manifest["pages"]
            self._icons = manifest["icons"]
            self._bundle_key = manifest.get("bundle")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.note = f"the build cache in {self.folder} is unreadable ({exc}); ignoring it"
            self.close()
            self._index = {}

    def set_render_options(self, options: dict[str, object]) -> None:
        """The MkDocs options of this build (nav, site name...): rendered pages depend
        on them, generated texts do not."""
        self._render_key = _hash(self.key.encode(),
                                 json.dumps(options, sort_keys=True, default=str).encode())

    def _get(self, entry_key: str) -> str | None:
        entry = self._index.get(entry_key)
        if entry is None or self._pack is None:
            return None
        offset, length, checksum = entry
        data = self._pack[offset:offset + length]
        if len(data) != length or _hash(data) != checksum:
            return None  # a damaged pack: make the page again
        return data.decode("utf-8")

    def _page_key(self, src: str, text: str) -> str:
        return "p" + _hash(self._render_key.encode(), src.encode(), text.encode("utf-8"))

    def _text_key(self, src: str, fingerprint: str) -> str:
        return "t" + _hash(self.key.encode(), src.encode(), fingerprint.encode())

    def text(self, src: str, fingerprint: str) -> str | None:
        """The text the previous build generated for ``src`` from the same inputs."""
        text = self._get(self._text_key(src, fingerprint))
        self.text_hits += text is not None
        return text

    def keep_text(self, src: str, fingerprint: str, text: str) -> None:
        self._append(self._text_key(src, fingerprint), text.encode("utf-8"))

    def lookup(self, src: str, text: str) -> str | None:
        """The HTML the previous build rendered of page ``src`` from ``text``, if any."""
        return self._get(self._page_key(src, text))

    def _append(self, page_key: str, data: bytes) -> None:
        if page_key not in self._written:
            self._out.write(data)
            self._written[page_key] = [self._offset, len(data), _hash(data)]
            self._offset += len(data)

    def icons(self) -> dict[str, tuple[str, str]]:
        """The sprite's icons as the previous build had them (id -> viewBox, markup)."""
        return {k: (v[0], v[1]) for k, v in self._icons.items()}

    def keep(self, src: str, text: str, html: str) -> None:
        """Record the HTML this build made of ``src``."""
        self._append(self._page_key(src, text), html.encode("utf-8"))

    def keep_icons(self, icons: dict[str, tuple[str, str]]) -> None:
        self._new_icons = dict(icons)

    def bundle_key(self, pages_digest: str) -> str:
        return _hash(self._render_key.encode(), pages_digest.encode())

    def bundle(self, pages_digest: str) -> Path | None:
        """The previous search index, if it was made from exactly the same pages."""
        folder = self.folder / BUNDLE
        if self._bundle_key == self.bundle_key(pages_digest) and folder.is_dir():
            return folder
        return None

    def keep_bundle(self, pages_digest: str, bundle: Path) -> None:
        self._new_bundle = (self.bundle_key(pages_digest), bundle)

    def close(self) -> None:
        if self._pack is not None:
            self._pack.close()
            self._pack = None
        if self._pack_file is not None:
            self._pack_file.close()
            self._pack_file = None

    def discard(self) -> None:
        """Forget this build's entries (it failed): the previous cache stays."""
        self._out.close()
        self.close()
        shutil.rmtree(self._staging, ignore_errors=True)

    def save(self) -> None:
        """Make this build's entries the cache (a whole folder, swapped in)."""
        try:
            self._out.close()
            manifest: dict[str, object] = {
                "format": FORMAT, "key": self.key, "pages": self._written,
                "icons": {k: list(v) for k, v in sorted(self._new_icons.items())}}
            if self._new_bundle is not None:
                shutil.copytree(self._new_bundle[1], self._staging / BUNDLE)
                manifest["bundle"] = self._new_bundle[0]
            (self._staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
            self.close()
            old = self.folder.with_name(f".{self.folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            if self.folder.exists():
                self.folder.rename(old)
            self._staging.rename(self.folder)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            self.discard()
            raise
