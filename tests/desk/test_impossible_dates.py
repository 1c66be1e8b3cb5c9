"""Dates that cannot be true are refused on the desk and in the API, naming the field, and nothing is written."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.articles.models import Appearance
from claimtrack.claims.editing import AppearanceInput, SourceInput, record_appearance_as_typed
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.errors import Invalid
from claimtrack.outcomes.models import Outcome
from claimtrack.speakers.models import Speaker
from tests.desk.conftest import see_committed

Headers = dict[str, str]
FAR_FUTURE = "2999-01-01"
STATEMENT_FORM = {
    "text": "The talks resume on Monday.",
    "speaker": "Marta Example",
    "new_speaker": "y",
    "said_on": "2025-12-07",
    "said_on_precision": "day",
    "source_kind": "article",
}


def _errors(page: str, field: str) -> list[str]:
    block = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def _count(session: Session, model: type) -> int:
    see_committed(session)
    return session.scalar(select(func.count()).select_from(model)) or 0


def _said_on(session: Session, statement_id: int) -> dt.date | None:
    see_committed(session)
    return session.scalar(select(Statement.said_on).where(Statement.id == statement_id))


@pytest.fixture
def fc_headers(token_for: Callable[[User], Headers], fact_checker: User) -> Headers:
    return token_for(fact_checker)


def test_the_desk_refuses_a_statement_said_in_the_future_beside_the_date(fc_client: FlaskClient, session: Session) -> None:
    response = fc_client.post("/desk/statements/new", data={**STATEMENT_FORM, "said_on": FAR_FUTURE})
    assert response.status_code == 422
    assert _errors(response.get_data(as_text=True), "said_on") == ["The date it was said cannot be in the future."]
    assert _count(session, Statement) == 0


def test_the_desk_accepts_tomorrow_in_utc_for_newsrooms_ahead_of_utc(fc_client: FlaskClient, session: Session) -> None:
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    assert fc_client.post("/desk/statements/new", data={**STATEMENT_FORM, "said_on": tomorrow}).status_code == 302
    assert _count(session, Statement) == 1


def test_an_edit_moving_the_date_into_the_future_is_refused_and_changes_nothing(
    fc_client: FlaskClient, session: Session
) -> None:
    statement = log_statement(session, "The talks resume on Monday.", speaker=None, said_on=dt.date(2025, 12, 7))
    session.commit()
    response = fc_client.post(
        f"/desk/statements/{statement.id}/edit", data={**STATEMENT_FORM, "said_on": FAR_FUTURE, "version": "1"}
    )
    assert response.status_code == 422
    assert _errors(response.get_data(as_text=True), "said_on") == ["The date it was said cannot be in the future."]
    assert _said_on(session, statement.id) == dt.date(2025, 12, 7)


def test_the_desk_refuses_an_outcome_dated_in_the_future(fc_client: FlaskClient, session: Session) -> None:
    response = fc_client.post("/desk/outcomes/new", data={"description": "A deal was signed.", "occurred_on": FAR_FUTURE})
    assert response.status_code == 422
    assert _errors(response.get_data(as_text=True), "occurred_on") == ["The date it happened cannot be in the future."]
    assert _count(session, Outcome) == 0


def _logged(session: Session) -> Statement:
    statement = log_statement(session, "The talks resume on Monday.", speaker=None, said_on=dt.date(2025, 12, 7))
    session.commit()
    return statement


def test_the_desk_refuses_a_repeat_appearance_dated_in_the_future_beside_the_date(
    fc_client: FlaskClient, session: Session
) -> None:
    statement = _logged(session)
    form = {"speaker": "Nova Speaker", "new_speaker": "y", "appeared_on": FAR_FUTURE,
            "source_url": "https://news.example/again", "source_kind": "article"}
    response = fc_client.post(f"/desk/statements/{statement.id}/appearances/new", data=form)
    assert response.status_code == 422
    assert _errors(response.get_data(as_text=True), "appeared_on") == ["The date it was said again cannot be in the future."]
    assert (_count(session, Appearance), _count(session, Speaker)) == (0, 0)


def test_recording_a_repeat_appearance_in_the_future_is_refused_before_anything_is_made(session: Session) -> None:
    statement = _logged(session)
    typed = AppearanceInput(speaker="Nova Speaker", new_speaker=True, appeared_on=dt.date(2999, 1, 1),
                            source=SourceInput(url="https://news.example/again"))
    with pytest.raises(Invalid) as refused:
        record_appearance_as_typed(session, statement, typed)
    assert refused.value.field == "appeared_on"
    session.flush()
    assert (_count(session, Appearance), _count(session, Speaker)) == (0, 0)


def test_the_api_answers_422_naming_appeared_on_and_writes_nothing(
    client: FlaskClient, fc_headers: Headers, session: Session
) -> None:
    statement = _logged(session)
    body = {"appeared_on": FAR_FUTURE, "source_url": "https://news.example/again"}
    response = client.post(f"/api/v1/statements/{statement.id}/appearances", json=body, headers=fc_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"appeared_on": ["The date it was said again cannot be in the future."]}
    assert _count(session, Appearance) == 0


def test_the_api_answers_422_naming_said_on_and_writes_nothing(
    client: FlaskClient, fc_headers: Headers, session: Session
) -> None:
    body = {"text": "The talks resume on Monday.", "speaker": "Marta Example", "said_on": FAR_FUTURE}
    response = client.post("/api/v1/statements", json=body, headers=fc_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"said_on": ["The date it was said cannot be in the future."]}
    assert _count(session, Statement) == 0
    created = client.post("/api/v1/statements", json={**body, "said_on": "2025-12-07"}, headers=fc_headers).get_json()
    patched = client.patch(f"/api/v1/statements/{created['id']}", json={"version": 1, "said_on": FAR_FUTURE}, headers=fc_headers)
    assert patched.status_code == 422 and "said_on" in patched.get_json()["error"]["fields"]
    assert _said_on(session, created["id"]) == dt.date(2025, 12, 7)


def test_the_api_answers_422_naming_occurred_on_and_writes_nothing(
    client: FlaskClient, fc_headers: Headers, session: Session
) -> None:
    response = client.post("/api/v1/outcomes", json={"description": "A deal was signed.", "occurred_on": FAR_FUTURE},
                           headers=fc_headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"occurred_on": ["The date it happened cannot be in the future."]}
    assert _count(session, Outcome) == 0


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_the_openapi_document_states_the_date_rule(client: FlaskClient) -> None:
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    described = [(name, field) for name, schema in schemas.items()
                 for field, spec in schema.get("properties", {}).items() if "in UTC" in spec.get("description", "")]
    assert {field for _name, field in described} == {"said_on", "occurred_on", "appeared_on"}
