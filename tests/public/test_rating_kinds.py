"""Update is not correction: the claim page, the feeds and ClaimReview say which a later version is."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack.claims.models import Statement
from claimtrack.claims.services import log_statement
from claimtrack.speakers.services import create_speaker
from tests.public.conftest import rate
from tests.public.test_claim_page import event_titles, json_ld
from tests.public.test_feeds_and_sitemaps import ATOM, parse_atom


def _statement(session: Session, speaker_name: str = "Rhea Marsh") -> Statement:
    speaker = create_speaker(session, speaker_name)
    statement = log_statement(session, "The bridge opens by spring.", speaker=speaker, said_on=dt.date(2025, 3, 1))
    session.flush()
    return statement


def _history(
    session: Session, second_kind: str, second_verdict: str, note: str, speaker_name: str = "Rhea Marsh"
) -> Statement:
    """A statement rated false in January, then given a second version of ``second_kind`` today."""
    statement = _statement(session, speaker_name)
    first = rate(session, statement, "false", headline="First look")
    first.published_at = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
    rate(session, statement, second_verdict, kind=second_kind, correction_note=note)
    session.commit()
    return statement


def _entries(client: FlaskClient, url: str) -> list[str]:
    """Each entry's title and summary, as a reader of the feed sees them."""
    feed = parse_atom(client, url)
    return [" | ".join(e.findtext(f"{ATOM}{tag}") or "" for tag in ("title", "summary")) for e in feed.iter(f"{ATOM}entry")]


def test_an_update_with_the_same_verdict_reads_updated_and_never_rating_changed(
    client: FlaskClient, app_session: Session
) -> None:
    statement = _history(app_session, "update", "false", "The council confirmed the delay.")
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "Updated: still rated False" in event_titles(page)
    assert "<strong>Update:</strong> The council confirmed the delay." in page
    assert "rating changed" not in page.lower() and "<strong>Correction" not in page and "Corrected" not in page

    claim_feed = _entries(client, f"/claims/{statement.id}/feed.atom")
    assert any("Updated: still rated False" in e and "Update: The council confirmed the delay." in e for e in claim_feed)
    site_feed = _entries(client, "/feed.atom")
    assert any("Rhea Marsh: updated, rated False" in e and "Update: The council confirmed the delay." in e
               for e in site_feed)
    assert not any("rating changed" in e.lower() or "Correct" in e for e in claim_feed + site_feed)


def test_a_correction_reads_corrected_with_its_note_and_says_the_rating_changed(
    client: FlaskClient, app_session: Session
) -> None:
    statement = _history(app_session, "correction", "mostly_true", "We misread the council's timetable.")
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "Rated False" in event_titles(page) and "Corrected: rating changed to Mostly true" in event_titles(page)
    assert "<strong>Correction:</strong> We misread the council&#39;s timetable." in page
    assert "Updated:" not in page and "<strong>Update:" not in page

    claim_feed = _entries(client, f"/claims/{statement.id}/feed.atom")
    assert any("Corrected: rating changed to Mostly true" in e and "Correction: We misread" in e for e in claim_feed)
    site_feed = _entries(client, "/feed.atom")
    assert any("Rhea Marsh: corrected, rated Mostly true" in e and "Correction: We misread" in e for e in site_feed)
    assert any(e.startswith("First look |") for e in site_feed), "the first version's own title is unchanged"


def test_a_correction_with_the_same_verdict_is_corrected_but_not_a_rating_change(
    client: FlaskClient, app_session: Session
) -> None:
    statement = _history(app_session, "correction", "false", "The figure we quoted was last year's.")
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "Corrected: still rated False" in event_titles(page) and "rating changed" not in page.lower()


def test_claim_review_dates_the_change_and_puts_its_note_in_the_review_body(
    client: FlaskClient, app_session: Session
) -> None:
    corrected = _history(app_session, "correction", "mostly_true", "We misread the council's timetable.")
    ld = json_ld(client.get(f"/claims/{corrected.id}").get_data(as_text=True))
    assert ld["datePublished"] == "2026-01-05", "the fact-check was first published with its first version"
    assert ld["dateModified"] == dt.date.today().isoformat()
    assert ld["reviewBody"] == "Correction: We misread the council's timetable."
    assert ld["reviewRating"]["alternateName"] == "Mostly true"

    updated = _history(app_session, "update", "false", "The council confirmed the delay.", speaker_name="Ivo Lind")
    ld = json_ld(client.get(f"/claims/{updated.id}").get_data(as_text=True))
    assert ld["reviewBody"] == "Update: The council confirmed the delay."
    assert ld["dateModified"] == dt.date.today().isoformat()


def test_a_first_rating_has_no_kind_and_its_claim_review_no_modification(
    client: FlaskClient, app_session: Session
) -> None:
    statement = _statement(app_session)
    rate(app_session, statement, "false")
    app_session.commit()
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    ld = json_ld(page)
    assert "dateModified" not in ld and "reviewBody" not in ld
    assert "Rated False" in event_titles(page) and "Updated:" not in page and "Corrected:" not in page
    timeline = client.get(f"/api/v1/statements/{statement.id}").get_json()["timeline"]
    assert [e["rating_kind"] for e in timeline if e["kind"] == "rating"] == [None]
