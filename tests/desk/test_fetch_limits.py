"""The desk's check page fetches within the app's deadline and says why a fetch gave up."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.articles.models import Article
from tests.servers import trickling_site


@pytest.fixture
def slow_site() -> Iterator[str]:
    with trickling_site() as url:
        yield url


def test_a_slow_site_is_given_up_at_the_deadline_with_a_message(
    fc_client: FlaskClient, app: Flask, session: Session, slow_site: str
) -> None:
    app.config.update(FETCH_ALLOW_PRIVATE=True, FETCH_DEADLINE=1)
    started = time.monotonic()
    response = fc_client.post("/desk/match", data={"url": slow_site})
    assert time.monotonic() - started < 5
    assert response.status_code == 422
    assert "did not send the page within 1 s; nothing was checked." in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_the_check_page_names_the_fetch_deadline(fc_client: FlaskClient, app: Flask) -> None:
    app.config["FETCH_DEADLINE"] = 7.5
    assert "given up after 7.5 s" in fc_client.get("/desk/match").get_data(as_text=True)


@pytest.mark.parametrize("address", ["http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://[::127.0.0.1]/"])
def test_ipv6_forms_of_internal_addresses_are_refused_beside_the_address(
    fc_client: FlaskClient, session: Session, address: str
) -> None:
    response = fc_client.post("/desk/match", data={"url": address})
    assert response.status_code == 422
    assert "private or local address" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Article)) == 0
