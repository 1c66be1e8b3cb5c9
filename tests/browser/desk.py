"""Steps the browser tests share: logging in to the desk and out again."""

from __future__ import annotations

import re

from tests.servers import LiveServer

#: The password of the throwaway accounts the browser tests create.
PASSWORD = "a long enough password"


def log_in(page, live_server: LiveServer, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/desk/$"))


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name=re.compile("Log out")).click()
    page.wait_for_url(re.compile(r"/$"))
