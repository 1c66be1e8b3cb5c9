"""Logging in and out, safe redirects, API tokens from the CLI (the throttle: test_login_throttle.py)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import ApiToken, Role, User
from claimtrack.accounts.tokens import fingerprint
from claimtrack.cli import main
from tests.desk.conftest import PASSWORD, MakeUser, sqlite_only


def _login(client: FlaskClient, email: str, password: str = PASSWORD, next_url: str | None = None):  # type: ignore[no-untyped-def]
    url = "/login" + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, data={"email": email, "password": password})


@sqlite_only
def test_login_with_the_right_password_opens_the_desk(client: FlaskClient, fact_checker: User) -> None:
    response = _login(client, fact_checker.email.upper())
    assert response.status_code == 302 and response.location == "/desk/"
    assert "Nothing waits for review" in client.get("/desk/").get_data(as_text=True)


@sqlite_only
def test_login_with_a_wrong_password_says_so_beside_the_field(client: FlaskClient, fact_checker: User) -> None:
    response = _login(client, fact_checker.email, "not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="errors" id="password-error"' in page and "do not match an active account" in page
    assert f'value="{fact_checker.email}"' in page, "the email typed is kept"
    assert client.get("/desk/").status_code == 302


@sqlite_only
def test_a_deactivated_user_cannot_log_in(client: FlaskClient, make_user: MakeUser) -> None:
    user = make_user(Role.EDITOR, active=False)
    assert _login(client, user.email).status_code == 200
    assert client.get("/desk/").status_code == 302


@sqlite_only
def test_an_empty_login_form_asks_for_both_fields(client: FlaskClient) -> None:
    page = client.post("/login", data={}).get_data(as_text=True)
    assert "Enter your email address." in page and "Enter your password." in page


@sqlite_only
def test_login_follows_a_next_path_on_this_site(client: FlaskClient, fact_checker: User) -> None:
    assert _login(client, fact_checker.email, next_url="/desk/review").location == "/desk/review"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/path", "/\\evil.example", "javascript:alert(1)", "http:/evil.example", "/%0d%0aLocation:x"],
)
@sqlite_only
def test_login_refuses_an_open_redirect(client: FlaskClient, fact_checker: User, next_url: str) -> None:
    response = _login(client, fact_checker.email, next_url=next_url)
    assert response.status_code == 302
    assert response.location in ("/desk/", "/%0d%0aLocation:x") or response.location.startswith("/desk/")
    assert "evil" not in response.location


@sqlite_only
def test_visiting_the_desk_logged_out_leads_to_login_and_back(client: FlaskClient, fact_checker: User) -> None:
    response = client.get("/desk/review")
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    back = client.post(response.location, data={"email": fact_checker.email, "password": PASSWORD})
    assert back.location == "/desk/review"


@sqlite_only
def test_logout_ends_the_session(client: FlaskClient, fact_checker: User) -> None:
    _login(client, fact_checker.email)
    assert client.post("/logout").location == "/"
    assert client.get("/desk/").status_code == 302


@sqlite_only
def test_session_cookie_is_httponly_and_samesite(client: FlaskClient, fact_checker: User) -> None:
    response = _login(client, fact_checker.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_tokens_create_prints_the_token_last_and_stores_only_its_hash(app: Flask, fact_checker: User, session: Session) -> None:
    result = app.test_cli_runner().invoke(main, ["tokens", "create", fact_checker.email, "--name", "newsroom CMS"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    token = session.scalars(select(ApiToken)).one()
    assert token.token_hash == fingerprint(secret) and secret not in token.token_hash
    assert token.name == "newsroom CMS"
    assert app.test_client().post("/api/v1/outcomes", json={"description": "x"}, headers={"Authorization": f"Bearer {secret}"}).status_code == 201


@pytest.mark.parametrize("how", ["id", "fingerprint", "secret"])
def test_tokens_revoke_by_id_fingerprint_or_secret_stops_the_token(app: Flask, fact_checker: User, session: Session, how: str) -> None:
    runner = app.test_cli_runner()
    secret = runner.invoke(main, ["tokens", "create", fact_checker.email]).output.strip().splitlines()[-1]
    token = session.scalars(select(ApiToken)).one()
    key = {"id": str(token.id), "fingerprint": token.token_hash[:10], "secret": secret}[how]
    result = runner.invoke(main, ["tokens", "revoke", key])
    assert result.exit_code == 0, result.output
    response = app.test_client().post("/api/v1/outcomes", json={"description": "x"}, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


@sqlite_only
def test_tokens_commands_fail_in_one_line_for_unknown_users_and_tokens(app: Flask) -> None:
    runner = app.test_cli_runner()
    created = runner.invoke(main, ["tokens", "create", "nobody@example.org"])
    assert created.exit_code == 1 and "no active user" in created.output
    revoked = runner.invoke(main, ["tokens", "revoke", "abc"])
    assert revoked.exit_code == 1 and "at least 6 characters" in revoked.output


def test_a_fingerprint_prefix_made_only_of_digits_still_finds_its_token(app: Flask, fact_checker: User, session: Session) -> None:
    """About one prefix of ten characters in a hundred is all digits; it must not be taken for an id."""
    runner = app.test_cli_runner()
    secret = runner.invoke(main, ["tokens", "create", fact_checker.email]).output.strip().splitlines()[-1]
    token = session.scalars(select(ApiToken)).one()
    token.token_hash = "6122200623" + token.token_hash[10:]
    session.commit()
    revoked = runner.invoke(main, ["tokens", "revoke", "6122200623"])
    assert revoked.exit_code == 0, revoked.output
    session.refresh(token)
    assert token.revoked_at is not None and secret
