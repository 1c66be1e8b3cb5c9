"""Conditional GET, Cache-Control, compression and the response cache of everything the public reads.

A client holding the current version gets 304 without the page being rebuilt; a publish, a revision
or a retraction makes the next answer the new page, never a 304; the desk and the write API are never
stored; text is compressed only when asked, with an ETag per coding.
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Callable
from itertools import count

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from claimtrack.accounts.models import Role, User
from claimtrack.accounts.tokens import create_token
from claimtrack.claims.models import Statement
from claimtrack.claims.services import get_or_create_source, log_statement
from claimtrack.speakers.services import create_speaker
from tests.public.conftest import rate

_numbers = count(1)

PUBLIC_URLS = [
    "/", "/claims/{id}", "/claims/{id}/feed.atom", "/feed.atom", "/sitemap.xml", "/sitemaps/pages-1.xml",
    "/sitemaps/claims-1.xml", "/search?speaker=Vera+Lind", "/speakers/vera-lind", "/topics/tides", "/how-we-rate",
    "/api/v1/statements", "/api/v1/statements?speaker=Vera+Lind", "/api/v1/statements/{id}", "/api/v1/speakers",
    "/api/v1/openapi.json",
]


@pytest.fixture
def claim(session: Session) -> Statement:
    speaker = create_speaker(session, "Vera Lind")
    source = get_or_create_source(session, "https://example.org/tides", publisher="Tide Times")
    statement = log_statement(session, "The tide will turn by Friday.", speaker=speaker, source=source,
                              said_on=dt.date(2025, 12, 1), topics=["Tides"])
    session.flush()
    rate(session, statement, "false", headline="FIRST-HEADLINE")  # publishes the statement too
    session.commit()
    return statement


@pytest.fixture
def editor_token(session: Session) -> dict[str, str]:
    """Authorization headers of an editor's API token."""
    user = User(email=f"editor-{next(_numbers)}@example.org", display_name="Ed Itor", password_hash="x",
                role=Role.EDITOR, active=True)
    session.add(user)
    session.flush()
    _token, secret = create_token(session, user.email, name="tests")
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _etag(response: TestResponse) -> str:
    tag, weak = response.get_etag()
    assert tag and not weak, f"no strong ETag on {response.request.path}"
    return tag


def _if_none_match(tag: str) -> dict[str, str]:
    return {"If-None-Match": f'"{tag}"'}


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_every_public_read_answers_304_to_a_client_holding_its_version(
    client: FlaskClient, claim: Statement, url: str
) -> None:
    url = url.format(id=claim.id)
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, no-cache"
    again = client.get(url, headers=_if_none_match(_etag(first)))
    assert again.status_code == 304
    assert again.data == b""
    assert again.get_etag() == first.get_etag()
    assert again.headers["Cache-Control"] == "public, no-cache"


def test_every_public_route_without_arguments_is_covered(app: Flask, client: FlaskClient, claim: Statement) -> None:
    """A guardrail over the URL map: a page added later to the public site or the read API is validated too."""
    urls = [rule.rule for rule in app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in ("public", "api") and "GET" in (rule.methods or ())
            and not rule.arguments and not hasattr(app.view_functions[rule.endpoint], "allowed_roles")]
    assert "/" in urls and "/api/v1/statements" in urls
    for url in urls:
        first = client.get(url)
        if first.status_code in (301, 302, 308):
            first.close()
            continue  # a redirect to a page that is checked itself (the old pages sitemap, the favicon)
        assert first.status_code == 200, url
        tag = _etag(first)
        first.close()  # a file answer (the favicon) holds its file open until read or closed
        assert client.get(url, headers=_if_none_match(tag)).status_code == 304, url


def test_a_retracted_claim_and_a_missing_one_are_validated_too(
    client: FlaskClient, claim: Statement, editor_token: dict[str, str]
) -> None:
    client.post(f"/api/v1/statements/{claim.id}/retract", json={"note": "Misattributed."}, headers=editor_token)
    gone = client.get(f"/claims/{claim.id}")
    assert gone.status_code == 410
    assert client.get(f"/claims/{claim.id}", headers=_if_none_match(_etag(gone))).status_code == 304
    missing = client.get("/claims/999999")
    assert missing.status_code == 404
    assert client.get("/claims/999999", headers=_if_none_match(_etag(missing))).status_code == 304


def _held(client: FlaskClient, urls: list[str]) -> dict[str, str]:
    tags = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        tags[url] = _etag(response)
    return tags


def _claim_urls(statement_id: int) -> list[str]:
    return [f"/claims/{statement_id}", f"/claims/{statement_id}/feed.atom", "/feed.atom", "/",
            f"/api/v1/statements/{statement_id}", "/api/v1/statements", "/sitemaps/claims-1.xml"]


def test_a_published_rating_is_served_at_once_never_a_304(
    client: FlaskClient, claim: Statement, editor_token: dict[str, str]
) -> None:
    urls = _claim_urls(claim.id)
    held = _held(client, urls)
    rating = client.post(f"/api/v1/statements/{claim.id}/ratings", json={
        "scale": "truth", "verdict": "true", "rationale": "The tide table.", "headline": "SECOND-HEADLINE", "kind": "correction",
        "correction_note": "We misread the tide table."}, headers=editor_token).get_json()
    published = client.post(f"/api/v1/ratings/{rating['id']}/publish", json={"version": rating["version"]},
                            headers=editor_token)
    assert published.status_code == 200
    for url in urls[:-1]:
        fresh = client.get(url, headers=_if_none_match(held[url]))
        assert fresh.status_code == 200, url
        assert b"SECOND-HEADLINE" in fresh.data or b"misread the tide table" in fresh.data, url
        assert _etag(fresh) != held[url]


def test_a_draft_saved_on_the_desk_changes_nothing_public_but_is_not_hidden_by_a_stale_304_later(
    client: FlaskClient, claim: Statement, editor_token: dict[str, str]
) -> None:
    page = client.get(f"/claims/{claim.id}")
    draft = client.post(f"/api/v1/statements/{claim.id}/ratings", json={
        "scale": "truth", "verdict": "true", "rationale": "The tide table.", "headline": "DRAFT-HEADLINE", "kind": "update",
        "correction_note": "New tide table."}, headers=editor_token).get_json()
    after_draft = client.get(f"/claims/{claim.id}", headers=_if_none_match(_etag(page)))
    # Any commit moves the version: the page is sent again, without the draft.
    assert after_draft.status_code == 200
    assert b"DRAFT-HEADLINE" not in after_draft.data
    client.post(f"/api/v1/ratings/{draft['id']}/publish", json={"version": draft["version"]}, headers=editor_token)
    published = client.get(f"/claims/{claim.id}", headers=_if_none_match(_etag(after_draft)))
    assert published.status_code == 200
    assert b"DRAFT-HEADLINE" in published.data


def test_a_revised_quote_is_served_at_once_never_a_304(
    client: FlaskClient, claim: Statement, editor_token: dict[str, str]
) -> None:
    urls = _claim_urls(claim.id)
    held = _held(client, urls)
    revised = client.patch(f"/api/v1/statements/{claim.id}", json={
        "version": claim.version, "text": "The tide will turn by Saturday.",
        "revision_note": "The speaker said Saturday."}, headers=editor_token)
    assert revised.status_code == 200, revised.get_json()
    for url in [u for u in urls if "sitemap" not in u and u != "/api/v1/statements"]:
        fresh = client.get(url, headers=_if_none_match(held[url]))
        assert fresh.status_code == 200, url
        assert b"by Saturday" in fresh.data, url


def test_a_retracted_claim_leaves_cached_feeds_and_sitemaps_at_once(
    client: FlaskClient, claim: Statement, session: Session, editor_token: dict[str, str]
) -> None:
    rate(session, log_statement(session, "Another tide.", speaker=claim.speaker, said_on=dt.date(2025, 12, 2)), "true")
    session.commit()
    held = _held(client, _claim_urls(claim.id))
    assert f"/claims/{claim.id}".encode() in client.get("/sitemaps/claims-1.xml").data
    retracted = client.post(f"/api/v1/statements/{claim.id}/retract", json={"note": "Misattributed."},
                            headers=editor_token)
    assert retracted.status_code == 200
    page = client.get(f"/claims/{claim.id}", headers=_if_none_match(held[f"/claims/{claim.id}"]))
    assert page.status_code == 410
    for url in ("/", "/feed.atom", "/sitemaps/claims-1.xml"):
        fresh = client.get(url, headers=_if_none_match(held[url]))
        assert fresh.status_code == 200, url
        assert b"tide will turn" not in fresh.data and f"/claims/{claim.id}<".encode() not in fresh.data, url


def test_a_sitemap_is_built_once_per_data_version(
    client: FlaskClient, claim: Statement, session: Session, count_queries: Callable[[Callable[[], object]], int]
) -> None:
    built = count_queries(lambda: client.get("/sitemaps/claims-1.xml"))
    again = count_queries(lambda: client.get("/sitemaps/claims-1.xml"))
    # Only the data version is read (in the tests, inside a savepoint begun and released).
    assert again <= 3 < built
    other = log_statement(session, "A second tide.", speaker=claim.speaker, said_on=dt.date(2025, 12, 2))
    session.flush()
    rate(session, other, "true")
    session.commit()
    rebuilt = client.get("/sitemaps/claims-1.xml")
    assert f"/claims/{other.id}<".encode() in rebuilt.data


def test_desk_pages_and_the_write_api_are_never_stored(
    app: Flask, client: FlaskClient, claim: Statement, session: Session, editor_token: dict[str, str]
) -> None:
    login = client.get("/login")
    assert login.headers["Cache-Control"] == "private, no-store"
    assert login.get_etag() == (None, None)
    editor = session.query(User).filter_by(role=Role.EDITOR).one()
    desk = app.test_client()
    with desk.session_transaction() as cookie_session:
        cookie_session["_user_id"] = editor.get_id()
    dashboard = desk.get("/desk/")
    assert dashboard.status_code == 200
    assert dashboard.headers["Cache-Control"] == "private, no-store"
    rating_id = claim.current_rating.id  # type: ignore[union-attr]
    read_with_token = client.get(f"/api/v1/ratings/{rating_id}", headers=editor_token)
    assert read_with_token.status_code == 200
    assert read_with_token.headers["Cache-Control"] == "private, no-store"
    written = client.post("/api/v1/statements", json={"text": "Tides are early.", "speaker": "Vera Lind", "said_on": "2025-12-03",
                                                      "source_url": "https://example.org/early"},
                          headers=editor_token)
    assert written.status_code == 201
    assert written.headers["Cache-Control"] == "private, no-store"


def test_a_public_page_asked_by_a_logged_in_person_or_a_token_holder_is_private(
    app: Flask, client: FlaskClient, claim: Statement, session: Session, editor_token: dict[str, str]
) -> None:
    public = client.get(f"/claims/{claim.id}")
    tag = _etag(public)
    desk = app.test_client()
    with desk.session_transaction() as cookie_session:
        cookie_session["_user_id"] = "1"
    personal = desk.get(f"/claims/{claim.id}", headers=_if_none_match(tag))
    assert personal.status_code == 200
    assert personal.headers["Cache-Control"] == "private, no-store"
    assert personal.get_etag() == (None, None)
    as_desk = client.get(f"/api/v1/statements/{claim.id}", headers={**editor_token, **_if_none_match(tag)})
    assert as_desk.status_code == 200
    assert as_desk.headers["Cache-Control"] == "private, no-store"
    assert "status" in as_desk.get_json()


@pytest.mark.parametrize(("coding", "decompress"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
@pytest.mark.parametrize("url", ["/claims/{id}", "/api/v1/statements", "/feed.atom", "/"])
def test_text_is_compressed_when_asked_with_an_etag_of_its_own(
    client: FlaskClient, claim: Statement, url: str, coding: str, decompress: Callable[[bytes], bytes]
) -> None:
    url = url.format(id=claim.id)
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    packed = client.get(url, headers={"Accept-Encoding": coding})
    assert packed.headers["Content-Encoding"] == coding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    # The two codings are two representations: each has its own tag, and each revalidates.
    assert _etag(packed) == f"{_etag(plain)}:{coding}"
    again = client.get(url, headers={"Accept-Encoding": coding, **_if_none_match(_etag(packed))})
    assert again.status_code == 304
    assert again.get_etag() == packed.get_etag()
    assert client.get(url, headers=_if_none_match(_etag(plain))).status_code == 304
