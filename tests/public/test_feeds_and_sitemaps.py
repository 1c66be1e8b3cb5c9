"""Atom feeds and sitemaps are well-formed XML in their namespaces, with the required elements."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import Role
from claimtrack.accounts.services import create_user
from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.demo import load_fixtures
from claimtrack.speakers.services import create_speaker
from tests.public.conftest import rate

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
    assert titles[0] == "First said (December 2025)"
    assert any(t.startswith("Rated Pending") for t in titles) and any(t.startswith("Events went against it") for t in titles)
    assert client.get("/claims/999999/feed.atom").status_code == 404


def entry_authors(entry: ET.Element) -> list[str]:
    return [name.text or "" for name in entry.findall(f"{ATOM}author/{ATOM}name")]


def test_site_feed_names_the_organisation_and_the_rater_as_authors_never_the_speaker(
    app: Flask, client: FlaskClient, app_session: Session
) -> None:
    rater = create_user(app_session, "rhea@example.org", "a long enough password", Role.FACT_CHECKER,
                        display_name="Rhea Stone")
    speaker = create_speaker(app_session, "Mona Vale")
    by_rater = log_statement(app_session, "The bridge opens in May.", speaker=speaker, said_on=dt.date(2025, 1, 2))
    by_system = log_statement(app_session, "The tunnel opens in June.", speaker=speaker, said_on=dt.date(2025, 1, 3))
    app_session.flush()
    rate(app_session, by_rater, "false", actor=rater)
    rate(app_session, by_system, "true")
    app_session.commit()

    entries = parse_atom(client, "/feed.atom").findall(f"{ATOM}entry")
    organisation = app.config["ORGANISATION_NAME"]
    authors = {e.find(f"{ATOM}link").get("href"): entry_authors(e) for e in entries}
    assert authors == {
        f"http://localhost/claims/{by_rater.id}": [organisation, "Rhea Stone"],
        f"http://localhost/claims/{by_system.id}": [organisation],
    }


#: Each character XML 1.0 forbids that a paste can bring: Word's line break (\v), form feed, other C0 controls.
FORBIDDEN = "\v\f\x01\x1b"


def test_every_feed_parses_even_when_a_stored_text_holds_characters_xml_forbids(
    client: FlaskClient, app_session: Session
) -> None:
    # Stored through the service, as data saved before the desk cleaned its input was.
    speaker = create_speaker(app_session, f"Mona{FORBIDDEN} Vale")
    statement = log_statement(app_session, f"First line{FORBIDDEN}second line.", speaker=speaker,
                              said_on=dt.date(2025, 1, 2))
    app_session.flush()
    rate(app_session, statement, "false", headline=f"Not so{FORBIDDEN}", rationale="Because.")
    rate(app_session, statement, "true", kind="correction", correction_note=f"We misread it{FORBIDDEN}.")
    app_session.commit()

    for url in ("/feed.atom", f"/claims/{statement.id}/feed.atom"):
        feed = parse_atom(client, url)
        text = "".join(feed.itertext())
        assert "First linesecond line." in text, url
        assert not any(c in text for c in FORBIDDEN), url


def test_sitemap_index_points_to_well_formed_sitemaps_of_every_public_page(client: FlaskClient, demo: Session) -> None:
    index = ET.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == f"{SITEMAP}sitemapindex"
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert files == ["http://localhost/sitemaps/pages-1.xml", "http://localhost/sitemaps/claims-1.xml"]
    urls = []
    for file_url in files:
        urlset = ET.fromstring(client.get(file_url.removeprefix("http://localhost")).data)
        assert urlset.tag == f"{SITEMAP}urlset"
        urls += [loc.text for loc in urlset.iter(f"{SITEMAP}loc")]
    assert "http://localhost/speakers/keith-kellogg" in urls and "http://localhost/topics/crimea" in urls
    claim_ids = demo.scalars(select(Statement.id)).all()
    assert {f"http://localhost/claims/{i}" for i in claim_ids} <= set(urls)
    assert client.get("/sitemaps/claims-2.xml").status_code == 404
