"""Hostile but ordinary requests get an HTTP answer, never a 500; a 405 says what is allowed."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter

from claimtrack.orm import MAX_ID


# One more than PostgreSQL's INTEGER id columns hold, and one more than a 64-bit integer.
@pytest.mark.parametrize("too_large", [MAX_ID + 1, 2**63])
def test_every_route_answers_an_id_too_large_for_the_database_with_a_4xx(
    app: Flask, client: FlaskClient, too_large: int
) -> None:
    """Walks the URL map, so a route added later is held to it too."""
    checked = 0
    for rule in app.url_map.iter_rules():
        ints = [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]
        if not ints:
            continue
        url = rule.build({name: (too_large if name in ints else "x") for name in rule.arguments}, append_unknown=False)
        assert url is not None
        path = url[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            status = client.open(path, method=method).status_code
            assert 400 <= status < 500, f"{method} {path} answered {status}"
            checked += 1
    assert checked > 20, "the walk found the routes with ids"


def test_a_405_names_the_allowed_methods_on_pages_and_in_the_api(client: FlaskClient) -> None:
    page = client.post("/claims/1")
    assert page.status_code == 405 and set(page.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    api = client.delete("/api/v1/statements")
    assert api.status_code == 405 and "POST" in api.headers["Allow"]
    assert api.get_json()["error"]["status"] == 405
