"""The desk's home (work lists), the due-for-review queue, and the speaker typeahead."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, render_template, request
from werkzeug.wrappers import Response

from claimtrack.accounts.access import desk_user, requires_role
from claimtrack.accounts.permissions import may_publish
from claimtrack.db import get_session
from claimtrack.desk import queries
from claimtrack.forms import ConfirmForm
from claimtrack.speakers.directory import suggest_speakers

bp = Blueprint("desk", __name__, url_prefix="/desk")


@bp.get("/")
@requires_role()
def dashboard() -> str:
    session, user = get_session(), desk_user()
    today = dt.date.today()
    return render_template(
        "desk/dashboard.html",
        my_drafts=session.scalars(queries.drafts_by(user.id)).unique().all(),
        awaiting=session.scalars(queries.drafts_by_others(user.id)).unique().all() if may_publish(user) else [],
        due=session.scalars(queries.due_for_review(today).limit(20)).unique().all(),
        suggested=session.scalars(queries.suggested_matches(limit=20)).unique().all(),
        confirm_form=ConfirmForm(formdata=None),
    )


@bp.get("/review")
@requires_role()
def due_for_review() -> str:
    """Every statement due for review: expected-by date passed, no outcome linked, no settling verdict."""
    today = dt.date.today()
    statements = get_session().scalars(queries.due_for_review(today)).unique().all()
    return render_template("desk/due_for_review.html", statements=statements, today=today)


@bp.get("/speakers/suggest")
@requires_role()
def suggest_speaker() -> Response:
    """JSON for the speaker typeahead: ``{"speakers": [{"id", "name", "role_title", "matched", "score"}]}``."""
    query = request.args.get("q", "")[:200]
    return jsonify({"speakers": [s.as_json() for s in suggest_speakers(get_session(), query)]})
