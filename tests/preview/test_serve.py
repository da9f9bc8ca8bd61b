"""`digest serve`: a contributor saves a file and the running preview shows the change.

One preview runs for the whole module on a copy of the shipped project; every test
changes its own paper, and reads the result over HTTP from the server.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.conftest import copy_project
from tests.support.serving import BASE, ENTRY, Running, serving

pytestmark = pytest.mark.slow

TOPIC = BASE + "topics/representation-learning/"
NOTICE = "search is catching up with your last save"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with serving(copy_project(tmp_path_factory.mktemp("serve") / "project")) as running:
        yield running


def test_first_start_serves_every_page_and_the_search_index(preview: Running) -> None:
    preview.shows(BASE + "papers/random-teachers-are-good-teachers/",
                  "Random Teachers are Good Teachers")
    assert preview.indexed() == 51
    assert NOTICE not in preview.get(BASE)[1]
    assert len(preview.export()) == 51
    assert preview.get(BASE + "papers.json")[0] == 404


def test_an_edited_paper_shows_on_its_page_and_its_listings(preview: Running) -> None:
    paper = preview.paper("random-teachers-are-good-teachers")
    paper.write_text(paper.read_text().replace("title: Random Teachers are Good Teachers",
                                               "title: Random Teachers are Great Teachers"))
    page = BASE + "papers/random-teachers-are-good-teachers/"
    preview.shows(page, "Random Teachers are Great Teachers")
    for listing in (TOPIC, BASE + "editions/2026-03-11/", BASE + "tags/random-teacher/",
                    BASE):
        body = preview.shows(listing, "Random Teachers are Great Teachers")
        assert "Random Teachers are Good Teachers" not in body
    preview.said("does not match the title; rename the file to "
                 "random-teachers-are-great-teachers.md")


NEW = """---
title: Previewing Ten Thousand Papers in Two Seconds
date: 2026-03-12
topics: [representation-learning]
tags: [incremental rendering]
---

We render only what changed, and the preview keeps up with every save.
"""


def test_an_added_paper_gets_a_page_and_joins_every_listing(preview: Running) -> None:
    preview.paper("previewing-ten-thousand-papers-in-two-seconds").write_text(NEW)
    title = "Previewing Ten Thousand Papers in Two Seconds"
    preview.shows(BASE + "papers/previewing-ten-thousand-papers-in-two-seconds/", title)
    preview.shows(TOPIC, title)
    preview.shows(BASE + "editions/2026-03-12/", title)
    preview.shows(BASE + "tags/", "incremental rendering")  # the index names the new tag
    preview.shows(BASE + "tags/incremental-rendering/", title)
    home = preview.shows(BASE, title)
    assert "12 March 2026" in home  # the latest edition is the new one
    preview.shows(BASE + "editions/", "12 March 2026")


def test_the_search_index_catches_up_and_the_notice_goes(preview: Running) -> None:
    preview.paper("search-catches-up").write_text(
        NEW.replace("Previewing Ten Thousand Papers in Two Seconds", "Search Catches Up"))
    page = preview.shows(BASE + "papers/search-catches-up/", "Search Catches Up")
    count = len(list((preview.project / "content" / "papers").glob("*.md")))
    if preview.indexed() != count:  # the page came before its index
        assert NOTICE in page
    preview.wait_for(ENTRY, lambda s, b: s == 200 and
                     json.loads(b)["languages"]["en"]["page_count"] == count,
                     f"the search index did not reach {count} pages")
    preview.lacks(BASE + "papers/search-catches-up/", NOTICE)
    assert preview.get(BASE + "__preview/search-status")[1] == "ready"


def test_the_data_export_catches_up_with_a_save(preview: Running) -> None:
    """papers.json.gz, rewritten in the background as the search index is."""
    preview.paper("exported-in-the-background").write_text(
        NEW.replace("Previewing Ten Thousand Papers in Two Seconds",
                    "Exported in the Background"))
    deadline = time.monotonic() + 60
    while "exported-in-the-background" not in preview.export():
        assert time.monotonic() < deadline, f"papers.json.gz did not catch up:\n{preview.output}"
        time.sleep(0.2)


def test_a_deleted_paper_disappears_from_its_page_and_the_listings(preview: Running) -> None:
    path = preview.paper("need-is-all-you-need-homeostatic-neural-networks-adapt-to-concept-shift")
    page = BASE + "papers/" + path.stem + "/"
    preview.shows(TOPIC, path.stem)
    path.unlink()
    preview.wait_for(page, lambda s, b: s == 404, "the deleted paper's page did not go")
    preview.lacks(TOPIC, path.stem)
    # Its own tag's page goes with it, and the tags index no longer names the tag.
    preview.wait_for(BASE + "tags/homeostatic-design/", lambda s, b: s == 404,
                     "the page of a tag no paper has any more did not go")
    preview.lacks(BASE + "tags/", "homeostatic design")


def test_an_invalid_file_prints_the_problem_and_keeps_the_last_good_page(
        preview: Running) -> None:
    path = preview.paper("all-you-need-is-sex-for-diversity")
    page = BASE + "papers/all-you-need-is-sex-for-diversity/"
    good = path.read_text()
    path.write_text(good.replace("date: 2026-03-11", "date: 2026-13-45"))
    preview.said("content/papers/all-you-need-is-sex-for-diversity.md:3: date: '2026-13-45' "
                 "is not a real calendar date")
    preview.said("all-you-need-is-sex-for-diversity.md: the preview shows its last good version")
    preview.shows(page, "All You Need Is Sex for Diversity")
    path.write_text(good.replace("title: All You Need Is Sex for Diversity",
                                 "title: All You Need Is Sex for Diversity (fixed)"))
    preview.shows(page, "(fixed)")


def test_a_new_topic_description_shows_on_the_topic_and_home_pages(preview: Running) -> None:
    topics = preview.project / "site_config" / "topics.yml"
    text = topics.read_text()
    described = text.index("description: >-", text.index("slug: representation-learning"))
    lines = text[described:].split("\n")
    rest = 1
    while lines[rest].startswith("      "):  # the folded description's lines
        rest += 1
    marker = "Edited in the preview, shown within seconds."

    def with_description(extra: str = "") -> str:
        return (text[:described] + f"description: {marker}\n" + extra
                + "\n".join(lines[rest:]))

    # An unknown setting is an error: the preview keeps the last good topics and says so.
    topics.write_text(with_description("    descripton: typo\n"))
    preview.said("descripton: unknown setting")
    assert marker not in preview.get(TOPIC)[1]
    topics.write_text(with_description())
    preview.shows(TOPIC, marker)
    preview.shows(BASE, marker)
    preview.shows(BASE + "topics/", marker)


def test_a_renamed_topic_is_renamed_in_the_navigation_and_every_page(preview: Running) -> None:
    topics = preview.project / "site_config" / "topics.yml"
    text = topics.read_text()
    old, new = "Representation learning and network design", "Learned representations"
    topics.write_text(text.replace(f"title: {old}", f"title: {new}", 1))
    preview.said("the navigation changed")
    for page in (BASE + "papers/random-teachers-are-good-teachers/", BASE + "topics/", TOPIC,
                 BASE):
        body = preview.shows(page, new)
        assert old not in body
