"""What the desk's statement page shows, gathered in one place for the views that re-render it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from claimtrack.claims.forms import LinkStatementForm
from claimtrack.claims.models import Statement, StatementLink
from claimtrack.claims.revisions import revision_changes
from claimtrack.forms import ConfirmForm
from claimtrack.outcomes.forms import LinkOutcomeForm
from claimtrack.outcomes.models import Outcome


def statement_page_context(
    session: Session,
    statement: Statement,
    link_form: LinkStatementForm | None = None,
    outcome_form: LinkOutcomeForm | None = None,
) -> dict[str, Any]:
    links = session.scalars(
        select(StatementLink)
        .options(joinedload(StatementLink.from_statement), joinedload(StatementLink.to_statement))
        .where(or_(StatementLink.from_statement_id == statement.id, StatementLink.to_statement_id == statement.id))
        .order_by(StatementLink.id)
    ).all()
    if outcome_form is None:
        outcome_form = LinkOutcomeForm()
    outcomes = session.execute(select(Outcome.id, Outcome.description).order_by(Outcome.id.desc()).limit(200)).all()
    # WTForms' {value: label} shorthand is keyed by text, as the browser sends it; coerce=int reads the id back.
    outcome_form.outcome_id.choices = {str(oid): f"#{oid}: {text[:90]}" for oid, text in outcomes}
    return {
        "statement": statement,
        "ratings": list(reversed(statement.ratings)),
        "links": links,
        "link_form": link_form or LinkStatementForm(formdata=None),
        "outcome_form": outcome_form,
        "has_outcomes": bool(outcomes),
        "confirm_form": ConfirmForm(formdata=None),
        # Newest first, like the ratings: the latest wording is the one a reader is looking at.
        "revisions": list(reversed(revision_changes(statement.revisions))),
    }
