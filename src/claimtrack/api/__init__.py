"""The JSON API under /api/v1: a write API for newsroom integrations, a read API for everyone.

Each half registers its routes on :data:`bp` from its own module and describes
them in its own OpenAPI fragment (``openapi/*.json``); :func:`openapi_document`
merges the fragments into the one document served at /api/v1/openapi.json.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from flask import Blueprint, jsonify

from claimtrack import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The API authenticates with bearer tokens, not cookies, so CSRF does not apply.
csrf.exempt(bp)


def openapi_document() -> dict[str, Any]:
    folder = resources.files("claimtrack.api") / "openapi"
    document = json.loads((folder / "base.json").read_text(encoding="utf-8"))
    for fragment in sorted(folder.iterdir(), key=lambda p: p.name):
        if fragment.name == "base.json" or not fragment.name.endswith(".json"):
            continue
        part = json.loads(fragment.read_text(encoding="utf-8"))
        # Merge per method: the read and write halves share paths such as /statements/{statement_id}.
        for path, operations in part.get("paths", {}).items():
            document["paths"].setdefault(path, {}).update(operations)
        document["components"]["schemas"].update(part.get("components", {}).get("schemas", {}))
        document["components"].setdefault("securitySchemes", {}).update(
            part.get("components", {}).get("securitySchemes", {})
        )
    return document


@bp.get("/openapi.json")
def openapi():  # type: ignore[no-untyped-def]
    return jsonify(openapi_document())


# Each half of the API adds its routes to bp when imported; import them after bp exists.
from claimtrack.api import read, write  # noqa: E402,F401
