"""The desk's home (work lists), the due-for-review queue, and the speaker typeahead."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from claimtrack.accounts.access import desk_user, requires_role
from claimtrack.articles.models import Appearance
from claimtrack.claims import editing
from claimtrack.db import get_session
from claimtrack.desk import queries
from claimtrack.desk.forms import ConfirmForm
from claimtrack.desk.speaker_search import suggest_speakers

bp = Blueprint("desk", __name__, url_prefix="/desk")


@bp.get("/")
@requires_role()
def dashboard() -> str:
    session, user = get_session(), desk_user()
    today = dt.date.today()
    return render_template(
        "desk/dashboard.html",
        my_drafts=session.scalars(queries.drafts_by(user.id)).unique().all(),
        awaiting=session.scalars(queries.drafts_by_others(user.id)).unique().all() if user.can_publish else [],
        due=session.scalars(queries.due_for_review(today).limit(20)).unique().all(),
        suggested=session.scalars(queries.suggested_matches(limit=20)).unique().all(),
        confirm_form=ConfirmForm(formdata=None),
    )


@bp.get("/review")
@requires_role()
def due_for_review() -> str:
    """Every forward-looking statement whose expected-by date passed without an outcome."""
    today = dt.date.today()
    statements = get_session().scalars(queries.due_for_review(today)).unique().all()
    return render_template("desk/due_for_review.html", statements=statements, today=today)


@bp.post("/appearances/<int:appearance_id>/review")
@requires_role()
def review_appearance(appearance_id: int) -> Response:
    """Confirm or reject a suggested match (``decision`` = confirm / reject).

    :raise 404: when there is no such appearance. :raise 400: for another decision.
    """
    session = get_session()
    appearance = session.get(Appearance, appearance_id)
    if appearance is None:
        abort(404, f"There is no appearance number {appearance_id}.")
    decision = request.form.get("decision")
    if not ConfirmForm().validate_on_submit() or decision not in ("confirm", "reject"):
        abort(400, "Choose to confirm or reject the match.")
    try:
        editing.review_appearance(session, appearance, decision == "confirm", actor=desk_user())
        session.commit()
        flash("Match confirmed: it is listed as an appearance." if decision == "confirm" else "Match rejected.", "info")
    except ValueError as exc:
        session.rollback()
        flash(str(exc).capitalize() + ".", "error")
    return redirect(url_for("desk.dashboard"))


@bp.get("/speakers/suggest")
@requires_role()
def suggest_speaker() -> Response:
    """JSON for the speaker typeahead: ``{"speakers": [{"id", "name", "role_title", "matched", "score"}]}``."""
    query = request.args.get("q", "")[:200]
    return jsonify({"speakers": [s.as_json() for s in suggest_speakers(get_session(), query)]})
