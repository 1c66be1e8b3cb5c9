"""Shared fixtures: a fresh, migrated database per test on SQLite and on PostgreSQL.

Migrations run once per session into a template (a SQLite file, a PostgreSQL
template database); each test then gets its own copy, so tests never see each
other's data and concurrent runs never collide.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from claimtrack import create_app
from claimtrack.db import make_engine, make_session_factory, upgrade

POSTGRES_ENV = "CLAIMTRACK_TEST_POSTGRES_URL"
ENGINES = ["sqlite", "postgresql"]


class PostgresServer:
    """Creates and drops throw-away databases on the server named by POSTGRES_ENV."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url).set(drivername="postgresql+psycopg")
        self.admin = make_engine(self.url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")

    def database_url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, prefix: str, template: str | None = None) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}{clause}"))
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (set by .ci/run)")
    server = PostgresServer(url)
    try:
        with server.admin.connect():
            pass
    except Exception as exc:  # a configured server that is down is a failure, not a skip
        pytest.fail(f"{POSTGRES_ENV} is set but the server cannot be reached: {exc}")
    yield server
    server.admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "claimtrack.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> Iterator[str]:
    name = postgres_server.create("ct_template")
    engine = make_engine(postgres_server.database_url(name))
    upgrade(engine)
    engine.dispose()
    yield name
    postgres_server.drop(name)


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a migrated database of its own for this test."""
    if engine_name == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "claimtrack.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create("ct_test", template=request.getfixturevalue("postgres_template"))
    yield server.database_url(name)
    server.drop(name)


@pytest.fixture
def empty_database_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no tables), for migration tests."""
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create("ct_empty")
    yield server.database_url(name)
    server.drop(name)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test's own database, outside any Flask app."""
    with make_session_factory(engine)() as session:
        yield session


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "MATCH_INDEX_DIR": str(tmp_path / "match-index"),
        }
    )
    yield app
    app.extensions["claimtrack.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def app_session(app: Flask) -> Iterator[Session]:
    """The app's own session, inside an app context, for arranging data before requests."""
    from claimtrack.db import get_session

    with app.app_context():
        yield get_session()


@pytest.fixture(scope="session", autouse=True)
def statement_change_log() -> None:
    """Tests that write through a bare session log statement changes as the app does."""
    from claimtrack.claims.changes import register_listeners

    register_listeners()
