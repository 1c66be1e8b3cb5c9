"""Atom feeds and sitemaps are well-formed XML in their namespaces, with the required elements."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.claims.models import Statement
from claimtrack.demo import load_fixtures

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def demo(app_session: Session) -> Session:
    load_fixtures(app_session)
    app_session.commit()
    return app_session


def parse_atom(client: FlaskClient, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.find(f"{ATOM}{required}").text or "").strip(), required
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://localhost/claims/")
    return feed


def test_site_feed_lists_published_ratings_newest_first(client: FlaskClient, demo: Session) -> None:
    feed = parse_atom(client, "/feed.atom")
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert sorted(titles) == sorted([
        "Only two issues left? The Kremlin's answer suggests more",
        "Envoy says a Ukraine deal is really close: too early to tell",
    ])
    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids)


def test_empty_site_feed_is_still_valid(client: FlaskClient) -> None:
    assert parse_atom(client, "/feed.atom").findall(f"{ATOM}entry") == []


def test_claim_feed_follows_one_claims_history(client: FlaskClient, demo: Session) -> None:
    claim_id = demo.scalar(select(Statement.id).where(Statement.external_id == "demo-kellogg-really-close"))
    feed = parse_atom(client, f"/claims/{claim_id}/feed.atom")
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles[0] == "Keith Kellogg said it (December 2025)"
    assert any(t.startswith("Rated Pending") for t in titles) and any(t.startswith("Events went against it") for t in titles)
    assert client.get("/claims/999999/feed.atom").status_code == 404


def test_sitemap_index_points_to_well_formed_sitemaps_of_every_public_page(client: FlaskClient, demo: Session) -> None:
    index = ET.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == f"{SITEMAP}sitemapindex"
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert files == ["http://localhost/sitemaps/pages.xml", "http://localhost/sitemaps/claims-1.xml"]
    urls = []
    for file_url in files:
        urlset = ET.fromstring(client.get(file_url.removeprefix("http://localhost")).data)
        assert urlset.tag == f"{SITEMAP}urlset"
        urls += [loc.text for loc in urlset.iter(f"{SITEMAP}loc")]
    assert "http://localhost/speakers/keith-kellogg" in urls and "http://localhost/topics/crimea" in urls
    claim_ids = demo.scalars(select(Statement.id)).all()
    assert {f"http://localhost/claims/{i}" for i in claim_ids} <= set(urls)
    assert client.get("/sitemaps/claims-2.xml").status_code == 404
