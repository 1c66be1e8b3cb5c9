"""Guardrails over the whole URL map: no desk page or write endpoint is open by accident."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from claimtrack import create_app
from claimtrack.accounts.models import Role, User
from tests.desk.conftest import MakeUser, log_in

# Routing and access rules do not depend on the database engine.
pytestmark = pytest.mark.parametrize("engine_name", ["sqlite"])

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: Endpoints anyone may use. Adding one here is a decision a reviewer sees.
PUBLIC_ENDPOINTS = {
    "static", "accounts.login", "api.openapi", "api.scales",
    # The read API (issue 5): public JSON twins of the public pages, no authentication.
    "api.read_statements", "api.read_statement", "api.read_speakers", "api.read_speaker",
}


def _is_public(rule: Rule) -> bool:
    return rule.endpoint in PUBLIC_ENDPOINTS or (rule.endpoint.startswith("public.") and not (rule.methods or set()) & WRITE_METHODS)


def _guarded_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if not _is_public(rule)]


def _write_calls(app: Flask) -> list[tuple[Rule, str, str]]:
    calls = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & WRITE_METHODS):
            if rule.endpoint == "accounts.login":
                continue
            url = rule.build(dict.fromkeys(rule.arguments, 1))[1]  # type: ignore[index]
            calls.append((rule, method, url))
    return calls


def test_every_route_that_is_not_public_names_the_roles_it_allows(app: Flask) -> None:
    undecided = [
        rule.rule for rule in _guarded_rules(app) if not hasattr(app.view_functions[rule.endpoint], "allowed_roles")
    ]
    assert undecided == [], "wrap these views in requires_role(...) or token_required(...)"
    assert any(rule.endpoint == "ratings.publish" for rule in _guarded_rules(app))


def test_every_write_route_refuses_anonymous_users(app: Flask) -> None:
    client = app.test_client()
    calls = _write_calls(app)
    assert len(calls) >= 14, "the walk found the write routes"
    for rule, method, url in calls:
        response = client.open(url, method=method, json={})
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, (method, url)
            assert response.get_json()["error"]["status"] == 401
        else:
            assert response.status_code == 302, (method, url)
            assert response.location.startswith("/login?next="), (method, url)


def test_every_write_route_refuses_roles_it_does_not_allow(
    app: Flask, make_user: MakeUser, token_for: Callable[[User], dict[str, str]]
) -> None:
    users = {role: make_user(role) for role in Role}
    clients = {role: log_in(app.test_client(), user) for role, user in users.items()}
    tokens = {role: token_for(user) for role, user in users.items()}
    refused = 0
    for rule, method, url in _write_calls(app):
        allowed = app.view_functions[rule.endpoint].allowed_roles
        for role in set(Role) - set(allowed):
            if rule.rule.startswith("/api/"):
                response = app.test_client().open(url, method=method, json={}, headers=tokens[role])
            else:
                response = clients[role].open(url, method=method, data={})
            assert response.status_code == 403, (method, url, role)
            refused += 1
    assert refused >= 2, "publishing is refused to fact-checkers on the desk and in the API"


def test_every_desk_page_sends_anonymous_users_to_the_login_page(app: Flask) -> None:
    client = app.test_client()
    for rule in _guarded_rules(app):
        if "GET" not in (rule.methods or set()):
            continue
        url = rule.build(dict.fromkeys(rule.arguments, 1))[1]  # type: ignore[index]
        response = client.get(url)
        if rule.rule.startswith("/api/"):
            # The API's reads of drafts (a rating as the desk sees it) ask for a token instead.
            assert response.status_code == 401 and response.get_json()["error"]["status"] == 401, url
            continue
        assert response.status_code == 302 and response.location.startswith("/login"), url


@pytest.mark.isolated_database
def test_a_form_posted_without_its_csrf_token_is_refused(isolated_database_url: str, make_user: MakeUser) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": isolated_database_url, "SECRET_KEY": "csrf-test", "WTF_CSRF_ENABLED": True}
    )
    try:
        client = log_in(app.test_client(), make_user(Role.FACT_CHECKER))
        response = client.post(
            "/desk/statements/new", data={"text": "Forged", "speaker": "Anyone", "said_on": "2025-12-01"}
        )
        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
        login = app.test_client().post("/login", data={"email": "a@example.org", "password": "whatever-long"})
        assert login.status_code == 400
    finally:
        app.extensions["claimtrack.engine"].dispose()


@pytest.mark.isolated_database
def test_every_desk_write_route_refuses_a_post_without_its_csrf_token(
    isolated_database_url: str, make_user: MakeUser
) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": isolated_database_url, "SECRET_KEY": "csrf-test", "WTF_CSRF_ENABLED": True}
    )
    try:
        client = log_in(app.test_client(), make_user(Role.ADMIN))  # admins may use every desk route
        checked = 0
        for rule, method, url in _write_calls(app):
            if rule.rule.startswith("/api/"):
                continue
            response = client.open(url, method=method, data={"text": "forged"})
            assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True), (method, url)
            checked += 1
        assert checked >= 15, "the walk reached the desk's forms"
    finally:
        app.extensions["claimtrack.engine"].dispose()


@pytest.mark.isolated_database
def test_the_api_needs_no_csrf_token_but_a_bearer_token(
    isolated_database_url: str, make_user: MakeUser, token_for: Callable[[User], dict[str, str]]
) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": isolated_database_url, "SECRET_KEY": "csrf-test", "WTF_CSRF_ENABLED": True}
    )
    try:
        headers = token_for(make_user(Role.FACT_CHECKER))
        response = app.test_client().post(
            "/api/v1/outcomes", json={"description": "No deal was signed by the end of January 2026."}, headers=headers
        )
        assert response.status_code == 201
    finally:
        app.extensions["claimtrack.engine"].dispose()


def test_desk_links_show_only_to_logged_in_users(client: FlaskClient, fc_client: FlaskClient) -> None:
    assert "Log a statement" not in client.get("/").get_data(as_text=True)
    page = fc_client.get("/").get_data(as_text=True)
    assert "Log a statement" in page and "Log out" in page

