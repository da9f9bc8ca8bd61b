"""Corpora for benchmarks: a project folder with N paper files.

The default, realistic shape is what a year of daily imports leaves: papers arrive in
daily editions of 50, each with 2 to 12 authors from a shared pool, a unique arXiv id,
arXiv categories, a published date before its edition, Hugging Face upvotes, a code link
for a third of them, 1 to 3 topics of the tests' fixture taxonomy and
2 to 5 tags from a shared vocabulary of about 500, some far more common than others.
The old synthetic shape (``shape="synthetic"``, ``--synthetic``: no authors, ids or
categories, synthetic topics) stays for comparison with earlier figures.

Abstracts (150 to 250 words) and titles come from a word-bigram model of the tests'
fixture abstracts (tests/fixtures/project: not this digest's content/, which a lab
replaces), so word lengths, vocabulary and punctuation look like the real thing.
No two papers share a title. Deterministic for a given seed.
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
REALISTIC, SYNTHETIC = "realistic", "synthetic"
EDITION_SIZE = 50
TAG_VOCABULARY = 500
# The first edition: early enough that 50,000 papers' editions are all in the past.
FIRST_EDITION = dt.date(2022, 1, 1)
FIRST_NAMES = [
    "Ada", "Alan", "Amir", "Ana", "Anil", "Aylin", "Bo", "Camille", "Carlos", "Chen",
    "Chiara", "Daniel", "Dmitri", "Elena", "Emma", "Fatima", "Felix", "Grace", "Hana",
    "Hiroshi", "Ines", "Ivan", "Jakob", "Jia", "Jonas", "Julia", "Kai", "Karim", "Lars",
    "Laura", "Lei", "Lucas", "Maria", "Mateo", "Mei", "Mohammed", "Nadia", "Noah", "Olga",
    "Omar", "Pablo", "Priya", "Qiang", "Rahul", "Rosa", "Sara", "Sofia", "Tariq", "Tomas",
    "Usha", "Victor", "Wei", "Xin", "Yara", "Yuki", "Zanele", "Zhen", "Ming", "Nora", "Ravi",
]
LAST_NAMES = [
    "Abe", "Adeyemi", "Bauer", "Bianchi", "Cohen", "Costa", "Dubois", "Eriksson", "Fischer",
    "Garcia", "Gupta", "Hansen", "Hoffmann", "Ito", "Ivanova", "Jensen", "Kim", "Kowalski",
    "Kumar", "Larsen", "Lee", "Li", "Liu", "Lopez", "Martin", "Meyer", "Moreau", "Nakamura",
    "Nguyen", "Novak", "Okafor", "Olsen", "Park", "Patel", "Petrov", "Quinn", "Rossi",
    "Sato", "Schmidt", "Silva", "Singh", "Smith", "Suzuki", "Tanaka", "Taylor", "Wang",
    "Weber", "Wong", "Wu", "Xu", "Yamamoto", "Yang", "Zhang", "Zhao", "Zhou", "Novikov",
    "Haddad", "Mensah", "Santos", "Ferreira",
]
CATEGORIES = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "cs.RO", "cs.NE", "math.OC",
              "astro-ph.GA", "physics.comp-ph", "q-bio.QM", "eess.SP", "cs.IR", "cs.CR"]


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


def _copy_frame(target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "theme", "site_config"):
        src = FIXTURE / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / name)


def _title(rng: random.Random, chain: dict[str, list[str]], starts: list[str],
           titles: set[str]) -> str:
    """A title no earlier paper has (one title twice, without ids, is an error)."""
    while True:
        title = _text(rng, chain, starts, rng.randint(6, 12)).rstrip(".")
        if normalize_title(title) not in titles:
            titles.add(normalize_title(title))
            return title


def _write(out: Path, taken: set[str], title: str, body: str, meta: dict) -> None:
    text = frontmatter.dumps(frontmatter.Post(body, **meta), sort_keys=False)
    slug = unique_slug(title, taken)
    taken.add(slug)
    (out / f"{slug}.md").write_text(text + "\n", encoding="utf-8")


def _synthetic(out: Path, target: Path, papers: int, topics: int, rng: random.Random,
               chain: dict[str, list[str]], starts: list[str]) -> None:
    """The old shape: one edition per 50 papers but no authors, ids or categories."""
    names = TOPIC_WORDS[:topics]
    taxonomy = [{"slug": re.sub(r"\W+", "-", t), "title": t.capitalize(),
                 "description": f"Papers about {t}.", "keywords": [t]} for t in names]
    taxonomy.append({"slug": "other", "title": "Other", "description": "Everything else.",
                     "keywords": []})
    (target / "site_config" / "topics.yml").write_text(
        yaml.safe_dump({"topics": taxonomy}, sort_keys=False), encoding="utf-8")
    start = dt.date(2024, 1, 1)
    taken: set[str] = set()
    titles: set[str] = set()
    for i in range(papers):
        chosen = rng.sample(taxonomy[:-1], rng.randint(1, 3))
        title = _title(rng, chain, starts, titles)
        body = _text(rng, chain, starts, rng.randint(150, 250))
        body += " We study " + " and ".join(t["keywords"][0] for t in chosen) + "."
        meta = {"title": title, "date": start + dt.timedelta(days=i // 50),
                "topics": [t["slug"] for t in chosen],
                "tags": [f"tag {rng.randint(1, max(papers // 20, 5))}" for _ in range(3)]}
        _write(out, taken, title, body, meta)


def _vocabulary(rng: random.Random, chain: dict[str, list[str]]) -> list[str]:
    """About TAG_VOCABULARY distinct key phrases (one or two words of the abstracts)."""
    words = sorted({w.lower() for w in chain if re.fullmatch(r"[A-Za-z][a-z-]{4,}", w)})
    tags: set[str] = set()
    while len(tags) < TAG_VOCABULARY:
        tags.add(rng.choice(words) if rng.random() < 0.3
                 else f"{rng.choice(words)} {rng.choice(words)}")
    return sorted(tags)


def _author_pool(rng: random.Random, papers: int) -> list[str]:
    """Distinct names, about one for every two papers: authors publish again."""
    pool: set[str] = set()
    size = max(50, papers // 2)
    while len(pool) < size:
        middle = f" {chr(65 + rng.randrange(26))}." if rng.random() < 0.7 else ""
        pool.add(f"{rng.choice(FIRST_NAMES)}{middle} {rng.choice(LAST_NAMES)}")
    return sorted(pool)


def _realistic(out: Path, target: Path, papers: int, rng: random.Random,
               chain: dict[str, list[str]], starts: list[str]) -> None:
    taxonomy = yaml.safe_load((target / "site_config" / "topics.yml").read_text("utf-8"))
    topics = [t for t in taxonomy["topics"] if t["slug"] != "other"]
    vocabulary = _vocabulary(rng, chain)
    # Tags as real ones are used: a few very common, most rare (Zipf-like weights).
    tag_weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    pool = _author_pool(rng, papers)
    taken: set[str] = set()
    titles: set[str] = set()
    per_month: dict[str, int] = defaultdict(int)
    for i in range(papers):
        date = FIRST_EDITION + dt.timedelta(days=i // EDITION_SIZE)
        published = date - dt.timedelta(days=rng.randint(1, 10))
        month = f"{published:%y%m}"
        per_month[month] += 1
        chosen = rng.sample(topics, rng.randint(1, 3))
        tags: list[str] = []
        want = rng.randint(2, 5)
        while len(tags) < want:
            tag = rng.choices(vocabulary, tag_weights)[0]
            if tag not in tags:
                tags.append(tag)
        title = _title(rng, chain, starts, titles)
        body = _text(rng, chain, starts, rng.randint(150, 250))
        keywords = [str(t["keywords"][0]).rstrip("*") for t in chosen]
        body += " We study " + " and ".join(keywords) + "."
        primary = rng.choice(CATEGORIES)
        others = rng.sample([c for c in CATEGORIES if c != primary], rng.randint(0, 2))
        meta: dict[str, object] = {
            "title": title, "date": date,
            "authors": rng.sample(pool, min(len(pool), rng.randint(2, 12))),
            "arxiv": f"{month}.{per_month[month]:05d}",
            "published": published, "categories": [primary, *others],
            "upvotes": min(int(rng.paretovariate(1.1)) - 1, 999),
            "topics": [t["slug"] for t in chosen], "tags": tags}
        if rng.random() < 1 / 3:
            meta["links"] = [f"https://github.com/{rng.choice(LAST_NAMES).lower()}-lab/"
                             f"{meta['arxiv']}"]
        _write(out, taken, title, body, meta)


def make_project(target: Path, papers: int, topics: int = 15, seed: int = 0,
                 shape: str = REALISTIC) -> Path:
    """Write a project with ``papers`` paper files into ``target``: realistic (the shipped
    taxonomy) or synthetic (``topics`` synthetic topics)."""
    _copy_frame(target)
    rng = random.Random(seed)
    chain, starts = _bigrams()
    out = target / "content" / "papers"
    out.mkdir(parents=True)
    if shape == SYNTHETIC:
        _synthetic(out, target, papers, topics, rng, chain, starts)
    elif shape == REALISTIC:
        _realistic(out, target, papers, rng, chain, starts)
    else:
        raise ValueError(f"unknown corpus shape {shape!r}")
    return target


def add_shape_argument(parser: argparse.ArgumentParser) -> None:
    """--synthetic, for the benchmarks' command lines: the old corpus shape."""
    parser.add_argument("--synthetic", dest="shape", action="store_const", const=SYNTHETIC,
                        default=REALISTIC, help="the old synthetic corpus (no authors, ids, "
                        "categories; synthetic topics) instead of the realistic one")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--topics", type=int, default=15,
                        help="synthetic topics (--synthetic only)")
    parser.add_argument("--seed", type=int, default=0)
    add_shape_argument(parser)
    args = parser.parse_args()
    make_project(args.target, args.papers, args.topics, args.seed, args.shape)
    print(f"wrote {args.papers} {args.shape} papers to {args.target}")


if __name__ == "__main__":
    main()
