"""The generated pages' texts and the other generated files' bytes as one render holds
them, and the rule for letting go."""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class PageStore:
    """The texts of the generated pages by source path (``papers/x.md``), owned by the
    renderer: MkDocs takes them from here instead of reading ``docs_dir``; and the
    other generated files (feeds, BibTeX files, the data export), as the bytes MkDocs
    copies into the site.

    With ``consume_once``, :meth:`take` hands a text over once and the store drops it,
    so a build of 50,000 papers holds one copy of its pages, shrinking as they are
    written, rather than keeping every text to the end; :meth:`take_file` does the same
    for a file. Without it (``digest serve``, which renders pages again) the store keeps
    every text and file.
    The store copies the mappings it is given: the caller's own dicts are never changed,
    and the caller lets go of them for the texts to be freed.
    """

    def __init__(self, texts: Mapping[str, str], consume_once: bool = False,
                 files: Mapping[str, bytes] | None = None) -> None:
        self._texts = dict(texts)
        self._sources = frozenset(self._texts)
        self._files = dict(files or {})
        self.file_paths = tuple(sorted(self._files))
        """The files' paths in the site, taken or not."""
        self.consume_once = consume_once

    def __contains__(self, src: object) -> bool:
        """Whether ``src`` is one of the pages, taken or not."""
        return src in self._sources

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def peek(self, src: str) -> str:
        """The text of ``src`` without taking it; empty once taken."""
        return self._texts.get(src, "")

    def take(self, src: str) -> str:
        """The text of ``src``, handed over once: with ``consume_once`` the store drops
        it, and later calls (and :meth:`peek`) return an empty text."""
        if self.consume_once:
            return self._texts.pop(src, "")
        return self._texts.get(src, "")

    def take_file(self, path: str) -> bytes:
        """The bytes of the file at ``path``, handed over as :meth:`take` hands a text."""
        if self.consume_once:
            return self._files.pop(path, b"")
        return self._files.get(path, b"")
