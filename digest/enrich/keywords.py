"""Where the taxonomy's keywords match a text: exactly what their patterns say, fast.

A keyword is a phrase ("tree search") or a stem ("reason*"), matched as whole words
of the normalized text, case ignored unless it is an acronym ("RL"); its pattern
(:func:`pattern`) is the definition. Trying 150 patterns on every abstract was half
an import's time, so the keywords are filed under a word each needs, a text tries
only those whose word it holds, and on a plain text a substring decides.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from digest.model import Topic

_TOKEN = re.compile(r"[\w+]+")


def normalize(text: str) -> str:
    """The text's words ("-" and "_" split them) between single spaces, and one at each end."""
    text = text.replace("-", " ").replace("_", " ")
    return " " + " ".join(_TOKEN.findall(text)) + " "


def _words_and_case(keyword: str) -> tuple[list[str], bool]:
    """A keyword's normalized words, and whether it matches only as written: a single
    word in capitals ("RL", "MDP*") is an acronym, not the word in any case."""
    words = normalize(keyword.rstrip("*")).split()
    return words, keyword.rstrip("*").isupper() and len(words) == 1


@lru_cache(maxsize=1024)
def pattern(keyword: str) -> re.Pattern[str]:
    """What the keyword means: its words in a row, whole words (the last one a prefix
    when the keyword ends in *), case ignored unless it is an acronym."""
    words, cased = _words_and_case(keyword)
    body = r"\s".join(re.escape(w) for w in words)
    tail = r"\w*" if keyword.endswith("*") else ""
    return re.compile(rf"(?<![\w]){body}{tail}(?![\w])", 0 if cased else re.IGNORECASE)


_WORD_RUN = re.compile(r"\w+")


@lru_cache(maxsize=1024)
def required(keyword: str) -> tuple[frozenset[str], str | None]:
    """What a text must contain for the keyword to match: a cheap test before the regex.

    The pattern is bounded by non-word characters, so each of its whole words is a
    whole word of the normalized text, and the stem of a ``word*`` keyword starts one:
    a text without them cannot match. Returns (whole words, stem or None), casefolded.
    """
    text = keyword.rstrip("*")
    words = _WORD_RUN.findall(normalize(text).casefold())
    if keyword.endswith("*") and words and text[-1:].isalnum():
        return frozenset(words[:-1]), words[-1]
    return frozenset(words), None


def _probe(keyword: str) -> tuple[str | None, bool]:
    """The text whose presence in a plain normalized text decides the pattern, and
    whether to look for it in the text as written (else in the lowercased text).

    A plain text (ASCII, no "+") is its words, each between single spaces, so the
    pattern matches just where " word word " does (" word word" for a ``word*``
    keyword). None when the keyword itself is not plain: then the pattern decides.
    """
    words, cased = _words_and_case(keyword)
    if not words or not all(w.isascii() and "+" not in w for w in words):
        return None, cased
    phrase = " ".join(words) if cased else " ".join(words).lower()
    return f" {phrase}" + ("" if keyword.endswith("*") else " "), cased


@dataclass(frozen=True)
class Keyword:
    """One keyword of one topic, worked out once."""

    slug: str  # the topic it scores for
    needed: frozenset[str]
    stem: str | None
    pattern: re.Pattern[str]
    probe: str | None
    cased: bool


STEM_START = 3  # a stem-only keyword ("reason*") is filed under its first letters


@dataclass(frozen=True)
class KeywordIndex:
    """The taxonomy's keywords, worked out once, each filed under a word (or the start
    of a word) that a text must contain for it, so a text tries only the few it may match.
    """

    slugs: tuple[str, ...]
    by_word: dict[str, list[Keyword]]
    by_start: dict[str, list[Keyword]]  # stem-only keywords under the stem's start
    unfiled: tuple[Keyword, ...]  # too short to file: always tried

    def found(self, text: str) -> list[Keyword]:
        """Each keyword (once) that matches the text."""
        t = normalize(text)
        folded = t.casefold()
        plain = _plain(t)
        # In a plain text, the words are what lies between the spaces.
        words = frozenset(folded.split() if plain else _WORD_RUN.findall(folded))
        candidates = [k for word in self.by_word.keys() & words for k in self.by_word[word]]
        for start in self.by_start.keys() & {word[:STEM_START] for word in words}:
            candidates.extend(self.by_start[start])
        candidates.extend(self.unfiled)
        ordered: list[str] | None = None
        found = []
        for k in candidates:
            if plain and k.probe is not None:
                if k.needed <= words and k.probe in (t if k.cased else folded):
                    found.append(k)
                continue
            ordered = ordered if ordered is not None else sorted(words)
            if _may_match(words, ordered, k.needed, k.stem) and k.pattern.search(t):
                found.append(k)
        return found


_ASCII_ALNUM = re.compile(r"[a-z0-9]", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _inert(char: str) -> bool:
    """Whether a non-ASCII character can take no part in a plain keyword's match.

    Not when ignoring case makes it an ASCII letter (the Kelvin sign is k, dotless i
    is i) or its casefolded form holds ASCII ("ß" folds to "ss"); nor when that form
    is not all word characters, so the words of a casefolded plain text are what lies
    between its spaces.
    """
    folded = char.casefold()
    return (not _ASCII_ALNUM.match(char) and not any(c.isascii() for c in folded)
            and all(c.isalnum() for c in folded))


def _plain(normalized: str) -> bool:
    """Whether a normalized text is plain: its words hold no "+" (which is no word
    character, so a keyword could match from the middle of a word) and only ASCII
    or inert characters, so a keyword's probe finds exactly what its pattern does."""
    return "+" not in normalized and (normalized.isascii() or all(
        _inert(c) for c in set(normalized) if not c.isascii()))


@lru_cache(maxsize=8)
def keyword_index(topics: tuple[Topic, ...]) -> KeywordIndex:
    """The keywords of a taxonomy, filed (once per taxonomy: the call is cached)."""
    by_word: dict[str, list[Keyword]] = {}
    by_start: dict[str, list[Keyword]] = {}
    unfiled: list[Keyword] = []
    for topic in topics:
        for keyword in topic.keywords:
            needed, stem = required(keyword)
            k = Keyword(topic.slug, needed, stem, pattern(keyword), *_probe(keyword))
            if needed:  # filed under its longest word, likely the rarest
                by_word.setdefault(max(needed, key=lambda w: (len(w), w)), []).append(k)
            elif stem is not None and len(stem) >= STEM_START:
                by_start.setdefault(stem[:STEM_START], []).append(k)
            else:
                unfiled.append(k)
    return KeywordIndex(tuple(t.slug for t in topics), by_word, by_start, tuple(unfiled))


def _may_match(words: frozenset[str], ordered: list[str], needed: frozenset[str],
               stem: str | None) -> bool:
    if not needed <= words:
        return False
    if stem is None:
        return True
    at = bisect.bisect_left(ordered, stem)
    return at < len(ordered) and ordered[at].startswith(stem)
