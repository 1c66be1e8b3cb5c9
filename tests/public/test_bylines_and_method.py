"""The claim page names its source and the people behind the check; "How we rate" explains every verdict,
and every verdict label on the public pages links to its entry there."""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree as ET

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import Role, User
from claimtrack.claims.models import Statement
from claimtrack.claims.services import get_or_create_source, log_statement
from claimtrack.ratings.scales import SCALES
from claimtrack.ratings.services import publish_rating, rate_statement
from claimtrack.speakers.services import create_speaker

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _user(session: Session, email: str, name: str, role: Role) -> User:
    user = User(email=email, display_name=name, password_hash="x", role=role, active=True)
    session.add(user)
    return user


def _checked_statement(session: Session, verdict: str = "false", **source: str | None) -> Statement:
    """A statement rated by a fact-checker and published by an editor."""
    speaker = create_speaker(session, "Ada Quill")
    found = get_or_create_source(session, source.get("url"), publisher=source.get("publisher"), title=source.get("title"))
    statement = log_statement(session, "Bridges will be built by spring.", speaker=speaker,
                              said_on=dt.date(2025, 11, 20), source=found, topics=["Bridges"])
    rater = _user(session, "rina.rater@newsroom.example", "Rina Rater", Role.FACT_CHECKER)
    editor = _user(session, "ed.editor@newsroom.example", "Ed Editor", Role.EDITOR)
    session.flush()
    rating = rate_statement(session, statement, scale="truth", verdict=verdict, rationale="Checked.", actor=rater)
    publish_rating(session, rating, actor=editor, version=rating.version)
    session.commit()
    return statement


def _source_line(page: str) -> str:
    found = re.search(r'<p class="source">(.*?)</p>', page, re.S)
    assert found is not None
    return re.sub(r"\s+", " ", found.group(1)).strip()


def test_a_source_without_title_is_named_by_its_publisher_never_untitled(client: FlaskClient, app_session: Session) -> None:
    statement = _checked_statement(app_session, publisher="Daily Example")
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert _source_line(page) == "Source: <cite>Daily Example</cite>"
    assert "untitled" not in page.lower()


def test_a_source_with_only_an_address_is_named_by_its_host(client: FlaskClient, app_session: Session) -> None:
    statement = _checked_statement(app_session, url="https://news.example/bridges?id=7")
    line = _source_line(client.get(f"/claims/{statement.id}").get_data(as_text=True))
    assert line == 'Source: <a href="https://news.example/bridges?id=7" rel="nofollow noopener">news.example</a>'


def test_a_source_with_title_and_publisher_shows_both(client: FlaskClient, app_session: Session) -> None:
    statement = _checked_statement(app_session, url="https://news.example/b", title="Bridges by spring", publisher="Daily Example")
    line = _source_line(client.get(f"/claims/{statement.id}").get_data(as_text=True))
    assert line == 'Source: <a href="https://news.example/b" rel="nofollow noopener">Bridges by spring</a>, Daily Example'


def test_the_byline_names_rater_and_editor_by_display_name_never_by_email(client: FlaskClient, app_session: Session) -> None:
    statement = _checked_statement(app_session, publisher="Daily Example")
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    byline = re.search(r'<p class="byline">(.*?)</p>', page, re.S)
    assert byline is not None
    assert re.sub(r"<[^>]+>", "", byline.group(1)) == "Rated by Rina Rater · Edited by Ed Editor"
    assert "newsroom.example" not in page and "@" not in re.sub(r"<script.*?</script>", "", page, flags=re.S)


def test_a_display_name_that_is_an_email_address_is_left_out_of_the_byline(client: FlaskClient, app_session: Session) -> None:
    statement = _checked_statement(app_session, publisher="Daily Example")
    assert statement.current_rating is not None and statement.current_rating.rater is not None
    statement.current_rating.rater.display_name = "rina.rater@newsroom.example"
    app_session.commit()
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    assert "newsroom.example" not in page
    assert "Edited by" in page and "Rated by" not in page


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_how_we_rate_lists_every_verdict_of_every_scale_with_colour_and_meaning(client: FlaskClient) -> None:
    response = client.get("/how-we-rate")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for scale in SCALES.values():
        assert f"<h2 id=\"scale-{scale.name}-heading\">{scale.label}</h2>" in page
        for verdict in scale.verdicts:
            entry = re.search(rf'<div class="verdict-meaning" id="{scale.name}-{verdict.name.replace("_", "-")}">(.*?)</div>',
                              page, re.S)
            assert entry is not None, f"{scale.name}/{verdict.name} has no entry"
            assert f'fill="{verdict.colour}"' in entry.group(1)
            assert verdict.label in entry.group(1) and verdict.description in entry.group(1)


def _how_we_rate_ids(client: FlaskClient) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', client.get("/how-we-rate").get_data(as_text=True)))


def _verdict_links(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="verdict-link" href="/how-we-rate#([^"]+)">([^<]+)</a>', page)


def test_the_verdict_on_a_claim_page_links_to_its_entry_on_how_we_rate(client: FlaskClient, app_session: Session) -> None:
    statement = _checked_statement(app_session, verdict="mostly_false", publisher="Daily Example")
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    badge = re.search(r'<p class="verdict verdict-mostly_false">.*?</p>', page, re.S)
    assert badge is not None and _verdict_links(badge.group(0)) == [("truth-mostly-false", "Mostly false")]
    assert "truth-mostly-false" in _how_we_rate_ids(client)


def test_every_verdict_in_the_claim_timeline_links_to_its_entry_on_how_we_rate(client: FlaskClient, app_session: Session) -> None:
    statement = _checked_statement(app_session, verdict="false", publisher="Daily Example")
    editor = app_session.scalars(select(User).where(User.role == Role.EDITOR)).one()
    correction = rate_statement(app_session, statement, scale="truth", verdict="mostly_false", rationale="Rechecked.",
                                kind="correction", correction_note="We found the full transcript.", actor=editor)
    publish_rating(app_session, correction, actor=editor, version=correction.version)
    app_session.commit()
    page = client.get(f"/claims/{statement.id}").get_data(as_text=True)
    titles = re.findall(r'<h3 class="event-title">(.*?)</h3>', page, re.S)
    rated = [(re.sub(r"<[^>]+>", "", t).strip(), _verdict_links(t)) for t in titles if "verdict-link" in t]
    assert rated == [("Rated False", [("truth-false", "False")]),
                     ("Corrected: rating changed to Mostly false", [("truth-mostly-false", "Mostly false")])]
    assert {"truth-false", "truth-mostly-false"} <= _how_we_rate_ids(client)


@pytest.mark.parametrize("engine_name", ["sqlite"])
@pytest.mark.parametrize("url", ["/", "/speakers", "/topics", "/search", "/how-we-rate"])
def test_how_we_rate_is_linked_from_every_public_page(client: FlaskClient, app_session: Session, url: str) -> None:
    page = client.get(url).get_data(as_text=True)
    footer = re.search(r'<footer class="site-footer">.*?</footer>', page, re.S)
    assert footer is not None and '<a href="/how-we-rate">How we rate</a>' in footer.group(0)


@pytest.mark.parametrize("url", ["/", "/speakers/ada-quill", "/search?q=bridges", "/topics/bridges"])
def test_verdict_labels_on_list_pages_link_to_how_we_rate(client: FlaskClient, app_session: Session, url: str) -> None:
    _checked_statement(app_session, verdict="false", publisher="Daily Example")
    links = _verdict_links(client.get(url).get_data(as_text=True))
    assert links and set(links) == {("truth-false", "False")}
    assert "truth-false" in _how_we_rate_ids(client)


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_the_track_record_links_to_what_each_verdict_means(client: FlaskClient, app_session: Session) -> None:
    _checked_statement(app_session, publisher="Daily Example")
    record = re.search(r'<section class="panel track-record".*?</section>', client.get("/speakers/ada-quill").get_data(as_text=True), re.S)
    assert record is not None and 'href="/how-we-rate"' in record.group(0)


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_how_we_rate_is_in_the_sitemap(client: FlaskClient) -> None:
    urlset = ET.fromstring(client.get("/sitemaps/pages-1.xml").data)
    assert "http://localhost/how-we-rate" in [loc.text for loc in urlset.iter(f"{SITEMAP}loc")]
