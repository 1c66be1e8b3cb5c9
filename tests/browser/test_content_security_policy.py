"""Chromium reports no Content-Security-Policy violation, nor any other console error, on any kind of page:
the public pages (the claim page with its JSON-LD and the speaker page with its chart), the desk with its
script, and the error page."""

from __future__ import annotations

import re

from tests.servers import LiveServer

PASSWORD = "a long enough password"
MISSING = "/no/such/page"

#: Records every violation the page reports, before any of the page's own code runs.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _visit(page, url: str, problems: list[str], status: int = 200) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None and response.status == status, url
    assert "frame-ancestors 'none'" in (response.header_value("content-security-policy") or ""), url
    page.wait_for_load_state("load")
    problems += [f"{url}: {violation}" for violation in page.evaluate("window.__cspViolations")]


def test_no_page_type_breaks_the_content_security_policy(page, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.add_init_script(LISTEN)

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        # The 404 asked for on purpose is reported as a failed load; nothing else may be.
        if message.type == "error" and not message.location.get("url", "").endswith(MISSING):
            problems.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    base = live_server.url
    _visit(page, base + "/", problems)
    page.get_by_role("link", name="A deal to end the fighting is really close.").first.click()
    page.wait_for_url(re.compile(r"/claims/\d+$"))
    assert page.locator("script[type='application/ld+json']").count() == 1
    claim_url = page.url
    _visit(page, claim_url, problems)
    for path in ("/speakers/keith-kellogg", "/speakers", "/topics", "/search?q=deal", "/how-we-rate", "/login"):
        _visit(page, base + path, problems)
    _visit(page, base + MISSING, problems, status=404)

    done = live_server.cli("users", "create", "editor@example.org", "--role", "editor", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    page.goto(base + "/login")
    page.get_by_label("Email").fill("editor@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/desk/$"))
    for path in ("/desk/", "/desk/statements/new", "/desk/match", "/desk/speakers/", "/desk/match-report"):
        _visit(page, base + path, problems)
    # desk.js runs: the speaker typeahead asks the desk for names as one types.
    page.goto(base + "/desk/statements/new")
    page.get_by_label("Speaker", exact=True).fill("Peskof")
    page.locator("#speaker-suggestions button", has_text="Dmitry Peskov").wait_for()
    assert problems == []
