"""Sessions end for good on logout, a new password, deactivation and reactivation; API tokens expire,
note their last use, and are listed and revoked on the desk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from claimtrack.accounts.models import ApiToken, Role, User
from claimtrack.accounts.tokens import LAST_USED_RESOLUTION, create_token
from claimtrack.audit.models import AuditEvent
from claimtrack.cli import main
from claimtrack.errors import Invalid
from claimtrack.orm import utcnow
from tests.desk.conftest import PASSWORD, MakeUser, see_committed, sqlite_only

NEW_PASSWORD = "a brand new passphrase"


def _logged_in(app: Flask, user: User, password: str = PASSWORD) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": password}).status_code == 302
    return client


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie (a stolen or replayed cookie)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _on_desk(client: FlaskClient) -> bool:
    return client.get("/desk/").status_code == 200


def _api_status(app: Flask, secret: str) -> int:
    return app.test_client().post("/api/v1/outcomes", json={"description": "x"},
                                  headers={"Authorization": f"Bearer {secret}"}).status_code


def test_a_cookie_copied_before_logout_is_worthless_after_it(app: Flask, fact_checker: User) -> None:
    client = _logged_in(app, fact_checker)
    copy, other_device = _copy(app, client), _logged_in(app, fact_checker)
    assert _on_desk(copy)
    assert client.post("/logout").status_code == 302
    assert not _on_desk(client) and not _on_desk(copy)
    assert not _on_desk(other_device), "logging out ends the sessions on every device"
    assert _on_desk(_logged_in(app, fact_checker)), "logging in again works"


@sqlite_only
def test_a_session_from_before_epochs_is_refused(app: Flask, fact_checker: User) -> None:
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(fact_checker.id)
    assert not _on_desk(client)


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(app: Flask, fact_checker: User) -> None:
    here, elsewhere = _logged_in(app, fact_checker), _logged_in(app, fact_checker)
    response = here.post("/desk/account", data={"current": PASSWORD, "password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert response.status_code == 302
    assert _on_desk(here)
    assert not _on_desk(elsewhere)


def test_an_admins_password_reset_ends_the_users_sessions(
    app: Flask, fact_checker: User, client_for: Callable[[User], FlaskClient], admin: User
) -> None:
    victim = _logged_in(app, fact_checker)
    reset = client_for(admin).post(f"/desk/users/{fact_checker.id}/password",
                                   data={"password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert reset.status_code == 302
    assert not _on_desk(victim)
    assert _on_desk(_logged_in(app, fact_checker, NEW_PASSWORD))


def test_reactivating_a_user_revives_neither_old_sessions_nor_old_tokens(
    app: Flask, fact_checker: User, client_for: Callable[[User], FlaskClient], admin: User, session: Session,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    browser = _logged_in(app, fact_checker)
    secret = token_for(fact_checker)["Authorization"].removeprefix("Bearer ")
    admin_client = client_for(admin)
    form = {"display_name": fact_checker.display_name, "role": "fact_checker"}
    assert admin_client.post(f"/desk/users/{fact_checker.id}", data=form).status_code == 302  # unticked: deactivated
    assert admin_client.post(f"/desk/users/{fact_checker.id}", data={**form, "active": "y"}).status_code == 302
    assert not _on_desk(browser)
    assert _api_status(app, secret) == 401
    see_committed(session)
    token = session.scalars(select(ApiToken).where(ApiToken.user_id == fact_checker.id)).one()
    assert token.revoked_at is not None
    revoked = session.scalars(select(AuditEvent).where(AuditEvent.entity == "api_tokens", AuditEvent.action == "revoke")).one()
    assert revoked.actor_id == admin.id
    assert _on_desk(_logged_in(app, fact_checker)), "the reactivated user logs in afresh"


def test_an_expired_token_answers_401(app: Flask, editor: User, session: Session) -> None:
    token, secret = create_token(session, editor.email, expires_at=utcnow() + dt.timedelta(days=1))
    session.commit()
    assert _api_status(app, secret) == 201
    session.execute(update(ApiToken).where(ApiToken.id == token.id).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    session.commit()
    assert _api_status(app, secret) == 401


@sqlite_only
def test_a_token_cannot_be_made_already_expired(session: Session, editor: User) -> None:
    with pytest.raises(Invalid, match="expire in the future"):
        create_token(session, editor.email, expires_at=utcnow() - dt.timedelta(minutes=1))


def test_every_use_of_a_token_notes_when_at_most_once_a_minute_even_when_the_request_fails(
    app: Flask, editor: User, session: Session
) -> None:
    token, secret = create_token(session, editor.email)
    session.commit()
    assert token.last_used_at is None
    refused = app.test_client().post("/api/v1/outcomes", json={}, headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 422, "a request that fails and rolls back"
    see_committed(session)
    first = token.last_used_at
    assert first is not None and utcnow() - first < dt.timedelta(seconds=30)
    assert _api_status(app, secret) == 201
    see_committed(session)
    assert token.last_used_at == first, "a use within the minute is not written again"
    long_ago = utcnow() - LAST_USED_RESOLUTION - dt.timedelta(seconds=1)
    session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=long_ago))
    session.commit()
    assert _api_status(app, secret) == 201
    see_committed(session)
    assert token.last_used_at is not None and token.last_used_at > first


def test_the_tokens_page_lists_ones_own_tokens_and_an_admin_sees_everyones(
    client_for: Callable[[User], FlaskClient], fact_checker: User, editor: User, admin: User, session: Session
) -> None:
    create_token(session, fact_checker.email, name="fact-checker's feed")
    create_token(session, editor.email, name="editor's <script>bot</script>")
    session.commit()
    own = client_for(fact_checker).get("/desk/tokens").get_data(as_text=True)
    assert "fact-checker&#39;s feed" in own and "bot" not in own
    everyone = client_for(admin).get("/desk/tokens").get_data(as_text=True)
    assert "fact-checker&#39;s feed" in everyone and "editor&#39;s &lt;script&gt;bot&lt;/script&gt;" in everyone
    assert editor.display_name in everyone


def test_creating_a_token_on_the_desk_shows_it_once_with_its_expiry(
    fc_client: FlaskClient, fact_checker: User, session: Session, app: Flask
) -> None:
    response = fc_client.post("/desk/tokens", data={"name": "newsroom CMS", "expires": "30"})
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"].split(", ")
    page = response.get_data(as_text=True)
    secret = page.split('id="token-secret">')[1].split("<")[0]
    see_committed(session)
    token = session.scalars(select(ApiToken)).one()
    assert (token.user_id, token.name) == (fact_checker.id, "newsroom CMS")
    assert token.expires_at is not None and abs(token.expires_at - (utcnow() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert _api_status(app, secret) == 201
    assert secret not in fc_client.get("/desk/tokens").get_data(as_text=True)


@sqlite_only
def test_a_token_needs_a_name_on_the_desk(fc_client: FlaskClient, session: Session) -> None:
    response = fc_client.post("/desk/tokens", data={"name": " ", "expires": "never"})
    assert response.status_code == 422 and "Say what the token is for." in response.get_data(as_text=True)
    assert session.scalars(select(ApiToken)).all() == []


def test_one_revokes_ones_own_token_on_the_desk_and_it_stops_working(
    fc_client: FlaskClient, fact_checker: User, session: Session, app: Flask
) -> None:
    token, secret = create_token(session, fact_checker.email, name="mine")
    session.commit()
    response = fc_client.post(f"/desk/tokens/{token.id}/revoke")
    assert response.status_code == 302 and response.location == "/desk/tokens"
    assert _api_status(app, secret) == 401
    see_committed(session)
    assert token.revoked_at is not None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "revoke")).one()
    assert (event.actor_id, event.entity_id) == (fact_checker.id, token.id)
    assert "Revoked " in fc_client.get("/desk/tokens").get_data(as_text=True)


def test_someone_elses_token_is_revoked_only_by_an_admin(
    client_for: Callable[[User], FlaskClient], fact_checker: User, editor: User, admin: User, session: Session, app: Flask
) -> None:
    token, secret = create_token(session, editor.email, name="theirs")
    session.commit()
    assert client_for(fact_checker).post(f"/desk/tokens/{token.id}/revoke").status_code == 403
    assert _api_status(app, secret) == 201
    assert client_for(admin).post(f"/desk/tokens/{token.id}/revoke").status_code == 302
    assert _api_status(app, secret) == 401


@sqlite_only
def test_revoking_a_token_that_does_not_exist_is_404(fc_client: FlaskClient) -> None:
    assert fc_client.post("/desk/tokens/999999/revoke").status_code == 404


def test_the_cli_creates_tokens_that_expire_and_lists_them(app: Flask, fact_checker: User, make_user: MakeUser, session: Session) -> None:
    runner = app.test_cli_runner()
    created = runner.invoke(main, ["tokens", "create", fact_checker.email, "--name", "feed", "--expires-in", "7"])
    assert created.exit_code == 0, created.output
    assert "expires " in created.output.splitlines()[0]
    token = session.scalars(select(ApiToken)).one()
    assert token.expires_at is not None and dt.timedelta(days=6) < token.expires_at - utcnow() <= dt.timedelta(days=7)
    other = make_user(Role.EDITOR)
    runner.invoke(main, ["tokens", "create", other.email])
    listed = runner.invoke(main, ["tokens", "list", fact_checker.email])
    assert listed.exit_code == 0 and len(listed.output.splitlines()) == 1
    assert f"{token.id}\t{token.token_hash[:12]}\t{fact_checker.email}\tlive\texpires " in listed.output
    assert "last used never\tfeed" in listed.output
    assert len(runner.invoke(main, ["tokens", "list"]).output.splitlines()) == 2
    refused = runner.invoke(main, ["tokens", "create", fact_checker.email, "--expires-in", "0"])
    assert refused.exit_code == 2
