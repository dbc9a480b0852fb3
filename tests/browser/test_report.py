"""The report as a reader meets it: opened from disk in Debian's chromium with the network blocked.

Every chart renders (an SVG per chart, no console error), nothing is fetched, hover shows the tooltip,
a click on a diplomatic event opens its source, and the contents link to the figures. Screenshots of
each step go to the test's tmp folder (docs/img/report_*.png were taken from them once)."""

from __future__ import annotations

import pytest

from warehouse_build import query


@pytest.fixture(scope="module")
def report_file(built, tmp_path_factory):
    from pipelines.report import write_report

    return write_report(built / "warehouse" / "kzeu.duckdb", tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture
def offline_report(recorded_page, report_file):
    """The report loaded with every non-file request aborted and recorded."""
    page = recorded_page.page
    attempted: list[str] = []

    def block(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    page.context.route("**/*", block)
    page.goto(report_file.as_uri())
    page.wait_for_selector("body[data-charts-rendered]", timeout=60_000)
    return recorded_page, attempted


def test_every_chart_renders_offline(offline_report):
    recorded, attempted = offline_report
    page = recorded.page
    charts = page.locator("div.chart")
    assert charts.count() >= 10
    assert page.get_attribute("body", "data-charts-rendered") == str(charts.count())
    for i in range(charts.count()):
        chart = charts.nth(i)
        name = chart.get_attribute("id")
        assert chart.get_attribute("data-rendered") == "true", name
        assert chart.locator("svg, canvas").count() >= 1, name
        assert chart.locator("[role='graphics-symbol'], path, rect").count() > 3, f"{name} drew no marks"
    recorded.screenshot("report_top")
    for i in range(charts.count()):
        page.locator("section.figure").nth(i).screenshot(path=str(recorded.folder / f"figure_{i + 1:02d}.png"))
    recorded.screenshot("report_full", full_page=True)
    assert attempted == [], f"the report fetched {attempted}"
    assert recorded.errors == []


def test_hover_shows_the_tooltip(offline_report):
    recorded, attempted = offline_report
    page = recorded.page
    page.locator("#trade-monthly").scroll_into_view_if_needed()
    points = page.locator("#chart-trade-monthly path[role='graphics-symbol']")
    assert points.count() > 20
    points.nth(5).hover(force=True)
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(state="visible", timeout=5_000)
    text = tooltip.inner_text()
    assert "month" in text and "€ bn" in text
    recorded.screenshot("report_tooltip")
    assert attempted == [] and recorded.errors == []


def test_a_diplomatic_event_links_to_its_source(offline_report, built):
    recorded, attempted = offline_report
    page = recorded.page
    sources = {
        url for (url,) in query(built, "SELECT source_url FROM marts.fct_diplomatic_events WHERE origin = 'catalogue'")
    }
    events = page.locator("#chart-diplomatic-timeline .mark-symbol path[role='graphics-symbol']")
    assert events.count() == len(query(built, "SELECT 1 FROM marts.fct_diplomatic_events WHERE origin = 'catalogue'"))
    events.nth(0).scroll_into_view_if_needed()
    events.nth(0).hover(force=True)
    page.locator("#vg-tooltip-element.visible").wait_for(state="visible", timeout=5_000)
    recorded.screenshot("report_event_tooltip")
    assert any(url in page.locator("#vg-tooltip-element").inner_text() for url in sources)
    with page.context.expect_page() as opened:
        events.nth(0).click(force=True)
    opened.value.wait_for_load_state()
    # the source opens in a new tab: its request is the only one, and the blocked network refuses it
    assert len(attempted) == 1 and attempted[0] in sources, attempted


def test_contents_link_to_each_figure(offline_report):
    recorded, _ = offline_report
    page = recorded.page
    links = page.locator("nav a")
    assert links.count() >= 12
    target = links.nth(3).get_attribute("href")
    links.nth(3).click()
    page.wait_for_function(f"location.hash === '{target}'")
    assert page.locator(target).is_visible()
    assert recorded.errors == []
