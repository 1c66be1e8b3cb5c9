"""Recording outcomes and linking them to the statements they settle."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.audit import services as audit
from claimtrack.claims.models import Statement
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation


def record_outcome(
    session: Session,
    description: str,
    *,
    occurred_on: dt.date | None = None,
    evidence_url: str | None = None,
    evidence_title: str | None = None,
    actor: User | None = None,
) -> Outcome:
    """:raise ValueError: when the description is empty."""
    description = description.strip()
    if not description:
        raise ValueError("an outcome needs a description of what happened")
    outcome = Outcome(
        description=description,
        occurred_on=occurred_on,
        evidence_url=evidence_url,
        evidence_title=evidence_title,
        created_by_id=actor.id if actor else None,
    )
    session.add(outcome)
    audit.record(session, actor, "create", outcome)
    return outcome


def link_outcome(
    session: Session,
    outcome: Outcome,
    statement: Statement,
    relation: OutcomeRelation,
    note: str | None = None,
    actor: User | None = None,
) -> OutcomeLink:
    link = OutcomeLink(outcome=outcome, statement=statement, relation=relation, note=note)
    session.add(link)
    audit.record(session, actor, "link", link)
    return link
