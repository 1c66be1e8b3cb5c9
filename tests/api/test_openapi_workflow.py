"""The publishing workflow in the OpenAPI document: every publish and retraction described, as enforced."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.api import openapi_document
from claimtrack.api.schemas.fields import MAX_ID
from claimtrack.claims.services import log_statement
from tests.desk.conftest import sqlite_only

pytestmark = sqlite_only

#: The item paths that publish and retract, and the resource each answers with.
ITEMS = {
    "/statements/{statement_id}": "Statement",
    "/ratings/{rating_id}": "Rating",
    "/outcomes/{outcome_id}": "Outcome",
    "/outcome-links/{outcome_link_id}": "OutcomeLink",
    "/statement-links/{statement_link_id}": "StatementLink",
}


def _body_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


@pytest.mark.parametrize("action, required", [("publish", "version"), ("retract", "note")])
def test_every_item_is_published_and_retracted_as_documented(app: Flask, action: str, required: str) -> None:
    document = openapi_document(app)
    for path, resource in ITEMS.items():
        operation = document["paths"][f"{path}/{action}"]["post"]
        assert operation["security"] == [{"bearerToken": []}], path
        assert {"200", "401", "403", "404", "409", "422"} <= set(operation["responses"]), path
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer == {"$ref": f"#/components/schemas/{resource}"}, path
        body = _body_schema(document, operation)
        assert body["required"] == [required], path
        version = body["properties"]["version"]
        assert version["type"] == ("integer" if action == "publish" else ["integer", "null"]), path
        assert (version["minimum"], version["maximum"]) == (1, MAX_ID), path


def test_every_resource_of_the_workflow_documents_its_status_and_version(app: Flask) -> None:
    schemas = openapi_document(app)["components"]["schemas"]
    for resource in ITEMS.values():
        assert schemas[resource]["properties"]["status"]["enum"] == ["draft", "published", "retracted"], resource
        assert "status" in schemas[resource]["required"], resource
        assert schemas[resource]["properties"]["version"]["type"] == "integer", resource


def test_a_statement_is_read_with_or_without_a_token(app: Flask) -> None:
    operation = openapi_document(app)["paths"]["/statements/{statement_id}"]["get"]
    assert operation["security"] == [{}, {"bearerToken": []}]
    assert "401" in operation["responses"] and "403" not in operation["responses"]
    assert openapi_document(app)["paths"]["/ratings/{rating_id}"]["get"]["security"] == [{"bearerToken": []}]


def test_the_documented_note_limits_are_the_enforced_ones(
    app: Flask, client: FlaskClient, token_for: Callable[[User], dict[str, str]], editor: User, session: Session
) -> None:
    document = openapi_document(app)
    retract = _body_schema(document, document["paths"]["/statements/{statement_id}/retract"]["post"])
    limit = retract["properties"]["note"]["maxLength"]
    patch = document["components"]["schemas"]["StatementPatch"]["properties"]["revision_note"]
    assert limit == patch["maxLength"] == workflow.MAX_NOTE
    statement = log_statement(session, "Every bridge will be open by spring.", speaker=None,
                              said_on=dt.date(2025, 11, 20))
    workflow.publish(session, statement, None, version=None)
    session.commit()
    url, headers = f"/api/v1/statements/{statement.id}/retract", token_for(editor)
    too_long = client.post(url, json={"note": "n" * (limit + 1)}, headers=headers)
    assert too_long.status_code == 422 and list(too_long.get_json()["error"]["fields"]) == ["note"]
    at_limit = client.post(url, json={"note": "n" * limit}, headers=headers)
    assert at_limit.status_code == 200 and at_limit.get_json()["status"] == "retracted"
