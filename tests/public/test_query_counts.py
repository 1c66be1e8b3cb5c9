"""List pages load in a fixed number of queries, however many statements they show (no N+1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from claimtrack.articles.services import record_appearance, store_article
from claimtrack.claims.editing import StatementInput, update_statement
from claimtrack.claims.models import LinkRelation, Statement
from claimtrack.claims.revisions import revision_changes
from claimtrack.claims.services import get_or_create_source, link_statements, log_statement
from claimtrack.outcomes.models import OutcomeRelation
from claimtrack.outcomes.services import link_outcome, record_outcome
from claimtrack.publishing.queries import statement_revisions
from claimtrack.speakers.services import create_speaker
from tests.public.conftest import rate

LIST_URLS = [
    "/", "/search", "/search?q=promise&sort=relevance", "/speakers/mona-vale", "/topics/roads", "/speakers",
    "/api/v1/statements", "/api/v1/speakers", "/feed.atom", "/sitemaps/claims-1.xml",
]


def add_statements(session: Session, n: int, start: int) -> None:
    """``n`` statements, each by its own speaker (one shared speaker too) with source, topics, rating, outcome."""
    shared = create_speaker(session, "Mona Vale", aliases=["the mayor"]) if start == 0 else None
    for i in range(start, start + n):
        speaker = shared if i % 2 == 0 and shared else create_speaker(session, f"Speaker {i}", aliases=[f"alias {i}"])
        source = get_or_create_source(session, f"https://example.org/{i}", publisher=f"Publisher {i}")
        statement = log_statement(session, f"A promise number {i}.", speaker=speaker or shared, source=source,
                                  said_on=dt.date(2025, 1, 1) + dt.timedelta(days=i), topics=["Roads", f"Topic {i}"])
        session.flush()
        rate(session, statement, "true", headline=f"Check {i}")  # publishes the statement too
        update_statement(session, statement, StatementInput(text=f"A promise, number {i}.", speaker=statement.speaker.name,  # type: ignore[union-attr]
                                                            said_on=statement.said_on),
                         version=statement.version, revision_note=f"Comma restored {i}.")
        link_outcome(session, record_outcome(session, f"Outcome {i}", occurred_on=dt.date(2025, 6, 1)), statement, OutcomeRelation.CONFIRMS)
    session.commit()


def test_list_pages_do_not_query_per_item(client: FlaskClient, app_session: Session,
                                          count_queries: Callable[[Callable[[], object]], int]) -> None:
    add_statements(app_session, 3, 0)
    few = {url: count_queries(lambda url=url: client.get(url)) for url in LIST_URLS}
    add_statements(app_session, 12, 3)
    for url in LIST_URLS:
        response_count = count_queries(lambda url=url: client.get(url))
        assert response_count == few[url], f"{url}: {few[url]} queries for 3 statements, {response_count} for 15"
        assert few[url] <= 12, f"{url} sends {few[url]} queries"


@pytest.mark.parametrize("url", ["/claims/{id}", "/api/v1/statements/{id}", "/claims/{id}/feed.atom"])
def test_claim_page_queries_do_not_grow_with_its_history(client: FlaskClient, app_session: Session,
                                                        count_queries: Callable[[Callable[[], object]], int], url: str) -> None:
    speaker = create_speaker(app_session, "Nia Cole")
    statement = log_statement(app_session, "The tunnel opens in May.", speaker=speaker, said_on=dt.date(2025, 1, 1))
    others = [log_statement(app_session, f"Related {i}.", speaker=speaker) for i in range(6)]
    app_session.flush()
    rate(app_session, statement, "true")
    app_session.commit()

    def add_history(other: Statement) -> None:
        link_statements(app_session, statement, other, LinkRelation.SUPPORTS)
        update_statement(app_session, statement, StatementInput(text=f"The tunnel opens in May ({other.id}).", speaker="Nia Cole",
                                                                said_on=dt.date(2025, 1, 1)),
                         version=statement.version, revision_note=f"Revised for {other.id}.")
        rate(app_session, statement, "mostly_true", kind="update", correction_note="Another look.")
        link_outcome(app_session, record_outcome(app_session, f"Happened {other.id}"), statement, OutcomeRelation.PARTLY)
        article = store_article(app_session, f"Article {other.id}", url=f"https://example.org/a{other.id}", title="Again")
        record_appearance(app_session, statement, article=article, speaker=speaker, appeared_on=dt.date(2025, 3, 1))
        app_session.commit()

    add_history(others[0])
    before = count_queries(lambda: client.get(url.format(id=statement.id)))
    for other in others[1:]:
        add_history(other)
    assert count_queries(lambda: client.get(url.format(id=statement.id))) == before
    assert len(revision_changes(statement_revisions(app_session, statement.id))) == len(others), "one revision per step"
