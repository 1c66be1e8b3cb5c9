"""Retraction, never deletion, as the public sees it: a retracted statement answers 410 Gone with a tombstone
and leaves every list; a retracted rating, outcome link or statement link leaves a dated notice with its note.

Data is arranged through the ``session`` fixture, so each request is served by a fresh public session
(the app's own session would carry over the arranging context's view of drafts).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.claims.editing import StatementInput, update_statement
from claimtrack.claims.models import DatePrecision, LinkRelation, Statement
from claimtrack.claims.services import get_or_create_source, link_statements, log_statement, retract_statement
from claimtrack.outcomes.models import OutcomeRelation
from claimtrack.outcomes.services import link_outcome, publish_link, record_outcome, retract_outcome
from claimtrack.ratings.services import retract_rating
from claimtrack.speakers.models import Speaker
from claimtrack.speakers.services import create_speaker
from claimtrack.text import long_date
from tests.public.conftest import rate

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NOTE = "The quote was misattributed: the minister never said it. <b>Sorry.</b>"


@dataclass
class Story:
    speaker: Speaker
    #: Published, rated True, on topic "Bridges": the one retracted in most tests.
    bridges: Statement
    #: Published and rated too, by the same speaker: it stays everywhere.
    tunnels: Statement


@pytest.fixture
def story(session: Session) -> Story:
    speaker = create_speaker(session, "Ada Quill", role_title="Minister of Bridges")
    source = get_or_create_source(session, "https://example.org/bridges", publisher="Daily Example", title="Bridges")
    bridges = log_statement(session, "Seven new bridges will open by spring.", speaker=speaker,
                            said_on=dt.date(2025, 12, 1), said_on_precision=DatePrecision.MONTH, source=source,
                            topics=["Bridges"])
    tunnels = log_statement(session, "Tunnels cost less than ferries.", speaker=speaker, said_on=dt.date(2025, 11, 2),
                            topics=["Bridges"])
    session.flush()
    rate(session, bridges, "true", headline="BRIDGES-HEADLINE", rationale="Budget papers list seven bridges.")
    rate(session, tunnels, "false", headline="TUNNELS-HEADLINE")
    session.commit()
    return Story(speaker, bridges, tunnels)


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """What a reader reads: the markup's text, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def sitemap_claims(client: FlaskClient) -> list[str]:
    root = ET.fromstring(client.get("/sitemaps/claims-1.xml").data)
    return [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]


def feed_entries(client: FlaskClient, url: str) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data).findall(f"{ATOM}entry")


def json_ld(html: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def retracted_on(item: object) -> str:
    """How the page says the day an item was retracted ("5 January 2026")."""
    return long_date(item.retracted_at)  # type: ignore[attr-defined]


def test_a_retracted_statement_answers_410_gone_with_its_tombstone(client: FlaskClient, session: Session, story: Story) -> None:
    workflow.retract(session, story.bridges, None, note=NOTE)
    session.commit()
    response = client.get(f"/claims/{story.bridges.id}")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    read = text_of(html)
    assert "Seven new bridges will open by spring." in read, "the words as they were"
    assert "Ada Quill" in read and "Minister of Bridges" in read and "December 2025" in read
    assert f"Retracted on {retracted_on(story.bridges)}" in read
    assert "The quote was misattributed: the minister never said it. &lt;b&gt;Sorry.&lt;/b&gt;" in html, "escaped"
    assert "<b>Sorry.</b>" not in html
    assert "Rated True" in read, "its history: the rating it had"
    assert "Statement retracted" in read
    assert "application/ld+json" not in html, "no ClaimReview for a claim we withdrew"
    assert 'rel="alternate"; type="application/json"' in response.headers["Link"]


def test_a_draft_statement_is_still_not_found(client: FlaskClient, session: Session, story: Story) -> None:
    draft = log_statement(session, "A draft nobody reviewed.", speaker=story.speaker)
    session.commit()
    assert client.get(f"/claims/{draft.id}").status_code == 404
    assert client.get(f"/claims/{draft.id}/feed.atom").status_code == 404
    assert client.get(f"/api/v1/statements/{draft.id}").status_code == 404


def test_a_retracted_statement_leaves_every_list(client: FlaskClient, session: Session, story: Story) -> None:
    words, kept = "Seven new bridges", "Tunnels cost less"
    claim_url = f"http://localhost/claims/{story.bridges.id}"
    lists = ["/", "/search?q=bridges", f"/speakers/{story.speaker.slug}", "/topics/bridges"]

    def everywhere() -> dict[str, bool]:
        found = {url: words in page(client, url) for url in lists}
        found["feed"] = any(e.find(f"{ATOM}id").text.startswith(claim_url) for e in feed_entries(client, "/feed.atom"))
        found["home fact-checks"] = "BRIDGES-HEADLINE" in page(client, "/")
        found["sitemap"] = claim_url in sitemap_claims(client)
        api = client.get("/api/v1/statements").get_json()
        found["api list"] = story.bridges.id in [item["id"] for item in api["items"]]
        found["api search"] = client.get("/api/v1/statements?q=bridges").get_json()["total"] == 1
        record = client.get(f"/api/v1/speakers/{story.speaker.id}").get_json()["track_record"]
        found["track record"] = record["rated_statements"] == 2 and record["truth"]["true"] == 1
        return found

    before = everywhere()
    assert all(before.values()), before
    workflow.retract(session, story.bridges, None, note=NOTE)
    session.commit()
    after = everywhere()
    assert not any(after.values()), after
    for url in ("/", f"/speakers/{story.speaker.slug}", "/topics/bridges"):
        assert kept in page(client, url), f"the other statement stays on {url}"
    assert "TUNNELS-HEADLINE" in page(client, "/")
    assert client.get("/api/v1/statements?q=tunnels").get_json()["total"] == 1


def test_the_claim_feed_of_a_retracted_statement_ends_with_the_retraction(
    client: FlaskClient, session: Session, story: Story
) -> None:
    workflow.retract(session, story.bridges, None, note=NOTE)
    session.commit()
    entries = feed_entries(client, f"/claims/{story.bridges.id}/feed.atom")
    last = entries[-1]
    assert last.find(f"{ATOM}title").text.startswith("Statement retracted")
    assert f"Retracted {retracted_on(story.bridges)}: {NOTE}" in last.find(f"{ATOM}summary").text
    assert any(e.find(f"{ATOM}title").text.startswith("Rated True") for e in entries), "the history before it"


def test_the_api_item_of_a_retracted_statement_says_it_was_retracted(
    client: FlaskClient, session: Session, story: Story
) -> None:
    assert client.get(f"/api/v1/statements/{story.bridges.id}").get_json()["retraction"] is None
    workflow.retract(session, story.bridges, None, note=NOTE)
    session.commit()
    response = client.get(f"/api/v1/statements/{story.bridges.id}")
    assert response.status_code == 200
    item = response.get_json()
    assert item["retraction"]["note"] == NOTE
    assert dt.datetime.fromisoformat(item["retraction"]["retracted_at"]) == story.bridges.retracted_at
    assert item["text"] == "Seven new bridges will open by spring." and item["speaker"]["name"] == "Ada Quill"
    assert [e["kind"] for e in item["timeline"]][-1] == "retracted"
    assert item["timeline"][-1]["retraction_note"] == NOTE
    assert item["status"] == "retracted"
    other = client.get(f"/api/v1/statements/{story.tunnels.id}").get_json()
    assert other["retraction"] is None


def test_a_retracted_rating_leaves_a_notice_and_the_verdict_falls_back(
    client: FlaskClient, session: Session, story: Story
) -> None:
    wrong = rate(session, story.bridges, "false", kind="correction", correction_note="Only three bridges are funded.",
                 headline="WITHDRAWN-HEADLINE", rationale="WITHDRAWN-RATIONALE")
    session.commit()
    assert "WITHDRAWN-HEADLINE" in page(client, f"/claims/{story.bridges.id}")
    retract_rating(session, wrong, None, note="The budget papers were misread.")
    session.commit()
    html = page(client, f"/claims/{story.bridges.id}")
    read = text_of(html)
    assert "WITHDRAWN-HEADLINE" not in html and "WITHDRAWN-RATIONALE" not in html, "not presented as current"
    assert "BRIDGES-HEADLINE" in html, "the version before it is current again"
    review = json_ld(html)
    assert review["reviewRating"]["alternateName"] == "True" and review["name"] == "BRIDGES-HEADLINE"
    assert "reviewBody" not in review and "dateModified" not in review
    assert "Rating retracted" in read
    assert f"Retracted {retracted_on(wrong)}: The budget papers were misread." in read
    assert "Our rating “False”" in read
    detail = client.get(f"/api/v1/statements/{story.bridges.id}").get_json()
    assert detail["current_rating"]["verdict"] == "true"
    assert [r["verdict"] for r in detail["ratings"]] == ["true"]
    assert [e["kind"] for e in detail["timeline"]] == ["said", "rating", "retracted"]
    feed = feed_entries(client, "/feed.atom")
    assert not any("WITHDRAWN-HEADLINE" in (e.find(f"{ATOM}title").text or "") for e in feed)


def test_retracting_the_only_rating_leaves_the_claim_not_yet_rated(
    client: FlaskClient, session: Session, story: Story
) -> None:
    retract_rating(session, story.bridges.current_rating, None, note="Rated before the facts were in.")
    session.commit()
    html = page(client, f"/claims/{story.bridges.id}")
    assert "Not yet rated" in html and "application/ld+json" not in html
    assert "Rated before the facts were in." in html
    assert client.get("/api/v1/statements?verdict=true").get_json()["total"] == 0


def test_a_retracted_outcome_link_no_longer_settles_the_prediction(
    client: FlaskClient, session: Session, story: Story
) -> None:
    prediction = log_statement(session, "The bridge deal will be signed next week.", speaker=story.speaker,
                               said_on=dt.date(2025, 12, 1), expected_by=dt.date(2025, 12, 31))
    session.flush()
    rate(session, prediction, "pending", scale="outcome")
    outcome = record_outcome(session, "No bridge deal was signed in December.", occurred_on=dt.date(2026, 1, 2))
    session.flush()
    link = publish_link(session, link_outcome(session, outcome, prediction, OutcomeRelation.CONTRADICTS), None,
                        version=None)
    session.commit()
    before = text_of(page(client, f"/claims/{prediction.id}"))
    assert "Events went against it" in before and "due for review" not in before
    assert "The bridge deal will be signed" in page(client, "/").split('id="outcomes-heading"')[1]

    workflow.retract(session, link, None, note="That outcome was about another deal.")
    session.commit()
    read = text_of(page(client, f"/claims/{prediction.id}"))
    assert "Events went against it" not in read
    assert "Outcome retracted" in read and "no longer settles this claim" in read
    assert f"Retracted {retracted_on(link)}: That outcome was about another deal." in read
    assert "due for review" in read, "an unsettled prediction whose date has passed"
    detail = client.get(f"/api/v1/statements/{prediction.id}").get_json()
    assert detail["outcomes"] == []
    assert client.get("/api/v1/statements?outcome=contradicts").get_json()["total"] == 0
    assert client.get("/api/v1/statements?outcome=overdue").get_json()["total"] == 1
    outcomes_panel = page(client, "/").split('id="outcomes-heading"')[1]
    assert "No bridge deal" in outcomes_panel, "the outcome stays"
    assert "The bridge deal will be signed" not in outcomes_panel, "settling nothing"


def test_a_retracted_outcome_leaves_the_home_page(client: FlaskClient, session: Session, story: Story) -> None:
    outcome = record_outcome(session, "Two bridges opened in March.", occurred_on=dt.date(2026, 3, 1))
    session.flush()
    link = publish_link(session, link_outcome(session, outcome, story.bridges, OutcomeRelation.PARTLY), None, version=None)
    session.commit()
    assert "Two bridges opened in March." in page(client, "/")
    retract_outcome(session, outcome, None, note="The opening was postponed.")
    session.commit()
    assert link.is_retracted
    assert "Two bridges opened in March." not in page(client, "/")
    assert "Outcome retracted" in text_of(page(client, f"/claims/{story.bridges.id}"))


def test_a_retracted_statement_link_leaves_related_statements_with_a_notice(
    client: FlaskClient, session: Session, story: Story
) -> None:
    link = link_statements(session, story.bridges, story.tunnels, LinkRelation.CONTRADICTS)
    session.flush()
    workflow.publish(session, link, None, version=None)
    session.commit()
    assert "Related statements" in page(client, f"/claims/{story.bridges.id}")
    workflow.retract(session, link, None, note="They are about different budgets.")
    session.commit()
    for claim in (story.bridges, story.tunnels):
        html = page(client, f"/claims/{claim.id}")
        assert "Related statements" not in html
        assert "Related statement retracted" in html and "They are about different budgets." in html
    assert client.get(f"/api/v1/statements/{story.bridges.id}").get_json()["related"] == []


@pytest.mark.parametrize("hidden", ["draft", "retracted"])
def test_a_link_to_a_statement_the_public_may_not_see_is_simply_not_shown(
    client: FlaskClient, session: Session, story: Story, hidden: str
) -> None:
    other = log_statement(session, "HIDDEN-FAR-END words.", speaker=story.speaker)
    session.flush()
    if hidden == "retracted":
        workflow.publish(session, other, None, version=None)
        workflow.retract(session, other, None, note="Withdrawn.")
    for link in (link_statements(session, story.bridges, other, LinkRelation.SUPPORTS),
                 link_statements(session, story.bridges, story.tunnels, LinkRelation.REPEATS)):
        session.flush()
        workflow.publish(session, link, None, version=None)
    session.commit()
    html = page(client, f"/claims/{story.bridges.id}")
    assert "HIDDEN-FAR-END" not in html
    assert "Tunnels cost less than ferries." in html, "the visible one is still shown"
    related = client.get(f"/api/v1/statements/{story.bridges.id}").get_json()["related"]
    assert [r["statement"]["id"] for r in related] == [story.tunnels.id]


def test_the_home_page_skips_outcome_links_to_statements_the_public_may_not_see(
    client: FlaskClient, session: Session, story: Story
) -> None:
    others = [log_statement(session, f"Bridge number {n} will open.", speaker=story.speaker) for n in range(3)]
    session.flush()
    for statement in others:
        rate(session, statement, "pending", scale="outcome")
    outcome = record_outcome(session, "The bridge budget was cut.", occurred_on=dt.date(2026, 2, 1))
    session.flush()
    for statement in (story.tunnels, story.bridges, *others):
        publish_link(session, link_outcome(session, outcome, statement, OutcomeRelation.CONTRADICTS), None, version=None)
    workflow.retract(session, story.tunnels, None, note="Misquoted.")
    session.commit()
    panel = page(client, "/").split('id="outcomes-heading"')[1]
    assert "The bridge budget was cut." in panel and "Seven new bridges" in panel
    assert "Tunnels cost less" not in panel and f"/claims/{story.tunnels.id}" not in panel, "not shown"
    assert "and 1 more" in panel, "nor counted: four links the public may see, three shown"


def test_the_tombstone_keeps_the_revisions_of_the_quote(client: FlaskClient, session: Session, story: Story) -> None:
    bridges = story.bridges
    data = StatementInput(text="Six new bridges will open by spring.", speaker="Ada Quill", said_on=dt.date(2025, 12, 1),
                          said_on_precision=DatePrecision.MONTH, topics=["Bridges"])
    update_statement(session, bridges, data, version=bridges.version, revision_note="Corrected against the budget.")
    retract_statement(session, bridges, None, note="Misattributed.")
    session.commit()
    tombstone = page(client, f"/claims/{bridges.id}", status=410)
    assert "Corrected against the budget." in tombstone
    assert re.search(r"<del[^>]*>Seven</del>", tombstone) and re.search(r"<ins[^>]*>Six</ins>", tombstone)
