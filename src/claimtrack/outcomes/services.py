"""Recording outcomes and linking them to the statements they settle."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack import workflow
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


def publish_link(session: Session, link: OutcomeLink, actor: User | None, *, version: int | None) -> OutcomeLink:
    """Publish a link, and its outcome with it when that is still a draft: the editor reviewed both.

    :raise Conflict: when the outcome or the statement was retracted (nothing public to link).
    See :func:`claimtrack.workflow.publish` for the rest.
    """
    if link.outcome.is_retracted:
        raise Conflict(f"outcome {link.outcome_id} was retracted: it settles nothing any more")
    if not link.statement.is_published:
        raise Conflict(f"statement {link.statement_id} is not published: publish it before its outcome")
    workflow.publish(session, link, actor, version=version)
    if link.outcome.is_draft:
        workflow.publish(session, link.outcome, actor, version=link.outcome.version)
    return link


def retract_outcome(session: Session, outcome: Outcome, actor: User | None, *, note: str | None,
                    version: int | None = None) -> Outcome:
    """Retract an outcome and, with the same note, each of its published links: an outcome that
    is withdrawn settles nothing.

    See :func:`claimtrack.workflow.retract` for what is raised.
    """
    workflow.retract(session, outcome, actor, note=note, version=version)
    for link in outcome.links:
        if link.is_published:
            workflow.retract(session, link, actor, note=note)
    return outcome
