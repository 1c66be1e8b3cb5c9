"""Reading a request's JSON body and query string through a schema.

A body that is not a JSON object, or nests deeper than :data:`MAX_JSON_DEPTH`,
answers 400; one that breaks its schema answers 422 with the messages per field,
through the central error mapping (:mod:`claimtrack.error_pages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request
from flask.json.provider import DefaultJSONProvider
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import BadRequest

from claimtrack.errors import DomainError, Invalid

INVALID = "The input is not valid; see the messages per field."
#: How deep request JSON may nest: every body the API takes is three levels deep at most
#: (a rating, its evidence list, a link); deeper ones are refused before any schema walks them.
MAX_JSON_DEPTH = 16


def json_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """How deep ``value`` nests (a scalar is 0, ``[]`` is 1), counted without recursion, stopping past ``limit``."""
    deepest, stack = 0, [(value, 0)]
    while stack and deepest <= limit:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth + 1)
            stack.extend((inner, depth + 1) for inner in item)
    return deepest


class BoundedJSONProvider(DefaultJSONProvider):
    """The app's JSON, reading no document that nests deeper than :data:`MAX_JSON_DEPTH`.

    Set on the app, so every request body any route reads (``request.get_json``) is held to it: a refusal is a
    ``ValueError``, which Flask answers with 400 (or ``None`` for a silent read).
    """

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            # The parser itself gives up past a thousand levels or so; deeper is refused all the same.
            value = None
            deepest = MAX_JSON_DEPTH + 1
        else:
            deepest = json_depth(value)
        if deepest > MAX_JSON_DEPTH:
            raise ValueError(f"The JSON nests deeper than {MAX_JSON_DEPTH} levels.")
        return value


class InvalidFields(Invalid):
    """Input that breaks its schema, with messages for several fields at once."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(INVALID)
        self.fields = fields

    def as_fields(self) -> dict[str, list[str]]:
        return self.fields


def json_object() -> dict[str, Any]:
    """The request's JSON object.

    :raise BadRequest: (400) when the body is not a JSON object, nests too deep (see :class:`BoundedJSONProvider`)
        or holds a lone surrogate escape.
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest(f"Send a JSON object, nested at most {MAX_JSON_DEPTH} levels deep, "
                         "with Content-Type: application/json.")
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
