"""The write API: bearer tokens, one JSON error shape, drafts and publishing, conflicts."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import Role, User
from claimtrack.accounts.tokens import revoke_token
from claimtrack.api import openapi_document
from claimtrack.articles.models import Appearance
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.ratings.models import Rating, RatingStatus
from tests.desk.conftest import see_committed, sqlite_only

Headers = dict[str, str]
STATEMENT = {
    "text": "Any deal needs radical changes to the American proposals.",
    "speaker": "Dmitry Peskov",
    "said_on": "2025-12-02",
    "said_on_precision": "month",
    "source_url": "https://news.example/kremlin",
    "topics": ["Ukraine", "peace talks"],
}


@pytest.fixture
def fc_headers(token_for: Callable[[User], Headers], fact_checker: User) -> Headers:
    return token_for(fact_checker)


@pytest.fixture
def editor_headers(token_for: Callable[[User], Headers], editor: User) -> Headers:
    return token_for(editor)


def _assert_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


@sqlite_only
def test_scales_are_listed_publicly(client: FlaskClient) -> None:
    scales = {s["name"]: s for s in client.get("/api/v1/scales").get_json()["scales"]}
    assert {"truth", "outcome"} <= set(scales)
    assert {"name": "half_true", "label": "Half true"}.items() <= scales["truth"]["verdicts"][2].items()


def test_a_statement_is_logged_with_its_public_url(client: FlaskClient, fc_headers: Headers, demo: Session) -> None:
    response = client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["url"] == f"http://localhost/claims/{body['id']}"
    assert body["speaker"]["name"] == "Dmitry Peskov" and body["said_on"] == "2025-12-01"
    assert sorted(body["topics"]) == ["Ukraine", "peace talks"] and body["version"] == 1
    assert client.get(f"/claims/{body['id']}").status_code == 404, "a new statement is a draft until an editor publishes it"


def test_requests_without_a_valid_token_get_401(client: FlaskClient, fact_checker: User, fc_headers: Headers, session: Session) -> None:
    _assert_error(client.post("/api/v1/statements", json=STATEMENT), 401)
    _assert_error(client.post("/api/v1/statements", json=STATEMENT, headers={"Authorization": "Bearer ct_nonsense"}), 401)
    _assert_error(client.post("/api/v1/statements", json=STATEMENT, headers={"Authorization": "Basic abc"}), 401)
    revoke_token(session, fc_headers["Authorization"].split()[1])
    session.commit()
    response = client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers)
    _assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@sqlite_only
def test_malformed_json_gets_400(client: FlaskClient, fc_headers: Headers) -> None:
    _assert_error(client.post("/api/v1/statements", data="{not json", headers={**fc_headers, "Content-Type": "application/json"}), 400)
    _assert_error(client.post("/api/v1/statements", json=["a list"], headers=fc_headers), 400)


def test_invalid_input_gets_422_with_a_message_per_field(client: FlaskClient, fc_headers: Headers, demo: Session) -> None:
    error = _assert_error(
        client.post("/api/v1/statements", json={"text": "", "speaker": "Peskof", "said_on": "soon", "source_url": "nope"}, headers=fc_headers),
        422,
    )
    assert set(error["fields"]) == {"text", "said_on", "source_url"}
    ambiguous = _assert_error(client.post("/api/v1/statements", json={**STATEMENT, "speaker": "Peskof"}, headers=fc_headers), 422)
    assert "Dmitry Peskov" in ambiguous["fields"]["speaker"][0] and "new_speaker" in ambiguous["fields"]["speaker"][0]


def test_a_fact_checker_rates_and_an_editor_publishes(
    client: FlaskClient, fc_headers: Headers, editor_headers: Headers, demo: Session
) -> None:
    statement_id = client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers).get_json()["id"]
    rating = client.post(
        f"/api/v1/statements/{statement_id}/ratings",
        json={"scale": "truth", "verdict": "mostly_true", "rationale": "Said on the record.",
              "evidence": [{"url": "https://kremlin.example/transcript", "title": "Transcript"}]},
        headers=fc_headers,
    )
    assert rating.status_code == 201
    body = rating.get_json()
    assert body["status"] == "draft" and body["evidence"][0]["title"] == "Transcript"
    _assert_error(client.post(f"/api/v1/ratings/{body['id']}/publish", json={"version": 1}, headers=fc_headers), 403)
    published = client.post(f"/api/v1/ratings/{body['id']}/publish", json={"version": body["version"]}, headers=editor_headers)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    _assert_error(client.post(f"/api/v1/ratings/{body['id']}/publish", json={"version": body["version"]}, headers=editor_headers), 409)
    see_committed(demo)
    assert demo.get(Statement, statement_id).current_rating_id == body["id"]  # type: ignore[union-attr]


def test_a_draft_is_changed_in_place_by_its_rater_until_it_is_published(
    client: FlaskClient, fc_headers: Headers, editor_headers: Headers, token_for, make_user, demo: Session  # type: ignore[no-untyped-def]
) -> None:
    statement_id = client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers).get_json()["id"]
    draft = client.post(f"/api/v1/statements/{statement_id}/ratings",
                        json={"scale": "truth", "verdict": "true", "rationale": "First look."}, headers=fc_headers).get_json()
    url = f"/api/v1/ratings/{draft['id']}"
    changed = client.put(url, json={"scale": "truth", "verdict": "mostly_true", "rationale": "On a second look.",
                                    "evidence": [{"url": "https://kremlin.example/transcript"}], "version": draft["version"]},
                     headers=fc_headers)
    assert changed.status_code == 200
    body = changed.get_json()
    assert (body["id"], body["verdict"], body["status"]) == (draft["id"], "mostly_true", "draft")
    assert body["evidence"] == [{"url": "https://kremlin.example/transcript", "title": None}]
    assert "verdict" in _assert_error(client.put(url, json={"scale": "truth", "verdict": "vibes", "version": 2}, headers=fc_headers), 422)["fields"]
    colleague = token_for(make_user(Role.FACT_CHECKER))
    _assert_error(client.put(url, json={"scale": "truth", "verdict": "false", "rationale": "x", "version": 2}, headers=colleague), 403)
    assert client.post(f"{url}/publish", json={"version": body["version"]}, headers=editor_headers).status_code == 200
    published = _assert_error(client.put(url, json={"scale": "truth", "verdict": "false", "rationale": "x", "version": 3}, headers=editor_headers), 409)
    assert "correction_note" in published["message"]
    _assert_error(client.put("/api/v1/ratings/9999", json={"scale": "truth", "verdict": "true"}, headers=fc_headers), 404)
    see_committed(demo)
    assert [(r.verdict, r.rationale) for r in demo.scalars(select(Rating).where(Rating.statement_id == statement_id))] == [
        ("mostly_true", "On a second look.")
    ]


def test_rating_errors_name_the_field(client: FlaskClient, fc_headers: Headers, editor_headers: Headers, demo: Session) -> None:
    statement_id = client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers).get_json()["id"]
    url = f"/api/v1/statements/{statement_id}/ratings"
    assert "scale" in _assert_error(client.post(url, json={"scale": "vibes", "verdict": "x"}, headers=fc_headers), 422)["fields"]
    assert "verdict" in _assert_error(client.post(url, json={"scale": "truth", "verdict": "x"}, headers=fc_headers), 422)["fields"]
    assert "rationale" in _assert_error(client.post(url, json={"scale": "truth", "verdict": "true"}, headers=fc_headers), 422)["fields"]
    first = client.post(url, json={"scale": "truth", "verdict": "true", "rationale": "r"}, headers=fc_headers).get_json()
    client.post(f"/api/v1/ratings/{first['id']}/publish", json={"version": first["version"]}, headers=editor_headers)
    again = _assert_error(client.post(url, json={"scale": "truth", "verdict": "false", "rationale": "r"}, headers=fc_headers), 422)
    assert "kind" in again["fields"]
    no_note = client.post(url, json={"scale": "truth", "verdict": "false", "rationale": "r", "kind": "update"}, headers=fc_headers)
    assert "correction_note" in _assert_error(no_note, 422)["fields"]
    corrected = client.post(url, json={"scale": "truth", "verdict": "false", "rationale": "r", "kind": "correction",
                                       "correction_note": "New transcript."}, headers=fc_headers)
    assert corrected.status_code == 201 and corrected.get_json()["supersedes_id"] == first["id"]
    see_committed(demo)
    assert [r.status for r in demo.scalars(select(Rating).order_by(Rating.id))][-2:] == [RatingStatus.PUBLISHED, RatingStatus.DRAFT]
    _assert_error(client.post("/api/v1/statements/9999/ratings", json={"scale": "truth"}, headers=fc_headers), 404)


def test_patch_with_an_old_version_gets_409_and_changes_nothing(client: FlaskClient, fc_headers: Headers, demo: Session) -> None:
    created = client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers).get_json()
    url = f"/api/v1/statements/{created['id']}"
    patched = client.patch(url, json={"version": 1, "context": "Briefing to reporters."}, headers=fc_headers)
    assert patched.status_code == 200
    assert patched.get_json()["version"] == 2 and patched.get_json()["context"] == "Briefing to reporters."
    assert patched.get_json()["text"] == STATEMENT["text"], "fields not sent stay as they were"
    conflict = _assert_error(client.patch(url, json={"version": 1, "context": "Stale."}, headers=fc_headers), 409)
    assert "version 2" in conflict["message"]
    assert "version" in _assert_error(client.patch(url, json={"context": "x"}, headers=fc_headers), 422)["fields"]
    see_committed(demo)
    assert demo.get(Statement, created["id"]).context == "Briefing to reporters."  # type: ignore[union-attr]


def test_patching_a_statement_that_has_no_speaker_asks_for_one(
    client: FlaskClient, fc_headers: Headers, session: Session
) -> None:
    # Imported statements may come without a speaker; a PATCH that names none must say so, not crash.
    statement = log_statement(session, "Imported without a speaker.", speaker=None)
    session.commit()
    url = f"/api/v1/statements/{statement.id}"
    error = _assert_error(client.patch(url, json={"version": 1, "context": "x"}, headers=fc_headers), 422)
    assert "speaker" in error["fields"]
    named = client.patch(url, json={"version": 1, "speaker": "Ada Quill", "new_speaker": True}, headers=fc_headers)
    assert named.status_code == 200 and named.get_json()["speaker"]["name"] == "Ada Quill"


def test_outcomes_and_appearances_are_recorded_and_linked(client: FlaskClient, fc_headers: Headers, demo: Session) -> None:
    statement_id = client.post("/api/v1/statements", json=STATEMENT, headers=fc_headers).get_json()["id"]
    outcome = client.post("/api/v1/outcomes", json={"description": "Talks stalled.", "occurred_on": "2026-01-15"}, headers=fc_headers)
    assert outcome.status_code == 201
    outcome_id = outcome.get_json()["id"]
    url = f"/api/v1/statements/{statement_id}/outcomes"
    link = client.post(url, json={"outcome_id": outcome_id, "relation": "confirms"}, headers=fc_headers)
    assert link.status_code == 201 and link.get_json()["relation"] == "confirms"
    _assert_error(client.post(url, json={"outcome_id": outcome_id, "relation": "confirms"}, headers=fc_headers), 409)
    bad = _assert_error(client.post(url, json={"outcome_id": 999, "relation": "maybe"}, headers=fc_headers), 422)
    assert set(bad["fields"]) == {"outcome_id", "relation"}
    assert "description" in _assert_error(client.post("/api/v1/outcomes", json={}, headers=fc_headers), 422)["fields"]
    appearance = client.post(
        f"/api/v1/statements/{statement_id}/appearances",
        json={"appeared_on": "2025-12-09", "source_url": "https://tv.example/clip", "speaker": "the Kremlin"},
        headers=fc_headers,
    )
    assert appearance.status_code == 201 and appearance.get_json()["speaker"]["name"] == "Dmitry Peskov"
    assert "source_url" in _assert_error(
        client.post(f"/api/v1/statements/{statement_id}/appearances", json={"appeared_on": "2025-12-09"}, headers=fc_headers), 422
    )["fields"]
    see_committed(demo)
    assert demo.scalars(select(Appearance).where(Appearance.statement_id == statement_id)).one().source.url == "https://tv.example/clip"  # type: ignore[union-attr]


@sqlite_only
def test_every_write_endpoint_is_described_in_openapi_with_bearer_auth(app: Flask) -> None:
    document = openapi_document(app)
    assert document["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            operation = document["paths"][path][method.lower()]
            if method != "GET":
                assert operation["security"] == [{"bearerToken": []}], path
                assert {"401", "403"} <= set(operation["responses"]), path


@pytest.mark.slow
def test_fuzzed_write_bodies_get_a_json_4xx_or_succeed_never_a_500(
    app: Flask, client: FlaskClient, token_for, editor: User, demo: Session  # type: ignore[no-untyped-def]
) -> None:
    """Seeded random bodies for every write endpoint: right keys with wrong types, odd values, junk keys."""
    import random

    rng = random.Random(int(os.environ.get("FUZZ_SEED", "7")))  # FUZZ_SEED=n explores other bodies
    headers = token_for(editor)
    statement_id = demo.scalars(select(Statement.id).order_by(Statement.id)).first()
    rating_id = demo.scalars(select(Rating.id).where(Rating.status == RatingStatus.DRAFT)).first()
    keys = ["text", "speaker", "said_on", "said_on_precision", "source_url", "topics", "version", "scale", "verdict",
            "rationale", "evidence", "correction_note", "description", "occurred_on", "outcome_id", "relation",
            "appeared_on", "new_speaker", "claim", "context", "expected_by", "headline", "evidence_url", "note",
            "revision_note", "junk"]
    values = [None, True, 0, -1, 10**30, 1.5, "", " ", "x" * 60_000, "2025-13-45", "2025-12-01", "truth", "false",
              "https://example.org/a", "javascript:alert(1)", "nul\x00byte", "\ud800", [], ["a", 1, None], {"a": {}},
              [{"url": "http://127.0.0.1/x", "title": 5}], "Keith Kellogg", "day", "contradicts"]
    urls = [("POST", "/api/v1/statements"), ("PATCH", f"/api/v1/statements/{statement_id}"),
            ("POST", f"/api/v1/statements/{statement_id}/ratings"), ("PUT", f"/api/v1/ratings/{rating_id}"),
            ("POST", "/api/v1/outcomes"), ("POST", f"/api/v1/statements/{statement_id}/outcomes"),
            ("POST", f"/api/v1/statements/{statement_id}/appearances")]
    outcome_id = demo.scalars(select(Outcome.id).order_by(Outcome.id)).first()
    link_id = demo.scalars(select(OutcomeLink.id).order_by(OutcomeLink.id)).first()
    urls += [("POST", f"/api/v1/{path}/{action}") for action in ("publish", "retract") for path in (
        f"statements/{statement_id}", f"ratings/{rating_id}", f"outcomes/{outcome_id}", f"outcome-links/{link_id}")]
    statuses: set[int] = set()
    for _ in range(400):
        method, url = rng.choice(urls)
        body = {k: rng.choice(values) for k in rng.sample(keys, rng.randint(0, 8))}
        if rng.random() < 0.1:
            body = rng.choice([[], "text", 5, None])  # type: ignore[assignment]
        try:
            payload = json.dumps(body)
        except ValueError:
            continue
        response = client.open(url, method=method, data=payload, headers={**headers, "Content-Type": "application/json"})
        statuses.add(response.status_code)
        assert response.status_code < 500, (method, url, body, response.get_data(as_text=True)[:300])
        if response.status_code >= 400:
            assert response.get_json()["error"]["status"] == response.status_code
    assert {400, 422} <= statuses, statuses
