"""The domain model round-trips through both engines with its rules intact."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from claimtrack import workflow
from claimtrack.accounts.models import Role, User
from claimtrack.accounts.services import authenticate, create_user
from claimtrack.articles.models import Appearance, AppearanceStatus
from claimtrack.articles.services import record_appearance, store_article
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.models import DatePrecision, LinkRelation, SourceKind, Statement, StatementLink
from claimtrack.claims.services import get_or_create_source, link_statements, log_statement
from claimtrack.errors import Invalid, PermissionDenied
from claimtrack.outcomes.models import OutcomeRelation
from claimtrack.outcomes.services import link_outcome, record_outcome
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.ratings.services import publish_rating, rate_statement
from claimtrack.speakers.services import create_speaker, find_speaker_by_name


@pytest.fixture
def editor(session: Session) -> User:
    return create_user(session, "editor@example.org", "correct horse battery", Role.EDITOR)


@pytest.fixture
def fact_checker(session: Session) -> User:
    return create_user(session, "checker@example.org", "correct horse battery", Role.FACT_CHECKER)


def test_statement_round_trips_with_speaker_source_and_topics(session: Session, fact_checker: User) -> None:
    speaker = create_speaker(session, "Dmitry Peskov", role_title="Kremlin spokesperson", country="ru", aliases=["Peskov", "the Kremlin"])
    source = get_or_create_source(session, "https://example.org/a", publisher="Example", kind=SourceKind.PRESS_CONFERENCE)
    statement = log_statement(
        session,
        "  Any deal needs radical changes.  ",
        speaker=speaker,
        said_on=dt.date(2025, 12, 3),
        said_on_precision=DatePrecision.MONTH,
        source=source,
        topics=["Peace talks", "peace  talks", "Kremlin"],
        external_id="ext-1",
        actor=fact_checker,
    )
    session.commit()
    statement_id = statement.id
    session.expunge_all()

    loaded = session.get(Statement, statement_id)
    assert loaded is not None
    assert loaded.text == "Any deal needs radical changes."
    assert loaded.said_on == dt.date(2025, 12, 1), "a month-precise date is stored as the month's first day"
    assert loaded.said_on_precision is DatePrecision.MONTH
    assert loaded.speaker.slug == "dmitry-peskov"
    assert loaded.speaker.country == "RU"
    assert [a.alias for a in loaded.speaker.aliases] == ["Peskov", "the Kremlin"]
    assert loaded.source.kind is SourceKind.PRESS_CONFERENCE
    assert [t.name for t in loaded.topics] == ["Kremlin", "Peace talks"]
    assert loaded.created_by.email == "checker@example.org"
    assert loaded.created_at.tzinfo is not None
    assert loaded.version == 1


def test_speaker_is_found_by_alias_ignoring_case(session: Session) -> None:
    create_speaker(session, "Keith Kellogg", aliases=["the U.S. envoy"])
    session.commit()
    assert find_speaker_by_name(session, "THE U.S.  ENVOY").name == "Keith Kellogg"
    assert find_speaker_by_name(session, "keith kellogg").name == "Keith Kellogg"
    assert find_speaker_by_name(session, "%") is None


@pytest.mark.isolated_database
def test_second_save_of_a_stale_statement_is_refused(session: Session, engine) -> None:
    from claimtrack.db import make_session_factory

    statement = log_statement(session, "We're in the last 10 metres.", speaker=None)
    session.commit()
    with make_session_factory(engine)() as other:
        theirs = other.get(Statement, statement.id)
        theirs.context = "edited elsewhere first"
        other.commit()
    statement.context = "edited here second"
    with pytest.raises(StaleDataError):
        session.commit()


def test_edits_count_as_versions_and_publishing_a_rating_does_not(session: Session, editor: User) -> None:
    statement = log_statement(session, "Talks resume in spring.", speaker=None)
    workflow.publish(session, statement, None, version=None)
    session.commit()
    assert statement.version == 2, "publishing it is a change of the statement"
    statement.context = "Said at a briefing."
    session.commit()
    assert statement.version == 3
    session.expire(statement)  # an edit of a statement whose version is not loaded still counts
    statement.claim = "Talks will resume in spring 2026."
    session.commit()
    assert statement.version == 4
    rating = rate_statement(session, statement, scale="outcome", verdict="pending", rationale="Too early.")
    publish_rating(session, rating, actor=editor, version=rating.version)
    session.commit()
    assert statement.current_rating_id == rating.id and statement.version == 4


def test_ratings_are_append_only_and_later_versions_say_whether_they_update_or_correct(session: Session, editor: User, fact_checker: User) -> None:
    statement = log_statement(session, "A deal is really close.", speaker=None)
    first = rate_statement(session, statement, scale="outcome", verdict="pending", actor=fact_checker)
    assert statement.current_rating is None, "a draft never becomes current"
    with pytest.raises(PermissionDenied, match="only editors"):
        publish_rating(session, first, fact_checker, version=first.version)
    publish_rating(session, first, editor, version=first.version)
    assert statement.current_rating is first

    with pytest.raises(Invalid, match="update or a correction"):
        rate_statement(session, statement, scale="outcome", verdict="did_not_come_true", actor=fact_checker)
    with pytest.raises(Invalid, match="say what is new"):
        rate_statement(session, statement, scale="outcome", verdict="did_not_come_true", kind="update", actor=fact_checker)
    with pytest.raises(Invalid, match="no verdict"):
        rate_statement(session, statement, scale="truth", verdict="pants_on_fire", kind="correction", correction_note="x")
    second = rate_statement(
        session, statement, scale="outcome", verdict="did_not_come_true", kind="update",
        correction_note="No deal by the date.", actor=fact_checker,
    )
    publish_rating(session, second, editor, version=second.version)
    session.commit()
    session.expunge_all()

    reloaded = session.get(Statement, statement.id)
    assert [r.verdict for r in reloaded.ratings] == ["pending", "did_not_come_true"]
    assert reloaded.current_rating.verdict == "did_not_come_true"
    assert reloaded.current_rating.supersedes.verdict == "pending"
    assert reloaded.ratings[0].status is RatingStatus.PUBLISHED, "the first version keeps its published state"
    assert reloaded.current_rating.published_at.tzinfo is not None
    assert reloaded.current_rating.verdict_label == "Did not come true"


def test_outcomes_links_and_appearances_round_trip(session: Session, fact_checker: User) -> None:
    close = log_statement(session, "A deal is really close.", speaker=None, expected_by=dt.date(2026, 1, 31))
    changes = log_statement(session, "Radical changes are needed.", speaker=None)
    outcome = record_outcome(session, "No agreement signed by the end of January.", occurred_on=dt.date(2026, 1, 31))
    link_outcome(session, outcome, close, OutcomeRelation.CONTRADICTS)
    link_statements(session, close, changes, LinkRelation.CONTRADICTS, note="cannot both be fully true")
    article = store_article(session, "The envoy said a deal was very close.", title="Envoy upbeat")
    assert store_article(session, "The envoy said a deal was very close.") is article, "same text is stored once"
    record_appearance(
        session, close, article=article, matched_text="a deal was very close", start_offset=16, end_offset=37,
        score=0.91, status=AppearanceStatus.SUGGESTED,
    )
    record_appearance(session, close, appeared_on=dt.date(2025, 12, 9), actor=fact_checker)
    session.commit()
    session.expunge_all()

    loaded = session.get(Statement, close.id)
    assert loaded.outcome_links[0].relation is OutcomeRelation.CONTRADICTS
    assert loaded.outcome_links[0].outcome.occurred_on == dt.date(2026, 1, 31)
    statuses = sorted(a.status.value for a in loaded.appearances)
    assert statuses == ["confirmed", "suggested"]
    manual = next(a for a in loaded.appearances if a.status is AppearanceStatus.CONFIRMED)
    assert manual.reviewer_id == fact_checker.id and manual.reviewed_at is not None
    link = session.scalars(select(StatementLink)).one()
    assert (link.from_statement_id, link.to_statement_id) == (close.id, changes.id)
    with pytest.raises(Invalid):
        link_statements(session, loaded, loaded, LinkRelation.REPEATS)


def test_every_write_leaves_an_audit_event_without_secrets(session: Session, editor: User) -> None:
    statement = log_statement(session, "Territory must be restored.", speaker=None, actor=editor)
    session.commit()
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.entity, e.action) for e in events] == [("users", "create"), ("statements", "create")]
    assert events[1].actor_id == editor.id and events[1].entity_id == statement.id
    assert events[1].after["text"] == "Territory must be restored."
    assert "password_hash" not in events[0].after


def test_users_authenticate_with_hashed_passwords(session: Session, editor: User) -> None:
    assert editor.password_hash.startswith("scrypt:")
    assert authenticate(session, " Editor@Example.org ", "correct horse battery") is editor
    assert authenticate(session, "editor@example.org", "wrong password!") is None
    with pytest.raises(Invalid, match="already exists"):
        create_user(session, "EDITOR@example.org", "another long one", Role.ADMIN)
    with pytest.raises(Invalid, match="at least"):
        create_user(session, "new@example.org", "short", Role.ADMIN)
    editor.active = False
    assert authenticate(session, "editor@example.org", "correct horse battery") is None


def test_deleting_a_statement_removes_its_ratings_and_appearances(session: Session) -> None:
    statement = log_statement(session, "A deal is really close.", speaker=None)
    rating = rate_statement(session, statement, scale="truth", verdict="false")
    publish_rating(session, rating, None, version=None)
    record_appearance(session, statement)
    session.commit()
    session.delete(statement)
    session.commit()
    assert session.scalars(select(Rating)).all() == []
    assert session.scalars(select(Appearance)).all() == []
