"""Absolute URLs start with CLAIMTRACK_SITE_URL, whatever Host header a visitor sends."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack import create_app
from claimtrack.claims.models import Statement
from claimtrack.config import ConfigError
from claimtrack.demo import load_fixtures
from tests.servers import run_cli, start_server, stop_server

SITE = "https://factcheck.example.org/"
EVIL = {"Host": "evil.example"}


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "SITE_URL": SITE}


@pytest.fixture
def demo(app_session: Session) -> Session:
    load_fixtures(app_session)
    app_session.commit()
    return app_session


def _rated_claim(session: Session) -> int:
    return session.scalar(select(Statement.id).where(Statement.external_id == "demo-kellogg-two-issues"))


def test_a_forged_host_never_reaches_feeds_sitemaps_json_ld_or_the_api(client: FlaskClient, demo: Session) -> None:
    claim = _rated_claim(demo)
    urls = ["/", f"/claims/{claim}", "/feed.atom", f"/claims/{claim}/feed.atom", "/sitemap.xml", "/sitemaps/pages-1.xml",
            "/sitemaps/claims-1.xml", "/robots.txt", "/api/v1/statements", f"/api/v1/statements/{claim}",
            "/api/v1/speakers", "/speakers/keith-kellogg"]
    for url in urls:
        response = client.get(url, headers=EVIL)
        assert response.status_code == 200, url
        everything = response.get_data(as_text=True) + str(response.headers)
        assert "evil.example" not in everything, url
        assert SITE in everything, url
    page = client.get(f"/claims/{claim}", headers=EVIL).get_data(as_text=True)
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert ld is not None and f'"url": "{SITE}claims/{claim}"' in ld.group(1)
    # The publisher is the site itself unless CLAIMTRACK_ORGANISATION_URL names another address.
    assert f'"url": "{SITE}"' in ld.group(1)
    # Links inside the site stay relative.
    assert 'href="/speakers"' in page


def test_a_site_under_a_path_keeps_its_path(app_config: dict[str, Any], demo: Session) -> None:
    client = create_app({**app_config, "SITE_URL": "https://example.org/factcheck"}).test_client()
    feed = client.get("/feed.atom", headers=EVIL).get_data(as_text=True)
    assert "<id>https://example.org/factcheck/feed.atom</id>" in feed
    assert "https://example.org/factcheck/claims/" in feed


@pytest.mark.parametrize("engine_name", ["sqlite"])
@pytest.mark.parametrize("value", ["factcheck.example.org", "ftp://example.org/", "https://example.org/?a=1",
                                   "https://user@example.org/", "https:///"])
def test_a_site_url_that_is_not_an_http_address_is_refused(app_config: dict[str, Any], value: str) -> None:
    with pytest.raises(ConfigError, match="CLAIMTRACK_SITE_URL"):
        create_app({**app_config, "SITE_URL": value})


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_without_a_site_url_the_organisation_url_given_is_kept(app_config: dict[str, Any], demo: Session) -> None:
    config = {**app_config, "SITE_URL": None, "ORGANISATION_URL": "https://newsroom.example/"}
    client = create_app(config).test_client()
    page = client.get(f"/claims/{_rated_claim(demo)}").get_data(as_text=True)
    assert '"url": "https://newsroom.example/"' in page
    assert '"url": "http://localhost/claims/' in page


@pytest.mark.slow
def test_serve_warns_once_when_the_site_url_is_missing(tmp_path: Path) -> None:
    warning = "CLAIMTRACK_SITE_URL is not set"
    server = start_server(tmp_path / "without", load_demo=False)
    stop_server(server)
    assert (tmp_path / "without" / "server.log").read_text().count(warning) == 1
    server = start_server(tmp_path / "with", load_demo=False, extra_env={"CLAIMTRACK_SITE_URL": SITE})
    stop_server(server)
    assert warning not in (tmp_path / "with" / "server.log").read_text()
    bad = run_cli({**server.env, "CLAIMTRACK_SITE_URL": "example.org"}, "db", "current")
    assert bad.returncode == 1 and bad.stderr.startswith("Error: CLAIMTRACK_SITE_URL must be")
