"""Every kind of page has no accessibility violation that axe-core finds, in Chromium, public and desk alike.

axe-core's script comes inside the pinned ``axe-playwright-python`` package (MPL-2.0, its licence header
intact), never from the network. The pages are those of tests/page_tour.py, in one browser session.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy.orm import Session

from claimtrack.db import make_engine
from tests.page_tour import ADMIN_EMAIL, PASSWORD, Visit, arrange
from tests.servers import LiveServer


def arranged_tour(live_server: LiveServer) -> list[Visit]:
    engine = make_engine(live_server.env["CLAIMTRACK_DATABASE_URL"])
    try:
        with Session(engine) as session:
            return arrange(session)
    finally:
        engine.dispose()


def log_in(page, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def open_visit(page, live_server: LiveServer, visit: Visit) -> int:  # type: ignore[no-untyped-def]
    """Open the visit's page, fill and submit its form if it has one, and answer the status of where it lands."""
    response = page.goto(live_server.url + visit.path)
    if visit.fill:
        form = page.locator(f"form:has([name='{next(iter(visit.fill))}'])").first
        for name, value in visit.fill.items():
            form.locator(f"[name='{name}']").first.evaluate("(field, value) => { field.value = value; }", value)
        # As pressing Enter does: the first submit button sends; the server's messages are what is checked.
        with page.expect_navigation() as landed:
            form.evaluate("form => { form.noValidate = true; form.requestSubmit(form.querySelector('[type=submit]')); }")
        response = landed.value
    return response.status


def test_no_page_type_has_an_axe_violation(browser, live_server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    visits = arranged_tour(live_server)
    axe = Axe()
    reader = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    pages = {False: reader.new_page(), True: desk.new_page()}
    log_in(pages[True], live_server)
    statuses, reports = [], []
    try:
        for visit in visits:
            page = pages[visit.desk]
            statuses.append((visit.name, open_visit(page, live_server, visit)))
            results = axe.run(page)
            if results.violations_count:
                reports.append(f"{visit.name} ({page.url}): {results.generate_report()}")
    finally:
        reader.close()
        desk.close()
    assert statuses == [(visit.name, visit.status) for visit in visits]
    assert not reports, "\n\n".join(reports)
