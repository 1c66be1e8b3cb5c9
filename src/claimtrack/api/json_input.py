"""Reading JSON bodies for the write API and validating them with the desk's own forms."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import request
from werkzeug.datastructures import MultiDict

from claimtrack.api.auth import api_abort
from claimtrack.forms import Form

FormT = TypeVar("FormT", bound=Form)


def json_object() -> dict[str, Any]:
    """The request's JSON object.

    :raise 400: when the body is not a JSON object.
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        api_abort(400, "Send a JSON object with Content-Type: application/json.")
    if not _encodable(body):
        api_abort(400, "The JSON holds text that is not valid Unicode (a lone \\ud800-\\udfff escape).")
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


def _as_formdata(body: dict[str, Any]) -> MultiDict[str, str]:
    """JSON values as the strings an HTML form would post (true -> "y", lists -> repeated keys)."""
    pairs: list[tuple[str, str]] = []
    for key, value in body.items():
        if value is None or value is False:
            continue
        if value is True:
            pairs.append((key, "y"))
        elif isinstance(value, list):
            pairs.extend((key, str(item)) for item in value)
        else:
            pairs.append((key, str(value)))
    return MultiDict(pairs)


def validated(form_class: type[FormT], body: dict[str, Any], **kwargs: Any) -> FormT:
    """``form_class`` filled from ``body`` and validated, without CSRF (the API uses bearer tokens).

    :raise 422: with a message per field when the input is invalid.
    """
    form = form_class(formdata=_as_formdata(body), meta={"csrf": False}, **kwargs)
    if not form.validate():
        api_abort(422, "The input is not valid; see the messages per field.", field_errors(form))
    return form


def field_errors(form: Form) -> dict[str, list[str]]:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items() if errors}


def require_fields(body: dict[str, Any], *names: str) -> None:
    """:raise 422: naming each required key that is missing or empty."""
    missing = {name: ["This field is required."] for name in names if body.get(name) in (None, "", [])}
    if missing:
        api_abort(422, "The input is not valid; see the messages per field.", missing)
