"""Shared fixtures: one migrated database per engine per test worker, a SAVEPOINT per test.

Migrations run once per worker into a template (a SQLite file, a PostgreSQL template database) and
into one shared database per engine. A test runs inside one transaction on one connection to that
database: the arranging ``session`` and the app's request sessions each work in a SAVEPOINT on that
connection, so what a test arranges is visible to the app, what the app commits is visible to the test,
and the rollback at teardown leaves the shared database as migrated.

Tests that need two connections at once (concurrent edits, locks, backups, migrations, the import's
DDL, other processes) are marked ``isolated_database``: their ``engine``, ``session`` and ``app`` use a
copy of the template of their own instead, as every test did before.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, event, text
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


#: Folders whose tests are all slow: a real browser against a served app.
SLOW_FOLDERS = ("browser",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser tests ``browser`` and ``slow``, and PostgreSQL runs ``postgres``, so ``-m`` can pick them."""
    for item in items:
        if Path(item.path).parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("engine_name") == "postgresql":
            item.add_marker(pytest.mark.postgres)


def _begin_explicitly(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, begin SQLite transactions, so the test's SAVEPOINTs nest inside one.

    pysqlite on its own sends BEGIN only before a data change, so the test's outer transaction would not
    exist yet, the first SAVEPOINT would open a transaction of its own and releasing it would commit for
    good. With pysqlite's handling off, SQLAlchemy's BEGIN opens the outer transaction (the SQLAlchemy
    docs' recipe for pysqlite). Foreign keys are switched on by ``make_engine`` as the connection opens.
    """

    @event.listens_for(engine, "connect")
    def _no_pysqlite_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session")
def shared_sqlite_engine(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """This worker's migrated SQLite database, shared by its tests, each inside a transaction rolled back."""
    path = tmp_path_factory.mktemp("shared") / "claimtrack.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    _begin_explicitly(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def shared_postgresql_engine(postgres_server: PostgresServer, postgres_template: str) -> Iterator[Engine]:
    """This worker's migrated PostgreSQL database, shared by its tests, each inside a transaction rolled back."""
    name = postgres_server.create("ct_shared", template=postgres_template)
    engine = make_engine(postgres_server.database_url(name))
    yield engine
    engine.dispose()
    postgres_server.drop(name)


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


def isolated(request: pytest.FixtureRequest) -> bool:
    """Whether the test asked for a database of its own with ``@pytest.mark.isolated_database``."""
    return request.node.get_closest_marker("isolated_database") is not None


@pytest.fixture
def isolated_database_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a migrated database of this test's own (a copy of the template)."""
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
def engine(engine_name: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The engine of the test's database: the worker's shared one, or its own when ``isolated_database``."""
    if not isolated(request):
        yield request.getfixturevalue(f"shared_{engine_name}_engine")
        return
    engine = make_engine(request.getfixturevalue("isolated_database_url"))
    yield engine
    engine.dispose()


@contextmanager
def rolled_back(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back at the end, whatever ran on it."""
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            yield connection
        finally:
            if outer.is_active:
                outer.rollback()


def savepoint_session(connection: Connection) -> Session:
    """A session on ``connection`` whose commits and rollbacks only release or undo a SAVEPOINT of its own."""
    return Session(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """The test's one connection to the shared database, in a transaction rolled back at teardown."""
    with rolled_back(engine) as connection:
        yield connection


@pytest.fixture
def session(engine: Engine, request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session on the test's database, outside any Flask app, for arranging data and checking results.

    On the shared database it works in SAVEPOINTs on the test's connection: ``commit()`` releases one,
    ``rollback()`` returns to it, and nothing outlives the test.
    """
    if isolated(request):
        with make_session_factory(engine)() as session:
            yield session
        return
    with savepoint_session(request.getfixturevalue("connection")) as session:
        yield session


@pytest.fixture
def app_config(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """The test app's configuration: the test's database (its connection, or its own URL), and a match index folder.

    ``engine_name`` is a parameter, not only looked up, so every test of the app is parametrized by engine
    (and may narrow it to one with its own ``parametrize("engine_name", ...)``).
    """
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "MATCH_INDEX_DIR": str(tmp_path / "match-index"),
    }
    if isolated(request):
        config["DATABASE_URL"] = request.getfixturevalue("isolated_database_url")
    else:
        config["DATABASE_CONNECTION"] = request.getfixturevalue("connection")
    return config


#: Configuration that changes from test to test on an app otherwise reused by the worker.
PER_TEST_CONFIG = ("DATABASE_CONNECTION", "MATCH_INDEX_DIR")
WorkerApps = dict[tuple[str, ...], tuple[Flask, dict[str, Any]]]


@pytest.fixture(scope="session")
def worker_apps() -> WorkerApps:
    """Apps on the shared databases, built once per worker and configuration, with the config they started with.

    Building an app compiles every URL rule (about 50 ms); the fast set would spend a third of its time on it.
    """
    return {}


@pytest.fixture
def app(app_config: dict[str, Any], worker_apps: WorkerApps) -> Iterator[Flask]:
    """The app on the test's database: on the shared one, the worker's app for this configuration, reset.

    A reused app starts each test with its first configuration, a session factory bound to this test's
    connection and a fresh match index in the test's own folder, so no state carries over between tests.
    """
    connection: Connection | None = app_config.get("DATABASE_CONNECTION")
    if connection is None:
        app = create_app(app_config)
        yield app
        app.extensions["claimtrack.engine"].dispose()
        return
    from claimtrack.publishing import caching
    from claimtrack.spotting import app as spotting

    key = (connection.dialect.name, *sorted(f"{k}={v!r}" for k, v in app_config.items() if k not in PER_TEST_CONFIG))
    if key not in worker_apps:
        built = create_app(app_config)
        worker_apps[key] = (built, dict(built.config))
    app, first_config = worker_apps[key]
    app.config.clear()
    app.config.update(first_config)
    app.config.update({name: app_config[name] for name in PER_TEST_CONFIG})
    app.extensions["claimtrack.sessions"].configure(bind=connection)
    spotting.init_app(app)  # a new match index, in this test's folder
    caching.reset(app)  # no answer cached from another test's data
    yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs ``claimtrack`` commands in-process against the test app: ``runner.invoke(main, [...])``."""
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
