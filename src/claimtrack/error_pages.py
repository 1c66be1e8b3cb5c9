"""Error pages: JSON with one shape under /api, HTML elsewhere.

The one place where HTTP errors and the domain's errors (:mod:`claimtrack.errors`)
become responses. A form page that wants an :class:`~claimtrack.errors.Invalid`
on one of its fields catches it itself (see :mod:`claimtrack.forms`); everything
else a service raises lands here.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from claimtrack.errors import DomainError, Invalid
from claimtrack.text import as_sentence


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_body(status: int, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, object]:
    """The one JSON error shape every API endpoint answers with."""
    error: dict[str, object] = {"status": status, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def render_error(
    status: int,
    title: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> ResponseReturnValue:
    """The error as JSON under /api/ (the one shape), else as the HTML error page, with ``headers``
    (the ``Allow`` of a 405, the ``WWW-Authenticate`` of a 401) kept."""
    message = as_sentence(message)
    if wants_json():
        return jsonify(error_body(status, message, fields)), status, headers or []
    return render_template("errors/error.html", status=status, title=title, message=message), status, headers or []


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError) -> ResponseReturnValue:
        fields = exc.as_fields() if isinstance(exc, Invalid) else None
        message = "The input is not valid; see the messages per field." if fields else exc.message
        return render_error(exc.status, _TITLES.get(exc.status, "Error"), message, fields)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        message = exc.description or exc.name
        # The exception's own headers say how to do better (Allow, WWW-Authenticate, Retry-After); its
        # Content-Type described its own body, not ours.
        headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
        return render_error(status, exc.name, message, headers=headers)


_TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 422: "Unprocessable Content"}
