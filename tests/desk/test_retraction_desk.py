"""Retraction on the desk: editors withdraw a published statement, rating version, outcome, outcome link or
statement link with a public note, bound to the version they read; nothing is ever deleted."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.models import LinkRelation, Statement, StatementLink
from claimtrack.claims.services import link_statements, log_statement
from claimtrack.errors import Conflict
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation
from claimtrack.outcomes.services import link_outcome, publish_link, record_outcome
from claimtrack.ratings.models import Rating
from claimtrack.ratings.services import publish_rating, retract_rating, update_draft
from claimtrack.speakers.services import create_speaker
from claimtrack.text import long_date
from tests.desk.conftest import see_committed
from tests.public.conftest import rate

NOTE = "We could not confirm the source of the quote."
MODELS = (Statement, Rating, Outcome, OutcomeLink, StatementLink, AuditEvent)
WORDS = "The river crossing will carry its first trains before the winter solstice, the transport minister said."


@dataclass
class Record:
    statement: Statement
    other: Statement
    rating: Rating
    outcome: Outcome
    outcome_link: OutcomeLink
    statement_link: StatementLink

    def item(self, kind: str) -> Any:
        return getattr(self, kind.replace("-", "_"))


@pytest.fixture
def record(session: Session) -> Record:
    """A published statement with a published rating, a published outcome link and a published statement link."""
    speaker = create_speaker(session, "Ada Quill", role_title="Minister of Transport")
    statement = log_statement(session, WORDS, speaker=speaker, said_on=dt.date(2025, 12, 1))
    other = log_statement(session, "No trains will cross the river this year.", speaker=speaker,
                          said_on=dt.date(2025, 12, 2))
    session.flush()
    rating = rate(session, statement, "true", headline="TRAINS-HEADLINE")
    rate(session, other, "false")
    outcome = record_outcome(session, "The first train crossed on 20 December.", occurred_on=dt.date(2025, 12, 20))
    session.flush()
    outcome_link = publish_link(session, link_outcome(session, outcome, statement, OutcomeRelation.CONFIRMS), None,
                                version=None)
    statement_link = link_statements(session, statement, other, LinkRelation.CONTRADICTS)
    session.flush()
    workflow.publish(session, statement_link, None, version=None)
    session.commit()
    return Record(statement, other, rating, outcome, outcome_link, statement_link)


def row_counts(session: Session) -> dict[str, int]:
    return {model.__name__: session.scalar(select(func.count()).select_from(model)) or 0 for model in MODELS}


def retract_url(kind: str, item: Any) -> str:
    return f"/desk/retract/{kind}/{item.id}"


def field_errors(page: str, field: str) -> str:
    found = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


KINDS = ["statement", "rating", "outcome", "outcome-link", "statement-link"]
#: Where the editor lands after retracting each kind.
BACK = {"statement": "statement", "rating": "statement", "outcome-link": "statement", "statement-link": "statement",
        "outcome": None}


@pytest.mark.parametrize("kind", KINDS)
def test_an_editor_retracts_each_kind_through_the_desk_and_nothing_is_deleted(
    editor_client: FlaskClient, editor: User, session: Session, record: Record, kind: str
) -> None:
    item = record.item(kind)
    before = row_counts(session)
    form = editor_client.get(retract_url(kind, item))
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert "nothing is deleted" in page.lower() and 'name="note"' in page
    assert f'name="version" type="hidden" value="{item.version}"' in page
    if kind == "statement":
        assert "The claim page will answer 410 Gone with your note; nothing is deleted." in page

    response = editor_client.post(retract_url(kind, item), data={"note": NOTE, "version": item.version})
    assert response.status_code == 302
    expected = f"/desk/statements/{record.statement.id}" if BACK[kind] else "/desk/outcomes/"
    assert response.location == expected
    see_committed(session)
    assert item.is_retracted and item.retraction_note == NOTE and item.retracted_by_id == editor.id
    assert item.retracted_at is not None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "retract",
                                                     AuditEvent.entity == item.__tablename__)).one()
    assert event.entity_id == item.id and event.actor_id == editor.id and event.after["retraction_note"] == NOTE
    after = row_counts(session)
    assert {k: v for k, v in after.items() if k != "AuditEvent"} == {k: v for k, v in before.items() if k != "AuditEvent"}
    # An outcome's retraction also retracts its published link, a statement's its two links: one event each.
    assert after["AuditEvent"] == before["AuditEvent"] + {"outcome": 2, "statement": 3}.get(kind, 1)
    if kind == "outcome":
        assert record.outcome_link.is_retracted and record.outcome_link.retraction_note == NOTE


def test_retracting_the_current_rating_says_which_verdict_becomes_current(
    editor_client: FlaskClient, session: Session, record: Record
) -> None:
    newer = rate(session, record.statement, "mostly_true", kind="correction", correction_note="One track is late.")
    session.commit()
    page = editor_client.get(retract_url("rating", newer)).get_data(as_text=True)
    assert "The current verdict becomes" in page and "True</span>, the version published before it" in page
    editor_client.post(retract_url("rating", newer), data={"note": NOTE, "version": newer.version})
    see_committed(session)
    assert record.statement.current_rating_id == record.rating.id
    older = editor_client.get(retract_url("rating", record.rating)).get_data(as_text=True)
    assert "Not yet rated" in older, "no published version is left before it"


@pytest.mark.parametrize("kind", KINDS)
def test_fact_checkers_get_403_and_change_nothing(
    fc_client: FlaskClient, session: Session, record: Record, kind: str
) -> None:
    item = record.item(kind)
    assert fc_client.get(retract_url(kind, item)).status_code == 403
    assert fc_client.post(retract_url(kind, item), data={"note": NOTE, "version": item.version}).status_code == 403
    see_committed(session)
    assert item.is_published


def test_only_editors_see_the_retract_buttons(
    fc_client: FlaskClient, editor_client: FlaskClient, record: Record
) -> None:
    statement_page = f"/desk/statements/{record.statement.id}"
    assert "Retract…" not in fc_client.get(statement_page).get_data(as_text=True)
    assert "Retract…" not in fc_client.get("/desk/outcomes/").get_data(as_text=True)
    page = editor_client.get(statement_page).get_data(as_text=True)
    for kind in ("statement", "rating", "outcome-link", "statement-link"):
        assert f'href="{retract_url(kind, record.item(kind))}">Retract…</a>' in page, kind
    outcomes = editor_client.get("/desk/outcomes/").get_data(as_text=True)
    for kind in ("outcome", "outcome-link"):
        assert f'href="{retract_url(kind, record.item(kind))}">Retract…</a>' in outcomes, kind


@pytest.mark.parametrize("note", ["", "   \n  "])
def test_an_empty_note_is_refused_beside_the_field_and_nothing_changes(
    editor_client: FlaskClient, session: Session, record: Record, note: str
) -> None:
    response = editor_client.post(retract_url("statement", record.statement),
                                  data={"note": note, "version": record.statement.version})
    assert response.status_code == 422
    assert "Say why, in a note readers will see." in field_errors(response.get_data(as_text=True), "note")
    see_committed(session)
    assert record.statement.is_published and record.statement.retraction_note is None
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "retract")) == 0


def test_a_post_without_the_version_read_is_refused(editor_client: FlaskClient, session: Session, record: Record) -> None:
    response = editor_client.post(retract_url("statement", record.statement), data={"note": NOTE})
    assert response.status_code == 422
    assert "The form was incomplete; reload the page." in response.get_data(as_text=True)
    see_committed(session)
    assert record.statement.is_published


@pytest.mark.parametrize("kind", KINDS)
def test_retracting_twice_answers_409_and_keeps_the_first_note(
    editor_client: FlaskClient, session: Session, record: Record, kind: str
) -> None:
    item = record.item(kind)
    version = item.version
    assert editor_client.post(retract_url(kind, item), data={"note": NOTE, "version": version}).status_code == 302
    see_committed(session)
    again = editor_client.post(retract_url(kind, item), data={"note": "A second note.", "version": item.version})
    assert again.status_code == 409
    assert "retracted already" in again.get_data(as_text=True)
    see_committed(session)
    assert item.retraction_note == NOTE


def test_a_retraction_of_an_older_version_than_the_stored_one_is_refused(
    editor_client: FlaskClient, session: Session, record: Record
) -> None:
    read = record.statement.version
    record.statement.context = "Said at a press conference."  # someone saves a change after the editor read it
    session.commit()
    assert record.statement.version == read + 1
    response = editor_client.post(retract_url("statement", record.statement), data={"note": NOTE, "version": read})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert f"not version {read} you read" in page
    assert f'name="version" type="hidden" value="{read + 1}"' in page, "retracting what is shown now is a second click"
    see_committed(session)
    assert record.statement.is_published


def test_a_draft_was_never_public_so_it_cannot_be_retracted(
    editor_client: FlaskClient, session: Session, record: Record
) -> None:
    draft = log_statement(session, "A draft nobody reviewed.", speaker=None)
    session.commit()
    page = editor_client.get(retract_url("statement", draft)).get_data(as_text=True)
    assert "it was never public, so there is nothing to retract" in page and 'name="note"' not in page
    response = editor_client.post(retract_url("statement", draft), data={"note": NOTE, "version": draft.version})
    assert response.status_code == 409
    see_committed(session)
    assert draft.is_draft


@pytest.mark.parametrize("url", ["/desk/retract/speaker/1", "/desk/retract/statement/999999"])
def test_an_unknown_kind_or_item_is_not_found(editor_client: FlaskClient, url: str) -> None:
    assert editor_client.get(url).status_code == 404


def test_the_desk_pages_show_what_was_retracted_when_by_whom_and_why(
    editor_client: FlaskClient, editor: User, session: Session, record: Record
) -> None:
    for kind in ("rating", "statement-link", "outcome"):
        item = record.item(kind)
        editor_client.post(retract_url(kind, item), data={"note": f"{NOTE} ({kind})", "version": item.version})
    see_committed(session)
    when = long_date(record.rating.retracted_at)
    page = editor_client.get(f"/desk/statements/{record.statement.id}").get_data(as_text=True)
    for kind in ("rating", "statement-link", "outcome"):
        assert f"by {editor.display_name}: <span class=\"retraction-text\">{NOTE} ({kind})</span>" in page, kind
    assert page.count('<span class="badge-retracted">Retracted</span>') == 3, "rating, statement link, outcome link"
    assert when in page
    assert "Publish this rating" not in page and "Edit draft" not in page, "a retraction is final"
    assert f'href="{retract_url("statement", record.statement)}">Retract…</a>' in page, "the statement is still published"
    outcomes = editor_client.get("/desk/outcomes/").get_data(as_text=True)
    assert outcomes.count('<span class="badge-retracted">Retracted</span>') == 2, "the outcome and its link"
    assert "Retract…" not in outcomes
    editor_client.post(retract_url("statement", record.statement), data={"note": "Misquoted.", "version": record.statement.version})
    page = editor_client.get(f"/desk/statements/{record.statement.id}").get_data(as_text=True)
    assert page.count('<span class="badge-retracted">Retracted</span>') == 4 and "Retract…" not in page
    assert f'by {editor.display_name}: <span class="retraction-text">Misquoted.</span>' in page


def test_a_retracted_rating_is_never_published_or_edited_again(
    editor_client: FlaskClient, editor: User, session: Session, record: Record
) -> None:
    retract_rating(session, record.rating, editor, note=NOTE, version=record.rating.version)
    session.commit()
    with pytest.raises(Conflict, match="retracted"):
        publish_rating(session, record.rating, editor, version=record.rating.version)
    with pytest.raises(Conflict, match="retracted"):
        update_draft(session, record.rating, scale="truth", verdict="false", rationale="Again.", actor=editor,
                     version=record.rating.version)
    session.rollback()
    response = editor_client.post(f"/desk/ratings/{record.rating.id}/publish", data={"version": record.rating.version})
    assert response.status_code == 409
    see_committed(session)
    assert record.rating.is_retracted and record.statement.current_rating_id is None


def test_a_retracted_statement_no_longer_matches_an_article(
    editor_client: FlaskClient, session: Session, record: Record
) -> None:
    def check(text: str) -> str:
        response = editor_client.post("/desk/match", data={"text": text}, follow_redirects=True)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    assert "1 new suggestion to review." in check(f"In other news today. {WORDS}")
    editor_client.post(retract_url("statement", record.statement), data={"note": NOTE, "version": record.statement.version})
    assert "No sentence of this article repeats a known statement." in check(f"Elsewhere this week. {WORDS}")


def test_the_audit_trail_shows_every_retraction(
    editor_client: FlaskClient, client_for: Any, admin: User, session: Session, record: Record
) -> None:
    for kind in ("statement-link", "outcome-link", "rating", "statement"):
        item = record.item(kind)
        editor_client.post(retract_url(kind, item), data={"note": NOTE, "version": item.version})
    page = client_for(admin).get("/desk/audit/?action=retract").get_data(as_text=True)
    assert "4 events." in page
    for entity in ("statement_links", "outcome_links", "ratings", "statements"):
        assert f"<td>{entity} #" in page, entity
    assert NOTE in page


def test_retracting_a_statement_withdraws_its_published_links_with_the_same_note(
    editor_client: FlaskClient, session: Session, record: Record
) -> None:
    statement = record.statement
    response = editor_client.post(retract_url("statement", statement), data={"note": NOTE, "version": statement.version})
    assert response.status_code == 302
    see_committed(session)
    for link in (record.statement_link, record.outcome_link):
        assert link.is_retracted and link.retraction_note == NOTE, "nothing public may lead to a retracted statement"
    assert record.outcome.is_published, "the outcome itself still stands for other statements"


def test_a_link_to_a_draft_statement_is_not_published_from_the_desk(
    editor_client: FlaskClient, session: Session, record: Record
) -> None:
    draft = log_statement(session, "Trains will run on the new bridge by May.", speaker=None)
    link = link_statements(session, record.statement, draft, LinkRelation.SUPPORTS)
    session.commit()
    response = editor_client.post(f"/desk/statements/links/{link.id}/publish", data={"version": link.version})
    assert response.status_code == 409 and f"Statement {draft.id} is not published" in response.get_data(as_text=True)
    see_committed(session)
    assert link.is_draft
