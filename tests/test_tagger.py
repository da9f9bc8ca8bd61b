"""The auto-tagger: topics from the curated taxonomy, tags from the paper itself."""

from __future__ import annotations

from digest.config import load_config
from digest.tagger import suggest_tags, suggest_topics

from .conftest import REPO

TOPICS = load_config(REPO).topics


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
