"""Security headers on every response (pages, the desk, the API, errors, static files), proxies, secure cookies."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter

from claimtrack import create_app
from claimtrack.accounts.models import LoginThrottle, ThrottleKind, User
from claimtrack.security import content_security_policy
from tests.desk.conftest import PASSWORD, sqlite_only

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def csp(response: Any) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def assert_protected(response: Any, what: str) -> None:
    policy = csp(response)
    assert policy.get("frame-ancestors") == "'none'", what
    assert policy.get("script-src") == "'self'" and policy.get("style-src") == "'self'", what
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"], what
    assert response.headers.get("X-Frame-Options") == "DENY", what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", what


@sqlite_only
def test_every_route_answers_with_the_security_headers(app: Flask, editor_client: FlaskClient) -> None:
    """Walks the URL map as a logged-in editor, so a route added later is held to it too."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        values = {name: 1 if isinstance(conv, IntegerConverter) else "x" for name, conv in rule._converters.items()}
        if rule.endpoint == "static":
            values = {"filename": "style.css"}
        built = rule.build(values, append_unknown=False)
        assert built is not None
        with editor_client.get(built[1]) as response:  # a static file's answer holds the file open
            assert_protected(response, f"GET {built[1]} ({response.status_code})")
        checked += 1
    assert checked > 40, "the walk found the pages"


@sqlite_only
def test_errors_and_the_api_carry_the_headers_too(client: FlaskClient) -> None:
    for response in (client.get("/no/such/page"), client.post("/claims/1"), client.get("/api/v1/statements/12345"),
                     client.delete("/api/v1/statements"), client.get("/desk/")):
        assert response.status_code >= 300
        assert_protected(response, f"{response.request.method} {response.request.path} ({response.status_code})")


def test_no_template_has_inline_script_style_or_event_handler() -> None:
    """The CSP allows none of them: each would be blocked in the browser. JSON-LD is data, not script."""
    found = []
    for path in TEMPLATES.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/ld+json"' not in tag:
                found.append(f"{path.name}: {tag}")
        found += [f"{path.name}: {m}" for m in re.findall(r"<style\b|\sstyle=|\son[a-z]+=", text)]
        found += [f"{path.name}: {m}" for m in re.findall(r"javascript:", text)]
    assert found == []


@sqlite_only
def test_a_view_may_vary_the_policy_and_others_keep_the_default(app_config: dict[str, Any]) -> None:
    app = create_app(app_config)

    @app.get("/embed-test")
    @content_security_policy(frame_ancestors="*")
    def embeddable() -> str:
        return "card"

    client = app.test_client()
    card = client.get("/embed-test")
    assert csp(card)["frame-ancestors"] == "*" and csp(card)["script-src"] == "'self'"
    assert "X-Frame-Options" not in card.headers
    assert_protected(client.get("/how-we-rate"), "a page without a variation")


@sqlite_only
def test_hsts_only_when_the_visitor_used_https(app: Flask, client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"] == "max-age=31536000"
    # Without trusted proxies, anyone could claim HTTPS with a header.
    assert "Strict-Transport-Security" not in client.get("/", headers={"X-Forwarded-Proto": "https"}).headers


@pytest.fixture
def proxied_client(app_config: dict[str, Any]) -> FlaskClient:
    return create_app({**app_config, "TRUSTED_PROXIES": 1}).test_client()


def _failed_login_ips(session: Session, email: str) -> list[str]:
    """The client addresses the login throttle counted failures for (one counter row per address)."""
    session.expire_all()
    return list(session.scalars(select(LoginThrottle.key).where(LoginThrottle.kind == ThrottleKind.ADDRESS)))


def test_behind_a_trusted_proxy_the_visitor_address_and_scheme_are_the_forwarded_ones(
    proxied_client: FlaskClient, client: FlaskClient, editor: User, session: Session
) -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    response = proxied_client.post("/login", data={"email": editor.email, "password": "wrong"}, headers=forwarded)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    # The login throttle counts per visitor, not per proxy.
    client.post("/login", data={"email": editor.email, "password": "wrong"}, headers=forwarded)
    assert sorted(_failed_login_ips(session, editor.email)) == ["127.0.0.1", "203.0.113.7"]


@sqlite_only
@pytest.mark.parametrize(("site_url", "secure"), [("https://factcheck.example.org/", True), (None, False)])
def test_login_cookies_are_secure_when_the_site_is_https(
    app_config: dict[str, Any], editor: User, site_url: str | None, secure: bool
) -> None:
    app = create_app({**app_config, "SITE_URL": site_url})
    assert app.config["REMEMBER_COOKIE_SECURE"] is secure
    response = app.test_client().post("/login", data={"email": editor.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = next(value for name, value in response.headers.items() if name == "Set-Cookie" and "session=" in value)
    assert ("; Secure" in cookie) is secure


@sqlite_only
@pytest.mark.parametrize("count", [-1, "two", True])
def test_a_bad_trusted_proxies_setting_is_refused(app_config: dict[str, Any], count: object) -> None:
    from claimtrack.config import ConfigError

    with pytest.raises(ConfigError, match="CLAIMTRACK_TRUSTED_PROXIES"):
        create_app({**app_config, "TRUSTED_PROXIES": count})


