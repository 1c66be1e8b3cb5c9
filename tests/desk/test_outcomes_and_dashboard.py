"""Outcomes linked to statements, the due-for-review queue, and the dashboard's work lists."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.articles.models import AppearanceStatus
from claimtrack.articles.services import record_appearance, store_article
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation
from claimtrack.outcomes.services import publish_link, record_outcome
from tests.desk.conftest import see_committed, sqlite_only

LONG_AGO = dt.date(2025, 12, 5)


def _prediction(session: Session, expected_by: dt.date) -> Statement:
    statement = log_statement(session, "A deal will be signed before the new year.", speaker=None, said_on=LONG_AGO, expected_by=expected_by)
    session.commit()
    return statement


def test_a_passed_prediction_without_outcome_is_due_for_review_until_an_outcome_is_linked(fc_client: FlaskClient, session: Session) -> None:
    due = _prediction(session, dt.date(2026, 1, 1))
    not_yet = log_statement(session, "Talks will end by 2099.", speaker=None, said_on=LONG_AGO, expected_by=dt.date(2099, 1, 1))
    session.commit()
    queue = fc_client.get("/desk/review").get_data(as_text=True)
    assert due.text in queue and not_yet.text not in queue
    assert due.text in fc_client.get("/desk/").get_data(as_text=True)
    response = fc_client.post(
        f"/desk/outcomes/new?statement={due.id}",
        data={"description": "No deal was signed by 1 January 2026.", "occurred_on": "2026-01-01",
              "evidence_url": "https://news.example/no-deal", "relation": "contradicts"},
    )
    assert response.status_code == 302 and response.location == f"/desk/statements/{due.id}"
    see_committed(session)
    link = session.scalars(select(OutcomeLink)).one()
    assert link.statement_id == due.id and link.relation is OutcomeRelation.CONTRADICTS
    assert due.text in fc_client.get("/desk/review").get_data(as_text=True), "a draft outcome settles nothing yet"
    workflow.publish(session, link.statement, None, version=None)
    publish_link(session, link, None, version=None)
    session.commit()
    assert due.text not in fc_client.get("/desk/review").get_data(as_text=True)
    assert "No deal was signed" in fc_client.get(f"/desk/statements/{due.id}").get_data(as_text=True)


@sqlite_only
def test_an_outcome_form_with_errors_keeps_the_input(fc_client: FlaskClient, session: Session) -> None:
    response = fc_client.post("/desk/outcomes/new", data={"description": "", "evidence_url": "nope", "evidence_title": "Kept title"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Describe what happened." in page and 'id="evidence_url-error"' in page and 'value="Kept title"' in page
    assert session.scalar(select(Outcome.id)) is None


def test_an_existing_outcome_is_linked_once_to_a_statement(fc_client: FlaskClient, session: Session) -> None:
    statement = _prediction(session, dt.date(2026, 1, 1))
    outcome = record_outcome(session, "Talks paused in January.")
    session.commit()
    url = f"/desk/statements/{statement.id}/outcomes"
    assert fc_client.post(url, data={"outcome_id": outcome.id, "relation": "partly"}).status_code == 302
    twice = fc_client.post(url, data={"outcome_id": outcome.id, "relation": "confirms"})
    assert twice.status_code == 409 and "already linked" in twice.get_data(as_text=True)
    assert "Talks paused in January." in fc_client.get("/desk/outcomes/").get_data(as_text=True)


def test_dashboard_lists_suggested_matches_awaiting_review(fc_client: FlaskClient, session: Session) -> None:
    statement = _prediction(session, dt.date(2099, 1, 1))
    article = store_article(session, "The envoy said a signed deal is near.", title="Envoy again")
    record_appearance(session, statement, article=article, matched_text="a signed deal is near", score=0.82,
                      status=AppearanceStatus.SUGGESTED)
    session.commit()
    page = fc_client.get("/desk/").get_data(as_text=True)
    assert "a signed deal is near" in page and "82%" in page and "review in its article" in page


def test_a_suggested_match_is_confirmed_from_the_dashboard_and_leaves_it(fc_client: FlaskClient, session: Session, fact_checker: User) -> None:
    statement = _prediction(session, dt.date(2099, 1, 1))
    article = store_article(session, "Two suggestions in one text.", title="Roundup")
    first = record_appearance(session, statement, article=article, matched_text="first match", score=0.7, status=AppearanceStatus.SUGGESTED)
    session.commit()
    page = fc_client.get("/desk/").get_data(as_text=True)
    assert f'action="/desk/appearances/{first.id}/confirm"' in page and f'action="/desk/appearances/{first.id}/reject"' in page
    assert fc_client.post(f"/desk/appearances/{first.id}/confirm").status_code == 302
    see_committed(session)
    assert first.status is AppearanceStatus.CONFIRMED and first.reviewer_id == fact_checker.id
    assert "first match" not in fc_client.get("/desk/").get_data(as_text=True)


def test_a_draft_rating_waits_for_review_once_on_every_dashboard(
    fc_client: FlaskClient, editor_client: FlaskClient, session: Session
) -> None:
    statement = _prediction(session, dt.date(2099, 1, 1))
    fc_client.post(f"/desk/statements/{statement.id}/ratings/new", data={"verdict": "outcome:pending", "rationale": "Too early."})
    editor_page, fc_page = editor_client.get("/desk/").get_data(as_text=True), fc_client.get("/desk/").get_data(as_text=True)
    for page in (editor_page, fc_page):
        assert "2 items wait for review" in page, "the draft statement and its draft rating"
        assert page.count(f"Review the rating on statement #{statement.id}") == 1
    assert "You publish them" in editor_page and "An editor reads and publishes them" in fc_page
    assert fc_page.count('<span class="mine">yours</span>') == 1, "the fact-checker's rating is marked as theirs"
