"""The demo fixtures load, and loading them again adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.audit.models import AuditEvent
from claimtrack.demo import load_fixtures
from claimtrack.models import Outcome, Rating, RatingStatus, Source, Speaker, Statement, StatementLink


def counts(session: Session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in (Speaker, Source, Statement, Rating, Outcome, StatementLink, AuditEvent)
    }


def test_demo_fixtures_load_idempotently(session: Session) -> None:
    report = load_fixtures(session)
    session.commit()
    first = counts(session)
    assert report.created["statements"] == first["statements"] >= 5

    again = load_fixtures(session)
    session.commit()
    assert again.created == {}
    assert counts(session) == first


def test_demo_fixtures_carry_the_story(session: Session) -> None:
    load_fixtures(session)
    session.commit()
    texts = " ".join(session.scalars(select(Statement.text)))
    for phrase in ("really close", "last 10 metres", "radical changes", "peacemaker", "territory must be restored"):
        assert phrase in texts.lower()
    statuses = {r.status for r in session.scalars(select(Rating))}
    assert RatingStatus.DRAFT in statuses and RatingStatus.PUBLISHED in statuses
    close = session.scalar(select(Statement).where(Statement.external_id == "demo-kellogg-really-close"))
    assert close.current_rating.verdict == "pending", "the draft correction is not current"
    assert close.outcome_links, "the prediction is linked to an outcome"
    kellogg = session.scalar(select(Speaker).where(Speaker.slug == "keith-kellogg"))
    assert "the U.S. envoy" in [a.alias for a in kellogg.aliases]


def test_demo_drafts_and_outcomes_read_as_finished_work_citing_the_story(session: Session) -> None:
    load_fixtures(session)
    session.commit()
    drafts = session.scalars(select(Rating).where(Rating.status == RatingStatus.DRAFT)).all()
    outcomes = session.scalars(select(Outcome)).all()
    assert drafts and outcomes
    texts = [t or "" for r in drafts for t in (r.headline, r.rationale, r.correction_note)]
    texts += [o.description for o in outcomes]
    for text in texts:
        for placeholder in ("demo", "replace with", "for illustration", "example.org"):
            assert placeholder not in text.lower(), text
    assert all("The Last 10 Metres" in (o.evidence_title or "") and o.evidence_url is None for o in outcomes)
    evidence = [item for r in session.scalars(select(Rating)) for item in (r.evidence or [])]
    assert not any("example.org" in item["url"] for item in evidence), "no invented source addresses"
