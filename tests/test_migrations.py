"""The one Alembic history creates exactly the models, and goes down again, on both engines."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from claimtrack.claims.services import log_statement
from claimtrack.db import current_revision, downgrade, include_in_autogenerate, make_engine, upgrade
from claimtrack.models import Base
from claimtrack.ratings.models import RatingKind
from claimtrack.ratings.services import publish_rating, rate_statement


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
