"""The public pages in a real browser: they render, read in order, and look finished."""

from __future__ import annotations

from tests.servers import LiveServer


def test_home_page_shows_claims_fact_checks_and_outcomes(page, live_server: LiveServer, screenshot) -> None:
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Latest fact-checks").is_visible()
    assert page.get_by_role("heading", name="What happened next").is_visible()
    assert page.locator("link[type='application/atom+xml']").count() == 1
    assert screenshot("home").stat().st_size > 10_000
    page.set_viewport_size({"width": 390, "height": 844})
    assert screenshot("home-phone").stat().st_size > 10_000


def test_claim_page_shows_verdict_timeline_and_related_statements(page, live_server: LiveServer, screenshot) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="A deal to end the fighting is really close.").first.click()
    assert "A deal to end the fighting is really close." in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("heading", name="History of this claim").is_visible()
    assert page.locator(".timeline .event").count() >= 3
    assert page.get_by_text("Contradicts", exact=True).is_visible()
    assert page.locator("script[type='application/ld+json']").count() == 1
    assert "points the other way" not in page.content(), "the draft update stays private"
    assert screenshot("claim").stat().st_size > 10_000


def test_speaker_page_shows_the_track_record_chart(page, live_server: LiveServer, screenshot) -> None:
    page.goto(live_server.url + "/speakers/keith-kellogg")
    assert page.get_by_role("heading", level=1).inner_text() == "Keith Kellogg"
    chart = page.get_by_role("img", name="Track record of Keith Kellogg")
    assert chart.is_visible()
    assert "too few to judge" in page.locator(".record-summary").inner_text()
    assert screenshot("speaker").stat().st_size > 10_000


def test_search_finds_a_misspelt_speaker(page, live_server: LiveServer, screenshot) -> None:
    page.goto(live_server.url + "/search")
    page.get_by_label("Speaker").fill("Kelog")
    page.get_by_role("button", name="Search", exact=True).last.click()
    assert page.locator(".speaker-matches").inner_text().count("Keith Kellogg") == 1
    assert page.locator(".results .claim-card").count() == 3
    assert screenshot("search").stat().st_size > 10_000
