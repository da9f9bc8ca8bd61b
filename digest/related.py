"""Related papers: TF-IDF cosine similarity of titles and abstracts, computed at build time.

Every paper is a vector of sublinear term frequencies (title words count twice) times
smoothed inverse document frequencies, L2-normalised; two papers are as related as the
cosine of their vectors. All pairs at once is one sparse matrix product, which scipy
does in C: at 10,000 papers that takes seconds, where the same sums in pure Python
grow with the square of each word's document frequency and take minutes.

The result is deterministic: papers are numbered in slug order, scores are rounded
before ranking, and equal scores rank by slug.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np
from scipy import sparse

from digest.model import Paper

LIMIT = 5
# Below this cosine two abstracts share little more than generic vocabulary.
MIN_SCORE = 0.05
# Rows of the similarity matrix computed at once: bounds memory to CHUNK x papers floats.
CHUNK = 512
TITLE_WEIGHT = 2
# Words that a few hundred abstracts all use say nothing about what a paper is about.
MAX_DF = 0.5
# Like Lucene's MoreLikeThis, a paper is compared to the others through its heaviest terms
# only: they carry most of its vector's weight, and the product then costs a fraction.
QUERY_TERMS = 25
TOLERANCE = 1e-6

STOP_WORDS = frozenset("""
a about above after again against all also although among an and any are as at be
because been before being below between both but by can could did do does doing down
during each either et etc few for from further had has have having here how however i
if in into is it its itself just may might more most much must no nor not now of off
on once only or other our ours out over own per same several should since so some
such than that the their them then there these they this those through thus to too
under until up upon us use used uses using very via was we well were what when where
whether which while who whom why will with within without would yet you your
""".split())
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """Fold the commonest English plurals, so 'models' matches 'model'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _term(word: str) -> str | None:
    if len(word) < 2 or word in STOP_WORDS or word.isdigit():
        return None
    return _stem(word)


def terms(text: str) -> list[str]:
    """The indexable words of a text: lowercase, no stop words or lone digits, stemmed."""
    return [t for w in _WORD.findall(text.lower()) if (t := _term(w))]


class _Terms(dict):
    """word -> term (None for a stop word), filled on first sight: most words repeat."""

    def __missing__(self, word: str) -> str | None:
        self[word] = term = _term(word)
        return term


def _counts(papers: list[Paper]) -> list[Counter[str]]:
    known = _Terms()
    docs = []
    for paper in papers:
        counts = Counter(map(known.__getitem__, _WORD.findall(paper.abstract.lower())))
        for word in _WORD.findall(paper.title.lower()):
            counts[known[word]] += TITLE_WEIGHT
        counts.pop(None, None)
        docs.append(counts)
    return docs


def _matrix(docs: list[Counter[str]]) -> sparse.csr_matrix:
    """Rows of L2-normalised TF-IDF weights, one per document."""
    n = len(docs)
    df: Counter[str] = Counter()
    for counts in docs:
        df.update(counts.keys())
    limit = max(MAX_DF * n, 2)
    kept = sorted(w for w, d in df.items() if d <= limit)
    column = dict.fromkeys(df, -1) | {w: i for i, w in enumerate(kept)}
    idf = np.log((1 + n) / (1 + np.array([df[w] for w in kept], dtype=np.float64))) + 1
    row = np.repeat(np.arange(n), [len(counts) for counts in docs])
    col = np.fromiter(map(column.__getitem__, chain.from_iterable(docs)), dtype=np.int64,
                      count=row.size)
    tf = np.fromiter(chain.from_iterable(counts.values() for counts in docs),
                     dtype=np.float64, count=row.size)
    keep = col >= 0
    row, col, tf = row[keep], col[keep], tf[keep]
    weight = (1 + np.log(tf)) * idf[col]
    norm = np.sqrt(np.bincount(row, weights=weight * weight, minlength=n))
    weight /= np.where(norm > 0, norm, 1.0)[row]
    matrix = sparse.csr_matrix((weight, (row, col)), shape=(n, len(kept)))
    matrix.sort_indices()
    return matrix


def _query_terms(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row cut to its ``keep`` heaviest terms (ties by term), as MoreLikeThis does."""
    lengths = np.diff(matrix.indptr)
    row = np.repeat(np.arange(matrix.shape[0]), lengths)
    order = np.lexsort((matrix.indices, -matrix.data, row))
    rank = np.arange(order.size) - matrix.indptr[row[order]]
    chosen = np.sort(order[rank < keep])
    weight = matrix.data[chosen]
    norm = np.sqrt(np.bincount(row[chosen], weights=weight * weight,
                               minlength=matrix.shape[0]))
    weight = weight / np.where(norm > 0, norm, 1.0)[row[chosen]]
    return sparse.csr_matrix((weight, (row[chosen], matrix.indices[chosen])),
                             shape=matrix.shape)


def _top(scores: np.ndarray, own: int, limit: int, min_score: float) -> list[int]:
    """Indices of the ``limit`` best scores of at least ``min_score``, ties by index (slug).

    Scores are compared rounded to 1e-6, so sums that differ only in the last bits
    of floating point (their order of addition) still tie and fall back to the slug.
    """
    scores[own] = -1.0
    cut = min_score - TOLERANCE
    if limit < scores.size:
        cut = max(cut, np.partition(scores, scores.size - limit)[scores.size - limit] - TOLERANCE)
    candidates = np.flatnonzero(scores >= cut).tolist()
    ranked = sorted((-round(float(scores[i]), 6), i) for i in candidates)
    return [i for score, i in ranked if -score >= min_score][:limit]


def related_papers(papers: Sequence[Paper], limit: int = LIMIT,
                   min_score: float = MIN_SCORE) -> dict[str, tuple[str, ...]]:
    """For every paper slug, the slugs of up to ``limit`` most similar other papers."""
    ordered = sorted(papers, key=lambda p: p.slug)
    slugs = [p.slug for p in ordered]
    if len(ordered) < 2:
        return {slug: () for slug in slugs}
    matrix = _matrix(_counts(ordered))
    query = _query_terms(matrix, QUERY_TERMS)
    transposed = matrix.T.tocsr()
    related: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ordered), CHUNK):
        block = (query[start:start + CHUNK] @ transposed).toarray()
        for offset, row in enumerate(block):
            own = start + offset
            related[slugs[own]] = tuple(slugs[i] for i in _top(row, own, limit, min_score))
    return related
