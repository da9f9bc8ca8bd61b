"""Synthetic corpora for benchmarks: a project folder with N realistic paper files.

Abstracts (150 to 250 words) come from a word-bigram model of the tests' fixture
abstracts (tests/fixtures/project: not this digest's content/, which a lab replaces),
so word lengths, vocabulary and punctuation look like the real thing;
each paper gets 1 to 3 of T synthetic topics whose keywords it mentions.
Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
from collections import defaultdict
from pathlib import Path

import frontmatter
import yaml

from digest.text.slugs import unique_slug
from digest.text.titles import normalize_title

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "project"  # the settings and papers runs start from
TOPIC_WORDS = [
    "diffusion", "reasoning", "alignment", "robotics", "retrieval", "graphs", "vision",
    "speech", "causality", "optimization", "privacy", "fairness", "compression", "agents",
    "forecasting", "genomics", "chemistry", "astronomy", "theorem proving", "tabular data",
]


def _bigrams() -> tuple[dict[str, list[str]], list[str]]:
    chain: dict[str, list[str]] = defaultdict(list)
    starts: list[str] = []
    for path in sorted((FIXTURE / "content" / "papers").glob("*.md")):
        words = re.sub(r"[\\*]", "", frontmatter.load(path).content).split()
        for a, b in zip(words, words[1:], strict=False):
            chain[a].append(b)
        starts.extend(w for w in words if w[:1].isupper())
    return chain, starts


def _text(rng: random.Random, chain: dict[str, list[str]], starts: list[str], n: int) -> str:
    words = [rng.choice(starts)]
    while len(words) < n:
        nxt = chain.get(words[-1])
        words.append(rng.choice(nxt) if nxt else rng.choice(starts))
    text = " ".join(words).rstrip(",;:")
    return text if text.endswith(".") else text + "."


def machine() -> str:
    """The line every benchmark report starts with: what ran it, and when."""
    return (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; {dt.date.today()}")


def make_project(target: Path, papers: int, topics: int = 15, seed: int = 0) -> Path:
    """Write a project with ``papers`` paper files and ``topics`` topics into ``target``."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "theme", "site_config"):
        src = FIXTURE / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / name)
    rng = random.Random(seed)
    chain, starts = _bigrams()
    names = TOPIC_WORDS[:topics]
    taxonomy = [{"slug": re.sub(r"\W+", "-", t), "title": t.capitalize(),
                 "description": f"Papers about {t}.", "keywords": [t]} for t in names]
    taxonomy.append({"slug": "other", "title": "Other", "description": "Everything else.",
                     "keywords": []})
    (target / "site_config" / "topics.yml").write_text(
        yaml.safe_dump({"topics": taxonomy}, sort_keys=False), encoding="utf-8")
    out = target / "content" / "papers"
    out.mkdir(parents=True)
    start = dt.date(2024, 1, 1)
    taken: set[str] = set()
    titles: set[str] = set()
    for i in range(papers):
        chosen = rng.sample(taxonomy[:-1], rng.randint(1, 3))
        title = _text(rng, chain, starts, rng.randint(6, 12)).rstrip(".")
        while normalize_title(title) in titles:  # one title twice, and no id: an error
            title = _text(rng, chain, starts, rng.randint(6, 12)).rstrip(".")
        titles.add(normalize_title(title))
        body = _text(rng, chain, starts, rng.randint(150, 250))
        body += " We study " + " and ".join(t["keywords"][0] for t in chosen) + "."
        meta = {"title": title, "date": start + dt.timedelta(days=i // 50),
                "topics": [t["slug"] for t in chosen],
                "tags": [f"tag {rng.randint(1, max(papers // 20, 5))}" for _ in range(3)]}
        text = frontmatter.dumps(frontmatter.Post(body, **meta), sort_keys=False)
        slug = unique_slug(title, taken)
        taken.add(slug)
        (out / f"{slug}.md").write_text(text + "\n", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--topics", type=int, default=15)
    args = parser.parse_args()
    make_project(args.target, args.papers, args.topics)
    print(f"wrote {args.papers} papers to {args.target}")


if __name__ == "__main__":
    main()
