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
        document["paths"].update(part.get("paths", {}))
        document["components"]["schemas"].update(part.get("components", {}).get("schemas", {}))
        document["components"].setdefault("securitySchemes", {}).update(
            part.get("components", {}).get("securitySchemes", {})
        )
    return document


@bp.get("/openapi.json")
def openapi():  # type: ignore[no-untyped-def]
    return jsonify(openapi_document())


# The read API registers its routes on bp (kept last: it imports bp from here).
from claimtrack.api import read as _read  # noqa: E402,F401
