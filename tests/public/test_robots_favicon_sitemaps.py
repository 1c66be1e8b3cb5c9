"""robots.txt, the favicon, and page sitemaps split into files the protocol accepts."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack.demo import load_fixtures
from claimtrack.publishing import sitemap
from claimtrack.speakers.services import create_speaker

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def demo(app_session: Session) -> Session:
    load_fixtures(app_session)
    app_session.commit()
    return app_session


def locations(client: FlaskClient, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/xml", url
    return [loc.text or "" for loc in ET.fromstring(response.data).iter(f"{SITEMAP}loc")]


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_the_desk(client: FlaskClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")}
    assert {"/desk", "/login", "/api", "/search"} <= disallowed
    assert not disallowed & {"/", "/claims", "/speakers", "/topics", "/how-we-rate", "/static"}


def test_the_favicon_is_served_where_browsers_look_and_named_by_every_page(client: FlaskClient) -> None:
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in client.get("/").get_data(as_text=True)


def test_pages_sitemap_is_split_into_files_of_the_allowed_size(
    client: FlaskClient, demo: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        create_speaker(demo, f"Extra Speaker {n}")
    demo.commit()
    monkeypatch.setattr(sitemap, "PAGES_PER_FILE", 4)
    files = [url.removeprefix("http://localhost") for url in locations(client, "/sitemap.xml")]
    page_files = [f for f in files if f.startswith("/sitemaps/pages-")]
    assert len(page_files) >= 3 and page_files[0] == "/sitemaps/pages-1.xml"
    urls: list[str] = []
    for file in page_files:
        in_file = locations(client, file)
        assert 1 <= len(in_file) <= 4, file
        urls += in_file
    assert len(urls) == len(set(urls)), "no page is listed twice"
    assert urls[:4] == ["http://localhost/", "http://localhost/speakers", "http://localhost/topics",
                        "http://localhost/how-we-rate"]
    assert {f"http://localhost/speakers/extra-speaker-{n}" for n in range(5)} <= set(urls)
    assert {"http://localhost/speakers/keith-kellogg", "http://localhost/topics/crimea"} <= set(urls)
    assert client.get(f"/sitemaps/pages-{len(page_files) + 1}.xml").status_code == 404
    moved = client.get("/sitemaps/pages.xml")
    assert moved.status_code == 301 and moved.headers["Location"] == "/sitemaps/pages-1.xml"


def test_the_protocol_limit_is_kept() -> None:
    assert sitemap.PAGES_PER_FILE <= 50_000 and sitemap.CLAIMS_PER_FILE <= 50_000
