"""The generated pages' texts as one render holds them, and the rule for letting go."""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class PageStore:
    """The texts of the generated pages by source path (``papers/x.md``), owned by the
    renderer: MkDocs takes them from here instead of reading ``docs_dir``.

    With ``consume_once``, :meth:`take` hands a text over once and the store drops it,
    so a build of 50,000 papers holds one copy of its pages, shrinking as they are
    written, rather than keeping every text to the end. Without it (``digest serve``,
    which renders pages again) the store keeps every text.
    The store copies the mapping it is given: the caller's own dict is never changed,
    and the caller lets go of it for the texts to be freed.
    """

    def __init__(self, texts: Mapping[str, str], consume_once: bool = False) -> None:
        self._texts = dict(texts)
        self._sources = frozenset(self._texts)
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
