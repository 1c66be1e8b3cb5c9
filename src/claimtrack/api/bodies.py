"""Reading a request's JSON body and query string through a schema.

A body that is not a JSON object answers 400; one that breaks its schema
answers 422 with the messages per field, through the central error mapping
(:mod:`claimtrack.error_pages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import BadRequest

from claimtrack.errors import DomainError, Invalid

INVALID = "The input is not valid; see the messages per field."


class InvalidFields(Invalid):
    """Input that breaks its schema, with messages for several fields at once."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(INVALID)
        self.fields = fields

    def as_fields(self) -> dict[str, list[str]]:
        return self.fields


def json_object() -> dict[str, Any]:
    """The request's JSON object.

    :raise BadRequest: (400) when the body is not a JSON object, or holds a lone surrogate escape.
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object with Content-Type: application/json.")
    if not _encodable(body):
        raise BadRequest("The JSON holds text that is not valid Unicode (a lone \\ud800-\\udfff escape).")
    return body


def _encodable(value: Any) -> bool:
    """False when a string anywhere in ``value`` holds a lone surrogate, which JSON escapes allow
    but no database can store."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_encodable(k) and _encodable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_encodable(item) for item in value)
    return True


def load(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` validated and converted by ``schema``.

    :raise InvalidFields: (422) with the messages per field.
    """
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as exc:
        raise InvalidFields(field_messages(exc.messages)) from None
    return loaded


def load_body(schema: Schema) -> dict[str, Any]:
    """The request's JSON object, validated by ``schema``.

    :raise BadRequest: see :func:`json_object`. :raise InvalidFields: see :func:`load`.
    """
    return load(schema, json_object())


class BadArguments(DomainError):
    """Query-string arguments the read API cannot use: 400, naming each one (see :mod:`.error_mapping`)."""

    status = 400

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(f"invalid value for: {', '.join(sorted(fields))}")
        self.fields = fields


def load_args(schema: Schema) -> dict[str, Any]:
    """The query string validated by ``schema``.

    :raise BadArguments: (400) naming each bad argument.
    """
    try:
        loaded: dict[str, Any] = schema.load(request.args)
    except ValidationError as exc:
        raise BadArguments(field_messages(exc.messages)) from None
    return loaded


def field_messages(messages: Any) -> dict[str, list[str]]:
    """Marshmallow's nested messages as the error shape's flat ``{"field": ["message", ...]}``.

    A message about an item inside a field ("evidence", item 0, "url") keeps the
    top-level name as its key and says where inside: ``"0.url: Not a valid URL."``.
    """
    if not isinstance(messages, dict):
        return {"_body": _flatten(messages)}
    return {str(name): _flatten(value) for name, value in messages.items()}


def _flatten(value: Any, where: str = "") -> list[str]:
    prefix = f"{where}: " if where else ""
    if isinstance(value, str):
        return [prefix + value]
    if isinstance(value, list):
        return [message for item in value for message in _flatten(item, where)]
    if isinstance(value, dict):
        return [
            message
            for key, inner in value.items()
            for message in _flatten(inner, f"{where}.{key}" if where else str(key))
        ]
    return [prefix + str(value)]
