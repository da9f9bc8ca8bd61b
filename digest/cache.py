"""A cache of the last build, so that a rebuild renders only the pages that changed.

MkDocs renders each page from its generated text, the nav, the settings and the
theme, and nothing else: the same inputs give the same HTML. The cache keeps every
page's final HTML under a key made of those inputs (``BuildCache.page_key``), and the
Pagefind bundle under a key made of every page the index was given. A rebuild looks
a page up before MkDocs renders it, so unchanged pages skip Material's template and
the slimming; the search index is reused only when no indexed page changed (Pagefind
cannot add to an index, so one new paper means a new index).

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


def settings_key(root: Path, options: dict[str, object]) -> str:
    """What every page's HTML depends on besides its own text: digest's code and
    templates, the versions of MkDocs, Material and Pagefind, mkdocs.yml, the theme
    overrides, site_config/ and the MkDocs options (nav, site name...)."""
    package = Path(__file__).resolve().parent
    versions = [f"{name}=={importlib.metadata.version(name)}".encode() for name in _PACKAGES]
    project = [root / "mkdocs.yml", root / "theme", root / "site_config"]
    return _hash(str(FORMAT).encode(), *versions, *_files([package], package.parent),
                 *_files([p for p in project if p.exists()], root),
                 json.dumps(options, sort_keys=True, default=str).encode())


class BuildCache:
    """The pages and search index of the previous build, and those of this one.

    ``lookup`` answers from the previous build; ``keep`` records what this build
    made; ``save`` replaces the folder with this build's entries only, so the cache
    never grows past one site.
    """

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self.note = ""  # why the previous cache could not be used, if it could not
        self.hits = 0
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

    @staticmethod
    def page_key(key: str, src: str, text: str) -> str:
        return _hash(key.encode(), src.encode(), text.encode("utf-8"))

    def lookup(self, src: str, text: str) -> str | None:
        """The HTML the previous build made of page ``src`` from ``text``, if any."""
        page_key = self.page_key(self.key, src, text)
        entry = self._index.get(page_key)
        if entry is None or self._pack is None:
            return None
        offset, length, checksum = entry
        data = self._pack[offset:offset + length]
        if len(data) != length or _hash(data) != checksum:
            return None  # a damaged pack: render the page
        return data.decode("utf-8")

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
        self._append(self.page_key(self.key, src, text), html.encode("utf-8"))

    def keep_icons(self, icons: dict[str, tuple[str, str]]) -> None:
        self._new_icons = dict(icons)

    def bundle_key(self, pages_digest: str) -> str:
        return _hash(self.key.encode(), pages_digest.encode())

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
