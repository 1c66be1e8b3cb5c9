"""The one Alembic history creates exactly the models, and goes down again, on both engines."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.db import current_revision, downgrade, include_in_autogenerate, make_engine, upgrade
from claimtrack.models import Base
from claimtrack.orm import PublicationStatus
from claimtrack.ratings.models import RatingKind
from claimtrack.ratings.services import publish_rating, rate_statement
from claimtrack.search import parse_search_args, search_statements


def test_upgrade_downgrade_and_upgrade_again(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine)
        assert current_revision(engine) is not None
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())

        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

        upgrade(engine)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.isolated_database
def test_migrations_match_the_models(isolated_database_url: str) -> None:
    engine = make_engine(isolated_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_in_autogenerate})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_rating_kind_migration_makes_stored_versions_with_a_note_corrections(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine)
        with Session(engine) as session:
            statement = log_statement(session, "The bridge opens by spring.", speaker=None)
            session.flush()
            first = rate_statement(session, statement, scale="truth", verdict="false")
            publish_rating(session, first, actor=None, version=None)
            rate_statement(session, statement, scale="truth", verdict="true", kind="update", correction_note="Opened.")
            session.commit()
        downgrade(engine, "0006")
        upgrade(engine)
        with engine.connect() as connection:
            kinds = connection.execute(text("SELECT kind FROM ratings ORDER BY id")).scalars().all()
        # Before kinds, a note after a published rating was always a correction's.
        assert kinds == [None, RatingKind.CORRECTION.value]
    finally:
        engine.dispose()


def test_the_workflow_migration_publishes_what_was_stored_and_keeps_full_text_search(empty_database_url: str) -> None:
    """What was stored before 0008 was public and stays so; on SQLite the table rebuild must not lose
    the full-text triggers (0008 makes them again), so statements written after it are still found."""
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0007")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO statements (text, said_on_precision, language, created_at, updated_at, version) "
                "VALUES ('Bridges open in spring.', 'day', 'en', '2025-01-01 00:00:00', '2025-01-01 00:00:00', 1)"
            ))
        upgrade(engine)
        with Session(engine) as session:
            old = session.scalars(select(Statement)).one()
            assert old.status is PublicationStatus.PUBLISHED and old.published_at is not None
            log_statement(session, "Tunnels open in autumn.", speaker=None)
            session.commit()
            found = search_statements(session, parse_search_args({"q": "tunnels"}))
            assert [s.text for s in found.items] == ["Tunnels open in autumn."]
            assert [s.text for s in search_statements(session, parse_search_args({"q": "bridges"})).items] == ["Bridges open in spring."]
    finally:
        engine.dispose()
