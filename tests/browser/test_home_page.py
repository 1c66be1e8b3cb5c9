from tests.servers import LiveServer


def test_home_page_shows_the_demo_claims_in_a_real_browser(page, live_server: LiveServer, screenshot) -> None:
    page.goto(live_server.url + "/")
    assert page.title().startswith("Latest claims")
    cards = page.locator(".claim-card")
    assert cards.count() >= 5
    assert page.get_by_text("A deal to end the fighting is really close.").is_visible()
    assert page.locator(".verdict", has_text="Half true").count() == 1
    assert screenshot("home").stat().st_size > 10_000
