"""Publishing and editing a draft rating are bound to the version the person read.

The walk that found it: an editor read a "False" draft, the fact-checker changed it to "True"
through the API, the editor clicked Publish, and "True" went public.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.audit.models import AuditEvent
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.ratings.models import Rating, RatingStatus
from claimtrack.ratings.services import StaleRating, publish_rating, rate_statement, recorded_version, update_draft
from tests.desk.conftest import see_committed, sqlite_only

Headers = dict[str, str]
FALSE_DRAFT: dict[str, Any] = {"scale": "truth", "verdict": "false", "headline": "Nobody named two issues",
               "rationale": "The transcript names no issue at all."}
TRUE_DRAFT: dict[str, Any] = {"scale": "truth", "verdict": "true", "headline": "Two issues, as said",
              "rationale": "Both issues are in the minutes."}


def _statement(session: Session) -> Statement:
    statement = log_statement(session, "Only two major issues remain to be resolved.", speaker=None)
    session.commit()
    return statement


def _draft(client: FlaskClient, headers: Headers, statement_id: int) -> dict[str, Any]:
    created = client.post(f"/api/v1/statements/{statement_id}/ratings", json=FALSE_DRAFT, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    body: dict[str, Any] = created.get_json()
    return body


def _publish_version_on(page: str, rating_id: int) -> str:
    """The version the page's publish button for ``rating_id`` sends."""
    found = re.search(rf'action="/desk/ratings/{rating_id}/publish".*?name="version"[^>]*value="(\d+)"', page, re.S)
    assert found, "the page has a publish button carrying the draft's version"
    return found.group(1)


def _nothing_published(session: Session, statement_id: int, rating_id: int) -> None:
    see_committed(session)
    assert session.get_one(Rating, rating_id).status is RatingStatus.DRAFT
    assert session.get_one(Statement, statement_id).current_rating_id is None
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "publish")) == 0


def test_an_editor_cannot_publish_a_draft_changed_to_true_after_reading_it_as_false(
    client: FlaskClient, client_for: Callable[[User], FlaskClient], token_for: Callable[[User], Headers],
    fact_checker: User, editor: User, session: Session,
) -> None:
    statement = _statement(session)
    fc_headers = token_for(fact_checker)
    draft = _draft(client, fc_headers, statement.id)
    editor_client = client_for(editor)

    page = editor_client.get(f"/desk/statements/{statement.id}").get_data(as_text=True)
    assert "Nobody named two issues" in page
    read_version = _publish_version_on(page, draft["id"])
    assert read_version == str(draft["version"])

    swapped = client.put(f"/api/v1/ratings/{draft['id']}", json={**TRUE_DRAFT, "version": draft["version"]},
                         headers=fc_headers)
    assert swapped.status_code == 200 and swapped.get_json()["version"] == draft["version"] + 1

    refused = editor_client.post(f"/desk/ratings/{draft['id']}/publish", data={"version": read_version})
    assert refused.status_code == 409
    conflict = refused.get_data(as_text=True)
    assert "Nothing was <strong>published</strong>" in conflict
    assert 'verdict-false">False' in conflict and "Nobody named two issues" in conflict, "the version the editor read"
    assert 'verdict-true">True' in conflict and "Two issues, as said" in conflict, "the version stored now"
    _nothing_published(session, statement.id, draft["id"])
    assert client.get(f"/claims/{statement.id}").status_code == 404, "the statement waits for review with its rating"

    # Having reviewed the current version on the conflict page, the editor publishes that one.
    published = editor_client.post(f"/desk/ratings/{draft['id']}/publish", data={"version": _publish_version_on(conflict, draft["id"])})
    assert published.status_code == 302
    see_committed(session)
    assert session.get_one(Statement, statement.id).current_rating_id == draft["id"]
    assert session.get_one(Rating, draft["id"]).verdict == "true"


def test_a_stale_publish_through_the_api_is_a_409_and_publishes_nothing(
    client: FlaskClient, token_for: Callable[[User], Headers], fact_checker: User, editor: User, session: Session
) -> None:
    statement = _statement(session)
    fc_headers, editor_headers = token_for(fact_checker), token_for(editor)
    draft = _draft(client, fc_headers, statement.id)
    client.put(f"/api/v1/ratings/{draft['id']}", json={**TRUE_DRAFT, "version": draft["version"]}, headers=fc_headers)

    refused = client.post(f"/api/v1/ratings/{draft['id']}/publish", json={"version": draft["version"]}, headers=editor_headers)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert set(refused.get_json()) == {"error"} and error["status"] == 409
    assert f"version {draft['version'] + 1} now" in error["message"] and "'True'" in error["message"]
    _nothing_published(session, statement.id, draft["id"])

    accepted = client.post(f"/api/v1/ratings/{draft['id']}/publish", json={"version": draft["version"] + 1},
                           headers=editor_headers)
    assert accepted.status_code == 200 and accepted.get_json()["verdict"] == "true"


@sqlite_only
def test_publish_and_draft_edits_through_the_api_require_the_version(
    client: FlaskClient, token_for: Callable[[User], Headers], fact_checker: User, editor: User, session: Session
) -> None:
    statement = _statement(session)
    fc_headers = token_for(fact_checker)
    draft = _draft(client, fc_headers, statement.id)
    for response in (
        client.post(f"/api/v1/ratings/{draft['id']}/publish", headers=token_for(editor)),
        client.post(f"/api/v1/ratings/{draft['id']}/publish", json={}, headers=token_for(editor)),
        client.put(f"/api/v1/ratings/{draft['id']}", json=TRUE_DRAFT, headers=fc_headers),
    ):
        assert response.status_code == 422, response.get_data(as_text=True)
        assert "version" in response.get_json()["error"]["fields"]
    _nothing_published(session, statement.id, draft["id"])
    assert session.get_one(Rating, draft["id"]).verdict == "false"


@sqlite_only
def test_a_desk_publish_without_the_version_is_refused(
    editor_client: FlaskClient, session: Session
) -> None:
    statement = _statement(session)
    rating_id = rate_statement(session, statement, **FALSE_DRAFT).id
    session.commit()
    assert editor_client.post(f"/desk/ratings/{rating_id}/publish").status_code == 400
    _nothing_published(session, statement.id, rating_id)


@sqlite_only
def test_a_draft_edit_without_the_version_is_refused_and_says_why(fc_client: FlaskClient, fact_checker: User, session: Session) -> None:
    statement = _statement(session)
    rating_id = rate_statement(session, statement, **FALSE_DRAFT, actor=fact_checker).id
    session.commit()
    refused = fc_client.post(f"/desk/ratings/{rating_id}/edit", data={"verdict": "truth:true", "rationale": "Changed.", "evidence": ""})
    assert refused.status_code == 422 and "The form was incomplete; reload the page." in refused.get_data(as_text=True)
    see_committed(session)
    assert session.get_one(Rating, rating_id).verdict == "false"


def test_the_second_of_two_people_editing_one_draft_gets_the_conflict_and_the_first_change_stays(
    client_for: Callable[[User], FlaskClient], fact_checker: User, editor: User, session: Session
) -> None:
    statement = _statement(session)
    rating = rate_statement(session, statement, **FALSE_DRAFT, actor=fact_checker)
    session.commit()
    alice, bob = client_for(fact_checker), client_for(editor)
    for person in (alice, bob):
        form = person.get(f"/desk/ratings/{rating.id}/edit").get_data(as_text=True)
        assert re.search(r'name="version" type="hidden" value="1"', form)
    base = {"verdict": "truth:false", "evidence": "", "version": "1"}

    assert alice.post(f"/desk/ratings/{rating.id}/edit",
                      data={**base, "headline": "Alice's headline", "rationale": "Alice's rationale."}).status_code == 302
    stale = bob.post(f"/desk/ratings/{rating.id}/edit",
                     data={**base, "verdict": "truth:half_true", "headline": "Bob's headline", "rationale": "Bob's rationale."})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Your changes were <strong>not</strong> saved" in page
    assert "Nobody named two issues" in page and "Alice&#39;s headline" in page, "the version Bob read and the current one"
    assert "Bob&#39;s rationale." in page, "Bob's typing is kept"
    assert re.search(r'name="version" type="hidden" value="2"', page), "saving again is made to the version shown"
    see_committed(session)
    kept = session.get_one(Rating, rating.id)
    assert (kept.verdict, kept.headline, kept.rationale, kept.version) == ("false", "Alice's headline", "Alice's rationale.", 2)

    # Bob has now seen Alice's version: saving his over it is a deliberate second click.
    again = bob.post(f"/desk/ratings/{rating.id}/edit",
                     data={**base, "verdict": "truth:half_true", "headline": "Bob's headline", "rationale": "Bob's rationale.",
                           "version": "2"})
    assert again.status_code == 302
    see_committed(session)
    assert session.get_one(Rating, rating.id).verdict == "half_true"


def test_the_second_of_two_api_edits_made_to_one_version_gets_409(
    client: FlaskClient, token_for: Callable[[User], Headers], fact_checker: User, editor: User, session: Session
) -> None:
    statement = _statement(session)
    fc_headers, editor_headers = token_for(fact_checker), token_for(editor)
    draft = _draft(client, fc_headers, statement.id)
    url = f"/api/v1/ratings/{draft['id']}"
    assert client.put(url, json={**TRUE_DRAFT, "version": draft["version"]}, headers=fc_headers).status_code == 200
    second = client.put(url, json={**FALSE_DRAFT, "rationale": "Editor's rewrite.", "version": draft["version"]},
                        headers=editor_headers)
    assert second.status_code == 409 and second.get_json()["error"]["status"] == 409
    see_committed(session)
    kept = session.get_one(Rating, draft["id"])
    assert (kept.verdict, kept.rationale) == ("true", TRUE_DRAFT["rationale"])


def test_every_save_of_a_rating_records_its_version_so_a_stale_one_shows_what_was_read(
    session: Session, fact_checker: User, editor: User
) -> None:
    statement = log_statement(session, "Only two major issues remain to be resolved.", speaker=None)
    rating = rate_statement(session, statement, **FALSE_DRAFT, actor=fact_checker)
    session.flush()
    assert rating.version == 1
    update_draft(session, rating, **TRUE_DRAFT, actor=fact_checker, version=1)
    session.flush()
    assert rating.version == 2
    with pytest.raises(StaleRating) as stale:
        publish_rating(session, rating, editor, version=1)
    assert stale.value.reviewed is not None and stale.value.reviewed.verdict_label == "False"
    assert stale.value.rating.verdict == "true" and not rating.is_published
    shown = recorded_version(session, rating, 2)
    assert shown is not None and shown.headline == TRUE_DRAFT["headline"]
    assert recorded_version(session, rating, 7) is None


@sqlite_only
def test_a_person_publish_must_name_the_version_and_the_system_need_not(session: Session, editor: User) -> None:
    statement = log_statement(session, "Only two major issues remain to be resolved.", speaker=None)
    rating = rate_statement(session, statement, **FALSE_DRAFT)
    session.flush()
    with pytest.raises(ValueError, match="version"):
        publish_rating(session, rating, editor, version=None)
    publish_rating(session, rating, None, version=None)  # the fixture loader and the importer review nothing
    assert statement.current_rating is rating


@sqlite_only
def test_a_version_read_before_ratings_were_counted_is_shown_from_the_audit_trail(session: Session, editor: User) -> None:
    statement = log_statement(session, "Only two major issues remain to be resolved.", speaker=None)
    rating = rate_statement(session, statement, **FALSE_DRAFT)
    session.flush()
    created = session.scalars(select(AuditEvent).where(AuditEvent.entity == "ratings", AuditEvent.entity_id == rating.id)).one()
    assert created.after is not None
    created.after = {key: value for key, value in created.after.items() if key != "version"}  # as recorded before 0006
    update_draft(session, rating, **TRUE_DRAFT, actor=editor, version=1)
    with pytest.raises(StaleRating) as stale:
        publish_rating(session, rating, editor, version=1)
    assert stale.value.reviewed is not None and stale.value.reviewed.headline == FALSE_DRAFT["headline"]
