"""The test database itself: one shared connection per test, a SAVEPOINT per session, nothing left behind."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claimtrack import db
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.speakers.models import Speaker, SpeakerAlias
from claimtrack.speakers.services import create_speaker
from claimtrack.spotting.app import live_index
from tests.conftest import rolled_back, savepoint_session


def speaker_names(session: Session) -> list[str]:
    return list(session.scalars(select(Speaker.name).order_by(Speaker.name)))


def test_a_rollback_returns_to_the_savepoint_and_keeps_what_was_committed(session: Session) -> None:
    create_speaker(session, "Kept Speaker")
    session.commit()
    create_speaker(session, "Undone Speaker")
    session.flush()
    assert speaker_names(session) == ["Kept Speaker", "Undone Speaker"], "the write reached the database"
    session.rollback()
    assert speaker_names(session) == ["Kept Speaker"]
    with pytest.raises(IntegrityError), session.begin_nested():
        create_speaker(session, "Nested Speaker")
        session.flush()
        session.add(SpeakerAlias(speaker_id=10**9, alias="nobody's alias"))
        session.flush()
    assert speaker_names(session) == ["Kept Speaker"], "a failed nested savepoint undoes only its own writes"


def test_foreign_keys_are_enforced_on_the_shared_connection(session: Session, connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    session.add(SpeakerAlias(speaker_id=10**9, alias="an alias of no one"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_the_app_and_the_test_share_one_connection(app: Flask, session: Session, connection: Connection) -> None:
    create_speaker(session, "Arranged By The Test")
    session.commit()
    with app.app_context():
        request_session = db.get_session()
        assert request_session.connection() is connection
        assert speaker_names(request_session) == ["Arranged By The Test"]
        create_speaker(request_session, "Written By A Request")
        db.end_request(succeeded=True)  # commits: releases the request's savepoint
    with app.app_context():
        create_speaker(db.get_session(), "Written By A Failed Request")
        db.end_request(succeeded=False)  # rolls back to the request's savepoint
    assert speaker_names(session) == ["Arranged By The Test", "Written By A Request"]


def test_the_match_index_reads_the_change_log_on_the_shared_connection(app: Flask, session: Session) -> None:
    statement = log_statement(session, "The ferry to the island runs again from March.", speaker=None)
    session.commit()
    with app.app_context():
        matches = live_index().search(db.get_session(), "ferry to the island runs again")
        assert [m.doc_id for m in matches][:1] == [statement.id]
        log_statement(db.get_session(), "Tram fares fall by half in the spring.", speaker=None)
        db.end_request(succeeded=True)
    with app.app_context():
        assert live_index().search(db.get_session(), "tram fares fall by half") != []


def test_nothing_written_in_a_test_transaction_outlives_it(engine: Engine) -> None:
    with rolled_back(engine) as connection, savepoint_session(connection) as session:
        log_statement(session, "Written inside a test that is then rolled back.", speaker=None)
        session.commit()
        assert session.scalar(select(func.count()).select_from(Statement)) == 1
    with engine.connect() as other:
        assert other.scalar(select(func.count()).select_from(Statement)) == 0
        assert other.scalar(text("SELECT count(*) FROM statement_changes")) == 0
