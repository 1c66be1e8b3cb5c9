"""The home page lists the latest statements with speaker, date and current verdict."""

from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.demo import load_fixtures
from tests.servers import start_server, stop_server


def test_home_page_lists_demo_statements_with_verdicts(client: FlaskClient, app_session: Session) -> None:
    load_fixtures(app_session)
    app_session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "really close" in page and "radical changes" in page
    assert "Keith Kellogg" in page and "December 2025" in page
    assert "Half true" in page, "the published truth rating shows"
    assert "Did not come true" not in page, "a draft never shows"


def test_home_page_escapes_statement_text(client: FlaskClient, app_session: Session) -> None:
    from claimtrack.claims.services import log_statement

    statement = log_statement(app_session, "<script>alert(1)</script>", speaker=None)
    workflow.publish(app_session, statement, None, version=None)
    app_session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_unknown_page_is_a_finished_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Back to the latest claims" in response.get_data(as_text=True)


@pytest.mark.slow
def test_served_demo_answers_over_http(tmp_path: Path) -> None:
    server = start_server(tmp_path)
    try:
        with urllib.request.urlopen(server.url + "/", timeout=10) as response:
            body = response.read().decode()
            assert response.status == 200
            assert response.headers["Server"] == "claimtrack"
        assert "We&#39;re in the last 10 metres" in body
        # The match index is loaded at start-up, before anyone searches.
        log = tmp_path / "server.log"
        deadline = time.monotonic() + 30
        while "match index ready" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert re.search(r"match index ready: [1-9][\d,]* statements", log.read_text())
    finally:
        stop_server(server)
