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


def _normalize(text: str) -> str:
    text = text.replace("-", " ").replace("_", " ")
    return " " + " ".join(re.findall(r"[\w+]+", text)) + " "


@lru_cache(maxsize=1024)
def _pattern(keyword: str) -> re.Pattern[str]:
    prefix = keyword.endswith("*")
    words = _normalize(keyword.rstrip("*")).split()
    body = r"\s".join(re.escape(w) for w in words)
    tail = r"\w*" if prefix else ""
    case = 0 if keyword.rstrip("*").isupper() and len(words) == 1 else re.IGNORECASE
    return re.compile(rf"(?<![\w]){body}{tail}(?![\w])", case)


def topic_scores(title: str, abstract: str, topics: Iterable[Topic]) -> dict[str, int]:
    """Score of each topic for one paper (0 when no keyword matches)."""
    t, a = _normalize(title), _normalize(abstract)
    scores: dict[str, int] = {}
    for topic in topics:
        score = 0
        for keyword in topic.keywords:
            pattern = _pattern(keyword)
            if pattern.search(t):
                score += TITLE_WEIGHT
            if pattern.search(a):
                score += 1
        scores[topic.slug] = score
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
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")


def _phrases(text: str) -> list[str]:
    """Runs of 2-3 content words, split at stopwords and punctuation."""
    found: list[str] = []
    for chunk in re.split(r"[.,;:!?()\[\]\"“”]", text):
        run: list[str] = []
        for word in _WORD.findall(chunk):
            lower = word.lower().strip("'-")
            possessive_start = "'" in lower and not run  # "model's exploratory ..."
            if lower in _STOPWORDS or len(lower) < 3 or lower.isdigit() or possessive_start:
                run = []
                continue
            run.append(lower)
            for n in (2, 3):
                if len(run) >= n:
                    found.append(" ".join(run[-n:]))
    return found


def suggest_tags(title: str, abstract: str, limit: int = MAX_TAGS) -> tuple[str, ...]:
    """A few key phrases: defined acronyms first, then phrases in the title or repeated."""
    tags: list[str] = []
    plain = re.sub(r"[*\\]", "", abstract)
    for acronym in _ACRONYM.findall(plain):
        if acronym not in tags and 2 < len(acronym) <= 12 and acronym not in _GENERIC_ACRONYMS:
            tags.append(acronym)
    counts = Counter(_phrases(plain))
    in_title = set(_phrases(title))
    ranked = sorted(counts, key=lambda p: (-(counts[p] + 2 * (p in in_title)), -len(p), p))
    for phrase in ranked:
        if counts[phrase] + 2 * (phrase in in_title) < 2:
            break
        if any(phrase in t or t in phrase for t in tags):
            continue
        tags.append(phrase)
    return tuple(tags[:limit])
