"""The publishing workflow in the OpenAPI document: every publish and retraction described, as enforced."""

from __future__ import annotations

from flask import Flask

from claimtrack.api import openapi_document
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


def test_every_resource_of_the_workflow_documents_its_status_and_version(app: Flask) -> None:
    schemas = openapi_document(app)["components"]["schemas"]
    for resource in ("Statement", "Rating", "Outcome", "OutcomeLink"):
        assert schemas[resource]["properties"]["status"]["enum"] == ["draft", "published", "retracted"], resource
        assert "status" in schemas[resource]["required"], resource
        assert schemas[resource]["properties"]["version"]["type"] == "integer", resource


def test_a_statement_is_read_with_or_without_a_token(app: Flask) -> None:
    operation = openapi_document(app)["paths"]["/statements/{statement_id}"]["get"]
    assert operation["security"] == [{}, {"bearerToken": []}]
    assert "401" in operation["responses"] and "403" not in operation["responses"]
    assert openapi_document(app)["paths"]["/ratings/{rating_id}"]["get"]["security"] == [{"bearerToken": []}]
