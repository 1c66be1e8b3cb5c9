"""Speaker pages with an honest track record, topic pages, and the home page's fact-checks."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.claims.services import log_statement
from claimtrack.demo import load_fixtures
from claimtrack.publishing.trackrecord import MIN_TO_JUDGE, ScaleCounts, TrackRecord, track_record_chart, track_records
from claimtrack.ratings.scales import NEUTRAL_COLOUR, OUTCOME, Scale, Verdict
from claimtrack.speakers.services import create_speaker
from tests.public.conftest import rate

SVG = "{http://www.w3.org/2000/svg}"


def chart_svg(app: Flask, record: TrackRecord, speaker_name: str) -> ET.Element:
    """The track record chart as the speaker page draws it."""
    with app.app_context():
        markup = app.jinja_env.get_template("public/_trackrecord.svg").render(
            chart=track_record_chart(record, speaker_name)
        )
    return ET.fromstring(markup)


@pytest.fixture
def demo(app_session: Session) -> Session:
    load_fixtures(app_session)
    app_session.commit()
    return app_session


def test_speaker_page_shows_aliases_statements_and_a_thin_record_warning(client: FlaskClient, demo: Session) -> None:
    response = client.get("/speakers/keith-kellogg")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "the U.S. envoy" in page and "Special Envoy Kellogg" in page
    assert "really close" in page and "last 10 metres" in page
    assert "Based on 2 rated statements: too few to judge this speaker by." in page
    assert "%" not in page.split('id="record-heading"')[1].split("</section>")[0], "never a bare percentage"
    assert 'rel="alternate"; type="application/json"' in response.headers["Link"]


def test_track_record_counts_each_statement_once_by_its_current_published_verdict(session: Session) -> None:
    speaker = create_speaker(session, "Ida Lowe")
    statements = [log_statement(session, f"Claim number {n}.", speaker=speaker, said_on=dt.date(2025, 1, n + 1)) for n in range(7)]
    session.flush()
    rate(session, statements[0], "false")
    rate(session, statements[0], "true", kind="update", correction_note="New evidence.")  # re-rated: counts once, as true
    rate(session, statements[1], "true")
    rate(session, statements[2], "half_true")
    rate(session, statements[3], "came_true", scale="outcome")
    rate(session, statements[4], "did_not_come_true", scale="outcome")
    rate(session, statements[5], "false", publish=False)  # a draft: not counted
    session.commit()
    record = track_records(session, [speaker.id])[speaker.id]
    assert record.rated == 5 and not record.too_few
    assert record.truth.count("true") == 2 and record.truth.count("false") == 0 and record.truth.count("half_true") == 1
    assert record.predictions.count("came_true") == 1 and record.predictions.count("did_not_come_true") == 1
    assert record.summary == "Based on 5 rated statements."
    assert "1 came true" in record.predictions_summary() and "1 did not" in record.predictions_summary()


def test_speaker_without_ratings_says_so(session: Session) -> None:
    speaker = create_speaker(session, "Jo North")
    log_statement(session, "Unrated words.", speaker=speaker)
    session.commit()
    record = track_records(session, [speaker.id])[speaker.id]
    assert record.rated == 0 and record.too_few and MIN_TO_JUDGE == 5
    assert "No rated statements yet" in record.summary


def test_track_record_chart_is_accessible_svg(app: Flask, session: Session) -> None:
    speaker = create_speaker(session, "Kim Orr & Co")
    statement = log_statement(session, "Words.", speaker=speaker)
    session.flush()
    rate(session, statement, "mostly_true")
    session.commit()
    svg = chart_svg(app, track_records(session, [speaker.id])[speaker.id], speaker.name)
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "tr-title tr-desc"
    assert svg.find(f"{SVG}title").text == "Track record of Kim Orr & Co"
    description = svg.find(f"{SVG}desc").text
    assert "Mostly true 1" in description and "Based on 1 rated statement: too few" in description


def test_a_verdict_without_a_colour_of_its_own_is_drawn_in_the_neutral_colour(app: Flask) -> None:
    plain = Verdict("too_early", "Too early to tell", None, "A verdict added without a colour.")
    scale = Scale("test", "Test", (plain,))
    record = TrackRecord(ScaleCounts(scale, [(plain, 3)]), ScaleCounts(OUTCOME, [(v, 0) for v in OUTCOME.verdicts]))
    bars = chart_svg(app, record, "Lee Park").findall(f"{SVG}rect")
    assert [bar.get("fill") for bar in bars] == [NEUTRAL_COLOUR]
    assert "Too early to tell 3" in chart_svg(app, record, "Lee Park").find(f"{SVG}desc").text


def test_a_track_record_counts_pending_and_unverifiable_as_not_settled() -> None:
    counts = {v.name: 1 for v in OUTCOME.verdicts}
    predictions = ScaleCounts(OUTCOME, [(v, counts[v.name]) for v in OUTCOME.verdicts])
    record = TrackRecord(ScaleCounts(Scale("none", "None", ()), []), predictions)
    assert [v.name for v in OUTCOME.verdicts if not v.settled] == ["pending", "unverifiable"]
    assert record.predictions_summary() == "Of 5 rated predictions, 1 came true, 1 partly, 1 did not; 2 not settled."


def test_unknown_speaker_and_topic_are_404(client: FlaskClient) -> None:
    assert client.get("/speakers/nobody").status_code == 404
    assert client.get("/topics/nothing").status_code == 404


def test_topic_page_lists_its_statements(client: FlaskClient, demo: Session) -> None:
    page = client.get("/topics/crimea").get_data(as_text=True)
    assert "Ukraine&#39;s territory must be restored." in page and "Only two major issues" in page
    assert "radical changes" not in page
    assert "crimea" in client.get("/topics").get_data(as_text=True)


@pytest.mark.parametrize("page_arg", ["0", "-3", "abc", "99"])
def test_list_pages_survive_odd_page_numbers(client: FlaskClient, demo: Session, page_arg: str) -> None:
    for url in ("/speakers/keith-kellogg", "/topics/crimea", "/speakers", f"/search?page={page_arg}"):
        response = client.get(f"{url}?page={page_arg}" if "?" not in url else url)
        assert response.status_code in (200, 400), url
        assert "Traceback" not in response.get_data(as_text=True)


def test_home_page_shows_latest_fact_checks_and_outcomes(client: FlaskClient, demo: Session) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Latest fact-checks" in page and "Only two issues left? The Kremlin&#39;s answer suggests more" in page
    assert "What happened next" in page and "Moscow did not treat the deal as nearly done" in page
    assert "Did not come true" not in page
    assert '<link rel="alternate" type="application/atom+xml"' in page


def test_search_page_renders_results_and_explains_bad_input(client: FlaskClient, demo: Session) -> None:
    page = client.get("/search?speaker=Kelog").get_data(as_text=True)
    assert "taken to mean" in page and "Keith Kellogg" in page and "3 statements found" in page
    bad = client.get("/search?verdict=sort_of&from=yesterday")
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert 'id="verdict-error"' in text and 'id="from-error"' in text and 'aria-invalid="true"' in text
    beyond = client.get("/search?page=50").get_data(as_text=True)
    assert "past the end" in beyond and "Go to the last page" in beyond


def test_home_page_shows_a_few_statements_per_outcome_and_counts_the_rest(client: FlaskClient, app_session: Session) -> None:
    from claimtrack.outcomes.models import OutcomeRelation
    from claimtrack.outcomes.services import link_outcome, publish_link, record_outcome

    speaker = create_speaker(app_session, "Pia Moor")
    outcome = record_outcome(app_session, "The summit was cancelled.", occurred_on=dt.date(2025, 5, 1))
    for n in range(5):
        statement = log_statement(app_session, f"The summit happens, claim {n}.", speaker=speaker)
        workflow.publish(app_session, statement, None, version=None)
        publish_link(app_session, link_outcome(app_session, outcome, statement, OutcomeRelation.CONTRADICTS), None, version=None)
    app_session.commit()
    aside = client.get("/").get_data(as_text=True).split('id="outcomes-heading"')[1]
    assert aside.count("Settles:") == 3 and "and 2 more" in aside
