"""Recording outcomes, linking them to the statements they settle, editing them, and publishing both
(editors), each bound to the version the person read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.wrappers import Response

from claimtrack import workflow
from claimtrack.accounts.access import EDITORS, desk_user, requires_role
from claimtrack.accounts.permissions import may_publish
from claimtrack.claims.models import Statement
from claimtrack.claims.page import Rows, recorded_date, statement_page_context
from claimtrack.claims.routes import conflict_page
from claimtrack.db import get_or_404, get_session
from claimtrack.forms import ConfirmForm, ConfirmVersionForm
from claimtrack.outcomes import services
from claimtrack.outcomes.forms import (
    RELATION_CHOICES,
    EditOutcomeForm,
    LinkOutcomeForm,
    OutcomeForm,
    PublishOutcomeLinkForm,
)
from claimtrack.outcomes.models import Outcome, OutcomeLink, OutcomeRelation
from claimtrack.outcomes.services import link_outcome, record_outcome
from claimtrack.text import long_date

bp = Blueprint("outcomes", __name__, url_prefix="/desk")

Page = str | Response | tuple[str, int]


@bp.get("/outcomes/")
@requires_role()
def index() -> str:
    outcomes = get_session().scalars(
        select(Outcome)
        .options(selectinload(Outcome.links).joinedload(OutcomeLink.statement))
        .order_by(Outcome.occurred_on.desc().nulls_last(), Outcome.id.desc())
    ).all()
    return render_template("desk/outcomes.html", outcomes=outcomes, confirm_form=ConfirmForm(formdata=None))


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


# -- Editing and publishing, bound to the version the person read -------------------------------------


def _outcome_rows(_session: Session, columns: dict[str, Any]) -> Rows:
    """What a person reads of an outcome's version."""
    occurred_on = recorded_date(columns.get("occurred_on"))
    return [
        ("What happened", columns.get("description") or ""),
        ("When it happened", long_date(occurred_on) if occurred_on else "—"),
        ("Evidence address", columns.get("evidence_url") or "—"),
        ("Evidence title", columns.get("evidence_title") or "—"),
    ]


def _link_rows(session: Session, columns: dict[str, Any]) -> Rows:
    """What a person reads of an outcome link's version: the outcome is named as it is now."""
    outcome = session.get(Outcome, columns["outcome_id"]) if columns.get("outcome_id") else None
    relation = columns.get("relation") or ""
    return [
        ("Outcome", f"#{outcome.id}: {outcome.description}" if outcome else "—"),
        ("Bearing on the statement", RELATION_CHOICES.get(relation, relation)),
        ("Note on the link", columns.get("note") or "—"),
    ]


def _back_to(outcome: Outcome) -> str:
    """Where an outcome's page returns: the statement it came from (``?statement=N``), else the outcomes list."""
    statement_id = request.args.get("statement", type=int)
    if statement_id and any(link.statement_id == statement_id for link in outcome.links):
        return url_for("claims.show", statement_id=statement_id, _anchor="outcomes-heading")
    return url_for("outcomes.index", _anchor=f"outcome-{outcome.id}")


def _version_sent(form: ConfirmVersionForm) -> int:
    """:raise 400: when the form came without the version the page showed."""
    if not form.validate_on_submit() or form.version.data is None:
        abort(400, "The form was incomplete; reload the page and try again.")
    return form.version.data


@bp.post("/outcomes/<int:outcome_id>/publish")
@requires_role(*EDITORS)
def publish(outcome_id: int) -> Page:
    """Publish the version of a draft outcome the editor read (its links wait for their own review).

    :raise 404: when there is no such outcome. :raise 400: when the form carried no version.
    :raise 409: when it is published or retracted already, or (the conflict page) when it changed since read.
    """
    outcome = get_or_404(Outcome, outcome_id, "outcome")
    version = _version_sent(ConfirmVersionForm())
    back = url_for("outcomes.index", _anchor=f"outcome-{outcome_id}")
    try:
        workflow.publish(get_session(), outcome, desk_user(), version=version)
    except workflow.StaleDraft as exc:
        return conflict_page(exc, _outcome_rows, statement=None, back_url=back,
                             publish_action=url_for("outcomes.publish", outcome_id=outcome_id))
    flash(f"Outcome #{outcome_id} published.", "info")
    return redirect(back)


@bp.post("/outcome-links/<int:link_id>/publish")
@requires_role(*EDITORS)
def publish_link(link_id: int) -> Page:
    """Publish the version of a draft outcome link the editor read, with its draft outcome at the
    version read beside it.

    :raise 404: when there is no such link. :raise 400: when the form carried no version.
    :raise 409: when it is published or retracted already, its outcome or statement was retracted,
        or (the conflict page) when the link or its draft outcome changed since read.
    """
    link = get_or_404(OutcomeLink, link_id, "outcome link")
    form = PublishOutcomeLinkForm()
    version = _version_sent(form)
    try:
        services.publish_link(get_session(), link, desk_user(), version=version, outcome_version=form.outcome_version.data)
    except workflow.StaleDraft as exc:
        # Either changed: the editor reads the current one, then publishes both as they are now.
        current = PublishOutcomeLinkForm(formdata=None, data={
            "version": link.version, "outcome_version": link.outcome.version if link.outcome.is_draft else None,
        })
        return conflict_page(
            exc, _outcome_rows if exc.item is link.outcome else _link_rows, statement=link.statement,
            back_url=url_for("claims.show", statement_id=link.statement_id, _anchor=f"outcome-link-{link_id}"),
            publish_action=url_for("outcomes.publish_link", link_id=link_id), publish_form=current,
        )
    flash(f"Outcome link published: outcome #{link.outcome_id} {link.relation.value} this statement.", "info")
    return redirect(url_for("claims.show", statement_id=link.statement_id, _anchor=f"outcome-link-{link_id}"))


@bp.post("/outcome-links/<int:link_id>/discard")
@requires_role()
def discard_link(link_id: int) -> Response:
    """Remove a draft outcome link (whoever made it, or an editor); the outcome stays.

    :raise 404: when there is no such link. :raise 400: when the form carried no version.
    :raise 403: for someone else's draft. :raise 409: when it is published (retract it instead) or changed since read.
    """
    link = get_or_404(OutcomeLink, link_id, "outcome link")
    statement_id = link.statement_id
    services.discard_link(get_session(), link, desk_user(), version=_version_sent(ConfirmVersionForm()))
    flash("Draft outcome link discarded.", "info")
    return redirect(url_for("claims.show", statement_id=statement_id, _anchor="outcomes-heading"))


def _edit_form(outcome: Outcome) -> EditOutcomeForm:
    if request.method == "POST":
        return EditOutcomeForm()
    return EditOutcomeForm(data={
        "description": outcome.description, "occurred_on": outcome.occurred_on, "evidence_url": outcome.evidence_url,
        "evidence_title": outcome.evidence_title, "version": outcome.version,
    })


@bp.route("/outcomes/<int:outcome_id>/edit", methods=["GET", "POST"])
@requires_role()
def edit(outcome_id: int) -> Page:
    """Change an outcome: a draft in place (anyone on the desk); a published one only by an editor,
    with a note readers see beside it. A save made to an older version answers 409 with both versions.

    :raise 404: when there is no such outcome. :raise 403: when someone who may not publish changes a published one.
    """
    outcome = get_or_404(Outcome, outcome_id, "outcome")
    form = _edit_form(outcome)
    may_change = not outcome.is_retracted and (outcome.is_draft or may_publish(desk_user()))
    if form.validate_on_submit():
        assert form.version.data is not None  # required: set once the form validated
        with form.domain_errors():
            try:
                services.update_outcome(get_session(), outcome, **form.outcome_fields(), version=form.version.data,
                               actor=desk_user(), note=form.note.data)
            except workflow.StaleDraft as exc:
                # Keep what this user typed, now based on the version they are shown, so saving it
                # over the other person's change is a deliberate second click.
                form.rebase(outcome.version)
                return conflict_page(exc, _outcome_rows, statement=None, back_url=_back_to(outcome),
                                     template="desk/outcome_edit_conflict.html", edit_form=form, outcome=outcome)
            published = outcome.is_published
            flash("Outcome updated: readers see your note beside it." if published else "Outcome saved.", "info")
            return redirect(_back_to(outcome))
    status = form.error_status if form.is_submitted() else 200
    return render_template("desk/outcome_edit.html", form=form, outcome=outcome, may_change=may_change,
                           back_url=_back_to(outcome), confirm_form=ConfirmForm(formdata=None)), status
