"""The desk's home (work lists), the queue of drafts waiting for review, the due-for-review queue, and
the speaker typeahead."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, render_template, request
from werkzeug.wrappers import Response

from claimtrack.accounts.access import requires_role
from claimtrack.db import get_session
from claimtrack.desk import queries
from claimtrack.forms import ConfirmForm
from claimtrack.speakers.directory import suggest_speakers

bp = Blueprint("desk", __name__, url_prefix="/desk")

#: How many drafts waiting for review the dashboard shows before linking to the whole queue.
DASHBOARD_WAITING = 10
#: Drafts per page of the whole queue.
WAITING_PAGE_SIZE = 50


@bp.get("/")
@requires_role()
def dashboard() -> str:
    session = get_session()
    today = dt.date.today()
    return render_template(
        "desk/dashboard.html",
        waiting=queries.waiting_for_review(session, limit=DASHBOARD_WAITING),
        waiting_total=queries.count_waiting(session),
        due=session.scalars(queries.due_for_review(today).limit(20)).unique().all(),
        suggested=session.scalars(queries.suggested_matches(limit=20)).unique().all(),
        confirm_form=ConfirmForm(formdata=None),
    )


@bp.get("/waiting")
@requires_role()
def waiting_for_review() -> str:
    """Every draft waiting for an editor's review (statements, ratings, outcomes, links), the longest waiting first, paged."""
    session = get_session()
    total = queries.count_waiting(session)
    pages = max(1, -(-total // WAITING_PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    waiting = queries.waiting_for_review(session, limit=WAITING_PAGE_SIZE, offset=(page - 1) * WAITING_PAGE_SIZE)
    return render_template("desk/waiting.html", waiting=waiting, total=total, page=page, pages=pages)


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
