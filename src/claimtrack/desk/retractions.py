"""Retraction, never deletion, on the desk: an editor withdraws a published statement, rating version,
outcome, outcome link or statement link with a public note, bound to the version they read.

One form for every kind, at ``/desk/retract/<kind>/<id>``; each kind calls its own service
(:func:`claimtrack.workflow.retract`, :func:`claimtrack.ratings.services.retract_rating`,
:func:`claimtrack.outcomes.services.retract_outcome`), which checks the permission and the version,
writes the audit event and keeps the row. The desk pages show the "Retract…" button and, once
retracted, the badge, date, editor and note through ``templates/desk/_retract_controls.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput

from claimtrack import workflow
from claimtrack.accounts.access import EDITORS, desk_user, requires_role
from claimtrack.accounts.models import User
from claimtrack.claims.models import Statement, StatementLink
from claimtrack.claims.services import retract_statement
from claimtrack.db import get_or_404, get_session
from claimtrack.forms import Form
from claimtrack.outcomes.models import Outcome, OutcomeLink
from claimtrack.outcomes.services import retract_outcome
from claimtrack.ratings.models import Rating
from claimtrack.ratings.services import retract_rating, verdict_after_retraction

bp = Blueprint("retractions", __name__, url_prefix="/desk/retract")

Page = str | Response | tuple[str, int]


class RetractForm(Form):
    """The public note, and the version of the item the editor was shown: a retraction covers what was read."""

    # The note's rule (it must say something, within a length) is the service's: its message lands here.
    note = TextAreaField("Public note")
    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired("The form was incomplete; reload the page."), NumberRange(min=1)]
    )


def _retract_reviewed(session: Session, item: Any, actor: User, note: str | None, version: int) -> None:
    workflow.retract(session, item, actor, note=note, version=version)


def _retract_statement(session: Session, item: Any, actor: User, note: str | None, version: int) -> None:
    retract_statement(session, item, actor, note=note, version=version)  # its published links go with it


def _retract_rating(session: Session, item: Any, actor: User, note: str | None, version: int) -> None:
    retract_rating(session, item, actor, note=note, version=version)


def _retract_outcome(session: Session, item: Any, actor: User, note: str | None, version: int) -> None:
    retract_outcome(session, item, actor, note=note, version=version)


@dataclass(frozen=True)
class Kind:
    """One kind of item that may be retracted: its model, how messages name it, its service, where to go after."""

    model: type[Any]
    noun: str
    retract: Callable[[Session, Any, User, str | None, int], None]
    back: Callable[[Any], str]


KINDS = {
    "statement": Kind(Statement, "statement", _retract_statement,
                      lambda s: url_for("claims.show", statement_id=s.id)),
    "rating": Kind(Rating, "rating version", _retract_rating,
                   lambda r: url_for("claims.show", statement_id=r.statement_id)),
    "outcome": Kind(Outcome, "outcome", _retract_outcome, lambda _o: url_for("outcomes.index")),
    "outcome-link": Kind(OutcomeLink, "outcome link", _retract_reviewed,
                         lambda link: url_for("claims.show", statement_id=link.statement_id)),
    "statement-link": Kind(StatementLink, "statement link", _retract_reviewed,
                           lambda link: url_for("claims.show", statement_id=link.from_statement_id)),
}


@bp.app_template_global()
def retracted_by(item: Any) -> str:
    """Who retracted ``item``, as the desk names people ("the system" for a retraction nobody signed)."""
    user = get_session().get(User, item.retracted_by_id) if item.retracted_by_id else None
    return user.display_name if user is not None else "the system"


def _render(kind: str, item: Any, form: RetractForm, status: int) -> tuple[str, int]:
    fallback = verdict_after_retraction(item) if isinstance(item, Rating) and item.is_published else None
    return render_template("desk/retract.html", kind=kind, noun=KINDS[kind].noun, item=item, form=form,
                           fallback=fallback, back=KINDS[kind].back(item)), status


@bp.route("/<kind>/<int:item_id>", methods=["GET", "POST"])
@requires_role(*EDITORS)
def retract(kind: str, item_id: int) -> Page:
    """Show what a retraction of the item will do, and retract it with the note given.

    A retraction made to an older version than the stored one, or of an item retracted already
    or never published, answers 409 and changes nothing; an empty note answers 422 with the
    message beside the field.

    :raise 404: for an unknown kind or item. :raise 403: for anyone but an editor or admin.
    """
    what = KINDS.get(kind)
    if what is None:
        abort(404, "There is nothing of that kind to retract.")
    item = get_or_404(what.model, item_id, what.noun)
    form = RetractForm(data={"version": item.version})
    if not form.validate_on_submit():
        return _render(kind, item, form, 422 if form.is_submitted() else 200)
    assert form.version.data is not None  # required: set once the form validated
    with form.domain_errors():
        what.retract(get_session(), item, desk_user(), form.note.data, form.version.data)
        flash(f"Retracted {workflow.describe(item)}. Its public trace shows your note; nothing was deleted.", "info")
        return redirect(what.back(item))
    if form.error_status == 409:
        # The page now shows the item as stored: retracting that is a second, deliberate click.
        form.version.data = item.version
        form.version.raw_data = [str(item.version)]
    return _render(kind, item, form, form.error_status)
