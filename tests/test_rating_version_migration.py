"""Migration 0006 gives the ratings already stored version 1, and goes down again, on both engines."""

from __future__ import annotations

from sqlalchemy import inspect, text

from claimtrack.db import downgrade, make_engine, upgrade


def test_ratings_stored_before_the_version_counter_start_at_version_1(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0004")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO statements (id, text, said_on_precision, language, created_at, updated_at, version) "
                "VALUES (1, 'Only two major issues remain.', 'day', 'en', :now, :now, 1)"
            ), {"now": "2026-01-01 12:00:00+00:00"})
            connection.execute(text(
                "INSERT INTO ratings (id, statement_id, scale, verdict, rationale, evidence, status, created_at) "
                "VALUES (1, 1, 'truth', 'false', 'Nobody named two.', '[]', 'draft', :now)"
            ), {"now": "2026-01-01 12:00:00+00:00"})

        upgrade(engine, "0006")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version FROM ratings WHERE id = 1")).scalar_one() == 1

        downgrade(engine, "0004")
        assert "version" not in {c["name"] for c in inspect(engine).get_columns("ratings")}
        with engine.connect() as connection:
            assert connection.execute(text("SELECT verdict FROM ratings WHERE id = 1")).scalar_one() == "false"
    finally:
        engine.dispose()
