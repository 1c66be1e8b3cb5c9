"""A version after a published rating is an update or a correction, chosen in the desk or the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from claimtrack.accounts.models import User
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.errors import Invalid
from claimtrack.ratings.models import Rating, RatingKind
from claimtrack.ratings.services import publish_rating, rate_statement, update_draft
from tests.desk.conftest import see_committed

Headers = dict[str, str]


def _published(session: Session) -> Statement:
    statement = log_statement(session, "The bridge opens by spring.", speaker=None)
    session.flush()
    publish_rating(session, rate_statement(session, statement, scale="truth", verdict="false"), actor=None, version=None)
    session.commit()
    return statement


def _post(client: FlaskClient, statement_id: int, **overrides: str) -> TestResponse:
    data = {"verdict": "truth:false", "rationale": "Still not open.", "evidence": "", **overrides}
    return client.post(f"/desk/statements/{statement_id}/ratings/new", data=data)


def test_desk_refuses_a_new_version_without_its_kind_beside_the_field(fc_client: FlaskClient, session: Session) -> None:
    statement = _published(session)
    form = fc_client.get(f"/desk/statements/{statement.id}/ratings/new").get_data(as_text=True)
    assert 'name="kind" type="radio" value="update"' in form and 'value="correction"' in form
    refused = _post(fc_client, statement.id, correction_note="The council confirmed the delay.")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="kind-error"' in page and "say whether this version is an update or a correction" in page
    assert "The council confirmed the delay." in page, "what was typed stays"
    see_committed(session)
    assert len(session.scalars(select(Rating).where(Rating.statement_id == statement.id)).all()) == 1


@pytest.mark.parametrize("kind", [RatingKind.UPDATE, RatingKind.CORRECTION])
def test_desk_saves_the_kind_the_editor_chose(fc_client: FlaskClient, session: Session, kind: RatingKind) -> None:
    statement = _published(session)
    assert _post(fc_client, statement.id, kind=kind.value, correction_note="Why this version.").status_code == 302
    see_committed(session)
    first, second = session.scalars(select(Rating).where(Rating.statement_id == statement.id).order_by(Rating.id))
    assert (first.kind, second.kind, second.correction_note) == (None, kind, "Why this version.")


def test_desk_draft_edit_shows_and_changes_the_kind(fc_client: FlaskClient, session: Session) -> None:
    statement = _published(session)
    _post(fc_client, statement.id, kind="update", correction_note="New evidence.")
    see_committed(session)
    draft = session.scalars(select(Rating).where(Rating.statement_id == statement.id).order_by(Rating.id.desc())).first()
    assert draft is not None
    form = fc_client.get(f"/desk/ratings/{draft.id}/edit").get_data(as_text=True)
    assert 'checked id="kind-0" name="kind" type="radio" value="update"' in form
    changed = fc_client.post(f"/desk/ratings/{draft.id}/edit", data={
        "verdict": "truth:false", "rationale": "Still not open.", "kind": "correction",
        "correction_note": "We misread the date.", "version": draft.version})
    assert changed.status_code == 302
    see_committed(session)
    session.refresh(draft)
    assert (draft.kind, draft.correction_note) == (RatingKind.CORRECTION, "We misread the date.")


def test_api_a_new_version_needs_its_kind_and_a_missing_or_unknown_kind_is_a_422_naming_kind(
    client: FlaskClient, token_for: Callable[[User], Headers], fact_checker: User, session: Session
) -> None:
    statement = _published(session)
    headers = token_for(fact_checker)
    url = f"/api/v1/statements/{statement.id}/ratings"
    body = {"scale": "truth", "verdict": "false", "rationale": "Still not open.", "correction_note": "Delay confirmed."}
    missing = client.post(url, json=body, headers=headers)
    assert missing.status_code == 422 and set(missing.get_json()["error"]["fields"]) == {"kind"}
    unknown = client.post(url, json={**body, "kind": "retraction"}, headers=headers)
    assert unknown.status_code == 422 and "update, correction" in unknown.get_json()["error"]["fields"]["kind"][0]
    no_note = client.post(url, json={**body, "kind": "update", "correction_note": " "}, headers=headers)
    assert no_note.status_code == 422 and set(no_note.get_json()["error"]["fields"]) == {"correction_note"}

    created = client.post(url, json={**body, "kind": "update"}, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert (created.get_json()["kind"], created.get_json()["correction_note"]) == ("update", "Delay confirmed.")
    see_committed(session)
    stored = session.get(Rating, created.get_json()["id"])
    assert stored is not None and stored.kind is RatingKind.UPDATE


def test_api_a_first_rating_has_no_kind(
    client: FlaskClient, token_for: Callable[[User], Headers], fact_checker: User, session: Session
) -> None:
    statement = log_statement(session, "The bridge opens by spring.", speaker=None)
    session.commit()
    created = client.post(f"/api/v1/statements/{statement.id}/ratings", headers=token_for(fact_checker),
                          json={"scale": "truth", "verdict": "false", "rationale": "Not open.", "kind": "correction"})
    assert created.status_code == 201 and created.get_json()["kind"] is None


def test_a_draft_started_before_the_first_publish_must_say_its_kind_before_it_replaces_it(
    session: Session, editor: User
) -> None:
    statement = log_statement(session, "The bridge opens by spring.", speaker=None)
    session.flush()
    first = rate_statement(session, statement, scale="truth", verdict="false")
    late = rate_statement(session, statement, scale="truth", verdict="true")
    publish_rating(session, first, actor=None, version=None)
    with pytest.raises(Invalid) as refused:
        publish_rating(session, late, editor, version=late.version)
    assert refused.value.field == "kind" and not late.is_published
    update_draft(session, late, scale="truth", verdict="true", kind="update", correction_note="It opened.",
                 actor=editor, version=late.version)
    publish_rating(session, late, editor, version=late.version)
    assert statement.current_rating is late and late.kind is RatingKind.UPDATE
