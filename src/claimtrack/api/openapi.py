"""The OpenAPI description, generated from the API's routes and schemas.

Each API view says what it takes and answers with :func:`operation`; the
document walks the app's URL map, so a route is described where it is
written, and a route without a description is missing from the document
(which a test catches). Bearer-token views are found by the ``allowed_roles``
that :func:`claimtrack.api.auth.token_required` leaves on them, views that take
a token when one is sent by the ``token_optional`` flag of
:func:`claimtrack.api.auth.token_optional`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema
from werkzeug.routing import BaseConverter, IntegerConverter, Rule

F = TypeVar("F", bound=Callable[..., Any])

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message"],
            "properties": {
                "status": {"type": "integer"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Messages per field of the input, when the input is at fault.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

#: A blank query argument, which counts as left out.
BLANK = {"type": "string", "maxLength": 0}

_STATUS_TEXT = {
    200: "OK", 201: "Created", 301: "Moved for good: Location gives the address to use now",
    400: "Bad request: not a JSON object, or a bad query-string argument",
    401: "No valid bearer token", 403: "The token's user may not do this", 404: "Not found",
    409: "Conflicts with the stored state", 422: "The input is not valid; see the messages per field",
}


@dataclass(frozen=True)
class Operation:
    operation_id: str
    tag: str
    summary: str
    answers: Mapping[int, Schema | type[Schema] | None]
    errors: tuple[int, ...] = ()
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class _Described(Protocol):
    """A view that :func:`operation` described."""

    api_operation: Operation


def operation(
    operation_id: str,
    *,
    tag: str,
    answers: Mapping[int, Schema | type[Schema] | None],
    errors: tuple[int, ...] = (),
    body: type[Schema] | None = None,
    query: type[Schema] | None = None,
) -> Callable[[F], F]:
    """Describe an API view for OpenAPI: its id, tag, request body and query schemas, and its answers.

    The summary and description come from the view's docstring (up to its
    ``:raise`` fields). A body schema
    adds 400 and 422; a token-protected view adds 401 and 403.
    """

    def decorator(view: F) -> F:
        # The docstring's ":raise" fields are for developers; the error answers are listed per status.
        doc = inspect.cleandoc(view.__doc__ or "").split("\n:raise")[0]
        summary, _, rest = doc.partition("\n")
        # Kept on the function, so the wrapper of token_required (functools.wraps) carries it too.
        # A Callable type cannot name a function's attributes: the protocol names this one.
        described = cast(_Described, view)
        described.api_operation = Operation(
            operation_id, tag, summary.strip(), answers, errors, body, query, rest.strip()
        )
        return view

    return decorator


def _path_schema(converter: BaseConverter) -> dict[str, Any]:
    """What a path parameter takes, as its converter enforces it: an id is a whole number up to the converter's
    bound (a larger one answers 404)."""
    if isinstance(converter, IntegerConverter):
        schema: dict[str, Any] = {"type": "integer", "format": "int64", "minimum": 1}
        if converter.max is not None:
            schema["maximum"] = converter.max
        return schema
    return {"type": "string"}


def _openapi_path(rule: Rule, prefix: str) -> tuple[str, list[dict[str, Any]]]:
    """A Flask rule as an OpenAPI path, with its path parameters."""
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": _path_schema(converter)}
        for name, converter in rule._converters.items()
    ]
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(prefix))
    return path, parameters


def _operation(op: Operation, view: Any, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    described: dict[str, Any] = {"operationId": op.operation_id, "tags": [op.tag], "summary": op.summary}
    if op.description:
        described["description"] = op.description
    if op.query is not None:
        parameters = [*parameters, {"in": "query", "schema": op.query}]
    if parameters:
        described["parameters"] = parameters
    errors = set(op.errors)
    if op.body is not None:
        described["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
        errors |= {400, 422}
    if op.query is not None:
        errors.add(400)
    if hasattr(view, "allowed_roles"):
        described["security"] = [{"bearerToken": []}]
        errors |= {401, 403}
    elif getattr(view, "token_optional", False):
        # Anyone may ask; a token, when sent, must be valid.
        described["security"] = [{}, {"bearerToken": []}]
        errors.add(401)
    responses: dict[str, Any] = {}
    for status, schema in op.answers.items():
        answer: dict[str, Any] = {"description": _STATUS_TEXT.get(status, "OK")}
        if schema is not None:
            answer["content"] = {"application/json": {"schema": schema}}
        responses[str(status)] = answer
    for status in sorted(errors):
        responses[str(status)] = {
            "description": _STATUS_TEXT[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    described["responses"] = responses
    return described


def openapi_document(app: Flask, prefix: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.1 document of every API route of ``app``, generated from the routes and their schemas."""
    spec = APISpec(
        title="claimtrack API",
        version="1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Statements, ratings, outcomes and appearances. "
            'Errors always answer {"error": {"status", "message", "fields"?}}.'
        },
        servers=[{"url": prefix}],
        tags=[
            {"name": "read", "description": "The public read API: no token needed."},
            {"name": "write", "description": "The write API: send Authorization: Bearer <token>."},
        ],
    )
    spec.components.schema("Error", ERROR_SCHEMA)
    spec.components.security_scheme(
        "bearerToken",
        {"type": "http", "scheme": "bearer", "description": "A token from `claimtrack tokens create EMAIL`."},
    )
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        op: Operation | None = getattr(view, "api_operation", None)
        if not rule.rule.startswith(prefix + "/") or op is None:
            continue
        path, parameters = _openapi_path(rule, prefix)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(op, view, parameters)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    _blank_query_arguments_are_left_out(document)
    return document


def _blank_query_arguments_are_left_out(document: dict[str, Any]) -> None:
    """Say of every query argument that a blank one counts as left out, as the API reads it (an HTML form
    sends its empty fields): its schema becomes "this, or an empty string"."""
    for operations in document["paths"].values():
        for described in operations.values():
            for parameter in described.get("parameters", []):
                if parameter["in"] != "query" or parameter.get("required"):
                    continue
                schema = parameter["schema"]
                wrapped: dict[str, Any] = {"anyOf": [schema, BLANK]}
                if "default" in schema:
                    wrapped["default"] = schema.pop("default")
                parameter["schema"] = wrapped
