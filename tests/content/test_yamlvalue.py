"""digest/content/yamlvalue.py writes front-matter values without yaml.dump: the very same text."""

from __future__ import annotations

import random

import frontmatter

from digest.content import yamlvalue
from digest.content.yamlvalue import dumped, yaml_value

from tests.conftest import FIXTURES, REPO, FIXTURE_PAPERS

TRICKY = ["yes", "No", "ON", "off", "null", "Null", "~", "true", "y", "n", "1.5", "1e3",
          "1_000", "0x1F", "0o17", "+1", "-1", ".inf", ".NaN", "2024-01-02", "12:30:00",
          "2024-01-02 10:00", "<<", "=", "a: b", "a:b", "a:", ":a", "a #b", "a#b", "#a",
          "-a", "- a", "-", "?a", "? a", "a ", " a", "a  b", "it's", "'q'", '"q"', "a, b",
          "[x]", "{x}", "a\tb", "a\nb", "a\rb", "é", "Ω...", "Wait...", "...", "---",
          "--- a", "a...", "O'Neil", "Author 12", "3D Gaussian Splatting", "GPT-4o",
          "https://github.com/a/b", "https://x.org/it's?q=1#frag", "http://[::1]:80/",
          "C++: a study", "PFGM++: Unlocking the Potential", "Title: ", "Yes: no",
          "😀", "a 😀", "\u2028", "a\x85b", "\ufeff", "\xa0a", "ſ", "İ", "K", "a\x00",
          "a\x7f", "!tag", "&anchor", "*alias", "|", ">", "%", "@", "`", "a|b", "a>b",
          "a%b", "a@b", "a`b", "a&b", "a*b", "a!b", "a=b", "a~b", "a\\b", "", " ", "'",
          "x" * 3999, "x" * 4001, "word " * 900, "word " * 2100 + "end",
          "a: " + "b" * 5000, "https://x.org/" + "p" * 9990]
ALPHABET = ("aZ09 .:-#,'\"?[]{}&*!|>%@`/+()_~=<\\\t\néΩſİ😀\u2028\x85\xa0…–")


def _file_lines() -> list[str]:
    """Every line (and every part of a line around ": ") of the shipped papers, the
    hostile ones and the recorded fixtures: real titles, names, links and attacks."""
    lines: list[str] = []
    for folder in (REPO / "tests" / "hostile", FIXTURES):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.stat().st_size < 2_000_000:
                text = path.read_bytes().decode("utf-8", "replace")
                for line in text.splitlines()[:2000]:
                    lines.append(line)
                    lines.extend(line.split(": ", 1))
    return lines


def _random_texts(count: int) -> list[str]:
    rng = random.Random(10)
    return [rng.choice(("", "a", "Z9")) + "".join(rng.choice(ALPHABET)
                                               for _ in range(rng.randint(1, 12)))
            for _ in range(count)]


def test_values_are_written_as_yaml_dump_writes_them() -> None:
    texts = TRICKY + _file_lines() + _random_texts(20_000)
    values: list[object] = [*texts, 0, 7, -3, 2**70, True, False, None, 1.5, [], ["a"]]
    values += [[t] for t in texts] + [[t, "b", "https://x.org/a"] for t in texts[::7]]
    values += [[f"Author {i}" for i in range(900)], [t for t in TRICKY if t]]
    for value in values:
        assert yaml_value(value) == dumped(value), repr(value)


def _front_matter_values() -> list[object]:
    """Each value in the front matter of the shipped papers, as the writer gets it."""
    values: list[object] = []
    for path in FIXTURE_PAPERS:
        front = frontmatter.load(path).metadata
        values += [v for k, v in front.items() if k not in ("date", "arxiv", "doi")]
    return values


def test_the_shortcut_answers_for_most_values() -> None:
    """So the test above exercises it: most values of the shipped papers (titles, names,
    links, topics, tags) are written without yaml.dump, and as yaml.dump writes them."""
    values = _front_matter_values()
    for value in values:
        assert yaml_value(value) == dumped(value), repr(value)
    answered = [v for v in values if yamlvalue._fast(v) is not None]
    assert len(answered) > 0.9 * len(values)
