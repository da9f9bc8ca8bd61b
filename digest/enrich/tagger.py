"""Suggest topics (from the curated taxonomy) and free-form tags for a paper.

Topics: each keyword phrase found in the title scores 3, in the abstract 1
(once per phrase). A paper gets its best topics, 1 to 3, and lands in the
fallback topic when nothing scores enough, so no paper is ever dropped.

Tags: key phrases the paper itself names: acronyms it defines, and the
multi-word phrases it repeats.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from digest.config import FALLBACK_TOPIC
from digest.enrich.keywords import keyword_index
from digest.model import Topic

TITLE_WEIGHT = 3
MIN_SCORE = 3
RELATIVE_CUTOFF = 0.5
MAX_TOPICS = 3
MAX_TAGS = 4

_STOPWORDS = frozenset("""
a about above across after against all also although among an and any are as at be been
being both but by can could did do does doing each either even ever every for from further
had has have having here how however if in into is it its itself just less many may more most
much must new no nor not novel of off often on once only or other our out over own per
propose proposed rather recent same several should show shows since so some such than that
the their them then there these they this those through thus to too two under until up upon
use used uses using very via was we well were what when where whether which while who whose
why will with within without would yet one first second approach method methods paper work
model models results result based large significantly state art existing able further new
""".split())


def topic_scores(title: str, abstract: str, topics: Iterable[Topic]) -> dict[str, int]:
    """Score of each topic for one paper (0 when no keyword matches)."""
    index = keyword_index(tuple(topics))
    scores = dict.fromkeys(index.slugs, 0)
    for text, weight in ((title, TITLE_WEIGHT), (abstract, 1)):
        for keyword in index.found(text):
            scores[keyword.slug] += weight
    return scores


def suggest_topics(title: str, abstract: str, topics: Iterable[Topic]) -> tuple[str, ...]:
    """1 to 3 topic slugs for a paper, best first; the fallback topic if none fits."""
    scores = topic_scores(title, abstract, topics)
    ranked = sorted((s, slug) for slug, s in scores.items() if s >= MIN_SCORE)
    ranked.sort(key=lambda item: (-item[0], item[1]))
    if not ranked:
        return (FALLBACK_TOPIC,)
    best = ranked[0][0]
    return tuple(slug for score, slug in ranked[:MAX_TOPICS] if score >= best * RELATIVE_CUTOFF)


# Acronyms too common in this field to tell papers apart.
_GENERIC_ACRONYMS = frozenset({"LLM", "LLMs", "LMMs", "RL", "SOTA", "SFT", "AI", "ML", "NLP"})
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9+*-]*[A-Z][A-Za-z0-9+*-]*)\)")
# Too generic for a tag alone or after one word ("generative models"), but the head of a
# longer phrase ("conditional image generative models").
_HEADS = frozenset({"model", "models", "method", "methods"})
# Verbs and prepositions that open or close a clause, not a key phrase ("explanations
# remain valid", "preferences between").
_VERBS = frozenset("""
along around between beyond despite during including toward towards
achieve achieves adapt adapts allow allows enable enables enhance enhances find finds
improve improves learn learns lead leads make makes matter matters outperform outperforms
provide provides remain remains require requires suggest suggests yield yields
""".split())
_GENERIC_PHRASES = frozenset({"data set"})  # keys: last word in the singular
# Nouns that end like an adverb ("highly", "significantly" end a phrase; these do not).
_LY_NOUNS = frozenset({"anomaly", "assembly", "family", "supply", "reply", "monopoly",
                       "butterfly", "italy"})
MAX_PHRASE_WORDS = 4


def _singular(word: str) -> str:
    """The word as the last of a phrase's key: "networks" counts as "network"."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# What a word does to a run of content words.
_CONTENT, _BREAK, _HEAD, _APOSTROPHE = range(4)
_SPLIT = frozenset(".,;:!?()[]\"“”")
_TOKEN_OR_SPLIT = re.compile(r"[A-Za-z][A-Za-z0-9'-]*|[.,;:!?()\[\]\"“”]")


@lru_cache(maxsize=65536)
def _kind(token: str) -> tuple[int, str, str]:
    """(what the token does, its lowercase form, that form's singular), worked out once
    per spelling: punctuation and stopwords end a run, a head noun may close one."""
    if token in _SPLIT:
        return _BREAK, token, token
    lower = token.lower().strip("'-")
    if lower in _HEADS:
        return _HEAD, lower, _singular(lower)
    adverb = lower.endswith("ly") and lower.split("-")[-1] not in _LY_NOUNS
    if (lower in _STOPWORDS or lower in _VERBS or len(lower) < 3 or lower.isdigit()
            or adverb):
        return _BREAK, lower, lower
    return (_APOSTROPHE if "'" in lower else _CONTENT), lower, _singular(lower)


def _phrases(text: str) -> list[tuple[str, str]]:
    """(key, phrase) for runs of 2-4 content words, split at stopwords and punctuation.

    The key is the phrase with its last word in the singular, so "networks" counts as
    "network". A generic head noun ends a run of two or more words it follows
    ("conditional image generative models"), but is no phrase with one word ("generative
    models"). A run does not start with a possessive ("model's exploratory ...").
    """
    found: list[tuple[str, str]] = []
    run: list[str] = []
    for token in _TOKEN_OR_SPLIT.findall(text):
        kind, lower, singular = _kind(token)
        if kind == _HEAD:
            if len(run) >= 2:  # the head closes the last two and three words
                phrase, key = run[-1] + " " + lower, run[-1] + " " + singular
                for word in run[-2:-MAX_PHRASE_WORDS:-1]:
                    phrase, key = word + " " + phrase, word + " " + key
                    found.append((key, phrase))
            run = []
        elif kind == _BREAK or (kind == _APOSTROPHE and not run):
            run = []
        else:
            run.append(lower)
            phrase, key = lower, singular
            for word in run[-2:-MAX_PHRASE_WORDS - 1:-1]:
                phrase, key = word + " " + phrase, word + " " + key
                found.append((key, phrase))
    return found


def _contains(longer: str, shorter: str) -> bool:
    """Whether the words of ``shorter`` appear in ``longer``, in a row."""
    return f" {shorter} " in f" {longer} "


def _overlap(a: str, b: str) -> bool:
    """Whether two phrases are pieces of one ("artificial neural", "neural network"), or
    one holds the other."""
    wa, wb = a.split(), b.split()
    return (_contains(a, b) or _contains(b, a)
            or any(wa[-k:] == wb[:k] or wb[-k:] == wa[:k]
                   for k in range(1, min(len(wa), len(wb)))))


def suggest_tags(title: str, abstract: str, limit: int = MAX_TAGS) -> tuple[str, ...]:
    """A few key phrases: defined acronyms first, then phrases in the title or repeated.

    A phrase gives way to a longer one that contains it and scores as much ("monte
    carlo tree search", not "carlo tree search"), so tags are whole phrases.
    """
    tags: list[str] = []
    plain = re.sub(r"[*\\]", "", abstract)
    for acronym in _ACRONYM.findall(plain):
        if acronym not in tags and 2 < len(acronym) <= 12 and acronym not in _GENERIC_ACRONYMS:
            tags.append(acronym)
    found = _phrases(plain)
    counts = Counter(key for key, _ in found)
    surface = {}
    for key, phrase in found:  # the first spelling of each key
        surface.setdefault(key, phrase)
    in_title = {key for key, _ in _phrases(title)}
    score = {key: counts[key] + 2 * (key in in_title) for key in counts}
    # Only a phrase scoring 2 or more can be chosen or make a shorter one give way.
    strong = [key for key in counts if score[key] >= 2]
    closed = [key for key in strong if key not in _GENERIC_PHRASES
              and not any(len(other) > len(key) and score[other] >= score[key]
                          and _contains(other, key) for other in strong)]
    ranked = sorted(closed, key=lambda k: (-score[k], -len(k), k))
    chosen: list[str] = []
    for key in ranked:
        if any(_overlap(key, c) for c in chosen):
            continue
        if any(key in t or t in key for t in tags):
            continue
        chosen.append(key)
        tags.append(surface[key])
    return tuple(tags[:limit])
