"""The write API follows the publishing workflow: drafts, publishing bound to the version read, retraction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.models import LinkRelation, Statement, StatementLink
from claimtrack.claims.services import link_statements, log_statement
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation
from claimtrack.outcomes.services import link_outcome, publish_link, record_outcome
from claimtrack.ratings.models import Rating
from claimtrack.ratings.services import publish_rating, rate_statement
from claimtrack.speakers.services import create_speaker
from tests.desk.conftest import see_committed

Headers = dict[str, str]
Item = Statement | Rating | Outcome | OutcomeLink | StatementLink

#: Where each kind of item lives in the API.
KINDS = {
    "statement": "/api/v1/statements/{}",
    "rating": "/api/v1/ratings/{}",
    "outcome": "/api/v1/outcomes/{}",
    "outcome_link": "/api/v1/outcome-links/{}",
    "statement_link": "/api/v1/statement-links/{}",
}
STATEMENT = {
    "text": "Every bridge will be open by spring.",
    "speaker": "Ada Quill",
    "new_speaker": True,
    "said_on": "2025-11-20",
    "source_url": "https://news.example/bridges",
}


@dataclass
class Drafts:
    """One draft of each kind, made by the system: a statement with a rating, an outcome linked to it, and a
    link to a second statement."""

    statement: Statement
    rating: Rating
    outcome: Outcome
    outcome_link: OutcomeLink
    statement_link: StatementLink

    def of(self, kind: str) -> Item:
        item: Item = getattr(self, kind)
        return item


@pytest.fixture
def drafts(session: Session) -> Drafts:
    speaker = create_speaker(session, "Ada Quill", role_title="Minister of Bridges")
    statement = log_statement(session, "Every bridge will be open by spring.", speaker=speaker,
                              said_on=dt.date(2025, 11, 20))
    other = log_statement(session, "No bridge will open this year.", speaker=speaker, said_on=dt.date(2025, 11, 21))
    session.flush()
    rating = rate_statement(session, statement, scale="truth", verdict="false", rationale="There is no budget.")
    outcome = record_outcome(session, "No bridge opened by the spring.", occurred_on=dt.date(2026, 3, 21))
    made = Drafts(
        statement, rating, outcome,
        link_outcome(session, outcome, statement, OutcomeRelation.CONTRADICTS),
        link_statements(session, statement, other, LinkRelation.CONTRADICTS),
    )
    session.commit()
    return made


@pytest.fixture
def fc_headers(token_for: Callable[[User], Headers], fact_checker: User) -> Headers:
    return token_for(fact_checker)


@pytest.fixture
def editor_headers(token_for: Callable[[User], Headers], editor: User) -> Headers:
    return token_for(editor)


def _ok(response: TestResponse, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def _error(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


def _publish_as_system(session: Session, item: Item) -> None:
    if isinstance(item, Rating):
        publish_rating(session, item, None, version=None)
    elif isinstance(item, OutcomeLink):
        publish_link(session, item, None, version=None)
    else:
        workflow.publish(session, item, None, version=None)


def _status(session: Session, item: Item) -> str:
    see_committed(session)
    return str(item.status.value)


def _audited(session: Session, item: Item, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity == item.__tablename__, AuditEvent.entity_id == item.id, AuditEvent.action == action)) or 0


# -- Drafts and the read API ---------------------------------------------------------------------------------


def test_every_read_resource_says_published(
    client: FlaskClient, drafts: Drafts, session: Session
) -> None:
    for kind in ("rating", "outcome_link"):  # each publishes what it hangs on: the statement, the outcome
        _publish_as_system(session, drafts.of(kind))
    session.commit()
    detail = _ok(client.get(f"/api/v1/statements/{drafts.statement.id}"))
    assert detail["status"] == "published"
    assert detail["current_rating"]["status"] == detail["ratings"][0]["status"] == "published"
    assert [link["status"] for link in detail["outcomes"]] == ["published"]


def test_a_token_holder_reads_a_draft_statement_as_the_desk_sees_it(
    client: FlaskClient, fc_headers: Headers, drafts: Drafts
) -> None:
    url = f"/api/v1/statements/{drafts.statement.id}"
    _error(client.get(url), 404)
    read = client.get(url, headers=fc_headers)
    assert (_ok(read)["status"], _ok(read)["version"]) == ("draft", drafts.statement.version)
    assert "Authorization" in read.headers["Vary"], "the public's answer and the newsroom's differ"
    _error(client.get(url, headers={"Authorization": "Bearer ct_revoked"}), 401)
    rating = _ok(client.get(f"/api/v1/ratings/{drafts.rating.id}", headers=fc_headers))
    assert (rating["status"], rating["version"], rating["verdict"]) == ("draft", 1, "false")
    _error(client.get(f"/api/v1/ratings/{drafts.rating.id}"), 401)
    _error(client.get("/api/v1/ratings/999999", headers=fc_headers), 404)
