"""End to end in Chromium: a fact-checker logs and rates a statement, an editor publishes, readers see the verdict."""

from __future__ import annotations

import re

from tests.browser.desk import PASSWORD, log_in, log_out
from tests.servers import LiveServer

STATEMENT = "The sanctions will be lifted within a month of any agreement."


def test_fact_checker_logs_and_rates_editor_publishes_and_the_public_page_shows_the_verdict(
    page, live_server: LiveServer, screenshot
) -> None:
    for email, role in (("checker@example.org", "fact_checker"), ("editor@example.org", "editor")):
        done = live_server.cli("users", "create", email, "--role", role, stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr

    log_in(page, live_server, "checker@example.org")
    screenshot("dashboard")
    page.get_by_role("link", name="Log a statement").first.click()
    page.get_by_label("Words as said").fill(STATEMENT)
    speaker = page.get_by_label("Speaker", exact=True)
    speaker.fill("Peskof")
    suggestion = page.locator("#speaker-suggestions button", has_text="Dmitry Peskov")
    suggestion.wait_for()
    screenshot("speaker-typeahead")
    suggestion.click()
    assert speaker.input_value() == "Dmitry Peskov"
    page.get_by_label("Date said").fill("2025-12-03")
    page.get_by_label("How precise is that date?").select_option("month")
    page.get_by_label("Source address (URL)").fill("https://news.example/kremlin-briefing")
    page.get_by_label("Topics").fill("Ukraine, sanctions")
    page.get_by_role("button", name="Check and log statement").click()
    page.wait_for_load_state()
    if page.get_by_role("heading", name="Before you save").count():
        screenshot("before-you-save")
        page.get_by_role("button", name="Log as a new statement").first.click()
    page.wait_for_url(re.compile(r"/desk/statements/\d+$"))
    statement_id = int(page.url.rsplit("/", 1)[1])
    assert page.get_by_text("Statement logged").is_visible()

    page.get_by_role("link", name="Rate this statement").click()
    page.get_by_role("button", name="Save draft rating").click()
    assert page.locator("#rationale-error").is_visible(), "an empty rationale is refused beside the field"
    screenshot("rating-error")
    page.get_by_label("Verdict").select_option("truth:mostly_false")
    page.get_by_label("Rationale").fill("Officials gave **no timetable** for lifting sanctions.")
    page.get_by_label("Evidence links").fill("https://news.example/no-timetable Briefing transcript")
    page.get_by_role("button", name="Save draft rating").click()
    page.wait_for_url(re.compile(rf"/desk/statements/{statement_id}$"))
    assert page.locator(".rating-draft .verdict", has_text="Mostly false").is_visible()
    assert page.get_by_role("button", name="Publish this rating").count() == 0
    screenshot("draft-rating")
    log_out(page)

    log_in(page, live_server, "editor@example.org")
    page.locator("#waiting ~ ul a", has_text=f"Review the rating on statement #{statement_id}").click()
    page.get_by_role("button", name="Publish this rating").click()
    page.wait_for_url(re.compile(rf"/desk/statements/{statement_id}$"))
    assert page.get_by_text("Published: Mostly false.").is_visible()
    screenshot("published")

    page.goto(f"{live_server.url}/claims/{statement_id}")
    assert page.get_by_text(STATEMENT).is_visible()
    assert page.locator(".verdict", has_text="Mostly false").is_visible()
    assert page.get_by_role("link", name="Dmitry Peskov").first.is_visible()
    assert screenshot("public-claim").stat().st_size > 10_000


def test_admin_adds_a_colleague_on_the_team_page_who_then_logs_in(page, live_server: LiveServer, screenshot) -> None:  # type: ignore[no-untyped-def]
    done = live_server.cli("users", "create", "admin@example.org", "--role", "admin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    log_in(page, live_server, "admin@example.org")
    page.get_by_role("link", name="Team").click()
    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label("Display name").fill("Newcomer")
    page.get_by_label("Role").select_option("editor")
    page.get_by_label("First password").fill("short")
    page.get_by_role("button", name="Add to the team").click()
    assert page.get_by_text("Use at least 10 characters.").is_visible()
    page.get_by_label("First password").fill(PASSWORD)
    page.get_by_role("button", name="Add to the team").click()
    assert page.get_by_text("Added Newcomer (newcomer@example.org).").is_visible()
    assert page.get_by_role("cell", name="newcomer@example.org").is_visible()
    screenshot("team")
    log_out(page)
    log_in(page, live_server, "newcomer@example.org")
    assert page.get_by_role("link", name="Newcomer").is_visible(), "the new editor is logged in"
