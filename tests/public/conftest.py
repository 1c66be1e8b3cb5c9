"""Builders for the public-site tests: statements with published, draft and corrected ratings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.articles.models import AppearanceStatus
from claimtrack.articles.services import record_appearance, store_article
from claimtrack.claims.models import DatePrecision, LinkRelation, Statement
from claimtrack.claims.services import (
    get_or_create_source,
    link_statements,
    log_statement,
    publish_statement_link,
    retract_statement,
)
from claimtrack.errors import Conflict
from claimtrack.outcomes.models import OutcomeRelation
from claimtrack.outcomes.services import link_outcome, publish_link, record_outcome, retract_outcome
from claimtrack.ratings.models import Rating
from claimtrack.ratings.services import publish_rating, rate_statement
from claimtrack.speakers.models import Speaker
from claimtrack.speakers.services import create_speaker

#: Text that only drafts, retracted items and unconfirmed appearances carry; no public output may contain it
#: (the retracted statement's own tombstone excepted).
DRAFT_MARKERS = ("DRAFT-ONLY-HEADLINE", "DRAFT-RATIONALE", "NEWER-DRAFT-HEADLINE", "DRAFT-CORRECTION-NOTE",
                 "https://example.org/suggested-only", "https://example.org/rejected-only",
                 "DRAFT-STATEMENT-WORDS", "DRAFT-STATEMENT-HEADLINE", "DRAFT-OUTCOME-DESCRIPTION",
                 "RETRACTED-STATEMENT-WORDS", "DRAFT-LINK-NOTE")
#: A retracted outcome is named only in the notice of its retraction on the claims it was linked to.
RETRACTED_OUTCOME = "RETRACTED-OUTCOME-DESCRIPTION"


def rate(session: Session, statement: Statement, verdict: str, scale: str = "truth", publish: bool = True, **extra: Any) -> Rating:
    if statement.current_rating is not None:
        extra.setdefault("kind", "update")
        extra.setdefault("correction_note", "Re-rated with new evidence.")
    rating = rate_statement(session, statement, scale=scale, verdict=verdict, **extra)
    if publish:
        publish_rating(session, rating, actor=None, version=None)
    session.flush()
    return rating


@dataclass
class LeakCase:
    speaker: Speaker
    #: Published, with only a draft rating.
    draft_only: Statement
    #: A published rating, then a newer draft; a confirmed, a suggested and a rejected appearance; a draft
    #: outcome and a retracted one linked to it; a draft statement linked to it, and a retracted one.
    published_then_draft: Statement
    #: A draft statement with a rating published by the system (no editor reviewed the statement itself).
    draft_statement: Statement
    #: A published statement, then retracted.
    retracted_statement: Statement


@pytest.fixture
def leak_case(app_session: Session) -> LeakCase:
    session = app_session
    speaker = create_speaker(session, "Ada Quill", role_title="Minister of Bridges", aliases=["the bridge minister"])
    source = get_or_create_source(session, "https://example.org/original", publisher="Daily Example", title="Bridges")
    draft_only = log_statement(session, "The moon is made of cheese.", speaker=speaker,
                               said_on=dt.date(2025, 12, 3), said_on_precision=DatePrecision.MONTH, source=source)
    both = log_statement(session, "Bridges will be built by spring.", speaker=speaker, said_on=dt.date(2025, 11, 20),
                         source=source, claim="All promised bridges open by spring 2026.", topics=["Bridges"])
    draft_statement = log_statement(session, "DRAFT-STATEMENT-WORDS about bridges and the moon.", speaker=speaker,
                                    said_on=dt.date(2025, 12, 1), source=source, topics=["Bridges"])
    retracted = log_statement(session, "RETRACTED-STATEMENT-WORDS about bridges and the moon.", speaker=speaker,
                              said_on=dt.date(2025, 12, 2), source=source, topics=["Bridges"])
    for statement in (draft_only, both, retracted):
        workflow.publish(session, statement, None, version=None)
    session.flush()
    # A rating drafted on the draft statement, never published: neither shows.
    rating = rate_statement(session, draft_statement, scale="truth", verdict="false", headline="DRAFT-STATEMENT-HEADLINE")
    assert not rating.is_published
    draft_outcome = record_outcome(session, "DRAFT-OUTCOME-DESCRIPTION", occurred_on=dt.date(2026, 1, 2))
    link_outcome(session, draft_outcome, both, OutcomeRelation.CONFIRMS, note="DRAFT-LINK-NOTE")
    retracted_outcome = record_outcome(session, "RETRACTED-OUTCOME-DESCRIPTION", occurred_on=dt.date(2026, 1, 3))
    publish_link(session, link_outcome(session, retracted_outcome, both, OutcomeRelation.CONTRADICTS), None, version=None)
    retract_outcome(session, retracted_outcome, None, note="Withdrawn: the report was about another bridge.")
    # Links the public cannot see: to a draft statement (cannot be published), a draft link between two
    # published statements, a link retracted with the statement it led to; and one public link.
    with pytest.raises(Conflict, match="not published"):
        publish_statement_link(session, link_statements(session, both, draft_statement, LinkRelation.REPEATS), None, version=None)
    link_statements(session, draft_only, both, LinkRelation.SUPPORTS, note="DRAFT-LINK-NOTE")
    publish_statement_link(session, link_statements(session, both, retracted, LinkRelation.CONTRADICTS), None, version=None)
    publish_statement_link(session, link_statements(session, draft_only, both, LinkRelation.REPEATS), None, version=None)
    retract_statement(session, retracted, None, note="Misattributed: the minister never said this.")
    session.flush()
    rate(session, draft_only, "false", publish=False, headline="DRAFT-ONLY-HEADLINE", rationale="DRAFT-RATIONALE")
    rate(session, both, "true", headline="PUBLISHED-HEADLINE", rationale="Published reasoning.")
    rate(session, both, "fabricated", publish=False, headline="NEWER-DRAFT-HEADLINE", rationale="DRAFT-RATIONALE",
         kind="correction", correction_note="DRAFT-CORRECTION-NOTE")
    for url, status in (("https://example.org/confirmed", AppearanceStatus.CONFIRMED),
                        ("https://example.org/suggested-only", AppearanceStatus.SUGGESTED),
                        ("https://example.org/rejected-only", AppearanceStatus.REJECTED)):
        article = store_article(session, f"Article at {url}", url=url, title=f"Article {status.value}", publisher="Gazette")
        record_appearance(session, both, article=article, appeared_on=dt.date(2026, 1, 5), status=status)
    session.commit()
    return LeakCase(speaker, draft_only, both, draft_statement, retracted)


@pytest.fixture
def count_queries(app: Flask) -> Iterator[Callable[[Callable[[], object]], int]]:
    """``count_queries(fn)`` runs ``fn`` and returns how many SQL statements it sent."""
    engine = app.extensions["claimtrack.engine"]
    counter = {"n": 0}

    def on_execute(*_args: object) -> None:
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", on_execute)

    def count(fn: Callable[[], object]) -> int:
        counter["n"] = 0
        fn()
        return counter["n"]

    yield count
    event.remove(engine, "before_cursor_execute", on_execute)
