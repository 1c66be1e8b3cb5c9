"""Text over a limit is refused with its count, never cut: the statement's words, a pasted article, the CLI."""

from __future__ import annotations

import re

from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.articles.models import Article
from claimtrack.claims.models import Statement
from claimtrack.cli import main
from claimtrack.spotting.extract import MAX_TEXT_CHARS


def _statement(text: str) -> dict[str, str]:
    return {"text": text, "speaker": "Volodymyr Zelensky", "new_speaker": "y", "said_on": "2025-12-07",
            "said_on_precision": "day"}


def _statements(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Statement)) or 0


def test_the_statement_form_has_no_attribute_that_cuts_a_long_paste(fc_client: FlaskClient) -> None:
    page = fc_client.get("/desk/statements/new").get_data(as_text=True)
    words = re.search(r"<textarea[^>]*name=\"text\"[^>]*>", page)
    assert words is not None
    assert "maxlength" not in words.group() and 'data-max-chars="10000"' in words.group()
    assert "maxlength" not in page  # no field of the form cuts a paste silently


def test_a_statement_over_the_limit_is_refused_with_its_count(fc_client: FlaskClient, session: Session) -> None:
    before = _statements(session)
    response = fc_client.post("/desk/statements/new", data=_statement("Peace is close. " * 1250))
    assert response.status_code == 422
    assert "This text is 20,000 characters long; the limit is 10,000." in response.get_data(as_text=True)
    assert _statements(session) == before


def test_a_statement_at_the_limit_is_kept_whole(fc_client: FlaskClient, session: Session) -> None:
    # Line breaks are counted as the page shows them (one character), though the browser sends two.
    text = ("a" * 99 + "\r\n") * 100
    response = fc_client.post("/desk/statements/new", data={**_statement(text), "reviewed": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    session.expire_all()
    stored = session.scalars(select(Statement).order_by(Statement.id.desc())).first()
    assert stored is not None and stored.text.count("a") == 9_900


def test_an_article_over_the_limit_is_refused_with_its_count(fc_client: FlaskClient, session: Session) -> None:
    page = fc_client.get("/desk/match").get_data(as_text=True)
    assert "maxlength" not in page and f'data-max-chars="{MAX_TEXT_CHARS}"' in page
    response = fc_client.post("/desk/match", data={"text": "x" * (MAX_TEXT_CHARS + 1)})
    assert response.status_code == 400
    assert "This text is 200,001 characters long; the limit is 200,000." in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_the_match_command_refuses_an_article_over_the_limit_with_its_count(runner: FlaskCliRunner) -> None:
    done = runner.invoke(main, ["match", "-"], input="word " * 40_001)
    assert done.exit_code == 1
    assert "Error: the text has 200,005 characters; the limit is 200,000" in done.output
