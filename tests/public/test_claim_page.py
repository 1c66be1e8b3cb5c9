"""The claim page: words, speaker, date as precise as known, source, timeline, related statements,
and ClaimReview JSON-LD that parses and carries what fact-check readers look for."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.demo import load_fixtures
from claimtrack.speakers.services import create_speaker
from tests.public.conftest import LeakCase, rate


def statement_id(session: Session, external_id: str) -> int:
    return session.scalar(select(Statement.id).where(Statement.external_id == external_id))


@pytest.fixture
def demo(app_session: Session) -> Session:
    load_fixtures(app_session)
    app_session.commit()
    return app_session


def json_ld(page: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def event_titles(page: str) -> list[str]:
    """The timeline's event titles as read, without their links."""
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r'<h3 class="event-title">(.*?)</h3>', page, re.S)]


def test_claim_page_shows_words_speaker_month_and_source(client: FlaskClient, demo: Session) -> None:
    response = client.get(f"/claims/{statement_id(demo, 'demo-kellogg-really-close')}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A deal to end the fighting is really close." in page
    assert "Keith Kellogg" in page and "U.S. Special Envoy for Ukraine" in page
    assert "December 2025" in page and "1 December 2025" not in page, "a month-precise date shows as a month"
    assert "The Last 10 Metres" in page and "NewsNeck" in page


def test_claim_page_timeline_runs_from_said_to_outcome(client: FlaskClient, demo: Session) -> None:
    claim_id = statement_id(demo, "demo-kellogg-really-close")
    timeline = client.get(f"/api/v1/statements/{claim_id}").get_json()["timeline"]
    assert [e["kind"] for e in timeline] == ["said", "rating", "expected", "outcome"], "rated when said, settled later"
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Events went against it" in event_titles(page) and "Rated Pending" in event_titles(page)


def test_correction_shows_every_published_version_with_its_note(client: FlaskClient, leak_case: LeakCase, app_session: Session) -> None:
    statement = app_session.get(Statement, leak_case.draft_only.id)
    draft = statement.ratings[0]
    from claimtrack.ratings.services import publish_rating

    publish_rating(app_session, draft, actor=None, version=None)
    rate(app_session, statement, "mostly_false", kind="correction", correction_note="We found the full transcript.", headline="Corrected")
    app_session.commit()
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "Rated False" in event_titles(page) and "Corrected: rating changed to Mostly false" in event_titles(page)
    assert "We found the full transcript." in page
    assert json_ld(page)["reviewRating"]["alternateName"] == "Mostly false"


def test_related_statements_are_listed_with_their_relation(client: FlaskClient, demo: Session) -> None:
    page = client.get(f"/claims/{statement_id(demo, 'demo-kellogg-really-close')}").get_data(as_text=True)
    assert "Contradicts" in page and "radical changes" in page
    assert "Supported by" in page and "last 10 metres" in page
    other = client.get(f"/claims/{statement_id(demo, 'demo-peskov-radical-changes')}").get_data(as_text=True)
    assert "Contradicted by" in other


def test_claim_page_links_its_json_twin_and_feed(client: FlaskClient, demo: Session) -> None:
    claim_id = statement_id(demo, "demo-kellogg-two-issues")
    response = client.get(f"/claims/{claim_id}")
    assert response.headers["Link"] == f'<http://localhost/api/v1/statements/{claim_id}>; rel="alternate"; type="application/json"'
    assert f'href="http://localhost/claims/{claim_id}/feed.atom"' in response.get_data(as_text=True)


def test_unknown_claim_is_404(client: FlaskClient) -> None:
    assert client.get("/claims/999999").status_code == 404


def test_claim_review_json_ld_carries_the_fields_fact_check_readers_use(client: FlaskClient, demo: Session, app) -> None:  # type: ignore[no-untyped-def]
    claim_id = statement_id(demo, "demo-kellogg-two-issues")
    ld = json_ld(client.get(f"/claims/{claim_id}").get_data(as_text=True))
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "ClaimReview"
    assert ld["url"] == f"http://localhost/claims/{claim_id}"
    assert ld["claimReviewed"] == "Only two major issues stand between the parties and a peace deal."
    assert ld["reviewRating"] == {
        "@type": "Rating", "ratingValue": 4, "bestRating": 6, "worstRating": 1, "alternateName": "Half true",
        "ratingExplanation": ld["reviewRating"]["ratingExplanation"],
    }
    # No organisation address set: the publisher is the site itself.
    assert ld["author"] == {"@type": "Organization", "name": app.config["ORGANISATION_NAME"], "url": "http://localhost/"}
    item = ld["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2025-12-01"
    assert item["author"]["@type"] == "Person" and item["author"]["name"] == "Keith Kellogg"
    assert item["author"]["jobTitle"] == "U.S. Special Envoy for Ukraine"
    assert item["firstAppearance"]["@type"] == "CreativeWork" and item["firstAppearance"]["name"] == "The Last 10 Metres"
    assert dt.date.fromisoformat(ld["datePublished"])


def test_claim_review_leaves_out_the_rating_value_for_verdicts_off_the_scale(client: FlaskClient, demo: Session) -> None:
    ld = json_ld(client.get(f"/claims/{statement_id(demo, 'demo-kellogg-really-close')}").get_data(as_text=True))
    assert "ratingValue" not in ld["reviewRating"]
    assert ld["reviewRating"]["alternateName"] == "Pending"
    assert (ld["reviewRating"]["bestRating"], ld["reviewRating"]["worstRating"]) == (3, 1)


def test_json_ld_cannot_be_broken_out_of_by_the_words(client: FlaskClient, app_session: Session) -> None:
    speaker = create_speaker(app_session, "Hal </script> Ng")
    statement = log_statement(app_session, "</script><script>alert(1)</script> & <!-- more", speaker=speaker, said_on=dt.date(2025, 1, 1))
    app_session.flush()
    rate(app_session, statement, "false")
    app_session.commit()
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    ld = json_ld(page)
    assert ld["claimReviewed"] == "</script><script>alert(1)</script> & <!-- more"
    assert ld["itemReviewed"]["author"]["name"] == "Hal </script> Ng"


def test_the_demo_prediction_with_an_outcome_linked_is_not_due_for_review_though_still_pending(client: FlaskClient, demo: Session) -> None:
    from claimtrack.publishing.queries import claim_view

    claim_id = statement_id(demo, "demo-kellogg-really-close")
    view = claim_view(demo, claim_id)
    assert view is not None and view.statement.expected_by == dt.date(2026, 1, 31)
    assert view.current_rating is not None and view.current_rating.verdict == "pending" and view.outcome_links
    assert not view.review_overdue(dt.date(2026, 2, 1)), "an outcome is linked: the desk's queue leaves it out too"
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "due for review" not in page
