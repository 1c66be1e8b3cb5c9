"""The read API: list shape, filters, errors in the one shape, statement timelines, speakers."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.api import openapi_document
from claimtrack.claims.services import log_statement
from claimtrack.demo import load_fixtures
from claimtrack.speakers.services import create_speaker


@pytest.fixture
def demo(app_session: Session) -> Session:
    load_fixtures(app_session)
    app_session.commit()
    return app_session


def test_statement_list_has_items_total_and_next(client: FlaskClient, demo: Session) -> None:
    body = client.get("/api/v1/statements?per_page=3").get_json()
    assert body["total"] == 7 and len(body["items"]) == 3
    assert body["next"] == "http://localhost/api/v1/statements?per_page=3&page=2"
    seen = [item["id"] for item in body["items"]]
    while body["next"]:
        body = client.get(body["next"]).get_json()
        seen += [item["id"] for item in body["items"]]
    assert len(seen) == len(set(seen)) == 7


def test_every_listed_statement_carries_its_public_url(client: FlaskClient, demo: Session) -> None:
    for item in client.get("/api/v1/statements").get_json()["items"]:
        assert item["url"] == f"http://localhost/claims/{item['id']}"
        assert item["speaker"]["url"].startswith("http://localhost/speakers/")
        assert client.get(item["url"].removeprefix("http://localhost")).status_code == 200


def test_statement_list_takes_the_search_filters(client: FlaskClient, demo: Session) -> None:
    body = client.get("/api/v1/statements?speaker=the+Kremlin").get_json()
    assert [i["speaker"]["name"] for i in body["items"]] == ["Dmitry Peskov"]
    assert body["matched_speakers"][0]["matched"] == "the Kremlin"
    half = client.get("/api/v1/statements?verdict=half_true").get_json()
    assert half["total"] == 1 and half["items"][0]["current_rating"]["verdict_label"] == "Half true"
    assert client.get("/api/v1/statements?q=radical&topic=ukraine-peace-talks").get_json()["total"] == 1


@pytest.mark.parametrize("query, field", [
    ("verdict=sort_of", "verdict"), ("page=0", "page"), ("per_page=1000", "per_page"), ("from=soon", "from"),
    ("sort=random", "sort"), ("outcome=maybe", "outcome"), ("speaker_id=x", "speaker_id"),
])
def test_bad_filter_values_are_400_in_the_one_error_shape(client: FlaskClient, query: str, field: str) -> None:
    response = client.get(f"/api/v1/statements?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and field in error["message"] and list(error["fields"]) == [field]


def test_page_past_the_end_is_an_empty_list(client: FlaskClient, demo: Session) -> None:
    body = client.get("/api/v1/statements?page=9").get_json()
    assert body["items"] == [] and body["total"] == 7 and body["next"] is None


def test_statement_detail_has_the_machine_readable_timeline(client: FlaskClient, demo: Session) -> None:
    first = client.get("/api/v1/statements?speaker=Kellogg&q=really+close").get_json()["items"][0]
    body = client.get(first["api_url"].removeprefix("http://localhost")).get_json()
    assert body["said_on"] == "2025-12-01" and body["said_on_precision"] == "month" and body["said_on_label"] == "December 2025"
    assert [e["kind"] for e in body["timeline"]] == ["said", "rating", "expected", "outcome"]
    assert body["timeline"][1]["verdict"] == "pending" and body["timeline"][1]["date"] == "2025-12-12"
    assert [r["verdict"] for r in body["ratings"]] == ["pending"]
    assert body["outcomes"][0]["relation"] == "contradicts"
    assert {r["label"] for r in body["related"]} == {"Contradicts", "Supported by"}
    assert all(r["statement"]["url"].startswith("http://localhost/claims/") for r in body["related"])


def test_unknown_statement_and_speaker_are_404_in_the_error_shape(client: FlaskClient) -> None:
    for url in ("/api/v1/statements/424242", "/api/v1/speakers/424242"):
        response = client.get(url)
        assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_speakers_list_and_detail(client: FlaskClient, demo: Session) -> None:
    body = client.get("/api/v1/speakers?per_page=2").get_json()
    assert body["total"] == 4 and len(body["items"]) == 2 and body["next"].endswith("page=2")
    assert [s["name"] for s in body["items"]] == ["Dmitry Peskov", "Donald Trump"]
    kellogg = next(s for s in client.get("/api/v1/speakers").get_json()["items"] if s["slug"] == "keith-kellogg")
    assert kellogg["url"] == "http://localhost/speakers/keith-kellogg" and "the U.S. envoy" in kellogg["aliases"]
    detail = client.get(f"/api/v1/speakers/{kellogg['id']}").get_json()
    assert detail["track_record"]["rated_statements"] == 2 and detail["track_record"]["too_few_to_judge"] is True
    statements = client.get(detail["statements_url"].removeprefix("http://localhost")).get_json()
    assert statements["total"] == 3
    assert client.get("/api/v1/speakers?page=0").status_code == 400


def test_speaker_id_filter_is_exact_even_for_similar_names(client: FlaskClient, app_session: Session) -> None:
    first, second = create_speaker(app_session, "Lee Park"), create_speaker(app_session, "Lee Parks")
    for text, speaker in (("One.", first), ("Two.", second)):
        statement = log_statement(app_session, text, speaker=speaker, said_on=dt.date(2025, 1, 1))
        workflow.publish(app_session, statement, None, version=None)
    app_session.commit()
    assert client.get("/api/v1/statements?speaker=Lee+Park").get_json()["total"] == 1, "an exact name wins"
    body = client.get(f"/api/v1/statements?speaker_id={second.id}").get_json()
    assert [i["text"] for i in body["items"]] == ["Two."]


def test_read_endpoints_are_documented_in_openapi(app: Flask) -> None:
    paths = openapi_document(app)["paths"]
    for path in ("/statements", "/statements/{statement_id}", "/speakers", "/speakers/{speaker_id}"):
        assert "get" in paths[path], path
