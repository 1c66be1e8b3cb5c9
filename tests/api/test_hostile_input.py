"""Ordinary hostile input gets a clear 4xx, never a 500, on the public pages and in the API alike.

Numbers too large for the database or written in other scripts, deeply nested JSON, non-text where text
is expected: each is refused where every route reads it (the path converter, the one query-number parser,
the app's JSON reader, the input schemas), so a route added later is covered too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.api.bodies import MAX_JSON_DEPTH
from claimtrack.claims.models import Statement
from claimtrack.orm import MAX_ID
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.ratings.models import Rating
from claimtrack.search import MAX_PAGE, SearchError, page_number

Headers = dict[str, str]
STATEMENT = {
    "text": "Any deal needs radical changes to the American proposals.",
    "speaker": "Dmitry Peskov",
    "said_on": "2025-12-02",
    "source_url": "https://news.example/kremlin",
}
#: Query-string numbers that Python's int() reads, or that no database column holds.
HOSTILE_NUMBERS = ["²", "٣", "1_0", "+2", " -1", "0", "9223372036854775808", "1" * 5000, "1e3", "2.0"]


@pytest.fixture
def headers(token_for: Callable[[User], Headers], editor: User) -> Headers:
    return token_for(editor)


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body: dict[str, Any] = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]  # type: ignore[no-any-return]


def _count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("value", HOSTILE_NUMBERS)
def test_the_one_page_parser_takes_ascii_digits_within_bounds_only(value: str) -> None:
    with pytest.raises(SearchError) as caught:
        page_number({"page": value})
    assert list(caught.value.fields) == ["page"] and caught.value.status == 400
    assert page_number({}) == page_number({"page": ""}) == 1 and page_number({"page": str(MAX_PAGE)}) == MAX_PAGE


@pytest.mark.parametrize("value", ["²", "9223372036854775808", "0"])
@pytest.mark.parametrize("path", ["/speakers", "/speakers/dmitry-peskov", "/topics/crimea"])
def test_a_public_list_page_answers_a_bad_page_number_with_the_400_page(
    client: FlaskClient, demo: Session, path: str, value: str
) -> None:
    response = client.get(path, query_string={"page": value})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "page" in response.get_data(as_text=True) and "Bad Request" in response.get_data(as_text=True)
    assert client.get(path, query_string={"page": "1"}).status_code == 200


@pytest.mark.parametrize("value", ["²", "9223372036854775808", "-3"])
@pytest.mark.parametrize("path, name", [
    ("/api/v1/speakers", "page"), ("/api/v1/speakers", "per_page"), ("/api/v1/statements", "page"),
    ("/api/v1/statements", "per_page"), ("/api/v1/statements", "speaker_id"),
])
def test_every_api_query_number_answers_400_naming_it(client: FlaskClient, path: str, name: str, value: str) -> None:
    error = _error(client.get(path, query_string={name: value}), 400)
    assert list(error["fields"]) == [name]


def test_a_search_page_past_the_depth_it_pages_through_is_empty_not_an_error(client: FlaskClient, demo: Session) -> None:
    page = client.get("/api/v1/statements", query_string={"page": MAX_PAGE, "per_page": 100})
    assert page.status_code == 200
    assert page.get_json()["items"] == [] and page.get_json()["next"] is None
    assert client.get("/search", query_string={"page": MAX_PAGE}).status_code == 200


@pytest.mark.parametrize("method, path", [
    ("PUT", "/api/v1/ratings/12679727440877246742528"), ("POST", f"/api/v1/outcome-links/{MAX_ID + 1}/publish"),
    ("GET", f"/api/v1/speakers/{MAX_ID + 1}"), ("GET", f"/claims/{MAX_ID + 1}"), ("POST", "/api/v1/statements/9223372036854775808/publish"),
    ("PATCH", "/api/v1/statements/9223372036854775808"), ("GET", "/api/v1/statements/9223372036854775808"),
])
def test_an_id_too_large_for_the_database_is_404_for_every_method(
    client: FlaskClient, headers: Headers, method: str, path: str
) -> None:
    response = client.open(path, method=method, json={"version": 1}, headers=headers)
    assert response.status_code == 404
    if path.startswith("/api/"):
        _error(response, 404)


def test_the_documented_path_ids_are_the_converters_bounds(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    [parameter] = document["paths"]["/statements/{statement_id}"]["get"]["parameters"]
    assert parameter["schema"] == {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_json_nested_past_the_limit_is_a_400_that_changes_nothing(
    client: FlaskClient, headers: Headers, demo: Session, depth: int
) -> None:
    before = _count(demo, Statement)
    body = '{"text": "Deep.", "speaker": "Dmitry Peskov", "said_on": "2025-12-02", "context": ' + (
        "[" * (depth - 1) + "]" * (depth - 1) + "}")
    error = _error(client.post("/api/v1/statements", data=body, headers={**headers, "Content-Type": "application/json"}),
                   400)
    assert f"at most {MAX_JSON_DEPTH} levels" in error["message"]
    assert _count(demo, Statement) == before


def test_json_nested_up_to_the_limit_reaches_the_schema(client: FlaskClient, headers: Headers, demo: Session) -> None:
    nested: Any = "deep"
    for _ in range(MAX_JSON_DEPTH - 1):
        nested = [nested]
    error = _error(client.post("/api/v1/statements", json={**STATEMENT, "context": nested}, headers=headers), 422)
    assert list(error["fields"]) == ["context"]


NON_TEXT: list[Any] = [5, 1.5, True, ["a"], {"a": "b"}]


@pytest.mark.parametrize("value", NON_TEXT)
@pytest.mark.parametrize("field", ["text", "speaker", "speaker_role", "context", "claim", "source_title",
                                   "source_publisher", "source_url"])
def test_a_statement_field_refuses_anything_but_text(
    client: FlaskClient, headers: Headers, demo: Session, field: str, value: Any
) -> None:
    before = _count(demo, Statement)
    error = _error(client.post("/api/v1/statements", json={**STATEMENT, field: value}, headers=headers), 422)
    assert list(error["fields"]) == [field]
    assert _count(demo, Statement) == before


@pytest.mark.parametrize("body, field", [
    ({"evidence": [{"title": "No address"}]}, "evidence"),
    ({"evidence": [{"url": None}]}, "evidence"),
    ({"evidence": [{"url": "https://ok.example/", "title": 5}]}, "evidence"),
    ({"evidence": [5]}, "evidence"),
    ({"evidence": "https://ok.example/"}, "evidence"),
    ({"verdict": 5}, "verdict"),
    ({"headline": ["x"]}, "headline"),
    ({"correction_note": 7}, "correction_note"),
])
def test_a_rating_refuses_evidence_without_an_address_and_non_text(
    client: FlaskClient, headers: Headers, demo: Session, body: dict[str, Any], field: str
) -> None:
    statement_id = demo.scalars(select(Statement.id).order_by(Statement.id)).first()
    before = _count(demo, Rating)
    rating = {"scale": "truth", "verdict": "true", "rationale": "On the record.", **body}
    error = _error(client.post(f"/api/v1/statements/{statement_id}/ratings", json=rating, headers=headers), 422)
    assert list(error["fields"]) == [field]
    assert _count(demo, Rating) == before


@pytest.mark.parametrize("note", [5, ["a"], {"a": 1}, True, "n" * 1001])
def test_an_outcome_link_note_is_text_of_at_most_1000_characters(
    client: FlaskClient, headers: Headers, demo: Session, note: Any
) -> None:
    statement_id = demo.scalars(select(Statement.id).order_by(Statement.id)).first()
    outcome_id = demo.scalars(select(Outcome.id).order_by(Outcome.id)).first()
    before = _count(demo, OutcomeLink)
    body = {"outcome_id": outcome_id, "relation": "confirms", "note": note}
    error = _error(client.post(f"/api/v1/statements/{statement_id}/outcomes", json=body, headers=headers), 422)
    assert list(error["fields"]) == ["note"]
    assert _count(demo, OutcomeLink) == before


@pytest.mark.parametrize("field, value", [("note", 5), ("note", {"a": 1}), ("version", "1"), ("version", 1.5)])
def test_a_retraction_refuses_a_non_text_note_or_a_version_that_is_not_a_number(
    client: FlaskClient, headers: Headers, demo: Session, field: str, value: Any
) -> None:
    statement_id = demo.scalars(select(Statement.id).order_by(Statement.id)).first()
    body = {"note": "Withdrawn.", field: value}
    error = _error(client.post(f"/api/v1/statements/{statement_id}/retract", data=json.dumps(body),
                               headers={**headers, "Content-Type": "application/json"}), 422)
    assert list(error["fields"]) == [field]
