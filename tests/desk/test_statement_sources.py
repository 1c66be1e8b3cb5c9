"""A statement's source keeps its title and publisher through every edit, and the edit form can change them."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.claims.models import Source, SourceKind, Statement
from claimtrack.claims.services import get_or_create_source, log_statement
from claimtrack.speakers.services import create_speaker, find_speaker_by_name
from tests.desk.conftest import see_committed


def _statement_with_source(session: Session, url: str | None) -> Statement:
    source = get_or_create_source(session, url, publisher="Daily Example", title="Talks resume in Geneva",
                                  kind=SourceKind.INTERVIEW)
    speaker = find_speaker_by_name(session, "Marta Example") or create_speaker(session, "Marta Example")
    statement = log_statement(session, "The talks resume on Monday.", speaker=speaker, said_on=dt.date(2025, 12, 7),
                              source=source)
    session.commit()
    return statement


def _edit_form(client: FlaskClient, statement: Statement) -> dict[str, str]:
    """The fields the edit form shows, as a browser would send them back unchanged."""
    page = client.get(f"/desk/statements/{statement.id}/edit").get_data(as_text=True)
    assert 'name="source_title"' in page
    fields = {"text": statement.text, "speaker": "Marta Example", "said_on": "2025-12-07",
              "said_on_precision": "day", "source_url": (statement.source.url or "") if statement.source else "",
              "source_kind": "interview", "version": str(statement.version)}
    for name in ("source_title", "source_publisher"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert tag is not None
        value = re.search(r'value="([^"]*)"', tag.group(0))
        fields[name] = html.unescape(value.group(1)) if value else ""
    return fields


def _source_of(session: Session, statement_id: int) -> Source:
    see_committed(session)
    statement = session.get(Statement, statement_id)
    assert statement is not None and statement.source is not None
    return statement.source


def test_the_edit_form_shows_the_source_title_and_publisher(fc_client: FlaskClient, session: Session) -> None:
    statement = _statement_with_source(session, "https://news.example/geneva")
    form = _edit_form(fc_client, statement)
    assert (form["source_title"], form["source_publisher"]) == ("Talks resume in Geneva", "Daily Example")


def test_changing_only_the_words_keeps_the_source_title_and_publisher(fc_client: FlaskClient, session: Session) -> None:
    for url in ("https://news.example/geneva", None):
        statement = _statement_with_source(session, url)
        form = _edit_form(fc_client, statement)
        saved = fc_client.post(f"/desk/statements/{statement.id}/edit", data={**form, "text": "The talks resume on Tuesday."})
        assert saved.status_code == 302, saved.get_data(as_text=True)
        source = _source_of(session, statement.id)
        assert (source.title, source.publisher, source.url) == ("Talks resume in Geneva", "Daily Example", url)
    assert session.scalar(select(func.count()).select_from(Source)) == 2, "an edit makes no second copy of the source"


def test_a_title_changed_on_the_form_is_stored(fc_client: FlaskClient, session: Session) -> None:
    for url in ("https://news.example/geneva", None):
        statement = _statement_with_source(session, url)
        form = _edit_form(fc_client, statement)
        changed = {**form, "source_title": "Talks resume in Geneva, says envoy", "source_publisher": "Example Weekly"}
        assert fc_client.post(f"/desk/statements/{statement.id}/edit", data=changed).status_code == 302
        source = _source_of(session, statement.id)
        assert (source.title, source.publisher) == ("Talks resume in Geneva, says envoy", "Example Weekly")


def test_a_patch_through_the_api_keeps_the_source_title(
    client: FlaskClient, session: Session, token_for: Callable[[User], dict[str, str]], fact_checker: User
) -> None:
    statement = _statement_with_source(session, "https://news.example/geneva")
    patched = client.patch(f"/api/v1/statements/{statement.id}", json={"version": 1, "context": "Press briefing."},
                           headers=token_for(fact_checker))
    assert patched.status_code == 200, patched.get_data(as_text=True)
    source = _source_of(session, statement.id)
    assert (source.title, source.publisher) == ("Talks resume in Geneva", "Daily Example")


def test_a_statement_posted_through_the_api_stores_its_source_title(
    client: FlaskClient, session: Session, token_for: Callable[[User], dict[str, str]], fact_checker: User
) -> None:
    posted = client.post("/api/v1/statements", headers=token_for(fact_checker), json={
        "text": "Grain exports doubled this year.", "speaker": "Marta Example", "new_speaker": True,
        "said_on": "2025-12-07", "source_url": "https://news.example/grain",
        "source_title": "  Grain exports doubled ", "source_publisher": "Farm News"})
    assert posted.status_code == 201, posted.get_data(as_text=True)
    source = _source_of(session, posted.get_json()["id"])
    assert (source.title, source.publisher) == ("Grain exports doubled", "Farm News")


def test_a_patch_through_the_api_changes_the_source_title_it_sends(
    client: FlaskClient, session: Session, token_for: Callable[[User], dict[str, str]], fact_checker: User
) -> None:
    statement = _statement_with_source(session, "https://news.example/geneva")
    patched = client.patch(f"/api/v1/statements/{statement.id}", headers=token_for(fact_checker),
                           json={"version": 1, "source_title": "Envoy: talks resume"})
    assert patched.status_code == 200, patched.get_data(as_text=True)
    source = _source_of(session, statement.id)
    assert (source.title, source.publisher) == ("Envoy: talks resume", "Daily Example")


def test_a_source_title_longer_than_the_desk_form_allows_is_refused_by_the_api(
    client: FlaskClient, session: Session, token_for: Callable[[User], dict[str, str]], fact_checker: User
) -> None:
    body = {"text": "Grain exports doubled this year.", "speaker": "Marta Example", "new_speaker": True,
            "said_on": "2025-12-07", "source_url": "https://news.example/grain"}
    refused = client.post("/api/v1/statements", headers=token_for(fact_checker), json={**body, "source_title": "x" * 501})
    assert refused.status_code == 422 and list(refused.get_json()["error"]["fields"]) == ["source_title"]
    see_committed(session)
    assert session.scalar(select(func.count()).select_from(Source)) == 0
    accepted = client.post("/api/v1/statements", headers=token_for(fact_checker), json={**body, "source_title": "x" * 500})
    assert accepted.status_code == 201, accepted.get_data(as_text=True)


def test_a_new_statement_keeps_the_title_typed_with_its_source(fc_client: FlaskClient, session: Session) -> None:
    response = fc_client.post("/desk/statements/new", data={
        "text": "Grain exports doubled this year.", "speaker": "Marta Example", "new_speaker": "y",
        "said_on": "2025-12-07", "said_on_precision": "day", "source_url": "https://news.example/grain",
        "source_title": "Grain exports doubled", "source_publisher": "Farm News", "source_kind": "article"})
    assert response.status_code == 302, response.get_data(as_text=True)
    see_committed(session)
    source = session.scalars(select(Source)).one()
    assert (source.title, source.publisher) == ("Grain exports doubled", "Farm News")


def test_a_source_changed_by_someone_else_makes_an_older_form_stale(fc_client: FlaskClient, session: Session) -> None:
    statement = _statement_with_source(session, "https://news.example/geneva")
    form = _edit_form(fc_client, statement)
    assert fc_client.post(f"/desk/statements/{statement.id}/edit", data={**form, "source_title": "Envoy: talks resume"}).status_code == 302
    stale = fc_client.post(f"/desk/statements/{statement.id}/edit", data={**form, "source_publisher": "Example Weekly"})
    assert stale.status_code == 409
    assert _source_of(session, statement.id).title == "Envoy: talks resume"
