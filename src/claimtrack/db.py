"""The database: engine, per-request session, and Alembic driven in code.

Everything that opens a connection goes through :func:`make_engine`, so SQLite
always runs with WAL, foreign keys on and a busy timeout, whichever entry point
(web, CLI, tests, benchmarks) made the engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from claimtrack import config
from claimtrack.errors import Conflict, NotFound
from claimtrack.orm import MAX_ID, PUBLIC_VIEW
from claimtrack.resources import resource_dir

if TYPE_CHECKING:
    from alembic.config import Config

SQLITE_BUSY_TIMEOUT_MS = 5000

T = TypeVar("T")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    # WAL lets readers work while a writer commits; it does not apply in memory.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # 64 MB of page cache (negative = KiB): indexes over a million statements stay in memory.
    cursor.execute("PRAGMA cache_size = -65536")
    cursor.close()


class MissingDriver(RuntimeError):
    """The database URL names an engine whose driver is not installed (an extra of claimtrack)."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``; for a SQLite file, create its folder too.

    :raise sqlalchemy.exc.ArgumentError: for a malformed URL.
    :raise MissingDriver: for a PostgreSQL URL when ``claimtrack[postgresql]`` is not installed.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            # SQLite would create the file readable by everyone (0644); its -wal and -shm files take the
            # database file's mode, so creating it empty and owner-only first covers all three.
            path = Path(parsed.database)
            config.private_dir(path.parent)
            config.create_private_file(path)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        # psycopg 3 is the driver we ship; plain postgresql:// URLs mean it.
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    except ModuleNotFoundError as exc:
        raise MissingDriver(
            f"{parsed.get_backend_name()} needs its driver ({exc.name}): pip install 'claimtrack[postgresql]'"
        ) from None


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


# -- Flask integration ------------------------------------------------------


def init_app(app: Flask) -> None:
    """Give the app its engine and session factory, from ``DATABASE_URL`` or a test's ``DATABASE_CONNECTION``.

    ``DATABASE_CONNECTION`` is a seam for the tests only: an open :class:`~sqlalchemy.Connection` inside a
    transaction that the test rolls back. The app's sessions then run on it, each in a SAVEPOINT, so what a
    request commits only releases its savepoint, and a request that fails rolls back to it.

    :raise sqlalchemy.exc.ArgumentError: for a malformed ``DATABASE_URL``.
    """
    connection: Connection | None = app.config.get("DATABASE_CONNECTION")
    if connection is None:
        engine = make_engine(app.config["DATABASE_URL"])
        sessions = make_session_factory(engine)
    else:
        engine = connection.engine
        sessions = sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
    app.extensions["claimtrack.engine"] = engine
    app.extensions["claimtrack.sessions"] = sessions
    app.teardown_appcontext(_close_session)
    app.before_request(_serve_the_public)
    app.teardown_request(_end_public_view)


def get_engine() -> Engine:
    return current_app.extensions["claimtrack.engine"]


def get_session() -> Session:
    """The session of the current request or app context, opened on first use.

    During a request it shows the public record only, until :func:`show_unpublished` says that a
    newsroom user was let in: a page nobody guards can never show a draft.
    """
    if "db_session" not in g:
        g.db_session = current_app.extensions["claimtrack.sessions"]()
    return g.db_session


def _serve_the_public() -> None:
    # Per request, not per session: a test (or a command) may hold one app context, and so one
    # session, across several requests and its own queries, which must see everything.
    get_session().info[PUBLIC_VIEW] = True


def _end_public_view(_error: BaseException | None) -> None:
    session: Session | None = g.get("db_session")
    if session is not None:
        session.info[PUBLIC_VIEW] = False


def show_unpublished() -> None:
    """Let this request's session see drafts and retracted items: called once a desk user or an API
    token holder is let in (:func:`claimtrack.accounts.access.requires_role`, the API's ``token_required``)."""
    get_session().info[PUBLIC_VIEW] = False


def end_request(succeeded: bool) -> None:
    """The one commit point of a request: commit when it succeeded, else roll back.

    Called by the app after every view (see :class:`claimtrack.ClaimtrackApp`), so
    views and services never commit: a request that answers with an error, or
    raises, leaves nothing half-written. A commit that fails (a conflicting
    version, a broken constraint) raises here, inside the request, where the
    error handlers map it.

    :raise Conflict: when a row changed under a versioned save (the mapper's
        ``version_id_col`` check at flush): someone else saved first.
    """
    session: Session | None = g.get("db_session")
    if session is None:
        return
    if succeeded or g.pop("keep_changes", False):
        commit_or_conflict(session)
    else:
        session.rollback()


def commit_or_conflict(session: Session) -> None:
    """Commit ``session``; roll back and raise :class:`Conflict` when a versioned row changed meanwhile.

    The one commit of a request or a CLI command. Services check versions before
    they write (and raise their own conflict); this catches the race the database
    sees at flush, between that check and the commit.

    :raise Conflict: see above; the database keeps the other writer's version.
    """
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise Conflict(
            "someone else saved a newer version while this was being saved; nothing was changed: reload and try again"
        ) from None


def keep_changes() -> None:
    """Commit this request's writes even though it answers with an error (a failed login's attempt count)."""
    g.keep_changes = True


def get_or_404(model: type[T], ident: int, what: str | None = None) -> T:
    """The ``model`` row with primary key ``ident`` in the request's session.

    :raise NotFound: when there is none (answered with 404 by the error pages).
    """
    # An id no column can hold names no row; asked for, PostgreSQL would answer with an error, not none.
    found = get_session().get(model, ident) if 0 < ident <= MAX_ID else None
    if found is None:
        raise NotFound(f"There is no {what or model.__name__.lower()} number {ident}.")
    return found


def _close_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        if exc is not None:
            session.rollback()
        session.close()


# -- Migrations ---------------------------------------------------------------


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that works from a checkout and from an installed wheel.

    The engine travels in ``attributes`` rather than as a URL string, so
    passwords never pass through Alembic's ini interpolation. Alembic is
    imported here, not at module level, to keep every command's start-up short.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    config.attributes["engine"] = engine
    return config


# Search indexes made by raw SQL in migration 0002: the FTS5 table and its
# shadow tables on SQLite, the full-text expression index on PostgreSQL.
SEARCH_INDEX_PREFIXES = ("statements_fts", "ix_search_")


def include_in_autogenerate(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic ``include_name`` hook: hide the search indexes, which are not ORM objects.

    Used by migrations/env.py and by the test that compares models and migrations,
    so both agree on what autogenerate should see.
    """
    if type_ in ("table", "index") and name is not None:
        return not name.startswith(SEARCH_INDEX_PREFIXES)
    return True


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
