"""The team page: admins add people, change roles, deactivate and reset passwords; everyone changes their own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import Role, User
from claimtrack.audit.models import AuditEvent
from tests.desk.conftest import PASSWORD, MakeUser, see_committed, sqlite_only


def _log_in_with_password(app: Flask, email: str, password: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, f"{email} could not log in"
    return client


def _by_email(session: Session, email: str) -> User:
    see_committed(session)
    return session.scalars(select(User).where(User.email == email)).one()


def test_admin_adds_a_colleague_who_can_then_log_in(app: Flask, client_for: Callable[[User], FlaskClient], admin: User, session: Session) -> None:
    client = client_for(admin)
    page = client.get("/desk/users").get_data(as_text=True)
    assert admin.email in page and "(you)" in page
    response = client.post("/desk/users", data={"email": " Nadia@Example.org ", "display_name": "Nadia K",
                                                 "role": "editor", "password": "a long first password"})
    assert response.status_code == 302
    nadia = _by_email(session, "nadia@example.org")
    assert (nadia.display_name, nadia.role, nadia.active) == ("Nadia K", Role.EDITOR, True)
    _log_in_with_password(app, "nadia@example.org", "a long first password")
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == nadia.id, AuditEvent.action == "create")).one()
    assert event.actor_id == admin.id and "password_hash" not in event.after


def test_adding_someone_with_bad_input_keeps_what_was_typed_and_says_why(client_for: Callable[[User], FlaskClient], admin: User, session: Session) -> None:
    client = client_for(admin)
    short = client.post("/desk/users", data={"email": "sam@example.org", "role": "editor", "password": "short"})
    assert short.status_code == 422 and "Use at least 10 characters." in short.get_data(as_text=True)
    assert 'value="sam@example.org"' in short.get_data(as_text=True)
    taken = client.post("/desk/users", data={"email": admin.email.upper(), "role": "editor", "password": "long enough password"})
    assert taken.status_code == 422 and "already exists" in taken.get_data(as_text=True)
    bad_role = client.post("/desk/users", data={"email": "x@example.org", "role": "owner", "password": "long enough password"})
    assert bad_role.status_code == 422 and "Not a valid choice" in bad_role.get_data(as_text=True)
    see_committed(session)
    assert session.scalars(select(User.email)).all() == [admin.email], "nothing was added"


def test_a_deactivated_user_is_logged_out_and_cannot_log_in(app: Flask, client_for: Callable[[User], FlaskClient], admin: User, make_user: MakeUser, session: Session) -> None:
    colleague = make_user(Role.FACT_CHECKER)
    their_client = _log_in_with_password(app, colleague.email, PASSWORD)
    assert their_client.get("/desk/").status_code == 200
    response = client_for(admin).post(f"/desk/users/{colleague.id}", data={"display_name": colleague.display_name, "role": "fact_checker"})
    assert response.status_code == 302
    assert _by_email(session, colleague.email).active is False
    assert their_client.get("/desk/").status_code == 302, "their open session ends"
    refused = app.test_client().post("/login", data={"email": colleague.email, "password": PASSWORD})
    assert "do not match an active account" in refused.get_data(as_text=True)


def test_the_last_admin_cannot_be_demoted_and_no_admin_can_lock_themselves_out(client_for: Callable[[User], FlaskClient], admin: User, make_user: MakeUser, session: Session) -> None:
    client = client_for(admin)
    demote_self = client.post(f"/desk/users/{admin.id}", data={"display_name": "Admin", "role": "editor", "active": "y"})
    assert demote_self.status_code == 422 and "your own admin rights" in demote_self.get_data(as_text=True)
    other = make_user(Role.ADMIN)
    assert client.post(f"/desk/users/{other.id}", data={"display_name": "Other", "role": "editor", "active": "y"}).status_code == 302
    assert _by_email(session, other.email).role is Role.EDITOR
    assert _by_email(session, admin.email).role is Role.ADMIN


@sqlite_only
def test_only_admins_reach_the_team_pages(client_for: Callable[[User], FlaskClient], editor: User, admin: User) -> None:
    client = client_for(editor)
    assert client.get("/desk/users").status_code == 403
    assert client.post(f"/desk/users/{admin.id}/password", data={"password": "x" * 12, "repeat": "x" * 12}).status_code == 403
    assert "Team" not in client.get("/desk/").get_data(as_text=True)
    assert "Team" in client_for(admin).get("/desk/").get_data(as_text=True)


def test_admin_resets_a_password_and_the_old_one_stops_working(app: Flask, client_for: Callable[[User], FlaskClient], admin: User, make_user: MakeUser, session: Session) -> None:
    colleague = make_user(Role.EDITOR)
    client = client_for(admin)
    mismatch = client.post(f"/desk/users/{colleague.id}/password", data={"password": "brand new secret", "repeat": "brand new secrets"})
    assert mismatch.status_code == 422 and "The two passwords differ." in mismatch.get_data(as_text=True)
    assert client.post(f"/desk/users/{colleague.id}/password", data={"password": "brand new secret", "repeat": "brand new secret"}).status_code == 302
    _log_in_with_password(app, colleague.email, "brand new secret")
    assert app.test_client().post("/login", data={"email": colleague.email, "password": PASSWORD}).status_code == 200
    see_committed(session)
    reset = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == colleague.id, AuditEvent.action == "set password")).one()
    assert reset.actor_id == admin.id and "password_hash" not in reset.after


def test_anyone_changes_their_own_password_with_the_current_one(app: Flask, client_for: Callable[[User], FlaskClient], fact_checker: User) -> None:
    client = client_for(fact_checker)
    assert fact_checker.email in client.get("/desk/account").get_data(as_text=True)
    wrong = client.post("/desk/account", data={"current": "not it at all", "password": "my new passphrase", "repeat": "my new passphrase"})
    assert wrong.status_code == 422 and "That is not your current password." in wrong.get_data(as_text=True)
    done = client.post("/desk/account", data={"current": PASSWORD, "password": "my new passphrase", "repeat": "my new passphrase"})
    assert done.status_code == 302
    _log_in_with_password(app, fact_checker.email, "my new passphrase")


@pytest.mark.isolated_database
@pytest.mark.parametrize("engine_name", ["postgresql"])
def test_two_admins_demoting_each_other_at_once_leave_one_admin(make_user: MakeUser, session: Session) -> None:
    import threading

    from claimtrack.accounts.services import update_user
    from claimtrack.db import make_session_factory
    from claimtrack.errors import Conflict

    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    mine, theirs = session, make_session_factory(session.get_bind())()  # type: ignore[arg-type]
    outcome: list[BaseException | None] = []
    try:
        update_user(mine, mine.get(User, second.id), display_name="Second", role=Role.EDITOR, active=True, actor=first)  # type: ignore[arg-type]

        def demote_first() -> None:  # waits for the lock the first demotion holds
            try:
                update_user(theirs, theirs.get(User, first.id), display_name="First", role=Role.EDITOR, active=True,  # type: ignore[arg-type]
                            actor=theirs.get(User, second.id))
                theirs.commit()
                outcome.append(None)
            except Conflict as exc:
                theirs.rollback()
                outcome.append(exc)

        racer = threading.Thread(target=demote_first)
        racer.start()
        racer.join(timeout=1)
        assert racer.is_alive(), "the second demotion waits for the first"
        mine.commit()
        racer.join(timeout=10)
        assert isinstance(outcome[0], Conflict) and "last active admin" in str(outcome[0])
    finally:
        theirs.close()
    see_committed(session)
    assert session.scalars(select(User.email).where(User.role == Role.ADMIN)).all() == [first.email]
