"""Drafts never leak: no public page, API answer, feed, sitemap or JSON-LD carries a draft statement,
rating, outcome or link, a retracted statement or outcome, or an appearance nobody confirmed."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack import create_app
from claimtrack.accounts.access import requires_role
from claimtrack.accounts.models import Role, User
from claimtrack.claims.models import Statement, StatementLink
from claimtrack.claims.services import log_statement, retract_statement
from claimtrack.db import get_session
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.ratings.models import Rating
from tests.public.conftest import DRAFT_MARKERS, RETRACTED_OUTCOME, LeakCase, rate


def assert_no_draft(body: str) -> None:
    leaked = [marker for marker in DRAFT_MARKERS if marker in body]
    assert not leaked, f"draft content leaked: {leaked}"


def public_urls(case: LeakCase) -> list[str]:
    a, b = case.draft_only.id, case.published_then_draft.id
    return [
        "/", "/search", "/search?q=bridges", "/search?speaker=Ada", f"/claims/{a}", f"/claims/{b}",
        f"/speakers/{case.speaker.slug}", "/speakers", "/topics/bridges", "/feed.atom",
        f"/claims/{a}/feed.atom", f"/claims/{b}/feed.atom", "/sitemap.xml", "/sitemaps/pages-1.xml",
        "/sitemaps/claims-1.xml", "/api/v1/statements", "/api/v1/statements?q=moon", f"/api/v1/statements/{a}",
        f"/api/v1/statements/{b}", "/api/v1/speakers", f"/api/v1/speakers/{case.speaker.id}",
    ]


def test_no_public_output_carries_draft_ratings_or_unconfirmed_appearances(client: FlaskClient, leak_case: LeakCase) -> None:
    for url in public_urls(leak_case):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert_no_draft(body)
        mentions = body.count(RETRACTED_OUTCOME)
        notices = len(re.findall(RETRACTED_OUTCOME + r"(?:”|\\u201d) no longer settles this claim", body))
        assert mentions == notices, f"{url}: a retracted outcome is named only in the notice of its retraction"


def test_a_draft_statement_has_no_public_page_and_leaves_every_list(client: FlaskClient, leak_case: LeakCase) -> None:
    draft = leak_case.draft_statement.id
    for url in (f"/claims/{draft}", f"/claims/{draft}/feed.atom", f"/api/v1/statements/{draft}"):
        assert client.get(url).status_code == 404, url
    listed = client.get("/api/v1/statements?q=bridges").get_json()
    assert leak_case.draft_statement.id not in [i["id"] for i in listed["items"]]
    assert listed["total"] == len(listed["items"]), "totals count only what the public sees"


def test_links_to_hidden_statements_and_draft_links_do_not_show(client: FlaskClient, leak_case: LeakCase) -> None:
    page = client.get(f"/claims/{leak_case.published_then_draft.id}").get_data(as_text=True)
    assert f"/claims/{leak_case.draft_statement.id}\"" not in page and f"/claims/{leak_case.retracted_statement.id}\"" not in page
    other = client.get(f"/claims/{leak_case.draft_only.id}").get_data(as_text=True)
    assert "Supports" not in other, "a draft link between two published statements waits for review"
    assert "Repeats" in other, "the published one shows"


def test_retracted_statements_leave_search_feeds_sitemaps_and_api_lists(client: FlaskClient, leak_case: LeakCase) -> None:
    retracted = leak_case.retracted_statement.id
    for url in ("/sitemaps/claims-1.xml", "/feed.atom", "/api/v1/statements?q=moon", "/search?q=moon"):
        body = client.get(url).get_data(as_text=True)
        assert f"/claims/{retracted}<" not in body and f"/claims/{retracted}\"" not in body, url


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


def test_a_page_added_later_without_a_guard_sees_only_the_public_record(
    app_config: dict[str, Any], app_session: Session, leak_case: LeakCase
) -> None:
    """The rule is under the queries: a new unguarded view that asks for every statement, rating, outcome
    and link by hand still gets only what is published; behind the desk's guard the same view sees all."""
    app = create_app(app_config)

    def everything() -> dict[str, list[int]]:
        session = get_session()
        return {model.__tablename__: sorted(session.scalars(select(model.id))) for model in (Statement, Rating, Outcome, OutcomeLink, StatementLink)}

    app.add_url_rule("/probe", "probe", everything)
    app.add_url_rule("/desk/probe", "desk_probe", requires_role()(everything))
    public = app.test_client().get("/probe").get_json()
    assert leak_case.draft_statement.id not in public["statements"]
    assert leak_case.retracted_statement.id not in public["statements"]
    assert sorted(public["statements"]) == sorted([leak_case.draft_only.id, leak_case.published_then_draft.id])
    assert len(public["outcomes"]) == 0 and len(public["outcome_links"]) == 0
    assert len(public["ratings"]) == 1 and len(public["statement_links"]) == 1, "the one public link between public statements"
    # Behind the desk's guard: everything, drafts and retractions included.
    editor = User(email="probe@example.org", display_name="Probe Editor", password_hash="-", role=Role.EDITOR)
    app_session.add(editor)
    app_session.commit()
    desk = app.test_client()
    with desk.session_transaction() as cookie:
        cookie["_user_id"] = editor.get_id()
    behind = desk.get("/desk/probe").get_json()
    assert leak_case.draft_statement.id in behind["statements"] and leak_case.retracted_statement.id in behind["statements"]
    assert len(behind["outcomes"]) == 2


def test_the_feeds_leave_out_the_ratings_of_a_retracted_statement(client: FlaskClient, app_session: Session) -> None:
    statement = log_statement(app_session, "The tunnel opens in May.", speaker=None)
    rate(app_session, statement, "false", headline="RATING-OF-A-RETRACTED-STATEMENT")
    retract_statement(app_session, statement, None, note="Misattributed.")
    app_session.commit()
    response = client.get("/feed.atom")
    assert response.status_code == 200 and "RATING-OF-A-RETRACTED-STATEMENT" not in response.get_data(as_text=True)
    assert "RATING-OF-A-RETRACTED-STATEMENT" not in client.get("/").get_data(as_text=True)
