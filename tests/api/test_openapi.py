"""The generated OpenAPI document: valid, complete, and in step with the rules the API enforces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.api import openapi_document
from claimtrack.claims.models import Statement
from claimtrack.search import MAX_PER_PAGE
from tests.desk.conftest import sqlite_only

pytestmark = sqlite_only


def _document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.get_json()
    return document


def test_the_served_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    document = _document(client)
    validate(document)
    assert document["openapi"] == "3.1.0" and document["servers"] == [{"url": "/api/v1"}]
    assert document["info"]["title"] == "claimtrack API"
    assert {t["name"] for t in document["tags"]} == {"read", "write"}
    assert document["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http", "scheme": "bearer", "description": "A token from `claimtrack tokens create EMAIL`."
    }
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]


def test_every_api_route_and_method_is_in_the_document(app: Flask) -> None:
    document = openapi_document(app)
    routes = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]
    assert len(routes) >= 12
    for rule in routes:
        path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            operation = document["paths"].get(path, {}).get(method.lower())
            assert operation is not None, f"{method} {rule.rule} ({rule.endpoint}) is not described: add @operation"
            assert operation["operationId"] and operation["summary"], rule.endpoint
            errors = [status for status in operation["responses"] if status >= "400"]
            for status in errors:
                assert operation["responses"][status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }


def test_every_operation_keeps_its_old_operation_id(app: Flask) -> None:
    ids = {op["operationId"] for ops in openapi_document(app)["paths"].values() for op in ops.values()}
    assert ids >= {
        "listStatements", "getStatement", "listSpeakers", "getSpeaker", "listScales", "createStatement",
        "patchStatement", "createRating", "updateDraftRating", "publishRating", "createOutcome", "linkOutcome",
        "createAppearance",
    }


def test_documented_text_length_is_the_enforced_one(
    app: Flask, client: FlaskClient, token_for: Callable[[User], dict[str, str]], fact_checker: User, demo: Session
) -> None:
    schema = openapi_document(app)["components"]["schemas"]["StatementInput"]
    limit = schema["properties"]["text"]["maxLength"]
    assert limit == 10_000, "the desk form's limit"
    headers = token_for(fact_checker)
    body = {"speaker": "Dmitry Peskov", "said_on": "2025-12-02", "source_url": "https://news.example/a"}
    too_long = client.post("/api/v1/statements", json={**body, "text": "x" * (limit + 1)}, headers=headers)
    assert too_long.status_code == 422 and list(too_long.get_json()["error"]["fields"]) == ["text"]
    at_limit = client.post("/api/v1/statements", json={**body, "text": "x" * limit}, headers=headers)
    assert at_limit.status_code == 201


def _strings_without_a_length_limit(document: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    """Where ``schema`` takes text of any length: a string that is not an enum, a date or blank only."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _strings_without_a_length_limit(document, document["components"]["schemas"][name], name)
    found = []
    for variant in (*schema.get("anyOf", ()), *schema.get("oneOf", ())):
        found += _strings_without_a_length_limit(document, variant, where)
    for name, inner in schema.get("properties", {}).items():
        found += _strings_without_a_length_limit(document, inner, f"{where}.{name}")
    if "items" in schema:
        found += _strings_without_a_length_limit(document, schema["items"], f"{where}[]")
    kinds = schema.get("type", [])
    if "string" in ([kinds] if isinstance(kinds, str) else kinds):
        bounded = "maxLength" in schema or "enum" in schema or schema.get("format") in {"date", "date-time"}
        if not bounded:
            found.append(where)
    return found


def test_every_text_the_api_takes_has_a_documented_length_limit(app: Flask) -> None:
    """So a field added later without a limit (a note that takes a megabyte) fails here."""
    document = openapi_document(app)
    unbounded = []
    for path, operations in document["paths"].items():
        for method, described in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in described.get("parameters", []):
                unbounded += _strings_without_a_length_limit(document, parameter["schema"], f"{where} {parameter['name']}")
            body = described.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is not None:
                unbounded += _strings_without_a_length_limit(document, body, where)
    assert unbounded == []


def test_every_documented_text_limit_is_enforced(
    app: Flask, client: FlaskClient, token_for: Callable[[User], dict[str, str]], editor: User, demo: Session
) -> None:
    """Each body's text fields, one past their documented maxLength, answer 422 naming the field."""
    document = openapi_document(app)
    schemas = document["components"]["schemas"]
    statement_id = demo.scalars(select(Statement.id).order_by(Statement.id)).first()
    bodies = {"/api/v1/statements": "StatementInput", f"/api/v1/statements/{statement_id}/ratings": "RatingInput",
              "/api/v1/outcomes": "OutcomeInput", f"/api/v1/statements/{statement_id}/appearances": "AppearanceInput",
              f"/api/v1/statements/{statement_id}/retract": "Retract",
              f"/api/v1/statements/{statement_id}/outcomes": "OutcomeLinkInput"}
    headers = token_for(editor)
    checked = 0
    for url, name in bodies.items():
        for field, described in schemas[name]["properties"].items():
            limit = described.get("maxLength")
            if limit is None:
                continue
            value = "https://e.example/" + "a" * limit if described.get("format") == "uri" else "a" * (limit + 1)
            response = client.post(url, json={field: value}, headers=headers)
            assert response.status_code == 422, (name, field)
            assert field in response.get_json()["error"]["fields"], (name, field)
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("path", ["/statements", "/speakers"])
def test_documented_page_cap_is_the_enforced_one(app: Flask, client: FlaskClient, path: str) -> None:
    parameters = openapi_document(app)["paths"][path]["get"]["parameters"]
    per_page = next(p for p in parameters if p["name"] == "per_page")
    number, blank = per_page["schema"]["anyOf"]
    assert per_page["in"] == "query" and number["maximum"] == MAX_PER_PAGE and number["minimum"] == 1
    assert blank == {"type": "string", "maxLength": 0}
    assert client.get(f"/api/v1{path}?per_page=").status_code == 200
    assert client.get(f"/api/v1{path}?per_page={MAX_PER_PAGE}").status_code == 200
    too_many = client.get(f"/api/v1{path}?per_page={MAX_PER_PAGE + 1}")
    assert too_many.status_code == 400 and list(too_many.get_json()["error"]["fields"]) == ["per_page"]


def test_the_source_title_is_documented_with_the_desk_forms_limit(app: Flask) -> None:
    schemas = openapi_document(app)["components"]["schemas"]
    for name in ("StatementInput", "StatementPatch", "AppearanceInput"):
        assert schemas[name]["properties"]["source_title"]["maxLength"] == 500, name


def test_documented_enums_are_the_enforced_ones(app: Flask) -> None:
    schemas = openapi_document(app)["components"]["schemas"]
    assert schemas["OutcomeLinkInput"]["properties"]["relation"]["enum"] == ["confirms", "contradicts", "partly"]
    assert schemas["RatingInput"]["properties"]["scale"]["enum"] == ["truth", "outcome"]
    assert set(schemas["StatementInput"]["required"]) == {"text", "speaker", "said_on"}
    assert schemas["StatementPatch"]["required"] == ["version"]


def test_the_html_site_keeps_its_error_pages(client: FlaskClient) -> None:
    page = client.get("/claims/424242")
    assert page.status_code == 404 and page.mimetype == "text/html"
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.get_json()["error"]["status"] == 404


def test_publishing_and_editing_a_draft_rating_document_the_required_version(app: Flask) -> None:
    document = openapi_document(app)
    schemas = document["components"]["schemas"]
    publish = document["paths"]["/ratings/{rating_id}/publish"]["post"]
    edit = document["paths"]["/ratings/{rating_id}"]["put"]
    for operation in (publish, edit):
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert "version" in schemas[body]["required"]
        assert "409" in operation["responses"]
    assert "version" in schemas["Rating"]["properties"]
