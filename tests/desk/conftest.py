"""Desk fixtures: an app with CSRF off (one test turns it on), users per role, logged-in clients.

Data is arranged through the ``session`` fixture (its own session on the
test's connection), never through the app's request session, so each request
starts clean as in production.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from claimtrack.accounts.models import Role, User
from claimtrack.accounts.tokens import create_token
from claimtrack.demo import load_fixtures

PASSWORD = "correct horse battery"
# Hashing with scrypt is slow on purpose; hash once and share it across the fixture users.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt")
_numbers = count(1)

#: Form and routing behaviour that does not depend on the database engine runs on SQLite only, to keep the suite quick.
sqlite_only = pytest.mark.parametrize("engine_name", ["sqlite"])


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "WTF_CSRF_ENABLED": False}


def see_committed(session: Session) -> None:
    """Forget what ``session`` loaded, so the next reads show what the app committed since.

    It commits rather than rolls back: on the shared test connection the app's savepoints nest inside
    an open one of ``session``, and rolling that back would undo what the app committed.
    """
    session.commit()
    session.expire_all()


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(session: Session) -> MakeUser:
    def make(role: Role, email: str | None = None, active: bool = True) -> User:
        user = User(
            email=email or f"{role.value}-{next(_numbers)}@example.org",
            display_name=f"{role.value.replace('_', ' ').title()} {next(_numbers)}",
            password_hash=PASSWORD_HASH,
            role=role,
            active=active,
        )
        session.add(user)
        session.commit()
        return user

    return make


@pytest.fixture
def fact_checker(make_user: MakeUser) -> User:
    return make_user(Role.FACT_CHECKER)


@pytest.fixture
def editor(make_user: MakeUser) -> User:
    return make_user(Role.EDITOR)


@pytest.fixture
def admin(make_user: MakeUser) -> User:
    return make_user(Role.ADMIN)


def log_in(client: FlaskClient, user: User) -> FlaskClient:
    """Put ``user`` in the client's session cookie the way Flask-Login does after a login."""
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = user.get_id()  # the id and the session epoch
        cookie_session["_fresh"] = True
    return client


@pytest.fixture
def client_for(app: Flask) -> Callable[[User], FlaskClient]:
    return lambda user: log_in(app.test_client(), user)


@pytest.fixture
def fc_client(client_for: Callable[[User], FlaskClient], fact_checker: User) -> FlaskClient:
    return client_for(fact_checker)


@pytest.fixture
def editor_client(client_for: Callable[[User], FlaskClient], editor: User) -> FlaskClient:
    return client_for(editor)


@pytest.fixture
def token_for(session: Session) -> Callable[[User], dict[str, str]]:
    """Authorization headers with a new API token for ``user``."""

    def make(user: User) -> dict[str, str]:
        _token, secret = create_token(session, user.email, name="tests")
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def demo(session: Session) -> Session:
    """The demo speakers, statements, ratings and outcome."""
    load_fixtures(session)
    session.commit()
    return session
