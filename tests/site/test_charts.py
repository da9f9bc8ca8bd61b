"""Home and topic pages carry a small SVG bar chart of papers per topic and per edition."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from digest.build import build_site

from tests.support.browser import Served, browser, served  # noqa: F401
from tests.conftest import copy_project, write_paper


def charts_of(page: str) -> dict[str, str]:
    """Each chart's figure HTML by its caption."""
    figures = re.findall(r'<figure class="digest-chart[^"]*">.*?</figure>', page, re.S)
    return {unescape(re.search(r"<figcaption[^>]*>(.*?)</figcaption>", f).group(1)): f
            for f in figures}


def rows_of(figure: str) -> list[tuple[str, int]]:
    """(label, count) of every bar, top to bottom."""
    return [(unescape(label), int(count)) for label, count in re.findall(
        r'class="digest-chart__label"[^>]*>([^<]*)</text>.*?'
        r'class="digest-chart__count"[^>]*>(\d+)</text>', figure, re.S)]


def grid_counts(page: str) -> dict[str, int]:
    """Topic title -> count as the topic cards of the home page print them."""
    return {unescape(title): int(n) for title, n in re.findall(
        r'class="digest-topic-card__title"[^>]*>([^<]*)</a>\s*'
        r'<span class="digest-count">(\d+) papers?</span>', page)}


def test_home_chart_counts_papers_per_topic(site: Path) -> None:
    home = (site / "index.html").read_text("utf-8")
    figure = charts_of(home)["Papers per topic"]
    rows = rows_of(figure)
    assert dict(rows) == grid_counts(home) and len(rows) >= 10
    assert [n for _, n in rows] == sorted((n for _, n in rows), reverse=True)
    assert 'role="img"' in figure and "<script" not in figure
    desc = unescape(re.search(r"<desc[^>]*>(.*?)</desc>", figure).group(1))
    top_label, top_count = rows[0]
    assert desc.startswith(f"{top_label}: {top_count} papers;")
    assert "Papers per edition" not in charts_of(home)  # the shipped digest has one edition


def test_topic_chart_highlights_the_topic_among_all(site: Path) -> None:
    page = (site / "topics" / "time-series" / "index.html").read_text("utf-8")
    figure = charts_of(page)["Papers per topic"]
    current = re.findall(r'digest-chart__row--current">\s*<text[^>]*>([^<]*)<', figure)
    assert current == ["Time series"]
    assert "This topic, Time series, is highlighted." in figure
    count = int(re.search(r'<p class="digest-count">(\d+) papers', page).group(1))
    assert ("Time series", count) in rows_of(figure)


def paper(title: str, date: str, topics: str) -> str:
    return f'---\ntitle: "{title}"\ndate: {date}\ntopics: [{topics}]\n---\n\nAbstract of {title}.\n'


@pytest.fixture(scope="module")
def editions_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("charts") / "project", with_content=False)
    for i, (date, topics) in enumerate([("2026-03-04", "time-series"),
                                        ("2026-03-04", "time-series, vision"),
                                        ("2026-03-11", "time-series"),
                                        ("2026-03-11", "vision"),
                                        ("2026-03-11", "time-series")]):
        write_paper(project, f"forecasting-study-{i}.md",
                    paper(f"Forecasting Study {i}", date, topics))
    return build_site(project).site_dir


def test_several_editions_are_charted_on_home_and_topic_pages(editions_site: Path) -> None:
    home = charts_of((editions_site / "index.html").read_text("utf-8"))
    assert rows_of(home["Papers per edition"]) == [("11 March 2026", 3), ("4 March 2026", 2)]
    assert rows_of(home["Papers per topic"]) == [("Time series", 4), ("Computer vision", 2)]
    topic = charts_of((editions_site / "topics" / "time-series" / "index.html").read_text("utf-8"))
    assert rows_of(topic["Papers per edition in Time series"]) == [("11 March 2026", 2),
                                                                  ("4 March 2026", 2)]


@pytest.mark.browser
def test_bars_are_drawn_to_scale_at_phone_width(served: Served, browser: object) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 375, "height": 800}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(served.url())
        chart = page.locator("figure.digest-chart svg").first
        box = chart.bounding_box()
        assert box["width"] > 300
        bars = chart.locator(".digest-chart__bar")
        counts = [int(t) for t in chart.locator(".digest-chart__count").all_text_contents()]
        widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
        assert widths[0] / widths[-1] == pytest.approx(counts[0] / counts[-1], rel=0.05)
        for i in range(bars.count()):  # each count sits just right of its bar, inside the chart
            text = chart.locator(".digest-chart__count").nth(i).bounding_box()
            bar = bars.nth(i).bounding_box()
            assert bar["x"] + bar["width"] < text["x"] < bar["x"] + bar["width"] + 12
            assert text["x"] + text["width"] <= box["x"] + box["width"]
        fill = page.evaluate("getComputedStyle(document.querySelector('.digest-chart__bar')).fill")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert fill != background and fill not in ("none", "rgb(0, 0, 0)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
