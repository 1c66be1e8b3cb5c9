"""End to end in Chromium: a fact-checker pastes an article, sees its repeats highlighted and confirms one."""

from __future__ import annotations

import re
from pathlib import Path

from tests.servers import LiveServer

PASSWORD = "a long enough password"
ARTICLE = (Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "kremlin-response.txt").read_text(encoding="utf-8")


def test_fact_checker_checks_an_article_and_confirms_a_repeat(page, live_server: LiveServer, screenshot) -> None:
    done = live_server.cli("users", "create", "checker@example.org", "--role", "fact_checker", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill("checker@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/desk/$"))

    page.get_by_role("link", name="Check an article").click()
    page.get_by_label("Paste the article").fill(ARTICLE)
    page.get_by_label("Title").fill("Moscow signals it wants more than small edits")
    page.get_by_role("button", name="Find repeats").click()
    page.wait_for_url(re.compile(r"/desk/articles/\d+$"))

    marks = page.locator(".spot-mark")
    assert marks.count() >= 3, "the radical-changes, territory and peacemaker sentences are highlighted"
    assert page.locator(".spot-candidate", has_text="Any deal would need radical changes").count() == 1
    screenshot("article-matches")

    candidate = page.locator(".spot-candidate", has_text="Any deal would need radical changes")
    candidate.get_by_role("button", name="Confirm repeat").click()
    page.wait_for_url(re.compile(r"/desk/articles/\d+#match-\d+$"))
    confirmed = page.locator(".spot-candidate.status-confirmed", has_text="Any deal would need radical changes")
    assert confirmed.count() == 1
    screenshot("after-confirm")
