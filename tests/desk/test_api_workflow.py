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
from claimtrack.claims.models import LinkRelation, Statement, StatementLink, StatementRevision
from claimtrack.claims.services import link_statements, log_statement, publish_statement_link
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
    elif isinstance(item, StatementLink):
        publish_statement_link(session, item, None, version=None)
    else:
        workflow.publish(session, item, None, version=None)


def _ends_published(session: Session, drafts: Drafts, kind: str) -> None:
    """A public link leads only to public statements: publish what the link of ``kind`` hangs on."""
    if kind in ("outcome_link", "statement_link"):
        for statement in (drafts.statement, drafts.statement_link.to_statement):
            workflow.publish(session, statement, None, version=None)
        session.commit()


def _status(session: Session, item: Item) -> str:
    see_committed(session)
    return str(item.status.value)


def _audited(session: Session, item: Item, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity == item.__tablename__, AuditEvent.entity_id == item.id, AuditEvent.action == action)) or 0


# -- Drafts and the read API ---------------------------------------------------------------------------------


def test_a_statement_posted_is_a_draft_the_public_list_shows_only_once_published(
    client: FlaskClient, fc_headers: Headers, editor_headers: Headers, session: Session
) -> None:
    created = _ok(client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers), 201)
    assert created["status"] == "draft"
    search = "/api/v1/statements?q=bridge+spring"
    assert created["id"] not in [s["id"] for s in _ok(client.get(search))["items"]]
    _error(client.get(f"/api/v1/statements/{created['id']}"), 404)

    published = _ok(client.post(f"/api/v1/statements/{created['id']}/publish", json={"version": created["version"]},
                                headers=editor_headers))
    assert published["status"] == "published" and published["version"] > created["version"]
    listed = {s["id"]: s for s in _ok(client.get(search))["items"]}
    assert listed[created["id"]]["status"] == "published"
    assert _ok(client.get(f"/api/v1/statements/{created['id']}"))["status"] == "published"
    see_committed(session)
    stored = session.get_one(Statement, created["id"])
    assert stored.is_published and stored.version == published["version"]


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


# -- Publishing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_an_editor_publishes_a_draft_at_the_version_read_once(
    client: FlaskClient, editor_headers: Headers, editor: User, drafts: Drafts, session: Session, kind: str
) -> None:
    item = drafts.of(kind)
    _ends_published(session, drafts, kind)
    url = KINDS[kind].format(item.id) + "/publish"
    answer = _ok(client.post(url, json={"version": item.version}, headers=editor_headers))
    assert (answer["id"], answer["status"]) == (item.id, "published")
    assert _status(session, item) == "published" and item.published_by_id == editor.id
    assert answer["version"] == item.version and _audited(session, item, "publish") == 1
    again = _error(client.post(url, json={"version": item.version}, headers=editor_headers), 409)
    assert "already published" in again["message"]


def test_publishing_a_rating_publishes_its_draft_statement_and_a_link_its_draft_outcome(
    client: FlaskClient, editor_headers: Headers, drafts: Drafts, session: Session
) -> None:
    _ok(client.post(f"/api/v1/ratings/{drafts.rating.id}/publish", json={"version": 1}, headers=editor_headers))
    _ok(client.post(f"/api/v1/outcome-links/{drafts.outcome_link.id}/publish", json={"version": 1},
                    headers=editor_headers))
    see_committed(session)
    assert drafts.statement.is_published and drafts.statement.current_rating_id == drafts.rating.id
    assert drafts.outcome.is_published
    assert drafts.statement_link.is_draft, "a link is published on its own"


@pytest.mark.parametrize("kind", KINDS)
def test_a_publish_made_to_another_version_is_409_naming_the_current_one(
    client: FlaskClient, editor_headers: Headers, drafts: Drafts, session: Session, kind: str
) -> None:
    item = drafts.of(kind)
    _ends_published(session, drafts, kind)
    current = item.version
    error = _error(client.post(KINDS[kind].format(item.id) + "/publish", json={"version": current + 1},
                               headers=editor_headers), 409)
    assert f"version {current} now" in error["message"] and f"version {current + 1} you read" in error["message"]
    assert _status(session, item) == "draft" and item.version == current


@pytest.mark.parametrize("body", [None, {}, {"version": None}, {"version": "1"}, {"version": 1.5}, {"version": 0},
                                  {"version": True}, {"version": 2**31}])
def test_a_publish_without_a_whole_number_version_is_422(
    client: FlaskClient, editor_headers: Headers, drafts: Drafts, session: Session, body: Any
) -> None:
    for kind in KINDS:
        item = drafts.of(kind)
        url = KINDS[kind].format(item.id) + "/publish"
        response = client.post(url, headers=editor_headers) if body is None else client.post(
            url, json=body, headers=editor_headers)
        assert list(_error(response, 422)["fields"]) == ["version"], kind
        assert _status(session, item) == "draft"


@pytest.mark.parametrize("action", ["publish", "retract"])
def test_fact_checkers_may_neither_publish_nor_retract(
    client: FlaskClient, fc_headers: Headers, drafts: Drafts, session: Session, action: str
) -> None:
    if action == "retract":
        _ends_published(session, drafts, "statement_link")
        for kind in ("rating", "outcome_link", "statement_link"):
            _publish_as_system(session, drafts.of(kind))
        session.commit()
    for kind in KINDS:
        item = drafts.of(kind)
        before = _status(session, item)
        body = {"version": item.version, "note": "Withdrawn."}
        error = _error(client.post(KINDS[kind].format(item.id) + f"/{action}", json=body, headers=fc_headers), 403)
        assert "fact checker" in error["message"]
        assert _status(session, item) == before, kind


@pytest.mark.parametrize("action", ["publish", "retract"])
def test_unknown_items_are_404(client: FlaskClient, editor_headers: Headers, session: Session, action: str) -> None:
    for template in KINDS.values():
        _error(client.post(template.format(999999) + f"/{action}", json={"version": 1, "note": "x"},
                           headers=editor_headers), 404)


# -- Retracting ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_an_editor_retracts_a_published_item_with_a_public_note_once(
    client: FlaskClient, editor_headers: Headers, editor: User, drafts: Drafts, session: Session, kind: str
) -> None:
    item = drafts.of(kind)
    _ends_published(session, drafts, kind)
    _publish_as_system(session, item)
    session.commit()
    url = KINDS[kind].format(item.id) + "/retract"
    answer = _ok(client.post(url, json={"note": "  The source was misquoted. "}, headers=editor_headers))
    assert (answer["id"], answer["status"]) == (item.id, "retracted")
    assert _status(session, item) == "retracted" and item.retracted_by_id == editor.id
    assert item.retraction_note == "The source was misquoted." and _audited(session, item, "retract") == 1
    assert session.get(type(item), item.id) is not None, "nothing is deleted"
    again = _error(client.post(url, json={"note": "Twice."}, headers=editor_headers), 409)
    assert "retracted already" in again["message"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_draft_cannot_be_retracted(
    client: FlaskClient, editor_headers: Headers, drafts: Drafts, session: Session, kind: str
) -> None:
    item = drafts.of(kind)
    error = _error(client.post(KINDS[kind].format(item.id) + "/retract", json={"note": "Never mind."},
                               headers=editor_headers), 409)
    assert "never public" in error["message"] and _status(session, item) == "draft"


@pytest.mark.parametrize("body", [None, {}, {"note": ""}, {"note": "   "}, {"note": None}, {"note": "n" * 2001}])
def test_a_retraction_without_a_note_is_422_and_changes_nothing(
    client: FlaskClient, editor_headers: Headers, drafts: Drafts, session: Session, body: Any
) -> None:
    _publish_as_system(session, drafts.rating)
    session.commit()
    url = f"/api/v1/statements/{drafts.statement.id}/retract"
    response = client.post(url, headers=editor_headers) if body is None else client.post(
        url, json=body, headers=editor_headers)
    assert list(_error(response, 422)["fields"]) == ["note"]
    assert _status(session, drafts.statement) == "published"


def test_a_retraction_naming_an_old_version_is_409(
    client: FlaskClient, editor_headers: Headers, drafts: Drafts, session: Session
) -> None:
    _publish_as_system(session, drafts.outcome)
    session.commit()
    read = drafts.outcome.version
    url = f"/api/v1/outcomes/{drafts.outcome.id}/retract"
    error = _error(client.post(url, json={"note": "Wrong date.", "version": read - 1}, headers=editor_headers), 409)
    assert f"version {read} now" in error["message"] and _status(session, drafts.outcome) == "published"
    assert _ok(client.post(url, json={"note": "Wrong date.", "version": read}, headers=editor_headers))["status"] == (
        "retracted")


def test_retracting_an_outcome_retracts_its_links_and_a_rating_falls_back_to_the_one_before(
    client: FlaskClient, editor_headers: Headers, drafts: Drafts, session: Session
) -> None:
    _publish_as_system(session, drafts.rating)
    _publish_as_system(session, drafts.outcome_link)
    second = rate_statement(session, drafts.statement, scale="truth", verdict="mostly_false", rationale="Some opened.",
                            kind="correction", correction_note="Two bridges did open.")
    publish_rating(session, second, None, version=None)
    session.commit()
    _ok(client.post(f"/api/v1/outcomes/{drafts.outcome.id}/retract", json={"note": "It was a different river."},
                    headers=editor_headers))
    answer = _ok(client.post(f"/api/v1/ratings/{second.id}/retract", json={"note": "Wrong bridges."},
                             headers=editor_headers))
    assert answer["status"] == "retracted"
    see_committed(session)
    assert drafts.outcome_link.is_retracted and drafts.outcome_link.retraction_note == "It was a different river."
    assert drafts.statement.current_rating_id == drafts.rating.id
    detail = _ok(client.get(f"/api/v1/statements/{drafts.statement.id}"))
    assert detail["current_rating"]["id"] == drafts.rating.id and detail["outcomes"] == []


# -- Editing a statement once it is published ---------------------------------------------------------------


@pytest.fixture
def published(drafts: Drafts, session: Session) -> Statement:
    workflow.publish(session, drafts.statement, None, version=None)
    session.commit()
    return drafts.statement


def _revisions(session: Session, statement: Statement) -> list[str | None]:
    see_committed(session)
    return list(session.scalars(select(StatementRevision.note).where(StatementRevision.statement_id == statement.id)
                                .order_by(StatementRevision.number)))


def test_changing_a_published_statements_words_needs_a_revision_note(
    client: FlaskClient, fc_headers: Headers, published: Statement, session: Session
) -> None:
    url, version = f"/api/v1/statements/{published.id}", published.version
    words = "Every bridge will be open by the spring."
    error = _error(client.patch(url, json={"version": version, "text": words}, headers=fc_headers), 422)
    assert list(error["fields"]) == ["revision_note"] and "note" in error["fields"]["revision_note"][0]
    assert _revisions(session, published) == [] and published.text != words

    revised = _ok(client.patch(url, json={"version": version, "text": words,
                                          "revision_note": "Quote checked against the recording."}, headers=fc_headers))
    assert (revised["text"], revised["version"], revised["status"]) == (words, version + 1, "published")
    assert _revisions(session, published) == [None, "Quote checked against the recording."]


def test_desk_fields_of_a_published_statement_change_without_a_note_and_a_no_op_patch_changes_nothing(
    client: FlaskClient, fc_headers: Headers, published: Statement, session: Session
) -> None:
    url, version = f"/api/v1/statements/{published.id}", published.version
    edited = _ok(client.patch(url, json={"version": version, "context": "At a ribbon cutting."}, headers=fc_headers))
    assert edited["version"] == version + 1 and _revisions(session, published) == []
    events = _audited(session, published, "update")
    unchanged = _ok(client.patch(url, json={"version": version + 1, "text": published.text}, headers=fc_headers))
    assert unchanged["version"] == version + 1
    see_committed(session)
    assert published.version == version + 1 and _audited(session, published, "update") == events


def test_a_revision_note_is_held_to_its_documented_limit(
    client: FlaskClient, fc_headers: Headers, published: Statement
) -> None:
    body = {"version": published.version, "text": "Most bridges will open by spring."}
    too_long = _error(client.patch(f"/api/v1/statements/{published.id}", json={**body, "revision_note": "n" * 2001},
                                   headers=fc_headers), 422)
    assert list(too_long["fields"]) == ["revision_note"]


def test_a_retracted_statement_is_not_edited(
    client: FlaskClient, fc_headers: Headers, published: Statement, session: Session
) -> None:
    workflow.retract(session, published, None, note="Misattributed.")
    session.commit()
    error = _error(client.patch(f"/api/v1/statements/{published.id}", json={"version": published.version,
                                                                             "context": "x"}, headers=fc_headers), 409)
    assert "retracted" in error["message"]


# -- The swap: the editor publishes only what they read -------------------------------------------


def test_a_rating_changed_after_the_editor_read_it_is_not_published_until_read_again(
    client: FlaskClient, fc_headers: Headers, editor_headers: Headers, session: Session
) -> None:
    statement = _ok(client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers), 201)
    draft = _ok(client.post(f"/api/v1/statements/{statement['id']}/ratings",
                            json={"scale": "truth", "verdict": "false", "rationale": "No budget."},
                            headers=fc_headers), 201)
    url = f"/api/v1/ratings/{draft['id']}"
    read = _ok(client.get(url, headers=editor_headers))["version"]
    swapped = _ok(client.put(url, json={"scale": "truth", "verdict": "true", "rationale": "Swapped in.",
                                        "version": read}, headers=fc_headers))
    assert swapped["version"] == read + 1

    refused = _error(client.post(f"{url}/publish", json={"version": read}, headers=editor_headers), 409)
    assert f"version {read + 1} now" in refused["message"]
    _error(client.get(f"/api/v1/statements/{statement['id']}"), 404)
    assert client.get(f"/claims/{statement['id']}").status_code == 404
    see_committed(session)
    assert session.get_one(Rating, draft["id"]).status.value == "draft"
    assert session.get_one(Statement, statement["id"]).is_draft, "nothing went public with the refused rating"

    again = _ok(client.get(url, headers=editor_headers))
    assert (again["verdict"], again["version"]) == ("true", read + 1)
    _ok(client.post(f"{url}/publish", json={"version": again["version"]}, headers=editor_headers))
    public = _ok(client.get(f"/api/v1/statements/{statement['id']}"))
    assert public["status"] == "published" and public["current_rating"]["verdict"] == "true"


def test_a_statement_changed_after_the_editor_read_it_is_not_published_until_read_again(
    client: FlaskClient, fc_headers: Headers, editor_headers: Headers, session: Session
) -> None:
    created = _ok(client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers), 201)
    url = f"/api/v1/statements/{created['id']}"
    read = _ok(client.get(url, headers=editor_headers))
    assert read["status"] == "draft"
    swapped = _ok(client.patch(url, json={"version": read["version"], "text": "Swapped words."}, headers=fc_headers))
    assert swapped["version"] == read["version"] + 1

    refused = _error(client.post(f"{url}/publish", json={"version": read["version"]}, headers=editor_headers), 409)
    assert f"version {swapped['version']} now" in refused["message"]
    _error(client.get(url), 404)
    see_committed(session)
    assert session.get_one(Statement, created["id"]).is_draft

    again = _ok(client.get(url, headers=editor_headers))
    assert again["text"] == "Swapped words."
    _ok(client.post(f"{url}/publish", json={"version": again["version"]}, headers=editor_headers))
    assert _ok(client.get(url))["text"] == "Swapped words."
