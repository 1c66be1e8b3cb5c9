"""Drafts never leak: no public page, API answer, feed, sitemap or JSON-LD carries a draft rating
or an appearance nobody confirmed."""

from __future__ import annotations

import json
import re

import pytest
from flask.testing import FlaskClient

from tests.public.conftest import DRAFT_MARKERS, LeakCase


def assert_no_draft(body: str) -> None:
    leaked = [marker for marker in DRAFT_MARKERS if marker in body]
    assert not leaked, f"draft content leaked: {leaked}"


def public_urls(case: LeakCase) -> list[str]:
    a, b = case.draft_only.id, case.published_then_draft.id
    return [
        "/", "/search", "/search?q=bridges", "/search?speaker=Ada", f"/claims/{a}", f"/claims/{b}",
        f"/speakers/{case.speaker.slug}", "/speakers", "/topics/bridges", "/feed.atom",
        f"/claims/{a}/feed.atom", f"/claims/{b}/feed.atom", "/sitemap.xml", "/sitemaps/pages.xml",
        "/sitemaps/claims-1.xml", "/api/v1/statements", "/api/v1/statements?q=moon", f"/api/v1/statements/{a}",
        f"/api/v1/statements/{b}", "/api/v1/speakers", f"/api/v1/speakers/{case.speaker.id}",
    ]


def test_no_public_output_carries_draft_ratings_or_unconfirmed_appearances(client: FlaskClient, leak_case: LeakCase) -> None:
    for url in public_urls(leak_case):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_draft(response.get_data(as_text=True))


def test_statement_with_only_a_draft_reads_as_not_yet_rated(client: FlaskClient, leak_case: LeakCase) -> None:
    page = client.get(f"/claims/{leak_case.draft_only.id}").get_data(as_text=True)
    assert "Not yet rated" in page
    assert "application/ld+json" not in page, "no ClaimReview without a published rating"
    detail = client.get(f"/api/v1/statements/{leak_case.draft_only.id}").get_json()
    assert detail["current_rating"] is None and detail["ratings"] == []
    assert [e["kind"] for e in detail["timeline"]] == ["said"]


def test_newer_draft_does_not_replace_the_published_verdict_anywhere(client: FlaskClient, leak_case: LeakCase) -> None:
    statement_id = leak_case.published_then_draft.id
    page = client.get(f"/claims/{statement_id}").get_data(as_text=True)
    assert "PUBLISHED-HEADLINE" in page and "Entirely false" not in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["reviewRating"]["alternateName"] == "True" and ld["name"] == "PUBLISHED-HEADLINE"
    assert [a["url"] for a in ld["itemReviewed"]["appearance"]] == ["https://example.org/confirmed"]
    detail = client.get(f"/api/v1/statements/{statement_id}").get_json()
    assert [r["verdict"] for r in detail["ratings"]] == ["true"]
    assert [a["url"] for a in detail["appearances"]] == ["https://example.org/confirmed"]
    feed = client.get("/feed.atom").get_data(as_text=True)
    assert feed.count("<entry>") == 1 and "PUBLISHED-HEADLINE" in feed


@pytest.mark.parametrize("filters", ["verdict=false", "verdict=fabricated", "scale=truth&verdict=false"])
def test_search_by_verdict_ignores_draft_verdicts(client: FlaskClient, leak_case: LeakCase, filters: str) -> None:
    assert client.get(f"/api/v1/statements?{filters}").get_json()["total"] == 0


def test_track_record_counts_only_published_verdicts(client: FlaskClient, leak_case: LeakCase) -> None:
    speaker = client.get(f"/api/v1/speakers/{leak_case.speaker.id}").get_json()
    record = speaker["track_record"]
    assert record["rated_statements"] == 1
    assert record["truth"]["true"] == 1 and record["truth"]["false"] == 0 and record["truth"]["fabricated"] == 0
