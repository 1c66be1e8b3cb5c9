"""The JSON API under /api/v1: a write API for newsroom integrations, a read API for everyone.

Each part (read, write, publish) registers its routes on :data:`bp` from its own module; every view
describes itself with :func:`claimtrack.api.openapi.operation`, and the
OpenAPI document served at /api/v1/openapi.json is generated from those
descriptions and the schemas of :mod:`claimtrack.api.schemas`.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from claimtrack import csrf
from claimtrack.api.error_mapping import init_api
from claimtrack.api.openapi import openapi_document, operation

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The API authenticates with bearer tokens, not cookies, so CSRF does not apply.
csrf.exempt(bp)
init_api(bp)


@bp.get("/openapi.json")
@operation("getOpenAPI", tag="read", answers={200: None})
def openapi() -> Response:
    """This OpenAPI document, generated from the routes and their schemas."""
    return jsonify(openapi_document(current_app))


__all__ = ["bp", "openapi_document"]

# Each part of the API adds its routes to bp when imported; import them after bp exists.
from claimtrack.api import publish, read, write  # noqa: E402,F401
