"""Recording outcomes and linking them to the statements they settle."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from claimtrack.accounts.access import desk_user, requires_role
from claimtrack.claims.models import Statement
from claimtrack.claims.page import statement_page_context
from claimtrack.db import get_or_404, get_session
from claimtrack.outcomes.forms import LinkOutcomeForm, OutcomeForm
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation
from claimtrack.outcomes.services import link_outcome, record_outcome

bp = Blueprint("outcomes", __name__, url_prefix="/desk")


@bp.get("/outcomes/")
@requires_role()
def index() -> str:
    outcomes = get_session().scalars(
        select(Outcome)
        .options(selectinload(Outcome.links).joinedload(OutcomeLink.statement))
        .order_by(Outcome.occurred_on.desc().nulls_last(), Outcome.id.desc())
    ).all()
    return render_template("desk/outcomes.html", outcomes=outcomes)


@bp.route("/outcomes/new", methods=["GET", "POST"])
@requires_role()
def new() -> str | Response | tuple[str, int]:
    """Record an outcome; with ``?statement=N`` it is linked to that statement at once.

    :raise 404: when the statement named does not exist.
    """
    session = get_session()
    statement = None
    if request.args.get("statement"):
        statement = get_or_404(Statement, request.args.get("statement", type=int) or 0, "statement")
    form = OutcomeForm()
    if form.validate_on_submit():
        with form.domain_errors():
            actor = desk_user()
            outcome = record_outcome(session, **form.outcome_fields(), actor=actor)
            if statement is not None:
                relation = OutcomeRelation(form.relation.data)
                link_outcome(session, outcome, statement, relation, note=form.note.data or None, actor=actor)
            flash("Outcome recorded.", "info")
            if statement is not None:
                return redirect(url_for("claims.show", statement_id=statement.id))
            return redirect(url_for("outcomes.index"))
    status = form.error_status if form.is_submitted() else 200
    return render_template("desk/outcome_new.html", form=form, statement=statement), status


@bp.post("/statements/<int:statement_id>/outcomes")
@requires_role()
def link(statement_id: int) -> str | Response | tuple[str, int]:
    """Link an outcome already recorded to this statement.

    :raise 404: when there is no such statement.
    """
    session = get_session()
    statement = get_or_404(Statement, statement_id, "statement")
    context = statement_page_context(session, statement)
    form: LinkOutcomeForm = context["outcome_form"]
    if form.validate_on_submit():
        outcome = session.get(Outcome, form.outcome_id.data)
        if outcome is not None:
            with form.domain_errors(fallback="outcome_id"):
                link_outcome(
                    session, outcome, statement, OutcomeRelation(form.relation.data), note=form.note.data or None, actor=desk_user()
                )
                flash("Outcome linked.", "info")
                return redirect(url_for("claims.show", statement_id=statement_id))
    page = statement_page_context(session, statement, outcome_form=form)
    return render_template("desk/statement.html", **page), form.error_status
