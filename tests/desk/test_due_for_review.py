"""One rule for "due for review": the public claim page and the desk's queue agree on every statement."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.demo import load_fixtures
from claimtrack.outcomes.models import OutcomeRelation
from claimtrack.outcomes.services import link_outcome, record_outcome
from tests.public.conftest import rate

TODAY = dt.date.today()
CLAIM_PAGE_SAYS_DUE = "has passed, so this verdict is due for review"


def _passed_prediction(session: Session, text: str = "A deal to end the fighting is really close.") -> Statement:
    """Like the demo's envoy prediction: said long ago, expected by a date that has passed."""
    return log_statement(session, text, speaker=None, said_on=TODAY - dt.timedelta(days=400),
                         expected_by=TODAY - dt.timedelta(days=300))


def _due_on_claim_page(client: FlaskClient, statement: Statement) -> bool:
    return CLAIM_PAGE_SAYS_DUE in client.get(f"/claims/{statement.id}").get_data(as_text=True)


def _due_in_queue(client: FlaskClient, statement: Statement) -> bool:
    return statement.text in client.get("/desk/review").get_data(as_text=True)


@pytest.mark.parametrize("settled_by", ["an outcome", "a settling verdict"])
def test_a_passed_prediction_rated_pending_is_due_on_the_claim_page_and_the_queue_until_settled(
    fc_client: FlaskClient, session: Session, settled_by: str
) -> None:
    statement = _passed_prediction(session)
    rate(session, statement, "pending", scale="outcome")
    session.commit()
    assert _due_on_claim_page(fc_client, statement) and _due_in_queue(fc_client, statement)

    if settled_by == "an outcome":
        outcome = record_outcome(session, "No agreement was signed by the expected date.", occurred_on=statement.expected_by)
        link = link_outcome(session, outcome, statement, OutcomeRelation.CONTRADICTS)
        session.commit()
        assert _due_on_claim_page(fc_client, statement) and _due_in_queue(fc_client, statement), "a draft settles nothing"
        workflow.publish(session, outcome, None, version=None)
        workflow.publish(session, link, None, version=None)
    else:
        rate(session, statement, "did_not_come_true", scale="outcome")
    session.commit()
    assert not _due_on_claim_page(fc_client, statement) and not _due_in_queue(fc_client, statement)


def test_only_an_unsettling_or_missing_verdict_leaves_a_passed_prediction_due(fc_client: FlaskClient, session: Session) -> None:
    unrated = _passed_prediction(session, "Talks will end by spring.")
    unverifiable = _passed_prediction(session, "The ceasefire will hold all winter.")
    rate(session, unverifiable, "unverifiable", scale="outcome")
    judged = _passed_prediction(session, "Only two major issues remain.")
    rate(session, judged, "half_true")
    not_yet = log_statement(session, "A deal will be signed next year.", speaker=None, said_on=TODAY - dt.timedelta(days=10),
                            expected_by=TODAY + dt.timedelta(days=365))
    rate(session, not_yet, "pending", scale="outcome")
    session.commit()
    queue = fc_client.get("/desk/review").get_data(as_text=True)
    assert unrated.text in queue and unverifiable.text in queue
    assert judged.text not in queue and not_yet.text not in queue
    assert _due_on_claim_page(fc_client, unverifiable)
    assert not _due_on_claim_page(fc_client, judged) and not _due_on_claim_page(fc_client, not_yet)


def test_every_demo_statement_is_due_on_its_claim_page_exactly_when_it_is_in_the_queue(fc_client: FlaskClient, session: Session) -> None:
    load_fixtures(session)
    session.commit()
    queue = fc_client.get("/desk/review").get_data(as_text=True)
    in_queue = {s.external_id for s in session.scalars(select(Statement)) if escape(s.text) in queue}
    on_claim_pages = {s.external_id for s in session.scalars(select(Statement)) if _due_on_any_claim_page(fc_client, s)}
    assert in_queue == on_claim_pages == {"demo-kellogg-last-10-metres"}, "the prediction with an outcome is due on neither"


def _due_on_any_claim_page(client: FlaskClient, statement: Statement) -> bool:
    return "so this statement is due for review" in client.get(f"/claims/{statement.id}").get_data(as_text=True) or _due_on_claim_page(client, statement)
