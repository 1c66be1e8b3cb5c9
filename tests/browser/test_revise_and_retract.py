"""End to end in Chromium: a fact-checker revises a published quote with a public note, an editor retracts
a link between two statements, and the public claim page shows both: the revision with its word diff,
the retraction with its note, and the related statement gone."""

from __future__ import annotations

import re

from tests.browser.desk import PASSWORD, log_in, log_out
from tests.servers import LiveServer

OLD_WORDS = "Only two major issues remain to be resolved."
NEW_WORDS = "Only one major issue remains to be resolved."
REVISION_NOTE = "Quote corrected against the transcript."
RETRACTION_NOTE = "The two remarks were about different proposals."


def _claim_id(page, live_server: LiveServer, words: str) -> int:  # type: ignore[no-untyped-def]
    found = page.request.get(f"{live_server.url}/api/v1/statements", params={"q": words}).json()
    [item] = [i for i in found["items"] if i["text"] == words]
    return int(item["id"])


def test_a_revised_quote_and_a_retracted_link_both_leave_a_public_trace(page, live_server: LiveServer, screenshot) -> None:
    for email, role in (("checker@example.org", "fact-checker"), ("editor@example.org", "editor")):
        done = live_server.cli("users", "create", email, "--role", role, stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
    page.goto(live_server.url + "/")
    issues = _claim_id(page, live_server, OLD_WORDS)
    really_close = _claim_id(page, live_server, "A deal to end the fighting is really close.")
    page.goto(f"{live_server.url}/claims/{really_close}")
    assert page.locator(".related a", has_text="radical changes").count() or page.get_by_text("radical changes").count()

    # The fact-checker corrects the quote: without a note the change is refused, with one it is a revision.
    log_in(page, live_server, "checker@example.org")
    page.goto(f"{live_server.url}/desk/statements/{issues}/edit")
    page.get_by_label("Words as said").fill(NEW_WORDS)
    page.get_by_role("button", name="Save changes").click()
    assert page.locator("#revision_note-error").is_visible(), "a published quote changes only with a public note"
    assert page.get_by_label("Words as said").input_value() == NEW_WORDS, "what was typed is kept"
    screenshot("revision-note-required")
    page.get_by_label("Revision note (public)").fill(REVISION_NOTE)
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(rf"/desk/statements/{issues}$"))
    log_out(page)

    # The editor retracts the published link between the envoy's and the Kremlin's remarks.
    log_in(page, live_server, "editor@example.org")
    page.goto(f"{live_server.url}/desk/statements/{really_close}")
    page.locator("li[id^=statement-link-]", has_text="radical changes").get_by_role("link", name="Retract…").click()
    page.get_by_label("Public note").fill(RETRACTION_NOTE)
    screenshot("retract-link")
    page.get_by_role("button", name=re.compile("Retract this")).click()
    page.wait_for_url(re.compile(rf"/desk/statements/{really_close}$"))
    assert page.get_by_text(RETRACTION_NOTE).first.is_visible()
    log_out(page)

    # The public sees both traces.
    page.goto(f"{live_server.url}/claims/{issues}")
    revised = page.locator(".event-revised")
    assert revised.count() == 1 and REVISION_NOTE in revised.inner_text()
    assert revised.locator("del", has_text="two").count() and revised.locator("ins", has_text="one").count()
    assert page.locator("blockquote, h1, .quote").filter(has_text=NEW_WORDS).count(), "the page quotes the new words"
    screenshot("claim-revised")
    page.goto(f"{live_server.url}/claims/{really_close}")
    retracted = page.locator(".event-retracted")
    assert retracted.count() == 1 and RETRACTION_NOTE in retracted.inner_text()
    assert not page.locator(".related a", has_text="radical changes").count(), "the link no longer shows as related"
    screenshot("claim-link-retracted")
    feed = page.request.get(f"{live_server.url}/claims/{issues}/feed.atom").text()
    assert REVISION_NOTE in feed
