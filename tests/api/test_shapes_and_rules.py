"""One JSON shape per resource across the read and write APIs; the rules of the input schemas."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.claims.models import Statement
from claimtrack.outcomes.models import OutcomeLink
from claimtrack.outcomes.services import publish_link
from tests.desk.conftest import see_committed, sqlite_only

Headers = dict[str, str]
STATEMENT = {
    "text": "Any deal needs radical changes to the American proposals.",
    "speaker": "Dmitry Peskov",
    "said_on": "2025-12-02",
    "source_url": "https://news.example/kremlin",
    "topics": "Ukraine, peace talks",
}
INVALID = "The input is not valid; see the messages per field."


@pytest.fixture
def headers(token_for: Callable[[User], Headers], editor: User) -> Headers:
    return token_for(editor)


def _post(client: FlaskClient, url: str, body: Any, headers: Headers, status: int = 201) -> dict[str, Any]:
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    answer: dict[str, Any] = response.get_json()
    return answer


@sqlite_only
def test_a_statement_has_one_shape_in_the_read_and_write_apis(
    client: FlaskClient, headers: Headers, demo: Session
) -> None:
    written = _post(client, "/api/v1/statements", STATEMENT, headers)
    rating = _post(client, f"/api/v1/statements/{written['id']}/ratings",
                   {"scale": "truth", "verdict": "true", "rationale": "On the record."}, headers)
    published = client.post(f"/api/v1/ratings/{rating['id']}/publish", json={"version": rating["version"]},
                            headers=headers).get_json()
    listed = client.get(f"/api/v1/statements?speaker_id={written['speaker']['id']}&q=radical+changes").get_json()
    read = next(item for item in listed["items"] if item["id"] == written["id"])
    assert set(read) == set(written)
    assert read["topics"] == written["topics"] == ["Ukraine", "peace talks"]
    assert {t["slug"] for t in read["topic_refs"]} == {"ukraine", "peace-talks"}
    assert set(read["speaker"]) == set(written["speaker"]) >= {"id", "name", "slug", "url", "api_url"}
    assert set(read["current_rating"]) == set(published) >= {"status", "statement_id", "rating_value", "created_at"}
    detail = client.get(read["api_url"].removeprefix("http://localhost")).get_json()
    assert set(detail) > set(read) and set(detail["ratings"][0]) == set(published)


@sqlite_only
def test_outcome_links_and_appearances_have_one_shape_but_desk_notes_stay_off_the_public_api(
    client: FlaskClient, headers: Headers, demo: Session
) -> None:
    statement_id = _post(client, "/api/v1/statements", STATEMENT, headers)["id"]
    outcome = _post(client, "/api/v1/outcomes", {"description": "Talks stalled.", "occurred_on": "2026-01-15"}, headers)
    link = _post(client, f"/api/v1/statements/{statement_id}/outcomes",
                 {"outcome_id": outcome["id"], "relation": "confirms", "note": "Desk only."}, headers)
    assert link["note"] == "Desk only." and link["description"] == "Talks stalled."
    appearance = _post(client, f"/api/v1/statements/{statement_id}/appearances",
                       {"appeared_on": "2025-12-09", "source_url": "https://tv.example/clip", "note": "Desk only."},
                       headers)
    assert appearance["note"] == "Desk only." and appearance["url"] == "https://tv.example/clip"
    workflow.publish(demo, demo.get_one(Statement, statement_id), None, version=None)
    publish_link(demo, demo.get_one(OutcomeLink, link["id"]), None, version=None)  # and its outcome with it
    demo.commit()
    detail = client.get(f"/api/v1/statements/{statement_id}").get_json()
    [public_link], [public_appearance] = detail["outcomes"], detail["appearances"]
    assert set(public_link) == set(link) and public_link["note"] is None
    assert set(public_appearance) == set(appearance) and public_appearance["note"] is None
    assert public_link["relation"] == "confirms" and public_link["occurred_on"] == "2026-01-15"


@sqlite_only
def test_a_schema_failure_names_every_field_at_once(client: FlaskClient, headers: Headers, demo: Session) -> None:
    error = _post(client, "/api/v1/statements/1/ratings", {
        "scale": "truth", "verdict": "nope", "headline": "h" * 501,
        "evidence": [{"url": "https://ok.example/"}, {"url": "javascript:alert(1)"}, 5],
    }, headers, status=422)["error"]
    assert error["status"] == 422 and error["message"] == INVALID
    assert set(error["fields"]) == {"verdict", "headline", "rationale", "evidence"}
    assert any(m.startswith("1.url:") for m in error["fields"]["evidence"])
    assert any(m.startswith(("2.", "2:")) for m in error["fields"]["evidence"])


@sqlite_only
def test_input_hygiene_unknown_keys_ignored_nul_dropped_blanks_are_none(
    client: FlaskClient, headers: Headers, demo: Session
) -> None:
    body = {**STATEMENT, "text": "Radical\x00 changes.", "claim": "", "expected_by": "", "id": 5, "url": "x"}
    written = _post(client, "/api/v1/statements", body, headers)
    assert written["text"] == "Radical changes." and written["claim"] is None and written["expected_by"] is None
    early = _post(client, "/api/v1/statements", {**STATEMENT, "expected_by": "2025-11-01"}, headers, status=422)
    assert list(early["error"]["fields"]) == ["expected_by"]
    big_id = _post(client, f"/api/v1/statements/{written['id']}/outcomes",
                   {"outcome_id": 10**30, "relation": "confirms"}, headers, status=422)
    assert list(big_id["error"]["fields"]) == ["outcome_id"]


def test_word_line_breaks_and_other_controls_sent_to_the_api_are_cleaned(
    client: FlaskClient, headers: Headers, demo: Session
) -> None:
    body = {**STATEMENT, "text": "Radical changes.\vNow.\x01", "context": "On\fthe radio\ufffe.", "topics": ["Peace\x1b talks"]}
    written = _post(client, "/api/v1/statements", body, headers)
    assert (written["text"], written["context"], written["topics"]) == ("Radical changes.\nNow.", "On\nthe radio.", ["Peace talks"])
    see_committed(demo)
    stored = demo.get(Statement, written["id"])
    assert stored is not None and stored.text == "Radical changes.\nNow."


@sqlite_only
def test_a_patch_sends_back_what_it_read(client: FlaskClient, headers: Headers, demo: Session) -> None:
    written = _post(client, "/api/v1/statements", STATEMENT, headers)
    url = f"/api/v1/statements/{written['id']}"
    patched = client.patch(url, json={**written, "claim": "Radical changes are needed."}, headers=headers)
    assert patched.status_code == 200, patched.get_data(as_text=True)
    assert patched.get_json()["claim"] == "Radical changes are needed." and patched.get_json()["version"] == 2
    backwards = client.patch(url, json={"version": 2, "expected_by": "2020-01-01"}, headers=headers)
    assert backwards.status_code == 422 and list(backwards.get_json()["error"]["fields"]) == ["expected_by"]


@pytest.fixture
def edit_between_read_and_flush(session: Session) -> Iterator[Callable[[int], None]]:
    """Arrange for another connection to save statement ``id`` after the API has read it, just before it flushes."""
    targets: list[int] = []

    def bump(api_session: Session, _context: Any, _instances: Any) -> None:
        while targets:
            statement_id = targets.pop()
            session.execute(update(Statement).where(Statement.id == statement_id).values(version=Statement.version + 1))
            session.commit()

    event.listen(Session, "before_flush", bump)
    yield targets.append
    event.remove(Session, "before_flush", bump)


@pytest.mark.isolated_database  # a second connection saves between the read and the flush
@pytest.mark.parametrize("engine_name", ["postgresql"])
def test_an_edit_saved_between_read_and_flush_is_a_409_that_changes_nothing(
    client: FlaskClient, headers: Headers, demo: Session, edit_between_read_and_flush: Callable[[int], None]
) -> None:
    statement_id = demo.scalars(select(Statement.id).order_by(Statement.id)).first()
    assert statement_id is not None
    read = demo.get_one(Statement, statement_id).version
    edit_between_read_and_flush(statement_id)
    url = f"/api/v1/statements/{statement_id}"
    response = client.patch(url, json={"version": read, "context": "Lost."}, headers=headers)
    assert response.status_code == 409, response.get_data(as_text=True)
    assert f"version {read + 1}" in response.get_json()["error"]["message"]
    see_committed(demo)
    statement = demo.get(Statement, statement_id)
    assert statement is not None and statement.context != "Lost." and statement.version == read + 1
