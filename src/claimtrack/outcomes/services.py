"""Recording outcomes and linking them to the statements they settle."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack import workflow
from claimtrack.accounts.models import User
from claimtrack.accounts.permissions import may_change_draft, may_publish
from claimtrack.audit import services as audit
from claimtrack.claims.models import Statement
from claimtrack.errors import Conflict, Invalid, PermissionDenied
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation, OutcomeUpdate
from claimtrack.outcomes.rules import check_occurred_on
from claimtrack.text import is_web_url


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
    link = OutcomeLink(
        outcome=outcome, statement=statement, relation=relation, note=note, created_by_id=actor.id if actor else None
    )
    session.add(link)
    audit.record(session, actor, "link", link)
    return link


def publish_link(
    session: Session, link: OutcomeLink, actor: User | None, *, version: int | None, outcome_version: int | None = None
) -> OutcomeLink:
    """Publish a link, and its outcome with it when that is still a draft: the editor reviewed both.

    ``outcome_version`` is the version of the draft outcome the editor read beside the link; when
    given, an outcome changed since is not published, and neither is the link.

    :raise Conflict: when the outcome or the statement was retracted (nothing public to link).
    :raise StaleDraft: on the link, or on its draft outcome, when either changed since it was read.
    See :func:`claimtrack.workflow.publish` for the rest.
    """
    if link.outcome.is_retracted:
        raise Conflict(f"outcome {link.outcome_id} was retracted: it settles nothing any more")
    if not link.statement.is_published:
        raise Conflict(f"statement {link.statement_id} is not published: publish it before its outcome")
    if link.outcome.is_draft:
        workflow.check_version(link.outcome, outcome_version)
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


def update_outcome(
    session: Session,
    outcome: Outcome,
    *,
    description: str,
    occurred_on: dt.date | None,
    evidence_url: str | None,
    evidence_title: str | None,
    version: int,
    actor: User | None,
    note: str | None = None,
) -> Outcome:
    """Save a change made to version ``version`` of ``outcome``.

    A draft is changed in place by anyone on the desk: nobody outside has read it. A published
    outcome changes in public, so only an editor changes it, with a note readers see beside it; the
    :class:`OutcomeUpdate` keeps what they read before. A save that changes nothing writes nothing.

    :raise Conflict: when the outcome was retracted (a retraction is final).
    :raise PermissionDenied: when a published outcome is changed by someone who may not publish.
    :raise StaleDraft: when it was saved since ``version``: the other person's change stays.
    :raise Invalid: on ``description`` when it is empty, on ``occurred_on`` when it is in the future,
        on ``evidence_url`` when it is not a web address, on ``note`` when a published outcome's
        change says nothing (or too much) to readers.
    """
    if outcome.is_retracted:
        raise Conflict(f"outcome {outcome.id} was retracted; a retraction is final, so it is not edited")
    if outcome.is_published and actor is not None and not may_publish(actor):
        raise PermissionDenied("this outcome is published: only an editor changes it, with a note readers see")
    workflow.check_version(outcome, version)
    description = description.strip()
    if not description:
        raise Invalid("an outcome needs a description of what happened", field="description")
    check_occurred_on(occurred_on)
    evidence_url = (evidence_url or "").strip() or None
    if evidence_url is not None and not is_web_url(evidence_url):
        raise Invalid("give the evidence as a web address starting with http:// or https://", field="evidence_url")
    evidence_title = (evidence_title or "").strip() or None
    changed = (description, occurred_on, evidence_url, evidence_title) != (
        outcome.description, outcome.occurred_on, outcome.evidence_url, outcome.evidence_title
    )
    if not changed:
        return outcome
    update = None
    if outcome.is_published:
        update = OutcomeUpdate(
            outcome=outcome, note=workflow.checked_note(note), created_by_id=actor.id if actor else None,
            previous_description=outcome.description, previous_occurred_on=outcome.occurred_on,
            previous_evidence_url=outcome.evidence_url, previous_evidence_title=outcome.evidence_title,
        )
        session.add(update)
    before = audit.snapshot(outcome)
    outcome.description, outcome.occurred_on = description, occurred_on
    outcome.evidence_url, outcome.evidence_title = evidence_url, evidence_title
    audit.record(session, actor, "update", outcome, before=before)
    if update is not None:
        audit.record(session, actor, "revise", update)
    return outcome


def discard_link(session: Session, link: OutcomeLink, actor: User, *, version: int) -> None:
    """Remove a draft link, which nobody outside has read; the outcome stays. Audited.

    :raise Conflict: when the link is published or retracted: unlinking a published outcome is a retraction.
    :raise PermissionDenied: when ``actor`` neither made the link nor may publish it.
    :raise StaleDraft: when the link changed since ``version``.
    """
    if not link.is_draft:
        raise Conflict(f"{workflow.describe(link)} is {link.status.value}: retract it with a public note instead")
    if not may_change_draft(actor, link.created_by_id):
        raise PermissionDenied("only whoever linked it, an editor or an admin may discard a draft link")
    workflow.check_version(link, version)
    audit.record_removal(session, actor, "discard", link)
    session.delete(link)
    session.flush()
