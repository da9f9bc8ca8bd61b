"""The auto-tagger: topics from the curated taxonomy, tags from the paper itself."""

from __future__ import annotations

import re

from digest.config import load_config
from digest.enrich import keywords
from digest.enrich.tagger import suggest_tags, suggest_topics, topic_scores
from digest.model import Topic
from tests.conftest import PROJECT, REPO

TOPICS = load_config(PROJECT).topics


def test_title_words_pick_the_topic() -> None:
    topics = suggest_topics("Autoformer: Decomposition Transformers for Long-Term Series "
                            "Forecasting", "We forecast time series with attention.", TOPICS)
    assert topics[0] == "time-series"


def test_at_most_three_topics_best_first() -> None:
    topics = suggest_topics(
        "Diffusion models for reinforcement learning from human feedback with time series",
        "Diffusion, RLHF, DPO, policy, exploration, forecasting, image generation, planets.",
        TOPICS)
    assert 1 <= len(topics) <= 3


def test_paper_matching_nothing_lands_in_other() -> None:
    assert suggest_topics("On the mating habits of garden snails",
                          "Snails were watched for a summer.", TOPICS) == ("other",)


def test_tags_are_defined_acronyms_and_repeated_phrases() -> None:
    abstract = ("We propose weakly-supervised self-consistency learning (WSCL). WSCL learns "
                "multi-source consistency. Multi-source consistency helps; the model's "
                "exploratory capabilities matter.")
    tags = suggest_tags("Weakly-Supervised Self-Consistency Learning", abstract)
    assert tags[0] == "WSCL"
    assert "multi-source consistency" in tags
    assert not any(t.startswith("model's") for t in tags)


def test_generic_acronyms_are_not_tags() -> None:
    assert "LLMs" not in suggest_tags("A title", "Large language models (LLMs) are large.")


def test_tags_are_whole_phrases() -> None:
    """Not windows cut out of a longer phrase ("carlo tree search", "artificial neural"),
    nor a phrase ending in an adjective before a generic noun, a verb or an adverb."""
    abstract = ("Monte Carlo tree search guides the policy. We scale Monte Carlo tree search "
                "to long horizons. Artificial neural networks adapt; an artificial neural "
                "network keeps its balance. Conditional image generative models trade "
                "realism for diversity; we test conditional image generative models. "
                "Explanations remain valid, and explanations remain valid. Worlds are highly "
                "stochastic; highly stochastic worlds.")
    tags = suggest_tags("A title", abstract, limit=10)
    assert "monte carlo tree search" in tags
    assert "conditional image generative models" in tags
    assert "artificial neural networks" in tags  # counted with "artificial neural network"
    for piece in ("carlo tree search", "artificial neural", "neural network",
                  "neural networks", "conditional image generative", "image generative",
                  "remain valid", "explanations remain", "highly stochastic"):
        assert piece not in tags


def _texts() -> list[str]:
    """Abstracts and titles of every shipped and hostile paper, and text written to
    trip a shortcut: "+" inside words, characters that match an ASCII letter when case
    is ignored (dotless i, long s, the Kelvin sign) or fold to ASCII ("ß", "ﬁ")."""
    texts = [p.read_bytes().decode("utf-8", "replace")
             for folder in (PROJECT / "content/papers", REPO / "tests/hostile")
             for p in sorted(folder.glob("*"))]
    texts += ["C++ reasoning; a+reasoning c++ x+reward+models", "ſelf-play reaſoning",
              "Kelvin agent ınference İmage", "Straße diffusion-models, ﬁne-tuning GAN gan",
              "μ-reasoning Σ³ policy ²reward x²preference models", "RL rl Rl MDPs mdp MDP",
              "reinforcement  learning\nreinforcement\tlearning REINFORCEMENT LEARNING",
              "diffusion_model time_series self_play", "tree searching; search tree",
              "mathematıcal reasoning is not mathematical", "self-aßembly", "", "-", "reason",
              "naïve Bayes; Schrödinger's C++ code", "aΐb ϊons"]
    return texts + [t[:120] for t in texts]


def test_topic_scores_are_what_the_keyword_patterns_find() -> None:
    """The scorer's shortcuts (keywords filed by word, substring probes on plain text)
    give exactly the scores of trying every keyword on every text: its words (a text
    without them is not tried), then its pattern."""
    def found(keyword: str, text: str) -> bool:
        words = set(re.findall(r"\w+", text.casefold()))
        needed, stem = keywords.required(keyword)
        return (needed <= words and (stem is None or any(w.startswith(stem) for w in words))
                and keywords.pattern(keyword).search(text) is not None)

    def by_patterns(title: str, abstract: str) -> dict[str, int]:
        t, a = keywords.normalize(title), keywords.normalize(abstract)
        return {topic.slug: sum(3 * found(k, t) + found(k, a) for k in topic.keywords)
                for topic in topics}

    # Keywords that are not plain ASCII words go the slow way: they take part too.
    topics = (*TOPICS, Topic("extra", "Extra", "", ("naïve bayes", "schrödinger*", "C++",
                                                    "aΐb", "ϊon*")))
    texts = _texts()
    for title, abstract in zip(texts, [*texts[1:], texts[0]], strict=True):
        assert topic_scores(title, abstract, topics) == by_patterns(title, abstract), title
