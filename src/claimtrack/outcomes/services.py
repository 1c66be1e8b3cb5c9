"""Recording outcomes and linking them to the statements they settle."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.accounts.models import User
from claimtrack.audit import services as audit
from claimtrack.claims.models import Statement
from claimtrack.errors import Conflict, Invalid
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation
from claimtrack.outcomes.rules import check_occurred_on


def record_outcome(
    session: Session,
    description: str,
    *,
    occurred_on: dt.date | None = None,
    evidence_url: str | None = None,
    evidence_title: str | None = None,
    actor: User | None = None,
) -> Outcome:
    """Record what happened, to be linked to the statements it settles.

    :raise Invalid: on ``description`` when it is empty, on ``occurred_on`` when it is in the future.
    """
    description = description.strip()
    if not description:
        raise Invalid("an outcome needs a description of what happened", field="description")
    check_occurred_on(occurred_on)
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
    """Record that ``outcome`` confirms, refutes or otherwise settles ``statement``.

    :raise Conflict: when they are already linked.
    """
    already = select(OutcomeLink.id).where(
        OutcomeLink.outcome_id == outcome.id, OutcomeLink.statement_id == statement.id
    )
    if outcome.id is not None and statement.id is not None and session.scalar(already) is not None:
        raise Conflict("that outcome is already linked to this statement")
    link = OutcomeLink(outcome=outcome, statement=statement, relation=relation, note=note)
    session.add(link)
    audit.record(session, actor, "link", link)
    return link
