"""Error pages: JSON with one shape under /api, HTML elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_body(status: int, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, object]:
    """The one JSON error shape every API endpoint answers with."""
    body: dict[str, object] = {"error": {"status": status, "message": message}}
    if fields:
        body["error"]["fields"] = fields  # type: ignore[index]
    return body


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        status = exc.code or 500
        message = exc.description or exc.name
        if wants_json():
            return jsonify(error_body(status, message)), status
        return render_template("errors/error.html", status=status, title=exc.name, message=message), status
