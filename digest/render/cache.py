"""A cache of the last build, so that a rebuild makes only the pages that changed.

Two steps make a page, and each is a function of known inputs. Generating a paper's
page reads the paper, its topics, its BibTeX entry, its related papers and its
recency band (digest.site.model.SiteModel.fingerprint). MkDocs renders a page from its
generated text, the nav, the settings and the theme. Under the same code, versions
and project files (``project_key``), the cache keeps each paper page's text under its
fingerprint, each page's final HTML under a key of its text and the MkDocs options,
and the Pagefind bundle under a key of every page the index was given. Unchanged
papers skip generation and Material's template; the search index is reused only when
no indexed page changed (Pagefind cannot add to an index, so one new paper means a
new index).

The cache is a folder (``.digest-cache/`` in CI, restored by actions/cache):
``manifest.json`` names everything else and is replaced last, in one rename, so a
build that fails or stops half-way leaves the previous cache whole. A pack file holds
texts and pages one after the other; a rebuild appends only what is new, and the pack
is written afresh once less than half of it is still in use. Each search index is a
tar file named by its key. A cache made by other code, versions or project files is not
used, nor an entry that fails its checksum: those pages are made again, and the build
says why.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
import tarfile
from collections.abc import Iterable
from pathlib import Path

from digest.render.compat import RENDERER
from digest.util.files import files_under

FORMAT = 2
MANIFEST = "manifest.json"
_PACKAGES = (RENDERER, "mkdocs-material", "pagefind", "jinja2", "markupsafe")


def _hash(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _files(paths: Iterable[Path], base: Path) -> list[bytes]:
    """Each file's name (relative to ``base``) and bytes, bytecode left out."""
    found: list[bytes] = []
    for path in files_under(paths, skip=lambda name: name == "__pycache__"):
        found += [path.relative_to(base).as_posix().encode(), path.read_bytes()]
    return found


def project_key(root: Path) -> str:
    """What every page depends on besides the papers: digest's code and templates, the
    versions of MkDocs, Material and Pagefind, mkdocs.yml, the theme overrides and
    site_config/."""
    package = Path(__file__).resolve().parent.parent  # the whole digest package
    versions = [f"{name}=={importlib.metadata.version(name)}".encode() for name in _PACKAGES]
    project = [root / "mkdocs.yml", root / "theme", root / "site_config"]
    return _hash(str(FORMAT).encode(), *versions, *_files([package], package.parent),
                 *_files([p for p in project if p.exists()], root))


class BuildCache:
    """What the previous build made, and what this one makes.

    ``text``/``lookup`` answer from the previous build (an entry answered with is kept
    for the next); ``keep_text``/``keep`` record this build's new entries (appended to
    the pack at once, not held in memory); ``save`` makes them the cache and forgets
    everything this build did not use, so the cache holds one site. ``discard`` (a
    failed build) leaves the previous cache as it was.
    """

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self._render_key = key
        self.note = ""  # why the previous cache could not be used, if it could not
        self.hits = 0  # rendered pages taken from the cache
        self.text_hits = 0  # generated paper pages and listing entries taken from it
        self._old: dict = {}  # the previous manifest, when usable
        self._entries: dict[str, list] = {}  # this build's: key -> [offset, length, hash]
        self._icons: dict[str, tuple[str, str]] = {}
        self._bundle: dict[str, str] | None = None
        self._made: list[Path] = []  # files this build created, removed by discard()
        folder.mkdir(parents=True, exist_ok=True)
        self._open()

    def _open(self) -> None:
        manifest_path = self.folder / MANIFEST
        if not manifest_path.is_file():
            self.note = f"no build cache in {self.folder} yet"
        else:
            try:
                manifest = json.loads(manifest_path.read_text("utf-8"))
                if manifest.get("format") != FORMAT or manifest.get("key") != self.key:
                    self.note = ("the build cache was made by other code, settings or theme "
                                 "files; making every page")
                elif not (isinstance(manifest.get("pages"), dict)
                          and isinstance(manifest.get("icons"), dict)):
                    raise ValueError("no pages or icons")
                else:
                    self._pack_path = self.folder / manifest["pack"]
                    self._start = self._pack_path.stat().st_size
                    self._out = self._pack_path.open("ab")
                    self._in = self._pack_path.open("rb")
                    self._old = manifest
                    return
            except (OSError, ValueError, KeyError, TypeError) as exc:
                self.note = f"the build cache in {self.folder} is unreadable ({exc}); ignoring it"
        self._new_pack()

    def _new_pack(self) -> None:
        self._pack_path = self.folder / f"pages-{secrets.token_hex(8)}.pack"
        self._start = 0
        self._out = self._pack_path.open("xb")
        self._in = self._pack_path.open("rb")
        self._made.append(self._pack_path)

    def set_render_options(self, options: dict[str, object]) -> None:
        """The MkDocs options of this build (nav, site name...): rendered pages depend
        on them, generated texts do not."""
        self._render_key = _hash(self.key.encode(),
                                 json.dumps(options, sort_keys=True, default=str).encode())

    def _get(self, entry_key: str) -> str | None:
        entry = self._old.get("pages", {}).get(entry_key)
        if entry is None:
            return None
        try:
            offset, length, checksum = entry
            data = os.pread(self._in.fileno(), length, offset)
        except (OSError, ValueError, TypeError):
            return None
        if len(data) != length or _hash(data) != checksum:
            return None  # a damaged pack: make the page again
        self._entries[entry_key] = entry
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

    def keep(self, src: str, text: str, html: str) -> None:
        """Record the HTML this build rendered of ``src``."""
        self._append(self._page_key(src, text), html.encode("utf-8"))

    def _append(self, entry_key: str, data: bytes) -> None:
        if entry_key not in self._entries:
            offset = self._out.tell()
            self._out.write(data)
            self._entries[entry_key] = [offset, len(data), _hash(data)]

    def icons(self) -> dict[str, tuple[str, str]]:
        """The sprite's icons as the previous build had them (id -> viewBox, markup)."""
        return {k: (v[0], v[1]) for k, v in self._old.get("icons", {}).items()}

    def keep_icons(self, icons: dict[str, tuple[str, str]]) -> None:
        self._icons = dict(icons)

    def _bundle_key(self, pages_digest: str) -> str:
        return _hash(self._render_key.encode(), pages_digest.encode())

    def bundle(self, pages_digest: str) -> Path | None:
        """The previous search index (a tar of its bundle folders), if it was made from
        exactly the same pages."""
        old = self._old.get("bundle")
        if old and old.get("key") == self._bundle_key(pages_digest):
            archive = self.folder / old["file"]
            if archive.is_file():
                self._bundle = old
                return archive
        return None

    def keep_bundle(self, pages_digest: str, site: Path, names: list[str]) -> None:
        """This build's search index: the bundle folders ``names`` in ``site``."""
        key = self._bundle_key(pages_digest)
        old = self._old.get("bundle")
        if old and old.get("key") == key and (self.folder / old["file"]).is_file():
            self._bundle = old
            return
        # One file, not thousands: creating and deleting files is what costs here.
        name = f"bundle-{key[:16]}-{secrets.token_hex(4)}.tar"
        self._made.append(self.folder / name)
        with tarfile.open(self.folder / name, "w") as tar:
            for folder in names:
                tar.add(site / folder, arcname=folder)
        self._bundle = {"key": key, "file": name}

    def _close(self) -> None:
        for handle in (getattr(self, "_out", None), getattr(self, "_in", None)):
            if handle is not None and not handle.closed:
                handle.close()

    def discard(self) -> None:
        """Forget this build's entries (it failed): the previous cache stays as it was."""
        self._close()
        if self._pack_path not in self._made:
            with contextlib.suppress(OSError):
                os.truncate(self._pack_path, self._start)
        for path in self._made:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def _compact(self) -> None:
        """Rewrite the pack with the entries in use, when they are under half of it."""
        self._out.flush()
        used = sum(length for _, length, _ in self._entries.values())
        if used * 2 >= self._out.tell():
            return
        old = self._in
        self._new_pack()
        for entry in sorted(self._entries.values()):
            offset, length, _ = entry
            entry[0] = self._out.tell()
            self._out.write(os.pread(old.fileno(), length, offset))
        old.close()

    def save(self) -> None:
        """Make this build's entries the cache; remove what it no longer names."""
        try:
            self._compact()
            self._out.flush()
            os.fsync(self._out.fileno())
            manifest = {"format": FORMAT, "key": self.key, "pack": self._pack_path.name,
                        "pages": self._entries,
                        "icons": {k: list(v) for k, v in sorted(self._icons.items())},
                        "bundle": self._bundle}
            staged = self.folder / f".{MANIFEST}.{secrets.token_hex(4)}"
            self._made.append(staged)
            staged.write_text(json.dumps(manifest), encoding="utf-8")
            os.replace(staged, self.folder / MANIFEST)
        except BaseException:
            self.discard()
            raise
        self._close()
        keep = {MANIFEST, self._pack_path.name, (self._bundle or {}).get("file")}
        for path in self.folder.iterdir():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(
                    missing_ok=True)
