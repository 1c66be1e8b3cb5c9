"""The desk page that checks an article for repeats, and the review of its suggestions."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.articles.models import Appearance, AppearanceStatus, Article

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
ENVOY = (ARTICLES / "envoy-optimism.txt").read_text(encoding="utf-8")


def suggestions(session: Session) -> list[Appearance]:
    session.expire_all()
    return list(session.scalars(select(Appearance).order_by(Appearance.id)))


def test_pasted_article_is_highlighted_with_its_candidates(fc_client: FlaskClient, demo: Session) -> None:
    response = fc_client.post("/desk/match", data={"text": ENVOY, "title": "Envoy upbeat"})
    assert response.status_code == 302
    page = fc_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="spot-mark' in page
    assert "A deal to end the fighting is really close." in page
    assert "Confirm repeat" in page and "Pending" in page
    found = suggestions(demo)
    assert {a.statement.external_id for a in found} >= {"demo-kellogg-really-close", "demo-kellogg-two-issues"}
    assert all(a.status is AppearanceStatus.SUGGESTED and a.score >= 0.5 for a in found)
    article = demo.scalars(select(Article)).one()
    assert all(article.text[a.start_offset : a.end_offset] == a.matched_text for a in found)


def test_checking_the_same_article_twice_adds_no_duplicates(fc_client: FlaskClient, demo: Session) -> None:
    fc_client.post("/desk/match", data={"text": ENVOY})
    first = len(suggestions(demo))
    again = fc_client.post("/desk/match", data={"text": ENVOY}, follow_redirects=True).get_data(as_text=True)
    assert len(suggestions(demo)) == first > 0
    assert "0 new suggestions to review." in again


def test_an_article_with_no_repeats_says_so(fc_client: FlaskClient, demo: Session) -> None:
    text = "The city council approved a new budget for public libraries. Opening hours grow on Sundays."
    page = fc_client.post("/desk/match", data={"text": text}, follow_redirects=True).get_data(as_text=True)
    assert "No sentence of this article repeats a known statement." in page
    assert suggestions(demo) == []


def test_uploaded_html_file_is_checked(fc_client: FlaskClient, demo: Session) -> None:
    html = b"<html><body><article><p>According to the Kremlin spokesperson, any deal would need radical changes to the American proposals.</p></article></body></html>"
    response = fc_client.post(
        "/desk/match", data={"upload": (io.BytesIO(html), "story.html")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert [a.statement.external_id for a in suggestions(demo)] == ["demo-peskov-radical-changes"]


def test_confirm_and_reject_update_the_appearance(fc_client: FlaskClient, demo: Session, fact_checker) -> None:
    fc_client.post("/desk/match", data={"text": ENVOY})
    first, second = suggestions(demo)[:2]
    assert fc_client.post(f"/desk/appearances/{first.id}/confirm").status_code == 302
    assert fc_client.post(f"/desk/appearances/{second.id}/reject").status_code == 302
    first, second = suggestions(demo)[:2]
    assert first.status is AppearanceStatus.CONFIRMED and first.reviewer_id == fact_checker.id
    assert second.status is AppearanceStatus.REJECTED
    report = fc_client.get("/desk/match-report").get_data(as_text=True)
    assert "1 confirmed, 1 rejected" in report


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "exactly one of them"),
        ({"text": "A deal is close.", "url": "https://example.org/a"}, "exactly one of them"),
        ({"url": "not a url"}, "full http"),
        ({"url": "http://127.0.0.1:9/private"}, "private or local address"),
        ({"upload": (b"\x00\x01\x02binary", "a.txt")}, "binary"),
        ({"upload": ("caf\u00e9".encode("latin-1"), "a.txt")}, "not valid UTF-8"),
        ({"upload": (b"%PDF", "a.pdf")}, "Upload a .txt, .md or .html file"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field(fc_client: FlaskClient, demo: Session, data: dict, message: str) -> None:
    if "upload" in data:  # a fresh stream per run: the request closes the one it reads
        content, name = data["upload"]
        data = {"upload": (io.BytesIO(content), name)}
    response = fc_client.post("/desk/match", data=data, content_type="multipart/form-data")
    assert response.status_code in (400, 422)
    assert message in response.get_data(as_text=True)
    assert suggestions(demo) == [] and demo.scalars(select(Article)).all() == []


def test_huge_upload_is_refused_before_parsing(fc_client: FlaskClient, app: Flask) -> None:
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    big = FileStorage(io.BytesIO(b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)), filename="big.txt")
    # Encoded in memory: the test client would spool a large body to a temporary file it never closes.
    boundary, body = encode_multipart({"upload": big})
    response = fc_client.post("/desk/match", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413


class _Article(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = (
            "<html><body><article><p>" + ENVOY.replace("\n\n", "</p><p>") + "</p></article></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Article)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story"
    server.shutdown()
    server.server_close()


def test_fetched_url_is_checked_when_local_fetching_is_allowed(
    fc_client: FlaskClient, app: Flask, demo: Session, local_site: str
) -> None:
    app.config["FETCH_ALLOW_PRIVATE"] = True
    response = fc_client.post("/desk/match", data={"url": local_site})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert demo.scalars(select(Article)).one().url == local_site
    assert "demo-kellogg-really-close" in {a.statement.external_id for a in suggestions(demo)}


def _confirm_really_close(fc_client: FlaskClient, demo: Session) -> int:
    found = next(a for a in suggestions(demo) if a.statement.external_id == "demo-kellogg-really-close")
    assert fc_client.post(f"/desk/appearances/{found.id}/confirm").status_code == 302
    return found.statement_id


def _repeat_dates_on_claim_page(fc_client: FlaskClient, statement_id: int) -> list[str]:
    timeline = fc_client.get(f"/api/v1/statements/{statement_id}").get_json()["timeline"]
    return [event["date_label"] for event in timeline if event["kind"] == "appearance"]


def test_a_confirmed_repeat_shows_the_article_date_on_the_claim_page_timeline(fc_client: FlaskClient, demo: Session) -> None:
    response = fc_client.post("/desk/match", data={"text": ENVOY, "title": "Envoy upbeat", "published_on": "2025-12-04"})
    assert response.status_code == 302
    assert "published 4 December 2025" in fc_client.get(response.headers["Location"]).get_data(as_text=True)
    statement_id = _confirm_really_close(fc_client, demo)
    assert _repeat_dates_on_claim_page(fc_client, statement_id) == ["4 December 2025"]
    page = fc_client.get(f"/claims/{statement_id}").get_data(as_text=True)
    assert "4 December 2025" in page


def test_an_article_dated_in_the_future_is_refused_beside_its_date(fc_client: FlaskClient, demo: Session) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = fc_client.post("/desk/match", data={"text": ENVOY, "published_on": tomorrow})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The publication date cannot be in the future." in page
    assert 'id="published_on-error"' in page
    assert demo.scalar(select(Article.id)) is None and suggestions(demo) == []


def test_a_date_given_for_an_already_checked_undated_article_is_kept(fc_client: FlaskClient, demo: Session) -> None:
    fc_client.post("/desk/match", data={"text": ENVOY})
    fc_client.post("/desk/match", data={"text": ENVOY, "published_on": "2025-12-04"})
    demo.expire_all()
    assert demo.scalars(select(Article)).one().published_on == dt.date(2025, 12, 4)
    assert _repeat_dates_on_claim_page(fc_client, _confirm_really_close(fc_client, demo)) == ["4 December 2025"]


class _DatedArticle(_Article):
    def do_GET(self) -> None:
        body = (
            '<html><head><meta property="article:published_time" content="2025-12-04T09:30:00Z"></head><body><article><p>'
            + ENVOY.replace("\n\n", "</p><p>") + "</p></article></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def dated_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DatedArticle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/story"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("given", "stored"), [("", dt.date(2025, 12, 4)), ("2025-12-10", dt.date(2025, 12, 10))])
def test_a_fetched_page_takes_the_date_it_declares_unless_the_user_gives_one(
    fc_client: FlaskClient, app: Flask, demo: Session, dated_site: str, given: str, stored: dt.date
) -> None:
    app.config["FETCH_ALLOW_PRIVATE"] = True
    response = fc_client.post("/desk/match", data={"url": dated_site, "published_on": given})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert demo.scalars(select(Article)).one().published_on == stored
    assert _repeat_dates_on_claim_page(fc_client, _confirm_really_close(fc_client, demo)) == [f"{stored.day} December 2025"]
